//! The study plan: `today`, `plan`, `done`, `undone`.

use std::fmt::Write;
use std::path::Path;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use super::Context;
use super::pace::PaceView;
use crate::error::usage;
use crate::guide::Guide;
use crate::render::{self, Paint, Style, View};
use crate::resolve;
use crate::schedule::{self, Position};
use crate::state::{Date, Progress};
use crate::store;
use crate::text;

/// Where today falls in the plan, as `today --json` names it.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum PlanStatus {
    /// No start date yet.
    NotStarted,
    /// Day 1 is still to come.
    BeforeStart,
    /// Today is a plan day.
    InProgress,
    /// The last plan day has passed.
    Finished,
}

/// Today's plan day of the selected exam, or where its plan stands.
#[derive(Serialize)]
struct Today<'a> {
    exam: &'a str,
    /// Where today falls in the plan.
    status: PlanStatus,
    day: Option<u32>,
    days: u32,
    topic: Option<&'a str>,
    sections: &'a [String],
    done: Option<bool>,
    starts_in: Option<i64>,
    missed: Vec<u32>,
    days_done: u32,
    pace: Option<PaceView>,
    #[serde(skip)]
    name: &'a str,
    #[serde(skip)]
    position: Position,
    #[serde(skip)]
    started: Option<Date>,
    /// Day 1's topic, which text shows before the start.
    #[serde(skip)]
    first_topic: &'a str,
    /// " (second of Days 3-4)" when today's entry spans several days.
    #[serde(skip)]
    span: String,
    /// The names of today's sections.
    #[serde(skip)]
    section_names: String,
    /// The topic of each `missed` day.
    #[serde(skip)]
    missed_topics: Vec<&'a str>,
    /// A nudge towards a practice test, once the plan has begun.
    #[serde(skip)]
    practice_hint: Option<String>,
}

impl<'a> Today<'a> {
    fn new(guide: &'a Guide, progress: &Progress, today: NaiveDate) -> Today<'a> {
        let days = guide.plan_days();
        let position = schedule::position_of(guide, progress, today);
        let entry = position.day().and_then(|day| guide.plan_entry(day));
        let missed_before = match position {
            Position::Day(day) => day,
            Position::Finished { .. } => days + 1,
            _ => 1,
        };
        let missed: Vec<u32> = (1..missed_before)
            .filter(|day| !progress.days_done.contains(day))
            .collect();
        let topic_of = |day: u32| {
            guide
                .plan_entry(day)
                .map_or("", |entry| entry.topic.as_str())
        };
        Today {
            exam: &guide.id,
            status: match position {
                Position::NotStarted => PlanStatus::NotStarted,
                Position::BeforeStart { .. } => PlanStatus::BeforeStart,
                Position::Day(_) => PlanStatus::InProgress,
                Position::Finished { .. } => PlanStatus::Finished,
            },
            day: position.day(),
            days,
            topic: entry.map(|entry| entry.topic.as_str()),
            sections: entry.map_or(&[], |entry| entry.sections.as_slice()),
            done: position.day().map(|day| progress.days_done.contains(&day)),
            starts_in: match position {
                Position::BeforeStart { starts_in } => Some(starts_in),
                _ => None,
            },
            missed_topics: missed.iter().map(|day| topic_of(*day)).collect(),
            missed,
            days_done: schedule::days_done(&progress.days_done, days),
            pace: PaceView::of(guide, progress, today),
            practice_hint: match position {
                Position::Day(_) | Position::Finished { .. } => {
                    super::forecast::practice_hint(progress, today)
                }
                Position::NotStarted | Position::BeforeStart { .. } => None,
            },
            name: &guide.name,
            position,
            started: progress.started,
            first_topic: topic_of(1),
            span: match (entry, position.day()) {
                (Some(entry), Some(day)) if entry.days.first != entry.days.last => format!(
                    " ({} of {})",
                    ordinal(day - entry.days.first + 1),
                    entry.days
                ),
                _ => String::new(),
            },
            section_names: entry
                .map_or(String::new(), |entry| section_names(guide, &entry.sections)),
        }
    }

    /// Where the plan stands: today's day, or why there is none.
    fn write_position(&self, style: Style, out: &mut String) -> std::fmt::Result {
        let days = self.days;
        match self.position {
            Position::NotStarted => {
                writeln!(out, "{} has not been started.", self.name)?;
                writeln!(
                    out,
                    "Hint: `certprep start {}` makes today day 1 of the {days}-day plan (`--on YYYY-MM-DD` for another day).",
                    self.exam
                )
            }
            Position::BeforeStart { starts_in } => {
                writeln!(
                    out,
                    "{} starts {}: day 1 is {}.",
                    self.name,
                    render::relative_days(starts_in),
                    self.started.expect("a start date")
                )?;
                writeln!(out, "Day 1: {}", self.first_topic)
            }
            Position::Day(day) => {
                writeln!(
                    out,
                    "{}{} · {}",
                    style.paint(format!("Day {day} of {days}"), Paint::Bold),
                    self.span,
                    self.name
                )?;
                writeln!(out, "{}", self.topic.unwrap_or_default())?;
                writeln!(out, "Sections: {}", self.section_names)?;
                if self.done == Some(true) {
                    writeln!(out, "{}", style.paint("Done.", Paint::Green))
                } else {
                    writeln!(
                        out,
                        "Not done yet: `certprep done` when you have studied it."
                    )
                }
            }
            Position::Finished { days_ago } => writeln!(
                out,
                "The {days}-day plan for {} is over (its last day was {}): {} of {days} days done.",
                self.name,
                render::relative_days(-days_ago),
                self.days_done
            ),
        }
    }
}

impl View for Today<'_> {
    fn write_text(&self, style: Style, out: &mut String) -> std::fmt::Result {
        self.write_position(style, out)?;
        if let Some(hint) = &self.practice_hint {
            writeln!(out, "Practice tests: {hint}.")?;
        }
        if let Some(pace) = &self.pace {
            writeln!(out, "\nPace: {}.", pace.line())?;
            // From the exam day on, the pace line already says when the exam was.
            if let Some(days) = pace.days_to_exam().filter(|days| *days > 0) {
                writeln!(out, "Exam: {}.", render::relative_days(days))?;
            }
        }
        if !self.missed.is_empty() {
            let heading = if self.day.is_some() {
                "Earlier days not done yet:"
            } else {
                "Days not done:"
            };
            writeln!(out, "\n{heading}")?;
            for (day, topic) in self.missed.iter().zip(&self.missed_topics) {
                writeln!(out, "  Day {day}: {topic}")?;
            }
        }
        Ok(())
    }
}

pub fn today(context: &Context, json: bool, out: &mut String) -> Result<()> {
    let (guide, progress) = context.selected_progress()?;
    let view = Today::new(&guide, &progress, context.today);
    render::show(&view, json, context.style, out)
}

fn ordinal(number: u32) -> &'static str {
    match number {
        1 => "first",
        2 => "second",
        3 => "third",
        _ => "a later day",
    }
}

fn section_names(guide: &Guide, ids: &[String]) -> String {
    ids.iter()
        .map(|id| guide.section_name(id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The whole plan of the selected exam, day by day, with done marks.
#[derive(Serialize)]
struct Plan<'a> {
    exam: &'a str,
    started: Option<String>,
    /// Today's plan day, when today is inside the plan.
    today: Option<u32>,
    days: Vec<PlanDay<'a>>,
    #[serde(skip)]
    name: &'a str,
    #[serde(skip)]
    title: &'a str,
    #[serde(skip)]
    days_done: u32,
    #[serde(skip)]
    plan_days: u32,
}

#[derive(Serialize)]
struct PlanDay<'a> {
    day: u32,
    /// The day's date once the plan has a start date.
    date: Option<String>,
    topic: &'a str,
    sections: &'a [String],
    done: bool,
}

impl<'a> Plan<'a> {
    fn new(guide: &'a Guide, progress: &Progress, today: NaiveDate) -> Plan<'a> {
        let days_done = &progress.days_done;
        let started = progress.started;
        let days = guide
            .plan
            .iter()
            .flat_map(|entry| {
                entry.days.days().map(move |day| PlanDay {
                    day,
                    date: started.map(|started| schedule::date_of_day(started.0, day).to_string()),
                    topic: &entry.topic,
                    sections: &entry.sections,
                    done: days_done.contains(&day),
                })
            })
            .collect();
        Plan {
            exam: &guide.id,
            started: progress.started.map(|date| date.to_string()),
            today: schedule::position_of(guide, progress, today).day(),
            days,
            name: &guide.name,
            title: guide.plan_title.as_deref().unwrap_or("Study plan"),
            days_done: schedule::days_done(days_done, guide.plan_days()),
            plan_days: guide.plan_days(),
        }
    }
}

impl View for Plan<'_> {
    fn write_text(&self, style: Style, out: &mut String) -> std::fmt::Result {
        writeln!(
            out,
            "{} · {}",
            style.paint(self.name, Paint::Bold),
            self.title
        )?;
        match &self.started {
            Some(started) => writeln!(out, "Day 1 is {started}.")?,
            None => writeln!(
                out,
                "Not started: `certprep start {}` sets day 1.",
                self.exam
            )?,
        }
        for day in &self.days {
            let mark = if day.done {
                style.paint("[x]", Paint::Green)
            } else {
                "[ ]".to_string()
            };
            let date = day
                .date
                .as_ref()
                .map_or(String::new(), |date| format!("{date}  "));
            let line = format!("{mark} Day {:>2}  {date}{}", day.day, day.topic);
            if Some(day.day) == self.today {
                writeln!(
                    out,
                    "{}  {}",
                    style.paint(line, Paint::Bold),
                    style.paint("← today", Paint::Yellow)
                )?;
            } else {
                writeln!(out, "{line}")?;
            }
        }
        writeln!(out, "{} of {} days done", self.days_done, self.plan_days)
    }
}

pub fn plan(context: &Context, json: bool, out: &mut String) -> Result<()> {
    let (guide, progress) = context.selected_progress()?;
    let view = Plan::new(&guide, &progress, context.today);
    render::show(&view, json, context.style, out)
}

/// `plan --ics [FILE]`: the plan as a calendar, to FILE or standard output.
pub fn ics(context: &Context, file: Option<&Path>, out: &mut String) -> Result<()> {
    let (guide, progress) = context.selected_progress()?;
    let Some(started) = progress.started else {
        return Err(usage!(
            "the {} plan has no start date yet, so its days have no dates; run `certprep start {}` first",
            guide.id,
            guide.id
        ));
    };
    let booked = progress.booked.map(|date| date.0);
    let calendar = crate::ics::calendar(&guide, started.0, booked, context.today);
    match file {
        None => out.push_str(&calendar),
        Some(file) => {
            refuse_own_files(context, file)?;
            let new = store::NewFile {
                mode: 0o666,
                belongs_with: file,
            };
            store::write_output(file, calendar.as_bytes(), &new)?;
            let _ = context.saved.set(file.to_path_buf());
            let exam = booked
                .map(|date| format!(" and the exam on {date},"))
                .unwrap_or_default();
            writeln!(
                out,
                "Wrote the {}-day {} plan, from {started},{exam} to {}.",
                guide.plan_days(),
                guide.id,
                text::Untrusted(file.display())
            )?;
        }
    }
    Ok(())
}

/// A calendar written over the progress file, its history or its lock would
/// destroy them: refuse an output path that is one of them, under any name (a
/// symbolic link, a relative path, a hard link).
fn refuse_own_files(context: &Context, file: &Path) -> Result<()> {
    let state = store::resolve(&context.state_path, "state file")?;
    let own = [
        store::sidecar(&state, ".lock"),
        crate::history::path_for(&state),
        state,
    ];
    match own
        .iter()
        .find(|path| store::paths_name_one_file(file, path))
    {
        Some(path) => Err(usage!(
            "{} is certprep's own file {}; write the calendar to another file, such as plan.ics",
            file.display(),
            path.display()
        )),
        None => Ok(()),
    }
}

/// `done` (done = true) and `undone` (done = false) with day numbers and ranges.
/// No days means today's day.
pub fn mark(
    context: &Context,
    days: &[std::ops::RangeInclusive<u32>],
    done: bool,
    out: &mut String,
) -> Result<()> {
    let (guide, marked, changed, progress) = context.update(|state, guide| {
        // A set: `done 3 3 1` marks days 1 and 3, and says so once each.
        let marked: std::collections::BTreeSet<u32> = if days.is_empty() {
            match schedule::position_of(guide, &state.progress(&guide.id), context.today) {
                Position::Day(day) => [day].into(),
                Position::NotStarted => {
                    return Err(usage!(
                        "{} has not been started, so no plan day is today's; name a day (`certprep done 1`) or `certprep start {}`",
                        guide.id,
                        guide.id
                    ));
                }
                Position::BeforeStart { starts_in } => {
                    return Err(usage!(
                        "the {} plan starts {}, so no plan day is today's yet; name a day, such as `certprep done 1`",
                        guide.id,
                        render::relative_days(starts_in)
                    ));
                }
                Position::Finished { .. } => {
                    return Err(usage!(
                        "the {} plan is over, so no plan day is today's; name a day, such as `certprep done {}`",
                        guide.id,
                        guide.plan_days()
                    ));
                }
            }
        } else {
            let mut marked = std::collections::BTreeSet::new();
            for range in days {
                marked.extend(resolve::days(guide, range.clone())?);
            }
            marked
        };
        // The days whose mark this changes; the others already were so.
        let changed: std::collections::BTreeSet<u32> = {
            let before = state.progress(&guide.id).days_done;
            marked
                .iter()
                .copied()
                .filter(|day| before.contains(day) != done)
                .collect()
        };
        if done {
            state.progress_mut(&guide.id).days_done.extend(&marked);
        } else if let Some(progress) = state.exams.get_mut(&guide.id) {
            progress.days_done.retain(|day| !marked.contains(day));
        }
        Ok((guide.clone(), marked, changed, state.progress(&guide.id)))
    })?;
    writeln!(
        out,
        "{} {} of {} days done.",
        marked_sentence(&marked, &changed, done),
        schedule::days_done(&progress.days_done, guide.plan_days()),
        guide.plan_days()
    )?;
    Ok(())
}

/// What `done` (done = true) or `undone` did to the `marked` days, of which
/// `changed` changed: "Days 3, 4 marked done.", "Day 4 marked done; day 3 was
/// already done.", "Day 5 was not marked done."
fn marked_sentence(
    marked: &std::collections::BTreeSet<u32>,
    changed: &std::collections::BTreeSet<u32>,
    done: bool,
) -> String {
    let days = |days: &[u32]| {
        let list: Vec<String> = days.iter().map(u32::to_string).collect();
        format!("day{} {}", render::plural(days.len()), list.join(", "))
    };
    let changed: Vec<u32> = changed.iter().copied().collect();
    let kept: Vec<u32> = marked
        .iter()
        .copied()
        .filter(|day| !changed.contains(day))
        .collect();
    let was = if kept.len() == 1 { "was" } else { "were" };
    let kept_clause = match done {
        true => format!("{} {was} already done", days(&kept)),
        false => format!("{} {was} not marked done", days(&kept)),
    };
    let changed_clause = format!(
        "{} marked {}",
        days(&changed),
        if done { "done" } else { "not done" }
    );
    let sentence = match (changed.is_empty(), kept.is_empty()) {
        (false, true) => changed_clause,
        (true, _) => kept_clause,
        (false, false) => format!("{changed_clause}; {kept_clause}"),
    };
    let mut chars = sentence.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase());
    format!(
        "{}{}.",
        first.into_iter().collect::<String>(),
        chars.as_str()
    )
}
