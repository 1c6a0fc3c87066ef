//! The command-line test suite: one binary, a module per feature. Each case copies a small
//! site from `tests/` to a temporary folder, runs the real `throughline` binary on it and
//! checks what the user sees.

mod build;
mod check;
mod hostile;
mod same_as_build;
mod support;
mod untrusted;
mod version;
