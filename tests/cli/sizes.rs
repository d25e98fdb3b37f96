//! Size limits: a note is at most 500 characters, and no change writes a state or
//! history file larger than the 4 MiB certprep reads (`store::MAX_FILE_BYTES`),
//! so no command can lock a learner out of their own progress; a state an older
//! certprep let grow past it is refused with the way back, and `practice remove`
//! still reads it.

use crate::common::Env;

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
