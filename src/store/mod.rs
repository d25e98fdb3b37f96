//! certprep's files on disk, for the state, its history and the calendar:
//! bounded reads of regular files only ([`read`]), atomic writes that keep a
//! replaced file's owner ([`write`]), the writers' lock ([`lock`]), and the
//! read-modify-write that ties them together ([`update`]). This file holds what
//! they share: the format version, the size limit, how a file's text is parsed.
//!
//! Reads never lock: writes are atomic renames, so a reader always sees a whole
//! file. Every read-modify-write goes through [`update()`], which holds an
//! exclusive lock on a sidecar `<file>.lock`: the rename swaps the file's inode,
//! so locking the file itself would not exclude a second writer.

pub mod discover;
mod lock;
mod read;
mod update;
mod write;

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::usage;

pub use lock::Lock;
use lock::wait_for_lock;
pub use read::*;
pub use update::*;
pub use write::*;

/// The format version of the files this program reads and writes.
pub const VERSION: u32 = 1;

/// A file's format version; a newer one than [`VERSION`] is refused at parse time,
/// so the error points at its line.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Version(pub u32);

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let version = u32::deserialize(deserializer)?;
        if version > VERSION {
            return Err(serde::de::Error::custom(format!(
                "version {version} was written by a newer certprep (this one reads version {VERSION}); upgrade certprep"
            )));
        }
        Ok(Version(version))
    }
}

/// The largest state (or history) file certprep reads. What it writes is a few
/// kilobytes; a larger file is not one of its files, and reading it whole would
/// cost memory and time on every prompt. No change writes a larger one
/// ([`refuse_past_limit`]): the next command could not read it.
pub const MAX_FILE_BYTES: u64 = 4 << 20;

/// Refuses `text` as the new content of `what` at `path` when it is larger than
/// [`MAX_FILE_BYTES`], which every later read would refuse: a usage error, before
/// anything is written. `make_room` ends the sentence: how to make the file smaller.
pub fn refuse_past_limit(text: &str, path: &Path, what: &str, make_room: &str) -> Result<()> {
    let size = text.len();
    if size as u64 > MAX_FILE_BYTES {
        return Err(usage!(
            "{what} {} would be {size} bytes after this change, more than the {} MiB certprep's files may have, so the change was not made; {make_room}",
            path.display(),
            MAX_FILE_BYTES >> 20
        ));
    }
    Ok(())
}

/// Mode of a new state or history file: it is personal data.
pub const PRIVATE: u32 = 0o600;
/// A file's parsed value and the exact text it held (`None`: there was no file).
pub struct Snapshot<T> {
    /// The parsed value; the default when there was no file.
    pub value: T,
    pub text: Option<String>,
}
/// Parses a TOML file's text; errors name the file (`what` and `path`) and the
/// line, and say the file is left alone.
pub fn parse_toml<T: DeserializeOwned>(text: &str, path: &Path, what: &str) -> Result<T> {
    toml::from_str(text).map_err(|error| {
        let message = error.message().trim_end();
        let line = match error.span() {
            Some(span) => Some(text[..span.start.min(text.len())].matches('\n').count() + 1),
            None if message == "recursion limit" => line_of_deep_key(text),
            None => None,
        };
        let location = match line {
            Some(line) => format!("{}:{line}", path.display()),
            None => path.display().to_string(),
        };
        let message = match message {
            "recursion limit" => {
                "a key or table header has more than 80 dotted parts, nested too deeply to read"
            }
            "cannot recurse further; max recursion depth met" => {
                "arrays or inline tables nest too deeply to read"
            }
            message => &message.replace('\n', "; "),
        };
        anyhow!(
            "{what} {location} is not valid: {message} (fix or move the file; certprep leaves it untouched)"
        )
    })
}

/// The line of the first key or table header of more than 80 dotted parts, which
/// the toml parser refuses as "recursion limit" without a place.
fn line_of_deep_key(text: &str) -> Option<usize> {
    const DOTS: usize = 80;
    let deep = |line: &str| {
        let line = line.trim_start();
        let key = match line.strip_prefix('[') {
            Some(header) => header.split(']').next(),
            None => line.split('=').next(),
        };
        key.unwrap_or_default().matches('.').count() >= DOTS
    };
    text.lines().position(deep).map(|index| index + 1)
}
