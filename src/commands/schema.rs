//! `throughline schema [--out DIR]`: write the JSON Schemas of the content files.

use std::path::Path;

use super::Exit;

pub fn run(out: &Path) -> Exit {
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("error: cannot create {}: {e}", out.display());
        return Exit::Usage;
    }
    for (name, text) in crate::schema::all() {
        let path = out.join(&name);
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return Exit::Usage;
        }
        println!("wrote {}", path.display());
    }
    Exit::Ok
}
