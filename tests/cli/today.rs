//! `today` on every kind of day a learner has (README: Commands), in text and JSON.
//!
//! Associate plan (7 days): 1 EDA…, 2 Feature engineering…, 3 Tuning…, 4 MLflow…,
//! 5 Batch scoring…, 6 UC governance…, 7 End-to-end dry run…
//! Professional plan (10 days): 1–2 Experiment management…, 3–4 Registry…,
//! 5–6 Deployments…, 7 Monitoring…, 8 Governance…, 9–10 Capstone…

use crate::common::Env;

const ASSOC_DAY1: &str = "EDA and target definition; leakage checklist.";
const ASSOC_DAY2: &str = "Feature engineering, train/validation split, baseline model.";
const ASSOC_DAY3: &str = "Tuning (grid/AutoML), evaluation metrics; model selection.";
const ASSOC_DAY7: &str = "End-to-end dry run and notes.";
const PRO_DAYS_1_2: &str = "Experiment management at scale; tracking, artifacts, and comparisons.";

fn started_associate() -> Env {
    let env = Env::new();
    env.ok(&["start", "associate", "--on", "2026-11-20"]);
    env
}

#[test]
fn before_the_start() {
    let env = Env::new();
    env.ok(&["start", "associate", "--on", "2026-11-25"]);
    // 2026-11-22 → 2026-11-25 is 3 days.
    let text = env.ok(&["today"]);
    assert!(text.contains("starts in 3 days"), "{text}");
    let json = env.json(&["today", "--json"]);
    assert_eq!(json["exam"], "associate");
    assert_eq!(json["status"], "before_start");
    assert_eq!(json["starts_in"], 3);
    assert!(json["day"].is_null());
    assert_eq!(json["days"], 7);
    assert_eq!(json["missed"], serde_json::json!([]));
}

#[test]
fn the_day_before_the_start_is_one_day() {
    let env = Env::new();
    env.ok(&["start", "associate", "--on", "2026-11-23"]);
    let text = env.ok(&["today"]);
    // Singular: "1 day", not "1 days".
    assert!(text.contains("starts in 1 day"), "{text}");
    assert!(!text.contains("1 days"), "{text}");
    assert_eq!(env.json(&["today", "--json"])["starts_in"], 1);
}

#[test]
fn day_one() {
    let env = started_associate();
    let text = env.ok_on("2026-11-20", &["today"]);
    assert!(text.contains("Day 1 of 7"), "{text}");
    assert!(text.contains(ASSOC_DAY1), "{text}");
    assert!(text.contains("Model Development"), "{text}");
    let json = env.json_on("2026-11-20", &["today", "--json"]);
    assert_eq!(json["status"], "in_progress");
    assert_eq!(json["day"], 1);
    assert_eq!(json["days"], 7);
    assert_eq!(json["topic"], ASSOC_DAY1);
    assert_eq!(json["sections"], serde_json::json!(["model-development"]));
    assert_eq!(json["done"], false);
    assert!(json["starts_in"].is_null());
    assert_eq!(json["missed"], serde_json::json!([]));
}

#[test]
fn a_done_day_says_so() {
    let env = started_associate();
    let before = env.ok_on("2026-11-20", &["today"]);
    env.ok_on("2026-11-20", &["done"]);
    let json = env.json_on("2026-11-20", &["today", "--json"]);
    assert_eq!(json["done"], true);
    let after = env.ok_on("2026-11-20", &["today"]);
    assert_ne!(before, after, "today does not show that the day is done");
    assert!(after.contains(ASSOC_DAY1), "{after}");
    assert!(!after.to_lowercase().contains("not done"), "{after}");
}

#[test]
fn inside_a_two_day_entry() {
    let env = Env::new();
    env.ok(&["start", "professional", "--on", "2026-11-21"]);
    // 21 → day 1, 22 → day 2: the second day of "Days 1–2".
    let text = env.ok(&["today"]);
    assert!(text.contains("Day 2 of 10"), "{text}");
    assert!(text.contains(PRO_DAYS_1_2), "{text}");
    assert!(text.contains("Experimentation"), "{text}");
    let json = env.json(&["today", "--json"]);
    assert_eq!(json["exam"], "professional");
    assert_eq!(json["status"], "in_progress");
    assert_eq!(json["day"], 2);
    assert_eq!(json["days"], 10);
    assert_eq!(json["topic"], PRO_DAYS_1_2);
    assert_eq!(json["sections"], serde_json::json!(["experimentation"]));
    // Day 1 is not done.
    assert_eq!(json["missed"], serde_json::json!([1]));

    // Marking day 2 done does not mark day 1: each day of a range is its own.
    env.ok(&["done"]);
    let json = env.json(&["today", "--json"]);
    assert_eq!(json["done"], true);
    assert_eq!(json["missed"], serde_json::json!([1]));
    let state = env.state_toml();
    assert_eq!(
        state["exams"]["professional"]["days_done"],
        toml::Value::Array(vec![2.into()])
    );
}

#[test]
fn the_last_day() {
    let env = started_associate();
    env.ok(&["done", "1", "2", "3", "4", "5", "6"]);
    // 2026-11-20 + 6 = 2026-11-26 is day 7, the last.
    let text = env.ok_on("2026-11-26", &["today"]);
    assert!(text.contains("Day 7 of 7"), "{text}");
    assert!(text.contains(ASSOC_DAY7), "{text}");
    let json = env.json_on("2026-11-26", &["today", "--json"]);
    assert_eq!(json["status"], "in_progress");
    assert_eq!(json["day"], 7);
    assert_eq!(json["topic"], ASSOC_DAY7);
    assert_eq!(
        json["sections"],
        serde_json::json!([
            "databricks-ml",
            "ml-workflows",
            "model-development",
            "model-deployment"
        ])
    );
    assert_eq!(json["missed"], serde_json::json!([]));
}

#[test]
fn the_last_day_of_the_professional_plan() {
    let env = Env::new();
    env.ok(&["start", "professional", "--on", "2026-11-20"]);
    // 2026-11-20 + 9 = 2026-11-29 is day 10, the second of "Days 9–10".
    let json = env.json_on("2026-11-29", &["today", "--json"]);
    assert_eq!(json["day"], 10);
    assert_eq!(
        json["topic"],
        "Capstone with staged rollout and incident runbook."
    );
    assert_eq!(
        json["sections"],
        serde_json::json!(["model-deployment", "monitoring"])
    );
    assert_eq!(
        json["missed"],
        serde_json::json!([1, 2, 3, 4, 5, 6, 7, 8, 9])
    );
}

#[test]
fn after_the_end() {
    let env = started_associate();
    env.ok(&["done", "1", "2"]);
    // Day 7 was 2026-11-26; 2026-11-27 is after the plan.
    let text = env.ok_on("2026-11-27", &["today"]);
    assert!(text.contains("over"), "{text}");
    assert!(text.contains("2 of 7"), "{text}");
    let json = env.json_on("2026-11-27", &["today", "--json"]);
    assert_eq!(json["status"], "finished");
    assert!(json["day"].is_null());
    assert!(json["starts_in"].is_null());
    assert_eq!(json["days"], 7);
    // Days 3..=7 were never done.
    assert_eq!(json["missed"], serde_json::json!([3, 4, 5, 6, 7]));
}

#[test]
fn after_the_end_with_every_day_done() {
    let env = started_associate();
    env.ok(&["done", "1", "2", "3", "4", "5", "6", "7"]);
    let text = env.ok_on("2027-03-01", &["today"]);
    assert!(text.contains("7 of 7"), "{text}");
    let json = env.json_on("2027-03-01", &["today", "--json"]);
    assert_eq!(json["status"], "finished");
    assert_eq!(json["missed"], serde_json::json!([]));
}

#[test]
fn earlier_days_not_done_are_listed() {
    let env = started_associate();
    env.ok(&["done", "1"]);
    // Today is day 3; day 1 is done, day 2 is not.
    let text = env.ok(&["today"]);
    assert!(text.contains("Day 3 of 7"), "{text}");
    assert!(text.contains(ASSOC_DAY3), "{text}");
    assert!(text.contains(ASSOC_DAY2), "day 2 should be listed:\n{text}");
    assert!(!text.contains(ASSOC_DAY1), "day 1 is done:\n{text}");
    let json = env.json(&["today", "--json"]);
    assert_eq!(json["missed"], serde_json::json!([2]));
    assert_eq!(json["done"], false);
}

#[test]
fn today_is_not_missed_and_later_days_are_not_missed() {
    let env = started_associate();
    env.ok(&["done", "5", "6"]);
    // Day 3: days 1 and 2 are missed; 3 is today; 4..7 are ahead.
    let json = env.json(&["today", "--json"]);
    assert_eq!(json["missed"], serde_json::json!([1, 2]));
}

#[test]
fn across_a_year_end() {
    let env = Env::new();
    env.ok(&["start", "associate", "--on", "2026-12-30"]);
    // Dec 30 → day 1, Dec 31 → 2, Jan 1 → 3, Jan 2 → 4.
    let json = env.json_on("2027-01-02", &["today", "--json"]);
    assert_eq!(json["day"], 4);
    assert_eq!(json["topic"], "MLflow (tracking/registry) and artifacts.");
}

#[test]
fn across_a_leap_day() {
    let env = Env::new();
    env.ok(&[
        "-e",
        "professional",
        "start",
        "professional",
        "--on",
        "2028-02-27",
    ]);
    // Feb 27 → 1, 28 → 2, 29 → 3, Mar 1 → 4, Mar 2 → 5.
    let json = env.json_on("2028-03-02", &["today", "--json"]);
    assert_eq!(json["day"], 5);
    assert_eq!(
        json["topic"],
        "Deployments (batch/online patterns) and dependency management."
    );
}

#[test]
fn not_started_gives_a_hint() {
    let env = Env::new();
    let text = env.ok(&["-e", "associate", "today"]);
    assert!(text.contains("certprep start associate"), "{text}");
    let json = env.json(&["-e", "associate", "today", "--json"]);
    assert!(json["day"].is_null());
    assert_eq!(json["missed"], serde_json::json!([]));
    assert_eq!(env.state_bytes(), None);
}

#[test]
fn status_shows_the_plan_position() {
    let env = started_associate();
    assert!(env.ok(&["status"]).contains("day 3 of 7"));
    let json = env.json_on("2026-11-19", &["status", "--json"]);
    assert!(json["plan"]["day"].is_null());
    assert_eq!(json["plan"]["started"], "2026-11-20");
    let json = env.json_on("2026-11-27", &["status", "--json"]);
    assert!(json["plan"]["day"].is_null());
}

#[test]
fn repeated_days_are_marked_and_reported_once() {
    let env = Env::new();
    let output = env.ok(&["-e", "associate", "done", "3", "3", "1"]);
    assert!(
        output.starts_with("Days 1, 3 marked done. 2 of 7 days done."),
        "{output}"
    );
    let output = env.ok(&["-e", "associate", "undone", "3", "3"]);
    assert!(
        output.starts_with("Day 3 marked not done. 1 of 7 days done."),
        "{output}"
    );
}

#[test]
fn the_pace_never_schedules_past_the_exam() {
    let env = started_associate();
    env.ok(&["done", "1", "2", "3"]);
    // Exam on 2026-11-25, plan day 6 (day 1 is 11-20).
    env.ok(&["book", "2026-11-25"]);
    // The day before (day 5): day 4 is missed; only today is left to catch up,
    // so day 4 goes with day 5 today, and 6 and 7 wait for no date.
    let eve = env.json_on("2026-11-24", &["today", "--json"]);
    assert_eq!(
        eve["pace"]["catch_up"],
        serde_json::json!([{"date": "2026-11-24", "days": [4, 5]}])
    );
    // The exam day and 17 days later (11-25 + 5 = 11-30, + 12 = 12-12): nothing
    // to schedule, and the pace says where the learner stands.
    for (today, line) in [
        ("2026-11-25", "exam day today: 3 of 7 plan days done"),
        ("2026-12-12", "exam was 17 days ago; 3 of 7 plan days done"),
    ] {
        let json = env.json_on(today, &["today", "--json"]);
        assert_eq!(json["pace"]["catch_up"], serde_json::json!([]), "{today}");
        assert_eq!(json["pace"]["done"], 3, "{today}");
        let text = env.ok_on(today, &["today"]);
        assert!(text.contains(&format!("Pace: {line}.\n")), "{text}");
        assert!(!text.contains("catch up"), "{text}");
        // The pace line names the exam day; no second "Exam:" line repeats it.
        assert!(!text.contains("Exam:"), "{text}");
        let status = env.ok_on(today, &["status"]);
        assert!(status.contains(&format!("Pace       {line}\n")), "{status}");
    }
}
