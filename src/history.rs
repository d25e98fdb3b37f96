//! Readiness history: one snapshot per exam per day (the day's last wins), kept in
//! a file beside the state (`state.history.toml` beside `state.toml`), so the
//! prompt, which never reads it, costs the same however long the history grows.
//!
//! ```toml
//! version = 1
//!
//! [exams.associate]
//! 2026-11-20 = 12.5
//! 2026-11-22 = 40.2
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::dates::Date;
use crate::store::{self, Snapshot, VERSION, Version};

/// The history file: each exam's readiness snapshots, by day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    pub version: Version,
    /// Per exam id: readiness (percent) by day.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "percents_by_day"
    )]
    pub exams: BTreeMap<String, BTreeMap<DateKey, f64>>,
}

impl Default for History {
    fn default() -> Self {
        History {
            version: Version(VERSION),
            exams: BTreeMap::new(),
        }
    }
}

/// A snapshot's value as read: a readiness percent, so that `nan`, `inf` or 250
/// in the file is refused at its line instead of printed as "NaN%".
struct Percent(f64);

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        if (0.0..=100.0).contains(&value) {
            Ok(Percent(value))
        } else {
            Err(serde::de::Error::custom(format!(
                "{value} is not a readiness percent from 0 to 100"
            )))
        }
    }
}

fn percents_by_day<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, BTreeMap<DateKey, f64>>, D::Error> {
    let exams = BTreeMap::<String, BTreeMap<DateKey, Percent>>::deserialize(deserializer)?;
    Ok(exams
        .into_iter()
        .map(|(exam, days)| {
            let days = days.into_iter().map(|(day, percent)| (day, percent.0));
            (exam, days.collect())
        })
        .collect())
}

/// A snapshot's date, written as a TOML key (`2026-11-22 = 40.2`): a calendar
/// date, not a plan day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateKey(pub NaiveDate);

impl Serialize for DateKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0.format("%Y-%m-%d"))
    }
}

impl<'de> Deserialize<'de> for DateKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text)
            .map(|date| DateKey(date.0))
            .map_err(serde::de::Error::custom)
    }
}

impl store::Document for History {
    const MAKE_ROOM: &'static str = MAKE_ROOM;

    fn to_text(&self) -> String {
        toml::to_string(self).expect("the history model always serializes to TOML")
    }
}

/// The history file that goes with a state file: `state.toml` →
/// `state.history.toml`, in the same directory.
pub fn path_for(state_path: &Path) -> PathBuf {
    let stem = state_path
        .file_stem()
        .map_or("state".into(), |stem| stem.to_string_lossy());
    state_path.with_file_name(format!("{stem}.history.toml"))
}

/// Reads the history; a missing file is an empty history. Never writes.
pub fn load(path: &Path) -> Result<History> {
    Ok(store::read_toml(path, "history file", store::Links::Refuse)?.value)
}

/// How to make room in a history file that a change would grow past
/// [`store::MAX_FILE_BYTES`].
const MAKE_ROOM: &str = "to make room, move the history file away: it holds only the readiness snapshots `certprep history` shows, and certprep starts a new one";

/// What a change to the state means for the history.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// No study progress (which exam is active, when it starts, when it is
    /// booked): the history is left alone.
    None,
    /// Study progress: `readiness` becomes `exam`'s snapshot for `day`, replacing
    /// an earlier one of the same day.
    Snapshot {
        exam: String,
        day: NaiveDate,
        /// Overall readiness, percent, 0..=100.
        readiness: f64,
    },
    /// Study progress dated before today (a practice sitting recorded after the
    /// day it was sat): `day` becomes a day with progress, so a streak or a
    /// coach's "last" counts it on its own date, not on the day it was typed in.
    /// A snapshot the day has stays; without one it gets the readiness in effect
    /// then: the snapshot before it, else `readiness`, today's.
    Dated {
        exam: String,
        day: NaiveDate,
        readiness: f64,
    },
    /// The exam's progress was erased (`reset`): its history is forgotten too.
    Forget { exam: String },
}

/// The history file's text after `effect`, or `None` when the file stays as it
/// is. Reads the file (a broken one is an error), never writes it: the state is
/// committed first, and the history follows it.
pub fn prepare(path: &Path, effect: &Effect) -> Result<Option<String>> {
    if *effect == Effect::None {
        return Ok(None);
    }
    let Snapshot {
        value: mut history,
        text: original,
    } = store::read_toml::<History>(path, "history file", store::Links::Refuse)?;
    match effect {
        Effect::None => {}
        Effect::Snapshot {
            exam,
            day,
            readiness,
        } => {
            history
                .exams
                .entry(exam.clone())
                .or_default()
                .insert(DateKey(*day), *readiness);
        }
        Effect::Dated {
            exam,
            day,
            readiness,
        } => {
            let days = history.exams.entry(exam.clone()).or_default();
            if !days.contains_key(&DateKey(*day)) {
                let then = days
                    .range(..DateKey(*day))
                    .next_back()
                    .map_or(*readiness, |(_, value)| *value);
                days.insert(DateKey(*day), then);
            }
        }
        Effect::Forget { exam } => {
            history.exams.remove(exam);
        }
    }
    let text = toml::to_string(&history).expect("the history model always serializes to TOML");
    let unchanged = match &original {
        Some(original) => *original == text,
        None => history.exams.is_empty(),
    };
    if unchanged {
        return Ok(None);
    }
    store::refuse_past_limit(&text, path, "history file", MAKE_ROOM)?;
    Ok(Some(text))
}

/// The study streak on `today`: consecutive days with a snapshot, ending today
/// or, before today's first change, yesterday. Returns its length and first day.
pub fn streak(days: &BTreeMap<DateKey, f64>, today: NaiveDate) -> (u32, Option<NaiveDate>) {
    let recorded = |date: NaiveDate| days.contains_key(&DateKey(date));
    let Some(mut day) = [today, today - chrono::Days::new(1)]
        .into_iter()
        .find(|date| recorded(*date))
    else {
        return (0, None);
    };
    let mut length = 1;
    while let Some(before) = day.pred_opt().filter(|before| recorded(*before)) {
        day = before;
        length += 1;
    }
    (length, Some(day))
}

/// Readiness on each of the last `span` days up to `today`, carrying a snapshot
/// forward over days without one; days before the first snapshot are left out.
pub fn daily(days: &BTreeMap<DateKey, f64>, today: NaiveDate, span: u64) -> Vec<(NaiveDate, f64)> {
    let start = today - chrono::Days::new(span.saturating_sub(1));
    let mut current = days
        .range(..DateKey(start))
        .next_back()
        .map(|(_, value)| *value);
    let mut series = Vec::new();
    let mut day = start;
    while day <= today {
        if let Some(value) = days.get(&DateKey(day)) {
            current = Some(*value);
        }
        if let Some(value) = current {
            series.push((day, value));
        }
        day = day.succ_opt().expect("dates in range");
    }
    series
}

/// One block character per value, on the 0..=100 scale of a percent.
pub fn sparkline(values: impl IntoIterator<Item = f64>) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .into_iter()
        .map(|value| BARS[((value.clamp(0.0, 100.0) / 100.0) * 7.0).round() as usize])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        Date::parse(text).unwrap().0
    }

    fn days(entries: &[(&str, f64)]) -> BTreeMap<DateKey, f64> {
        entries
            .iter()
            .map(|(day, value)| (DateKey(date(day)), *value))
            .collect()
    }

    #[test]
    fn streaks() {
        let history = days(&[
            ("2026-11-18", 5.0),
            ("2026-11-20", 10.0),
            ("2026-11-21", 20.0),
            ("2026-11-22", 30.0),
        ]);
        // 20, 21, 22: three days; the gap on the 19th ends it.
        assert_eq!(
            streak(&history, date("2026-11-22")),
            (3, Some(date("2026-11-20")))
        );
        // On the 23rd, before any change that day, the streak still stands.
        assert_eq!(
            streak(&history, date("2026-11-23")),
            (3, Some(date("2026-11-20")))
        );
        // A day without progress in between ends it.
        assert_eq!(streak(&history, date("2026-11-24")), (0, None));
        assert_eq!(streak(&BTreeMap::new(), date("2026-11-24")), (0, None));
    }

    #[test]
    fn daily_series_carries_values_forward() {
        let history = days(&[("2026-11-18", 5.0), ("2026-11-21", 20.0)]);
        // The last 5 days up to the 22nd: 18 → 5, 19 → 5, 20 → 5, 21 → 20, 22 → 20.
        let series = daily(&history, date("2026-11-22"), 5);
        let values: Vec<f64> = series.iter().map(|(_, value)| *value).collect();
        assert_eq!(values, [5.0, 5.0, 5.0, 20.0, 20.0]);
        assert_eq!(series[0].0, date("2026-11-18"));
        // A window starting after the first snapshot carries it in: 3 days to the
        // 22nd start on the 20th, which holds the 18th's 5.
        let values: Vec<f64> = daily(&history, date("2026-11-22"), 3)
            .iter()
            .map(|d| d.1)
            .collect();
        assert_eq!(values, [5.0, 20.0, 20.0]);
        // Days before the first snapshot are left out.
        assert_eq!(daily(&history, date("2026-11-18"), 30).len(), 1);
    }

    #[test]
    fn sparklines() {
        // 0 → ▁, 100 → █, 50 → 3.5 rounds to 4 → ▅.
        assert_eq!(sparkline([0.0, 50.0, 100.0, 140.0]), "▁▅██");
    }

    #[test]
    fn history_path_is_beside_the_state() {
        assert_eq!(
            path_for(Path::new("/x/certprep/state.toml")),
            Path::new("/x/certprep/state.history.toml")
        );
        assert_eq!(
            path_for(Path::new("mine.toml")),
            Path::new("mine.history.toml")
        );
    }
}
