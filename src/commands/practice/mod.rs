//! `practice add`, `practice [list]` and `practice remove` (README: Practice tests and the forecast).

mod score;

use std::collections::BTreeMap;
use std::fmt::Write;

use anyhow::Result;
use serde::Serialize;

use self::score::ScoreArg;
use super::Context;
use crate::cli::{PracticeAddArgs, PracticeArgs, PracticeCommand};
use crate::error::usage;
use crate::guide::Guide;
use crate::render::{self, Paint, Style, View};
use crate::resolve;
use crate::round::nine_places;
use crate::state::{self, Date, Sitting};
use crate::text::Untrusted;

pub fn practice(context: &Context, args: PracticeArgs, out: &mut String) -> Result<()> {
    match args.command {
        None => list(context, args.json, out),
        Some(PracticeCommand::List(list_args)) => list(context, list_args.json, out),
        Some(PracticeCommand::Add(add_args)) => add(context, &add_args, out),
        Some(PracticeCommand::Remove(remove_args)) => remove(context, remove_args.number, out),
        Some(PracticeCommand::Help(help_args)) => {
            let names: Vec<String> = std::iter::once("practice".to_string())
                .chain(help_args.command)
                .collect();
            super::help::help(&names, context, out)
        }
    }
}

/// A score as the learner reads it: "34/48 (71%)".
fn score_text(correct: u32, total: u32) -> String {
    format!(
        "{correct}/{total} ({})",
        render::percent(percent(correct, total))
    )
}

/// `correct` of `total` in percent; a total of 0 (which no sitting has) is 0 %.
pub(super) fn percent(correct: u32, total: u32) -> f64 {
    if total == 0 {
        return 0.0;
    }
    nine_places(100.0 * f64::from(correct) / f64::from(total))
}

/// A sitting's whole-test percent as every JSON document gives it, to two
/// decimals (the exact score is beside it, as `correct` and `questions`).
pub(super) fn json_percent(correct: u32, total: u32) -> f64 {
    (percent(correct, total) * 100.0).round() / 100.0
}

fn add(context: &Context, args: &PracticeAddArgs, out: &mut String) -> Result<()> {
    let on = args.on.unwrap_or(context.today);
    if on > context.today {
        return Err(usage!(
            "--on {on} is later than today ({}): record a practice test once it is sat",
            context.today
        ));
    }
    let parsed = args
        .scores
        .iter()
        .map(|argument| ScoreArg::parse(argument))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| usage!("{error}"))?;
    let note = args.note.clone().filter(|note| !note.trim().is_empty());
    if let Some(chars) = note
        .as_deref()
        .map(|note| note.chars().count())
        .filter(|&chars| chars > Sitting::MAX_NOTE_CHARS)
    {
        return Err(usage!(
            "the note has {chars} characters; a note may have at most {}, such as which practice set it was",
            Sitting::MAX_NOTE_CHARS
        ));
    }
    // Studied on the day it was sat: the history counts it there.
    let (number, total, sitting, quiz) = context.update_on(on, |state, guide| {
        let scores = parsed
            .iter()
            .cloned()
            .map(|score| {
                score.try_map_section(|name| resolve::section(guide, &name).map(|(index, _)| index))
            })
            .collect::<Result<Vec<_>>>()?;
        let outline: Vec<&str> = guide.sections.iter().map(|s| s.id.as_str()).collect();
        let checked = score::combine(&scores, &outline).map_err(|error| usage!("{error}"))?;
        let sitting = Sitting {
            on: Date(on),
            correct: checked.correct,
            questions: checked.questions,
            note: note.clone(),
            sections: checked.sections,
        };
        let progress = state.progress_mut(&guide.id);
        if !args.again
            && let Some(index) = progress.practice.iter().position(|s| *s == sitting)
        {
            return Err(usage!(
                "practice test {} already records the same sitting, {} on {on}: add --again to record another one like it",
                index + 1,
                score_text(sitting.correct, sitting.questions)
            ));
        }
        let number = progress.add_sitting(sitting.clone());
        let quiz = quiz_text(guide, &sitting);
        Ok((number, progress.practice.len(), sitting, quiz))
    })?;
    let score = score_text(sitting.correct, sitting.questions);
    let quiz = quiz
        .map(|sections| format!(", a quiz on {sections}"))
        .unwrap_or_default();
    // A sitting dated before others takes its place by date: say where, and
    // that the later ones moved, since `practice remove N` goes by number.
    match total - number {
        0 => writeln!(
            out,
            "Recorded practice test {number} on {on}: {score}{quiz}"
        )?,
        later => {
            let next = number + 1;
            let moved = match later {
                1 => format!("the one dated later is now number {total}"),
                2 => format!("the 2 dated later are now numbers {next} and {total}"),
                _ => format!("the {later} dated later are now numbers {next} to {total}"),
            };
            writeln!(
                out,
                "Recorded practice test {number} of {total} on {on}: {score}{quiz}; {moved}"
            )?
        }
    }
    Ok(())
}

/// "section 2", "sections 1 and 3" when `sitting` scores some sections of the
/// outline but not all (a quiz on them); `None` for a whole test.
fn quiz_text(guide: &Guide, sitting: &Sitting) -> Option<String> {
    let mut numbers: Vec<usize> = sitting
        .sections
        .keys()
        .filter_map(|id| guide.section_index(id))
        .map(|index| index + 1)
        .collect();
    if numbers.is_empty() || numbers.len() == guide.sections.len() {
        return None;
    }
    numbers.sort_unstable();
    let mut text: Vec<String> = numbers.iter().map(usize::to_string).collect();
    let last = text.pop()?;
    Some(if text.is_empty() {
        format!("section {last}")
    } else {
        format!("sections {} and {last}", text.join(", "))
    })
}

/// `practice remove N`, which also reads a state past the size limit (up to
/// [`state::REMOVAL_READ_BYTES`]): removing the sittings with long notes an older
/// certprep recorded is the way back under it.
fn remove(context: &Context, number: usize, out: &mut String) -> Result<()> {
    let (exam, removed) = context.update_reading(state::REMOVAL_READ_BYTES, |state, guide| {
        let sittings = state
            .exams
            .get_mut(&guide.id)
            .map(|progress| &mut progress.practice)
            .filter(|sittings| !sittings.is_empty())
            .ok_or_else(|| {
                usage!(
                    "there is no practice test number {number}: none is recorded for {}",
                    guide.id
                )
            })?;
        if !(1..=sittings.len()).contains(&number) {
            return Err(usage!(
                "there is no practice test number {number}: numbers run from 1 to {} (see `certprep practice list`)",
                sittings.len()
            ));
        }
        Ok((guide.id.clone(), sittings.remove(number - 1)))
    })?;
    writeln!(
        out,
        "Removed practice test {number} of {exam}: {}, {}",
        removed.on,
        score_text(removed.correct, removed.questions)
    )?;
    Ok(())
}

fn list(context: &Context, json: bool, out: &mut String) -> Result<()> {
    let (guide, progress) = context.selected_progress()?;
    let view = PracticeList::new(&guide, &progress.practice);
    render::show(&view, json, context.style, out)
}

/// The sittings of one exam, numbered in date order.
#[derive(Serialize)]
struct PracticeList<'a> {
    exam: &'a str,
    #[serde(skip)]
    name: &'a str,
    sittings: Vec<SittingRow<'a>>,
}

#[derive(Serialize)]
struct SittingRow<'a> {
    number: usize,
    on: String,
    correct: u32,
    questions: u32,
    /// Whole-test percent, two decimals.
    percent: f64,
    note: Option<&'a str>,
    /// Section id → [correct, total], as the state file holds them.
    sections: &'a BTreeMap<String, (u32, u32)>,
    /// "1: 14/18", or the id for a section the guide does not know, in outline order.
    #[serde(skip)]
    section_text: Vec<String>,
}

impl<'a> PracticeList<'a> {
    fn new(guide: &'a Guide, sittings: &'a [Sitting]) -> PracticeList<'a> {
        let sittings = sittings
            .iter()
            .enumerate()
            .map(|(index, sitting)| SittingRow {
                number: index + 1,
                on: sitting.on.to_string(),
                correct: sitting.correct,
                questions: sitting.questions,
                percent: json_percent(sitting.correct, sitting.questions),
                note: sitting.note.as_deref(),
                sections: &sitting.sections,
                section_text: section_text(guide, sitting),
            })
            .collect();
        PracticeList {
            exam: &guide.id,
            name: &guide.name,
            sittings,
        }
    }
}

/// Each section score as "NUMBER: CORRECT/TOTAL", in outline order; a section id
/// the guide does not know comes last, by its id.
fn section_text(guide: &Guide, sitting: &Sitting) -> Vec<String> {
    let mut scores: Vec<(usize, String)> = sitting
        .sections
        .iter()
        .map(|(id, (correct, total))| match guide.section_index(id) {
            Some(index) => (index, format!("{}: {correct}/{total}", index + 1)),
            None => (usize::MAX, format!("{}: {correct}/{total}", Untrusted(id))),
        })
        .collect();
    // Stable: unknown ids stay in id order.
    scores.sort_by_key(|(index, _)| *index);
    scores.into_iter().map(|(_, text)| text).collect()
}

impl View for PracticeList<'_> {
    fn write_text(&self, style: Style, out: &mut String) -> std::fmt::Result {
        writeln!(
            out,
            "{} practice tests",
            style.paint(self.name, Paint::Bold)
        )?;
        if self.sittings.is_empty() {
            return writeln!(
                out,
                "None recorded yet; after a practice exam, record its score with `certprep practice add 34/48` (yours, out of its questions)."
            );
        }
        let mut table = style.table(&["#", "Date", "Score", "%", "Sections", "Note"]);
        for row in &self.sittings {
            table.add_row(vec![
                row.number.to_string(),
                row.on.clone(),
                format!("{}/{}", row.correct, row.questions),
                render::percent(row.percent),
                render::cell_text(&row.section_text.join(", ")),
                row.note.map(render::cell_text).unwrap_or_default(),
            ]);
        }
        render::align_right(&mut table, [0, 2, 3]);
        writeln!(out, "{}", table.trim_fmt())
    }
}
