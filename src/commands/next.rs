//! Guidance: `next` (what to study next) and `why` (how a section's readiness is
//! made, and what the forecast says of it).

use std::fmt::{Result as FmtResult, Write};

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use super::Context;
use crate::forecast::{Forecast, SectionForecast, Source, for_exam, target};
use crate::guidance::{self, Action, ActionKind, PracticeDue, Step};
use crate::guide::{Guide, Section};
use crate::readiness::{self, Component, Part, SectionScore, Tally};
use crate::render::{self, Paint, Style, View};
use crate::resolve;
use crate::state::Progress;

/// The forecast advice follows: at the default target, which the weakest section
/// does not depend on.
pub fn forecast_of(guide: &Guide, progress: &Progress, today: NaiveDate) -> Forecast {
    let (target_percent, _) = target(guide, None);
    for_exam(guide, progress, today, target_percent)
}

/// What `next` shows: the advice, in its order.
#[derive(Serialize)]
struct Next<'a> {
    exam: &'a str,
    #[serde(skip)]
    name: &'a str,
    readiness: f64,
    /// The weakest section: the one the exam is expected to cost most.
    weakest: &'a str,
    actions: Vec<NextAction<'a>>,
}

#[derive(Serialize)]
struct NextAction<'a> {
    kind: ActionKind,
    /// The item id, the day number or the section id; null for a practice test.
    target: Option<Target<'a>>,
    /// For "rate": the rating the practice evidence suggests (null: none yet).
    rating: Option<u8>,
    /// Readiness points the action adds.
    points: f64,
    /// The section the action is about, and its expected lost points.
    section: &'a str,
    lost: f64,
    /// Both figures in words, as the text's second line.
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

impl<'a> Target<'a> {
    fn of(step: &'a Step) -> Option<Self> {
        match step {
            Step::Tick { item: id } | Step::Rate { section: id, .. } => Some(Target::Id(id)),
            Step::Day { day } => Some(Target::Day(*day)),
            Step::Practice { .. } => None,
        }
    }
}

impl<'a> Next<'a> {
    fn new(guide: &'a Guide, progress: &Progress, weakest: usize, actions: &'a [Action]) -> Self {
        Next {
            exam: &guide.id,
            name: &guide.name,
            readiness: readiness::assess(guide, progress).overall,
            weakest: guide
                .sections
                .get(weakest)
                .map_or("", |section| section.id.as_str()),
            actions: actions
                .iter()
                .map(|action| NextAction::new(guide, action))
                .collect(),
        }
    }
}

impl<'a> NextAction<'a> {
    fn new(guide: &'a Guide, action: &'a Action) -> Self {
        let section = &guide.sections[action.section];
        NextAction {
            kind: action.step.kind(),
            target: Target::of(&action.step),
            rating: match action.step {
                Step::Rate { suggested, .. } => suggested,
                _ => None,
            },
            points: action.points,
            section: &section.id,
            lost: action.lost,
            why: why_line(section, action),
            command: describe(guide, &action.step),
        }
    }
}

impl View for Next<'_> {
    fn write_text(&self, style: Style, out: &mut String) -> FmtResult {
        writeln!(
            out,
            "{} is at {}. What to do next:",
            style.paint(self.name, Paint::Bold),
            render::percent(self.readiness)
        )?;
        if self.actions.is_empty() {
            writeln!(
                out,
                "Nothing: every item is ticked, every day done, and your ratings agree with your practice tests."
            )?;
        }
        for (index, action) in self.actions.iter().enumerate() {
            writeln!(out, "{:>2}. {}", index + 1, action.command)?;
            writeln!(out, "    {}", style.paint(&action.why, Paint::Dim))?;
        }
        Ok(())
    }
}

/// The action's two figures in words: "+2.9 readiness · Model Lifecycle costs
/// 6.1 expected points", with what a practice test or a rating is about first.
fn why_line(section: &Section, action: &Action) -> String {
    let costs = format!(
        "{} costs {} expected points",
        section.name,
        render::fixed(action.lost, 1)
    );
    match &action.step {
        Step::Practice { urgent, why } => {
            let when = match why {
                PracticeDue::NoneYet => "none recorded yet".to_string(),
                PracticeDue::Old(days) => format!("the newest is {days} days old"),
            };
            let urgency = if *urgent {
                ", and the exam is near or half the plan is done"
            } else {
                ""
            };
            format!("{when}{urgency} · {costs}")
        }
        Step::Rate {
            suggested, current, ..
        } => {
            let said = match (suggested, current) {
                (Some(suggested), Some(current)) => {
                    format!("practice says about {suggested}/5; you rated {current}")
                }
                (Some(suggested), None) => {
                    format!("practice says about {suggested}/5; not rated yet")
                }
                (None, _) => "not rated yet: a rating gives the forecast its start".to_string(),
            };
            format!("{said} · {} readiness · {costs}", signed(action.points))
        }
        Step::Tick { .. } | Step::Day { .. } => {
            format!("{} readiness · {costs}", signed(action.points))
        }
    }
}

/// "+2.9", "-4.0", "+0.0".
fn signed(points: f64) -> String {
    let text = render::fixed(points.abs(), 1);
    if points < 0.0 && text != "0.0" {
        format!("-{text}")
    } else {
        format!("+{text}")
    }
}

pub fn next(context: &Context, limit: usize, json: bool, out: &mut String) -> Result<()> {
    let (guide, progress) = context.selected_progress()?;
    let forecast = forecast_of(&guide, &progress, context.today);
    let mut actions = guidance::advice(&guide, &progress, &forecast, context.today);
    actions.truncate(limit);
    let weakest = guidance::weakest_index(&guide, &forecast);
    render::show(
        &Next::new(&guide, &progress, weakest, &actions),
        json,
        context.style,
        out,
    )
}

/// What to type and what it is about.
fn describe(guide: &Guide, step: &Step) -> String {
    match step {
        Step::Practice { .. } => {
            "take a practice test, then certprep practice add CORRECT/TOTAL".to_string()
        }
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
        Step::Rate {
            section,
            suggested: Some(rating),
            ..
        } => format!("certprep rate {section} {rating}"),
        Step::Rate { section, .. } => {
            format!("certprep rate {section} RATING (1 = new to me … 5 = exam-ready)")
        }
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
    forecast: WhyForecast,
    /// The section's rating and tallies, which the text's "Value" column shows.
    #[serde(skip)]
    rating: Option<u8>,
    #[serde(skip)]
    checklist: Tally,
    #[serde(skip)]
    plan: Tally,
}

/// What the forecast says of the section: its accuracy, the evidence behind it,
/// what it is expected to cost, and whether the rating agrees with practice.
#[derive(Serialize)]
struct WhyForecast {
    questions: u32,
    accuracy: f64,
    /// Practice answers behind the estimate, each weighted by its age.
    answers: f64,
    lost: f64,
    source: Source,
    /// Whether it is the weakest section: the one expected to cost most.
    weakest: bool,
    /// The rating the practice evidence suggests (null: too few answers).
    suggested_rating: Option<u8>,
    /// Whether the rating and that suggestion disagree by two or more.
    rating_disagrees: bool,
}

impl WhyForecast {
    fn new(found: &SectionForecast, weakest: bool, rating: Option<u8>) -> Self {
        let suggested_rating = guidance::suggested_rating(found.answers, found.evidence_accuracy());
        WhyForecast {
            questions: found.questions,
            accuracy: found.accuracy,
            answers: found.answers,
            lost: found.lost,
            source: found.source,
            weakest,
            suggested_rating,
            rating_disagrees: guidance::rating_disagrees(rating, suggested_rating),
        }
    }

    /// "Forecast: 34% accuracy on its 18 questions, from 18.0 weighted practice
    /// answers; expected to cost 11.9 points, the most of any section."
    fn text(&self, rating: Option<u8>) -> String {
        let from = match self.source {
            Source::Practice => format!(
                "from {} weighted practice answers",
                render::fixed(self.answers, 1)
            ),
            Source::Rating => "from your rating alone".to_string(),
            Source::None => "with no rating or practice yet".to_string(),
        };
        let most = if self.weakest {
            ", the most of any section"
        } else {
            ""
        };
        let mut text = format!(
            "Forecast: {} accuracy on its {} questions, {from}; expected to cost {} points{most}.",
            render::percent(100.0 * self.accuracy),
            self.questions,
            render::fixed(self.lost, 1)
        );
        match (self.suggested_rating, rating) {
            (Some(suggested), Some(rating)) if self.rating_disagrees => {
                let _ = write!(
                    text,
                    "\nRating and practice disagree: practice says about {suggested}/5; you rated {rating}. An honest rating makes the forecast truer."
                );
            }
            (Some(suggested), None) => {
                let _ = write!(text, "\nPractice says about {suggested}/5; rate it so.");
            }
            (Some(suggested), Some(_)) => {
                let _ = write!(
                    text,
                    "\nYour rating agrees with practice (about {suggested}/5)."
                );
            }
            (None, _) => {}
        }
        text
    }
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
    fn new(guide: &'a Guide, progress: &Progress, forecast: &Forecast, index: usize) -> Self {
        let section = &guide.sections[index];
        let score = &readiness::assess(guide, progress).sections[index];
        let weakest = guidance::weakest_index(guide, forecast) == index;
        let found = forecast
            .section(&section.id)
            .expect("the forecast has every section of the outline");
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
            forecast: WhyForecast::new(found, weakest, score.rating),
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
                Some(value) => (render::fixed(value, 2), format!("{}", part.weight)),
                None => ("-".to_string(), "drops out".to_string()),
            };
            table.add_row(vec![
                name.to_string(),
                value,
                score_text,
                weight_text,
                render::fixed(part.contribution, 1),
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
            .map(|part| {
                format!(
                    "{}×{}",
                    part.weight,
                    render::fixed(part.score.unwrap_or(0.0), 2)
                )
            })
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
            "{} ({}), {}% of the exam: readiness {}, {} points",
            style.paint(format!("{}. {}", self.number, self.name), Paint::Bold),
            self.id,
            self.weight,
            render::percent(self.readiness),
            render::fixed(self.points, 2)
        )?;
        writeln!(out, "{}", self.table(style))?;
        writeln!(out, "{}", self.formula())?;
        match self.missing.gaps() {
            None => writeln!(out, "Missing: nothing; this section is exam-ready.")?,
            Some(gaps) => writeln!(out, "Missing: {gaps}.")?,
        }
        writeln!(out, "{}", self.forecast.text(self.rating))
    }
}

pub fn why(context: &Context, name: &str, json: bool, out: &mut String) -> Result<()> {
    let (guide, progress) = context.selected_progress()?;
    let (index, _) = resolve::section(&guide, name)?;
    let forecast = forecast_of(&guide, &progress, context.today);
    render::show(
        &Why::new(&guide, &progress, &forecast, index),
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
