//! Weighted readiness (DESIGN section 5). Pure: guide × progress → scores.

use crate::guide::Guide;
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

#[derive(Debug, Clone, PartialEq)]
pub struct SectionScore {
    pub rating: Option<u8>,
    pub checklist: Tally,
    pub plan: Tally,
    /// Percent, 0..=100.
    pub readiness: f64,
    /// The section's share of overall readiness: weight · readiness / 100.
    pub points: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// One score per guide section, in guide order.
    pub sections: Vec<SectionScore>,
    /// Percent, 0..=100.
    pub overall: f64,
    pub checklist: Tally,
    pub plan: Tally,
}

pub fn assess(guide: &Guide, progress: &Progress) -> Assessment {
    let weights = guide.readiness;
    let sections: Vec<SectionScore> = guide
        .sections
        .iter()
        .map(|section| {
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
            let rating_score = rating.map_or(0.0, |rating| f64::from(rating - 1) / 4.0);

            let mut sum = weights.rating * rating_score;
            let mut weight_sum = weights.rating;
            for (weight, ratio) in [
                (weights.checklist, checklist.ratio()),
                (weights.plan, plan.ratio()),
            ] {
                if let Some(ratio) = ratio {
                    sum += weight * ratio;
                    weight_sum += weight;
                }
            }
            let readiness = 100.0 * sum / weight_sum;
            SectionScore {
                rating,
                checklist,
                plan,
                readiness,
                points: f64::from(section.weight) * readiness / 100.0,
            }
        })
        .collect();

    let total_weight: f64 = guide.sections.iter().map(|s| f64::from(s.weight)).sum();
    let overall = sections.iter().map(|score| score.points).sum::<f64>() * 100.0 / total_weight;

    let mut checklist = Tally::default();
    for item in &guide.checklist {
        checklist.count(progress.ticked.contains(&item.id));
    }
    let mut plan = Tally::default();
    for day in 1..=guide.plan_days() {
        plan.count(progress.days_done.contains(&day));
    }
    Assessment {
        sections,
        overall,
        checklist,
        plan,
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
    items.chain(days).chain(ratings).collect()
}
