//! Where today falls in a study plan. Pure: dates in, position out.

use chrono::NaiveDate;

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

/// Days from `today` to `date`: positive ahead, 0 today, negative past.
pub fn days_until(date: NaiveDate, today: NaiveDate) -> i64 {
    (date - today).num_days()
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
}
