//! Loading a site folder all the way to a checked `Model`, with every diagnostic.

use std::path::Path;

use crate::content::{self, LoadError};
use crate::diagnostics::{self, Diagnostic};
use crate::model::Model;

/// The result of reading a site: the model when there are no errors, and every
/// diagnostic (errors and warnings) in file order.
pub struct Loaded {
    pub model: Option<Model>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
}

pub fn load(root: &Path, include_drafts: bool) -> Result<Loaded, LoadError> {
    let (content, mut diags) = content::load(root)?;
    let model = if diags.iter().any(|d| d.is_error()) {
        None
    } else {
        match Model::build(content, include_drafts) {
            Ok(m) => Some(m),
            Err(errors) => {
                diags.extend(errors);
                None
            }
        }
    };
    attach_sources(root, &mut diags);
    diagnostics::sort(&mut diags);
    Ok(Loaded {
        model,
        diagnostics: diags,
    })
}

/// Fill in the source line of diagnostics made without the file at hand.
pub fn attach_sources(root: &Path, diags: &mut [Diagnostic]) {
    for d in diags
        .iter_mut()
        .filter(|d| d.source_line.is_none() && d.pos.len > 0)
    {
        if let Ok(text) = std::fs::read_to_string(root.join(&d.file)) {
            let text = content::front_matter::strip_bom(&text).to_string();
            *d = d.clone().with_source(&text);
        }
    }
}
