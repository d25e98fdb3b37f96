//! Sentences that read as sentences: a count agrees with its noun, no doubled
//! colon, no "0 days to go" after the end, and a placeholder with nothing to say
//! is empty rather than a negative count.

use crate::common::Env;

#[test]
fn a_sitting_number_that_is_no_number_gets_a_sentence() {
    let env = Env::new();
    env.walkthrough();
    env.ok(&["practice", "add", "30/48"]);
    let stderr = env.usage_error(
        &["practice", "remove", "two"],
        &["a sitting number is a whole number from 1, such as `practice remove 2`"],
    );
    assert!(!stderr.contains("invalid digit"), "{stderr}");
}

#[test]
fn validate_counts_agree_with_their_nouns() {
    let env = Env::new();
    let file = env.path("one.yaml");
    std::fs::write(
        &file,
        "id: one\nname: One\nshort: One\nassessment: {questions: 10, minutes: 10}\n\
         sections:\n  - {id: only, name: Only, weight: 100}\n\
         checklist:\n  - {id: it, text: It., sections: [only]}\n\
         plan:\n  - {days: 1, topic: All., sections: [only]}\n",
    )
    .unwrap();
    let out = env.ok(&["validate", file.to_str().unwrap()]);
    assert!(
        out.ends_with(": valid guide \"one\" (One): 1 section, 1 checklist item, 1 plan day\n"),
        "{out}"
    );
}

#[test]
fn no_streak_is_said_without_a_doubled_colon() {
    let env = Env::new();
    // Progress on 2026-11-20 only: by the 22nd the streak has ended.
    env.ok_on("2026-11-20", &["start", "associate"]);
    env.ok_on("2026-11-20", &["tick", "1"]);
    let text = env.ok(&["history"]);
    assert!(
        text.contains(
            "\nStudy streak: none (record some progress today to start one); 1 day with progress in all\n"
        ),
        "{text}"
    );
}

#[test]
fn done_without_a_day_outside_the_plan_says_so_plainly() {
    let env = Env::new();
    let stderr = env.usage_error(
        &["-e", "associate", "done"],
        &["associate has not been started, so no plan day is today's; name a day (`certprep done 1`) or `certprep start associate`"],
    );
    assert!(!stderr.contains("today's day"), "{stderr}");
    env.ok(&["start", "associate", "--on", "2026-11-25"]);
    env.usage_error(
        &["done"],
        &["the associate plan starts in 3 days, so no plan day is today's yet; name a day, such as `certprep done 1`"],
    );
    // Day 7 was 2026-12-01.
    let output = env.cmd_on("2026-12-05", &["done"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr.contains("the associate plan is over, so no plan day is today's; name a day, such as `certprep done 7`"),
        "{stderr}"
    );
}

#[test]
fn a_plan_with_every_day_done_has_nothing_to_go() {
    let env = Env::new();
    env.ok(&["start", "associate", "--on", "2026-11-01"]);
    env.ok(&["done", "1-7"]);
    // After the plan (day 7 was 2026-11-07): on track, nothing left.
    let today = env.ok(&["today"]);
    assert!(today.contains("\nPace: every plan day done.\n"), "{today}");
    assert!(!today.contains("0 days"), "{today}");
    // On day 5 with all 7 done: 4 days expected (1 to 4), 3 ahead.
    let status = env.ok_on("2026-11-05", &["status"]);
    assert!(
        status.contains("\nPace       ahead by 3 days: every plan day done\n"),
        "{status}"
    );
}

#[test]
fn days_left_is_empty_once_the_exam_has_passed() {
    let env = Env::new();
    env.walkthrough();
    env.ok(&["book", "2026-11-24"]);
    let prompt = |today: &str| env.ok_on(today, &["prompt", "--format", "[{days_left}]"]);
    assert_eq!(prompt("2026-11-22"), "[2]\n");
    assert_eq!(prompt("2026-11-24"), "[0]\n");
    // Four days after: nothing, not -4.
    assert_eq!(prompt("2026-11-28"), "[]\n");
}
