//! Reliability: no progress is ever lost, whatever happens (README: The progress
//! file; Reliability). The README's "Reliability" section quotes these figures. The long
//! variants run with `cargo test --test cli reliability:: -- --ignored`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::common::{Env, TODAY, WALKTHROUGH_STATE};

/// A small deterministic generator (64-bit LCG), so every run kills and corrupts
/// at the same points and a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

// ---------------------------------------------------------------------------
// Concurrency

const ITEMS: usize = 40;
const SECTIONS: usize = 10;
const DAYS: usize = 40;

/// A user guide with enough things for 64 different updates at once: 40 items,
/// 10 sections of weight 10, a 40-day plan.
fn stress_guide() -> String {
    let mut text = String::from(
        "id: stress\nname: Stress test\nshort: ST\nassessment: {questions: 1, minutes: 1}\nsections:\n",
    );
    for s in 1..=SECTIONS {
        text += &format!("  - {{id: s{s}, name: Section {s}, weight: 10}}\n");
    }
    text += "checklist:\n";
    for i in 1..=ITEMS {
        let section = (i - 1) % SECTIONS + 1;
        text += &format!("  - {{id: i{i}, text: Item {i}, sections: [s{section}]}}\n");
    }
    text += "plan:\n";
    for d in 1..=DAYS {
        let section = (d - 1) % SECTIONS + 1;
        text += &format!("  - {{days: {d}, topic: Day {d}, sections: [s{section}]}}\n");
    }
    text
}

/// The progress every round must leave, kept with plain set logic.
#[derive(Default, Debug, PartialEq)]
struct Expected {
    ticked: BTreeSet<String>,
    days: BTreeSet<i64>,
    ratings: BTreeMap<String, i64>,
}

/// Round `round`'s 64 updates, each touching a different thing: tick 20 items,
/// untick 14 others, rate all 10 sections, mark 20 days done.
fn round_updates(round: usize, expected: &mut Expected) -> Vec<Vec<String>> {
    let mut updates = Vec::new();
    let item = |k: usize| (round * 7 + k) % ITEMS + 1;
    for k in 0..20 {
        updates.push(vec!["tick".into(), format!("i{}", item(k))]);
        expected.ticked.insert(format!("i{}", item(k)));
    }
    for k in 20..34 {
        updates.push(vec!["untick".into(), format!("i{}", item(k))]);
        expected.ticked.remove(&format!("i{}", item(k)));
    }
    for s in 1..=SECTIONS {
        let rating = (round + s) % 5 + 1;
        updates.push(vec!["rate".into(), s.to_string(), rating.to_string()]);
        expected.ratings.insert(format!("s{s}"), rating as i64);
    }
    for k in 0..20 {
        let day = (round * 3 + k) % DAYS + 1;
        updates.push(vec!["done".into(), day.to_string()]);
        expected.days.insert(day as i64);
    }
    assert_eq!(updates.len(), 64);
    updates
}

fn recorded(env: &Env) -> Expected {
    let state = env.state_toml();
    let exam = &state["exams"]["stress"];
    let strings = |key: &str| {
        exam.get(key)
            .and_then(|value| value.as_array())
            .map(|values| {
                values
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    Expected {
        ticked: strings("ticked"),
        days: exam["days_done"]
            .as_array()
            .unwrap()
            .iter()
            .map(|day| day.as_integer().unwrap())
            .collect(),
        ratings: exam["ratings"]
            .as_table()
            .unwrap()
            .iter()
            .map(|(id, rating)| (id.clone(), rating.as_integer().unwrap()))
            .collect(),
    }
}

/// Sets its flag when dropped, so that threads looping until the flag is set stop
/// also when the code that would set it fails an assertion and unwinds: a failing
/// writer ends the test with its failure instead of leaving the readers spinning.
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// `rounds` rounds of 64 writers started at once, with readers (`prompt` and
/// `status`) running throughout. Returns (updates made, reads made).
fn concurrent_rounds(rounds: usize) -> (usize, usize) {
    let env = Env::new();
    env.install_guide("stress.yaml", &stress_guide());
    env.ok(&["start", "stress", "--on", "2026-11-01"]);
    let mut expected = Expected::default();
    let mut updates = 0;
    let reads = AtomicUsize::new(0);
    for round in 0..rounds {
        let writers_done = AtomicBool::new(false);
        std::thread::scope(|scope| {
            // Readers: each sees a whole file (exit 0, one line) or the test fails.
            for command in ["prompt", "status"] {
                let (env, writers_done, reads) = (&env, &writers_done, &reads);
                scope.spawn(move || {
                    while !writers_done.load(Ordering::SeqCst) {
                        let output = env.cmd(&["-e", "stress", command]).output().unwrap();
                        assert!(
                            output.status.success(),
                            "{command} during writes: {}",
                            String::from_utf8_lossy(&output.stderr)
                        );
                        assert!(!output.stdout.is_empty());
                        reads.fetch_add(1, Ordering::SeqCst);
                    }
                });
            }
            let _stop_readers = SetOnDrop(&writers_done);
            let children: Vec<(Vec<String>, Child)> = round_updates(round, &mut expected)
                .into_iter()
                .map(|update| {
                    let mut args = vec!["-e", "stress"];
                    args.extend(update.iter().map(String::as_str));
                    let child = env
                        .spawnable(&args)
                        .stdout(Stdio::null())
                        .stderr(Stdio::piped())
                        .spawn()
                        .expect("spawn a writer");
                    (update, child)
                })
                .collect();
            for (update, child) in children {
                let output = child.wait_with_output().unwrap();
                assert!(
                    output.status.success(),
                    "{update:?}: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
                updates += 1;
            }
        });
        assert_eq!(recorded(&env), expected, "round {round} lost an update");
    }
    (updates, reads.into_inner())
}

#[test]
fn sixty_four_writers_at_once_lose_no_update() {
    // 64 writers × 20 rounds = 1 280 updates, every one in the file.
    let (updates, reads) = concurrent_rounds(20);
    assert_eq!(updates, 1280);
    assert!(reads > 0, "the readers never ran");
    eprintln!(
        "64 writers × 20 rounds: {updates} updates, 0 lost; {reads} reads during writes, all whole"
    );
}

#[test]
#[ignore = "long: 64 writers × 200 rounds"]
fn sixty_four_writers_at_once_lose_no_update_long() {
    let (updates, reads) = concurrent_rounds(200);
    assert_eq!(updates, 12_800);
    eprintln!("64 writers × 200 rounds: {updates} updates, 0 lost; {reads} reads, all whole");
}

// ---------------------------------------------------------------------------
// Crash

fn temp_files(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect()
}

/// Where each kill of [`kill_writers`] landed, counted.
#[derive(Debug, Default)]
struct Kills {
    /// Stopped halfway through writing the new state's temp file: the state must
    /// be the old one (a writer that wrote the file in place would leave half).
    mid_write: usize,
    /// Killed at a random moment: the state is the old one or the new one.
    random_old: usize,
    random_new: usize,
    /// Temp files left by killed writers, each cleared by the next write.
    leftovers: usize,
}

/// Starts a writing command `kills` times and SIGKILLs it: the first half of the
/// times at the one moment that tells an atomic write from a torn one (half of
/// the new bytes written), the second half at a random moment; the file must then hold exactly the state
/// before or the state after.
fn kill_writers(kills: usize) -> Kills {
    let env = Env::new();
    let before = WALKTHROUGH_STATE;
    // Each command's finished result, from an uninterrupted run on `before`.
    let commands: [&[&str]; 4] = [
        &["tick", "3", "4", "5"],
        &["rate", "2", "5"],
        &["done", "3", "4"],
        &["start", "professional"],
    ];
    let afters: Vec<Vec<u8>> = commands
        .iter()
        .map(|command| {
            env.write_state(before);
            env.ok(command);
            let after = env.state_bytes().unwrap();
            assert_ne!(after, before.as_bytes(), "{command:?} changes the state");
            after
        })
        .collect();

    let mut random = Lcg(2026);
    let mut counts = Kills::default();
    for kill in 0..kills {
        let which = kill % commands.len();
        let at_mid_write = kill < kills / 2;
        env.write_state(before);
        if at_mid_write {
            kill_at(&env, commands[which], "half-written state.toml");
        } else {
            kill_within_six_ms(&env, commands[which], &mut random);
        }
        let bytes = env.state_bytes().expect("the state file survives");
        let torn = || {
            format!(
                "kill {kill} ({}) left a torn file:\n{}",
                if at_mid_write { "mid-write" } else { "random" },
                String::from_utf8_lossy(&bytes)
            )
        };
        match (
            at_mid_write,
            bytes == before.as_bytes(),
            bytes == afters[which],
        ) {
            (true, true, _) => counts.mid_write += 1,
            (false, true, _) => counts.random_old += 1,
            (false, false, true) => counts.random_new += 1,
            _ => panic!("{}", torn()),
        }
        // Temp files of killed writers never pile up: the next write of each file
        // (the state, its history) clears that file's leftover.
        let temps = temp_files(env.dir.path());
        assert!(temps.len() <= 2, "{temps:?}");
        counts.leftovers += temps.len();
    }
    // batch-scoring is ticked by none of the commands: this is a real write.
    // (-e: the last kill may have let `start professional` make it active.)
    env.ok(&["-e", "associate", "tick", "batch-scoring"]);
    assert_eq!(temp_files(env.dir.path()), Vec::<String>::new());
    counts
}

/// Runs `args` and SIGKILLs it 0 to 6 ms after it starts: before the lock, while
/// reading, while writing, or after.
fn kill_within_six_ms(env: &Env, args: &[&str], random: &mut Lcg) {
    let mut child = env
        .spawnable(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_micros(random.below(6000)));
    let _ = child.kill();
    let _ = child.wait();
}

/// Runs `args` with the writer told to stop itself at `point` (the store's
/// `CERTPREP_TEST_STOP` hook: `"half-written <file name>"`), waits until it has
/// stopped there, and SIGKILLs it. A writer that ends without reaching the point,
/// or takes more than ten seconds to, fails the test: every kill lands where the
/// test says it does.
fn kill_at(env: &Env, args: &[&str], point: &str) {
    let mut child = env
        .spawnable(args)
        .env("CERTPREP_TEST_STOP", point)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut status = 0;
        // SAFETY: waitpid on our own child, with a valid pointer to a c_int.
        let reaped = unsafe { libc::waitpid(pid, &mut status, libc::WUNTRACED | libc::WNOHANG) };
        if reaped == pid {
            assert!(
                libc::WIFSTOPPED(status),
                "certprep {args:?} ended (wait status {status}) without stopping at {point:?}"
            );
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("certprep {args:?} did not stop at {point:?} within 10 s");
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    child.kill().expect("SIGKILL the stopped writer");
    child.wait().expect("reap the killed writer");
}

#[test]
fn five_hundred_sigkills_leave_no_torn_file() {
    let counts = kill_writers(500);
    // Half the kills stopped the writer halfway through its temp file, and every
    // one of them left the old state.
    assert_eq!(counts.mid_write, 250, "{counts:?}");
    assert_eq!(counts.random_old + counts.random_new, 250, "{counts:?}");
    // The random kills landed at varied points: some before the rename, some after.
    assert!(counts.random_old > 0 && counts.random_new > 0, "{counts:?}");
    eprintln!("500 SIGKILLs, 0 torn: {counts:?}");
}

#[test]
#[ignore = "long: 5 000 SIGKILLs"]
fn five_thousand_sigkills_leave_no_torn_file() {
    let counts = kill_writers(5000);
    assert_eq!(counts.mid_write, 2500, "{counts:?}");
    assert_eq!(counts.random_old + counts.random_new, 2500, "{counts:?}");
    eprintln!("5000 SIGKILLs, 0 torn: {counts:?}");
}

#[test]
fn a_stale_temp_file_is_removed_and_others_are_left_alone() {
    let env = Env::new();
    env.walkthrough();
    // A killed writer's leftover, and another program's file of the same shape.
    let stale = env.path(".state.toml.Xy12Zq.tmp");
    let other = env.path(".other.toml.Ab34Cd.tmp");
    fs::write(&stale, "half a state").unwrap();
    fs::write(&other, "not ours").unwrap();
    env.ok(&["tick", "5"]);
    assert!(!stale.exists());
    assert!(other.exists());
}

// ---------------------------------------------------------------------------
// Corrupt and hostile state

/// Runs a reading, a prompt and a writing command against the sandbox's state;
/// each must fail with exit 1, name `named` (and `line` when given), not panic,
/// and leave the file (or directory, or link) as it was.
fn assert_refused(env: &Env, named: &Path, line: Option<usize>) {
    assert_refused_when(env, named, line, |args| env.cmd(args).output().unwrap());
}

/// [`assert_refused`] with each command run by `run`; returns their stderr.
fn assert_refused_when(
    env: &Env,
    named: &Path,
    line: Option<usize>,
    run: impl Fn(&[&str]) -> Output,
) -> Vec<String> {
    let mut errors = Vec::new();
    let snapshot = || {
        let path = env.state_path();
        (
            fs::symlink_metadata(&path).map(|m| m.file_type()).ok(),
            fs::read(&path).ok(),
            fs::read_link(&path).ok(),
        )
    };
    let before = snapshot();
    for args in [
        &["status"][..],
        &["prompt"],
        &["tick", "1"],
        &["-e", "associate", "done", "1"],
    ] {
        let output = run(args);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        let location = match line {
            Some(line) => format!("{}:{line}", named.display()),
            None => named.display().to_string(),
        };
        assert!(
            stderr.contains(&location),
            "{args:?}: no {location} in {stderr}"
        );
        assert_eq!(snapshot(), before, "{args:?} changed the state");
        errors.push(stderr);
    }
    errors
}

#[test]
fn truncation_at_every_byte_offset() {
    let env = Env::new();
    let full = WALKTHROUGH_STATE.as_bytes();
    let (mut refused, mut accepted) = (0, 0);
    for cut in 0..full.len() {
        env.write_state(&full[..cut]);
        let output = env.cmd(&["status"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        // A cut at a line end can leave a valid, smaller state (exit 0);
        // anything else is refused with the file named. Never a panic.
        match output.status.code() {
            Some(0) => accepted += 1,
            Some(1) => {
                refused += 1;
                assert!(stderr.contains("state.toml"), "cut {cut}: {stderr}");
            }
            code => panic!("cut {cut}: exit {code:?}: {stderr}"),
        }
        assert_eq!(env.state_bytes().unwrap(), &full[..cut], "cut {cut}");
    }
    // Every cut inside a value or key is refused: most of them.
    assert_eq!(refused + accepted, full.len());
    assert!(
        refused > full.len() / 2,
        "refused {refused} of {}",
        full.len()
    );
    eprintln!(
        "truncated at all {} byte offsets: {refused} refused (file named), {accepted} valid shorter states, 0 panics, 0 changed",
        full.len()
    );
}

#[test]
fn random_bytes_are_refused() {
    let env = Env::new();
    let mut random = Lcg(7);
    for sample in 0..40 {
        let length = 1 + random.below(400) as usize;
        let bytes: Vec<u8> = (0..length).map(|_| random.below(256) as u8).collect();
        env.write_state(&bytes);
        let output = env.cmd(&["tick", "1"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "sample {sample}: {stderr}");
        assert!(stderr.contains("state.toml"), "sample {sample}: {stderr}");
        assert_eq!(env.state_bytes().unwrap(), bytes, "sample {sample}");
    }
}

#[test]
fn hostile_contents_name_the_file_and_line() {
    let cases: [(&str, usize); 8] = [
        // Duplicate keys.
        (
            "version = 1\nactive = \"associate\"\nactive = \"professional\"\n",
            3,
        ),
        (
            "version = 1\n[exams.associate]\nticked = []\n[exams.associate]\nticked = []\n",
            4,
        ),
        // Huge integers.
        (
            "version = 1\n[exams.associate]\ndays_done = [99999999999999999999]\n",
            3,
        ),
        ("version = 4294967296\n", 1),
        (
            "version = 1\n[exams.associate.ratings]\ndatabricks-ml = 300\n",
            3,
        ),
        // A future version.
        ("version = 2\n[exams.associate]\nticked = []\n", 1),
        // Wrong types.
        ("version = 1\n[exams.associate]\ndays_done = [\"one\"]\n", 3),
        ("version = \"1\"\n", 1),
    ];
    for (text, line) in cases {
        let env = Env::new();
        env.write_state(text);
        assert_refused(&env, &env.state_path(), Some(line));
    }
}

#[test]
fn a_fifty_megabyte_file_is_refused_in_bounded_memory() {
    let env = Env::new();
    let mut text = WALKTHROUGH_STATE.to_string();
    text += &format!("# {}\n", "x".repeat(50 << 20));
    env.write_state(&text);
    assert_refused(&env, &env.state_path(), None);
    // Under a 64 MiB address-space limit, reading the file whole (50 MiB, and
    // as much again to parse it) would abort; certprep refuses it by its size.
    let script = "ulimit -v 65536; exec certprep status";
    let output = env.program("bash").args(["-c", script]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("MiB certprep's files may have"), "{stderr}");
}

#[test]
fn a_directory_in_place_of_the_file() {
    let env = Env::new();
    fs::create_dir(env.state_path()).unwrap();
    assert_refused(&env, &env.state_path(), None);
}

#[test]
fn a_dangling_symlink_in_place_of_the_file() {
    let env = Env::new();
    std::os::unix::fs::symlink(env.path("gone.toml"), env.state_path()).unwrap();
    assert_refused(&env, &env.state_path(), None);
    assert!(!env.path("gone.toml").exists());
}

// Acting as nobody: the helpers are shared with the report tests.
use crate::users::{NOBODY, Unprivileged, as_nobody, chown_to_nobody, require_root};

#[test]
fn no_read_permission() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::for_nobody();
    env.write_state(WALKTHROUGH_STATE);
    let user = Unprivileged::new(&env);
    fs::set_permissions(env.state_path(), fs::Permissions::from_mode(0o000)).unwrap();
    let expected = format!(
        "certprep: error: cannot read state file {}: Permission denied",
        env.state_path().display()
    );
    for stderr in assert_refused_when(&env, &env.state_path(), None, |args| user.run(args)) {
        assert!(stderr.starts_with(&expected), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "one sentence: {stderr}");
    }
}

#[test]
fn a_read_only_directory() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::for_nobody();
    env.walkthrough();
    let before = env.state_bytes();
    let user = Unprivileged::new(&env);
    fs::set_permissions(env.dir.path(), fs::Permissions::from_mode(0o500)).unwrap();
    let output = user.run(&["tick", "5"]);
    fs::set_permissions(env.dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    // The state is committed first, so the file it cannot write is the state.
    let refused = format!(
        "certprep: error: cannot write {}: Permission denied",
        env.state_path().display()
    );
    assert!(stderr.starts_with(&refused), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one sentence: {stderr}");
    assert_eq!(env.state_bytes(), before);
}

// ---------------------------------------------------------------------------
// Privacy

/// Every path below `root`, relative, with its mode.
fn tree(root: &Path) -> BTreeMap<PathBuf, u32> {
    use std::os::unix::fs::PermissionsExt;
    let mut found = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let metadata = fs::symlink_metadata(&path).unwrap();
            if metadata.is_dir() {
                pending.push(path.clone());
            }
            found.insert(
                path.strip_prefix(root).unwrap().to_path_buf(),
                metadata.permissions().mode() & 0o777,
            );
        }
    }
    found
}

#[test]
fn a_new_state_is_private_and_nothing_is_written_elsewhere() {
    let env = Env::new();
    let before = tree(env.dir.path());
    // The default location, inside the sandbox's XDG data directory.
    for args in [
        &["start", "associate", "--on", "2026-11-20"][..],
        &["tick", "1"],
        &["rate", "1", "4"],
        &["done", "1"],
        &["book", "2027-01-15"],
        &["status"],
        &["prompt"],
    ] {
        let output = env
            .bare()
            .args(["--today", TODAY])
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}");
    }
    let after = tree(env.dir.path());
    let added: BTreeMap<_, _> = after
        .iter()
        .filter(|(path, _)| !before.contains_key(*path))
        .map(|(path, mode)| (path.to_string_lossy().into_owned(), *mode))
        .collect();
    let expected: BTreeMap<String, u32> = [
        ("data/certprep".to_string(), 0o700),
        ("data/certprep/state.toml".to_string(), 0o600),
        ("data/certprep/state.toml.lock".to_string(), 0o600),
        ("data/certprep/state.history.toml".to_string(), 0o600),
    ]
    .into();
    assert_eq!(added, expected);
}

// ---------------------------------------------------------------------------
// Interference: the lock file removed or replaced, FIFOs, another user

/// What the attacking thread does to the lock file, over and over.
#[derive(Clone, Copy, Debug)]
enum Interference {
    Remove,
    ReplaceByRename,
}

/// Rounds of 40 writers started at once, each ticking (even rounds) or unticking
/// (odd rounds) a different item of the stress guide, while another thread
/// interferes with the lock file. Returns (lost updates, failed commands).
fn writers_under_lock_interference(interference: Interference, rounds: usize) -> (usize, usize) {
    let env = Env::new();
    env.install_guide("stress.yaml", &stress_guide());
    env.ok(&["start", "stress", "--on", "2026-11-01"]);
    let lock = env.path("state.toml.lock");
    let fresh = env.path("fresh.lock");
    let (mut lost, mut failed) = (0, 0);
    for round in 0..rounds {
        let tick = round % 2 == 0;
        let writers_done = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let _stop_interference = SetOnDrop(&writers_done);
            scope.spawn(|| {
                while !writers_done.load(Ordering::SeqCst) {
                    match interference {
                        Interference::Remove => {
                            let _ = fs::remove_file(&lock);
                        }
                        Interference::ReplaceByRename => {
                            let _ = fs::write(&fresh, "");
                            let _ = fs::rename(&fresh, &lock);
                        }
                    }
                    std::thread::yield_now();
                }
            });
            let children: Vec<Child> = (1..=ITEMS)
                .map(|item| {
                    let item = format!("i{item}");
                    let command = if tick { "tick" } else { "untick" };
                    env.spawnable(&["-e", "stress", command, &item])
                        .stdout(Stdio::null())
                        .stderr(Stdio::piped())
                        .spawn()
                        .expect("spawn a writer")
                })
                .collect();
            for child in children {
                let output = child.wait_with_output().unwrap();
                if !output.status.success() {
                    failed += 1;
                    eprintln!("failed: {}", String::from_utf8_lossy(&output.stderr));
                }
            }
        });
        // After a ticking round every item is ticked; after an unticking one, none.
        let state = env.state_toml();
        let ticked = state["exams"]["stress"]
            .get("ticked")
            .and_then(|ticked| ticked.as_array())
            .map_or(0, Vec::len);
        lost += if tick { ITEMS - ticked } else { ticked };
    }
    (lost, failed)
}

#[test]
fn removing_the_lock_file_while_writers_run_loses_nothing() {
    let (lost, failed) = writers_under_lock_interference(Interference::Remove, 6);
    assert_eq!((lost, failed), (0, 0), "lock file removed in a loop");
    eprintln!("40 writers × 6 rounds, lock file removed in a loop: 240 updates, 0 lost, 0 failed");
}

#[test]
fn renaming_a_fresh_file_over_the_lock_file_loses_nothing() {
    let (lost, failed) = writers_under_lock_interference(Interference::ReplaceByRename, 6);
    assert_eq!(
        (lost, failed),
        (0, 0),
        "fresh lock file renamed over it in a loop"
    );
    eprintln!(
        "40 writers × 6 rounds, a fresh lock file renamed over it in a loop: 240 updates, 0 lost, 0 failed"
    );
}

/// Runs `args`, failing the test instead of hanging when certprep does not end
/// within 10 seconds.
fn output_within_ten_seconds(env: &Env, args: &[&str]) -> Output {
    let mut child = env
        .spawnable(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("certprep {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn make_fifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A FIFO would block a reader until a writer comes, and `tick` would block while
/// holding the lock; each command is refused at once instead, naming the file.
#[test]
fn a_fifo_as_state_history_or_lock_is_refused_without_blocking() {
    let cases: [(&str, &[&[&str]]); 3] = [
        ("state.toml", &[&["prompt"], &["status"], &["tick", "1"]]),
        (
            "state.history.toml",
            &[&["history"], &["-e", "associate", "tick", "5"]],
        ),
        ("state.toml.lock", &[&["-e", "associate", "tick", "5"]]),
    ];
    for (name, commands) in cases {
        let env = Env::new();
        if name != "state.toml" {
            env.write_state(WALKTHROUGH_STATE);
        }
        let fifo = env.path(name);
        make_fifo(&fifo);
        // Reading a FIFO here would block the test: compare file types and bytes
        // of regular files only.
        let snapshot = || {
            let path = env.state_path();
            let regular = fs::symlink_metadata(&path).unwrap().is_file();
            (regular, regular.then(|| fs::read(&path).unwrap()))
        };
        let state = snapshot();
        for args in commands {
            let output = output_within_ten_seconds(&env, args);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(1), "{name} {args:?}: {stderr}");
            assert!(
                stderr.contains(&fifo.display().to_string()) && stderr.contains("regular file"),
                "{name} {args:?}: {stderr}"
            );
            assert_eq!(snapshot(), state, "{name} {args:?}");
        }
    }
}

fn owner(path: &Path) -> (u32, u32) {
    use std::os::unix::fs::MetadataExt;
    let metadata = fs::metadata(path).unwrap_or_else(|_| panic!("{}", path.display()));
    (metadata.uid(), metadata.gid())
}

/// Root running certprep on a user's files leaves them the user's: the replaced
/// state keeps its owner, group and mode, and the history and lock it creates
/// beside it get the state's owner.
#[test]
fn root_writing_a_users_state_keeps_it_theirs() {
    use std::os::unix::fs::PermissionsExt;
    require_root();
    let env = Env::for_nobody();
    env.walkthrough();
    for name in ["state.history.toml", "state.toml.lock"] {
        fs::remove_file(env.path(name)).unwrap();
    }
    chown_to_nobody(env.dir.path());
    chown_to_nobody(&env.state_path());
    env.ok(&["tick", "3"]);
    for name in ["state.toml", "state.history.toml", "state.toml.lock"] {
        let path = env.path(name);
        assert_eq!(owner(&path), (NOBODY, NOBODY), "{name}");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{name}");
    }
    // The user can still read it and go on writing it.
    let output = as_nobody(&env, &["status"]);
    assert!(output.status.success(), "{output:?}");
    let output = as_nobody(&env, &["tick", "4"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(env.json(&["checklist", "--json"])["items"][3]["done"], true);
}

/// The state is committed first and the history follows it: when the history
/// cannot be replaced (here: it belongs to root in a sticky directory, and the
/// writer is `nobody`), the change stands and the history is left as it was.
#[test]
fn a_history_that_cannot_be_written_is_a_warning_after_the_change_is_saved() {
    use std::os::unix::fs::PermissionsExt;
    require_root();
    let env = Env::for_nobody();
    env.walkthrough();
    let history = env.path("state.history.toml");
    let history_before = fs::read(&history).unwrap();
    fs::set_permissions(env.dir.path(), fs::Permissions::from_mode(0o1777)).unwrap();
    fs::set_permissions(&history, fs::Permissions::from_mode(0o644)).unwrap();
    chown_to_nobody(&env.state_path());
    chown_to_nobody(&env.path("state.toml.lock"));
    let output = as_nobody(&env, &["tick", "5"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning") && stderr.contains("state.history.toml"),
        "{stderr}"
    );
    assert_eq!(env.json(&["checklist", "--json"])["items"][4]["done"], true);
    assert_eq!(fs::read(&history).unwrap(), history_before);
}

/// A lone writer SIGKILLed at varied points never leaves a history that is ahead
/// of the state: the state is written first. A third of the kills stop the
/// writer halfway through the state's temp file (both must be old), a third
/// halfway through the history's (the state is committed, the history old), a
/// third at random moments.
#[test]
fn a_killed_writer_never_leaves_the_history_ahead_of_the_state() {
    let env = Env::new();
    env.walkthrough();
    let history = env.path("state.history.toml");
    let history_before = fs::read(&history).unwrap();
    let mut random = Lcg(98);
    let tick = ["tick", "3", "4", "5"];
    let (mut old, mut new, mut state_only) = (0, 0, 0);
    for kill in 0..210 {
        env.write_state(WALKTHROUGH_STATE);
        fs::write(&history, &history_before).unwrap();
        let expected = match kill % 3 {
            0 => {
                kill_at(&env, &tick, "half-written state.toml");
                Some((false, false))
            }
            1 => {
                kill_at(&env, &tick, "half-written state.history.toml");
                Some((true, false))
            }
            _ => {
                kill_within_six_ms(&env, &tick, &mut random);
                None
            }
        };
        let state_changed = env.state_bytes().unwrap() != WALKTHROUGH_STATE.as_bytes();
        let history_changed = fs::read(&history).unwrap() != history_before;
        let landed = (state_changed, history_changed);
        if let Some(expected) = expected {
            assert_eq!(
                landed, expected,
                "kill {kill}: (state changed, history changed)"
            );
        }
        match landed {
            (false, true) => {
                panic!("kill {kill}: the history recorded a change the state never committed")
            }
            (false, false) => old += 1,
            (true, true) => new += 1,
            (true, false) => state_only += 1,
        }
    }
    // 70 kills landed between the two writes, 70 before either, and the random
    // ones somewhere: at least as many as the deliberate ones.
    assert!(
        state_only >= 70 && old >= 70,
        "old {old}, new {new}, state only {state_only}"
    );
    assert_eq!(old + new + state_only, 210);
    eprintln!(
        "210 SIGKILLs of a lone writer: {old} left both old, {new} both new, {state_only} the new state and the old history, 0 the history ahead"
    );
}
