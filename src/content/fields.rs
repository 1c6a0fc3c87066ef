//! Reading typed fields out of a YAML node tree, collecting every problem as a diagnostic
//! (unknown fields with a "did you mean", wrong types, missing fields, bad values) instead of
//! stopping at the first.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::dates;
use super::keywords::{Keyword, keyword_names, parse_keyword};
use super::yaml::{Node, Value};
use crate::diagnostics::{Diagnostic, Pos, did_you_mean};

/// A reference to another file's id, with where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref {
    pub id: String,
    pub pos: Pos,
}

impl serde::Serialize for Ref {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.id)
    }
}

/// A free-text name that becomes a page address (a team, a service), with where it is
/// written, so that a name that cannot be one is reported at its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameUse {
    /// `team` or `service`.
    pub kind: &'static str,
    pub name: String,
    pub pos: Pos,
}

/// Whether `id` matches `[a-z0-9][a-z0-9-]*`.
pub fn is_valid_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Everything needed to check one file: its path and text, the site timezone, and the
/// diagnostics found so far.
pub struct FileCtx<'a> {
    pub file: &'a str,
    pub source: &'a str,
    pub tz: &'a TimeZone,
    pub diags: Vec<Diagnostic>,
    /// Byte offset of each line's start in `source`, so that a file with thousands of
    /// problems does not rescan the text for each one.
    line_starts: Vec<usize>,
}

/// The entries of one YAML map, by key.
pub struct Fields<'n> {
    entries: Vec<(&'n str, &'n Node, &'n Node)>,
    pub pos: Pos,
}

impl<'n> Fields<'n> {
    /// The value of `name`, unless absent or written empty (`name:` / `~`).
    pub fn get(&self, name: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _, v)| *k == name && v.value != Value::Null)
            .map(|(_, _, v)| *v)
    }

    pub fn key_pos(&self, name: &str) -> Option<Pos> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == name)
            .map(|(_, k, _)| k.pos)
    }

    /// Where to point for this field: its value, else its key, else the map.
    pub fn pos_of(&self, name: &str) -> Pos {
        self.get(name)
            .map(|n| n.pos)
            .or_else(|| self.key_pos(name))
            .unwrap_or(self.pos)
    }
}

impl<'a> FileCtx<'a> {
    pub fn new(file: &'a str, source: &'a str, tz: &'a TimeZone) -> Self {
        let line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        FileCtx {
            file,
            source,
            tz,
            diags: Vec::new(),
            line_starts,
        }
    }

    /// The text of 1-based `line`, without its line ending.
    fn line_text(&self, line: u32) -> Option<String> {
        let i = (line as usize).checked_sub(1)?;
        let start = *self.line_starts.get(i)?;
        let end = self
            .line_starts
            .get(i + 1)
            .copied()
            .unwrap_or(self.source.len());
        if start >= self.source.len() {
            return None;
        }
        let text = &self.source[start..end];
        let text = text.strip_suffix('\n').unwrap_or(text);
        Some(text.trim_end_matches('\r').to_string())
    }

    fn push(&mut self, mut d: Diagnostic) {
        d.source_line = self.line_text(d.pos.line);
        self.diags.push(d);
    }

    pub fn error(&mut self, pos: Pos, message: impl Into<String>, label: impl Into<String>) {
        let d = Diagnostic::error(self.file, pos, message).with_label(label);
        self.push(d);
    }

    pub fn error_with_help(
        &mut self,
        pos: Pos,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = Diagnostic::error(self.file, pos, message)
            .with_label(label)
            .with_help(help);
        self.push(d);
    }

    pub fn warning(&mut self, pos: Pos, message: impl Into<String>, label: impl Into<String>) {
        let d = Diagnostic::warning(self.file, pos, message).with_label(label);
        self.push(d);
    }

    fn wrong_type(&mut self, node: &Node, field: &str, expected: &str) {
        self.error(
            node.pos,
            format!("wrong type for `{field}`"),
            format!("expected {expected}, found {}", node.kind()),
        );
    }

    /// Open a map, reporting keys not in `known` (with a hint when one is close).
    pub fn fields<'n>(
        &mut self,
        node: &'n Node,
        known: &[&'static str],
        what: &str,
    ) -> Option<Fields<'n>> {
        let Value::Map(entries) = &node.value else {
            let found = node.kind();
            self.error(
                node.pos,
                format!("expected {what} as a map of fields"),
                format!("found {found}"),
            );
            return None;
        };
        let mut fields = Fields {
            entries: Vec::new(),
            pos: node.pos,
        };
        for (key, value) in entries {
            let Value::Str(name) = &key.value else {
                self.error(
                    key.pos,
                    "field names must be text",
                    format!("found {}", key.kind()),
                );
                continue;
            };
            if !known.contains(&name.as_str()) {
                let message = format!("unknown field `{name}` in {what}");
                match did_you_mean(name, known) {
                    Some(hint) => self.error_with_help(
                        key.pos,
                        message,
                        "not a field of the format",
                        format!("did you mean `{hint}`?"),
                    ),
                    None => self.error_with_help(
                        key.pos,
                        message,
                        "not a field of the format",
                        format!("expected one of {}", quote_list(known)),
                    ),
                }
                continue;
            }
            fields.entries.push((name.as_str(), key, value));
        }
        Some(fields)
    }

    pub fn missing(&mut self, fields: &Fields, name: &str, what: &str) {
        // "an `id`", "an `owner`", but "a `unit`", "a `url`".
        let article = match name.as_bytes().first() {
            Some(b'a' | b'e' | b'i' | b'o') => "an",
            _ => "a",
        };
        let label = format!("{what} needs {article} `{name}`");
        match fields.key_pos(name) {
            Some(pos) => self.error(pos, format!("`{name}` has no value"), label),
            None => self.error(
                fields.pos,
                format!("missing required field `{name}`"),
                label,
            ),
        }
    }

    /// Text: strings, and numbers written without quotes (a title `2026`).
    pub fn string(&mut self, node: &Node, field: &str) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(_) | Value::Float(_) => Some(node.display()),
            _ => {
                self.wrong_type(node, field, "text");
                None
            }
        }
    }

    pub fn opt_string(&mut self, f: &Fields, name: &str) -> Option<String> {
        f.get(name).and_then(|n| self.string(n, name))
    }

    pub fn req_string(&mut self, f: &Fields, name: &str, what: &str) -> Option<String> {
        match f.get(name) {
            Some(n) => self.string(n, name),
            None => {
                self.missing(f, name, what);
                None
            }
        }
    }

    fn list<'n>(&mut self, f: &Fields<'n>, name: &str) -> &'n [Node] {
        match f.get(name) {
            Some(Node {
                value: Value::Seq(items),
                ..
            }) => items,
            Some(other) => {
                self.wrong_type(other, name, "a list");
                &[]
            }
            None => &[],
        }
    }

    pub fn string_list(&mut self, f: &Fields, name: &str) -> Vec<String> {
        let items = self.list(f, name);
        items.iter().filter_map(|n| self.string(n, name)).collect()
    }

    /// An optional text field that names a page (`team`), with where it is written.
    pub fn opt_name(&mut self, f: &Fields, field: &str, kind: &'static str) -> Option<NameUse> {
        let node = f.get(field)?;
        let name = self.string(node, field)?;
        Some(NameUse {
            kind,
            name,
            pos: node.pos,
        })
    }

    /// A list of texts that name pages (`services`, `teams`), each with where it is written.
    pub fn name_list(&mut self, f: &Fields, field: &str, kind: &'static str) -> Vec<NameUse> {
        let items = self.list(f, field);
        items
            .iter()
            .filter_map(|n| {
                let name = self.string(n, field)?;
                Some(NameUse {
                    kind,
                    name,
                    pos: n.pos,
                })
            })
            .collect()
    }

    /// A list of ids of other files (checked to exist later, when the model is built).
    pub fn ref_list(&mut self, f: &Fields, name: &str) -> Vec<Ref> {
        let items = self.list(f, name);
        items
            .iter()
            .filter_map(|n| self.reference(n, name))
            .collect()
    }

    pub fn reference(&mut self, node: &Node, field: &str) -> Option<Ref> {
        let id = self.string(node, field)?;
        if !is_valid_id(&id) {
            self.error(
                node.pos,
                format!("`{id}` is not a valid id"),
                "ids are lowercase letters, digits and `-`, starting with a letter or digit",
            );
            return None;
        }
        Some(Ref { id, pos: node.pos })
    }

    pub fn number(&mut self, node: &Node, field: &str) -> Option<f64> {
        match &node.value {
            Value::Int(i) => Some(*i as f64),
            Value::Float(x) if x.is_finite() => Some(*x),
            _ => {
                self.wrong_type(node, field, "a number");
                None
            }
        }
    }

    pub fn non_negative(&mut self, node: &Node, field: &str) -> Option<f64> {
        let v = self.number(node, field)?;
        if v < 0.0 {
            self.error(
                node.pos,
                format!("`{field}` cannot be negative"),
                format!("found {}, expected 0 or more", node.display()),
            );
            return None;
        }
        Some(v)
    }

    pub fn bool(&mut self, node: &Node, field: &str) -> Option<bool> {
        match &node.value {
            Value::Bool(b) => Some(*b),
            _ => {
                self.wrong_type(node, field, "true or false");
                None
            }
        }
    }

    pub fn keyword<T: Keyword>(&mut self, node: &Node, field: &str) -> Option<T> {
        let Value::Str(text) = &node.value else {
            let expected = format!("one of {}", quote_list(&keyword_names::<T>()));
            self.wrong_type(node, field, &expected);
            return None;
        };
        if let Some(v) = parse_keyword::<T>(text) {
            return Some(v);
        }
        let names = keyword_names::<T>();
        let label = format!("expected one of {}", quote_list(&names));
        match did_you_mean(text, &names) {
            Some(hint) => self.error_with_help(
                node.pos,
                format!("`{text}` is not a valid `{field}`"),
                label,
                format!("did you mean `{hint}`?"),
            ),
            None => self.error(
                node.pos,
                format!("`{text}` is not a valid `{field}`"),
                label,
            ),
        }
        None
    }

    pub fn opt_keyword<T: Keyword>(&mut self, f: &Fields, name: &str) -> Option<T> {
        f.get(name).and_then(|n| self.keyword(n, name))
    }

    pub fn req_keyword<T: Keyword>(&mut self, f: &Fields, name: &str, what: &str) -> Option<T> {
        match f.get(name) {
            Some(n) => self.keyword(n, name),
            None => {
                self.missing(f, name, what);
                None
            }
        }
    }

    pub fn date(&mut self, node: &Node, field: &str) -> Option<Date> {
        let Value::Str(text) = &node.value else {
            self.wrong_type(node, field, "a date like 2026-08-14");
            return None;
        };
        match dates::parse_date(text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(node.pos, format!("invalid date in `{field}`"), e);
                None
            }
        }
    }

    pub fn opt_date(&mut self, f: &Fields, name: &str) -> Option<Date> {
        f.get(name).and_then(|n| self.date(n, name))
    }

    pub fn req_date(&mut self, f: &Fields, name: &str, what: &str) -> Option<Date> {
        match f.get(name) {
            Some(n) => self.date(n, name),
            None => {
                self.missing(f, name, what);
                None
            }
        }
    }

    pub fn datetime(&mut self, node: &Node, field: &str) -> Option<Timestamp> {
        let Value::Str(text) = &node.value else {
            self.wrong_type(node, field, "a date-time like 2026-08-14T09:12:00Z");
            return None;
        };
        match dates::parse_datetime(text, self.tz) {
            Ok(t) => Some(t),
            Err(e) => {
                self.error(node.pos, format!("invalid date-time in `{field}`"), e);
                None
            }
        }
    }

    pub fn opt_datetime(&mut self, f: &Fields, name: &str) -> Option<Timestamp> {
        f.get(name).and_then(|n| self.datetime(n, name))
    }

    pub fn req_datetime(&mut self, f: &Fields, name: &str, what: &str) -> Option<Timestamp> {
        match f.get(name) {
            Some(n) => self.datetime(n, name),
            None => {
                self.missing(f, name, what);
                None
            }
        }
    }

    /// Working days: `3`, `2.5`, `"3d"`, `"2w"`.
    pub fn effort(&mut self, f: &Fields, name: &str) -> Option<f64> {
        let node = f.get(name)?;
        let parsed = match &node.value {
            Value::Int(_) | Value::Float(_) => {
                let v = self.number(node, name)?;
                if v < 0.0 {
                    Err(format!(
                        "effort cannot be negative, found {}",
                        node.display()
                    ))
                } else {
                    Ok(v)
                }
            }
            Value::Str(s) => dates::parse_effort_text(s),
            _ => Err(format!(
                "expected working days (3, 2.5, \"3d\", \"2w\"), found {}",
                node.kind()
            )),
        };
        match parsed {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(node.pos, format!("invalid effort in `{name}`"), e);
                None
            }
        }
    }

    /// The list items of `name` that are maps, each opened with `known` fields.
    pub fn map_list<'n>(
        &mut self,
        f: &Fields<'n>,
        name: &str,
        known: &[&'static str],
        what: &str,
    ) -> Vec<(Fields<'n>, Pos)> {
        let items = self.list(f, name);
        items
            .iter()
            .filter_map(|n| self.fields(n, known, what).map(|fl| (fl, n.pos)))
            .collect()
    }
}

pub fn quote_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_lines_match_str_lines() {
        let tz = TimeZone::UTC;
        for text in ["", "a", "a\n", "a\r\nb\r\n", "a\n\nc", "ü\r\n\r\nlast"] {
            let cx = FileCtx::new("f", text, &tz);
            let want: Vec<&str> = text.lines().collect();
            for line in 0..=want.len() as u32 + 1 {
                let expected = (line as usize)
                    .checked_sub(1)
                    .and_then(|i| want.get(i))
                    .map(|l| l.trim_end_matches('\r').to_string());
                assert_eq!(cx.line_text(line), expected, "{text:?} line {line}");
            }
        }
    }
}
