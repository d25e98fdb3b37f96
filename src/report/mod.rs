//! The class report (DESIGN section 11): one row per learner and exam, and a
//! summary per exam, over the state files a coach collected.
//!
//! One view, several renderings: [`read_cohort`] computes a [`Cohort`] (plain
//! data; `--json` is it serialized), and [`text`], [`csv`] and [`html`] render
//! it. Files are read in parallel, each reduced to its rows at once, so memory
//! holds per-learner summaries, never the files.

pub mod csv;
pub mod html;
mod read;
pub mod text;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::iter::{ParallelBridge, ParallelIterator};
use serde::Serialize;

use crate::guide::Guide;
use crate::history::{DateKey, History};
use crate::readiness::{self, Tally};
use crate::schedule;
use crate::state::{self, Progress};
use crate::store::FileId;

use read::ReadError;

/// A pass chance below this puts a learner on the at-risk list.
pub const AT_RISK_BELOW: f64 = 0.5;
/// A booked exam this many days away or fewer puts a learner on the sitting-soon list.
pub const SITTING_SOON_DAYS: i64 = 14;
/// How many learners a warning about an exam without a guide names.
const NAMES_IN_A_WARNING: usize = 3;

/// What the report is about.
pub struct Settings<'a> {
    /// The guides to report on; an exam without one here is a warning.
    pub guides: &'a [Guide],
    /// `-e EXAM`: only this exam, with a row for every learner, started or not.
    pub only: Option<&'a str>,
    pub today: NaiveDate,
    /// `--target P`; without it each exam's target is its guide's
    /// `assessment.pass_percent`, else 70 (DESIGN section 10).
    pub target: Option<u8>,
}

/// The whole report. `--json` is this value serialized.
#[derive(Debug, Serialize)]
pub struct Cohort {
    /// Sorted by learner, then exam.
    pub learners: Vec<Row>,
    /// One entry per exam, in guide order.
    pub summary: Vec<Summary>,
    /// Learners whose file records no exam (without `-e`), sorted.
    pub not_started: Vec<String>,
    /// How many learner files were read.
    #[serde(skip)]
    pub read: usize,
    /// Files skipped and exams left out, one line each, raw (escape to print).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// One learner on one exam; fields named as in `status --json`.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The learner's name (see `read::learner_name`).
    pub learner: String,
    /// The path the learner's file was read from.
    pub file: String,
    pub exam: String,
    pub readiness: f64,
    pub sections: Vec<SectionReadiness>,
    pub checklist: Tally,
    pub plan: Plan,
    pub pace: Option<Pace>,
    pub forecast: Forecast,
    #[serde(serialize_with = "iso_date")]
    pub booked: Option<NaiveDate>,
    pub days_left: Option<i64>,
    /// The weakest section: the one the forecast expects to cost most points
    /// (the first of equals), as `next` and `status` name it.
    pub weakest: Option<String>,
    /// The last day the history file has a snapshot for this exam.
    #[serde(serialize_with = "iso_date")]
    pub last_progress: Option<NaiveDate>,
}

impl Row {
    /// Behind the plan: fewer plan days done than days gone by.
    pub fn is_behind(&self) -> bool {
        self.pace.as_ref().is_some_and(|pace| pace.ahead < 0)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionReadiness {
    pub id: String,
    pub readiness: f64,
    /// Expected lost points: n_s · (1 − a_s) in the forecast, to four decimals.
    pub lost: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    #[serde(serialize_with = "iso_date")]
    pub started: Option<NaiveDate>,
    pub day: Option<u32>,
    pub days: u32,
    pub done: u32,
}

/// Keeping up with the plan, as in `status --json` (without the catch-up steps).
#[derive(Debug, Clone, Serialize)]
pub struct Pace {
    pub expected: u32,
    pub done: u32,
    pub left: u32,
    /// Days ahead of the plan; negative when behind.
    pub ahead: i64,
}

/// The forecast's headline (DESIGN section 10), to four decimals.
#[derive(Debug, Clone, Serialize)]
pub struct Forecast {
    pub questions: u32,
    pub target_percent: u8,
    pub pass_mark: u32,
    pub expected: f64,
    pub pass_chance: f64,
    pub practice_tests: usize,
}

/// The class on one exam.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub exam: String,
    pub name: String,
    pub learners: usize,
    pub readiness: Spread,
    /// Each section's mean readiness and mean expected lost points over the
    /// class, in guide order.
    pub sections: Vec<SectionReadiness>,
    /// The class's weakest section: the most mean expected lost points.
    pub weakest: Option<String>,
    /// How many learners are behind the plan.
    pub behind: usize,
    /// Learners whose pass chance is below 50 %.
    pub at_risk: Vec<String>,
    /// Learners whose booked exam is today or within 14 days.
    pub sitting_soon: Vec<SittingSoon>,
}

#[derive(Debug, Serialize)]
pub struct Spread {
    pub mean: f64,
    pub median: f64,
}

#[derive(Debug, Serialize)]
pub struct SittingSoon {
    pub learner: String,
    #[serde(serialize_with = "iso_day")]
    pub booked: NaiveDate,
    pub days_left: i64,
}

/// What one learner file gave.
#[derive(Default)]
struct FileReport {
    /// The file read, when it could be opened.
    file: Option<FileId>,
    /// Where the PATHs named it, counting from 0.
    order: usize,
    /// The path it was read from.
    path: PathBuf,
    learner: Option<String>,
    rows: Vec<Row>,
    warnings: Vec<String>,
    /// Exam ids in the file that no guide (or not `-e EXAM`) covers.
    unguided: Vec<String>,
}

/// Reads every learner the PATHs name, in parallel, and builds the report.
pub fn read_cohort(paths: &[PathBuf], settings: &Settings) -> Cohort {
    let reports: Vec<FileReport> = read::learner_files(paths)
        .enumerate()
        .par_bridge()
        .map(|(order, entry)| {
            let report = match entry {
                Ok(path) => read_learner(&path, settings),
                Err(warning) => FileReport {
                    warnings: vec![warning],
                    ..FileReport::default()
                },
            };
            FileReport { order, ..report }
        })
        .collect();
    let mut reports = once_per_file(reports);
    read::tell_apart(&mut reports);
    let mut cohort = Cohort {
        learners: Vec::new(),
        summary: Vec::new(),
        not_started: Vec::new(),
        read: 0,
        warnings: Vec::new(),
    };
    let mut unguided: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for report in reports {
        cohort.warnings.extend(report.warnings);
        let Some(learner) = report.learner else {
            continue;
        };
        cohort.read += 1;
        if report.rows.is_empty() && report.unguided.is_empty() && settings.only.is_none() {
            cohort.not_started.push(learner.clone());
        }
        for exam in report.unguided {
            unguided.entry(exam).or_default().push(learner.clone());
        }
        cohort.learners.extend(report.rows);
    }
    cohort.warnings.sort();
    cohort.warnings.extend(
        unguided
            .into_iter()
            .map(|(exam, learners)| unguided_warning(&exam, learners)),
    );
    cohort.not_started.sort();
    cohort
        .learners
        .sort_by(|a, b| (&a.learner, &a.exam).cmp(&(&b.learner, &b.exam)));
    cohort.summary = settings
        .guides
        .iter()
        .filter_map(|guide| summarize(guide, &cohort.learners))
        .collect();
    cohort
}

/// One report per file, however many ways the PATHs name it (the same path twice,
/// through `..`, a hard or symbolic link, a directory and a file in it): a learner
/// counted twice would skew the class's mean and median. Of the names, the one
/// that sorts first is kept, then the one given first, whatever order the PATHs
/// or a directory list them in. A path that could not be opened names no file
/// and is kept.
fn once_per_file(mut reports: Vec<FileReport>) -> Vec<FileReport> {
    reports.sort_by(|a, b| (a.file, &a.learner, a.order).cmp(&(b.file, &b.learner, b.order)));
    reports.dedup_by(|later, kept| later.file.is_some() && later.file == kept.file);
    reports
}

/// "exam "x" has no guide; left out for 4 learners (ann, bob, cy, …)".
fn unguided_warning(exam: &str, mut learners: Vec<String>) -> String {
    learners.sort();
    let count = learners.len();
    let mut named = learners[..count.min(NAMES_IN_A_WARNING)].join(", ");
    if count > NAMES_IN_A_WARNING {
        named.push_str(", …");
    }
    format!(
        "exam \"{exam}\" has no guide; left it out for {count} learner{} ({named})",
        crate::render::plural(count)
    )
}

/// One learner file reduced to its rows; its text is dropped on return.
fn read_learner(path: &Path, settings: &Settings) -> FileReport {
    let skipped = |warning: String| FileReport {
        warnings: vec![warning],
        ..FileReport::default()
    };
    let (text, file) = match read::read_text(path) {
        Ok(read) => read,
        Err(ReadError::Missing) => {
            return skipped(format!("skipping {}: no such file", path.display()));
        }
        Err(ReadError::Unreadable(why)) => {
            return skipped(format!("skipping {}: {why}", path.display()));
        }
    };
    let learner_state = match state::parse(&text, path) {
        Ok(state) => state,
        Err(error) => {
            return FileReport {
                file: Some(file),
                ..skipped(format!("skipping learner: {error:#}"))
            };
        }
    };
    drop(text);
    let learner = read::learner_name(path, learner_state.name.as_deref());
    let mut report = FileReport {
        file: Some(file),
        path: path.to_path_buf(),
        ..FileReport::default()
    };
    let history = read_history(path, &mut report.warnings);
    let not_started = Progress::default();
    let wanted: Vec<(&str, &Progress)> = match settings.only {
        Some(exam) => vec![(exam, learner_state.exams.get(exam).unwrap_or(&not_started))],
        None => learner_state
            .exams
            .iter()
            .map(|(exam, progress)| (exam.as_str(), progress))
            .collect(),
    };
    for (exam, progress) in wanted {
        match settings.guides.iter().find(|guide| guide.id == exam) {
            Some(guide) => {
                let days = history.as_ref().and_then(|history| history.exams.get(exam));
                report.rows.push(Row {
                    file: path.display().to_string(),
                    ..row(&learner, guide, progress, days, settings)
                });
            }
            None => report.unguided.push(exam.to_string()),
        }
    }
    report.learner = Some(learner);
    report
}

/// The history beside the state file, if there is one that reads; a broken one
/// is a warning, and the learner is reported without it.
fn read_history(state_path: &Path, warnings: &mut Vec<String>) -> Option<History> {
    let path = crate::history::path_for(state_path);
    let text = match read::read_text(&path) {
        Ok((text, _)) => text,
        Err(ReadError::Missing) => return None,
        Err(ReadError::Unreadable(why)) => {
            warnings.push(format!("ignoring history {}: {why}", path.display()));
            return None;
        }
    };
    match toml::from_str::<History>(&text) {
        Ok(history) => Some(history),
        Err(error) => {
            let message = error.message().trim_end().replace('\n', "; ");
            warnings.push(format!(
                "ignoring history {}: it is not valid: {message}",
                path.display()
            ));
            None
        }
    }
}

/// One learner's row for one exam.
fn row(
    learner: &str,
    guide: &Guide,
    progress: &Progress,
    history: Option<&BTreeMap<DateKey, f64>>,
    settings: &Settings,
) -> Row {
    let today = settings.today;
    let assessment = readiness::assess(guide, progress);
    let days = guide.plan_days();
    let started = progress.started.map(|date| date.0);
    let position = schedule::position(started, today, days);
    let booked = progress.booked.map(|date| date.0);
    let pace = schedule::pace(position, days, &progress.days_done, booked, today);
    let (target_percent, _) = crate::forecast::target(guide, settings.target);
    let forecast = crate::forecast::for_exam(guide, progress, today, target_percent);
    let sections: Vec<SectionReadiness> = guide
        .sections
        .iter()
        .zip(&assessment.sections)
        .map(|(section, score)| SectionReadiness {
            id: section.id.clone(),
            readiness: score.readiness,
            lost: forecast
                .section(&section.id)
                .map_or(0.0, |found| four_places(found.lost)),
        })
        .collect();
    Row {
        learner: learner.to_string(),
        file: String::new(),
        exam: guide.id.clone(),
        readiness: assessment.overall,
        weakest: forecast.weakest().map(|weakest| weakest.id.clone()),
        sections,
        checklist: assessment.checklist,
        plan: Plan {
            started,
            day: position.day(),
            days,
            done: (1..=days)
                .filter(|day| progress.days_done.contains(day))
                .count() as u32,
        },
        pace: pace.map(|pace| Pace {
            expected: pace.expected,
            done: pace.done,
            left: pace.left,
            ahead: pace.ahead,
        }),
        forecast: headline(&forecast),
        booked,
        days_left: booked.map(|date| schedule::days_until(date, today)),
        last_progress: history
            .and_then(|days| days.keys().next_back())
            .map(|day| day.0),
    }
}

/// The section with the most mean expected lost points; the first of equals.
fn weakest(sections: &[SectionReadiness]) -> Option<String> {
    sections
        .iter()
        .reduce(|most, section| {
            if section.lost > most.lost {
                section
            } else {
                most
            }
        })
        .map(|section| section.id.clone())
}

/// The headline of the learner's forecast, computed by the very function
/// `certprep forecast` uses (ratings and practice sittings), against the same
/// target.
fn headline(forecast: &crate::forecast::Forecast) -> Forecast {
    Forecast {
        questions: forecast.questions,
        target_percent: forecast.target_percent,
        pass_mark: forecast.pass_mark,
        expected: four_places(forecast.expected),
        pass_chance: four_places(forecast.pass_chance),
        practice_tests: forecast.practice_tests,
    }
}

/// Four decimals, as `forecast --json` writes them: more than any display
/// needs, without binary noise (35.099999999999994) in the CSV and JSON.
fn four_places(value: f64) -> f64 {
    (value * 1e4).round() / 1e4
}

/// The class on `guide`'s exam, or `None` when no row is about it.
fn summarize(guide: &Guide, rows: &[Row]) -> Option<Summary> {
    let rows: Vec<&Row> = rows.iter().filter(|row| row.exam == guide.id).collect();
    if rows.is_empty() {
        return None;
    }
    let count = rows.len() as f64;
    let sections: Vec<SectionReadiness> = guide
        .sections
        .iter()
        .enumerate()
        .map(|(index, section)| {
            let mean = |of: fn(&SectionReadiness) -> f64| {
                rows.iter().map(|row| of(&row.sections[index])).sum::<f64>() / count
            };
            SectionReadiness {
                id: section.id.clone(),
                readiness: mean(|section| section.readiness),
                lost: four_places(mean(|section| section.lost)),
            }
        })
        .collect();
    let mut sitting_soon: Vec<SittingSoon> = rows
        .iter()
        .filter_map(|row| {
            let days_left = row
                .days_left
                .filter(|days| (0..=SITTING_SOON_DAYS).contains(days))?;
            Some(SittingSoon {
                learner: row.learner.clone(),
                booked: row.booked?,
                days_left,
            })
        })
        .collect();
    sitting_soon.sort_by(|a, b| (a.days_left, &a.learner).cmp(&(b.days_left, &b.learner)));
    Some(Summary {
        exam: guide.id.clone(),
        name: guide.name.clone(),
        learners: rows.len(),
        readiness: spread(rows.iter().map(|row| row.readiness).collect()),
        weakest: weakest(&sections),
        sections,
        behind: rows.iter().filter(|row| row.is_behind()).count(),
        at_risk: rows
            .iter()
            .filter(|row| row.forecast.pass_chance < AT_RISK_BELOW)
            .map(|row| row.learner.clone())
            .collect(),
        sitting_soon,
    })
}

/// A date as JSON shows dates: `"2026-11-20"`, or `null`.
fn iso_date<S: serde::Serializer>(
    date: &Option<NaiveDate>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => iso_day(date, serializer),
        None => serializer.serialize_none(),
    }
}

fn iso_day<S: serde::Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&date.format("%Y-%m-%d"))
}

/// Mean and median of at least one value.
fn spread(mut values: Vec<f64>) -> Spread {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    let median = if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    };
    Spread {
        mean: values.iter().sum::<f64>() / values.len() as f64,
        median,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads() {
        // Odd: the middle value; even: the mean of the two middle ones.
        let odd = spread(vec![30.0, 10.0, 20.0]);
        assert_eq!((odd.mean, odd.median), (20.0, 20.0));
        let even = spread(vec![40.0, 10.0, 0.0, 30.0]);
        assert_eq!((even.mean, even.median), (20.0, 20.0));
        let skewed = spread(vec![0.0, 0.0, 90.0]);
        assert_eq!((skewed.mean, skewed.median), (30.0, 0.0));
    }

    #[test]
    fn weakest_is_the_first_of_equals() {
        // Most lost points, whatever the readiness.
        let section = |id: &str, lost| SectionReadiness {
            id: id.to_string(),
            readiness: 90.0,
            lost,
        };
        let sections = [section("a", 2.0), section("b", 6.5), section("c", 6.5)];
        assert_eq!(weakest(&sections).as_deref(), Some("b"));
        assert_eq!(weakest(&[]), None);
    }

    #[test]
    fn unguided_warnings_name_a_few_learners() {
        let learners = ["d", "b", "a", "c"].map(String::from).to_vec();
        assert_eq!(
            unguided_warning("x", learners),
            "exam \"x\" has no guide; left it out for 4 learners (a, b, c, …)"
        );
    }
}
