//! Choosing and dating an exam: `start`, `use`, `book`, `reset`.

use std::fmt::Write;

use anyhow::Result;
use chrono::NaiveDate;

use super::Context;
use super::pace::squeeze_phrase;
use crate::cli::StartArgs;
use crate::error::usage;
use crate::history::Effect;
use crate::schedule;
use crate::state::Date;
use crate::store;

/// What `start` did to day 1 of an exam's plan.
enum DayOne {
    /// The exam had no start date; now it has this one.
    Set(NaiveDate),
    /// The exam was started already; its day 1 stays.
    Kept(NaiveDate),
    /// `--on` moved day 1.
    Moved { from: NaiveDate, to: NaiveDate },
}

/// `start EXAM [--on DATE]`: sets day 1 on an exam not started yet. On a started
/// exam only `--on` moves day 1, so re-running the README's first command keeps
/// the learner's place; either way the exam becomes the active one.
pub fn start(context: &Context, args: &StartArgs, out: &mut String) -> Result<()> {
    let guide = context.find_exam(&args.exam)?;
    let day_one = context.update_state(store::MAX_FILE_BYTES, |state| {
        state.active = Some(guide.id.clone());
        let started = &mut state.progress_mut(&guide.id).started;
        let day_one = match (started.map(|date| date.0), args.on) {
            (None, on) => DayOne::Set(on.unwrap_or(context.today)),
            (Some(from), Some(to)) if from != to => DayOne::Moved { from, to },
            (Some(kept), _) => DayOne::Kept(kept),
        };
        if let DayOne::Set(date) | DayOne::Moved { to: date, .. } = day_one {
            *started = Some(Date(date));
        }
        Ok((day_one, Effect::None))
    })?;
    match day_one {
        DayOne::Set(date) => writeln!(
            out,
            "Started {} ({}): day 1 of the {}-day plan is {date}.",
            guide.name,
            guide.id,
            guide.plan_days()
        )?,
        DayOne::Kept(date) => writeln!(
            out,
            "Already started on {date}; {} is now the active exam. Day 1 stays (`certprep start {} --on YYYY-MM-DD` moves it).",
            guide.short, guide.id
        )?,
        DayOne::Moved { from, to } => writeln!(
            out,
            "Moved day 1 of the {} plan from {from} to {to}; {} is now the active exam.",
            guide.short, guide.short
        )?,
    }
    writeln!(
        out,
        "Next: `certprep today` for today's topic, `certprep status` for readiness."
    )?;
    Ok(())
}

pub fn use_exam(context: &Context, name: &str, out: &mut String) -> Result<()> {
    let guide = context.find_exam(name)?;
    context.update_state(store::MAX_FILE_BYTES, |state| {
        state.active = Some(guide.id.clone());
        Ok(((), Effect::None))
    })?;
    writeln!(out, "Active exam: {} ({}).", guide.name, guide.id)?;
    Ok(())
}

/// `book DATE` records the exam date; `book --clear` (date = None) removes it.
/// An exam before the plan days left can be done says so at once.
pub fn book(context: &Context, date: Option<NaiveDate>, out: &mut String) -> Result<()> {
    // An exam is booked ahead; one already sat is no countdown to keep.
    if let Some(date) = date.filter(|date| *date < context.today) {
        return Err(usage!(
            "{date} is in the past (today is {}): book the date you will sit the exam, today or later",
            context.today
        ));
    }
    let (guide, squeeze) = context.update_state(store::MAX_FILE_BYTES, |state| {
        let guide = context.require_selected(state)?;
        match date {
            Some(date) => state.progress_mut(&guide.id).booked = Some(Date(date)),
            None => {
                if let Some(progress) = state.exams.get_mut(&guide.id) {
                    progress.booked = None;
                }
            }
        }
        let squeeze = schedule::pace_of(&guide, &state.progress(&guide.id), context.today)
            .and_then(|pace| pace.squeeze);
        Ok(((guide, squeeze), Effect::None))
    })?;
    match date {
        Some(date) => {
            let when = match schedule::days_until(date, context.today) {
                0 => "today".to_string(),
                days => format!("{} from today", crate::render::days(days)),
            };
            writeln!(out, "{} booked for {date} ({when}).", guide.name)?;
            if let Some(squeeze) = squeeze {
                let when = match squeeze.exam_day {
                    ..=0 => "is before the plan starts".to_string(),
                    day if day <= i64::from(squeeze.days) => {
                        format!("is before the plan ends (day {day} of {})", squeeze.days)
                    }
                    _ => "comes before the plan is done".to_string(),
                };
                writeln!(
                    out,
                    "The exam on {date} {when}; {}.",
                    squeeze_phrase(&squeeze)
                )?;
            }
        }
        None => writeln!(out, "{}: booked date cleared.", guide.name)?,
    }
    Ok(())
}

/// Everything `reset` erases: the exam's whole entry in the progress file, and
/// its history beside it.
const ERASED: &str = "ticked items, plan days done, ratings, practice sittings, the start and booked dates, and the readiness history";

pub fn reset(context: &Context, yes: bool, out: &mut String) -> Result<()> {
    if !yes {
        let (guide, _) = context.selected_progress()?;
        return Err(usage!(
            "reset erases all of {}'s progress: {ERASED}; run `certprep reset --yes` to confirm",
            guide.id
        ));
    }
    let guide = context.update(|state, guide| {
        state.exams.remove(&guide.id);
        Ok(guide.clone())
    })?;
    writeln!(
        out,
        "Erased all progress on {} ({}): {ERASED}.",
        guide.name, guide.id
    )?;
    Ok(())
}
