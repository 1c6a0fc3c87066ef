//! Free-text names that become page addresses (`/teams/<slug>/`, `/services/<slug>/`): each
//! must make a usable, unique slug, or it is an error at the line that first names it.

use std::collections::BTreeMap;

use crate::content::fields::NameUse;
use crate::diagnostics::{Diagnostic, Pos};
use crate::model::Model;
use crate::render::markdown::slug;

/// The longest slug, in bytes: a file name holds 255 on common file systems, and the slug
/// should leave room to spare.
pub const MAX_SLUG_BYTES: usize = 200;

/// Where a name is first written: file and position.
type FirstUse<'a> = (&'a str, Pos);

/// Every team and service name that cannot become a page address: no letter or digit,
/// a slug over `MAX_SLUG_BYTES`, or a slug another spelling already has. One error per
/// name, at its first use in file order.
pub fn problems(model: &Model) -> Vec<Diagnostic> {
    let uses = model
        .items
        .iter()
        .map(|x| (x.path.as_str(), &x.names))
        .chain(model.outcomes.iter().map(|x| (x.path.as_str(), &x.names)))
        .chain(
            model
                .postmortems
                .iter()
                .map(|x| (x.path.as_str(), &x.names)),
        );
    // kind → name → first use.
    let mut first: BTreeMap<&str, BTreeMap<&str, FirstUse>> = BTreeMap::new();
    for (file, names) in uses {
        for NameUse { kind, name, pos } in names.iter() {
            let at = first
                .entry(kind)
                .or_default()
                .entry(name)
                .or_insert((file, *pos));
            *at = (*at).min((file, *pos));
        }
    }
    let mut diags = Vec::new();
    for (kind, names) in first {
        diags.extend(problems_of_kind(kind, &names));
    }
    diags
}

fn problems_of_kind(kind: &str, names: &BTreeMap<&str, FirstUse>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let folder = format!("{kind}s");
    // Names in the order they are first written, so that the later spelling is the error.
    let mut ordered: Vec<(&str, FirstUse)> = names.iter().map(|(n, at)| (*n, *at)).collect();
    ordered.sort_by_key(|(name, at)| (*at, *name));
    let mut slugs: BTreeMap<String, (&str, FirstUse)> = BTreeMap::new();
    for (name, (file, pos)) in ordered {
        let s = slug(name);
        let shown = shorten(name);
        if s.is_empty() {
            diags.push(
                Diagnostic::error(
                    file,
                    pos,
                    format!("the {kind} name `{shown}` cannot become a page address"),
                )
                .with_label(format!(
                    "its page /{folder}/<name>/ is named by its letters and digits, and it has none"
                )),
            );
        } else if s.len() > MAX_SLUG_BYTES {
            diags.push(
                Diagnostic::error(file, pos, format!("the {kind} name `{shown}` is too long"))
                    .with_label(format!(
                        "its page address part is {} bytes; at most {MAX_SLUG_BYTES} fit in a file name",
                        s.len()
                    )),
            );
        } else if let Some((other, (other_file, other_pos))) = slugs.get(&s) {
            diags.push(
                Diagnostic::error(
                    file,
                    pos,
                    format!(
                        "the {kind} names `{shown}` and `{}` would share the page /{folder}/{s}/",
                        shorten(other)
                    ),
                )
                .with_label(format!("the same address as `{}`", shorten(other)))
                .with_help(format!(
                    "`{}` is at {other_file}:{}:{}; spell the {kind} the same way everywhere",
                    shorten(other),
                    other_pos.line,
                    other_pos.col
                )),
            );
        } else {
            slugs.insert(s, (name, (file, pos)));
        }
    }
    diags
}

/// A name cut to 60 characters for a message.
fn shorten(name: &str) -> String {
    match name.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &name[..i]),
        None => name.to_string(),
    }
}
