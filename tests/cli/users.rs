//! Acting as another user. Root reads and writes whatever the permission bits
//! say, so the tests of what those bits refuse run certprep as `nobody` (through
//! `setpriv`, from util-linux) when the suite runs as root, as CI does; and the
//! tests of files that belong to someone else need root to give them away.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{self, Env, TODAY};

/// The uid and gid of `nobody` and its group (`nogroup` or `nobody` by
/// distribution): numeric, so the group's name does not matter.
pub const NOBODY: u32 = 65534;

pub fn running_as_root() -> bool {
    let output = std::process::Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&output.stdout).trim() == "0"
}

/// Fails the test, saying how to run it, unless the suite runs as root: only
/// root can give a file to another user and run certprep as that user.
pub fn require_root() {
    assert!(
        running_as_root(),
        "this test acts as the user nobody and needs root: run the suite as root, as CI does"
    );
    common::require("setpriv");
}

/// Copies an executable with `cp`, not `fs::copy`: the tests share one process, and
/// a sibling test forking while this process holds the copy open for writing would
/// inherit that descriptor and make running the copy fail with "Text file busy".
fn copy_executable(from: &Path, to: &Path) {
    let status = std::process::Command::new("cp")
        .arg(from)
        .arg(to)
        .status()
        .expect("cp runs");
    assert!(status.success(), "cp {} {}", from.display(), to.display());
}

/// Gives `path` and, for a directory, everything below it to nobody (symbolic
/// links themselves, not what they point at).
fn give_to_nobody(path: &Path) {
    std::os::unix::fs::lchown(path, Some(NOBODY), Some(NOBODY)).unwrap();
    if fs::symlink_metadata(path).unwrap().is_dir() {
        for entry in fs::read_dir(path).unwrap() {
            give_to_nobody(&entry.unwrap().path());
        }
    }
}

/// Fails the test unless nobody can reach the sandbox, which only a sandbox made
/// by [`Env::for_nobody`] is sure to be: a private `TMPDIR` above it would stop
/// nobody at the door, and the test would see "Permission denied" for a reason
/// that is not its own.
fn assert_nobody_can_reach(env: &Env) {
    let root = env.dir.path();
    let above = root.parent().expect("the sandbox is in a directory");
    assert!(
        common::searchable_by_others(above),
        "nobody cannot reach the sandbox {}: a directory above it is not searchable by others (make it with Env::for_nobody)",
        root.display()
    );
}

/// Runs certprep on a sandbox as a user the permission bits hold for. Without
/// root that is the tests' own user. As root (as in CI) it is `nobody`, through
/// `setpriv`: the sandbox is handed to nobody, with a copy of the binary inside
/// it, since the target directory need not be reachable for nobody.
pub struct Unprivileged<'a> {
    env: &'a Env,
    /// The binary nobody runs, when running as root.
    binary: Option<PathBuf>,
}

impl<'a> Unprivileged<'a> {
    /// Call once the sandbox (made by [`Env::for_nobody`]) holds its files: they
    /// are handed to nobody. Set the permission bits afterwards.
    pub fn new(env: &'a Env) -> Unprivileged<'a> {
        if !running_as_root() {
            return Unprivileged { env, binary: None };
        }
        assert_nobody_can_reach(env);
        let binary = env.path("bin/certprep");
        fs::create_dir(env.path("bin")).unwrap();
        copy_executable(Path::new(env!("CARGO_BIN_EXE_certprep")), &binary);
        let root = env.dir.path();
        give_to_nobody(root);
        let unprivileged = Unprivileged {
            env,
            binary: Some(binary),
        };
        let output = unprivileged.run(&["--version"]);
        assert!(
            output.status.success(),
            "nobody cannot run certprep in {} (is every directory above it searchable by others?): {}",
            root.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        unprivileged
    }

    /// `certprep --state <sandbox state> --today <today> ARGS...`, unprivileged.
    pub fn run(&self, args: &[&str]) -> Output {
        let Some(binary) = &self.binary else {
            return self.env.cmd(args).output().unwrap();
        };
        as_nobody_running(self.env, binary)
            .arg("--state")
            .arg(self.env.state_path())
            .args(["--today", TODAY])
            .args(args)
            .output()
            .expect("setpriv (util-linux) runs")
    }
}

/// `certprep ARGS` run as the unprivileged user `nobody`, on the sandbox's state
/// (call [`require_root`] first, and make the sandbox with [`Env::for_nobody`]).
pub fn as_nobody(env: &Env, args: &[&str]) -> Output {
    assert_nobody_can_reach(env);
    as_nobody_running(env, Path::new(env!("CARGO_BIN_EXE_certprep")))
        .args(args)
        .output()
        .expect("setpriv (util-linux) runs")
}

/// `binary` to be run as `nobody` (uid and gid 65534, no other groups) through
/// `setpriv`, with the sandbox's environment; the caller adds the arguments.
pub fn as_nobody_running(env: &Env, binary: &Path) -> std::process::Command {
    let ids = NOBODY.to_string();
    let mut command = env.program("setpriv");
    command
        .args(["--reuid", &ids, "--regid", &ids, "--clear-groups"])
        .arg(binary);
    command
}

pub fn chown_to_nobody(path: &Path) {
    std::os::unix::fs::chown(path, Some(NOBODY), Some(NOBODY)).unwrap();
}
