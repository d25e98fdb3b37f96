//! Weighted readiness (see "Readiness" in the README). Pure: guide × progress → scores.

use crate::guide::{Guide, Section};
use crate::round::nine_places;
use crate::schedule;
use crate::state::Progress;

/// Done out of total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Tally {
    pub done: usize,
    pub total: usize,
}

impl Tally {
    fn count(&mut self, done: bool) {
        self.total += 1;
        self.done += usize::from(done);
    }

    /// done / total, or `None` when there is nothing to count.
    fn ratio(self) -> Option<f64> {
        (self.total > 0).then(|| self.done as f64 / self.total as f64)
    }
}

/// One of the three things a section's readiness is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    /// The learner's own rating of the section, 1 (new to me) to 5 (exam-ready).
    Rating,
    /// The share of the section's checklist items ticked.
    Checklist,
    /// The share of the section's plan days done.
    Plan,
}

/// A component's part in a section's readiness (`certprep why` shows these).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Part {
    pub component: Component,
    /// The component weight from the guide (0.5, 0.3, 0.2 by default).
    pub weight: f64,
    /// The component score, 0..=1; `None` when the section has nothing of this
    /// kind, so the component drops out of both sums.
    pub score: Option<f64>,
    /// Percentage points of the section's readiness this component gives.
    pub contribution: f64,
}

/// One section's readiness: what it is made of, and what it adds to the overall.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionScore {
    /// The learner's rating, 1..=5; `None` while the section is unrated.
    pub rating: Option<u8>,
    /// Ticked out of the checklist items that train the section.
    pub checklist: Tally,
    /// Done out of the plan days that train the section.
    pub plan: Tally,
    /// Rating, checklist and plan, in that order; contributions sum to readiness.
    pub parts: [Part; 3],
    /// Percent, 0..=100.
    pub readiness: f64,
    /// The section's share of overall readiness: weight · readiness / 100.
    pub points: f64,
}

/// A learner's readiness for one exam: per section and overall. (The exam's own
/// facts, questions and minutes, are [`crate::guide::Assessment`].)
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// One score per guide section, in guide order.
    pub sections: Vec<SectionScore>,
    /// Percent, 0..=100.
    pub overall: f64,
    /// Ticked out of the whole checklist.
    pub checklist: Tally,
    /// Done out of the whole plan.
    pub plan: Tally,
}

/// The learner's readiness for `guide`: each section's score from its rating,
/// ticked items and done plan days, and the overall as their weighted mean.
pub fn assess(guide: &Guide, progress: &Progress) -> Scores {
    let sections: Vec<SectionScore> = guide
        .sections
        .iter()
        .map(|section| score_section(guide, progress, section))
        .collect();

    let total_weight: f64 = guide.sections.iter().map(|s| f64::from(s.weight)).sum();
    let overall =
        nine_places(sections.iter().map(|score| score.points).sum::<f64>() * 100.0 / total_weight);

    let mut checklist = Tally::default();
    for item in &guide.checklist {
        checklist.count(progress.ticked.contains(&item.id));
    }
    let plan_days = guide.plan_days();
    let plan = Tally {
        done: schedule::days_done(&progress.days_done, plan_days) as usize,
        total: plan_days as usize,
    };
    Scores {
        sections,
        overall,
        checklist,
        plan,
    }
}

/// One section's readiness: its components, weighted by the guide, over those the
/// section has.
fn score_section(guide: &Guide, progress: &Progress, section: &Section) -> SectionScore {
    let weights = guide.readiness;
    let trains = |sections: &[String]| sections.contains(&section.id);
    let mut checklist = Tally::default();
    for item in guide.checklist.iter().filter(|item| trains(&item.sections)) {
        checklist.count(progress.ticked.contains(&item.id));
    }
    let mut plan = Tally::default();
    for entry in guide.plan.iter().filter(|entry| trains(&entry.sections)) {
        for day in entry.days.days() {
            plan.count(progress.days_done.contains(&day));
        }
    }
    let rating = progress.ratings.get(&section.id).map(|rating| rating.get());
    // Unrated counts as 0, like "new to me" (1).
    let rating_score = f64::from(rating.map_or(0, |rating| rating - 1)) / 4.0;
    let scores = [
        (Component::Rating, weights.rating, Some(rating_score)),
        (Component::Checklist, weights.checklist, checklist.ratio()),
        (Component::Plan, weights.plan, plan.ratio()),
    ];
    let weight_sum: f64 = scores
        .iter()
        .filter(|(_, _, score)| score.is_some())
        .map(|(_, weight, _)| weight)
        .sum();
    let contribution = |weight: f64, score: Option<f64>| {
        score.map_or(0.0, |score| 100.0 * weight * score / weight_sum)
    };
    // Summed before rounding, so readiness carries one rounding, not three.
    let readiness = nine_places(
        scores
            .iter()
            .map(|(_, weight, score)| contribution(*weight, *score))
            .sum(),
    );
    let parts = scores.map(|(component, weight, score)| Part {
        component,
        weight,
        score,
        contribution: nine_places(contribution(weight, score)),
    });
    SectionScore {
        rating,
        checklist,
        plan,
        parts,
        readiness,
        points: nine_places(f64::from(section.weight) * readiness / 100.0),
    }
}

/// Ids in the progress that this guide does not know: kept in the file, left out
/// of every computation, reported as a warning.
pub fn unknown_ids(guide: &Guide, progress: &Progress) -> Vec<String> {
    let items = progress
        .ticked
        .iter()
        .filter(|id| !guide.checklist.iter().any(|item| item.id == **id))
        .map(|id| format!("checklist item \"{id}\""));
    let days = progress
        .days_done
        .iter()
        .filter(|day| guide.plan_entry(**day).is_none())
        .map(|day| format!("plan day {day}"));
    let ratings = progress
        .ratings
        .keys()
        .filter(|id| guide.section(id).is_none())
        .map(|id| format!("section \"{id}\""));
    // A sitting's score for a section the guide does not know: kept, and left
    // out of the forecast.
    let sittings = progress
        .practice
        .iter()
        .enumerate()
        .flat_map(|(index, sitting)| {
            sitting
                .sections
                .keys()
                .filter(|id| guide.section(id).is_none())
                .map(move |id| format!("section \"{id}\" in practice test {}", index + 1))
        });
    items.chain(days).chain(ratings).chain(sittings).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Rating;

    /// Sections a (50), b (30), c (20). Items: i1 [a], i2 [a, b], i3 [b], i4 [c].
    /// Plan: day 1 [a], days 2-3 [b]. So a has 2 items and 1 day, b has 2 items
    /// and 2 days, c has 1 item and no days (its plan component drops out).
    const GUIDE: &str = "
id: test
name: Test
short: T
assessment: {questions: 1, minutes: 1}
sections:
  - {id: a, name: A, weight: 50}
  - {id: b, name: B, weight: 30}
  - {id: c, name: C, weight: 20}
checklist:
  - {id: i1, text: one, sections: [a]}
  - {id: i2, text: two, sections: [a, b]}
  - {id: i3, text: three, sections: [b]}
  - {id: i4, text: four, sections: [c]}
plan:
  - {days: 1, topic: first, sections: [a]}
  - {days: \"2-3\", topic: second, sections: [b]}
";

    fn guide(extra: &str) -> Guide {
        Guide::from_yaml(&format!("{GUIDE}{extra}"), "test.yaml").unwrap()
    }

    fn progress(ticked: &[&str], days: &[u32], ratings: &[(&str, u8)]) -> Progress {
        Progress {
            ticked: ticked.iter().map(|id| id.to_string()).collect(),
            days_done: days.iter().copied().collect(),
            ratings: ratings
                .iter()
                .map(|(id, value)| (id.to_string(), Rating::new(*value).unwrap()))
                .collect(),
            ..Progress::default()
        }
    }

    fn close(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() < 1e-9
    }

    #[test]
    fn halves_are_exact() {
        // 100·(0.5·0.75 + 0.3·2/3) sums to 57.49999999999999 in floating point.
        let result = assess(&guide(""), &progress(&["i1"], &[], &[("a", 4)]));
        // a: R = 3/4, C = 1/2 (i1 of i1, i2), P = 0/1:
        // 100·(0.375 + 0.15)/1 = 52.5 exactly → 26.25 points.
        assert_eq!(result.sections[0].readiness, 52.5);
        assert_eq!(result.sections[0].points, 26.25);
    }

    #[test]
    fn readiness_by_hand() {
        // (progress, expected section readiness a/b/c, expected overall)
        let cases = [
            // Nothing done: every component is 0.
            (progress(&[], &[], &[]), [0.0, 0.0, 0.0], 0.0),
            // a rated 5: R = (5-1)/4 = 1; a has items and days, so
            // r_a = 100·(0.5·1)/(0.5+0.3+0.2) = 50; overall = 50·50/100 = 25.
            (progress(&[], &[], &[("a", 5)]), [50.0, 0.0, 0.0], 25.0),
            // i1, i2 ticked, day 1 done:
            // a: C = 2/2, P = 1/1 → 100·(0.3+0.2)/1 = 50 → 25 points;
            // b: C = 1/2 (i2 of i2, i3), P = 0/2 → 100·0.15/1 = 15 → 4.5 points;
            // c: C = 0/1, no days → 0. Overall 25 + 4.5 = 29.5.
            (progress(&["i1", "i2"], &[1], &[]), [50.0, 15.0, 0.0], 29.5),
            // c rated 3 and i4 ticked: R = 2/4 = 0.5, C = 1, no days, so
            // r_c = 100·(0.25+0.3)/(0.5+0.3) = 68.75 → 20·0.6875 = 13.75 points.
            (
                progress(&["i4"], &[], &[("c", 3)]),
                [0.0, 0.0, 68.75],
                13.75,
            ),
            // Rated 1 counts as 0 ("new to me"): R = 0.
            (
                progress(&[], &[], &[("a", 1), ("b", 1)]),
                [0.0, 0.0, 0.0],
                0.0,
            ),
            // Everything done and rated 5: 100 everywhere.
            (
                progress(
                    &["i1", "i2", "i3", "i4"],
                    &[1, 2, 3],
                    &[("a", 5), ("b", 5), ("c", 5)],
                ),
                [100.0, 100.0, 100.0],
                100.0,
            ),
            // b: days 2 and 3 are two days: P = 1/2 with day 2 done;
            // r_b = 100·(0.2·0.5) = 10 → 3 points.
            (progress(&[], &[2], &[]), [0.0, 10.0, 0.0], 3.0),
        ];
        let guide = guide("");
        for (index, (progress, sections, overall)) in cases.iter().enumerate() {
            let result = assess(&guide, progress);
            for (score, expected) in result.sections.iter().zip(sections) {
                assert!(
                    close(score.readiness, *expected),
                    "case {index}: {result:?}"
                );
            }
            assert!(close(result.overall, *overall), "case {index}: {result:?}");
        }
    }

    #[test]
    fn component_weights_from_the_guide() {
        // rating 1, checklist 1, plan 0; i1 ticked. a: C = 1/2, a has days but
        // they weigh 0: r_a = 100·(1·0 + 1·0.5 + 0)/(1+1+0) = 25 → 12.5 points.
        let guide = guide("readiness: {rating: 1, checklist: 1, plan: 0}\n");
        let result = assess(&guide, &progress(&["i1"], &[], &[]));
        assert!(close(result.sections[0].readiness, 25.0), "{result:?}");
        assert!(close(result.overall, 12.5), "{result:?}");
    }

    #[test]
    fn tallies_count_days_of_ranges() {
        let guide = guide("");
        let result = assess(&guide, &progress(&["i1"], &[1, 3], &[]));
        assert_eq!(result.checklist, Tally { done: 1, total: 4 });
        assert_eq!(result.plan, Tally { done: 2, total: 3 });
        assert_eq!(result.sections[1].plan, Tally { done: 1, total: 2 });
        assert_eq!(result.sections[2].plan, Tally { done: 0, total: 0 });
    }

    #[test]
    fn unknown_ids_are_left_out_and_listed() {
        let guide = guide("");
        let with_unknown = progress(&["i1", "gone"], &[1, 9], &[("a", 3), ("old", 5)]);
        let without = progress(&["i1"], &[1], &[("a", 3)]);
        assert_eq!(assess(&guide, &with_unknown), assess(&guide, &without));
        assert_eq!(
            unknown_ids(&guide, &with_unknown),
            ["checklist item \"gone\"", "plan day 9", "section \"old\""]
        );
    }

    #[test]
    fn unknown_sections_of_practice_sittings_are_listed() {
        use crate::state::{Date, Sitting};
        let guide = guide("");
        let mut progress = progress(&[], &[], &[]);
        let on = Date(chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
        let sitting = |sections: &[(&str, (u32, u32))]| Sitting {
            on,
            correct: sections.iter().map(|(_, (c, _))| c).sum(),
            questions: sections.iter().map(|(_, (_, t))| t).sum(),
            note: None,
            sections: sections
                .iter()
                .map(|(id, s)| (id.to_string(), *s))
                .collect(),
        };
        // Sitting 1 knows its sections; sitting 2 has "a" and two gone ones.
        progress.practice = vec![
            sitting(&[("a", (1, 2))]),
            sitting(&[("a", (1, 2)), ("old", (2, 3)), ("gone", (0, 1))]),
        ];
        assert_eq!(
            unknown_ids(&guide, &progress),
            [
                "section \"gone\" in practice test 2",
                "section \"old\" in practice test 2"
            ]
        );
    }
}
