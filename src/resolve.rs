//! Naming things on the command line: exams, checklist items, sections and plan
//! days, by id, alias, unique prefix or number.

use std::ops::RangeInclusive;

use anyhow::Result;

use crate::error::{quoted, usage};
use crate::guide::{Guide, Item, Section};
use crate::suggest;

/// Finds the one candidate that `name` names, in any case: its 1-based number
/// (when `numbered`), its exact id or alias, or a unique prefix of its id. A miss
/// or an ambiguous prefix is a usage error that lists the candidates.
fn pick<'a, T>(
    kind: &str,
    name: &str,
    candidates: &'a [T],
    names: impl Fn(&T) -> (&str, &[String]),
    numbered: bool,
) -> Result<(usize, &'a T)> {
    // An empty name is a prefix of every id: say what is missing instead.
    if name.trim().is_empty() {
        let by = if numbered {
            "number, id or unique id prefix"
        } else {
            "id, alias or unique id prefix"
        };
        let ids: Vec<&str> = candidates.iter().map(|c| names(c).0).collect();
        return Err(usage!(
            "the {kind} name is empty; give the {kind}'s {by}{}",
            suggest("", &ids)
        ));
    }
    if numbered && let Ok(number) = name.parse::<usize>() {
        return by_number(kind, number, candidates);
    }
    // Ids and aliases are lowercase kebab-case (guide validation sees to it), so
    // lowercasing the name alone makes every match case-insensitive.
    let wanted = name.to_lowercase();
    let exact = candidates.iter().enumerate().find(|(_, candidate)| {
        let (id, aliases) = names(candidate);
        *id == wanted || aliases.contains(&wanted)
    });
    if let Some(found) = exact {
        return Ok(found);
    }
    let prefixed: Vec<(usize, &T)> = candidates
        .iter()
        .enumerate()
        .filter(|(_, candidate)| names(candidate).0.starts_with(&wanted))
        .collect();
    match prefixed.as_slice() {
        [found] => Ok(*found),
        [] => {
            let ids: Vec<&str> = candidates.iter().map(|c| names(c).0).collect();
            Err(usage!(
                "unknown {kind} {}{}",
                quoted(name),
                suggest(&wanted, &ids)
            ))
        }
        several => {
            let ids: Vec<&str> = several.iter().map(|(_, c)| names(c).0).collect();
            Err(usage!(
                "{kind} {} is ambiguous: it could be {}",
                quoted(name),
                ids.join(", ")
            ))
        }
    }
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

/// "; did you mean X?" with the ids [close](suggest::close) to `name`, else the
/// full list when it is short.
fn suggest(name: &str, ids: &[&str]) -> String {
    let close = suggest::close(name, ids);
    if !close.is_empty() {
        format!("; did you mean {}?", close.join(" or "))
    } else if ids.len() <= 12 {
        format!("; choose one of {}", ids.join(", "))
    } else {
        String::new()
    }
}

/// An exam among the loaded guides: id, alias or unique id prefix.
pub fn exam<'a>(guides: &'a [Guide], name: &str) -> Result<&'a Guide> {
    pick("exam", name, guides, |g| (&g.id, &g.aliases), false).map(|(_, guide)| guide)
}

/// A checklist item: id, unique id prefix or 1-based number.
pub fn item<'a>(guide: &'a Guide, name: &str) -> Result<&'a Item> {
    pick(
        "checklist item",
        name,
        &guide.checklist,
        |i| (&i.id, &[]),
        true,
    )
    .map(|(_, item)| item)
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

/// A section and its 0-based index.
pub fn section<'a>(guide: &'a Guide, name: &str) -> Result<(usize, &'a Section)> {
    pick("section", name, &guide.sections, |s| (&s.id, &[]), true)
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

    #[test]
    fn suggestions() {
        let ids = ["automl", "mlflow-tracking", "model-registry"];
        assert_eq!(suggest("atuoml", &ids), "; did you mean automl?");
        assert_eq!(suggest("mlfow", &ids), "; did you mean mlflow-tracking?");
        assert_eq!(suggest("autoML", &ids), "; did you mean automl?");
        let exams = ["associate", "professional"];
        for unrelated in ["nosuch", "foo", "qq"] {
            assert_eq!(
                suggest(unrelated, &exams),
                "; choose one of associate, professional",
                "{unrelated}"
            );
        }
        assert_eq!(
            suggest("zzzzzzzzzzzzzzzz", &ids),
            "; choose one of automl, mlflow-tracking, model-registry"
        );
    }
}
