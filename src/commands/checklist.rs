//! `checklist`, `tick` and `untick`.

use std::fmt::Write;

use anyhow::Result;
use serde::Serialize;

use super::Context;
use crate::guide::Guide;
use crate::render::{self, Paint, Style, View};
use crate::resolve;
use crate::state::Progress;

/// The checklist of one exam with its done marks.
#[derive(Serialize)]
struct Checklist<'a> {
    exam: &'a str,
    /// The heading `checklist` prints; `tick` and `untick` print the items alone.
    #[serde(skip)]
    title: Option<&'a str>,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Item<'a> {
    number: usize,
    id: &'a str,
    text: &'a str,
    sections: &'a [String],
    done: bool,
}

impl<'a> Checklist<'a> {
    fn new(guide: &'a Guide, progress: &Progress, title: Option<&'a str>) -> Checklist<'a> {
        let items = guide
            .checklist
            .iter()
            .enumerate()
            .map(|(index, item)| Item {
                number: index + 1,
                id: &item.id,
                text: &item.text,
                sections: &item.sections,
                done: progress.ticked.contains(&item.id),
            })
            .collect();
        Checklist {
            exam: &guide.id,
            title,
            items,
        }
    }
}

impl View for Checklist<'_> {
    fn write_text(&self, style: Style, out: &mut String) -> std::fmt::Result {
        if let Some(title) = self.title {
            writeln!(out, "{} skills checklist", style.paint(title, Paint::Bold))?;
        }
        let width = self.items.len().to_string().len();
        for item in &self.items {
            let mark = if item.done {
                style.paint("[x]", Paint::Green)
            } else {
                "[ ]".to_string()
            };
            writeln!(out, "{:>width$}. {mark} {}", item.number, item.text)?;
            writeln!(
                out,
                "{:width$}      {}",
                "",
                style.paint(
                    format!("{} · {}", item.id, item.sections.join(", ")),
                    Paint::Dim
                )
            )?;
        }
        let done = self.items.iter().filter(|item| item.done).count();
        writeln!(out, "{done} of {} done", self.items.len())
    }
}

pub fn checklist(context: &Context, json: bool, out: &mut String) -> Result<()> {
    let (guide, progress) = context.selected_progress()?;
    let view = Checklist::new(&guide, &progress, Some(&guide.name));
    render::show(&view, json, context.style, out)
}

/// `tick` (done = true) and `untick` (done = false); idempotent.
pub fn tick(context: &Context, names: &[String], done: bool, out: &mut String) -> Result<()> {
    // `tick 1,2`: no id holds a comma, so the learner listed several in one word.
    if let Some(joined) = names.iter().find(|name| name.contains(',')) {
        let spaced: Vec<&str> = names
            .iter()
            .flat_map(|name| name.split(','))
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .collect();
        return Err(crate::error::usage_with_hint(
            format!("\"{joined}\" lists several items in one word: separate them with spaces"),
            format!(
                "did you mean `certprep {} {}`?",
                if done { "tick" } else { "untick" },
                spaced.join(" ")
            ),
        ));
    }
    let (guide, progress) = context.update(|state, guide| {
        let ids: Vec<String> = resolve::items(guide, names)?
            .into_iter()
            .map(|item| item.id.clone())
            .collect();
        if done {
            state.progress_mut(&guide.id).ticked.extend(ids);
        } else if let Some(progress) = state.exams.get_mut(&guide.id) {
            progress.ticked.retain(|id| !ids.contains(id));
        }
        Ok((guide.clone(), state.progress(&guide.id)))
    })?;
    render::show(
        &Checklist::new(&guide, &progress, None),
        false,
        context.style,
        out,
    )
}
