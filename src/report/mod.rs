//! The class report (README: For coaches): one row per learner and exam, and a
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

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::iter::{ParallelBridge, ParallelIterator};
use serde::Serialize;

use crate::guide::Guide;
use crate::history::{DateKey, History};
use crate::readiness::{self, Tally};
use crate::round::four_places;
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
    /// `assessment.pass_percent`, else 70 (README: Practice tests and the forecast).
    pub target: Option<u8>,
    /// `--sort`: the order of the rows.
    pub order: Order,
}

/// The order of the report's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// By learner name ([`by_name`]), then exam.
    Name,
    /// By pass chance, lowest first; equal chances by name, then exam.
    Risk,
}

/// The whole report. `--json` is this value serialized.
#[derive(Debug, Serialize)]
pub struct Cohort {
    /// Sorted by learner ([`by_name`]), then exam; with [`Order::Risk`], by
    /// pass chance first.
    pub learners: Vec<Row>,
    /// One entry per exam, in guide order.
    pub summary: Vec<Summary>,
    /// Learners whose file records no exam (without `-e`), sorted by name.
    pub not_started: Vec<String>,
    /// How many learner files were read.
    #[serde(skip)]
    pub read: usize,
    /// How many of them gave at least one row: the learners the report is about.
    #[serde(skip)]
    pub reported: usize,
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
    /// Keeping up with the plan, as `status --json`'s `pace`.
    pub pace: Option<schedule::Pace>,
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

/// One section of a row (or, in the summary, the class's means).
#[derive(Debug, Clone, Serialize)]
pub struct SectionReadiness {
    pub id: String,
    pub readiness: f64,
    /// Expected lost points: n_s · (1 − a_s) in the forecast, to four decimals.
    pub lost: f64,
}

/// Where a learner is in the plan: its start, today's day, its length, days done.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    #[serde(serialize_with = "iso_date")]
    pub started: Option<NaiveDate>,
    pub day: Option<u32>,
    pub days: u32,
    pub done: u32,
}

/// The forecast's headline (README: Practice tests and the forecast), to four decimals.
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
    /// Learners whose pass chance is below 50 %, lowest chance first, equal
    /// chances by name.
    pub at_risk: Vec<AtRisk>,
    /// Learners whose booked exam is today or within 14 days.
    pub sitting_soon: Vec<SittingSoon>,
}

/// The class's mean and median of a figure.
#[derive(Debug, Serialize)]
pub struct Spread {
    pub mean: f64,
    pub median: f64,
}

/// A learner on the at-risk list, with the chance that put them there.
#[derive(Debug, Serialize)]
pub struct AtRisk {
    pub learner: String,
    /// As the row's `forecast.pass_chance`: to four decimals.
    pub pass_chance: f64,
}

/// A learner whose booked exam is today or within 14 days.
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
        reported: 0,
        warnings: Vec::new(),
    };
    let mut unguided: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for report in reports {
        cohort.warnings.extend(report.warnings);
        let Some(learner) = report.learner else {
            continue;
        };
        cohort.read += 1;
        if !report.rows.is_empty() {
            cohort.reported += 1;
        }
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
    cohort
        .not_started
        .sort_by_cached_key(|name| NameKey::of(name));
    cohort
        .learners
        .sort_by_cached_key(|row| (NameKey::of(&row.learner), row.exam.clone()));
    if settings.order == Order::Risk {
        // Stable: equal chances stay in name order.
        by_chance(&mut cohort.learners, |row| row.forecast.pass_chance);
    }
    cohort.summary = settings
        .guides
        .iter()
        .filter_map(|guide| summarize(guide, &cohort.learners))
        .collect();
    cohort
}

impl Cohort {
    /// "3 learners, 1 not started": the learners with a row (each once, however
    /// many exams they have rows for) and those whose file records no exam, as
    /// the text report counts them.
    pub fn counts(&self) -> String {
        let mut counts = format!(
            "{} learner{}",
            self.reported,
            crate::render::plural(self.reported)
        );
        if !self.not_started.is_empty() {
            counts += &format!(", {} not started", self.not_started.len());
        }
        counts
    }
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
    learners.sort_by_cached_key(|name| NameKey::of(name));
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
    let position = schedule::position_of(guide, progress, today);
    let booked = progress.booked.map(|date| date.0);
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
            done: schedule::days_done(&progress.days_done, days),
        },
        pace: schedule::pace_of(guide, progress, today),
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
    sitting_soon.sort_by(|a, b| {
        a.days_left
            .cmp(&b.days_left)
            .then_with(|| by_name(&a.learner, &b.learner))
    });
    // The rows come in name order (or by chance, equal chances in name order).
    let mut at_risk: Vec<AtRisk> = rows
        .iter()
        .filter(|row| row.forecast.pass_chance < AT_RISK_BELOW)
        .map(|row| AtRisk {
            learner: row.learner.clone(),
            pass_chance: row.forecast.pass_chance,
        })
        .collect();
    by_chance(&mut at_risk, |at_risk| at_risk.pass_chance);
    Some(Summary {
        exam: guide.id.clone(),
        name: guide.name.clone(),
        learners: rows.len(),
        readiness: spread(rows.iter().map(|row| row.readiness).collect()),
        weakest: weakest(&sections),
        sections,
        behind: rows.iter().filter(|row| row.is_behind()).count(),
        at_risk,
        sitting_soon,
    })
}

/// Sorts `items` by a chance, lowest first, keeping the order of equals.
fn by_chance<T>(items: &mut [T], chance: impl Fn(&T) -> f64) {
    items.sort_by(|a, b| chance(a).total_cmp(&chance(b)));
}

/// The order of learner names: case-insensitive, with accented Latin letters
/// sorting with their base letter ([`fold`]), so "abe" comes before
/// "Anna-Maria" and "émile" before "zed"; names that fold alike by their
/// characters' code points ("Ingrid" before "ingrid"), so the order is total.
pub fn by_name(a: &str, b: &str) -> Ordering {
    fold(a).cmp(&fold(b)).then_with(|| a.cmp(b))
}

/// [`by_name`] as a sort key, computed once per name.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct NameKey {
    folded: String,
    raw: String,
}

impl NameKey {
    fn of(name: &str) -> NameKey {
        NameKey {
            folded: fold(name),
            raw: name.to_string(),
        }
    }
}

/// `name` for comparing: lowercased (all of Unicode), then the accented letters
/// of Latin-1 and Latin Extended-A written as their base letters ("é" → "e",
/// "ł" → "l", "æ" → "ae", "ß" → "ss"), combining accents dropped. Other scripts
/// compare by code point.
fn fold(name: &str) -> String {
    // The base letters of U+00E0..=U+00FF and U+0100..=U+017F, one per code
    // point; '*' marks the few that stand for two letters (see `two_letters`).
    const LATIN_1: &str = "aaaaaa*ceeeeiiiidnooooo\u{f7}ouuuuy*y";
    const EXTENDED_A: &str = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkklllllll\
                              lllnnnnnnnnnoooooo**rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
    let two_letters = |c: char| match c {
        'æ' => "ae",
        'þ' => "th",
        'ĳ' => "ij",
        'œ' => "oe",
        _ => "",
    };
    let mut folded = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let base = match u32::from(c) {
            0xDF => {
                folded.push_str("ss");
                continue;
            }
            // Combining diacritical marks: "e\u{301}" is "é" too.
            0x300..=0x36F => continue,
            code @ 0xE0..=0xFF => LATIN_1.chars().nth((code - 0xE0) as usize),
            code @ 0x100..=0x17F => EXTENDED_A.chars().nth((code - 0x100) as usize),
            _ => None,
        };
        match base {
            Some('*') => folded.push_str(two_letters(c)),
            Some(base) => folded.push(base),
            None => folded.push(c),
        }
    }
    folded
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
    fn names_fold_case_and_latin_accents() {
        assert_eq!(fold("Émile"), "emile");
        assert_eq!(fold("e\u{301}mile"), "emile");
        assert_eq!(fold("ÆSIR Straße"), "aesir strasse");
        assert_eq!(
            fold("Łukasz Øystein Ĳsbrand Œil"),
            "lukasz oystein ijsbrand oeil"
        );
        assert_eq!(fold("çÑÿþ÷"), "cnyth÷");
        assert_eq!(fold("ЖЕНЯ 李"), "женя 李");
        // Every letter of the two blocks, upper and lower case, folds to ASCII.
        for code in (0xC0..=0x17F).filter(|&code| code != 0xD7 && code != 0xF7) {
            let c = char::from_u32(code).unwrap();
            assert!(fold(&c.to_string()).is_ascii(), "{c}");
        }
    }

    #[test]
    fn names_sort_case_insensitively_with_accents_by_their_letter() {
        let mut names = [
            "zed",
            "émile",
            "abe",
            "Anna-Maria",
            "ingrid",
            "Ingrid",
            "Zoë",
            "Ölaf",
        ];
        names.sort_by(|a, b| by_name(a, b));
        assert_eq!(
            names,
            [
                "abe",
                "Anna-Maria",
                "émile",
                "Ingrid",
                "ingrid",
                "Ölaf",
                "zed",
                "Zoë"
            ]
        );
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
