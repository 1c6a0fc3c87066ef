//! Positions and addresses as the protocol writes them: `file://` URIs, and columns in
//! UTF-16 code units where diagnostics count characters.

use std::path::{Path, PathBuf};

use super::protocol::{Position, Range};

use crate::diagnostics::Pos;

/// The path of a `file://` URI, percent-decoded.
pub fn path_of_uri(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///C:/x` on Windows; `file:///x` elsewhere.
    let rest = match rest.as_bytes() {
        [b'/', _, b':', ..] | [b'/', _, b'%', b'3', b'A', ..] if cfg!(windows) => &rest[1..],
        _ => rest,
    };
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&a), Some(&b)) if hex(a).is_some() && hex(b).is_some() => {
                out.push((hex(a)? * 16 + hex(b)?) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok().map(PathBuf::from)
}

/// The `file://` URI of an absolute path, percent-encoded.
pub fn uri_of_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Line `n` (0-based) of `text`, without its line ending.
pub fn line(text: &str, n: usize) -> &str {
    text.split('\n')
        .nth(n)
        .map(|l| l.trim_end_matches('\r'))
        .unwrap_or("")
}

/// The UTF-16 column of character column `chars` (0-based) in `line`.
pub fn utf16_col(line: &str, chars: usize) -> u32 {
    let counted: usize = line.chars().take(chars).map(char::len_utf16).sum();
    let past_end = chars.saturating_sub(line.chars().count());
    (counted + past_end) as u32
}

/// The character column of UTF-16 column `units` in `line`.
pub fn char_col(line: &str, units: u32) -> usize {
    let mut seen = 0;
    for (i, c) in line.chars().enumerate() {
        if seen >= units as usize {
            return i;
        }
        seen += c.len_utf16();
    }
    line.chars().count()
}

/// The range of a diagnostic position (1-based line and character column, length in
/// characters) in `text`.
pub fn range_of(text: &str, pos: Pos) -> Range {
    if pos.line == 0 {
        return Range::default();
    }
    let n = pos.line as usize - 1;
    let l = line(text, n);
    let start = pos.col.saturating_sub(1) as usize;
    let end = start + pos.len as usize;
    Range::new(
        Position::new(n as u32, utf16_col(l, start)),
        Position::new(n as u32, utf16_col(l, end)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_paths_round_trip_with_spaces_and_accents() {
        let path = Path::new("/home/ana/my report/é.md");
        let uri = uri_of_path(path);
        assert_eq!(uri, "file:///home/ana/my%20report/%C3%A9.md");
        assert_eq!(path_of_uri(&uri).as_deref(), Some(path));
        assert_eq!(path_of_uri("https://x/y"), None);
    }

    #[test]
    fn columns_count_utf16_units() {
        // "é" is one unit, "𝄞" two: character 2 (after "é𝄞") is unit 3.
        assert_eq!(utf16_col("é𝄞x", 2), 3);
        assert_eq!(char_col("é𝄞x", 3), 2);
        let r = range_of("a\ntitle: 𝄞 bad\n", Pos::new(2, 10, 3));
        // Character column 10 (1-based) is index 9: "title: 𝄞 " is 9 characters, 10 units.
        assert_eq!(
            (r.start.line, r.start.character, r.end.character),
            (1, 10, 13)
        );
    }
}
