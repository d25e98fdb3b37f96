//! `forecast` (README: Practice tests and the forecast) end to end: a small own guide worked out by hand,
//! the README's example against an independent computation, and bad inputs.

use crate::common::Env;

/// JSON carries four decimals: `actual` is `expected` rounded to four places.
fn assert_close(actual: &serde_json::Value, expected: f64, what: &str) {
    crate::common::assert_close(actual, (expected * 1e4).round() / 1e4, what);
}

/// Four questions in two sections of 50 % each: two questions each.
const TINY: &str = "id: tiny
name: Tiny certification
short: Tiny
assessment:
  questions: 4
  minutes: 10
sections:
  - id: alpha
    name: Alpha
    weight: 50
  - id: beta
    name: Beta
    weight: 50
checklist:
  - id: first
    text: First skill
    sections: [alpha, beta]
";

/// The tiny exam, alpha rated 1, and one sitting on `on` with alpha 2/2, beta 0/2.
fn tiny_learner(on: &str, guide: &str) -> Env {
    let env = Env::new();
    env.install_guide("tiny.yaml", guide);
    env.ok(&["start", "tiny"]);
    env.ok(&["rate", "alpha", "1"]);
    env.ok(&["practice", "add", "alpha=2/2", "beta=0/2", "--on", on]);
    env
}

// Worked by hand. Two questions per section (4 · 50/100 = 2 each).
// alpha: rating 1 → mean 0.25, strength 4 → Beta(1, 3); the sitting (today,
//   weight 1) adds 2 right, 0 wrong → Beta(3, 3). BetaBinomial(2, 3, 3): from
//   p(k+1)/p(k) = (n−k)/(k+1) · (α+k)/(β+n−k−1): p1/p0 = 2 · 3/4 = 3/2,
//   p2/p1 = 1/2 · 4/3 = 2/3, so 2 : 3 : 2 → [2/7, 3/7, 2/7]. Accuracy 1/2,
//   expected 1, lost 1, answers 2.
// beta: unrated → Beta(1, 1); adds 0 right, 2 wrong → Beta(1, 3).
//   BetaBinomial(2, 1, 3): p1/p0 = 2 · 1/4 = 1/2, p2/p1 = 1/2 · 2/3 = 1/3, so
//   6 : 3 : 1 → [6/10, 3/10, 1/10]. Accuracy 1/4, expected 1/2, lost 3/2.
// The score, over 700 ([20, 30, 20]/70 convolved with [6, 3, 1]/10):
//   X=0: 20·6 = 120; X=1: 20·3 + 30·6 = 240; X=2: 20·1 + 30·3 + 20·6 = 230;
//   X=3: 30·1 + 20·3 = 90; X=4: 20·1 = 20. Sum 700.
// Target 70 % → pass mark ⌈2.8⌉ = 3: P(X ≥ 3) = 110/700 = 11/70 ≈ 0.1571 → 16 %.
// Expected 1 + 1/2 = 1.5 of 4 (37.5 % → 38 %). Cumulative 120/700 = 0.17 ≥ 0.1
// at X = 0; 0.17, 0.51, 0.84, 0.97 ≥ 0.9 first at X = 3: range 0 to 3.
// Sections by expected lost: beta (1.5) before alpha (1).

#[test]
fn a_tiny_guide_worked_by_hand_as_json() {
    let env = tiny_learner(crate::common::TODAY, TINY);
    let json = env.json(&["forecast", "--json"]);
    assert_eq!(json["exam"], "tiny");
    assert_eq!(json["questions"], 4);
    assert_eq!(json["target_percent"], 70);
    assert_eq!(json["pass_mark"], 3);
    assert_close(&json["expected"], 1.5, "expected");
    assert_close(&json["pass_chance"], 11.0 / 70.0, "pass chance");
    assert_eq!(json["range"], serde_json::json!([0, 3]));
    assert_eq!(json["practice_tests"], 1);
    assert_eq!(
        json["sections"],
        serde_json::json!([
            {"id": "beta", "questions": 2, "accuracy": 0.25, "expected": 0.5, "lost": 1.5,
             "answers": 2.0, "source": "practice"},
            {"id": "alpha", "questions": 2, "accuracy": 0.5, "expected": 1.0, "lost": 1.0,
             "answers": 2.0, "source": "practice"}
        ])
    );
}

#[test]
fn a_tiny_guide_worked_by_hand_as_text() {
    let env = tiny_learner(crate::common::TODAY, TINY);
    let out = env.ok(&["forecast"]);
    let expected = format!(
        "\
Tiny certification forecast, if you sat it today
Expected score: 1.5/4 (38%), from 1 practice test, 4 answers
Chance of 3 or more (70% target): 16%
80% range: 0 to 3 of 4
The guide states no pass mark: 70% is a target, not the official mark; set yours with --target P.

# Section Questions Accuracy Expected Lost Answers Source
{}
2 Beta            2      25%      0.5  1.5     2.0 practice
1 Alpha           2      50%      1.0  1.0     2.0 practice
",
        // As wide as the widest row: 2 + 8 + 10 + 9 + 9 + 5 + 8 + 8 ("practice").
        "─".repeat(59)
    );
    assert_eq!(out, expected);
}

#[test]
fn the_target_comes_from_the_option_then_the_guide() {
    // The guide states 50 %: pass mark ⌈4 · 0.5⌉ = 2, P(X ≥ 2) = (230 + 90 + 20)/700
    // = 340/700 = 17/35 ≈ 0.4857 → 49 %.
    let with_mark = TINY.replace("minutes: 10", "minutes: 10\n  pass_percent: 50");
    let env = tiny_learner(crate::common::TODAY, &with_mark);
    let json = env.json(&["forecast", "--json"]);
    assert_eq!(
        (json["target_percent"].clone(), json["pass_mark"].clone()),
        (50.into(), 2.into())
    );
    assert_close(&json["pass_chance"], 17.0 / 35.0, "guide's mark");
    let out = env.ok(&["forecast"]);
    assert!(
        out.contains("Chance of 2 or more (50% target, the guide's pass mark): 49%\n"),
        "{out}"
    );
    assert!(!out.contains("The guide states no pass mark"), "{out}");
    // --target 100 overrides it: all 4 right, P(X = 4) = 20/700 = 1/35 → 3 %.
    let json = env.json(&["forecast", "--json", "--target", "100"]);
    assert_eq!(json["pass_mark"], 4);
    assert_close(&json["pass_chance"], 1.0 / 35.0, "--target 100");
    let out = env.ok(&["forecast", "--target", "100"]);
    assert!(
        out.contains("Chance of 4 or more (your 100% target): 3%\n"),
        "{out}"
    );
}

#[test]
fn a_sitting_fourteen_days_old_counts_half() {
    // Weight 1/2: alpha Beta(1 + 1, 3 + 0) = Beta(2, 3), accuracy 2/5; beta
    // Beta(1 + 0, 1 + 1) = Beta(1, 2), accuracy 1/3; answers 2 · 1/2 = 1 each.
    // Expected 2 · 2/5 + 2 · 1/3 = 22/15.
    let env = tiny_learner("2026-11-08", TINY);
    let json = env.json(&["forecast", "--json"]);
    assert_close(&json["expected"], 22.0 / 15.0, "expected");
    let find = |id: &str| {
        json["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()
            .clone()
    };
    assert_close(&find("alpha")["accuracy"], 0.4, "alpha");
    assert_close(&find("beta")["accuracy"], 1.0 / 3.0, "beta");
    assert_close(&find("alpha")["answers"], 1.0, "alpha answers");
}

#[test]
fn with_no_evidence_the_forecast_is_the_uniform_prior() {
    // Unrated, no sittings: Beta(1, 1) everywhere, so each section's score is
    // uniform over 0..=2, and expected is 4 · 1/2 = 2. Works before `start` too.
    let env = Env::new();
    env.install_guide("tiny.yaml", TINY);
    let json = env.json(&["-e", "tiny", "forecast", "--json"]);
    assert_close(&json["expected"], 2.0, "expected");
    // X = 3 or 4: uniform [1/3, 1/3, 1/3] twice → (2 + 1)/9 = 1/3.
    assert_close(&json["pass_chance"], 1.0 / 3.0, "pass chance");
    assert_eq!(json["practice_tests"], 0);
    assert!(
        json["sections"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["source"] == "none")
    );
    let out = env.ok(&["-e", "tiny", "forecast"]);
    assert!(out.contains("from no evidence yet"), "{out}");
    assert_eq!(env.state_bytes(), None, "forecast is read-only");
    // With a rating only.
    env.ok(&["-e", "tiny", "rate", "1", "3"]);
    assert!(
        env.ok(&["-e", "tiny", "forecast"])
            .contains("from ratings only")
    );
}

/// P(K = k), K ~ BetaBinomial(n, α, β), by the textbook formula
/// C(n, k) · B(k + α, n − k + β) / B(α, β), with the Beta-function ratio as a
/// product of rising factorials: independent of the program's neighbour ratios.
fn beta_binomial(n: u32, alpha: f64, beta: f64) -> Vec<f64> {
    (0..=n)
        .map(|k| {
            let choose: f64 = (1..=k)
                .map(|i| f64::from(n - k + i) / f64::from(i))
                .product();
            let up: f64 = (0..k).map(|i| alpha + f64::from(i)).product::<f64>()
                * (0..n - k).map(|j| beta + f64::from(j)).product::<f64>();
            let down: f64 = (0..n).map(|m| alpha + beta + f64::from(m)).product();
            choose * up / down
        })
        .collect()
}

#[test]
fn the_readme_example_against_an_independent_computation() {
    // The README's learner on 2026-11-25: rated databricks-ml 4 and
    // model-development 3, a whole-score sitting 26/48 on 2026-11-21 and one with
    // section scores 14/18, 6/9, 9/15, 2/6 (31/48) on 2026-11-25.
    let env = Env::new();
    env.walkthrough();
    env.ok(&["practice", "add", "26/48", "--on", "2026-11-21"]);
    let today = "2026-11-25";
    env.ok_on(
        today,
        &["practice", "add", "1=14/18", "2=6/9", "3=9/15", "4=2/6"],
    );
    let json = env.json_on(today, &["forecast", "--json"]);

    // The older sitting is 4 days old: weight 0.5^(4/14). Its 26/48 is spread by
    // questions: c = 26 · n/48 of t = n.
    let old = 0.5_f64.powf(4.0 / 14.0);
    // (id, n, prior α, prior β, the new sitting's correct of total)
    // Prior: rating 4 → mean 0.7 → Beta(2.8, 1.2); 3 → 0.55 → Beta(2.2, 1.8);
    // unrated → Beta(1, 1).
    let sections = [
        ("databricks-ml", 18, 2.8, 1.2, 14.0, 18.0),
        ("ml-workflows", 9, 1.0, 1.0, 6.0, 9.0),
        ("model-development", 15, 2.2, 1.8, 9.0, 15.0),
        ("model-deployment", 6, 1.0, 1.0, 2.0, 6.0),
    ];
    let mut distribution = vec![1.0];
    let mut expected = 0.0;
    for (id, n, alpha, beta, correct, total) in sections {
        let n_f = f64::from(n);
        let spread_correct = 26.0 * n_f / 48.0;
        let alpha = alpha + old * spread_correct + correct;
        let beta = beta + old * (n_f - spread_correct) + (total - correct);
        let accuracy = alpha / (alpha + beta);
        expected += n_f * accuracy;
        let found = json["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap();
        assert_eq!(found["questions"], n, "{id}");
        assert_close(&found["accuracy"], accuracy, id);
        assert_close(&found["answers"], old * n_f + total, id);
        let section = beta_binomial(n, alpha, beta);
        let mut sum = vec![0.0; distribution.len() + section.len() - 1];
        for (x, p) in distribution.iter().enumerate() {
            for (y, q) in section.iter().enumerate() {
                sum[x + y] += p * q;
            }
        }
        distribution = sum;
    }
    assert_close(&json["expected"], expected, "expected");
    // Pass mark ⌈48 · 0.7⌉ = ⌈33.6⌉ = 34.
    assert_eq!(json["pass_mark"], 34);
    let pass: f64 = distribution[34..].iter().sum();
    assert_close(&json["pass_chance"], pass, "pass chance");
    let percentile = |level: f64| {
        let mut cumulative = 0.0;
        distribution
            .iter()
            .position(|p| {
                cumulative += p;
                cumulative >= level
            })
            .unwrap()
    };
    assert_eq!(
        json["range"],
        serde_json::json!([percentile(0.1), percentile(0.9)])
    );
}

#[test]
fn bad_inputs_are_usage_errors() {
    let env = Env::new();
    env.walkthrough();
    for bad in ["0", "101", "70.5", "x", "-5"] {
        let target = format!("--target={bad}");
        env.usage_error(
            &["forecast", &target],
            &["the target is a whole percent from 1 to 100"],
        );
    }
    let empty = Env::new();
    empty.usage_error(&["forecast"], &["no exam selected"]);
}

#[test]
fn a_guide_with_more_than_a_thousand_questions_is_refused() {
    let env = Env::new();
    env.install_guide(
        "tiny.yaml",
        &TINY.replace("questions: 4", "questions: 1001"),
    );
    let output = env.cmd(&["-e", "tiny", "forecast"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("assessment.questions") && stderr.contains("at most 1000"),
        "{stderr}"
    );
    // 1000 is the most, and is forecast (in a few milliseconds).
    env.install_guide(
        "tiny.yaml",
        &TINY.replace("questions: 4", "questions: 1000"),
    );
    let json = env.json(&["-e", "tiny", "forecast", "--json"]);
    assert_close(
        &json["expected"],
        500.0,
        "uniform prior over 1000 questions",
    );
}

#[test]
fn status_shows_the_forecast_in_one_line_and_in_its_json() {
    // The tiny learner worked out above: expected 1.5 → 2 (halves up), 11/70 → 16 %.
    let env = tiny_learner(crate::common::TODAY, TINY);
    let out = env.ok(&["status"]);
    assert!(
        out.contains(
            "\nForecast   expected 2/4 · 16% chance of 3 (70% target) · from 1 practice test, 4 answers\n"
        ),
        "{out}"
    );
    let json = env.json(&["status", "--json"]);
    assert_eq!(json["forecast"]["pass_mark"], 3);
    assert_close(
        &json["forecast"]["pass_chance"],
        11.0 / 70.0,
        "status --json",
    );
    assert_eq!(json["forecast"]["sections"][0]["id"], "beta");
}

#[test]
fn status_and_today_suggest_a_practice_test_when_none_is_recent() {
    let env = Env::new();
    env.walkthrough();
    let none = "none yet; after one, `certprep practice add CORRECT/TOTAL` feeds the forecast";
    assert!(
        env.ok(&["status"])
            .contains(&format!("\nPractice   {none}\n"))
    );
    assert!(
        env.ok(&["today"])
            .contains(&format!("\nPractice tests: {none}.\n"))
    );
    // A sitting on 2026-11-08 is 14 days old on 2026-11-22: still recent enough.
    env.ok(&["practice", "add", "30/48", "--on", "2026-11-08"]);
    assert!(!env.ok(&["status"]).contains("Practice   "));
    assert!(!env.ok(&["today"]).contains("Practice tests:"));
    // On 2026-11-23 it is 15 days old.
    let stale = "the latest was 15 days ago (2026-11-08); a new one sharpens the forecast";
    let status = env.ok_on("2026-11-23", &["status"]);
    assert!(
        status.contains(&format!("\nPractice   {stale}\n")),
        "{status}"
    );
    let today = env.ok_on("2026-11-23", &["today"]);
    assert!(
        today.contains(&format!("\nPractice tests: {stale}.\n")),
        "{today}"
    );
}
