//! throughline: roadmap items, outcomes and post-mortems → a checked model → metrics →
//! charts and pages → a static site.

pub mod cli;
pub mod commands;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod metrics;
pub mod model;
pub mod site;
