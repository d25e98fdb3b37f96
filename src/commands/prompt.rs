//! `prompt`: one short line for a shell prompt (README: In your shell prompt).
//!
//! It runs on every prompt render, so it reads the state without locking, loads
//! only the selected guide (a bundled one as its outline), never writes, and
//! prints nothing when no exam is active. The forecast behind `{pass}` and
//! `{weakest}` costs more than everything else the prompt does, so only a format
//! that shows one of them computes it.

use std::cell::LazyCell;
use std::fmt::Write;

use anyhow::Result;
use chrono::NaiveDate;

use super::Context;
use crate::error::usage;
use crate::forecast::Forecast;
use crate::guide::Guide;
use crate::readiness::{self, Scores};
use crate::schedule;
use crate::state::Progress;

/// A value the format can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placeholder {
    Exam,
    Short,
    Readiness,
    Day,
    Days,
    Ticked,
    Items,
    DaysLeft,
    Weakest,
    Pass,
}

const PLACEHOLDERS: [(&str, Placeholder); 10] = [
    ("exam", Placeholder::Exam),
    ("short", Placeholder::Short),
    ("readiness", Placeholder::Readiness),
    ("day", Placeholder::Day),
    ("days", Placeholder::Days),
    ("ticked", Placeholder::Ticked),
    ("items", Placeholder::Items),
    ("days_left", Placeholder::DaysLeft),
    ("weakest", Placeholder::Weakest),
    ("pass", Placeholder::Pass),
];

#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Value(Placeholder),
}

/// Splits a format into text and placeholders; `{{` and `}}` are literal braces.
fn parse_format(format: &str) -> Result<Vec<Piece<'_>>> {
    let mut pieces = Vec::new();
    let mut rest = format;
    while let Some(brace) = rest.find(['{', '}']) {
        if brace > 0 {
            pieces.push(Piece::Text(&rest[..brace]));
        }
        let tail = &rest[brace..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            pieces.push(Piece::Text(&tail[..1]));
            rest = &tail[2..];
        } else if let Some(tail) = tail.strip_prefix('{')
            && let Some(end) = tail.find('}')
        {
            let name = &tail[..end];
            let placeholder = PLACEHOLDERS
                .iter()
                .find(|(known, _)| *known == name)
                .map(|(_, placeholder)| *placeholder)
                .ok_or_else(|| {
                    let known: Vec<String> = PLACEHOLDERS
                        .iter()
                        .map(|(name, _)| format!("{{{name}}}"))
                        .collect();
                    usage!(
                        "unknown prompt placeholder {{{name}}}; use {} (and {{{{ }}}} for braces)",
                        known.join(" ")
                    )
                })?;
            pieces.push(Piece::Value(placeholder));
            rest = &tail[end + 1..];
        } else {
            return Err(usage!(
                "unmatched '{}' in prompt format \"{format}\"; write {{{{ or }}}} for a literal brace",
                &tail[..1]
            ));
        }
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    Ok(pieces)
}

pub fn prompt(context: &Context, format: Option<&str>, out: &mut String) -> Result<()> {
    prompt_with(context, format, super::next::forecast_of, out)
}

/// [`prompt`], with the forecast (at the default target: the guide's pass mark,
/// else 70 %) computed by `forecast`, and only when the format shows `{pass}` or
/// `{weakest}` (the tests count the calls).
fn prompt_with(
    context: &Context,
    format: Option<&str>,
    forecast: impl Fn(&Guide, &Progress, NaiveDate) -> Forecast,
    out: &mut String,
) -> Result<()> {
    // A bad format is reported even when there is nothing to show.
    let pieces = format.map(parse_format).transpose()?;
    let state = context.load_state()?;
    let Some(guide) = context.selected_outline(&state)? else {
        return Ok(());
    };
    let progress = state.progress(&guide.id);
    let assessment = readiness::assess(&guide, &progress);
    let day = schedule::position_of(&guide, &progress, context.today).day();
    let pieces = match pieces {
        Some(pieces) => pieces,
        None if day.is_some() => parse_format("{short} {readiness}% d{day}/{days}")?,
        None => parse_format("{short} {readiness}%")?,
    };
    let values = Values {
        today: context.today,
        guide: &guide,
        progress: &progress,
        assessment: &assessment,
        day,
        forecast: LazyCell::new(|| forecast(&guide, &progress, context.today)),
    };
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Value(placeholder) => values.write(placeholder, out)?,
        }
    }
    out.push('\n');
    Ok(())
}

struct Values<'a, F> {
    today: NaiveDate,
    guide: &'a Guide,
    progress: &'a Progress,
    assessment: &'a Scores,
    day: Option<u32>,
    /// Computed on first use: a format without `{pass}` or `{weakest}` never
    /// computes it.
    forecast: LazyCell<Forecast, F>,
}

impl<F: FnOnce() -> Forecast> Values<'_, F> {
    fn write(&self, placeholder: Placeholder, out: &mut String) -> std::fmt::Result {
        match placeholder {
            Placeholder::Exam => out.write_str(&self.guide.id),
            Placeholder::Short => out.write_str(&self.guide.short),
            Placeholder::Readiness => {
                out.write_str(&crate::render::fixed(self.assessment.overall, 0))
            }
            Placeholder::Day => match self.day {
                Some(day) => write!(out, "{day}"),
                None => Ok(()),
            },
            Placeholder::Days => write!(out, "{}", self.guide.plan_days()),
            Placeholder::Ticked => write!(out, "{}", self.assessment.checklist.done),
            Placeholder::Items => write!(out, "{}", self.assessment.checklist.total),
            // Empty once the exam day has passed, as without a booking.
            Placeholder::DaysLeft => match self.progress.booked {
                Some(date) => match schedule::days_until(date.0, self.today) {
                    days @ 0.. => write!(out, "{days}"),
                    _ => Ok(()),
                },
                None => Ok(()),
            },
            Placeholder::Weakest => {
                let forecast = LazyCell::force(&self.forecast);
                let index = crate::guidance::weakest_index(self.guide, forecast);
                out.write_str(self.guide.sections.get(index).map_or("", |s| s.id.as_str()))
            }
            Placeholder::Pass => {
                let percent = 100.0 * LazyCell::force(&self.forecast).pass_chance;
                out.write_str(&crate::render::fixed(percent, 0))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_into_pieces() {
        use Piece::{Text, Value};
        assert_eq!(
            parse_format("{short} {readiness}%").unwrap(),
            [
                Value(Placeholder::Short),
                Text(" "),
                Value(Placeholder::Readiness),
                Text("%")
            ]
        );
        assert_eq!(
            parse_format("{{{exam}}}").unwrap(),
            [Text("{"), Value(Placeholder::Exam), Text("}")]
        );
        assert_eq!(parse_format("").unwrap(), []);
        assert_eq!(parse_format("plain").unwrap(), [Text("plain")]);
    }

    /// A context on `state` (in `dir`), bundled guides only, today 2026-11-22.
    fn context_on(dir: &tempfile::TempDir, state: &str) -> Context {
        let state_path = dir.path().join("state.toml");
        std::fs::write(&state_path, state).unwrap();
        Context {
            state_path,
            state_source: crate::locate::Source::Flag,
            today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            exam: None,
            style: crate::render::Style { color: false },
            catalog: crate::guide::Catalog::new(None),
            saved: Default::default(),
        }
    }

    #[test]
    fn only_a_format_with_pass_computes_the_forecast() {
        let dir = tempfile::tempdir().unwrap();
        // Rated and with a practice sitting: evidence a forecast would use.
        let context = context_on(
            &dir,
            "version = 1\nactive = \"associate\"\n\n[exams.associate]\nstarted = 2026-11-20\n\
             ticked = []\ndays_done = []\n\n[exams.associate.ratings]\ndatabricks-ml = 4\n\n\
             [[exams.associate.practice]]\non = 2026-11-21\ncorrect = 30\nquestions = 48\n",
        );
        let calls = std::cell::Cell::new(0);
        let counting = |guide: &Guide, progress: &Progress, today: NaiveDate| {
            calls.set(calls.get() + 1);
            let mut forecast = crate::commands::next::forecast_of(guide, progress, today);
            forecast.pass_chance = 0.125;
            forecast
        };
        // Every other placeholder, and the default format.
        let others: String = PLACEHOLDERS
            .iter()
            .filter(|(_, placeholder)| {
                ![Placeholder::Pass, Placeholder::Weakest].contains(placeholder)
            })
            .map(|(name, _)| format!("{{{name}}} "))
            .collect();
        for format in [None, Some(others.as_str())] {
            let mut out = String::new();
            prompt_with(&context, format, counting, &mut out).unwrap();
            assert!(
                out.starts_with("ML-Assoc") || out.starts_with("associate"),
                "{out}"
            );
        }
        assert_eq!(
            calls.get(),
            0,
            "a format without {{pass}} or {{weakest}} computed the forecast"
        );
        // Shown three times, computed once; 12.5 % rounds half up to 13.
        let mut out = String::new();
        prompt_with(&context, Some("{pass}|{pass}%"), counting, &mut out).unwrap();
        assert_eq!((out.as_str(), calls.get()), ("13|13%\n", 1));
        let mut out = String::new();
        prompt_with(&context, Some("{weakest} {pass}"), counting, &mut out).unwrap();
        assert_eq!(calls.get(), 2);
    }

    #[test]
    fn bad_formats_are_usage_errors() {
        for bad in ["{nope}", "{short", "short}", "{", "{Short}", "{ day }"] {
            let error = parse_format(bad).unwrap_err();
            assert!(
                error.downcast_ref::<crate::error::UsageError>().is_some(),
                "{bad}: {error}"
            );
        }
    }
}
