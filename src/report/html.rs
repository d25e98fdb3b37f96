//! The report as one self-contained HTML page: inline CSS, an inline SVG heatmap
//! per exam (learners × sections, coloured by readiness), the summary and the
//! at-risk list. No script, no external reference: it opens offline and leaks
//! nothing. Every string from a file (a learner's name, a guide's names and ids)
//! goes through [`escape`].

use std::fmt::Write;

use super::{Cohort, Row, Summary};
use crate::render;

const CELL_WIDTH: usize = 110;
const CELL_HEIGHT: usize = 22;
const LABEL_WIDTH: usize = 200;
const HEADER_HEIGHT: usize = 28;

const STYLE: &str = "
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; background: #fff; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; } td, th { padding: 2px 10px; text-align: left; }
th { border-bottom: 1px solid #999; } td.number { text-align: right; }
svg text { font: 12px system-ui, sans-serif; fill: #222; }
svg text.value { text-anchor: middle; }
.at-risk { color: #b00020; }
";

/// The page, for the cohort as seen on `today`.
pub fn render(cohort: &Cohort, today: &str) -> String {
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>certprep class report, {today}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>Class report, {today}</h1>\n<p class=\"counts\">{}.</p>\n",
        cohort.counts()
    );
    for summary in &cohort.summary {
        exam_part(summary, &cohort.learners, &mut page);
    }
    if !cohort.not_started.is_empty() {
        page.push_str("<h2>Not started</h2>\n<ul>\n");
        for learner in &cohort.not_started {
            let _ = writeln!(page, "<li>{}</li>", escape(learner));
        }
        page.push_str("</ul>\n");
    }
    page.push_str("</body>\n</html>\n");
    page
}

/// One exam: the summary, the at-risk list and the heatmap.
fn exam_part(summary: &Summary, rows: &[Row], page: &mut String) {
    let rows: Vec<&Row> = rows.iter().filter(|row| row.exam == summary.exam).collect();
    let _ = writeln!(
        page,
        "<section class=\"exam\" id=\"exam-{id}\">\n<h2>{id}: {name}</h2>",
        id = escape(&summary.exam),
        name = escape(&summary.name)
    );
    let _ = writeln!(
        page,
        "<table class=\"summary\">\n<tr><th>learners</th><td class=\"number\">{}</td></tr>\n\
         <tr><th>readiness, mean</th><td class=\"number\">{}</td></tr>\n\
         <tr><th>readiness, median</th><td class=\"number\">{}</td></tr>\n\
         <tr><th>the class's weakest section</th><td>{}</td></tr>\n\
         <tr><th>behind the plan</th><td class=\"number\">{}</td></tr>\n</table>",
        summary.learners,
        render::percent(summary.readiness.mean),
        render::percent(summary.readiness.median),
        escape(summary.weakest.as_deref().unwrap_or("–")),
        summary.behind,
    );
    page.push_str("<h3>At risk (pass chance below 50 %)</h3>\n<ul class=\"at-risk\">\n");
    for at_risk in &summary.at_risk {
        let _ = writeln!(
            page,
            "<li><span class=\"learner\">{}</span> <span class=\"chance\">{}</span></li>",
            escape(&at_risk.learner),
            render::chance(at_risk.pass_chance)
        );
    }
    page.push_str("</ul>\n<h3>Sitting within 14 days</h3>\n<ul class=\"sitting-soon\">\n");
    for soon in &summary.sitting_soon {
        let _ = writeln!(
            page,
            "<li>{} on {} ({})</li>",
            escape(&soon.learner),
            soon.booked,
            render::relative_days(soon.days_left)
        );
    }
    page.push_str("</ul>\n<h3>Readiness by section</h3>\n");
    heatmap(summary, &rows, page);
    page.push_str("</section>\n");
}

/// The learners × sections heatmap: one `rect.cell` per learner and section,
/// carrying its learner, section and readiness as data attributes and a title.
fn heatmap(summary: &Summary, rows: &[&Row], page: &mut String) {
    let width = LABEL_WIDTH + CELL_WIDTH * (summary.sections.len() + 1);
    let height = HEADER_HEIGHT + CELL_HEIGHT * (rows.len() + 1);
    let _ = writeln!(
        page,
        "<svg class=\"heatmap\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">"
    );
    let columns = summary.sections.iter().map(|section| section.id.as_str());
    for (index, id) in columns.chain(["overall"]).enumerate() {
        let x = LABEL_WIDTH + CELL_WIDTH * index + CELL_WIDTH / 2;
        let _ = writeln!(
            page,
            "<text class=\"value\" x=\"{x}\" y=\"{}\">{}</text>",
            HEADER_HEIGHT - 10,
            escape(id)
        );
    }
    for (line, row) in rows.iter().enumerate() {
        let y = HEADER_HEIGHT + CELL_HEIGHT * line;
        let learner = escape(&row.learner);
        let _ = writeln!(
            page,
            "<text x=\"4\" y=\"{}\">{learner}</text>",
            y + CELL_HEIGHT - 7
        );
        let cells = row
            .sections
            .iter()
            .map(|section| (section.id.as_str(), section.readiness));
        for (column, (section, readiness)) in cells.chain([("overall", row.readiness)]).enumerate()
        {
            let x = LABEL_WIDTH + CELL_WIDTH * column;
            let section = escape(section);
            let percent = render::percent(readiness);
            let _ = writeln!(
                page,
                "<rect class=\"cell\" x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"{}\" \
                 data-learner=\"{learner}\" data-section=\"{section}\" data-readiness=\"{readiness}\">\
                 <title>{learner}, {section}: {percent}</title></rect>\
                 <text class=\"value\" x=\"{}\" y=\"{}\">{percent}</text>",
                CELL_WIDTH - 2,
                CELL_HEIGHT - 2,
                colour(readiness),
                x + CELL_WIDTH / 2,
                y + CELL_HEIGHT - 7,
            );
        }
    }
    page.push_str("</svg>\n");
}

/// Red at 0 %, through yellow, to green at 100 %.
fn colour(readiness: f64) -> String {
    let hue = 1.2 * readiness.clamp(0.0, 100.0);
    format!("hsl({hue:.0}, 70%, 62%)")
}

/// `text` from a file as HTML text or a quoted attribute value: its control and
/// bidi characters shown as the text output shows them ([`render::escape`]:
/// `\u{1b}`, `\r`, `\u{202e}`), so none reaches the page raw, and the five
/// characters that could end text or attribute written as entities.
pub fn escape(text: &str) -> String {
    let text = render::escape(text);
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
    fn colours_run_from_red_to_green() {
        assert_eq!(colour(0.0), "hsl(0, 70%, 62%)");
        assert_eq!(colour(50.0), "hsl(60, 70%, 62%)");
        assert_eq!(colour(100.0), "hsl(120, 70%, 62%)");
        assert_eq!(colour(140.0), "hsl(120, 70%, 62%)");
    }
}
