//! `plan --ics`: the plan as an RFC 5545 calendar.

use crate::common::Env;

/// Unfolds content lines (CRLF followed by a space continues a line).
fn unfold(calendar: &str) -> Vec<String> {
    calendar
        .replace("\r\n ", "")
        .split_terminator("\r\n")
        .map(str::to_string)
        .collect()
}

#[test]
fn professional_plan_across_the_year_end() {
    let env = Env::new();
    env.ok(&["start", "professional", "--on", "2026-12-30"]);
    let calendar = env.ok(&["plan", "--ics"]);
    // Every physical line ends in CRLF and holds at most 75 octets.
    assert!(calendar.ends_with("\r\n"));
    assert!(!calendar.replace("\r\n", "").contains('\n'), "a bare LF");
    for line in calendar.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let lines = unfold(&calendar);
    assert_eq!(lines.first().unwrap(), "BEGIN:VCALENDAR");
    assert_eq!(lines.last().unwrap(), "END:VCALENDAR");
    assert!(lines.contains(&"VERSION:2.0".to_string()));
    assert!(lines.iter().any(|line| line.starts_with("PRODID:")));

    // Ten events: "Days 1-2" is two days, each its own event.
    let events: Vec<&[String]> = lines.split(|line| line == "BEGIN:VEVENT").skip(1).collect();
    assert_eq!(events.len(), 10);
    for (index, event) in events.iter().enumerate() {
        let day = index + 1;
        let field = |name: &str| {
            event
                .iter()
                .find_map(|line| line.strip_prefix(name))
                .unwrap_or_else(|| panic!("day {day} has no {name}"))
                .to_string()
        };
        assert_eq!(
            field("UID:"),
            format!("certprep-professional-day-{day}@certprep")
        );
        assert_eq!(field("DTSTAMP:"), "20261122T000000Z");
        assert!(event.contains(&"END:VEVENT".to_string()));
        // Day 1 is 2026-12-30; day 3 is 2027-01-01; day 10 is 2027-01-08.
        let expected = [
            "20261230", "20261231", "20270101", "20270102", "20270103", "20270104", "20270105",
            "20270106", "20270107", "20270108",
        ][index];
        assert_eq!(field("DTSTART;VALUE=DATE:"), expected);
        assert!(field("SUMMARY:").starts_with(&format!("ML-Pro day {day}/10: ")));
    }
    let first_summary = events[0]
        .iter()
        .find(|l| l.starts_with("SUMMARY:"))
        .unwrap();
    // The topic, with RFC 5545 escapes for ';' and ','.
    assert_eq!(
        first_summary,
        "SUMMARY:ML-Pro day 1/10: Experiment management at scale\\; tracking\\, artifacts\\, and comparisons."
    );
    let last_description = events[9]
        .iter()
        .find(|l| l.starts_with("DESCRIPTION:"))
        .unwrap();
    assert!(
        last_description.starts_with(
            "DESCRIPTION:Sections: Model Deployment\\, Solution and Data Monitoring\\n"
        ),
        "{last_description}"
    );
    assert_eq!(
        events[9].iter().find(|l| l.starts_with("DTEND")).unwrap(),
        "DTEND;VALUE=DATE:20270109"
    );
}

#[test]
fn writes_a_file() {
    let env = Env::new();
    env.walkthrough();
    let file = env.path("plan.ics");
    let message = env.ok(&["plan", "--ics", file.to_str().unwrap()]);
    assert!(
        message.contains("Wrote the 7-day associate plan, from 2026-11-20"),
        "{message}"
    );
    let calendar = std::fs::read_to_string(&file).unwrap();
    assert_eq!(calendar.matches("BEGIN:VEVENT").count(), 7);
    assert_eq!(calendar, env.ok(&["plan", "--ics"]));
}

#[test]
fn needs_a_start_date() {
    let env = Env::new();
    env.usage_error(
        &["-e", "associate", "plan", "--ics"],
        &["no start date", "certprep start associate"],
    );
    env.usage_error(&["-e", "associate", "plan", "--ics", "--json"], &["--json"]);
}

/// A calendar that cannot be written names the path given, never the temporary
/// file beside it (`.x.ics.FqdNA8.tmp`) that certprep writes first.
#[test]
fn a_path_that_cannot_be_written_is_named_as_given() {
    let env = Env::new();
    env.walkthrough();
    let missing = env.path("no-such-folder/x.ics");
    // procfs takes no new files: the temp file's creation itself fails.
    for (path, why) in [
        (
            missing.to_str().unwrap().to_string(),
            format!(
                "there is no folder {}",
                env.path("no-such-folder").display()
            ),
        ),
        (
            "/proc/x.ics".to_string(),
            "No such file or directory (os error 2)".to_string(),
        ),
    ] {
        let output = env.cmd(&["plan", "--ics", &path]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert_eq!(
            stderr,
            format!("certprep: error: cannot write {path}: {why}\n"),
            "{path}"
        );
    }
}

/// A booked exam is one more all-day event (RFC 5545: DTSTART and DTEND as
/// DATE values, DTEND the day after), marked busy, with a UID of its own.
#[test]
fn the_booked_exam_is_an_all_day_event() {
    let env = Env::new();
    env.walkthrough();
    // Not booked: the seven plan days alone.
    let plain = unfold(&env.ok(&["plan", "--ics"]));
    assert_eq!(
        plain.iter().filter(|line| *line == "BEGIN:VEVENT").count(),
        7
    );
    assert!(!plain.iter().any(|line| line.contains("-exam@")));

    env.ok(&["book", "2027-01-15"]);
    let calendar = env.ok(&["plan", "--ics"]);
    for line in calendar.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let lines = unfold(&calendar);
    assert_eq!(lines.last().unwrap(), "END:VCALENDAR");
    let events: Vec<&[String]> = lines
        .split(|line| line == "BEGIN:VEVENT")
        .skip(1)
        .map(|event| {
            let end = event
                .iter()
                .position(|line| line == "END:VEVENT")
                .expect("END:VEVENT");
            &event[..end]
        })
        .collect();
    assert_eq!(events.len(), 8);
    let exam = events[7];
    assert_eq!(
        exam,
        [
            "UID:certprep-associate-exam@certprep",
            "DTSTAMP:20261122T000000Z",
            "DTSTART;VALUE=DATE:20270115",
            "DTEND;VALUE=DATE:20270116",
            "SUMMARY:ML-Assoc exam",
            "DESCRIPTION:Databricks Certified Machine Learning Associate: 48 questions\\, 90 minutes.\\nBooked with: certprep -e associate book YYYY-MM-DD",
            "TRANSP:OPAQUE",
        ]
    );
    // The plan days keep their dates: day 7 is 2026-11-26.
    assert!(events[6].contains(&"DTSTART;VALUE=DATE:20261126".to_string()));
    let file = env.path("plan.ics");
    assert_eq!(
        env.ok(&["plan", "--ics", file.to_str().unwrap()]),
        format!(
            "Wrote the 7-day associate plan, from 2026-11-20, and the exam on 2027-01-15, to {}.\n",
            file.display()
        )
    );
}
