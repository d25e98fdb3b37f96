//! The exam forecast: "would I pass if I sat it today?" The README's "Practice
//! tests and the forecast" explains it for learners.
//!
//! Pure: the exam outline, the self-ratings, the practice sittings, today and the
//! target come in as plain data; a [`Forecast`] comes out. No clock, no disk.
//!
//! The model, in the order [`forecast`] applies it:
//! 1. questions per section by largest remainder ([`questions_per_section`]);
//! 2. a Beta prior per section from its self-rating;
//! 3. each practice sitting adds its answers, weighted by a 14-day half-life
//!    ([`evidence_weight`]); a whole-test score is spread over the sections in
//!    proportion to their questions, and a quiz on some sections counts for those
//!    sections alone;
//! 4. each section's score is beta-binomial ([`beta_binomial`]) and the exam score
//!    is their exact convolution, from which come the pass chance and the 80 % range.
//!
//! The SCORE arguments of `practice add` are parsed and checked with the practice
//! command (`commands/practice/score.rs`).

mod exam;

pub use exam::{TargetSource, for_exam, target};

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use crate::round::{self, nine_places};

/// Days after which a practice sitting counts half as much.
pub const HALF_LIFE_DAYS: f64 = 14.0;

/// The prior strength of a rated section: worth four answers.
const RATED_STRENGTH: f64 = 4.0;
/// The prior strength of an unrated section: Beta(1, 1), uniform.
const UNRATED_STRENGTH: f64 = 2.0;

/// A cumulative probability this close below a percentile's level counts as
/// reaching it (see [`percentile`]).
const CUMULATIVE_SLACK: f64 = 1e-9;

/// One section of the exam outline, with the learner's self-rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionInput {
    pub id: String,
    /// The section's weight in the exam; the weights need not sum to 100.
    pub weight: u32,
    /// 1 (new to me) ..= 5 (exam-ready); a value outside is read as the nearest end.
    pub rating: Option<u8>,
}

/// One practice sitting, as `practice add` records it: a whole-test score, section
/// scores, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sitting {
    /// The day the test was taken; its age sets its weight.
    pub on: NaiveDate,
    /// The whole-test score: correct answers out of `questions`.
    pub correct: u32,
    pub questions: u32,
    /// Section id → (correct, total); empty when only the whole score was given.
    /// Ids the guide does not know are ignored.
    pub sections: BTreeMap<String, (u32, u32)>,
}

/// Everything a forecast depends on.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The number of exam questions, Q (`assessment.questions`). The work grows
    /// with Q², a few milliseconds at Q = 1000.
    pub questions: u32,
    /// The outline, in guide order.
    pub sections: &'a [SectionInput],
    /// Every practice sitting the learner recorded, however old.
    pub sittings: &'a [Sitting],
    /// Sittings are aged against this day; a sitting after it counts in full.
    pub today: NaiveDate,
    /// The target percent, 1..=100; a larger value is read as 100.
    pub target_percent: u8,
}

/// Where a section's accuracy estimate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Practice answers (weighted above zero), on top of the prior.
    Practice,
    /// The self-rating alone.
    Rating,
    /// Neither: the uniform prior.
    None,
}

/// The forecast for one section.
///
/// JSON carries four decimals: more than any display needs, without binary noise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionForecast {
    pub id: String,
    /// n_s, the section's share of the exam questions.
    pub questions: u32,
    /// a_s, the posterior mean accuracy, 0..=1.
    #[serde(serialize_with = "four_places")]
    pub accuracy: f64,
    /// Expected correct answers: n_s · a_s.
    #[serde(serialize_with = "four_places")]
    pub expected: f64,
    /// Expected lost answers: n_s · (1 − a_s).
    #[serde(serialize_with = "four_places")]
    pub lost: f64,
    /// Practice answers behind the estimate, each weighted by its age: Σ v_i · t_is.
    #[serde(serialize_with = "four_places")]
    pub answers: f64,
    /// The correct ones among them: Σ v_i · c_is. With `answers`, the accuracy
    /// the practice evidence alone shows, without the prior.
    #[serde(skip)]
    pub correct_answers: f64,
    pub source: Source,
    /// The posterior Beta(alpha, beta), for explaining the estimate.
    #[serde(skip)]
    pub alpha: f64,
    #[serde(skip)]
    pub beta: f64,
}

impl SectionForecast {
    /// The accuracy the practice answers alone show (Σ v·c / Σ v·t), `None`
    /// without any.
    pub fn evidence_accuracy(&self) -> Option<f64> {
        (self.answers > 0.0).then(|| self.correct_answers / self.answers)
    }
}

/// The forecast for the exam. The field names are `forecast --json`'s; the caller
/// adds `"exam"`, e.g. beside a `#[serde(flatten)]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// The number of exam questions, Q.
    pub questions: u32,
    /// The percent of Q to pass, 1..=100, which the pass chance is measured against.
    pub target_percent: u8,
    /// ⌈Q · target / 100⌉.
    pub pass_mark: u32,
    /// E = Σ n_s · a_s.
    #[serde(serialize_with = "four_places")]
    pub expected: f64,
    /// P(X ≥ pass mark).
    #[serde(serialize_with = "four_places")]
    pub pass_chance: f64,
    /// The 10th and 90th percentiles of the score.
    pub range: [u32; 2],
    /// The number of practice sittings given.
    pub practice_tests: usize,
    /// Most expected lost first; equal losses keep the outline order.
    pub sections: Vec<SectionForecast>,
    /// P(X = x) for x = 0..=Q.
    #[serde(skip)]
    pub distribution: Vec<f64>,
}

impl Forecast {
    /// The weakest section: the one the exam is expected to cost the most points
    /// (n_s · (1 − a_s)); of equal ones, the earlier in the outline. `None` for an
    /// exam without sections.
    pub fn weakest(&self) -> Option<&SectionForecast> {
        // `sections` is sorted by expected lost, most first, ties in outline order.
        self.sections.first()
    }

    /// The forecast of section `id`.
    pub fn section(&self, id: &str) -> Option<&SectionForecast> {
        self.sections.iter().find(|section| section.id == id)
    }
}

/// The forecast from the evidence in `inputs` (see the module documentation).
pub fn forecast(inputs: &Inputs) -> Forecast {
    let weights: Vec<u32> = inputs.sections.iter().map(|s| s.weight).collect();
    let split = questions_per_section(inputs.questions, &weights);
    let estimates = posteriors(inputs, &split);
    let distribution = estimates
        .iter()
        .zip(&split)
        .filter(|(_, questions)| **questions > 0)
        .fold(vec![1.0], |sum, (estimate, &questions)| {
            convolve(
                &sum,
                &beta_binomial(questions, estimate.alpha, estimate.beta),
            )
        });
    let mut sections: Vec<SectionForecast> = estimates
        .iter()
        .zip(inputs.sections)
        .zip(&split)
        .map(|((estimate, section), &questions)| estimate.report(section, questions))
        .collect();
    // A stable sort on snapped values: losses equal on paper keep the outline order
    // even when binary rounding makes them differ in the last bit.
    sections.sort_by(|a, b| nine_places(b.lost).total_cmp(&nine_places(a.lost)));

    let target_percent = inputs.target_percent.min(100);
    let pass_mark = pass_mark(inputs.questions, target_percent);
    Forecast {
        questions: inputs.questions,
        target_percent,
        pass_mark,
        expected: sections.iter().map(|s| s.expected).sum(),
        pass_chance: pass_chance(&distribution, pass_mark),
        range: [
            percentile(&distribution, 0.1),
            percentile(&distribution, 0.9),
        ],
        practice_tests: inputs.sittings.len(),
        sections,
        distribution,
    }
}

/// Splits `questions` over sections in proportion to `weights` by largest
/// remainder: each section gets the whole part of Q·w_s/Σw, and the questions left
/// over go one each to the largest remainders, ties to the earlier section. The
/// counts sum to Q. Weights that are all zero are read as equal.
pub fn questions_per_section(questions: u32, weights: &[u32]) -> Vec<u32> {
    let mut weights: Vec<u64> = weights.iter().map(|&w| u64::from(w)).collect();
    if weights.iter().all(|&w| w == 0) {
        weights.fill(1);
    }
    let total: u64 = weights.iter().sum();
    if total == 0 {
        return Vec::new();
    }
    // Integer arithmetic throughout: Q·w fits in u64 for any u32 Q and w.
    let shares: Vec<(u64, u64)> = weights
        .iter()
        .map(|&weight| {
            let scaled = u64::from(questions) * weight;
            (scaled / total, scaled % total)
        })
        .collect();
    let handed_out: u64 = shares.iter().map(|(whole, _)| whole).sum();
    let left_over = u64::from(questions) - handed_out;
    let mut by_remainder: Vec<usize> = (0..shares.len()).collect();
    // Stable: equal remainders stay in outline order.
    by_remainder.sort_by(|&a, &b| shares[b].1.cmp(&shares[a].1));
    let mut counts: Vec<u64> = shares.iter().map(|(whole, _)| *whole).collect();
    // Fewer questions are left over than there are sections.
    for &index in by_remainder.iter().take(left_over as usize) {
        counts[index] += 1;
    }
    // Each count is at most Q, so it fits back in u32.
    counts.into_iter().map(|count| count as u32).collect()
}

/// The exponent, logarithm and power here are the `libm` crate's, in Rust: std's
/// would link the system's libm.so, one more library for the loader to map and
/// bind on every prompt (`{pass}` runs this).
fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// The weight of a sitting on `on` as seen `today`: 0.5^(age/14), with the age in
/// days and never below zero (a sitting dated after today counts in full).
pub fn evidence_weight(on: NaiveDate, today: NaiveDate) -> f64 {
    let age = today.signed_duration_since(on).num_days().max(0);
    libm::pow(0.5, age as f64 / HALF_LIFE_DAYS)
}

/// ⌈Q · target / 100⌉, in integers: in floating point 100 · 0.07 is
/// 7.000000000000001, whose ceiling would be 8. A target above 100 is read as 100.
pub fn pass_mark(questions: u32, target_percent: u8) -> u32 {
    let target = u64::from(target_percent.min(100));
    // At most Q, since target ≤ 100.
    ((u64::from(questions) * target).div_ceil(100)) as u32
}

/// A section's posterior and the practice answers behind it.
struct Estimate {
    alpha: f64,
    beta: f64,
    answers: f64,
    correct_answers: f64,
    rated: bool,
}

impl Estimate {
    fn report(&self, section: &SectionInput, questions: u32) -> SectionForecast {
        let accuracy = self.alpha / (self.alpha + self.beta);
        let questions_f = f64::from(questions);
        let source = if self.answers > 0.0 {
            Source::Practice
        } else if self.rated {
            Source::Rating
        } else {
            Source::None
        };
        SectionForecast {
            id: section.id.clone(),
            questions,
            accuracy,
            expected: questions_f * accuracy,
            lost: questions_f * (1.0 - accuracy),
            answers: self.answers,
            correct_answers: self.correct_answers,
            source,
            alpha: self.alpha,
            beta: self.beta,
        }
    }
}

/// Each section's posterior: its prior plus every sitting's answers.
///
/// Which answers a sitting gives a section:
/// - a sitting with a score for at least one section the guide knows gives each
///   known section its own score, and a known section *without* a score of its own
///   in that sitting gets nothing from it: either the sitting was a quiz on some
///   sections, whose whole is only their sum, or a section was renamed in the
///   guide since; guessing the section's share from the whole would credit it
///   with answers given on other sections;
/// - a sitting with no section scores spreads its whole score: c_i · n_s / Q
///   correct out of t_i · n_s / Q;
/// - a sitting whose section ids the guide all does not know spreads its whole
///   score too when it scored as many sections as the outline has (a whole test
///   taken before the outline was renamed), and gives nothing when it scored fewer
///   (a quiz on sections the guide no longer has).
///
/// A correct count above its total (possible only in a hand-edited state file) is
/// read as the total, so that no Beta parameter can fall below its prior.
fn posteriors(inputs: &Inputs, split: &[u32]) -> Vec<Estimate> {
    let mut estimates: Vec<Estimate> = inputs.sections.iter().map(prior).collect();
    for sitting in inputs.sittings {
        let weight = evidence_weight(sitting.on, inputs.today);
        let sectioned = inputs
            .sections
            .iter()
            .any(|known| sitting.sections.contains_key(&known.id));
        let unknown_quiz = !sectioned
            && !sitting.sections.is_empty()
            && sitting.sections.len() < inputs.sections.len();
        if unknown_quiz {
            continue;
        }
        for ((estimate, section), &questions) in
            estimates.iter_mut().zip(inputs.sections).zip(split)
        {
            let (correct, total) = if sectioned {
                match sitting.sections.get(&section.id) {
                    Some(&(correct, total)) => (f64::from(correct), f64::from(total)),
                    None => continue,
                }
            } else if inputs.questions == 0 {
                continue;
            } else {
                let share = f64::from(questions) / f64::from(inputs.questions);
                (
                    f64::from(sitting.correct) * share,
                    f64::from(sitting.questions) * share,
                )
            };
            let correct = correct.min(total);
            estimate.alpha += weight * correct;
            estimate.beta += weight * (total - correct);
            estimate.answers += weight * total;
            estimate.correct_answers += weight * correct;
        }
    }
    estimates
}

/// The prior from the self-rating: mean 0.25 + 0.15·(rating − 1) with the strength
/// of four answers; unrated, the uniform Beta(1, 1).
fn prior(section: &SectionInput) -> Estimate {
    let rating = section.rating.map(|r| r.clamp(1, 5));
    let (mean, strength) = match rating {
        Some(r) => (0.25 + 0.15 * f64::from(r - 1), RATED_STRENGTH),
        None => (0.5, UNRATED_STRENGTH),
    };
    Estimate {
        alpha: strength * mean,
        beta: strength * (1.0 - mean),
        answers: 0.0,
        correct_answers: 0.0,
        rated: rating.is_some(),
    }
}

/// The smallest and largest Beta shape [`beta_binomial`] works with: any positive
/// shape the model can produce lies far inside.
const SHAPE_RANGE: (f64, f64) = (1e-300, 1e300);

/// P(K = k) for k = 0..=n, K ~ BetaBinomial(n, alpha, beta).
///
/// Computed in log space from the ratio of neighbours,
/// p(k+1)/p(k) = (n−k)/(k+1) · (α+k)/(β+n−k−1),
/// then shifted so the largest term is 1, exponentiated and normalised: no
/// overflow, no underflow of the whole distribution to zeros, and terms too small
/// for an f64 (below 1e-308 of the largest) become 0. The result sums to 1 up to
/// rounding. Shapes outside 1e-300..=1e300 (and NaN) are pulled inside.
pub fn beta_binomial(n: u32, alpha: f64, beta: f64) -> Vec<f64> {
    let alpha = alpha.max(SHAPE_RANGE.0).min(SHAPE_RANGE.1);
    let beta = beta.max(SHAPE_RANGE.0).min(SHAPE_RANGE.1);
    let n_f = f64::from(n);
    let mut logs = Vec::with_capacity(n as usize + 1);
    let mut log = 0.0;
    logs.push(log);
    for k in 0..n {
        let k = f64::from(k);
        // Logs of each factor rather than of products: α + k may be near 1e300.
        // The whole count n − k − 1 is formed before adding β, which may be tiny.
        let rest = n_f - k - 1.0;
        log += ln(n_f - k) + ln(alpha + k) - ln(k + 1.0) - ln(beta + rest);
        logs.push(log);
    }
    let largest = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut terms: Vec<f64> = logs.iter().map(|log| libm::exp(log - largest)).collect();
    let total: f64 = terms.iter().sum();
    for term in &mut terms {
        *term /= total;
    }
    terms
}

/// The distribution of X + Y for independent X ~ `a` and Y ~ `b`.
fn convolve(a: &[f64], b: &[f64]) -> Vec<f64> {
    let mut sum = vec![0.0; a.len() + b.len() - 1];
    for (x, &p) in a.iter().enumerate() {
        for (y, &q) in b.iter().enumerate() {
            sum[x + y] += p * q;
        }
    }
    sum
}

/// P(X ≥ mark), summed from the top score down: a higher mark sums a prefix of the
/// same additions, so the chance can never rise with the mark, not even by rounding.
fn pass_chance(distribution: &[f64], mark: u32) -> f64 {
    let mark = mark as usize;
    let tail: f64 = distribution.iter().skip(mark).rev().sum();
    tail.min(1.0)
}

/// The smallest x whose cumulative probability reaches `level`.
///
/// A cumulative that falls short of `level` by at most 1e-9 counts as reaching it:
/// ten outcomes of 0.1 each sum to 0.8999999999999999 at the ninth in binary, and
/// on paper that reaches 0.9. A shortfall this small is rounding, never a real
/// probability a learner could see.
fn percentile(distribution: &[f64], level: f64) -> u32 {
    let mut cumulative = 0.0;
    for (x, p) in distribution.iter().enumerate() {
        cumulative += p;
        if cumulative >= level - CUMULATIVE_SLACK {
            return x as u32;
        }
    }
    // Unreachable for a distribution that sums to 1; the top score otherwise.
    distribution.len().saturating_sub(1) as u32
}

/// Serializes a figure to four decimals ([`round::four_places`]).
fn four_places<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(round::four_places(*value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn section(id: &str, weight: u32, rating: Option<u8>) -> SectionInput {
        SectionInput {
            id: id.into(),
            weight,
            rating,
        }
    }

    fn sitting(on: &str, correct: u32, questions: u32, sections: &[(&str, u32, u32)]) -> Sitting {
        Sitting {
            on: day(on),
            correct,
            questions,
            sections: sections
                .iter()
                .map(|&(id, c, t)| (id.to_string(), (c, t)))
                .collect(),
        }
    }

    fn inputs<'a>(
        questions: u32,
        sections: &'a [SectionInput],
        sittings: &'a [Sitting],
        target_percent: u8,
    ) -> Inputs<'a> {
        Inputs {
            questions,
            sections,
            sittings,
            today: day("2026-12-01"),
            target_percent,
        }
    }

    fn assert_close(found: f64, expected: f64) {
        assert!(
            (found - expected).abs() < 1e-12,
            "found {found}, expected {expected}"
        );
    }

    fn assert_all_close(found: &[f64], expected: &[f64]) {
        assert_eq!(found.len(), expected.len(), "{found:?} vs {expected:?}");
        for (&f, &e) in found.iter().zip(expected) {
            assert_close(f, e);
        }
    }

    #[test]
    fn largest_remainder_splits_the_bundled_exams() {
        // Weights from data/associate.yaml, Q = 48: 48·w/100 = 18.24, 9.12, 14.88,
        // 5.76. Whole parts 18 + 9 + 14 + 5 = 46; the two left over go to the
        // largest remainders, .88 (section 3) and .76 (section 4).
        assert_eq!(questions_per_section(48, &[38, 19, 31, 12]), [18, 9, 15, 6]);
        // data/professional.yaml, Q = 60: 18, 18, 15, 9 exactly, nothing left over.
        assert_eq!(
            questions_per_section(60, &[30, 30, 25, 15]),
            [18, 18, 15, 9]
        );
    }

    #[test]
    fn largest_remainder_ties_go_to_the_earlier_section() {
        // 3 · 50/100 = 1.5 each: one question left over, to the first section.
        assert_eq!(questions_per_section(3, &[50, 50]), [2, 1]);
        // 5 · 1/3 = 1.67 each: two left over, to the first two.
        assert_eq!(questions_per_section(5, &[1, 1, 1]), [2, 2, 1]);
        // A later section with a larger remainder still wins: 4·10/100 = 0.4,
        // 4·10/100 = 0.4, 4·80/100 = 3.2; one left over goes to the first .4.
        assert_eq!(questions_per_section(4, &[10, 10, 80]), [1, 0, 3]);
    }

    #[test]
    fn largest_remainder_edges() {
        assert_eq!(questions_per_section(0, &[38, 19, 31, 12]), [0, 0, 0, 0]);
        assert_eq!(questions_per_section(7, &[0, 0]), [4, 3]);
        assert_eq!(questions_per_section(7, &[]), Vec::<u32>::new());
        assert_eq!(
            questions_per_section(u32::MAX, &[u32::MAX, 1])
                .iter()
                .map(|&n| u64::from(n))
                .sum::<u64>(),
            u64::from(u32::MAX)
        );
    }

    #[test]
    fn a_sitting_counts_half_after_fourteen_days() {
        let today = day("2026-12-01");
        assert_close(evidence_weight(today, today), 1.0);
        assert_close(evidence_weight(day("2026-11-17"), today), 0.5);
        assert_close(evidence_weight(day("2026-11-03"), today), 0.25);
        // 7 days: 0.5^(1/2) = 1/√2.
        assert_close(evidence_weight(day("2026-11-24"), today), 0.5_f64.sqrt());
        // Dated after today: no negative age, so it counts in full, not double.
        assert_close(evidence_weight(day("2026-12-15"), today), 1.0);
        // Ancient: the weight underflows to zero, not to NaN.
        assert_eq!(evidence_weight(NaiveDate::MIN, NaiveDate::MAX), 0.0);
    }

    #[test]
    fn pass_mark_rounds_up_in_integers() {
        // 48 · 70 / 100 = 33.6 → 34; 60 · 70 / 100 = 42 exactly.
        assert_eq!(pass_mark(48, 70), 34);
        assert_eq!(pass_mark(60, 70), 42);
        assert_eq!(pass_mark(4, 70), 3);
        assert_eq!(pass_mark(48, 100), 48);
        assert_eq!(pass_mark(48, 1), 1);
        assert_eq!(pass_mark(48, 250), 48);
        assert_eq!(pass_mark(0, 70), 0);
        // Exact multiples that floating point would push past: 100 · 0.07 and
        // 25 · 0.28 are 7.000000000000001 in binary.
        assert_eq!(pass_mark(100, 7), 7);
        assert_eq!(pass_mark(25, 28), 7);
    }

    #[test]
    fn beta_binomial_by_hand() {
        // Beta(2, 2), n = 2. Ratios p(k+1)/p(k) = (n−k)/(k+1) · (α+k)/(β+n−k−1):
        // p1/p0 = 2/1 · 2/3 = 4/3, p2/p1 = 1/2 · 3/2 = 3/4, so 1 : 4/3 : 1 = 3 : 4 : 3.
        assert_all_close(&beta_binomial(2, 2.0, 2.0), &[0.3, 0.4, 0.3]);
        // Beta(1, 1) is uniform, and so is its beta-binomial: 1/(n+1) each.
        assert_all_close(&beta_binomial(3, 1.0, 1.0), &[0.25; 4]);
        // Beta(1, 3), n = 2: p0 = B(1, 5)/B(1, 3) = (1/5)/(1/3) = 3/5, then
        // p1/p0 = 2 · 1/4 = 1/2 → 3/10, p2/p1 = 1/2 · 2/3 = 1/3 → 1/10.
        assert_all_close(&beta_binomial(2, 1.0, 3.0), &[0.6, 0.3, 0.1]);
        assert_all_close(&beta_binomial(0, 5.0, 7.0), &[1.0]);
    }

    #[test]
    fn beta_binomial_stays_finite_at_the_extremes() {
        for (alpha, beta) in [
            (1e-300, 1e-300),
            (1e300, 1e-300),
            (1e-300, 1e300),
            (1e5, 1e5),
            (0.0, 0.0),
            (f64::NAN, f64::INFINITY),
        ] {
            let p = beta_binomial(1000, alpha, beta);
            assert_eq!(p.len(), 1001);
            assert!(
                p.iter().all(|x| x.is_finite() && *x >= 0.0),
                "{alpha} {beta}"
            );
            assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{alpha} {beta}");
        }
        // Almost surely right: all the mass at n, none lost to underflow.
        let sure = beta_binomial(1000, 1e300, 1.0);
        assert_close(sure[1000], 1.0);
    }

    #[test]
    fn one_question_with_a_uniform_prior_is_a_coin_flip() {
        // Beta(1, 1) with one question: right with chance 1/2. A 70 % target needs
        // ⌈0.7⌉ = 1 correct, so the pass chance is 1/2.
        let sections = [section("only", 100, None)];
        let result = forecast(&inputs(1, &sections, &[], 70));
        assert_eq!(result.pass_mark, 1);
        assert_close(result.pass_chance, 0.5);
        assert_all_close(&result.distribution, &[0.5, 0.5]);
        assert_close(result.expected, 0.5);
        assert_eq!(result.sections[0].source, Source::None);
    }

    #[test]
    fn a_small_forecast_worked_by_hand() {
        // Q = 4, weights 50/50 → 2 questions each. Target 70 % → ⌈2.8⌉ = 3.
        // "a" is unrated: Beta(1, 1). "b" is rated 1: mean 0.25, strength 4 →
        // Beta(1, 3).
        // One sitting 14 days old (weight 1/2) with section scores a = 2/2 and
        // "old-b" = 0/2: "old-b" is unknown and ignored; "b" has no score of its own
        // in a sectioned sitting, so it gets nothing. a: α = 1 + ½·2 = 2, β = 1 + 0.
        //
        // a ~ BetaBinomial(2, 2, 1): p1/p0 = 2/1 · 2/2 = 2, p2/p1 = 1/2 · 3/1 = 3/2,
        //   so 1 : 2 : 3 → [1/6, 2/6, 3/6]; mean 2/3, expected 4/3, lost 2/3.
        // b ~ BetaBinomial(2, 1, 3) = [3/5, 3/10, 1/10] (worked above); mean 1/4,
        //   expected 1/2, lost 3/2.
        // Convolution, over 600 (a = [10, 20, 30]/60, b = [6, 3, 1]/10):
        //   X=0: 10·6 = 60; X=1: 10·3 + 20·6 = 150; X=2: 10·1 + 20·3 + 30·6 = 250;
        //   X=3: 20·1 + 30·3 = 110; X=4: 30·1 = 30. Sum 600.
        // Pass chance P(X ≥ 3) = 140/600 = 7/30. E = 4/3 + 1/2 = 11/6
        // (check: (150 + 500 + 330 + 120)/600 = 11/6).
        // Cumulative 0.1, 0.35, 0.7667, 0.95, 1: the 10th percentile is 0 (reached
        // exactly), the 90th is 3.
        let sections = [section("a", 50, None), section("b", 50, Some(1))];
        let sittings = [sitting("2026-11-17", 2, 4, &[("a", 2, 2), ("old-b", 0, 2)])];
        let result = forecast(&inputs(4, &sections, &sittings, 70));

        assert_eq!(result.pass_mark, 3);
        assert_all_close(
            &result.distribution,
            &[
                60.0 / 600.0,
                150.0 / 600.0,
                250.0 / 600.0,
                110.0 / 600.0,
                30.0 / 600.0,
            ],
        );
        assert_close(result.pass_chance, 7.0 / 30.0);
        assert_close(result.expected, 11.0 / 6.0);
        assert_eq!(result.range, [0, 3]);
        assert_eq!(result.practice_tests, 1);

        // Most lost first: b (3/2) before a (2/3).
        let [b, a] = &result.sections[..] else {
            panic!("two sections")
        };
        assert_eq!(
            (b.id.as_str(), b.questions, b.source),
            ("b", 2, Source::Rating)
        );
        assert_eq!((b.alpha, b.beta), (1.0, 3.0));
        assert_close(b.accuracy, 0.25);
        assert_close(b.expected, 0.5);
        assert_close(b.lost, 1.5);
        assert_close(b.answers, 0.0);
        assert_eq!(
            (a.id.as_str(), a.questions, a.source),
            ("a", 2, Source::Practice)
        );
        assert_eq!((a.alpha, a.beta), (2.0, 1.0));
        assert_close(a.accuracy, 2.0 / 3.0);
        assert_close(a.expected, 4.0 / 3.0);
        assert_close(a.lost, 2.0 / 3.0);
        assert_close(a.answers, 1.0);
    }

    #[test]
    fn a_whole_score_spreads_over_the_sections_by_their_questions() {
        // Associate, Q = 48, all unrated; one sitting today, 24/48, no sections.
        // Section 1 (18 questions) gets 24·18/48 = 9 of 48·18/48 = 18:
        // Beta(1 + 9, 1 + 9). Section 4 (6 questions) gets 3 of 6: Beta(4, 4).
        let sections = [
            section("databricks-ml", 38, None),
            section("ml-workflows", 19, None),
            section("model-development", 31, None),
            section("model-deployment", 12, None),
        ];
        let whole = [sitting("2026-12-01", 24, 48, &[])];
        let result = forecast(&inputs(48, &sections, &whole, 70));
        let find = |id: &str| result.sections.iter().find(|s| s.id == id).unwrap();
        assert_eq!(
            (find("databricks-ml").alpha, find("databricks-ml").beta),
            (10.0, 10.0)
        );
        assert_close(find("databricks-ml").answers, 18.0);
        assert_eq!(
            (
                find("model-deployment").alpha,
                find("model-deployment").beta
            ),
            (4.0, 4.0)
        );
        // Every accuracy is 1/2, so each section loses half its questions and the
        // order is by questions: 18, 15, 9, 6.
        let order: Vec<&str> = result.sections.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            order,
            [
                "databricks-ml",
                "model-development",
                "ml-workflows",
                "model-deployment"
            ]
        );
        assert_close(result.expected, 24.0);

        // The same sitting whose section ids are all unknown (the outline was
        // renamed since) still counts through its whole score. It scored every
        // section of the outline it was taken under, four like today's
        // (9 + 4 + 8 + 3 = 24 of 18 + 9 + 15 + 6 = 48): fewer would be a quiz.
        let renamed = [sitting(
            "2026-12-01",
            24,
            48,
            &[
                ("old-1", 9, 18),
                ("old-2", 4, 9),
                ("old-3", 8, 15),
                ("old-4", 3, 6),
            ],
        )];
        let again = forecast(&inputs(48, &sections, &renamed, 70));
        assert_eq!(again.sections, result.sections);
    }

    /// The associate outline, every section unrated: weights 38, 19, 31, 12 of 48
    /// questions split 18, 9, 15, 6.
    fn unrated_associate() -> [SectionInput; 4] {
        [
            section("databricks-ml", 38, None),
            section("ml-workflows", 19, None),
            section("model-development", 31, None),
            section("model-deployment", 12, None),
        ]
    }

    #[test]
    fn a_section_quiz_counts_for_its_section_alone() {
        // `practice add 2=5/9` today, as the state records it: the whole is the
        // quiz's 5 of 9, and only section 2 has a score.
        let sections = unrated_associate();
        let sittings = [Sitting {
            on: day("2026-12-01"),
            correct: 5,
            questions: 9,
            sections: BTreeMap::from([("ml-workflows".to_string(), (5, 9))]),
        }];
        let result = forecast(&inputs(48, &sections, &sittings, 70));
        let find = |id: &str| result.sections.iter().find(|s| s.id == id).unwrap();
        // Unrated prior m = 0.5, k = 2: α = β = 1. The quiz is today, weight 1.
        // ml-workflows: α = 1 + 5 = 6, β = 1 + (9 − 5) = 5, mean 6/11, 9 answers.
        let quizzed = find("ml-workflows");
        assert_eq!((quizzed.alpha, quizzed.beta), (6.0, 5.0));
        assert_close(quizzed.accuracy, 6.0 / 11.0);
        assert_close(quizzed.answers, 9.0);
        assert_eq!(quizzed.source, Source::Practice);
        // The others get nothing from the quiz's whole 5/9: still Beta(1, 1).
        for id in ["databricks-ml", "model-development", "model-deployment"] {
            let other = find(id);
            assert_eq!((other.alpha, other.beta), (1.0, 1.0), "{id}");
            assert_close(other.accuracy, 0.5);
            assert_close(other.answers, 0.0);
            assert_eq!(other.source, Source::None, "{id}");
        }
        // E = (18 + 15 + 6) · 1/2 + 9 · 6/11 = 39/2 + 54/11 = 537/22.
        assert_close(result.expected, 537.0 / 22.0);
        assert_eq!(result.practice_tests, 1);
    }

    #[test]
    fn a_quiz_on_a_section_the_guide_no_longer_has_counts_for_nothing() {
        // One section scored, under an id the outline has not (renamed since):
        // fewer sections than the outline's four, so it was a quiz, and its
        // whole 5/9 belongs to that section alone. Every section keeps Beta(1, 1)
        // with no answers, as with no sitting at all.
        let sections = unrated_associate();
        let quiz = [sitting("2026-12-01", 5, 9, &[("old-workflows", 5, 9)])];
        let result = forecast(&inputs(48, &sections, &quiz, 70));
        let nothing = forecast(&inputs(48, &sections, &[], 70));
        assert_eq!(result.sections, nothing.sections);
        for section in &result.sections {
            assert_eq!((section.alpha, section.beta), (1.0, 1.0), "{}", section.id);
            assert_eq!(section.answers, 0.0, "{}", section.id);
        }
        assert_close(result.expected, 24.0);
        assert_eq!(result.practice_tests, 1);
    }

    #[test]
    fn equal_losses_keep_the_outline_order() {
        // Q = 5, weights 40/60 → 2 and 3 questions. "y" rated 3 (mean 0.55) loses
        // 2 · 0.45 = 0.9; "x" rated 4 (mean 0.7) loses 3 · 0.3 = 0.9. In binary
        // they come out as 0.8999999999999999 and 0.9000000000000001; equal on
        // paper, so the outline order stands.
        let sections = [section("y", 40, Some(3)), section("x", 60, Some(4))];
        let result = forecast(&inputs(5, &sections, &[], 70));
        let order: Vec<&str> = result.sections.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(order, ["y", "x"]);
        assert_close(result.sections[0].lost, 0.9);
        assert_close(result.sections[1].lost, 0.9);
    }

    #[test]
    fn ratings_set_the_prior() {
        // Rating r: mean 0.25 + 0.15·(r − 1), four answers' strength.
        for (rating, alpha, beta) in [(1, 1.0, 3.0), (3, 2.2, 1.8), (5, 3.4, 0.6)] {
            let sections = [section("s", 100, Some(rating))];
            let result = forecast(&inputs(10, &sections, &[], 70));
            assert_close(result.sections[0].alpha, alpha);
            assert_close(result.sections[0].beta, beta);
            assert_eq!(result.sections[0].source, Source::Rating);
        }
    }

    #[test]
    fn a_hand_edited_score_above_its_total_counts_as_full_marks() {
        let sections = [section("s", 100, None)];
        let over = [sitting("2026-12-01", 9, 4, &[])];
        let full = [sitting("2026-12-01", 4, 4, &[])];
        let found = forecast(&inputs(4, &sections, &over, 70));
        assert_eq!(found, forecast(&inputs(4, &sections, &full, 70)));
        assert_eq!(
            (found.sections[0].alpha, found.sections[0].beta),
            (5.0, 1.0)
        );
    }

    #[test]
    fn no_questions_forecasts_nothing_without_dividing_by_zero() {
        let sections = [section("s", 100, Some(2))];
        let sittings = [sitting("2026-12-01", 3, 5, &[])];
        let result = forecast(&inputs(0, &sections, &sittings, 70));
        assert_eq!(result.distribution, [1.0]);
        assert_eq!(
            (result.pass_mark, result.pass_chance, result.range),
            (0, 1.0, [0, 0])
        );
        assert_eq!(result.expected, 0.0);
        assert_eq!(result.sections[0].source, Source::Rating);
    }

    #[test]
    fn percentiles_reach_their_level_despite_rounding() {
        // Ten outcomes of 0.1: the cumulative reaches 0.1 at x = 0 and 0.9 at x = 8
        // on paper; in binary the ninth partial sum is 0.8999999999999999.
        let tenths = [0.1; 10];
        assert!(tenths[..9].iter().sum::<f64>() < 0.9);
        assert_eq!(percentile(&tenths, 0.1), 0);
        assert_eq!(percentile(&tenths, 0.9), 8);
        // The 80 % range of Beta(2, 2) with 2 questions (0.3, 0.4, 0.3):
        // cumulative 0.3, 0.7, 1.0 → [0, 2].
        assert_eq!(percentile(&[0.3, 0.4, 0.3], 0.1), 0);
        assert_eq!(percentile(&[0.3, 0.4, 0.3], 0.9), 2);
        // A real shortfall still moves on: 0.0999 does not reach 0.1.
        assert_eq!(percentile(&[0.0999, 0.9001], 0.1), 1);
    }

    #[test]
    fn json_has_the_contract_field_names_with_four_decimals() {
        let sections = [section("a", 50, None), section("b", 50, Some(1))];
        let sittings = [sitting("2026-11-17", 2, 4, &[("a", 2, 2), ("old-b", 0, 2)])];
        let result = forecast(&inputs(4, &sections, &sittings, 70));
        // Values from a_small_forecast_worked_by_hand, to four places:
        // 11/6 = 1.8333, 7/30 = 0.2333, 2/3 = 0.6667, 4/3 = 1.3333.
        let expected = serde_json::json!({
            "questions": 4, "target_percent": 70, "pass_mark": 3,
            "expected": 1.8333, "pass_chance": 0.2333, "range": [0, 3],
            "practice_tests": 1,
            "sections": [
                {"id": "b", "questions": 2, "accuracy": 0.25, "expected": 0.5,
                 "lost": 1.5, "answers": 0.0, "source": "rating"},
                {"id": "a", "questions": 2, "accuracy": 0.6667, "expected": 1.3333,
                 "lost": 0.6667, "answers": 1.0, "source": "practice"}
            ]
        });
        assert_eq!(serde_json::to_value(&result).unwrap(), expected);
    }

    #[test]
    fn the_caller_adds_the_exam_by_flattening() {
        #[derive(Serialize)]
        struct Output<'a> {
            exam: &'a str,
            #[serde(flatten)]
            forecast: &'a Forecast,
        }
        let sections = [section("only", 100, None)];
        let result = forecast(&inputs(1, &sections, &[], 70));
        let text = serde_json::to_string(&Output {
            exam: "mine",
            forecast: &result,
        })
        .unwrap();
        assert!(
            text.starts_with(r#"{"exam":"mine","questions":1,"target_percent":70,"pass_mark":1,"expected":0.5,"pass_chance":0.5,"range":[0,1],"#),
            "{text}"
        );
    }
}
