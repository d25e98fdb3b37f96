//! Concurrent invocations lose no update (README: The progress file: read-modify-write
//! under an exclusive lock, atomic rename).

use std::collections::BTreeSet;
use std::process::{Child, Stdio};

use crate::common::Env;

/// 25 distinct updates over both exams:
/// associate: tick 1..=5 (5), rate sections 1..=4 (4), done days 1..=7 (7) = 16;
/// professional: tick 1..=5 (5), rate sections 1..=4 (4) = 9. 16 + 9 = 25.
fn updates() -> Vec<Vec<String>> {
    let mut updates = Vec::new();
    for exam in ["associate", "professional"] {
        for item in 1..=5 {
            updates.push(vec![
                "-e".into(),
                exam.into(),
                "tick".into(),
                item.to_string(),
            ]);
        }
        // Section n gets rating n + 1 (2..=5), so every value is checkable.
        for section in 1..=4 {
            updates.push(vec![
                "-e".into(),
                exam.into(),
                "rate".into(),
                section.to_string(),
                (section + 1).to_string(),
            ]);
        }
    }
    for day in 1..=7 {
        updates.push(vec![
            "-e".into(),
            "associate".into(),
            "done".into(),
            day.to_string(),
        ]);
    }
    updates
}

fn strings(value: &toml::Value) -> BTreeSet<String> {
    value
        .as_array()
        .expect("array")
        .iter()
        .map(|item| item.as_str().expect("string").to_string())
        .collect()
}

fn run_all_at_once(env: &Env) {
    let updates = updates();
    assert_eq!(updates.len(), 25);
    // Spawn every process first, then wait for them all.
    let children: Vec<(Vec<String>, Child)> = updates
        .into_iter()
        .map(|args| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut command = env.spawnable(&args);
            command.stdout(Stdio::null()).stderr(Stdio::piped());
            let child = command.spawn().expect("spawn certprep");
            (args.iter().map(|arg| arg.to_string()).collect(), child)
        })
        .collect();
    for (args, child) in children {
        let output = child.wait_with_output().expect("wait");
        assert!(
            output.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

fn check_every_update(env: &Env) {
    let state = env.state_toml();
    let exams = &state["exams"];

    let associate = &exams["associate"];
    assert_eq!(
        strings(&associate["ticked"]),
        [
            "automl",
            "batch-scoring",
            "feature-engineering",
            "mlflow-tracking",
            "model-registry"
        ]
        .map(String::from)
        .into(),
    );
    let days: Vec<i64> = associate["days_done"]
        .as_array()
        .expect("days_done")
        .iter()
        .map(|day| day.as_integer().expect("day"))
        .collect();
    assert_eq!(days, [1, 2, 3, 4, 5, 6, 7]);
    let ratings = associate["ratings"].as_table().expect("ratings");
    for (id, rating) in [
        ("databricks-ml", 2),
        ("ml-workflows", 3),
        ("model-development", 4),
        ("model-deployment", 5),
    ] {
        assert_eq!(ratings[id].as_integer(), Some(rating), "associate {id}");
    }

    let professional = &exams["professional"];
    assert_eq!(
        strings(&professional["ticked"]),
        [
            "drift-monitoring",
            "model-registry",
            "reproducible-experiments",
            "safe-deployments",
            "uc-governance"
        ]
        .map(String::from)
        .into(),
    );
    let ratings = professional["ratings"].as_table().expect("ratings");
    for (id, rating) in [
        ("experimentation", 2),
        ("model-lifecycle", 3),
        ("model-deployment", 4),
        ("monitoring", 5),
    ] {
        assert_eq!(ratings[id].as_integer(), Some(rating), "professional {id}");
    }
    // Whichever process won the race made its exam active.
    let active = state["active"].as_str().expect("active");
    assert!(["associate", "professional"].contains(&active), "{active}");
}

#[test]
fn twenty_five_processes_lose_no_update() {
    let env = Env::new();
    run_all_at_once(&env);
    check_every_update(&env);
}

#[test]
fn twenty_five_processes_on_an_existing_file_lose_no_update() {
    let env = Env::new();
    env.ok(&["start", "associate", "--on", "2026-11-20"]);
    run_all_at_once(&env);
    check_every_update(&env);
    let state = env.state_toml();
    assert_eq!(state["active"].as_str(), Some("associate"));
    assert!(matches!(
        state["exams"]["associate"]["started"],
        toml::Value::Datetime(_)
    ));
    // The final file is the canonical serialization: writing it again changes nothing.
    let before = env.state_bytes();
    env.ok(&["-e", "associate", "tick", "1"]);
    assert_eq!(env.state_bytes(), before);
}

#[test]
fn readers_during_writes_always_see_a_whole_file() {
    let env = Env::new();
    env.ok(&["start", "associate", "--on", "2026-11-20"]);
    let writers: Vec<Child> = updates()
        .into_iter()
        .map(|args| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut command = env.spawnable(&args);
            command.stdout(Stdio::null()).stderr(Stdio::null());
            command.spawn().expect("spawn writer")
        })
        .collect();
    let readers: Vec<Child> = (0..15)
        .map(|_| {
            let mut command = env.spawnable(&["status", "--json"]);
            command.stdout(Stdio::null()).stderr(Stdio::piped());
            command.spawn().expect("spawn reader")
        })
        .collect();
    for reader in readers {
        let output = reader.wait_with_output().expect("reader");
        assert!(
            output.status.success(),
            "a reader saw a torn file: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    for mut writer in writers {
        assert!(writer.wait().expect("writer").success());
    }
    check_every_update(&env);
}
