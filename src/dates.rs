//! The calendar date of certprep's files: a TOML local date (`2026-11-20`, no
//! quotes), within the range every derived date stays readable in. A leaf: the
//! progress file and its history both hold dates, and neither imports the other
//! for it.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date stored as a TOML local date (`2026-11-20`, no quotes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use chrono::Datelike;
        let date = toml::value::Date {
            year: self.0.year() as u16,
            month: self.0.month() as u8,
            day: self.0.day() as u8,
        };
        toml::value::Datetime {
            date: Some(date),
            time: None,
            offset: None,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let invalid = || serde::de::Error::custom("expected a TOML local date such as 2026-11-20");
        let datetime = toml::value::Datetime::deserialize(deserializer).map_err(|_| invalid())?;
        match datetime {
            toml::value::Datetime {
                date: Some(date),
                time: None,
                offset: None,
            } => NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
                .ok_or_else(invalid)
                .and_then(|date| Date::new(date).map_err(serde::de::Error::custom)),
            _ => Err(invalid()),
        }
    }
}

impl Date {
    /// The first and last dates certprep works with, as the errors say them. Every
    /// date derived from one (the end of a plan of up to 1 000 days, a calendar
    /// event's end, a countdown) then stays a four-digit year that TOML tools,
    /// Python's `tomllib` among them, and calendars read.
    pub const RANGE: (&str, &str) = ("1970-01-01", "9000-12-31");

    /// Parses a calendar date written YYYY-MM-DD, rejecting impossible ones such
    /// as 2026-02-30 and those outside [`Date::RANGE`]; the error says why.
    pub fn parse(text: &str) -> Result<Date, String> {
        // chrono alone would also take "2026-1-5" or "+2026-11-20"; insist on the form.
        let well_formed = text.len() == 10
            && text.bytes().enumerate().all(|(index, byte)| match index {
                4 | 7 => byte == b'-',
                _ => byte.is_ascii_digit(),
            });
        let date = well_formed
            .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
            .flatten()
            .ok_or_else(|| format!("'{text}' is not a date; use YYYY-MM-DD, e.g. 2026-11-20"))?;
        Date::new(date)
    }

    /// `date`, if it lies within [`Date::RANGE`]; else why not.
    pub fn new(date: NaiveDate) -> Result<Date, String> {
        let (first, last) = Self::RANGE;
        let bound = |text| NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a valid bound");
        if (bound(first)..=bound(last)).contains(&date) {
            Ok(Date(date))
        } else {
            Err(format!(
                "{} is outside the dates certprep works with, {first} to {last}",
                date.format("%Y-%m-%d")
            ))
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.format("%Y-%m-%d").fmt(f)
    }
}
