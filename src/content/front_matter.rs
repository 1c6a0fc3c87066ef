//! Splitting a Markdown file into its YAML front matter and its body.

use crate::diagnostics::{Diagnostic, Pos};

#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// The file line on which `yaml` starts (1-based).
    pub yaml_line: u32,
    pub body: &'a str,
    /// The file line on which `body` starts.
    pub body_line: u32,
}

/// Drop a UTF-8 byte-order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', '\n']).trim_end() == "---"
}

/// Split `text` (BOM already stripped) into front matter and body. CRLF line endings are
/// accepted; the body may be empty.
#[allow(clippy::result_large_err)] // one diagnostic per file, built once
pub fn split<'a>(text: &'a str, file: &str) -> Result<Split<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(
            Diagnostic::error(file, Pos::file_start(), "the file is empty").with_help(
                "start the file with a `---` line, the YAML fields, and another `---` line",
            ),
        );
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if !is_fence(first) {
        return Err(
            Diagnostic::error(file, Pos::new(1, 1, 1), "missing front matter")
                .with_label("expected `---` on the first line")
                .with_help(
                    "front matter is the YAML between a first line `---` and the next line `---`",
                )
                .with_source(text),
        );
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (line_no, line) in (2u32..).zip(lines) {
        if is_fence(line) {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + line.len()..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error(file, Pos::new(1, 1, 3), "the front matter is never closed")
            .with_label("opened here")
            .with_help("end the front matter with a line `---` before the Markdown body")
            .with_source(text),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body_with_line_numbers() {
        let s = split("---\ntitle: A\n---\n# Body\n", "f").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let text = strip_bom("\u{feff}---\r\ntitle: A\r\n---\r\nbody\r\n");
        let s = split(text, "f").unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "body\r\n");
    }

    #[test]
    fn empty_body_and_no_trailing_newline() {
        let s = split("---\ntitle: A\n---", "f").unwrap();
        assert_eq!(s.body, "");
        let s = split("---\n---\n", "f").unwrap();
        assert_eq!(s.yaml, "");
    }

    #[test]
    fn a_fence_inside_the_body_is_body() {
        let s = split("---\na: 1\n---\ntext\n---\nmore\n", "f").unwrap();
        assert_eq!(s.body, "text\n---\nmore\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_one() {
        let err = split("---\ntitle: A\nbody\n", "f").unwrap_err();
        assert_eq!(err.pos.line, 1);
        assert_eq!(err.message, "the front matter is never closed");
    }

    #[test]
    fn empty_file_and_missing_fence_are_errors() {
        assert_eq!(split("", "f").unwrap_err().message, "the file is empty");
        assert_eq!(
            split("title: A\n", "f").unwrap_err().message,
            "missing front matter"
        );
    }
}
