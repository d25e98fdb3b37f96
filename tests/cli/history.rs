//! `history`: one snapshot per exam per day, the sparkline and the streak.

use crate::common::{Env, assert_close};

#[test]
fn snapshots_streak_and_sparkline() {
    let env = Env::new();
    // The walkthrough, all on 2026-11-22: readiness 40.2 (tests/cli/walkthrough.rs).
    env.walkthrough();
    // 11-23: tick model-registry adds 5.6 (tests/cli/guidance.rs): 45.8; the day's
    // last snapshot wins, so untick and tick again leave the same.
    env.ok_on("2026-11-23", &["untick", "model-registry"]);
    env.ok_on("2026-11-23", &["tick", "model-registry"]);
    let json = env.json_on("2026-11-23", &["history", "--json"]);
    let snapshots = json["snapshots"].as_array().unwrap();
    assert_eq!(snapshots.len(), 2);
    assert_eq!(snapshots[0]["date"], "2026-11-22");
    assert_close(&snapshots[0]["readiness"], 40.2, "11-22");
    assert_eq!(snapshots[1]["date"], "2026-11-23");
    assert_close(&snapshots[1]["readiness"], 45.8, "11-23");
    // 22 and 23: a two-day streak.
    assert_eq!(
        (&json["streak"], &json["streak_since"]),
        (&2.into(), &"2026-11-22".into())
    );
    // On the 24th, before any progress, the streak still holds; on the 25th not.
    assert_eq!(
        env.json_on("2026-11-24", &["history", "--json"])["streak"],
        2
    );
    assert_eq!(
        env.json_on("2026-11-25", &["history", "--json"])["streak"],
        0
    );

    let text = env.ok_on("2026-11-23", &["history"]);
    // 40.2 → 40.2/100·7 = 2.8 → ▄ (index 3); 45.8 → 3.2 → ▄ too.
    assert!(
        text.contains("▄▄  40% → 46% from 2026-11-22 to 2026-11-23"),
        "{text}"
    );
    assert!(
        text.contains("Study streak: 2 days (since 2026-11-22); 2 days with progress in all"),
        "{text}"
    );
    assert!(text.contains("2026-11-23  █████░░░░░  46%"), "{text}");
}

#[test]
fn nothing_recorded_yet() {
    let env = Env::new();
    env.ok(&["start", "associate"]);
    let text = env.ok(&["history"]);
    assert!(text.contains("Nothing recorded yet"), "{text}");
    assert_eq!(
        env.json(&["history", "--json"])["snapshots"],
        serde_json::json!([])
    );
}

#[test]
fn a_broken_history_stops_a_change_but_not_the_prompt() {
    let env = Env::new();
    env.walkthrough();
    let history = env.path("state.history.toml");
    std::fs::write(
        &history,
        "version = 1\n[exams.associate]\n2026-11-22 = \"high\"\n",
    )
    .unwrap();
    let state = env.state_bytes();
    let output = env.cmd(&["tick", "5"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("state.history.toml:3"), "{stderr}");
    assert_eq!(env.state_bytes(), state, "the state is not written either");
    // The prompt never reads the history.
    assert_eq!(env.ok(&["prompt"]), "ML-Assoc 40% d3/7\n");
}

#[test]
fn reset_forgets_the_exams_history() {
    let env = Env::new();
    env.walkthrough();
    env.ok(&["-e", "professional", "tick", "1"]);
    env.ok(&["reset", "--yes"]);
    assert_eq!(
        env.json(&["history", "--json"])["snapshots"],
        serde_json::json!([])
    );
    let professional = env.json(&["-e", "professional", "history", "--json"]);
    assert_eq!(professional["snapshots"].as_array().unwrap().len(), 1);
}

#[test]
fn dates_are_not_study_progress() {
    let env = Env::new();
    env.ok(&["start", "associate"]);
    env.ok(&["book", "2027-01-15"]);
    env.ok(&["use", "associate"]);
    assert_eq!(
        env.json(&["history", "--json"])["snapshots"],
        serde_json::json!([])
    );
    assert!(!env.path("state.history.toml").exists());
}

/// A practice sitting is study on the day it was sat, not on the day it is
/// typed in: a back-dated one neither starts a streak today nor makes a coach's
/// report say the learner was last active today.
#[test]
fn a_practice_sitting_counts_on_its_own_date() {
    let env = Env::new();
    env.ok(&["start", "associate", "--on", "2026-11-20"]);
    env.ok(&["book", "2027-01-15"]);
    // Sat on 2026-11-10, recorded on 2026-11-22. Readiness was 0 (nothing
    // ticked, rated or done), and no snapshot came before: the day gets 0.
    env.ok(&["practice", "add", "30/48", "--on", "2026-11-10"]);
    let json = env.json(&["history", "--json"]);
    assert_eq!(
        json["snapshots"],
        serde_json::json!([{"date": "2026-11-10", "readiness": 0.0}])
    );
    assert_eq!(
        (&json["streak"], &json["streak_since"]),
        (&0.into(), &serde_json::Value::Null)
    );
    let report = env.json(&["report", env.state_path().to_str().unwrap(), "--json"]);
    assert_eq!(report["learners"][0]["last_progress"], "2026-11-10");

    // Ticking automl today is study today. automl trains databricks-ml (1 of 3
    // items: r = 30·1/3 = 10, 38·0.1 = 3.8 points) and model-development (1 of
    // 2: r = 15, 31·0.15 = 4.65): 8.45.
    env.ok(&["tick", "automl"]);
    // A sitting from yesterday fills yesterday with the readiness in effect
    // then (the 10th's 0), leaving today's as it is: a two-day streak.
    env.ok(&["practice", "add", "31/48", "--on", "2026-11-21"]);
    // One sat today is today's snapshot, as any change.
    env.ok(&["practice", "add", "32/48"]);
    let json = env.json(&["history", "--json"]);
    let snapshots = json["snapshots"].as_array().unwrap();
    let dates: Vec<&str> = snapshots
        .iter()
        .map(|s| s["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2026-11-10", "2026-11-21", "2026-11-22"]);
    assert_close(&snapshots[1]["readiness"], 0.0, "11-21");
    assert_close(&snapshots[2]["readiness"], 8.45, "11-22");
    assert_eq!(
        (&json["streak"], &json["streak_since"]),
        (&2.into(), &"2026-11-21".into())
    );
    // A sitting dated on a day with a snapshot keeps that day's readiness.
    env.ok(&["practice", "add", "20/48", "--on", "2026-11-21"]);
    let again = env.json(&["history", "--json"]);
    assert_eq!(again["snapshots"], json["snapshots"]);
}
