//! The YAML content files are almost always written in: maps, lists and scalars whose
//! meaning is plain (words, dates, decimal numbers, `true`, `null`), without anchors,
//! aliases, tags or duplicate keys. Such a document is read here straight from the
//! parser's events, which takes about half the time of going through serde.
//!
//! Anything else — an alias, a tag, a scalar that could mean more than one thing, a key
//! that is not a plain string, a repeated key, a syntax error — makes [`parse`] give up
//! (`None`), and the caller reads the document with serde-saphyr, which reports every
//! error and applies every rule. So this module never decides what is valid, and for the
//! documents it does read it gives exactly the tree serde-saphyr gives (a test compares
//! the two on every document of the example and the benchmark corpus).

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, Span};

use super::yaml::{Node, Value};
use crate::diagnostics::Pos;

/// The deepest nesting read here; deeper documents go to serde-saphyr and its limit.
const MAX_DEPTH: usize = 40;

/// The node tree of `text`, with lines counted from 1, or `None` when the document needs
/// serde-saphyr.
pub fn parse(text: &str) -> Option<Node> {
    // serde-saphyr's parser settings (its defaults are the parser's), without comments.
    let options = serde_saphyr::granit_parser::options! { emit_comments: false };
    let events = Parser::new_from_str_with_options(text, options);
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    for next in events {
        let (event, span) = next.ok()?;
        let node = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
                continue;
            }
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                Node {
                    value: scalar(&text, style)?,
                    pos: position(&span, true),
                }
            }
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                if anchor != 0 || tag.is_some() || stack.len() >= MAX_DEPTH {
                    return None;
                }
                let is_map = matches!(event, Event::MappingStart(..));
                stack.push(Open {
                    pos: position(&span, false),
                    items: Vec::new(),
                    is_map,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let open = stack.pop()?;
                let value = if open.is_map {
                    let mut entries = Vec::with_capacity(open.items.len() / 2);
                    let mut items = open.items.into_iter();
                    while let Some(key) = items.next() {
                        let value = items.next()?;
                        if !matches!(key.value, Value::Str(_)) {
                            return None;
                        }
                        entries.push((key, value));
                    }
                    if has_repeated_key(&entries) {
                        return None;
                    }
                    Value::Map(entries)
                } else {
                    Value::Seq(open.items)
                };
                Node {
                    value,
                    pos: open.pos,
                }
            }
            _ => return None,
        };
        match stack.last_mut() {
            Some(open) => open.items.push(node),
            None if root.is_none() => root = Some(node),
            None => return None,
        }
    }
    if !stack.is_empty() {
        return None;
    }
    root
}

/// Whether two keys of a map are the same string.
fn has_repeated_key(entries: &[(Node, Node)]) -> bool {
    let mut names: Vec<&str> = entries
        .iter()
        .filter_map(|(k, _)| match &k.value {
            Value::Str(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    names.sort_unstable();
    names.windows(2).any(|w| w[0] == w[1])
}

/// A list or map whose end has not been read yet.
struct Open {
    pos: Pos,
    /// Elements of a list; keys and values, alternating, of a map.
    items: Vec<Node>,
    is_map: bool,
}

/// Where a node starts; a scalar's length is its length in the source.
fn position(span: &Span, scalar: bool) -> Pos {
    let len = if scalar {
        span.len().clamp(1, u32::MAX as usize) as u32
    } else {
        1
    };
    Pos::new(span.start.line() as u32, span.start.col() as u32 + 1, len)
}

/// What a scalar means, when that is beyond doubt.
fn scalar(text: &str, style: ScalarStyle) -> Option<Value> {
    match style {
        ScalarStyle::SingleQuoted
        | ScalarStyle::DoubleQuoted
        | ScalarStyle::Literal
        | ScalarStyle::Folded => Some(Value::Str(text.to_string())),
        ScalarStyle::Plain => plain(text),
    }
}

/// A plain (unquoted) scalar: `null`, `true`/`false`, a whole or decimal number, a date, or
/// text that cannot be read as anything else. Every other spelling (`yes`, `0x1F`, `1e3`,
/// `.inf`, `007`, `+1`, `19d`, …) is left to serde-saphyr.
fn plain(text: &str) -> Option<Value> {
    match text {
        "" | "~" | "null" => return Some(Value::Null),
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        _ => {}
    }
    let first = text.chars().next()?;
    if first.is_ascii_digit() || first == '-' {
        if let Some(n) = decimal_int(text) {
            return Some(Value::Int(n));
        }
        if is_decimal_float(text) {
            return text.parse().ok().map(Value::Float);
        }
        // A date, or a character no number of any YAML schema has (`2025-08-29-pdf-backlog`).
        let never_numeric = |c: char| !(c.is_ascii_hexdigit() || "xXoObB._+:-".contains(c));
        if is_date(text) || text.chars().any(never_numeric) {
            return Some(Value::Str(text.to_string()));
        }
        return None;
    }
    // Text: starts with a letter and is not one of the words YAML schemas give a meaning.
    if !first.is_alphabetic() {
        return None;
    }
    let word = text.to_ascii_lowercase();
    if matches!(
        word.as_str(),
        "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "nan" | "inf"
    ) {
        return None;
    }
    Some(Value::Str(text.to_string()))
}

/// `0`, `42`, `-7`: no sign but minus, no leading zeros, fits an i64.
fn decimal_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let plain = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if plain { text.parse().ok() } else { None }
}

/// `0.5`, `-12.25`, `3.0`: digits, one dot, digits.
fn is_decimal_float(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let Some((whole, fraction)) = digits.split_once('.') else {
        return false;
    };
    !whole.is_empty()
        && !fraction.is_empty()
        && (whole == "0" || !whole.starts_with('0'))
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// `2026-03-01`, optionally followed by a time: `2026-03-01T09:30:00+01:00`.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let date = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    date && (b.len() == 10 || matches!(b[10], b'T' | b't'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree serde-saphyr gives for `text`.
    fn reference(text: &str) -> Option<Node> {
        super::super::yaml::parse_with_serde(text).ok()
    }

    #[test]
    fn plain_documents_read_the_same_as_with_serde() {
        let docs = [
            "title: Hello\nestimate: 3\n",
            "a: 2.5\nb: \"3\"\nc: 2026-01-05\ne: true\nf:\ng: ~\nh: null\n",
            "rice: {reach: 3662, impact: 2, confidence: 0.8, effort: 7}\nservices: [web, notifications]\n",
            "measurements:\n  - {date: 2025-07-10, value: 18.7}\n  - {date: 2025-07-17, value: -19}\n",
            "started: 2026-09-03T14:12:00+02:00\nsummary: 'quoted: text'\nbody: |\n  line one\n  line two\nfolded: >\n  a\n  b\n",
            "title: Zürich straße ✓\nowner: Ünal\nlist:\n- a\n- b: c\n  d: [1, 2]\n",
            "key: value # comment\n# whole line\nother: x\n",
            "postmortems: [2025-08-29-pdf-backlog]\nestimate: 3 weeks\nwhen: 3w\n",
            "- 1\n- 2\n",
            "just text\n",
            "unit: \"%\"\nzero: 0\nneg: -0.5\nbig: 9007199254740993\n",
            "\u{feff}title: with a byte order mark\n",
            "title: x\r\nowner: crlf\r\n",
            "title:\ttab after colon\n",
            "title: \"escapes \\u00e9 \\t\"\nempty: ''\nlist: []\nmap: {}\n",
        ];
        for doc in docs {
            let fast = parse(doc);
            assert!(fast.is_some(), "should be read here: {doc:?}");
            assert_eq!(fast, reference(doc), "{doc:?}");
        }
    }

    #[test]
    fn anything_unusual_is_left_to_serde() {
        let docs = [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: yes\n",
            "a: 0x1F\n",
            "a: 1e3\n",
            "a: .inf\n",
            "a: 007\n",
            "a: +1\n",
            "a: 1_000\n",
            "a: 12:30\n",
            "a: 1\na: 2\n",
            "a: 1\nb: {c: 1, d: 2, c: 3}\n",
            "? [a, b]\n: c\n",
            "1: one\n",
            "a: [1, 2\n",
            "a: b\n---\nc: d\n",
            "a: 19d\n",
            "a: True\n",
            "a: NULL\n",
        ];
        for doc in docs {
            assert_eq!(parse(doc), None, "{doc:?}");
        }
    }

    /// Every YAML document under `dir` (front matter of .md files, whole .yaml files).
    fn documents(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                documents(&path, out);
                continue;
            }
            let name = path.display().to_string();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if name.ends_with(".yaml") || name.ends_with(".yml") {
                out.push((name, text));
            } else if name.ends_with(".md")
                && let Ok(split) = super::super::front_matter::split(&text, &name)
            {
                out.push((name, split.yaml.to_string()));
            }
        }
    }

    /// The example report and every test fixture (valid and invalid), plus the folder named
    /// by `THROUGHLINE_YAML_CORPUS` when set (e.g. the benchmark corpus): wherever a document
    /// is read here, the tree equals serde-saphyr's.
    #[test]
    fn every_document_in_the_repository_reads_the_same() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut docs = Vec::new();
        documents(&root.join("content"), &mut docs);
        let example = docs.len();
        documents(&root.join("tests"), &mut docs);
        if let Some(dir) = std::env::var_os("THROUGHLINE_YAML_CORPUS") {
            documents(std::path::Path::new(&dir), &mut docs);
        }
        let site = std::fs::read_to_string(root.join("site.yaml")).unwrap();
        docs.push(("site.yaml".into(), site));
        let mut fast = 0;
        for (i, (name, text)) in docs.iter().enumerate() {
            if text.trim().is_empty() {
                continue;
            }
            if let Some(node) = parse(text) {
                assert_eq!(Some(node), reference(text), "{name}");
                fast += 1;
            } else {
                assert!(
                    i >= example,
                    "{name}: the example's documents are all plain"
                );
            }
        }
        assert!(
            fast > 40,
            "only {fast} of {} documents read here",
            docs.len()
        );
    }

    /// Small edits of the example's documents (characters YAML gives meaning to, inserted,
    /// deleted or replaced at random places): wherever one is read here it reads as with
    /// serde, and nothing panics. `THROUGHLINE_YAML_MUTATIONS` sets how many (default 2,000).
    #[test]
    fn edited_documents_read_the_same_or_go_to_serde() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut docs = Vec::new();
        documents(&root.join("content"), &mut docs);
        assert!(!docs.is_empty());
        let rounds: usize = std::env::var("THROUGHLINE_YAML_MUTATIONS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(2_000);
        const PIECES: [&str; 24] = [
            ":", " ", "-", "\n", "\t", "#", "'", "\"", "[", "]", "{", "}", ",", "&a", "*a",
            "!!str ", "? ", "|", ">", "0", "1.5", "yes", "é", "\u{feff}",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n.max(1) as u64) as usize
        };
        let mut same = 0;
        for _ in 0..rounds {
            let (_, text) = &docs[next(docs.len())];
            let mut text = text.clone();
            for _ in 0..1 + next(3) {
                let mut at = next(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                match next(3) {
                    0 => text.insert_str(at, PIECES[next(PIECES.len())]),
                    1 => {
                        if let Some(c) = text[at..].chars().next() {
                            text.replace_range(at..at + c.len_utf8(), "");
                        }
                    }
                    _ => {
                        if let Some(c) = text[at..].chars().next() {
                            text.replace_range(at..at + c.len_utf8(), PIECES[next(PIECES.len())]);
                        }
                    }
                }
            }
            if text.trim().is_empty() {
                continue;
            }
            if let Some(node) = parse(&text) {
                assert_eq!(Some(node), reference(&text), "{text:?}");
                same += 1;
            }
        }
        assert!(same > rounds / 4, "only {same} of {rounds} read here");
    }

    #[test]
    fn deep_nesting_is_left_to_serde() {
        let text = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert_eq!(parse(&text), None);
    }
}
