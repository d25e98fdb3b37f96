//! The user guide parser and validator (README: Your own guides) on arbitrary
//! text: it returns a valid guide or the problems found, and never panics or
//! runs away with time or memory (alias bombs, deep nesting). A guide that
//! validates has a plan of days 1..N.

#![no_main]

use certprep::guide::Guide;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Guide::from_yaml(text, "fuzz.yaml") {
        Ok(guide) => {
            for day in 1..=guide.plan_days() {
                assert!(guide.plan_entry(day).is_some(), "no entry for day {day}");
            }
        }
        Err(error) => {
            assert!(!error.problems.is_empty());
            let _ = error.to_string();
        }
    }
});
