//! Paints, the plotters SVG backend, and the post-processing that turns plotters' output into
//! themeable SVG: sentinel colours become `currentColor` plus a class, the root gets `role`,
//! `<title>`, `<desc>` and a `viewBox` without fixed size.

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

    fn from_code(code: u8) -> Option<Paint> {
        let fixed = [
            Paint::Text,
            Paint::Muted,
            Paint::Axis,
            Paint::Grid,
            Paint::Target,
            Paint::Reference,
            Paint::Marker,
        ];
        (0..SERIES_CLASSES.len())
            .map(Paint::Series)
            .chain(fixed)
            .chain(TimelineStatus::ALL.into_iter().map(Paint::Status))
            .find(|p| p.code() == code)
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

/// Run `draw` on a fresh SVG canvas of `size` and return plotters' raw SVG text.
pub(crate) fn render<F>(size: (u32, u32), draw: F) -> Result<String, DrawError>
where
    F: FnOnce(&Root<'_>) -> Result<(), DrawError>,
{
    let mut buf = String::new();
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
    let mut out = root_open(meta);
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" dy=\"0.5ex\" text-anchor=\"middle\" font-size=\"14\" \
         fill=\"currentColor\" class=\"tl-muted\">Chart unavailable</text>\n</svg>\n",
        w / 2,
        h / 2
    ));
    out
}

fn root_open(meta: &Meta<'_>) -> String {
    let (w, h) = meta.size;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" \
         class=\"tl-chart tl-chart-{}\" font-family=\"sans-serif\">\n<title>{}</title>\n<desc>{}</desc>\n",
        meta.kind,
        escape(meta.title),
        escape(meta.description)
    )
}

/// Rewrite plotters' SVG: new root element, sentinel colours to classes, tidy attributes.
fn themeable(meta: &Meta<'_>, raw: &str) -> String {
    let mut out = root_open(meta);
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
    while let Some(lt) = rest.find('<') {
        let content = &rest[..lt];
        if in_text {
            out.push_str(content.trim());
        } else {
            out.push_str(content);
        }
        let tail = &rest[lt..];
        let Some(gt) = tail.find('>') else {
            rest = tail;
            break;
        };
        let tag = &tail[..=gt];
        in_text = tag.starts_with("<text");
        out.push_str(&rewrite_tag(tag));
        rest = &tail[gt + 1..];
    }
    out.push_str(rest);
    out
}

/// Rewrite one start or self-closing tag; anything we do not understand is kept as is.
fn rewrite_tag(tag: &str) -> String {
    if tag.starts_with("</") || tag.starts_with("<!") || tag.starts_with("<?") {
        return tag.to_string();
    }
    let Some(attrs) = parse_tag(tag) else {
        return tag.to_string();
    };
    let (name, attrs, self_closing) = attrs;
    let mut classes: Vec<&'static str> = Vec::new();
    let mut kept: Vec<(String, String)> = Vec::new();
    for (key, value) in attrs {
        match key {
            "fill" | "stroke" if value.starts_with('#') => {
                if let Some(paint) = parse_sentinel(value)
                    && !classes.contains(&paint.class())
                {
                    classes.push(paint.class());
                }
                kept.push((key.to_string(), "currentColor".to_string()));
            }
            "opacity" if value == "1" => {}
            "font-size" => kept.push((key.to_string(), tidy_number(value))),
            "class" => {}
            _ => kept.push((key.to_string(), value.to_string())),
        }
    }
    let mut out = String::with_capacity(tag.len() + 16);
    out.push('<');
    out.push_str(name);
    if !classes.is_empty() {
        out.push_str(" class=\"");
        out.push_str(&classes.join(" "));
        out.push('"');
    }
    for (key, value) in kept {
        out.push(' ');
        out.push_str(&key);
        out.push_str("=\"");
        out.push_str(&value);
        out.push('"');
    }
    out.push_str(if self_closing { "/>" } else { ">" });
    out
}

type ParsedTag<'a> = (&'a str, Vec<(&'a str, &'a str)>, bool);

/// Split `<name a="1" b="2"/>` into name, attributes (values still escaped) and self-closing.
fn parse_tag(tag: &str) -> Option<ParsedTag<'_>> {
    let inner = tag.strip_prefix('<')?.strip_suffix('>')?;
    let (inner, self_closing) = match inner.strip_suffix('/') {
        Some(i) => (i, true),
        None => (inner, false),
    };
    let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let name = &inner[..name_end];
    if name.is_empty() {
        return None;
    }
    let mut rest = inner[name_end..].trim_start();
    let mut attrs = Vec::new();
    while !rest.is_empty() {
        let eq = rest.find("=\"")?;
        let key = rest[..eq].trim();
        let after = &rest[eq + 2..];
        let close = after.find('"')?;
        attrs.push((key, &after[..close]));
        rest = after[close + 1..].trim_start();
    }
    Some((name, attrs, self_closing))
}

fn parse_sentinel(value: &str) -> Option<Paint> {
    let hex = value.strip_prefix("#10A0")?;
    let code = u8::from_str_radix(hex, 16).ok()?;
    Paint::from_code(code)
}

/// `14.000000000000002` → `14`: font sizes rounded to a tenth.
fn tidy_number(value: &str) -> String {
    match value.parse::<f64>() {
        Ok(v) if v.is_finite() => {
            let text = format!("{:.1}", v);
            text.strip_suffix(".0").unwrap_or(&text).to_string()
        }
        _ => value.to_string(),
    }
}

/// XML-escape text for element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    crate::xml::escape(text)
}

/// User text made safe for one line: control characters become spaces, runs of whitespace
/// collapse to one, ends are trimmed. Not escaped (plotters escapes what it draws).
pub(crate) fn clean(text: &str) -> String {
    strip_controls(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Control characters (not allowed in XML 1.0) replaced by spaces; nothing else changes.
pub(crate) fn strip_controls(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentinels_become_classes_without_duplicate_attributes() {
        let fill = format!("{:02X}", Paint::Series(1).code());
        let tag = format!(
            "<rect x=\"1\" y=\"2\" opacity=\"1\" fill=\"#10A0{fill}\" stroke=\"none\" class=\"x\"/>"
        );
        assert_eq!(
            rewrite_tag(&tag),
            "<rect class=\"tl-s2\" x=\"1\" y=\"2\" fill=\"currentColor\" stroke=\"none\"/>"
        );
    }

    #[test]
    fn unknown_hex_colours_are_neutralised() {
        assert_eq!(
            rewrite_tag("<line stroke=\"#123456\" opacity=\"0.5\"/>"),
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
        for p in paints {
            let hex = format!("#10A0{:02X}", p.code());
            assert_eq!(parse_sentinel(&hex), Some(p), "{hex}");
        }
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
    fn clean_and_escape() {
        assert_eq!(clean(" a\n\tb\u{7}  c "), "a b c");
        assert_eq!(escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        assert_eq!(tidy_number("14.000000000000002"), "14");
        assert_eq!(tidy_number("10.483870967741936"), "10.5");
    }
}
