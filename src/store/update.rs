//! The read-modify-write: a change run on the file as it is, then again under
//! the lock on the very file it read, and written only when it changed something.

use super::*;

/// What [`update`] did: the change's value, and whether the file was written,
/// with the lock still held so that what follows the file (the history) is
/// written in step with it.
pub struct Updated<T> {
    /// What `change` returned, from its last run.
    pub value: T,
    /// The lock, still held, when the file was written; `None` when nothing changed.
    pub lock: Option<Lock>,
}

/// How many times a writer starts over because another one created the file first.
const MAX_ATTEMPTS: usize = 100;

/// A file [`update`] rewrites: its model and the canonical text of a value.
pub trait Document: Serialize + DeserializeOwned + Default + PartialEq {
    /// How the learner makes the file smaller: the end of the sentence that
    /// refuses a change past [`MAX_FILE_BYTES`].
    const MAKE_ROOM: &'static str;

    /// The bytes written for `self`: the same value always gives the same text.
    fn to_text(&self) -> String;
}

/// Runs `change` on the TOML document at `path` and writes the result atomically
/// when it differs from what was read; `before_write` runs just before (its error
/// stops the write). When `change` fails, or its result is larger than
/// [`MAX_FILE_BYTES`], nothing is written.
///
/// The file read may have up to `read_limit` bytes: [`MAX_FILE_BYTES`], or more
/// for a change that is the way back under it (a file an older certprep let grow
/// past it), since what is written must be within it anyway.
///
/// `change` (and `before_write`) run first on the file as it is, without the
/// lock, so that a command that fails or changes nothing touches nothing on disk
/// (no directory, no lock file). Then they run again under the lock on the
/// [`HeldVersion`] file.
pub fn update<D, T>(
    path: &Path,
    what: &str,
    read_limit: u64,
    mut change: impl FnMut(&mut D) -> Result<T>,
    mut before_write: impl FnMut(&D, &T) -> Result<()>,
) -> Result<Updated<T>>
where
    D: Document,
{
    let path = resolve(path, what)?;
    let text = read_text(&path, what, Links::FollowOwn, read_limit)?;
    let mut value = match &text {
        Some(text) => parse_toml(text, &path, what)?,
        None => D::default(),
    };
    let result = change(&mut value)?;
    let Some(new_text) = serialized_if_changed(&value, text.as_deref()) else {
        return Ok(Updated {
            value: result,
            lock: None,
        });
    };
    // What would stop the write (a file past the size limit, a broken history)
    // stops it before anything, the folder or the lock file, is created.
    refuse_past_limit(&new_text, &path, what, D::MAKE_ROOM)?;
    before_write(&value, &result)?;
    create_dir(parent_dir(&path))?;
    let mut lock = Lock::acquire(&path)?;
    let new = NewFile {
        mode: PRIVATE,
        belongs_with: &path,
    };
    for _ in 0..MAX_ATTEMPTS {
        let current = HeldVersion::hold(&path, what, read_limit)?;
        let mut value = match &current.text {
            Some(text) => parse_toml(text, &path, what)?,
            None => D::default(),
        };
        let result = change(&mut value)?;
        let Some(new_text) = serialized_if_changed(&value, current.text.as_deref()) else {
            return Ok(Updated {
                value: result,
                lock: None,
            });
        };
        refuse_past_limit(&new_text, &path, what, D::MAKE_ROOM)?;
        before_write(&value, &result)?;
        let temp = write_temp(&path, new_text.as_bytes(), &new)?;
        if let Some(written) = current.replace(temp, &path)? {
            lock._written = Some(written);
            return Ok(Updated {
                value: result,
                lock: Some(lock),
            });
        }
    }
    bail!(
        "{what} {} kept being created by another program while certprep tried to write it",
        path.display()
    )
}

/// [`update`] for a file certprep does not keep beside its own lock (the copy of
/// a progress file that git hands a merge driver): the lock file it takes beside
/// the file is removed afterwards when it was not there before, so that nothing
/// is left behind in a work tree.
pub fn update_leaving_no_lock<D: Document, T>(
    path: &Path,
    what: &str,
    change: impl FnMut(&mut D) -> Result<T>,
) -> Result<T> {
    let lock_path = sidecar(&resolve(path, what)?, ".lock");
    let was_there = fs::symlink_metadata(&lock_path).is_ok();
    let updated = update(path, what, MAX_FILE_BYTES, change, |_, _| Ok(()))?;
    drop(updated.lock);
    if !was_there {
        // Removing a lock file costs other writers nothing (see [`Lock::acquire`]).
        let _ = fs::remove_file(&lock_path);
    }
    Ok(updated.value)
}

/// `value`'s text when it differs from `text`, the file's (`None`: no file, which
/// only a value other than the default changes).
fn serialized_if_changed<D: Document>(value: &D, text: Option<&str>) -> Option<String> {
    let new_text = value.to_text();
    let changed = match text {
        Some(text) => text != new_text,
        None => *value != D::default(),
    };
    changed.then_some(new_text)
}

/// The file as it is now, opened and locked, with its text.
///
/// Holding it is what lets a writer replace it: every writer replaces the file only
/// while it holds the lock on the very file it read (and keeps the lock on the one
/// it puts in its place), so no two writers ever both replace one version and lose
/// an update, even when the lock file is removed or replaced while they run.
struct HeldVersion {
    file: Option<File>,
    text: Option<String>,
}

impl HeldVersion {
    fn hold(path: &Path, what: &str, limit: u64) -> Result<HeldVersion> {
        loop {
            let Some(file) = open_to_read(path, what, Links::FollowOwn)? else {
                return Ok(HeldVersion {
                    file: None,
                    text: None,
                });
            };
            let waiting = format!(
                "waiting for the lock on {what} {} (another program holds it)",
                path.display()
            );
            wait_for_lock(&file, waiting)
                .with_context(|| format!("cannot lock {what} {}", path.display()))?;
            // Replaced while this writer waited: hold the one there now.
            if same_file(&file, path) {
                let text = text_of(&file, path, what, limit)?;
                return Ok(HeldVersion {
                    file: Some(file),
                    text: Some(text),
                });
            }
        }
    }

    /// Puts `temp` in the file's place and returns it, locked; `None` when there
    /// was no file and another writer has created one meanwhile.
    fn replace(self, temp: tempfile::NamedTempFile, path: &Path) -> Result<Option<File>> {
        if self.file.is_some() {
            return commit_temp(temp, path).map(Some);
        }
        commit_new(temp, path)
    }
}
