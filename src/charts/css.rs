//! The stylesheet that colours the charts.

/// CSS for every chart: include it once per page (or in the theme's stylesheet).
///
/// Shapes and text in the SVG paint with `currentColor`; each class here sets `color` from a
/// custom property. Themes can override any `--tl-*` property (the defaults use `:where`, so
/// they have no specificity). Text defaults to the page's own text colour. Labels on reference
/// lines and markers get a halo in `--tl-bg` (default `Canvas`, which follows the page's
/// `color-scheme`; a theme with another background should set it). The dark block follows
/// `prefers-color-scheme`; print forces dark ink on white paper.
pub const CHART_CSS: &str = r#"/* throughline charts */
:where(.tl-chart) {
  --tl-bg: Canvas;
  --tl-text: currentColor;
  --tl-muted: #57606a;
  --tl-axis: #8c959f;
  --tl-grid: #d8dee4;
  --tl-target: #cf222e;
  --tl-ref: #6e7781;
  --tl-marker: #8250df;
  --tl-s1: #2563eb;
  --tl-s2: #d97706;
  --tl-s3: #059669;
  --tl-s4: #db2777;
  --tl-s5: #7c3aed;
  --tl-s6: #0891b2;
  --tl-st-planned: #6e7781;
  --tl-st-in-progress: #2563eb;
  --tl-st-shipped: #1a7f37;
  --tl-st-overdue: #cf222e;
  --tl-st-paused: #bf8700;
  --tl-st-cancelled: #afb8c1;
}
@media (prefers-color-scheme: dark) {
  :where(.tl-chart) {
    --tl-muted: #9198a1;
    --tl-axis: #6e7681;
    --tl-grid: #30363d;
    --tl-target: #ff7b72;
    --tl-ref: #9198a1;
    --tl-marker: #d2a8ff;
    --tl-s1: #60a5fa;
    --tl-s2: #fbbf24;
    --tl-s3: #34d399;
    --tl-s4: #f472b6;
    --tl-s5: #a78bfa;
    --tl-s6: #22d3ee;
    --tl-st-planned: #9198a1;
    --tl-st-in-progress: #58a6ff;
    --tl-st-shipped: #3fb950;
    --tl-st-overdue: #f85149;
    --tl-st-paused: #d29922;
    --tl-st-cancelled: #6e7681;
  }
}
@media print {
  :where(.tl-chart) {
    --tl-bg: #fff;
    --tl-text: #000;
    --tl-muted: #333;
    --tl-axis: #555;
    --tl-grid: #bbb;
    --tl-target: #b00020;
    --tl-ref: #444;
    --tl-marker: #6a3ab2;
    --tl-s1: #1d4ed8;
    --tl-s2: #b45309;
    --tl-s3: #047857;
    --tl-s4: #be185d;
    --tl-s5: #6d28d9;
    --tl-s6: #0e7490;
    --tl-st-planned: #555;
    --tl-st-in-progress: #1d4ed8;
    --tl-st-shipped: #047857;
    --tl-st-overdue: #b00020;
    --tl-st-paused: #92400e;
    --tl-st-cancelled: #999;
  }
  .tl-chart { break-inside: avoid; }
  /* Filled series also differ in how much ink they lay down, outlined, so stacked and
     grouped bars read in grayscale print. */
  .tl-chart rect.tl-s1, .tl-chart rect.tl-s2, .tl-chart rect.tl-s3,
  .tl-chart rect.tl-s4, .tl-chart rect.tl-s5, .tl-chart rect.tl-s6 { stroke: currentColor; stroke-width: 1px; }
  .tl-chart rect.tl-s2 { fill-opacity: 0.55; }
  .tl-chart rect.tl-s3 { fill-opacity: 0.25; }
  .tl-chart rect.tl-s4 { fill-opacity: 0.08; }
  .tl-chart rect.tl-s5 { fill-opacity: 0.8; }
  .tl-chart rect.tl-s6 { fill-opacity: 0.4; }
}
.tl-chart { display: block; width: 100%; height: auto; max-width: 34rem; overflow: visible; }
.tl-chart-sparkline { display: inline-block; width: 8rem; max-width: 100%; vertical-align: middle; }
.tl-chart-sparkline polyline { vector-effect: non-scaling-stroke; }
.tl-chart .tl-text { color: var(--tl-text); }
.tl-chart .tl-muted { color: var(--tl-muted); }
.tl-chart .tl-axis { color: var(--tl-axis); }
.tl-chart .tl-grid { color: var(--tl-grid); }
.tl-chart .tl-target { color: var(--tl-target); stroke-dasharray: 6 4; }
.tl-chart .tl-ref { color: var(--tl-ref); stroke-dasharray: 2 3; }
.tl-chart .tl-marker { color: var(--tl-marker); stroke-dasharray: 4 3; }
.tl-chart .tl-s1 { color: var(--tl-s1); }
.tl-chart .tl-s2 { color: var(--tl-s2); }
.tl-chart .tl-s3 { color: var(--tl-s3); }
.tl-chart .tl-s4 { color: var(--tl-s4); }
.tl-chart .tl-s5 { color: var(--tl-s5); }
.tl-chart .tl-s6 { color: var(--tl-s6); }
/* Line series differ in dash pattern as well as colour (for grayscale print and for
   readers who do not tell the colours apart). */
.tl-chart polyline.tl-s2 { stroke-dasharray: 8 4; }
.tl-chart polyline.tl-s3 { stroke-dasharray: 2 3; }
.tl-chart polyline.tl-s4 { stroke-dasharray: 10 3 2 3; }
.tl-chart polyline.tl-s5 { stroke-dasharray: 5 5; }
.tl-chart polyline.tl-s6 { stroke-dasharray: 1 4; }
.tl-chart .tl-st-planned { color: var(--tl-st-planned); }
.tl-chart .tl-st-in-progress { color: var(--tl-st-in-progress); }
.tl-chart .tl-st-shipped { color: var(--tl-st-shipped); }
.tl-chart .tl-st-overdue { color: var(--tl-st-overdue); }
.tl-chart .tl-st-paused { color: var(--tl-st-paused); }
.tl-chart .tl-st-cancelled { color: var(--tl-st-cancelled); }
.tl-chart text.tl-target, .tl-chart text.tl-ref, .tl-chart text.tl-marker,
.tl-chart-timeline text.tl-text {
  stroke: var(--tl-bg); stroke-width: 3px; stroke-linejoin: round; stroke-dasharray: none; paint-order: stroke;
}
"#;

#[cfg(test)]
mod tests {
    use super::CHART_CSS;

    #[test]
    fn every_class_the_charts_use_is_styled() {
        let mut classes = vec![
            "tl-text",
            "tl-muted",
            "tl-axis",
            "tl-grid",
            "tl-target",
            "tl-ref",
            "tl-marker",
        ];
        classes.extend(["tl-s1", "tl-s2", "tl-s3", "tl-s4", "tl-s5", "tl-s6"]);
        classes.extend(crate::charts::TimelineStatus::ALL.iter().map(|s| s.class()));
        let dark_start = CHART_CSS
            .find("@media (prefers-color-scheme: dark)")
            .unwrap_or(0);
        let print_start = CHART_CSS.find("@media print").unwrap_or(0);
        let light = &CHART_CSS[..dark_start];
        let dark = &CHART_CSS[dark_start..print_start];
        let print = &CHART_CSS[print_start..];
        for class in classes {
            let var = format!("--{class}:");
            assert!(CHART_CSS.contains(&format!(".{class} {{")), "{class}");
            assert!(light.contains(&var) && print.contains(&var), "{class}");
            // Text keeps the page's own colour in dark mode.
            assert!(dark.contains(&var) || class == "tl-text", "{class}");
        }
        assert!(CHART_CSS.contains("@media (prefers-color-scheme: dark)"));
        assert!(CHART_CSS.contains("@media print"));
    }

    /// The value of `property` in the first rule for `selector` that sets it.
    fn rule_value(css: &str, selector: &str, property: &str) -> Option<String> {
        css.match_indices(&format!("{selector} {{"))
            .find_map(|(start, _)| {
                let body = &css[start..start + css[start..].find('}')?];
                let at = body.find(&format!("{property}:"))? + property.len() + 1;
                Some(body[at..].split(';').next()?.trim().to_string())
            })
    }

    #[test]
    fn series_differ_beyond_colour_in_lines_and_in_print() {
        let print = &CHART_CSS[CHART_CSS.find("@media print").unwrap_or(0)..];
        let mut dashes = vec!["none".to_string()];
        let mut inks = vec!["1".to_string()];
        for n in 2..=6 {
            let dash = rule_value(
                CHART_CSS,
                &format!(".tl-chart polyline.tl-s{n}"),
                "stroke-dasharray",
            );
            let ink = rule_value(print, &format!(".tl-chart rect.tl-s{n}"), "fill-opacity");
            dashes.push(dash.unwrap_or_default());
            inks.push(ink.unwrap_or_default());
        }
        // Names on a phone's timeline sit on their own line, crossed by the quarter lines:
        // they get the same halo as the labels of reference lines.
        assert_eq!(
            rule_value(CHART_CSS, ".tl-chart-timeline text.tl-text", "paint-order").as_deref(),
            Some("stroke")
        );
        for list in [&dashes, &inks] {
            let mut unique = list.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), 6, "{list:?}");
            assert!(!list.contains(&String::new()), "{list:?}");
        }
    }
}
