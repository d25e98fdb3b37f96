//! Naming things on the command line: exams, checklist items, sections and plan
//! days, by id, alias, label, unique part of the id, word of the name, or number.

use std::ops::RangeInclusive;

use anyhow::Result;

use crate::error::{quoted, usage};
use crate::guide::{Guide, Item, Section};
use crate::suggest;

/// How a candidate can be named: its id, its other names (an exam's aliases and
/// short label), and the name or text whose words name it too.
struct Names<'a> {
    id: &'a str,
    others: Vec<&'a str>,
    words_of: &'a str,
}

/// Finds the one candidate that `name` names, in any case, trying in turn: its
/// 1-based number (when `numbered`); its id or another of its names; a prefix of
/// its id; a part of its id; a whole word of its name. The first way that
/// matches decides: one match is the answer, several are ambiguous (listed). A
/// name no way matches is a usage error suggesting the closest names.
fn pick<'a, T>(
    kind: &str,
    name: &str,
    candidates: &'a [T],
    names: impl Fn(&'a T) -> Names<'a>,
    numbered: bool,
) -> Result<(usize, &'a T)> {
    if name.trim().is_empty() {
        let ids: Vec<&str> = candidates.iter().map(|c| names(c).id).collect();
        return Err(usage!(
            "the {kind} name is empty; {}",
            choose(&ids, numbered)
        ));
    }
    if numbered && let Ok(number) = name.parse::<usize>() {
        return by_number(kind, number, candidates);
    }
    let wanted = name.to_lowercase();
    let all: Vec<(usize, &T, Names)> = candidates
        .iter()
        .enumerate()
        .map(|(index, candidate)| (index, candidate, names(candidate)))
        .collect();
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let ways: [&dyn Fn(&Names) -> bool; 4] = [
        &|n| n.id == wanted || n.others.iter().any(|other| other.to_lowercase() == wanted),
        &|n| n.id.starts_with(&wanted),
        &|n| n.id.contains(&wanted),
        &|n| words(n.words_of).contains(&wanted),
    ];
    for way in ways {
        let found: Vec<&(usize, &T, Names)> = all.iter().filter(|(_, _, n)| way(n)).collect();
        match found.as_slice() {
            [] => continue,
            [(index, candidate, _)] => return Ok((*index, *candidate)),
            several => {
                let ids: Vec<&str> = several.iter().map(|(_, _, n)| n.id).collect();
                return Err(usage!(
                    "{kind} {} is ambiguous: it could be {}",
                    quoted(name),
                    ids.join(", ")
                ));
            }
        }
    }
    Err(usage!(
        "unknown {kind} {}{}",
        quoted(name),
        suggest(&wanted, &all, numbered)
    ))
}

/// "; did you mean X?" with the names [close](suggest::close) to `name` (an
/// alias shown with its id: "mlp (professional)"), else the whole list when it
/// is short.
fn suggest<T>(name: &str, all: &[(usize, &T, Names)], numbered: bool) -> String {
    // Every name a candidate answers to, lowercase, with the id it stands for.
    let mut known: Vec<(String, &str)> = Vec::new();
    for (_, _, names) in all {
        known.push((names.id.to_string(), names.id));
        for other in &names.others {
            known.push((other.to_lowercase(), names.id));
        }
    }
    let spelled: Vec<&str> = known.iter().map(|(name, _)| name.as_str()).collect();
    let mut close: Vec<String> = Vec::new();
    for found in suggest::close(name, &spelled) {
        let (_, id) = known
            .iter()
            .find(|(known, _)| known == found)
            .expect("a close name is a known one");
        let shown = if found == *id {
            found.to_string()
        } else {
            format!("{found} ({id})")
        };
        if !close.contains(&shown) {
            close.push(shown);
        }
    }
    if !close.is_empty() {
        return format!("; did you mean {}?", close.join(" or "));
    }
    let ids: Vec<String> = all
        .iter()
        .map(|(_, _, names)| match names.others.as_slice() {
            [] => names.id.to_string(),
            others => format!("{} ({})", names.id, others.join(", ")),
        })
        .collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    if ids.len() <= 12 {
        format!("; {}", choose(&ids, numbered))
    } else {
        String::new()
    }
}

/// "choose one of a, b" (with "or its number" for numbered things).
fn choose(ids: &[&str], numbered: bool) -> String {
    let number = if numbered { " (or its number)" } else { "" };
    format!("choose one of {}{number}", ids.join(", "))
}

/// The candidate with 1-based `number`, and its index.
fn by_number<'a, T>(kind: &str, number: usize, candidates: &'a [T]) -> Result<(usize, &'a T)> {
    match number
        .checked_sub(1)
        .and_then(|index| candidates.get(index))
    {
        Some(candidate) => Ok((number - 1, candidate)),
        None => Err(usage!(
            "there is no {kind} number {number}; numbers run from 1 to {}",
            candidates.len()
        )),
    }
}

/// A number ("3") or an inclusive range of numbers ("1-3", or "1–3" with the en
/// dash the guides print in "Days 1–2"). `what` names the numbered thing in the
/// error, which is a sentence saying what is expected.
pub fn numbers(text: &str, what: &str) -> Result<RangeInclusive<u32>, String> {
    // Digits only: `u32::from_str` alone would also take "+3".
    let number = |part: &str| {
        part.bytes()
            .all(|byte| byte.is_ascii_digit())
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let (first, last) = match text.split_once(['-', '–']) {
        Some((first, last)) => (number(first), number(last)),
        None => (number(text), number(text)),
    };
    match (first, last) {
        (Some(first), Some(last)) if first <= last => Ok(first..=last),
        (Some(first), Some(last)) => Err(format!(
            "the range {text} runs backwards; write {last}-{first}"
        )),
        _ => Err(format!(
            "{} is not a {what} number such as 3 or a range such as 1-2",
            quoted(text)
        )),
    }
}

/// An exam among the loaded guides: id, alias, short label (`ML-Pro`), unique
/// part of the id, or unique word of its name.
pub fn exam<'a>(guides: &'a [Guide], name: &str) -> Result<&'a Guide> {
    let names = |guide: &'a Guide| Names {
        id: &guide.id,
        others: std::iter::once(guide.short.as_str())
            .chain(guide.aliases.iter().map(String::as_str))
            .collect(),
        words_of: &guide.name,
    };
    pick("exam", name, guides, names, false).map(|(_, guide)| guide)
}

/// A checklist item: number, id, unique part of the id, or unique word of its text.
pub fn item<'a>(guide: &'a Guide, name: &str) -> Result<&'a Item> {
    let names = |item: &'a Item| Names {
        id: &item.id,
        others: Vec::new(),
        words_of: &item.text,
    };
    pick("checklist item", name, &guide.checklist, names, true).map(|(_, item)| item)
}

/// Checklist items by name (see [`item`]); a name that starts with a digit may
/// also be a range of item numbers ("1-3"), since no id starts with a digit.
pub fn items<'a>(guide: &'a Guide, names: &[String]) -> Result<Vec<&'a Item>> {
    let mut items = Vec::new();
    for name in names {
        let is_range = name.starts_with(|c: char| c.is_ascii_digit()) && name.contains(['-', '–']);
        if !is_range {
            items.push(item(guide, name)?);
            continue;
        }
        let range = numbers(name, "checklist item").map_err(|why| usage!("{why}"))?;
        // The range's end first, so an error names the number the learner typed.
        by_number("checklist item", *range.end() as usize, &guide.checklist)?;
        for number in range {
            items.push(by_number("checklist item", number as usize, &guide.checklist)?.1);
        }
    }
    Ok(items)
}

/// A section and its 0-based index: number, id, unique part of the id, or
/// unique word of its name.
pub fn section<'a>(guide: &'a Guide, name: &str) -> Result<(usize, &'a Section)> {
    let names = |section: &'a Section| Names {
        id: &section.id,
        others: Vec::new(),
        words_of: &section.name,
    };
    pick("section", name, &guide.sections, names, true)
}

/// A range of plan days, each checked against the plan's length.
pub fn days(guide: &Guide, days: RangeInclusive<u32>) -> Result<RangeInclusive<u32>> {
    day(guide, *days.start())?;
    day(guide, *days.end())?;
    Ok(days)
}

/// A plan day number, checked against the plan's length.
fn day(guide: &Guide, day: u32) -> Result<u32> {
    let days = guide.plan_days();
    if (1..=days).contains(&day) {
        Ok(day)
    } else if days == 0 {
        Err(usage!("{} has no study plan", guide.id))
    } else {
        Err(usage!(
            "there is no plan day {day}; the {} plan runs from day 1 to day {days}",
            guide.id
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_ranges() {
        assert_eq!(numbers("3", "day"), Ok(3..=3));
        assert_eq!(numbers("1-2", "day"), Ok(1..=2));
        assert_eq!(numbers("9–10", "day"), Ok(9..=10));
        assert_eq!(numbers("4-4", "day"), Ok(4..=4));
        assert_eq!(
            numbers("3-1", "day"),
            Err("the range 3-1 runs backwards; write 1-3".into())
        );
        for malformed in ["", "x", "1-", "-2", "1-2-3", "+3", "1 - 2", "1.5", "1--2"] {
            assert_eq!(
                numbers(malformed, "day"),
                Err(format!(
                    "\"{malformed}\" is not a day number such as 3 or a range such as 1-2"
                )),
                "{malformed}"
            );
        }
    }

    fn bundled(id: &str) -> Guide {
        crate::guide::Catalog::new(None)
            .load(id)
            .unwrap()
            .expect("a bundled guide")
    }

    /// The id a name finds, or the error's sentence.
    fn found<T>(result: Result<T>, id: impl Fn(&T) -> &str) -> String {
        match result {
            Ok(found) => id(&found).to_string(),
            Err(error) => format!("error: {error}"),
        }
    }

    fn section_of(guide: &Guide, name: &str) -> String {
        found(section(guide, name), |(_, section)| &section.id)
    }

    fn item_of(guide: &Guide, name: &str) -> String {
        found(item(guide, name), |item| &item.id)
    }

    /// Associate sections: 1 databricks-ml "Databricks Machine Learning", 2
    /// ml-workflows "ML Workflows", 3 model-development "Model Development", 4
    /// model-deployment "Model Deployment".
    #[test]
    fn associate_sections() {
        let guide = bundled("associate");
        for (name, id) in [
            ("3", "model-development"),
            ("Model-Development", "model-development"),
            // A prefix of one id ("ml" is also inside databricks-ml: the prefix wins).
            ("databricks", "databricks-ml"),
            ("ml", "ml-workflows"),
            // A part of one id.
            ("deploy", "model-deployment"),
            ("workflows", "ml-workflows"),
            ("velop", "model-development"),
            // A word of one name.
            ("Machine", "databricks-ml"),
            ("learning", "databricks-ml"),
        ] {
            assert_eq!(section_of(&guide, name), id, "{name}");
        }
        assert_eq!(
            section_of(&guide, "model"),
            "error: section \"model\" is ambiguous: it could be model-development, model-deployment"
        );
        // No id starts with "-", and every id holds one.
        assert_eq!(
            section_of(&guide, "-"),
            "error: section \"-\" is ambiguous: it could be databricks-ml, ml-workflows, model-development, model-deployment"
        );
        assert_eq!(
            section_of(&guide, ""),
            "error: the section name is empty; choose one of databricks-ml, ml-workflows, model-development, model-deployment (or its number)"
        );
        assert_eq!(
            section_of(&guide, "nosuch"),
            "error: unknown section \"nosuch\"; choose one of databricks-ml, ml-workflows, model-development, model-deployment (or its number)"
        );
    }

    /// Professional sections: 1 experimentation, 2 model-lifecycle "Model
    /// Lifecycle Management", 3 model-deployment, 4 monitoring "Solution and Data
    /// Monitoring".
    #[test]
    fn professional_sections() {
        let guide = bundled("professional");
        for (name, id) in [
            ("lifecycle", "model-lifecycle"),
            ("DEPLOY", "model-deployment"),
            ("management", "model-lifecycle"),
            ("data", "monitoring"),
            ("solution", "monitoring"),
            ("exp", "experimentation"),
        ] {
            assert_eq!(section_of(&guide, name), id, "{name}");
        }
        assert_eq!(
            section_of(&guide, "model"),
            "error: section \"model\" is ambiguous: it could be model-lifecycle, model-deployment"
        );
    }

    /// Professional items: reproducible-experiments "Structure experiments and
    /// ensure reproducible runs.", model-registry "Operate the Model Registry
    /// (promote, demote, rollback, approve).", safe-deployments "Execute safe
    /// deployments (batch/online) with staged rollout.", drift-monitoring
    /// "Monitor performance and data drift; raise alerts and act.",
    /// uc-governance "Govern ML assets and data access with UC."
    #[test]
    fn professional_items() {
        let guide = bundled("professional");
        for (name, id) in [
            ("experiments", "reproducible-experiments"),
            ("registry", "model-registry"),
            ("uc", "uc-governance"),
            ("drift", "drift-monitoring"),
            ("alerts", "drift-monitoring"),
            ("rollback", "model-registry"),
            ("online", "safe-deployments"),
            ("5", "uc-governance"),
        ] {
            assert_eq!(item_of(&guide, name), id, "{name}");
        }
        // "and" is a word of three texts.
        assert_eq!(
            item_of(&guide, "and"),
            "error: checklist item \"and\" is ambiguous: it could be reproducible-experiments, drift-monitoring, uc-governance"
        );
    }

    /// Associate items: automl, mlflow-tracking, model-registry,
    /// feature-engineering, batch-scoring.
    #[test]
    fn associate_items_and_suggestions() {
        let guide = bundled("associate");
        for (name, id) in [
            ("AutoML", "automl"),
            ("mlflow", "mlflow-tracking"),
            ("model", "model-registry"),
            ("scoring", "batch-scoring"),
            ("baseline", "automl"),
        ] {
            assert_eq!(item_of(&guide, name), id, "{name}");
        }
        // A transposition: two edits, within a third of six characters.
        assert_eq!(
            item_of(&guide, "atuoml"),
            "error: unknown checklist item \"atuoml\"; did you mean automl?"
        );
        // One typo from the start of mlflow-tracking.
        assert_eq!(
            item_of(&guide, "mlfow"),
            "error: unknown checklist item \"mlfow\"; did you mean mlflow-tracking?"
        );
        assert_eq!(
            item_of(&guide, "zzzzzzzzzzzzzzzz"),
            "error: unknown checklist item \"zzzzzzzzzzzzzzzz\"; choose one of automl, mlflow-tracking, model-registry, feature-engineering, batch-scoring (or its number)"
        );
    }

    #[test]
    fn exams_by_id_alias_label_part_or_word() {
        let guides = [bundled("associate"), bundled("professional")];
        let exam_of = |name: &str| found(exam(&guides, name), |guide| &guide.id);
        for (name, id) in [
            ("associate", "associate"),
            ("Professional", "professional"),
            ("mla", "associate"),
            ("MLP", "professional"),
            // The short labels, ML-Assoc and ML-Pro, in any case.
            ("ML-Pro", "professional"),
            ("ml-assoc", "associate"),
            ("a", "associate"),
            ("pro", "professional"),
            ("ssional", "professional"),
        ] {
            assert_eq!(exam_of(name), id, "{name}");
        }
        // Both names are "Databricks Certified Machine Learning …".
        assert_eq!(
            exam_of("learning"),
            "error: exam \"learning\" is ambiguous: it could be associate, professional"
        );
        assert_eq!(
            exam_of(""),
            "error: the exam name is empty; choose one of associate, professional"
        );
        // One typo from the aliases.
        assert_eq!(
            exam_of("mlx"),
            "error: unknown exam \"mlx\"; did you mean mla (associate) or mlp (professional)?"
        );
        assert_eq!(
            exam_of("ML-Prof"),
            "error: unknown exam \"ML-Prof\"; did you mean ml-pro (professional)?"
        );
        assert_eq!(
            exam_of("nosuch"),
            "error: unknown exam \"nosuch\"; choose one of associate (ML-Assoc, mla), professional (ML-Pro, mlp)"
        );
    }
}
