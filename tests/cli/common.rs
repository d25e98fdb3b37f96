//! Shared helpers for the integration tests: every test runs the real `certprep`
//! binary in a sandbox (a temp dir for the state file, the user guides, HOME and
//! the XDG directories) with a fixed "today".

use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The certprep binary under test.
const BINARY: &str = env!("CARGO_BIN_EXE_certprep");

/// Variables of the test runner's own environment that would change what certprep
/// prints or where it looks; no child sees them unless a test sets them.
const INHERITED_VARIABLES_REMOVED: [&str; 8] = [
    "NO_COLOR",
    "COLUMNS",
    "CERTPREP_TODAY",
    "CERTPREP_STATE",
    "CERTPREP_GUIDES",
    "COMPLETE",
    "RUST_BACKTRACE",
    "CLICOLOR_FORCE",
];

/// Removes from `command` the runner's variables that would change what certprep
/// does (see [`INHERITED_VARIABLES_REMOVED`]), for a child that is not started
/// through [`Env`], such as a script that runs certprep itself.
pub fn remove_inherited_variables(
    command: &mut std::process::Command,
) -> &mut std::process::Command {
    for name in INHERITED_VARIABLES_REMOVED {
        command.env_remove(name);
    }
    command
}

/// The programs besides certprep and the coreutils that tests run, each with the
/// Debian package that installs it and the tests that need it. `.ci/run`
/// installs them; a test that needs one fails when it is missing, never skips.
const PROGRAMS: [(&str, &str, &str); 6] = [
    ("bash", "bash", "the tests that run shell scripts"),
    ("git", "git", "the tests that merge progress with git"),
    ("zsh", "zsh", "the shell tests"),
    ("fish", "fish", "the shell tests"),
    ("python3", "python3", "the scripts/bench test"),
    ("setpriv", "util-linux", "the tests that act as nobody"),
];

/// Fails the test, with one sentence saying what to install, unless `program`
/// (one of [`PROGRAMS`]) is on `PATH`.
pub fn require(program: &str) {
    let Some((_, package, tests)) = PROGRAMS.iter().find(|(name, ..)| *name == program) else {
        panic!("{program} is not among the programs the tests may need (tests/cli/common.rs)");
    };
    let install = if *package == program { "it" } else { package };
    assert!(
        on_path(program),
        "{program} is not installed: install {install} (apt-get install {package}) to run {tests}"
    );
}

/// Whether an executable file named `program` is in a directory of `PATH`, as
/// `command -v` finds it.
pub fn on_path(program: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|dir| {
        fs::metadata(dir.join(program))
            .is_ok_and(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
    })
}

/// The date every test treats as today unless it says otherwise.
pub const TODAY: &str = "2026-11-22";

/// The associate walkthrough of the issue, run with `--today 2026-11-22`.
pub const WALKTHROUGH: [&[&str]; 5] = [
    &["start", "associate", "--on", "2026-11-20"],
    &["tick", "1", "2"],
    &["rate", "1", "4"],
    &["rate", "3", "3"],
    &["done", "1", "2"],
];

/// The state file bytes the walkthrough must leave (README: The progress file).
pub const WALKTHROUGH_STATE: &str = "version = 1
active = \"associate\"

[exams.associate]
started = 2026-11-20
ticked = [\"automl\", \"mlflow-tracking\"]
days_done = [1, 2]

[exams.associate.ratings]
databricks-ml = 4
model-development = 3

[exams.associate.rated]
databricks-ml = 2026-11-22
model-development = 2026-11-22
";

/// A fresh temp dir for a test, in memory (`/dev/shm`) when the machine has a
/// gigabyte free there and `TMPDIR` does not say otherwise. The suite writes
/// thousands of files, each followed by an fsync of the file and its directory,
/// which on tmpfs costs nothing: the suite runs in three quarters of the time.
/// What the tests check (atomic renames, locks, owners, modes) behaves the same
/// on any file system.
pub fn temp_dir() -> TempDir {
    tempfile::tempdir_in(temp_root()).expect("temp dir")
}

/// Where [`temp_dir`] makes its dirs: `/dev/shm` or `TMPDIR`.
fn temp_root() -> &'static Path {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let memory = Path::new("/dev/shm");
        let free_mib = std::process::Command::new("df")
            .args(["--output=avail", "-BM"])
            .arg(memory)
            .output()
            .ok()
            .and_then(|output| {
                let text = String::from_utf8(output.stdout).ok()?;
                text.lines()
                    .nth(1)?
                    .trim()
                    .trim_end_matches('M')
                    .parse::<u64>()
                    .ok()
            });
        if std::env::var_os("TMPDIR").is_none() && free_mib.is_some_and(|mib| mib >= 1024) {
            memory.to_path_buf()
        } else {
            std::env::temp_dir()
        }
    })
}

/// A fresh temp dir that another user (`nobody`) can reach: made where
/// [`temp_dir`] makes them when every directory on the way there is searchable
/// by others, else in `/dev/shm` or `/tmp`, sticky directories everyone may
/// search. A `TMPDIR` that is private (mode 0700, as some systems give each
/// user) is thus left aside only for the tests that hand a sandbox to nobody.
pub fn temp_dir_for_others() -> TempDir {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let root = ROOT.get_or_init(|| {
        [temp_root(), Path::new("/dev/shm"), Path::new("/tmp")]
            .into_iter()
            .find(|root| searchable_by_others(root))
            .unwrap_or_else(|| {
                panic!(
                    "no temp dir that others can reach: {}, /dev/shm and /tmp all have a directory on the way that is not searchable by others (chmod o+x)",
                    temp_root().display()
                )
            })
            .to_path_buf()
    });
    tempfile::tempdir_in(root).expect("temp dir")
}

/// Whether a user other than the owner may search `dir` and every directory
/// above it, on its path as given and on its path with links resolved.
pub fn searchable_by_others(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let searchable = |path: &Path| {
        path.ancestors().all(|ancestor| {
            ancestor.as_os_str().is_empty()
                || fs::metadata(ancestor).is_ok_and(|metadata| {
                    metadata.is_dir() && metadata.permissions().mode() & 0o001 != 0
                })
        })
    };
    let Ok(resolved) = dir.canonicalize() else {
        return false;
    };
    searchable(&std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()))
        && searchable(&resolved)
}

/// Fails, saying what to remove, when a folder above `sandbox` holds a
/// `certprep.toml`: certprep run in the sandbox without `--state` would find it
/// and use it (or, another user's, warn about it), and the tests would depend on
/// the machine they run on.
pub fn assert_nothing_to_discover_above(sandbox: &Path) {
    for folder in sandbox.ancestors().skip(1) {
        let found = folder.join("certprep.toml");
        assert!(
            fs::symlink_metadata(&found).is_err(),
            "{} would be found by every certprep run in a test sandbox below it; move it away to run the tests",
            found.display()
        );
    }
}

/// A sandbox: one temp dir holding the state file, the user guide dir and a fake home.
pub struct Env {
    pub dir: TempDir,
}

impl Default for Env {
    fn default() -> Self {
        Self::new()
    }
}

impl Env {
    pub fn new() -> Env {
        Env::in_dir(temp_dir())
    }

    /// A sandbox the user `nobody` can reach, for the tests that run certprep as
    /// nobody (see `users.rs`), whatever `TMPDIR` is.
    pub fn for_nobody() -> Env {
        Env::in_dir(temp_dir_for_others())
    }

    fn in_dir(dir: TempDir) -> Env {
        assert_nothing_to_discover_above(dir.path());
        for sub in ["guides", "home", "data", "config"] {
            fs::create_dir_all(dir.path().join(sub)).expect("sandbox dir");
        }
        Env { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The state file every `cmd` uses.
    pub fn state_path(&self) -> PathBuf {
        self.path("state.toml")
    }

    /// The directory `CERTPREP_GUIDES` points at (empty unless a test installs guides).
    pub fn guides_dir(&self) -> PathBuf {
        self.path("guides")
    }

    /// The one place a child process is set up: `program` with a clean environment
    /// pointing only into the sandbox, run in the sandbox (so that a
    /// `certprep.toml` where the tests are run from is never found). Every other
    /// constructor starts here.
    fn sandboxed(&self, program: impl AsRef<OsStr>) -> std::process::Command {
        let mut command = std::process::Command::new(program);
        command.current_dir(self.dir.path());
        remove_inherited_variables(&mut command)
            .env("CERTPREP_GUIDES", self.guides_dir())
            .env("HOME", self.path("home"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_CONFIG_HOME", self.path("config"));
        command
    }

    /// The sandboxed binary with `--state <sandbox state> --today TODAY ARGS...`.
    fn certprep_on(&self, today: &str, args: &[&str]) -> std::process::Command {
        let mut command = self.sandboxed(BINARY);
        command
            .arg("--state")
            .arg(self.state_path())
            .args(["--today", today])
            .args(args);
        command
    }

    /// Another program (a shell) with the sandbox's environment, the sandbox state
    /// in `CERTPREP_STATE`, today in `CERTPREP_TODAY`, and certprep first on `PATH`.
    /// A program of [`PROGRAMS`] that is not installed fails the test (see [`require`]).
    pub fn program(&self, program: &str) -> std::process::Command {
        if PROGRAMS.iter().any(|(name, ..)| *name == program) {
            require(program);
        }
        let mut path = OsString::from(Path::new(BINARY).parent().expect("the binary's directory"));
        if let Some(rest) = std::env::var_os("PATH") {
            path.push(":");
            path.push(rest);
        }
        let mut command = self.sandboxed(program);
        command
            .env("PATH", path)
            .env("CERTPREP_STATE", self.state_path())
            .env("CERTPREP_TODAY", TODAY);
        command
    }

    /// The binary with a clean environment pointing only into the sandbox, and no
    /// `--state` or `--today`.
    pub fn bare(&self) -> Command {
        Command::from_std(self.sandboxed(BINARY))
    }

    /// `certprep ARGS` started in the sandbox with its stderr read line by line as
    /// it is written, so that a test can wait for a line (a notice) and not for
    /// a length of time.
    pub fn start_reading_stderr(&self, args: &[&str]) -> Running {
        use std::io::{BufRead, BufReader};
        let mut child = self
            .spawnable(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start certprep");
        let (lines, received) = std::sync::mpsc::channel();
        let stderr = BufReader::new(child.stderr.take().expect("piped stderr"));
        let reader = std::thread::spawn(move || {
            for line in stderr.lines() {
                let _ = lines.send(line.expect("stderr is UTF-8"));
            }
        });
        Running {
            child,
            lines: received,
            reader,
        }
    }

    /// Like [`Env::cmd`], as a `std::process::Command` for spawning many at once.
    pub fn spawnable(&self, args: &[&str]) -> std::process::Command {
        self.certprep_on(TODAY, args)
    }

    /// `certprep --state <sandbox state> --today <today> ARGS...`.
    pub fn cmd_on(&self, today: &str, args: &[&str]) -> Command {
        Command::from_std(self.certprep_on(today, args))
    }

    /// `certprep --state <sandbox state> --today 2026-11-22 ARGS...`.
    pub fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_on(TODAY, args)
    }

    /// Runs `args` (today = 2026-11-22), asserts exit 0, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        self.ok_on(TODAY, args)
    }

    pub fn ok_on(&self, today: &str, args: &[&str]) -> String {
        let output = self.cmd_on(today, args).output().expect("run certprep");
        assert!(
            output.status.success(),
            "certprep {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8 stdout")
    }

    /// Runs `args` (which should include `--json`), asserts exit 0, parses stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        self.json_on(TODAY, args)
    }

    pub fn json_on(&self, today: &str, args: &[&str]) -> serde_json::Value {
        let stdout = self.ok_on(today, args);
        serde_json::from_str(&stdout)
            .unwrap_or_else(|error| panic!("certprep {args:?}: not JSON ({error}):\n{stdout}"))
    }

    /// Runs the associate walkthrough.
    pub fn walkthrough(&self) {
        for step in WALKTHROUGH {
            self.ok(step);
        }
    }

    /// The state file's bytes, or `None` when it does not exist.
    pub fn state_bytes(&self) -> Option<Vec<u8>> {
        match fs::read(self.state_path()) {
            Ok(bytes) => Some(bytes),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => panic!("cannot read the state file: {error}"),
        }
    }

    /// The state file as text; panics when it does not exist.
    pub fn state_text(&self) -> String {
        String::from_utf8(self.state_bytes().expect("a state file")).expect("UTF-8 state")
    }

    /// The state file parsed as a generic TOML table.
    pub fn state_toml(&self) -> toml::Table {
        self.state_text().parse().expect("the state file is TOML")
    }

    pub fn write_state(&self, text: impl AsRef<[u8]>) {
        fs::write(self.state_path(), text).expect("write state");
    }

    /// Writes `guides/<file>` with `text`.
    pub fn install_guide(&self, file: &str, text: &str) -> PathBuf {
        let path = self.guides_dir().join(file);
        fs::write(&path, text).expect("write guide");
        path
    }

    /// Runs `args`, expects a usage error (exit 2) whose stderr contains every
    /// needle, and checks the state file is byte-for-byte as before. Returns stderr.
    pub fn usage_error(&self, args: &[&str], needles: &[&str]) -> String {
        let before = self.state_bytes();
        let output = self.cmd(args).output().expect("run certprep");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(
            output.status.code(),
            Some(2),
            "certprep {args:?} should exit 2\nstderr: {stderr}"
        );
        assert_no_panic(&stderr);
        for needle in needles {
            assert!(
                stderr.contains(needle),
                "certprep {args:?}: stderr lacks {needle:?}:\n{stderr}"
            );
        }
        assert_eq!(
            self.state_bytes(),
            before,
            "certprep {args:?} changed the state file"
        );
        stderr
    }
}

/// Absolute path of a file in the crate (e.g. `data/associate.yaml`).
pub fn crate_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The `id` of every entry of an `exams --json` document, in order.
pub fn exam_ids(json: &serde_json::Value) -> Vec<String> {
    json.as_array()
        .expect("exams --json is an array")
        .iter()
        .map(|exam| exam["id"].as_str().expect("an id").to_string())
        .collect()
}

pub fn assert_no_panic(stderr: &str) {
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "certprep panicked:\n{stderr}"
    );
}

/// Floats computed by hand agree with the program's to 1e-9.
pub fn assert_close(actual: &serde_json::Value, expected: f64, what: &str) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {actual} is not a number"));
    assert!(
        (actual - expected).abs() < 1e-9,
        "{what}: got {actual}, expected {expected}"
    );
}

/// A small valid user guide in the public schema (README: Your own guides), two sections
/// weighted 60/40, two items, a one-day and a two-day plan entry.
pub const MYCERT: &str = "\
id: mycert
name: My Certification
short: MyCert
assessment:
  questions: 10
  minutes: 30
sections:
  - id: basics
    name: Basics
    weight: 60
  - id: advanced
    name: Advanced
    weight: 40
checklist:
  - id: hello
    text: Say hello.
    sections: [basics]
  - id: deep-dive
    text: Dive deep.
    sections: [advanced]
plan:
  - days: 1
    topic: Basics day.
    sections: [basics]
  - days: \"2-3\"
    topic: Advanced days.
    sections: [advanced, basics]
";

/// A certprep running in the background (see [`Env::start_reading_stderr`]).
pub struct Running {
    child: std::process::Child,
    /// Its stderr, a line at a time, as it writes them.
    pub lines: std::sync::mpsc::Receiver<String>,
    reader: std::thread::JoinHandle<()>,
}

impl Running {
    /// The next line on stderr; fails the test when none comes within ten seconds.
    pub fn next_line(&self, waiting_for: &str) -> String {
        self.lines
            .recv_timeout(std::time::Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("no {waiting_for} on stderr within 10 s"))
    }

    /// Waits for it to end: whether it succeeded, and the stderr lines not read yet.
    pub fn finish(mut self) -> (bool, Vec<String>) {
        let status = self.child.wait().expect("certprep ends");
        self.reader.join().expect("stderr read whole");
        (status.success(), self.lines.try_iter().collect())
    }
}
