//! The report for a terminal: a table that reads at 80 columns, the summary
//! under it, and the warning lines.

use std::fmt::Write;

use chrono::NaiveDate;

use super::{Cohort, Row, Summary};
use crate::render::{self, Paint, Style};

/// The longest warning line, in characters, before it is cut.
const WARNING_CHARS: usize = 300;
/// The longest learner name a table cell shows, in characters.
const NAME_CHARS: usize = 24;
/// How many names a summary list shows before "and N more".
const NAMES_SHOWN: usize = 20;
const WIDTH: usize = 80;

/// Per exam: a heading, the table of its learners and the class summary.
pub fn render(cohort: &Cohort, today: NaiveDate, style: Style) -> String {
    let mut out = String::new();
    for summary in &cohort.summary {
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "{}: {}",
            style.paint(&summary.exam, Paint::Bold),
            escape_terminal(&summary.name, WIDTH)
        );
        let mut table = style.table(&[
            "learner", "day", "pace", "items", "ready", "score", "pass", "exam", "weakest", "last",
        ]);
        let rows = cohort
            .learners
            .iter()
            .filter(|row| row.exam == summary.exam);
        for row in rows {
            table.add_row(cells(row, today, style));
        }
        render::align_right(&mut table, 1..8);
        let _ = writeln!(out, "{table}");
        summary_lines(summary, &mut out);
    }
    if !cohort.not_started.is_empty() {
        out.push('\n');
        names_line("not started: ", &cohort.not_started, &mut out);
    }
    out
}

/// A learner's cells: plan day ("soon" before day 1, "over" after the last),
/// days ahead of the plan, items ticked, readiness, expected score, pass chance,
/// days to the booked exam, weakest section, days since the last progress.
fn cells(row: &Row, today: NaiveDate, style: Style) -> Vec<comfy_table::Cell> {
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
    let plain = |text: String| comfy_table::Cell::new(text);
    vec![
        plain(escape_terminal(&row.learner, NAME_CHARS)),
        plain(day),
        plain(or_dash(pace)),
        plain(format!("{}/{}", row.checklist.done, row.checklist.total)),
        style.cell(
            render::percent(row.readiness),
            Style::readiness_paint(row.readiness),
        ),
        plain(format!(
            "{}/{}",
            forecast.expected.round(),
            forecast.questions
        )),
        // As `certprep forecast` writes it: "<1%", never "0%", for the merely unlikely.
        style.cell(render::chance(forecast.pass_chance), pass_paint),
        plain(or_dash(row.days_left.map(|days| format!("{days}d")))),
        plain(or_dash(row.weakest.clone())),
        plain(or_dash(last)),
    ]
}

fn summary_lines(summary: &Summary, out: &mut String) {
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
                section.id,
                render::percent(section.readiness),
                render::fixed(section.lost, 1)
            )
        })
        .collect();
    names_line("  sections: ", &sections, out);
    if let Some(weakest) = &summary.weakest {
        let _ = writeln!(
            out,
            "  the class's weakest section: {weakest} (most expected lost points)"
        );
    }
    let _ = writeln!(out, "  behind the plan: {}", summary.behind);
    let at_risk: Vec<String> = summary
        .at_risk
        .iter()
        .map(|at_risk| {
            format!(
                "{} {}",
                escape_terminal(&at_risk.learner, NAME_CHARS),
                render::chance(at_risk.pass_chance)
            )
        })
        .collect();
    names_line("  at risk (pass chance below 50 %): ", &at_risk, out);
    let soon: Vec<String> = summary
        .sitting_soon
        .iter()
        .map(|soon| {
            format!(
                "{} {} ({})",
                escape_terminal(&soon.learner, NAME_CHARS),
                render::relative_days(soon.days_left),
                soon.booked
            )
        })
        .collect();
    names_line("  sitting within 14 days: ", &soon, out);
}

/// `prefix` and the items joined by commas, wrapped at 80 columns under the
/// prefix; after [`NAMES_SHOWN`] items, "and N more". "none" when empty.
fn names_line(prefix: &str, items: &[String], out: &mut String) {
    let indent = " ".repeat(prefix.chars().count());
    let mut line = prefix.to_string();
    let mut line_chars = line.chars().count();
    let mut shown: Vec<String> = items.iter().take(NAMES_SHOWN).cloned().collect();
    if items.len() > NAMES_SHOWN {
        shown.push(format!("and {} more", items.len() - NAMES_SHOWN));
    }
    if shown.is_empty() {
        shown.push("none".to_string());
    }
    let last = shown.len() - 1;
    let mut line_is_fresh = true;
    for (index, item) in shown.iter().enumerate() {
        let separator = if index < last { "," } else { "" };
        let word_chars = item.chars().count() + separator.len();
        if !line_is_fresh && line_chars + 1 + word_chars > WIDTH {
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

/// A warning for stderr, bounded (`render::report` escapes it).
pub fn warning(text: &str) -> String {
    render::cut(text, WARNING_CHARS).into_owned()
}

/// A name from a file as the table shows it: cut after `max_chars`, then
/// escaped for the terminal.
fn escape_terminal(text: &str, max_chars: usize) -> String {
    render::escape(&render::cut(text, max_chars)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_characters_and_bounds_length() {
        assert_eq!(escape_terminal("a\x1b[31mb\n", 50), "a\\u{1b}[31mb\\n");
        assert_eq!(escape_terminal("ab\u{202e}c", 50), "ab\\u{202e}c");
        assert_eq!(escape_terminal("abcdef", 3), "abc…");
        assert_eq!(escape_terminal("abc", 3), "abc");
    }

    #[test]
    fn name_lists_wrap_at_80_columns() {
        let names: Vec<String> = (0..30).map(|n| format!("learner{n:02}")).collect();
        let mut out = String::new();
        names_line("  at risk: ", &names, &mut out);
        assert!(
            out.lines().all(|line| line.chars().count() <= WIDTH),
            "{out}"
        );
        assert!(out.starts_with("  at risk: learner00, learner01,"), "{out}");
        // 20 names shown, then the rest counted: 30 − 20 = 10.
        assert!(out.trim_end().ends_with("learner19, and 10 more"), "{out}");
        let mut empty = String::new();
        names_line("x: ", &[], &mut empty);
        assert_eq!(empty, "x: none\n");
    }
}
