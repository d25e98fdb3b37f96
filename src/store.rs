//! certprep's files on disk (DESIGN section 2), for the state, its history and the
//! calendar: bounded reads of regular files only, atomic writes that keep a
//! replaced file's owner, the writers' lock, and the read-modify-write that ties
//! them together.
//!
//! Reads never lock: writes are atomic renames, so a reader always sees a whole
//! file. Every read-modify-write goes through [`update`], which holds an exclusive
//! lock on a sidecar `<file>.lock`: the rename swaps the file's inode, so locking
//! the file itself would not exclude a second writer.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};

use crate::error::usage;
use serde::de::DeserializeOwned;

pub mod discover;
use serde::{Deserialize, Deserializer, Serialize};

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
/// cost memory and time on every prompt.
pub const MAX_FILE_BYTES: u64 = 4 << 20;

/// Mode of a new state or history file: it is personal data.
pub const PRIVATE: u32 = 0o600;

/// A file's parsed value and the exact text it held (`None`: there was no file).
pub struct Snapshot<T> {
    pub value: T,
    pub text: Option<String>,
}

/// Which symbolic links an open follows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Links {
    /// A file the user names (the state, a guide, a learner's file, an output
    /// path): a link is followed when the user running certprep owns it, and
    /// every link after it, as Linux's protected symlinks do in shared folders.
    /// So another user's link never steers root to a file of root's choosing.
    FollowOwn,
    /// A file that goes with the state (its history, lock and temp files):
    /// never a link, whoever owns it.
    Refuse,
}

/// Reads and parses the TOML file at `path` (`what` names it in errors); a missing
/// file is the default value. Never writes.
pub fn read_toml<T: DeserializeOwned + Default>(
    path: &Path,
    what: &str,
    links: Links,
) -> Result<Snapshot<T>> {
    read_toml_with(path, what, links, |_| None)
}

/// [`read_toml`], trying `quick` on the text before the toml parser: a reader of
/// the exact layout certprep writes, which declines (`None`) anything else, so
/// errors and hand-edited files still get the toml parser's care.
pub fn read_toml_with<T: DeserializeOwned + Default>(
    path: &Path,
    what: &str,
    links: Links,
    quick: fn(&str) -> Option<T>,
) -> Result<Snapshot<T>> {
    match read_text(path, what, links)? {
        Some(text) => Ok(Snapshot {
            value: match quick(&text) {
                Some(value) => value,
                None => parse_toml(&text, path, what)?,
            },
            text: Some(text),
        }),
        None => Ok(Snapshot {
            value: T::default(),
            text: None,
        }),
    }
}

/// Parses a TOML file's text; errors name the file (`what` and `path`) and the
/// line, and say the file is left alone.
pub fn parse_toml<T: DeserializeOwned>(text: &str, path: &Path, what: &str) -> Result<T> {
    toml::from_str(text).map_err(|error| {
        let location = match error.span() {
            Some(span) => {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                format!("{}:{line}", path.display())
            }
            None => path.display().to_string(),
        };
        let message = error.message().trim_end().replace('\n', "; ");
        anyhow!(
            "{what} {location} is not valid: {message} (fix or move the file; certprep leaves it untouched)"
        )
    })
}

/// The file's text, `None` when it does not exist.
fn read_text(path: &Path, what: &str, links: Links) -> Result<Option<String>> {
    match open_to_read(path, what, links)? {
        Some(file) => text_of(&file, path, what).map(Some),
        None => Ok(None),
    }
}

/// The regular file at `path` opened for reading, `None` when there is none.
fn open_to_read(path: &Path, what: &str, links: Links) -> Result<Option<File>> {
    open_to_read_with(path, what, |path| {
        open_regular(fs::OpenOptions::new().read(true), path, links)
    })
}

/// [`open_to_read`] with the open itself passed in, so that a test can create the
/// file at the one moment that matters: after a failed open.
fn open_to_read_with(
    path: &Path,
    what: &str,
    mut open: impl FnMut(&Path) -> io::Result<File>,
) -> Result<Option<File>> {
    // A missing file may be created by another writer's rename between the open
    // and the look at what is there; then it is simply opened again.
    for _ in 0..3 {
        match open(path) {
            Ok(file) => return Ok(Some(file)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                match fs::symlink_metadata(path) {
                    Err(_) => return Ok(None),
                    Ok(metadata) if metadata.file_type().is_symlink() && !path.exists() => {
                        bail!(
                            "{what} {} is a symbolic link to a missing file; fix or remove the link",
                            path.display()
                        )
                    }
                    Ok(_) => continue,
                }
            }
            Err(error) => {
                return Err(error)
                    .with_context(|| format!("cannot read {what} {}", path.display()));
            }
        }
    }
    bail!(
        "{what} {} keeps appearing and vanishing while certprep reads it; try again",
        path.display()
    )
}

/// The text of `file` (opened from `path`), which must be UTF-8.
fn text_of(file: &File, path: &Path, what: &str) -> Result<String> {
    let bytes = read_bounded(file, MAX_FILE_BYTES)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    String::from_utf8(bytes).map_err(|error| {
        let line = error.as_bytes()[..error.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count()
            + 1;
        anyhow!(
            "{what} {}:{line} is not valid: it is not UTF-8 text (fix or move the file; certprep leaves it untouched)",
            path.display()
        )
    })
}

/// Which file a path named when it was opened: its device and inode. Paths with
/// the same identity (a hard link, a symbolic link, `..`, the same path twice)
/// name one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId {
    device: u64,
    inode: u64,
}

/// The bytes of the regular file at `path`, opened without blocking and read up
/// to [`MAX_FILE_BYTES`]: for files other people hand in (a coach's cohort). The
/// identity is the opened file's, so it is the one these bytes came from even if
/// the path is swapped meanwhile.
pub fn read_regular(path: &Path) -> io::Result<(Vec<u8>, FileId)> {
    let file = open_regular(fs::OpenOptions::new().read(true), path, Links::FollowOwn)?;
    let metadata = file.metadata()?;
    let id = FileId {
        device: metadata.dev(),
        inode: metadata.ino(),
    };
    Ok((read_bounded(&file, MAX_FILE_BYTES)?, id))
}

/// [`read_regular`] with another limit than [`MAX_FILE_BYTES`] (a guide's is
/// smaller). What it refuses is an [`io::Error`] holding a [`Refusal`], so that a
/// caller can say it in its own words.
pub fn read_regular_within(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    read_bounded(
        &open_regular(fs::OpenOptions::new().read(true), path, Links::FollowOwn)?,
        limit,
    )
}

/// What a bounded read of a regular file refuses; its text is the store's own.
#[derive(Debug)]
pub enum Refusal {
    Directory,
    /// A FIFO, socket or device.
    NotRegular,
    /// `size` bytes by the file's metadata, more than `limit`.
    TooLarge {
        size: u64,
        limit: u64,
    },
    /// Within `limit` when opened (`size` bytes), past it by the end of the read.
    Grew {
        size: u64,
        limit: u64,
    },
    /// A symbolic link where certprep never follows one (see [`Links::Refuse`]).
    Link,
    /// A symbolic link owned by `owner`, not by the user running certprep.
    ForeignLink {
        owner: u32,
    },
}

impl Refusal {
    /// The refusal `error` holds, if it is one.
    pub fn of(error: &io::Error) -> Option<&Refusal> {
        error.get_ref()?.downcast_ref()
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Directory => f.write_str("it is a directory, not a file"),
            Refusal::NotRegular => f.write_str(
                "it is not a regular file (a FIFO, socket or device); certprep only reads and writes plain files",
            ),
            Refusal::TooLarge { size, limit } | Refusal::Grew { size, limit } => write!(
                f,
                "it is {size} bytes, more than the {} MiB certprep's files may have; is it the right file?",
                limit >> 20
            ),
            Refusal::Link => f.write_str(
                "it is a symbolic link, and certprep never follows one for the history, lock or temporary files that go with a progress file; remove the link",
            ),
            Refusal::ForeignLink { owner } => write!(
                f,
                "it is a symbolic link owned by another user (uid {owner}), and certprep follows only links owned by the user running it; remove the link or name its target"
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// The file's bytes, refusing more than `limit`; `take` bounds the read even if
/// the file grows meanwhile.
fn read_bounded(file: &File, limit: u64) -> io::Result<Vec<u8>> {
    let size = file.metadata()?.len();
    if size > limit {
        return Err(io::Error::other(Refusal::TooLarge { size, limit }));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::other(Refusal::Grew { size, limit }));
    }
    Ok(bytes)
}

/// Opens `path` without blocking (a FIFO would block a plain open until a writer
/// comes) and refuses what the open found unless it is a regular file: checking
/// the opened file, not the path, leaves no gap for a swap in between. The open
/// itself never follows a link at the end of the path (`O_NOFOLLOW`, which also
/// keeps `O_CREAT` from creating a file at a link's target); `links` says whether
/// certprep then follows it itself.
fn open_regular(options: &mut fs::OpenOptions, path: &Path, links: Links) -> io::Result<File> {
    options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    let opened = match options.open(path) {
        // ELOOP is O_NOFOLLOW's answer for a link; EACCES is what the kernel's
        // protected symlinks answer first for another user's link in a sticky
        // folder (such as /tmp).
        Err(error)
            if matches!(error.raw_os_error(), Some(libc::ELOOP | libc::EACCES))
                && is_symlink(path) =>
        {
            match links {
                Links::Refuse => return Err(io::Error::other(Refusal::Link)),
                Links::FollowOwn => options.open(follow_own_links(path)?),
            }
        }
        opened => opened,
    };
    let file = opened.map_err(explain_open_error)?;
    let file_type = file.metadata()?.file_type();
    if file_type.is_file() {
        Ok(file)
    } else if file_type.is_dir() {
        Err(io::Error::other(Refusal::Directory))
    } else {
        Err(io::Error::other(Refusal::NotRegular))
    }
}

/// A symlink loop and a path through a file get a sentence, not the OS's terse
/// text; a socket (which no open can read, "No such device or address") is
/// refused as what it is, not a regular file.
fn explain_open_error(error: io::Error) -> io::Error {
    match error.raw_os_error() {
        Some(libc::ENXIO) => io::Error::other(Refusal::NotRegular),
        Some(libc::ELOOP) => link_loop(),
        Some(libc::ENOTDIR) => io::Error::other("a part of its path is a file, not a directory"),
        _ => error,
    }
}

fn is_symlink(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|metadata| metadata.file_type().is_symlink())
}

/// As many links as Linux follows for one path before it calls it a loop.
const MAX_LINKS: usize = 40;

/// The path that the chain of symbolic links at `path` ends at, when every link
/// in it is owned by the user running certprep; `path` itself when it is no link.
fn follow_own_links(path: &Path) -> io::Result<PathBuf> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let runner = unsafe { libc::geteuid() };
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                if metadata.uid() != runner {
                    return Err(io::Error::other(Refusal::ForeignLink {
                        owner: metadata.uid(),
                    }));
                }
                // A relative target is relative to the link's folder; an absolute
                // one replaces the whole path when joined.
                current = parent_dir(&current).join(fs::read_link(&current)?);
            }
            _ => return Ok(current),
        }
    }
    Err(link_loop())
}

fn link_loop() -> io::Error {
    io::Error::other("it is a symbolic link loop; fix or remove the link")
}

/// `path` with every symbolic link and `..` resolved, also when the file itself
/// does not exist yet (its directory does); `None` when neither resolves.
pub fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(path) = fs::canonicalize(path) {
        return Some(path);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    Some(fs::canonicalize(parent).ok()?.join(name))
}

/// Whether `a` and `b` name the same file: the same inode when both exist (a
/// hard link, a symbolic link, `..`), else the same [`canonical`] path (a file not
/// written yet). Output paths are checked with it against files certprep must
/// never overwrite.
pub fn paths_name_one_file(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => canonical(a).is_some_and(|a| Some(a) == canonical(b)),
    }
}

/// The path writes go to: a symbolic link's target, so that a file kept in a
/// dotfiles repo and linked into place stays a link, and so that everything
/// kept beside it (history, lock, temp files) is kept beside the target. Only
/// the runner's own links are followed (see [`Links::FollowOwn`]).
pub fn resolve(path: &Path, what: &str) -> Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => {
            follow_own_links(path)
                .map_err(explain_open_error)
                .with_context(|| format!("cannot use {what} {}", path.display()))?;
            fs::canonicalize(path).map_err(|error| {
                let why = if error.raw_os_error() == Some(libc::ELOOP) {
                    "is a symbolic link loop"
                } else {
                    "is a symbolic link to a missing file"
                };
                anyhow!("{what} {} {why}; fix or remove the link", path.display())
            })
        }
        _ => Ok(path.to_path_buf()),
    }
}

/// `path` with `suffix` added to its file name: `state.toml` → `state.toml.lock`.
pub fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

// ---------------------------------------------------------------------------
// Owners

/// The owner, group and permission bits a written file gets.
#[derive(Debug, Clone, Copy)]
struct Keep {
    uid: u32,
    gid: u32,
    mode: Option<u32>,
}

/// What a file written at `path` keeps: a replaced file's owner, group and mode;
/// a new file takes the owner and group of `belongs_with` (the state file it
/// goes with) or, failing that, of its directory. So root running certprep on a
/// user's file leaves it, and the files beside it, the user's.
fn keep_for(path: &Path, belongs_with: &Path) -> Option<Keep> {
    if let Ok(metadata) = fs::metadata(path) {
        return Some(Keep {
            uid: metadata.uid(),
            gid: metadata.gid(),
            mode: Some(metadata.mode() & 0o7777),
        });
    }
    let metadata = fs::metadata(belongs_with)
        .or_else(|_| fs::metadata(parent_dir(path)))
        .ok()?;
    Some(Keep {
        uid: metadata.uid(),
        gid: metadata.gid(),
        mode: None,
    })
}

/// Gives `file` the owner (and mode) to keep. Only root can give a file away; for
/// anyone else a different owner is left as it is (best effort, as `sed -i`
/// does), since they write their own files as themselves.
fn apply_keep(file: &File, keep: Option<Keep>) -> io::Result<()> {
    let Some(keep) = keep else { return Ok(()) };
    let metadata = file.metadata()?;
    if (metadata.uid(), metadata.gid()) != (keep.uid, keep.gid) {
        let _ = std::os::unix::fs::fchown(file, Some(keep.uid), Some(keep.gid));
    }
    if let Some(mode) = keep.mode {
        file.set_permissions(fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

/// Creates `dir` and its missing parents (mode 0700: the state is personal), each
/// owned like the nearest directory that exists; refuses a parent that is a file.
fn create_dir(dir: &Path) -> Result<()> {
    let mut missing = Vec::new();
    let mut existing = dir;
    loop {
        match fs::metadata(existing) {
            Ok(metadata) if metadata.is_dir() => break,
            Ok(_) => bail!(
                "cannot create directory {}: {} is a file, not a directory",
                dir.display(),
                existing.display()
            ),
            Err(_) => {
                missing.push(existing);
                existing = parent_dir(existing);
            }
        }
    }
    let keep = keep_for(existing, existing).map(|keep| Keep { mode: None, ..keep });
    let mut builder = fs::DirBuilder::new();
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    for dir in missing.into_iter().rev() {
        match builder.create(dir) {
            Ok(()) => {
                if let Ok(handle) = File::open(dir) {
                    let _ = apply_keep(&handle, keep);
                }
            }
            // Another writer made it meanwhile.
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
            Err(error) => {
                return Err(error)
                    .with_context(|| format!("cannot create directory {}", dir.display()));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Atomic writes

/// How a new file is made: its mode, and the file whose owner it takes.
pub struct NewFile<'a> {
    /// Mode bits of a new file (the umask applies); a replaced file keeps its own.
    pub mode: u32,
    /// The state file it belongs with, whose owner a new file takes.
    pub belongs_with: &'a Path,
}

/// Writes a file the user named (`plan --ics FILE`, `report --html FILE`) so
/// that a crash leaves the old or the new file, never a torn one: a temp file in
/// the same directory, synced, then renamed over. The user's own symbolic link at
/// `path` is followed (see [`resolve`]). What is at the path must be a regular
/// file or nothing: a directory, FIFO, socket or device is a usage error, and
/// nothing is created.
pub fn write_output(path: &Path, bytes: &[u8], new: &NewFile) -> Result<()> {
    let target = resolve(path, "output file").map_err(|error| usage!("{error:#}"))?;
    if let Some(kind) = special_kind(&target) {
        return Err(usage!(
            "{} is {kind}; certprep writes only regular files, so give the path of a file",
            path.display()
        ));
    }
    let temp = write_temp(&target, bytes, new)?;
    commit_temp(temp, &target).map(drop)
}

/// Replaces a file that goes with the progress file (its history) atomically,
/// as [`write_output`] does, but never through a symbolic link, whoever owns it.
pub fn write_companion(path: &Path, bytes: &[u8], new: &NewFile) -> Result<()> {
    if is_symlink(path) {
        return Err(io::Error::other(Refusal::Link))
            .with_context(|| format!("cannot write {}", path.display()));
    }
    if let Some(kind) = special_kind(path) {
        bail!(
            "cannot write {}: it is {kind}, not a regular file",
            path.display()
        );
    }
    let temp = write_temp(path, bytes, new)?;
    commit_temp(temp, path).map(drop)
}

/// What the path names when it is neither a regular file nor missing: "a
/// directory", "a FIFO", ... (a symbolic link counts as what it points to).
fn special_kind(path: &Path) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let file_type = fs::metadata(path).ok()?.file_type();
    Some(if file_type.is_file() {
        return None;
    } else if file_type.is_dir() {
        "a directory"
    } else if file_type.is_fifo() {
        "a FIFO"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_char_device() || file_type.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    })
}

/// Writes `bytes` to a synced temp file beside `path`, owned as `path` should be.
fn write_temp(path: &Path, bytes: &[u8], new: &NewFile) -> Result<tempfile::NamedTempFile> {
    let failed = || format!("cannot write {}", path.display());
    let mut temp = create_temp(path, new.mode).with_context(failed)?;
    apply_keep(temp.as_file(), keep_for(path, new.belongs_with)).with_context(failed)?;
    let (first_half, second_half) = bytes.split_at(bytes.len() / 2);
    temp.write_all(first_half).with_context(failed)?;
    stop_for_tests("half-written", path);
    temp.write_all(second_half).with_context(failed)?;
    temp.as_file().sync_all().with_context(failed)?;
    Ok(temp)
}

/// The crash tests' hook: with `CERTPREP_TEST_STOP="<point> <file name>"` a writer
/// stops itself (SIGSTOP) at that point of writing that file, so that a test can
/// SIGKILL it exactly there instead of at a random moment. Like git's `GIT_TEST_*`
/// variables it is for the test suite; it only ever pauses a writer, and only the
/// writer's own environment can ask for it.
fn stop_for_tests(point: &str, path: &Path) {
    let Some(wanted) = std::env::var_os("CERTPREP_TEST_STOP") else {
        return;
    };
    let name = path.file_name().unwrap_or_default();
    let mut here = std::ffi::OsString::from(point);
    here.push(" ");
    here.push(name);
    if wanted == here {
        // SAFETY: raise only sends this process a signal.
        unsafe {
            libc::raise(libc::SIGSTOP);
        }
    }
}

/// Renames `temp` over `path`; returns the new file, still locked by this process.
fn commit_temp(temp: tempfile::NamedTempFile, path: &Path) -> Result<File> {
    let file = temp
        .persist(path)
        .map_err(|error| error.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    sync_dir(path);
    Ok(file)
}

/// Makes a rename in `path`'s directory durable; not every filesystem supports
/// syncing a directory.
fn sync_dir(path: &Path) {
    if let Ok(dir) = File::open(parent_dir(path)) {
        let _ = dir.sync_all();
    }
}

const TEMP_SUFFIX: &str = ".tmp";

/// Temp files are named after their file (`.state.toml.Ab3xYz.tmp`), so that the
/// cleanup of one file's leftovers never touches another's.
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned());
    format!(".{}.", name.unwrap_or_default())
}

/// A new temp file beside `path`, locked for as long as this process holds it.
///
/// A writer killed mid-write leaves its temp file behind; the lock is how the next
/// writer tells such a leftover from a live writer's file: the kernel drops a
/// process's locks when it dies, so a temp file nobody holds locked is provably
/// dead and is removed, and one that is locked is left alone.
fn create_temp(path: &Path, mode: u32) -> io::Result<tempfile::NamedTempFile> {
    let dir = parent_dir(path);
    let prefix = temp_prefix(path);
    remove_dead_temp_files(dir, &prefix);
    loop {
        let temp = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(TEMP_SUFFIX)
            .permissions(fs::Permissions::from_mode(mode))
            .tempfile_in(dir)?;
        temp.as_file().lock()?;
        // Between its creation and the lock, another writer's cleanup may have
        // taken it for a leftover and removed it: then make another.
        if same_file(temp.as_file(), temp.path()) {
            return Ok(temp);
        }
    }
}

fn remove_dead_temp_files(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(prefix) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let path = entry.path();
        // Best effort: a leftover that cannot be removed is only clutter.
        if let Ok(file) = open_regular(fs::OpenOptions::new().read(true), &path, Links::Refuse)
            && file.try_lock().is_ok()
        {
            let _ = fs::remove_file(&path);
        }
    }
}

/// Whether `path` still names the file open as `file` (same device and inode).
fn same_file(file: &File, path: &Path) -> bool {
    match (file.metadata(), fs::metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// The lock

/// How long a writer waits for the lock before it says so on stderr.
const WAIT_BEFORE_SAYING: Duration = Duration::from_secs(1);

/// The exclusive lock on `<file>.lock`, held until dropped, and once the file is
/// written, the lock on the new file (see [`Current`]).
pub struct Lock {
    _lock_file: File,
    _written: Option<File>,
}

impl Lock {
    /// Takes the lock for `path`, waiting for other writers (and saying so after
    /// about a second).
    ///
    /// The lock file only keeps writers queued in order; no update depends on it.
    /// What makes two writers exclusive is [`Current`]: each replaces the file only
    /// while it holds the lock on the very file it read. So a lock file removed or
    /// replaced while a writer holds it (two writers then lock different files)
    /// costs nothing but a wait at the file itself.
    pub fn acquire(path: &Path) -> Result<Lock> {
        let lock_path = sidecar(path, ".lock");
        let file = open_lock_file(&lock_path, path)?;
        let waiting = format!(
            "waiting for the lock on {} (another certprep is writing)",
            lock_path.display()
        );
        wait_for_lock(&file, waiting)
            .with_context(|| format!("cannot lock {}", lock_path.display()))?;
        Ok(Lock {
            _lock_file: file,
            _written: None,
        })
    }
}

fn open_lock_file(lock_path: &Path, belongs_with: &Path) -> Result<File> {
    let keep = keep_for(lock_path, belongs_with).map(|keep| Keep { mode: None, ..keep });
    // Read and write: a FIFO opened for writing alone without blocking fails with
    // "No such device or address" instead of being recognised and named.
    let file = open_regular(
        fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .mode(PRIVATE),
        lock_path,
        Links::Refuse,
    )
    .with_context(|| format!("cannot open lock file {}", lock_path.display()))?;
    apply_keep(&file, keep)
        .with_context(|| format!("cannot open lock file {}", lock_path.display()))?;
    Ok(file)
}

/// Takes the lock on `file`. When another process holds it, a second thread says
/// `message` on stderr if the wait passes [`WAIT_BEFORE_SAYING`], while
/// this one blocks, so the lock passes on the moment it is free.
fn wait_for_lock(file: &File, message: String) -> io::Result<()> {
    match file.try_lock() {
        Ok(()) => return Ok(()),
        Err(fs::TryLockError::WouldBlock) => {}
        Err(fs::TryLockError::Error(error)) => return Err(error),
    }
    let (locked, waiting) = mpsc::channel::<()>();
    let herald = std::thread::spawn(move || {
        let timed_out = waiting.recv_timeout(WAIT_BEFORE_SAYING) == Err(RecvTimeoutError::Timeout);
        if timed_out {
            crate::render::report(crate::render::Level::Notice, &anyhow::anyhow!(message));
        }
        timed_out
    });
    let result = file.lock();
    drop(locked);
    let _ = herald.join();
    result
}

// ---------------------------------------------------------------------------
// Read-modify-write

/// What [`update`] did: the change's value, and whether the file was written,
/// with the lock still held so that what follows the file (the history) is
/// written in step with it.
pub struct Updated<T> {
    pub value: T,
    pub lock: Option<Lock>,
}

/// How many times a writer starts over because another one created the file first.
const MAX_ATTEMPTS: usize = 100;

/// A file [`update`] rewrites: its model and the canonical text of a value.
pub trait Document: Serialize + DeserializeOwned + Default + PartialEq {
    /// The bytes written for `self`: the same value always gives the same text.
    fn to_text(&self) -> String;
}

/// Runs `change` on the TOML document at `path` and writes the result atomically
/// when it differs from what was read; `before_write` runs just before (its error
/// stops the write). When `change` fails nothing is written.
///
/// `change` (and `before_write`) run first on the file as it is, without the
/// lock, so that a command that fails or changes nothing touches nothing on disk
/// (no directory, no lock file). Then they run again under the lock on the
/// [`Current`] file.
pub fn update<D, T>(
    path: &Path,
    what: &str,
    mut change: impl FnMut(&mut D) -> Result<T>,
    mut before_write: impl FnMut(&D, &T) -> Result<()>,
) -> Result<Updated<T>>
where
    D: Document,
{
    let path = resolve(path, what)?;
    let Snapshot { mut value, text } = read_toml::<D>(&path, what, Links::FollowOwn)?;
    let result = change(&mut value)?;
    if serialized_if_changed(&value, text.as_deref()).is_none() {
        return Ok(Updated {
            value: result,
            lock: None,
        });
    }
    // What would stop the write (a broken history) stops it before anything,
    // the folder or the lock file, is created.
    before_write(&value, &result)?;
    create_dir(parent_dir(&path))?;
    let mut lock = Lock::acquire(&path)?;
    let new = NewFile {
        mode: PRIVATE,
        belongs_with: &path,
    };
    for _ in 0..MAX_ATTEMPTS {
        let current = Current::hold(&path, what)?;
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
    let updated = update(path, what, change, |_, _| Ok(()))?;
    drop(updated.lock);
    if !was_there {
        // Removing a lock file costs other writers nothing (see [`Lock::acquire`]).
        let _ = fs::remove_file(&lock_path);
    }
    Ok(updated.value)
}

/// Writes a new file at `path` atomically (a temp file renamed into place),
/// refusing when something is there already, also one created meanwhile.
pub fn create_new(path: &Path, bytes: &[u8], new: &NewFile) -> Result<()> {
    let temp = write_temp(path, bytes, new)?;
    match temp.persist_noclobber(path) {
        Ok(_) => {
            sync_dir(path);
            Ok(())
        }
        Err(error) if error.error.kind() == io::ErrorKind::AlreadyExists => {
            bail!(
                "{} exists already; certprep leaves it as it is",
                path.display()
            )
        }
        Err(error) => Err(error.error).with_context(|| format!("cannot write {}", path.display())),
    }
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
struct Current {
    file: Option<File>,
    text: Option<String>,
}

impl Current {
    fn hold(path: &Path, what: &str) -> Result<Current> {
        loop {
            let Some(file) = open_to_read(path, what, Links::FollowOwn)? else {
                return Ok(Current {
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
                let text = text_of(&file, path, what)?;
                return Ok(Current {
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
        match temp.persist_noclobber(path) {
            Ok(file) => {
                sync_dir(path);
                Ok(Some(file))
            }
            Err(error) if error.error.kind() == io::ErrorKind::AlreadyExists => Ok(None),
            Err(error) => {
                Err(error.error).with_context(|| format!("cannot write {}", path.display()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The open that fails because the file is not there yet, with the file then
    /// put in place (as another writer's rename does) before certprep looks again.
    fn missing_then_created(
        path: &Path,
        text: &'static str,
    ) -> impl FnMut(&Path) -> io::Result<File> {
        let mut opens = 0;
        let path = path.to_path_buf();
        move |at: &Path| {
            opens += 1;
            if opens == 1 {
                fs::write(&path, text).unwrap();
                return Err(io::Error::from(io::ErrorKind::NotFound));
            }
            File::open(at)
        }
    }

    /// A file that appears between a failed open and the look after it is read,
    /// never called "a symbolic link to a missing file" or missing.
    #[test]
    fn a_file_created_after_a_failed_open_is_opened_again_and_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        let opened = open_to_read_with(
            &path,
            "state file",
            missing_then_created(&path, "version = 1\n"),
        )
        .unwrap()
        .expect("the file that appeared");
        assert_eq!(
            text_of(&opened, &path, "state file").unwrap(),
            "version = 1\n"
        );
    }

    /// A file that is there at every look and gone at every open is given up on
    /// after three tries, with a sentence, instead of looping.
    #[test]
    fn a_file_that_keeps_vanishing_is_given_up_on_after_three_opens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        fs::write(&path, "version = 1\n").unwrap();
        let mut opens = 0;
        let error = open_to_read_with(&path, "state file", |_| {
            opens += 1;
            Err(io::Error::from(io::ErrorKind::NotFound))
        })
        .expect_err("refused");
        assert_eq!(opens, 3);
        assert!(
            error.to_string().contains("keeps appearing and vanishing"),
            "{error}"
        );
    }

    /// A missing file is `None`, and a link to a missing file is named as one.
    #[test]
    fn a_missing_file_is_none_and_a_dangling_link_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        assert!(
            open_to_read(&path, "state file", Links::FollowOwn)
                .unwrap()
                .is_none()
        );
        std::os::unix::fs::symlink(dir.path().join("gone.toml"), &path).unwrap();
        let error = open_to_read(&path, "state file", Links::FollowOwn).expect_err("refused");
        assert!(
            error
                .to_string()
                .contains("symbolic link to a missing file"),
            "{error}"
        );
    }
}
