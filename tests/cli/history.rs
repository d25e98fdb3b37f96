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
