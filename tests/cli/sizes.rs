//! Size limits: a note is at most 500 characters, and no change writes a state or
//! history file larger than the 4 MiB certprep reads (`store::MAX_FILE_BYTES`),
//! so no command can lock a learner out of their own progress; a state an older
//! certprep let grow past it is refused with the way back, and `practice remove`
//! still reads it.

use crate::common::{Env, WALKTHROUGH_STATE};

#[test]
fn a_note_of_501_characters_is_refused_and_one_of_500_recorded() {
    let env = Env::new();
    env.walkthrough();
    // 501 characters (1 002 bytes of "é"): over the limit, which counts characters.
    let long = "é".repeat(501);
    env.usage_error(
        &["practice", "add", "10/48", "--note", &long],
        &["501 characters", "at most 500"],
    );
    let out = env.ok(&["practice", "add", "10/48", "--note", &"é".repeat(500)]);
    // 10/48 = 20.83 % → 21 %.
    assert_eq!(out, "Recorded practice test 1 on 2026-11-22: 10/48 (21%)\n");
    let json = env.json(&["practice", "--json"]);
    assert_eq!(json["sittings"][0]["note"], "é".repeat(500));
}

/// The read limit, `store::MAX_FILE_BYTES`: 4 MiB.
const LIMIT: usize = 4 << 20;

/// One sitting as certprep writes it (see `state::serialize`), after the exam's
/// tables: 74 bytes without a note.
fn sitting(on: &str, correct: u32, note: Option<&str>) -> String {
    let mut block =
        format!("\n[[exams.associate.practice]]\non = {on}\ncorrect = {correct}\nquestions = 48\n");
    if let Some(note) = note {
        block += &format!("note = \"{note}\"\n");
    }
    block
}

#[test]
fn a_change_that_would_grow_the_state_past_4_mib_is_refused() {
    let env = Env::new();
    env.walkthrough();
    // The walkthrough's state and one sitting with a long note, as certprep
    // writes them, padded by the note to 300 bytes under the limit.
    let without_note = WALKTHROUGH_STATE.len() + sitting("2026-11-21", 30, Some("")).len();
    let note = "x".repeat(LIMIT - 300 - without_note);
    let state = format!(
        "{WALKTHROUGH_STATE}{}",
        sitting("2026-11-21", 30, Some(&note))
    );
    assert_eq!(state.len(), LIMIT - 300);
    env.write_state(&state);
    let history = std::fs::read(env.path("state.history.toml")).unwrap();
    // A sitting with a 500-character note adds 74 + 510 bytes: 284 past the limit.
    let stderr = env.usage_error(
        &["practice", "add", "10/48", "--note", &"n".repeat(500)],
        &[
            &format!("would be {} bytes", LIMIT + 284),
            "more than the 4 MiB",
            "certprep practice remove N",
        ],
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(
        std::fs::read(env.path("state.history.toml")).unwrap(),
        history
    );
    // Without the note it adds 74 bytes, 226 under the limit: recorded.
    env.ok(&["practice", "add", "10/48"]);
    assert_eq!(
        env.state_text(),
        format!("{state}{}", sitting("2026-11-22", 10, None))
    );
}

#[test]
fn rewriting_a_compact_hand_written_state_past_4_mib_is_refused() {
    // 60 000 sittings written compactly, 41 bytes each: 2.5 MB, readable. Written
    // back as certprep writes them, each sitting is a block of its own under a
    // `[[exams.associate.practice]]` header, 74 bytes: 4.4 MB, which no command
    // could read again. `tick 3` is refused instead.
    let env = Env::new();
    let head = "version = 1\nactive = \"associate\"\n\n[exams.associate]\nstarted = 2026-11-20\nticked = []\ndays_done = []\n";
    let row = "{on=2026-11-20,correct=30,questions=48},\n";
    assert_eq!(row.len(), 41);
    let state = format!("{head}practice = [\n{}]\n", row.repeat(60_000));
    assert!(state.len() < LIMIT);
    env.write_state(&state);
    // The rewrite: the head with item 3 (model-registry) ticked, 116 bytes, and
    // 60 000 blocks of 74 bytes.
    let rewritten = "version = 1\nactive = \"associate\"\n\n[exams.associate]\nstarted = 2026-11-20\nticked = [\"model-registry\"]\ndays_done = []\n";
    assert_eq!(rewritten.len(), 116);
    env.usage_error(
        &["tick", "3"],
        &[&format!("would be {} bytes", 116 + 60_000 * 74), "4 MiB"],
    );
}

#[test]
fn a_change_that_would_grow_the_history_past_4_mib_is_refused() {
    let env = Env::new();
    env.walkthrough();
    // A history as certprep writes it: 17-byte snapshots from 2027-01-01 on
    // (after today, so today's is a new line), and a second exam whose id pads
    // the file to 5 bytes under the limit. Today's snapshot adds at least 17.
    let mut history = String::from("version = 1\n\n[exams.associate]\n");
    let mut day = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    while history.len() < LIMIT - 1000 {
        history += &format!("{} = 1.0\n", day.format("%Y-%m-%d"));
        day = day.succ_opt().unwrap();
    }
    let padding = LIMIT - 5 - history.len() - "\n[exams.]\n2027-01-01 = 1.0\n".len();
    history += &format!("\n[exams.p{}]\n2027-01-01 = 1.0\n", "p".repeat(padding - 1));
    assert_eq!(history.len(), LIMIT - 5);
    let path = env.path("state.history.toml");
    std::fs::write(&path, &history).unwrap();
    let stderr = env.usage_error(&["tick", "3"], &["history file", "more than the 4 MiB"]);
    assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), history);
}

#[test]
fn a_state_past_the_limit_says_the_way_back_and_practice_remove_takes_it() {
    let env = Env::new();
    env.walkthrough();
    // As an older certprep could leave it: a sitting whose note holds 4 MiB.
    let first = sitting("2026-11-20", 30, None);
    let last = sitting("2026-11-22", 40, None);
    let state = format!(
        "{WALKTHROUGH_STATE}{first}{}{last}",
        sitting("2026-11-21", 20, Some(&"x".repeat(LIMIT)))
    );
    env.write_state(&state);
    for args in [&["status"][..], &["prompt"], &["tick", "3"], &["practice"]] {
        let output = env.cmd(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        for needle in [
            &format!("is {} bytes", state.len()),
            "more than the 4 MiB",
            "certprep practice remove N",
        ] {
            assert!(
                stderr.contains(needle),
                "{args:?}: {needle} not in {stderr}"
            );
        }
        assert_eq!(env.state_text(), state, "{args:?}");
    }
    // Removing the first sitting leaves the file past the limit: refused.
    env.usage_error(&["practice", "remove", "1"], &["more than the 4 MiB"]);
    // Removing the one with the long note brings it back: 20/48 = 41.67 % → 42 %.
    let out = env.ok(&["practice", "remove", "2"]);
    assert_eq!(
        out,
        "Removed practice test 2 of associate: 2026-11-21, 20/48 (42%)\n"
    );
    assert_eq!(
        env.state_text(),
        format!("{WALKTHROUGH_STATE}{first}{last}")
    );
    env.ok(&["status"]);
    // A history past the limit is named as what it is, not as the state.
    let history = env.path("state.history.toml");
    std::fs::write(&history, "#".repeat(LIMIT + 1)).unwrap();
    let output = env.cmd(&["tick", "3"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("history file {}", history.display()))
            && !stderr.contains("practice remove"),
        "{stderr}"
    );
}
