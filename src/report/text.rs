//! The report for a terminal: per exam a table as wide as the terminal, the
//! summary under it, and the warning lines.
//!
//! A table cell never wraps: a name too long for the width it can have is cut
//! with "…", so each learner is one line. The lists of names (at risk, sitting
//! soon, not started) put one learner on a line, since a name may hold a comma.

use std::fmt::Write;

use chrono::NaiveDate;
use comfy_table::{Cell, ContentArrangement};

use super::{Cohort, Row, Summary};
use crate::render::{self, Paint, Style};
use crate::text;

/// The longest warning line, in characters, before it is cut.
const WARNING_CHARS: usize = 300;
/// A name is never cut shorter than this, however narrow the terminal: the
/// table runs wider instead.
const NAME_MIN_CHARS: usize = 8;
/// Nor shown longer than this, however wide the terminal: a very long name
/// would push every learner's numbers far from their name.
const NAME_MAX_CHARS: usize = 40;
/// The longest section id the weakest column shows (a user guide's ids can be
/// long).
const SECTION_CHARS: usize = 20;
/// How many names a summary list shows before "and N more".
const NAMES_SHOWN: usize = 20;
/// Where a list's names start, under its heading.
const LIST_INDENT: &str = "    ";

const HEADER: [&str; 10] = [
    "learner", "day", "pace", "items", "ready", "score", "pass", "exam", "weakest", "last",
];

/// Per exam: a heading, the table of its learners and the class summary, in
/// `width` columns where the names allow it. No line ends in a space.
pub fn render(cohort: &Cohort, today: NaiveDate, style: Style, width: usize) -> String {
    let mut out = String::new();
    for summary in &cohort.summary {
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "{}: {}",
            style.paint(&summary.exam, Paint::Bold),
            fit(&text::escape(&summary.name), width)
        );
        let rows: Vec<&Row> = cohort
            .learners
            .iter()
            .filter(|row| row.exam == summary.exam)
            .collect();
        let _ = writeln!(out, "{}", table(&rows, today, style, width));
        summary_lines(summary, width, &mut out);
    }
    if !cohort.not_started.is_empty() {
        out.push('\n');
        let names: Vec<(&str, String)> = cohort
            .not_started
            .iter()
            .map(|name| (name.as_str(), String::new()))
            .collect();
        name_list("not started", "  ", &names, width, &mut out);
    }
    trim_lines(&out)
}

/// The learners' table: every column as wide as its widest cell, and the names
/// cut to what is left of `width` ([`name_room`]).
fn table(rows: &[&Row], today: NaiveDate, style: Style, width: usize) -> String {
    let cells: Vec<Vec<(String, Option<Paint>)>> =
        rows.iter().map(|row| cells(row, today)).collect();
    let column_width = |column: usize| {
        cells
            .iter()
            .map(|row| row[column].0.chars().count())
            .chain([HEADER[column].chars().count()])
            .max()
            .unwrap_or(0)
    };
    // One space between columns.
    let others: usize = (1..HEADER.len())
        .map(|column| column_width(column) + 1)
        .sum();
    let name_width = column_width(0).min(name_room(width.saturating_sub(others)));
    let mut table = style.table(&HEADER);
    table.set_content_arrangement(ContentArrangement::Disabled);
    for row in cells {
        table.add_row(row.into_iter().enumerate().map(|(column, (text, paint))| {
            let text = match column {
                0 => fit(&text, name_width),
                _ => text,
            };
            match paint {
                Some(paint) => style.cell(text, paint),
                None => Cell::new(text),
            }
        }));
    }
    render::align_right(&mut table, 1..8);
    table.to_string()
}

/// A learner's cells, as shown before any cut, with their colour: the name
/// escaped, plan day ("soon" before day 1, "over" after the last), days ahead
/// of the plan, items ticked, readiness, expected score, pass chance, days to
/// the booked exam, weakest section, days since the last progress.
fn cells(row: &Row, today: NaiveDate) -> Vec<(String, Option<Paint>)> {
    let or_dash = |value: Option<String>| value.unwrap_or_else(|| "–".to_string());
    let day = match (row.plan.started, row.plan.day) {
        (None, _) => "–".to_string(),
        (Some(_), Some(day)) => format!("{day}/{}", row.plan.days),
        (Some(started), None) if started > today => "soon".to_string(),
        (Some(_), None) => "over".to_string(),
    };
    let pace = row.pace.as_ref().map(|pace| match pace.ahead {
        0 => "0".to_string(),
        ahead => format!("{ahead:+}"),
    });
    let forecast = &row.forecast;
    let pass_paint = if forecast.pass_chance < super::AT_RISK_BELOW {
        Paint::Red
    } else {
        Paint::Green
    };
    let last = row
        .last_progress
        .map(|date| match (today - date).num_days() {
            0 => "today".to_string(),
            days => format!("{days}d ago"),
        });
    let weakest = row
        .weakest
        .as_deref()
        .map(|id| fit(&text::escape(id), SECTION_CHARS));
    let plain = |text: String| (text, None);
    vec![
        plain(text::escape(&row.learner).into_owned()),
        plain(day),
        plain(or_dash(pace)),
        plain(format!("{}/{}", row.checklist.done, row.checklist.total)),
        (
            render::percent(row.readiness),
            Some(Style::readiness_paint(row.readiness)),
        ),
        plain(format!(
            "{}/{}",
            forecast.expected.round(),
            forecast.questions
        )),
        // As `certprep forecast` writes it: "<1%", never "0%", for the merely unlikely.
        (render::chance(forecast.pass_chance), Some(pass_paint)),
        plain(or_dash(row.days_left.map(|days| format!("{days}d")))),
        plain(or_dash(weakest)),
        plain(or_dash(last)),
    ]
}

fn summary_lines(summary: &Summary, width: usize, out: &mut String) {
    let _ = writeln!(
        out,
        "  {} learner{}, readiness mean {}, median {}",
        summary.learners,
        render::plural(summary.learners),
        render::percent(summary.readiness.mean),
        render::percent(summary.readiness.median),
    );
    let sections: Vec<String> = summary
        .sections
        .iter()
        .map(|section| {
            format!(
                "{} {} ({} lost)",
                text::escape(&section.id),
                render::percent(section.readiness),
                render::fixed(section.lost, 1)
            )
        })
        .collect();
    words_line("  sections: ", &sections, width, out);
    if let Some(weakest) = &summary.weakest {
        let (before, after) = (
            "  the class's weakest section: ",
            " (most expected lost points)",
        );
        let room = width.saturating_sub(before.len() + after.len());
        let weakest = fit(&text::escape(weakest), room.max(SECTION_CHARS));
        let _ = writeln!(out, "{before}{weakest}{after}");
    }
    let _ = writeln!(out, "  behind the plan: {}", summary.behind);
    let at_risk: Vec<(&str, String)> = summary
        .at_risk
        .iter()
        .map(|at_risk| {
            (
                at_risk.learner.as_str(),
                format!("{:>4}", render::chance(at_risk.pass_chance)),
            )
        })
        .collect();
    name_list(
        "  at risk (pass chance below 50 %)",
        LIST_INDENT,
        &at_risk,
        width,
        out,
    );
    let soon: Vec<(&str, String)> = summary
        .sitting_soon
        .iter()
        .map(|soon| {
            (
                soon.learner.as_str(),
                format!(
                    "{} ({})",
                    render::relative_days(soon.days_left),
                    soon.booked
                ),
            )
        })
        .collect();
    name_list("  sitting within 14 days", LIST_INDENT, &soon, width, out);
}

/// `heading: none`, or the heading and then one learner a line under it: the
/// name (escaped, cut to fit `width` as in the table, padded to the longest
/// shown) and what is said about them. After [`NAMES_SHOWN`] names, "and N more".
fn name_list(
    heading: &str,
    indent: &str,
    entries: &[(&str, String)],
    width: usize,
    out: &mut String,
) {
    if entries.is_empty() {
        let _ = writeln!(out, "{heading}: none");
        return;
    }
    let _ = writeln!(out, "{heading}:");
    let shown = &entries[..entries.len().min(NAMES_SHOWN)];
    let said_width = shown
        .iter()
        .map(|(_, said)| said.chars().count())
        .max()
        .unwrap_or(0);
    let room = width.saturating_sub(indent.len() + 2 + said_width);
    let names: Vec<String> = shown
        .iter()
        .map(|(name, _)| fit(&text::escape(name), name_room(room)))
        .collect();
    let name_width = names
        .iter()
        .map(|name| name.chars().count())
        .max()
        .unwrap_or(0);
    for (name, (_, said)) in names.iter().zip(shown) {
        let padding = " ".repeat(name_width - name.chars().count());
        let _ = writeln!(out, "{indent}{name}{padding}  {said}");
    }
    if entries.len() > shown.len() {
        let _ = writeln!(out, "{indent}and {} more", entries.len() - shown.len());
    }
}

/// `prefix` and the items joined by commas, wrapped at `width` columns under
/// the prefix, never inside an item.
fn words_line(prefix: &str, items: &[String], width: usize, out: &mut String) {
    let indent = " ".repeat(prefix.chars().count());
    let mut line = prefix.to_string();
    let mut line_chars = line.chars().count();
    let last = items.len().saturating_sub(1);
    let mut line_is_fresh = true;
    for (index, item) in items.iter().enumerate() {
        let separator = if index < last { "," } else { "" };
        let word_chars = item.chars().count() + separator.len();
        if !line_is_fresh && line_chars + 1 + word_chars > width {
            let _ = writeln!(out, "{line}");
            line.clone_from(&indent);
            line_chars = indent.len();
        } else if !line_is_fresh {
            line.push(' ');
            line_chars += 1;
        }
        line.push_str(item);
        line.push_str(separator);
        line_chars += word_chars;
        line_is_fresh = false;
    }
    let _ = writeln!(out, "{line}");
}

/// Every line of `text` without the spaces a table pads its last column with.
fn trim_lines(text: &str) -> String {
    let mut trimmed = String::with_capacity(text.len());
    for line in text.lines() {
        trimmed.push_str(line.trim_end());
        trimmed.push('\n');
    }
    trimmed
}

/// A warning for stderr, bounded (`message::report` escapes it).
pub fn warning(text: &str) -> String {
    text::cut(text, WARNING_CHARS).into_owned()
}

/// How many characters a name may have where `room` are left for it: between
/// [`NAME_MIN_CHARS`] and [`NAME_MAX_CHARS`].
fn name_room(room: usize) -> usize {
    room.clamp(NAME_MIN_CHARS, NAME_MAX_CHARS)
}

/// `text` in at most `chars` characters: whole when it fits, else cut with "…"
/// as its last character.
fn fit(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    text::cut(text, chars.saturating_sub(1)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_with_an_ellipsis_to_the_width_given() {
        assert_eq!(fit("abcdef", 6), "abcdef");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("émile", 3), "ém…");
        // Escaped first, then cut: what is measured is what is shown.
        assert_eq!(fit(&text::escape("a\x1b[31mb\n"), 50), "a\\u{1b}[31mb\\n");
    }

    #[test]
    fn lists_put_one_name_on_a_line() {
        let mut out = String::new();
        let entries = [("smith, john", " 29%".to_string()), ("al", " <1%".into())];
        name_list("  at risk", "    ", &entries, 80, &mut out);
        // "al" padded by 11 − 2 = 9 to the longest name, then 2 spaces, then the
        // chance right-aligned in 4.
        let al = format!("    al{}<1%", " ".repeat(9 + 2 + 1));
        assert_eq!(out, format!("  at risk:\n    smith, john   29%\n{al}\n"));
        // Cut to the width: 20 − 4 − 2 − 4 = 10 characters.
        let mut out = String::new();
        name_list("x", "    ", &entries[..1], 20, &mut out);
        assert_eq!(out, "x:\n    smith, jo…   29%\n");
        let mut empty = String::new();
        name_list("x", "    ", &[], 80, &mut empty);
        assert_eq!(empty, "x: none\n");
    }

    #[test]
    fn long_lists_say_how_many_more() {
        let names: Vec<String> = (0..30).map(|n| format!("learner{n:02}")).collect();
        let entries: Vec<(&str, String)> = names
            .iter()
            .map(|name| (name.as_str(), String::new()))
            .collect();
        let mut out = String::new();
        name_list("  at risk", "    ", &entries, 80, &mut out);
        let lines: Vec<&str> = out.lines().collect();
        // The heading, 20 names, then the rest counted: 30 − 20 = 10.
        assert_eq!(lines.len(), 22, "{out}");
        assert_eq!(lines[20].trim_end(), "    learner19");
        assert_eq!(lines[21], "    and 10 more");
    }

    #[test]
    fn words_wrap_at_the_width_never_inside_one() {
        let items: Vec<String> = (0..12).map(|n| format!("section-{n:02} 50%")).collect();
        let mut out = String::new();
        words_line("  sections: ", &items, 60, &mut out);
        assert!(out.lines().all(|line| line.chars().count() <= 60), "{out}");
        assert!(
            out.starts_with("  sections: section-00 50%, section-01 50%,"),
            "{out}"
        );
        let joined = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(joined.ends_with("section-10 50%, section-11 50%"), "{out}");
    }

    #[test]
    fn lines_lose_their_trailing_spaces() {
        assert_eq!(trim_lines("a  \nb\n  \nc "), "a\nb\n\nc\n");
    }
}
