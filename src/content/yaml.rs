//! YAML into a small tree of nodes, each carrying its position in the file, so that every
//! later check can point at the offending value. serde-saphyr parses (rejecting duplicate
//! keys, bounding depth and alias expansion); we only keep what the content format needs.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::diagnostics::{Diagnostic, Pos};

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

impl Node {
    /// What kind of value this is, in the words of the error messages.
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "a whole number",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a map",
        }
    }

    /// The scalar as it would read in the file (for messages).
    pub fn display(&self) -> String {
        match &self.value {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Str(s) => s.clone(),
            Value::Seq(_) => "a list".into(),
            Value::Map(_) => "a map".into(),
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<Value>::deserialize(d)?;
        let loc = spanned.referenced;
        let len = match &spanned.value {
            Value::Seq(_) | Value::Map(_) => 1,
            _ => loc.span().len().clamp(1, u32::MAX as u64) as u32,
        };
        Ok(Node {
            value: spanned.value,
            pos: Pos::new(loc.line() as u32, loc.column() as u32, len),
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Value, E> {
        Err(E::custom("binary values are not supported"))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(node) = seq.next_element::<Node>()? {
            items.push(node);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }
}

/// Parse `text` (which starts at `first_line` of the file `file`) into a node tree.
/// An empty document is `Null` at the first line.
#[allow(clippy::result_large_err)] // one diagnostic per file, built once
pub fn parse(text: &str, file: &str, first_line: u32) -> Result<Node, Diagnostic> {
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(Node {
            value: Value::Null,
            pos: Pos::new(first_line, 1, 1),
        });
    }
    let mut node = match super::plain_yaml::parse(text) {
        Some(node) => node,
        None => parse_with_serde(text).map_err(|err| yaml_error(&err, text, file, first_line))?,
    };
    shift_lines(&mut node, first_line - 1);
    Ok(node)
}

/// `text` (a non-empty document) read by serde-saphyr, with its limits on depth and aliases;
/// lines count from 1.
pub(crate) fn parse_with_serde(text: &str) -> Result<Node, serde_saphyr::Error> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        budget: serde_saphyr::budget! {
            max_depth: 48,
            max_aliases: 64,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 10_000,
        },
    };
    serde_saphyr::from_str_with_options::<Node>(text, options)
}

fn shift_lines(node: &mut Node, by: u32) {
    // Iterative: a deep document must not exhaust the stack here either.
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        n.pos.line += by;
        match &mut n.value {
            Value::Seq(items) => stack.extend(items.iter_mut()),
            Value::Map(entries) => {
                for (k, v) in entries.iter_mut() {
                    stack.push(k);
                    stack.push(v);
                }
            }
            _ => {}
        }
    }
}

fn yaml_error(err: &serde_saphyr::Error, text: &str, file: &str, first_line: u32) -> Diagnostic {
    let inner = err.without_snippet();
    let problem = describe(original(err));
    let pos = match inner.location().or_else(|| err.location()) {
        Some(loc) if loc.line() > 0 => {
            let mut col = loc.column().max(1) as u32;
            // The parser points past the indentation; a tab there is what is wrong.
            if matches!(&problem, Problem::Other(m) if m.contains("tab")) {
                let line = text.lines().nth(loc.line() as usize - 1).unwrap_or("");
                if let Some(tab) = line.chars().take(col as usize).position(|c| c == '\t') {
                    col = tab as u32 + 1;
                }
            }
            Pos::new(loc.line() as u32 + first_line - 1, col, 1)
        }
        _ => Pos::new(first_line, 1, 1),
    };
    match problem {
        Problem::DuplicateKey(key) => {
            Diagnostic::error(file, pos, format!("duplicate key `{key}`"))
                .with_label("each key may appear only once in a map")
        }
        Problem::Other(message) => Diagnostic::error(file, pos, "invalid YAML").with_label(message),
    }
}

enum Problem {
    DuplicateKey(String),
    Other(String),
}

/// The error behind serde-saphyr's snippet and alias wrappers.
fn original(mut err: &serde_saphyr::Error) -> &serde_saphyr::Error {
    use serde_saphyr::Error as E;
    while let E::WithSnippet { error, .. } | E::AliasError { error, .. } = err {
        err = error;
    }
    err
}

/// What went wrong, in the words of someone writing a content file: the parser's own
/// messages name its options and internal counters, and lines relative to the front matter.
fn describe(err: &serde_saphyr::Error) -> Problem {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach;
    const TOO_DEEP: &str = "lists and maps are nested too deeply (at most 48 levels)";
    const TOO_MANY_ALIASES: &str =
        "aliases (`*name`) expand to too much data; write the values out instead";
    let text = match err {
        E::DuplicateMappingKey { key: Some(k), .. } => return Problem::DuplicateKey(k.clone()),
        E::DuplicateMappingKey { key: None, .. } => {
            return Problem::Other("a key appears twice in the same map".into());
        }
        E::Budget {
            breach: BudgetBreach::Depth { .. },
            ..
        } => TOO_DEEP.into(),
        E::ExternalMessage { msg, .. } if msg.contains("recursion limit") => TOO_DEEP.into(),
        E::Budget {
            breach: BudgetBreach::Aliases { .. },
            ..
        }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => TOO_MANY_ALIASES.into(),
        E::Budget { .. } => "the document is too large or too complex".into(),
        other => {
            use serde_saphyr::MessageFormatter;
            plain_message(&serde_saphyr::UserMessageFormatter.format_message(other))
        }
    };
    Problem::Other(text)
}

/// serde-saphyr's messages may end with their own location; ours is printed separately.
fn plain_message(text: &str) -> String {
    let first = text.lines().next().unwrap_or(text).trim();
    match first.rfind(" at line ") {
        Some(i) => first[..i].trim_end_matches(',').to_string(),
        None => first.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(n: &Node) -> &Vec<(Node, Node)> {
        match &n.value {
            Value::Map(m) => m,
            other => panic!("expected a map, got {other:?}"),
        }
    }

    #[test]
    fn positions_are_in_file_lines() {
        let node = parse("title: Hello\nestimate: 3\n", "f.md", 2).unwrap();
        let m = map(&node);
        assert_eq!(m[0].0.pos, Pos::new(2, 1, 5));
        assert_eq!(m[0].1.pos, Pos::new(2, 8, 5));
        assert_eq!(m[1].1.value, Value::Int(3));
        assert_eq!(m[1].1.pos.line, 3);
        assert_eq!(m[1].1.pos.col, 11);
    }

    #[test]
    fn scalars_keep_their_types() {
        let node = parse(
            "a: 2.5\nb: \"3\"\nc: 2026-01-05\nd: yes\ne: true\nf:\n",
            "f",
            1,
        )
        .unwrap();
        let values: Vec<&Value> = map(&node).iter().map(|(_, v)| &v.value).collect();
        assert_eq!(
            values,
            vec![
                &Value::Float(2.5),
                &Value::Str("3".into()),
                &Value::Str("2026-01-05".into()),
                &Value::Str("yes".into()),
                &Value::Bool(true),
                &Value::Null
            ]
        );
    }

    #[test]
    fn duplicate_keys_are_an_error_at_the_second_key() {
        let err = parse("title: a\nstatus: b\ntitle: c\n", "f.md", 2).unwrap_err();
        assert_eq!((err.pos.line, err.pos.col), (4, 1), "{err:?}");
        assert_eq!(err.message, "duplicate key `title`");
        let err = parse("rice:\n  reach: 1\n  reach: 2\n", "f.md", 2).unwrap_err();
        assert_eq!((err.pos.line, err.pos.col), (4, 3), "{err:?}");
        assert_eq!(err.message, "duplicate key `reach`");
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let err = parse("title: a\n  bad: [1, 2\n", "f.md", 2).unwrap_err();
        assert!(err.pos.line >= 3, "{err:?}");
    }

    #[test]
    fn tab_indentation_points_at_the_tab() {
        let err = parse("rice:\n\treach: 1\n", "f.md", 2).unwrap_err();
        assert_eq!((err.pos.line, err.pos.col), (3, 1), "{err:?}");
        assert!(err.label.contains("tabs"), "{err:?}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("a: {}{}\n", "[".repeat(1000), "]".repeat(1000));
        let err = parse(&text, "f", 1).unwrap_err();
        assert!(err.label.contains("nested too deeply"), "{err:?}");
        let mut block = String::new();
        for i in 0..1000 {
            block.push_str(&" ".repeat(i));
            block.push_str("- \n");
        }
        let err = parse(&block, "f", 1).unwrap_err();
        assert!(err.label.contains("nested too deeply"), "{err:?}");
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
        let mut prev = "a";
        for n in names {
            text.push_str(&format!("{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            prev = n;
        }
        let started = std::time::Instant::now();
        let err = parse(&text, "f", 1).unwrap_err();
        assert!(started.elapsed().as_secs() < 5);
        assert_eq!(err.message, "invalid YAML");
        assert!(err.label.starts_with("aliases (`*name`) expand"), "{err:?}");
    }

    #[test]
    fn empty_and_comment_only_documents_are_null() {
        assert_eq!(parse("", "f", 2).unwrap().value, Value::Null);
        assert_eq!(parse("# nothing\n\n", "f", 2).unwrap().value, Value::Null);
    }
}
