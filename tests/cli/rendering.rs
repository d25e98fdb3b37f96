//! Tables take time linear in the text they show, however long one word of it
//! is: a note or a section name of hundreds of thousands of characters, which a
//! file may hold, is cut in its cell instead of wrapped line by line.

use std::time::{Duration, Instant};

use crate::common::{Env, MYCERT, WALKTHROUGH_STATE};

/// How long the slowest linear run may take, in a debug build on a busy machine.
const GENEROUS: Duration = Duration::from_secs(5);

/// The shortest of three runs of `args` (each must succeed), and its stdout. A
/// run past [`GENEROUS`] is not repeated.
fn fastest(env: &Env, args: &[&str]) -> (Duration, String) {
    let mut best = Duration::MAX;
    let mut stdout = String::new();
    for _ in 0..3 {
        let started = Instant::now();
        stdout = env.ok(args);
        best = best.min(started.elapsed());
        if best > GENEROUS {
            break;
        }
    }
    (best, stdout)
}

/// Four times the text may take up to eight times as long (linear work takes
/// about four times, plus the process's fixed cost; quadratic work sixteen), and
/// a fixed 200 ms more: the runs take milliseconds, and one descheduling on a
/// machine running the rest of the suite could pass eight times that, while the
/// quadratic rendering took seconds here (200 000 characters: over a minute).
fn assert_linear(small: Duration, large: Duration, what: &str) {
    assert!(
        large < GENEROUS && large < small * 8 + Duration::from_millis(200),
        "{what}: 50 000 characters took {small:?}, 200 000 took {large:?}"
    );
}

/// The walkthrough's state with one sitting whose note is `length` ж's, written
/// directly: `practice add` takes 500 characters at most, but an older certprep
/// recorded notes of any length.
fn state_with_a_note(length: usize) -> String {
    format!(
        "{WALKTHROUGH_STATE}\n[[exams.associate.practice]]\non = 2026-11-21\ncorrect = 30\nquestions = 48\nnote = \"{}\"\n",
        "ж".repeat(length)
    )
}

#[test]
fn the_practice_list_with_a_long_note_takes_linear_time() {
    let env = Env::new();
    let mut times = Vec::new();
    for length in [50_000, 200_000] {
        env.write_state(state_with_a_note(length));
        let (time, stdout) = fastest(&env, &["practice"]);
        // The note is cut in its cell (which wraps it): 160 of its characters
        // and "…".
        assert_eq!(stdout.matches('ж').count(), 160, "{stdout}");
        assert_eq!(stdout.matches('…').count(), 1, "{stdout}");
        times.push(time);
    }
    assert_linear(times[0], times[1], "practice list");
    // The JSON keeps the note whole.
    let json = env.json(&["practice", "--json"]);
    assert_eq!(json["sittings"][0]["note"], "ж".repeat(200_000));
}

#[test]
fn status_with_a_long_section_name_takes_linear_time() {
    let env = Env::new();
    let mut times = Vec::new();
    for length in [50_000, 200_000] {
        let name = "ж".repeat(length);
        env.install_guide(
            "mycert.yaml",
            &MYCERT.replacen("name: Basics", &format!("name: {name}"), 1),
        );
        env.ok(&["start", "mycert"]);
        let (time, stdout) = fastest(&env, &["status"]);
        // The section's row shows 160 characters of its name, wrapped, and "…";
        // the Weakest line under the table (Basics, unrated, loses 3 of its 6
        // questions, Advanced 2 of 4) 40 of them and "…".
        assert_eq!(stdout.matches('ж').count(), 160 + 40, "{stdout}");
        assert_eq!(stdout.matches('…').count(), 2, "{stdout}");
        times.push(time);
    }
    assert_linear(times[0], times[1], "status");
}
