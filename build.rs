//! Embeds the built-in themes (`themes/*/templates` and `themes/*/static`) in the binary.

use std::fs;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let themes = manifest.join("themes");
    println!("cargo:rerun-if-changed=themes");
    let mut files = Vec::new();
    walk(&themes, &mut files);
    let mut code = String::from(
        "/// (theme, path inside the theme, bytes)\npub static FILES: &[(&str, &str, &[u8])] = &[\n",
    );
    for f in &files {
        let Ok(rel) = f.strip_prefix(&themes) else {
            continue;
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect();
        if parts.len() < 2 || parts.iter().any(|p| p.starts_with('.')) {
            continue;
        }
        println!("cargo:rerun-if-changed={}", f.display());
        code.push_str(&format!(
            "    ({:?}, {:?}, include_bytes!({:?})),\n",
            parts[0],
            parts[1..].join("/"),
            f.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("themes.rs");
    if let Err(e) = fs::write(&out, code) {
        panic!("cannot write {}: {e}", out.display());
    }
}
