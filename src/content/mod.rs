//! Reading the content folder: front matter, YAML with positions, one module per kind.

pub mod dates;
pub mod field_table;
pub mod fields;
pub mod front_matter;
pub mod keywords;
pub mod load;
pub mod outcome;
pub mod page;
mod plain_yaml;
pub mod postmortem;
pub mod readiness;
pub mod roadmap;
pub mod yaml;

pub use load::{Content, Entry, Kind, LoadError, load, parse_file};
pub use outcome::Outcome;
pub use page::Page;
pub use postmortem::Postmortem;
pub use roadmap::RoadmapItem;
