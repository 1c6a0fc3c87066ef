//! This program's version and the content format it reads.

/// The release, from Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The newest content format this release reads; it reads every older one too. A release
/// that adds to the format sets this to its own minor version number, so content format N
/// is first read by throughline 0.N.0 (see [`first_release`]).
pub const CONTENT_FORMAT: u32 = 1;

/// What `throughline --version` prints after the program name.
pub const VERSION_LINE: &str = concat!(env!("CARGO_PKG_VERSION"), " (content format 1)");

/// The first release that reads content format `format`.
pub fn first_release(format: u32) -> String {
    format!("0.{format}.0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_line_names_the_format_this_release_reads() {
        assert_eq!(
            VERSION_LINE,
            format!("{VERSION} (content format {CONTENT_FORMAT})")
        );
    }

    #[test]
    fn this_release_is_at_least_the_first_one_of_its_format() {
        // 0.1.0 reads format 1, first read by 0.1.0: the minor numbers give 1 >= 1.
        let minor = |v: &str| -> u32 { v.split('.').nth(1).unwrap().parse().unwrap() };
        assert!(VERSION.starts_with("0."), "the rule holds until 1.0");
        assert!(minor(VERSION) >= minor(&first_release(CONTENT_FORMAT)));
        assert_eq!(first_release(3), "0.3.0");
    }
}
