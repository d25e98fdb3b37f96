//! Exam guides: the catalog of bundled and user guides, loaded lazily by id.
//!
//! Bundled and user guides share one model ([`model`]). A user guide is YAML,
//! parsed and validated at load. A bundled guide was parsed and validated by
//! `build.rs` and is compiled in as JSON, which loads in a fraction of the time:
//! the prompt segment runs on every shell prompt.

mod model;

use std::path::{Path, PathBuf};

pub use model::*;

// `BUNDLED: [(&str, &str); N]`, `(id, JSON)` for each `data/*.yaml`, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// The guides certprep knows: the bundled ones and the learner's own `*.yaml`
/// files in `user_dir`. A user guide's id is its file stem, so one guide loads
/// without listing or parsing the others. A user guide whose id is a bundled id
/// replaces the bundled one, so a learner can follow a newer outline and keep
/// their progress.
#[derive(Debug, Clone)]
pub struct Catalog {
    user_dir: Option<PathBuf>,
}

impl Catalog {
    pub fn new(user_dir: Option<PathBuf>) -> Catalog {
        Catalog { user_dir }
    }

    /// The user guide files, sorted by id.
    fn user_files(&self) -> Vec<(String, PathBuf)> {
        let mut files: Vec<(String, PathBuf)> = self
            .user_dir
            .as_deref()
            .and_then(|dir| std::fs::read_dir(dir).ok())
            .into_iter()
            .flatten()
            .filter_map(|entry| {
                let path = entry.ok()?.path();
                if path.extension()? != "yaml" {
                    return None;
                }
                let id = path.file_stem()?.to_str()?.to_string();
                Some((id, path))
            })
            .collect();
        files.sort();
        files
    }

    /// Every guide id: the bundled ones, then the user guides'.
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = BUNDLED.iter().map(|(id, _)| id.to_string()).collect();
        for (id, _) in self.user_files() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// Loads the guide with this exact id: one file check, one parse.
    pub fn load(&self, id: &str) -> anyhow::Result<Option<Guide>> {
        // Only a well-formed id can name a file: no paths, no dots.
        if let Some(dir) = self.user_dir.as_deref().filter(|_| is_valid_id(id)) {
            let path = dir.join(format!("{id}.yaml"));
            if path.is_file() {
                return load_file(&path).map(Some);
            }
        }
        Ok(BUNDLED
            .iter()
            .find(|(bundled, _)| *bundled == id)
            .map(|(_, json)| bundled(json)))
    }

    /// Loads every guide, bundled first, then the user's by id; a broken user
    /// guide is returned as an error beside the good ones, so one bad file never
    /// hides the others.
    pub fn load_all(&self) -> (Vec<Guide>, Vec<anyhow::Error>) {
        let user = self.user_files();
        let user_path = |id: &str| user.iter().find(|(user_id, _)| user_id == id);
        let is_bundled = |id: &str| BUNDLED.iter().any(|(bundled_id, _)| *bundled_id == id);
        let mut guides = Vec::new();
        let mut errors = Vec::new();
        let loaded = BUNDLED
            .iter()
            .map(|(id, json)| match user_path(id) {
                Some((_, path)) => load_file(path),
                None => Ok(bundled(json)),
            })
            .chain(
                user.iter()
                    .filter(|(id, _)| !is_bundled(id))
                    .map(|(_, path)| load_file(path)),
            );
        for result in loaded {
            match result {
                Ok(guide) => guides.push(guide),
                Err(error) => errors.push(error),
            }
        }
        (guides, errors)
    }
}

/// A bundled guide, validated at build time.
fn bundled(json: &str) -> Guide {
    serde_json::from_str(json).expect("build.rs wrote this JSON from a validated guide")
}

/// Reads, parses and validates one guide file; its id must equal its file stem.
pub fn load_file(path: &Path) -> anyhow::Result<Guide> {
    use anyhow::Context;
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read guide file {origin}"))?;
    let guide = Guide::from_yaml(&text, &origin)?;
    let stem = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or("");
    if guide.id != stem {
        return Err(GuideError {
            origin,
            problems: vec![Problem {
                field: "id".into(),
                line: line_of_id(&text, &guide.id, 0),
                message: format!(
                    "\"{}\" must equal the file name's stem \"{stem}\" (rename the file or the id)",
                    guide.id
                ),
            }],
        }
        .into());
    }
    Ok(guide)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_guides_load_by_id() {
        let catalog = Catalog::new(None);
        assert_eq!(catalog.ids(), ["associate", "professional"]);
        for id in catalog.ids() {
            let guide = catalog.load(&id).unwrap().expect("a bundled guide");
            assert_eq!(guide.id, id);
        }
        assert!(catalog.load("../associate").unwrap().is_none());
    }
}
