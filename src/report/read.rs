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

/// Every learner file the PATHs name, streamed: a file as given, a directory's
/// `*.toml` entries except `*.history.toml` (not recursively). A directory that
/// cannot be listed yields one error line instead.
pub(super) fn learner_files(
    paths: &[PathBuf],
) -> impl Iterator<Item = Result<PathBuf, String>> + Send + '_ {
    paths
        .iter()
        .flat_map(|path| -> Box<dyn Iterator<Item = _> + Send> {
            // `metadata` follows a link but never opens the file, so a FIFO cannot block it.
            if !fs::metadata(path).is_ok_and(|metadata| metadata.is_dir()) {
                return Box::new(iter::once(Ok(path.clone())));
            }
            let cannot_list = |error: io::Error| format!("cannot list {}: {error}", path.display());
            match fs::read_dir(path) {
                Ok(entries) => Box::new(entries.filter_map(move |entry| match entry {
                    Ok(entry) => is_learner_file(&entry.file_name()).then(|| Ok(entry.path())),
                    Err(error) => Some(Err(cannot_list(error))),
                })),
                Err(error) => Box::new(iter::once(Err(cannot_list(error)))),
            }
        })
}

/// `NAME.toml`, but not `NAME.history.toml` (it belongs to `NAME.toml`).
fn is_learner_file(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.ends_with(".toml") && !name.ends_with(".history.toml")
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
