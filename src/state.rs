//! The learner's progress file: its model, and its load and update through
//! [`crate::store`], which holds the rules of reading, locking and writing it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use anyhow::Result;
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

mod quick;

use crate::history;
use crate::store::{self, VERSION, Version};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    pub version: Version,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub exams: BTreeMap<String, Progress>,
}

impl Default for State {
    fn default() -> Self {
        State {
            version: Version(VERSION),
            active: None,
            exams: BTreeMap::new(),
        }
    }
}

impl State {
    /// The progress for `exam`, or empty progress when none is recorded.
    pub fn progress(&self, exam: &str) -> Progress {
        self.exams.get(exam).cloned().unwrap_or_default()
    }

    /// The progress for `exam`, created if missing. Recording progress for an exam
    /// while none is active makes it active (DESIGN section 3).
    pub fn progress_mut(&mut self, exam: &str) -> &mut Progress {
        if self.active.is_none() {
            self.active = Some(exam.to_string());
        }
        self.exams.entry(exam.to_string()).or_default()
    }
}

/// Progress on one exam, keyed by the guide's stable ids. Ids the guide does not
/// know are kept as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked: Option<Date>,
    #[serde(default)]
    pub ticked: BTreeSet<String>,
    #[serde(default)]
    pub days_done: BTreeSet<u32>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ratings: BTreeMap<String, Rating>,
    /// When each rating was given, so an old one can be flagged as stale.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rated: BTreeMap<String, Date>,
}

/// A self-rating, 1 (new to me) ..= 5 (exam-ready).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Rating(u8);

impl Rating {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 5;

    pub fn new(value: u8) -> Option<Rating> {
        (Self::MIN..=Self::MAX)
            .contains(&value)
            .then_some(Rating(value))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Rating {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = i64::deserialize(deserializer)?;
        u8::try_from(value)
            .ok()
            .and_then(Rating::new)
            .ok_or_else(|| serde::de::Error::custom(format!("rating {value} is not within 1..=5")))
    }
}

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

/// The canonical bytes of a state: sorted, no duplicates, so the same progress
/// always writes the same file.
pub fn serialize(state: &State) -> String {
    toml::to_string(state).expect("the state model always serializes to TOML")
}

/// Parses state text; errors name `path` and the line.
pub fn parse(text: &str, path: &Path) -> Result<State> {
    store::parse_toml(text, path, "state file")
}

/// Reads the state at `path`; a missing file is empty progress. Never writes.
/// A file in certprep's own layout is read without the toml parser ([`quick`]).
pub fn load(path: &Path) -> Result<State> {
    Ok(store::read_toml_with(path, "state file", quick::parse)?.value)
}

/// Runs `change` on the state under the lock and saves the result atomically when
/// it differs from what was read; when `change` fails nothing is written.
///
/// `change` returns, beside its value, what the change means for the history
/// (study progress is recorded there; choosing or dating an exam is not). The
/// state is the record and is committed first; the history follows it. A history
/// that cannot be read stops the change before anything is written (certprep
/// never overwrites a file it cannot read); one that cannot be written after the
/// state is committed is a warning on stderr, not a lost change.
pub fn update<T>(
    path: &Path,
    mut change: impl FnMut(&mut State) -> Result<(T, history::Effect)>,
) -> Result<T> {
    let path = store::resolve(path, "state file")?;
    let history_path = history::path_for(&path);
    let mut history_text = None;
    let updated = store::update(&path, "state file", &mut change, |_, (_, effect)| {
        history_text = history::prepare(&history_path, effect)?;
        Ok(())
    })?;
    let (value, _) = updated.value;
    if let (Some(_lock), Some(text)) = (&updated.lock, history_text) {
        let new = store::NewFile {
            mode: store::PRIVATE,
            belongs_with: &path,
        };
        if let Err(error) = store::write_atomic(&history_path, text.as_bytes(), &new) {
            let error = error.context(format!(
                "the change is saved in {}, but the history was not updated",
                path.display()
            ));
            crate::render::report(crate::render::Level::Warning, &error);
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date(NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
    }

    #[test]
    fn serializes_dates_natively_and_sorted() {
        let mut state = State {
            active: Some("associate".into()),
            ..State::default()
        };
        let progress = state.progress_mut("associate");
        progress.started = Some(date("2026-11-20"));
        progress
            .ticked
            .extend(["mlflow-tracking".into(), "automl".into()]);
        progress.days_done.extend([2, 1]);
        progress
            .ratings
            .insert("model-development".into(), Rating(2));
        progress.ratings.insert("databricks-ml".into(), Rating(3));
        let expected = "version = 1\nactive = \"associate\"\n\n[exams.associate]\nstarted = 2026-11-20\nticked = [\"automl\", \"mlflow-tracking\"]\ndays_done = [1, 2]\n\n[exams.associate.ratings]\ndatabricks-ml = 3\nmodel-development = 2\n";
        assert_eq!(serialize(&state), expected);
        assert_eq!(parse(expected, Path::new("s.toml")).unwrap(), state);
    }

    #[test]
    fn errors_name_file_and_line() {
        let cases = [
            ("version = 1\n[exams.a]\nticked = [\"x\"\n", ":3"),
            ("version = 1\n\n[exams.a]\nstarted = \"2026-11-20\"\n", ":4"),
            ("version = 1\n[exams.a.ratings]\nx = 6\n", ":3"),
            ("version = 2\n", ":1"),
            ("version = 1\n[exams.a]\nstarted = 2026-02-30\n", ":3"),
        ];
        for (text, line) in cases {
            let error = parse(text, Path::new("s.toml")).unwrap_err().to_string();
            assert!(
                error.contains(&format!("s.toml{line}")),
                "{text:?}: {error}"
            );
        }
    }
}
