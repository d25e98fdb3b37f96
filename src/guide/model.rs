//! The guide model, its one YAML parser call, and validation (DESIGN section 1).
//!
//! This file is self-contained (serde, serde_yaml and std only): `build.rs` includes
//! it to parse and validate the bundled guides at build time, so a broken data file
//! fails the build and the binary never parses YAML for a bundled guide.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The only place that names serde_yaml: swapping to a maintained fork is a
/// one-line change here.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Problem> {
    serde_yaml::from_str(text).map_err(|error| Problem {
        field: String::new(),
        line: error.location().map(|location| location.line()),
        message: error.to_string(),
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    pub id: String,
    pub name: String,
    /// A short label for prompts, such as `ML-Assoc`.
    pub short: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Where the guide's content comes from.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(default)]
    pub goal: Option<String>,
    #[serde(default)]
    pub audience: Option<String>,
    pub assessment: Assessment,
    pub sections: Vec<Section>,
    #[serde(default)]
    pub training: Vec<Training>,
    #[serde(default)]
    pub hands_on: HandsOn,
    pub checklist: Vec<Item>,
    /// How the guide presents its plan, such as "7-day study plan (example)".
    #[serde(default)]
    pub plan_title: Option<String>,
    #[serde(default)]
    pub plan: Vec<PlanEntry>,
    #[serde(default)]
    pub quick_reference: Vec<Reference>,
    #[serde(default)]
    pub getting_ready: Vec<String>,
    #[serde(default)]
    pub resources: Vec<Link>,
    #[serde(default)]
    pub docs: Vec<Link>,
    #[serde(default)]
    pub books: Vec<Book>,
    #[serde(default)]
    pub readiness: ComponentWeights,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    pub questions: u32,
    pub minutes: u32,
    /// Question format, such as "multiple choice".
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub fee: Option<String>,
    #[serde(default)]
    pub delivery: Option<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub prerequisites: Option<String>,
    #[serde(default)]
    pub validity: Option<String>,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub official_page: Option<String>,
    #[serde(default)]
    pub exam_guide: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub name: String,
    /// Percent of the exam.
    pub weight: u32,
    #[serde(default)]
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// "Instructor-led", "Self-paced (Academy)", …
    pub format: String,
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandsOn {
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub notebooks: Vec<Notebook>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notebook {
    pub file: String,
    pub focus: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub text: String,
    pub sections: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanEntry {
    pub days: DaySpan,
    pub topic: String,
    pub sections: Vec<String>,
}

/// One plan day or an inclusive range of days ("1-2").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DaySpan {
    pub first: u32,
    pub last: u32,
}

impl DaySpan {
    pub fn days(self) -> std::ops::RangeInclusive<u32> {
        self.first..=self.last
    }

    pub fn contains(self, day: u32) -> bool {
        self.days().contains(&day)
    }
}

impl fmt::Display for DaySpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "Day {}", self.first)
        } else {
            write!(f, "Days {}-{}", self.first, self.last)
        }
    }
}

/// Written back the way it is read: `1`, or `"1-2"` for a range.
impl Serialize for DaySpan {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.first == self.last {
            serializer.serialize_u32(self.first)
        } else {
            serializer.serialize_str(&format!("{}-{}", self.first, self.last))
        }
    }
}

impl<'de> Deserialize<'de> for DaySpan {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Day(u32),
            Range(String),
        }
        let invalid =
            || serde::de::Error::custom("days must be a day number or a range like \"1-2\"");
        match Raw::deserialize(deserializer).map_err(|_| invalid())? {
            Raw::Day(day) => Ok(DaySpan {
                first: day,
                last: day,
            }),
            Raw::Range(text) => {
                // Accept the en dash the study guides use ("1–2") as well as "1-2".
                let (first, last) = text.split_once(['-', '–']).ok_or_else(invalid)?;
                let parse = |part: &str| part.trim().parse::<u32>().map_err(|_| invalid());
                Ok(DaySpan {
                    first: parse(first)?,
                    last: parse(last)?,
                })
            }
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub title: String,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Book {
    pub title: String,
    pub authors: Vec<String>,
    pub year: u16,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// How much each component counts in a section's readiness (DESIGN section 5).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentWeights {
    pub rating: f64,
    pub checklist: f64,
    pub plan: f64,
}

impl Default for ComponentWeights {
    fn default() -> Self {
        ComponentWeights {
            rating: 0.5,
            checklist: 0.3,
            plan: 0.2,
        }
    }
}

/// One thing wrong with a guide file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Where in the document, such as `checklist[2].sections`; empty for the whole file.
    pub field: String,
    /// 1-based line, where the parser knows it.
    pub line: Option<usize>,
    pub message: String,
}

/// A guide file that does not parse or breaks a validation rule.
#[derive(Debug)]
pub struct GuideError {
    pub origin: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for GuideError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", self.origin)?;
            if let Some(line) = problem.line {
                write!(f, ":{line}")?;
            }
            if !problem.field.is_empty() {
                write!(f, ": {}", problem.field)?;
            }
            write!(f, ": {}", problem.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for GuideError {}

impl Guide {
    /// Parses and validates a guide. `origin` names the file in errors.
    pub fn from_yaml(text: &str, origin: &str) -> Result<Guide, GuideError> {
        let error = |problems| GuideError {
            origin: origin.to_string(),
            problems,
        };
        let guide: Guide = parse_yaml(text).map_err(|problem| error(vec![problem]))?;
        let problems = guide.problems(text);
        if problems.is_empty() {
            Ok(guide)
        } else {
            Err(error(problems))
        }
    }

    /// Total number of plan days (the last day of the last entry).
    pub fn plan_days(&self) -> u32 {
        self.plan
            .iter()
            .map(|entry| entry.days.last)
            .max()
            .unwrap_or(0)
    }

    /// The plan entry covering `day`, if any.
    pub fn plan_entry(&self, day: u32) -> Option<&PlanEntry> {
        self.plan.iter().find(|entry| entry.days.contains(day))
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|section| section.id == id)
    }

    /// Every broken validation rule (DESIGN section 1). `text` is the source, used
    /// to point at the line of an offending id.
    fn problems(&self, text: &str) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut report = |field: String, line: Option<usize>, message: String| {
            problems.push(Problem {
                field,
                line,
                message,
            })
        };

        if let Some(message) = id_problem(&self.id) {
            report("id".into(), line_of_id(text, &self.id, 0), message);
        }
        if self.short.trim().is_empty() {
            report("short".into(), None, "must not be empty".into());
        }
        for (index, alias) in self.aliases.iter().enumerate() {
            if let Some(message) = id_problem(alias) {
                report(format!("aliases[{index}]"), None, message);
            }
        }

        check_ids(
            "sections",
            self.sections.iter().map(|section| section.id.as_str()),
            text,
            &mut report,
        );
        check_ids(
            "checklist",
            self.checklist.iter().map(|item| item.id.as_str()),
            text,
            &mut report,
        );

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

        if self.checklist.is_empty() {
            report("checklist".into(), None, "must not be empty".into());
        }
        let known: HashSet<&str> = self.sections.iter().map(|s| s.id.as_str()).collect();
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
                    line_of_id(text, &section.id, 0),
                    format!(
                        "section \"{}\" is trained by no checklist item or plan day",
                        section.id
                    ),
                );
            }
        }

        let mut next_day = 1;
        for (index, entry) in self.plan.iter().enumerate() {
            let DaySpan { first, last } = entry.days;
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
            next_day = last.max(next_day - 1) + 1;
        }

        let weights = self.readiness;
        let weights_ok = [weights.rating, weights.checklist, weights.plan]
            .iter()
            .all(|weight| weight.is_finite() && *weight >= 0.0)
            && weights.rating > 0.0;
        if !weights_ok {
            report(
                "readiness".into(),
                None,
                "component weights must be non-negative numbers, with rating above 0".into(),
            );
        }
        problems
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
    text: &str,
    report: &mut impl FnMut(String, Option<usize>, String),
) {
    let mut seen: HashSet<&str> = HashSet::new();
    for (index, id) in ids.enumerate() {
        if let Some(message) = id_problem(id) {
            report(
                format!("{list}[{index}].id"),
                line_of_id(text, id, 0),
                message,
            );
        }
        if !seen.insert(id) {
            report(
                format!("{list}[{index}].id"),
                line_of_id(text, id, 1),
                format!("duplicate id \"{id}\""),
            );
        }
    }
}

/// The 1-based line of the `skip`-th `id: <id>` in the source, a best effort for
/// errors that serde cannot place.
pub fn line_of_id(text: &str, id: &str, skip: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim_start().trim_start_matches("- ");
            line.strip_prefix("id:").is_some_and(|value| {
                // Leave out a trailing comment: `id: aws-ml  # the file stem`.
                let value = value.split(" #").next().unwrap_or_default();
                value.trim().trim_matches(|c| c == '"' || c == '\'') == id
            })
        })
        .nth(skip)
        .map(|(index, _)| index + 1)
}

/// ` (did you mean "x"?)` when a known name starts like `name`, else empty.
fn did_you_mean(name: &str, known: &HashSet<&str>) -> String {
    let stem: String = name.chars().take(3).collect();
    let mut close: Vec<&&str> = known.iter().filter(|id| id.starts_with(&stem)).collect();
    close.sort();
    match close.first() {
        Some(id) => format!(" (did you mean \"{id}\"?)"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line numbers: `- id: beta` is line 11, `- id: second` line 18.
    const VALID: &str = "id: demo
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
        let guide = Guide::from_yaml(VALID, "demo.yaml").unwrap();
        assert_eq!(guide.plan_days(), 3);
        assert_eq!(guide.plan_entry(3).unwrap().topic, "Days two and three");
        assert_eq!(guide.readiness, ComponentWeights::default());
    }

    #[test]
    fn each_rule_is_reported() {
        let cases: [(&str, &str, &str, &str, Option<usize>); 9] = [
            // (replace, with, field, message part, line)
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
    fn day_spans_accept_numbers_and_ranges() {
        for (text, first, last) in [("1", 1, 1), ("\"1-2\"", 1, 2), ("\"9–10\"", 9, 10)] {
            let span: DaySpan = parse_yaml(text).unwrap();
            assert_eq!(span, DaySpan { first, last }, "{text}");
        }
        for bad in ["\"1-\"", "\"x\"", "-1", "[1, 2]"] {
            assert!(parse_yaml::<DaySpan>(bad).is_err(), "{bad}");
        }
    }
}
