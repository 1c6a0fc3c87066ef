//! Free pages: `content/pages/<id>.md` with a title and a Markdown body.

use serde::Serialize;

use super::fields::{Fields, FileCtx};
use crate::diagnostics::Pos;

#[derive(Clone, Debug, Serialize)]
pub struct Page {
    pub id: String,
    pub path: String,
    #[serde(skip)]
    pub id_pos: Pos,
    pub title: String,
    pub body: String,
    #[serde(skip)]
    pub body_line: u32,
}

pub fn parse(
    cx: &mut FileCtx,
    f: &Fields,
    id: String,
    id_pos: Pos,
    path: &str,
    body: &str,
    body_line: u32,
) -> Option<Page> {
    let title = cx.req_string(f, "title", "a page")?;
    Some(Page {
        id,
        path: path.to_string(),
        id_pos,
        title,
        body: body.to_string(),
        body_line,
    })
}
