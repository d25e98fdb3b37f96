//! Keeping up with the plan, as `status` and `today` show it: the view of a
//! [`schedule::Pace`] and the sentence that says it.

use chrono::NaiveDate;
use serde::Serialize;

use crate::guide::Guide;
use crate::render;
use crate::schedule::{self, Pace, Squeeze};
use crate::state::Progress;

/// The pace of a started plan, with the day it is seen from: its JSON is the
/// plan's [`Pace`], its text the sentence [`PaceView::line`] makes of it.
#[derive(Serialize)]
pub(super) struct PaceView {
    #[serde(flatten)]
    pace: Pace,
    #[serde(skip)]
    today: NaiveDate,
}

impl PaceView {
    /// The pace of `guide`'s plan on `today`; `None` before a start date is set.
    pub(super) fn of(guide: &Guide, progress: &Progress, today: NaiveDate) -> Option<PaceView> {
        schedule::pace_of(guide, progress, today).map(|pace| PaceView { pace, today })
    }

    /// Days from today to the booked exam.
    pub(super) fn days_to_exam(&self) -> Option<i64> {
        self.pace.days_to_exam
    }

    /// "behind by 2 days; catch up: days 2 and 3 today, 4 and 5 tomorrow"; from the
    /// exam day on, where the learner stands instead: "exam was 3 days ago; 5 of 7
    /// plan days done". When the exam comes before the plan days left can be done
    /// one a day, that is said instead of "on track" or "ahead", which it would
    /// contradict, and after a catch-up schedule, which does not fix it.
    pub(super) fn line(&self) -> String {
        let pace = &self.pace;
        if let Some(days_to_exam) = pace.days_to_exam.filter(|days| *days <= 0) {
            let standing = format!("{} of {} plan days done", pace.done, pace.done + pace.left);
            return match days_to_exam {
                0 => format!("exam day today: {standing}"),
                _ => format!("exam was {} ago; {standing}", render::days(-days_to_exam)),
            };
        }
        let mut line = match (pace.ahead, &pace.squeeze) {
            (0.., Some(squeeze)) => return squeeze_phrase(squeeze),
            // Nothing left to go: not "0 days of the plan to go".
            (0, None) if pace.left == 0 => "every plan day done".to_string(),
            (ahead @ 1.., None) if pace.left == 0 => {
                format!("ahead by {}: every plan day done", render::days(ahead))
            }
            (0, None) => format!(
                "on track, {} of the plan to go",
                render::days(pace.left.into())
            ),
            (ahead @ 1.., None) => format!(
                "ahead by {}, {} to go",
                render::days(ahead),
                render::days(pace.left.into())
            ),
            (behind, _) => format!("behind by {}", render::days(-behind)),
        };
        if !pace.catch_up.is_empty() {
            let steps: Vec<String> = pace
                .catch_up
                .iter()
                .map(|(date, days)| catch_up_phrase(*date, days, self.today))
                .collect();
            line += &format!("; catch up with days {}", steps.join(", "));
        }
        if let Some(squeeze) = &pace.squeeze {
            line += &format!("; {}", squeeze_phrase(squeeze));
        }
        line
    }
}

/// "5 days of the plan left for 3 days to the exam: double up on 2 of them";
/// "…: two a day" when every one of them takes two, "…: more than two a day"
/// when even that is not enough.
pub(super) fn squeeze_phrase(squeeze: &Squeeze) -> String {
    let advice = match squeeze.doubled_days() {
        Some(doubled) if doubled < squeeze.days_to_exam => {
            format!("double up on {doubled} of them")
        }
        Some(_) => "two a day".to_string(),
        None => "more than two a day".to_string(),
    };
    format!(
        "{} of the plan left for {} to the exam: {advice}",
        render::days(squeeze.left.into()),
        render::days(squeeze.days_to_exam)
    )
}

/// One catch-up step in words: "2 and 5 today", "4 on 2026-11-24".
fn catch_up_phrase(date: NaiveDate, days: &[u32], today: NaiveDate) -> String {
    let days: Vec<String> = days.iter().map(u32::to_string).collect();
    let when = match schedule::days_until(date, today) {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        _ => format!("on {}", date.format("%Y-%m-%d")),
    };
    format!("{} {when}", days.join(" and "))
}
