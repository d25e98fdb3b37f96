//! Choosing and dating an exam: `start`, `use`, `book`, `reset`.

use std::fmt::Write;

use anyhow::Result;
use chrono::NaiveDate;

use super::Context;
use crate::cli::StartArgs;
use crate::error::usage;
use crate::history::Effect;
use crate::state::{self, Date};

pub fn start(context: &Context, args: &StartArgs, out: &mut String) -> Result<()> {
    let guide = context.find_exam(&args.exam)?;
    let day_one = args.on.unwrap_or(context.today);
    state::update(&context.state_path, |state| {
        state.progress_mut(&guide.id).started = Some(Date(day_one));
        state.active = Some(guide.id.clone());
        Ok(((), Effect::None))
    })?;
    writeln!(
        out,
        "Started {} ({}): day 1 of the {}-day plan is {day_one}.",
        guide.name,
        guide.id,
        guide.plan_days()
    )?;
    writeln!(
        out,
        "Next: `certprep today` for today's topic, `certprep status` for readiness."
    )?;
    Ok(())
}

pub fn use_exam(context: &Context, name: &str, out: &mut String) -> Result<()> {
    let guide = context.find_exam(name)?;
    state::update(&context.state_path, |state| {
        state.active = Some(guide.id.clone());
        Ok(((), Effect::None))
    })?;
    writeln!(out, "Active exam: {} ({}).", guide.name, guide.id)?;
    Ok(())
}

/// `book DATE` records the exam date; `book --clear` (date = None) removes it.
pub fn book(context: &Context, date: Option<NaiveDate>, out: &mut String) -> Result<()> {
    let guide = state::update(&context.state_path, |state| {
        let guide = context.require_selected(state)?;
        match date {
            Some(date) => state.progress_mut(&guide.id).booked = Some(Date(date)),
            None => {
                if let Some(progress) = state.exams.get_mut(&guide.id) {
                    progress.booked = None;
                }
            }
        }
        Ok((guide, Effect::None))
    })?;
    match date {
        Some(date) => {
            let days = crate::schedule::days_until(date, context.today);
            writeln!(
                out,
                "{} booked for {date} ({days} days from today).",
                guide.name
            )?;
        }
        None => writeln!(out, "{}: booked date cleared.", guide.name)?,
    }
    Ok(())
}

pub fn reset(context: &Context, yes: bool, out: &mut String) -> Result<()> {
    if !yes {
        let state = context.load_state()?;
        let guide = context.require_selected(&state)?;
        return Err(usage!(
            "reset erases every tick, plan day, rating and date of {}; run `certprep reset --yes` to confirm",
            guide.id
        ));
    }
    let guide = context.update(|state, guide| {
        state.exams.remove(&guide.id);
        Ok(guide.clone())
    })?;
    writeln!(out, "Erased all progress on {} ({}).", guide.name, guide.id)?;
    Ok(())
}
