//! Placeholder until the metrics engine lands.
use jiff::civil::Date;

use crate::model::Model;

pub struct Metrics {
    pub as_of: Date,
}

pub fn compute(_model: &Model, as_of: Date) -> Metrics {
    Metrics { as_of }
}

pub fn to_json(m: &Metrics) -> String {
    format!("{{\n  \"as_of\": \"{}\"\n}}\n", m.as_of)
}
