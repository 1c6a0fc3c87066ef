//! `throughline lsp`: the language server, for editors.

use std::path::Path;

use super::Exit;

pub fn run(root: Option<&Path>) -> Exit {
    match crate::lsp::run_stdio(root) {
        Ok(()) => Exit::Ok,
        Err(e) => {
            eprintln!("error: {e}");
            Exit::Usage
        }
    }
}
