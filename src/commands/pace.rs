//! Keeping up with the plan, as `status` and `today` show it: the view of a
//! [`schedule::Pace`] and the sentence that says it.

use chrono::NaiveDate;
use serde::Serialize;

use crate::guide::Guide;
use crate::render;
use crate::schedule::{self, Pace, Squeeze};
use crate::state::Progress;

/// The pace of a started plan; its JSON is the `pace` of `status --json` and
/// `today --json`.
#[derive(Serialize)]
pub(super) struct PaceView {
    expected: u32,
    done: u32,
    left: u32,
    /// Days ahead of the plan; negative when behind.
    ahead: i64,
    pub(super) days_to_exam: Option<i64>,
    catch_up: Vec<CatchUp>,
    #[serde(skip)]
    squeeze: Option<Squeeze>,
}

/// The plan days to study on one date to catch up.
#[derive(Serialize)]
struct CatchUp {
    date: String,
    days: Vec<u32>,
    /// Days from today to `date`, for "today", "tomorrow".
    #[serde(skip)]
    in_days: i64,
}

impl PaceView {
    /// The pace of `guide`'s plan on `today`; `None` before a start date is set.
    pub(super) fn of(guide: &Guide, progress: &Progress, today: NaiveDate) -> Option<PaceView> {
        schedule::pace_of(guide, progress, today).map(|pace| PaceView::new(&pace, today))
    }

    fn new(pace: &Pace, today: NaiveDate) -> PaceView {
        PaceView {
            expected: pace.expected,
            done: pace.done,
            left: pace.left,
            ahead: pace.ahead,
            days_to_exam: pace.days_to_exam,
            catch_up: pace
                .catch_up
                .iter()
                .map(|(date, days)| CatchUp {
                    date: date.format("%Y-%m-%d").to_string(),
                    days: days.clone(),
                    in_days: schedule::days_until(*date, today),
                })
                .collect(),
            squeeze: pace.squeeze,
        }
    }

    /// "behind by 2 days; catch up: days 2 and 3 today, 4 and 5 tomorrow"; from the
    /// exam day on, where the learner stands instead: "exam was 3 days ago; 5 of 7
    /// plan days done". When the exam comes before the plan days left can be done
    /// one a day, that is said instead of "on track" or "ahead", which it would
    /// contradict, and after a catch-up schedule, which does not fix it.
    pub(super) fn line(&self) -> String {
        if let Some(days_to_exam) = self.days_to_exam.filter(|days| *days <= 0) {
            let standing = format!("{} of {} plan days done", self.done, self.done + self.left);
            return match days_to_exam {
                0 => format!("exam day today: {standing}"),
                _ => format!("exam was {} ago; {standing}", render::days(-days_to_exam)),
            };
        }
        let mut line = match (self.ahead, &self.squeeze) {
            (0.., Some(squeeze)) => return squeeze_phrase(squeeze),
            // Nothing left to go: not "0 days of the plan to go".
            (0, None) if self.left == 0 => "every plan day done".to_string(),
            (ahead @ 1.., None) if self.left == 0 => {
                format!("ahead by {}: every plan day done", render::days(ahead))
            }
            (0, None) => format!(
                "on track, {} of the plan to go",
                render::days(self.left.into())
            ),
            (ahead @ 1.., None) => format!(
                "ahead by {}, {} to go",
                render::days(ahead),
                render::days(self.left.into())
            ),
            (behind, _) => format!("behind by {}", render::days(-behind)),
        };
        if !self.catch_up.is_empty() {
            let steps: Vec<String> = self.catch_up.iter().map(CatchUp::phrase).collect();
            line += &format!("; catch up with days {}", steps.join(", "));
        }
        if let Some(squeeze) = &self.squeeze {
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

impl CatchUp {
    /// "2 and 5 today", "4 on 2026-11-24".
    fn phrase(&self) -> String {
        let days: Vec<String> = self.days.iter().map(u32::to_string).collect();
        let when = match self.in_days {
            0 => "today".to_string(),
            1 => "tomorrow".to_string(),
            _ => format!("on {}", self.date),
        };
        format!("{} {when}", days.join(" and "))
    }
}
