//! Reading a cohort: the listing of the PATHs and the bounded, non-blocking,
//! read-only read of each learner's files.
//!
//! A coach's directory holds files other people handed in, so nothing in it is
//! trusted: a FIFO must not hang the report, a device or a huge file must not
//! fill memory, and nothing is ever locked, written or created.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::iter;
use std::path::{Path, PathBuf};

use crate::store::FileId;

/// Why a learner file could not be read.
#[derive(Debug)]
pub(super) enum ReadError {
    Missing,
    /// A sentence saying what is wrong, without the file's name.
    Unreadable(String),
}

/// Every learner file the PATHs name, streamed: a file as given (but never a
/// `*.history.toml`, which goes with its learner's file, however a shell glob
/// names it), a directory's own `*.toml` entries except histories, and every
/// `certprep.toml` in the folders below it (a cohort of cloned learner
/// repositories), leaving out hidden folders (`.git`) and not following links
/// to folders. A directory that cannot be listed yields one error line instead.
pub(super) fn learner_files(
    paths: &[PathBuf],
) -> impl Iterator<Item = Result<PathBuf, String>> + Send + '_ {
    paths
        .iter()
        .flat_map(|path| -> Box<dyn Iterator<Item = _> + Send> {
            // `metadata` follows a link but never opens the file, so a FIFO cannot block it.
            if fs::metadata(path).is_ok_and(|metadata| metadata.is_dir()) {
                Box::new(Walk {
                    pending: vec![(path.clone(), true)],
                    listing: None,
                })
            } else if path.file_name().is_some_and(is_history) {
                Box::new(iter::empty())
            } else {
                Box::new(iter::once(Ok(path.clone())))
            }
        })
}

/// A walk over a directory named on the command line: its learner files, then
/// the `certprep.toml` of each folder below, depth first.
struct Walk {
    /// Folders still to list, each with whether it is the named directory itself.
    pending: Vec<(PathBuf, bool)>,
    /// The folder being listed: its entries, and whether it is the named one.
    listing: Option<(PathBuf, fs::ReadDir, bool)>,
}

impl Iterator for Walk {
    type Item = Result<PathBuf, String>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let Some((dir, entries, top)) = &mut self.listing else {
                let (dir, top) = self.pending.pop()?;
                match fs::read_dir(&dir) {
                    Ok(entries) => self.listing = Some((dir, entries, top)),
                    Err(error) => return Some(Err(cannot_list(&dir, &error))),
                }
                continue;
            };
            let entry = match entries.next() {
                None => {
                    self.listing = None;
                    continue;
                }
                Some(Err(error)) => return Some(Err(cannot_list(dir, &error))),
                Some(Ok(entry)) => entry,
            };
            let name = entry.file_name();
            // The entry's own type: a link to a folder is not a folder here.
            let is_folder = entry.file_type().is_ok_and(|kind| kind.is_dir());
            if is_folder {
                if !name.as_encoded_bytes().starts_with(b".") {
                    self.pending.push((entry.path(), false));
                }
                continue;
            }
            let wanted = if *top {
                is_learner_file(&name)
            } else {
                name == FOUND_FILE
            };
            if wanted {
                return Some(Ok(entry.path()));
            }
        }
    }
}

/// The progress file of a learner's folder, as discovery finds it.
const FOUND_FILE: &str = crate::store::discover::FILE_NAME;

fn cannot_list(dir: &Path, error: &io::Error) -> String {
    format!("cannot list {}: {error}", dir.display())
}

/// `NAME.toml`, but not `NAME.history.toml` (it belongs to `NAME.toml`).
fn is_learner_file(name: &OsStr) -> bool {
    name.to_string_lossy().ends_with(".toml") && !is_history(name)
}

fn is_history(name: &OsStr) -> bool {
    name.to_string_lossy().ends_with(".history.toml")
}

/// The learner's name: the one the file gives (`certprep name`), else, for a
/// `certprep.toml`, its folder's name (a cloned learner's repository), else the
/// file's stem (`ann.toml` is ann).
pub(super) fn learner_name(path: &Path, given: Option<&str>) -> String {
    if let Some(name) = given {
        return name.to_string();
    }
    if path.file_name().is_some_and(|name| name == FOUND_FILE) {
        let folder = match path.parent() {
            Some(parent) if parent.file_name().is_some() => parent.file_name().map(PathBuf::from),
            // `certprep.toml`, `./certprep.toml`, `../certprep.toml`: the name
            // of the folder they are in.
            Some(parent) => {
                let parent = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
                fs::canonicalize(parent)
                    .ok()
                    .and_then(|folder| folder.file_name().map(PathBuf::from))
            }
            None => None,
        };
        if let Some(folder) = folder {
            return folder.to_string_lossy().into_owned();
        }
    }
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Learners of the same name told apart: each such name gets its file's path
/// after it, `ann (cohort/ann-2/certprep.toml)`, in its rows too.
pub(super) fn tell_apart(reports: &mut [super::FileReport]) {
    let mut files_per_name: std::collections::HashMap<String, usize> =
        std::collections::HashMap::new();
    for report in reports.iter() {
        if let Some(learner) = &report.learner {
            *files_per_name.entry(learner.clone()).or_default() += 1;
        }
    }
    for report in reports.iter_mut() {
        let Some(learner) = &report.learner else {
            continue;
        };
        if files_per_name[learner] < 2 {
            continue;
        }
        let told = format!("{learner} ({})", report.path.display());
        for row in &mut report.rows {
            row.learner = told.clone();
        }
        report.learner = Some(told);
    }
}

/// The text of a learner file, read as the store reads certprep's own files:
/// only a regular file, opened without blocking (a FIFO cannot hang the report),
/// and no more than [`crate::store::MAX_FILE_BYTES`]; with the file's identity,
/// so that a file the PATHs name several ways is counted once.
pub(super) fn read_text(path: &Path) -> Result<(String, FileId), ReadError> {
    let (bytes, id) = crate::store::read_regular(path).map_err(|error| match error.kind() {
        io::ErrorKind::NotFound => ReadError::Missing,
        _ => ReadError::Unreadable(error.to_string()),
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| ReadError::Unreadable("it is not UTF-8 text".to_string()))?;
    Ok((text, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_learners_name() {
        // The file's own name first, whatever the file is called.
        assert_eq!(
            learner_name(Path::new("cohort/x/certprep.toml"), Some("Ana Lima")),
            "Ana Lima"
        );
        assert_eq!(learner_name(Path::new("ann.toml"), Some("Ana")), "Ana");
        // A certprep.toml after its folder, anything else after its stem.
        assert_eq!(
            learner_name(Path::new("cohort/bo/certprep.toml"), None),
            "bo"
        );
        assert_eq!(learner_name(Path::new("cohort/cy.toml"), None), "cy");
        assert_eq!(learner_name(Path::new("/certprep.toml"), None), "certprep");
    }

    #[test]
    fn learner_files_leave_out_histories_and_other_files() {
        let names = [
            "ann.toml",
            "ann.history.toml",
            "notes.txt",
            "ann.toml.lock",
            ".ann.toml.x1.tmp",
        ];
        let kept: Vec<&str> = names
            .into_iter()
            .filter(|name| is_learner_file(OsStr::new(name)))
            .collect();
        assert_eq!(kept, ["ann.toml"]);
    }
}
