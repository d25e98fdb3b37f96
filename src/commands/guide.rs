//! `guide`: the selected exam's study guide, readable in a terminal.

use std::fmt::Write;

use anyhow::Result;

use super::Context;
use crate::render::Paint;

pub fn guide(context: &Context, out: &mut String) -> Result<()> {
    let state = context.load_state()?;
    let guide = context.require_selected(&state)?;
    let style = context.style;
    let heading = |title: &str| format!("\n{}\n", style.paint(title, Paint::Bold));

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

    out.push_str(&heading("Assessment"));
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

    out.push_str(&heading("Exam outline"));
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

    if !guide.training.is_empty() {
        out.push_str(&heading("Recommended training"));
        for training in &guide.training {
            match &training.url {
                Some(url) => writeln!(out, "- {}: {}: {url}", training.format, training.title)?,
                None => writeln!(out, "- {}: {}", training.format, training.title)?,
            }
        }
    }

    let hands_on = &guide.hands_on;
    if !hands_on.notes.is_empty() || !hands_on.notebooks.is_empty() {
        out.push_str(&heading("Hands-on mapping"));
        for note in &hands_on.notes {
            writeln!(out, "- {note}")?;
        }
        for notebook in &hands_on.notebooks {
            writeln!(out, "- {}: {}", notebook.file, notebook.focus)?;
        }
    }

    out.push_str(&heading("Skills checklist"));
    for (index, item) in guide.checklist.iter().enumerate() {
        writeln!(out, "{}. {} [{}]", index + 1, item.text, item.id)?;
    }

    if !guide.plan.is_empty() {
        out.push_str(&heading(
            guide.plan_title.as_deref().unwrap_or("Study plan"),
        ));
        for entry in &guide.plan {
            writeln!(out, "- {}: {}", entry.days, entry.topic)?;
        }
    }

    if !guide.quick_reference.is_empty() {
        out.push_str(&heading("Quick reference"));
        for reference in &guide.quick_reference {
            writeln!(out, "{}:", reference.title)?;
            for line in &reference.lines {
                writeln!(out, "    {line}")?;
            }
        }
    }

    if !guide.getting_ready.is_empty() {
        out.push_str(&heading("Getting ready"));
        for step in &guide.getting_ready {
            writeln!(out, "- {step}")?;
        }
    }

    for (title, links) in [
        ("Registration and resources", &guide.resources),
        ("Docs", &guide.docs),
    ] {
        if !links.is_empty() {
            out.push_str(&heading(title));
            for link in links {
                writeln!(out, "- {}: {}", link.title, link.url)?;
            }
        }
    }

    if !guide.books.is_empty() {
        out.push_str(&heading("Books"));
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
        writeln!(
            out,
            "\n{}",
            style.paint(format!("Source: {source}"), Paint::Dim)
        )?;
    }
    Ok(())
}
