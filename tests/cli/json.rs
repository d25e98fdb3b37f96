//! The `--json` documents of `exams`, `checklist`, `plan` and `today` (README:
//! JSON for scripts): one document on stdout, the documented fields and values.

use crate::common::{Env, MYCERT, assert_close};
use serde_json::json;

#[test]
fn exams_lists_both_bundled_guides() {
    let env = Env::new();
    let json = env.json(&["exams", "--json"]);
    let exams = json.as_array().expect("an array");
    assert_eq!(exams.len(), 2, "{json}");
    let associate = &exams[0];
    assert_eq!(associate["id"], "associate");
    assert_eq!(
        associate["name"],
        "Databricks Certified Machine Learning Associate"
    );
    assert_eq!(associate["short"], "ML-Assoc");
    assert_eq!(associate["questions"], 48);
    assert_eq!(associate["minutes"], 90);
    assert_eq!(associate["sections"], 4);
    assert_eq!(associate["started"], false);
    assert_close(&associate["readiness"], 0.0, "associate readiness");

    let professional = &exams[1];
    assert_eq!(professional["id"], "professional");
    assert_eq!(
        professional["name"],
        "Databricks Certified Machine Learning Professional"
    );
    assert_eq!(professional["short"], "ML-Pro");
    assert_eq!(professional["questions"], 60);
    assert_eq!(professional["minutes"], 120);
    assert_eq!(professional["sections"], 4);
    assert_eq!(professional["started"], false);
    assert_close(&professional["readiness"], 0.0, "professional readiness");
}

#[test]
fn exams_after_the_walkthrough() {
    let env = Env::new();
    env.walkthrough();
    // Professional: rate experimentation (30%) 5 → R = 1, no items, no days:
    //   r = 100·0.5·1/(0.5 + 0.3 + 0.2) = 50 (the section has items and days, so
    //   the denominator is 1); points 30·0.5 = 15; overall 15.
    env.ok(&["-e", "professional", "rate", "experimentation", "5"]);
    let json = env.json(&["exams", "--json"]);
    let exams = json.as_array().expect("an array");
    assert_eq!(exams[0]["started"], true);
    // See walkthrough.rs: 21.85 + 2.85 + 15.5 + 0 = 40.2.
    assert_close(&exams[0]["readiness"], 40.2, "associate readiness");
    assert_eq!(exams[1]["started"], false);
    assert_close(&exams[1]["readiness"], 15.0, "professional readiness");
    // The walkthrough started the associate exam, which made it the active one;
    // `use` moves the mark, and only one exam has it.
    assert_eq!(
        (&exams[0]["active"], &exams[1]["active"]),
        (&json!(true), &json!(false))
    );
    env.ok(&["use", "professional"]);
    let json = env.json(&["exams", "--json"]);
    assert_eq!(
        (&json[0]["active"], &json[1]["active"]),
        (&json!(false), &json!(true))
    );
}

#[test]
fn checklist_json() {
    let env = Env::new();
    env.walkthrough();
    let json = env.json(&["checklist", "--json"]);
    assert_eq!(json["exam"], "associate");
    let expected = json!([
        {"number": 1, "id": "automl",
         "text": "Run AutoML and interpret results; compare to a manual baseline.",
         "sections": ["databricks-ml", "model-development"], "done": true},
        {"number": 2, "id": "mlflow-tracking",
         "text": "Track experiments with MLflow; log params/metrics/artifacts.",
         "sections": ["databricks-ml", "ml-workflows"], "done": true},
        {"number": 3, "id": "model-registry",
         "text": "Register/promote a model; manage versions and stages.",
         "sections": ["databricks-ml", "model-deployment"], "done": false},
        {"number": 4, "id": "feature-engineering",
         "text": "Engineer features safely; validate with proper splits and metrics.",
         "sections": ["model-development"], "done": false},
        {"number": 5, "id": "batch-scoring",
         "text": "Implement batch scoring and basic deployment options.",
         "sections": ["model-deployment", "ml-workflows"], "done": false},
    ]);
    let items = json["items"].as_array().expect("items");
    assert_eq!(items.len(), 5);
    for (item, want) in items.iter().zip(expected.as_array().expect("array")) {
        for key in ["number", "id", "text", "sections", "done"] {
            assert_eq!(item[key], want[key], "{key} of {}", want["id"]);
        }
    }
}

#[test]
fn professional_checklist_json() {
    let env = Env::new();
    env.ok(&["-e", "pro", "tick", "drift", "uc"]);
    let json = env.json(&["-e", "professional", "checklist", "--json"]);
    assert_eq!(json["exam"], "professional");
    let ids: Vec<&str> = json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "reproducible-experiments",
            "model-registry",
            "safe-deployments",
            "drift-monitoring",
            "uc-governance"
        ]
    );
    let done: Vec<bool> = json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["done"].as_bool().expect("done"))
        .collect();
    assert_eq!(done, [false, false, false, true, true]);
}

#[test]
fn plan_json_splits_two_day_entries() {
    let env = Env::new();
    env.ok(&["start", "professional", "--on", "2026-11-20"]);
    env.ok(&["done", "1", "4"]);
    let json = env.json(&["plan", "--json"]);
    assert_eq!(json["exam"], "professional");
    assert_eq!(json["started"], "2026-11-20");
    // 20 → 1, 21 → 2, 22 → 3.
    assert_eq!(json["today"], 3);
    let days = json["days"].as_array().expect("days");
    assert_eq!(days.len(), 10);
    let topics = [
        "Experiment management at scale; tracking, artifacts, and comparisons.",
        "Experiment management at scale; tracking, artifacts, and comparisons.",
        "Registry workflows; approvals, stage transitions, rollback.",
        "Registry workflows; approvals, stage transitions, rollback.",
        "Deployments (batch/online patterns) and dependency management.",
        "Deployments (batch/online patterns) and dependency management.",
        "Monitoring and drift metrics; alerting.",
        "Governance/UC for ML assets; access controls and lineage.",
        "Capstone with staged rollout and incident runbook.",
        "Capstone with staged rollout and incident runbook.",
    ];
    let sections = [
        json!(["experimentation"]),
        json!(["experimentation"]),
        json!(["model-lifecycle"]),
        json!(["model-lifecycle"]),
        json!(["model-deployment"]),
        json!(["model-deployment"]),
        json!(["monitoring"]),
        json!(["model-lifecycle"]),
        json!(["model-deployment", "monitoring"]),
        json!(["model-deployment", "monitoring"]),
    ];
    for (index, day) in days.iter().enumerate() {
        let number = index as u64 + 1;
        assert_eq!(day["day"], number);
        assert_eq!(day["topic"], topics[index], "day {number}");
        assert_eq!(day["sections"], sections[index], "day {number}");
        // Only days 1 and 4 are done: day 2 shares day 1's entry but not its mark.
        assert_eq!(day["done"], number == 1 || number == 4, "day {number}");
    }
    // Day 1 is 2026-11-20, day 10 is nine days later.
    assert_eq!(days[0]["date"], "2026-11-20");
    assert_eq!(days[1]["date"], "2026-11-21");
    assert_eq!(days[9]["date"], "2026-11-29");
    // The text shows each date after the day number.
    let text = env.ok(&["plan"]);
    assert!(
        text.contains(
            "\n[ ] Day 10  2026-11-29  Capstone with staged rollout and incident runbook.\n"
        ),
        "{text}"
    );
}

#[test]
fn plan_json_associate_not_started() {
    let env = Env::new();
    let json = env.json(&["-e", "associate", "plan", "--json"]);
    assert_eq!(json["exam"], "associate");
    assert!(json["started"].is_null());
    assert!(json["today"].is_null());
    let days = json["days"].as_array().expect("days");
    assert_eq!(days.len(), 7);
    let sections: Vec<&serde_json::Value> = days.iter().map(|day| &day["sections"]).collect();
    assert_eq!(
        sections,
        [
            &json!(["model-development"]),
            &json!(["model-development"]),
            &json!(["model-development", "databricks-ml"]),
            &json!(["databricks-ml"]),
            &json!(["model-deployment", "ml-workflows"]),
            &json!(["databricks-ml", "ml-workflows"]),
            &json!([
                "databricks-ml",
                "ml-workflows",
                "model-development",
                "model-deployment"
            ]),
        ]
    );
    assert!(days.iter().all(|day| day["done"] == false));
    // Not started: no dates.
    assert!(days.iter().all(|day| day["date"].is_null()));
}

#[test]
fn plan_text_marks_today_and_done_days() {
    let env = Env::new();
    env.walkthrough();
    let text = env.ok(&["plan", "--color", "never"]);
    let line = |day: &str| {
        text.lines()
            .find(|line| line.contains(&format!("Day {day:>2} ")))
            .unwrap_or_else(|| panic!("no line for day {day}:\n{text}"))
            .to_string()
    };
    assert!(line("1").contains("[x]"), "{text}");
    assert!(line("2").contains("[x]"), "{text}");
    assert!(line("3").contains("[ ]"), "{text}");
    assert!(line("3").contains("today"), "{text}");
    assert!(!line("4").contains("today"), "{text}");
}

#[test]
fn today_json_fields() {
    let env = Env::new();
    env.walkthrough();
    let json = env.json(&["today", "--json"]);
    let expected = json!({
        "exam": "associate",
        "status": "in_progress",
        "day": 3,
        "days": 7,
        "topic": "Tuning (grid/AutoML), evaluation metrics; model selection.",
        "sections": ["model-development", "databricks-ml"],
        "done": false,
        "starts_in": null,
        "missed": [],
    });
    for (key, value) in expected.as_object().expect("object") {
        assert_eq!(&json[key], value, "field {key}");
        assert!(json.get(key).is_some(), "field {key} missing");
    }
}

#[test]
fn json_output_is_one_document_without_colour() {
    let env = Env::new();
    env.walkthrough();
    for args in [
        &["status", "--json", "--color", "always"][..],
        &["exams", "--json", "--color", "always"],
        &["checklist", "--json", "--color", "always"],
        &["plan", "--json", "--color", "always"],
        &["today", "--json", "--color", "always"],
    ] {
        let stdout = env.ok(args);
        assert!(!stdout.contains('\x1b'), "{args:?} has escapes");
        // from_str rejects trailing non-whitespace, so this is exactly one document.
        let parsed: Result<serde_json::Value, _> = serde_json::from_str(&stdout);
        assert!(parsed.is_ok(), "{args:?}: {stdout}");
    }
}

#[test]
fn status_json_unrated_not_started() {
    let env = Env::new();
    let json = env.json(&["-e", "professional", "status", "--json"]);
    assert_eq!(json["exam"], "professional");
    assert_close(&json["readiness"], 0.0, "readiness");
    let weights: Vec<u64> = json["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|section| section["weight"].as_u64().expect("weight"))
        .collect();
    // experimentation 30, model-lifecycle 30, model-deployment 25, monitoring 15.
    assert_eq!(weights, [30, 30, 25, 15]);
    for section in json["sections"].as_array().expect("sections") {
        assert!(section["rating"].is_null());
    }
    assert!(json["plan"]["started"].is_null());
    assert!(json["plan"]["day"].is_null());
    assert_eq!(json["plan"]["days"], 10);
    assert_eq!(json["plan"]["done"], 0);
    assert_eq!(json["checklist"]["total"], 5);
    assert!(json["booked"].is_null());
    assert!(json["days_left"].is_null());
}

#[test]
fn professional_readiness_by_hand() {
    let env = Env::new();
    env.ok(&["start", "professional", "--on", "2026-11-20"]);
    // tick safe-deployments (model-deployment), model-registry (model-lifecycle)
    env.ok(&["tick", "safe", "2"]);
    // days 3, 4 (model-lifecycle), 9 (model-deployment, monitoring)
    env.ok(&["done", "3", "4", "9"]);
    env.ok(&["rate", "model-lifecycle", "3"]);
    env.ok(&["rate", "4", "2"]);
    let json = env.json(&["status", "--json"]);
    // experimentation (30): items [reproducible-experiments] 0/1, days 1, 2 → 0/2,
    //   unrated → 0; points 0.
    // model-lifecycle (30): items [model-registry, uc-governance] 1/2, days 3, 4, 8
    //   → 2/3, rating 3 → R = 0.5.
    //   r = 100·(0.25 + 0.15 + 0.2·2/3) = 100·(0.4 + 0.13333…) = 53.3333…
    //   points = 30·0.533333… = 16
    // model-deployment (25): items [safe-deployments] 1/1, days 5, 6, 9, 10 → 1/4,
    //   unrated. r = 100·(0 + 0.3 + 0.05) = 35; points 25·0.35 = 8.75
    // monitoring (15): items [drift-monitoring] 0/1, days 7, 9, 10 → 1/3,
    //   rating 2 → R = 0.25. r = 100·(0.125 + 0 + 0.2/3) = 19.1666…
    //   points = 15·0.191666… = 2.875
    // overall = 0 + 16 + 8.75 + 2.875 = 27.625
    let expected = [
        (0.0, 0.0, [0, 1], [0, 2]),
        (160.0 / 3.0, 16.0, [1, 2], [2, 3]),
        (35.0, 8.75, [1, 1], [1, 4]),
        (100.0 * (0.125 + 0.2 / 3.0), 2.875, [0, 1], [1, 3]),
    ];
    let sections = json["sections"].as_array().expect("sections");
    for (section, (readiness, points, items, days)) in sections.iter().zip(expected) {
        let id = section["id"].as_str().expect("id");
        assert_close(&section["readiness"], readiness, id);
        assert_close(&section["points"], points, id);
        assert_eq!(section["checklist"]["done"], items[0], "{id}");
        assert_eq!(section["checklist"]["total"], items[1], "{id}");
        assert_eq!(section["plan"]["done"], days[0], "{id}");
        assert_eq!(section["plan"]["total"], days[1], "{id}");
    }
    assert_close(&json["readiness"], 27.625, "overall");
    assert_eq!(json["plan"]["done"], 3);
    assert_eq!(json["checklist"]["done"], 2);
}

/// Text with a clear-screen, a carriage return, a right-to-left override and a
/// left-to-right isolate; TOML's and YAML's double quotes both read `\uXXXX`.
const HOSTILE_TEXT: &str = "a\u{1b}[2J\rb\u{202e}c\u{2066}d";
const HOSTILE_WRITTEN: &str = r"a\u001B[2J\rb\u202Ec\u2066d";

/// A JSON document on stdout holds none of the hostile characters raw, and
/// parses back to exactly the text of the file.
fn hostile_json(env: &Env, args: &[&str]) -> serde_json::Value {
    let stdout = env.ok(args);
    for raw in ['\u{1b}', '\r', '\u{202e}', '\u{2066}'] {
        assert!(
            !stdout.contains(raw),
            "{args:?}: a raw {raw:?} on stdout:\n{}",
            stdout.escape_debug()
        );
    }
    serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("{args:?}: {error}\n{stdout}"))
}

#[test]
fn json_strings_from_files_escape_controls_and_decode_to_the_file_text() {
    let env = Env::new();
    let guide = MYCERT
        .replace(
            "    name: Basics\n",
            &format!("    name: \"{HOSTILE_WRITTEN}\"\n"),
        )
        .replace("Say hello.", &format!("\"{HOSTILE_WRITTEN}\""));
    env.install_guide("mycert.yaml", &guide);
    let state = format!(
        "version = 1\nactive = \"mycert\"\n\n[exams.mycert]\nstarted = 2026-11-21\n\n\
         [exams.mycert.ratings]\nbasics = 3\n\"{HOSTILE_WRITTEN}\" = 4\n\n\
         [[exams.mycert.practice]]\non = 2026-11-22\ncorrect = 5\nquestions = 10\n\
         note = \"{HOSTILE_WRITTEN}\"\n"
    );
    env.write_state(&state);

    let status = hostile_json(&env, &["status", "--json"]);
    assert_eq!(status["sections"][0]["name"], HOSTILE_TEXT);
    assert_eq!(
        status["unknown"],
        json!([format!("section \"{HOSTILE_TEXT}\"")])
    );
    let checklist = hostile_json(&env, &["checklist", "--json"]);
    assert_eq!(checklist["items"][0]["text"], HOSTILE_TEXT);
    let practice = hostile_json(&env, &["practice", "list", "--json"]);
    assert_eq!(practice["sittings"][0]["note"], HOSTILE_TEXT);

    // A learner named by a file stem with the same characters.
    let cohort = env.path("cohort");
    std::fs::create_dir(&cohort).unwrap();
    let learner = cohort.join(format!("{HOSTILE_TEXT}.toml"));
    std::fs::write(&learner, &state).unwrap();
    let report = hostile_json(&env, &["report", "--json", cohort.to_str().unwrap()]);
    assert_eq!(report["learners"][0]["learner"], HOSTILE_TEXT);
    assert_eq!(report["summary"][0]["name"], "My Certification");
}
