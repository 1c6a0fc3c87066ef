//! `/risks/`: the risk list, grouped by kind (most pressing kinds first), each entry linking
//! to its subject.

use super::{View, labels};
use crate::render::value::{Value, get};
use crate::val;

pub fn page(v: &View) -> Value {
    let risks = v.risks();
    let mut kinds: Vec<String> = risks
        .iter()
        .filter_map(|r| get(r, "kind").and_then(Value::as_str).map(str::to_string))
        .collect();
    kinds.sort_by_key(|k| (labels::risk_rank(k), k.clone()));
    kinds.dedup();
    let groups: Vec<Value> = kinds
        .iter()
        .map(|kind| {
            let list: Vec<&Value> = risks
                .iter()
                .filter(|r| get(r, "kind").and_then(Value::as_str) == Some(kind.as_str()))
                .collect();
            let d = super::lookup(&format!("risks.{kind}"));
            val!({
                "kind": kind,
                "anchor": format!("risk-{kind}"),
                "label": d.map(|d| d.label),
                "formula": d.map(|d| labels::for_readers(d.formula)),
                "tone": labels::risk_tone(kind),
                "count": list.len(),
                "risks": list,
            })
        })
        .collect();
    val!({
        "lead": "Everything that needs a decision or a nudge, computed from the content: late or blocked work, outcomes falling behind, overdue follow-ups, repeated incidents, and items not ready to start.",
        "total": risks.len(),
        "groups": groups,
        "definitions": [],
    })
}
