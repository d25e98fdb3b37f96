//! Property tests of the exam forecast (README: Practice tests and the forecast) on the pure library:
//! the score distribution is a distribution, its mean is the expected score, the
//! pass chance never rises with the target, more correct answers never hurt, and
//! nothing is NaN or panics for any outline, ratings, sittings and dates.
//!
//! Failure persistence is off (no regression files beside this one): a failure
//! that proptest finds is written down below as a plain regression test.

use std::collections::BTreeMap;

use certprep::forecast::{
    Forecast, Inputs, SectionInput, Sitting, beta_binomial, forecast, pass_mark,
};
use chrono::{Days, NaiveDate};
use proptest::prelude::*;

const TODAY: &str = "2026-12-01";

fn today() -> NaiveDate {
    TODAY.parse().unwrap()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Small exams most of the time, up to the 1000 questions a practice test may have.
fn questions() -> impl Strategy<Value = u32> {
    prop_oneof![0..=60u32, 0..=1000u32]
}

/// One to six sections, ids s0.., weights that need not sum to 100.
fn outline() -> impl Strategy<Value = Vec<SectionInput>> {
    prop::collection::vec((1..=100u32, prop::option::of(1..=5u8)), 1..=6).prop_map(|sections| {
        sections
            .into_iter()
            .enumerate()
            .map(|(index, (weight, rating))| SectionInput {
                id: format!("s{index}"),
                weight,
                rating,
            })
            .collect()
    })
}

/// A date near today, or far in the past or future (tens of thousands of years).
fn date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![-60..=60i64, -10_000_000..=10_000_000i64].prop_map(|offset| {
        let days = Days::new(offset.unsigned_abs());
        if offset < 0 {
            today() - days
        } else {
            today() + days
        }
    })
}

/// (correct, total) with 1 ≤ total ≤ 1000, as the SCORE parser accepts.
fn score() -> impl Strategy<Value = (u32, u32)> {
    (1..=1000u32).prop_flat_map(|total| (0..=total, Just(total)))
}

/// A sitting: a whole score, and sometimes section scores for any of the outline's
/// ids (s0..s5, whether the outline has them or not) and an unknown id.
fn sitting() -> impl Strategy<Value = Sitting> {
    let ids = prop::sample::subsequence(vec!["s0", "s1", "s2", "s3", "s4", "s5", "old"], 0..=7);
    (date(), score(), ids, prop::collection::vec(score(), 7)).prop_map(
        |(on, (correct, questions), ids, scores)| Sitting {
            on,
            correct,
            questions,
            sections: ids.into_iter().map(String::from).zip(scores).collect(),
        },
    )
}

fn run(questions: u32, sections: &[SectionInput], sittings: &[Sitting], target: u8) -> Forecast {
    forecast(&Inputs {
        questions,
        sections,
        sittings,
        today: today(),
        target_percent: target,
    })
}

/// Everything that must hold of any forecast.
fn check_well_formed(found: &Forecast, questions: u32, target: u8) -> Result<(), TestCaseError> {
    let q = f64::from(questions);
    let distribution = &found.distribution;
    prop_assert_eq!(distribution.len(), questions as usize + 1);
    prop_assert!(distribution.iter().all(|p| p.is_finite() && *p >= 0.0));
    let total: f64 = distribution.iter().sum();
    prop_assert!((total - 1.0).abs() < 1e-9, "sums to {}", total);
    // The mean of the convolution is the sum of the sections' means, E.
    let mean: f64 = distribution
        .iter()
        .enumerate()
        .map(|(x, p)| x as f64 * p)
        .sum();
    prop_assert!(found.expected.is_finite() && (0.0..=q).contains(&found.expected));
    prop_assert!(
        (mean - found.expected).abs() < 1e-9 * q.max(1.0),
        "{} vs {}",
        mean,
        found.expected
    );

    prop_assert_eq!(found.pass_mark, pass_mark(questions, target));
    prop_assert!((0.0..=1.0).contains(&found.pass_chance));
    let tail: f64 = distribution[found.pass_mark as usize..].iter().sum();
    prop_assert!((tail - found.pass_chance).abs() < 1e-12);
    let [low, high] = found.range;
    prop_assert!(low <= high && high <= questions);

    let split: u32 = found.sections.iter().map(|s| s.questions).sum();
    prop_assert_eq!(split, questions);
    for section in &found.sections {
        prop_assert!((0.0..=1.0).contains(&section.accuracy));
        for value in [section.expected, section.lost, section.answers] {
            prop_assert!(value.is_finite() && value >= 0.0);
        }
    }
    for pair in found.sections.windows(2) {
        prop_assert!(pair[0].lost >= pair[1].lost - 1e-9, "most lost first");
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_forecast_is_well_formed(
        questions in questions(),
        sections in outline(),
        sittings in prop::collection::vec(sitting(), 0..=8),
        target in 1..=100u8,
    ) {
        let found = run(questions, &sections, &sittings, target);
        check_well_formed(&found, questions, target)?;
        prop_assert_eq!(found.practice_tests, sittings.len());
    }

    #[test]
    fn many_sittings_of_a_thousand_questions(
        questions in questions(),
        sections in outline(),
        sittings in prop::collection::vec(
            (date(), 0..=1000u32).prop_map(|(on, correct)| Sitting {
                on, correct, questions: 1000, sections: BTreeMap::new(),
            }),
            0..=300,
        ),
        target in 1..=100u8,
    ) {
        let found = run(questions, &sections, &sittings, target);
        check_well_formed(&found, questions, target)?;
    }

    #[test]
    fn the_pass_chance_never_rises_with_the_target(
        questions in questions(),
        sections in outline(),
        sittings in prop::collection::vec(sitting(), 0..=4),
        target in 1..=100u8,
        step in 0..=99u8,
    ) {
        let higher = target.saturating_add(step).min(100);
        let low = run(questions, &sections, &sittings, target);
        let high = run(questions, &sections, &sittings, higher);
        prop_assert!(high.pass_chance <= low.pass_chance, "{} then {}", low.pass_chance, high.pass_chance);
    }

    #[test]
    fn more_correct_answers_never_hurt(
        questions in questions(),
        sections in outline(),
        sittings in prop::collection::vec(sitting(), 1..=4),
        pick in any::<prop::sample::Index>(),
        more in 1..=1000u32,
        target in 1..=100u8,
    ) {
        let mut better = sittings.clone();
        let sitting = &mut better[pick.index(sittings.len())];
        sitting.correct += more.min(sitting.questions - sitting.correct);
        for (correct, total) in sitting.sections.values_mut() {
            *correct += more.min(*total - *correct);
        }
        let before = run(questions, &sections, &sittings, target);
        let after = run(questions, &sections, &better, target);
        prop_assert!(after.pass_chance >= before.pass_chance - 1e-9,
            "pass chance {} → {}", before.pass_chance, after.pass_chance);
        prop_assert!(after.expected >= before.expected - 1e-9,
            "expected {} → {}", before.expected, after.expected);
    }

    /// The moments of the beta-binomial, from their closed forms: mean nα/(α+β),
    /// variance nαβ(α+β+n) / ((α+β)²(α+β+1)).
    #[test]
    fn beta_binomial_has_the_textbook_moments(
        n in 0..=1000u32,
        log_alpha in -3.0..5.0f64,
        log_beta in -3.0..5.0f64,
    ) {
        let (alpha, beta) = (10f64.powf(log_alpha), 10f64.powf(log_beta));
        let p = beta_binomial(n, alpha, beta);
        prop_assert_eq!(p.len(), n as usize + 1);
        prop_assert!(p.iter().all(|x| x.is_finite() && *x >= 0.0));
        prop_assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        let n_f = f64::from(n);
        let mean: f64 = p.iter().enumerate().map(|(k, q)| k as f64 * q).sum();
        let variance: f64 = p.iter().enumerate().map(|(k, q)| (k as f64 - mean).powi(2) * q).sum();
        let sum = alpha + beta;
        let expected_mean = n_f * alpha / sum;
        let expected_variance = n_f * alpha * beta * (sum + n_f) / (sum * sum * (sum + 1.0));
        prop_assert!((mean - expected_mean).abs() <= 1e-9 * n_f.max(1.0), "mean {} vs {}", mean, expected_mean);
        prop_assert!((variance - expected_variance).abs() <= 1e-7 * n_f.max(1.0).powi(2),
            "variance {} vs {}", variance, expected_variance);
    }

    /// One unrated section and whole-score sittings: the posterior is
    /// Beta(1 + Σ v·c, 1 + Σ v·(t − c)) with v = 0.5^(age/14), age ≥ 0.
    #[test]
    fn one_section_follows_the_formula(
        questions in 1..=100u32,
        sittings in prop::collection::vec(
            (-60..=60i64, score()).prop_map(|(offset, (correct, total))| Sitting {
                on: today() - chrono::TimeDelta::days(offset),
                correct,
                questions: total,
                sections: BTreeMap::new(),
            }),
            0..=5,
        ),
    ) {
        let sections = [SectionInput { id: "only".into(), weight: 100, rating: None }];
        let found = run(questions, &sections, &sittings, 70);
        let (mut alpha, mut beta) = (1.0, 1.0);
        for sitting in &sittings {
            let age = (today() - sitting.on).num_days().max(0) as f64;
            let v = 0.5f64.powf(age / 14.0);
            alpha += v * f64::from(sitting.correct);
            beta += v * f64::from(sitting.questions - sitting.correct);
        }
        let section = &found.sections[0];
        prop_assert!((section.alpha - alpha).abs() < 1e-9 * alpha);
        prop_assert!((section.beta - beta).abs() < 1e-9 * beta);
        prop_assert!((section.accuracy - alpha / (alpha + beta)).abs() < 1e-12);
        let direct = beta_binomial(questions, alpha, beta);
        for (found, direct) in found.distribution.iter().zip(&direct) {
            prop_assert!((found - direct).abs() < 1e-12);
        }
    }
}
