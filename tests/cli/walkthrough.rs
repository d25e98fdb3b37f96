//! The walkthrough on the associate exam, with every number worked out by
//! hand from data/associate.yaml and the README's "Readiness".
//!
//! Associate guide (checked against data/associate.yaml):
//!   sections: 1 databricks-ml 38, 2 ml-workflows 19, 3 model-development 31,
//!             4 model-deployment 12
//!   checklist: 1 automl [databricks-ml, model-development]
//!              2 mlflow-tracking [databricks-ml, ml-workflows]
//!              3 model-registry [databricks-ml, model-deployment]
//!              4 feature-engineering [model-development]
//!              5 batch-scoring [model-deployment, ml-workflows]
//!   plan: day 1 [model-development], 2 [model-development],
//!         3 [model-development, databricks-ml], 4 [databricks-ml],
//!         5 [model-deployment, ml-workflows], 6 [databricks-ml, ml-workflows],
//!         7 [all four]
//!
//! Walkthrough (today 2026-11-22): start --on 2026-11-20, tick 1 2 (automl,
//! mlflow-tracking), rate 1 4, rate 3 3, done 1 2.
//!
//! databricks-ml: items automl, mlflow-tracking, model-registry → 2/3 ticked;
//!   days 3, 4, 6, 7 → 0/4 done; rating 4 → R = 3/4.
//!   r = 100·(0.5·0.75 + 0.3·2/3 + 0.2·0)/1 = 100·(0.375 + 0.2) = 57.5
//!   points = 38·57.5/100 = 21.85
//! ml-workflows: items mlflow-tracking, batch-scoring → 1/2; days 5, 6, 7 → 0/3;
//!   unrated → R = 0. r = 100·(0 + 0.3·0.5 + 0) = 15; points = 19·15/100 = 2.85
//! model-development: items automl, feature-engineering → 1/2; days 1, 2, 3, 7 →
//!   2/4; rating 3 → R = 2/4 = 0.5.
//!   r = 100·(0.25 + 0.15 + 0.1) = 50; points = 31·50/100 = 15.5
//! model-deployment: items model-registry, batch-scoring → 0/2; days 5, 7 → 0/2;
//!   unrated. r = 0; points = 0
//! overall = (21.85 + 2.85 + 15.5 + 0)·100/100 = 40.2

use crate::common::{self, Env, WALKTHROUGH_STATE, assert_close};

#[test]
fn walkthrough_commands_all_succeed_and_today_is_day_3() {
    let env = Env::new();
    env.walkthrough();
    let today = env.ok(&["today"]);
    // Started 2026-11-20; 20 → day 1, 21 → day 2, 22 → day 3 of the 7-day plan.
    assert!(today.contains("Day 3 of 7"), "{today}");
    assert!(
        today.contains("Tuning (grid/AutoML), evaluation metrics; model selection."),
        "{today}"
    );
    // Day 3 trains model-development and databricks-ml.
    assert!(today.contains("Model Development"), "{today}");
    assert!(today.contains("Databricks Machine Learning"), "{today}");
    // Days 1 and 2 are done, so no earlier day is listed as missed.
    assert!(!today.contains("Day 1:"), "{today}");
    assert!(!today.contains("Day 2:"), "{today}");
}

#[test]
fn walkthrough_writes_the_canonical_state_file() {
    let env = Env::new();
    env.walkthrough();
    // the README's "The progress file": version, active, [exams.associate] with a TOML local date,
    // ticked sorted, days_done, then the ratings table, keys sorted.
    assert_eq!(env.state_text(), WALKTHROUGH_STATE);
    // The date is a real TOML date, not a string.
    let state = env.state_toml();
    let started = &state["exams"]["associate"]["started"];
    assert!(
        matches!(started, toml::Value::Datetime(_)),
        "started is {started:?}"
    );
}

#[test]
fn walkthrough_in_any_order_writes_the_same_bytes() {
    // Same progress, different command order and item names: same bytes.
    let env = Env::new();
    env.ok(&["-e", "associate", "done", "2"]);
    env.ok(&["-e", "associate", "rate", "model-dev", "3"]);
    env.ok(&["-e", "associate", "tick", "mlflow-tracking", "automl"]);
    env.ok(&["-e", "associate", "done", "1"]);
    env.ok(&["-e", "associate", "rate", "databricks-ml", "4"]);
    env.ok(&["start", "a", "--on", "2026-11-20"]);
    assert_eq!(env.state_text(), WALKTHROUGH_STATE);
}

#[test]
fn walkthrough_status_shows_every_section_and_the_total() {
    let env = Env::new();
    env.walkthrough();
    let status = env.ok(&["status", "--color", "never"]);
    let header = status
        .lines()
        .find(|line| line.starts_with("# Section"))
        .unwrap_or_else(|| panic!("no table header:\n{status}"));
    assert_eq!(
        cells(header, header),
        [
            "#",
            "Section",
            "Weight",
            "Rating",
            "Items",
            "Days",
            "Readiness",
            "Points"
        ]
    );
    // Each row in table order, cell by cell. The bar has ten cells, rounded:
    // 57.5 → 5.75 → 6, 15 → 1.5 → 2, 50 → 5. Points to one decimal: 21.85 → 21.9,
    // 2.85 → 2.9. 57.5 rounds half up to 58% (render rounds halves up to
    // whole percents).
    #[rustfmt::skip]
    let expected = [
        ["1", "Databricks Machine Learning", "38%", "4/5", "2/3", "0/4", "██████░░░░  58%", "21.9"],
        ["2", "ML Workflows",                "19%", "-",   "1/2", "0/3", "██░░░░░░░░  15%", "2.9"],
        ["3", "Model Development",           "31%", "3/5", "1/2", "2/4", "█████░░░░░  50%", "15.5"],
        ["4", "Model Deployment",            "12%", "-",   "0/2", "0/2", "░░░░░░░░░░   0%", "0.0"],
    ];
    let rows: Vec<Vec<String>> = status
        .lines()
        .skip_while(|line| *line != header)
        .skip(2) // the header and the rule under it
        .take_while(|line| !line.starts_with("Readiness"))
        .map(|row| cells(header, row))
        .collect();
    assert_eq!(rows, expected, "{status}");
    // Overall 40.2 → 40%.
    let total = status
        .lines()
        .find(|line| line.starts_with("Readiness"))
        .unwrap_or_else(|| panic!("no total line:\n{status}"));
    assert!(total.contains("40%"), "{total}");
    // Plan position and checklist summary above the table.
    assert!(status.contains("day 3 of 7"), "{status}");
    assert!(status.contains("2 of 7 days done"), "{status}");
    assert!(status.contains("2 of 5 items done"), "{status}");
}

/// A `status` table row cut into its trimmed cells at the header's layout.
/// comfy-table pads each column to one width with one space between columns, and
/// aligns a header title like its column's cells; no cell of the walkthrough is
/// wider than its title, so every column starts where its title starts.
fn cells(header: &str, row: &str) -> Vec<String> {
    let header: Vec<char> = header.chars().collect();
    let starts: Vec<usize> = (0..header.len())
        .filter(|&at| header[at] != ' ' && (at == 0 || header[at - 1] == ' '))
        .collect();
    let row: Vec<char> = row.chars().collect();
    let cell = |from: usize, to: usize| {
        let to = to.min(row.len());
        row[from.min(to)..to]
            .iter()
            .collect::<String>()
            .trim()
            .to_string()
    };
    let ends = starts.iter().skip(1).copied().chain([usize::MAX]);
    starts
        .iter()
        .zip(ends)
        .map(|(&from, to)| cell(from, to))
        .collect()
}

/// One section's expected `status --json` values.
struct Expected {
    id: &'static str,
    name: &'static str,
    weight: u64,
    rating: Option<u64>,
    /// Checklist items done, total.
    items: [u64; 2],
    /// Plan days done, total.
    days: [u64; 2],
    readiness: f64,
    points: f64,
}

#[test]
fn walkthrough_status_json_carries_the_hand_computed_numbers() {
    let env = Env::new();
    env.walkthrough();
    let json = env.json(&["status", "--json"]);
    assert_eq!(json["exam"], "associate");
    assert_eq!(
        json["name"],
        "Databricks Certified Machine Learning Associate"
    );
    // Σ points = 21.85 + 2.85 + 15.5 + 0 = 40.2
    assert_close(&json["readiness"], 40.2, "overall readiness");

    let sections = json["sections"].as_array().expect("sections array");
    assert_eq!(sections.len(), 4);
    // See the module comment for the arithmetic.
    let expected = [
        Expected {
            id: "databricks-ml",
            name: "Databricks Machine Learning",
            weight: 38,
            rating: Some(4),
            items: [2, 3],
            days: [0, 4],
            readiness: 57.5, // 100·(0.5·0.75 + 0.3·2/3)
            points: 21.85,   // 38·0.575
        },
        Expected {
            id: "ml-workflows",
            name: "ML Workflows",
            weight: 19,
            rating: None,
            items: [1, 2],
            days: [0, 3],
            readiness: 15.0, // 100·0.3·1/2
            points: 2.85,    // 19·0.15
        },
        Expected {
            id: "model-development",
            name: "Model Development",
            weight: 31,
            rating: Some(3),
            items: [1, 2],
            days: [2, 4],
            readiness: 50.0, // 100·(0.5·0.5 + 0.3·0.5 + 0.2·0.5)
            points: 15.5,    // 31·0.5
        },
        Expected {
            id: "model-deployment",
            name: "Model Deployment",
            weight: 12,
            rating: None,
            items: [0, 2],
            days: [0, 2],
            readiness: 0.0,
            points: 0.0,
        },
    ];
    for (index, (section, want)) in sections.iter().zip(expected).enumerate() {
        let id = want.id;
        assert_eq!(section["number"], index + 1, "{id}");
        assert_eq!(section["id"], id);
        assert_eq!(section["name"], want.name, "{id}");
        assert_eq!(section["weight"], want.weight, "{id}");
        match want.rating {
            Some(rating) => assert_eq!(section["rating"], rating, "{id}"),
            None => assert!(section["rating"].is_null(), "{id}: {}", section["rating"]),
        }
        assert_eq!(section["checklist"]["done"], want.items[0], "{id}");
        assert_eq!(section["checklist"]["total"], want.items[1], "{id}");
        assert_eq!(section["plan"]["done"], want.days[0], "{id}");
        assert_eq!(section["plan"]["total"], want.days[1], "{id}");
        assert_close(&section["readiness"], want.readiness, id);
        assert_close(&section["points"], want.points, id);
    }

    // Ticked automl, mlflow-tracking of 5 items.
    assert_eq!(json["checklist"]["done"], 2);
    assert_eq!(json["checklist"]["total"], 5);
    assert_eq!(json["plan"]["started"], "2026-11-20");
    assert_eq!(json["plan"]["day"], 3);
    assert_eq!(json["plan"]["days"], 7);
    assert_eq!(json["plan"]["done"], 2);
    assert!(json["booked"].is_null());
    assert!(json["days_left"].is_null());
}

#[test]
fn booking_fills_booked_and_days_left() {
    let env = Env::new();
    env.walkthrough();
    env.ok(&["book", "2027-01-15"]);
    let json = env.json(&["status", "--json"]);
    assert_eq!(json["booked"], "2027-01-15");
    // 2026-11-22 → 2026-11-30 is 8 days, + 31 (December) = 39 to 2026-12-31,
    // + 15 to 2027-01-15 = 54.
    assert_eq!(json["days_left"], 54);
    // The booked date is a TOML date in the state file.
    let state = env.state_toml();
    assert!(matches!(
        state["exams"]["associate"]["booked"],
        toml::Value::Datetime(_)
    ));
    env.ok(&["book", "--clear"]);
    assert_eq!(env.state_text(), common::WALKTHROUGH_STATE);
}

#[test]
fn untick_undone_and_clear_undo_the_walkthrough() {
    let env = Env::new();
    env.walkthrough();
    env.ok(&["untick", "automl", "2"]);
    env.ok(&["undone", "1", "2"]);
    env.ok(&["rate", "1", "--clear"]);
    env.ok(&["rate", "model-development", "--clear"]);
    let json = env.json(&["status", "--json"]);
    // Nothing ticked, done or rated: every section 0, overall 0.
    assert_close(&json["readiness"], 0.0, "overall readiness");
    assert_eq!(json["checklist"]["done"], 0);
    assert_eq!(json["plan"]["done"], 0);
    let state = env.state_toml();
    let exam = &state["exams"]["associate"];
    assert_eq!(exam["ticked"].as_array().map(Vec::len), Some(0));
    assert_eq!(exam["days_done"].as_array().map(Vec::len), Some(0));
    assert!(
        exam.get("ratings")
            .and_then(toml::Value::as_table)
            .is_none_or(toml::Table::is_empty),
        "{exam:?}"
    );
    // The start date stays.
    assert!(matches!(exam["started"], toml::Value::Datetime(_)));
}

#[test]
fn done_without_a_day_marks_todays_day() {
    let env = Env::new();
    env.walkthrough();
    env.ok(&["done"]);
    // Today is day 3 (2026-11-20 + 2 days).
    let state = env.state_toml();
    let days: Vec<i64> = state["exams"]["associate"]["days_done"]
        .as_array()
        .expect("days_done")
        .iter()
        .map(|day| day.as_integer().expect("integer day"))
        .collect();
    assert_eq!(days, [1, 2, 3]);
}

#[test]
fn full_marks_reach_one_hundred_percent() {
    let env = Env::new();
    env.ok(&["start", "associate", "--on", "2026-11-20"]);
    env.ok(&["tick", "1", "2", "3", "4", "5"]);
    env.ok(&["done", "1", "2", "3", "4", "5", "6", "7"]);
    for section in ["1", "2", "3", "4"] {
        env.ok(&["rate", section, "5"]);
    }
    let json = env.json(&["status", "--json"]);
    // R = (5−1)/4 = 1, C = 1, P = 1 → r = 100 for each section; overall 100.
    assert_close(&json["readiness"], 100.0, "overall readiness");
    for section in json["sections"].as_array().expect("sections") {
        assert_close(&section["readiness"], 100.0, "section readiness");
    }
    let status = env.ok(&["status"]);
    assert!(status.contains("100%"), "{status}");
}

#[test]
fn ranges_of_days_and_items() {
    let env = Env::new();
    env.ok(&["start", "associate", "--on", "2026-11-20"]);
    // The guide's own "Days 1–2" spelling (en dash) and the ASCII one.
    let done = env.ok(&["done", "1–2", "4-5"]);
    assert_eq!(done, "Days 1, 2, 4, 5 marked done. 4 of 7 days done.\n");
    let undone = env.ok(&["undone", "2-4"]);
    // Day 3 was never done: the message says so rather than claim a change.
    assert_eq!(
        undone,
        "Days 2, 4 marked not done; day 3 was not marked done. 2 of 7 days done.\n"
    );
    assert!(env.state_text().contains("days_done = [1, 5]\n"));
    // Item numbers 1 to 3 are automl, mlflow-tracking, model-registry; a range
    // mixes with ids and single numbers.
    env.ok(&["tick", "1-3", "batch-scoring"]);
    env.ok(&["untick", "2–3"]);
    assert!(
        env.state_text()
            .contains("ticked = [\"automl\", \"batch-scoring\"]\n"),
        "{}",
        env.state_text()
    );
}
