//! `history`: readiness over time as a sparkline, and the study streak.

use std::fmt::Write;

use anyhow::Result;
use serde::Serialize;

use super::Context;
use crate::history::{self, Day};
use crate::render::{self, Paint};

/// The sparkline's span, and how many snapshots the text lists.
const SPARK_DAYS: u64 = 30;
const LISTED: usize = 10;

#[derive(Serialize)]
struct HistoryJson<'a> {
    exam: &'a str,
    snapshots: Vec<SnapshotJson>,
    /// Consecutive days with recorded progress, ending today (or yesterday).
    streak: u32,
    streak_since: Option<String>,
    /// Days with recorded progress in all.
    days_recorded: usize,
    /// The practice-test scores, in date order: the trajectory beside readiness.
    practice: Vec<PracticeJson>,
}

#[derive(Serialize)]
struct PracticeJson {
    date: String,
    correct: u32,
    questions: u32,
    percent: f64,
}

#[derive(Serialize)]
struct SnapshotJson {
    date: String,
    readiness: f64,
}

pub fn history(context: &Context, json: bool, out: &mut String) -> Result<()> {
    let state = context.load_state()?;
    let guide = context.require_selected(&state)?;
    let mut all = history::load(&context.history_path()?)?;
    let days = all.exams.remove(&guide.id).unwrap_or_default();
    let (streak, since) = history::streak(&days, context.today);
    let date = |day: &Day| day.0.format("%Y-%m-%d").to_string();
    let practice: Vec<PracticeJson> = state
        .progress(&guide.id)
        .practice
        .iter()
        .map(|sitting| PracticeJson {
            date: sitting.on.to_string(),
            correct: sitting.correct,
            questions: sitting.questions,
            percent: 100.0 * f64::from(sitting.correct) / f64::from(sitting.questions.max(1)),
        })
        .collect();

    if json {
        let document = HistoryJson {
            exam: &guide.id,
            snapshots: days
                .iter()
                .map(|(day, readiness)| SnapshotJson {
                    date: date(day),
                    readiness: *readiness,
                })
                .collect(),
            streak,
            streak_since: since.map(|day| day.format("%Y-%m-%d").to_string()),
            days_recorded: days.len(),
            practice,
        };
        out.push_str(&render::json(&document));
        return Ok(());
    }

    let style = context.style;
    writeln!(
        out,
        "{} · readiness history",
        style.paint(&guide.name, Paint::Bold)
    )?;
    let series = history::daily(&days, context.today, SPARK_DAYS);
    let (Some(first), Some(last)) = (series.first(), series.last()) else {
        writeln!(
            out,
            "Nothing recorded yet: each tick, rating or plan day done records the day's readiness."
        )?;
        return Ok(());
    };
    writeln!(
        out,
        "{}  {} → {} from {} to {}",
        history::sparkline(series.iter().map(|(_, value)| *value)),
        render::percent(first.1),
        render::percent(last.1),
        first.0.format("%Y-%m-%d"),
        last.0.format("%Y-%m-%d")
    )?;
    if let (Some(first), Some(last)) = (practice.first(), practice.last()) {
        writeln!(
            out,
            "{}  practice tests {} → {} from {} to {} ({} test{})",
            history::sparkline(practice.iter().map(|sitting| sitting.percent)),
            render::percent(first.percent),
            render::percent(last.percent),
            first.date,
            last.date,
            practice.len(),
            render::plural(practice.len())
        )?;
    }
    let streak_text = match since {
        Some(since) if streak > 0 => format!(
            "{streak} day{} (since {})",
            render::plural(streak),
            since.format("%Y-%m-%d")
        ),
        _ => "none: record some progress today to start one".to_string(),
    };
    writeln!(
        out,
        "Study streak: {streak_text}; {} day{} with progress in all",
        days.len(),
        render::plural(days.len())
    )?;
    writeln!(out)?;
    let skip = days.len().saturating_sub(LISTED);
    for (day, readiness) in days.iter().skip(skip) {
        writeln!(
            out,
            "{}  {} {:>4}",
            date(day),
            render::bar(*readiness),
            render::percent(*readiness)
        )?;
    }
    Ok(())
}
