//! What to study next: advice that follows the evidence. Readiness says how much
//! of the preparation is done; the forecast says what the exam is expected to
//! cost, section by section. Advice follows the forecast, so that what certprep
//! tells a learner to study never contradicts their own practice tests, and each
//! action shows both figures. Pure: today and the data come in as arguments.

use chrono::NaiveDate;
use serde::Serialize;

use crate::forecast::Forecast;
use crate::guide::Guide;
use crate::readiness::assess;
use crate::round::nine_places;
use crate::schedule;
use crate::state::{Progress, Rating};

/// The kind of a [`Step`], as `next --json` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Take a practice test.
    Practice,
    /// Tick a checklist item.
    Tick,
    /// Mark a plan day done.
    Day,
    /// Rate a section, or change its rating.
    Rate,
}

/// What the learner does, with the thing it names in its own type (an item id,
/// a day number, a section id), so nothing is parsed back out of a string.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Take a practice test: `urgent` when the exam is near or half the plan is
    /// done and there is no recent one.
    Practice { urgent: bool, why: PracticeDue },
    /// Tick a checklist item.
    Tick { item: String },
    /// Mark a plan day done.
    Day { day: u32 },
    /// Rate a section `suggested` (what its practice evidence says), or, without
    /// evidence, rate an unrated section at all (`suggested` is `None`).
    Rate {
        section: String,
        suggested: Option<u8>,
        /// The section's rating now; `None` while it is unrated.
        current: Option<u8>,
    },
}

/// Why a practice test is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PracticeDue {
    /// No practice test recorded yet.
    NoneYet,
    /// The newest one is this many days old.
    Old(i64),
}

impl Step {
    /// What kind of step this is, without the thing it names.
    pub fn kind(&self) -> ActionKind {
        match self {
            Step::Practice { .. } => ActionKind::Practice,
            Step::Tick { .. } => ActionKind::Tick,
            Step::Day { .. } => ActionKind::Day,
            Step::Rate { .. } => ActionKind::Rate,
        }
    }
}

/// One piece of advice: a step, what it is worth, and the section it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub step: Step,
    /// Points of overall readiness the action adds (a re-rating that lowers a
    /// rating takes some away; a practice test adds none).
    pub points: f64,
    /// Index of the section it is about: of the sections a study action trains,
    /// the one the forecast expects to lose most on; a re-rated section; for a
    /// practice test, the weakest section.
    pub section: usize,
    /// The expected lost points of that section.
    pub lost: f64,
}

/// A practice test is due when the newest is older than this many days.
pub const PRACTICE_DUE_AFTER_DAYS: i64 = 14;

/// An exam this many days away or fewer makes a due practice test urgent.
const EXAM_NEAR_DAYS: i64 = 14;

/// Practice answers a section needs before its evidence can contradict a rating.
const ANSWERS_TO_JUDGE_A_RATING: f64 = 5.0;

/// How far a rating may be from what the evidence suggests before it is listed.
const RATING_GAP: u8 = 2;

/// The advice, in order: an urgent practice test; study actions (tick an item, do
/// a plan day) by the expected lost points of the weakest section each trains,
/// then by the readiness points it adds, then in guide order; re-ratings where a
/// rating and the practice evidence disagree (and unrated sections); then a
/// practice test that is due but not urgent.
pub fn advice(
    guide: &Guide,
    progress: &Progress,
    forecast: &Forecast,
    today: NaiveDate,
) -> Vec<Action> {
    let lost: Vec<f64> = guide
        .sections
        .iter()
        .map(|section| {
            forecast
                .section(&section.id)
                .map_or(0.0, |found| found.lost)
        })
        .collect();
    let weakest = weakest_index(guide, forecast);
    let practice = practice_due(guide, progress, today).map(|(urgent, why)| Action {
        step: Step::Practice { urgent, why },
        points: 0.0,
        section: weakest,
        lost: lost.get(weakest).copied().unwrap_or(0.0),
    });
    let mut actions = Vec::new();
    if let Some(action) = practice
        .clone()
        .filter(|action| matches!(action.step, Step::Practice { urgent: true, .. }))
    {
        actions.push(action);
    }
    let mut study = study_actions(guide, progress, &lost);
    // Stable: equal keys keep the guide order (items, then days).
    study.sort_by(|a, b| {
        nine_places(b.lost)
            .total_cmp(&nine_places(a.lost))
            .then(b.points.total_cmp(&a.points))
    });
    actions.extend(study);
    let mut ratings = rating_actions(guide, progress, forecast, &lost);
    ratings.sort_by(|a, b| nine_places(b.lost).total_cmp(&nine_places(a.lost)));
    actions.extend(ratings);
    if let Some(action) =
        practice.filter(|action| matches!(action.step, Step::Practice { urgent: false, .. }))
    {
        actions.push(action);
    }
    actions
}

/// The outline index of the forecast's weakest section (0 for an empty outline).
pub fn weakest_index(guide: &Guide, forecast: &Forecast) -> usize {
    forecast
        .weakest()
        .and_then(|weakest| guide.section_index(&weakest.id))
        .unwrap_or(0)
}

/// Whether a practice test is due, and whether urgently: due when there is none,
/// or the newest is more than [`PRACTICE_DUE_AFTER_DAYS`] old; urgent when the
/// booked exam is at most [`EXAM_NEAR_DAYS`] away or half the plan's days are done.
fn practice_due(
    guide: &Guide,
    progress: &Progress,
    today: NaiveDate,
) -> Option<(bool, PracticeDue)> {
    let why = match progress.practice.iter().map(|sitting| sitting.on.0).max() {
        None => PracticeDue::NoneYet,
        Some(newest) => {
            let age = (today - newest).num_days();
            if age <= PRACTICE_DUE_AFTER_DAYS {
                return None;
            }
            PracticeDue::Old(age)
        }
    };
    let exam_near = progress
        .booked
        .is_some_and(|date| (0..=EXAM_NEAR_DAYS).contains(&schedule::days_until(date.0, today)));
    let days = guide.plan_days();
    let half_done = days > 0 && 2 * schedule::days_done(&progress.days_done, days) >= days;
    Some((exam_near || half_done, why))
}

/// Every tick and plan day that adds readiness, in guide order, each with the
/// trained section the forecast expects to lose most on.
fn study_actions(guide: &Guide, progress: &Progress, lost: &[f64]) -> Vec<Action> {
    let base = assess(guide, progress);
    let mut actions = Vec::new();
    let mut consider = |step, trains: &[String], after: Progress| {
        let points = nine_places(assess(guide, &after).overall - base.overall);
        let section = trains
            .iter()
            .filter_map(|id| guide.section_index(id))
            // The earlier section of equal ones: max_by keeps the last maximum.
            .rev()
            .max_by(|&a, &b| nine_places(lost[a]).total_cmp(&nine_places(lost[b])));
        if let Some(section) = section.filter(|_| points > 0.0) {
            actions.push(Action {
                step,
                points,
                section,
                lost: lost[section],
            });
        }
    };
    for item in guide
        .checklist
        .iter()
        .filter(|item| !progress.ticked.contains(&item.id))
    {
        let mut after = progress.clone();
        after.ticked.insert(item.id.clone());
        let step = Step::Tick {
            item: item.id.clone(),
        };
        consider(step, &item.sections, after);
    }
    for day in (1..=guide.plan_days()).filter(|day| !progress.days_done.contains(day)) {
        let Some(entry) = guide.plan_entry(day) else {
            continue;
        };
        let mut after = progress.clone();
        after.days_done.insert(day);
        consider(Step::Day { day }, &entry.sections, after);
    }
    actions
}

/// The rating a section's practice evidence suggests: accuracy e maps back
/// through the prior's 0.25 + 0.15·(rating − 1), rounded and kept in 1..=5.
/// `None` with fewer than [`ANSWERS_TO_JUDGE_A_RATING`] weighted answers.
pub fn suggested_rating(answers: f64, accuracy: Option<f64>) -> Option<u8> {
    let accuracy = accuracy.filter(|_| answers >= ANSWERS_TO_JUDGE_A_RATING)?;
    let steps = ((accuracy - 0.25) / 0.15).round() + 1.0;
    Some(steps.clamp(1.0, 5.0) as u8)
}

/// What a section's rating and its practice evidence say together, for `why`
/// and `next`: `Some((suggested, current))` when they disagree by
/// [`RATING_GAP`] or more, or the section is unrated and has evidence.
pub fn rating_disagrees(current: Option<u8>, suggested: Option<u8>) -> bool {
    match (current, suggested) {
        (Some(current), Some(suggested)) => current.abs_diff(suggested) >= RATING_GAP,
        (None, Some(_)) => true,
        _ => false,
    }
}

/// Re-ratings: a section whose rating is [`RATING_GAP`] or more from what its
/// evidence suggests, an unrated one with evidence (to the suggested rating), and
/// an unrated one without (rate it at all).
fn rating_actions(
    guide: &Guide,
    progress: &Progress,
    forecast: &Forecast,
    lost: &[f64],
) -> Vec<Action> {
    let base = assess(guide, progress).overall;
    let mut actions = Vec::new();
    for (index, section) in guide.sections.iter().enumerate() {
        let current = progress.ratings.get(&section.id).map(|rating| rating.get());
        let suggested = forecast
            .section(&section.id)
            .and_then(|found| suggested_rating(found.answers, found.evidence_accuracy()));
        let listed =
            rating_disagrees(current, suggested) || (current.is_none() && suggested.is_none());
        if !listed {
            continue;
        }
        let points = match suggested.and_then(Rating::new) {
            Some(rating) => {
                let mut after = progress.clone();
                after.ratings.insert(section.id.clone(), rating);
                nine_places(assess(guide, &after).overall - base)
            }
            None => 0.0,
        };
        actions.push(Action {
            step: Step::Rate {
                section: section.id.clone(),
                suggested,
                current,
            },
            points,
            section: index,
            lost: lost[index],
        });
    }
    actions
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::forecast::{for_exam, target};
    use crate::guide::Catalog;
    use crate::state::{Date, Sitting};

    fn associate() -> Guide {
        Catalog::new(None).load("associate").unwrap().unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    const TODAY: &str = "2026-11-22";

    fn advice_for(guide: &Guide, progress: &Progress) -> (Forecast, Vec<Action>) {
        let (target, _) = target(guide, None);
        let forecast = for_exam(guide, progress, day(TODAY), target);
        let actions = advice(guide, progress, &forecast, day(TODAY));
        (forecast, actions)
    }

    /// A sitting on `on` with scores for some sections only (a section quiz).
    fn quiz(on: &str, sections: &[(&str, u32, u32)]) -> Sitting {
        Sitting {
            on: Date(day(on)),
            correct: sections.iter().map(|s| s.1).sum(),
            questions: sections.iter().map(|s| s.2).sum(),
            note: None,
            sections: sections
                .iter()
                .map(|(id, correct, total)| (id.to_string(), (*correct, *total)))
                .collect::<BTreeMap<_, _>>(),
        }
    }

    /// A learner rated 5 on Databricks ML whose practice says 4 of 18 there.
    ///
    /// The associate exam's 48 questions split 18, 9, 15, 6. Databricks ML: prior
    /// mean 0.85 with strength 4 (α 3.4, β 0.6), plus today's 4/18 at full weight:
    /// α 7.4, β 14.6, accuracy 7.4/22 = 0.3364, lost 18·14.6/22 = 11.945. The
    /// unrated sections keep Beta(1, 1): lost 9/2 = 4.5, 15/2 = 7.5, 6/2 = 3. So
    /// Databricks ML is the weakest, though its readiness (50 %) is the highest.
    ///
    /// First study action: of the items and days that train Databricks ML, the
    /// one adding most readiness. Ticking automl adds 38 · 0.3/3 = 3.8 points
    /// there and 31 · 0.3/2 = 4.65 in Model Development: 8.45, more than
    /// mlflow-tracking's 3.8 + 19 · 0.3/2 = 6.65 or any plan day.
    ///
    /// The evidence alone says 4/18 = 0.222: (0.222 − 0.25)/0.15 = −0.19, which
    /// rounds to 0, plus 1: a rating of 1, four from the 5 given.
    #[test]
    fn a_high_rating_against_poor_practice_is_weakest_studied_first_and_re_rated() {
        let guide = associate();
        let mut progress = Progress::default();
        progress
            .ratings
            .insert("databricks-ml".into(), Rating::new(5).unwrap());
        progress
            .practice
            .push(quiz(TODAY, &[("databricks-ml", 4, 18)]));
        let (forecast, actions) = advice_for(&guide, &progress);
        let weakest = forecast.weakest().unwrap();
        assert_eq!(weakest.id, "databricks-ml");
        assert!(
            (weakest.lost - 18.0 * 14.6 / 22.0).abs() < 1e-9,
            "{}",
            weakest.lost
        );
        assert_eq!(weakest_index(&guide, &forecast), 0);
        let first = &actions[0];
        assert_eq!(
            first.step,
            Step::Tick {
                item: "automl".into()
            }
        );
        assert_eq!((first.section, first.points), (0, 8.45));
        assert!((first.lost - 18.0 * 14.6 / 22.0).abs() < 1e-9);
        let rerate = Step::Rate {
            section: "databricks-ml".into(),
            suggested: Some(1),
            current: Some(5),
        };
        let position = actions.iter().position(|action| action.step == rerate);
        let position = position.expect("a re-rate suggestion to 1");
        // Re-rating comes after every study action, and lowers readiness: from 5
        // (R = 1) to 1 (R = 0) takes 100 · 0.5 = 50 percent of the section, 38 %
        // of the exam: 19 points.
        assert!(
            actions[..position]
                .iter()
                .all(|action| matches!(action.step, Step::Tick { .. } | Step::Day { .. }))
        );
        assert_eq!(actions[position].points, -19.0);
        // The other sections are unrated and have no evidence: "rate it".
        let unrated: Vec<&str> = actions
            .iter()
            .filter_map(|action| match &action.step {
                Step::Rate {
                    section,
                    suggested: None,
                    current: None,
                } => Some(section.as_str()),
                _ => None,
            })
            .collect();
        // By expected lost points: 7.5, 4.5, 3.
        assert_eq!(
            unrated,
            ["model-development", "ml-workflows", "model-deployment"]
        );
        // A sitting today: no practice test is due.
        assert!(
            !actions
                .iter()
                .any(|action| action.step.kind() == ActionKind::Practice)
        );
    }

    #[test]
    fn suggested_ratings_by_hand() {
        // Fewer than 5 weighted answers: no suggestion.
        assert_eq!(suggested_rating(4.9, Some(0.9)), None);
        assert_eq!(suggested_rating(0.0, None), None);
        // 0.25 is the guess rate (1); 0.85 is 5; halves round away from zero:
        // 0.475 → (0.225/0.15) = 1.5 → 2, + 1 = 3.
        assert_eq!(suggested_rating(5.0, Some(0.25)), Some(1));
        assert_eq!(suggested_rating(5.0, Some(0.85)), Some(5));
        assert_eq!(suggested_rating(5.0, Some(0.475)), Some(3));
        assert_eq!(suggested_rating(5.0, Some(1.0)), Some(5));
        assert_eq!(suggested_rating(5.0, Some(0.0)), Some(1));
        assert!(rating_disagrees(Some(5), Some(3)));
        assert!(!rating_disagrees(Some(4), Some(3)));
        assert!(rating_disagrees(None, Some(3)));
        assert!(!rating_disagrees(None, None));
        assert!(!rating_disagrees(Some(2), None));
    }

    /// Half the plan done and no practice test: the test comes first. With a
    /// sitting 15 days old and nothing else urgent, it is due but comes last.
    #[test]
    fn a_practice_test_comes_first_when_urgent_and_last_when_only_due() {
        let guide = associate();
        let mut progress = Progress {
            days_done: [1, 2, 3, 4].into(),
            ..Progress::default()
        };
        let (_, actions) = advice_for(&guide, &progress);
        assert_eq!(
            actions[0].step,
            Step::Practice {
                urgent: true,
                why: PracticeDue::NoneYet
            }
        );
        progress.days_done = [1].into();
        progress
            .practice
            .push(quiz("2026-11-07", &[("ml-workflows", 5, 9)]));
        let (_, actions) = advice_for(&guide, &progress);
        assert_eq!(
            actions.last().unwrap().step,
            Step::Practice {
                urgent: false,
                why: PracticeDue::Old(15)
            }
        );
        assert!(!matches!(actions[0].step, Step::Practice { .. }));
        // Booked within 14 days makes it urgent again.
        progress.booked = Some(Date(day("2026-12-01")));
        let (_, actions) = advice_for(&guide, &progress);
        assert_eq!(
            actions[0].step,
            Step::Practice {
                urgent: true,
                why: PracticeDue::Old(15)
            }
        );
    }

    #[test]
    fn nothing_left_when_everything_is_done_and_ratings_agree() {
        let guide = associate();
        let mut progress = Progress {
            ticked: guide.checklist.iter().map(|item| item.id.clone()).collect(),
            days_done: (1..=guide.plan_days()).collect(),
            ..Progress::default()
        };
        for section in &guide.sections {
            progress
                .ratings
                .insert(section.id.clone(), Rating::new(5).unwrap());
        }
        // A recent practice test that agrees: 17/18 etc. (e ≈ 0.94 → 5).
        progress.practice.push(quiz(
            TODAY,
            &[
                ("databricks-ml", 17, 18),
                ("ml-workflows", 9, 9),
                ("model-development", 14, 15),
                ("model-deployment", 6, 6),
            ],
        ));
        let (_, actions) = advice_for(&guide, &progress);
        assert_eq!(actions, []);
    }

    use proptest::prelude::*;

    /// Random progress on a guide: any subset of items and days (with some ids
    /// the guide does not know), any ratings, up to three sittings of any
    /// section scores in the last 40 days.
    fn progress_for(guide: &Guide) -> impl Strategy<Value = Progress> + use<> {
        let items: Vec<String> = guide.checklist.iter().map(|item| item.id.clone()).collect();
        let sections: Vec<String> = guide.sections.iter().map(|s| s.id.clone()).collect();
        let days = guide.plan_days();
        let sitting = (
            0i64..40,
            proptest::collection::vec(proptest::option::of((0u32..=20, 1u32..=20)), sections.len()),
        );
        (
            proptest::sample::subsequence(items.clone(), 0..=items.len()),
            proptest::collection::btree_set(1..=days + 2, 0..=days as usize),
            proptest::collection::vec(proptest::option::of(1u8..=5), sections.len()),
            proptest::collection::vec(sitting, 0..=3),
        )
            .prop_map(move |(ticked, days_done, ratings, sittings)| {
                let mut progress = Progress {
                    ticked: ticked.into_iter().collect(),
                    days_done,
                    ..Progress::default()
                };
                for (section, rating) in sections.iter().zip(ratings) {
                    if let Some(rating) = rating.and_then(Rating::new) {
                        progress.ratings.insert(section.clone(), rating);
                    }
                }
                for (age, scores) in sittings {
                    let on = day(TODAY) - chrono::Duration::days(age);
                    let scores: Vec<(&str, u32, u32)> = sections
                        .iter()
                        .zip(scores)
                        .filter_map(|(id, score)| {
                            score.map(|(correct, total)| (id.as_str(), correct.min(total), total))
                        })
                        .collect();
                    if !scores.is_empty() {
                        progress.practice.push(quiz(&on.to_string(), &scores));
                    }
                }
                progress.practice.sort_by_key(|sitting| sitting.on);
                progress
            })
    }

    fn guide_and_progress() -> impl Strategy<Value = (Guide, Progress)> {
        prop_oneof![Just("associate"), Just("professional")].prop_flat_map(|id| {
            let guide = Catalog::new(None).load(id).unwrap().unwrap();
            (Just(guide.clone()), progress_for(&guide))
        })
    }

    /// The progress after doing what a study action says, read from its step.
    fn applied(progress: &Progress, step: &Step) -> Progress {
        let mut after = progress.clone();
        match step {
            Step::Tick { item } => {
                after.ticked.insert(item.clone());
            }
            Step::Day { day } => {
                after.days_done.insert(*day);
            }
            _ => unreachable!("a study action"),
        }
        after
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Study actions come sorted by the lost points of the weakest section they
        /// train, then by readiness points; each one's points are what doing it
        /// adds, its section is one it trains, with the most lost points of those.
        #[test]
        fn study_actions_follow_the_evidence((guide, progress) in guide_and_progress()) {
            let (forecast, actions) = advice_for(&guide, &progress);
            let study: Vec<&Action> = actions
                .iter()
                .filter(|action| matches!(action.step, Step::Tick { .. } | Step::Day { .. }))
                .collect();
            for pair in study.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                prop_assert!(
                    a.lost > b.lost + 1e-9 || ((a.lost - b.lost).abs() <= 1e-9 && a.points >= b.points),
                    "{a:?} before {b:?}"
                );
            }
            let base = assess(&guide, &progress).overall;
            for action in &study {
                let gained = assess(&guide, &applied(&progress, &action.step)).overall - base;
                prop_assert!((action.points - gained).abs() < 1e-9, "{action:?} adds {gained}");
                let trains: Vec<usize> = match &action.step {
                    Step::Tick { item } => guide.checklist.iter().find(|i| i.id == *item).unwrap().sections.clone(),
                    Step::Day { day } => guide.plan_entry(*day).unwrap().sections.clone(),
                    _ => unreachable!(),
                }
                .iter()
                .filter_map(|id| guide.section_index(id))
                .collect();
                prop_assert!(trains.contains(&action.section));
                let lost = |index: usize| forecast.section(&guide.sections[index].id).unwrap().lost;
                prop_assert!((action.lost - lost(action.section)).abs() < 1e-12);
                prop_assert!(trains.iter().all(|&other| lost(other) <= action.lost + 1e-9));
            }
            // The weakest section loses the most of any.
            let weakest = forecast.weakest().unwrap();
            prop_assert!(forecast.sections.iter().all(|s| s.lost <= weakest.lost + 1e-9));
        }
    }
}
