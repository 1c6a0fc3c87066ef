//! What the editor looks up across files: every id with its title and file, every
//! reference to one, and the team and service names in use.

use std::collections::BTreeSet;

use crate::content::Entry;
use crate::content::field_table::Target;
use crate::diagnostics::Pos;
use crate::site::Site;

/// A file that can be referred to by id.
#[derive(Clone, Debug)]
pub struct Named {
    pub target: Target,
    pub id: String,
    pub title: String,
    /// One line: status and the like.
    pub detail: String,
    /// Path relative to the site root.
    pub path: String,
    /// Where the id is written (the file start when it is the file name).
    pub pos: Pos,
}

/// A reference written in a file.
#[derive(Clone, Debug)]
pub struct Reference {
    pub target: Target,
    pub id: String,
    pub path: String,
    pub pos: Pos,
}

#[derive(Default)]
pub struct Index {
    pub named: Vec<Named>,
    pub references: Vec<Reference>,
    pub teams: BTreeSet<String>,
    pub services: BTreeSet<String>,
}

impl Index {
    pub fn of(site: &Site) -> Index {
        let mut ix = Index::default();
        for (path, _, entry) in site.entries() {
            match entry {
                Some(Entry::Roadmap(x)) => {
                    ix.name(Target::Roadmap, &x.id, &x.title, path, x.id_pos)
                        .detail = format!("{} · {}", x.item_type, x.status);
                    ix.teams.extend(x.team.clone());
                    ix.services.extend(x.services.iter().cloned());
                    let refs = [
                        (Target::Outcome, &x.outcomes),
                        (Target::Roadmap, &x.depends_on),
                        (Target::Postmortem, &x.postmortems),
                    ];
                    for (target, list) in refs {
                        for r in list {
                            ix.refer(target, &r.id, path, r.pos);
                        }
                    }
                }
                Some(Entry::Outcome(x)) => {
                    ix.name(Target::Outcome, &x.id, &x.title, path, x.id_pos)
                        .detail = format!("{} · unit {}", x.direction, x.unit);
                    ix.teams.extend(x.team.clone());
                }
                Some(Entry::Postmortem(x)) => {
                    ix.name(Target::Postmortem, &x.id, &x.title, path, x.id_pos)
                        .detail = format!("{} · {} · {}", x.severity, x.status, x.date);
                    ix.teams.extend(x.teams.iter().cloned());
                    ix.services.extend(x.services.iter().cloned());
                    for r in &x.roadmap {
                        ix.refer(Target::Roadmap, &r.id, path, r.pos);
                    }
                    for r in x.action_items.iter().filter_map(|a| a.roadmap.as_ref()) {
                        ix.refer(Target::Roadmap, &r.id, path, r.pos);
                    }
                }
                Some(Entry::Page(_)) | None => {}
            }
        }
        ix
    }

    fn name(&mut self, target: Target, id: &str, title: &str, path: &str, pos: Pos) -> &mut Named {
        self.named.push(Named {
            target,
            id: id.to_string(),
            title: title.to_string(),
            detail: String::new(),
            path: path.to_string(),
            pos,
        });
        let last = self.named.len() - 1;
        &mut self.named[last]
    }

    fn refer(&mut self, target: Target, id: &str, path: &str, pos: Pos) {
        self.references.push(Reference {
            target,
            id: id.to_string(),
            path: path.to_string(),
            pos,
        });
    }

    pub fn find(&self, target: Target, id: &str) -> Option<&Named> {
        self.named.iter().find(|n| n.target == target && n.id == id)
    }

    /// The file at `path`, when it can be referred to.
    pub fn at_path(&self, path: &str) -> Option<&Named> {
        self.named.iter().find(|n| n.path == path)
    }

    pub fn references_to(&self, target: Target, id: &str) -> impl Iterator<Item = &Reference> {
        self.references
            .iter()
            .filter(move |r| r.target == target && r.id == id)
    }
}
