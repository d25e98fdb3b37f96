//! Presentation helpers shared by the commands: colour, bars, percents, tables, JSON.

use comfy_table::{Attribute, Cell, Color, ContentArrangement, LineStyle, Table, TableStyle};
use serde::Serialize;

/// Whether to colour output, decided once from `--color`, `NO_COLOR` and the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

#[derive(Debug, Clone, Copy)]
pub enum Paint {
    Bold,
    Dim,
    Green,
    Yellow,
    Red,
}

impl Style {
    pub fn paint(self, text: impl std::fmt::Display, paint: Paint) -> String {
        if !self.color {
            return text.to_string();
        }
        let code = match paint {
            Paint::Bold => "1",
            Paint::Dim => "2",
            Paint::Green => "32",
            Paint::Yellow => "33",
            Paint::Red => "31",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    /// Green when ready, yellow on the way, red when far off.
    pub fn readiness_paint(percent: f64) -> Paint {
        if percent >= 75.0 {
            Paint::Green
        } else if percent >= 40.0 {
            Paint::Yellow
        } else {
            Paint::Red
        }
    }

    /// A table that fits 80 columns, coloured only when colour is on.
    pub fn table(self, header: &[&str]) -> Table {
        let mut table = Table::new();
        table
            // No borders, a rule under the header, one space between columns.
            .load_style(
                TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─')),
            )
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(80)
            .set_header(
                header
                    .iter()
                    .map(|title| Cell::new(title).add_attribute(Attribute::Bold)),
            );
        for column in table.column_iter_mut() {
            column.set_padding((0, 0));
        }
        if self.color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        table
    }

    /// A table cell coloured like [`Style::paint`] (comfy-table measures its width
    /// without the escape codes).
    pub fn cell(self, text: impl std::fmt::Display, paint: Paint) -> Cell {
        let cell = Cell::new(text);
        match paint {
            Paint::Bold => cell.add_attribute(Attribute::Bold),
            Paint::Dim => cell.add_attribute(Attribute::Dim),
            Paint::Green => cell.fg(Color::Green),
            Paint::Yellow => cell.fg(Color::Yellow),
            Paint::Red => cell.fg(Color::Red),
        }
    }
}

/// Whole percent, as human output shows it (halves round up).
pub fn percent(value: f64) -> String {
    format!("{}%", value.round())
}

/// "s" unless `count` is 1: `format!("{n} item{}", plural(n))`.
pub fn plural(count: impl TryInto<i64>) -> &'static str {
    if count.try_into().is_ok_and(|count| count == 1) {
        ""
    } else {
        "s"
    }
}

/// "1 day", "3 days".
pub fn days(count: i64) -> String {
    format!("{count} day{}", plural(count))
}

/// "in 3 days", "today", "2 days ago": `days` counted from today.
pub fn relative_days(count: i64) -> String {
    match count {
        0 => "today".to_string(),
        1.. => format!("in {}", days(count)),
        _ => format!("{} ago", days(-count)),
    }
}

/// A ten-cell bar for a percent.
pub fn bar(percent: f64) -> String {
    const CELLS: usize = 10;
    let filled = ((percent.clamp(0.0, 100.0) / 100.0) * CELLS as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(CELLS - filled))
}

/// Pretty JSON with a trailing newline.
pub fn json(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("output models serialize to JSON");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_and_percents() {
        assert_eq!(bar(0.0), "░░░░░░░░░░");
        assert_eq!(bar(62.5), "██████░░░░");
        assert_eq!(bar(100.0), "██████████");
        assert_eq!(bar(140.0), "██████████");
        assert_eq!(percent(41.25), "41%");
        assert_eq!(percent(62.5), "63%");
        assert_eq!(percent(99.6), "100%");
    }

    #[test]
    fn relative_day_phrases() {
        assert_eq!(relative_days(0), "today");
        assert_eq!(relative_days(1), "in 1 day");
        assert_eq!(relative_days(49), "in 49 days");
        assert_eq!(relative_days(-1), "1 day ago");
        assert_eq!(relative_days(-3), "3 days ago");
        assert_eq!((plural(1usize), plural(0u8), plural(2i64)), ("", "s", "s"));
    }

    #[test]
    fn no_escape_codes_without_colour() {
        let plain = Style { color: false };
        assert_eq!(plain.paint("x", Paint::Red), "x");
        let coloured = Style { color: true };
        assert_eq!(coloured.paint("x", Paint::Red), "\x1b[31mx\x1b[0m");
    }
}
