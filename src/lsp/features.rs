//! Completion, hover, go to definition, references and quick fixes: answers computed from
//! the cursor's place in the file and the index of the site.

use super::context::{self, Place};
use super::index::Index;
use super::protocol::{CompletionItem, CompletionKind, Markdown, Position, Range, TextEdit};
use super::text;
use crate::config::SiteConfig;
use crate::content::field_table::{Field, Target, Type};
use crate::diagnostics::Pos;

/// Where the cursor is: the file (relative path) and its text.
pub struct Cursor<'a> {
    pub rel: &'a str,
    pub text: &'a str,
    pub position: Position,
}

impl Cursor<'_> {
    fn line(&self) -> &str {
        text::line(self.text, self.position.line as usize)
    }

    fn col(&self) -> usize {
        text::char_col(self.line(), self.position.character)
    }

    /// The word under the cursor and the place of the field it belongs to.
    fn word_and_place(&self) -> Option<(String, Place, bool)> {
        let line = self.line();
        let (word, _, end) = context::word_at(line, self.col())?;
        let cx = context::at(self.rel, self.text, self.position.line as usize, end)?;
        let is_key = line.chars().skip(end).find(|c| *c != ' ') == Some(':');
        Some((word, cx.place, is_key))
    }
}

/// The hover and completion text of a field.
pub fn field_doc(f: &Field) -> String {
    let required = if f.required { ", required" } else { "" };
    format!("**{}**: {}{required}\n\n{}", f.name, f.ty.describe(), f.doc)
}

struct Candidate {
    label: String,
    kind: CompletionKind,
    detail: String,
    doc: String,
    /// Text after the label: `: ` after a field name.
    suffix: &'static str,
}

pub fn completion(ix: &Index, config: &SiteConfig, cur: &Cursor) -> Vec<CompletionItem> {
    let line = cur.line();
    let Some(cx) = context::at(cur.rel, cur.text, cur.position.line as usize, cur.col()) else {
        return Vec::new();
    };
    let candidates: Vec<Candidate> = match cx.place {
        Place::Key(table) => table
            .fields
            .iter()
            .map(|f| Candidate {
                label: f.name.to_string(),
                kind: CompletionKind::Property,
                detail: f.ty.describe(),
                doc: field_doc(f),
                suffix: ": ",
            })
            .collect(),
        Place::MapKey(keys) => keys
            .iter()
            .map(|k| Candidate {
                label: k.to_string(),
                kind: CompletionKind::EnumMember,
                detail: String::new(),
                doc: String::new(),
                suffix: ": ",
            })
            .collect(),
        Place::Value(f) => values(ix, config, f),
    };
    let range = Range::new(
        Position::new(cur.position.line, text::utf16_col(line, cx.prefix_start)),
        cur.position,
    );
    let dash = if cx.needs_dash { "- " } else { "" };
    candidates
        .into_iter()
        .filter(|c| fuzzy_match(&cx.prefix, &c.label))
        .enumerate()
        .map(|(i, c)| CompletionItem {
            filter_text: c.label.clone(),
            text_edit: TextEdit::new(range, format!("{dash}{}{}", c.label, c.suffix)),
            // Keep the table's order (title, type, status, …) rather than the alphabet.
            sort_text: format!("{i:05}"),
            label: c.label,
            kind: c.kind,
            detail: (!c.detail.is_empty()).then_some(c.detail),
            documentation: (!c.doc.is_empty()).then(|| Markdown::new(c.doc)),
        })
        .collect()
}

/// Whether the letters of `typed` appear in `label` in order (as editors filter), so that
/// a long list of ids is cut down before it is sent.
fn fuzzy_match(typed: &str, label: &str) -> bool {
    let mut rest = label.chars().flat_map(char::to_lowercase);
    typed
        .chars()
        .flat_map(char::to_lowercase)
        .all(|t| rest.any(|c| c == t))
}

/// What may be written as the value of `f`.
fn values(ix: &Index, config: &SiteConfig, f: &Field) -> Vec<Candidate> {
    let word = |label: &str, kind, detail: String, doc: String| Candidate {
        label: label.to_string(),
        kind,
        detail,
        doc,
        suffix: "",
    };
    match f.ty {
        Type::Keyword(words) => words
            .iter()
            .map(|w| word(w, CompletionKind::EnumMember, String::new(), String::new()))
            .collect(),
        Type::Bool => ["true", "false"]
            .iter()
            .map(|w| word(w, CompletionKind::Value, String::new(), String::new()))
            .collect(),
        Type::Ref(t) | Type::Refs(t) if f.name != "id" => ix
            .named
            .iter()
            .filter(|n| n.target == t)
            .map(|n| {
                word(
                    &n.id,
                    CompletionKind::Reference,
                    n.title.clone(),
                    format!("**{}**\n\n{}\n\n`{}`", n.title, n.detail, n.path),
                )
            })
            .collect(),
        Type::Severity => config
            .severities
            .iter()
            .map(|s| {
                word(
                    &s.id,
                    CompletionKind::EnumMember,
                    s.label.clone(),
                    s.description.clone().unwrap_or_default(),
                )
            })
            .collect(),
        Type::Text | Type::Texts { .. } => {
            let names = match f.name {
                "team" | "teams" => &ix.teams,
                "services" => &ix.services,
                _ => return Vec::new(),
            };
            names
                .iter()
                .map(|n| word(n, CompletionKind::Value, String::new(), String::new()))
                .collect()
        }
        _ => Vec::new(),
    }
}

pub fn hover(ix: &Index, config: &SiteConfig, cur: &Cursor) -> Option<String> {
    let (word, place, is_key) = cur.word_and_place()?;
    match place {
        Place::Key(table) if is_key => table.get(&word).map(field_doc),
        Place::Value(f) => match f.ty {
            Type::Ref(t) | Type::Refs(t) if f.name != "id" => Some(match ix.find(t, &word) {
                Some(n) => format!(
                    "**{}**\n\n{} {}\n\n`{}`",
                    n.title,
                    t.noun(),
                    n.detail,
                    n.path
                ),
                None => format!("no {} has the id `{word}`", t.noun()),
            }),
            Type::Severity => config.severity(&word).map(|s| {
                let required = if s.postmortem_required {
                    "\n\npost-mortems of this severity need action items"
                } else {
                    ""
                };
                let description = s.description.as_deref().unwrap_or("");
                format!("**{}** ({})\n\n{description}{required}", s.label, s.id)
            }),
            _ => None,
        },
        _ => None,
    }
}

/// The id under the cursor, when it names another file: its kind and id.
fn reference_at(cur: &Cursor) -> Option<(Target, String)> {
    let (word, place, is_key) = cur.word_and_place()?;
    match place {
        Place::Value(f) if !is_key && f.name != "id" => match f.ty {
            Type::Ref(t) | Type::Refs(t) => Some((t, word)),
            _ => None,
        },
        _ => None,
    }
}

/// Where the id under the cursor is defined: (path, position of its id).
pub fn definition(ix: &Index, cur: &Cursor) -> Option<(String, Pos)> {
    let (target, id) = reference_at(cur)?;
    ix.find(target, &id).map(|n| (n.path.clone(), n.pos))
}

/// The references to the id under the cursor, or else to the file the cursor is in.
pub fn references(ix: &Index, cur: &Cursor, with_declaration: bool) -> Vec<(String, Pos)> {
    let Some((target, id)) =
        reference_at(cur).or_else(|| ix.at_path(cur.rel).map(|n| (n.target, n.id.clone())))
    else {
        return Vec::new();
    };
    let mut out: Vec<(String, Pos)> = Vec::new();
    if with_declaration && let Some(n) = ix.find(target, &id) {
        out.push((n.path.clone(), n.pos));
    }
    out.extend(
        ix.references_to(target, &id)
            .map(|r| (r.path.clone(), r.pos)),
    );
    out
}
