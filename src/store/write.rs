//! Writing certprep's files: atomically (a synced temp file renamed over),
//! keeping a replaced file's owner and mode, and never through a link or onto a
//! special file.

use super::*;

/// The owner, group and permission bits a written file gets.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ownership {
    pub(super) uid: u32,
    pub(super) gid: u32,
    pub(super) mode: Option<u32>,
}

/// What a file written at `path` keeps: a replaced file's owner, group and mode;
/// a new file takes the owner and group of `belongs_with` (the state file it
/// goes with) or, failing that, of its directory. So root running certprep on a
/// user's file leaves it, and the files beside it, the user's.
pub(super) fn ownership_for(path: &Path, belongs_with: &Path) -> Option<Ownership> {
    if let Ok(metadata) = fs::metadata(path) {
        return Some(Ownership {
            uid: metadata.uid(),
            gid: metadata.gid(),
            mode: Some(metadata.mode() & 0o7777),
        });
    }
    let metadata = fs::metadata(belongs_with)
        .or_else(|_| fs::metadata(parent_dir(path)))
        .ok()?;
    Some(Ownership {
        uid: metadata.uid(),
        gid: metadata.gid(),
        mode: None,
    })
}

/// Gives `file` the owner (and mode) to keep. Only root can give a file away; for
/// anyone else a different owner is left as it is (best effort, as `sed -i`
/// does), since they write their own files as themselves.
pub(super) fn give_ownership(file: &File, keep: Option<Ownership>) -> io::Result<()> {
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
pub(super) fn create_dir(dir: &Path) -> Result<()> {
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
    let keep = ownership_for(existing, existing).map(|keep| Ownership { mode: None, ..keep });
    let mut builder = fs::DirBuilder::new();
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    for dir in missing.into_iter().rev() {
        match builder.create(dir) {
            Ok(()) => {
                if let Ok(handle) = File::open(dir) {
                    let _ = give_ownership(&handle, keep);
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
    let folder = parent_dir(&target);
    if !folder.is_dir() {
        bail!(
            "cannot write {}: there is no folder {}",
            path.display(),
            folder.display()
        );
    }
    let temp = write_temp(&target, bytes, new)?;
    commit_temp(temp, &target).map(drop)
}

/// Writes a new file at `path` atomically (a temp file renamed into place),
/// refusing when something is there already, also one created meanwhile.
pub fn create_new(path: &Path, bytes: &[u8], new: &NewFile) -> Result<()> {
    match commit_new(write_temp(path, bytes, new)?, path)? {
        Some(_) => Ok(()),
        None => bail!(
            "{} exists already; certprep leaves it as it is",
            path.display()
        ),
    }
}

/// Renames `temp` to `path` where there is no file yet; returns the new file,
/// still locked by this process, or `None` when a file is there (also one
/// created meanwhile), which is left as it is.
pub(super) fn commit_new(temp: tempfile::NamedTempFile, path: &Path) -> Result<Option<File>> {
    match temp.persist_noclobber(path) {
        Ok(file) => {
            sync_dir(path);
            Ok(Some(file))
        }
        Err(error) if error.error.kind() == io::ErrorKind::AlreadyExists => Ok(None),
        Err(error) => Err(error.error).with_context(|| format!("cannot write {}", path.display())),
    }
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
pub(super) fn write_temp(
    path: &Path,
    bytes: &[u8],
    new: &NewFile,
) -> Result<tempfile::NamedTempFile> {
    let failed = || format!("cannot write {}", path.display());
    let mut temp = create_temp(path, new.mode).with_context(failed)?;
    give_ownership(temp.as_file(), ownership_for(path, new.belongs_with)).with_context(failed)?;
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
pub(super) fn commit_temp(temp: tempfile::NamedTempFile, path: &Path) -> Result<File> {
    let file = temp
        .persist(path)
        .map_err(|error| error.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    sync_dir(path);
    Ok(file)
}

/// Makes a rename in `path`'s directory durable; not every filesystem supports
/// syncing a directory.
pub(super) fn sync_dir(path: &Path) {
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
            .tempfile_in(dir)
            .map_err(without_temp_path)?;
        temp.as_file().lock()?;
        // Between its creation and the lock, another writer's cleanup may have
        // taken it for a leftover and removed it: then make another.
        if same_file(temp.as_file(), temp.path()) {
            return Ok(temp);
        }
    }
}

/// `error` without the temp file's name, which tempfile adds to its message
/// (`… at path "/d/.x.ics.FqdNA8.tmp"`): the learner named the file beside it,
/// and the caller's message says which. (Inside the quoted, escaped name a
/// quote is `\"`, so the last ` at path "` is where tempfile's addition starts.)
fn without_temp_path(error: io::Error) -> io::Error {
    let text = error.to_string();
    match text.rfind(" at path \"") {
        Some(at) => io::Error::new(error.kind(), &text[..at]),
        None => error,
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
pub(super) fn same_file(file: &File, path: &Path) -> bool {
    match (file.metadata(), fs::metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}
