//! The SCORE arguments of `practice add` and the checks on a whole sitting (the
//! README's "Practice tests and the forecast"). Pure: the caller parses each
//! argument with [`ScoreArg::parse`], resolves its section name (as every name on
//! the command line is resolved) with [`ScoreArg::try_map_section`], checks the
//! sitting with [`combine`], and reports a [`ScoreError`] as a usage error.

use std::collections::BTreeMap;
use std::fmt;

use crate::error::quoted;

/// The most questions a practice test, or one section of it, may have: as many
/// as an exam may.
pub const MAX_QUESTIONS: u32 = crate::guide::MAX_QUESTIONS;

/// Correct answers out of a total, 0 ≤ correct ≤ total, 1 ≤ total ≤ [`MAX_QUESTIONS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    pub correct: u32,
    pub total: u32,
}

/// One SCORE argument: the whole test (`34/48`) or one section (`1=14/18`). `S`
/// names the section: the name as typed after [`ScoreArg::parse`], its index in the
/// outline once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScoreArg<S> {
    Whole(Score),
    Section(S, Score),
}

impl ScoreArg<String> {
    /// Parses `CORRECT/TOTAL` or `SECTION=CORRECT/TOTAL`. Blanks around the parts
    /// are allowed; the numbers are plain decimal digits.
    pub fn parse(argument: &str) -> Result<Self, ScoreError> {
        match argument.split_once('=') {
            None => parse_score(argument, argument).map(ScoreArg::Whole),
            Some((name, score)) => {
                let name = name.trim();
                if name.is_empty() {
                    return Err(ScoreError::Malformed(argument.into()));
                }
                Ok(ScoreArg::Section(
                    name.into(),
                    parse_score(score, argument)?,
                ))
            }
        }
    }
}

impl<S> ScoreArg<S> {
    /// Resolves a section score's name with `resolve`; a whole score passes through.
    pub fn try_map_section<T, E>(
        self,
        resolve: impl FnOnce(S) -> Result<T, E>,
    ) -> Result<ScoreArg<T>, E> {
        Ok(match self {
            ScoreArg::Whole(score) => ScoreArg::Whole(score),
            ScoreArg::Section(name, score) => ScoreArg::Section(resolve(name)?, score),
        })
    }
}

/// `score` is the `CORRECT/TOTAL` part of `argument`, which errors quote whole.
fn parse_score(score: &str, argument: &str) -> Result<Score, ScoreError> {
    let malformed = || ScoreError::Malformed(argument.into());
    let (correct, total) = score.split_once('/').ok_or_else(malformed)?;
    let number = |digits: &str| {
        let digits = digits.trim();
        let is_number = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        // All digits, so parsing fails only on overflow: far too many anyway.
        is_number.then(|| digits.parse::<u64>().unwrap_or(u64::MAX))
    };
    let (Some(correct), Some(total)) = (number(correct), number(total)) else {
        return Err(malformed());
    };
    if total == 0 {
        return Err(ScoreError::ZeroTotal(argument.into()));
    }
    if total > u64::from(MAX_QUESTIONS) {
        return Err(ScoreError::TooManyQuestions(argument.into()));
    }
    if correct > u64::from(MAX_QUESTIONS) {
        return Err(ScoreError::TooManyCorrect(argument.into()));
    }
    if correct > total {
        return Err(ScoreError::MoreCorrectThanTotal(argument.into()));
    }
    // Both are at most MAX_QUESTIONS now.
    Ok(Score {
        correct: correct as u32,
        total: total as u32,
    })
}

/// A sitting's checked scores, as the state file stores them: the whole test, and
/// (when given) the scored sections' by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SittingScores {
    pub correct: u32,
    pub questions: u32,
    /// Section id → (correct, total): every section's beside a whole score, the
    /// quizzed ones' without; empty when only the whole score was given.
    pub sections: BTreeMap<String, (u32, u32)>,
}

/// Checks the scores of one sitting against the outline (section ids in guide
/// order): at most one whole score; each section at most once. Three shapes are
/// accepted:
/// - the whole score alone;
/// - one or more sections alone, a quiz on those sections: the whole is their sum,
///   and it may not exceed [`MAX_QUESTIONS`];
/// - the whole score with every section's, which must add up to it. Sections that
///   leave one out beside a whole score cannot be told apart from a typo, and the
///   whole would claim answers on sections no score was given for.
pub fn combine(scores: &[ScoreArg<usize>], outline: &[&str]) -> Result<SittingScores, ScoreError> {
    let mut whole: Option<Score> = None;
    let mut by_section: BTreeMap<usize, Score> = BTreeMap::new();
    for score in scores {
        match *score {
            ScoreArg::Whole(score) => {
                if whole.replace(score).is_some() {
                    return Err(ScoreError::RepeatedWhole);
                }
            }
            ScoreArg::Section(index, score) => {
                let Some(id) = outline.get(index) else {
                    return Err(ScoreError::UnknownSection {
                        number: index.saturating_add(1),
                        sections: outline.len(),
                    });
                };
                if by_section.insert(index, score).is_some() {
                    return Err(ScoreError::RepeatedSection((*id).into()));
                }
            }
        }
    }
    if by_section.is_empty() {
        let whole = whole.ok_or(ScoreError::NoScore)?;
        return Ok(SittingScores {
            correct: whole.correct,
            questions: whole.total,
            sections: BTreeMap::new(),
        });
    }
    let missing: Vec<String> = (0..outline.len())
        .filter(|index| !by_section.contains_key(index))
        .map(|index| outline[index].into())
        .collect();
    if whole.is_some() && !missing.is_empty() {
        return Err(ScoreError::MissingSections(missing));
    }
    let sum = by_section.values().fold((0, 0), |(correct, total), score| {
        (
            correct + u64::from(score.correct),
            total + u64::from(score.total),
        )
    });
    match whole {
        Some(whole) if (u64::from(whole.correct), u64::from(whole.total)) != sum => {
            Err(ScoreError::DoNotAddUp {
                sections: sum,
                whole,
            })
        }
        _ if sum.1 > u64::from(MAX_QUESTIONS) => Err(ScoreError::SectionsTooLong(sum.1)),
        // Both sums are at most MAX_QUESTIONS now.
        _ => Ok(SittingScores {
            correct: sum.0 as u32,
            questions: sum.1 as u32,
            sections: by_section
                .into_iter()
                .map(|(index, score)| (outline[index].into(), (score.correct, score.total)))
                .collect(),
        }),
    }
}

/// What is wrong with the scores of a sitting; each reads as one sentence that
/// says what is expected. All of them are usage errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScoreError {
    /// The argument is neither `CORRECT/TOTAL` nor `SECTION=CORRECT/TOTAL`.
    Malformed(String),
    ZeroTotal(String),
    TooManyQuestions(String),
    /// CORRECT is more than [`MAX_QUESTIONS`] (and so more than any TOTAL).
    TooManyCorrect(String),
    MoreCorrectThanTotal(String),
    NoScore,
    RepeatedWhole,
    /// The section's id.
    RepeatedSection(String),
    /// A resolved section index past the outline: 1-based number, section count.
    UnknownSection {
        number: usize,
        sections: usize,
    },
    /// With a whole score: the ids of the sections without a score, in outline
    /// order.
    MissingSections(Vec<String>),
    /// The sections' (correct, total) sum differs from the whole score.
    DoNotAddUp {
        sections: (u64, u64),
        whole: Score,
    },
    /// The sections' totals sum to more than [`MAX_QUESTIONS`].
    SectionsTooLong(u64),
}

impl fmt::Display for ScoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScoreError::Malformed(argument) => write!(
                f,
                "{} is not a score: a score is CORRECT/TOTAL, such as 34/48, or SECTION=CORRECT/TOTAL, such as 1=14/18",
                quoted(argument)
            ),
            ScoreError::ZeroTotal(argument) => write!(
                f,
                "{} has a TOTAL of 0: a score is CORRECT/TOTAL out of at least one question, such as 34/48",
                quoted(argument)
            ),
            ScoreError::TooManyQuestions(argument) => write!(
                f,
                "{} has more than {MAX_QUESTIONS} questions: a score's TOTAL is 1 to {MAX_QUESTIONS}, such as 34/48",
                quoted(argument)
            ),
            ScoreError::TooManyCorrect(argument) => write!(
                f,
                "{} has a number of correct answers that is too large: a score's CORRECT is at most {MAX_QUESTIONS} and at most its TOTAL, such as 34/48",
                quoted(argument)
            ),
            ScoreError::MoreCorrectThanTotal(argument) => write!(
                f,
                "{} has more correct answers than questions: a score's CORRECT is at most its TOTAL, such as 34/48",
                quoted(argument)
            ),
            ScoreError::NoScore => f.write_str(
                "no score given: give the whole test as CORRECT/TOTAL, such as 34/48, or one or more sections as SECTION=CORRECT/TOTAL, such as 1=14/18",
            ),
            ScoreError::RepeatedWhole => f.write_str(
                "the whole-test score is given twice: give it once, such as 34/48",
            ),
            ScoreError::RepeatedSection(id) => write!(
                f,
                "section \"{id}\" is scored twice: give each section's score once"
            ),
            ScoreError::UnknownSection { number, sections } => write!(
                f,
                "there is no section number {number}: numbers run from 1 to {sections}"
            ),
            ScoreError::MissingSections(ids) => {
                let (verb, pronoun) = if ids.len() == 1 { ("has", "it") } else { ("have", "them") };
                write!(
                    f,
                    "section scores beside the whole-test score must cover every section, and {} {verb} none: score {pronoun} too, or leave out the whole-test score to record a quiz on the sections given",
                    ids.join(", ")
                )
            }
            ScoreError::DoNotAddUp { sections, whole } => write!(
                f,
                "the section scores add up to {}/{}, not to the whole-test score {}/{}: correct one, or leave out the whole-test score",
                sections.0, sections.1, whole.correct, whole.total
            ),
            ScoreError::SectionsTooLong(total) => write!(
                f,
                "the section scores add up to {total} questions: a practice test has at most {MAX_QUESTIONS}"
            ),
        }
    }
}

impl std::error::Error for ScoreError {}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTLINE: [&str; 4] = [
        "databricks-ml",
        "ml-workflows",
        "model-development",
        "model-deployment",
    ];

    fn score(correct: u32, total: u32) -> Score {
        Score { correct, total }
    }

    fn whole(correct: u32, total: u32) -> ScoreArg<usize> {
        ScoreArg::Whole(score(correct, total))
    }

    fn part(index: usize, correct: u32, total: u32) -> ScoreArg<usize> {
        ScoreArg::Section(index, score(correct, total))
    }

    /// The Associate sitting of the README's "Practice tests and the forecast": 14/18, 7/9, 10/15, 3/6 = 34/48.
    fn design_sections() -> Vec<ScoreArg<usize>> {
        vec![
            part(0, 14, 18),
            part(1, 7, 9),
            part(2, 10, 15),
            part(3, 3, 6),
        ]
    }

    #[test]
    fn parses_whole_and_section_scores() {
        assert_eq!(ScoreArg::parse("34/48"), Ok(ScoreArg::Whole(score(34, 48))));
        assert_eq!(
            ScoreArg::parse("1=14/18"),
            Ok(ScoreArg::Section("1".into(), score(14, 18)))
        );
        assert_eq!(
            ScoreArg::parse("model-dev=10/15"),
            Ok(ScoreArg::Section("model-dev".into(), score(10, 15)))
        );
        assert_eq!(
            ScoreArg::parse(" 0 / 1000 "),
            Ok(ScoreArg::Whole(score(0, 1000)))
        );
        assert_eq!(ScoreArg::parse("48/48"), Ok(ScoreArg::Whole(score(48, 48))));
    }

    #[test]
    fn rejects_bad_scores_with_a_sentence_saying_what_is_expected() {
        for bad in [
            "", "34", "34/", "/48", "34-48", "a/48", "-1/48", "+3/48", "3.5/48", "34/48/2",
            "=34/48", " =1/2", "1=", "1=34", "34/48=1", "３/48",
        ] {
            let error = ScoreArg::parse(bad).unwrap_err();
            assert_eq!(error, ScoreError::Malformed(bad.into()), "{bad:?}");
            assert!(
                error
                    .to_string()
                    .contains("a score is CORRECT/TOTAL, such as 34/48"),
                "{error}"
            );
        }
        for (bad, error) in [
            ("0/0", ScoreError::ZeroTotal("0/0".into())),
            ("2=0/0", ScoreError::ZeroTotal("2=0/0".into())),
            ("5/1001", ScoreError::TooManyQuestions("5/1001".into())),
            (
                "1/99999999999999999999999",
                ScoreError::TooManyQuestions("1/99999999999999999999999".into()),
            ),
            ("49/48", ScoreError::MoreCorrectThanTotal("49/48".into())),
            // Past any TOTAL: too large, whatever the TOTAL.
            (
                "99999999999999999999999/48",
                ScoreError::TooManyCorrect("99999999999999999999999/48".into()),
            ),
            ("1001/1000", ScoreError::TooManyCorrect("1001/1000".into())),
        ] {
            assert_eq!(ScoreArg::parse(bad), Err(error), "{bad:?}");
        }
        assert_eq!(
            ScoreError::MoreCorrectThanTotal("49/48".into()).to_string(),
            "\"49/48\" has more correct answers than questions: a score's CORRECT is at most its TOTAL, such as 34/48"
        );
        assert_eq!(
            ScoreError::TooManyCorrect("1001/1000".into()).to_string(),
            "\"1001/1000\" has a number of correct answers that is too large: a score's CORRECT is at most 1000 and at most its TOTAL, such as 34/48"
        );
        // A long argument is quoted by its first 40 characters.
        let long = format!("{}/48", "9".repeat(100_000));
        assert_eq!(
            ScoreError::TooManyCorrect(long).to_string(),
            format!(
                "\"{}…\" has a number of correct answers that is too large: a score's CORRECT is at most 1000 and at most its TOTAL, such as 34/48",
                "9".repeat(40)
            )
        );
    }

    #[test]
    fn resolves_section_names_and_leaves_whole_scores_alone() {
        let resolve = |name: String| name.parse::<usize>().map(|n| n - 1);
        let section = ScoreArg::parse("3=10/15").unwrap().try_map_section(resolve);
        assert_eq!(section, Ok(part(2, 10, 15)));
        let whole_score = ScoreArg::parse("34/48").unwrap().try_map_section(resolve);
        assert_eq!(whole_score, Ok(whole(34, 48)));
        let unknown = ScoreArg::parse("x=1/2").unwrap().try_map_section(resolve);
        assert!(unknown.is_err());
    }

    #[test]
    fn a_whole_score_alone() {
        let found = combine(&[whole(34, 48)], &OUTLINE).unwrap();
        assert_eq!((found.correct, found.questions), (34, 48));
        assert!(found.sections.is_empty());
    }

    #[test]
    fn every_section_makes_the_whole() {
        // 14 + 7 + 10 + 3 = 34 of 18 + 9 + 15 + 6 = 48.
        let found = combine(&design_sections(), &OUTLINE).unwrap();
        assert_eq!((found.correct, found.questions), (34, 48));
        let sections: Vec<(&str, (u32, u32))> = found
            .sections
            .iter()
            .map(|(id, &s)| (id.as_str(), s))
            .collect();
        assert_eq!(
            sections,
            [
                ("databricks-ml", (14, 18)),
                ("ml-workflows", (7, 9)),
                ("model-deployment", (3, 6)),
                ("model-development", (10, 15)),
            ]
        );
        // With the whole score that they add up to, in any order: the same sitting.
        let mut both = design_sections();
        both.insert(2, whole(34, 48));
        assert_eq!(combine(&both, &OUTLINE), Ok(found));
    }

    #[test]
    fn sections_that_do_not_add_up_to_the_whole() {
        let mut both = design_sections();
        both.push(whole(35, 48));
        let error = combine(&both, &OUTLINE).unwrap_err();
        assert_eq!(
            error,
            ScoreError::DoNotAddUp {
                sections: (34, 48),
                whole: score(35, 48)
            }
        );
        assert_eq!(
            error.to_string(),
            "the section scores add up to 34/48, not to the whole-test score 35/48: correct one, or leave out the whole-test score"
        );
        // Totals that differ are caught too: 34/48 of sections against 34/50.
        let mut totals = design_sections();
        totals.push(whole(34, 50));
        assert!(matches!(
            combine(&totals, &OUTLINE),
            Err(ScoreError::DoNotAddUp { .. })
        ));
    }

    #[test]
    fn sections_alone_are_a_quiz_on_those_sections() {
        // Section 2 alone, 5 of 9: the whole is that one score, and only
        // ml-workflows is recorded.
        let quiz = combine(&[part(1, 5, 9)], &OUTLINE).unwrap();
        assert_eq!((quiz.correct, quiz.questions), (5, 9));
        assert_eq!(
            quiz.sections,
            BTreeMap::from([("ml-workflows".to_string(), (5, 9))])
        );
        // Sections 1 and 2 of the sitting above: 14 + 7 = 21 of 18 + 9 = 27.
        let two = combine(&design_sections()[..2], &OUTLINE).unwrap();
        assert_eq!((two.correct, two.questions), (21, 27));
        let ids: Vec<&str> = two.sections.keys().map(String::as_str).collect();
        assert_eq!(ids, ["databricks-ml", "ml-workflows"]);
        // A quiz is a practice test too: 600 + 600 = 1200 questions is too long.
        assert_eq!(
            combine(&[part(0, 1, 600), part(3, 1, 600)], &OUTLINE),
            Err(ScoreError::SectionsTooLong(1200))
        );
    }

    #[test]
    fn sections_beside_a_whole_score_must_cover_the_outline() {
        let mut two = design_sections()[..2].to_vec();
        two.push(whole(34, 48));
        let error = combine(&two, &OUTLINE).unwrap_err();
        assert_eq!(
            error,
            ScoreError::MissingSections(vec![
                "model-development".into(),
                "model-deployment".into()
            ])
        );
        assert_eq!(
            error.to_string(),
            "section scores beside the whole-test score must cover every section, and model-development, model-deployment have none: score them too, or leave out the whole-test score to record a quiz on the sections given"
        );
        // One missing section is an error too.
        let mut three = design_sections()[1..].to_vec();
        three.push(whole(34, 48));
        let error = combine(&three, &OUTLINE).unwrap_err();
        assert_eq!(
            error,
            ScoreError::MissingSections(vec!["databricks-ml".into()])
        );
        assert!(
            error
                .to_string()
                .contains("databricks-ml has none: score it too")
        );
    }

    #[test]
    fn repeated_and_missing_scores() {
        let mut twice = design_sections();
        twice.push(part(1, 7, 9));
        assert_eq!(
            combine(&twice, &OUTLINE),
            Err(ScoreError::RepeatedSection("ml-workflows".into()))
        );
        assert_eq!(
            combine(&[whole(34, 48), whole(34, 48)], &OUTLINE),
            Err(ScoreError::RepeatedWhole)
        );
        assert_eq!(combine(&[], &OUTLINE), Err(ScoreError::NoScore));
        let error = combine(&[part(4, 1, 2)], &OUTLINE).unwrap_err();
        assert_eq!(
            error.to_string(),
            "there is no section number 5: numbers run from 1 to 4"
        );
    }

    #[test]
    fn sections_may_not_add_up_to_more_than_a_test_has() {
        // 4 · 300 = 1200 questions.
        let long: Vec<ScoreArg<usize>> = (0..4).map(|index| part(index, 100, 300)).collect();
        assert_eq!(
            combine(&long, &OUTLINE),
            Err(ScoreError::SectionsTooLong(1200))
        );
        // 4 · 250 = 1000 is the most.
        let longest: Vec<ScoreArg<usize>> = (0..4).map(|index| part(index, 250, 250)).collect();
        assert_eq!(combine(&longest, &OUTLINE).map(|s| s.questions), Ok(1000));
    }
}
