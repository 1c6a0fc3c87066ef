//! Where the cursor is in a YAML file being typed (which may not parse): the field whose
//! value it is in, or the map whose field names it could start, read from indentation and
//! the current line the way a person reads it.

use crate::content::field_table::{self, Field, Table, Type};

/// What the cursor can be completed or described as.
#[derive(Clone, Copy, Debug)]
pub enum Place {
    /// A field name of this map.
    Key(&'static Table),
    /// A key of a map keyed by fixed words (`action_item_slo_days: {p0: 14}`).
    MapKey(&'static [&'static str]),
    /// The value of this field (or one item of it, when it is a list).
    Value(&'static Field),
}

#[derive(Clone, Debug)]
pub struct Context {
    pub place: Place,
    /// The word before the cursor (letters, digits, `-`, `_`) and where it starts
    /// (character column).
    pub prefix: String,
    pub prefix_start: usize,
    /// On a line with nothing but indentation, under a list of plain values: an item
    /// needs its `- `.
    pub needs_dash: bool,
}

/// The table of a file's top-level fields, by its path relative to the site root.
pub fn table_of(rel: &str) -> Option<&'static Table> {
    if rel == crate::config::CONFIG_FILE {
        return Some(&field_table::SITE);
    }
    match rel.split('/').collect::<Vec<_>>().as_slice() {
        ["content", "roadmap", .., _] => Some(&field_table::ROADMAP),
        ["content", "outcomes", .., _] => Some(&field_table::OUTCOME),
        ["content", "postmortems", .., _] => Some(&field_table::POSTMORTEM),
        ["content", "pages", .., _] => Some(&field_table::PAGE),
        _ => None,
    }
}

pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// The lines of the YAML part of a file: all of a `.yaml` file, the front matter of a
/// `.md` one. `(first line, end line)`, 0-based, end exclusive.
fn yaml_lines(lines: &[&str], markdown: bool) -> (usize, usize) {
    if !markdown {
        return (0, lines.len());
    }
    let is_fence = |l: &str| l.trim_start_matches('\u{feff}').trim_end() == "---";
    if !lines.first().is_some_and(|l| is_fence(l)) {
        return (0, 0);
    }
    let end = lines
        .iter()
        .skip(1)
        .position(|l| is_fence(l))
        .map_or(lines.len(), |i| i + 1);
    (1, end)
}

/// A line split into its indentation, list dashes and content: (first non-space column,
/// column where the content after `- ` starts).
fn indents(chars: &[char]) -> (usize, usize) {
    let ind = chars.iter().take_while(|c| **c == ' ').count();
    let mut i = ind;
    while chars.get(i) == Some(&'-') && matches!(chars.get(i + 1), Some(' ') | None) {
        i += 1;
        while chars.get(i) == Some(&' ') {
            i += 1;
        }
    }
    (ind, i)
}

/// The key of `content` when it starts `key:` (followed by a space or the end).
fn key_of(content: &[char]) -> Option<(String, usize)> {
    let mut quote = None;
    for (i, c) in content.iter().enumerate() {
        match (quote, c) {
            (None, '"' | '\'') if i == 0 => quote = Some(*c),
            (Some(q), c) if *c == q => quote = None,
            (None, ':') if matches!(content.get(i + 1), None | Some(' ') | Some('\t')) => {
                let key: String = content[..i].iter().collect();
                let key = key.trim().trim_matches(['"', '\'']).to_string();
                return (!key.is_empty()).then_some((key, i));
            }
            (None, '[' | '{' | '#') => return None,
            _ => {}
        }
    }
    None
}

/// The keys of the maps enclosing a line whose content starts at `col`.
fn ancestors(lines: &[&str], first: usize, line: usize, col: usize) -> Vec<String> {
    let mut path = Vec::new();
    let mut threshold = col;
    for l in lines[first..line].iter().rev() {
        if threshold == 0 {
            break;
        }
        let chars: Vec<char> = l.trim_end_matches('\r').chars().collect();
        let (ind, content_col) = indents(&chars);
        if content_col >= chars.len() || chars[content_col] == '#' {
            continue;
        }
        if content_col < threshold
            && let Some((key, _)) = key_of(&chars[content_col..])
        {
            path.push(key);
            threshold = ind;
        } else if ind < threshold && content_col >= threshold {
            // A list item's dash left of the content: the item's own map continues.
            threshold = ind;
        }
    }
    path.reverse();
    path
}

/// Follow `path` from `table`: the last field named, and the table of the map it leads
/// into (if any).
fn walk(
    table: &'static Table,
    path: &[String],
) -> Option<(Option<&'static Field>, &'static Table)> {
    let mut table = table;
    let mut last = None;
    for (i, key) in path.iter().enumerate() {
        let f = table.get(key)?;
        last = Some(f);
        match f.ty {
            Type::Object(t) | Type::Objects(t) => table = t,
            _ if i + 1 < path.len() => return None,
            _ => {}
        }
    }
    Some((last, table))
}

/// Where the cursor at (`line`, character `col`) is, in the file `rel` with `text`.
pub fn at(rel: &str, text: &str, line: usize, col: usize) -> Option<Context> {
    let root = table_of(rel)?;
    let lines: Vec<&str> = text.split('\n').collect();
    let (first, end) = yaml_lines(&lines, rel.ends_with(".md"));
    if line < first || line >= end {
        return None;
    }
    let chars: Vec<char> = lines[line].trim_end_matches('\r').chars().collect();
    let col = col.min(chars.len());
    let before = &chars[..col];
    let prefix_start = before
        .iter()
        .rposition(|c| !is_word_char(*c))
        .map_or(0, |i| i + 1);
    let prefix: String = before[prefix_start..].iter().collect();
    let (ind, content_col) = indents(before);
    let content_col = content_col.min(col);
    let mut path = ancestors(&lines, first, line, content_col);
    let content = &before[content_col..];
    let key_here = key_of(content);
    let mut needs_dash = false;
    let place = match key_here {
        Some((key, colon)) => {
            path.push(key);
            let (field, _) = walk(root, &path)?;
            let field = field?;
            let value = &content[colon + 1..];
            match inner_flow_map(value) {
                Some(FlowSpot::Key) => flow_key_place(field)?,
                Some(FlowSpot::Value(inner)) => match field.ty {
                    Type::Object(t) | Type::Objects(t) => {
                        let f = t.get(&inner)?;
                        path.push(inner);
                        Place::Value(f)
                    }
                    _ => return None,
                },
                None => Place::Value(field),
            }
        }
        None => {
            let (field, table) = walk(root, &path)?;
            let dashed = content_col > ind;
            if let Some(spot) = inner_flow_map(content) {
                // A flow map as a list item: `- {title: a, status: |`.
                let items = match field.map(|f| f.ty) {
                    None => table,
                    Some(Type::Object(t) | Type::Objects(t)) => t,
                    _ => return None,
                };
                let place = match spot {
                    FlowSpot::Key => Place::Key(items),
                    FlowSpot::Value(inner) => {
                        let f = items.get(&inner)?;
                        path.push(inner);
                        Place::Value(f)
                    }
                };
                return Some(Context {
                    place,
                    prefix,
                    prefix_start,
                    needs_dash: false,
                });
            }
            match field.map(|f| (f, &f.ty)) {
                None => Place::Key(table),
                Some((_, Type::Object(t))) => Place::Key(t),
                Some((_, Type::Objects(t))) => Place::Key(t),
                Some((_, Type::KeyedMap { keys, .. })) => Place::MapKey(keys),
                Some((f, _)) => {
                    needs_dash = !dashed && content.iter().all(|c| is_word_char(*c));
                    Place::Value(f)
                }
            }
        }
    };
    Some(Context {
        place,
        prefix,
        prefix_start,
        needs_dash,
    })
}

enum FlowSpot {
    /// Inside `{…}` where a field name goes.
    Key,
    /// Inside `{…}`, in the value of this field.
    Value(String),
}

/// Where the text after `key:` leaves the cursor inside a flow map `{…}`, if it does.
fn inner_flow_map(value: &[char]) -> Option<FlowSpot> {
    let mut open = None;
    let mut depth: Vec<usize> = Vec::new();
    for (i, c) in value.iter().enumerate() {
        match c {
            '{' => depth.push(i),
            '}' => {
                depth.pop();
            }
            _ => {}
        }
        open = depth.last().copied();
    }
    let start = open?;
    let inside = &value[start + 1..];
    let seg_start = inside.iter().rposition(|c| *c == ',').map_or(0, |i| i + 1);
    let segment: String = inside[seg_start..].iter().collect();
    match segment.split_once(':') {
        Some((k, _)) => Some(FlowSpot::Value(k.trim().to_string())),
        None => Some(FlowSpot::Key),
    }
}

fn flow_key_place(field: &'static Field) -> Option<Place> {
    match field.ty {
        Type::Object(t) | Type::Objects(t) => Some(Place::Key(t)),
        Type::KeyedMap { keys, .. } => Some(Place::MapKey(keys)),
        _ => None,
    }
}

/// The word under the cursor: (text, start, end) in characters.
pub fn word_at(line: &str, col: usize) -> Option<(String, usize, usize)> {
    let chars: Vec<char> = line.chars().collect();
    let col = col.min(chars.len());
    let start = chars[..col]
        .iter()
        .rposition(|c| !is_word_char(*c))
        .map_or(0, |i| i + 1);
    let end = chars[col..]
        .iter()
        .position(|c| !is_word_char(*c))
        .map_or(chars.len(), |i| col + i);
    (start < end).then(|| (chars[start..end].iter().collect(), start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place_at(rel: &str, text: &str) -> Option<(String, (), String, bool)> {
        // The cursor is where `|` is.
        let (line, col) = text
            .split('\n')
            .enumerate()
            .find_map(|(i, l)| l.find('|').map(|c| (i, l[..c].chars().count())))?;
        let text = text.replace('|', "");
        let cx = at(rel, &text, line, col)?;
        let place = match cx.place {
            Place::Key(t) => format!("key of {}", t.what),
            Place::MapKey(keys) => format!("map key {}", keys.join("/")),
            Place::Value(f) => format!("value of {}", f.name),
        };
        Some((place, (), cx.prefix, cx.needs_dash))
    }

    const RM: &str = "content/roadmap/x.md";
    const PM: &str = "content/postmortems/x.md";

    #[test]
    fn finds_the_field_of_a_value_in_flow_and_block_lists() {
        let p = place_at(RM, "---\ntitle: T\noutcomes: [a, che|\n---\n").unwrap();
        assert_eq!(p.0, "value of outcomes");
        assert_eq!(p.2, "che");
        let p = place_at(RM, "---\ndepends_on:\n  - x\n  - |\n---\n").unwrap();
        assert_eq!(p.0, "value of depends_on");
        let p = place_at(RM, "---\ndepends_on:\n  |\n---\n").unwrap();
        assert_eq!((p.0.as_str(), p.3), ("value of depends_on", true));
        let p = place_at(RM, "---\nstatus: in-|\n---\n").unwrap();
        assert_eq!((p.0.as_str(), p.2.as_str()), ("value of status", "in-"));
    }

    #[test]
    fn finds_field_names_at_each_level() {
        let p = place_at(RM, "---\ntitle: T\nsta|\n---\n").unwrap();
        assert_eq!(p.0, "key of a roadmap item");
        let p = place_at(RM, "---\nrice:\n  reach: 3\n  im|\n---\n").unwrap();
        assert_eq!(p.0, "key of `rice`");
        let p = place_at(RM, "---\nrice: {reach: 3, imp|\n---\n").unwrap();
        assert_eq!(p.0, "key of `rice`");
        let p = place_at(PM, "---\naction_items:\n  - title: a\n    rou|\n---\n").unwrap();
        assert_eq!(p.0, "key of an action item");
        let p = place_at(
            PM,
            "---\naction_items:\n  - title: a\n    roadmap: x|\n---\n",
        )
        .unwrap();
        assert_eq!(p.0, "value of roadmap");
        let p = place_at(PM, "---\naction_items:\n  - {title: a, status: o|\n---\n").unwrap();
        assert_eq!(p.0, "value of status");
        let p = place_at("site.yaml", "title: T\naction_item_slo_days:\n  p|\n").unwrap();
        assert_eq!(p.0, "map key p0/p1/p2/p3");
    }

    #[test]
    fn outside_the_front_matter_there_is_no_field() {
        assert!(place_at(RM, "---\ntitle: T\n---\nstatus: |\n").is_none());
        assert!(place_at("README.md", "status: |\n").is_none());
        assert!(place_at(RM, "---\nnot_a_field: |\n---\n").is_none());
    }
}
