//! `status` (the main view) and `exams` (the overview of every guide).

use std::fmt::Write;

use anyhow::Result;
use serde::Serialize;

use super::Context;
use crate::error::usage;
use crate::forecast::Forecast;
use crate::guide::{Guide, Section};
use crate::readiness::{self, Tally};
use crate::render::{self, Level, Paint, Style};
use crate::schedule::{self, Position};
use crate::state::{Progress, State};

#[derive(Serialize)]
struct StatusJson<'a> {
    exam: &'a str,
    name: &'a str,
    readiness: f64,
    sections: Vec<SectionJson<'a>>,
    checklist: Tally,
    plan: PlanJson,
    booked: Option<String>,
    days_left: Option<i64>,
    /// Ids in the progress file that this guide does not know.
    unknown: Vec<String>,
    pace: Option<super::plan::PaceJson>,
    /// The forecast against the default target (DESIGN section 10).
    forecast: Forecast,
}

#[derive(Serialize)]
struct SectionJson<'a> {
    number: usize,
    id: &'a str,
    name: &'a str,
    weight: u32,
    rating: Option<u8>,
    /// When the rating was given, and whether that is over 14 days ago.
    rated: Option<String>,
    stale: bool,
    checklist: Tally,
    plan: Tally,
    readiness: f64,
    points: f64,
}

#[derive(Serialize)]
struct PlanJson {
    started: Option<String>,
    day: Option<u32>,
    days: u32,
    done: usize,
}

pub fn status(context: &Context, json: bool, out: &mut String) -> Result<()> {
    let state = context.load_state()?;
    match context.selected(&state)? {
        Some(guide) => exam_status(context, &state, &guide, json, out),
        None if json => Err(usage!(
            "no exam selected; pass `-e EXAM` or start one with `certprep start EXAM`"
        )),
        None => {
            overview(context, &state, out)?;
            writeln!(
                out,
                "\nNo exam started yet. Begin with `certprep start associate` (or `professional`);\nday 1 of its plan is today, or pass `--on YYYY-MM-DD`."
            )?;
            Ok(())
        }
    }
}

fn exam_status(
    context: &Context,
    state: &State,
    guide: &Guide,
    json: bool,
    out: &mut String,
) -> Result<()> {
    let progress = state.progress(&guide.id);
    let assessment = readiness::assess(guide, &progress);
    let unknown = readiness::unknown_ids(guide, &progress);
    let started = progress.started.map(|date| date.0);
    let position = schedule::position(started, context.today, guide.plan_days());
    let booked = progress.booked.map(|date| date.0);
    let days_left = booked.map(|date| schedule::days_until(date, context.today));
    let pace = super::plan::pace_of(context, guide, &progress);
    let (target, _) = super::forecast::target(guide, None);
    let forecast = super::forecast::forecast_for(guide, &progress, context.today, target);
    let rated = |section: &Section| progress.rated.get(&section.id).copied();
    let stale = |section: &Section| {
        progress.ratings.contains_key(&section.id)
            && rated(section).is_some_and(|date| schedule::is_stale(date.0, context.today))
    };

    if json {
        let document = StatusJson {
            exam: &guide.id,
            name: &guide.name,
            readiness: assessment.overall,
            sections: guide
                .sections
                .iter()
                .zip(&assessment.sections)
                .enumerate()
                .map(|(index, (section, score))| SectionJson {
                    number: index + 1,
                    id: &section.id,
                    name: &section.name,
                    weight: section.weight,
                    rating: score.rating,
                    rated: rated(section).map(|date| date.to_string()),
                    stale: stale(section),
                    checklist: score.checklist,
                    plan: score.plan,
                    readiness: score.readiness,
                    points: score.points,
                })
                .collect(),
            checklist: assessment.checklist,
            plan: PlanJson {
                started: progress.started.map(|date| date.to_string()),
                day: position.day(),
                days: guide.plan_days(),
                done: assessment.plan.done,
            },
            booked: progress.booked.map(|date| date.to_string()),
            days_left,
            unknown,
            pace: pace.as_ref().map(Into::into),
            forecast,
        };
        out.push_str(&render::json(&document));
        return Ok(());
    }

    let style = context.style;
    let active = state.active.as_deref() == Some(guide.id.as_str());
    writeln!(
        out,
        "{}  ({}{})",
        style.paint(&guide.name, Paint::Bold),
        guide.id,
        if active { ", active" } else { "" }
    )?;
    let plan_line = match position {
        Position::NotStarted => "not started".to_string(),
        Position::BeforeStart { starts_in } => format!(
            "starts {} ({})",
            render::relative_days(starts_in),
            progress.started.expect("a start date")
        ),
        Position::Day(day) => format!("day {day} of {}", guide.plan_days()),
        Position::Finished { .. } => format!("finished ({} days)", guide.plan_days()),
    };
    writeln!(
        out,
        "Plan       {plan_line} · {} of {} days done",
        assessment.plan.done, assessment.plan.total
    )?;
    writeln!(
        out,
        "Checklist  {} of {} items done",
        assessment.checklist.done, assessment.checklist.total
    )?;
    let exam_line = match (booked, days_left) {
        (Some(date), Some(days)) => format!("{date}, {}", render::relative_days(days)),
        _ => "not booked (`certprep book YYYY-MM-DD` records the date)".to_string(),
    };
    writeln!(out, "Exam       {exam_line}")?;
    if let Some(pace) = &pace {
        writeln!(
            out,
            "Pace       {}",
            super::plan::pace_line(pace, context.today)
        )?;
    }
    writeln!(out)?;

    let mut table = style.table(&[
        "#",
        "Section",
        "Weight",
        "Rating",
        "Items",
        "Days",
        "Readiness",
        "Points",
    ]);
    for (index, (section, score)) in guide.sections.iter().zip(&assessment.sections).enumerate() {
        let paint = Style::readiness_paint(score.readiness);
        table.add_row(vec![
            comfy_table::Cell::new(index + 1),
            comfy_table::Cell::new(&section.name),
            comfy_table::Cell::new(format!("{}%", section.weight)),
            comfy_table::Cell::new(score.rating.map_or("-".into(), |rating| {
                format!("{rating}/5{}", if stale(section) { "*" } else { "" })
            })),
            comfy_table::Cell::new(tally(score.checklist)),
            comfy_table::Cell::new(tally(score.plan)),
            style.cell(
                format!(
                    "{} {:>4}",
                    render::bar(score.readiness),
                    render::percent(score.readiness)
                ),
                paint,
            ),
            comfy_table::Cell::new(format!("{:.1}", score.points)),
        ]);
    }
    for column in [0, 2, 3, 4, 5, 7] {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    writeln!(out, "{}", table.trim_fmt())?;
    writeln!(
        out,
        "Readiness  {} {}",
        render::bar(assessment.overall),
        style.paint(
            render::percent(assessment.overall),
            Style::readiness_paint(assessment.overall)
        )
    )?;
    writeln!(
        out,
        "Forecast   {}",
        super::forecast::summary(&forecast, &progress, guide)
    )?;
    if let Some(hint) = super::forecast::practice_hint(&progress, context.today) {
        writeln!(out, "Practice   {hint}")?;
    }

    let stale_sections: Vec<String> = guide
        .sections
        .iter()
        .enumerate()
        .filter(|(_, section)| stale(section))
        .map(|(index, _)| (index + 1).to_string())
        .collect();
    if !stale_sections.is_empty() {
        writeln!(
            out,
            "* rated over {} days ago: rate section{} {} again (`certprep rate N RATING`) to refresh.",
            schedule::STALE_AFTER_DAYS,
            render::plural(stale_sections.len()),
            stale_sections.join(", ")
        )?;
    }
    if !unknown.is_empty() {
        let warning = anyhow::anyhow!(
            "{} has progress for ids its guide does not know (kept, not counted): {}",
            context.state_path.display(),
            render::bounded_list(&unknown, SHOWN_UNKNOWN_IDS)
        );
        render::report(Level::Warning, &warning);
    }
    if position == Position::NotStarted {
        writeln!(
            out,
            "\nHint: `certprep start {}` makes today day 1 of the plan.",
            guide.id
        )?;
    }
    Ok(())
}

/// How many unknown ids the warning names; the rest are counted (a state file can
/// hold thousands).
const SHOWN_UNKNOWN_IDS: usize = 10;

fn tally(tally: Tally) -> String {
    if tally.total == 0 {
        "-".to_string()
    } else {
        format!("{}/{}", tally.done, tally.total)
    }
}

#[derive(Serialize)]
struct ExamJson<'a> {
    id: &'a str,
    name: &'a str,
    short: &'a str,
    questions: u32,
    minutes: u32,
    sections: usize,
    started: bool,
    active: bool,
    readiness: f64,
}

fn summaries<'a>(guides: &'a [Guide], state: &State) -> Vec<ExamJson<'a>> {
    guides
        .iter()
        .map(|guide| {
            let progress: Progress = state.progress(&guide.id);
            ExamJson {
                id: &guide.id,
                name: &guide.name,
                short: &guide.short,
                questions: guide.assessment.questions,
                minutes: guide.assessment.minutes,
                sections: guide.sections.len(),
                started: progress.started.is_some(),
                active: state.active.as_deref() == Some(guide.id.as_str()),
                readiness: readiness::assess(guide, &progress).overall,
            }
        })
        .collect()
}

pub fn exams(context: &Context, json: bool, out: &mut String) -> Result<()> {
    let state = context.load_state()?;
    if json {
        let guides = context.all_guides();
        out.push_str(&render::json(&summaries(&guides, &state)));
        return Ok(());
    }
    overview(context, &state, out)
}

/// The table of every exam, shared by `exams` and `status` with no exam selected.
fn overview(context: &Context, state: &State, out: &mut String) -> Result<()> {
    let guides = context.all_guides();
    let style = context.style;
    let mut table = style.table(&["Exam", "Name", "Format", "Sections", "Started", "Readiness"]);
    for summary in summaries(&guides, state) {
        let marker = if summary.active { " *" } else { "" };
        table.add_row(vec![
            comfy_table::Cell::new(format!("{}{marker}", summary.id)),
            comfy_table::Cell::new(summary.name),
            comfy_table::Cell::new(format!("{} q, {} min", summary.questions, summary.minutes)),
            comfy_table::Cell::new(summary.sections),
            comfy_table::Cell::new(if summary.started { "yes" } else { "no" }),
            style.cell(
                render::percent(summary.readiness),
                Style::readiness_paint(summary.readiness),
            ),
        ]);
    }
    writeln!(out, "{}", table.trim_fmt())?;
    if state.active.is_some() {
        writeln!(out, "* active exam")?;
    }
    Ok(())
}
