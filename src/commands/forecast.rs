//! `forecast [--target P]`: the expected score and the pass chance if the exam
//! were today (README: Practice tests and the forecast), from the ratings and the practice sittings.

use std::fmt::Write;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use super::Context;
use crate::cli::ForecastArgs;
use crate::forecast::{self, Forecast, Source, TargetSource};
use crate::guide::Guide;
use crate::render::{self, Paint, Style, View};
use crate::state::Progress;

/// What the forecast rests on: "from 2 practice tests, 96 answers", "from
/// ratings only", or nothing at all.
pub(crate) fn evidence(progress: &Progress, guide: &Guide) -> String {
    let tests = progress.practice.len();
    if tests > 0 {
        let answers: u64 = progress
            .practice
            .iter()
            .map(|sitting| u64::from(sitting.questions))
            .sum();
        format!(
            "from {tests} practice test{}, {answers} answer{}",
            render::plural(tests),
            render::plural(answers)
        )
    } else if guide
        .sections
        .iter()
        .any(|section| progress.ratings.contains_key(&section.id))
    {
        "from ratings only".to_string()
    } else {
        "from no evidence yet: no ratings, no practice tests".to_string()
    }
}

/// The one-line forecast `status` shows: "expected 29/48 · 12% chance of 34 (70%
/// target) · from 2 practice tests, 96 answers".
pub(crate) fn summary(forecast: &Forecast, progress: &Progress, guide: &Guide) -> String {
    format!(
        "expected {}/{} · {} chance of {} ({}% target) · {}",
        render::fixed(forecast.expected, 0),
        forecast.questions,
        render::chance(forecast.pass_chance),
        forecast.pass_mark,
        forecast.target_percent,
        evidence(progress, guide)
    )
}

/// After this many days a practice test is old news: it counts half (the
/// half-life), so `status` and `today` suggest another.
const PRACTICE_STALE_AFTER_DAYS: i64 = forecast::HALF_LIFE_DAYS as i64;

/// A nudge towards a practice test when none is recorded or the latest is over
/// 14 days old; `None` otherwise.
pub(crate) fn practice_hint(progress: &Progress, today: NaiveDate) -> Option<String> {
    let Some(latest) = progress.practice.iter().map(|sitting| sitting.on).max() else {
        return Some(
            "none yet; after one, `certprep practice add CORRECT/TOTAL` feeds the forecast"
                .to_string(),
        );
    };
    let age = today.signed_duration_since(latest.0).num_days();
    (age > PRACTICE_STALE_AFTER_DAYS).then(|| {
        format!(
            "the latest was {} ({latest}); a new one sharpens the forecast",
            render::relative_days(-age)
        )
    })
}

/// `forecast --json`: the exam and the forecast's own fields.
#[derive(Serialize)]
struct ForecastView<'a> {
    exam: &'a str,
    #[serde(flatten)]
    forecast: Forecast,
    #[serde(skip)]
    name: &'a str,
    #[serde(skip)]
    target_source: TargetSource,
    #[serde(skip)]
    evidence: String,
    /// The outline, for each section's number and name in the table.
    #[serde(skip)]
    guide: &'a Guide,
}

impl ForecastView<'_> {
    /// Expected score, pass chance against the target, the 80 % range.
    fn write_summary(&self, style: Style, out: &mut String) -> std::fmt::Result {
        let f = &self.forecast;
        let percent_of =
            |score: f64| render::percent(100.0 * score / f64::from(f.questions.max(1)));
        writeln!(
            out,
            "Expected score: {}/{} ({}), {}",
            render::fixed(f.expected, 1),
            f.questions,
            percent_of(f.expected),
            self.evidence
        )?;
        let target = match self.target_source {
            TargetSource::Given => format!("your {}% target", f.target_percent),
            TargetSource::Guide => format!("{}% target, the guide's pass mark", f.target_percent),
            TargetSource::Default => format!("{}% target", f.target_percent),
        };
        writeln!(
            out,
            "Chance of {} or more ({target}): {}",
            f.pass_mark,
            style.paint(
                render::chance(f.pass_chance),
                Style::readiness_paint(100.0 * f.pass_chance)
            )
        )?;
        writeln!(
            out,
            "80% range: {} to {} of {}",
            f.range[0], f.range[1], f.questions
        )?;
        if self.target_source == TargetSource::Default {
            writeln!(
                out,
                "{}",
                style.paint(
                    "The guide states no pass mark: 70% is a target, not the official mark; set yours with --target P.",
                    Paint::Dim
                )
            )?;
        }
        Ok(())
    }

    /// The sections, where the exam would cost the most first.
    fn write_sections(&self, style: Style, out: &mut String) -> std::fmt::Result {
        let mut table = style.table(&[
            "#",
            "Section",
            "Questions",
            "Accuracy",
            "Expected",
            "Lost",
            "Answers",
            "Source",
        ]);
        for section in &self.forecast.sections {
            let (number, name) = self
                .guide
                .section_index(&section.id)
                .map(|index| (index + 1, self.guide.sections[index].name.as_str()))
                .unwrap_or((0, section.id.as_str()));
            table.add_row(vec![
                number.to_string(),
                render::cell_text(name),
                section.questions.to_string(),
                render::percent(100.0 * section.accuracy),
                render::fixed(section.expected, 1),
                render::fixed(section.lost, 1),
                render::fixed(section.answers, 1),
                source_name(section.source).to_string(),
            ]);
        }
        render::align_right(&mut table, [0, 2, 3, 4, 5, 6]);
        writeln!(out, "{}", table.trim_fmt())
    }
}

impl View for ForecastView<'_> {
    fn write_text(&self, style: Style, out: &mut String) -> std::fmt::Result {
        writeln!(
            out,
            "{} forecast, if you sat it today",
            style.paint(self.name, Paint::Bold)
        )?;
        self.write_summary(style, out)?;
        writeln!(out)?;
        self.write_sections(style, out)
    }
}

fn source_name(source: Source) -> &'static str {
    match source {
        Source::Practice => "practice",
        Source::Rating => "rating",
        Source::None => "none",
    }
}

pub fn forecast(context: &Context, args: &ForecastArgs, out: &mut String) -> Result<()> {
    let (guide, progress) = context.selected_progress()?;
    let (target_percent, target_source) = forecast::target(&guide, args.target);
    let view = ForecastView {
        exam: &guide.id,
        forecast: forecast::for_exam(&guide, &progress, context.today, target_percent),
        name: &guide.name,
        target_source,
        evidence: evidence(&progress, &guide),
        guide: &guide,
    };
    render::show(&view, args.json, context.style, out)
}
