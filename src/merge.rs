//! Merging progress that changed apart: on two machines, in two clones of one
//! repository, or in a sync service's "conflicted copy". Pure: the files are read
//! and written by the `merge` command, through the store.
//!
//! Three inputs, as git gives a merge driver: the base both sides started from
//! (`None` when there is none, which unites the two), ours and theirs.
//!
//! - A collection (`ticked`, `days_done`, the practice sittings) is merged element
//!   by element, each element's count in base, ours and theirs as a value
//!   ([`count`]): what either side added survives, the same addition on both sides
//!   is not doubled, and a removal holds when the other side left the element alone.
//! - A single value (`name`, `active`, `started`, `booked`, a rating with the day
//!   it was given) is taken from the side that changed it; a removal on one side
//!   loses to a change on the other; when both changed it to different values, a
//!   rule picks one ([`Choice`] says which and why): the earlier start, the later
//!   exam date, the rating given later (the lower of one day), else ours.
//! - The history is united by exam and date; one date with two values keeps the
//!   larger.

use std::collections::{BTreeMap, BTreeSet};

use crate::history::History;
use crate::state::{Date, Progress, Rating, Sitting, State};
use crate::store::Version;

/// A side of the merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Ours,
    Theirs,
}

/// A value both sides changed, each to something else, and the one kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Where the value lives: `active`, `exams.associate.booked`,
    /// `exams.associate.ratings.databricks-ml`.
    pub field: String,
    pub ours: String,
    pub theirs: String,
    pub kept: Side,
    /// Why that one, in a few words.
    pub rule: &'static str,
}

/// `ours` and `theirs` merged against `base`, and the values that both sides
/// changed differently, in file order.
pub fn states(base: Option<&State>, ours: &State, theirs: &State) -> (State, Vec<Choice>) {
    let empty = State::default();
    let base = base.unwrap_or(&empty);
    let mut choices = Vec::new();
    let name = plain(
        "name",
        value(base.name.as_ref(), ours.name.as_ref(), theirs.name.as_ref()),
        &mut choices,
    );
    let active = plain(
        "active",
        value(
            base.active.as_ref(),
            ours.active.as_ref(),
            theirs.active.as_ref(),
        ),
        &mut choices,
    );
    let no_progress = Progress::default();
    let mut exams = BTreeMap::new();
    let ids: BTreeSet<&String> = [base, ours, theirs]
        .iter()
        .flat_map(|state| state.exams.keys())
        .collect();
    for id in ids {
        let [o, a, b] = [base, ours, theirs].map(|state| state.exams.get(id));
        let merged = progress(
            id,
            o.unwrap_or(&no_progress),
            a.unwrap_or(&no_progress),
            b.unwrap_or(&no_progress),
            &mut choices,
        );
        // An exam with nothing recorded stays as the sides leave it, present or
        // not: `reset` on one side removes it when the other left it alone.
        let listed = count(o.is_some().into(), a.is_some().into(), b.is_some().into()) > 0;
        if merged != no_progress || listed {
            exams.insert(id.clone(), merged);
        }
    }
    let state = State {
        version: Version(ours.version.0.max(theirs.version.0)),
        name,
        active,
        exams,
    };
    (state, choices)
}

/// One exam's progress merged; `exam` names the fields in choices.
fn progress(
    exam: &str,
    o: &Progress,
    a: &Progress,
    b: &Progress,
    choices: &mut Vec<Choice>,
) -> Progress {
    let field = |name: &str| format!("exams.{exam}.{name}");
    let started = match value(o.started.as_ref(), a.started.as_ref(), b.started.as_ref()) {
        Outcome::Settled(started) => started,
        Outcome::Both(ours, theirs) => Some(pick(
            field("started"),
            ours,
            theirs,
            ours <= theirs,
            "the earlier start",
            Date::to_string,
            choices,
        )),
    };
    let booked = match value(o.booked.as_ref(), a.booked.as_ref(), b.booked.as_ref()) {
        Outcome::Settled(booked) => booked,
        Outcome::Both(ours, theirs) => Some(pick(
            field("booked"),
            ours,
            theirs,
            ours >= theirs,
            "the later exam date",
            Date::to_string,
            choices,
        )),
    };
    let mut ratings = BTreeMap::new();
    let mut rated = BTreeMap::new();
    let sections: BTreeSet<&String> = [o, a, b]
        .iter()
        .flat_map(|progress| progress.ratings.keys().chain(progress.rated.keys()))
        .collect();
    for section in sections {
        let [ro, ra, rb] = [o, a, b].map(|progress| RatingEntry::of(progress, section));
        let entry = match value(ro.as_ref(), ra.as_ref(), rb.as_ref()) {
            Outcome::Settled(entry) => entry,
            Outcome::Both(ours, theirs) => {
                let rule = if ours.rated == theirs.rated {
                    "the lower rating of the same day"
                } else {
                    "the rating given later"
                };
                Some(pick(
                    format!("exams.{exam}.ratings.{section}"),
                    ours,
                    theirs,
                    ours.rank() >= theirs.rank(),
                    rule,
                    RatingEntry::to_string,
                    choices,
                ))
            }
        };
        if let Some(entry) = entry {
            if let Some(rating) = entry.rating {
                ratings.insert(section.clone(), rating);
            }
            if let Some(date) = entry.rated {
                rated.insert(section.clone(), date);
            }
        }
    }
    Progress {
        started,
        booked,
        ticked: set(&o.ticked, &a.ticked, &b.ticked),
        days_done: set(&o.days_done, &a.days_done, &b.days_done),
        ratings,
        rated,
        practice: sittings(&o.practice, &a.practice, &b.practice),
    }
}

/// `ours` and `theirs` united: every snapshot of either, and of a date both
/// have with different values, the larger.
pub fn histories(ours: &History, theirs: &History) -> History {
    let mut exams = ours.exams.clone();
    for (exam, days) in &theirs.exams {
        let merged = exams.entry(exam.clone()).or_default();
        for (day, value) in days {
            merged
                .entry(*day)
                .and_modify(|kept| *kept = kept.max(*value))
                .or_insert(*value);
        }
    }
    History {
        version: Version(ours.version.0.max(theirs.version.0)),
        exams,
    }
}

/// How a single value came out of the merge.
#[derive(Debug, PartialEq)]
enum Outcome<'a, T> {
    /// One side's value, or both sides' same value (`None`: removed or absent).
    Settled(Option<T>),
    /// Both sides changed it, to these different values (ours, theirs).
    Both(&'a T, &'a T),
}

/// A single value: the side that changed it wins; a change beats a removal.
fn value<'a, T: Clone + PartialEq>(
    o: Option<&'a T>,
    a: Option<&'a T>,
    b: Option<&'a T>,
) -> Outcome<'a, T> {
    if a == b || b == o {
        Outcome::Settled(a.cloned())
    } else if a == o {
        Outcome::Settled(b.cloned())
    } else {
        match (a, b) {
            (Some(ours), Some(theirs)) => Outcome::Both(ours, theirs),
            (changed, None) | (None, changed) => Outcome::Settled(changed.cloned()),
        }
    }
}

/// A value with no rule of its own (`name`, `active`): ours when both changed it.
fn plain(field: &str, outcome: Outcome<String>, choices: &mut Vec<Choice>) -> Option<String> {
    match outcome {
        Outcome::Settled(value) => value,
        Outcome::Both(ours, theirs) => Some(pick(
            field.to_string(),
            ours,
            theirs,
            true,
            "as both changed it",
            |text: &String| format!("{text:?}"),
            choices,
        )),
    }
}

/// Keeps `ours` when `keep_ours`, else `theirs`, and records the choice.
fn pick<T: Clone>(
    field: String,
    ours: &T,
    theirs: &T,
    keep_ours: bool,
    rule: &'static str,
    show: impl Fn(&T) -> String,
    choices: &mut Vec<Choice>,
) -> T {
    choices.push(Choice {
        field,
        ours: show(ours),
        theirs: show(theirs),
        kept: if keep_ours { Side::Ours } else { Side::Theirs },
        rule,
    });
    if keep_ours { ours } else { theirs }.clone()
}

/// A section's rating with the day it was given, either of which a hand-edited
/// file may lack.
#[derive(Debug, Clone, Copy, PartialEq)]
struct RatingEntry {
    rating: Option<Rating>,
    rated: Option<Date>,
}

impl RatingEntry {
    fn of(progress: &Progress, section: &str) -> Option<RatingEntry> {
        let entry = RatingEntry {
            rating: progress.ratings.get(section).copied(),
            rated: progress.rated.get(section).copied(),
        };
        (entry.rating.is_some() || entry.rated.is_some()).then_some(entry)
    }

    /// Of two ratings, the larger rank is kept: the one given later (an undated
    /// one counts as the oldest), and of one day the lower.
    fn rank(&self) -> (Option<Date>, std::cmp::Reverse<Option<Rating>>) {
        (self.rated, std::cmp::Reverse(self.rating))
    }
}

impl std::fmt::Display for RatingEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.rating {
            Some(rating) => write!(f, "{}", rating.get())?,
            None => f.write_str("no rating")?,
        }
        match self.rated {
            Some(date) => write!(f, " (rated {date})"),
            None => f.write_str(" (undated)"),
        }
    }
}

/// An element's count in the merge, from its counts in base, ours and theirs:
/// changed on one side only, that side's; changed on both, both up the larger,
/// both down the smaller, one up and one down the base plus both changes.
pub fn count(o: usize, a: usize, b: usize) -> usize {
    if a == b || b == o {
        a
    } else if a == o {
        b
    } else if a > o && b > o {
        a.max(b)
    } else if a < o && b < o {
        a.min(b)
    } else {
        // One up, one down: o + (a - o) + (b - o), never below zero.
        a + b - o
    }
}

/// A set merged element by element (each count 0 or 1).
fn set<T: Ord + Clone>(o: &BTreeSet<T>, a: &BTreeSet<T>, b: &BTreeSet<T>) -> BTreeSet<T> {
    o.union(a)
        .chain(b)
        .filter(|element| {
            let [o, a, b] = [o, a, b].map(|set| usize::from(set.contains(element)));
            count(o, a, b) > 0
        })
        .cloned()
        .collect()
}

/// What makes two sittings the same one: date, scores, note and section scores.
type SittingKey<'a> = (
    Date,
    u32,
    u32,
    &'a Option<String>,
    &'a BTreeMap<String, (u32, u32)>,
);

fn key(sitting: &Sitting) -> SittingKey<'_> {
    (
        sitting.on,
        sitting.correct,
        sitting.questions,
        &sitting.note,
        &sitting.sections,
    )
}

/// The practice sittings merged, each distinct sitting counted on each side (a
/// sitting recorded twice with `--again` counts two). In date order; within a
/// day, the base's sittings first in their order, then the new ones in a fixed
/// order, so the result does not depend on which side is ours. When one side
/// has exactly the result (it alone changed, or both did the same), its list is
/// kept as it is.
fn sittings(o: &[Sitting], a: &[Sitting], b: &[Sitting]) -> Vec<Sitting> {
    if a == b || b == o {
        return a.to_vec();
    }
    if a == o {
        return b.to_vec();
    }
    let mut counts: BTreeMap<SittingKey, [usize; 3]> = BTreeMap::new();
    for (side, list) in [o, a, b].into_iter().enumerate() {
        for sitting in list {
            counts.entry(key(sitting)).or_default()[side] += 1;
        }
    }
    let mut left: BTreeMap<SittingKey, usize> = counts
        .into_iter()
        .map(|(key, [o, a, b])| (key, count(o, a, b)))
        .collect();
    let mut merged = Vec::new();
    for sitting in o {
        if let Some(n) = left.get_mut(&key(sitting))
            && *n > 0
        {
            *n -= 1;
            merged.push(sitting.clone());
        }
    }
    let by_key: BTreeMap<SittingKey, &Sitting> = a
        .iter()
        .chain(b)
        .map(|sitting| (key(sitting), sitting))
        .collect();
    for (key, n) in left {
        if let Some(sitting) = by_key.get(&key) {
            merged.extend(std::iter::repeat_n(*sitting, n).cloned());
        }
    }
    // Stable: the base's sittings stay ahead of the new ones of their day.
    merged.sort_by_key(|sitting| sitting.on);
    merged
}

/// One line saying what a choice kept and why.
pub fn describe(choice: &Choice) -> String {
    let kept = match choice.kept {
        Side::Ours => "ours",
        Side::Theirs => "theirs",
    };
    format!(
        "both sides changed {}: ours {}, theirs {}; kept {kept}, {}",
        choice.field, choice.ours, choice.theirs, choice.rule
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::history::DateKey;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn state(text: &str) -> State {
        crate::state::parse(text, Path::new("test.toml")).unwrap()
    }

    fn merged(base: Option<&str>, ours: &str, theirs: &str) -> (String, Vec<Choice>) {
        let base = base.map(state);
        let (state, choices) = states(base.as_ref(), &state(ours), &state(theirs));
        (crate::state::serialize(&state), choices)
    }

    #[test]
    fn counts_by_hand() {
        // (o, a, b) -> merged
        for ((o, a, b), want) in [
            // Equal on both sides: that count.
            ((0, 0, 0), 0),
            ((1, 2, 2), 2),
            ((2, 0, 0), 0),
            // Changed on one side only: that side's.
            ((1, 1, 0), 0),
            ((1, 0, 1), 0),
            ((0, 0, 1), 1),
            ((1, 3, 1), 3),
            // Both up: the larger. Both down: the smaller.
            ((0, 1, 2), 2),
            ((1, 3, 2), 3),
            ((3, 1, 2), 1),
            ((3, 2, 0), 0),
            // One up, one down: the base plus both changes, 2 + 1 - 1.
            ((2, 3, 1), 2),
            ((1, 2, 0), 1),
            ((2, 0, 5), 3),
        ] {
            assert_eq!(count(o, a, b), want, "count({o}, {a}, {b})");
            assert_eq!(count(o, b, a), want, "count({o}, {b}, {a})");
        }
    }

    #[test]
    fn values_by_hand() {
        let (x, y, z) = (&1, &2, &3);
        // Unchanged on one side: the other's, removal included.
        assert_eq!(value(Some(x), Some(x), Some(y)), Outcome::Settled(Some(2)));
        assert_eq!(value(Some(x), Some(y), Some(x)), Outcome::Settled(Some(2)));
        assert_eq!(value(Some(x), None, Some(x)), Outcome::Settled(None));
        assert_eq!(value(None, None, Some(y)), Outcome::Settled(Some(2)));
        // Both the same.
        assert_eq!(value(Some(x), Some(z), Some(z)), Outcome::Settled(Some(3)));
        assert_eq!(value(Some(x), None, None), Outcome::<i32>::Settled(None));
        // Removed on one side, changed on the other: the change.
        assert_eq!(value(Some(x), None, Some(y)), Outcome::Settled(Some(2)));
        assert_eq!(value(Some(x), Some(y), None), Outcome::Settled(Some(2)));
        // Changed on both, differently: for the field's rule.
        assert_eq!(value(Some(x), Some(y), Some(z)), Outcome::Both(y, z));
        assert_eq!(value(None, Some(y), Some(z)), Outcome::Both(y, z));
    }

    const BASE: &str = "version = 1
active = \"associate\"

[exams.associate]
started = 2026-11-20
ticked = [\"automl\", \"mlflow-tracking\"]
days_done = [1, 2]

[exams.associate.ratings]
databricks-ml = 4
model-development = 3

[exams.associate.rated]
databricks-ml = 2026-11-22
model-development = 2026-11-22
";

    #[test]
    fn ticks_and_days_from_both_sides() {
        // Ours ticks model-registry and marks day 3; theirs unticks automl,
        // ticks batch-scoring and marks day 3 too and undoes day 1.
        let ours = BASE
            .replace(
                "[\"automl\", \"mlflow-tracking\"]",
                "[\"automl\", \"mlflow-tracking\", \"model-registry\"]",
            )
            .replace("[1, 2]", "[1, 2, 3]");
        let theirs = BASE
            .replace(
                "[\"automl\", \"mlflow-tracking\"]",
                "[\"batch-scoring\", \"mlflow-tracking\"]",
            )
            .replace("[1, 2]", "[2, 3]");
        let (text, choices) = merged(Some(BASE), &ours, &theirs);
        // automl: 1, 1, 0 -> 0. batch-scoring: 0, 0, 1 -> 1. mlflow-tracking: 1.
        // model-registry: 0, 1, 0 -> 1. Day 1: 1, 1, 0 -> 0; day 2: 1; day 3:
        // 0, 1, 1 -> 1 (once).
        let want = BASE
            .replace(
                "[\"automl\", \"mlflow-tracking\"]",
                "[\"batch-scoring\", \"mlflow-tracking\", \"model-registry\"]",
            )
            .replace("[1, 2]", "[2, 3]");
        assert_eq!(text, want);
        assert!(choices.is_empty());
    }

    #[test]
    fn started_the_earlier_and_booked_the_later() {
        let ours = BASE.replace(
            "started = 2026-11-20",
            "started = 2026-11-18\nbooked = 2027-01-15",
        );
        let theirs = BASE.replace(
            "started = 2026-11-20",
            "started = 2026-11-19\nbooked = 2027-01-20",
        );
        let (text, choices) = merged(Some(BASE), &ours, &theirs);
        assert_eq!(
            text,
            BASE.replace(
                "started = 2026-11-20",
                "started = 2026-11-18\nbooked = 2027-01-20"
            )
        );
        assert_eq!(
            choices,
            [
                Choice {
                    field: "exams.associate.started".into(),
                    ours: "2026-11-18".into(),
                    theirs: "2026-11-19".into(),
                    kept: Side::Ours,
                    rule: "the earlier start",
                },
                Choice {
                    field: "exams.associate.booked".into(),
                    ours: "2027-01-15".into(),
                    theirs: "2027-01-20".into(),
                    kept: Side::Theirs,
                    rule: "the later exam date",
                },
            ]
        );
        assert_eq!(
            describe(&choices[1]),
            "both sides changed exams.associate.booked: ours 2027-01-15, theirs 2027-01-20; kept theirs, the later exam date"
        );
        // Swapped, the same values are kept, from the other side.
        let (swapped, choices) = merged(Some(BASE), &theirs, &ours);
        assert_eq!(swapped, text);
        assert_eq!(choices[0].kept, Side::Theirs);
        assert_eq!(choices[1].kept, Side::Ours);
    }

    #[test]
    fn a_booking_cleared_on_one_side_and_moved_on_the_other_is_moved() {
        let base = BASE.replace(
            "started = 2026-11-20",
            "started = 2026-11-20\nbooked = 2027-01-15",
        );
        let cleared = BASE.to_string();
        let moved = BASE.replace(
            "started = 2026-11-20",
            "started = 2026-11-20\nbooked = 2027-02-01",
        );
        for (ours, theirs) in [(&cleared, &moved), (&moved, &cleared)] {
            let (text, choices) = merged(Some(&base), ours, theirs);
            assert_eq!(text, moved);
            assert!(choices.is_empty());
        }
        // Cleared on one side and left alone on the other: cleared.
        let (text, _) = merged(Some(&base), &cleared, &base);
        assert_eq!(text, cleared);
    }

    #[test]
    fn ratings_the_later_one_and_of_one_day_the_lower() {
        // databricks-ml: ours 5 on the 23rd, theirs 3 on the 24th: theirs, later.
        // model-development: ours 2, theirs 4, both on the 23rd: ours, lower.
        let rate = |dbx: &str, dbx_on: &str, dev: &str, dev_on: &str| {
            BASE.replace("databricks-ml = 4", &format!("databricks-ml = {dbx}"))
                .replace(
                    "model-development = 3",
                    &format!("model-development = {dev}"),
                )
                .replace(
                    "databricks-ml = 2026-11-22",
                    &format!("databricks-ml = {dbx_on}"),
                )
                .replace(
                    "model-development = 2026-11-22",
                    &format!("model-development = {dev_on}"),
                )
        };
        let ours = rate("5", "2026-11-23", "2", "2026-11-23");
        let theirs = rate("3", "2026-11-24", "4", "2026-11-23");
        let (text, choices) = merged(Some(BASE), &ours, &theirs);
        assert_eq!(text, rate("3", "2026-11-24", "2", "2026-11-23"));
        let described: Vec<String> = choices.iter().map(describe).collect();
        assert_eq!(
            described,
            [
                "both sides changed exams.associate.ratings.databricks-ml: ours 5 (rated 2026-11-23), theirs 3 (rated 2026-11-24); kept theirs, the rating given later",
                "both sides changed exams.associate.ratings.model-development: ours 2 (rated 2026-11-23), theirs 4 (rated 2026-11-23); kept ours, the lower rating of the same day",
            ]
        );
        // A rating cleared on one side and changed on the other: the change.
        let cleared = BASE
            .replace("model-development = 3\n", "")
            .replace("model-development = 2026-11-22\n", "");
        let changed = rate("4", "2026-11-22", "5", "2026-11-25");
        let (text, choices) = merged(Some(BASE), &cleared, &changed);
        assert_eq!(text, changed);
        assert!(choices.is_empty());
        // Cleared on one side, left alone on the other: cleared.
        let (text, _) = merged(Some(BASE), BASE, &cleared);
        assert_eq!(text, cleared);
    }

    #[test]
    fn name_and_active_ours_when_both_changed_them() {
        let ours = BASE.replace(
            "active = \"associate\"",
            "name = \"Ana\"\nactive = \"professional\"",
        );
        let theirs = BASE.replace(
            "active = \"associate\"",
            "name = \"Ana Lima\"\nactive = \"associate\"",
        );
        let (text, choices) = merged(Some(BASE), &ours, &theirs);
        // name: both set it differently: ours. active: only ours changed it.
        assert_eq!(text, ours);
        assert_eq!(choices.len(), 1);
        assert_eq!(
            describe(&choices[0]),
            "both sides changed name: ours \"Ana\", theirs \"Ana Lima\"; kept ours, as both changed it"
        );
    }

    const SITTINGS: &str = "
[[exams.associate.practice]]
on = 2026-11-21
correct = 26
questions = 48

[[exams.associate.practice]]
on = 2026-11-25
correct = 30
questions = 48
";

    fn with_sittings(sittings: &[(&str, u32)]) -> String {
        let mut text = BASE.to_string();
        for (on, correct) in sittings {
            text += &format!(
                "\n[[exams.associate.practice]]\non = {on}\ncorrect = {correct}\nquestions = 48\n"
            );
        }
        text
    }

    #[test]
    fn sittings_added_on_both_sides_and_removed_on_one() {
        let base = with_sittings(&[("2026-11-21", 26), ("2026-11-25", 30)]);
        assert_eq!(base, format!("{BASE}{SITTINGS}"));
        // Ours removes the 21st's and adds one on the 25th; theirs adds one on
        // the 25th and one on the 23rd.
        let ours = with_sittings(&[("2026-11-25", 30), ("2026-11-25", 40)]);
        let theirs = with_sittings(&[
            ("2026-11-21", 26),
            ("2026-11-23", 33),
            ("2026-11-25", 30),
            ("2026-11-25", 35),
        ]);
        let (text, choices) = merged(Some(&base), &ours, &theirs);
        // 21st/26: 1, 0, 1 -> 0. 23rd/33: 0, 0, 1 -> 1. 25th/30: 1, 1, 1 -> 1,
        // the base's, first of its day; then the two new ones of the 25th, 35
        // before 40 (the fixed order), whichever side is ours.
        let want = with_sittings(&[
            ("2026-11-23", 33),
            ("2026-11-25", 30),
            ("2026-11-25", 35),
            ("2026-11-25", 40),
        ]);
        assert_eq!(text, want);
        assert!(choices.is_empty());
        assert_eq!(merged(Some(&base), &theirs, &ours).0, want);
    }

    #[test]
    fn one_sitting_recorded_again_on_both_sides_counts_the_larger() {
        // The base has one; ours records it again (2), theirs twice more (3):
        // both up, the larger, 3. Had theirs removed it (0) while ours added one
        // (2): 2 + 0 - 1 = 1.
        let one = with_sittings(&[("2026-11-21", 26)]);
        let two = with_sittings(&[("2026-11-21", 26), ("2026-11-21", 26)]);
        let three = with_sittings(&[("2026-11-21", 26), ("2026-11-21", 26), ("2026-11-21", 26)]);
        assert_eq!(merged(Some(&one), &two, &three).0, three);
        assert_eq!(merged(Some(&one), &two, BASE).0, one);
    }

    #[test]
    fn an_exam_reset_on_one_side() {
        let with_pro = format!(
            "{BASE}\n[exams.professional]\nstarted = 2026-11-01\nticked = [\"uc-governance\"]\ndays_done = []\n"
        );
        // Theirs reset professional; ours left it alone: gone.
        assert_eq!(merged(Some(&with_pro), &with_pro, BASE).0, BASE);
        // Ours ticked one more item there meanwhile: that tick survives, what
        // theirs erased and ours left alone does not.
        let ticked_more = with_pro.replace(
            "[\"uc-governance\"]",
            "[\"drift-monitoring\", \"uc-governance\"]",
        );
        assert_eq!(
            merged(Some(&with_pro), &ticked_more, BASE).0,
            format!(
                "{BASE}\n[exams.professional]\nticked = [\"drift-monitoring\"]\ndays_done = []\n"
            )
        );
    }

    #[test]
    fn without_a_base_the_two_are_united() {
        let ours = BASE.replace("[1, 2]", "[1, 2, 4]");
        let theirs = with_sittings(&[("2026-11-21", 26)])
            .replace("[\"automl\", \"mlflow-tracking\"]", "[\"model-registry\"]")
            .replace("active = \"associate\"", "active = \"professional\"");
        let (text, choices) = merged(None, &ours, &theirs);
        let want = with_sittings(&[("2026-11-21", 26)])
            .replace(
                "[\"automl\", \"mlflow-tracking\"]",
                "[\"automl\", \"mlflow-tracking\", \"model-registry\"]",
            )
            .replace("[1, 2]", "[1, 2, 4]");
        assert_eq!(text, want);
        // Both "added" an active exam, differently: ours.
        assert_eq!(choices.len(), 1);
        assert_eq!(choices[0].field, "active");
    }

    #[test]
    fn histories_are_united_keeping_the_larger() {
        let day = |text: &str| DateKey(date(text).0);
        let history = |entries: &[(&str, &str, f64)]| {
            let mut history = History::default();
            for (exam, on, value) in entries {
                history
                    .exams
                    .entry(exam.to_string())
                    .or_default()
                    .insert(day(on), *value);
            }
            history
        };
        let ours = history(&[
            ("associate", "2026-11-20", 10.0),
            ("associate", "2026-11-22", 30.0),
        ]);
        let theirs = history(&[
            ("associate", "2026-11-21", 20.0),
            ("associate", "2026-11-22", 35.5),
            ("professional", "2026-11-22", 5.0),
        ]);
        let want = history(&[
            ("associate", "2026-11-20", 10.0),
            ("associate", "2026-11-21", 20.0),
            ("associate", "2026-11-22", 35.5),
            ("professional", "2026-11-22", 5.0),
        ]);
        assert_eq!(histories(&ours, &theirs), want);
        assert_eq!(histories(&theirs, &ours), want);
    }

    /// Property tests: a base and two sides grown from it by the changes the
    /// commands make (tick, untick, done, undone, rate, rate --clear, practice
    /// add and remove, book, book --clear, start, use, reset, name).
    mod properties {
        use proptest::prelude::*;

        use super::*;
        use crate::state::serialize;

        const EXAMS: [&str; 2] = ["associate", "professional"];
        const ITEMS: [&str; 4] = [
            "automl",
            "mlflow-tracking",
            "model-registry",
            "batch-scoring",
        ];
        const SECTIONS: [&str; 3] = ["databricks-ml", "ml-workflows", "model-development"];
        const NAMES: [&str; 3] = ["Ann", "Ann Lee", "Bo"];

        /// One command's change to the progress file.
        #[derive(Debug, Clone)]
        enum Op {
            Tick(usize, usize),
            Untick(usize, usize),
            Done(usize, u32),
            Undone(usize, u32),
            Rate(usize, usize, u8, u32),
            ClearRating(usize, usize),
            PracticeAdd(usize, u32, u32, bool),
            PracticeRemove(usize, usize),
            Book(usize, Option<u32>),
            Start(usize, Option<u32>),
            Use(usize),
            Reset(usize),
            Name(Option<usize>),
        }

        /// A day of November 2026.
        fn day(n: u32) -> Date {
            Date::parse(&format!("2026-11-{:02}", n)).unwrap()
        }

        fn op() -> impl Strategy<Value = Op> {
            let exam = 0..EXAMS.len();
            prop_oneof![
                3 => (exam.clone(), 0..ITEMS.len()).prop_map(|(e, i)| Op::Tick(e, i)),
                1 => (exam.clone(), 0..ITEMS.len()).prop_map(|(e, i)| Op::Untick(e, i)),
                3 => (exam.clone(), 1..6u32).prop_map(|(e, d)| Op::Done(e, d)),
                1 => (exam.clone(), 1..6u32).prop_map(|(e, d)| Op::Undone(e, d)),
                3 => (exam.clone(), 0..SECTIONS.len(), 1..=5u8, 1..=30u32)
                    .prop_map(|(e, s, r, d)| Op::Rate(e, s, r, d)),
                1 => (exam.clone(), 0..SECTIONS.len()).prop_map(|(e, s)| Op::ClearRating(e, s)),
                3 => (exam.clone(), 20..=23u32, 20..=48u32, any::<bool>())
                    .prop_map(|(e, d, c, n)| Op::PracticeAdd(e, d, c, n)),
                1 => (exam.clone(), 0..3usize).prop_map(|(e, n)| Op::PracticeRemove(e, n)),
                1 => (exam.clone(), proptest::option::of(1..=30u32)).prop_map(|(e, d)| Op::Book(e, d)),
                1 => (exam.clone(), proptest::option::of(1..=30u32)).prop_map(|(e, d)| Op::Start(e, d)),
                1 => exam.clone().prop_map(Op::Use),
                1 => exam.prop_map(Op::Reset),
                1 => proptest::option::of(0..NAMES.len()).prop_map(Op::Name),
            ]
        }

        /// Applies `op` as the command does (see `commands/`).
        fn apply(state: &mut State, op: &Op) {
            let id = |e: usize| EXAMS[e].to_string();
            match *op {
                Op::Tick(e, i) => {
                    state.progress_mut(&id(e)).ticked.insert(ITEMS[i].into());
                }
                Op::Untick(e, i) => {
                    if let Some(progress) = state.exams.get_mut(&id(e)) {
                        progress.ticked.remove(ITEMS[i]);
                    }
                }
                Op::Done(e, d) => {
                    state.progress_mut(&id(e)).days_done.insert(d);
                }
                Op::Undone(e, d) => {
                    if let Some(progress) = state.exams.get_mut(&id(e)) {
                        progress.days_done.remove(&d);
                    }
                }
                Op::Rate(e, s, r, d) => {
                    let progress = state.progress_mut(&id(e));
                    progress
                        .ratings
                        .insert(SECTIONS[s].into(), Rating::new(r).unwrap());
                    progress.rated.insert(SECTIONS[s].into(), day(d));
                }
                Op::ClearRating(e, s) => {
                    if let Some(progress) = state.exams.get_mut(&id(e)) {
                        progress.ratings.remove(SECTIONS[s]);
                        progress.rated.remove(SECTIONS[s]);
                    }
                }
                Op::PracticeAdd(e, d, correct, noted) => {
                    // `--again` or not: a sitting like one recorded is recorded again.
                    state.progress_mut(&id(e)).add_sitting(Sitting {
                        on: day(d),
                        correct,
                        questions: 48,
                        note: noted.then(|| "set A".to_string()),
                        sections: BTreeMap::new(),
                    });
                }
                Op::PracticeRemove(e, n) => {
                    if let Some(progress) = state.exams.get_mut(&id(e))
                        && n < progress.practice.len()
                    {
                        progress.practice.remove(n);
                    }
                }
                Op::Book(e, d) => match d {
                    Some(d) => state.progress_mut(&id(e)).booked = Some(day(d)),
                    None => {
                        if let Some(progress) = state.exams.get_mut(&id(e)) {
                            progress.booked = None;
                        }
                    }
                },
                Op::Start(e, on) => {
                    state.active = Some(id(e));
                    let started = &mut state.progress_mut(&id(e)).started;
                    match (*started, on) {
                        (None, on) => *started = Some(day(on.unwrap_or(22))),
                        (Some(_), Some(on)) => *started = Some(day(on)),
                        (Some(_), None) => {}
                    }
                }
                Op::Use(e) => state.active = Some(id(e)),
                Op::Reset(e) => {
                    state.exams.remove(&id(e));
                }
                Op::Name(name) => state.name = name.map(|n| NAMES[n].to_string()),
            }
        }

        /// The file a command leaves: written in canonical bytes, read back.
        fn saved(state: &State) -> State {
            crate::state::parse(&serialize(state), Path::new("s.toml")).unwrap()
        }

        fn grown(base: &State, ops: &[Op]) -> State {
            let mut state = base.clone();
            for op in ops {
                apply(&mut state, op);
            }
            saved(&state)
        }

        /// A base grown from nothing, and two sides grown from it apart.
        fn three() -> impl Strategy<Value = (State, State, State)> {
            (
                prop::collection::vec(op(), 0..12),
                prop::collection::vec(op(), 0..8),
                prop::collection::vec(op(), 0..8),
            )
                .prop_map(|(base, ours, theirs)| {
                    let base = grown(&State::default(), &base);
                    let ours = grown(&base, &ours);
                    let theirs = grown(&base, &theirs);
                    (base, ours, theirs)
                })
        }

        fn sitting_counts(state: &State, exam: &str) -> BTreeMap<String, usize> {
            let mut counts = BTreeMap::new();
            for sitting in state.exams.get(exam).map_or(&[][..], |p| &p.practice[..]) {
                *counts.entry(format!("{sitting:?}")).or_default() += 1;
            }
            counts
        }

        /// What `side` added since `base` is in `merged`: set elements, sittings
        /// (as many as were added), and a value it set (some value is there).
        fn keeps_additions(
            base: &State,
            side: &State,
            merged: &State,
        ) -> Result<(), TestCaseError> {
            let none = Progress::default();
            for (exam, progress) in &side.exams {
                let before = base.exams.get(exam).unwrap_or(&none);
                let after = merged.exams.get(exam);
                let after = after.unwrap_or(&none);
                for item in progress.ticked.difference(&before.ticked) {
                    prop_assert!(after.ticked.contains(item), "{exam} {item}");
                }
                for d in progress.days_done.difference(&before.days_done) {
                    prop_assert!(after.days_done.contains(d), "{exam} day {d}");
                }
                let (o, m) = (sitting_counts(base, exam), sitting_counts(merged, exam));
                for (sitting, n) in sitting_counts(side, exam) {
                    let added = n.saturating_sub(o.get(&sitting).copied().unwrap_or(0));
                    prop_assert!(m.get(&sitting).copied().unwrap_or(0) >= added, "{sitting}");
                }
                for (section, rating) in &progress.ratings {
                    if before.ratings.get(section) != Some(rating)
                        || before.rated.get(section) != progress.rated.get(section)
                    {
                        prop_assert!(after.ratings.contains_key(section), "{exam} {section}");
                    }
                }
                if progress.started.is_some() && progress.started != before.started {
                    prop_assert!(after.started.is_some());
                }
                if progress.booked.is_some() && progress.booked != before.booked {
                    prop_assert!(after.booked.is_some());
                }
            }
            if side.name.is_some() && side.name != base.name {
                prop_assert!(merged.name.is_some());
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1000))]

            #[test]
            fn nothing_either_side_added_is_lost((base, ours, theirs) in three()) {
                let (merged, _) = states(Some(&base), &ours, &theirs);
                keeps_additions(&base, &ours, &merged)?;
                keeps_additions(&base, &theirs, &merged)?;
            }

            #[test]
            fn the_same_side_twice_or_one_side_alone_is_that_side(
                (base, ours, theirs) in three()
            ) {
                let text = |state: &State| serialize(state);
                let (same, choices) = states(Some(&base), &ours, &ours);
                prop_assert_eq!(text(&same), text(&ours));
                prop_assert!(choices.is_empty());
                let (theirs_alone, choices) = states(Some(&base), &base, &theirs);
                prop_assert_eq!(text(&theirs_alone), text(&theirs));
                prop_assert!(choices.is_empty());
                let (ours_alone, _) = states(Some(&base), &ours, &base);
                prop_assert_eq!(text(&ours_alone), text(&ours));
            }

            #[test]
            fn swapping_the_sides_changes_only_what_went_to_ours(
                (base, ours, theirs) in three()
            ) {
                let (mut one, choices_one) = states(Some(&base), &ours, &theirs);
                let (mut two, choices_two) = states(Some(&base), &theirs, &ours);
                let fields = |choices: &[Choice]| -> Vec<String> {
                    choices.iter().map(|choice| choice.field.clone()).collect()
                };
                prop_assert_eq!(fields(&choices_one), fields(&choices_two));
                for choice in &choices_one {
                    match choice.field.as_str() {
                        "name" => {
                            prop_assert_eq!(&one.name, &ours.name);
                            prop_assert_eq!(&two.name, &theirs.name);
                            (one.name, two.name) = (None, None);
                        }
                        "active" => {
                            prop_assert_eq!(&one.active, &ours.active);
                            prop_assert_eq!(&two.active, &theirs.active);
                            (one.active, two.active) = (None, None);
                        }
                        // Every other field has a rule that picks the same value.
                        _ => {}
                    }
                }
                prop_assert_eq!(serialize(&one), serialize(&two));
            }

            #[test]
            fn the_result_reads_back_and_is_canonical((base, ours, theirs) in three()) {
                for base in [Some(&base), None] {
                    let (merged, _) = states(base, &ours, &theirs);
                    let text = serialize(&merged);
                    let read = crate::state::parse(&text, Path::new("merged.toml"));
                    prop_assert!(read.is_ok(), "{}", text);
                    let read = read.unwrap();
                    prop_assert_eq!(&read, &merged);
                    prop_assert_eq!(serialize(&read), text);
                }
            }

            #[test]
            fn without_a_base_everything_of_both_sides_is_kept(
                (_, ours, theirs) in three()
            ) {
                let (merged, _) = states(None, &ours, &theirs);
                let empty = State::default();
                keeps_additions(&empty, &ours, &merged)?;
                keeps_additions(&empty, &theirs, &merged)?;
            }

            #[test]
            fn histories_unite_in_either_order(
                ours in prop::collection::btree_map(1..=30u32, 0..=100u32, 0..10),
                theirs in prop::collection::btree_map(1..=30u32, 0..=100u32, 0..10),
            ) {
                let history = |days: &BTreeMap<u32, u32>| {
                    let mut history = History::default();
                    let exam = history.exams.entry("associate".into()).or_default();
                    for (d, value) in days {
                        exam.insert(DateKey(day(*d).0), f64::from(*value) / 2.0);
                    }
                    history
                };
                let (a, b) = (history(&ours), history(&theirs));
                let merged = histories(&a, &b);
                prop_assert_eq!(&merged, &histories(&b, &a));
                prop_assert_eq!(&histories(&a, &a), &a);
                let days = &merged.exams["associate"];
                for (d, value) in ours.iter().chain(&theirs) {
                    prop_assert!(days[&DateKey(day(*d).0)] >= f64::from(*value) / 2.0);
                }
                prop_assert_eq!(days.len(), ours.keys().chain(theirs.keys()).collect::<BTreeSet<_>>().len());
            }
        }
    }
}
