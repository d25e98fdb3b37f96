//! Advice that follows the evidence: the four places that name a weakest section
//! (`{weakest}`, `status`, `why`, `next`) agree on any progress file, and `next`'s
//! study actions come in the evidence's order.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::common::Env;

const SECTIONS: [&str; 4] = [
    "databricks-ml",
    "ml-workflows",
    "model-development",
    "model-deployment",
];
const QUESTIONS: [u32; 4] = [18, 9, 15, 6];
const ITEMS: [&str; 5] = [
    "automl",
    "mlflow-tracking",
    "model-registry",
    "feature-engineering",
    "batch-scoring",
];

/// A random associate progress file: ticks, days, ratings, and up to three
/// sittings (whole scores or section quizzes) in the last 30 days.
fn state_text() -> impl Strategy<Value = String> {
    let sitting = (
        0u32..30,
        prop_oneof![
            (0u32..=48).prop_map(|correct| vec![(None, correct, 48)]),
            proptest::collection::vec((0usize..4, 0u32..=18), 1..=4).prop_map(|parts| {
                parts
                    .into_iter()
                    .map(|(section, correct)| {
                        let total = QUESTIONS[section];
                        (Some(section), correct.min(total), total)
                    })
                    .collect()
            }),
        ],
    );
    (
        proptest::sample::subsequence(ITEMS.to_vec(), 0..=5),
        proptest::collection::btree_set(1u32..=7, 0..=7),
        proptest::collection::vec(proptest::option::of(1u8..=5), 4),
        proptest::collection::vec(sitting, 0..=3),
    )
        .prop_map(|(ticked, days, ratings, sittings)| {
            let quoted: Vec<String> = ticked.iter().map(|id| format!("\"{id}\"")).collect();
            let days: Vec<String> = days.iter().map(u32::to_string).collect();
            let mut text = format!(
                "version = 1\nactive = \"associate\"\n\n[exams.associate]\nstarted = 2026-11-18\nticked = [{}]\ndays_done = [{}]\n",
                quoted.join(", "),
                days.join(", ")
            );
            let rated: Vec<String> = SECTIONS
                .iter()
                .zip(&ratings)
                .filter_map(|(id, rating)| rating.map(|rating| format!("{id} = {rating}\n")))
                .collect();
            if !rated.is_empty() {
                text += &format!("\n[exams.associate.ratings]\n{}", rated.concat());
            }
            let mut sittings = sittings;
            sittings.sort_by_key(|(age, _)| std::cmp::Reverse(*age));
            for (age, parts) in sittings {
                let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
                    - chrono::Duration::days(i64::from(age));
                let mut by_section = std::collections::BTreeMap::new();
                let (mut correct, mut total) = (0, 0);
                for (section, c, t) in parts {
                    match section {
                        Some(index) => {
                            by_section.insert(SECTIONS[index], (c, t));
                        }
                        None => {
                            correct += c;
                            total += t;
                        }
                    }
                }
                if !by_section.is_empty() {
                    correct = by_section.values().map(|(c, _)| c).sum();
                    total = by_section.values().map(|(_, t)| t).sum();
                }
                text += &format!(
                    "\n[[exams.associate.practice]]\non = {on}\ncorrect = {correct}\nquestions = {total}\n"
                );
                if !by_section.is_empty() {
                    let cells: Vec<String> = by_section
                        .iter()
                        .map(|(id, (c, t))| format!("{id} = [{c}, {t}]"))
                        .collect();
                    text += &format!("sections = {{ {} }}\n", cells.join(", "));
                }
            }
            text
        })
}

#[test]
fn the_four_places_name_one_weakest_section_and_next_follows_the_evidence() {
    let env = Env::new();
    let mut runner = TestRunner::new(Config {
        cases: 40,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&state_text(), |text| {
            env.write_state(&text);
            let status = env.json(&["status", "--json"]);
            let weakest = status["weakest"].as_str().unwrap().to_string();
            prop_assert!(SECTIONS.contains(&weakest.as_str()), "{weakest}");
            let prompt = env.ok(&["prompt", "--format", "{weakest}"]);
            prop_assert_eq!(prompt.trim_end(), weakest.as_str());
            let next = env.json(&["next", "--json", "--limit", "100"]);
            prop_assert_eq!(next["weakest"].as_str(), Some(weakest.as_str()));
            for (index, id) in SECTIONS.iter().enumerate() {
                let why = env.json(&["why", &(index + 1).to_string(), "--json"]);
                prop_assert_eq!(
                    why["forecast"]["weakest"].as_bool(),
                    Some(*id == weakest),
                    "why {}: {}",
                    id,
                    text
                );
            }
            // The weakest section loses the most, in status's own forecast.
            let sections = status["forecast"]["sections"].as_array().unwrap();
            let lost = |section: &serde_json::Value| section["lost"].as_f64().unwrap();
            let most = sections.iter().map(lost).fold(0.0, f64::max);
            let named = sections
                .iter()
                .find(|s| s["id"] == weakest.as_str())
                .unwrap();
            prop_assert!((lost(named) - most).abs() < 1e-3);
            // Study actions: sorted by (lost, points), both descending.
            let study: Vec<(f64, f64)> = next["actions"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|action| action["kind"] == "tick" || action["kind"] == "day")
                .map(|action| {
                    (
                        action["lost"].as_f64().unwrap(),
                        action["points"].as_f64().unwrap(),
                    )
                })
                .collect();
            for pair in study.windows(2) {
                let ((lost_a, points_a), (lost_b, points_b)) = (pair[0], pair[1]);
                prop_assert!(
                    lost_a > lost_b + 1e-9
                        || ((lost_a - lost_b).abs() <= 1e-9 && points_a >= points_b),
                    "{:?} before {:?}\n{}",
                    pair[0],
                    pair[1],
                    text
                );
            }
            Ok(())
        })
        .unwrap();
}
