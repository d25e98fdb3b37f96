//! The bundled guides carry the seed's checklist and plan (README: Your own guides):
//! every line of tests/fixtures/seed_lines.txt is found in the guide, read back
//! through the `checklist --json` and `plan --json` commands.

use std::collections::BTreeMap;

use crate::common::{Env, crate_file};

/// U+2011 (non-breaking hyphen) and the en dash become '-', runs of whitespace one
/// space, ends trimmed.
fn normalize(text: &str) -> String {
    let replaced: String = text
        .chars()
        .map(|c| match c {
            '\u{2011}' | '\u{2013}' => '-',
            other => other,
        })
        .collect();
    replaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "Day 7" → 7..=7, "Days 1-2" → 1..=2 (after normalizing).
fn day_range(label: &str) -> std::ops::RangeInclusive<u64> {
    let numbers = label
        .strip_prefix("Days ")
        .or_else(|| label.strip_prefix("Day "))
        .unwrap_or_else(|| panic!("not a day label: {label:?}"));
    let (first, last) = numbers.split_once('-').unwrap_or((numbers, numbers));
    let parse = |n: &str| n.trim().parse::<u64>().expect("day number");
    parse(first)..=parse(last)
}

struct Guide {
    checklist: Vec<String>,
    plan: BTreeMap<u64, String>,
}

fn read_guide(env: &Env, exam: &str) -> Guide {
    let checklist = env.json(&["-e", exam, "checklist", "--json"]);
    let plan = env.json(&["-e", exam, "plan", "--json"]);
    Guide {
        checklist: checklist["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|item| normalize(item["text"].as_str().expect("text")))
            .collect(),
        plan: plan["days"]
            .as_array()
            .expect("days")
            .iter()
            .map(|day| {
                (
                    day["day"].as_u64().expect("day"),
                    normalize(day["topic"].as_str().expect("topic")),
                )
            })
            .collect(),
    }
}

#[test]
fn normalize_handles_the_seed_punctuation() {
    assert_eq!(
        normalize("End\u{2011}to\u{2011}end  dry run"),
        "End-to-end dry run"
    );
    assert_eq!(normalize("Days 1\u{2013}2:\t x "), "Days 1-2: x");
    assert_eq!(day_range("Days 1-2"), 1..=2);
    assert_eq!(day_range("Day 7"), 7..=7);
}

#[test]
fn every_seed_checklist_and_plan_line_is_in_its_guide() {
    let env = Env::new();
    let fixture = std::fs::read_to_string(crate_file("tests/fixtures/seed_lines.txt"))
        .expect("tests/fixtures/seed_lines.txt");
    let guides: BTreeMap<&str, Guide> = ["associate", "professional"]
        .into_iter()
        .map(|exam| (exam, read_guide(&env, exam)))
        .collect();

    let mut checked = 0;
    let mut covered_days: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for line in fixture.lines().filter(|line| !line.trim().is_empty()) {
        let (head, rest) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("bad fixture line {line:?}"));
        let (exam, kind) = head
            .split_once(' ')
            .unwrap_or_else(|| panic!("bad fixture line {line:?}"));
        let guide = guides
            .get(exam)
            .unwrap_or_else(|| panic!("unknown exam in {line:?}"));
        match kind {
            "checklist" => {
                let text = normalize(rest);
                assert!(
                    guide.checklist.contains(&text),
                    "{exam} checklist lacks {text:?}; it has {:#?}",
                    guide.checklist
                );
            }
            "plan" => {
                let rest = normalize(rest);
                let (label, topic) = rest
                    .split_once(": ")
                    .unwrap_or_else(|| panic!("bad plan line {line:?}"));
                for day in day_range(label) {
                    assert_eq!(
                        guide.plan.get(&day).map(String::as_str),
                        Some(topic),
                        "{exam} plan day {day}"
                    );
                    covered_days.entry(exam).or_default().push(day);
                }
            }
            other => panic!("unknown kind {other:?} in {line:?}"),
        }
        checked += 1;
    }
    // 5 + 7 associate lines, 5 + 6 professional lines.
    assert_eq!(checked, 23, "fixture line count");
    // The seed's plan lines cover each plan exactly, day by day.
    assert_eq!(covered_days["associate"], (1..=7).collect::<Vec<_>>());
    assert_eq!(covered_days["professional"], (1..=10).collect::<Vec<_>>());
    // And the guides have no checklist items beyond the seed's five.
    assert_eq!(guides["associate"].checklist.len(), 5);
    assert_eq!(guides["professional"].checklist.len(), 5);
}

#[test]
fn bundled_guides_validate() {
    let env = Env::new();
    for file in ["data/associate.yaml", "data/professional.yaml"] {
        let output = env
            .cmd(&["validate"])
            .arg(crate_file(file))
            .output()
            .expect("run validate");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{file}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(output.stderr.is_empty(), "{file} warned");
    }
}

#[test]
fn bundled_guides_carry_the_seed_facts() {
    // Spot checks of assessment facts through the public commands.
    let env = Env::new();
    let guide = env.ok(&["-e", "associate", "guide"]);
    for fact in [
        "48",
        "90",
        "USD 200",
        "Japanese",
        "webassessor.com/databricks",
    ] {
        assert!(guide.contains(fact), "associate guide lacks {fact:?}");
    }
    let guide = env.ok(&["-e", "professional", "guide"]);
    for fact in [
        "60",
        "120",
        "Practical MLOps",
        "Advanced Machine Learning Operations",
    ] {
        assert!(guide.contains(fact), "professional guide lacks {fact:?}");
    }
}

#[test]
fn every_section_is_trained() {
    // the README's "Your own guides": every section is trained by an item or a plan day.
    let env = Env::new();
    for exam in ["associate", "professional"] {
        let status = env.json(&["-e", exam, "status", "--json"]);
        let weights: u64 = status["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .map(|section| {
                let trained = section["checklist"]["total"].as_u64().expect("total")
                    + section["plan"]["total"].as_u64().expect("total");
                assert!(trained > 0, "{exam}: {} is untrained", section["id"]);
                section["weight"].as_u64().expect("weight")
            })
            .sum();
        assert_eq!(weights, 100, "{exam} weights");
    }
}
