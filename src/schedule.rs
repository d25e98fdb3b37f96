//! Where today falls in a study plan, and how the learner keeps up with it. Pure:
//! dates and progress in, position and pace out.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use crate::guide::Guide;
use crate::state::Progress;

/// Where today falls relative to the study plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// No start date recorded.
    NotStarted,
    /// Day 1 is `starts_in` days away (at least 1).
    BeforeStart { starts_in: i64 },
    /// Today is this plan day, 1..=plan length.
    Day(u32),
    /// The last plan day was `days_ago` days ago (at least 1).
    Finished { days_ago: i64 },
}

impl Position {
    /// The current plan day, when today is inside the plan.
    pub fn day(self) -> Option<u32> {
        match self {
            Position::Day(day) => Some(day),
            _ => None,
        }
    }
}

/// Where `today` falls in a plan of `days` days whose day 1 is `started`.
pub fn position(started: Option<NaiveDate>, today: NaiveDate, days: u32) -> Position {
    let Some(started) = started else {
        return Position::NotStarted;
    };
    let day = (today - started).num_days() + 1;
    if day < 1 {
        Position::BeforeStart { starts_in: 1 - day }
    } else if day > i64::from(days) {
        Position::Finished {
            days_ago: day - i64::from(days),
        }
    } else {
        Position::Day(day as u32)
    }
}

/// Where `today` falls in the plan of `guide`, started as `progress` records.
pub fn position_of(guide: &Guide, progress: &Progress, today: NaiveDate) -> Position {
    position(
        progress.started.map(|date| date.0),
        today,
        guide.plan_days(),
    )
}

/// How many days of a plan of `days` days are `done`: a marked day beyond the plan
/// (kept from a longer version of the guide) does not count.
pub fn days_done(done: &BTreeSet<u32>, days: u32) -> u32 {
    (1..=days).filter(|day| done.contains(day)).count() as u32
}

/// The date of plan day `day` (1-based) of a plan whose day 1 is `started`.
pub fn date_of_day(started: NaiveDate, day: u32) -> NaiveDate {
    started + chrono::Days::new(u64::from(day.saturating_sub(1)))
}

/// Days from `today` to `date`: positive ahead, 0 today, negative past.
pub fn days_until(date: NaiveDate, today: NaiveDate) -> i64 {
    (date - today).num_days()
}

/// A self-rating older than this many days is flagged as stale: knowledge fades,
/// and the learner should rate the section again.
pub const STALE_AFTER_DAYS: i64 = 14;

/// Whether a rating given on `rated` is stale on `today`.
pub fn is_stale(rated: NaiveDate, today: NaiveDate) -> bool {
    (today - rated).num_days() > STALE_AFTER_DAYS
}

/// How the learner keeps up with the plan (and the exam date, when booked). Its
/// JSON is the `pace` of `status --json`, `today --json` and the class report's
/// rows alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pace {
    /// Plan days that should be done by now: every day before today.
    pub expected: u32,
    /// Plan days done.
    pub done: u32,
    /// Plan days not done yet.
    pub left: u32,
    /// `done - expected`: ahead when positive, behind when negative.
    pub ahead: i64,
    /// Days from today to the booked exam.
    pub days_to_exam: Option<i64>,
    /// When behind: what to do on each coming date to catch up, two plan days a
    /// date (as many as doubling up each missed day with the day due), taken in
    /// plan order, until the day before the exam; empty from the exam day on.
    #[serde(serialize_with = "catch_up_steps")]
    pub catch_up: Vec<(NaiveDate, Vec<u32>)>,
    /// When the plan days left do not fit, one a day, in the days before a
    /// booked exam (said in words, not in JSON).
    #[serde(skip)]
    pub squeeze: Option<Squeeze>,
}

/// A booked exam that comes before the plan days left can be done one a day:
/// more of them are left than there are days from today to the day before the
/// exam (the exam day is no study day). For a learner on track this is the exam
/// falling on or before the plan's last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Squeeze {
    /// The plan day the exam falls on: 1..=`days` when within the plan, below 1
    /// before day 1, above `days` after the last day.
    pub exam_day: i64,
    /// The plan's length.
    pub days: u32,
    /// Plan days not done yet, more than `days_to_exam`.
    pub left: u32,
    /// Days from today to the exam, at least 1: the days left to study.
    pub days_to_exam: i64,
}

impl Squeeze {
    /// How many of the days before the exam must take two plan days, when two a
    /// day is enough; `None` when even that is not.
    pub fn doubled_days(&self) -> Option<i64> {
        let extra = i64::from(self.left) - self.days_to_exam;
        (extra <= self.days_to_exam).then_some(extra)
    }
}

/// The pace of `guide`'s plan on `today`, as `progress` records it; `None` before
/// a start date is set.
pub fn pace_of(guide: &Guide, progress: &Progress, today: NaiveDate) -> Option<Pace> {
    pace(
        position_of(guide, progress, today),
        guide.plan_days(),
        &progress.days_done,
        progress.booked.map(|date| date.0),
        today,
    )
}

/// The pace of a started plan of `days` days; `None` before a start date is set.
pub fn pace(
    position: Position,
    days: u32,
    done: &BTreeSet<u32>,
    booked: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<Pace> {
    // Plan days due by now, and today's plan day, counted on from day 1 before
    // the start and after the end.
    let (expected, today_day) = match position {
        Position::NotStarted => return None,
        Position::BeforeStart { starts_in } => (0, 1 - starts_in),
        Position::Day(day) => (day - 1, i64::from(day)),
        Position::Finished { days_ago } => (days, i64::from(days) + days_ago),
    };
    let done_days = days_done(done, days);
    let ahead = i64::from(done_days) - i64::from(expected);
    let days_to_exam = booked.map(|date| days_until(date, today));
    let is_open = |day: &u32| !done.contains(day);
    let missed: Vec<u32> = (1..=expected).filter(is_open).collect();
    let coming: Vec<u32> = (expected + 1..=days).filter(is_open).collect();
    let mut catch_up = Vec::new();
    // The exam day is no study day: once it has come, there is nothing to schedule.
    let exam_has_come = days_to_exam.is_some_and(|days| days <= 0);
    if ahead < 0 && !exam_has_come {
        // How much to do: each missed day doubles up with a day due, one pair a
        // date, and once the plan's own days run out the missed ones go two a
        // day. That catches up with every missed day and as many coming ones as
        // there are missed (or all of them, if fewer).
        //
        // In which order: the plan's. The days are done two a date, earliest
        // first, so no day is studied before an earlier one that was missed (a
        // final review before a topic it reviews).
        let count = missed.len() + coming.len().min(missed.len());
        let in_order: Vec<u32> = missed.into_iter().chain(coming).take(count).collect();
        let dates = match days_to_exam {
            // Dates before the exam day only.
            Some(days) => usize::try_from(days).unwrap_or(usize::MAX),
            None => usize::MAX,
        };
        for (offset, pair) in in_order.chunks(2).take(dates).enumerate() {
            catch_up.push((today + chrono::Days::new(offset as u64), pair.to_vec()));
        }
    }
    let left = days - done_days;
    let squeeze = days_to_exam
        .filter(|&to_exam| to_exam > 0 && i64::from(left) > to_exam)
        .map(|to_exam| Squeeze {
            exam_day: today_day + to_exam,
            days,
            left,
            days_to_exam: to_exam,
        });
    Some(Pace {
        expected,
        done: done_days,
        left,
        ahead,
        days_to_exam,
        catch_up,
        squeeze,
    })
}

/// The catch-up steps as JSON shows them: `[{"date": "2026-11-22", "days": [3, 4]}]`.
fn catch_up_steps<S: Serializer>(
    steps: &[(NaiveDate, Vec<u32>)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Step<'a> {
        date: String,
        days: &'a [u32],
    }
    serializer.collect_seq(steps.iter().map(|(date, days)| Step {
        date: date.format("%Y-%m-%d").to_string(),
        days,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn positions() {
        let start = Some(date("2026-11-20"));
        let cases = [
            (None, "2026-11-22", Position::NotStarted),
            // Two days before day 1.
            (start, "2026-11-18", Position::BeforeStart { starts_in: 2 }),
            (start, "2026-11-20", Position::Day(1)),
            // 20, 21, 22 → day 3.
            (start, "2026-11-22", Position::Day(3)),
            // 20 + 6 = 26 is day 7, the last of 7.
            (start, "2026-11-26", Position::Day(7)),
            (start, "2026-11-27", Position::Finished { days_ago: 1 }),
            // Across a year end: Dec 31 → Jan 1 is day 2.
            (Some(date("2026-12-31")), "2027-01-01", Position::Day(2)),
        ];
        for (started, today, expected) in cases {
            assert_eq!(position(started, date(today), 7), expected, "{today}");
        }
    }

    #[test]
    fn days_until_counts_calendar_days() {
        assert_eq!(days_until(date("2027-01-15"), date("2026-11-27")), 49);
        assert_eq!(days_until(date("2026-11-27"), date("2026-11-27")), 0);
        assert_eq!(days_until(date("2026-11-26"), date("2026-11-27")), -1);
    }

    #[test]
    fn ratings_go_stale_after_fourteen_days() {
        let rated = date("2026-11-01");
        assert!(!is_stale(rated, date("2026-11-15")), "14 days: still fresh");
        assert!(is_stale(rated, date("2026-11-16")), "15 days: stale");
    }

    #[test]
    fn pace_by_hand() {
        let today = date("2026-11-22");
        let done = |days: &[u32]| days.iter().copied().collect::<BTreeSet<u32>>();
        // Day 3 of 7 with days 1 and 2 done: on track, nothing to catch up.
        let on_track = pace(Position::Day(3), 7, &done(&[1, 2]), None, today).unwrap();
        assert_eq!(
            (
                on_track.expected,
                on_track.done,
                on_track.left,
                on_track.ahead
            ),
            (2, 2, 5, 0)
        );
        assert!(on_track.catch_up.is_empty());
        // Today's day done too: one ahead.
        assert_eq!(
            pace(Position::Day(3), 7, &done(&[1, 2, 3]), None, today)
                .unwrap()
                .ahead,
            1
        );
        // Day 5 with only day 1 done: days 2, 3, 4 missed, behind by 3. Each
        // missed day doubles up with a day due (5, 6, 7): three dates of two,
        // days 2 to 7 in plan order: 2 and 3 today, 4 and 5 tomorrow, 6 and 7
        // the day after.
        let behind = pace(Position::Day(5), 7, &done(&[1]), None, today).unwrap();
        assert_eq!(behind.ahead, -3);
        assert_eq!(
            behind.catch_up,
            [
                (date("2026-11-22"), vec![2, 3]),
                (date("2026-11-23"), vec![4, 5]),
                (date("2026-11-24"), vec![6, 7]),
            ]
        );
        // Day 6 with days 1-2 done: 3, 4, 5 missed, only 6 and 7 to pair with,
        // so five days, two a date: 3+4, 5+6, then 7 alone; the exam in 10 days
        // leaves room for all.
        let booked = Some(date("2026-12-02"));
        let late = pace(Position::Day(6), 7, &done(&[1, 2]), booked, today).unwrap();
        assert_eq!(late.days_to_exam, Some(10));
        assert_eq!(
            late.catch_up,
            [
                (date("2026-11-22"), vec![3, 4]),
                (date("2026-11-23"), vec![5, 6]),
                (date("2026-11-24"), vec![7]),
            ]
        );
        // After the plan with 4 of 7 days undone, exam in 2 days: two days, two
        // plan days each, and what does not fit is left out.
        let booked = Some(date("2026-11-24"));
        let over = pace(
            Position::Finished { days_ago: 3 },
            7,
            &done(&[1, 2, 3]),
            booked,
            today,
        )
        .unwrap();
        assert_eq!((over.expected, over.left, over.ahead), (7, 4, -4));
        assert_eq!(
            over.catch_up,
            [
                (date("2026-11-22"), vec![4, 5]),
                (date("2026-11-23"), vec![6, 7])
            ]
        );
        // Exam day, and a day after it, with days 4-7 undone: nothing scheduled.
        for (booked, days_to_exam) in [("2026-11-22", 0), ("2026-11-21", -1)] {
            let passed = pace(
                Position::Finished { days_ago: 3 },
                7,
                &done(&[1, 2, 3]),
                Some(date(booked)),
                today,
            )
            .unwrap();
            assert_eq!(passed.days_to_exam, Some(days_to_exam));
            assert_eq!((passed.left, passed.ahead), (4, -4));
            assert_eq!(passed.catch_up, [], "exam {booked}");
        }
        // Not started: no pace.
        assert_eq!(pace(Position::NotStarted, 7, &done(&[]), None, today), None);
        // Before the start: nothing expected yet.
        let early = pace(
            Position::BeforeStart { starts_in: 2 },
            7,
            &done(&[]),
            None,
            today,
        );
        assert_eq!(early.unwrap().ahead, 0);
    }

    #[test]
    fn catch_up_never_puts_a_later_day_before_an_earlier_missed_one() {
        let today = date("2026-11-22");
        let done = |days: &[u32]| days.iter().copied().collect::<BTreeSet<u32>>();
        // Day 6 of 7 with days 1, 2, 3 and 6 done: 4 and 5 were missed, today's
        // own day 6 is done, 7 is to come. Behind by 1 (4 done of 5 due). Two
        // missed days and one coming: 2 + min(1, 2) = 3 days, two a date.
        // Pairing a missed day with the day due gave 4 and 7 today, 5 tomorrow:
        // day 7, the final dry run, before the missed day 5. In plan order: 4
        // and 5 today, 7 tomorrow.
        let gap = pace(Position::Day(6), 7, &done(&[1, 2, 3, 6]), None, today).unwrap();
        assert_eq!((gap.expected, gap.done, gap.ahead), (5, 4, -1));
        assert_eq!(
            gap.catch_up,
            [
                (date("2026-11-22"), vec![4, 5]),
                (date("2026-11-23"), vec![7]),
            ]
        );
        // Day 5 with only day 1 done and the exam in 2 days: two dates, four
        // days. The missed 2, 3, 4 come first, then 5; 6 and 7 do not fit. A
        // missed day is never the one left out while a later day is scheduled.
        let booked = Some(date("2026-11-24"));
        let short = pace(Position::Day(5), 7, &done(&[1]), booked, today).unwrap();
        assert_eq!(
            short.catch_up,
            [
                (date("2026-11-22"), vec![2, 3]),
                (date("2026-11-23"), vec![4, 5]),
            ]
        );
    }

    #[test]
    fn an_exam_before_the_plan_days_left_squeezes_them() {
        let today = date("2026-11-22");
        let done = |days: &[u32]| days.iter().copied().collect::<BTreeSet<u32>>();
        let squeeze = |position, done_days: &[u32], booked: &str| {
            pace(position, 7, &done(done_days), Some(date(booked)), today)
                .unwrap()
                .squeeze
        };
        // Day 3 of 7 (day 1 on 2026-11-20), days 1 and 2 done: on track with 5
        // plan days left, days 3 to 7, 2026-11-22 to 11-26.
        // Exam 11-25, 3 days away, on plan day 3 + 3 = 6: 5 days for 3, two a day
        // on 5 − 3 = 2 of them.
        let on_day_six = squeeze(Position::Day(3), &[1, 2], "2026-11-25").unwrap();
        assert_eq!(
            on_day_six,
            Squeeze {
                exam_day: 6,
                days: 7,
                left: 5,
                days_to_exam: 3
            }
        );
        assert_eq!(on_day_six.doubled_days(), Some(2));
        // Exam 11-26, the plan's last day (day 7): the exam day is no study day,
        // so 5 days for 4, one of them doubled.
        let last_day = squeeze(Position::Day(3), &[1, 2], "2026-11-26").unwrap();
        assert_eq!((last_day.exam_day, last_day.doubled_days()), (7, Some(1)));
        // Exam 11-24, 2 days away (day 5): 5 days for 2 is more than two a day.
        let two_days = squeeze(Position::Day(3), &[1, 2], "2026-11-24").unwrap();
        assert_eq!((two_days.exam_day, two_days.doubled_days()), (5, None));
        // Exam 11-27, the day after the plan ends: 5 days for 5, no squeeze.
        assert_eq!(squeeze(Position::Day(3), &[1, 2], "2026-11-27"), None);
        // Two days ahead (1 to 4 done on day 3): 3 left for the 3 days before an
        // exam on day 6 fit, though the exam is before the plan's end.
        assert_eq!(squeeze(Position::Day(3), &[1, 2, 3, 4], "2026-11-25"), None);
        // Exam day and past: nothing left to fit.
        assert_eq!(squeeze(Position::Day(3), &[1, 2], "2026-11-22"), None);
        assert_eq!(squeeze(Position::Day(3), &[1, 2], "2026-11-21"), None);
        // Before the start (day 1 in 2 days, so today is day −1), nothing done:
        // an exam in 5 days falls on day −1 + 5 = 4, 7 days for 5.
        let early = squeeze(Position::BeforeStart { starts_in: 2 }, &[], "2026-11-27").unwrap();
        assert_eq!(
            (early.exam_day, early.left, early.doubled_days()),
            (4, 7, Some(2))
        );
        // Three days after the end (today is day 10) with 4 undone, exam in 2 days
        // (day 12): after the plan, and still 4 days for 2, exactly two a day.
        let over = squeeze(Position::Finished { days_ago: 3 }, &[1, 2, 3], "2026-11-24").unwrap();
        assert_eq!((over.exam_day, over.doubled_days()), (12, Some(2)));
    }
}
