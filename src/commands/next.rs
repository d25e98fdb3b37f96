//! Guidance: `next` (what to study next) and `why` (how a section's readiness is
//! made).

use std::fmt::{Result as FmtResult, Write};

use anyhow::Result;
use serde::Serialize;

use super::Context;
use crate::guidance::{self, Action, ActionKind, Step};
use crate::guide::{Guide, Section};
use crate::readiness::{self, Component, Part, Scores, SectionScore, Tally};
use crate::render::{self, Paint, Style, View};
use crate::resolve;
use crate::state::Progress;

/// What `next` shows: the actions that add most readiness, best first.
#[derive(Serialize)]
struct Next<'a> {
    exam: &'a str,
    #[serde(skip)]
    name: &'a str,
    readiness: f64,
    actions: Vec<NextAction<'a>>,
}

#[derive(Serialize)]
struct NextAction<'a> {
    kind: ActionKind,
    target: Target<'a>,
    /// For "rate": the rating to reach.
    rating: Option<u8>,
    points: f64,
    /// The section that gains most, and the sentence that says why.
    section: &'a str,
    why: String,
    /// What to type and what it is about.
    #[serde(skip)]
    command: String,
}

/// The item id, the section id (JSON strings), or the day number (a JSON number).
#[derive(Serialize)]
#[serde(untagged)]
enum Target<'a> {
    Id(&'a str),
    Day(u32),
}

impl<'a> From<&'a Step> for Target<'a> {
    fn from(step: &'a Step) -> Self {
        match step {
            Step::Tick { item: id } | Step::Rate { section: id, .. } => Target::Id(id),
            Step::Day { day } => Target::Day(*day),
        }
    }
}

impl<'a> Next<'a> {
    fn new(guide: &'a Guide, progress: &Progress, actions: &'a [Action]) -> Self {
        let scores = readiness::assess(guide, progress);
        Next {
            exam: &guide.id,
            name: &guide.name,
            readiness: scores.overall,
            actions: actions
                .iter()
                .map(|action| NextAction::new(guide, &scores, action))
                .collect(),
        }
    }
}

impl<'a> NextAction<'a> {
    fn new(guide: &'a Guide, scores: &Scores, action: &'a Action) -> Self {
        let section = &guide.sections[action.section];
        NextAction {
            kind: action.step.kind(),
            target: Target::from(&action.step),
            rating: match action.step {
                Step::Rate { rating, .. } => Some(rating),
                _ => None,
            },
            points: action.points,
            section: &section.id,
            why: why_line(section, &scores.sections[action.section]),
            command: describe(guide, &action.step),
        }
    }
}

impl View for Next<'_> {
    fn write_text(&self, style: Style, out: &mut String) -> FmtResult {
        writeln!(
            out,
            "{} is at {}. What adds most:",
            style.paint(self.name, Paint::Bold),
            render::percent(self.readiness)
        )?;
        if self.actions.is_empty() {
            writeln!(
                out,
                "Nothing: every item is ticked, every day done, every section rated 5."
            )?;
        }
        for (index, action) in self.actions.iter().enumerate() {
            writeln!(
                out,
                "{:>2}. {} {}",
                index + 1,
                style.paint(format!("+{:.1}", action.points), Paint::Green),
                action.command
            )?;
            let why = format!("{}.", action.why);
            writeln!(out, "    {}", style.paint(why, Paint::Dim))?;
        }
        Ok(())
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
    let mut actions = guidance::next_actions(&guide, &progress);
    actions.truncate(limit);
    render::show(
        &Next::new(&guide, &progress, &actions),
        json,
        context.style,
        out,
    )
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

/// What `why` shows: one section's readiness, part by part, and what it lacks.
#[derive(Serialize)]
struct Why<'a> {
    exam: &'a str,
    number: usize,
    id: &'a str,
    name: &'a str,
    weight: u32,
    readiness: f64,
    points: f64,
    components: Vec<ComponentPart>,
    missing: Missing,
    /// The section's rating and tallies, which the text's "Value" column shows.
    #[serde(skip)]
    rating: Option<u8>,
    #[serde(skip)]
    checklist: Tally,
    #[serde(skip)]
    plan: Tally,
}

#[derive(Serialize)]
struct ComponentPart {
    component: Component,
    /// The component's score, 0..=1, or null when it drops out.
    score: Option<f64>,
    weight: f64,
    /// Percentage points of the section's readiness.
    contribution: f64,
}

impl From<&Part> for ComponentPart {
    fn from(part: &Part) -> Self {
        ComponentPart {
            component: part.component,
            score: part.score,
            weight: part.weight,
            contribution: part.contribution,
        }
    }
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

impl Missing {
    fn new(guide: &Guide, progress: &Progress, section: &Section, score: &SectionScore) -> Self {
        let trains = |sections: &[String]| sections.contains(&section.id);
        Missing {
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
        }
    }

    /// "tick a, b; plan days 3, 4; rating 2 steps to 5", or `None` for nothing.
    fn gaps(&self) -> Option<String> {
        let mut gaps = Vec::new();
        if !self.items.is_empty() {
            gaps.push(format!("tick {}", self.items.join(", ")));
        }
        if !self.days.is_empty() {
            let days: Vec<String> = self.days.iter().map(u32::to_string).collect();
            gaps.push(format!(
                "plan day{} {}",
                render::plural(days.len()),
                days.join(", ")
            ));
        }
        if self.rating_steps > 0 {
            gaps.push(format!(
                "rating {} step{} to 5",
                self.rating_steps,
                render::plural(self.rating_steps)
            ));
        }
        (!gaps.is_empty()).then(|| gaps.join("; "))
    }
}

impl<'a> Why<'a> {
    fn new(guide: &'a Guide, progress: &Progress, index: usize) -> Self {
        let section = &guide.sections[index];
        let score = &readiness::assess(guide, progress).sections[index];
        Why {
            exam: &guide.id,
            number: index + 1,
            id: &section.id,
            name: &section.name,
            weight: section.weight,
            readiness: score.readiness,
            points: score.points,
            components: score.parts.iter().map(ComponentPart::from).collect(),
            missing: Missing::new(guide, progress, section, score),
            rating: score.rating,
            checklist: score.checklist,
            plan: score.plan,
        }
    }

    /// The component table: what each component is worth and adds.
    fn table(&self, style: Style) -> String {
        let mut table = style.table(&["Component", "Value", "Score", "Weight", "Adds"]);
        for part in &self.components {
            let (name, value) = match part.component {
                Component::Rating => (
                    "Rating",
                    self.rating
                        .map_or("unrated (counts as 1)".to_string(), |rating| {
                            format!("{rating} of 5")
                        }),
                ),
                Component::Checklist => ("Checklist", tally(self.checklist, "items")),
                Component::Plan => ("Plan", tally(self.plan, "days")),
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
        table.trim_fmt()
    }

    /// The formula with this section's numbers, as in the README's "Readiness".
    fn formula(&self) -> String {
        let present: Vec<_> = self
            .components
            .iter()
            .filter(|part| part.score.is_some())
            .collect();
        let terms: Vec<String> = present
            .iter()
            .map(|part| format!("{}×{:.2}", part.weight, part.score.unwrap_or(0.0)))
            .collect();
        let weights: Vec<String> = present.iter().map(|part| part.weight.to_string()).collect();
        format!(
            "readiness = 100 × ({}) / ({}) = {}",
            terms.join(" + "),
            weights.join(" + "),
            render::percent(self.readiness)
        )
    }
}

impl View for Why<'_> {
    fn write_text(&self, style: Style, out: &mut String) -> FmtResult {
        writeln!(
            out,
            "{} ({}), {}% of the exam: readiness {}, {:.2} points",
            style.paint(format!("{}. {}", self.number, self.name), Paint::Bold),
            self.id,
            self.weight,
            render::percent(self.readiness),
            self.points
        )?;
        writeln!(out, "{}", self.table(style))?;
        writeln!(out, "{}", self.formula())?;
        match self.missing.gaps() {
            None => writeln!(out, "Missing: nothing; this section is exam-ready."),
            Some(gaps) => writeln!(out, "Missing: {gaps}."),
        }
    }
}

pub fn why(context: &Context, name: &str, json: bool, out: &mut String) -> Result<()> {
    let state = context.load_state()?;
    let guide = context.require_selected(&state)?;
    let (index, _) = resolve::section(&guide, name)?;
    let progress = state.progress(&guide.id);
    render::show(
        &Why::new(&guide, &progress, index),
        json,
        context.style,
        out,
    )
}

fn tally(tally: Tally, what: &str) -> String {
    if tally.total == 0 {
        format!("no {what}")
    } else {
        format!("{} of {} {what}", tally.done, tally.total)
    }
}
