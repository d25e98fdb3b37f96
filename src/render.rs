//! Presentation helpers shared by the commands: colour, bars, percents, tables, JSON,
//! and the escaping that keeps text from files from driving the terminal.

use std::io;

use comfy_table::{Attribute, Cell, Color, ContentArrangement, LineStyle, Table, TableStyle};
use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter, PrettyFormatter};

use crate::text::{cut, escape, is_unsafe};

/// Whether to colour output, decided once from `--color`, `NO_COLOR` and the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

/// How [`Style::paint`] marks text: a weight, or a colour that says how things
/// stand.
#[derive(Debug, Clone, Copy)]
pub enum Paint {
    /// Titles and names.
    Bold,
    /// Text that matters less, such as where a guide comes from.
    Dim,
    /// Done or ready.
    Green,
    /// Under way, or today in the plan.
    Yellow,
    /// Far off, or at risk.
    Red,
}

impl Style {
    /// `text` marked with `paint` when colour is on; plain text when it is off.
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

/// Right-aligns the given columns of a table (numbers, so their digits line up).
pub fn align_right(table: &mut Table, columns: impl IntoIterator<Item = usize>) {
    for index in columns {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
}

/// Whole percent, as human output shows it (halves round up, as [`fixed`]).
pub fn percent(value: f64) -> String {
    format!("{}%", fixed(value, 0))
}

/// `value` with `places` decimals, halves rounded up (away from zero): the one
/// rounding of every number in human output, so 26.25 points is "26.3" in one
/// place and "26.25" in another, never "26.2" (what `format!("{:.1}")` gives, as
/// it rounds an exact half to even).
pub fn fixed(value: f64, places: usize) -> String {
    let scale = 10f64.powi(places as i32);
    // Snapped first, so that a half computed as 26.249999… still rounds up.
    let scaled = (value * scale * 1e6).round() / 1e6;
    format!("{:.*}", places, scaled.round() / scale)
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

/// What a command shows, as a plain value: `--json` prints it serialized and the
/// terminal gets [`View::write_text`], so the two renderings come from the same
/// data and cannot disagree. Text-only details (colour choices, phrasing) are
/// computed from the view's fields, or kept in fields marked `#[serde(skip)]`.
pub trait View: Serialize {
    /// The view for a terminal (or a pipe), in `style`.
    fn write_text(&self, style: Style, out: &mut String) -> std::fmt::Result;
}

/// Renders `view` into `out`: JSON with `json`, else text.
pub fn show(view: &impl View, json: bool, style: Style, out: &mut String) -> anyhow::Result<()> {
    if json {
        out.push_str(&self::json(view));
    } else {
        view.write_text(style, out)?;
    }
    Ok(())
}

/// Pretty JSON with a trailing newline: every `--json` document is written here.
/// Strings hold what the files hold, written by [`SafeJson`] so that none can
/// drive a terminal the document is printed on.
pub fn json(value: &impl Serialize) -> String {
    let mut bytes = Vec::new();
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut bytes, SafeJson(PrettyFormatter::new()));
    value
        .serialize(&mut serializer)
        .expect("output models serialize to JSON");
    let mut text = String::from_utf8(bytes).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

/// serde_json's pretty printing, with every [unsafe](is_unsafe) character in a
/// string or key written as a JSON `\uXXXX` escape. serde_json escapes C0
/// controls itself (`\n`, `\u001b`) but writes DEL, C1 controls, bidi controls
/// and line separators as they are; escaped, they still decode to exactly the
/// file's text, and a document printed on a terminal cannot drive it.
struct SafeJson<'a>(PrettyFormatter<'a>);

/// Formatter methods passed on to the pretty printer as they are.
macro_rules! delegate {
    ($($method:ident($($arg:ident: $type:ty),*);)*) => {$(
        fn $method<W: ?Sized + io::Write>(&mut self, writer: &mut W, $($arg: $type),*) -> io::Result<()> {
            self.0.$method(writer, $($arg),*)
        }
    )*};
}

impl Formatter for SafeJson<'_> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| is_unsafe(c)) {
            self.0.write_string_fragment(writer, &rest[..at])?;
            for unit in c.encode_utf16(&mut [0; 2]) {
                write!(writer, "\\u{unit:04x}")?;
            }
            rest = &rest[at + c.len_utf8()..];
        }
        self.0.write_string_fragment(writer, rest)
    }

    delegate! {
        write_null();
        write_bool(value: bool);
        write_i8(value: i8);
        write_i16(value: i16);
        write_i32(value: i32);
        write_i64(value: i64);
        write_i128(value: i128);
        write_u8(value: u8);
        write_u16(value: u16);
        write_u32(value: u32);
        write_u64(value: u64);
        write_u128(value: u128);
        write_f32(value: f32);
        write_f64(value: f64);
        write_number_str(value: &str);
        begin_string();
        end_string();
        write_char_escape(char_escape: CharEscape);
        write_byte_array(value: &[u8]);
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        begin_object();
        end_object();
        begin_object_key(first: bool);
        end_object_key();
        begin_object_value();
        end_object_value();
        write_raw_fragment(fragment: &str);
    }
}

/// A chance as a whole percent, never "0%" or "100%" for what is merely unlikely
/// or likely.
pub fn chance(probability: f64) -> String {
    let whole = crate::round::nine_places(probability * 100.0);
    match whole.round() {
        0.0 if whole > 0.0 => "<1%".to_string(),
        100.0 if whole < 100.0 => ">99%".to_string(),
        _ => percent(whole),
    }
}

/// The most characters of a text from a file (a note, a name, an id) a table
/// cell shows. comfy-table wraps a word wider than its column one line at a time,
/// measuring and copying the rest of the word for each line, so its time grows
/// with the square of the word's length: a 400 000-character note took 7.6 s to
/// list. Cut to two lines of a terminal, a cell costs next to nothing however
/// long its text; `--json` keeps the text whole.
pub const MAX_CELL_CHARS: usize = 160;

/// `text` from a file as a table cell shows it: [`escape`]d, then [`cut`] after
/// [`MAX_CELL_CHARS`] characters. Linear in the text's length.
pub fn cell_text(text: &str) -> String {
    cut(&escape(text), MAX_CELL_CHARS).into_owned()
}

/// The longest an item of a [`bounded_list`] is shown, in characters.
pub const SHOWN_ITEM_CHARS: usize = 100;

/// The first `shown` items joined with ", ", each cut after [`SHOWN_ITEM_CHARS`],
/// then how many more there are: a file can hold thousands of ids, or one of a
/// megabyte, and a message must stay readable.
pub fn bounded_list(items: &[impl AsRef<str>], shown: usize) -> String {
    let mut list = items
        .iter()
        .take(shown)
        .map(|item| cut(item.as_ref(), SHOWN_ITEM_CHARS))
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(more) = items.len().checked_sub(shown).filter(|&more| more > 0) {
        list += &format!(" … and {more} more");
    }
    list
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

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
        assert_eq!(percent(26.5), "27%");
    }

    #[test]
    fn numbers_round_halves_up() {
        // Exact halves in binary, which `{:.N}` rounds to even.
        assert_eq!(fixed(26.25, 1), "26.3");
        assert_eq!(fixed(26.25, 2), "26.25");
        assert_eq!(fixed(0.125, 2), "0.13");
        assert_eq!(fixed(2.5, 0), "3");
        assert_eq!(fixed(6.75, 1), "6.8");
        // A half computed with a rounding error still rounds up: 0.1·3 is
        // 0.30000000000000004, 1.005 is 1.00499999999999989…
        assert_eq!(fixed(1.005, 2), "1.01");
        assert_eq!(fixed(21.85, 1), "21.9");
        assert_eq!(fixed(3.0, 1), "3.0");
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

    #[test]
    fn json_writes_unsafe_characters_as_json_escapes() {
        // ESC and CR as serde_json writes them; DEL, CSI (C1), the bidi override,
        // an isolate and the line separator as `\uXXXX`; the rest as it is.
        let text = "a\u{1b}b\rc\u{7f}\u{9b}\u{202e}\u{2066}\u{2028}é✓\"\\";
        let written = r#""a\u001bb\rc\u007f\u009b\u202e\u2066\u2028é✓\"\\""#;
        let document = json(&BTreeMap::from([(text, [text])]));
        assert_eq!(
            document,
            format!("{{\n  {written}: [\n    {written}\n  ]\n}}\n")
        );
        let parsed: BTreeMap<String, Vec<String>> = serde_json::from_str(&document).unwrap();
        assert_eq!(
            parsed,
            BTreeMap::from([(text.to_string(), vec![text.to_string()])])
        );
    }

    #[test]
    fn cells_are_escaped_then_cut_after_160_characters() {
        assert_eq!(cell_text("set B\u{1b}[2J"), "set B\\u{1b}[2J");
        let fits = "é".repeat(160);
        assert_eq!(cell_text(&fits), fits);
        // 161 characters: the first 160 and "…".
        assert_eq!(cell_text(&"é".repeat(161)), format!("{fits}…"));
        // An escape counts as the characters it shows: 150 a's, then the 6
        // characters of `\u{1b}` and 4 of the second one's.
        let shown = cell_text(&format!("{}\u{1b}\u{1b}", "a".repeat(150)));
        assert_eq!(shown, format!("{}\\u{{1b}}\\u{{1…", "a".repeat(150)));
    }

    #[test]
    fn bounded_lists_count_the_rest() {
        let ids: Vec<String> = (1..=10_000).map(|n| format!("id{n}")).collect();
        // 10 000 ids, 10 shown: 9 990 more.
        assert_eq!(
            bounded_list(&ids, 10),
            "id1, id2, id3, id4, id5, id6, id7, id8, id9, id10 … and 9990 more"
        );
        assert_eq!(bounded_list(&ids[..10], 10), ids[..10].join(", "));
        assert_eq!(bounded_list(&["a", "b"], 1), "a … and 1 more");
        assert_eq!(bounded_list(&[] as &[&str], 10), "");
        // A 1 000-character id shows its first 100 characters.
        let long = "é".repeat(1000);
        assert_eq!(bounded_list(&[long], 10), format!("{}…", "é".repeat(100)));
    }
}
