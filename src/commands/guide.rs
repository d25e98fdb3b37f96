//! `guide`: the selected exam's study guide, readable in a terminal.

use std::fmt::{Result as FmtResult, Write};

use anyhow::Result;
use serde::Serialize;

use super::Context;
use crate::guide::Guide;
use crate::render::{self, Paint, Style, View};

/// The study guide as `guide` shows it: the guide itself, part by part. (The
/// command has no `--json`; the serialized view would be the guide's model.)
#[derive(Serialize)]
#[serde(transparent)]
struct StudyGuide<'a>(&'a Guide);

pub fn guide(context: &Context, out: &mut String) -> Result<()> {
    let (guide, _) = context.selected_progress()?;
    render::show(&StudyGuide(&guide), false, context.style, out)
}

impl View for StudyGuide<'_> {
    fn write_text(&self, style: Style, out: &mut String) -> FmtResult {
        let guide = self.0;
        for part in [
            introduction,
            assessment,
            outline,
            training,
            checklist,
            plan,
            quick_reference,
            resources,
        ] {
            part(guide, style, out)?;
        }
        Ok(())
    }
}

/// A part's title, bold, after a blank line.
fn heading(out: &mut String, style: Style, title: &str) -> FmtResult {
    write!(out, "\n{}\n", style.paint(title, Paint::Bold))
}

/// The exam's name and what it is for.
fn introduction(guide: &Guide, style: Style, out: &mut String) -> FmtResult {
    writeln!(out, "{}", style.paint(&guide.name, Paint::Bold))?;
    for (label, value) in [
        ("Purpose", &guide.purpose),
        ("Goal", &guide.goal),
        ("Audience", &guide.audience),
    ] {
        if let Some(value) = value {
            writeln!(out, "{label}: {value}")?;
        }
    }
    Ok(())
}

/// The exam's facts: questions, time, fee, where to read more.
fn assessment(guide: &Guide, style: Style, out: &mut String) -> FmtResult {
    heading(out, style, "Assessment")?;
    let assessment = &guide.assessment;
    let format = assessment
        .format
        .as_deref()
        .map_or(String::new(), |format| format!(" {format}"));
    writeln!(out, "- Questions: {}{format}", assessment.questions)?;
    writeln!(out, "- Time: {} minutes", assessment.minutes)?;
    let languages = assessment.languages.join(", ");
    for (label, value) in [
        ("Fee", assessment.fee.as_deref()),
        ("Delivery", assessment.delivery.as_deref()),
        (
            "Languages",
            Some(languages.as_str()).filter(|l| !l.is_empty()),
        ),
        ("Prerequisites", assessment.prerequisites.as_deref()),
        ("Validity", assessment.validity.as_deref()),
    ] {
        if let Some(value) = value {
            writeln!(out, "- {label}: {value}")?;
        }
    }
    for note in &assessment.notes {
        writeln!(out, "- {note}")?;
    }
    if let Some(page) = &assessment.official_page {
        writeln!(out, "- Official page: {page}")?;
    }
    if let Some(pdf) = &assessment.exam_guide {
        writeln!(out, "- Exam guide PDF: {pdf}")?;
    }
    Ok(())
}

/// The sections with their weights.
fn outline(guide: &Guide, style: Style, out: &mut String) -> FmtResult {
    heading(out, style, "Exam outline")?;
    for (index, section) in guide.sections.iter().enumerate() {
        writeln!(
            out,
            "{}. {} ({}%) [{}]",
            index + 1,
            section.name,
            section.weight,
            section.id
        )?;
        if let Some(summary) = &section.summary {
            writeln!(out, "   {summary}")?;
        }
    }
    Ok(())
}

/// Recommended courses, and the hands-on material mapped to the exam.
fn training(guide: &Guide, style: Style, out: &mut String) -> FmtResult {
    if !guide.training.is_empty() {
        heading(out, style, "Recommended training")?;
        for training in &guide.training {
            match &training.url {
                Some(url) => writeln!(out, "- {}: {}: {url}", training.format, training.title)?,
                None => writeln!(out, "- {}: {}", training.format, training.title)?,
            }
        }
    }
    let hands_on = &guide.hands_on;
    if !hands_on.notes.is_empty() || !hands_on.notebooks.is_empty() {
        heading(out, style, "Hands-on mapping")?;
        for note in &hands_on.notes {
            writeln!(out, "- {note}")?;
        }
        for notebook in &hands_on.notebooks {
            writeln!(out, "- {}: {}", notebook.file, notebook.focus)?;
        }
    }
    Ok(())
}

fn checklist(guide: &Guide, style: Style, out: &mut String) -> FmtResult {
    heading(out, style, "Skills checklist")?;
    for (index, item) in guide.checklist.iter().enumerate() {
        writeln!(out, "{}. {} [{}]", index + 1, item.text, item.id)?;
    }
    Ok(())
}

fn plan(guide: &Guide, style: Style, out: &mut String) -> FmtResult {
    if guide.plan.is_empty() {
        return Ok(());
    }
    let title = guide.plan_title.as_deref().unwrap_or("Study plan");
    heading(out, style, title)?;
    for entry in &guide.plan {
        writeln!(out, "- {}: {}", entry.days, entry.topic)?;
    }
    Ok(())
}

/// The cheat sheet, and the steps for the days before the exam.
fn quick_reference(guide: &Guide, style: Style, out: &mut String) -> FmtResult {
    if !guide.quick_reference.is_empty() {
        heading(out, style, "Quick reference")?;
        for reference in &guide.quick_reference {
            writeln!(out, "{}:", reference.title)?;
            for line in &reference.lines {
                writeln!(out, "    {line}")?;
            }
        }
    }
    if !guide.getting_ready.is_empty() {
        heading(out, style, "Getting ready")?;
        for step in &guide.getting_ready {
            writeln!(out, "- {step}")?;
        }
    }
    Ok(())
}

/// Links, docs and books, then where the guide comes from.
fn resources(guide: &Guide, style: Style, out: &mut String) -> FmtResult {
    for (title, links) in [
        ("Registration and resources", &guide.resources),
        ("Docs", &guide.docs),
    ] {
        if !links.is_empty() {
            heading(out, style, title)?;
            for link in links {
                writeln!(out, "- {}: {}", link.title, link.url)?;
            }
        }
    }
    if !guide.books.is_empty() {
        heading(out, style, "Books")?;
        for book in &guide.books {
            let publisher = book
                .publisher
                .as_deref()
                .map_or(String::new(), |publisher| format!(", {publisher}"));
            write!(
                out,
                "- {} by {} ({}{publisher})",
                book.title,
                book.authors.join(", "),
                book.year
            )?;
            match &book.url {
                Some(url) => writeln!(out, ": {url}")?,
                None => writeln!(out)?,
            }
        }
    }
    if let Some(source) = &guide.source {
        let source = format!("Source: {source}");
        writeln!(out, "\n{}", style.paint(source, Paint::Dim))?;
    }
    Ok(())
}
