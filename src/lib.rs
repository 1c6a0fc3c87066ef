#![recursion_limit = "512"]
//! throughline: roadmap items, outcomes and post-mortems → a checked model → metrics →
//! charts and pages → a static site.

// Diagnostics are the error type of parsing on purpose: they are what users see.
#![allow(clippy::result_large_err)]

pub mod charts;
pub mod cli;
pub mod commands;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod history;
pub mod lsp;
pub mod metrics;
pub mod model;
pub mod output;
pub mod paths;
pub mod render;
pub mod schema;
pub mod serve;
pub mod site;
pub mod version;
pub mod xml;
