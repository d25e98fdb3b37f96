//! The rules of the progress file (README: The progress file): where it lives, who creates
//! it, what it keeps, and that the same progress always writes the same bytes.

use std::fs;
use std::path::Path;

use crate::common::{Env, WALKTHROUGH_STATE, assert_close, crate_file};

/// Every read-only command, with an exam selected so that each of them succeeds.
fn read_only_commands() -> Vec<Vec<String>> {
    let validate = crate_file("data/associate.yaml").display().to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec![],
        vec!["status"],
        vec!["-e", "associate"],
        vec!["-e", "associate", "status"],
        vec!["-e", "associate", "status", "--json"],
        vec!["exams"],
        vec!["exams", "--json"],
        vec!["-e", "associate", "checklist"],
        vec!["-e", "associate", "checklist", "--json"],
        vec!["-e", "professional", "today"],
        vec!["-e", "professional", "today", "--json"],
        vec!["-e", "associate", "plan"],
        vec!["-e", "associate", "plan", "--json"],
        vec!["-e", "associate", "guide"],
        vec!["validate", &validate],
    ];
    commands
        .into_iter()
        .map(|args| args.into_iter().map(String::from).collect())
        .collect()
}

#[test]
fn read_only_commands_never_create_the_file_or_its_directory() {
    let env = Env::new();
    let dir = env.path("not-yet");
    let state = dir.join("deeper").join("state.toml");
    for args in read_only_commands() {
        env.bare()
            .arg("--state")
            .arg(&state)
            .args(["--today", "2026-11-22"])
            .args(&args)
            .assert()
            .success();
        assert!(!dir.exists(), "{args:?} created {}", dir.display());
    }
    // Nor through CERTPREP_STATE.
    for args in read_only_commands() {
        env.bare()
            .env("CERTPREP_STATE", &state)
            .args(["--today", "2026-11-22"])
            .args(&args)
            .assert()
            .success();
        assert!(!dir.exists(), "{args:?} created {}", dir.display());
    }
}

#[test]
fn read_only_commands_never_touch_an_existing_file() {
    let env = Env::new();
    env.walkthrough();
    let before = fs::metadata(env.state_path()).expect("state").modified();
    for args in read_only_commands() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        env.ok(&args);
        assert_eq!(env.state_text(), WALKTHROUGH_STATE, "{args:?}");
    }
    let after = fs::metadata(env.state_path()).expect("state").modified();
    assert_eq!(before.ok(), after.ok(), "the state file was rewritten");
}

#[test]
fn a_missing_file_means_no_progress() {
    let env = Env::new();
    let json = env.json(&["-e", "associate", "status", "--json"]);
    assert_close(&json["readiness"], 0.0, "readiness");
    assert_eq!(json["checklist"]["done"], 0);
    assert!(json["plan"]["started"].is_null());
    assert!(json["plan"]["day"].is_null());
    assert_eq!(env.state_bytes(), None);
}

#[cfg(unix)]
#[test]
fn a_new_state_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.ok(&["-e", "associate", "tick", "1"]);
    let mode = fs::metadata(env.state_path())
        .expect("state created")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "mode {:o}", mode & 0o777);

    // Also when the directory has to be created first.
    let nested = env.path("a").join("b").join("state.toml");
    env.bare()
        .arg("--state")
        .arg(&nested)
        .args(["--today", "2026-11-22", "start", "professional"])
        .assert()
        .success();
    let mode = fs::metadata(&nested)
        .expect("nested state")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "mode {:o}", mode & 0o777);
}

#[test]
fn unknown_ids_are_kept_reported_and_not_counted() {
    let env = Env::new();
    env.write_state(
        "version = 1
active = \"associate\"

[exams.associate]
started = 2026-11-20
ticked = [\"old-item\"]
days_done = [1, 99]

[exams.associate.ratings]
old-section = 2
",
    );
    env.ok(&["tick", "1"]);
    // automl sorts before old-item; the unknown day and section stay.
    assert_eq!(
        env.state_text(),
        "version = 1
active = \"associate\"

[exams.associate]
started = 2026-11-20
ticked = [\"automl\", \"old-item\"]
days_done = [1, 99]

[exams.associate.ratings]
old-section = 2
"
    );

    let output = env.cmd(&["status"]).output().expect("run");
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("warning"), "{stderr}");
    for unknown in ["old-item", "99", "old-section"] {
        assert!(
            stderr.contains(unknown),
            "warning lacks {unknown}: {stderr}"
        );
    }
    assert!(
        stderr.contains(&env.state_path().display().to_string()),
        "{stderr}"
    );
    assert!(!stderr.contains("automl"), "{stderr}");

    let json = env.json(&["status", "--json"]);
    // Only automl (of 5) and day 1 (of 7) count; old-section's rating is ignored.
    assert_eq!(json["checklist"]["done"], 1);
    assert_eq!(json["plan"]["done"], 1);
    // databricks-ml: C = 1/3 (automl), P = 0/4, unrated → r = 100·0.3/3 = 10,
    //   points 38·0.10 = 3.8
    // ml-workflows: nothing → 0
    // model-development: C = 1/2, P = 1/4 (day 1 of 1, 2, 3, 7) →
    //   r = 100·(0.15 + 0.05) = 20, points 31·0.2 = 6.2
    // model-deployment: 0
    // overall = 3.8 + 6.2 = 10.0
    assert_close(&json["readiness"], 10.0, "readiness");
    let sections = json["sections"].as_array().expect("sections");
    assert_close(&sections[0]["readiness"], 10.0, "databricks-ml");
    assert_close(&sections[1]["readiness"], 0.0, "ml-workflows");
    assert_close(&sections[2]["readiness"], 20.0, "model-development");
    assert_close(&sections[3]["readiness"], 0.0, "model-deployment");
    for section in sections {
        assert!(section["rating"].is_null(), "{section}");
    }
}

#[test]
fn ticking_twice_writes_the_same_bytes() {
    let env = Env::new();
    env.walkthrough();
    env.ok(&["tick", "3"]);
    let once = env.state_bytes();
    env.ok(&["tick", "3"]);
    env.ok(&["tick", "model-registry", "3", "model-r"]);
    assert_eq!(env.state_bytes(), once);
    env.ok(&["done", "1", "1", "2"]);
    env.ok(&["rate", "1", "4"]);
    env.ok(&["start", "associate", "--on", "2026-11-20"]);
    assert_eq!(env.state_bytes(), once);
    // Unticking something not ticked changes nothing either.
    env.ok(&["untick", "batch-scoring"]);
    assert_eq!(env.state_bytes(), once);
}

#[test]
fn no_temporary_files_are_left_behind() {
    let env = Env::new();
    env.walkthrough();
    env.ok(&["-e", "professional", "tick", "1"]);
    for entry in fs::read_dir(env.dir.path()).expect("sandbox") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy();
        assert!(
            !name.ends_with(".tmp") && !name.starts_with(".certprep"),
            "left behind: {name}"
        );
    }
}

#[test]
fn state_flag_beats_the_environment() {
    let env = Env::new();
    let from_env = env.path("from-env.toml");
    let from_flag = env.path("from-flag.toml");
    env.bare()
        .env("CERTPREP_STATE", &from_env)
        .arg("--state")
        .arg(&from_flag)
        .args(["--today", "2026-11-22", "-e", "associate", "tick", "1"])
        .assert()
        .success();
    assert!(from_flag.exists());
    assert!(!from_env.exists());

    // Without the flag the environment variable is used.
    env.bare()
        .env("CERTPREP_STATE", &from_env)
        .args(["--today", "2026-11-22", "-e", "associate", "tick", "2"])
        .assert()
        .success();
    let text = fs::read_to_string(&from_env).expect("env state");
    assert!(text.contains("ticked = [\"mlflow-tracking\"]"), "{text}");
    // And the flag's file did not get item 2.
    let text = fs::read_to_string(&from_flag).expect("flag state");
    assert!(text.contains("ticked = [\"automl\"]"), "{text}");
}

#[cfg(target_os = "linux")]
#[test]
fn default_path_is_in_the_data_dir() {
    let env = Env::new();
    env.bare()
        .args(["--today", "2026-11-22", "-e", "associate", "tick", "1"])
        .assert()
        .success();
    // XDG_DATA_HOME points at <sandbox>/data.
    let state = env.path("data").join("certprep").join("state.toml");
    let text = fs::read_to_string(&state).expect("default state file");
    assert!(text.contains("ticked = [\"automl\"]"), "{text}");
}

#[test]
fn today_comes_from_certprep_today_when_no_flag() {
    let env = Env::new();
    env.bare()
        .arg("--state")
        .arg(env.state_path())
        .env("CERTPREP_TODAY", "2026-11-20")
        .args(["start", "associate"])
        .assert()
        .success();
    assert!(env.state_text().contains("started = 2026-11-20\n"));
    // The flag beats the variable (on an exam not started yet: a second `start`
    // keeps day 1).
    env.bare()
        .arg("--state")
        .arg(env.state_path())
        .env("CERTPREP_TODAY", "2026-11-20")
        .args(["--today", "2026-11-21", "start", "professional"])
        .assert()
        .success();
    let started = &env.state_toml()["exams"]["professional"]["started"];
    assert_eq!(started.to_string(), "2026-11-21");
}

#[test]
fn reset_yes_erases_only_the_selected_exam() {
    let env = Env::new();
    env.walkthrough();
    env.ok(&["-e", "professional", "tick", "1"]);
    env.ok(&["book", "2027-01-15"]);
    env.ok(&["reset", "--yes"]);
    let state = env.state_toml();
    let exams = state
        .get("exams")
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();
    assert!(!exams.contains_key("associate"), "{state:?}");
    // professional's progress is untouched.
    assert_eq!(
        exams["professional"]["ticked"],
        toml::Value::Array(vec!["reproducible-experiments".into()])
    );
    let json = env.json(&["-e", "associate", "status", "--json"]);
    assert_close(&json["readiness"], 0.0, "readiness after reset");
    assert!(json["plan"]["started"].is_null());
    assert!(json["booked"].is_null());
    assert_eq!(json["checklist"]["done"], 0);
}

#[test]
fn starting_again_keeps_day_one_unless_on_moves_it() {
    let env = Env::new();
    env.walkthrough();
    env.ok(&["use", "professional"]);
    // Re-running the first command two days later keeps the learner's place (day 1
    // stays 2026-11-20) and only makes the exam active again.
    let kept = env.ok(&["start", "associate"]);
    assert_eq!(env.state_text(), WALKTHROUGH_STATE);
    assert!(
        kept.contains("Already started on 2026-11-20; ML-Assoc is now the active exam."),
        "{kept}"
    );
    assert!(env.ok(&["today"]).contains("Day 3 of 7"));
    // --on with the same date changes nothing either.
    env.ok(&["start", "associate", "--on", "2026-11-20"]);
    assert_eq!(env.state_text(), WALKTHROUGH_STATE);
    // --on moves day 1, says from what to what, and keeps every tick and day.
    let moved = env.ok(&["start", "associate", "--on", "2026-11-25"]);
    assert!(
        moved.contains("Moved day 1 of the ML-Assoc plan from 2026-11-20 to 2026-11-25"),
        "{moved}"
    );
    assert_eq!(
        env.state_text(),
        WALKTHROUGH_STATE.replace("started = 2026-11-20", "started = 2026-11-25")
    );
}

#[test]
fn first_progress_makes_the_exam_active() {
    let env = Env::new();
    env.ok(&["-e", "professional", "tick", "1"]);
    let state = env.state_toml();
    assert_eq!(state["active"].as_str(), Some("professional"));
    assert_eq!(state["version"].as_integer(), Some(1));
    assert_eq!(
        state["exams"]["professional"]["ticked"],
        toml::Value::Array(vec!["reproducible-experiments".into()])
    );
    // Now no -e is needed.
    let json = env.json(&["status", "--json"]);
    assert_eq!(json["exam"], "professional");
    assert_eq!(json["checklist"]["done"], 1);

    // Progress on another exam does not steal the active exam.
    env.ok(&["-e", "associate", "done", "1"]);
    assert_eq!(env.state_toml()["active"].as_str(), Some("professional"));
}

#[test]
fn each_first_progress_command_makes_its_exam_active() {
    for args in [
        &["-e", "professional", "rate", "2", "3"][..],
        &["-e", "professional", "done", "4"],
        &["-e", "professional", "book", "2027-01-15"],
    ] {
        let env = Env::new();
        env.ok(args);
        assert_eq!(
            env.state_toml()["active"].as_str(),
            Some("professional"),
            "{args:?}"
        );
    }
}

#[test]
fn use_and_start_set_the_active_exam() {
    let env = Env::new();
    env.walkthrough();
    env.ok(&["use", "pro"]);
    assert_eq!(env.state_toml()["active"].as_str(), Some("professional"));
    assert_eq!(env.json(&["status", "--json"])["exam"], "professional");
    // The alias "mla" names the associate exam.
    env.ok(&["use", "mla"]);
    assert_eq!(
        env.state_text(),
        WALKTHROUGH_STATE,
        "use associate restores the walkthrough bytes"
    );
    env.ok(&["start", "professional", "--on", "2026-12-01"]);
    assert_eq!(env.state_toml()["active"].as_str(), Some("professional"));
}

#[cfg(unix)]
#[test]
fn a_symlinked_state_file_stays_a_link() {
    let env = Env::new();
    let target = env.path("dotfiles-state.toml");
    fs::write(&target, WALKTHROUGH_STATE).expect("target");
    std::os::unix::fs::symlink(&target, env.state_path()).expect("symlink");
    env.ok(&["tick", "3"]);
    let link = fs::symlink_metadata(env.state_path()).expect("link");
    assert!(link.file_type().is_symlink());
    let text = fs::read_to_string(&target).expect("target");
    assert!(
        text.contains("ticked = [\"automl\", \"mlflow-tracking\", \"model-registry\"]"),
        "{text}"
    );
}

#[test]
fn state_relative_path_works() {
    let env = Env::new();
    env.bare()
        .current_dir(env.dir.path())
        .args(["--state", "rel.toml", "--today", "2026-11-22"])
        .args(["-e", "associate", "tick", "1"])
        .assert()
        .success();
    assert!(Path::new(&env.path("rel.toml")).exists());
}

/// A calendar written over the progress file, its history or its lock would
/// destroy them: each, under any name, is a usage error that writes nothing.
#[test]
fn the_calendar_is_never_written_over_certprep_s_own_files() {
    let env = Env::new();
    env.walkthrough();
    std::os::unix::fs::symlink(env.state_path(), env.path("link.ics")).unwrap();
    fs::hard_link(env.path("state.history.toml"), env.path("hard.ics")).unwrap();
    fs::create_dir(env.path("sub")).unwrap();
    let own = ["state.toml", "state.history.toml", "state.toml.lock"];
    let before: Vec<Vec<u8>> = own
        .iter()
        .map(|name| fs::read(env.path(name)).unwrap())
        .collect();
    let aliases = [
        "state.toml",
        "state.history.toml",
        "state.toml.lock",
        "link.ics",
        "hard.ics",
    ];
    for name in aliases
        .iter()
        .map(|name| name.to_string())
        .chain(["sub/../state.toml".into()])
    {
        let output = env.path(&name);
        let stderr = env.usage_error(&["plan", "--ics", output.to_str().unwrap()], &["own file"]);
        assert!(stderr.contains("another file"), "{name}: {stderr}");
        // A relative path from the state's directory names the same file.
        env.cmd(&["plan", "--ics", &name])
            .current_dir(env.dir.path())
            .assert()
            .code(2);
    }
    let after: Vec<Vec<u8>> = own
        .iter()
        .map(|name| fs::read(env.path(name)).unwrap())
        .collect();
    assert_eq!(after, before);
}

#[test]
fn a_history_not_written_yet_is_not_a_calendar_target_either() {
    let env = Env::new();
    env.ok(&["start", "associate", "--on", "2026-11-20"]);
    assert!(!env.path("state.history.toml").exists());
    let history = env.path("state.history.toml");
    env.usage_error(&["plan", "--ics", history.to_str().unwrap()], &["own file"]);
    assert!(!history.exists());
}

/// The calendar goes to its file through a temp file and a rename: the file holds
/// exactly what `plan --ics` prints, and nothing else is left beside it.
#[test]
fn the_calendar_file_is_written_whole() {
    let env = Env::new();
    env.walkthrough();
    let calendar = env.path("out/plan.ics");
    fs::create_dir(env.path("out")).unwrap();
    fs::write(&calendar, "an older calendar").unwrap();
    env.ok(&["plan", "--ics", calendar.to_str().unwrap()]);
    assert_eq!(
        fs::read_to_string(&calendar).unwrap(),
        env.ok(&["plan", "--ics"])
    );
    let names: Vec<_> = fs::read_dir(env.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["plan.ics"]);
}

/// With the state a symbolic link, the history, the lock and the temp files go
/// beside the link's target, where the writes go, and the history is read there.
#[cfg(unix)]
#[test]
fn a_symlinked_state_keeps_its_sidecars_beside_the_target() {
    let env = Env::new();
    fs::create_dir(env.path("dotfiles")).unwrap();
    let target = env.path("dotfiles/progress.toml");
    fs::write(&target, WALKTHROUGH_STATE).unwrap();
    std::os::unix::fs::symlink(&target, env.state_path()).unwrap();
    env.ok(&["tick", "3"]);
    assert!(env.path("dotfiles/progress.history.toml").exists());
    assert!(env.path("dotfiles/progress.toml.lock").exists());
    let beside_link: Vec<String> = fs::read_dir(env.dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("state") || name.ends_with(".tmp"))
        .collect();
    assert_eq!(beside_link, ["state.toml"]);
    let history = env.json(&["history", "--json"]);
    assert_eq!(
        history["snapshots"].as_array().unwrap().len(),
        1,
        "{history}"
    );
}

/// A write command refused on usage touches nothing on disk: no directory, no
/// lock file.
#[test]
fn a_refused_write_creates_no_directory_and_no_lock() {
    let env = Env::new();
    let state = env.path("new/dir/state.toml");
    for args in [
        &["-e", "associate", "tick", "no-such-item"][..],
        &["-e", "associate", "rate", "9", "3"],
        &["tick", "1"],
    ] {
        env.bare()
            .arg("--state")
            .arg(&state)
            .args(["--today", "2026-11-22"])
            .args(args)
            .assert()
            .code(2);
    }
    assert!(!env.path("new").exists());
    env.usage_error(
        &["-e", "associate", "tick", "no-such-item"],
        &["no-such-item"],
    );
    assert!(!env.path("state.toml.lock").exists());
}

#[test]
fn a_state_path_ending_in_a_slash_is_a_usage_error() {
    let env = Env::new();
    let state = format!("{}/x/s.toml/", env.dir.path().display());
    let output = env
        .bare()
        .args(["--state", &state, "-e", "associate", "tick", "1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("ends in '/'"), "{stderr}");
    assert!(!env.path("x").exists());
}

#[test]
fn a_parent_that_is_a_file_is_named_as_such() {
    let env = Env::new();
    fs::write(env.path("file"), "not a directory").unwrap();
    for args in [&["-e", "associate", "tick", "1"][..], &["status"]] {
        let output = env
            .bare()
            .arg("--state")
            .arg(env.path("file/state.toml"))
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("is a file, not a directory"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("File exists"), "{args:?}: {stderr}");
    }
    assert_eq!(
        fs::read_to_string(env.path("file")).unwrap(),
        "not a directory"
    );
}

/// A writer waiting for a held lock says so, once, after about a second, and goes
/// on when the lock is free. The test follows the events themselves: it releases
/// the lock only once the notice has been read, and checks that nothing was
/// written while the lock was held.
#[test]
fn a_writer_waiting_for_the_lock_says_so_once() {
    use std::time::{Duration, Instant};

    let env = Env::new();
    env.walkthrough();
    let before = env.state_bytes();
    let lock_path = env.path("state.toml.lock");
    let holder = fs::OpenOptions::new().write(true).open(&lock_path).unwrap();
    holder.lock().unwrap();
    let started = Instant::now();
    let writer = env.start_reading_stderr(&["tick", "5"]);
    let message = format!("waiting for the lock on {}", lock_path.display());
    let first = writer.next_line("notice while the lock is held");
    let waited = started.elapsed();
    assert!(first.contains(&message), "{first}");
    // "After about a second": not at once.
    assert!(
        waited >= Duration::from_millis(900),
        "notice after {waited:?}"
    );
    assert_eq!(env.state_bytes(), before, "written while the lock was held");
    drop(holder);
    let (succeeded, rest) = writer.finish();
    assert!(succeeded, "{first}\n{rest:?}");
    assert!(!rest.iter().any(|line| line.contains(&message)), "{rest:?}");
    assert_eq!(env.json(&["checklist", "--json"])["items"][4]["done"], true);
}

/// Snapshot values are readiness percents: `nan`, `inf` and the like are refused
/// with the file and line, never printed as "NaN%".
#[test]
fn history_values_that_are_no_percent_are_refused_at_their_line() {
    let env = Env::new();
    env.walkthrough();
    for value in ["nan", "inf", "-inf", "250.0"] {
        let text =
            format!("version = 1\n\n[exams.associate]\n2026-11-20 = 10.0\n2026-11-21 = {value}\n");
        fs::write(env.path("state.history.toml"), text).unwrap();
        let output = env.cmd(&["history"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{value}: {stderr}");
        assert!(stderr.contains("state.history.toml:5"), "{value}: {stderr}");
        assert!(!String::from_utf8_lossy(&output.stdout).contains("NaN"));
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_called_one() {
    let env = Env::new();
    std::os::unix::fs::symlink(env.path("other.toml"), env.state_path()).unwrap();
    std::os::unix::fs::symlink(env.state_path(), env.path("other.toml")).unwrap();
    for args in [&["status"][..], &["-e", "associate", "tick", "1"]] {
        let output = env.cmd(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("symbolic link loop"), "{args:?}: {stderr}");
        assert!(!stderr.contains("missing file"), "{args:?}: {stderr}");
    }
}

/// Dates are accepted from 1970-01-01 to 9000-12-31, so that every date derived
/// from them (the end of a 1 000-day plan, a calendar event) keeps a four-digit
/// year that TOML tools read; others are refused with the range.
#[test]
fn dates_outside_the_range_are_refused_with_it() {
    let env = Env::new();
    for args in [
        &["start", "associate", "--on", "0000-01-01"][..],
        &["start", "associate", "--on", "9999-12-31"],
        &["start", "associate", "--on", "1969-12-31"],
    ] {
        env.usage_error(args, &["1970-01-01 to 9000-12-31"]);
    }
    let output = env.cmd_on("9001-01-01", &["status"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("1970-01-01 to 9000-12-31"));
    assert_eq!(env.state_bytes(), None);
    env.ok(&["start", "associate", "--on", "2026-11-20"]);
    env.usage_error(&["book", "0001-01-01"], &["1970-01-01 to 9000-12-31"]);
    // From a state file: refused at its line, the file left alone.
    for date in ["0000-01-01", "9999-12-31"] {
        env.write_state(format!(
            "version = 1\n\n[exams.associate]\nstarted = {date}\n"
        ));
        let output = env.cmd(&["status"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("state.toml:4") && stderr.contains("9000-12-31"),
            "{stderr}"
        );
    }
}

#[test]
fn the_last_date_still_gives_a_valid_calendar() {
    let env = Env::new();
    env.ok(&["start", "associate", "--on", "9000-12-31"]);
    let calendar = env.ok_on("9000-12-31", &["plan", "--ics"]);
    // The 7-day plan runs to 9001-01-06; its last event ends on 9001-01-07.
    assert!(
        calendar.contains("DTSTART;VALUE=DATE:90001231"),
        "{calendar}"
    );
    assert!(calendar.contains("DTEND;VALUE=DATE:90010107"), "{calendar}");
    assert!(env.state_text().contains("started = 9000-12-31"));
}

/// A practice sitting's score for a section the guide does not know is kept,
/// left out of the forecast, and warned about like an unknown rating.
#[test]
fn unknown_sections_of_a_practice_sitting_are_reported() {
    let env = Env::new();
    let state = "version = 1
active = \"associate\"

[exams.associate]
started = 2026-11-20
ticked = []
days_done = []

[exams.associate.ratings]
old-rated = 2

[[exams.associate.practice]]
on = 2026-11-21
correct = 10
questions = 14
sections = { databricks-ml = [7, 9], old-section = [3, 5] }
";
    env.write_state(state);
    let output = env.cmd(&["status"]).output().expect("run");
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(
            "(kept, not counted): section \"old-rated\", section \"old-section\" in practice test 1"
        ),
        "{stderr}"
    );
    let json = env.json(&["status", "--json"]);
    assert_eq!(
        json["unknown"],
        serde_json::json!([
            "section \"old-rated\"",
            "section \"old-section\" in practice test 1"
        ])
    );
    assert_eq!(env.state_text(), state);
}
