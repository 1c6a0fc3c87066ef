//! `throughline init [DIR]`: a new report — site.yaml, a small sample that links every kind
//! of content to the others, a GitHub Pages workflow and a .gitignore.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::ToSpan;
use jiff::civil::Date;

use super::Exit;

mod next_steps;

/// The starter files: path in the new site, text with placeholders (see [`expand`]).
const FILES: &[(&str, &str)] = &[
    ("site.yaml", include_str!("init/site.yaml")),
    (".gitignore", include_str!("init/gitignore")),
    (
        ".github/workflows/pages.yml",
        include_str!("init/pages.yml"),
    ),
    (
        "content/roadmap/saved-searches.md",
        include_str!("init/content/roadmap/saved-searches.md"),
    ),
    (
        "content/roadmap/retire-legacy-payment-sdk.md",
        include_str!("init/content/roadmap/retire-legacy-payment-sdk.md"),
    ),
    (
        "content/roadmap/search-index-rebuild.md",
        include_str!("init/content/roadmap/search-index-rebuild.md"),
    ),
    (
        "content/roadmap/one-click-reorder.md",
        include_str!("init/content/roadmap/one-click-reorder.md"),
    ),
    (
        "content/outcomes/checkout-conversion.yaml",
        include_str!("init/content/outcomes/checkout-conversion.yaml"),
    ),
    (
        "content/outcomes/search-latency-p95.md",
        include_str!("init/content/outcomes/search-latency-p95.md"),
    ),
    (
        "content/postmortems/search-outage.md",
        include_str!("init/content/postmortems/search-outage.md"),
    ),
    (
        "content/postmortems/checkout-card-errors.md",
        include_str!("init/content/postmortems/checkout-card-errors.md"),
    ),
    (
        "content/pages/about.md",
        include_str!("init/content/pages/about.md"),
    ),
];

/// Editor support: the JSON Schemas of `throughline schema`, and VS Code settings that map
/// them to site.yaml and the outcome files (the YAML extension reads no Markdown front
/// matter; `throughline lsp` covers those files).
pub fn editor_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = crate::schema::all()
        .into_iter()
        .map(|(name, text)| (format!("schemas/{name}"), text))
        .collect();
    files.push((
        ".vscode/settings.json".into(),
        include_str!("init/vscode-settings.json").into(),
    ));
    files.push((
        ".vscode/extensions.json".into(),
        include_str!("init/vscode-extensions.json").into(),
    ));
    files
}

/// What the placeholders in the starter files stand for.
pub struct Starter {
    /// The site title, as written in site.yaml (unquoted).
    pub title: String,
    /// Sample dates are days before or after this one, so a new report looks current.
    pub today: Date,
}

/// Every starter file with its placeholders filled in: `{{title}}` (a quoted YAML string),
/// `{{version}}` (this program's version), `{{format}}` (the content format it writes),
/// `{{repository}}` (where its releases are published) and `{{today}}`, `{{today-N}}`, `{{today+N}}`
/// (dates N days from today).
pub fn starter_files(starter: &Starter) -> Result<Vec<(&'static str, String)>, String> {
    FILES
        .iter()
        .map(|(path, text)| {
            expand(text, starter)
                .map(|t| (*path, t))
                .map_err(|e| format!("{path}: {e}"))
        })
        .collect()
}

pub fn expand(text: &str, starter: &Starter) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        // A placeholder is a name such as `today-45` right inside the braces; anything else,
        // like the GitHub Actions expression `${{ github.ref }}`, is kept as written.
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '+'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        let value = if after[name_len..].starts_with("}}") {
            match name {
                "title" => Some(yaml_string(&starter.title)),
                "version" => Some(crate::version::VERSION.to_string()),
                "format" => Some(crate::version::CONTENT_FORMAT.to_string()),
                "repository" => Some(env!("CARGO_PKG_REPOSITORY").to_string()),
                _ => match name.strip_prefix("today") {
                    Some(offset) => Some(shifted(starter.today, offset)?.to_string()),
                    None => None,
                },
            }
        } else {
            None
        };
        out.push_str(&rest[..start]);
        match value {
            Some(v) => {
                out.push_str(&v);
                rest = &after[name_len + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// `today` moved by an offset written `""`, `-45` or `+30` (days).
fn shifted(today: Date, offset: &str) -> Result<Date, String> {
    let days: i32 = match offset {
        "" => 0,
        _ if offset.starts_with(['-', '+']) => offset
            .parse()
            .map_err(|_| format!("bad day offset `{offset}`"))?,
        _ => return Err(format!("bad day offset `{offset}`")),
    };
    today
        .checked_add(days.days())
        .map_err(|e| format!("cannot move {today} by {days} days: {e}"))
}

/// A double-quoted YAML string: safe whatever the folder is called.
fn yaml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A title from a folder name: `product-report` → `Product report`.
pub fn title_from_name(name: &str) -> String {
    let words: Vec<&str> = name
        .split(|c: char| c == '-' || c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Product report".to_string(),
    }
}

/// Whether `dir` can take a new report: absent, or an empty folder (a lone `.git` is fine:
/// `git init` or a fresh clone comes first for many people).
fn check_target(dir: &Path) -> Result<(), String> {
    let shown = dir.display();
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(format!("{shown} exists and is not a folder"));
    }
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read the folder {shown}: {e}"))?;
    let mut found: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name != ".git")
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    found.sort();
    let mut names: Vec<String> = found.iter().take(3).map(|n| format!("`{n}`")).collect();
    if found.len() > 3 {
        names.push(format!("{} more", found.len() - 3));
    }
    Err(format!(
        "refusing to create a report in {shown}: the folder is not empty (it has {}); name a new folder, or run `throughline init` in an empty one",
        names.join(", ")
    ))
}

/// Write every file, never over an existing one; on failure remove what was written.
fn write_all(dir: &Path, files: &[(String, String)]) -> Result<(), String> {
    let mut made: Vec<PathBuf> = Vec::new();
    let result = (|| {
        if !dir.exists() {
            create_dirs(dir, &mut made)?;
        }
        for (rel, text) in files {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                create_dirs(parent, &mut made)?;
            }
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
            made.push(path.clone());
            file.write_all(text.as_bytes())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        Ok(())
    })();
    if result.is_err() {
        for path in made.iter().rev() {
            if path.is_dir() {
                let _ = fs::remove_dir(path);
            } else {
                let _ = fs::remove_file(path);
            }
        }
    }
    result
}

/// `create_dir_all` that remembers which folders it made, outermost first.
fn create_dirs(dir: &Path, made: &mut Vec<PathBuf>) -> Result<(), String> {
    let mut missing = Vec::new();
    let mut cur = Some(dir);
    while let Some(d) = cur.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        missing.push(d.to_path_buf());
        cur = d.parent();
    }
    for d in missing.into_iter().rev() {
        fs::create_dir(&d).map_err(|e| format!("cannot create {}: {e}", d.display()))?;
        made.push(d);
    }
    Ok(())
}

/// How to write `dir` in a shell command.
pub(crate) fn shell_word(dir: &Path) -> String {
    let s = dir.display().to_string();
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn folder_name(dir: &Path) -> String {
    let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let abs = fs::canonicalize(&abs).unwrap_or(abs);
    abs.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

pub fn run(dir: &Path) -> Exit {
    if let Err(e) = check_target(dir) {
        eprintln!("error: {e}");
        return Exit::Usage;
    }
    let starter = Starter {
        title: title_from_name(&folder_name(dir)),
        today: jiff::ZonedDateTime::now()
            .with_time_zone(jiff::tz::TimeZone::UTC)
            .date(),
    };
    let files = match starter_files(&starter) {
        Ok(f) => f
            .into_iter()
            .map(|(path, text)| (path.to_string(), text))
            .chain(editor_files())
            .collect::<Vec<_>>(),
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Usage;
        }
    };
    if let Err(e) = write_all(dir, &files) {
        eprintln!("error: {e}");
        return Exit::Usage;
    }
    let remote = next_steps::origin_remote(dir);
    println!(
        "{}",
        next_steps::next_steps(dir, &starter.title, remote.as_ref())
    );
    Exit::Ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starter() -> Starter {
        Starter {
            title: "Acme \"Q3\" report".into(),
            today: jiff::civil::date(2026, 3, 1),
        }
    }

    #[test]
    fn expands_dates_title_and_version_and_leaves_actions_expressions() {
        let text = "{{today-1}} {{today+31}} {{today}} {{title}} v{{version}} ${{ github.ref }} ${{ vars.V || '{{version}}' }} {{format}}";
        let out = expand(text, &starter()).unwrap();
        assert_eq!(
            out,
            format!(
                "2026-02-28 2026-04-01 2026-03-01 \"Acme \\\"Q3\\\" report\" v{v} ${{{{ github.ref }}}} ${{{{ vars.V || '{v}' }}}} 1",
                v = env!("CARGO_PKG_VERSION")
            )
        );
        assert!(expand("{{todayx}}", &starter()).is_err());
        assert!(expand("{{today-x}}", &starter()).is_err());
    }

    #[test]
    fn every_starter_file_expands_fully() {
        for (path, text) in starter_files(&starter()).unwrap() {
            assert!(!text.contains("{{today"), "{path}");
            assert!(!text.contains("{{title"), "{path}");
            assert!(!text.contains("{{version"), "{path}");
            assert!(!text.contains("{{format"), "{path}");
            assert!(!text.contains("{{repository"), "{path}");
        }
    }

    #[test]
    fn titles_come_from_folder_names() {
        assert_eq!(title_from_name("product-report"), "Product report");
        assert_eq!(title_from_name("ACME_q3  report"), "ACME q3 report");
        assert_eq!(title_from_name("élan"), "Élan");
        assert_eq!(title_from_name(""), "Product report");
    }

    #[test]
    fn shell_words_are_quoted_when_needed() {
        assert_eq!(shell_word(Path::new("my-report")), "my-report");
        assert_eq!(shell_word(Path::new("my report")), "'my report'");
        assert_eq!(shell_word(Path::new("it's")), r"'it'\''s'");
    }
}
