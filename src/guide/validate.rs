//! Guide validation (README: Your own guides): parsing a guide's text with the limits of
//! [`super::yaml`], then every rule a guide must keep, each broken one reported
//! with its field and, where it can be found, its line.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::error::{GuideError, Problem};
use super::schema::{DaySpan, Guide};
use super::yaml::parse_yaml;

/// The longest plan a guide may have, in days. Commands walk the plan day by day,
/// so a plan entry `days: "1-4000000000"` must not pass validation.
pub const MAX_PLAN_DAYS: u32 = 1000;

/// The most questions an exam (`assessment.questions`) may have, as many as a
/// practice test may: the forecast's work grows with its square.
pub const MAX_QUESTIONS: u32 = 1000;

/// The largest a readiness component weight may be: the weights are relative, and
/// a bound keeps their sums finite.
pub const MAX_COMPONENT_WEIGHT: f64 = 1000.0;

impl Guide {
    /// Parses and validates a guide. `origin` names the file in errors.
    pub fn from_yaml(text: &str, origin: &str) -> Result<Guide, GuideError> {
        let error = |problems| GuideError {
            origin: origin.to_string(),
            problems,
        };
        if text.trim().is_empty() {
            return Err(error(vec![Problem {
                field: String::new(),
                line: None,
                message: "the file is empty; a guide needs at least id, name, short, assessment, sections and checklist".into(),
            }]));
        }
        let guide: Guide = parse_yaml(text).map_err(|problem| error(vec![problem]))?;
        let problems = guide.problems(text);
        if problems.is_empty() {
            Ok(guide)
        } else {
            Err(error(problems))
        }
    }

    /// Every broken validation rule (README: Your own guides), one group of rules after
    /// another. `text` is the source, used to point at the line of an offending id.
    fn problems(&self, text: &str) -> Vec<Problem> {
        let lines = IdLines::new(text);
        let mut problems = Vec::new();
        let mut report = |field: String, line: Option<usize>, message: String| {
            problems.push(Problem {
                field,
                line,
                message,
            })
        };
        self.check_header(&lines, &mut report);
        check_ids(
            "sections",
            self.sections.iter().map(|section| section.id.as_str()),
            &lines,
            &mut report,
        );
        check_ids(
            "checklist",
            self.checklist.iter().map(|item| item.id.as_str()),
            &lines,
            &mut report,
        );
        self.check_section_weights(&mut report);
        self.check_training(&lines, &mut report);
        self.check_plan_days(&mut report);
        self.check_component_weights(&mut report);
        problems
    }

    /// The guide's own id, its short label, the assessment's bounds and the aliases.
    fn check_header(
        &self,
        lines: &IdLines,
        report: &mut impl FnMut(String, Option<usize>, String),
    ) {
        if let Some(message) = id_problem(&self.id) {
            report("id".into(), lines.of(&self.id, 0), message);
        }
        if self.short.trim().is_empty() {
            report("short".into(), None, "must not be empty".into());
        }
        if self.assessment.questions > MAX_QUESTIONS {
            report(
                "assessment.questions".into(),
                None,
                format!("must be at most {MAX_QUESTIONS}"),
            );
        }
        if let Some(percent) = self.assessment.pass_percent
            && !(1..=100).contains(&percent)
        {
            report(
                "assessment.pass_percent".into(),
                None,
                "must be a whole percent from 1 to 100".into(),
            );
        }
        for (index, alias) in self.aliases.iter().enumerate() {
            if let Some(message) = id_problem(alias) {
                report(format!("aliases[{index}]"), None, message);
            }
        }
    }

    /// At least one section, each weighing a positive percent, all summing to 100.
    fn check_section_weights(&self, report: &mut impl FnMut(String, Option<usize>, String)) {
        if self.sections.is_empty() {
            report(
                "sections".into(),
                None,
                "must list at least one section".into(),
            );
        }
        for (index, section) in self.sections.iter().enumerate() {
            if section.weight == 0 {
                report(
                    format!("sections[{index}].weight"),
                    None,
                    "must be a positive whole percent".into(),
                );
            }
        }
        let total: u64 = self.sections.iter().map(|s| u64::from(s.weight)).sum();
        if !self.sections.is_empty() && total != 100 {
            report(
                "sections".into(),
                None,
                format!("weights sum to {total}, not 100"),
            );
        }
    }

    /// A checklist; every checklist item and plan entry names known sections, at
    /// least one; every section is trained by some item or plan day.
    fn check_training(
        &self,
        lines: &IdLines,
        report: &mut impl FnMut(String, Option<usize>, String),
    ) {
        if self.checklist.is_empty() {
            report("checklist".into(), None, "must not be empty".into());
        }
        let known: BTreeSet<&str> = self.sections.iter().map(|s| s.id.as_str()).collect();
        let mut trained: HashSet<&str> = HashSet::new();
        let references = self
            .checklist
            .iter()
            .enumerate()
            .map(|(index, item)| (format!("checklist[{index}].sections"), &item.sections))
            .chain(
                self.plan
                    .iter()
                    .enumerate()
                    .map(|(index, entry)| (format!("plan[{index}].sections"), &entry.sections)),
            );
        for (field, sections) in references {
            if sections.is_empty() {
                report(field.clone(), None, "must name at least one section".into());
            }
            for section in sections {
                if known.contains(section.as_str()) {
                    trained.insert(section);
                } else {
                    report(
                        field.clone(),
                        None,
                        format!(
                            "unknown section \"{section}\"{}",
                            did_you_mean(section, &known)
                        ),
                    );
                }
            }
        }
        for section in &self.sections {
            if !trained.contains(section.id.as_str()) {
                report(
                    "sections".into(),
                    lines.of(&section.id, 0),
                    format!(
                        "section \"{}\" is trained by no checklist item or plan day",
                        section.id
                    ),
                );
            }
        }
    }

    /// Plan entries follow on from day 1 without gap or overlap, within
    /// [`MAX_PLAN_DAYS`].
    fn check_plan_days(&self, report: &mut impl FnMut(String, Option<usize>, String)) {
        // u64: a last day of u32::MAX must not overflow the next day's number.
        let mut next_day: u64 = 1;
        for (index, entry) in self.plan.iter().enumerate() {
            let DaySpan { first, last } = entry.days;
            let (first, last) = (u64::from(first), u64::from(last));
            if first != next_day || last < first {
                let expected = if next_day == 1 {
                    "the plan must start at day 1".to_string()
                } else {
                    format!("the previous entry ends on day {}", next_day - 1)
                };
                report(
                    format!("plan[{index}].days"),
                    None,
                    format!("{} does not follow on: {expected}", entry.days),
                );
            }
            if last > u64::from(MAX_PLAN_DAYS) && next_day <= u64::from(MAX_PLAN_DAYS) {
                report(
                    format!("plan[{index}].days"),
                    None,
                    format!(
                        "{} runs past day {MAX_PLAN_DAYS}, the longest plan a guide may have",
                        entry.days
                    ),
                );
            }
            next_day = last.max(next_day - 1) + 1;
        }
    }

    /// Readiness component weights: finite, bounded, and rating above 0.
    fn check_component_weights(&self, report: &mut impl FnMut(String, Option<usize>, String)) {
        let weights = self.readiness;
        let weights_ok = [weights.rating, weights.checklist, weights.plan]
            .iter()
            .all(|weight| (0.0..=MAX_COMPONENT_WEIGHT).contains(weight))
            && weights.rating > 0.0;
        if !weights_ok {
            report(
                "readiness".into(),
                None,
                format!(
                    "component weights must be numbers from 0 to {MAX_COMPONENT_WEIGHT}, with rating above 0"
                ),
            );
        }
    }
}

/// Whether `id` is kebab-case: lowercase letters, digits and single dashes,
/// starting with a letter.
pub fn is_valid_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Why `id` is not a valid kebab-case id, if it is not.
fn id_problem(id: &str) -> Option<String> {
    (!is_valid_id(id)).then(|| {
        format!("\"{id}\" is not a kebab-case id (lowercase letters, digits and single dashes, starting with a letter)")
    })
}

fn check_ids<'a>(
    list: &str,
    ids: impl Iterator<Item = &'a str>,
    lines: &IdLines,
    report: &mut impl FnMut(String, Option<usize>, String),
) {
    // The how-manieth time each id has come up so far.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, id) in ids.enumerate() {
        let count = seen.entry(id).or_default();
        if let Some(message) = id_problem(id) {
            report(format!("{list}[{index}].id"), lines.of(id, *count), message);
        }
        if *count > 0 {
            report(
                format!("{list}[{index}].id"),
                lines.of(id, *count),
                format!("duplicate id \"{id}\""),
            );
        }
        *count += 1;
    }
}

/// The id on a source line of the form `id: <id>` (or `- id: <id>`), if it is one.
fn id_on_line(line: &str) -> Option<&str> {
    let line = line.trim_start().trim_start_matches("- ");
    line.strip_prefix("id:").map(|value| {
        // Leave out a trailing comment: `id: aws-ml  # the file stem`.
        let value = value.split(" #").next().unwrap_or_default();
        value.trim().trim_matches(|c| c == '"' || c == '\'')
    })
}

/// The 1-based line of the `skip`-th `id: <id>` in the source, a best effort for
/// errors that serde cannot place.
pub fn line_of_id(text: &str, id: &str, skip: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| id_on_line(line) == Some(id))
        .nth(skip)
        .map(|(index, _)| index + 1)
}

/// [`line_of_id`] for every id at once: one pass over the source, so that a guide
/// with thousands of bad ids is checked in linear time, not quadratic.
struct IdLines<'a>(HashMap<&'a str, Vec<usize>>);

impl<'a> IdLines<'a> {
    fn new(text: &'a str) -> Self {
        let mut lines: HashMap<&str, Vec<usize>> = HashMap::new();
        for (index, line) in text.lines().enumerate() {
            if let Some(id) = id_on_line(line) {
                lines.entry(id).or_default().push(index + 1);
            }
        }
        IdLines(lines)
    }

    /// The line of the `skip`-th `id: <id>`.
    fn of(&self, id: &str, skip: usize) -> Option<usize> {
        self.0.get(id)?.get(skip).copied()
    }
}

/// ` (did you mean "x"?)` with the known names [close](crate::suggest::close) to
/// `name`, else empty.
fn did_you_mean(name: &str, known: &BTreeSet<&str>) -> String {
    let known: Vec<&str> = known.iter().copied().collect();
    let close: Vec<String> = crate::suggest::close(name, &known)
        .iter()
        .map(|id| format!("\"{id}\""))
        .collect();
    if close.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", close.join(" or "))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::guide::ComponentWeights;

    /// Line numbers: `- id: beta` is line 11, `- id: second` line 18.
    pub(crate) const VALID: &str = "id: demo
name: Demo certification
short: Demo
assessment:
  questions: 10
  minutes: 30
sections:
  - id: alpha
    name: Alpha
    weight: 60
  - id: beta
    name: Beta
    weight: 40
checklist:
  - id: first
    text: First skill
    sections: [alpha]
  - id: second
    text: Second skill
    sections: [beta]
plan:
  - days: 1
    topic: Day one
    sections: [alpha]
  - days: \"2-3\"
    topic: Days two and three
    sections: [alpha, beta]
";

    fn problems(text: &str) -> Vec<Problem> {
        match Guide::from_yaml(text, "demo.yaml") {
            Ok(_) => Vec::new(),
            Err(error) => error.problems,
        }
    }

    /// The first problem whose field and message contain the given parts.
    fn has(problems: &[Problem], field: &str, message: &str, line: Option<usize>) -> bool {
        problems.iter().any(|problem| {
            problem.field == field && problem.message.contains(message) && problem.line == line
        })
    }

    #[test]
    fn valid_guide_loads() {
        // The most questions and a pass mark are fine.
        let most = VALID.replace("questions: 10", "questions: 1000\n  pass_percent: 72");
        let guide = Guide::from_yaml(&most, "demo.yaml").unwrap();
        assert_eq!(guide.assessment.questions, 1000);
        assert_eq!(guide.assessment.pass_percent, Some(72));
        let guide = Guide::from_yaml(VALID, "demo.yaml").unwrap();
        assert_eq!(guide.assessment.pass_percent, None);
        assert_eq!(guide.plan_days(), 3);
        assert_eq!(guide.plan_entry(3).unwrap().topic, "Days two and three");
        assert_eq!(guide.readiness, ComponentWeights::default());
    }

    #[test]
    fn each_rule_is_reported() {
        let cases: [(&str, &str, &str, &str, Option<usize>); 12] = [
            // (replace, with, field, message part, line)
            (
                "questions: 10",
                "questions: 1001",
                "assessment.questions",
                "at most 1000",
                None,
            ),
            (
                "minutes: 30",
                "minutes: 30\n  pass_percent: 0",
                "assessment.pass_percent",
                "from 1 to 100",
                None,
            ),
            (
                "minutes: 30",
                "minutes: 30\n  pass_percent: 101",
                "assessment.pass_percent",
                "from 1 to 100",
                None,
            ),
            ("weight: 40", "weight: 30", "sections", "sum to 90", None),
            (
                "weight: 40",
                "weight: 0",
                "sections[1].weight",
                "positive",
                None,
            ),
            (
                "id: second",
                "id: first",
                "checklist[1].id",
                "duplicate id \"first\"",
                Some(18),
            ),
            (
                "id: beta",
                "id: Beta_2",
                "sections[1].id",
                "kebab-case",
                Some(11),
            ),
            (
                "sections: [beta]",
                "sections: [betta]",
                "checklist[1].sections",
                "did you mean \"beta\"",
                None,
            ),
            (
                "days: \"2-3\"",
                "days: \"3-4\"",
                "plan[1].days",
                "previous entry ends on day 1",
                None,
            ),
            (
                "days: \"2-3\"",
                "days: 1",
                "plan[1].days",
                "does not follow on",
                None,
            ),
            (
                "days: 1\n",
                "days: 2\n",
                "plan[0].days",
                "must start at day 1",
                None,
            ),
            (
                "sections: [alpha, beta]",
                "sections: []",
                "plan[1].sections",
                "at least one",
                None,
            ),
        ];
        for (from, to, field, message, line) in cases {
            assert!(VALID.contains(from), "{from}");
            let found = problems(&VALID.replacen(from, to, 1));
            assert!(has(&found, field, message, line), "{to}: {found:#?}");
        }
    }

    #[test]
    fn every_section_must_be_trained() {
        let text = VALID
            .replace("sections: [beta]", "sections: [alpha]")
            .replace("sections: [alpha, beta]", "sections: [alpha]");
        let found = problems(&text);
        assert!(
            has(&found, "sections", "\"beta\" is trained by no", Some(11)),
            "{found:#?}"
        );
    }

    #[test]
    fn empty_checklist_is_invalid() {
        let text = VALID.split("checklist:").next().unwrap().to_string() + "checklist: []\n";
        assert!(has(
            &problems(&text),
            "checklist",
            "must not be empty",
            None
        ));
    }

    #[test]
    fn parse_errors_carry_the_line() {
        // Line 6 holds a string where a number belongs.
        let found = problems(&VALID.replace("minutes: 30", "minutes: thirty"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, Some(6));
        // An unknown key (a typo) is refused, not silently dropped.
        let found = problems(&VALID.replace("short: Demo", "shrot: Demo"));
        assert!(found[0].message.contains("shrot"), "{found:?}");
        assert_eq!(found[0].line, Some(3));
    }

    #[test]
    fn error_display_names_file_line_and_field() {
        let error =
            Guide::from_yaml(&VALID.replace("id: second", "id: first"), "demo.yaml").unwrap_err();
        assert_eq!(
            error.to_string(),
            "demo.yaml:18: checklist[1].id: duplicate id \"first\""
        );
    }

    #[test]
    fn plans_are_bounded_and_day_numbers_do_not_overflow() {
        let plan = |days: &str| VALID.replace("days: \"2-3\"", &format!("days: \"{days}\""));
        assert!(problems(&plan("2-1000")).is_empty());
        let found = problems(&plan("2-1001"));
        assert!(
            has(&found, "plan[1].days", "past day 1000", None),
            "{found:#?}"
        );
        // The last possible day, followed by one more entry.
        let text = plan("2-4294967295") + "  - days: 5\n    topic: Later\n    sections: [beta]\n";
        let found = problems(&text);
        assert!(
            has(&found, "plan[1].days", "past day 1000", None),
            "{found:#?}"
        );
        assert!(
            has(&found, "plan[2].days", "ends on day 4294967295", None),
            "{found:#?}"
        );
    }

    #[test]
    fn component_weights_are_bounded() {
        for (weights, ok) in [
            ("{rating: 1000, checklist: 0, plan: 0}", true),
            ("{rating: 1e308, checklist: 1e308, plan: 1e308}", false),
            ("{rating: .nan, checklist: 0.3, plan: 0.2}", false),
            ("{rating: 0, checklist: 0.3, plan: 0.2}", false),
        ] {
            let found = problems(&format!("{VALID}readiness: {weights}\n"));
            assert_eq!(found.is_empty(), ok, "{weights}: {found:#?}");
        }
    }

    #[test]
    fn an_empty_document_says_so() {
        for text in ["", "\n  \n"] {
            let found = problems(text);
            assert_eq!(found.len(), 1);
            assert!(found[0].message.contains("empty"), "{found:?}");
        }
    }
}
