//! Guidance: `next` (what to study next) and `why` (how a section's readiness is
//! made).

use std::fmt::Write;

use anyhow::Result;
use serde::Serialize;

use super::Context;
use crate::guidance::{self, Action, ActionKind, Step};
use crate::guide::{Guide, Section};
use crate::readiness::{self, Component, Scores, SectionScore};
use crate::render::{self, Paint};
use crate::resolve;

#[derive(Serialize)]
struct NextJson<'a> {
    exam: &'a str,
    readiness: f64,
    actions: Vec<ActionJson<'a>>,
}

#[derive(Serialize)]
struct ActionJson<'a> {
    kind: ActionKind,
    target: Target<'a>,
    /// For "rate": the rating to reach.
    rating: Option<u8>,
    points: f64,
    /// The section that gains most, and the sentence that says why.
    section: &'a str,
    why: String,
}

/// The item id, the section id (JSON strings), or the day number (a JSON number).
#[derive(Serialize)]
#[serde(untagged)]
enum Target<'a> {
    Id(&'a str),
    Day(u32),
}

impl<'a> ActionJson<'a> {
    fn new(guide: &'a Guide, assessment: &Scores, action: &'a Action) -> Self {
        let section = &guide.sections[action.section];
        ActionJson {
            kind: action.step.kind(),
            target: Target::from(&action.step),
            rating: match action.step {
                Step::Rate { rating, .. } => Some(rating),
                _ => None,
            },
            points: action.points,
            section: &section.id,
            why: why_line(section, &assessment.sections[action.section]),
        }
    }
}

impl<'a> From<&'a Step> for Target<'a> {
    fn from(step: &'a Step) -> Self {
        match step {
            Step::Tick { item: id } | Step::Rate { section: id, .. } => Target::Id(id),
            Step::Day { day } => Target::Day(*day),
        }
    }
}

/// "Model Development weighs 31% and is at 20%".
fn why_line(section: &Section, score: &SectionScore) -> String {
    format!(
        "{} weighs {}% and is at {}",
        section.name,
        section.weight,
        render::percent(score.readiness)
    )
}

pub fn next(context: &Context, limit: usize, json: bool, out: &mut String) -> Result<()> {
    let state = context.load_state()?;
    let guide = context.require_selected(&state)?;
    let progress = state.progress(&guide.id);
    let assessment = readiness::assess(&guide, &progress);
    let mut actions = guidance::next_actions(&guide, &progress);
    actions.truncate(limit);

    if json {
        let document = NextJson {
            exam: &guide.id,
            readiness: assessment.overall,
            actions: actions
                .iter()
                .map(|action| ActionJson::new(&guide, &assessment, action))
                .collect(),
        };
        out.push_str(&render::json(&document));
        return Ok(());
    }

    let style = context.style;
    writeln!(
        out,
        "{} is at {}. What adds most:",
        style.paint(&guide.name, Paint::Bold),
        render::percent(assessment.overall)
    )?;
    if actions.is_empty() {
        writeln!(
            out,
            "Nothing: every item is ticked, every day done, every section rated 5."
        )?;
    }
    for (index, action) in actions.iter().enumerate() {
        writeln!(
            out,
            "{:>2}. {} {}",
            index + 1,
            style.paint(format!("+{:.1}", action.points), Paint::Green),
            describe(&guide, &action.step)
        )?;
        let section = &guide.sections[action.section];
        let why = why_line(section, &assessment.sections[action.section]);
        writeln!(out, "    {}", style.paint(format!("{why}."), Paint::Dim))?;
    }
    Ok(())
}

/// What to type and what it is about.
fn describe(guide: &Guide, step: &Step) -> String {
    match step {
        Step::Tick { item } => {
            let text = guide
                .checklist
                .iter()
                .find(|candidate| candidate.id == *item)
                .map_or("", |candidate| candidate.text.as_str());
            format!("certprep tick {item}: {text}")
        }
        Step::Day { day } => {
            let topic = guide
                .plan_entry(*day)
                .map_or("", |entry| entry.topic.as_str());
            format!("certprep done {day}: {topic}")
        }
        Step::Rate { section, rating } => format!(
            "study {} until it is worth a {rating}, then certprep rate {section} {rating}",
            guide
                .section(section)
                .map_or("", |found| found.name.as_str()),
        ),
    }
}

#[derive(Serialize)]
struct WhyJson<'a> {
    exam: &'a str,
    number: usize,
    id: &'a str,
    name: &'a str,
    weight: u32,
    readiness: f64,
    points: f64,
    components: Vec<PartJson>,
    missing: Missing,
}

#[derive(Serialize)]
struct PartJson {
    component: Component,
    /// The component's score, 0..=1, or null when it drops out.
    score: Option<f64>,
    weight: f64,
    /// Percentage points of the section's readiness.
    contribution: f64,
}

#[derive(Serialize)]
struct Missing {
    /// Unticked checklist items that train the section.
    items: Vec<String>,
    /// Plan days not done that train the section.
    days: Vec<u32>,
    /// Steps of self-rating below 5 (unrated counts as 1).
    rating_steps: u8,
}

pub fn why(context: &Context, name: &str, json: bool, out: &mut String) -> Result<()> {
    let state = context.load_state()?;
    let guide = context.require_selected(&state)?;
    let (index, section) = resolve::section(&guide, name)?;
    let progress = state.progress(&guide.id);
    let score = &readiness::assess(&guide, &progress).sections[index];
    let trains = |sections: &[String]| sections.contains(&section.id);
    let missing = Missing {
        items: guide
            .checklist
            .iter()
            .filter(|item| trains(&item.sections) && !progress.ticked.contains(&item.id))
            .map(|item| item.id.clone())
            .collect(),
        days: guide
            .plan
            .iter()
            .filter(|entry| trains(&entry.sections))
            .flat_map(|entry| entry.days.days())
            .filter(|day| !progress.days_done.contains(day))
            .collect(),
        rating_steps: 5 - score.rating.unwrap_or(1),
    };

    if json {
        let document = WhyJson {
            exam: &guide.id,
            number: index + 1,
            id: &section.id,
            name: &section.name,
            weight: section.weight,
            readiness: score.readiness,
            points: score.points,
            components: score
                .parts
                .iter()
                .map(|part| PartJson {
                    component: part.component,
                    score: part.score,
                    weight: part.weight,
                    contribution: part.contribution,
                })
                .collect(),
            missing,
        };
        out.push_str(&render::json(&document));
        return Ok(());
    }

    let style = context.style;
    writeln!(
        out,
        "{} ({}), {}% of the exam: readiness {}, {:.2} points",
        style.paint(format!("{}. {}", index + 1, section.name), Paint::Bold),
        section.id,
        section.weight,
        render::percent(score.readiness),
        score.points
    )?;
    let mut table = style.table(&["Component", "Value", "Score", "Weight", "Adds"]);
    for part in &score.parts {
        let (name, value) = match part.component {
            Component::Rating => (
                "Rating",
                score
                    .rating
                    .map_or("unrated (counts as 1)".to_string(), |rating| {
                        format!("{rating} of 5")
                    }),
            ),
            Component::Checklist => ("Checklist", tally(score.checklist, "items")),
            Component::Plan => ("Plan", tally(score.plan, "days")),
        };
        let (score_text, weight_text) = match part.score {
            Some(value) => (format!("{value:.2}"), format!("{}", part.weight)),
            None => ("-".to_string(), "drops out".to_string()),
        };
        table.add_row(vec![
            name.to_string(),
            value,
            score_text,
            weight_text,
            format!("{:.1}", part.contribution),
        ]);
    }
    writeln!(out, "{}", table.trim_fmt())?;
    // The formula with this section's numbers, as in the README's "Readiness".
    let present: Vec<_> = score
        .parts
        .iter()
        .filter(|part| part.score.is_some())
        .collect();
    let terms: Vec<String> = present
        .iter()
        .map(|part| format!("{}×{:.2}", part.weight, part.score.unwrap_or(0.0)))
        .collect();
    let weights: Vec<String> = present.iter().map(|part| part.weight.to_string()).collect();
    writeln!(
        out,
        "readiness = 100 × ({}) / ({}) = {}",
        terms.join(" + "),
        weights.join(" + "),
        render::percent(score.readiness)
    )?;

    let mut gaps = Vec::new();
    if !missing.items.is_empty() {
        gaps.push(format!("tick {}", missing.items.join(", ")));
    }
    if !missing.days.is_empty() {
        let days: Vec<String> = missing.days.iter().map(u32::to_string).collect();
        gaps.push(format!(
            "plan day{} {}",
            render::plural(days.len()),
            days.join(", ")
        ));
    }
    if missing.rating_steps > 0 {
        gaps.push(format!(
            "rating {} step{} to 5",
            missing.rating_steps,
            render::plural(missing.rating_steps)
        ));
    }
    match gaps.is_empty() {
        true => writeln!(out, "Missing: nothing; this section is exam-ready.")?,
        false => writeln!(out, "Missing: {}.", gaps.join("; "))?,
    }
    Ok(())
}

fn tally(tally: readiness::Tally, what: &str) -> String {
    if tally.total == 0 {
        format!("no {what}")
    } else {
        format!("{} of {} {what}", tally.done, tally.total)
    }
}
