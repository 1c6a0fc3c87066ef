//! One module per subcommand; each returns how the process should exit.

pub mod build;
pub mod check;
pub mod init;
pub mod lsp;
pub mod schema;
pub mod serve;
pub mod watch;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

/// Exit status: 0 ok, 1 content errors, 2 usage or I/O errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Ok,
    Content,
    Usage,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(match e {
            Exit::Ok => 0,
            Exit::Content => 1,
            Exit::Usage => 2,
        })
    }
}

pub fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Check {
            root,
            drafts,
            strict,
            format,
        } => check::run(&root, drafts, strict, format),
        Command::Build(args) => build::run(&args),
        Command::Init { dir } => init::run(&dir),
        Command::Serve(args) => serve::run(&args),
        Command::Schema { out } => schema::run(&out),
        Command::Lsp { root } => lsp::run(root.as_deref()),
    }
}
