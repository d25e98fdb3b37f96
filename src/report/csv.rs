//! The report as CSV (RFC 4180, records ending in CRLF): a header row, then one
//! row per learner and exam.
//!
//! Each section's readiness gets a column `readiness:<section id>`, for every
//! section of every exam in the report; a row leaves the other exams' empty.
//!
//! The pace is `status --json`'s, one column a field; its catch-up steps, a
//! list of dates each with plan days, go in one cell: "2026-11-22: 1 3;
//! 2026-11-23: 2".
//!
//! The CSV is opened in spreadsheets, so a cell taken from a file (a learner's
//! name, its path, an exam or section id) goes through [`from_file`]: it can neither start
//! a formula nor carry a control character. Numbers certprep computed, a negative
//! pace too, are written as they are.

use chrono::NaiveDate;

use super::{Cohort, Row};
use crate::text;

/// The fixed columns, before the sections'.
const HEADER: [&str; 27] = [
    "learner",
    "exam",
    "file",
    "readiness",
    "checklist_done",
    "checklist_total",
    "plan_started",
    "plan_day",
    "plan_days",
    "plan_done",
    "pace_expected",
    "pace_done",
    "pace_left",
    "pace_ahead",
    "behind",
    "days_to_exam",
    "catch_up",
    "expected",
    "questions",
    "target_percent",
    "pass_mark",
    "pass_chance",
    "practice_tests",
    "booked",
    "days_left",
    "weakest",
    "last_progress",
];

/// The cohort as RFC 4180 CSV: a header row, then one row per learner and exam.
pub fn render(cohort: &Cohort) -> String {
    let section_columns: Vec<(&str, &str)> = cohort
        .summary
        .iter()
        .flat_map(|summary| {
            summary
                .sections
                .iter()
                .map(|section| (summary.exam.as_str(), section.id.as_str()))
        })
        .collect();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header = HEADER.iter().map(|name| name.to_string()).chain(
        section_columns
            .iter()
            .map(|(exam, section)| from_file(&format!("readiness:{exam}:{section}"))),
    );
    write(&mut writer, header);
    for row in &cohort.learners {
        let sections = section_columns.iter().map(|(exam, id)| {
            let readiness = (row.exam == *exam)
                .then(|| row.sections.iter().find(|section| section.id == *id))
                .flatten();
            readiness.map_or_else(String::new, |section| section.readiness.to_string())
        });
        write(&mut writer, fields(row).into_iter().chain(sections));
    }
    let bytes = writer
        .into_inner()
        .expect("writing CSV to memory cannot fail");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

fn write(writer: &mut csv::Writer<Vec<u8>>, record: impl IntoIterator<Item = String>) {
    writer
        .write_record(record)
        .expect("writing CSV to memory cannot fail");
}

/// The fixed columns of a row, in [`HEADER`] order; unknown values are empty.
fn fields(row: &Row) -> [String; HEADER.len()] {
    fn text<T: ToString>(value: Option<T>) -> String {
        value.map_or_else(String::new, |value| value.to_string())
    }
    let forecast = &row.forecast;
    let pace = row.pace.as_ref();
    [
        from_file(&row.learner),
        from_file(&row.exam),
        from_file(&row.file),
        row.readiness.to_string(),
        row.checklist.done.to_string(),
        row.checklist.total.to_string(),
        text(row.plan.started),
        text(row.plan.day),
        row.plan.days.to_string(),
        row.plan.done.to_string(),
        text(pace.map(|pace| pace.expected)),
        text(pace.map(|pace| pace.done)),
        text(pace.map(|pace| pace.left)),
        text(pace.map(|pace| pace.ahead)),
        row.is_behind().to_string(),
        text(pace.and_then(|pace| pace.days_to_exam)),
        pace.map_or_else(String::new, |pace| catch_up(&pace.catch_up)),
        forecast.expected.to_string(),
        forecast.questions.to_string(),
        forecast.target_percent.to_string(),
        forecast.pass_mark.to_string(),
        forecast.pass_chance.to_string(),
        forecast.practice_tests.to_string(),
        text(row.booked),
        text(row.days_left),
        text(row.weakest.as_deref().map(from_file)),
        text(row.last_progress),
    ]
}

/// The catch-up steps in one cell: each date, a colon and its plan days, the
/// steps separated by "; " ("2026-11-22: 1 3; 2026-11-23: 2"); empty when on
/// track.
fn catch_up(steps: &[(NaiveDate, Vec<u32>)]) -> String {
    let steps: Vec<String> = steps
        .iter()
        .map(|(date, days)| {
            let days: Vec<String> = days.iter().map(u32::to_string).collect();
            format!("{}: {}", date.format("%Y-%m-%d"), days.join(" "))
        })
        .collect();
    steps.join("; ")
}

/// A cell taken from a file, safe to open in a spreadsheet: one that starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return, which a spreadsheet may run as
/// a formula, gets a `'` in front (OWASP's rule against CSV injection); then its
/// control and bidi characters are escaped as the text output escapes them
/// ([`text::escape`]), so no cell holds a line break or a terminal control.
fn from_file(text: &str) -> String {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let escaped = text::escape(text);
    if formula {
        format!("'{escaped}")
    } else {
        escaped.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catch_up_steps_share_one_cell() {
        let date = |day| chrono::NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        let steps = [(date(22), vec![1, 3]), (date(23), vec![2])];
        assert_eq!(catch_up(&steps), "2026-11-22: 1 3; 2026-11-23: 2");
        assert_eq!(catch_up(&[]), "");
    }

    #[test]
    fn cells_from_files_cannot_start_a_formula() {
        for (text, cell) in [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@A1", "'@A1"),
            ("\tx", "'\\tx"),
            ("\rx", "'\\rx"),
            ("a=1", "a=1"),
            (" =1", " =1"),
            ("x\u{1b}[2J\u{202e}", "x\\u{1b}[2J\\u{202e}"),
            ("", ""),
        ] {
            assert_eq!(from_file(text), cell, "{text:?}");
        }
    }
}
