//! JSON Schemas (draft 2020-12) of site.yaml, outcome files and the front matter of roadmap
//! items and post-mortems, made from the field tables, for editors' YAML support.

use serde_json::{Map, Value, json};

use crate::content::field_table::{SCHEMAS, Table, Type};

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";
const ID_PATTERN: &str = "^[a-z0-9][a-z0-9-]*$";
const DATE_PATTERN: &str = "^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\\s*$";
const DATETIME_PATTERN: &str = "^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?\\s*$";
const EFFORT_PATTERN: &str = "^\\s*[0-9]+(\\.[0-9]+)?\\s*[dw]?\\s*$";
const SIZE_PATTERN: &str = "^\\s*0*[1-9][0-9]*\\s*(B|KiB|KB|K|MiB|MB|M|GiB|GB|G)?\\s*$";

/// Every schema: file name (`roadmap.schema.json`) and its pretty-printed JSON.
pub fn all() -> Vec<(String, String)> {
    SCHEMAS
        .iter()
        .map(|(name, table)| {
            let text = serde_json::to_string_pretty(&document(name, table)).unwrap_or_default();
            (format!("{name}.schema.json"), text + "\n")
        })
        .collect()
}

/// The schema of one kind of file, with its title.
pub fn document(name: &str, table: &Table) -> Value {
    let mut doc = Map::new();
    doc.insert("$schema".into(), json!(DRAFT));
    doc.insert(
        "title".into(),
        json!(match name {
            "site" => "throughline site.yaml".to_string(),
            _ => format!("throughline {}", table.what.trim_start_matches("a ")),
        }),
    );
    if let Value::Object(body) = object(table) {
        doc.extend(body);
    }
    Value::Object(doc)
}

/// A map with exactly the table's fields; optional ones may be left empty (`name:`).
fn object(table: &Table) -> Value {
    let mut properties = Map::new();
    for f in table.fields {
        let mut schema = of_type(&f.ty);
        if !f.required {
            schema = allow_null(schema);
        }
        if let Value::Object(m) = &mut schema {
            m.insert("description".into(), json!(f.doc));
        }
        properties.insert(f.name.into(), schema);
    }
    let required: Vec<&str> = table
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn of_type(ty: &Type) -> Value {
    match ty {
        // Numbers written without quotes read as text.
        Type::Text => json!({"type": ["string", "number"]}),
        Type::Bool => json!({"type": "boolean"}),
        Type::Whole { min, max } => json!({"type": "integer", "minimum": min, "maximum": max}),
        Type::Number { min: Some(m) } => json!({"type": "number", "minimum": m}),
        Type::Number { min: None } => json!({"type": "number"}),
        Type::Share { zero_ok: true } => json!({"type": "number", "minimum": 0, "maximum": 1}),
        Type::Share { zero_ok: false } => {
            json!({"type": "number", "exclusiveMinimum": 0, "maximum": 1})
        }
        Type::OneOfNumbers(ns) => json!({"type": "number", "enum": ns}),
        Type::Date => json!({"type": "string", "pattern": DATE_PATTERN}),
        Type::DateTime => json!({"type": "string", "pattern": DATETIME_PATTERN}),
        Type::Effort => json!({"anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": EFFORT_PATTERN},
        ]}),
        Type::Ref(_) => id(),
        Type::Refs(_) => json!({"type": "array", "items": id()}),
        Type::Texts { non_empty } => {
            let mut v = json!({"type": "array", "items": of_type(&Type::Text)});
            if *non_empty {
                v["minItems"] = json!(1);
            }
            v
        }
        Type::Dates => json!({"type": "array", "items": of_type(&Type::Date)}),
        Type::Keyword(words) => json!({"type": "string", "enum": words}),
        Type::Severity => json!({"type": "string"}),
        Type::Object(t) => object(t),
        Type::Objects(t) => json!({"type": "array", "items": object(t)}),
        Type::KeyedMap { keys, value } => json!({
            "type": "object",
            "propertyNames": {"enum": keys},
            "additionalProperties": of_type(value),
        }),
        Type::Size => json!({"anyOf": [
            {"type": "integer", "minimum": 1},
            {"type": "string", "pattern": SIZE_PATTERN},
        ]}),
    }
}

/// An id: `[a-z0-9][a-z0-9-]*`; a whole number written without quotes is one too.
fn id() -> Value {
    json!({"anyOf": [
        {"type": "string", "pattern": ID_PATTERN},
        {"type": "integer", "minimum": 0},
    ]})
}

/// The same schema, also accepting an empty value (which the loader reads as absent).
fn allow_null(mut v: Value) -> Value {
    let Value::Object(m) = &mut v else { return v };
    match m.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            m.insert("type".into(), json!([t, "null"]));
        }
        Some(Value::Array(ts)) => ts.push(json!("null")),
        _ => {}
    }
    if let Some(Value::Array(values)) = m.get_mut("enum") {
        values.push(Value::Null);
    }
    if let Some(Value::Array(alternatives)) = m.get_mut("anyOf") {
        alternatives.push(json!({"type": "null"}));
    }
    v
}
