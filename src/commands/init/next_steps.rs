//! What `init` prints when it is done: how to preview the report, and how to publish it on
//! GitHub Pages in the order that works on the first push, with the repository's own
//! addresses when the folder already has a GitHub remote.

use std::fs;
use std::path::{Path, PathBuf};

use super::shell_word;

/// A repository on github.com.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitHubRepo {
    pub owner: String,
    pub name: String,
}

impl GitHubRepo {
    /// From a remote URL: `https://github.com/o/r(.git)`, `git@github.com:o/r.git` or
    /// `ssh://git@github.com/o/r.git`; `None` for any other host or shape.
    pub fn from_remote_url(url: &str) -> Option<GitHubRepo> {
        let url = url.trim();
        let path = ["https://", "http://", "ssh://", "git://"]
            .iter()
            .find_map(|scheme| url.strip_prefix(scheme))
            .and_then(|rest| {
                let (host, path) = rest.split_once('/')?;
                let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
                host.eq_ignore_ascii_case("github.com").then_some(path)
            })
            .or_else(|| url.strip_prefix("git@github.com:"))?;
        let path = path.trim_end_matches('/');
        let path = path.strip_suffix(".git").unwrap_or(path);
        let (owner, name) = path.split_once('/')?;
        let word = |w: &str| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        };
        (word(owner) && word(name) && name != "." && name != "..").then(|| GitHubRepo {
            owner: owner.to_string(),
            name: name.to_string(),
        })
    }

    pub fn url(&self) -> String {
        format!("https://github.com/{}/{}", self.owner, self.name)
    }

    /// Where GitHub Pages publishes it without a custom domain: the owner's site for a
    /// repository named `<owner>.github.io`, a project site under `/<name>/` otherwise.
    pub fn pages_url(&self) -> String {
        let host = format!("{}.github.io", self.owner.to_ascii_lowercase());
        if self.name.eq_ignore_ascii_case(&host) {
            format!("https://{host}/")
        } else {
            format!("https://{host}/{}/", self.name)
        }
    }
}

/// What `dir` knows of git: whether it is a repository, and its `origin` on GitHub.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Remote {
    pub is_repository: bool,
    pub github: Option<GitHubRepo>,
}

/// Reads `dir/.git/config` (or the config a `.git` file points at, as in a worktree or a
/// submodule). Anything unreadable counts as no remote: the steps are then generic.
pub fn origin_remote(dir: &Path) -> Option<Remote> {
    let dot_git = dir.join(".git");
    let git_dir = if dot_git.is_dir() {
        dot_git
    } else {
        let text = fs::read_to_string(&dot_git).ok()?;
        let target = PathBuf::from(text.trim().strip_prefix("gitdir:")?.trim());
        let git_dir = if target.is_absolute() {
            target
        } else {
            dir.join(target)
        };
        // A worktree keeps its remotes in the repository it belongs to.
        match fs::read_to_string(git_dir.join("commondir")) {
            Ok(common) => git_dir.join(common.trim()),
            Err(_) => git_dir,
        }
    };
    let config = fs::read_to_string(git_dir.join("config")).unwrap_or_default();
    Some(Remote {
        is_repository: true,
        github: origin_url(&config).and_then(|u| GitHubRepo::from_remote_url(&u)),
    })
}

/// The `url` of `[remote "origin"]` in a git config file.
fn origin_url(config: &str) -> Option<String> {
    let mut in_origin = false;
    for line in config.lines().map(str::trim) {
        if line.starts_with('[') {
            in_origin = line.replace(char::is_whitespace, "") == "[remote\"origin\"]";
        } else if in_origin
            && let Some((key, value)) = line.split_once('=')
            && key.trim() == "url"
        {
            return Some(value.trim().trim_matches('"').to_string());
        }
    }
    None
}

pub fn next_steps(dir: &Path, title: &str, remote: Option<&Remote>) -> String {
    let here = dir == Path::new(".") || dir.as_os_str().is_empty();
    let mut s = format!(
        "Created the report \"{title}\" in {}: site.yaml, a sample under content/ (4 roadmap items, 2 outcomes, 2 post-mortems, 1 page), .gitignore, .github/workflows/pages.yml, and schemas/ with .vscode/ for editors.\n\n",
        if here {
            "this folder".to_string()
        } else {
            dir.display().to_string()
        }
    );
    s.push_str("Preview it:\n");
    if !here {
        s.push_str(&format!("  cd {}\n", shell_word(dir)));
    }
    s.push_str(
        "  throughline serve      preview at http://127.0.0.1:1111; pages reload as you edit\n\
         \x20 throughline check      validate the content, as the workflow does on every pull request\n\n",
    );
    s.push_str(
        "Mistakes show while you type in VS Code (the YAML extension reads schemas/, as .vscode/settings.json says), and in any editor that runs `throughline lsp`: see docs/editors.md.\n\n",
    );
    s.push_str(&publish_steps(remote.cloned().unwrap_or_default()));
    s
}

/// The order that works on the first push: the Pages source is set before the workflow
/// first runs, since its "Configure Pages" step fails without it.
fn publish_steps(remote: Remote) -> String {
    let mut steps: Vec<String> = Vec::new();
    let (repo_url, pages_url) = match &remote.github {
        Some(repo) => (repo.url(), repo.pages_url()),
        None => {
            steps.push(
                "Create an empty repository on GitHub (no README, licence or .gitignore)."
                    .to_string(),
            );
            (
                "https://github.com/<owner>/<repository>".to_string(),
                "https://<owner>.github.io/<repository>/".to_string(),
            )
        }
    };
    let settings = match &remote.github {
        Some(_) => format!(
            "In the repository, set Settings → Pages → Source: GitHub Actions\n     ({repo_url}/settings/pages)."
        ),
        None => "In that repository, set Settings → Pages → Source: GitHub Actions.".to_string(),
    };
    steps.push(settings);
    let mut push = String::from("Push the report:\n");
    if !remote.is_repository {
        push.push_str("       git init\n");
    }
    push.push_str("       git add . && git commit -m \"Start the report\"\n");
    if remote.github.is_none() {
        push.push_str(&format!("       git remote add origin {repo_url}.git\n"));
    }
    push.push_str("       git branch -M main && git push -u origin main");
    steps.push(push);

    let mut s = String::from("Publish it on GitHub Pages, in this order:\n");
    for (i, step) in steps.iter().enumerate() {
        s.push_str(&format!("  {}. {step}\n", i + 1));
    }
    s.push_str(&format!(
        "  The run shows under {repo_url}/actions, and when it ends the site is at\n\
         \x20 {pages_url} (or your custom domain). Every push to main publishes it again.\n\
         \x20 Pushed before setting the source? The run fails at \"Configure Pages\" with \"Get Pages\n\
         \x20 site failed\": set the source, then re-run it (Actions → the run → Re-run all jobs)."
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(owner: &str, name: &str) -> Option<GitHubRepo> {
        Some(GitHubRepo {
            owner: owner.into(),
            name: name.into(),
        })
    }

    #[test]
    fn github_remotes_in_every_usual_spelling() {
        for url in [
            "https://github.com/acme/report.git",
            "https://github.com/acme/report",
            "https://github.com/acme/report/",
            "https://token@github.com/acme/report.git",
            "git@github.com:acme/report.git",
            "ssh://git@github.com/acme/report.git",
        ] {
            assert_eq!(
                GitHubRepo::from_remote_url(url),
                repo("acme", "report"),
                "{url}"
            );
        }
        for url in [
            "https://gitlab.com/acme/report.git",
            "git@example.com:acme/report.git",
            "https://github.com/acme",
            "https://github.com/acme/report/tree/main",
            "https://github.com/acme/..",
            "/srv/git/report.git",
        ] {
            assert_eq!(GitHubRepo::from_remote_url(url), None, "{url}");
        }
    }

    #[test]
    fn pages_addresses_of_project_and_owner_sites() {
        let project = repo("Acme", "q3-report").unwrap();
        assert_eq!(project.pages_url(), "https://acme.github.io/q3-report/");
        assert_eq!(project.url(), "https://github.com/Acme/q3-report");
        let owner = repo("Acme", "acme.github.io").unwrap();
        assert_eq!(owner.pages_url(), "https://acme.github.io/");
    }

    #[test]
    fn origin_is_read_from_its_own_section() {
        let config = "[core]\n\turl = nope\n[remote \"upstream\"]\n\turl = https://github.com/up/r.git\n[remote \"origin\"]\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n\turl = git@github.com:acme/report.git\n";
        assert_eq!(
            origin_url(config).as_deref(),
            Some("git@github.com:acme/report.git")
        );
        assert_eq!(origin_url("[remote \"upstream\"]\n url = x\n"), None);
    }

    #[test]
    fn with_a_github_remote_the_steps_name_its_addresses_and_skip_creating_it() {
        let remote = Remote {
            is_repository: true,
            github: repo("acme", "report"),
        };
        let text = next_steps(Path::new("."), "Report", Some(&remote));
        assert!(!text.contains("cd "), "{text}");
        assert!(!text.contains("Create an empty repository"), "{text}");
        assert!(!text.contains("git init"), "{text}");
        assert!(!text.contains("git remote add"), "{text}");
        assert!(
            text.contains("  1. In the repository, set Settings → Pages → Source: GitHub Actions\n     (https://github.com/acme/report/settings/pages).\n  2. Push the report:\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "the site is at\n  https://acme.github.io/report/ (or your custom domain)"
            ),
            "{text}"
        );
        assert!(
            text.contains("https://github.com/acme/report/actions"),
            "{text}"
        );
    }

    #[test]
    fn without_a_repository_the_steps_create_it_set_pages_then_push() {
        let text = next_steps(Path::new("my report"), "Report", None);
        let create = text
            .find("1. Create an empty repository on GitHub")
            .unwrap();
        let pages = text
            .find("2. In that repository, set Settings → Pages → Source: GitHub Actions.")
            .unwrap();
        let push = text.find("3. Push the report:").unwrap();
        assert!(create < pages && pages < push, "{text}");
        assert!(text.contains("  cd 'my report'\n"), "{text}");
        assert!(text.contains("       git init\n"), "{text}");
        assert!(
            text.contains("git remote add origin https://github.com/<owner>/<repository>.git\n"),
            "{text}"
        );
        assert!(
            text.contains("\"Configure Pages\" with \"Get Pages\n  site failed\""),
            "{text}"
        );
    }

    #[test]
    fn the_steps_name_the_editor_files_init_writes() {
        let text = next_steps(Path::new("."), "Report", None);
        assert!(
            text.contains("schemas/ with .vscode/ for editors"),
            "{text}"
        );
        assert!(text.contains("`throughline lsp`"), "{text}");
    }
}
