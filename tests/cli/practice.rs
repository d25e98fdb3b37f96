//! `practice add|list|remove` (README: Practice tests and the forecast): what is recorded, how it is
//! listed, and every bad input a usage error that leaves the state file as it was.

use crate::common::Env;

/// The walkthrough learner (today 2026-11-22) with one sitting recorded.
fn learner_with_a_sitting() -> Env {
    let env = Env::new();
    env.walkthrough();
    env.ok(&["practice", "add", "30/48", "--on", "2026-11-21"]);
    env
}

#[test]
fn add_records_a_whole_score_and_says_what_it_recorded() {
    let env = Env::new();
    env.walkthrough();
    // 34/48 = 70.83 % → 71 %.
    let out = env.ok(&["practice", "add", "34/48", "--note", "official"]);
    assert_eq!(out, "Recorded practice test 1 on 2026-11-22: 34/48 (71%)\n");
    let state = env.state_text();
    assert!(
        state.ends_with(
            "\n[[exams.associate.practice]]\non = 2026-11-22\ncorrect = 34\nquestions = 48\nnote = \"official\"\n"
        ),
        "{state}"
    );
}

#[test]
fn add_takes_section_scores_by_number_id_or_prefix() {
    let env = learner_with_a_sitting();
    // The README's official practice exam: 14 + 7 + 10 + 3 = 34 of 18 + 9 + 15 + 6 = 48, one day
    // later than the first, so it is number 2.
    let out = env.ok(&[
        "practice",
        "add",
        "1=14/18",
        "ML-W=7/9",
        "model-development=10/15",
        "4=3/6",
        "--on",
        "2026-11-22",
    ]);
    assert_eq!(out, "Recorded practice test 2 on 2026-11-22: 34/48 (71%)\n");
    let state = env.state_text();
    assert!(
        state.ends_with(
            "on = 2026-11-22\ncorrect = 34\nquestions = 48\nsections = { databricks-ml = [14, 18], ml-workflows = [7, 9], model-deployment = [3, 6], model-development = [10, 15] }\n"
        ),
        "{state}"
    );
}

#[test]
fn a_sitting_dated_earlier_takes_its_place_in_the_numbering() {
    let env = learner_with_a_sitting();
    // Before the sitting of 2026-11-21, so it becomes number 1; a second one on
    // 2026-11-21 goes after the first one of that day.
    // The sitting of 2026-11-21 moves from 1 to 2, and the message says so.
    let out = env.ok(&["practice", "add", "20/48", "--on", "2026-11-10"]);
    assert_eq!(
        out,
        "Recorded practice test 1 of 2 on 2026-11-10: 20/48 (42%); the one dated later is now number 2\n"
    );
    let out = env.ok(&["practice", "add", "40/48", "--on", "2026-11-21"]);
    assert_eq!(out, "Recorded practice test 3 on 2026-11-21: 40/48 (83%)\n");
    let list = env.json(&["practice", "--json"]);
    let scores: Vec<(String, u64)> = list["sittings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["on"].as_str().unwrap().to_string(),
                s["correct"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        scores,
        [
            ("2026-11-10".to_string(), 20),
            ("2026-11-21".to_string(), 30),
            ("2026-11-21".to_string(), 40)
        ]
    );
}

#[test]
fn a_sitting_dated_before_several_says_which_number_it_got_of_how_many() {
    let env = learner_with_a_sitting();
    env.ok(&["practice", "add", "40/48"]);
    // Sittings of 2026-11-21 and 2026-11-22; one of 2026-11-15 comes first, and
    // those two become numbers 2 and 3. 25/48 = 52.08 % → 52 %.
    let out = env.ok(&["practice", "add", "25/48", "--on", "2026-11-15"]);
    assert_eq!(
        out,
        "Recorded practice test 1 of 3 on 2026-11-15: 25/48 (52%); the 2 dated later are now numbers 2 and 3\n"
    );
    // Before all three: number 1 of 4, the others now 2, 3 and 4.
    // 26/48 = 54.17 % → 54 %.
    let out = env.ok(&["practice", "add", "26/48", "--on", "2026-11-10"]);
    assert_eq!(
        out,
        "Recorded practice test 1 of 4 on 2026-11-10: 26/48 (54%); the 3 dated later are now numbers 2 to 4\n"
    );
    let list = env.json(&["practice", "--json"]);
    let dates: Vec<&str> = list["sittings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["on"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        ["2026-11-10", "2026-11-15", "2026-11-21", "2026-11-22"]
    );
}

#[test]
fn a_section_quiz_is_evidence_for_its_sections_alone() {
    let env = Env::new();
    env.walkthrough();
    // Section 2 (ml-workflows) alone: 5/9 = 55.56 % → 56 %.
    let out = env.ok(&["practice", "add", "2=5/9"]);
    assert_eq!(
        out,
        "Recorded practice test 1 on 2026-11-22: 5/9 (56%), a quiz on section 2\n"
    );
    let state = env.state_text();
    assert!(
        state.ends_with(
            "on = 2026-11-22\ncorrect = 5\nquestions = 9\nsections = { ml-workflows = [5, 9] }\n"
        ),
        "{state}"
    );

    // The forecast counts its 9 answers (today: weight 1) for ml-workflows and
    // none for the others. ml-workflows is unrated, Beta(1, 1): α = 1 + 5 = 6,
    // β = 1 + 4 = 5, accuracy 6/11 = 0.5455. model-deployment, unrated and
    // without answers, stays at 1/2; the rated two keep their ratings' means,
    // 4 → 0.25 + 0.45 = 0.7 and 3 → 0.55.
    let json = env.json(&["forecast", "--json"]);
    assert_eq!(json["practice_tests"], 1);
    let by_id = |id: &str| {
        json["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {json}"))
            .clone()
    };
    for (id, answers, accuracy, source) in [
        ("databricks-ml", 0.0, 0.7, "rating"),
        ("ml-workflows", 9.0, 0.5455, "practice"),
        ("model-development", 0.0, 0.55, "rating"),
        ("model-deployment", 0.0, 0.5, "none"),
    ] {
        let section = by_id(id);
        crate::common::assert_close(&section["answers"], answers, id);
        crate::common::assert_close(&section["accuracy"], accuracy, id);
        assert_eq!(section["source"], source, "{id}");
    }

    // Listed like any sitting: the whole column is the quiz's own 5/9, right
    // aligned under "Score" (five wide).
    let out = env.ok(&["practice"]);
    let row = out
        .lines()
        .find(|line| line.starts_with("1 "))
        .unwrap_or_else(|| panic!("a row for sitting 1:\n{out}"));
    assert_eq!(row.trim_end(), "1 2026-11-22   5/9 56% 2: 5/9", "{out}");
    let json = env.json(&["practice", "--json"]);
    assert_eq!(
        json["sittings"][0],
        serde_json::json!({
            "number": 1, "on": "2026-11-22", "correct": 5, "questions": 9,
            "percent": 55.56, "note": null, "sections": {"ml-workflows": [5, 9]}
        })
    );

    // Two sections: 1=10/18 and 3=9/15 make 19/33.
    let out = env.ok(&["practice", "add", "3=9/15", "1=10/18"]);
    assert_eq!(
        out,
        "Recorded practice test 2 on 2026-11-22: 19/33 (58%), a quiz on sections 1 and 3\n"
    );
}

#[test]
fn the_same_sitting_twice_is_refused_unless_again() {
    let env = learner_with_a_sitting();
    // Sitting 1 is 30/48 (63 %) on 2026-11-21 without a note: a retried command.
    env.usage_error(
        &["practice", "add", "30/48", "--on", "2026-11-21"],
        &[
            "practice test 1 already records the same sitting, 30/48 (63%) on 2026-11-21",
            "--again",
        ],
    );
    // With --again it is a second sitting, number 2 (after the first that day).
    let out = env.ok(&["practice", "add", "30/48", "--on", "2026-11-21", "--again"]);
    assert_eq!(out, "Recorded practice test 2 on 2026-11-21: 30/48 (63%)\n");
    assert_eq!(env.state_text().matches("correct = 30").count(), 2);

    // A quiz and a note count as part of the sitting: the same quiz with the
    // same note again is refused and named (number 3, after the two of 11-21).
    env.ok(&["practice", "add", "2=5/9", "--note", "set B"]);
    env.usage_error(
        &["practice", "add", "2=5/9", "--note", "set B"],
        &["practice test 3 already records the same sitting, 5/9 (56%) on 2026-11-22"],
    );
    // Another note, another date, or other section scores: another sitting.
    env.ok(&["practice", "add", "2=5/9", "--note", "set C"]);
    env.ok(&[
        "practice",
        "add",
        "2=5/9",
        "--note",
        "set B",
        "--on",
        "2026-11-20",
    ]);
    env.ok(&["practice", "add", "2=5/9", "3=9/15", "--note", "set B"]);
    // The whole 30/48 spread, or given by its sections, is not the same either.
    env.ok(&[
        "practice",
        "add",
        "1=12/18",
        "2=5/9",
        "3=9/15",
        "4=4/6",
        "--on",
        "2026-11-21",
    ]);
    let list = env.json(&["practice", "--json"]);
    assert_eq!(list["sittings"].as_array().unwrap().len(), 7);
}

#[test]
fn recording_a_sitting_records_the_days_snapshot() {
    let env = Env::new();
    // The walkthrough's progress, written without its history: the sitting is
    // what records today's readiness, 40.2 % (tests/cli/walkthrough.rs works it
    // out from the section weights).
    env.write_state(crate::common::WALKTHROUGH_STATE);
    let history = env.path("state.history.toml");
    assert!(!history.exists());
    env.ok(&["practice", "add", "30/48"]);
    let text = std::fs::read_to_string(&history).expect("a history file");
    let snapshot: toml::Table = text.parse().expect("the history is TOML");
    let value = snapshot["exams"]["associate"]["2026-11-22"]
        .as_float()
        .unwrap_or_else(|| panic!("a snapshot for 2026-11-22:\n{text}"));
    assert!((value - 40.2).abs() < 1e-9, "snapshot {value}");
}

#[test]
fn list_shows_date_score_percent_sections_and_the_escaped_note() {
    let env = learner_with_a_sitting();
    env.ok(&[
        "practice",
        "add",
        "1=14/18",
        "2=7/9",
        "3=10/15",
        "4=3/6",
        "--note",
        "set B\u{1b}[2J",
    ]);
    let out = env.ok(&["practice"]);
    assert_eq!(out, env.ok(&["practice", "list"]));
    // 30/48 = 62.5 % → 63 %; 34/48 → 71 %; numbers right-aligned. The rule under the header is as wide
    // as the widest row: 2 + 11 + 6 + 4 + 35 + 14 ("set B\u{1b}[2J") = 72.
    let expected = format!(
        "\
Databricks Certified Machine Learning Associate practice tests
# Date       Score   % Sections                           Note
{}
1 2026-11-21 30/48 63%
2 2026-11-22 34/48 71% 1: 14/18, 2: 7/9, 3: 10/15, 4: 3/6 set B\\u{{1b}}[2J
",
        "─".repeat(72)
    );
    let trimmed: String = out
        .lines()
        .map(|line| format!("{}\n", line.trim_end()))
        .collect();
    assert_eq!(trimmed, expected);

    let json = env.json(&["practice", "list", "--json"]);
    assert_eq!(
        json["sittings"][1],
        serde_json::json!({
            "number": 2, "on": "2026-11-22", "correct": 34, "questions": 48,
            "percent": 70.83, "note": "set B\u{1b}[2J",
            "sections": {"databricks-ml": [14, 18], "ml-workflows": [7, 9],
                         "model-deployment": [3, 6], "model-development": [10, 15]}
        })
    );
}

#[test]
fn an_empty_list_says_how_to_record_one() {
    let env = Env::new();
    env.walkthrough();
    let out = env.ok(&["practice"]);
    assert!(out.contains("certprep practice add 34/48"), "{out}");
    assert_eq!(
        env.json(&["practice", "--json"]),
        serde_json::json!({"exam": "associate", "sittings": []})
    );
}

#[test]
fn remove_takes_out_sitting_n() {
    let env = learner_with_a_sitting();
    env.ok(&["practice", "add", "40/48"]);
    let out = env.ok(&["practice", "remove", "1"]);
    assert_eq!(
        out,
        "Removed practice test 1 of associate: 2026-11-21, 30/48 (63%)\n"
    );
    let state = env.state_text();
    assert!(!state.contains("correct = 30"), "{state}");
    assert!(state.contains("correct = 40"), "{state}");
    // The last sitting removed: no practice blocks left at all.
    env.ok(&["practice", "remove", "1"]);
    assert_eq!(env.state_text(), crate::common::WALKTHROUGH_STATE);
}

// Every bad input of the practice rules (README: Practice tests and the forecast): exit 2, one sentence, the
// state file unchanged (usage_error checks the bytes).

#[test]
fn more_correct_than_total_is_refused() {
    learner_with_a_sitting().usage_error(
        &["practice", "add", "49/48"],
        &["\"49/48\" has more correct answers than questions"],
    );
}

#[test]
fn a_total_of_zero_is_refused() {
    learner_with_a_sitting().usage_error(&["practice", "add", "0/0"], &["has a TOTAL of 0"]);
}

#[test]
fn more_than_a_thousand_questions_is_refused() {
    learner_with_a_sitting().usage_error(
        &["practice", "add", "5/1001"],
        &["has more than 1000 questions"],
    );
}

#[test]
fn a_malformed_score_is_refused() {
    let env = learner_with_a_sitting();
    for bad in ["34", "34-48", "x/48", "=3/4", "1=34"] {
        env.usage_error(&["practice", "add", bad], &["is not a score"]);
    }
}

#[test]
fn an_unknown_section_is_refused() {
    let env = learner_with_a_sitting();
    env.usage_error(
        &["practice", "add", "nosuch=1/2", "34/48"],
        &["unknown section \"nosuch\""],
    );
    env.usage_error(
        &["practice", "add", "5=1/2", "34/48"],
        &["there is no section number 5"],
    );
    // A prefix of two ids is ambiguous.
    env.usage_error(&["practice", "add", "model=1/2"], &["ambiguous"]);
}

#[test]
fn a_repeated_section_is_refused() {
    learner_with_a_sitting().usage_error(
        &[
            "practice",
            "add",
            "1=14/18",
            "databricks-ml=14/18",
            "2=7/9",
            "3=10/15",
            "4=3/6",
        ],
        &["section \"databricks-ml\" is scored twice"],
    );
}

#[test]
fn sections_that_do_not_cover_the_outline_are_refused() {
    learner_with_a_sitting().usage_error(
        &["practice", "add", "1=14/18", "2=7/9", "34/48"],
        &["model-development, model-deployment have none"],
    );
}

#[test]
fn sections_that_do_not_add_up_to_the_whole_are_refused() {
    learner_with_a_sitting().usage_error(
        &[
            "practice", "add", "1=14/18", "2=7/9", "3=10/15", "4=3/6", "35/48",
        ],
        &["add up to 34/48, not to the whole-test score 35/48"],
    );
}

#[test]
fn a_future_date_is_refused() {
    learner_with_a_sitting().usage_error(
        &["practice", "add", "34/48", "--on", "2026-11-23"],
        &["--on 2026-11-23 is later than today (2026-11-22)"],
    );
}

#[test]
fn a_sitting_number_that_does_not_exist_is_refused() {
    let env = learner_with_a_sitting();
    env.usage_error(
        &["practice", "remove", "2"],
        &["there is no practice test number 2: numbers run from 1 to 1"],
    );
    env.usage_error(
        &["practice", "remove", "0"],
        &["there is no practice test number 0"],
    );
    // An exam with no sittings at all.
    let fresh = Env::new();
    fresh.walkthrough();
    fresh.usage_error(
        &["practice", "remove", "1"],
        &["none is recorded for associate"],
    );
}

#[test]
fn no_score_or_no_exam_is_a_usage_error() {
    let env = learner_with_a_sitting();
    env.usage_error(&["practice", "add"], &["SCORE"]);
    env.usage_error(&["practice", "add", "30/48", "31/48"], &["given twice"]);
    let empty = Env::new();
    empty.usage_error(&["practice", "add", "30/48"], &["no exam selected"]);
    assert_eq!(empty.state_bytes(), None);
}

#[test]
fn history_shows_the_practice_scores_beside_readiness() {
    let env = learner_with_a_sitting();
    env.ok(&["practice", "add", "40/48"]);
    // 30/48 = 62.5 %: 0.625 · 7 = 4.4 → the fifth bar, ▅; 40/48 = 83.3 %:
    // 5.8 → the seventh, ▇.
    let out = env.ok(&["history"]);
    assert!(
        out.contains("\n▅▇  practice tests 63% → 83% from 2026-11-21 to 2026-11-22 (2 tests)\n"),
        "{out}"
    );
    let json = env.json(&["history", "--json"]);
    assert_eq!(json["practice"][1]["on"], "2026-11-22");
    assert_eq!(json["practice"][1]["correct"], 40);
    crate::common::assert_close(&json["practice"][0]["percent"], 62.5, "30/48");
}

/// A sitting is one fact in every JSON document: its date is `on` (as in the
/// state file) and its percent has two decimals, in `practice list --json` and
/// `history --json` alike.
#[test]
fn a_sitting_has_one_name_and_precision_in_every_json_document() {
    let env = Env::new();
    env.ok(&["start", "associate", "--on", "2026-11-20"]);
    // 26/48 = 54.1666… % → 54.17; 31/48 = 64.5833… % → 64.58.
    env.ok(&["practice", "add", "26/48", "--on", "2026-11-21"]);
    env.ok(&["practice", "add", "31/48"]);
    let listed = env.json(&["practice", "list", "--json"]);
    let history = env.json(&["history", "--json"]);
    for (index, on, percent) in [(0, "2026-11-21", 54.17), (1, "2026-11-22", 64.58)] {
        let sitting = &listed["sittings"][index];
        let score = &history["practice"][index];
        assert_eq!(sitting["on"], on);
        assert_eq!(score["on"], on);
        assert_eq!(sitting["percent"], serde_json::json!(percent));
        assert_eq!(score["percent"], serde_json::json!(percent));
        assert_eq!(score.get("date"), None, "{score}");
        for field in ["correct", "questions"] {
            assert_eq!(score[field], sitting[field], "{field}");
        }
    }
}
