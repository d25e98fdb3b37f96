//! `checklist`, `tick` and `untick`.

use std::fmt::Write;

use anyhow::Result;
use serde::Serialize;

use super::Context;
use crate::guide::Guide;
use crate::render::Paint;
use crate::resolve;
use crate::state::Progress;

#[derive(Serialize)]
struct ChecklistJson<'a> {
    exam: &'a str,
    items: Vec<ItemJson<'a>>,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    number: usize,
    id: &'a str,
    text: &'a str,
    sections: &'a [String],
    done: bool,
}

pub fn checklist(context: &Context, json: bool, out: &mut String) -> Result<()> {
    let state = context.load_state()?;
    let guide = context.require_selected(&state)?;
    let progress = state.progress(&guide.id);
    if json {
        let items = guide
            .checklist
            .iter()
            .enumerate()
            .map(|(index, item)| ItemJson {
                number: index + 1,
                id: &item.id,
                text: &item.text,
                sections: &item.sections,
                done: progress.ticked.contains(&item.id),
            })
            .collect();
        let document = ChecklistJson {
            exam: &guide.id,
            items,
        };
        out.push_str(&crate::render::json(&document));
        return Ok(());
    }
    writeln!(
        out,
        "{} skills checklist",
        context.style.paint(&guide.name, Paint::Bold)
    )?;
    write_items(context, &guide, &progress, out)
}

/// Numbered items with done marks, as `checklist` prints them.
fn write_items(
    context: &Context,
    guide: &Guide,
    progress: &Progress,
    out: &mut String,
) -> Result<()> {
    let style = context.style;
    let width = guide.checklist.len().to_string().len();
    for (index, item) in guide.checklist.iter().enumerate() {
        let done = progress.ticked.contains(&item.id);
        let mark = if done {
            style.paint("[x]", Paint::Green)
        } else {
            "[ ]".to_string()
        };
        writeln!(out, "{:>width$}. {mark} {}", index + 1, item.text)?;
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
    let done = guide
        .checklist
        .iter()
        .filter(|item| progress.ticked.contains(&item.id))
        .count();
    writeln!(out, "{done} of {} done", guide.checklist.len())?;
    Ok(())
}

/// `tick` (done = true) and `untick` (done = false); idempotent.
pub fn tick(context: &Context, names: &[String], done: bool, out: &mut String) -> Result<()> {
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
    write_items(context, &guide, &progress, out)
}
