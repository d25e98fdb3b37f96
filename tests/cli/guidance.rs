//! `next`, `why`, pacing, stale ratings: guidance worked out by hand from the
//! associate guide (see tests/cli/walkthrough.rs for the guide's mapping and the
//! walkthrough's section scores: 57.5, 15, 50, 0 → 40.2 overall).

use crate::common::{self, Env, WALKTHROUGH_STATE, assert_close};
use serde_json::json;

/// The walkthrough's `next`, worked out by hand.
///
/// The forecast, with no practice yet, is the ratings' priors. The associate
/// exam's 48 questions split 18, 9, 15, 6. Databricks ML, rated 4: accuracy
/// 0.25 + 3·0.15 = 0.70, lost 18·0.3 = 5.4. ML Workflows, unrated: 9·0.5 = 4.5.
/// Model Development, rated 3: 0.55, lost 15·0.45 = 6.75, the weakest. Model
/// Deployment, unrated: 6·0.5 = 3.
///
/// Readiness points of each study action (every section has items and days, so
/// rating 0.5, checklist 0.3, plan 0.2 of it):
/// - done 7 (all four sections): databricks-ml plan 0/4 → 1/4, +5 % of 38 = 1.9;
///   ml-workflows 0/3 → 1/3, +6.67 % of 19 = 1.2667; model-development 2/4 →
///   3/4, +5 % of 31 = 1.55; model-deployment 0/2 → 1/2, +10 % of 12 = 1.2:
///   5.9167. Its most costly section: Model Development (6.75).
/// - tick feature-engineering (model-development 1/2 → 1, +15 % of 31): 4.65.
/// - done 3 (model-development 1.55 + databricks-ml 1.9): 3.45.
/// - tick model-registry (databricks-ml 2/3 → 1, +10 % of 38 = 3.8;
///   model-deployment 0 → 1/2, +15 % of 12 = 1.8): 5.6, for Databricks ML (5.4).
/// - done 6 (databricks-ml 1.9 + ml-workflows 1.2667): 3.1667, Databricks ML.
/// - done 4 (databricks-ml 1.9), Databricks ML.
/// - tick batch-scoring (model-deployment 1.8 + ml-workflows 1/2 → 1, 2.85):
///   4.65, for ML Workflows (4.5); done 5 (1.2 + 1.2667 = 2.4667), ML Workflows.
///
/// So: the three for Model Development by points, then the three for Databricks
/// ML, then the two for ML Workflows; then "rate it" for the two unrated
/// sections (no practice evidence to suggest a rating), ML Workflows first (4.5
/// lost against 3); then a practice test, due (none yet) but not urgent (no exam
/// booked, two of seven days done).
#[test]
fn next_after_the_walkthrough() {
    let env = Env::new();
    env.walkthrough();
    let json = env.json(&["next", "--json", "--limit", "100"]);
    assert_eq!(json["weakest"], "model-development");
    let actions = json["actions"].as_array().unwrap();
    let expected = [
        (
            "day",
            json!(7),
            5.0 + 11.0 / 12.0,
            "model-development",
            6.75,
        ),
        (
            "tick",
            json!("feature-engineering"),
            4.65,
            "model-development",
            6.75,
        ),
        ("day", json!(3), 3.45, "model-development", 6.75),
        ("tick", json!("model-registry"), 5.6, "databricks-ml", 5.4),
        ("day", json!(6), 1.9 + 19.0 / 15.0, "databricks-ml", 5.4),
        ("day", json!(4), 1.9, "databricks-ml", 5.4),
        ("tick", json!("batch-scoring"), 4.65, "ml-workflows", 4.5),
        ("day", json!(5), 1.2 + 19.0 / 15.0, "ml-workflows", 4.5),
        ("rate", json!("ml-workflows"), 0.0, "ml-workflows", 4.5),
        (
            "rate",
            json!("model-deployment"),
            0.0,
            "model-deployment",
            3.0,
        ),
        ("practice", json!(null), 0.0, "model-development", 6.75),
    ];
    assert_eq!(actions.len(), expected.len(), "{json}");
    for (action, (kind, target, points, section, lost)) in actions.iter().zip(expected) {
        assert_eq!(action["kind"], kind, "{action}");
        assert_eq!(action["target"], target, "{action}");
        assert_close(&action["points"], points, &target.to_string());
        assert_eq!(action["section"], section, "{action}");
        assert_close(&action["lost"], lost, &target.to_string());
    }
    // Without evidence, no rating is suggested.
    assert_eq!(actions[8]["rating"], json!(null));

    // Text: both figures per action; 6.75 rounds half up to 6.8.
    let text = env.ok(&["next", "--limit", "2"]);
    assert!(
        text.contains(
            " 1. certprep done 7: End-to-end dry run and notes.\n    +5.9 readiness · Model Development costs 6.8 expected points\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(" 2. certprep tick feature-engineering"),
        "{text}"
    );
    assert!(!text.contains(" 3. "), "--limit 2 shows two: {text}");
}

/// Every study action and suggested rating, done with the command it names,
/// raises `status`'s readiness by exactly its points: `status` is a route to the
/// number that does not go through `next`.
#[test]
fn each_action_adds_exactly_its_points_when_done() {
    let env = Env::new();
    env.walkthrough();
    // Evidence that disagrees with a rating: Model Development rated 3 (0.55),
    // and a quiz of 15/15 there: it suggests 5, two away from 3.
    env.write_state(format!(
        "{WALKTHROUGH_STATE}\n[[exams.associate.practice]]\non = 2026-11-22\ncorrect = 48\nquestions = 48\n"
    ));
    let state = env.state_text();
    let before = env.json(&["status", "--json"])["readiness"]
        .as_f64()
        .unwrap();
    let json = env.json(&["next", "--json", "--limit", "100"]);
    let actions = json["actions"].as_array().unwrap();
    let mut checked = 0;
    for action in actions {
        // A day target is a number, an item or section target a string.
        let target = match &action["target"] {
            serde_json::Value::String(id) => id.clone(),
            number => number.to_string(),
        };
        let target = target.as_str();
        let rating = action["rating"].to_string();
        let command = match action["kind"].as_str().unwrap() {
            "tick" => vec!["tick", target],
            "day" => vec!["done", target],
            "rate" => vec!["rate", target, &rating],
            other => panic!("unexpected kind {other}: {json}"),
        };
        env.write_state(&state);
        env.ok(&command);
        let after = env.json(&["status", "--json"])["readiness"]
            .as_f64()
            .unwrap();
        // `next` rounds its points to 1e-9.
        assert_close(&action["points"], after - before, &format!("{command:?}"));
        checked += 1;
    }
    // 3 items, 5 days; 48/48 spread over the sections suggests 5 everywhere:
    // Databricks ML (4) and Model Development (3) are one and two away, so one
    // re-rating, and the two unrated sections get theirs: 11 actions, and no
    // practice test (one today).
    assert_eq!(checked, 11, "{json}");
}

#[test]
fn next_on_a_finished_exam_asks_only_for_a_practice_test() {
    let env = Env::new();
    let items = [
        "automl",
        "mlflow-tracking",
        "model-registry",
        "feature-engineering",
        "batch-scoring",
    ];
    env.ok(&[&["-e", "associate", "tick"][..], &items].concat());
    env.ok(&["-e", "associate", "done", "1", "2", "3", "4", "5", "6", "7"]);
    for section in ["1", "2", "3", "4"] {
        env.ok(&["-e", "associate", "rate", section, "5"]);
    }
    // Every day done and no practice test: one is urgent, and all that is left.
    let json = env.json(&["-e", "associate", "next", "--json"]);
    assert_eq!(json["readiness"], 100.0);
    assert_eq!(json["actions"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(json["actions"][0]["kind"], "practice");
    // 46/48 spread by questions: each section at 46/48 = 0.96, which suggests 5
    // ((0.96 − 0.25)/0.15 = 4.7 → 5, + 1, kept at 5): the ratings agree.
    env.ok(&["-e", "associate", "practice", "add", "46/48"]);
    let json = env.json(&["-e", "associate", "next", "--json"]);
    assert_eq!(json["actions"], serde_json::json!([]));
    assert!(env.ok(&["-e", "associate", "next"]).contains("Nothing"));
}

#[test]
fn why_shows_each_component() {
    let env = Env::new();
    env.walkthrough();
    // model-development: rating 3 → 0.5, weight 0.5 → 25 points of readiness;
    // items 1/2 → 0.5 × 0.3 → 15; days 2/4 → 0.5 × 0.2 → 10. 50 in all,
    // 31 × 0.5 = 15.5 points overall.
    let json = env.json(&["why", "model-dev", "--json"]);
    assert_eq!(json["number"], 3);
    assert_eq!(json["readiness"], 50.0);
    assert_eq!(json["points"], 15.5);
    let contributions: Vec<f64> = json["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|part| part["contribution"].as_f64().unwrap())
        .collect();
    assert_eq!(contributions, [25.0, 15.0, 10.0]);
    assert_eq!(json["components"][1]["component"], "checklist");
    assert_eq!(
        json["missing"]["items"],
        serde_json::json!(["feature-engineering"])
    );
    assert_eq!(json["missing"]["days"], serde_json::json!([3, 7]));
    assert_eq!(json["missing"]["rating_steps"], 2);

    let text = env.ok(&["why", "3"]);
    assert!(
        text.contains(
            "readiness = 100 × (0.5×0.50 + 0.3×0.50 + 0.2×0.50) / (0.5 + 0.3 + 0.2) = 50%"
        ),
        "{text}"
    );
    assert!(
        text.contains("Missing: tick feature-engineering; plan days 3, 7; rating 2 steps to 5."),
        "{text}"
    );
}

#[test]
fn why_with_a_component_that_drops_out() {
    let env = Env::new();
    // mycert's "advanced" section (40 %) has the item deep-dive and days 2-3;
    // a guide section with no plan days: build one.
    let guide = common::MYCERT.replace(
        "  - days: \"2-3\"\n    topic: Advanced days.\n    sections: [advanced, basics]\n",
        "  - days: \"2-3\"\n    topic: Basics again.\n    sections: [basics]\n",
    );
    env.install_guide("mycert.yaml", &guide);
    env.ok(&["-e", "mycert", "tick", "deep-dive"]);
    // advanced: unrated (0), items 1/1 (1.0), no days: 100·0.3/(0.5+0.3) = 37.5.
    let json = env.json(&["-e", "mycert", "why", "advanced", "--json"]);
    assert_close(&json["readiness"], 37.5, "readiness");
    assert_eq!(json["components"][2]["score"], serde_json::Value::Null);
    assert_eq!(json["components"][2]["contribution"], 0.0);
    let text = env.ok(&["-e", "mycert", "why", "advanced"]);
    assert!(text.contains("drops out"), "{text}");
    assert!(text.contains("/ (0.5 + 0.3) = 38%"), "{text}");
}

#[test]
fn why_names_a_bad_section_like_rate_does() {
    let env = Env::new();
    env.walkthrough();
    env.usage_error(
        &["why", "model"],
        &["ambiguous", "model-development", "model-deployment"],
    );
    env.usage_error(&["why", "9"], &["no section number 9"]);
}

#[test]
fn pace_when_behind() {
    let env = Env::new();
    env.walkthrough();
    // 2026-11-24 is day 5 (started 11-20); days 1-4 were due, 1 and 2 are done:
    // behind by 2. Days 3 and 4 are missed; each doubles up with a day due, so
    // four days two a date, in plan order: 3 and 4 today, 5 and 6 tomorrow.
    let json = env.json_on("2026-11-24", &["status", "--json"]);
    let pace = &json["pace"];
    assert_eq!(
        (
            &pace["expected"],
            &pace["done"],
            &pace["left"],
            &pace["ahead"]
        ),
        (&4.into(), &2.into(), &5.into(), &(-2).into())
    );
    assert_eq!(
        pace["catch_up"],
        serde_json::json!([
            {"date": "2026-11-24", "days": [3, 4]},
            {"date": "2026-11-25", "days": [5, 6]}
        ])
    );
    let status = env.ok_on("2026-11-24", &["status"]);
    assert!(
        status.contains(
            "Pace       behind by 2 days; catch up with days 3 and 4 today, 5 and 6 tomorrow"
        ),
        "{status}"
    );
    let today = env.json_on("2026-11-24", &["today", "--json"]);
    assert_eq!(today["pace"], *pace);

    // Exam on 11-26, two days away: 5 plan days left is more than two a day.
    env.ok(&["book", "2026-11-26"]);
    let today = env.ok_on("2026-11-24", &["today"]);
    assert!(
        today.contains("5 days of the plan left for 2 days to the exam: more than two a day"),
        "{today}"
    );
    assert!(today.contains("Exam: in 2 days."), "{today}");
}

#[test]
fn pace_on_track_and_ahead() {
    let env = Env::new();
    env.walkthrough();
    // Day 3: days 1 and 2 were due and are done.
    let status = env.ok(&["status"]);
    assert!(
        status.contains("Pace       on track, 5 days of the plan to go"),
        "{status}"
    );
    env.ok(&["done", "3", "4"]);
    // Days 1-4 done on day 3: two ahead, three to go.
    let json = env.json(&["today", "--json"]);
    assert_eq!(json["pace"]["ahead"], 2);
    assert_eq!(json["pace"]["catch_up"], serde_json::json!([]));
    assert!(
        env.ok(&["today"])
            .contains("Pace: ahead by 2 days, 3 days to go.")
    );
}

#[test]
fn an_exam_before_the_plan_ends_is_said_once_and_never_beside_on_track() {
    let env = Env::new();
    env.walkthrough();
    // Today 2026-11-22 is day 3 (day 1 was 11-20), days 1 and 2 done: on track,
    // with days 3 to 7 (11-22 to 11-26) left, 5 of them.
    // Exam on 11-25: plan day 6, 3 days away, so 3 study days (11-22, 23, 24)
    // for 5 plan days: two on 5 − 3 = 2 of them.
    let name = "Databricks Certified Machine Learning Associate";
    let out = env.ok(&["book", "2026-11-25"]);
    assert_eq!(
        out,
        format!(
            "{name} booked for 2026-11-25 (3 days from today).\nThe exam on 2026-11-25 is before the plan ends (day 6 of 7); 5 days of the plan left for 3 days to the exam: double up on 2 of them.\n"
        )
    );
    let squeezed = "5 days of the plan left for 3 days to the exam: double up on 2 of them";
    let status = env.ok(&["status"]);
    assert!(
        status.contains(&format!("Pace       {squeezed}\n")),
        "{status}"
    );
    assert!(!status.contains("on track"), "{status}");
    let today = env.ok(&["today"]);
    assert!(today.contains(&format!("Pace: {squeezed}.\n")), "{today}");
    assert!(!today.contains("on track"), "{today}");

    // On 11-26, the plan's last day: 4 study days for 5, one of them doubled.
    let out = env.ok(&["book", "2026-11-26"]);
    assert!(
        out.ends_with(
            "The exam on 2026-11-26 is before the plan ends (day 7 of 7); 5 days of the plan left for 4 days to the exam: double up on 1 of them.\n"
        ),
        "{out}"
    );

    // On 11-24 (day 5), 2 days away: 5 plan days for 2 is more than two a day,
    // said once and without "on track, 5 days of the plan to go" before it.
    let out = env.ok(&["book", "2026-11-24"]);
    assert!(
        out.ends_with(
            "The exam on 2026-11-24 is before the plan ends (day 5 of 7); 5 days of the plan left for 2 days to the exam: more than two a day.\n"
        ),
        "{out}"
    );
    let status = env.ok(&["status"]);
    assert!(
        status.contains(
            "Pace       5 days of the plan left for 2 days to the exam: more than two a day\n"
        ),
        "{status}"
    );
    assert_eq!(status.matches("of the plan").count(), 1, "{status}");

    // On 11-27, the day after the plan's last: 5 study days for 5, nothing to
    // say beyond the booking, and the learner is on track.
    let out = env.ok(&["book", "2026-11-27"]);
    assert_eq!(
        out,
        format!("{name} booked for 2026-11-27 (5 days from today).\n")
    );
    let status = env.ok(&["status"]);
    assert!(
        status.contains("Pace       on track, 5 days of the plan to go\n"),
        "{status}"
    );

    // Day 3 done too (one ahead, 4 left), exam on 11-24: 4 plan days for 2
    // study days is two on each, and "ahead by 1 day, 4 days to go" is not said.
    env.ok(&["done", "3"]);
    let out = env.ok(&["book", "2026-11-24"]);
    assert!(
        out.ends_with(
            "The exam on 2026-11-24 is before the plan ends (day 5 of 7); 4 days of the plan left for 2 days to the exam: two a day.\n"
        ),
        "{out}"
    );
    let today = env.ok(&["today"]);
    assert!(
        today.contains("Pace: 4 days of the plan left for 2 days to the exam: two a day.\n"),
        "{today}"
    );
    assert!(!today.contains("ahead"), "{today}");
}

#[test]
fn ratings_go_stale_after_fourteen_days() {
    let env = Env::new();
    env.walkthrough();
    // Rated on 2026-11-22: 14 days later (12-06) still fresh, 15 days (12-07) stale.
    let fresh = env.json_on("2026-12-06", &["status", "--json"]);
    assert_eq!(fresh["sections"][0]["rated"], "2026-11-22");
    assert_eq!(fresh["sections"][0]["stale"], false);
    let stale = env.json_on("2026-12-07", &["status", "--json"]);
    assert_eq!(stale["sections"][0]["stale"], true);
    assert_eq!(stale["sections"][2]["stale"], true);
    // Unrated sections are never stale.
    assert_eq!(stale["sections"][1]["stale"], false);
    let text = env.ok_on("2026-12-07", &["status"]);
    assert!(text.contains("4/5*"), "{text}");
    assert!(text.contains("rate sections 1, 3 again"), "{text}");
    // Rating again refreshes it; the readiness formula is unchanged.
    env.ok_on("2026-12-07", &["rate", "1", "4"]);
    let refreshed = env.json_on("2026-12-07", &["status", "--json"]);
    assert_eq!(refreshed["sections"][0]["stale"], false);
    assert_eq!(refreshed["readiness"], stale["readiness"]);
    // rate --clear removes the date with the rating.
    env.ok(&["rate", "1", "--clear"]);
    assert!(
        !env.state_text().contains("databricks-ml = 2026"),
        "{}",
        env.state_text()
    );
}
