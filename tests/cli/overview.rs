//! Bare `certprep` (README: Commands: same as `status`) and colour handling
//! (`--color auto|always|never`, NO_COLOR, piped output).

use crate::common::Env;

const ESC: char = '\x1b';

#[test]
fn bare_certprep_without_state_shows_every_exam_and_a_hint() {
    let env = Env::new();
    let stdout = env.ok(&[]);
    for fact in [
        "associate",
        "professional",
        // Names may wrap in the table; the start of each stays on one line.
        "Databricks Certified",
        "48",
        "60",
    ] {
        assert!(stdout.contains(fact), "lacks {fact:?}:\n{stdout}");
    }
    assert!(stdout.contains("certprep start"), "no hint:\n{stdout}");
    // Same as `status`.
    assert_eq!(env.ok(&["status"]), stdout);
    assert_eq!(env.state_bytes(), None);
}

/// `status --json` with no exam selected is the overview `status` shows, as
/// JSON: `exam` null and the entries of `exams --json`, exit 0, nothing written.
#[test]
fn status_json_without_an_exam_is_the_overview() {
    let env = Env::new();
    let json = env.json(&["status", "--json"]);
    assert_eq!(json["exam"], serde_json::Value::Null, "{json}");
    assert_eq!(json["exams"], env.json(&["exams", "--json"]));
    assert_eq!(
        crate::common::exam_ids(&json["exams"]),
        ["associate", "professional"]
    );
    assert_eq!(
        json.as_object().map(|object| object.len()),
        Some(2),
        "{json}"
    );
    assert_eq!(env.state_bytes(), None);
    // With progress on an exam that is not active (reset left none active),
    // its entry carries it.
    env.ok(&["-e", "professional", "tick", "1"]);
    env.write_state(env.state_text().replace("active = \"professional\"\n", ""));
    let json = env.json(&["status", "--json"]);
    assert_eq!(json["exam"], serde_json::Value::Null, "{json}");
    assert_eq!(json["exams"][1]["id"], "professional");
    // One of five items, weights 30 and 30: 0.3·1/1·… → more than 0.
    assert!(
        json["exams"][1]["readiness"].as_f64().unwrap() > 0.0,
        "{json}"
    );
}

/// `exams` shows the other names `-e` takes, under each id; JSON has them as
/// `short` and `aliases`.
#[test]
fn exams_shows_labels_and_aliases() {
    let env = Env::new();
    let text = env.ok(&["exams"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[2].starts_with("associate "), "{text}");
    assert!(lines[3].starts_with("ML-Assoc, mla "), "{text}");
    assert!(
        lines.iter().any(|line| line.starts_with("ML-Pro, mlp ")),
        "{text}"
    );
    let json = env.json(&["exams", "--json"]);
    assert_eq!(json[0]["short"], "ML-Assoc");
    assert_eq!(json[0]["aliases"], serde_json::json!(["mla"]));
    assert_eq!(json[1]["aliases"], serde_json::json!(["mlp"]));
}

#[test]
fn bare_certprep_with_an_active_exam_is_its_status() {
    let env = Env::new();
    env.walkthrough();
    let stdout = env.ok(&[]);
    assert_eq!(stdout, env.ok(&["status"]));
    assert!(stdout.contains("Databricks Certified Machine Learning Associate"));
    assert!(stdout.contains("40%"), "{stdout}");
}

#[test]
fn exams_marks_the_active_exam_and_started_state() {
    let env = Env::new();
    env.walkthrough();
    let stdout = env.ok(&["exams"]);
    let associate = stdout
        .lines()
        .find(|line| line.starts_with("associate"))
        .unwrap_or_else(|| panic!("no associate row:\n{stdout}"));
    assert!(associate.contains("yes"), "{associate}");
    assert!(associate.contains("40%"), "{associate}");
    let professional = stdout
        .lines()
        .find(|line| line.starts_with("professional"))
        .unwrap_or_else(|| panic!("no professional row:\n{stdout}"));
    assert!(professional.contains("no"), "{professional}");
    assert!(professional.contains("0%"), "{professional}");
}

/// Every human-output command after the walkthrough, so that coloured parts
/// (bars, done marks, today marker) are present.
const HUMAN: [&[&str]; 7] = [
    &[],
    &["status"],
    &["exams"],
    &["checklist"],
    &["plan"],
    &["today"],
    &["guide"],
];

#[test]
fn color_never_has_no_escape_bytes() {
    let env = Env::new();
    env.walkthrough();
    for args in HUMAN {
        let mut full = vec!["--color", "never"];
        full.extend_from_slice(args);
        let stdout = env.ok(&full);
        assert!(!stdout.contains(ESC), "{args:?} has escapes");
    }
}

#[test]
fn piped_output_has_no_escape_bytes() {
    // assert_cmd captures stdout through a pipe: auto means no colour.
    let env = Env::new();
    env.walkthrough();
    for args in HUMAN {
        let output = env.cmd(args).output().expect("run");
        assert!(output.status.success());
        assert!(!output.stdout.contains(&0x1b), "{args:?} has escapes");
        assert!(
            !output.stderr.contains(&0x1b),
            "{args:?} stderr has escapes"
        );
    }
}

#[test]
fn color_always_colours() {
    let env = Env::new();
    env.walkthrough();
    for args in [&[][..], &["status"], &["exams"], &["checklist"], &["today"]] {
        let mut full = vec!["--color", "always"];
        full.extend_from_slice(args);
        let stdout = env.ok(&full);
        assert!(stdout.contains(ESC), "{args:?} has no escapes");
    }
    // Also after the subcommand (a global flag), and with NO_COLOR set: an explicit
    // `always` wins.
    let output = env
        .cmd(&["status", "--color", "always"])
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    assert!(output.stdout.contains(&0x1b));
}

#[test]
fn color_always_text_matches_never_once_escapes_are_stripped() {
    let env = Env::new();
    env.walkthrough();
    let plain = env.ok(&["--color", "never", "today"]);
    let coloured = env.ok(&["--color", "always", "today"]);
    assert_eq!(strip_ansi(&coloured), plain);
}

/// Removes `ESC [ ... letter` sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == ESC {
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn help_and_version() {
    let env = Env::new();
    let help = env.ok(&["--help"]);
    // The first word of each line of the "Commands:" block, so that a command
    // that vanished cannot hide behind a word used elsewhere (`tick` in `untick`).
    let block = help
        .split("\nCommands:\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or_else(|| panic!("no Commands: block in --help:\n{help}"));
    let mut listed: Vec<&str> = block
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    listed.sort_unstable();
    let mut expected = vec![
        "status",
        "exams",
        "guide",
        "checklist",
        "tick",
        "untick",
        "rate",
        "start",
        "use",
        "today",
        "next",
        "why",
        "history",
        "plan",
        "done",
        "undone",
        "book",
        "prompt",
        "reset",
        "completions",
        "validate",
        "practice",
        "forecast",
        "report",
        "help",
        "where",
        "init",
        "name",
        "merge",
    ];
    expected.sort_unstable();
    assert_eq!(listed, expected, "{help}");
    let version = env.ok(&["--version"]);
    assert_eq!(
        version,
        format!("certprep {}\n", env!("CARGO_PKG_VERSION")),
        "{version}"
    );
}
