//! Hostile user guide files (README: Your own guides; Reliability): alias bombs, deep nesting,
//! huge files, wrong types, broken rules, bytes that are not UTF-8, and things
//! named `*.yaml` that are not files. Each one sits in the guide directory beside
//! a good guide (MYCERT), and for each:
//! - `validate FILE` exits 1, every line of its message names the file, and the
//!   message says what is wrong (and the field and line where known);
//! - `exams` exits 0, lists the bundled guides and MYCERT, and warns on stderr,
//!   naming the bad file;
//! - naming the bad guide (`-e ID status`) is an error naming the file, never a
//!   silent fallback;
//! - the good guide's progress is untouched and still usable;
//! - no run panics, hangs (each must finish within [`HANG_GUARD`]) or takes more
//!   memory than [`MEMORY_GUARD`].
//!
//! The limits these tests lean on are defined in `src/guide`: guide files up to
//! 1 MiB (`MAX_GUIDE_BYTES`), flow nesting up to 32 levels (`MAX_NESTING`), alias
//! expansion up to 2^20 values or 8 MiB of text (`MAX_EXPANDED_*`), plans up to
//! 1000 days (`MAX_PLAN_DAYS`), at most 20 problems printed (`SHOWN_PROBLEMS`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{self, Env, MYCERT, assert_no_panic};

/// How long any one command may run: a guard against hangs, not a measurement.
/// The slowest case here takes well under 2 s in a debug build.
const HANG_GUARD: Duration = Duration::from_secs(10);

/// The address space each run may use, in KiB (`ulimit -v`): 2 GiB. Every case
/// here stays under 300 MB; before the alias-expansion limit, one 860 KB file
/// made certprep allocate until it died.
const MEMORY_GUARD: u64 = 2 << 20;

/// What a finished run left.
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `command` under [`MEMORY_GUARD`], with stdout and stderr in files (so a
/// flood of output cannot block it), killing it when it outlives [`HANG_GUARD`].
/// Fails the test on a hang or a panic (exit 101, "panicked" on stderr).
fn run(command: Command) -> Outcome {
    let what = format!("{:?} {:?}", command.get_program(), command.get_args());
    // The same program, arguments and environment, started by a shell that first
    // limits the memory.
    let mut guarded = Command::new("/bin/sh");
    guarded
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_GUARD} && exec \"$0\" \"$@\""))
        .arg(command.get_program())
        .args(command.get_args());
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => guarded.env(name, value),
            None => guarded.env_remove(name),
        };
    }
    let output = common::temp_dir();
    let file = |name: &str| fs::File::create(output.path().join(name)).expect("output file");
    guarded
        .stdin(Stdio::null())
        .stdout(file("stdout"))
        .stderr(file("stderr"));
    let mut child = guarded.spawn().expect("start certprep");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for certprep") {
            break status;
        }
        if started.elapsed() > HANG_GUARD {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {HANG_GUARD:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let read = |name: &str| {
        let bytes = fs::read(output.path().join(name)).expect("read output");
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let outcome = Outcome {
        code: status.code(),
        stdout: read("stdout"),
        stderr: read("stderr"),
    };
    assert_ne!(
        outcome.code,
        Some(101),
        "{what} panicked:\n{}",
        outcome.stderr
    );
    assert!(
        outcome.code.is_some(),
        "{what} was killed by a signal ({status:?}), out of memory?\n{}",
        outcome.stderr
    );
    assert_no_panic(&outcome.stderr);
    outcome
}

/// `certprep ARGS` in the sandbox.
fn certprep(env: &Env, args: &[&str]) -> Outcome {
    run(env.spawnable(args))
}

/// `certprep validate PATH` in the sandbox.
fn validate(env: &Env, path: &Path) -> Outcome {
    let mut command = env.spawnable(&["validate"]);
    command.arg(path);
    run(command)
}

/// MYCERT as the guide with this id (its file stem).
fn mycert_as(id: &str) -> String {
    MYCERT.replacen("id: mycert", &format!("id: {id}"), 1)
}

/// Puts a hostile `<id>.yaml` beside MYCERT (with one item ticked) and holds the
/// program to the contract above. `install` creates the file at the given path;
/// `needles` must all appear in `validate`'s message and in `exams`' warning.
fn check_hostile(id: &str, install: impl FnOnce(&Path), needles: &[&str]) {
    let env = Env::new();
    env.install_guide("mycert.yaml", MYCERT);
    env.ok(&["-e", "mycert", "tick", "hello"]);
    let state = env.state_bytes();
    let path = env.guides_dir().join(format!("{id}.yaml"));
    install(&path);
    let file = path.display().to_string();

    // validate: exit 1, one line per problem, each naming the file.
    let outcome = validate(&env, &path);
    assert_eq!(outcome.code, Some(1), "{id}: validate\n{}", outcome.stderr);
    assert!(outcome.stdout.is_empty(), "{id}: {}", outcome.stdout);
    let lines: Vec<&str> = outcome.stderr.lines().collect();
    assert!(!lines.is_empty(), "{id}: validate printed no error");
    assert!(
        lines[0].starts_with(&format!("certprep: error: {file}")),
        "{id}: {}",
        lines[0]
    );
    for line in &lines {
        assert!(
            line.contains(&file),
            "{id}: a line without the file: {line}"
        );
        assert!(line.len() < 1000, "{id}: a line of {} bytes", line.len());
    }
    for needle in needles {
        assert!(
            outcome.stderr.contains(needle),
            "{id}: validate's message lacks {needle:?}:\n{}",
            outcome.stderr
        );
    }

    // exams: the good guides, and a warning naming the bad file.
    let outcome = certprep(&env, &["exams", "--json"]);
    assert_eq!(outcome.code, Some(0), "{id}: exams\n{}", outcome.stderr);
    let json: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("exams --json");
    assert_eq!(
        common::exam_ids(&json),
        ["associate", "professional", "mycert"],
        "{id}"
    );
    let warning = outcome
        .stderr
        .lines()
        .find(|line| line.contains(&file))
        .unwrap_or_else(|| panic!("{id}: no warning naming {file}:\n{}", outcome.stderr));
    assert!(warning.contains("warning"), "{id}: {warning}");
    for needle in needles {
        assert!(
            outcome.stderr.contains(needle),
            "{id}: exams' warning lacks {needle:?}:\n{}",
            outcome.stderr
        );
    }
    let outcome = certprep(&env, &["exams"]);
    assert_eq!(outcome.code, Some(0), "{id}: exams\n{}", outcome.stderr);
    assert!(
        outcome.stdout.contains("mycert"),
        "{id}: {}",
        outcome.stdout
    );
    assert!(outcome.stderr.contains(&file), "{id}: {}", outcome.stderr);

    // Naming the bad guide is an error about its file, not another exam.
    let outcome = certprep(&env, &["-e", id, "status"]);
    assert_eq!(outcome.code, Some(1), "{id}: -e {id}\n{}", outcome.stderr);
    assert!(outcome.stderr.contains(&file), "{id}: {}", outcome.stderr);

    // The good guide's progress is as it was, and still counts.
    assert_eq!(env.state_bytes(), state, "{id}: the state file changed");
    let outcome = certprep(&env, &["-e", "mycert", "status", "--json"]);
    assert_eq!(outcome.code, Some(0), "{id}: {}", outcome.stderr);
    let json: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("status --json");
    assert_eq!(json["checklist"]["done"], 1, "{id}: {json}");
}

fn write(text: impl AsRef<[u8]>) -> impl FnOnce(&Path) {
    move |path| fs::write(path, text).expect("write the hostile guide")
}

/// "Billion laughs": nine levels of nine aliases each, 9^9 = 387 420 489 strings
/// once expanded, in about 480 bytes; `prefix` indents each line.
fn billion_laughs(prefix: &str) -> String {
    let mut text = format!("{prefix}a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let aliases = vec![format!("*a{}", level - 1); 9].join(", ");
        text += &format!("{prefix}a{level}: &a{level} [{aliases}]\n");
    }
    text
}

#[test]
fn alias_bomb_as_the_whole_document() {
    // serde_yaml stops expanding after 100 alias jumps per event; the guide's
    // first unknown key is what is reported.
    check_hostile("laughs", write(billion_laughs("")), &["a0"]);
}

#[test]
fn alias_bomb_inside_a_plan_entry() {
    // `days` is read through serde's buffered `Content` (an untagged enum), which
    // would hold the whole expansion in memory.
    let bomb = billion_laughs("      ");
    let text = mycert_as("laughs").replacen("  - days: 1\n", &format!("  - days:\n{bomb}"), 1);
    check_hostile("laughs", write(text), &["plan[0]", "days"]);
}

#[test]
fn alias_bomb_of_long_strings() {
    // One 400 KiB string repeated 150 000 times: 860 KB on disk, 60 GB expanded,
    // and well within serde_yaml's repetition limit (100 jumps per event). The
    // expansion limit (8 MiB of text) refuses it, at the anchored string's line.
    let text = format!(
        "{}source: &s \"{}\"\ngetting_ready: [{}]\n",
        mycert_as("strings"),
        "x".repeat(400 << 10),
        vec!["*s"; 150_000].join(",")
    );
    assert!(text.len() < 1 << 20);
    let line = format!(":{}:", MYCERT.lines().count() + 1);
    check_hostile("strings", write(text), &[&line, "aliases", "8 MiB"]);
}

#[test]
fn brackets_nested_20_000_deep() {
    // `[[[…]]]` as the document: refused before the YAML parser sees it.
    let text = format!("{}{}\n", "[".repeat(20_000), "]".repeat(20_000));
    check_hostile("brackets", write(text), &[":1:", "more than 32 levels"]);
}

#[test]
fn mappings_nested_20_000_deep() {
    // `{a: {a: …}}` in a field: libyaml needed 10 s in a debug build to scan
    // this, and minutes for the 250 000 levels that fit in 1 MiB.
    let nested = format!("{}1{}", "{a: ".repeat(20_000), "}".repeat(20_000));
    let text = mycert_as("mappings").replacen("  - days: 1\n", &format!("  - days: {nested}\n"), 1);
    check_hostile("mappings", write(text), &[":22:", "more than 32 levels"]);
}

#[test]
fn block_sequences_nested_20_000_deep() {
    // `- - - … x`: indentation, not brackets; serde_yaml's recursion limit
    // (128 levels) stops it, and `days` says what it wanted.
    let nested = format!("{}x", "- ".repeat(20_000));
    let text =
        mycert_as("dashes").replacen("  - days: 1\n", &format!("  - days:\n      {nested}\n"), 1);
    check_hostile("dashes", write(text), &[":22:", "plan[0]", "days must be"]);
}

#[test]
fn a_10_mb_guide() {
    // A valid-looking guide with a 10 MB checklist: refused by its size, before
    // it is read.
    let mut text = mycert_as("huge");
    let mut items = String::new();
    let mut number = 0;
    while items.len() < 10 << 20 {
        items +=
            &format!("  - id: item-{number}\n    text: Item {number}.\n    sections: [basics]\n");
        number += 1;
    }
    text = text.replacen("checklist:\n", &format!("checklist:\n{items}"), 1);
    let size = text.len().to_string();
    check_hostile("huge", write(text), &[&size, "more than the 1 MiB"]);
}

#[test]
fn one_byte_over_the_size_limit() {
    // 1 MiB + 1 byte, padded with a comment.
    let mut text = mycert_as("over");
    text += "#";
    text += &"x".repeat((1 << 20) + 1 - text.len() - 1);
    text += "\n";
    assert_eq!(text.len(), (1 << 20) + 1);
    check_hostile("over", write(text), &["1048577 bytes", "1 MiB"]);
}

#[test]
fn a_guide_just_under_the_size_limit_loads() {
    // About 1000 KB, 12 000 checklist items: a big but fair guide loads.
    let env = Env::new();
    let mut items = String::new();
    let mut number = 0;
    while items.len() < 1000 << 10 {
        items +=
            &format!("  - id: item-{number}\n    text: Item {number}.\n    sections: [basics]\n");
        number += 1;
    }
    let text = mycert_as("big").replacen("checklist:\n", &format!("checklist:\n{items}"), 1);
    assert!(text.len() <= 1 << 20);
    let path = env.install_guide("big.yaml", &text);
    let outcome = validate(&env, &path);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    assert!(
        outcome
            .stdout
            .contains(&format!("{} checklist items", number + 2)),
        "{}",
        outcome.stdout
    );
    let outcome = certprep(&env, &["exams", "--json"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    assert!(outcome.stderr.is_empty(), "{}", outcome.stderr);
    let json: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("JSON");
    assert_eq!(
        common::exam_ids(&json),
        ["associate", "professional", "big"]
    );
}

#[test]
fn a_weight_that_is_a_word() {
    // `weight: 60` is on line 10.
    let text = mycert_as("words").replacen("weight: 60", "weight: \"ten\"", 1);
    check_hostile(
        "words",
        write(text),
        &[":10:", "sections[0].weight", "\"ten\""],
    );
}

#[test]
fn a_checklist_that_is_a_number() {
    let text = mycert_as("number")
        .split("checklist:")
        .next()
        .unwrap()
        .to_string()
        + "checklist: 5\n";
    check_hostile(
        "number",
        write(text),
        &[":14:", "checklist", "expected a sequence"],
    );
}

#[test]
fn duplicate_ids() {
    // The second `id: hello` is on line 18.
    let text = mycert_as("twice").replacen("  - id: deep-dive", "  - id: hello", 1);
    check_hostile(
        "twice",
        write(text),
        &[":18:", "checklist[1].id", "duplicate id \"hello\""],
    );
}

#[test]
fn weights_not_summing_to_100() {
    let text = mycert_as("ninety").replacen("weight: 40", "weight: 30", 1);
    check_hostile("ninety", write(text), &["sections", "sum to 90, not 100"]);
}

#[test]
fn a_plan_with_a_gap() {
    let text = mycert_as("gap").replacen("days: \"2-3\"", "days: \"3-4\"", 1);
    check_hostile(
        "gap",
        write(text),
        &[
            "plan[1].days",
            "Days 3-4 does not follow on",
            "ends on day 1",
        ],
    );
}

#[test]
fn a_plan_of_four_billion_days() {
    // Valid by every other rule; `exams` walked it day by day and never finished.
    let text = mycert_as("forever").replacen("days: \"2-3\"", "days: \"2-4000000000\"", 1);
    check_hostile("forever", write(text), &["plan[1].days", "past day 1000"]);
}

#[test]
fn a_plan_reaching_the_last_u32_day() {
    // The day after 4294967295 overflowed, a panic in a debug build.
    let text = mycert_as("overflow").replacen("days: \"2-3\"", "days: \"2-4294967295\"", 1)
        + "  - days: 5\n    topic: After the end.\n    sections: [basics]\n";
    check_hostile(
        "overflow",
        write(text),
        &["plan[2].days", "ends on day 4294967295"],
    );
}

#[test]
fn thousands_of_bad_ids() {
    // 20 000 items with bad ids and unknown sections: 40 000 problems, found in
    // linear time (it was quadratic: 23 s in a release build), 20 printed.
    let items: String = (0..20_000)
        .map(|n| format!("  - {{id: Bad{n}, text: t, sections: [nope{n}]}}\n"))
        .collect();
    let text = mycert_as("many").replacen("checklist:\n", &format!("checklist:\n{items}"), 1);
    check_hostile(
        "many",
        write(text),
        &["checklist[0].id", "kebab-case", "and 39980 more problems"],
    );
}

#[test]
fn bytes_that_are_not_utf8() {
    // 0xFF on line 3.
    let mut bytes = b"id: bytes\nname: Bytes\nshort: \xff\xfe\n".to_vec();
    bytes.extend_from_slice(MYCERT.split_once("assessment:").unwrap().1.as_bytes());
    check_hostile("bytes", write(bytes), &[":3:", "not UTF-8", "0xFF"]);
}

#[test]
fn an_empty_file() {
    check_hostile("empty", write(""), &["empty"]);
}

#[test]
fn control_characters_in_a_key() {
    // A newline and a terminal escape in an unknown key stay on one line, escaped.
    let text = mycert_as("escape") + "\"bad\\nkey\\e[31m\": 1\n";
    check_hostile("escape", write(text), &["bad\\nkey\\u{1b}[31m"]);
}

#[test]
fn a_directory_named_like_a_guide() {
    let make = |path: &Path| fs::create_dir(path).expect("create the directory");
    check_hostile("folder", make, &["is a directory"]);
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink() {
    let link = |path: &Path| {
        std::os::unix::fs::symlink("/nonexistent/guide.yaml", path).expect("create the link")
    };
    check_hostile(
        "dangling",
        link,
        &["symbolic link", "/nonexistent/guide.yaml", "does not exist"],
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_named_like_a_guide() {
    // Reading a FIFO blocks until something writes to it: every command would hang.
    let fifo = |path: &Path| {
        let status = Command::new("mkfifo")
            .arg(path)
            .status()
            .expect("run mkfifo");
        assert!(status.success(), "mkfifo failed");
    };
    check_hostile("pipe", fifo, &["not a regular file"]);
}

#[cfg(unix)]
#[test]
fn a_socket_named_like_a_guide() {
    // Opening a socket fails ("No such device or address"); it is still named as
    // what it is. The socket file stays when the listener is dropped.
    let socket = |path: &Path| {
        std::os::unix::net::UnixListener::bind(path).expect("bind a socket");
    };
    check_hostile("plug", socket, &["not a regular file"]);
}

#[cfg(unix)]
#[test]
fn a_symlink_to_an_endless_device() {
    let link =
        |path: &Path| std::os::unix::fs::symlink("/dev/zero", path).expect("create the link");
    check_hostile("zeros", link, &["not a regular file"]);
}

#[test]
fn progress_survives_the_active_guide_turning_hostile() {
    let env = Env::new();
    let path: PathBuf = env.install_guide("mycert.yaml", MYCERT);
    env.ok(&["start", "mycert", "--on", "2026-11-20"]);
    env.ok(&["tick", "hello"]);
    env.ok(&["done", "1"]);
    let state = env.state_bytes();

    fs::write(&path, format!("{}[\n", "[".repeat(20_000))).expect("break the guide");
    for args in [
        &["status"][..],
        &["tick", "deep-dive"],
        &["done", "2"],
        &["prompt"],
    ] {
        let outcome = certprep(&env, args);
        assert_eq!(outcome.code, Some(1), "{args:?}: {}", outcome.stderr);
        assert!(
            outcome.stderr.contains(&path.display().to_string()),
            "{args:?}: {}",
            outcome.stderr
        );
        assert_eq!(env.state_bytes(), state, "{args:?} changed the state file");
    }

    // Mended, the guide finds every bit of progress where it was.
    fs::write(&path, MYCERT).expect("mend the guide");
    let json = env.json(&["status", "--json"]);
    assert_eq!(json["checklist"]["done"], 1, "{json}");
    assert_eq!(json["plan"]["done"], 1, "{json}");
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8() {
    // It used to be passed over in silence; now it is a guide whose id cannot
    // match its name.
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    env.install_guide("mycert.yaml", MYCERT);
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.yaml");
    fs::write(env.guides_dir().join(name), MYCERT).expect("write the guide");
    let outcome = certprep(&env, &["exams", "--json"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    let json: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("JSON");
    assert_eq!(
        common::exam_ids(&json),
        ["associate", "professional", "mycert"]
    );
    let warning = outcome
        .stderr
        .lines()
        .find(|line| line.contains("caf\u{FFFD}.yaml"))
        .unwrap_or_else(|| panic!("no warning naming caf?.yaml:\n{}", outcome.stderr));
    assert!(warning.contains("warning"), "{warning}");
    assert!(warning.contains("\"mycert\" must equal"), "{warning}");
}

#[test]
fn a_guide_directory_that_is_a_file() {
    // CERTPREP_GUIDES naming a file: the bundled guides still load, with a warning.
    let env = Env::new();
    fs::remove_dir(env.guides_dir()).expect("remove the guide directory");
    fs::write(env.guides_dir(), MYCERT).expect("write a file in its place");
    let outcome = certprep(&env, &["exams", "--json"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    let json: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("JSON");
    assert_eq!(common::exam_ids(&json), ["associate", "professional"]);
    assert!(
        outcome.stderr.contains("cannot list the guide directory"),
        "{}",
        outcome.stderr
    );
    assert!(
        outcome
            .stderr
            .contains(&env.guides_dir().display().to_string()),
        "{}",
        outcome.stderr
    );
}
