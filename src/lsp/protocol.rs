//! The few Language Server Protocol shapes the server reads and writes, as the protocol
//! spells them in JSON (camelCase, absent fields left out). Everything else travels as
//! `serde_json::Value`.

use serde::{Deserialize, Serialize};

/// A place in a document: zero-based line, and column in UTF-16 code units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

impl Position {
    pub fn new(line: u32, character: u32) -> Position {
        Position { line, character }
    }
}

/// A span of a document, end exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

impl Range {
    pub fn new(start: Position, end: Position) -> Range {
        Range { start, end }
    }
}

/// Replace `range` with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TextEdit {
    pub range: Range,
    pub new_text: String,
}

impl TextEdit {
    pub fn new(range: Range, new_text: String) -> TextEdit {
        TextEdit { range, new_text }
    }
}

/// The icon an editor shows next to a completion (`CompletionItemKind` in the protocol).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Value,
    Property,
    EnumMember,
    Reference,
}

impl Serialize for CompletionKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(match self {
            CompletionKind::Value => 12,
            CompletionKind::Property => 10,
            CompletionKind::EnumMember => 20,
            CompletionKind::Reference => 18,
        })
    }
}

/// Markdown shown beside a completion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Markdown {
    kind: &'static str,
    value: String,
}

impl Markdown {
    pub fn new(value: String) -> Markdown {
        Markdown {
            kind: "markdown",
            value,
        }
    }
}

/// One completion: what is shown, and the edit that inserts it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<Markdown>,
    pub sort_text: String,
    pub filter_text: String,
    pub text_edit: TextEdit,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_items_are_written_as_the_protocol_spells_them() {
        let at = |c| Position::new(3, c);
        let item = CompletionItem {
            label: "status".into(),
            kind: CompletionKind::Property,
            detail: None,
            documentation: Some(Markdown::new("**status**".into())),
            sort_text: "00002".into(),
            filter_text: "status".into(),
            text_edit: TextEdit::new(Range::new(at(0), at(2)), "status: ".into()),
        };
        let json = serde_json::to_value(&item).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "label": "status",
                "kind": 10,
                "documentation": {"kind": "markdown", "value": "**status**"},
                "sortText": "00002",
                "filterText": "status",
                "textEdit": {
                    "range": {"start": {"line": 3, "character": 0},
                              "end": {"line": 3, "character": 2}},
                    "newText": "status: ",
                },
            })
        );
    }
}
