//! Finding the progress file that goes with the folder a command runs in:
//! `certprep.toml` there or in the nearest folder above that has one, as git
//! finds `.git`. It runs before every command, the shell prompt's included, so it
//! costs one `getcwd`, one `lstat` per folder on the way up, and one `stat` of the
//! folder where a file is found.
//!
//! A file found this way was not named by the user, so certprep uses it only when
//! the user running certprep owns it and its folder (a folder of root's is fine
//! too): someone else's `certprep.toml` planted in a shared folder above the
//! working directory must not steer what certprep reads and writes, as git
//! learned with `safe.directory` (CVE-2022-24765).

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The name of a progress file that discovery finds.
pub const FILE_NAME: &str = "certprep.toml";

/// What discovery found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// No folder from the current one up holds a `certprep.toml` (or the current
    /// folder cannot be known).
    Nothing,
    /// The file, as a path from the current folder (`certprep.toml`,
    /// `../../certprep.toml`), and its folder (`.`, `../..`).
    File { path: PathBuf, dir: PathBuf },
    /// The nearest one belongs to someone else, or lies in someone else's folder:
    /// not used.
    NotOurs { path: PathBuf, why: String },
}

/// Looks for `certprep.toml` in the current folder and each folder above it.
pub fn find() -> Found {
    let Ok(cwd) = std::env::current_dir() else {
        return Found::Nothing;
    };
    let levels = cwd
        .components()
        .filter(|component| matches!(component, std::path::Component::Normal(_)))
        .count();
    // Relative paths ("..", "../..") go up the same physical folders as getcwd's
    // answer, whatever links the shell's idea of the folder went through.
    let mut dir = PathBuf::from(".");
    for level in 0..=levels {
        let path = if level == 0 {
            PathBuf::from(FILE_NAME)
        } else {
            dir.join(FILE_NAME)
        };
        if let Ok(file) = fs::symlink_metadata(&path) {
            let folder_owner = fs::metadata(&dir).map_or(u32::MAX, |folder| folder.uid());
            // SAFETY: geteuid has no preconditions and cannot fail.
            let me = unsafe { libc::geteuid() };
            return match stranger(me, file.uid(), folder_owner) {
                None => Found::File { path, dir },
                Some(stranger) => Found::NotOurs {
                    why: stranger.sentence(&path, &dir, me),
                    path,
                },
            };
        }
        dir = if level == 0 {
            PathBuf::from("..")
        } else {
            dir.join("..")
        };
    }
    Found::Nothing
}

/// Whether a file exists at `path` (a link counts as what it points at; a
/// dangling one as nothing).
pub fn exists(path: &Path) -> bool {
    fs::metadata(path).is_ok()
}

/// Whether anything, a dangling link included, is at `path`.
pub fn occupied(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// Who, other than the user running certprep, owns a found file or its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stranger {
    File(u32),
    Folder(u32),
}

/// The owner that makes a found file unsafe to use for user `me`: the file must
/// be `me`'s, its folder `me`'s or root's.
pub fn stranger(me: u32, file_owner: u32, folder_owner: u32) -> Option<Stranger> {
    if file_owner != me {
        Some(Stranger::File(file_owner))
    } else if folder_owner != me && folder_owner != 0 {
        Some(Stranger::Folder(folder_owner))
    } else {
        None
    }
}

impl Stranger {
    fn sentence(self, path: &Path, dir: &Path, me: u32) -> String {
        let whose = match self {
            Stranger::File(owner) => format!("it belongs to user {owner}, not to you (user {me})"),
            Stranger::Folder(u32::MAX) => {
                format!("its folder {} cannot be looked at", dir.display())
            }
            Stranger::Folder(owner) => format!(
                "its folder {} belongs to user {owner}, not to you (user {me})",
                dir.display()
            ),
        };
        format!(
            "not using {}: {whose}; pass `--state {}` to use it on purpose",
            path.display(),
            path.display()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_file_of_ones_own_in_ones_own_or_roots_folder() {
        // User 1000 finds its own file in its own folder, or in root's.
        assert_eq!(stranger(1000, 1000, 1000), None);
        assert_eq!(stranger(1000, 1000, 0), None);
        // Someone else's file, wherever it lies; root's file too.
        assert_eq!(stranger(1000, 65534, 1000), Some(Stranger::File(65534)));
        assert_eq!(stranger(1000, 0, 0), Some(Stranger::File(0)));
        // Its own file in someone else's folder, who could swap it at any time.
        assert_eq!(stranger(1000, 1000, 65534), Some(Stranger::Folder(65534)));
        // Root: its own file in its own folder; nobody's folder is nobody's.
        assert_eq!(stranger(0, 0, 0), None);
        assert_eq!(stranger(0, 0, 65534), Some(Stranger::Folder(65534)));
        assert_eq!(stranger(0, 65534, 0), Some(Stranger::File(65534)));
    }

    #[test]
    fn the_sentence_names_the_file_the_owner_and_the_way_round() {
        let path = Path::new("../certprep.toml");
        assert_eq!(
            Stranger::Folder(65534).sentence(path, Path::new(".."), 0),
            "not using ../certprep.toml: its folder .. belongs to user 65534, not to you (user 0); pass `--state ../certprep.toml` to use it on purpose"
        );
        assert_eq!(
            Stranger::File(65534).sentence(path, Path::new(".."), 1000),
            "not using ../certprep.toml: it belongs to user 65534, not to you (user 1000); pass `--state ../certprep.toml` to use it on purpose"
        );
    }
}
