//! The report as one self-contained HTML page: inline CSS, an inline SVG heatmap
//! per exam (learners × sections, coloured by readiness), the summary with each
//! section's class means, the at-risk list with pass chances, and the files
//! left out. No script, no external reference: it opens offline and leaks
//! nothing. Every string from a file (a learner's name, a guide's names and
//! ids, a path in a warning) goes through [`escape`].
//!
//! The heatmap scales to the page's width (a `viewBox` and `width: 100%`).
//! SVG text neither wraps nor ends in an ellipsis by itself, so the page does it
//! from an estimate of each character's width ([`em_width`]): a learner's name
//! longer than its column is cut with "…" (whole in the row's tooltip and the
//! cells'), a section id is broken after a hyphen onto a second line, and what
//! still does not fit is cut. Each label is also clipped to its column, so a
//! font wider than the estimate can never make labels overlap.

use std::fmt::Write;

use super::{Cohort, Row, Summary};
use crate::render;
use crate::text;

/// A list of more names than this flows into columns where the page is wide.
const LONG_LIST: usize = 8;
/// The heatmap's geometry, in its own units (the SVG scales them to the page).
const FONT_SIZE: f64 = 13.0;
const LABEL_WIDTH: f64 = 280.0;
const CELL_WIDTH: f64 = 120.0;
const CELL_HEIGHT: f64 = 24.0;
/// Space left and right of a label inside its column.
const LABEL_PADDING: f64 = 5.0;
/// A column label takes at most this many lines.
const COLUMN_LABEL_LINES: usize = 2;
const LINE_HEIGHT: f64 = 15.0;
/// How much larger than its own units the heatmap may be drawn on a wide page.
const MAX_SCALE: f64 = 1.3;
/// The gap above the class's means, under the learners.
const MEAN_GAP: f64 = 8.0;

const STYLE: &str = "
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; background: #fff; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1em; margin: 1em 0 0.4em; }
.panels { display: flex; flex-wrap: wrap; gap: 0 3em; align-items: flex-start; }
.panels > div { min-width: 16em; max-width: 100%; }
.panels > div.list { flex: 1 1 20em; }
ul.names { list-style: none; padding: 0; }
ul.names.long { column-width: 18em; column-gap: 2em; }
ul.names li { display: flex; gap: 0.4em; break-inside: avoid; }
ul.names li > * { flex: none; }
ul.names li > .learner { flex: 0 1 auto; min-width: 0; }
table { border-collapse: collapse; }
td, th { padding: 2px 10px 2px 0; text-align: left; vertical-align: top; }
thead th { border-bottom: 1px solid #999; }
tbody th { font-weight: normal; color: #555; }
td.number, th.number { text-align: right; padding-left: 1.5em; }
tr.weakest td, tr.weakest th { font-weight: bold; }
ul { margin: 0; padding-left: 1.2em; }
.none { margin: 0; color: #777; font-style: italic; }
.learner { display: inline-block; max-width: 100%; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; vertical-align: bottom; }
.at-risk .chance { color: #b00020; font-weight: bold; }
.warnings li { overflow-wrap: anywhere; }
svg.heatmap { display: block; width: 100%; height: auto; min-width: 36em; }
.heatmap-box { overflow-x: auto; }
svg.heatmap text { font-size: 13px; font-family: system-ui, sans-serif; fill: #222;
  pointer-events: none; }
svg.heatmap text.value, svg.heatmap text.column { text-anchor: middle; }
svg.heatmap .mean-label { font-weight: bold; }
svg.heatmap rect.label { fill: transparent; }
";

/// The page, for the cohort as seen on `today`.
pub fn render(cohort: &Cohort, today: &str) -> String {
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>certprep class report, {today}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>Class report, {today}</h1>\n<p class=\"counts\">{}.</p>\n",
        cohort.counts()
    );
    if !cohort.warnings.is_empty() {
        // Before the exams: a learner left out is what a coach must not miss.
        let _ = writeln!(
            page,
            "<section class=\"warnings\">\n<h2>Left out or read in part</h2>\n<ul class=\"warnings\">"
        );
        for warning in &cohort.warnings {
            let _ = writeln!(page, "<li>{}</li>", escape(&super::text::warning(warning)));
        }
        page.push_str("</ul>\n</section>\n");
    }
    for (index, summary) in cohort.summary.iter().enumerate() {
        exam_part(index, summary, &cohort.learners, &mut page);
    }
    if !cohort.not_started.is_empty() {
        let _ = writeln!(
            page,
            "<section>\n<h2>Not started</h2>\n<ul class=\"names not-started{}\">",
            long(cohort.not_started.len())
        );
        for learner in &cohort.not_started {
            let _ = writeln!(page, "<li>{}</li>", learner_span(learner));
        }
        page.push_str("</ul>\n</section>\n");
    }
    page.push_str("</body>\n</html>\n");
    page
}

/// One exam: the summary, the sections' class means, the at-risk and
/// sitting-soon lists, and the heatmap. `index` tells the exam's SVG ids apart.
fn exam_part(index: usize, summary: &Summary, rows: &[Row], page: &mut String) {
    let rows: Vec<&Row> = rows.iter().filter(|row| row.exam == summary.exam).collect();
    let _ = writeln!(
        page,
        "<section class=\"exam\" id=\"exam-{id}\">\n<h2>{id}: {name}</h2>\n<div class=\"panels\">",
        id = escape(&summary.exam),
        name = escape(&summary.name)
    );
    let _ = writeln!(
        page,
        "<div>\n<h3>The class</h3>\n<table class=\"summary\">\n\
         <tr><th>learners</th><td class=\"number\">{}</td></tr>\n\
         <tr><th>readiness, mean</th><td class=\"number\">{}</td></tr>\n\
         <tr><th>readiness, median</th><td class=\"number\">{}</td></tr>\n\
         <tr><th>behind the plan</th><td class=\"number\">{}</td></tr>\n\
         <tr><th>the class's weakest section</th><td>{}</td></tr>\n</table>\n</div>",
        summary.learners,
        render::percent(summary.readiness.mean),
        render::percent(summary.readiness.median),
        summary.behind,
        escape(summary.weakest.as_deref().unwrap_or("–")),
    );
    page.push_str(
        "<div>\n<h3>Sections, class means</h3>\n<table class=\"sections\">\n<thead><tr>\
         <th>section</th><th class=\"number\">readiness</th>\
         <th class=\"number\">expected lost points</th></tr></thead>\n<tbody>\n",
    );
    for section in &summary.sections {
        let weakest = summary.weakest.as_deref() == Some(section.id.as_str());
        let _ = writeln!(
            page,
            "<tr{}><th>{}</th><td class=\"number\">{}</td><td class=\"number\">{}</td></tr>",
            if weakest { " class=\"weakest\"" } else { "" },
            escape(&section.id),
            render::percent(section.readiness),
            render::fixed(section.lost, 1),
        );
    }
    page.push_str("</tbody>\n</table>\n</div>\n</div>\n<div class=\"panels\">\n");

    page.push_str("<div class=\"list\">\n<h3>At risk (pass chance below 50 %)</h3>\n");
    if summary.at_risk.is_empty() {
        page.push_str("<p class=\"none\">none</p>\n");
    } else {
        let _ = writeln!(
            page,
            "<ul class=\"names at-risk{}\">",
            long(summary.at_risk.len())
        );
        for at_risk in &summary.at_risk {
            let _ = writeln!(
                page,
                "<li>{} <span class=\"chance\">{}</span></li>",
                learner_span(&at_risk.learner),
                render::chance(at_risk.pass_chance)
            );
        }
        page.push_str("</ul>\n");
    }
    page.push_str("</div>\n<div class=\"list\">\n<h3>Sitting within 14 days</h3>\n");
    if summary.sitting_soon.is_empty() {
        page.push_str("<p class=\"none\">none</p>\n");
    } else {
        let _ = writeln!(
            page,
            "<ul class=\"names sitting-soon{}\">",
            long(summary.sitting_soon.len())
        );
        for soon in &summary.sitting_soon {
            let _ = writeln!(
                page,
                "<li>{} <span class=\"when\">on {} ({})</span></li>",
                learner_span(&soon.learner),
                soon.booked,
                render::relative_days(soon.days_left)
            );
        }
        page.push_str("</ul>\n");
    }
    page.push_str("</div>\n</div>\n<h3>Readiness by section</h3>\n<div class=\"heatmap-box\">\n");
    heatmap(index, summary, &rows, page);
    page.push_str("</div>\n</section>\n");
}

/// The class of a list of names long enough to flow into columns.
fn long(names: usize) -> &'static str {
    if names > LONG_LIST { " long" } else { "" }
}

/// A learner's name in a list: whole in the page, cut by the CSS with an
/// ellipsis when it is too long for its line, and whole in the tooltip.
fn learner_span(learner: &str) -> String {
    let learner = escape(learner);
    format!("<span class=\"learner\" title=\"{learner}\">{learner}</span>")
}

/// The learners × sections heatmap, then a row of the class's means: one
/// `rect.cell` per learner and column (the sections and overall), carrying its
/// learner, section and readiness as data attributes and a tooltip.
fn heatmap(index: usize, summary: &Summary, rows: &[&Row], page: &mut String) {
    let columns: Vec<&str> = summary
        .sections
        .iter()
        .map(|section| section.id.as_str())
        .chain(["overall"])
        .collect();
    let room = CELL_WIDTH - 2.0 * LABEL_PADDING;
    let labels: Vec<Vec<String>> = columns
        .iter()
        .map(|id| wrap_label(&text::escape(id), room))
        .collect();
    let lines = labels.iter().map(Vec::len).max().unwrap_or(1);
    let header = LINE_HEIGHT * lines as f64 + 10.0;
    let width = LABEL_WIDTH + CELL_WIDTH * columns.len() as f64;
    let means_top = header + CELL_HEIGHT * rows.len() as f64 + MEAN_GAP;
    let height = means_top + CELL_HEIGHT + 2.0;
    // As wide as the page, but its text never more than MAX_SCALE times the
    // size it has at its own width.
    let _ = writeln!(
        page,
        "<svg class=\"heatmap\" viewBox=\"0 0 {width} {height}\" width=\"100%\" \
         style=\"max-width: {}px\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" \
         aria-label=\"readiness by learner and section\">",
        width * MAX_SCALE
    );
    // The clips: one for the names, one per column label.
    let _ = writeln!(
        page,
        "<defs><clipPath id=\"h{index}-names\"><rect x=\"0\" y=\"0\" width=\"{}\" height=\"{height}\"/></clipPath>",
        LABEL_WIDTH - LABEL_PADDING
    );
    for column in 0..columns.len() {
        let _ = writeln!(
            page,
            "<clipPath id=\"h{index}-c{column}\"><rect x=\"{}\" y=\"0\" width=\"{room}\" height=\"{header}\"/></clipPath>",
            column_x(column) + LABEL_PADDING
        );
    }
    page.push_str("</defs>\n");
    for (column, (id, lines)) in columns.iter().zip(&labels).enumerate() {
        let x = column_x(column) + CELL_WIDTH / 2.0;
        // The last line sits just above the first row.
        let first = header - 8.0 - LINE_HEIGHT * (lines.len() - 1) as f64;
        let _ = write!(
            page,
            "<g clip-path=\"url(#h{index}-c{column})\"><title>{}</title><text class=\"column\" x=\"{x}\" y=\"{first}\">",
            escape(id)
        );
        for (line, text) in lines.iter().enumerate() {
            let dy = if line == 0 { 0.0 } else { LINE_HEIGHT };
            let _ = write!(
                page,
                "<tspan x=\"{x}\" dy=\"{dy}\">{}</tspan>",
                html_entities(text)
            );
        }
        page.push_str("</text></g>\n");
    }
    let name_room = LABEL_WIDTH - 2.0 * LABEL_PADDING;
    for (line, row) in rows.iter().enumerate() {
        let y = header + CELL_HEIGHT * line as f64;
        let learner = escape(&row.learner);
        let shown = html_entities(&fit(&text::escape(&row.learner), name_room));
        // The transparent rect under the name holds its tooltip: text does not
        // take the pointer (see STYLE), so a cut name shows whole on hover.
        let _ = writeln!(
            page,
            "<rect class=\"label\" x=\"0\" y=\"{y}\" width=\"{LABEL_WIDTH}\" height=\"{CELL_HEIGHT}\">\
             <title>{learner}</title></rect>\
             <text x=\"{LABEL_PADDING}\" y=\"{}\" clip-path=\"url(#h{index}-names)\">{shown}</text>",
            y + CELL_HEIGHT - 8.0
        );
        let cells = row
            .sections
            .iter()
            .map(|section| (section.id.as_str(), section.readiness))
            .chain([("overall", row.readiness)]);
        for (column, (section, readiness)) in cells.enumerate() {
            let section = escape(section);
            let title = format!("{learner}, {section}: {}", render::percent(readiness));
            let _ = writeln!(
                page,
                "<rect class=\"cell\" x=\"{}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"{}\" \
                 data-learner=\"{learner}\" data-section=\"{section}\" data-readiness=\"{readiness}\">\
                 <title>{title}</title></rect>",
                column_x(column) + 1.0,
                CELL_WIDTH - 2.0,
                CELL_HEIGHT - 2.0,
                colour(readiness),
            );
            value_text(column, y, readiness, page);
        }
    }
    // The class's means: each section's, then the mean readiness.
    let _ = writeln!(
        page,
        "<g class=\"means\"><text class=\"mean-label\" x=\"{LABEL_PADDING}\" y=\"{}\">class mean</text>",
        means_top + CELL_HEIGHT - 8.0
    );
    let means = summary
        .sections
        .iter()
        .map(|section| (section.id.as_str(), section.readiness))
        .chain([("overall", summary.readiness.mean)]);
    for (column, (section, readiness)) in means.enumerate() {
        let _ = writeln!(
            page,
            "<rect class=\"mean\" x=\"{}\" y=\"{means_top}\" width=\"{}\" height=\"{}\" fill=\"{}\" \
             stroke=\"#222\" stroke-width=\"1\"><title>class mean, {}: {}</title></rect>",
            column_x(column) + 1.0,
            CELL_WIDTH - 2.0,
            CELL_HEIGHT - 2.0,
            colour(readiness),
            escape(section),
            render::percent(readiness),
        );
        value_text(column, means_top, readiness, page);
    }
    page.push_str("</g>\n</svg>\n");
}

/// Where column `column` of the heatmap starts.
fn column_x(column: usize) -> f64 {
    LABEL_WIDTH + CELL_WIDTH * column as f64
}

/// A cell's percent, centred in it.
fn value_text(column: usize, y: f64, readiness: f64, page: &mut String) {
    let _ = writeln!(
        page,
        "<text class=\"value\" x=\"{}\" y=\"{}\">{}</text>",
        column_x(column) + CELL_WIDTH / 2.0,
        y + CELL_HEIGHT - 8.0,
        render::percent(readiness)
    );
}

/// Red at 0 %, through yellow, to green at 100 %.
fn colour(readiness: f64) -> String {
    let hue = 1.2 * readiness.clamp(0.0, 100.0);
    format!("hsl({hue:.0}, 70%, 62%)")
}

/// A column label in at most [`COLUMN_LABEL_LINES`] lines of at most `room`
/// units: broken after a hyphen, underscore or space, and the last line cut
/// with "…" when the rest does not fit. `text` is already escaped for the
/// terminal ([`text::escape`]), not yet for HTML.
fn wrap_label(text: &str, room: f64) -> Vec<String> {
    // The pieces: "model-", "development".
    let mut pieces: Vec<&str> = Vec::new();
    let mut start = 0;
    for (at, c) in text.char_indices() {
        if matches!(c, '-' | '_' | ' ') {
            pieces.push(&text[start..at + c.len_utf8()]);
            start = at + c.len_utf8();
        }
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut pieces = pieces.into_iter().peekable();
    while let Some(piece) = pieces.next() {
        let mut line = piece.to_string();
        while let Some(next) = pieces.peek() {
            if text_width(&format!("{line}{next}")) > room {
                break;
            }
            line.push_str(next);
            pieces.next();
        }
        if lines.len() + 1 == COLUMN_LABEL_LINES {
            // The last line allowed: whatever is left, cut to fit.
            let rest: String = std::iter::once(line)
                .chain(pieces.by_ref().map(String::from))
                .collect();
            lines.push(fit(rest.trim_end(), room));
            break;
        }
        lines.push(fit(&line, room));
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// `text` (escaped for the terminal) cut with "…" so that it takes at most
/// `room` units at the heatmap's font size; whole when it fits.
fn fit(text: &str, room: f64) -> String {
    if text_width(text) <= room {
        return text.to_string();
    }
    let ellipsis = em_width('…') * FONT_SIZE;
    let mut kept = String::new();
    let mut used = 0.0;
    for c in text.chars() {
        let width = em_width(c) * FONT_SIZE;
        if used + width + ellipsis > room {
            break;
        }
        used += width;
        kept.push(c);
    }
    kept.push('…');
    kept
}

/// The estimated width of `text` at the heatmap's font size.
fn text_width(text: &str) -> f64 {
    text.chars().map(em_width).sum::<f64>() * FONT_SIZE
}

/// A character's width in ems, estimated from DejaVu Sans (the common fallback
/// for `system-ui` on Linux, and wider than the usual fonts elsewhere, so the
/// estimate errs towards cutting). Other Latin,
/// Greek and Cyrillic letters are taken as a wide letter; CJK and other
/// full-width characters as a whole em.
fn em_width(c: char) -> f64 {
    // Thousandths of an em, for ' ' to '~'.
    const ASCII: [u16; 95] = [
        318, 400, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318,
        337, // ' '../
        636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838,
        531, // 0..?
        1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748,
        787, // @..O
        603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838,
        500, // P.._
        500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634,
        612, // `..o
        635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838, // p..~
    ];
    const SPARE: f64 = 1.0;
    let code = u32::from(c);
    let thousandths = match code {
        0x20..=0x7E => f64::from(ASCII[(code - 0x20) as usize]),
        // CJK, Hangul, full-width forms.
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFF00..=0xFF60 => {
            1000.0
        }
        0x2026 => 1000.0,
        _ => 800.0,
    };
    thousandths / 1000.0 * SPARE
}

/// `text` from a file as HTML text or a quoted attribute value: its control and
/// bidi characters shown as the text output shows them ([`text::escape`]:
/// `\u{1b}`, `\r`, `\u{202e}`), so none reaches the page raw, and the five
/// characters that could end text or attribute written as entities.
pub fn escape(text: &str) -> String {
    html_entities(&text::escape(text))
}

/// `text`, already escaped for the terminal, with the five characters that
/// could end HTML text or a quoted attribute written as entities.
fn html_entities(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(character),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<img src=x onerror=\"alert('1')\">&"),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;"
        );
    }

    #[test]
    fn shows_control_and_bidi_characters_escaped() {
        assert_eq!(
            escape("a\u{1b}[2J\r\u{202e}<b>"),
            "a\\u{1b}[2J\\r\\u{202e}&lt;b&gt;"
        );
    }

    #[test]
    fn column_labels_break_after_a_hyphen_and_cut_what_is_left() {
        let room = CELL_WIDTH - 2.0 * LABEL_PADDING;
        assert_eq!(wrap_label("overall", room), ["overall"]);
        assert_eq!(
            wrap_label("model-development", room),
            ["model-", "development"]
        );
        // Pieces that fit together share a line.
        assert_eq!(wrap_label("ml-ops-a-b", room), ["ml-ops-a-b"]);
        let long = wrap_label("a-section-id-long-enough-to-need-cutting", room);
        assert_eq!(long.len(), COLUMN_LABEL_LINES);
        assert!(long[1].ends_with('…'), "{long:?}");
        for line in &long {
            assert!(text_width(line) <= room, "{line}");
        }
        // One word wider than the column: cut on its first line.
        let word = wrap_label(&"m".repeat(30), room);
        assert_eq!(word.len(), 1);
        assert!(word[0].ends_with('…') && text_width(&word[0]) <= room);
    }

    #[test]
    fn names_fit_their_room_with_an_ellipsis() {
        assert_eq!(fit("ann", 100.0), "ann");
        // "i" is 0.278 em, 3.614 units at 13: 10 of them take 36.14 units; in 30
        // units go 5 (18.07) and the ellipsis (13), 31.07 > 30, so 4 and "…".
        assert_eq!(fit(&"i".repeat(10), 30.0), "iiii…");
        let cut = fit(&"x".repeat(100), 200.0);
        assert!(cut.ends_with('…') && text_width(&cut) <= 200.0, "{cut}");
    }

    #[test]
    fn colours_run_from_red_to_green() {
        assert_eq!(colour(0.0), "hsl(0, 70%, 62%)");
        assert_eq!(colour(50.0), "hsl(60, 70%, 62%)");
        assert_eq!(colour(100.0), "hsl(120, 70%, 62%)");
        assert_eq!(colour(140.0), "hsl(120, 70%, 62%)");
    }
}
