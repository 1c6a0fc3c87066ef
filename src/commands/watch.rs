//! `build --watch`: rebuild into the output folder whenever the site changes.

use std::path::PathBuf;

use crate::site::Site;

use super::Exit;

pub fn build_watch(mut site: Site, out: PathBuf) -> Exit {
    let _ = super::build::build_once(&mut site, &out, false);
    eprintln!("error: --watch is not available yet");
    Exit::Usage
}
