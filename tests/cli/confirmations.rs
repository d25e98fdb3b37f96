//! What a change says: what it changed, and what already was so, in words that
//! match the state file before and after.

use crate::common::Env;

/// The walkthrough: days 1 and 2 done, sections 1 (4/5) and 3 (3/5) rated.
fn walked() -> Env {
    let env = Env::new();
    env.walkthrough();
    env
}

#[test]
fn done_and_undone_say_which_days_changed_and_which_already_were() {
    let env = walked();
    // Day 2 is done already, day 3 is not: 3 of 7 after.
    assert_eq!(
        env.ok(&["done", "2-3"]),
        "Day 3 marked done; day 2 was already done. 3 of 7 days done.\n"
    );
    assert_eq!(
        env.ok(&["done", "1", "2", "4", "5"]),
        "Days 4, 5 marked done; days 1, 2 were already done. 5 of 7 days done.\n"
    );
    let before = env.state_bytes();
    assert_eq!(
        env.ok(&["done", "3"]),
        "Day 3 was already done. 5 of 7 days done.\n"
    );
    assert_eq!(env.state_bytes(), before);
    // Day 6 was never done.
    assert_eq!(
        env.ok(&["undone", "6"]),
        "Day 6 was not marked done. 5 of 7 days done.\n"
    );
    assert_eq!(env.state_bytes(), before);
    assert_eq!(
        env.ok(&["undone", "5-7"]),
        "Day 5 marked not done; days 6, 7 were not marked done. 4 of 7 days done.\n"
    );
    assert_eq!(
        env.ok(&["undone", "1", "2"]),
        "Days 1, 2 marked not done. 2 of 7 days done.\n"
    );
}

#[test]
fn rate_says_what_the_rating_was() {
    let env = walked();
    let before = env.state_bytes();
    // Section 4 (Model Deployment) was never rated: nothing to clear, no write.
    assert_eq!(
        env.ok(&["rate", "4", "--clear"]),
        "Section 4 (Model Deployment) was not rated; nothing to clear\n"
    );
    assert_eq!(env.state_bytes(), before);
    assert_eq!(
        env.ok(&["rate", "3", "--clear"]),
        "Section 3 (Model Development): rating 3/5 cleared\n"
    );
    assert_eq!(
        env.ok(&["rate", "1", "2"]),
        "Section 1 (Databricks Machine Learning) rated 2/5 (was 4/5): heard of it\n"
    );
    assert_eq!(
        env.ok(&["rate", "1", "2"]),
        "Section 1 (Databricks Machine Learning) rated 2/5 again: heard of it\n"
    );
    assert_eq!(
        env.ok(&["rate", "3", "5"]),
        "Section 3 (Model Development) rated 5/5: exam-ready\n"
    );
}

#[test]
fn reset_names_everything_it_erases() {
    let env = walked();
    env.ok(&["book", "2027-01-15"]);
    env.ok(&["practice", "add", "30/48"]);
    let everything = [
        "ticked items",
        "plan days done",
        "ratings",
        "practice sittings",
        "start and booked dates",
        "readiness history",
    ];
    env.usage_error(&["reset"], &everything);
    let help = env.ok(&["reset", "--help"]).replace("\n  ", " ");
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for erased in everything {
        assert!(
            help.contains(erased),
            "reset --help lacks {erased:?}:\n{help}"
        );
    }
    let out = env.ok(&["reset", "--yes"]);
    for erased in everything {
        assert!(out.contains(erased), "{out}");
    }
    // And it does erase them: no exam entry, no sitting, no history.
    assert!(
        !env.state_text().contains("[exams.associate"),
        "{}",
        env.state_text()
    );
    assert_eq!(
        env.json(&["-e", "associate", "history", "--json"])["snapshots"],
        serde_json::json!([])
    );
}
