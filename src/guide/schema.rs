//! The guide schema (DESIGN section 1): the types a guide file deserializes into,
//! and what commands ask of a guide. Bundled and user guides share it: `build.rs`
//! includes this file (with its siblings but `mod.rs`) to compile the bundled
//! guides in.

use std::fmt;

use serde::{Deserialize, Serialize};

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
    /// The pass mark in percent of the questions, 1..=100, when the guide's source
    /// states one; the forecast's target (DESIGN section 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_percent: Option<u8>,
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

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.section_index(id).map(|index| &self.sections[index])
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
