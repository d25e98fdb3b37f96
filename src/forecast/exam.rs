//! The forecast of one exam for one learner: the guide's outline and the
//! learner's ratings and practice sittings turned into the model's inputs, and the
//! target the pass chance is measured against. Pure, like the model.

use chrono::NaiveDate;

use super::{Forecast, Inputs, SectionInput, Sitting, forecast};
use crate::guide::Guide;
use crate::state::Progress;

/// The target when neither `--target` nor the guide gives one.
const DEFAULT_TARGET_PERCENT: u8 = 70;

/// Where the target percent comes from, for saying what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetSource {
    /// `--target P`.
    Given,
    /// The guide's `assessment.pass_percent`.
    Guide,
    /// Neither: [`DEFAULT_TARGET_PERCENT`].
    Default,
}

/// The target: `--target`, else the guide's pass mark, else 70 %.
pub fn target(guide: &Guide, given: Option<u8>) -> (u8, TargetSource) {
    match (given, guide.assessment.pass_percent) {
        (Some(percent), _) => (percent, TargetSource::Given),
        (None, Some(percent)) => (percent, TargetSource::Guide),
        (None, None) => (DEFAULT_TARGET_PERCENT, TargetSource::Default),
    }
}

/// The forecast of `guide` for `progress` (its ratings and sittings) as of `today`.
pub fn for_exam(
    guide: &Guide,
    progress: &Progress,
    today: NaiveDate,
    target_percent: u8,
) -> Forecast {
    let sections: Vec<SectionInput> = guide
        .sections
        .iter()
        .map(|section| SectionInput {
            id: section.id.clone(),
            weight: section.weight,
            rating: progress.ratings.get(&section.id).map(|rating| rating.get()),
        })
        .collect();
    let sittings: Vec<Sitting> = progress
        .practice
        .iter()
        .map(|sitting| Sitting {
            on: sitting.on.0,
            correct: sitting.correct,
            questions: sitting.questions,
            sections: sitting.sections.clone(),
        })
        .collect();
    forecast(&Inputs {
        questions: guide.assessment.questions,
        sections: &sections,
        sittings: &sittings,
        today,
        target_percent,
    })
}
