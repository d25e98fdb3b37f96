//! The learner's progress file: model, load, and the locked atomic save.
//!
//! Reads never lock (writes are atomic renames, so a reader always sees a whole
//! file). Every read-modify-write goes through [`update`], which holds an exclusive
//! lock on a sidecar `<state>.lock` file: the rename swaps the state file's inode, so
//! locking the state file itself would not exclude a second writer.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

mod quick;

/// The state format this program reads and writes.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    pub version: Version,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub exams: BTreeMap<String, Progress>,
}

impl Default for State {
    fn default() -> Self {
        State {
            version: Version(VERSION),
            active: None,
            exams: BTreeMap::new(),
        }
    }
}

impl State {
    /// The progress for `exam`, or empty progress when none is recorded.
    pub fn progress(&self, exam: &str) -> Progress {
        self.exams.get(exam).cloned().unwrap_or_default()
    }

    /// The progress for `exam`, created if missing. Recording progress for an exam
    /// while none is active makes it active (DESIGN section 3).
    pub fn progress_mut(&mut self, exam: &str) -> &mut Progress {
        if self.active.is_none() {
            self.active = Some(exam.to_string());
        }
        self.exams.entry(exam.to_string()).or_default()
    }
}

/// Progress on one exam, keyed by the guide's stable ids. Ids the guide does not
/// know are kept as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked: Option<Date>,
    #[serde(default)]
    pub ticked: BTreeSet<String>,
    #[serde(default)]
    pub days_done: BTreeSet<u32>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ratings: BTreeMap<String, Rating>,
    /// When each rating was given, so an old one can be flagged as stale.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rated: BTreeMap<String, Date>,
}

/// The state format version; a newer one than [`VERSION`] is refused at parse time,
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

/// A self-rating, 1 (new to me) ..= 5 (exam-ready).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Rating(u8);

impl Rating {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 5;

    pub fn new(value: u8) -> Option<Rating> {
        (Self::MIN..=Self::MAX)
            .contains(&value)
            .then_some(Rating(value))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Rating {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = i64::deserialize(deserializer)?;
        u8::try_from(value)
            .ok()
            .and_then(Rating::new)
            .ok_or_else(|| serde::de::Error::custom(format!("rating {value} is not within 1..=5")))
    }
}

/// A calendar date stored as a TOML local date (`2026-11-20`, no quotes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use chrono::Datelike;
        let date = toml::value::Date {
            year: self.0.year() as u16,
            month: self.0.month() as u8,
            day: self.0.day() as u8,
        };
        toml::value::Datetime {
            date: Some(date),
            time: None,
            offset: None,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let invalid = || serde::de::Error::custom("expected a TOML local date such as 2026-11-20");
        let datetime = toml::value::Datetime::deserialize(deserializer).map_err(|_| invalid())?;
        match datetime {
            toml::value::Datetime {
                date: Some(date),
                time: None,
                offset: None,
            } => NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
                .map(Date)
                .ok_or_else(invalid),
            _ => Err(invalid()),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.format("%Y-%m-%d").fmt(f)
    }
}

/// The canonical bytes of a state: sorted, no duplicates, so the same progress
/// always writes the same file.
pub fn serialize(state: &State) -> String {
    toml::to_string(state).expect("the state model always serializes to TOML")
}

/// Parses state text; errors name `path` and the line.
pub fn parse(text: &str, path: &Path) -> Result<State> {
    parse_toml(text, path, "state file")
}

/// Parses a TOML file's text; errors name the file (`what` and `path`) and the
/// line, and say the file is left alone.
pub(crate) fn parse_toml<T: DeserializeOwned>(text: &str, path: &Path, what: &str) -> Result<T> {
    toml::from_str(text).map_err(|error| {
        let location = match error.span() {
            Some(span) => {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                format!("{}:{line}", path.display())
            }
            None => path.display().to_string(),
        };
        let message = error.message().trim_end().replace('\n', "; ");
        anyhow::anyhow!(
            "{what} {location} is not valid: {message} (fix or move the file; certprep leaves it untouched)"
        )
    })
}

/// Reads the state at `path`; a missing file is empty progress. Never writes.
/// A file in certprep's own layout is read without the toml parser ([`quick`]).
pub fn load(path: &Path) -> Result<State> {
    Ok(read_toml_with(path, "state file", quick::parse)?.0)
}

/// A TOML file parsed, with the exact text it was read from; a missing file is
/// the default value and `None`.
pub(crate) fn read_toml<T: DeserializeOwned + Default>(
    path: &Path,
    what: &str,
) -> Result<(T, Option<String>)> {
    read_toml_with(path, what, |_| None)
}

/// [`read_toml`], trying `quick` on the text before the toml parser.
fn read_toml_with<T: DeserializeOwned + Default>(
    path: &Path,
    what: &str,
    quick: fn(&str) -> Option<T>,
) -> Result<(T, Option<String>)> {
    match read_bounded(path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|error| {
                let line = error.as_bytes()[..error.utf8_error().valid_up_to()]
                    .iter()
                    .filter(|&&byte| byte == b'\n')
                    .count()
                    + 1;
                anyhow::anyhow!(
                    "{what} {}:{line} is not valid: it is not UTF-8 text (fix or move the file; certprep leaves it untouched)",
                    path.display()
                )
            })?;
            let value = match quick(&text) {
                Some(value) => value,
                None => parse_toml(&text, path, what)?,
            };
            Ok((value, Some(text)))
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                bail!(
                    "{what} {} is a symbolic link to a missing file; fix or remove the link",
                    path.display()
                );
            }
            Ok((T::default(), None))
        }
        Err(error) => Err(error).with_context(|| format!("cannot read {what} {}", path.display())),
    }
}

/// The largest state (or history) file certprep reads. What it writes is a few
/// kilobytes; a larger file is not one of its files, and reading it whole would
/// cost memory and time on every prompt.
pub const MAX_STATE_BYTES: u64 = 4 << 20;

/// The file's bytes, refusing files over [`MAX_STATE_BYTES`]; `take` bounds the
/// read even if the file grows meanwhile.
fn read_bounded(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let file = fs::File::open(path)?;
    let size = file.metadata()?.len();
    let too_large = || {
        io::Error::other(format!(
            "it is {size} bytes, more than the {} MiB certprep's files may have; is it the right file?",
            MAX_STATE_BYTES >> 20
        ))
    };
    if size > MAX_STATE_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_STATE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_STATE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Runs `change` on the state under the exclusive lock and saves the result
/// atomically when it differs from what was read. When `change` fails nothing is
/// written.
pub fn update<T>(path: &Path, change: impl FnOnce(&mut State) -> Result<T>) -> Result<T> {
    update_with(path, change, |_, _| Ok(()))
}

/// [`update`], with `before_write` run under the same lock when the state is about
/// to be written (it keeps files that follow the state, such as the history, in
/// step with it); when it fails, the state is not written.
pub fn update_with<T>(
    path: &Path,
    change: impl FnOnce(&mut State) -> Result<T>,
    before_write: impl FnOnce(&State, &T) -> Result<()>,
) -> Result<T> {
    let path = resolve_symlink(path)?;
    let dir = parent_dir(&path);
    create_private_dir(dir)?;
    let _lock = lock(&path)?;
    let (mut state, original) = read_toml(&path, "state file")?;
    let result = change(&mut state)?;
    let text = serialize(&state);
    let unchanged = match &original {
        Some(original) => *original == text,
        None => state == State::default(),
    };
    if !unchanged {
        before_write(&state, &result)?;
        write_atomic(&path, text.as_bytes())?;
    }
    Ok(result)
}

/// Writes go to a symlink's target, so a state file kept in a dotfiles repo and
/// linked into place stays a link.
fn resolve_symlink(path: &Path) -> Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => {
            fs::canonicalize(path).with_context(|| {
                format!(
                    "state file {} is a symbolic link to a missing file; fix or remove the link",
                    path.display()
                )
            })
        }
        _ => Ok(path.to_path_buf()),
    }
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Creates the state's directory (and missing parents) readable by the owner only.
fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("cannot create directory {}", dir.display()))
}

/// Takes the exclusive lock on `<state>.lock`, waiting for other writers.
fn lock(path: &Path) -> Result<fs::File> {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    let lock_path = PathBuf::from(name);
    let mut options = fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options
        .open(&lock_path)
        .with_context(|| format!("cannot open lock file {}", lock_path.display()))?;
    file.lock()
        .with_context(|| format!("cannot lock {}", lock_path.display()))?;
    Ok(file)
}

/// Replaces `path` with `bytes` so that a crash leaves the old or the new file,
/// never a torn one: a temp file in the same directory (mode 0600), synced, then
/// renamed over. The temp file is removed if anything fails before the rename; one
/// left by a writer that was killed is removed by the next write (all writers of
/// this state hold its lock, so any such file is stale).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = parent_dir(path);
    let prefix = temp_prefix(path);
    remove_stale_temp_files(dir, &prefix);
    let failed = || format!("cannot write {}", path.display());
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
        .with_context(failed)?;
    temp.write_all(bytes).with_context(failed)?;
    temp.as_file().sync_all().with_context(failed)?;
    temp.persist(path)
        .map_err(|error| error.error)
        .with_context(failed)?;
    // Make the rename itself durable; not every filesystem supports syncing a directory.
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

const TEMP_SUFFIX: &str = ".tmp";

/// Temp files are named after the state file (`.state.toml.Ab3xYz.tmp`), so the
/// cleanup of one state file's leftovers never touches another's.
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned());
    format!(".{}.", name.unwrap_or_default())
}

fn remove_stale_temp_files(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(prefix) && name.ends_with(TEMP_SUFFIX) {
            // Best effort: a leftover that cannot be removed is only clutter.
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date(NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
    }

    #[test]
    fn serializes_dates_natively_and_sorted() {
        let mut state = State {
            active: Some("associate".into()),
            ..State::default()
        };
        let progress = state.progress_mut("associate");
        progress.started = Some(date("2026-11-20"));
        progress
            .ticked
            .extend(["mlflow-tracking".into(), "automl".into()]);
        progress.days_done.extend([2, 1]);
        progress
            .ratings
            .insert("model-development".into(), Rating(2));
        progress.ratings.insert("databricks-ml".into(), Rating(3));
        let expected = "version = 1\nactive = \"associate\"\n\n[exams.associate]\nstarted = 2026-11-20\nticked = [\"automl\", \"mlflow-tracking\"]\ndays_done = [1, 2]\n\n[exams.associate.ratings]\ndatabricks-ml = 3\nmodel-development = 2\n";
        assert_eq!(serialize(&state), expected);
        assert_eq!(parse(expected, Path::new("s.toml")).unwrap(), state);
    }

    #[test]
    fn errors_name_file_and_line() {
        let cases = [
            ("version = 1\n[exams.a]\nticked = [\"x\"\n", ":3"),
            ("version = 1\n\n[exams.a]\nstarted = \"2026-11-20\"\n", ":4"),
            ("version = 1\n[exams.a.ratings]\nx = 6\n", ":3"),
            ("version = 2\n", ":1"),
            ("version = 1\n[exams.a]\nstarted = 2026-02-30\n", ":3"),
        ];
        for (text, line) in cases {
            let error = parse(text, Path::new("s.toml")).unwrap_err().to_string();
            assert!(
                error.contains(&format!("s.toml{line}")),
                "{text:?}: {error}"
            );
        }
    }
}
