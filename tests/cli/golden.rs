//! Golden files: the human output of `status`, `guide`, `plan`, `today`, `next`,
//! `why` and `history` after the associate walkthrough (today 2026-11-22), compared
//! byte for byte with `tests/cli/golden/NAME.txt`. The other tests check numbers
//! and phrases with `contains`; these catch any change to the layout, so that a
//! change to what a command prints is always a reviewed change.
//!
//! Output is piped, so there is no colour, except in `status-color.txt`. A
//! mismatch fails; `GOLDEN_BLESS=1 cargo test --test cli golden::` rewrites the
//! files with what the program printed instead. Read the diff before keeping it:
//! each file was checked by hand against tests/cli/walkthrough.rs and
//! tests/cli/guidance.rs, whose numbers are worked out from the guide.

use std::fs;
use std::path::PathBuf;

use crate::common::{Env, crate_file};

/// Compares `actual` with the golden file `name`, or rewrites the file when
/// `GOLDEN_BLESS` is set.
fn check_golden(name: &str, actual: &str) {
    let path: PathBuf = crate_file("tests/cli/golden").join(format!("{name}.txt"));
    if std::env::var_os("GOLDEN_BLESS").is_some() {
        fs::write(&path, actual).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        return;
    }
    let expected = fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error} (GOLDEN_BLESS=1 writes it)", path.display()));
    if actual == expected {
        return;
    }
    let first_difference = expected
        .lines()
        .zip(actual.lines())
        .position(|(expected, actual)| expected != actual)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
    panic!(
        "{} differs from the output, first at line {}; if the change is meant, \
         GOLDEN_BLESS=1 rewrites it.\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display(),
        first_difference + 1
    );
}

/// The golden output of `certprep ARGS` after the walkthrough.
fn check_after_walkthrough(name: &str, args: &[&str]) {
    let env = Env::new();
    env.walkthrough();
    check_golden(name, &env.ok(args));
}

#[test]
fn status() {
    check_after_walkthrough("status", &["status"]);
}

#[test]
fn status_in_colour() {
    check_after_walkthrough("status-color", &["status", "--color", "always"]);
}

#[test]
fn guide() {
    check_after_walkthrough("guide", &["guide"]);
}

#[test]
fn plan() {
    check_after_walkthrough("plan", &["plan"]);
}

#[test]
fn today() {
    check_after_walkthrough("today", &["today"]);
}

#[test]
fn next() {
    check_after_walkthrough("next", &["next"]);
}

#[test]
fn why() {
    check_after_walkthrough("why", &["why", "databricks-ml"]);
}

#[test]
fn history() {
    check_after_walkthrough("history", &["history"]);
}
