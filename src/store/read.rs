//! Reading certprep's files: regular files only, opened without blocking,
//! bounded in size, and links followed only when the runner owns them.

use super::*;

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

/// [`read_toml`], trying `layout_reader` on the text before the toml parser: a reader of
/// the exact layout certprep writes, which declines (`None`) anything else, so
/// errors and hand-edited files still get the toml parser's care.
pub fn read_toml_with<T: DeserializeOwned + Default>(
    path: &Path,
    what: &str,
    links: Links,
    layout_reader: fn(&str) -> Option<T>,
) -> Result<Snapshot<T>> {
    match read_text(path, what, links, MAX_FILE_BYTES)? {
        Some(text) => Ok(Snapshot {
            value: match layout_reader(&text) {
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
/// The file's text, `None` when it does not exist; more than `limit` bytes is refused.
pub(super) fn read_text(
    path: &Path,
    what: &str,
    links: Links,
    limit: u64,
) -> Result<Option<String>> {
    match open_to_read(path, what, links)? {
        Some(file) => text_of(&file, path, what, limit).map(Some),
        None => Ok(None),
    }
}

/// The regular file at `path` opened for reading, `None` when there is none.
pub(super) fn open_to_read(path: &Path, what: &str, links: Links) -> Result<Option<File>> {
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

/// The text of `file` (opened from `path`), which must be UTF-8 and at most `limit` bytes.
pub(super) fn text_of(file: &File, path: &Path, what: &str, limit: u64) -> Result<String> {
    let bytes = read_bounded(file, limit)
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
pub(super) fn open_regular(
    options: &mut fs::OpenOptions,
    path: &Path,
    links: Links,
) -> io::Result<File> {
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

/// A symlink loop, a path through a file and a directory opened for writing (a
/// lock file's path) get a sentence, not the OS's terse text; a socket (which no
/// open can read, "No such device or address") is refused as what it is, not a
/// regular file.
fn explain_open_error(error: io::Error) -> io::Error {
    match error.raw_os_error() {
        Some(libc::ENXIO) => io::Error::other(Refusal::NotRegular),
        Some(libc::ELOOP) => link_loop(),
        Some(libc::ENOTDIR) => io::Error::other("a part of its path is a file, not a directory"),
        Some(libc::EISDIR) => io::Error::other(Refusal::Directory),
        _ => error,
    }
}

pub(super) fn is_symlink(path: &Path) -> bool {
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

pub(super) fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
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
            text_of(&opened, &path, "state file", MAX_FILE_BYTES).unwrap(),
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
