//! A state file that does not parse, has wrong types or a newer version is a
//! run-time error (exit 1) naming the file and the line; it is never rewritten
//! (README: The progress file).

use crate::common::{Env, assert_no_panic};

/// Every command that reads (and some that write) the state.
const COMMANDS: [&[&str]; 11] = [
    &[],
    &["status"],
    &["status", "--json"],
    &["today"],
    &["tick", "1"],
    &["rate", "1", "3"],
    &["done", "1"],
    &["exams"],
    &["checklist"],
    &["plan"],
    &["guide"],
];

/// Writes `text` as the state, runs every command, and checks each exits 1 with
/// `<path>:<line>` on stderr and leaves the bytes alone.
fn check_corrupt(text: &[u8], line: usize) {
    let env = Env::new();
    env.write_state(text);
    let location = format!("{}:{line}", env.state_path().display());
    for args in COMMANDS {
        for exam in [&[][..], &["-e", "associate"]] {
            let args: Vec<&str> = exam.iter().chain(args.iter()).copied().collect();
            let output = env.cmd(&args).output().expect("run certprep");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(1),
                "{args:?} on {:?}: stderr {stderr}",
                String::from_utf8_lossy(text)
            );
            assert_no_panic(&stderr);
            assert!(
                stderr.contains(&location),
                "{args:?}: stderr should name {location}:\n{stderr}"
            );
            assert_eq!(
                env.state_bytes().as_deref(),
                Some(text),
                "{args:?} changed the corrupt state file"
            );
        }
    }
    // The sandbox holds the state file and nothing else written beside it (no
    // "repaired" copy); a lock file is allowed.
    for entry in std::fs::read_dir(env.dir.path()).expect("sandbox") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy();
        assert!(
            [
                "state.toml",
                "state.toml.lock",
                "guides",
                "home",
                "data",
                "config"
            ]
            .contains(&name.as_ref()),
            "unexpected file {name}"
        );
    }
}

#[test]
fn garbage() {
    // Line 3 is not TOML.
    check_corrupt(b"version = 1\nactive = \"associate\"\n}}} garbage {{{\n", 3);
}

#[test]
fn garbage_on_the_first_line() {
    check_corrupt(b"this is not a state file\n", 1);
}

#[test]
fn not_utf8() {
    check_corrupt(b"version = 1\n\xff\xfe\x00 binary\n", 2);
}

#[test]
fn ticked_is_a_string() {
    check_corrupt(
        b"version = 1\nactive = \"associate\"\n\n[exams.associate]\nticked = \"automl\"\n",
        5,
    );
}

#[test]
fn started_is_a_string_not_a_date() {
    check_corrupt(
        b"version = 1\nactive = \"associate\"\n\n[exams.associate]\nstarted = \"2026-11-20\"\n",
        5,
    );
}

#[test]
fn started_is_a_datetime_not_a_date() {
    check_corrupt(
        b"version = 1\nactive = \"associate\"\n\n[exams.associate]\nstarted = 2026-11-20T10:00:00\n",
        5,
    );
}

#[test]
fn days_done_holds_a_string() {
    check_corrupt(
        b"version = 1\nactive = \"associate\"\n\n[exams.associate]\ndays_done = [1, \"two\"]\n",
        5,
    );
}

#[test]
fn truncated_array() {
    check_corrupt(
        b"version = 1\nactive = \"associate\"\n\n[exams.associate]\nticked = [\"automl\",\n",
        5,
    );
}

#[test]
fn rating_out_of_range() {
    check_corrupt(
        b"version = 1\nactive = \"associate\"\n\n[exams.associate]\nticked = []\ndays_done = []\n\n[exams.associate.ratings]\ndatabricks-ml = 9\n",
        9,
    );
}

#[test]
fn rating_zero() {
    check_corrupt(
        b"version = 1\nactive = \"associate\"\n\n[exams.associate.ratings]\nml-workflows = 0\n",
        5,
    );
}

#[test]
fn newer_version() {
    check_corrupt(b"version = 2\nactive = \"associate\"\n", 1);
}

#[test]
fn newer_version_below_other_keys() {
    check_corrupt(b"active = \"associate\"\n\nversion = 2\n", 3);
}

#[test]
fn version_message_says_to_upgrade() {
    let env = Env::new();
    env.write_state("version = 2\n");
    let output = env.cmd(&["status"]).output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("newer"), "{stderr}");
}

#[test]
fn active_of_wrong_type() {
    check_corrupt(b"version = 1\nactive = 5\n", 2);
}
