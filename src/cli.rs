//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "throughline",
    version = crate::version::VERSION_LINE,
    about = "Roadmaps, outcomes and post-mortems → one honest static site"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Start a new report: site.yaml, sample content, a GitHub Pages workflow, .gitignore
    Init {
        /// Folder for the report: absent, or empty (a lone .git is fine)
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Build the site into the output folder
    Build(BuildArgs),
    /// Build, serve on localhost, rebuild on change and reload the browser
    Serve(ServeArgs),
    /// Write JSON Schemas of site.yaml, outcomes, roadmap items and post-mortems
    Schema {
        /// Folder for the schema files
        #[arg(long, default_value = "schemas")]
        out: PathBuf,
    },
    /// Run the language server for editors, over standard input and output
    Lsp {
        /// The site folder (default: the editor's workspace folder)
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Do everything a build does except writing: validate, render, check links
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include draft post-mortems, as `build --drafts` does
        #[arg(long)]
        drafts: bool,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(clap::Args, Debug, Clone)]
pub struct BuildArgs {
    /// The site folder (holding site.yaml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder (default: site.yaml's output_dir, else `public`)
    #[arg(long)]
    pub output_dir: Option<PathBuf>,
    /// Where the site is published, e.g. https://acme.github.io/report/
    #[arg(long)]
    pub base_url: Option<String>,
    /// Compute every "now" metric at this date (YYYY-MM-DD)
    #[arg(long)]
    pub as_of: Option<String>,
    /// Include draft post-mortems
    #[arg(long)]
    pub drafts: bool,
    /// The review point of /changes/: a date (YYYY-MM-DD), a tag or a commit
    #[arg(long, value_name = "REF")]
    pub since: Option<String>,
    /// Print metrics.json to standard output and write nothing
    #[arg(long)]
    pub metrics_only: bool,
    /// Rebuild whenever the site changes
    #[arg(long)]
    pub watch: bool,
}

#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Address to listen on: 127.0.0.1 (the default), ::1, or a network address
    #[arg(long, default_value = "127.0.0.1")]
    pub interface: String,
    /// Also answer requests for this host name (repeatable); `.example.test` allows it and
    /// every name under it. By default only localhost and the listening address are answered
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_hosts: Vec<String>,
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
    #[arg(long)]
    pub drafts: bool,
    #[arg(long)]
    pub base_url: Option<String>,
    #[arg(long)]
    pub as_of: Option<String>,
    /// The review point of /changes/: a date (YYYY-MM-DD), a tag or a commit
    #[arg(long, value_name = "REF")]
    pub since: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}
