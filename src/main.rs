use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match throughline::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    throughline::commands::run(cli).into()
}
