//! The report as it stood at a commit: every content file of the commit's tree, parsed as
//! the work tree would be, into a model. Files that do not parse are left out.

use gix::ObjectId;

use super::git::Repo;
use crate::config::SiteConfig;
use crate::content::Content;
use crate::content::load::{Entry, Kind, dedupe_ids, parse_file};
use crate::model::Model;

/// The content of a commit tree; when what can be read does not make a model, the first
/// reason why, at its file and line.
pub fn model_at(
    repo: &Repo,
    tree: ObjectId,
    config: &SiteConfig,
    drafts: bool,
) -> Result<Model, String> {
    let jobs: Vec<((Kind, String), ObjectId)> = repo
        .content_files(tree)
        .into_iter()
        .filter_map(|(rel, id)| {
            let folder = rel.split('/').nth(1)?;
            let kind = Kind::ALL
                .into_iter()
                .find(|k| k.folder() == folder && k.accepts_path(&rel))?;
            Some(((kind, rel), id))
        })
        .collect();
    let parsed = repo.map_blobs(&jobs, config.max_file_size, |(kind, rel), bytes| {
        let (entry, diags) = parse_file(*kind, rel, &bytes?, config);
        entry.filter(|_| !diags.iter().any(|d| d.is_error()))
    });
    let mut content = Content {
        config: config.clone(),
        ..Content::default()
    };
    for (((kind, rel), _), entry) in jobs.iter().zip(parsed) {
        match entry {
            Some(Entry::Roadmap(x)) => content.items.push(x),
            Some(Entry::Outcome(x)) => content.outcomes.push(x),
            Some(Entry::Postmortem(x)) => content.postmortems.push(x),
            Some(Entry::Page(x)) => content.pages.push(x),
            None => {
                let path = std::path::Path::new(rel);
                content
                    .unreadable
                    .insert(crate::content::load::unreadable_key(*kind, path));
            }
        }
    }
    let _ = dedupe_ids(&mut content);
    Model::build(content, drafts).map_err(|errors| {
        errors.first().map_or_else(
            || "the content has errors".to_string(),
            |d| format!("{}:{}: {}", d.file, d.pos.line, d.message),
        )
    })
}
