//! The writers' lock: an exclusive lock on `<file>.lock`, and the notice when a
//! writer waits for it.

use super::*;

/// How long a writer waits for the lock before it says so on stderr.
const WAIT_BEFORE_SAYING: Duration = Duration::from_secs(1);

/// The exclusive lock on `<file>.lock`, held until dropped, and once the file is
/// written, the lock on the new file (see `update::HeldVersion`).
pub struct Lock {
    _lock_file: File,
    pub(super) _written: Option<File>,
}

impl Lock {
    /// Takes the lock for `path`, waiting for other writers (and saying so after
    /// about a second).
    ///
    /// The lock file only keeps writers queued in order; no update depends on it.
    /// What makes two writers exclusive is `update::HeldVersion`: each replaces the file only
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
    let keep = ownership_for(lock_path, belongs_with).map(|keep| Ownership { mode: None, ..keep });
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
    give_ownership(&file, keep)
        .with_context(|| format!("cannot open lock file {}", lock_path.display()))?;
    Ok(file)
}

/// Takes the lock on `file`. When another process holds it, a second thread says
/// `message` on stderr if the wait passes [`WAIT_BEFORE_SAYING`], while
/// this one blocks, so the lock passes on the moment it is free.
pub(super) fn wait_for_lock(file: &File, message: String) -> io::Result<()> {
    match file.try_lock() {
        Ok(()) => return Ok(()),
        Err(fs::TryLockError::WouldBlock) => {}
        Err(fs::TryLockError::Error(error)) => return Err(error),
    }
    let (locked, waiting) = mpsc::channel::<()>();
    let notice = std::thread::spawn(move || {
        let timed_out = waiting.recv_timeout(WAIT_BEFORE_SAYING) == Err(RecvTimeoutError::Timeout);
        if timed_out {
            crate::message::report(crate::message::Level::Notice, &anyhow::anyhow!(message));
        }
        timed_out
    });
    let result = file.lock();
    drop(locked);
    let _ = notice.join();
    result
}
