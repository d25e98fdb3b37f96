//! `status` (the main view) and `exams` (the overview of every guide).

use std::fmt::Write;

use anyhow::Result;
use chrono::NaiveDate;
use comfy_table::Cell;
use serde::Serialize;

use super::Context;
use super::pace::PaceView;
use crate::forecast::Forecast;
use crate::guide::Guide;
use crate::message::{self, Level};
use crate::readiness::{self, Tally};
use crate::render::{self, Paint, Style, View};
use crate::schedule::{self, Position};
use crate::state::{Progress, State};
use crate::text;

/// The main view of one exam: readiness by section, the plan, the exam date, the pace.
#[derive(Serialize)]
struct Status<'a> {
    exam: &'a str,
    name: &'a str,
    readiness: f64,
    sections: Vec<SectionRow<'a>>,
    checklist: Tally,
    plan: PlanProgress,
    booked: Option<String>,
    days_left: Option<i64>,
    /// Ids in the progress file that this guide does not know.
    unknown: Vec<String>,
    pace: Option<PaceView>,
    /// The forecast against the default target.
    forecast: Forecast,
    /// The weakest section: the one the forecast expects to cost most points.
    weakest: &'a str,
    /// Its number, name and expected lost points, for the text.
    #[serde(skip)]
    weakest_line: String,
    /// The forecast in one line, with its evidence.
    #[serde(skip)]
    forecast_line: String,
    /// A nudge towards a practice test when none is recent.
    #[serde(skip)]
    practice_hint: Option<String>,
    /// Whether this is the active exam (text marks it).
    #[serde(skip)]
    active: bool,
    #[serde(skip)]
    position: Position,
}

#[derive(Serialize)]
struct SectionRow<'a> {
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
struct PlanProgress {
    started: Option<String>,
    day: Option<u32>,
    days: u32,
    done: usize,
}

impl<'a> Status<'a> {
    fn new(guide: &'a Guide, state: &State, today: NaiveDate) -> Status<'a> {
        let progress = state.progress(&guide.id);
        let assessment = readiness::assess(guide, &progress);
        let position = schedule::position_of(guide, &progress, today);
        let forecast = super::next::forecast_of(guide, &progress, today);
        let weakest = crate::guidance::weakest_index(guide, &forecast);
        let weakest_line = match (guide.sections.get(weakest), forecast.weakest()) {
            (Some(section), Some(found)) => format!(
                "{}. {}: expected to cost {} of its {} points (`certprep why {}`)",
                weakest + 1,
                text::cut(&section.name, WEAKEST_NAME_CHARS),
                render::fixed(found.lost, 1),
                found.questions,
                weakest + 1
            ),
            _ => String::new(),
        };
        let sections = guide
            .sections
            .iter()
            .zip(&assessment.sections)
            .enumerate()
            .map(|(index, (section, score))| {
                let rated = progress.rated.get(&section.id).copied();
                SectionRow {
                    number: index + 1,
                    id: &section.id,
                    name: &section.name,
                    weight: section.weight,
                    rating: score.rating,
                    rated: rated.map(|date| date.to_string()),
                    stale: progress.ratings.contains_key(&section.id)
                        && rated.is_some_and(|date| schedule::is_stale(date.0, today)),
                    checklist: score.checklist,
                    plan: score.plan,
                    readiness: score.readiness,
                    points: score.points,
                }
            })
            .collect();
        Status {
            exam: &guide.id,
            name: &guide.name,
            readiness: assessment.overall,
            sections,
            checklist: assessment.checklist,
            plan: PlanProgress {
                started: progress.started.map(|date| date.to_string()),
                day: position.day(),
                days: guide.plan_days(),
                done: assessment.plan.done,
            },
            booked: progress.booked.map(|date| date.to_string()),
            days_left: progress
                .booked
                .map(|date| schedule::days_until(date.0, today)),
            unknown: readiness::unknown_ids(guide, &progress),
            pace: PaceView::of(guide, &progress, today),
            forecast_line: super::forecast::summary(&forecast, &progress, guide),
            practice_hint: super::forecast::practice_hint(&progress, today),
            forecast,
            weakest: guide
                .sections
                .get(weakest)
                .map_or("", |section| section.id.as_str()),
            weakest_line,
            active: state.active.as_deref() == Some(guide.id.as_str()),
            position,
        }
    }

    /// The lines above the table: plan, checklist, exam date, pace.
    fn write_summary(&self, style: Style, out: &mut String) -> std::fmt::Result {
        writeln!(
            out,
            "{}  ({}{})",
            style.paint(self.name, Paint::Bold),
            self.exam,
            if self.active { ", active" } else { "" }
        )?;
        let days = self.plan.days;
        let plan_line = match self.position {
            Position::NotStarted => "not started".to_string(),
            Position::BeforeStart { starts_in } => format!(
                "starts {} ({})",
                render::relative_days(starts_in),
                self.plan.started.as_deref().unwrap_or_default()
            ),
            Position::Day(day) => format!("day {day} of {days}"),
            Position::Finished { .. } => format!("finished ({days} days)"),
        };
        writeln!(
            out,
            "Plan       {plan_line} · {} of {days} days done",
            self.plan.done
        )?;
        writeln!(
            out,
            "Checklist  {} of {} items done",
            self.checklist.done, self.checklist.total
        )?;
        let exam_line = match (&self.booked, self.days_left) {
            (Some(date), Some(days)) => format!("{date}, {}", render::relative_days(days)),
            _ => "not booked (`certprep book YYYY-MM-DD` records the date)".to_string(),
        };
        writeln!(out, "Exam       {exam_line}")?;
        if let Some(pace) = &self.pace {
            writeln!(out, "Pace       {}", pace.line())?;
        }
        writeln!(out)
    }

    /// The table of sections.
    fn write_sections(&self, style: Style, out: &mut String) -> std::fmt::Result {
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
        for section in &self.sections {
            let stale = if section.stale { "*" } else { "" };
            table.add_row(vec![
                Cell::new(section.number),
                Cell::new(render::cell_text(section.name)),
                Cell::new(format!("{}%", section.weight)),
                Cell::new(
                    section
                        .rating
                        .map_or("-".into(), |rating| format!("{rating}/5{stale}")),
                ),
                Cell::new(tally(section.checklist)),
                Cell::new(tally(section.plan)),
                style.cell(
                    format!(
                        "{} {:>4}",
                        render::bar(section.readiness),
                        render::percent(section.readiness)
                    ),
                    Style::readiness_paint(section.readiness),
                ),
                Cell::new(render::fixed(section.points, 1)),
            ]);
        }
        render::align_right(&mut table, [0, 2, 3, 4, 5, 7]);
        writeln!(out, "{}", table.trim_fmt())
    }
}

impl View for Status<'_> {
    fn write_text(&self, style: Style, out: &mut String) -> std::fmt::Result {
        self.write_summary(style, out)?;
        self.write_sections(style, out)?;
        writeln!(
            out,
            "Readiness  {} {}",
            render::bar(self.readiness),
            style.paint(
                render::percent(self.readiness),
                Style::readiness_paint(self.readiness)
            )
        )?;
        writeln!(out, "Forecast   {}", self.forecast_line)?;
        if !self.weakest_line.is_empty() {
            writeln!(out, "Weakest    {}", self.weakest_line)?;
        }
        if let Some(hint) = &self.practice_hint {
            writeln!(out, "Practice   {hint}")?;
        }
        let stale_sections: Vec<String> = self
            .sections
            .iter()
            .filter(|section| section.stale)
            .map(|section| section.number.to_string())
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
        if self.position == Position::NotStarted {
            writeln!(
                out,
                "\nHint: `certprep start {}` makes today day 1 of the plan.",
                self.exam
            )?;
        }
        Ok(())
    }
}

pub fn status(context: &Context, json: bool, out: &mut String) -> Result<()> {
    let state = context.load_state()?;
    let Some(guide) = context.selected_outline(&state)? else {
        let overview = Overview::new(context, &state);
        if json {
            // What the text shows, as a document a script tells apart from an
            // exam's status by its null `exam`.
            out.push_str(&render::json(&NoExamSelected {
                exam: None,
                exams: &overview.exams,
            }));
            return Ok(());
        }
        render::show(&overview, false, context.style, out)?;
        writeln!(
            out,
            "\nNo exam started yet. Begin with `certprep start associate` (or `professional`);\nday 1 of its plan is today, or pass `--on YYYY-MM-DD`."
        )?;
        return Ok(());
    };
    let view = Status::new(&guide, &state, context.today);
    render::show(&view, json, context.style, out)?;
    if !json && !view.unknown.is_empty() {
        let warning = anyhow::anyhow!(
            "{} has progress for ids its guide does not know (kept, not counted): {}",
            context.state_path.display(),
            render::bounded_list(&view.unknown, SHOWN_UNKNOWN_IDS)
        );
        message::report(Level::Warning, &warning);
    }
    Ok(())
}

/// How much of the weakest section's name its one line shows (the table above
/// has more of it).
const WEAKEST_NAME_CHARS: usize = 40;

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

/// `status --json` with no exam selected: `exam` is null, `exams` the entries of
/// `exams --json`.
#[derive(Serialize)]
struct NoExamSelected<'a> {
    exam: Option<&'a str>,
    exams: &'a [ExamSummary],
}

/// Every exam with its readiness: `exams`, and `status` with no exam selected.
#[derive(Serialize)]
#[serde(transparent)]
struct Overview {
    exams: Vec<ExamSummary>,
    /// Whether the progress file names an active exam (text explains the marker).
    #[serde(skip)]
    has_active: bool,
}

#[derive(Serialize)]
struct ExamSummary {
    id: String,
    name: String,
    short: String,
    aliases: Vec<String>,
    questions: u32,
    minutes: u32,
    sections: usize,
    started: bool,
    active: bool,
    readiness: f64,
}

impl Overview {
    fn new(context: &Context, state: &State) -> Overview {
        let exams = context
            .all_guides()
            .into_iter()
            .map(|guide| {
                let progress: Progress = state.progress(&guide.id);
                ExamSummary {
                    active: state.active.as_deref() == Some(guide.id.as_str()),
                    started: progress.started.is_some(),
                    readiness: readiness::assess(&guide, &progress).overall,
                    questions: guide.assessment.questions,
                    minutes: guide.assessment.minutes,
                    sections: guide.sections.len(),
                    id: guide.id,
                    name: guide.name,
                    short: guide.short,
                    aliases: guide.aliases,
                }
            })
            .collect();
        Overview {
            exams,
            has_active: state.active.is_some(),
        }
    }
}

impl View for Overview {
    fn write_text(&self, style: Style, out: &mut String) -> std::fmt::Result {
        let mut table =
            style.table(&["Exam", "Name", "Format", "Sections", "Started", "Readiness"]);
        for exam in &self.exams {
            let marker = if exam.active { " *" } else { "" };
            // Under the id, the other names `-e` takes: the label, the aliases.
            let others: Vec<&str> = std::iter::once(exam.short.as_str())
                .chain(exam.aliases.iter().map(String::as_str))
                .collect();
            table.add_row(vec![
                Cell::new(format!(
                    "{}{marker}\n{}",
                    render::cell_text(&exam.id),
                    render::cell_text(&others.join(", "))
                )),
                Cell::new(render::cell_text(&exam.name)),
                Cell::new(format!("{} q, {} min", exam.questions, exam.minutes)),
                Cell::new(exam.sections),
                Cell::new(if exam.started { "yes" } else { "no" }),
                style.cell(
                    render::percent(exam.readiness),
                    Style::readiness_paint(exam.readiness),
                ),
            ]);
        }
        writeln!(out, "{}", table.trim_fmt())?;
        if self.has_active {
            writeln!(out, "* active exam")?;
        }
        Ok(())
    }
}

pub fn exams(context: &Context, json: bool, out: &mut String) -> Result<()> {
    let state = context.load_state()?;
    render::show(&Overview::new(context, &state), json, context.style, out)
}
