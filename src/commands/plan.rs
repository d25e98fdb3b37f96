//! The study plan: `today`, `plan`, `done`, `undone`.

use std::fmt::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use super::Context;
use crate::error::usage;
use crate::guide::Guide;
use crate::render::{self, Paint};
use crate::resolve;
use crate::schedule::{self, Pace, Position};
use crate::state::Progress;
use crate::store;

#[derive(Serialize)]
struct TodayJson<'a> {
    exam: &'a str,
    /// "not_started", "before_start", "in_progress" or "finished".
    status: &'static str,
    day: Option<u32>,
    days: u32,
    topic: Option<&'a str>,
    sections: &'a [String],
    done: Option<bool>,
    starts_in: Option<i64>,
    missed: Vec<u32>,
    days_done: usize,
    pace: Option<PaceJson>,
}

/// Keeping up with the plan, in `status --json` and `today --json`.
#[derive(Serialize)]
pub(super) struct PaceJson {
    expected: u32,
    done: u32,
    left: u32,
    /// Days ahead of the plan; negative when behind.
    ahead: i64,
    days_to_exam: Option<i64>,
    catch_up: Vec<CatchUpJson>,
}

#[derive(Serialize)]
struct CatchUpJson {
    date: String,
    days: Vec<u32>,
}

impl From<&Pace> for PaceJson {
    fn from(pace: &Pace) -> Self {
        PaceJson {
            expected: pace.expected,
            done: pace.done,
            left: pace.left,
            ahead: pace.ahead,
            days_to_exam: pace.days_to_exam,
            catch_up: pace
                .catch_up
                .iter()
                .map(|(date, days)| CatchUpJson {
                    date: date.format("%Y-%m-%d").to_string(),
                    days: days.clone(),
                })
                .collect(),
        }
    }
}

/// The pace of the selected exam's plan today, if it has a start date.
pub(super) fn pace_of(context: &Context, guide: &Guide, progress: &Progress) -> Option<Pace> {
    let days = guide.plan_days();
    let position = schedule::position(progress.started.map(|d| d.0), context.today, days);
    let booked = progress.booked.map(|date| date.0);
    schedule::pace(position, days, &progress.days_done, booked, context.today)
}

/// "behind by 2 days; catch up: days 2 and 5 today, 3 and 6 tomorrow"; from the
/// exam day on, where the learner stands instead: "exam was 3 days ago; 5 of 7
/// plan days done".
pub(super) fn pace_line(pace: &Pace, today: NaiveDate) -> String {
    if let Some(days_to_exam) = pace.days_to_exam.filter(|days| *days <= 0) {
        let standing = format!("{} of {} plan days done", pace.done, pace.done + pace.left);
        return match days_to_exam {
            0 => format!("exam day today: {standing}"),
            _ => format!("exam was {} ago; {standing}", render::days(-days_to_exam)),
        };
    }
    let mut line = match pace.ahead {
        0 => format!(
            "on track, {} of the plan to go",
            render::days(pace.left.into())
        ),
        ahead if ahead > 0 => format!(
            "ahead by {}, {} to go",
            render::days(ahead),
            render::days(pace.left.into())
        ),
        behind => format!("behind by {}", render::days(-behind)),
    };
    if !pace.catch_up.is_empty() {
        let steps: Vec<String> = pace
            .catch_up
            .iter()
            .map(|(date, days)| {
                let days: Vec<String> = days.iter().map(u32::to_string).collect();
                let when = match (*date - today).num_days() {
                    0 => "today".to_string(),
                    1 => "tomorrow".to_string(),
                    _ => format!("on {}", date.format("%Y-%m-%d")),
                };
                format!("{} {when}", days.join(" and "))
            })
            .collect();
        line += &format!("; catch up with days {}", steps.join(", "));
    }
    if let Some(days_to_exam) = pace.days_to_exam.filter(|days| *days > 0)
        && i64::from(pace.left) > 2 * days_to_exam
    {
        line += &format!(
            "; {} of the plan left for {} to the exam: more than two a day",
            render::days(pace.left.into()),
            render::days(days_to_exam)
        );
    }
    line
}

/// Plan days before `before` (exclusive) that are not done yet.
fn missed(guide: &Guide, progress: &Progress, before: u32) -> Vec<u32> {
    (1..before.min(guide.plan_days() + 1))
        .filter(|day| !progress.days_done.contains(day))
        .collect()
}

fn count_done(guide: &Guide, progress: &Progress) -> usize {
    (1..=guide.plan_days())
        .filter(|day| progress.days_done.contains(day))
        .count()
}

pub fn today(context: &Context, json: bool, out: &mut String) -> Result<()> {
    let state = context.load_state()?;
    let guide = context.require_selected(&state)?;
    let progress = state.progress(&guide.id);
    let days = guide.plan_days();
    let position = schedule::position(progress.started.map(|d| d.0), context.today, days);
    let entry = position.day().and_then(|day| guide.plan_entry(day));
    let missed = match position {
        Position::Day(day) => missed(&guide, &progress, day),
        Position::Finished { .. } => missed(&guide, &progress, days + 1),
        _ => Vec::new(),
    };
    let done_count = count_done(&guide, &progress);
    let pace = pace_of(context, &guide, &progress);

    if json {
        let document = TodayJson {
            exam: &guide.id,
            status: match position {
                Position::NotStarted => "not_started",
                Position::BeforeStart { .. } => "before_start",
                Position::Day(_) => "in_progress",
                Position::Finished { .. } => "finished",
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
            missed,
            days_done: done_count,
            pace: pace.as_ref().map(PaceJson::from),
        };
        out.push_str(&render::json(&document));
        return Ok(());
    }

    let style = context.style;
    match position {
        Position::NotStarted => {
            writeln!(out, "{} has not been started.", guide.name)?;
            writeln!(
                out,
                "Hint: `certprep start {}` makes today day 1 of the {days}-day plan (`--on YYYY-MM-DD` for another day).",
                guide.id
            )?;
        }
        Position::BeforeStart { starts_in } => {
            let first = guide.plan_entry(1).map_or("", |entry| entry.topic.as_str());
            writeln!(
                out,
                "{} starts {}: day 1 is {}.",
                guide.name,
                render::relative_days(starts_in),
                progress.started.expect("a start date")
            )?;
            writeln!(out, "Day 1: {first}")?;
        }
        Position::Day(day) => {
            let entry = entry.expect("validated plans cover every day");
            let span = if entry.days.first == entry.days.last {
                String::new()
            } else {
                format!(
                    " ({} of {})",
                    ordinal(day - entry.days.first + 1),
                    entry.days
                )
            };
            writeln!(
                out,
                "{}{span} · {}",
                style.paint(format!("Day {day} of {days}"), Paint::Bold),
                guide.name
            )?;
            writeln!(out, "{}", entry.topic)?;
            writeln!(out, "Sections: {}", section_names(&guide, &entry.sections))?;
            if progress.days_done.contains(&day) {
                writeln!(out, "{}", style.paint("Done.", Paint::Green))?;
            } else {
                writeln!(
                    out,
                    "Not done yet: `certprep done` when you have studied it."
                )?;
            }
        }
        Position::Finished { days_ago } => {
            writeln!(
                out,
                "The {days}-day plan for {} is over (its last day was {}): {done_count} of {days} days done.",
                guide.name,
                render::relative_days(-days_ago)
            )?;
        }
    }
    let hint = match position {
        Position::Day(_) | Position::Finished { .. } => {
            super::forecast::practice_hint(&progress, context.today)
        }
        Position::NotStarted | Position::BeforeStart { .. } => None,
    };
    if let Some(hint) = hint {
        writeln!(out, "Practice tests: {hint}.")?;
    }
    if let Some(pace) = &pace {
        writeln!(out, "\nPace: {}.", pace_line(pace, context.today))?;
        // From the exam day on, the pace line already says when the exam was.
        if let Some(days) = pace.days_to_exam.filter(|days| *days > 0) {
            writeln!(out, "Exam: {}.", render::relative_days(days))?;
        }
    }
    if !missed.is_empty() {
        let heading = if position.day().is_some() {
            "Earlier days not done yet:"
        } else {
            "Days not done:"
        };
        writeln!(out, "\n{heading}")?;
        for day in &missed {
            let topic = guide
                .plan_entry(*day)
                .map_or("", |entry| entry.topic.as_str());
            writeln!(out, "  Day {day}: {topic}")?;
        }
    }
    Ok(())
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
        .map(|id| {
            guide
                .section(id)
                .map_or(id.as_str(), |section| section.name.as_str())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Serialize)]
struct PlanJson<'a> {
    exam: &'a str,
    started: Option<String>,
    /// Today's plan day, when today is inside the plan.
    today: Option<u32>,
    days: Vec<DayJson<'a>>,
}

#[derive(Serialize)]
struct DayJson<'a> {
    day: u32,
    topic: &'a str,
    sections: &'a [String],
    done: bool,
}

pub fn plan(context: &Context, json: bool, out: &mut String) -> Result<()> {
    let state = context.load_state()?;
    let guide = context.require_selected(&state)?;
    let progress = state.progress(&guide.id);
    let today = schedule::position(
        progress.started.map(|d| d.0),
        context.today,
        guide.plan_days(),
    )
    .day();
    let days_done = &progress.days_done;
    let days = guide.plan.iter().flat_map(|entry| {
        entry.days.days().map(move |day| DayJson {
            day,
            topic: &entry.topic,
            sections: &entry.sections,
            done: days_done.contains(&day),
        })
    });

    if json {
        let document = PlanJson {
            exam: &guide.id,
            started: progress.started.map(|date| date.to_string()),
            today,
            days: days.collect(),
        };
        out.push_str(&render::json(&document));
        return Ok(());
    }

    let style = context.style;
    let title = guide.plan_title.as_deref().unwrap_or("Study plan");
    writeln!(out, "{} · {title}", style.paint(&guide.name, Paint::Bold))?;
    match progress.started {
        Some(started) => writeln!(out, "Day 1 is {started}.")?,
        None => writeln!(
            out,
            "Not started: `certprep start {}` sets day 1.",
            guide.id
        )?,
    }
    for day in days {
        let mark = if day.done {
            style.paint("[x]", Paint::Green)
        } else {
            "[ ]".to_string()
        };
        let line = format!("{mark} Day {:>2}  {}", day.day, day.topic);
        if Some(day.day) == today {
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
    writeln!(
        out,
        "{} of {} days done",
        count_done(&guide, &progress),
        guide.plan_days()
    )?;
    Ok(())
}

/// `plan --ics [FILE]`: the plan as a calendar, to FILE or standard output.
pub fn ics(context: &Context, file: Option<&Path>, out: &mut String) -> Result<()> {
    let state = context.load_state()?;
    let guide = context.require_selected(&state)?;
    let Some(started) = state.progress(&guide.id).started else {
        return Err(usage!(
            "the {} plan has no start date yet, so its days have no dates; run `certprep start {}` first",
            guide.id,
            guide.id
        ));
    };
    let calendar = crate::ics::calendar(&guide, started.0, context.today);
    match file {
        None => out.push_str(&calendar),
        Some(file) => {
            refuse_own_files(context, file)?;
            let new = store::NewFile {
                mode: 0o666,
                belongs_with: file,
            };
            store::write_atomic(file, calendar.as_bytes(), &new)?;
            writeln!(
                out,
                "Wrote the {}-day {} plan, from {started}, to {}.",
                guide.plan_days(),
                guide.id,
                render::Untrusted(file.display())
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
    let output = canonical(file);
    let output_file = std::fs::metadata(file).ok();
    let is_output = |path: &Path| {
        let same_inode = match (&output_file, std::fs::metadata(path)) {
            (Some(output), Ok(own)) => output.dev() == own.dev() && output.ino() == own.ino(),
            _ => false,
        };
        same_inode || output.is_some() && output == canonical(path)
    };
    match own.iter().find(|path| is_output(path)) {
        Some(path) => Err(usage!(
            "{} is certprep's own file {}; write the calendar to another file, such as plan.ics",
            file.display(),
            path.display()
        )),
        None => Ok(()),
    }
}

/// `path` with every symbolic link and `..` resolved, also when the file itself
/// does not exist yet (its directory does); `None` when neither resolves.
fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(path) = std::fs::canonicalize(path) {
        return Some(path);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(parent).ok()?.join(name))
}

/// `done` (done = true) and `undone` (done = false) with day numbers and ranges.
/// No days means today's day.
pub fn mark(
    context: &Context,
    days: &[std::ops::RangeInclusive<u32>],
    done: bool,
    out: &mut String,
) -> Result<()> {
    let (guide, marked, progress) = context.update(|state, guide| {
        // A set: `done 3 3 1` marks days 1 and 3, and says so once each.
        let marked: std::collections::BTreeSet<u32> = if days.is_empty() {
            let progress = state.progress(&guide.id);
            let started = progress.started.map(|d| d.0);
            match schedule::position(started, context.today, guide.plan_days()) {
                Position::Day(day) => [day].into(),
                Position::NotStarted => {
                    return Err(usage!(
                        "{} has not been started, so there is no today's day; name the day (`certprep done 1`) or `certprep start {}`",
                        guide.id,
                        guide.id
                    ));
                }
                Position::BeforeStart { starts_in } => {
                    return Err(usage!(
                        "the {} plan starts in {starts_in} days, so there is no today's day; name the day, e.g. `certprep done 1`",
                        guide.id
                    ));
                }
                Position::Finished { .. } => {
                    return Err(usage!(
                        "the {} plan is over, so there is no today's day; name the day, e.g. `certprep done {}`",
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
        if done {
            state.progress_mut(&guide.id).days_done.extend(&marked);
        } else if let Some(progress) = state.exams.get_mut(&guide.id) {
            progress.days_done.retain(|day| !marked.contains(day));
        }
        Ok((guide.clone(), marked, state.progress(&guide.id)))
    })?;
    let list: Vec<String> = marked.iter().map(u32::to_string).collect();
    writeln!(
        out,
        "Day{} {} marked {}. {} of {} days done.",
        render::plural(marked.len()),
        list.join(", "),
        if done { "done" } else { "not done" },
        count_done(&guide, &progress),
        guide.plan_days()
    )?;
    Ok(())
}
