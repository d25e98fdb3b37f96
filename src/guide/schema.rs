//! The guide schema (see "Your own guides" in the README): the types a guide file
//! deserializes into, and what commands ask of a guide. Bundled and user guides
//! share it: `build.rs` includes this file (with its siblings but `mod.rs`) to
//! compile the bundled guides in.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One certification's study guide: the exam, its outline, the checklist and the
/// plan. Progress is keyed by the ids in it, so a newer guide keeps old progress.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    /// Kebab-case key of the guide, in the progress file and on the command line;
    /// equals the guide file's stem.
    pub id: String,
    pub name: String,
    /// A short label for prompts, such as `ML-Assoc`.
    pub short: String,
    /// Other names the command line accepts for the guide.
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
    /// The exam outline, in order; the weights sum to 100.
    pub sections: Vec<Section>,
    /// Courses that prepare for the exam.
    #[serde(default)]
    pub training: Vec<Training>,
    /// Practical work: advice and notebooks to run.
    #[serde(default)]
    pub hands_on: HandsOn,
    /// The things to practise and tick off; never empty.
    pub checklist: Vec<Item>,
    /// How the guide presents its plan, such as "7-day study plan (example)".
    #[serde(default)]
    pub plan_title: Option<String>,
    /// The day-by-day study plan: days run 1..N, with no gap and no overlap.
    #[serde(default)]
    pub plan: Vec<PlanEntry>,
    /// Snippets to keep at hand, such as code skeletons.
    #[serde(default)]
    pub quick_reference: Vec<Reference>,
    /// Steps to take before the exam day, such as booking and a system check.
    #[serde(default)]
    pub getting_ready: Vec<String>,
    /// Pages about the exam itself: the official page, registration, FAQ.
    #[serde(default)]
    pub resources: Vec<Link>,
    /// Product documentation worth reading for the exam.
    #[serde(default)]
    pub docs: Vec<Link>,
    #[serde(default)]
    pub books: Vec<Book>,
    /// How much the rating, the checklist and the plan count in readiness; 0.5, 0.3
    /// and 0.2 when the guide does not say.
    #[serde(default)]
    pub readiness: ComponentWeights,
}

/// The exam itself: its length, pass mark and the practical facts, as the guide's
/// source states them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    pub questions: u32,
    /// Time allowed to sit the exam.
    pub minutes: u32,
    /// The pass mark in percent of the questions, 1..=100, when the guide's source
    /// states one; the forecast's target (see "Practice tests and the forecast" in
    /// the README).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_percent: Option<u8>,
    /// Question format, such as "multiple choice".
    #[serde(default)]
    pub format: Option<String>,
    /// The price as text, currency included, such as "USD 200 (plus taxes)".
    #[serde(default)]
    pub fee: Option<String>,
    /// How the exam is sat, such as "online proctored".
    #[serde(default)]
    pub delivery: Option<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub prerequisites: Option<String>,
    /// How long the certification lasts and how to renew it.
    #[serde(default)]
    pub validity: Option<String>,
    /// Further facts about the exam, one a line.
    #[serde(default)]
    pub notes: Vec<String>,
    /// URL of the exam's official page.
    #[serde(default)]
    pub official_page: Option<String>,
    /// URL of the official exam guide, often a PDF.
    #[serde(default)]
    pub exam_guide: Option<String>,
}

/// One part of the exam outline, with its share of the exam.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Kebab-case key of the section, in the progress file and on the command line.
    pub id: String,
    pub name: String,
    /// Percent of the exam.
    pub weight: u32,
    /// What the section covers, in a sentence or two.
    #[serde(default)]
    pub summary: Option<String>,
}

/// A course that prepares for the exam.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// "Instructor-led", "Self-paced (Academy)", …
    pub format: String,
    pub title: String,
    /// Where to find the course; `None` when the guide gives no link.
    #[serde(default)]
    pub url: Option<String>,
}

/// Practical work for the exam: advice, and notebooks to work through.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandsOn {
    /// Advice on how to practise, one a line.
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub notebooks: Vec<Notebook>,
}

/// A notebook to work through, and what it practises.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notebook {
    /// The notebook's file name, as the guide's source names it.
    pub file: String,
    /// What the notebook practises, such as "EDA and leakage checks".
    pub focus: String,
}

/// A checklist item: one thing to practise, ticked off when done.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Kebab-case key of the item, in the progress file and on the command line.
    pub id: String,
    pub text: String,
    /// Ids of the sections the item trains; at least one.
    pub sections: Vec<String>,
}

/// One step of the study plan: a day or a range of days, and what to study then.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanEntry {
    pub days: DaySpan,
    pub topic: String,
    /// Ids of the sections those days train.
    pub sections: Vec<String>,
}

/// One plan day or an inclusive range of days ("1-2").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DaySpan {
    pub first: u32,
    pub last: u32,
}

impl DaySpan {
    /// Each day of the span, first to last.
    pub fn days(self) -> std::ops::RangeInclusive<u32> {
        self.first..=self.last
    }

    /// Whether `day` falls within the span.
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

/// A quick-reference card: a title and lines to keep at hand, such as code.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub title: String,
    /// Shown as written, one a line.
    pub lines: Vec<String>,
}

/// A titled link to a web page.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// A book worth reading for the exam.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Book {
    pub title: String,
    pub authors: Vec<String>,
    /// Year of publication.
    pub year: u16,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// How much each component counts in a section's readiness (see "Readiness" in the
/// README). The weights are relative: a component a section lacks, such as plan
/// days, drops out and the others share its weight.
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

impl Guide {
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

    /// The section `id`, if the guide has one.
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.section_index(id).map(|index| &self.sections[index])
    }

    /// The name of section `id`, or the id itself for a section the guide does
    /// not have (a plan entry naming one stays readable).
    pub fn section_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.section(id).map_or(id, |section| section.name.as_str())
    }

    /// Where the section `id` stands in the outline (0 for the first).
    pub fn section_index(&self, id: &str) -> Option<usize> {
        self.sections.iter().position(|section| section.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guide::parse_yaml;

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
