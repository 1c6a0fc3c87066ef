//! Paints, the plotters SVG backend, and the post-processing that turns plotters' output into
//! themeable SVG: sentinel colours become `currentColor` plus a class, the root gets `role`,
//! `<title>`, `<desc>` and a `viewBox` without fixed size.

use std::fmt::Write as _;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::timeline::TimelineStatus;

/// What a shape or text is, which decides its class and so its colour in [`super::CHART_CSS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Paint {
    /// The i-th data series; classes cycle through six.
    Series(usize),
    Text,
    Muted,
    Axis,
    Grid,
    Target,
    Reference,
    Marker,
    Status(TimelineStatus),
}

const SERIES_CLASSES: [&str; 6] = ["tl-s1", "tl-s2", "tl-s3", "tl-s4", "tl-s5", "tl-s6"];

impl Paint {
    pub(crate) fn class(self) -> &'static str {
        match self {
            Paint::Series(i) => SERIES_CLASSES[i % SERIES_CLASSES.len()],
            Paint::Text => "tl-text",
            Paint::Muted => "tl-muted",
            Paint::Axis => "tl-axis",
            Paint::Grid => "tl-grid",
            Paint::Target => "tl-target",
            Paint::Reference => "tl-ref",
            Paint::Marker => "tl-marker",
            Paint::Status(s) => s.class(),
        }
    }

    /// A one-byte code, unique per class; the sentinel colour is `#10A0` + code.
    fn code(self) -> u8 {
        match self {
            Paint::Series(i) => (i % SERIES_CLASSES.len()) as u8 + 1,
            Paint::Text => 0x10,
            Paint::Muted => 0x11,
            Paint::Axis => 0x12,
            Paint::Grid => 0x13,
            Paint::Target => 0x14,
            Paint::Reference => 0x15,
            Paint::Marker => 0x16,
            Paint::Status(s) => 0x20 + s.index(),
        }
    }

    /// The paint whose [`Paint::code`] is `code`.
    fn from_code(code: u8) -> Option<Paint> {
        let series = 1..=SERIES_CLASSES.len() as u8;
        Some(match code {
            c if series.contains(&c) => Paint::Series(usize::from(c - 1)),
            0x10 => Paint::Text,
            0x11 => Paint::Muted,
            0x12 => Paint::Axis,
            0x13 => Paint::Grid,
            0x14 => Paint::Target,
            0x15 => Paint::Reference,
            0x16 => Paint::Marker,
            c @ 0x20.. => {
                return TimelineStatus::ALL
                    .get(usize::from(c - 0x20))
                    .map(|s| Paint::Status(*s));
            }
            _ => return None,
        })
    }

    pub(crate) fn color(self) -> RGBColor {
        RGBColor(0x10, 0xA0, self.code())
    }

    pub(crate) fn fill(self) -> ShapeStyle {
        ShapeStyle {
            color: self.color().to_rgba(),
            filled: true,
            stroke_width: 1,
        }
    }

    pub(crate) fn stroke(self, width: u32) -> ShapeStyle {
        ShapeStyle {
            color: self.color().to_rgba(),
            filled: false,
            stroke_width: width,
        }
    }

    /// Text in this paint, `size` in viewBox units, anchored at (`h`, `v`).
    pub(crate) fn text(self, size: f64, h: HPos, v: VPos) -> TextStyle<'static> {
        TextStyle {
            // plotters' SVG backend writes font-size = size / 1.24.
            font: ("sans-serif", size * 1.24).into_font(),
            color: self.color().to_backend_color(),
            pos: Pos::new(h, v),
        }
    }
}

pub(crate) type DrawError = DrawingAreaErrorKind<std::io::Error>;
pub(crate) type Root<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Room reserved for plotters' raw SVG: most charts fit without the buffer growing.
const RAW_CAPACITY: usize = 8 * 1024;

/// Run `draw` on a fresh SVG canvas of `size` and return plotters' raw SVG text.
pub(crate) fn render<F>(size: (u32, u32), draw: F) -> Result<String, DrawError>
where
    F: FnOnce(&Root<'_>) -> Result<(), DrawError>,
{
    let mut buf = String::with_capacity(RAW_CAPACITY);
    {
        let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        draw(&root)?;
        root.present()?;
    }
    Ok(buf)
}

/// The parts of the root element that every chart shares.
pub(crate) struct Meta<'a> {
    /// The kind, for the class `tl-chart-<kind>`.
    pub kind: &'static str,
    /// Already cleaned title and description.
    pub title: &'a str,
    pub description: &'a str,
    pub size: (u32, u32),
}

/// Post-process a rendering, or fall back to a "Chart unavailable" SVG if plotters failed.
pub(crate) fn finish(meta: &Meta<'_>, rendered: Result<String, DrawError>) -> String {
    match rendered {
        Ok(raw) => themeable(meta, &raw),
        Err(_) => unavailable(meta),
    }
}

/// Give every label that was cut with "…" its full text as a `<title>`, which browsers show
/// on hover and screen readers read. `full` are the uncut texts the chart drew from (cleaned
/// here); a cut label takes the first of them that starts with what was kept.
pub(crate) fn title_cut_labels<'a>(svg: String, full: impl Iterator<Item = &'a String>) -> String {
    if !svg.contains("…</text>") {
        return svg;
    }
    let full: Vec<String> = full.map(|f| escape(&clean(f))).collect();
    let mut out = String::with_capacity(svg.len() + 256);
    let mut rest = svg.as_str();
    while let Some(end) = rest.find("…</text>") {
        let Some(open) = rest[..end].rfind('>') else {
            break;
        };
        let kept = &rest[open + 1..end];
        out.push_str(&rest[..=open]);
        if let Some(whole) = full
            .iter()
            .find(|f| f.starts_with(kept) && f.len() > kept.len())
        {
            out.push_str("<title>");
            out.push_str(whole);
            out.push_str("</title>");
        }
        out.push_str(kept);
        rest = &rest[end..];
        // Past "…</text>" so the next search starts after this label.
        let step = "…</text>".len();
        out.push_str(&rest[..step]);
        rest = &rest[step..];
    }
    out.push_str(rest);
    out
}

/// The chart for empty input: the same frame with "No data" in the middle.
pub(crate) fn no_data(meta: &Meta<'_>) -> String {
    let (w, h) = meta.size;
    // Sparklines are drawn small; their text needs a bigger size in viewBox units.
    let size = if w < 300 { 22.0 } else { 14.0 };
    let rendered = render(meta.size, |root| {
        root.draw(&Text::new(
            "No data",
            (w as i32 / 2, h as i32 / 2),
            Paint::Muted.text(size, HPos::Center, VPos::Center),
        ))
    });
    finish(meta, rendered)
}

/// Hand-written fallback for when plotters reports an error: never fails.
fn unavailable(meta: &Meta<'_>) -> String {
    let (w, h) = meta.size;
    let mut out = String::new();
    root_open(&mut out, meta);
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" dy=\"0.5ex\" text-anchor=\"middle\" font-size=\"14\" \
         fill=\"currentColor\" class=\"tl-muted\">Chart unavailable</text>\n</svg>\n",
        w / 2,
        h / 2
    );
    out
}

/// Append our root element's opening tag, `<title>` and `<desc>` to `out`.
fn root_open(out: &mut String, meta: &Meta<'_>) {
    let (w, h) = meta.size;
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" \
         class=\"tl-chart tl-chart-{}\" font-family=\"sans-serif\">\n<title>",
        meta.kind,
    );
    out.push_str(&escape(meta.title));
    out.push_str("</title>\n<desc>");
    out.push_str(&escape(meta.description));
    out.push_str("</desc>\n");
}

/// Rewrite plotters' SVG: new root element, sentinel colours to classes, tidy attributes.
///
/// One pass over `raw` into one pre-sized string: tags are rewritten in place (see
/// [`rewrite_tag`]) and the text between them is copied.
fn themeable(meta: &Meta<'_>, raw: &str) -> String {
    // `currentColor` and the class make tags longer than plotters' `#10A0xx`; dropping
    // `opacity="1"` makes them shorter. A quarter more than the input is enough for every kind.
    let mut out = String::with_capacity(
        raw.len() + raw.len() / 4 + 256 + meta.title.len() + meta.description.len(),
    );
    root_open(&mut out, meta);
    // Skip plotters' own <svg ...> opening tag; we wrote ours.
    let body = match raw
        .find("<svg")
        .and_then(|i| raw[i..].find('>').map(|j| i + j + 1))
    {
        Some(end) => &raw[end..],
        None => raw,
    };
    let mut rest = body.trim_start_matches('\n');
    let mut in_text = false;
    let mut scratch = Scratch::default();
    while let Some(lt) = find_byte(rest, b'<') {
        let content = &rest[..lt];
        if in_text {
            out.push_str(content.trim());
        } else {
            out.push_str(content);
        }
        let tail = &rest[lt..];
        in_text = tail.starts_with("<text");
        let Some(len) = rewrite_tag(&mut out, tail, &mut scratch) else {
            rest = tail;
            break;
        };
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

/// Buffers [`rewrite_tag`] reuses from tag to tag.
#[derive(Default)]
struct Scratch {
    classes: Vec<&'static str>,
    class_attr: String,
}

/// Append the tag `text` starts with to `out`, rewritten, and return its length (`None` if it
/// has no `>`). A start or self-closing tag gets the classes of its sentinel colours first,
/// `currentColor` for every `#` colour, tidy font sizes, and loses `opacity="1"` and any
/// `class`. Anything we do not understand (end tags, comments, other shapes than plotters
/// writes) is kept as is, up to the first `>`.
fn rewrite_tag(out: &mut String, text: &str, scratch: &mut Scratch) -> Option<usize> {
    let start = out.len();
    if let Some(len) = write_start_tag(out, text, scratch) {
        return Some(len);
    }
    out.truncate(start);
    let len = find_byte(text, b'>')? + 1;
    out.push_str(&text[..len]);
    Some(len)
}

/// Write the rewritten `<name key="value" …>` or `<… />` that `text` starts with to `out` and
/// return its length; `None` (with `out` partly written) when `text` does not start with a tag
/// of that shape: a name, then attributes after whitespace, each a name, `="`, a value (copied
/// still escaped) and `"`.
fn write_start_tag(out: &mut String, text: &str, scratch: &mut Scratch) -> Option<usize> {
    let (name, mut rest) = split_name(text.strip_prefix('<')?)?;
    out.push('<');
    out.push_str(name);
    let attrs_start = out.len();
    scratch.classes.clear();
    // Attributes plotters wrote as we write them (` key="value"`, kept unchanged) are copied
    // in runs: `copy` is the part of `text` still to copy.
    let mut copy = text.len() - rest.len()..text.len() - rest.len();
    let self_closing = loop {
        let spaced = rest;
        rest = rest.trim_ascii_start();
        if let Some(after) = rest.strip_prefix("/>") {
            rest = after;
            break true;
        }
        if let Some(after) = rest.strip_prefix('>') {
            rest = after;
            break false;
        }
        let one_space = spaced.len() - rest.len() == 1 && spaced.starts_with(' ');
        let (key, after) = split_name(rest)?;
        let after = after.strip_prefix("=\"")?;
        let close = find_byte(after, b'"')?;
        let value = &after[..close];
        rest = &after[close + 1..];
        let (start, end) = (text.len() - spaced.len(), text.len() - rest.len());
        match key {
            "fill" | "stroke" if value.starts_with('#') => {
                if let Some(paint) = parse_sentinel(value)
                    && !scratch.classes.contains(&paint.class())
                {
                    scratch.classes.push(paint.class());
                }
                out.push_str(&text[copy]);
                copy = end..end;
                push_attr(out, key, "currentColor");
            }
            "opacity" if value == "1" => {}
            "font-size" => {
                out.push_str(&text[copy]);
                copy = end..end;
                push_attr_start(out, key);
                push_tidy_number(out, value);
                out.push('"');
            }
            "class" => {}
            _ if one_space && copy.end == start => copy.end = end,
            _ if one_space => {
                out.push_str(&text[copy]);
                copy = start..end;
            }
            _ => {
                out.push_str(&text[copy]);
                copy = end..end;
                push_attr(out, key, value);
            }
        }
    };
    out.push_str(&text[copy]);
    if let Some((first, others)) = scratch.classes.split_first() {
        let class_attr = &mut scratch.class_attr;
        class_attr.clear();
        class_attr.push_str(" class=\"");
        class_attr.push_str(first);
        for class in others {
            class_attr.push(' ');
            class_attr.push_str(class);
        }
        class_attr.push('"');
        out.insert_str(attrs_start, class_attr);
    }
    out.push_str(if self_closing { "/>" } else { ">" });
    Some(text.len() - rest.len())
}

/// Where `byte` (ASCII) first occurs in `text`. A plain scan: the distances between plotters'
/// tags and quotes are a few bytes, where `str::find`'s set-up costs more than it saves.
fn find_byte(text: &str, byte: u8) -> Option<usize> {
    text.bytes().position(|b| b == byte)
}

/// Which bytes names are made of.
const NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':' | b'.');
        b += 1;
    }
    table
};

/// The element or attribute name `text` starts with (ASCII letters, digits, `-`, `_`, `:`,
/// `.`) and what follows it; `None` if `text` does not start with one.
fn split_name(text: &str) -> Option<(&str, &str)> {
    let end = text
        .bytes()
        .position(|b| !NAME_BYTES[usize::from(b)])
        .unwrap_or(text.len());
    (end > 0).then(|| text.split_at(end))
}

fn push_attr_start(out: &mut String, key: &str) {
    out.push(' ');
    out.push_str(key);
    out.push_str("=\"");
}

fn push_attr(out: &mut String, key: &str, value: &str) {
    push_attr_start(out, key);
    out.push_str(value);
    out.push('"');
}

fn parse_sentinel(value: &str) -> Option<Paint> {
    let hex = value.strip_prefix("#10A0")?;
    let code = u8::from_str_radix(hex, 16).ok()?;
    Paint::from_code(code)
}

/// `14.000000000000002` → `14`: font sizes rounded to a tenth, appended to `out`.
fn push_tidy_number(out: &mut String, value: &str) {
    match value.parse::<f64>() {
        Ok(v) if v.is_finite() => {
            let start = out.len();
            push_fixed(out, v, 1);
            if out[start..].ends_with(".0") {
                out.truncate(out.len() - 2);
            }
        }
        _ => out.push_str(value),
    }
}

/// `value` with `decimals` digits after the point, exactly as `format!("{value:.decimals$}")`
/// writes it, appended to `out`.
///
/// The formatter's exact mode is slow (a few hundred ns on whole numbers). When
/// `value × 10^decimals` is below 10^12 and clearly away from a rounding tie, the digits of
/// that product rounded to a whole number are written instead, with the point put in: the
/// product's own rounding error (under 2^-14 there) cannot change which way the exact value
/// rounds. Everything else goes to the formatter.
pub(crate) fn push_fixed(out: &mut String, value: f64, decimals: usize) {
    const POW10: [f64; 13] = [
        1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
    ];
    let whole = POW10.get(decimals).and_then(|scale| {
        let scaled = value * scale;
        let whole = scaled.round();
        (scaled.abs() < 1e12 && (scaled - whole).abs() < 0.499).then_some(whole)
    });
    let Some(whole) = whole else {
        // Writing to a String cannot fail.
        let _ = write!(out, "{value:.decimals$}");
        return;
    };
    // The formatter writes the sign of every negative value, even one that rounds to zero.
    if value.is_sign_negative() {
        out.push('-');
    }
    // Below 10^12: at most 12 digits, zero-padded to `decimals` + 1 ≤ 13 of them.
    let mut buf = [b'0'; 16];
    let mut at = buf.len();
    let mut rest = whole.abs() as u64;
    while rest > 0 {
        at -= 1;
        buf[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    let len = (buf.len() - at).max(decimals + 1);
    let (int, frac) = buf[buf.len() - len..].split_at(len - decimals);
    out.extend(int.iter().map(|&b| char::from(b)));
    if decimals > 0 {
        out.push('.');
        out.extend(frac.iter().map(|&b| char::from(b)));
    }
}

/// XML-escape text for element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    crate::xml::escape(text)
}

/// User text made safe for one line: control characters become spaces, runs of whitespace
/// collapse to one, ends are trimmed. Not escaped (plotters escapes what it draws).
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Words are separated by whitespace or control characters (which count as spaces).
    for word in text.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `text` appended to `out` with control characters (not allowed in XML 1.0) replaced by
/// spaces; nothing else changes.
pub(crate) fn push_without_controls(out: &mut String, text: &str) {
    if text.chars().any(char::is_control) {
        out.extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }));
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(tag: &str) -> String {
        let mut out = String::new();
        let len = rewrite_tag(&mut out, tag, &mut Scratch::default());
        assert_eq!(len, Some(tag.len()), "{tag}");
        out
    }

    fn tidy_number(value: &str) -> String {
        let mut out = String::new();
        push_tidy_number(&mut out, value);
        out
    }

    #[test]
    fn sentinels_become_classes_without_duplicate_attributes() {
        let fill = format!("{:02X}", Paint::Series(1).code());
        let tag = format!(
            "<rect x=\"1\" y=\"2\" opacity=\"1\" fill=\"#10A0{fill}\" stroke=\"none\" class=\"x\"/>"
        );
        assert_eq!(
            rewrite(&tag),
            "<rect class=\"tl-s2\" x=\"1\" y=\"2\" fill=\"currentColor\" stroke=\"none\"/>"
        );
    }

    #[test]
    fn unknown_hex_colours_are_neutralised() {
        assert_eq!(
            rewrite("<line stroke=\"#123456\" opacity=\"0.5\"/>"),
            "<line stroke=\"currentColor\" opacity=\"0.5\"/>"
        );
    }

    #[test]
    fn every_paint_code_round_trips() {
        let mut paints: Vec<Paint> = (0..6).map(Paint::Series).collect();
        paints.extend([
            Paint::Text,
            Paint::Muted,
            Paint::Axis,
            Paint::Grid,
            Paint::Target,
            Paint::Reference,
            Paint::Marker,
        ]);
        paints.extend(TimelineStatus::ALL.into_iter().map(Paint::Status));
        for &p in &paints {
            let hex = format!("#10A0{:02X}", p.code());
            assert_eq!(parse_sentinel(&hex), Some(p), "{hex}");
        }
        let known = (0..=u8::MAX).filter_map(Paint::from_code).count();
        assert_eq!(known, paints.len(), "no code but these names a paint");
    }

    #[test]
    fn plotters_errors_give_a_chart_unavailable_svg() {
        let meta = Meta {
            kind: "line",
            title: "T <1>",
            description: "D & d",
            size: (440, 240),
        };
        let svg = finish(&meta, Err(DrawingAreaErrorKind::LayoutError));
        crate::charts::test_support::assert_well_formed(&svg);
        assert!(svg.contains(">Chart unavailable</text>"));
        assert!(svg.contains("<title>T &lt;1&gt;</title>\n<desc>D &amp; d</desc>"));
    }

    #[test]
    fn push_fixed_writes_what_the_formatter_writes_on_random_values() {
        // Deterministic: decimal-looking values (as measured), their neighbours, ties and
        // random bit patterns, at every precision.
        let mut seed: u64 = 7;
        let mut next = || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            seed
        };
        for _ in 0..200_000 {
            let r = next();
            let decimals = (r % 13) as usize;
            let digits = (next() % 1_000_000_000) as f64;
            let value = match r >> 60 {
                0..=5 => digits / 10f64.powi((r >> 8) as i32 % 8),
                6..=7 => (digits + 0.5) / 10f64.powi((r >> 8) as i32 % 8),
                8..=9 => f64::from_bits(next()),
                10 => f64::from_bits((digits / 1000.0).to_bits() + 1),
                11 => f64::from_bits((digits / 1000.0).to_bits() - 1),
                12 => digits * 1e3,
                13 => digits / 1e12,
                _ => (digits / 1e4) * 100.0,
            };
            let value = if r & 1 == 0 { value } else { -value };
            let mut out = String::new();
            push_fixed(&mut out, value, decimals);
            assert_eq!(out, format!("{value:.decimals$}"), "{value:e} {decimals}");
        }
    }

    #[test]
    fn push_fixed_writes_what_the_formatter_writes() {
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            13.0,
            14.000000000000002,
            0.5,
            -2.5,
            37.6,
            1e15,
            -1e15,
            999_999_999_999_999.0,
            1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for value in values {
            for decimals in [0, 1, 2, 12] {
                let mut out = String::from("x");
                push_fixed(&mut out, value, decimals);
                assert_eq!(out, format!("x{value:.decimals$}"), "{value} {decimals}");
            }
        }
    }

    #[test]
    fn malformed_and_closing_tags_are_kept_as_they_are() {
        for tag in [
            "</text>",
            "<!-- x -->",
            "<?xml version=\"1.0\"?>",
            "< x=\"1\"/>",
            "<rect x=\"1/>",
            "<rect x/>",
            "<rect fill=\"#10A001\" x/>",
        ] {
            assert_eq!(rewrite(tag), tag);
        }
        assert_eq!(
            rewrite("<circle stroke=\"#10A001\" fill=\"#10A012\" class=\"a\" r=\"3\">"),
            "<circle class=\"tl-s1 tl-axis\" stroke=\"currentColor\" fill=\"currentColor\" r=\"3\">"
        );
        assert_eq!(
            rewrite("<text font-size=\"13\"  opacity=\"1\" >"),
            "<text font-size=\"13\">"
        );
    }

    #[test]
    fn clean_and_escape() {
        assert_eq!(clean(" a\n\tb\u{7}  c "), "a b c");
        assert_eq!(escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        assert_eq!(tidy_number("14.000000000000002"), "14");
        assert_eq!(tidy_number("10.483870967741936"), "10.5");
    }
}
