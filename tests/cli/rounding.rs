//! One rounding rule for every number in human output: halves round up (away
//! from zero), whether a percent, points to one decimal or to two. JSON keeps
//! the numbers as computed.
//!
//! Professional guide (data/professional.yaml): section 1 experimentation,
//! weight 30, trained by item 1 (reproducible-experiments) alone and by plan
//! days 1 and 2. Rated 4 (R = 3/4), item ticked (C = 1), both days done (P = 1):
//! r = 100·(0.5·0.75 + 0.3·1 + 0.2·1) = 87.5, points = 30·87.5/100 = 26.25,
//! an exact half in binary at one decimal.

use crate::common::{Env, assert_close};

fn experimentation_at_87_5() -> Env {
    let env = Env::new();
    env.ok(&["start", "professional", "--on", "2026-11-20"]);
    env.ok(&["rate", "1", "4"]);
    env.ok(&["tick", "1"]);
    env.ok(&["done", "1", "2"]);
    env
}

#[test]
fn points_round_half_up_in_status_and_why_alike() {
    let env = experimentation_at_87_5();
    let status = env.ok(&["status"]);
    let row = status
        .lines()
        .find(|line| line.starts_with("1 Experimentation"))
        .unwrap_or_else(|| panic!("no row for section 1:\n{status}"));
    // 87.5 % → 88 %, 26.25 points → 26.3 (not 26.2).
    assert!(row.ends_with(" 88%   26.3"), "{row}");
    let why = env.ok(&["why", "1"]);
    assert!(
        why.starts_with(
            "1. Experimentation (experimentation), 30% of the exam: readiness 88%, 26.25 points\n"
        ),
        "{why}"
    );
    // The rating's 0.75 adds 0.5·0.75·100 = 37.5, shown as it is.
    assert!(
        why.contains("Rating    4 of 5       0.75  0.5    37.5\n"),
        "{why}"
    );
    // JSON keeps the exact value.
    let json = env.json(&["status", "--json"]);
    assert_close(&json["sections"][0]["points"], 26.25, "points");
}
