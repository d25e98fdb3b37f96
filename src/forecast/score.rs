//! The SCORE arguments of `practice add` and the checks on a whole sitting (DESIGN
//! section 9). Pure: the caller parses each argument with [`ScoreArg::parse`],
//! resolves its section name (DESIGN section 3) with [`ScoreArg::try_map_section`],
//! checks the sitting with [`combine`], and reports a [`ScoreError`] as a usage error.

use std::collections::BTreeMap;
use std::fmt;

/// The most questions a practice test, or one section of it, may have.
pub const MAX_QUESTIONS: u32 = 1000;

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
/// (when given) every section's by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SittingScores {
    pub correct: u32,
    pub questions: u32,
    /// Section id → (correct, total); empty when only the whole score was given.
    pub sections: BTreeMap<String, (u32, u32)>,
}

/// Checks the scores of one sitting against the outline (section ids in guide
/// order): at most one whole score; each section at most once; if any section is
/// scored, every section is, and the sections add up to the whole score if that is
/// given too (else they make it, and it may not exceed [`MAX_QUESTIONS`]).
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
    if !missing.is_empty() {
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
    /// The ids of the sections without a score, in outline order.
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
                "\"{argument}\" is not a score: a score is CORRECT/TOTAL, such as 34/48, or SECTION=CORRECT/TOTAL, such as 1=14/18"
            ),
            ScoreError::ZeroTotal(argument) => write!(
                f,
                "\"{argument}\" has a TOTAL of 0: a score is CORRECT/TOTAL out of at least one question, such as 34/48"
            ),
            ScoreError::TooManyQuestions(argument) => write!(
                f,
                "\"{argument}\" has more than {MAX_QUESTIONS} questions: a score's TOTAL is 1 to {MAX_QUESTIONS}, such as 34/48"
            ),
            ScoreError::MoreCorrectThanTotal(argument) => write!(
                f,
                "\"{argument}\" has more correct answers than questions: a score's CORRECT is at most its TOTAL, such as 34/48"
            ),
            ScoreError::NoScore => f.write_str(
                "no score given: give the whole test as CORRECT/TOTAL, such as 34/48, or every section as SECTION=CORRECT/TOTAL, such as 1=14/18",
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
                    "section scores must cover every section, and {} {verb} none: score {pronoun} too, or give only the whole-test score, such as 34/48",
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
