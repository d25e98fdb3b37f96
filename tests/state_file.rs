//! The rules of the progress file (DESIGN section 2): where it lives, who creates
//! it, what it keeps, and that the same progress always writes the same bytes.

mod common;

use std::fs;
use std::path::Path;

use common::{Env, WALKTHROUGH_STATE, assert_close, crate_file};

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
