//! The guide model, its one YAML parsing function, and validation (DESIGN section 1).
//!
//! This file is self-contained (serde, serde_yaml and std only): `build.rs` includes
//! it to parse and validate the bundled guides at build time, so a broken data file
//! fails the build and the binary never parses YAML for a bundled guide.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

/// The deepest a guide's flow collections (`[...]`, `{...}`) may nest: 32. The
/// guide schema itself nests 4 levels (guide, `checklist`, item, `sections`), so
/// a deeper document can never be a valid guide. libyaml scans a whole document
/// before serde_yaml's recursion limit (128 levels) can refuse it, in time that
/// grows with depth × length: 40 000 nested `{a: ` take 8 s in a release build,
/// and the 250 000 that fit in 1 MiB would take minutes. So [`parse_yaml`]
/// counts the nesting first, in one linear pass, and refuses deeper documents
/// before libyaml sees them. At 32 levels, 1 MiB of flow content parses in about
/// 1 s in a debug build.
pub const MAX_NESTING: usize = 32;

/// The most values (scalars, sequences and mappings) a guide may expand to once
/// its aliases (`*name`) are replaced by what their anchors (`&name`) name: 2^20.
/// A 1 MiB guide without aliases holds at most about 500 000 values (`[a,a,…]`).
/// Together with [`MAX_EXPANDED_TEXT`] this defeats alias bombs: nested anchors
/// that multiply at every level ("billion laughs"), or one 400 KiB string
/// repeated 150 000 times (860 KB on disk), which serde_yaml's own repetition
/// limit lets through and which would allocate 60 GB.
pub const MAX_EXPANDED_VALUES: usize = 1 << 20;

/// The most scalar text, in bytes, a guide may expand to: 8 MiB (see
/// [`MAX_EXPANDED_VALUES`]).
pub const MAX_EXPANDED_TEXT: usize = 8 << 20;

/// The longest plan a guide may have, in days. Commands walk the plan day by day,
/// so a plan entry `days: "1-4000000000"` must not pass validation.
pub const MAX_PLAN_DAYS: u32 = 1000;

/// The most questions an exam (`assessment.questions`) may have, as many as a
/// practice test may: the forecast's work grows with its square.
pub const MAX_QUESTIONS: u32 = 1000;

/// The largest a readiness component weight may be: the weights are relative, and
/// a bound keeps their sums finite.
pub const MAX_COMPONENT_WEIGHT: f64 = 1000.0;

/// The only function that names serde_yaml (tests aside): swapping to a
/// maintained fork is a change here alone.
///
/// Hostile input is refused before or while it is parsed, so that every input
/// ends in a value or a [`Problem`] in bounded time and memory: nesting deeper than
/// [`MAX_NESTING`] (checked first), and, in a document that defines anchors, an
/// expansion beyond [`MAX_EXPANDED_VALUES`] or [`MAX_EXPANDED_TEXT`] (counted in
/// a first pass that allocates nothing per value). serde_yaml itself stops at 128
/// levels of recursion and at 100 alias jumps per event, with an error.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Problem> {
    let problem = |error: serde_yaml::Error| {
        let mut message = error.to_string();
        // serde_yaml's own limits, said in the guide's terms.
        if message.starts_with("recursion limit exceeded") {
            message = "values nest more than 128 levels deep (serde_yaml's recursion limit); a guide nests 4 levels at most".into();
        } else if message.starts_with("repetition limit exceeded") {
            message = "aliases (*name) repeat their anchors (&name) too often (serde_yaml's repetition limit)".into();
        }
        Problem {
            field: String::new(),
            line: error.location().map(|location| location.line()),
            message,
        }
    };
    if let Some(line) = nesting_exceeded(text, MAX_NESTING) {
        return Err(Problem {
            field: String::new(),
            line: Some(line),
            message: format!(
                "brackets nest more than {MAX_NESTING} levels deep here; a guide nests 4 levels at most"
            ),
        });
    }
    // Without an `&` there is no anchor, so no alias can expand to anything.
    if text.contains('&') {
        let mut expansion = Expansion::default();
        let counted = serde::de::DeserializeSeed::deserialize(
            Count(&mut expansion),
            serde_yaml::Deserializer::from_str(text),
        );
        // Any other error, the typed parse below reports as precisely.
        if let (Err(error), true) = (counted, expansion.exceeded) {
            return Err(Problem {
                message: format!(
                    "the document expands to more than {MAX_EXPANDED_VALUES} values or {} MiB of text once its aliases (*name) are replaced by their anchors (&name); a guide needs far less",
                    MAX_EXPANDED_TEXT >> 20
                ),
                ..problem(error)
            });
        }
    }
    serde_yaml::from_str(text).map_err(problem)
}

/// The line on which `text`'s flow collections first nest deeper than `limit`, by
/// a linear, YAML-aware scan: brackets count inside flow collections and where a
/// block-context value starts, not in quoted strings, plain scalars, comments or
/// block scalars (`|`, `>`). It follows the YAML lexer closely enough that a real
/// guide's count is exact; a crafted file could hide brackets from it, and would
/// then merely be slow to parse (serde_yaml still refuses it at 128 levels).
fn nesting_exceeded(text: &str, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let at = |index: usize| bytes.get(index).copied().unwrap_or(b'\n');
    let blank = |byte: u8| matches!(byte, b' ' | b'\t' | b'\r' | b'\n');
    let mut depth = 0usize;
    let mut line = 1usize;
    let mut index = 0usize;
    // Inside a plain (unquoted) scalar, where brackets and quotes are text.
    let mut plain = false;
    while index < bytes.len() {
        let byte = bytes[index];
        let previous = if index == 0 { b'\n' } else { bytes[index - 1] };
        let flow = depth > 0;
        match byte {
            b'\n' => {
                line += 1;
                // A plain scalar ends at the line's end, except inside a flow collection.
                plain &= flow;
            }
            b' ' | b'\t' | b'\r' => {}
            b'#' if blank(previous) => {
                // A comment, up to the end of the line.
                while index < bytes.len() && bytes[index] != b'\n' {
                    index += 1;
                }
                continue;
            }
            // A mapping's `:`; in a flow collection also right after a quoted key
            // (`{"a":"b"}`) or before a bracket or comma.
            b':' if blank(at(index + 1))
                || (flow && (!plain || b",[]{}".contains(&at(index + 1)))) =>
            {
                plain = false;
            }
            b',' | b'[' | b']' | b'{' | b'}' if flow => {
                plain = false;
                match byte {
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => depth -= 1,
                    _ => {}
                }
            }
            _ if plain => {}
            b'[' | b'{' => depth += 1,
            b'-' | b'?' if blank(at(index + 1)) => {}
            b'&' | b'*' | b'!' => {
                // An anchor, alias or tag: a word that does not start a scalar.
                while index < bytes.len()
                    && !blank(bytes[index])
                    && !b",[]{}".contains(&bytes[index])
                {
                    index += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                // A quoted scalar: `\"` escapes in double quotes, `''` in single ones.
                index += 1;
                while index < bytes.len() {
                    match bytes[index] {
                        b'\\' if byte == b'"' => index += 1,
                        b'\'' if byte == b'\'' && at(index + 1) == b'\'' => index += 1,
                        quote if quote == byte => break,
                        _ => {}
                    }
                    line += usize::from(bytes.get(index) == Some(&b'\n'));
                    index += 1;
                }
            }
            b'|' | b'>' if !flow => {
                // A block scalar: every following line indented deeper than the
                // line that introduces it, or blank, is its text.
                let start = text[..index].rfind('\n').map_or(0, |newline| newline + 1);
                let indent = bytes[start..].iter().take_while(|&&b| b == b' ').count();
                while index < bytes.len() && bytes[index] != b'\n' {
                    index += 1;
                }
                while index < bytes.len() {
                    let next = &bytes[index + 1..];
                    let spaces = next.iter().take_while(|&&b| b == b' ').count();
                    let rest = &next[spaces..];
                    let is_blank = rest.first().is_none_or(|&b| b == b'\n' || b == b'\r');
                    if next.is_empty() || !(is_blank || spaces > indent) {
                        break;
                    }
                    line += 1;
                    index += 1 + next.iter().position(|&b| b == b'\n').unwrap_or(next.len());
                }
                continue;
            }
            _ => plain = true,
        }
        if depth > limit {
            return Some(line);
        }
        index += 1;
    }
    None
}

/// How much of a document [`Count`] has seen.
#[derive(Default)]
struct Expansion {
    values: usize,
    text: usize,
    exceeded: bool,
}

/// Visits every value of a document, aliases expanded, allocating nothing per
/// value, and fails once it has seen more than the expansion limits allow.
struct Count<'a>(&'a mut Expansion);

impl Count<'_> {
    fn add<E: serde::de::Error>(&mut self, text: usize) -> Result<(), E> {
        let expansion = &mut *self.0;
        expansion.values += 1;
        expansion.text = expansion.text.saturating_add(text);
        expansion.exceeded =
            expansion.values > MAX_EXPANDED_VALUES || expansion.text > MAX_EXPANDED_TEXT;
        if expansion.exceeded {
            Err(E::custom("the document expands too far"))
        } else {
            Ok(())
        }
    }

    fn again(&mut self) -> Count<'_> {
        Count(&mut *self.0)
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Count<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Count<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: serde::de::Error>(mut self, _: bool) -> Result<(), E> {
        self.add(0)
    }

    fn visit_i64<E: serde::de::Error>(mut self, _: i64) -> Result<(), E> {
        self.add(0)
    }

    fn visit_i128<E: serde::de::Error>(mut self, _: i128) -> Result<(), E> {
        self.add(0)
    }

    fn visit_u64<E: serde::de::Error>(mut self, _: u64) -> Result<(), E> {
        self.add(0)
    }

    fn visit_u128<E: serde::de::Error>(mut self, _: u128) -> Result<(), E> {
        self.add(0)
    }

    fn visit_f64<E: serde::de::Error>(mut self, _: f64) -> Result<(), E> {
        self.add(0)
    }

    fn visit_str<E: serde::de::Error>(mut self, value: &str) -> Result<(), E> {
        self.add(value.len())
    }

    fn visit_bytes<E: serde::de::Error>(mut self, value: &[u8]) -> Result<(), E> {
        self.add(value.len())
    }

    fn visit_unit<E: serde::de::Error>(mut self) -> Result<(), E> {
        self.add(0)
    }

    fn visit_none<E: serde::de::Error>(mut self) -> Result<(), E> {
        self.add(0)
    }

    fn visit_some<D: serde::Deserializer<'de>>(mut self, inner: D) -> Result<(), D::Error> {
        self.add(0)?;
        serde::de::DeserializeSeed::deserialize(self, inner)
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(
        mut self,
        inner: D,
    ) -> Result<(), D::Error> {
        self.add(0)?;
        serde::de::DeserializeSeed::deserialize(self, inner)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        self.add(0)?;
        while seq.next_element_seed(self.again())?.is_some() {}
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.add(0)?;
        while map.next_key_seed(self.again())?.is_some() {
            map.next_value_seed(self.again())?;
        }
        Ok(())
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(mut self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!tag value`): the tag, then the value.
        use serde::de::VariantAccess;
        self.add(0)?;
        let ((), variant) = data.variant_seed(self.again())?;
        variant.newtype_variant_seed(self)
    }
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

/// The most problems a [`GuideError`] prints, one a line; the rest are counted.
pub const SHOWN_PROBLEMS: usize = 20;

impl fmt::Display for GuideError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.problems.iter().take(SHOWN_PROBLEMS).enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write_clean(f, &self.origin)?;
            if let Some(line) = problem.line {
                write!(f, ":{line}")?;
            }
            if !problem.field.is_empty() {
                f.write_str(": ")?;
                write_clean(f, &problem.field)?;
            }
            f.write_str(": ")?;
            write_clean(f, &problem.message)?;
        }
        if let Some(more) = self
            .problems
            .len()
            .checked_sub(SHOWN_PROBLEMS)
            .filter(|&n| n > 0)
        {
            writeln!(f)?;
            write_clean(f, &self.origin)?;
            let s = if more == 1 { "" } else { "s" };
            write!(f, ": and {more} more problem{s} (fix these first)")?;
        }
        Ok(())
    }
}

impl std::error::Error for GuideError {}

/// The longest piece of a problem line [`write_clean`] prints, in characters: a
/// message can quote a whole scalar of the file.
pub const SHOWN_CHARS: usize = 300;

/// Writes text from a guide file on one line and safe for a terminal: control
/// characters (a newline, an escape sequence) escaped, cut after [`SHOWN_CHARS`]
/// characters.
fn write_clean(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    for (index, c) in text.chars().enumerate() {
        if index == SHOWN_CHARS {
            return f.write_str("…");
        }
        if c.is_control() {
            write!(f, "{}", c.escape_default())?;
        } else {
            write!(f, "{c}")?;
        }
    }
    Ok(())
}

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
        let lines = IdLines::new(text);
        let mut problems = Vec::new();
        let mut report = |field: String, line: Option<usize>, message: String| {
            problems.push(Problem {
                field,
                line,
                message,
            })
        };

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
    fn nesting_is_counted_as_yaml_counts_it() {
        // The bundled guides nest flow collections one level deep (`sections: [a]`).
        for text in [
            include_str!("../../data/associate.yaml"),
            include_str!("../../data/professional.yaml"),
        ] {
            assert!(nesting_exceeded(text, 0).is_some());
            assert_eq!(nesting_exceeded(text, 1), None);
        }
        let deep = |open: &str, close: &str| {
            format!("a: 1\nb: {}1{}\n", open.repeat(20), close.repeat(20))
        };
        // Flow collections, however written, are counted; the line is the one
        // where the limit is passed. (levels per repetition, opening, closing)
        for (levels, open, close) in [
            (1, "[", "]"),
            (1, "{a: ", "}"),
            (2, "[{a: ", "}]"),
            (2, "{\"a\":[", "]}"),
            // A quoted closing bracket closes nothing.
            (1, "{a: \"}\", b: ", "}"),
            (1, "['];', ", "]"),
        ] {
            let text = deep(open, close);
            assert_eq!(nesting_exceeded(&text, 20 * levels - 1), Some(2), "{text}");
            assert_eq!(nesting_exceeded(&text, 20 * levels), None, "{text}");
        }
        assert_eq!(nesting_exceeded(&"[\n".repeat(33), 32), Some(33));
        // Brackets that are text are not: in quotes, plain scalars, comments and
        // block scalars, even unbalanced.
        let many = "[{".repeat(40);
        for text in [
            format!("a: \"{many}\"\nb: '{many}'\n"),
            format!("a: x {many}\nb: it's {many}\n"),
            format!("a: 1 # {many}\n# {many}\n"),
            format!("a: |\n  {many}\n\n  {many}\nb: >-\n    {many}\n"),
            format!("- |\n  {many}\n- [x]\n"),
            format!("a: [\"{many}\", '{many}', x # {many}\n  ]\n"),
        ] {
            assert_eq!(nesting_exceeded(&text, 2), None, "{text}");
        }
        // After a block scalar, brackets count again.
        let after = format!("a: |\n  text\nb: {}1{}\n", "[".repeat(3), "]".repeat(3));
        assert_eq!(nesting_exceeded(&after, 2), Some(3));
    }

    /// The flow nesting [`nesting_exceeded`] sees in `text`.
    fn scanned_depth(text: &str) -> usize {
        (0..)
            .find(|&limit| nesting_exceeded(text, limit).is_none())
            .unwrap()
    }

    /// A pseudo-random value built from awkward strings (brackets, quotes,
    /// comment and block-scalar indicators, newlines), and its nesting depth.
    fn awkward_value(seed: &mut u64, depth: usize) -> (serde_json::Value, usize) {
        const PIECES: [&str; 16] = [
            "[", "]", "{", "}", "\"", "'", "#", " #", ": ", "|", ">", "- ", "\n", "\\", "&a", "x",
        ];
        let mut next = |bound: u64| {
            *seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (*seed >> 33) % bound
        };
        match (depth, next(4)) {
            (0, _) | (_, 0) => {
                let text: String = (0..next(8)).map(|_| PIECES[next(16) as usize]).collect();
                (serde_json::Value::String(text), 0)
            }
            (_, kind) => {
                let children: Vec<_> = (0..1 + next(3))
                    .map(|_| awkward_value(seed, depth - 1))
                    .collect();
                let deepest = 1 + children.iter().map(|(_, depth)| *depth).max().unwrap_or(0);
                let values = children.into_iter().map(|(value, _)| value);
                let value = if kind == 1 {
                    serde_json::Value::Array(values.collect())
                } else {
                    serde_json::Value::Object(
                        values
                            .enumerate()
                            .map(|(i, v)| (format!("k{i}"), v))
                            .collect(),
                    )
                };
                (value, deepest)
            }
        }
    }

    #[test]
    fn nesting_count_matches_serialized_documents() {
        let mut seed = 7;
        for _ in 0..2000 {
            let (value, depth) = awkward_value(&mut seed, 6);
            // JSON is YAML in flow style: every collection counts, strings never.
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(scanned_depth(&json), depth, "{json}");
            let pretty = serde_json::to_string_pretty(&value).unwrap();
            assert_eq!(scanned_depth(&pretty), depth, "{pretty}");
            // serde_yaml writes block style, with quoted and block scalars; only an
            // empty collection (`[]`, `{}`) is flow style.
            let yaml = serde_yaml::to_string(&value).unwrap();
            assert!(scanned_depth(&yaml) <= 1, "{yaml}");
            assert_eq!(
                parse_yaml::<serde_json::Value>(&yaml).unwrap(),
                value,
                "{yaml}"
            );
        }
    }

    #[test]
    fn hostile_nesting_is_refused_before_parsing() {
        // 20 000 nested flow mappings took 10 s to scan in a debug build.
        let text = format!("{}1{}", "{a: ".repeat(20_000), "}".repeat(20_000));
        let problem = parse_yaml::<Guide>(&text).unwrap_err();
        assert!(
            problem.message.contains("more than 32 levels"),
            "{problem:?}"
        );
        assert_eq!(problem.line, Some(1));
        // Deep block nesting is not counted, and serde_yaml refuses it with an error.
        let text = format!("{}x\n", "- ".repeat(20_000));
        assert!(parse_yaml::<Vec<Vec<String>>>(&text).is_err());
        let problem = parse_yaml::<serde_yaml::Value>(&text).unwrap_err();
        assert!(problem.message.contains("128 levels"), "{problem:?}");
    }

    #[test]
    fn alias_expansion_is_bounded() {
        // Anchors are fine in a guide of sensible size.
        let text = VALID
            .replace("sections: [beta]", "sections: &both [alpha, beta]")
            .replace("sections: [alpha, beta]", "sections: *both");
        let guide = Guide::from_yaml(&text, "demo.yaml").unwrap();
        assert_eq!(guide.plan[1].sections, ["alpha", "beta"]);
        // 30 copies of a 400 KB string: 12 MB, more than 8 MiB.
        let bomb = format!(
            "{VALID}source: &s \"{}\"\ngetting_ready: [{}]\n",
            "x".repeat(400 << 10),
            ["*s"; 30].join(", ")
        );
        let error = Guide::from_yaml(&bomb, "demo.yaml").unwrap_err();
        assert_eq!(error.problems.len(), 1);
        assert!(error.problems[0].message.contains("aliases"), "{error}");
        // The line of the anchored string that is repeated.
        assert_eq!(error.problems[0].line, Some(28));
        // "Billion laughs": nine levels of nine aliases each, 387 420 489 strings.
        let mut laughs = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..10 {
            let aliases = vec![format!("*a{}", level - 1); 9].join(", ");
            laughs += &format!("a{level}: &a{level} [{aliases}]\n");
        }
        let problem = parse_yaml::<serde_yaml::Value>(&laughs).unwrap_err();
        assert!(problem.message.contains("aliases"), "{problem:?}");
        assert!(parse_yaml::<Guide>(&laughs).is_err());
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
    fn error_display_is_one_clean_line_per_problem_and_capped() {
        let problem = |message: &str| Problem {
            field: "checklist[0].id".into(),
            line: Some(3),
            message: message.into(),
        };
        let error = GuideError {
            origin: "x.yaml".into(),
            problems: vec![problem("a\nb \u{1b}[31mred"), problem(&"y".repeat(1000))],
        };
        let shown = error.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), 2, "{shown}");
        assert_eq!(lines[0], "x.yaml:3: checklist[0].id: a\\nb \\u{1b}[31mred");
        assert!(lines[1].ends_with(&format!("{}…", "y".repeat(SHOWN_CHARS))));

        let error = GuideError {
            origin: "x.yaml".into(),
            problems: vec![problem("bad"); 25],
        };
        let shown = error.to_string();
        assert_eq!(shown.lines().count(), SHOWN_PROBLEMS + 1, "{shown}");
        assert!(shown.ends_with("x.yaml: and 5 more problems (fix these first)"));
    }

    #[test]
    fn an_empty_document_says_so() {
        for text in ["", "\n  \n"] {
            let found = problems(text);
            assert_eq!(found.len(), 1);
            assert!(found[0].message.contains("empty"), "{found:?}");
        }
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
