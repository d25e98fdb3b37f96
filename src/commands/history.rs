//! `history`: readiness over time as a sparkline, and the study streak.

use std::collections::BTreeMap;
use std::fmt::{Result as FmtResult, Write};

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use super::Context;
use crate::history::{self, DateKey};
use crate::render::{self, Paint, Style, View};
use crate::state::Sitting;

/// The sparkline's span, and how many snapshots the text lists.
const SPARK_DAYS: u64 = 30;
const LISTED: usize = 10;

/// What `history` shows for the selected exam.
#[derive(Serialize)]
struct ReadinessHistory<'a> {
    exam: &'a str,
    #[serde(skip)]
    name: &'a str,
    snapshots: Vec<Snapshot>,
    /// Consecutive days with recorded progress, ending today (or yesterday).
    streak: u32,
    streak_since: Option<String>,
    /// Days with recorded progress in all.
    days_recorded: usize,
    /// The practice-test scores, in date order: the trajectory beside readiness.
    practice: Vec<PracticeScore>,
    /// Readiness on each of the last [`SPARK_DAYS`] days, for the sparkline.
    #[serde(skip)]
    series: Vec<(NaiveDate, f64)>,
}

/// A sitting's score, named as in `practice list --json` and the state file.
#[derive(Serialize)]
struct PracticeScore {
    on: String,
    correct: u32,
    questions: u32,
    /// Two decimals, as in `practice list --json`.
    percent: f64,
    /// The percent as computed, which the text rounds once.
    #[serde(skip)]
    exact: f64,
}

#[derive(Serialize)]
struct Snapshot {
    date: String,
    readiness: f64,
}

/// YYYY-MM-DD, as the history shows every date.
fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

impl<'a> ReadinessHistory<'a> {
    fn new(
        exam: &'a str,
        name: &'a str,
        days: &BTreeMap<DateKey, f64>,
        practice: &[Sitting],
        today: NaiveDate,
    ) -> Self {
        let (streak, since) = history::streak(days, today);
        ReadinessHistory {
            exam,
            name,
            snapshots: days
                .iter()
                .map(|(day, readiness)| Snapshot {
                    date: date_text(day.0),
                    readiness: *readiness,
                })
                .collect(),
            streak,
            streak_since: since.map(date_text),
            days_recorded: days.len(),
            practice: practice
                .iter()
                .map(|sitting| PracticeScore {
                    on: sitting.on.to_string(),
                    correct: sitting.correct,
                    questions: sitting.questions,
                    percent: super::practice::json_percent(sitting.correct, sitting.questions),
                    exact: super::practice::percent(sitting.correct, sitting.questions),
                })
                .collect(),
            series: history::daily(days, today, SPARK_DAYS),
        }
    }

    /// "3 days (since 2026-11-20)", or how to start a streak.
    fn streak_text(&self) -> String {
        match &self.streak_since {
            Some(since) if self.streak > 0 => format!(
                "{} day{} (since {since})",
                self.streak,
                render::plural(self.streak)
            ),
            _ => "none (record some progress today to start one)".to_string(),
        }
    }
}

impl ReadinessHistory<'_> {
    /// The practice-test scores as a second sparkline, when there are any.
    fn write_practice(&self, out: &mut String) -> FmtResult {
        let (Some(first), Some(last)) = (self.practice.first(), self.practice.last()) else {
            return Ok(());
        };
        writeln!(
            out,
            "{}  practice tests {} → {} from {} to {} ({} test{})",
            history::sparkline(self.practice.iter().map(|sitting| sitting.exact)),
            render::percent(first.exact),
            render::percent(last.exact),
            first.on,
            last.on,
            self.practice.len(),
            render::plural(self.practice.len())
        )
    }
}

impl View for ReadinessHistory<'_> {
    fn write_text(&self, style: Style, out: &mut String) -> FmtResult {
        writeln!(
            out,
            "{} · readiness history",
            style.paint(self.name, Paint::Bold)
        )?;
        let (Some(first), Some(last)) = (self.series.first(), self.series.last()) else {
            return writeln!(
                out,
                "Nothing recorded yet: each tick, rating or plan day done records the day's readiness."
            );
        };
        writeln!(
            out,
            "{}  {} → {} from {} to {}",
            history::sparkline(self.series.iter().map(|(_, value)| *value)),
            render::percent(first.1),
            render::percent(last.1),
            date_text(first.0),
            date_text(last.0)
        )?;
        self.write_practice(out)?;
        writeln!(
            out,
            "Study streak: {}; {} day{} with progress in all",
            self.streak_text(),
            self.days_recorded,
            render::plural(self.days_recorded)
        )?;
        writeln!(out)?;
        let skip = self.snapshots.len().saturating_sub(LISTED);
        for snapshot in self.snapshots.iter().skip(skip) {
            writeln!(
                out,
                "{}  {} {:>4}",
                snapshot.date,
                render::bar(snapshot.readiness),
                render::percent(snapshot.readiness)
            )?;
        }
        Ok(())
    }
}

pub fn history(context: &Context, json: bool, out: &mut String) -> Result<()> {
    let (guide, progress) = context.selected_progress()?;
    let mut all = history::load(&context.history_path()?)?;
    let days = all.exams.remove(&guide.id).unwrap_or_default();
    let practice = progress.practice;
    let view = ReadinessHistory::new(&guide.id, &guide.name, &days, &practice, context.today);
    render::show(&view, json, context.style, out)
}
