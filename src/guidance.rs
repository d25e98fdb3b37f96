//! What to study next: every single action a learner can take, with the points of
//! overall readiness it adds by the DESIGN section 5 formula. Pure.

use serde::Serialize;

use crate::guide::Guide;
use crate::readiness::{Scores, assess, snap};
use crate::state::{Progress, Rating};

/// The kind of a [`Step`], as `next --json` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Tick,
    Day,
    Rate,
}

/// What the learner does, with the thing it names in its own type (an item id,
/// a day number, a section id), so nothing is parsed back out of a string.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Tick a checklist item.
    Tick { item: String },
    /// Mark a plan day done.
    Day { day: u32 },
    /// Study a section and rate it `rating`, one step higher than now.
    Rate { section: String, rating: u8 },
}

impl Step {
    pub fn kind(&self) -> ActionKind {
        match self {
            Step::Tick { .. } => ActionKind::Tick,
            Step::Day { .. } => ActionKind::Day,
            Step::Rate { .. } => ActionKind::Rate,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub step: Step,
    /// Points of overall readiness the action adds.
    pub points: f64,
    /// Index of the section that gains most from it: the "why".
    pub section: usize,
}

/// Every action that adds readiness, most points first; ties keep the order
/// items, days, ratings, each in guide order.
pub fn next_actions(guide: &Guide, progress: &Progress) -> Vec<Action> {
    let base = assess(guide, progress);
    let mut actions = Vec::new();
    let mut consider = |step, after: Progress| {
        let gained = assess(guide, &after);
        let points = snap(gained.overall - base.overall);
        if points > 0.0 {
            actions.push(Action {
                step,
                points,
                section: most_improved(&base, &gained),
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
        let item = item.id.clone();
        consider(Step::Tick { item }, after);
    }
    for day in (1..=guide.plan_days()).filter(|day| !progress.days_done.contains(day)) {
        let mut after = progress.clone();
        after.days_done.insert(day);
        consider(Step::Day { day }, after);
    }
    for section in &guide.sections {
        // Unrated counts like 1 ("new to me"), so its next step is 2.
        let current = progress
            .ratings
            .get(&section.id)
            .map_or(1, |rating| rating.get());
        if let Some(rating) = Rating::new(current + 1) {
            let mut after = progress.clone();
            after.ratings.insert(section.id.clone(), rating);
            let section = section.id.clone();
            let rating = rating.get();
            consider(Step::Rate { section, rating }, after);
        }
    }
    // A stable sort keeps the order above among equal points.
    actions.sort_by(|a, b| b.points.total_cmp(&a.points));
    actions
}

/// The section whose points grew most between two sets of scores.
fn most_improved(before: &Scores, after: &Scores) -> usize {
    let gains = before
        .sections
        .iter()
        .zip(&after.sections)
        .map(|(before, after)| after.points - before.points);
    gains
        .enumerate()
        .max_by(|(_, a), (_, b)| a.total_cmp(b))
        .map_or(0, |(index, _)| index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guide::Catalog;

    fn associate() -> Guide {
        Catalog::new(None).load("associate").unwrap().unwrap()
    }

    #[test]
    fn first_actions_from_nothing_by_hand() {
        // With no progress, every section is at 0.
        // Rating databricks-ml (38 %) up to 2: R = 1/4, so r = 100·0.5·0.25 = 12.5
        // and 38·0.125 = 4.75 points, the most of any single action.
        // Ticking automl: databricks-ml C = 1/3 → r = 10 → 3.8 points, and
        // model-development C = 1/2 → r = 15 → 4.65 points: 8.45 in all.
        let actions = next_actions(&associate(), &Progress::default());
        let first = &actions[0];
        assert_eq!(
            first.step,
            Step::Tick {
                item: "automl".into()
            }
        );
        assert_eq!(first.points, 8.45);
        // model-development gains 4.65 of those points, databricks-ml 3.8.
        assert_eq!(first.section, 2);
        let rate = Step::Rate {
            section: "databricks-ml".into(),
            rating: 2,
        };
        let rate = actions.iter().find(|action| action.step == rate).unwrap();
        assert_eq!(rate.points, 4.75);
    }

    #[test]
    fn nothing_left_to_gain_gives_no_action() {
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
        assert_eq!(next_actions(&guide, &progress), []);
    }

    #[test]
    fn actions_are_sorted_by_points() {
        let actions = next_actions(&associate(), &Progress::default());
        assert!(
            actions
                .windows(2)
                .all(|pair| pair[0].points >= pair[1].points)
        );
        // 5 items + 7 days + 4 sections, all of which add something.
        assert_eq!(actions.len(), 16);
    }

    use proptest::prelude::*;

    /// Random progress on a guide: any subset of items and days (with some ids
    /// the guide does not know), any ratings.
    fn progress_for(guide: &Guide) -> impl Strategy<Value = Progress> + use<> {
        let items: Vec<String> = guide.checklist.iter().map(|item| item.id.clone()).collect();
        let sections: Vec<String> = guide.sections.iter().map(|s| s.id.clone()).collect();
        let days = guide.plan_days();
        (
            proptest::sample::subsequence(items.clone(), 0..=items.len()),
            proptest::collection::btree_set(1..=days + 2, 0..=days as usize),
            proptest::collection::vec(proptest::option::of(1u8..=5), sections.len()),
            any::<bool>(),
        )
            .prop_map(move |(ticked, days_done, ratings, unknown)| {
                let mut progress = Progress {
                    ticked: ticked.into_iter().collect(),
                    days_done,
                    ..Progress::default()
                };
                if unknown {
                    progress.ticked.insert("renamed-item".into());
                }
                for (section, rating) in sections.iter().zip(ratings) {
                    if let Some(rating) = rating.and_then(Rating::new) {
                        progress.ratings.insert(section.clone(), rating);
                    }
                }
                progress
            })
    }

    /// The gain of every single action, enumerated here without `next_actions`.
    fn every_gain(guide: &Guide, progress: &Progress) -> Vec<f64> {
        let base = assess(guide, progress).overall;
        let gain = |after: Progress| assess(guide, &after).overall - base;
        let mut gains = Vec::new();
        for item in &guide.checklist {
            let mut after = progress.clone();
            after.ticked.insert(item.id.clone());
            gains.push(gain(after));
        }
        for day in 1..=guide.plan_days() {
            let mut after = progress.clone();
            after.days_done.insert(day);
            gains.push(gain(after));
        }
        for section in &guide.sections {
            for value in 1..=5 {
                let mut after = progress.clone();
                let current = after.ratings.get(&section.id).map_or(1, |r| r.get());
                if value == current + 1 {
                    after
                        .ratings
                        .insert(section.id.clone(), Rating::new(value).unwrap());
                    gains.push(gain(after));
                }
            }
        }
        gains
    }

    /// The progress after doing what `action` says, read from its step alone.
    fn applied(progress: &Progress, action: &Action) -> Progress {
        let mut after = progress.clone();
        match &action.step {
            Step::Tick { item } => {
                after.ticked.insert(item.clone());
            }
            Step::Day { day } => {
                after.days_done.insert(*day);
            }
            Step::Rate { section, rating } => {
                let rating = Rating::new(*rating).expect("a rating 1-5");
                after.ratings.insert(section.clone(), rating);
            }
        }
        after
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn the_first_action_adds_the_most(
            (guide, progress) in prop_oneof![Just("associate"), Just("professional")]
                .prop_flat_map(|id| {
                    let guide = Catalog::new(None).load(id).unwrap().unwrap();
                    (Just(guide.clone()), progress_for(&guide))
                })
        ) {
            let actions = next_actions(&guide, &progress);
            let best = every_gain(&guide, &progress).into_iter().fold(0.0, f64::max);
            match actions.first() {
                Some(first) => prop_assert!((first.points - best).abs() < 1e-6, "{first:?} vs {best}"),
                None => prop_assert!(best < 1e-9, "no action, but one adds {best}"),
            }
            // Each listed action's points are exactly what applying it adds
            // (to the 1e-9 that `snap` rounds to), and more than nothing.
            let base = assess(&guide, &progress).overall;
            for action in &actions {
                let gained = assess(&guide, &applied(&progress, action)).overall - base;
                prop_assert!((action.points - gained).abs() < 1e-9, "{action:?} adds {gained}");
                prop_assert!(action.points > 0.0, "{action:?}");
            }
        }
    }
}
