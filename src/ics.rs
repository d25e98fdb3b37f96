//! The study plan as an iCalendar file (RFC 5545), one all-day event per plan
//! day, so a learner can import the plan into a calendar. Pure.

use chrono::{Days, NaiveDate};

use crate::guide::Guide;

/// The calendar for `guide`'s plan with day 1 on `started`, and the exam as an
/// all-day event on `booked` when it is booked. `stamp` is the DTSTAMP date
/// (midnight UTC), "today", so the output is reproducible.
pub fn calendar(
    guide: &Guide,
    started: NaiveDate,
    booked: Option<NaiveDate>,
    stamp: NaiveDate,
) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!(
            "PRODID:-//certprep//certprep {}//EN",
            env!("CARGO_PKG_VERSION")
        ),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!(
            "X-WR-CALNAME:{}",
            text(&format!("{} study plan", guide.short))
        ),
    ];
    let days = guide.plan_days();
    for entry in &guide.plan {
        let sections: Vec<&str> = entry
            .sections
            .iter()
            .map(|id| guide.section_name(id))
            .collect();
        for day in entry.days.days() {
            let date = crate::schedule::date_of_day(started, day);
            lines.extend([
                "BEGIN:VEVENT".to_string(),
                // Stable across start dates, so re-importing moves the events.
                format!("UID:certprep-{}-day-{day}@certprep", guide.id),
                format!("DTSTAMP:{}T000000Z", stamp.format("%Y%m%d")),
                format!("DTSTART;VALUE=DATE:{}", date.format("%Y%m%d")),
                format!(
                    "DTEND;VALUE=DATE:{}",
                    (date + Days::new(1)).format("%Y%m%d")
                ),
                format!(
                    "SUMMARY:{}",
                    text(&format!(
                        "{} day {day}/{days}: {}",
                        guide.short, entry.topic
                    ))
                ),
                format!(
                    "DESCRIPTION:{}",
                    text(&format!(
                        "Sections: {}\nMark it done with: certprep -e {} done {day}",
                        sections.join(", "),
                        guide.id
                    ))
                ),
                "TRANSP:TRANSPARENT".to_string(),
                "END:VEVENT".to_string(),
            ]);
        }
    }
    if let Some(date) = booked {
        let assessment = &guide.assessment;
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            // One per exam: booking another date and importing again moves it.
            format!("UID:certprep-{}-exam@certprep", guide.id),
            format!("DTSTAMP:{}T000000Z", stamp.format("%Y%m%d")),
            format!("DTSTART;VALUE=DATE:{}", date.format("%Y%m%d")),
            format!(
                "DTEND;VALUE=DATE:{}",
                (date + Days::new(1)).format("%Y%m%d")
            ),
            format!("SUMMARY:{}", text(&format!("{} exam", guide.short))),
            format!(
                "DESCRIPTION:{}",
                text(&format!(
                    "{}: {} questions, {} minutes.\nBooked with: certprep -e {} book YYYY-MM-DD",
                    guide.name, assessment.questions, assessment.minutes, guide.id
                ))
            ),
            // The exam day is taken, unlike a study day.
            "TRANSP:OPAQUE".to_string(),
            "END:VEVENT".to_string(),
        ]);
    }
    lines.push("END:VCALENDAR".to_string());
    lines.iter().map(|line| fold(line)).collect()
}

/// A TEXT value with `\`, `;`, `,` and newlines escaped (RFC 5545 3.3.11).
fn text(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' | ';' | ',' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '\n' => escaped.push_str("\\n"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// A content line folded to at most 75 octets a line, never inside a UTF-8
/// character, each continuation starting with a space, all ending in CRLF
/// (RFC 5545 3.1).
fn fold(line: &str) -> String {
    let mut folded = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            folded.push_str("\r\n ");
            width = 1;
        }
        folded.push(c);
        width += c.len_utf8();
    }
    folded.push_str("\r\n");
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_lines_within_75_octets() {
        let line = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&line);
        for physical in folded.split_terminator("\r\n") {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical}",
                physical.len()
            );
        }
        // Unfolding (drop CRLF + space) gives the line back.
        assert_eq!(folded.replace("\r\n ", "").trim_end_matches("\r\n"), line);
        assert_eq!(fold("SHORT"), "SHORT\r\n");
    }

    #[test]
    fn a_booked_exam_is_the_last_event() {
        let guide = crate::guide::Catalog::new(None)
            .load("professional")
            .unwrap()
            .expect("the bundled professional guide");
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let plain = calendar(&guide, day(2026, 12, 30), None, day(2026, 11, 22));
        let booked = calendar(
            &guide,
            day(2026, 12, 30),
            Some(day(2027, 2, 28)),
            day(2026, 11, 22),
        );
        // Ten plan days, then the exam: 28 February, ending on 1 March.
        assert_eq!(plain.matches("BEGIN:VEVENT").count(), 10);
        assert_eq!(booked.matches("BEGIN:VEVENT").count(), 11);
        let exam = &booked[booked.rfind("BEGIN:VEVENT").unwrap()..];
        assert!(
            exam.starts_with(
                "BEGIN:VEVENT\r\nUID:certprep-professional-exam@certprep\r\n\
             DTSTAMP:20261122T000000Z\r\nDTSTART;VALUE=DATE:20270228\r\n\
             DTEND;VALUE=DATE:20270301\r\nSUMMARY:ML-Pro exam\r\n"
            ),
            "{exam}"
        );
        assert!(
            exam.ends_with("TRANSP:OPAQUE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"),
            "{exam}"
        );
        // Before it, the calendar is the plan's.
        assert_eq!(
            booked[..booked.rfind("BEGIN:VEVENT").unwrap()],
            plain[..plain.rfind("END:VCALENDAR").unwrap()]
        );
    }

    #[test]
    fn text_escapes() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
