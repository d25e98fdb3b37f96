//! What certprep prints, whatever its files hold: text
//! from a file reaches the terminal escaped, a failed write to standard output is
//! an error, and a warning about thousands of ids stays one readable line.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::common::{Env, assert_no_panic};

/// A terminal attack: an OSC that retitles the window, a bell, a clear-screen.
/// Written in the `\uXXXX` escapes that TOML and YAML double quotes both read.
const PAYLOAD: &str = r"\u001b]0;PWNED\u0007\u001b[2J";

/// How certprep shows the payload, worked out by hand: each control character
/// as a Rust-style `\u{..}` escape, the rest as it is.
const PAYLOAD_SHOWN: &str = r"\u{1b}]0;PWNED\u{7}\u{1b}[2J";

/// A valid guide whose texts hold the payload, newlines and a right-to-left
/// override (U+202E), which would make "txt.exe" read "exe.txt".
const HOSTILE_GUIDE: &str = r#"id: hostile
name: "Hostile PAYLOAD"
short: "HPAYLOAD"
assessment:
  questions: 10
  minutes: 30
sections:
  - id: basics
    name: "Basics PAYLOAD"
    weight: 60
    summary: "first line\nsecond line \u202Eevil"
  - id: advanced
    name: "Advanced \u202Etxt.exe"
    weight: 40
checklist:
  - id: hello
    text: "Say PAYLOAD hello."
    sections: [basics]
  - id: deep-dive
    text: "line one\nline two \u202E"
    sections: [advanced]
plan:
  - days: 1
    topic: "Topic PAYLOAD"
    sections: [basics]
  - days: "2-3"
    topic: "Later \u202E days\nnext"
    sections: [advanced, basics]
plan_title: "Plan \u2066isolated\u2069 \u009B2J"
"#;

/// Progress on the hostile guide (day 3 on 2026-11-22), with ids its guide does
/// not know in the checklist and the ratings, and an exam id of the payload.
const HOSTILE_STATE: &str = r#"version = 1
active = "hostile"

[exams.hostile]
started = 2026-11-20
ticked = ["PAYLOAD", "hello", "line\nbreak", "\u202Egnp.exe", "\u009B2J"]
days_done = [1]

[exams.hostile.ratings]
"PAYLOAD" = 2
basics = 3
"x\ny" = 4
"\u202E" = 1

[exams."PAYLOAD"]
ticked = ["PAYLOAD"]
"#;

const HOSTILE_HISTORY: &str = r#"version = 1

[exams."PAYLOAD"]
2026-11-21 = 10.0

[exams.hostile]
2026-11-21 = 20.0
"#;

/// A broken guide whose file name holds a clear-screen and a bidi override.
const BROKEN_FILE: &str = "broken\u{1b}[2J\u{202e}.yaml";
const BROKEN_FILE_SHOWN: &str = r"broken\u{1b}[2J\u{202e}.yaml";

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(mut command: Command) -> Outcome {
    let output = command.output().expect("run certprep");
    let outcome = Outcome {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    };
    assert_no_panic(&outcome.stderr);
    outcome
}

fn with_payload(text: &str) -> String {
    text.replace("PAYLOAD", PAYLOAD)
}

/// The sandbox with the hostile guide, state and history, and the broken guide.
fn hostile_env() -> (Env, PathBuf) {
    let env = Env::new();
    let guide = env.install_guide("hostile.yaml", &with_payload(HOSTILE_GUIDE));
    env.install_guide(BROKEN_FILE, "id: broken\n");
    env.write_state(with_payload(HOSTILE_STATE));
    std::fs::write(
        env.path("state.history.toml"),
        with_payload(HOSTILE_HISTORY),
    )
    .expect("write the history");
    (env, guide)
}

/// Raw characters that drive a terminal: ESC, BEL, CSI (C1), the bidi override
/// and an isolate. (A carriage return is the calendar's own line end.)
const RAW: [char; 5] = ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{2066}'];

fn assert_nothing_raw(what: &str, text: &str) {
    for raw in RAW {
        assert!(
            !text.contains(raw),
            "{what} holds a raw {raw:?}:\n{}",
            text.escape_debug()
        );
    }
}

/// What `args` must do with the hostile files: its exit code, and what its stdout
/// and stderr must show, with `PAYLOAD` standing for [`PAYLOAD_SHOWN`].
/// The hostile guide's name, with `PAYLOAD` as in [`Case`].
const NAME: &str = "Hostile PAYLOAD";

struct Case<'a> {
    args: Vec<&'a str>,
    code: i32,
    stdout: &'a [&'a str],
    stderr: &'a [&'a str],
}

fn case<'a>(args: &[&'a str], code: i32, stdout: &'a [&'a str], stderr: &'a [&'a str]) -> Case<'a> {
    Case {
        args: args.to_vec(),
        code,
        stdout,
        stderr,
    }
}

#[test]
fn text_from_files_is_escaped_in_every_command() {
    let (env, guide) = hostile_env();
    let guide = guide.to_str().expect("a UTF-8 path");
    let broken = env.guides_dir().join(BROKEN_FILE);
    let broken = broken.to_str().expect("a UTF-8 path");
    let cases = [
        case(
            &["status"],
            0,
            &[NAME],
            &[
                r#"checklist item "PAYLOAD""#,
                r#"checklist item "line\nbreak""#,
                r#"checklist item "\u{202e}gnp.exe""#,
                r#"checklist item "\u{9b}2J""#,
                r#"section "PAYLOAD""#,
                r#"section "x\ny""#,
                r#"section "\u{202e}""#,
            ],
        ),
        case(
            &["checklist"],
            0,
            &["Say PAYLOAD hello.", r"line one\nline two \u{202e}"],
            &[],
        ),
        case(
            &["guide"],
            0,
            &[
                NAME,
                r"first line\nsecond line \u{202e}evil",
                r"Advanced \u{202e}txt.exe",
                "Topic PAYLOAD",
            ],
            &[],
        ),
        case(
            &["plan"],
            0,
            &[
                "Topic PAYLOAD",
                r"Later \u{202e} days\nnext",
                r"Plan \u{2066}isolated\u{2069} \u{9b}2J",
            ],
            &[],
        ),
        case(&["today"], 0, &[NAME, r"Later \u{202e} days\nnext"], &[]),
        case(&["next"], 0, &[NAME], &[]),
        case(&["why", "1"], 0, &["Basics PAYLOAD"], &[]),
        case(&["history"], 0, &[NAME], &[]),
        // The table wraps long names, so only part of one is sure to be on a line.
        case(&["exams"], 0, &["PWNED"], &[BROKEN_FILE_SHOWN]),
        case(&["prompt"], 0, &["HPAYLOAD"], &[]),
        // The calendar escapes `;` in its own way.
        case(&["plan", "--ics"], 0, &["PWNED"], &[]),
        case(
            &["validate", guide],
            0,
            &[r#"valid guide "hostile" (Hostile PAYLOAD)"#],
            &[],
        ),
        case(&["validate", broken], 1, &[], &[BROKEN_FILE_SHOWN]),
    ];
    for Case {
        args,
        code,
        stdout,
        stderr,
    } in cases
    {
        let outcome = run(env.spawnable(&args));
        assert_eq!(
            outcome.code,
            Some(code),
            "{args:?}\n{}",
            outcome.stderr.escape_debug()
        );
        assert_nothing_raw(&format!("{args:?} stdout"), &outcome.stdout);
        assert_nothing_raw(&format!("{args:?} stderr"), &outcome.stderr);
        for (stream, text, needles) in [
            ("stdout", &outcome.stdout, stdout),
            ("stderr", &outcome.stderr, stderr),
        ] {
            for needle in needles {
                let needle = needle.replace("PAYLOAD", PAYLOAD_SHOWN);
                assert!(
                    text.contains(&needle),
                    "{args:?}: {stream} lacks {needle:?}:\n{text}"
                );
            }
        }
    }
}

#[test]
fn errors_quoting_a_file_are_escaped() {
    let env = Env::new();
    // An active exam that no guide has: the error quotes the id.
    env.write_state(with_payload("version = 1\nactive = \"PAYLOAD\\nnext\"\n"));
    let outcome = run(env.spawnable(&["status"]));
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert_nothing_raw("the active exam error", &outcome.stderr);
    assert!(
        outcome
            .stderr
            .contains(&format!("the active exam \"{PAYLOAD_SHOWN}\\nnext\"")),
        "{}",
        outcome.stderr
    );
    // One error, one line: the newline in the id is shown, not obeyed.
    assert_eq!(outcome.stderr.lines().count(), 1, "{}", outcome.stderr);

    // An unknown key: the parser's message quotes it.
    env.write_state(with_payload("version = 1\n\"PAYLOAD\u{202e}\" = 1\n"));
    let outcome = run(env.spawnable(&["status"]));
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert_nothing_raw("the unknown key error", &outcome.stderr);
    assert!(
        outcome
            .stderr
            .contains(&format!("{PAYLOAD_SHOWN}\\u{{202e}}")),
        "{}",
        outcome.stderr
    );
}

#[test]
fn paths_in_messages_are_escaped() {
    let (env, _) = hostile_env();
    let dir = env.path("dir\u{1b}[2J\u{202e}");
    std::fs::create_dir(&dir).expect("create the directory");
    let dir_shown = format!("{}/dir\\u{{1b}}[2J\\u{{202e}}", env.dir.path().display());
    // A valid guide in it: `validate` names the file on standard output.
    let guide = dir.join("hostile.yaml");
    std::fs::write(&guide, with_payload(HOSTILE_GUIDE)).expect("write the guide");
    let mut validate = env.spawnable(&["validate"]);
    validate.arg(&guide);
    // A calendar written into it: `plan --ics FILE` names the file.
    let mut ics = env.spawnable(&["plan", "--ics"]);
    ics.arg(dir.join("plan.ics"));
    for (what, command, file) in [
        ("validate", validate, "hostile.yaml"),
        ("plan --ics", ics, "plan.ics"),
    ] {
        let outcome = run(command);
        assert_eq!(outcome.code, Some(0), "{what}: {}", outcome.stderr);
        assert_nothing_raw(what, &outcome.stdout);
        assert!(
            outcome.stdout.contains(&format!("{dir_shown}/{file}")),
            "{what}: {}",
            outcome.stdout
        );
    }
}

/// `text` without the SGR sequences (`ESC [ digits/semicolons m`) that colour it.
fn without_colour(text: &str) -> String {
    let mut plain = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("\u{1b}[") {
        plain.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .filter(|&end| after[end..].starts_with('m'));
        match end {
            Some(end) => rest = &after[end + 1..],
            None => {
                // Not a colour: keep it, for the assertion to find.
                plain.push_str("\u{1b}[");
                rest = after;
            }
        }
    }
    plain.push_str(rest);
    plain
}

#[test]
fn colour_still_works_around_escaped_text() {
    let (env, _) = hostile_env();
    for args in [
        &["--color", "always", "status"][..],
        &["--color", "always", "guide"],
        &["--color", "always", "checklist"],
    ] {
        let outcome = run(env.spawnable(args));
        assert_eq!(outcome.code, Some(0), "{args:?}: {}", outcome.stderr);
        // Our own bold (1) around the guide's name, which shows the payload escaped.
        assert!(
            outcome
                .stdout
                .contains(&format!("\u{1b}[1mHostile {PAYLOAD_SHOWN}")),
            "{args:?}: {}",
            outcome.stdout.escape_debug()
        );
        assert_nothing_raw(&format!("{args:?}"), &without_colour(&outcome.stdout));
    }
}

#[test]
fn hostile_ids_in_the_state_are_kept_exactly() {
    let (env, _) = hostile_env();
    env.ok(&["untick", "hello"]);
    let state = env.state_toml();
    let progress = &state["exams"]["hostile"];
    let payload = "\u{1b}]0;PWNED\u{7}\u{1b}[2J";
    let ticked: Vec<&str> = progress["ticked"]
        .as_array()
        .expect("ticked")
        .iter()
        .map(|id| id.as_str().expect("an id"))
        .collect();
    // Sorted by code point: ESC, "line…", CSI (U+009B), U+202E.
    assert_eq!(
        ticked,
        [payload, "line\nbreak", "\u{9b}2J", "\u{202e}gnp.exe"]
    );
    let ratings = progress["ratings"].as_table().expect("ratings");
    for key in [payload, "x\ny", "\u{202e}"] {
        assert!(ratings.contains_key(key), "{key:?} lost: {ratings:?}");
    }
}

// Item 8: a failed write to standard output.

/// `certprep ARGS` with standard output on `stdout`.
fn run_with_stdout(env: &Env, args: &[&str], stdout: impl Into<Stdio>) -> Outcome {
    let mut command = env.spawnable(args);
    command.stdout(stdout);
    run(command)
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_on_standard_output_is_an_error() {
    let env = Env::new();
    env.walkthrough();
    let state = env.state_bytes();
    for args in [&["guide"][..], &["status"], &["checklist", "--json"]] {
        let full = std::fs::File::create("/dev/full").expect("open /dev/full");
        let outcome = run_with_stdout(&env, args, full);
        assert_eq!(outcome.code, Some(1), "{args:?}: {}", outcome.stderr);
        let lines: Vec<&str> = outcome.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{args:?}: {}", outcome.stderr);
        assert!(
            lines[0].starts_with(
                "certprep: error: cannot write to standard output: No space left on device"
            ),
            "{args:?}: {}",
            lines[0]
        );
        assert_eq!(env.state_bytes(), state, "{args:?} changed the state");
    }
}

/// A change saved before its confirmation hit a full disk exits 1 and says it
/// is saved, so that nobody runs it again (a sitting recorded twice).
#[cfg(target_os = "linux")]
#[test]
fn a_saved_change_whose_confirmation_cannot_be_printed_says_it_is_saved() {
    let env = Env::new();
    env.walkthrough();
    let full = || std::fs::File::create("/dev/full").expect("open /dev/full");
    let saved = format!(
        "certprep: error: the change was saved in {}, but its confirmation could not be printed: No space left on device",
        env.state_path().display()
    );
    for (args, now_in_the_state) in [
        (
            &["practice", "add", "10/48"][..],
            "\n[[exams.associate.practice]]\non = 2026-11-22\ncorrect = 10\nquestions = 48\n",
        ),
        // Item 3 is model-registry.
        (
            &["tick", "3"],
            "ticked = [\"automl\", \"mlflow-tracking\", \"model-registry\"]\n",
        ),
    ] {
        let outcome = run_with_stdout(&env, args, full());
        assert_eq!(outcome.code, Some(1), "{args:?}: {}", outcome.stderr);
        assert_eq!(outcome.stderr.lines().count(), 1, "{}", outcome.stderr);
        assert!(
            outcome.stderr.starts_with(&saved),
            "{args:?}: {}",
            outcome.stderr
        );
        assert!(
            env.state_text().contains(now_in_the_state),
            "{args:?}: {}",
            env.state_text()
        );
    }
    // Recorded once: the list has one sitting.
    let json = env.json(&["practice", "--json"]);
    assert_eq!(json["sittings"].as_array().expect("sittings").len(), 1);
    // A command that changed nothing (item 3 is ticked already) saved nothing.
    let outcome = run_with_stdout(&env, &["tick", "3"], full());
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(
        outcome.stderr.starts_with(
            "certprep: error: cannot write to standard output: No space left on device"
        ),
        "{}",
        outcome.stderr
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let env = Env::new();
    env.walkthrough();
    for args in [&["guide"][..], &["status"]] {
        // The reading end is closed before certprep writes: every write is EPIPE.
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let outcome = run_with_stdout(&env, args, writer);
        assert_eq!(outcome.code, Some(0), "{args:?}: {}", outcome.stderr);
        assert_eq!(outcome.stderr, "", "{args:?}");
    }
}

// Item 9: a warning about many ids.

#[test]
fn ten_thousand_unknown_ids_make_one_short_warning() {
    const UNKNOWN: usize = 10_000;
    let env = Env::new();
    let ids: Vec<String> = (0..UNKNOWN).map(|n| format!("\"gone-{n:05}\"")).collect();
    env.write_state(format!(
        "version = 1\nactive = \"associate\"\n\n[exams.associate]\nstarted = 2026-11-20\nticked = [{}]\n",
        ids.join(", ")
    ));
    let outcome = run(env.spawnable(&["status"]));
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    let lines: Vec<&str> = outcome.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", outcome.stderr);
    let warning = lines[0];
    assert!(warning.starts_with("certprep: warning: "), "{warning}");
    assert!(warning.chars().count() < 1000, "{} chars", warning.len());
    // The first ten by sort order are named, the rest counted.
    assert!(
        warning.contains("checklist item \"gone-00000\""),
        "{warning}"
    );
    assert!(
        warning.contains("checklist item \"gone-00009\""),
        "{warning}"
    );
    assert!(!warning.contains("gone-00010"), "{warning}");
    assert!(
        warning.ends_with(&format!("… and {} more", UNKNOWN - 10)),
        "{warning}"
    );
    // The JSON keeps the full list.
    let json = env.json(&["status", "--json"]);
    assert_eq!(json["unknown"].as_array().expect("unknown").len(), UNKNOWN);
}

#[test]
fn a_huge_unknown_id_is_cut_in_the_warning() {
    let env = Env::new();
    let id = "x".repeat(200_000);
    env.write_state(format!(
        "version = 1\nactive = \"associate\"\n\n[exams.associate]\nticked = [\"{id}\"]\n"
    ));
    let outcome = run(env.spawnable(&["status"]));
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    let warning = outcome.stderr.trim_end();
    assert!(warning.chars().count() < 1000, "{} chars", warning.len());
    // `checklist item "` and 84 x's make the 100 characters shown.
    assert!(
        warning.ends_with(&format!("checklist item \"{}…", "x".repeat(84))),
        "{warning}"
    );
}

/// Every `--json` document over the hostile files: no character that drives a
/// terminal reaches stdout raw, and the guide's texts and the state's ids decode
/// to exactly what the files hold (the payload, the override, the newline), not
/// to the text output's `\u{1b}` escapes.
#[test]
fn json_from_hostile_files_holds_no_raw_controls_and_decodes_exactly() {
    let (env, _) = hostile_env();
    let payload = "\u{1b}]0;PWNED\u{7}\u{1b}[2J";
    let name = format!("Hostile {payload}");
    let document = |args: &[&str]| -> serde_json::Value {
        let outcome = run(env.spawnable(args));
        assert_eq!(outcome.code, Some(0), "{args:?}: {}", outcome.stderr);
        assert_nothing_raw(&format!("{args:?} stdout"), &outcome.stdout);
        serde_json::from_str(&outcome.stdout)
            .unwrap_or_else(|error| panic!("{args:?}: {error}\n{}", outcome.stdout))
    };
    let status = document(&["status", "--json"]);
    assert_eq!(status["name"], name.as_str());
    assert_eq!(status["sections"][1]["name"], "Advanced \u{202e}txt.exe");
    let unknown = &status["unknown"];
    for id in [payload, "line\nbreak", "\u{202e}gnp.exe", "\u{9b}2J"] {
        let entry = format!("checklist item \"{id}\"");
        assert!(
            unknown
                .as_array()
                .unwrap()
                .iter()
                .any(|u| u == entry.as_str()),
            "{entry:?} in {unknown}"
        );
    }
    let exams = document(&["exams", "--json"]);
    let hostile = exams
        .as_array()
        .unwrap()
        .iter()
        .find(|exam| exam["id"] == "hostile")
        .expect("the hostile guide");
    assert_eq!(hostile["name"], name.as_str());
    assert_eq!(hostile["short"], format!("H{payload}").as_str());
    let checklist = document(&["checklist", "--json"]);
    assert_eq!(
        checklist["items"][0]["text"],
        format!("Say {payload} hello.").as_str()
    );
    assert_eq!(checklist["items"][1]["text"], "line one\nline two \u{202e}");
    let plan = document(&["plan", "--json"]);
    assert_eq!(
        plan["days"][0]["topic"],
        format!("Topic {payload}").as_str()
    );
    assert_eq!(plan["days"][1]["topic"], "Later \u{202e} days\nnext");
    let today = document(&["today", "--json"]);
    assert_eq!(today["topic"], "Later \u{202e} days\nnext");
    let why = document(&["why", "1", "--json"]);
    assert_eq!(why["name"], format!("Basics {payload}").as_str());
    let next = document(&["next", "--json"]);
    let reasons: Vec<&str> = next["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|action| action["why"].as_str().unwrap())
        .collect();
    assert!(
        reasons
            .iter()
            .any(|why| why.contains(" · Advanced \u{202e}txt.exe costs ")),
        "{reasons:?}"
    );
    for args in [
        &["history", "--json"][..],
        &["forecast", "--json"],
        &["practice", "list", "--json"],
    ] {
        document(args);
    }
}
