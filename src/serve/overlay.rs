//! The error overlay: while the site has errors, every served page shows them on top of
//! the last good build — file:line:col, message, the source line with a caret, label, help.

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity};

/// The element id the live script looks for.
pub const ID: &str = "__throughline-overlay";

const STYLE: &str = "\
#__throughline-overlay{position:fixed;inset:0;z-index:2147483647;overflow:auto;\
background:rgba(16,16,20,.94);color:#e8e8e8;padding:2rem 1rem;text-align:left;\
font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}\
#__throughline-overlay .tl-box{max-width:62rem;margin:0 auto}\
#__throughline-overlay header{display:flex;gap:1rem;align-items:baseline;justify-content:space-between;\
border-bottom:1px solid #444;padding-bottom:.75rem;margin-bottom:1rem;font-family:system-ui,sans-serif}\
#__throughline-overlay header p{margin:0}\
#__throughline-overlay button{font:inherit;background:#333;color:#eee;border:1px solid #666;\
border-radius:4px;padding:.2rem .7rem;cursor:pointer}\
#__throughline-overlay section{margin:0 0 1.5rem}\
#__throughline-overlay p{margin:.2rem 0}\
#__throughline-overlay .tl-error .tl-severity{color:#ff7b72;font-weight:bold}\
#__throughline-overlay .tl-warning .tl-severity{color:#e3b341;font-weight:bold}\
#__throughline-overlay .tl-location{color:#79c0ff}\
#__throughline-overlay pre{margin:.4rem 0;padding:.5rem .75rem;background:#0b0b0e;border-radius:4px;\
overflow:auto;white-space:pre;font:inherit}\
#__throughline-overlay .tl-gutter{color:#777}\
#__throughline-overlay .tl-error .tl-caret{color:#ff7b72}\
#__throughline-overlay .tl-warning .tl-caret{color:#e3b341}\
#__throughline-overlay .tl-help{color:#a5d6ff}";

/// The overlay as an HTML fragment (its own styles included), or None without errors.
pub fn html(diags: &[Diagnostic]) -> Option<String> {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    if errors == 0 {
        return None;
    }
    let mut out = format!(
        "<div id=\"{ID}\" role=\"alertdialog\" aria-modal=\"true\" aria-labelledby=\"{ID}-title\">\
         <style>{STYLE}</style><div class=\"tl-box\"><header><p id=\"{ID}-title\"><strong>{}</strong> \
         — the page underneath is the last good build; it reloads when the errors are fixed.</p>\
         <button type=\"button\" onclick=\"this.closest('#{ID}').remove()\">Dismiss</button></header>",
        escape(&plural(errors, "error"))
    );
    for d in diags {
        out.push_str(&diagnostic(d));
    }
    out.push_str("</div></div>");
    Some(out)
}

fn plural(n: usize, word: &str) -> String {
    format!("The site has {n} {word}{}", if n == 1 { "" } else { "s" })
}

fn diagnostic(d: &Diagnostic) -> String {
    let (class, severity) = match d.severity {
        Severity::Error => ("tl-error", "error"),
        Severity::Warning => ("tl-warning", "warning"),
    };
    let mut out = format!(
        "<section class=\"{class}\"><p><span class=\"tl-severity\">{severity}</span>: {}</p>",
        escape(&d.message)
    );
    // Problems with the site as a whole have no file.
    if !d.file.is_empty() {
        out.push_str(&format!(
            "<p class=\"tl-location\">{}:{}:{}</p>",
            escape(&d.file),
            d.pos.line.max(1),
            d.pos.col.max(1)
        ));
    }
    match &d.source_line {
        Some(line) => {
            let number = d.pos.line.max(1).to_string();
            let pad = " ".repeat(number.len());
            let lead: String = line
                .chars()
                .take(d.pos.col.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let carets = "^".repeat(d.pos.len.max(1) as usize);
            let label = if d.label.is_empty() {
                String::new()
            } else {
                format!(" {}", escape(&d.label))
            };
            out.push_str(&format!(
                "<pre><span class=\"tl-gutter\">{number} | </span>{}\n\
                 <span class=\"tl-gutter\">{pad} | </span><span class=\"tl-caret\">{lead}{carets}{label}</span></pre>",
                escape(line)
            ));
        }
        None if !d.label.is_empty() => {
            out.push_str(&format!("<p>{}</p>", escape(&d.label)));
        }
        None => {}
    }
    if let Some(help) = &d.help {
        out.push_str(&format!("<p class=\"tl-help\">help: {}</p>", escape(help)));
    }
    out.push_str("</section>");
    out
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    file: &'a str,
    line: u32,
    col: u32,
    len: u32,
    message: &'a str,
    label: &'a str,
    help: Option<&'a str>,
    source_line: Option<&'a str>,
}

#[derive(Serialize)]
struct ErrorEvent<'a> {
    errors: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    /// The overlay, rendered here so that the page shows exactly what a reload would.
    html: String,
}

/// The data of the `error` event: `{errors, diagnostics: [...], html}` on one line.
pub fn event_json(diags: &[Diagnostic]) -> String {
    let event = ErrorEvent {
        errors: diags.iter().filter(|d| d.is_error()).count(),
        diagnostics: diags
            .iter()
            .map(|d| JsonDiagnostic {
                severity: d.severity,
                file: &d.file,
                line: d.pos.line,
                col: d.pos.col,
                len: d.pos.len,
                message: &d.message,
                label: &d.label,
                help: d.help.as_deref(),
                source_line: d.source_line.as_deref(),
            })
            .collect(),
        html: html(diags).unwrap_or_default(),
    };
    serde_json::to_string(&event).unwrap_or_else(|_| "{}".to_string())
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Pos;

    #[test]
    fn shows_location_source_caret_label_and_help() {
        let d = Diagnostic::error(
            "content/roadmap/a.md",
            Pos::new(4, 9, 6),
            "unknown status `plannd`",
        )
        .with_label("expected one of idea, planned, <in-progress>")
        .with_help("did you mean `planned`?")
        .with_source("---\ntitle: A\ntype: feature\nstatus: plannd\n");
        let html = html(std::slice::from_ref(&d)).unwrap();
        assert!(html.contains("The site has 1 error</strong>"), "{html}");
        assert!(html.contains("unknown status `plannd`"), "{html}");
        assert!(html.contains("content/roadmap/a.md:4:9"), "{html}");
        assert!(
            html.contains(
                "4 | </span>status: plannd\n<span class=\"tl-gutter\">  | </span>\
                 <span class=\"tl-caret\">        ^^^^^^ expected one of idea, planned, &lt;in-progress&gt;</span>"
            ),
            "{html}"
        );
        assert!(html.contains("help: did you mean `planned`?"), "{html}");

        let json: serde_json::Value = serde_json::from_str(&event_json(&[d])).unwrap();
        assert_eq!(json["errors"], 1);
        assert_eq!(json["diagnostics"][0]["line"], 4);
        assert_eq!(json["diagnostics"][0]["file"], "content/roadmap/a.md");
        assert!(json["html"].as_str().unwrap().contains(ID));
    }

    #[test]
    fn no_overlay_for_warnings_alone() {
        let w = Diagnostic::warning(
            "content/roadmap/a.md",
            Pos::new(1, 1, 1),
            "no rollback plan",
        );
        assert_eq!(html(&[w]), None);
    }
}
