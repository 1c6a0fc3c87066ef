//! Diagnostics: what is wrong, where (file, line, column in the file), and how to print it
//! for people (`human`), for tools (`json`) and for GitHub Actions (`github`).

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a file: 1-based line and column (in characters), and the length of the
/// offending text in characters (at least 1 when shown with a caret).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
    pub len: u32,
}

impl Pos {
    pub fn new(line: u32, col: u32, len: u32) -> Self {
        Pos { line, col, len }
    }

    /// The start of a file, for problems with the file as a whole.
    pub fn file_start() -> Self {
        Pos::new(1, 1, 0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    pub pos: Pos,
    /// The headline: what is wrong.
    pub message: String,
    /// Shown under the caret: the value and what was expected.
    pub label: String,
    /// An extra line: a "did you mean" hint or where the other half of a conflict is.
    pub help: Option<String>,
    /// The text of the offending line, for the snippet (None for whole-file problems).
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn error(file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            pos,
            message: message.into(),
            label: String::new(),
            help: None,
            source_line: None,
        }
    }

    pub fn warning(file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, pos, message)
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attach the text of the offending line from the whole file's source.
    pub fn with_source(mut self, source: &str) -> Self {
        if self.pos.line > 0 {
            self.source_line = source
                .lines()
                .nth(self.pos.line as usize - 1)
                .map(|l| l.trim_end_matches('\r').to_string());
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The message with the label, on one line, for formats without a snippet.
    pub fn one_line(&self) -> String {
        let mut s = self.message.clone();
        if !self.label.is_empty() {
            s.push_str(": ");
            s.push_str(&self.label);
        }
        if let Some(help) = &self.help {
            s.push_str(" (");
            s.push_str(help);
            s.push(')');
        }
        s
    }

    /// rustc-style text with the source line and a caret under the offending value.
    pub fn render_human(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut groups: Vec<Group> = Vec::new();
        let title = level.primary_title(&self.message);
        let group = match &self.source_line {
            Some(line) => {
                let span = char_span(line, self.pos.col, self.pos.len);
                title.element(
                    Snippet::source(line.as_str())
                        .line_start(self.pos.line as usize)
                        .path(self.file.as_str())
                        .annotation(AnnotationKind::Primary.span(span).label(&self.label)),
                )
            }
            None => title.element(
                annotate_snippets::Origin::path(self.file.as_str())
                    .line(self.pos.line.max(1) as usize)
                    .char_column(self.pos.col.max(1) as usize),
            ),
        };
        groups.push(group);
        // With no snippet to hang it on, the label would otherwise be lost.
        if self.source_line.is_none() && !self.label.is_empty() {
            groups.push(Group::with_title(Level::NOTE.secondary_title(&self.label)));
        }
        if let Some(help) = &self.help {
            groups.push(Group::with_title(Level::HELP.secondary_title(help)));
        }
        renderer.render(&groups)
    }

    pub fn render_github(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!(
            "::{kind} file={},line={},col={}::{}",
            github_escape_property(&self.file),
            self.pos.line,
            self.pos.col,
            github_escape_data(&self.one_line())
        )
    }
}

/// Byte range in `line` covering `len` characters from 1-based character column `col`.
fn char_span(line: &str, col: u32, len: u32) -> std::ops::Range<usize> {
    let byte_at = |chars: usize| {
        line.char_indices()
            .nth(chars)
            .map(|(i, _)| i)
            .unwrap_or(line.len())
    };
    let start = byte_at(col.saturating_sub(1) as usize);
    let end = byte_at(col.saturating_sub(1) as usize + len.max(1) as usize);
    start..end.max(start)
}

fn github_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn github_escape_property(s: &str) -> String {
    github_escape_data(s)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    file: &'a str,
    line: u32,
    col: u32,
    message: String,
}

/// The `--format json` output: an array of `{severity, file, line, col, message}`.
pub fn render_json(diags: &[Diagnostic]) -> String {
    let rows: Vec<JsonDiagnostic> = diags
        .iter()
        .map(|d| JsonDiagnostic {
            severity: d.severity,
            file: &d.file,
            line: d.pos.line,
            col: d.pos.col,
            message: d.one_line(),
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".to_string())
}

/// Sort for stable output: by file, then position, then message.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.pos, a.severity, &a.message).cmp(&(&b.file, b.pos, b.severity, &b.message))
    });
}

/// The closest candidate to a near-miss name, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(given: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let given_lower = given.to_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&given_lower, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_output_points_at_the_value() {
        let src = "---\ntitle: x\nresolved: 2026-08-14T09:00:00Z\n";
        let d = Diagnostic::error(
            "content/postmortems/p.md",
            Pos::new(3, 11, 20),
            "`resolved` is earlier than `started`",
        )
        .with_label("12 minutes before started (line 6)")
        .with_source(src);
        let text = d.render_human(false);
        assert!(
            text.starts_with("error: `resolved` is earlier than `started`"),
            "{text}"
        );
        assert!(text.contains("--> content/postmortems/p.md:3:11"), "{text}");
        assert!(
            text.contains("3 | resolved: 2026-08-14T09:00:00Z"),
            "{text}"
        );
        assert!(
            text.contains("  |           ^^^^^^^^^^^^^^^^^^^^ 12 minutes before started (line 6)"),
            "{text}"
        );
    }

    #[test]
    fn human_output_without_a_snippet_keeps_the_column() {
        let d = Diagnostic::error("content/roadmap/a.md", Pos::new(5, 12, 1), "bad byte");
        let text = d.render_human(false);
        assert!(text.contains("content/roadmap/a.md:5:12"), "{text}");
        let d = Diagnostic::error("content/roadmap/a.md", Pos::file_start(), "empty");
        let text = d.render_human(false);
        assert!(text.contains("content/roadmap/a.md:1:1"), "{text}");
    }

    #[test]
    fn human_output_without_a_snippet_keeps_the_label() {
        let d = Diagnostic::error("a.yaml", Pos::new(1, 1, 1), "the file is empty")
            .with_label("an outcome needs at least a `title`");
        let text = d.render_human(false);
        assert!(
            text.contains("note: an outcome needs at least a `title`"),
            "{text}"
        );
    }

    #[test]
    fn github_annotations_escape_newlines_and_commas_in_paths() {
        let d = Diagnostic::warning("content/a,b.md", Pos::new(2, 3, 1), "two\nlines");
        assert_eq!(
            d.render_github(),
            "::warning file=content/a%2Cb.md,line=2,col=3::two%0Alines"
        );
    }

    #[test]
    fn near_misses_get_a_hint_and_far_ones_do_not() {
        let fields = ["title", "status", "depends_on", "baseline_target"];
        assert_eq!(did_you_mean("titel", &fields), Some("title"));
        assert_eq!(did_you_mean("depends-on", &fields), Some("depends_on"));
        assert_eq!(did_you_mean("Status", &fields), Some("status"));
        assert_eq!(did_you_mean("colour", &fields), None);
        let severities = ["SEV1", "SEV2", "SEV3"];
        assert_eq!(did_you_mean("sev1", &severities), Some("SEV1"));
        assert_eq!(did_you_mean("Sev3", &severities), Some("SEV3"));
    }
}
