//! `prompt`: one short line for a shell prompt (DESIGN section 6).
//!
//! It runs on every prompt render, so it reads the state without locking, loads
//! only the selected guide (a bundled one as its outline), never writes, and
//! prints nothing when no exam is active.

use std::fmt::Write;

use anyhow::Result;

use super::Context;
use crate::error::usage;
use crate::guide::Guide;
use crate::readiness::{self, Scores};
use crate::schedule;
use crate::state::{Progress, State};

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
}

const PLACEHOLDERS: [(&str, Placeholder); 9] = [
    ("exam", Placeholder::Exam),
    ("short", Placeholder::Short),
    ("readiness", Placeholder::Readiness),
    ("day", Placeholder::Day),
    ("days", Placeholder::Days),
    ("ticked", Placeholder::Ticked),
    ("items", Placeholder::Items),
    ("days_left", Placeholder::DaysLeft),
    ("weakest", Placeholder::Weakest),
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
    // A bad format is reported even when there is nothing to show.
    let pieces = format.map(parse_format).transpose()?;
    let state = context.load_state()?;
    let Some(guide) = selected_outline(context, &state)? else {
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
        context,
        guide: &guide,
        progress: &progress,
        assessment: &assessment,
        day,
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

/// The selected exam's guide as [`crate::guide::Catalog::load_outline`] builds it
/// (all the prompt reads) when the selection names a guide id, as the active
/// exam does; otherwise as [`Context::selected`] finds it.
fn selected_outline(context: &Context, state: &State) -> Result<Option<Guide>> {
    let id = context.exam.as_deref().or(state.active.as_deref());
    if let Some(id) = id
        && let Some(outline) = context.catalog.load_outline(id)?
    {
        return Ok(Some(outline));
    }
    context.selected(state)
}

struct Values<'a> {
    context: &'a Context,
    guide: &'a Guide,
    progress: &'a Progress,
    assessment: &'a Scores,
    day: Option<u32>,
}

impl Values<'_> {
    fn write(&self, placeholder: Placeholder, out: &mut String) -> std::fmt::Result {
        match placeholder {
            Placeholder::Exam => out.write_str(&self.guide.id),
            Placeholder::Short => out.write_str(&self.guide.short),
            Placeholder::Readiness => write!(out, "{}", self.assessment.overall.round()),
            Placeholder::Day => match self.day {
                Some(day) => write!(out, "{day}"),
                None => Ok(()),
            },
            Placeholder::Days => write!(out, "{}", self.guide.plan_days()),
            Placeholder::Ticked => write!(out, "{}", self.assessment.checklist.done),
            Placeholder::Items => write!(out, "{}", self.assessment.checklist.total),
            Placeholder::DaysLeft => match self.progress.booked {
                Some(date) => write!(out, "{}", schedule::days_until(date.0, self.context.today)),
                None => Ok(()),
            },
            Placeholder::Weakest => out.write_str(weakest(self.guide, self.assessment)),
        }
    }
}

/// The id of the section with the lowest readiness; on a tie, the one the exam
/// weighs most, then the first in the outline.
fn weakest<'a>(guide: &'a Guide, assessment: &Scores) -> &'a str {
    guide
        .sections
        .iter()
        .zip(&assessment.sections)
        .min_by(|(a, a_score), (b, b_score)| {
            a_score
                .readiness
                .total_cmp(&b_score.readiness)
                .then(b.weight.cmp(&a.weight))
        })
        .map_or("", |(section, _)| section.id.as_str())
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
