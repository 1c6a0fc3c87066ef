//! `throughline lsp`: the language server, for editors.

use std::path::Path;

use super::Exit;

pub fn run(root: Option<&Path>) -> Exit {
    match crate::lsp::run_stdio(root) {
        Ok(true) => Exit::Ok,
        // The editor left without asking the server to shut down first: status 1, as the
        // protocol says.
        Ok(false) => Exit::Content,
        Err(e) => {
            eprintln!("error: {e}");
            Exit::Usage
        }
    }
}
