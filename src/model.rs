//! The model: content with every reference checked and resolved once, reverse links
//! computed, `depends_on` cycles rejected. Nothing downstream handles a dangling id.

use std::collections::{BTreeSet, HashMap};

use crate::config::SiteConfig;
use crate::content::fields::Ref;
use crate::content::{Content, Outcome, Page, Postmortem, RoadmapItem};
use crate::diagnostics::{self, Diagnostic};

#[derive(Clone, Debug)]
pub struct Model {
    pub config: SiteConfig,
    /// Each list sorted by id.
    pub items: Vec<RoadmapItem>,
    pub outcomes: Vec<Outcome>,
    /// Drafts are present only when built with `--drafts`.
    pub postmortems: Vec<Postmortem>,
    pub pages: Vec<Page>,
    pub include_drafts: bool,
    pub links: Links,
}

/// Resolved edges, by index into the model's lists; every list sorted and without repeats.
#[derive(Clone, Debug, Default)]
pub struct Links {
    /// item → the outcomes it names.
    pub item_outcomes: Vec<Vec<usize>>,
    /// outcome → the items that name it.
    pub outcome_items: Vec<Vec<usize>>,
    /// item → the items it depends on.
    pub item_dependencies: Vec<Vec<usize>>,
    /// item → the items that depend on it.
    pub item_dependents: Vec<Vec<usize>>,
    /// item → post-mortems linked either way (item.postmortems or postmortem.roadmap).
    pub item_postmortems: Vec<Vec<usize>>,
    /// post-mortem → items linked either way.
    pub postmortem_items: Vec<Vec<usize>>,
    /// item → (post-mortem, action item index) of action items naming it.
    pub item_action_items: Vec<Vec<(usize, usize)>>,
    /// post-mortem → action item index → the roadmap item it names.
    pub action_item_roadmap: Vec<Vec<Option<usize>>>,
}

impl Model {
    pub fn item_index(&self, id: &str) -> Option<usize> {
        self.items.binary_search_by(|x| x.id.as_str().cmp(id)).ok()
    }
    pub fn outcome_index(&self, id: &str) -> Option<usize> {
        self.outcomes
            .binary_search_by(|x| x.id.as_str().cmp(id))
            .ok()
    }
    pub fn postmortem_index(&self, id: &str) -> Option<usize> {
        self.postmortems
            .binary_search_by(|x| x.id.as_str().cmp(id))
            .ok()
    }

    /// Check every reference and build the links. Errors: dangling ids and `depends_on`
    /// cycles. Draft post-mortems may be referenced; without `include_drafts` they and the
    /// references to them are then dropped.
    pub fn build(content: Content, include_drafts: bool) -> Result<Model, Vec<Diagnostic>> {
        let Content {
            config,
            mut items,
            outcomes,
            mut postmortems,
            pages,
            unreadable,
        } = content;
        let item_ids: HashMap<&str, usize> = items
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), i))
            .collect();
        let outcome_ids: HashMap<&str, usize> = outcomes
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), i))
            .collect();
        let pm_ids: HashMap<&str, usize> = postmortems
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), i))
            .collect();

        let mut diags = Vec::new();
        let mut check =
            |file: &str, refs: &[Ref], ids: &HashMap<&str, usize>, place: &str, kind: &str| {
                for r in refs {
                    let folder = match kind {
                        "outcome" => "outcomes",
                        "post-mortem" => "postmortems",
                        _ => "roadmap",
                    };
                    if !ids.contains_key(r.id.as_str())
                        && !unreadable.contains(&format!("{folder}/{}", r.id))
                    {
                        let known: Vec<&str> = ids.keys().copied().collect();
                        let mut d = Diagnostic::error(
                            file,
                            r.pos,
                            format!("unknown {kind} `{}` in {place}", r.id),
                        )
                        .with_label(format!("no {kind} has this id"));
                        if let Some(hint) = closest(&r.id, &known) {
                            d = d.with_help(format!("did you mean `{hint}`?"));
                        }
                        diags.push(d);
                    }
                }
            };
        for item in &items {
            check(
                &item.path,
                &item.outcomes,
                &outcome_ids,
                "`outcomes`",
                "outcome",
            );
            check(
                &item.path,
                &item.depends_on,
                &item_ids,
                "`depends_on`",
                "roadmap item",
            );
            check(
                &item.path,
                &item.postmortems,
                &pm_ids,
                "`postmortems`",
                "post-mortem",
            );
        }
        for pm in &postmortems {
            check(
                &pm.path,
                &pm.roadmap,
                &item_ids,
                "`roadmap`",
                "roadmap item",
            );
            let action_refs: Vec<Ref> = pm
                .action_items
                .iter()
                .filter_map(|a| a.roadmap.clone())
                .collect();
            check(
                &pm.path,
                &action_refs,
                &item_ids,
                "an action item's `roadmap`",
                "roadmap item",
            );
        }
        diags.extend(cycles(&items, &item_ids));
        // Source texts for snippets are attached by the caller, which has the files.
        if !diags.is_empty() {
            diagnostics::sort(&mut diags);
            return Err(diags);
        }

        if !include_drafts {
            let drafts: BTreeSet<String> = postmortems
                .iter()
                .filter(|p| p.is_draft())
                .map(|p| p.id.clone())
                .collect();
            postmortems.retain(|p| !p.is_draft());
            for item in &mut items {
                item.postmortems.retain(|r| !drafts.contains(&r.id));
            }
        }
        let mut model = Model {
            config,
            items,
            outcomes,
            postmortems,
            pages,
            include_drafts,
            links: Links::default(),
        };
        model.links = link(&model);
        Ok(model)
    }
}

fn closest<'a>(id: &str, known: &[&'a str]) -> Option<&'a str> {
    let mut sorted = known.to_vec();
    sorted.sort_unstable();
    diagnostics::did_you_mean(id, &sorted)
}

fn link(m: &Model) -> Links {
    let n_items = m.items.len();
    let mut l = Links {
        item_outcomes: vec![Vec::new(); n_items],
        outcome_items: vec![Vec::new(); m.outcomes.len()],
        item_dependencies: vec![Vec::new(); n_items],
        item_dependents: vec![Vec::new(); n_items],
        item_postmortems: vec![Vec::new(); n_items],
        postmortem_items: vec![Vec::new(); m.postmortems.len()],
        item_action_items: vec![Vec::new(); n_items],
        action_item_roadmap: Vec::new(),
    };
    for (i, item) in m.items.iter().enumerate() {
        for r in &item.outcomes {
            if let Some(o) = m.outcome_index(&r.id) {
                l.item_outcomes[i].push(o);
                l.outcome_items[o].push(i);
            }
        }
        for r in &item.depends_on {
            if let Some(d) = m.item_index(&r.id) {
                l.item_dependencies[i].push(d);
                l.item_dependents[d].push(i);
            }
        }
        for r in &item.postmortems {
            if let Some(p) = m.postmortem_index(&r.id) {
                l.item_postmortems[i].push(p);
                l.postmortem_items[p].push(i);
            }
        }
    }
    for (p, pm) in m.postmortems.iter().enumerate() {
        for r in &pm.roadmap {
            if let Some(i) = m.item_index(&r.id) {
                l.item_postmortems[i].push(p);
                l.postmortem_items[p].push(i);
            }
        }
        let mut per_action = Vec::new();
        for (a, action) in pm.action_items.iter().enumerate() {
            let target = action.roadmap.as_ref().and_then(|r| m.item_index(&r.id));
            if let Some(i) = target {
                l.item_action_items[i].push((p, a));
            }
            per_action.push(target);
        }
        l.action_item_roadmap.push(per_action);
    }
    for list in l
        .item_outcomes
        .iter_mut()
        .chain(&mut l.outcome_items)
        .chain(&mut l.item_dependencies)
        .chain(&mut l.item_dependents)
        .chain(&mut l.item_postmortems)
        .chain(&mut l.postmortem_items)
    {
        list.sort_unstable();
        list.dedup();
    }
    for list in &mut l.item_action_items {
        list.sort_unstable();
        list.dedup();
    }
    l
}

/// Every `depends_on` cycle, once each, reported at the dependency entry of its
/// alphabetically first item and naming the whole cycle.
fn cycles(items: &[RoadmapItem], ids: &HashMap<&str, usize>) -> Vec<Diagnostic> {
    let edges: Vec<Vec<(usize, &Ref)>> = items
        .iter()
        .map(|x| {
            x.depends_on
                .iter()
                .filter_map(|r| ids.get(r.id.as_str()).map(|&j| (j, r)))
                .collect()
        })
        .collect();
    // Iterative depth-first search with colours: 0 new, 1 on the stack, 2 done.
    let mut colour = vec![0u8; items.len()];
    let mut found: BTreeSet<Vec<usize>> = BTreeSet::new();
    for start in 0..items.len() {
        if colour[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        colour[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&(to, _)) = edges[node].get(*next) {
                *next += 1;
                match colour[to] {
                    0 => {
                        colour[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|(n, _)| *n == to).unwrap_or(0);
                        let mut cycle: Vec<usize> = stack[from..].iter().map(|(n, _)| *n).collect();
                        let min = cycle
                            .iter()
                            .enumerate()
                            .min_by_key(|(_, n)| items[**n].id.as_str())
                            .map_or(0, |(i, _)| i);
                        cycle.rotate_left(min);
                        found.insert(cycle);
                    }
                    _ => {}
                }
            } else {
                colour[node] = 2;
                stack.pop();
            }
        }
    }
    found
        .into_iter()
        .map(|cycle| {
            let first = &items[cycle[0]];
            let second = cycle.get(1).copied().unwrap_or(cycle[0]);
            let pos = edges[cycle[0]]
                .iter()
                .find(|(j, _)| *j == second)
                .map(|(_, r)| r.pos)
                .unwrap_or(first.id_pos);
            let mut names: Vec<&str> = cycle.iter().map(|&i| items[i].id.as_str()).collect();
            names.push(first.id.as_str());
            Diagnostic::error(&first.path, pos, "`depends_on` forms a cycle")
                .with_label(names.join(" → "))
        })
        .collect()
}
