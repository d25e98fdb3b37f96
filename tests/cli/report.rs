//! `certprep report` (README: For coaches): a coach's class report over
//! a directory of learners' state files.
//!
//! The cohort uses a small own guide so every number can be worked on paper:
//! `mycert`, 10 questions, sections basics (weight 60) and advanced (40); item
//! `hello` trains basics, `deep-dive` advanced; plan day 1 trains basics, days
//! 2–3 both. So basics has 1 item and 3 plan days, advanced 1 item and 2 days,
//! and a section's readiness is 100 · (0.5·R + 0.3·C + 0.2·P), R = (rating − 1)/4.
//! Today is 2026-11-22.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::common::{Env, MYCERT, TODAY};
use crate::users::Unprivileged;
use assert_cmd::Command;
use serde_json::Value;

/// A sandbox (the suite's one [`Env`]) with the guide installed and an empty
/// cohort directory.
struct Sandbox {
    env: Env,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox::in_env(Env::new())
    }

    /// A sandbox the user nobody can reach (see `users::Unprivileged`).
    fn for_nobody() -> Sandbox {
        Sandbox::in_env(Env::for_nobody())
    }

    fn in_env(env: Env) -> Sandbox {
        fs::create_dir(env.path("cohort")).unwrap();
        env.install_guide("mycert.yaml", MYCERT);
        Sandbox { env }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.env.path(name)
    }

    fn cohort(&self) -> PathBuf {
        self.path("cohort")
    }

    /// Writes `cohort/NAME.toml` with one exam's progress.
    fn learner(&self, name: &str, progress: &str) -> PathBuf {
        let path = self.cohort().join(format!("{name}.toml"));
        let text = format!("version = 1\nactive = \"mycert\"\n\n[exams.mycert]\n{progress}");
        fs::write(&path, text).unwrap();
        path
    }

    /// `certprep report cohort`, run to the end.
    fn report_cohort(&self) -> std::process::Output {
        let mut command = self.certprep();
        command.arg("report").arg(self.cohort());
        command.output().unwrap()
    }

    /// certprep in the sandbox, today pinned, with no `--state`: a report reads
    /// only the files it is given.
    fn certprep(&self) -> Command {
        let mut command = self.env.bare();
        command
            .env("CERTPREP_TODAY", TODAY)
            .timeout(Duration::from_secs(20));
        command
    }
}

/// The hand-made cohort: five learners with progress on mycert, one who never
/// started, a corrupt file, an oversized file and a FIFO.
///
/// | learner | started, days done | ticked | ratings (b, a) | basics | advanced | overall |
/// |---|---|---|---|---|---|---|
/// | ahead   | 11-21 (day 2), 1 2 | hello | 5, 5 | 50+30+13.33 = 93.33 | 50+0+10 = 60 | 0.6·93.33+0.4·60 = 80 |
/// | ontrack | 11-21 (day 2), 1   | –     | –    | 0.2·1/3 → 6.67 | 0 | 0.6·6.67 = 4 |
/// | behind  | 11-10 (over), –    | –     | 3, 3 | 25 | 25 | 25 |
///
/// (behind also has two practice sittings, which move its forecast, not its
/// readiness.)
/// | atrisk  | 11-20 (day 3), 1 2 | –     | 1, 1 | 0.2·2/3 → 13.33 | 0.2·1/2 → 10 | 8+4 = 12 |
/// | soon    | 11-22 (day 1), –, booked 11-25 | hello deep-dive | – | 30 | 30 | 30 |
///
/// Pace (days done − days before today): ahead 2−1 = +1, ontrack 1−1 = 0,
/// behind 0−3 = −3 (the 3-day plan is over), atrisk 2−2 = 0, soon 0−0 = 0.
///
/// behind's practice sittings: 5/10 on 11-08, 14 days ago, so weighted 0.5 and
/// spread by questions (basics 3 of 6, advanced 2 of 4); and today basics 3/6,
/// advanced 1/4, weighted 1.
fn hand_made_cohort(sandbox: &Sandbox) -> Vec<PathBuf> {
    let mut files = vec![
        sandbox.learner(
            "ahead",
            "started = 2026-11-21\nticked = [\"hello\"]\ndays_done = [1, 2]\n\n\
             [exams.mycert.ratings]\nbasics = 5\nadvanced = 5\n",
        ),
        sandbox.learner("ontrack", "started = 2026-11-21\ndays_done = [1]\n"),
        sandbox.learner(
            "behind",
            "started = 2026-11-10\n\n[exams.mycert.ratings]\nbasics = 3\nadvanced = 3\n\n\
             [[exams.mycert.practice]]\non = 2026-11-08\ncorrect = 5\nquestions = 10\n\n\
             [[exams.mycert.practice]]\non = 2026-11-22\ncorrect = 4\nquestions = 10\n\
             sections = { basics = [3, 6], advanced = [1, 4] }\n",
        ),
        sandbox.learner(
            "atrisk",
            "started = 2026-11-20\ndays_done = [1, 2]\n\n\
             [exams.mycert.ratings]\nbasics = 1\nadvanced = 1\n",
        ),
        sandbox.learner(
            "soon",
            "started = 2026-11-22\nbooked = 2026-11-25\nticked = [\"hello\", \"deep-dive\"]\n",
        ),
    ];
    let never = sandbox.cohort().join("never.toml");
    fs::write(&never, "version = 1\n").unwrap();
    files.push(never);
    // ahead's history: the last snapshot is on the 21st.
    let history = sandbox.cohort().join("ahead.history.toml");
    fs::write(
        &history,
        "version = 1\n\n[exams.mycert]\n2026-11-20 = 40.0\n2026-11-21 = 80.0\n",
    )
    .unwrap();
    files.push(history);
    let corrupt = sandbox.cohort().join("corrupt.toml");
    fs::write(&corrupt, "version = 1\n[exams.mycert\n").unwrap();
    files.push(corrupt);
    let huge = fs::File::create(sandbox.cohort().join("huge.toml")).unwrap();
    huge.set_len((4 << 20) + 1).unwrap();
    let fifo = sandbox.cohort().join("pipe.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    files
}

/// Pass chance P(X ≥ 7) of mycert (n = 6 basics and 4 advanced questions,
/// pass mark ⌈10 · 0.7⌉ = 7) for two section priors, computed here
/// independently of the program: a beta-binomial pmf from rising factorials,
/// P(k) = C(n, k) · α^(k) · β^(n−k) / (α+β)^(n), convolved by hand.
///
/// Unrated sections are uniform: X_b on 0..=6 and X_a on 0..=4 equally likely,
/// and the pairs with a + b ≥ 7 number 1 + 2 + 3 + 4 = 10 of 35, so 2/7.
fn pass_chance(prior_basics: (f64, f64), prior_advanced: (f64, f64)) -> f64 {
    fn pmf(n: u32, (alpha, beta): (f64, f64)) -> Vec<f64> {
        let rising = |x: f64, k: u32| (0..k).map(|i| x + f64::from(i)).product::<f64>();
        let choose = |n: u32, k: u32| {
            (0..k)
                .map(|i| f64::from(n - i) / f64::from(i + 1))
                .product::<f64>()
        };
        (0..=n)
            .map(|k| {
                choose(n, k) * rising(alpha, k) * rising(beta, n - k) / rising(alpha + beta, n)
            })
            .collect()
    }
    let (basics, advanced) = (pmf(6, prior_basics), pmf(4, prior_advanced));
    let mut chance = 0.0;
    for (b, pb) in basics.iter().enumerate() {
        for (a, pa) in advanced.iter().enumerate() {
            if a + b >= 7 {
                chance += pb * pa;
            }
        }
    }
    chance
}

/// The prior of the forecast model's step 2 (README: Practice tests and the forecast): mean 0.25 + 0.15·(rating − 1),
/// strength 4; unrated Beta(1, 1).
fn prior(rating: Option<u8>) -> (f64, f64) {
    match rating {
        None => (1.0, 1.0),
        Some(rating) => {
            let mean = 0.25 + 0.15 * f64::from(rating - 1);
            (4.0 * mean, 4.0 * (1.0 - mean))
        }
    }
}

fn snapshot(files: &[PathBuf]) -> Vec<(Vec<u8>, SystemTime)> {
    files
        .iter()
        .map(|path| {
            (
                fs::read(path).unwrap(),
                fs::metadata(path).unwrap().modified().unwrap(),
            )
        })
        .collect()
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn close(actual: &Value, expected: f64) -> bool {
    actual
        .as_f64()
        .is_some_and(|actual| (actual - expected).abs() < 1e-9)
}

#[test]
fn json_report_of_the_hand_made_cohort() {
    let sandbox = Sandbox::new();
    let files = hand_made_cohort(&sandbox);
    let before = snapshot(&files);
    let names_before = listing(&sandbox.cohort());
    let output = sandbox
        .certprep()
        .args(["report", "--json"])
        .arg(sandbox.cohort())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");

    // One warning line each for the corrupt file, the oversized one and the FIFO.
    let stderr = String::from_utf8(output.stderr).unwrap();
    let warnings: Vec<&str> = stderr.lines().collect();
    assert_eq!(warnings.len(), 3, "{stderr}");
    for name in ["corrupt.toml", "huge.toml", "pipe.toml"] {
        assert_eq!(
            warnings.iter().filter(|line| line.contains(name)).count(),
            1,
            "{name}: {stderr}"
        );
    }
    assert!(
        warnings
            .iter()
            .all(|line| line.starts_with("certprep: warning: "))
    );

    // Read-only: the same bytes, the same mtimes, no file created.
    assert_eq!(snapshot(&files), before);
    assert_eq!(listing(&sandbox.cohort()), names_before);

    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows = report["learners"].as_array().unwrap();
    let learners: Vec<&str> = rows
        .iter()
        .map(|row| row["learner"].as_str().unwrap())
        .collect();
    assert_eq!(learners, ["ahead", "atrisk", "behind", "ontrack", "soon"]);
    assert!(rows.iter().all(|row| row["exam"] == "mycert"));
    assert_eq!(report["not_started"], serde_json::json!(["never"]));

    // (learner, readiness, basics, advanced, pace, weakest, expected score, pass chance)
    //
    // weakest: the most expected lost points, n · (1 − accuracy), of basics' 6
    // and advanced's 4 questions. ahead (rated 5, 0.85): 0.9 and 0.6; atrisk
    // (rated 1, 0.25): 4.5 and 3; behind (below): 6 · 6.3/13 = 2.9077 and
    // 4 · 5.8/10 = 2.32; ontrack and soon (unrated, 0.5): 3 and 2. Basics for
    // everyone, though it is ahead's and ontrack's best section by readiness.
    let lost = [
        ("ahead", 0.9, 0.6),
        ("atrisk", 4.5, 3.0),
        ("behind", 6.0 * 6.3 / 13.0, 2.32),
        ("ontrack", 3.0, 2.0),
        ("soon", 3.0, 2.0),
    ];
    for (row, (name, basics, advanced)) in rows.iter().zip(lost) {
        assert_eq!(row["learner"], name);
        assert!(
            (row["sections"][0]["lost"].as_f64().unwrap() - basics).abs() < 1e-4,
            "{row}"
        );
        assert!(
            (row["sections"][1]["lost"].as_f64().unwrap() - advanced).abs() < 1e-4,
            "{row}"
        );
    }
    let uniform = prior(None);
    // behind: the rating-3 prior Beta(2.2, 1.8) plus the sittings' weighted
    // answers: basics 2.2 + 0.5·3 + 3 = 6.7 right, 1.8 + 0.5·3 + 3 = 6.3 wrong;
    // advanced 2.2 + 0.5·2 + 1 = 4.2 right, 1.8 + 0.5·2 + 3 = 5.8 wrong. Expected
    // 6 · 6.7/13 + 4 · 4.2/10 = 3.0923 + 1.68 = 4.7723.
    let behind_basics = (6.7, 6.3);
    let behind_advanced = (4.2, 5.8);
    let expected = [
        (
            "ahead",
            80.0,
            93.33,
            60.0,
            1,
            "basics",
            8.5,
            pass_chance(prior(Some(5)), prior(Some(5))),
        ),
        (
            "atrisk",
            12.0,
            13.33,
            10.0,
            0,
            "basics",
            2.5,
            pass_chance(prior(Some(1)), prior(Some(1))),
        ),
        (
            "behind",
            25.0,
            25.0,
            25.0,
            -3,
            "basics",
            4.7723,
            pass_chance(behind_basics, behind_advanced),
        ),
        (
            "ontrack",
            4.0,
            6.67,
            0.0,
            0,
            "basics",
            5.0,
            pass_chance(uniform, uniform),
        ),
        (
            "soon",
            30.0,
            30.0,
            30.0,
            0,
            "basics",
            5.0,
            pass_chance(uniform, uniform),
        ),
    ];
    for (row, (name, overall, basics, advanced, ahead, weakest, score, chance)) in
        rows.iter().zip(expected)
    {
        let context = format!("{name}: {row}");
        assert!(close(&row["readiness"], overall), "{context}");
        assert_eq!(row["sections"][0]["id"], "basics", "{context}");
        assert!(
            (row["sections"][0]["readiness"].as_f64().unwrap() - basics).abs() < 0.01,
            "{context}"
        );
        assert!(
            (row["sections"][1]["readiness"].as_f64().unwrap() - advanced).abs() < 0.01,
            "{context}"
        );
        assert_eq!(row["pace"]["ahead"], ahead, "{context}");
        assert_eq!(row["weakest"], weakest, "{context}");
        assert!(
            (row["forecast"]["expected"].as_f64().unwrap() - score).abs() < 1e-3,
            "{context}"
        );
        assert!(
            (row["forecast"]["pass_chance"].as_f64().unwrap() - chance).abs() < 1e-3,
            "{context}"
        );
        assert_eq!(row["forecast"]["pass_mark"], 7, "{context}");
        assert_eq!(row["plan"]["days"], 3, "{context}");
    }
    // The worked values of the priors: uniform 2/7, ratings of 1 → Beta(1, 3).
    assert!((pass_chance(uniform, uniform) - 2.0 / 7.0).abs() < 1e-12);
    let by_name = |name: &str| rows.iter().find(|row| row["learner"] == name).unwrap();
    for row in rows {
        let sittings = if row["learner"] == "behind" { 2 } else { 0 };
        assert_eq!(row["forecast"]["practice_tests"], sittings, "{row}");
    }
    assert_eq!(by_name("ahead")["last_progress"], "2026-11-21");
    assert_eq!(by_name("soon")["last_progress"], Value::Null);
    assert_eq!(by_name("soon")["booked"], "2026-11-25");
    assert_eq!(by_name("soon")["days_left"], 3);
    assert_eq!(
        by_name("soon")["checklist"],
        serde_json::json!({"done": 2, "total": 2})
    );
    assert_eq!(by_name("behind")["plan"]["day"], Value::Null);
    assert_eq!(
        by_name("ahead")["plan"],
        serde_json::json!({"started": "2026-11-21", "day": 2, "days": 3, "done": 2})
    );

    // The summary, by hand:
    // readiness 80, 12, 25, 4, 30: mean 151/5 = 30.2; sorted 4 12 25 30 80, median 25.
    // basics (93.33 + 13.33 + 25 + 6.67 + 30)/5 = 168.33/5 = 33.67;
    // advanced (60 + 10 + 25 + 0 + 30)/5 = 125/5 = 25.
    // Mean expected lost: basics (0.9 + 4.5 + 2.9077 + 3 + 3)/5 = 2.8615, advanced
    // (0.6 + 3 + 2.32 + 2 + 2)/5 = 1.984: basics is the class's weakest.
    // Behind the plan: behind only. At risk (pass chance < 0.5): ahead has 0.887
    // (Beta(3.4, 0.6) priors, expected 8.5); atrisk 1/35, behind (0.337 on its
    // ratings alone, less after its sittings) and the unrated ontrack and soon
    // 2/7 are below. Sitting within 14 days: soon, in 3.
    let summaries = report["summary"].as_array().unwrap();
    assert_eq!(
        summaries.len(),
        1,
        "only mycert has learners: {summaries:?}"
    );
    let summary = &summaries[0];
    assert_eq!(summary["exam"], "mycert");
    assert_eq!(summary["learners"], 5);
    assert!(close(&summary["readiness"]["mean"], 30.2), "{summary}");
    assert!(close(&summary["readiness"]["median"], 25.0), "{summary}");
    assert!((summary["sections"][0]["readiness"].as_f64().unwrap() - 33.667).abs() < 0.01);
    assert!(
        close(&summary["sections"][1]["readiness"], 25.0),
        "{summary}"
    );
    assert!((summary["sections"][0]["lost"].as_f64().unwrap() - 14.3077 / 5.0).abs() < 1e-4);
    assert!((summary["sections"][1]["lost"].as_f64().unwrap() - 1.984).abs() < 1e-4);
    assert_eq!(summary["weakest"], "basics");
    assert_eq!(summary["behind"], 1);
    // Lowest chance first, each with its chance to four decimals: atrisk 1/35
    // = 0.0286, behind 0.1741 (its sittings' Beta(6.7, 6.3) and Beta(4.2, 5.8)),
    // ontrack and soon 2/7 = 0.2857, in name order.
    let at_risk = summary["at_risk"].as_array().unwrap();
    let listed: Vec<&str> = at_risk
        .iter()
        .map(|entry| entry["learner"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ["atrisk", "behind", "ontrack", "soon"]);
    let chances = [
        pass_chance(prior(Some(1)), prior(Some(1))),
        pass_chance(behind_basics, behind_advanced),
        pass_chance(uniform, uniform),
        pass_chance(uniform, uniform),
    ];
    assert!((chances[1] - 0.1741).abs() < 1e-4);
    for (entry, chance) in at_risk.iter().zip(chances) {
        let shown = entry["pass_chance"].as_f64().unwrap();
        assert!((shown - chance).abs() <= 0.5e-4, "{entry}");
    }
    assert_eq!(
        summary["sitting_soon"],
        serde_json::json!([{"learner": "soon", "booked": "2026-11-25", "days_left": 3}])
    );
}

/// A learner with practice sittings on mycert and on passcert (mycert with the
/// guide's `assessment.pass_percent: 80`): each report row's forecast is what
/// `certprep forecast --json` prints for the same file and day, with the same
/// target: `--target P` when given, else the guide's pass mark, else 70.
#[test]
fn report_forecasts_from_practice_sittings_as_forecast_does() {
    let sandbox = Sandbox::new();
    let passcert = MYCERT
        .replace("id: mycert", "id: passcert")
        .replace("  questions: 10\n", "  questions: 10\n  pass_percent: 80\n");
    fs::write(sandbox.path("guides/passcert.yaml"), passcert).unwrap();
    let kim = sandbox.learner(
        "kim",
        "started = 2026-11-20\n\n[exams.mycert.ratings]\nbasics = 4\n\n\
         [[exams.mycert.practice]]\non = 2026-11-15\ncorrect = 6\nquestions = 10\n\n\
         [[exams.mycert.practice]]\non = 2026-11-21\ncorrect = 13\nquestions = 20\n\
         sections = { basics = [9, 12], advanced = [4, 8] }\n\n\
         [[exams.mycert.practice]]\non = 2026-11-22\ncorrect = 7\nquestions = 10\n\n\
         [exams.passcert]\nstarted = 2026-11-21\n\n\
         [[exams.passcert.practice]]\non = 2026-11-22\ncorrect = 8\nquestions = 10\n",
    );
    let forecast = |exam: &str, target: &[&str]| -> Value {
        let output = sandbox
            .certprep()
            .arg("--state")
            .arg(&kim)
            .args(["-e", exam, "forecast", "--json"])
            .args(target)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let report = |target: &[&str]| -> Value {
        let output = sandbox
            .certprep()
            .args(["report", "--json"])
            .args(target)
            .arg(sandbox.cohort())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        serde_json::from_slice(&output.stdout).unwrap()
    };
    // (exam, sittings, target percent and pass mark without --target: ⌈10·0.7⌉
    // = 7 for mycert, ⌈10·0.8⌉ = 8 for passcert; with --target 55 both ⌈5.5⌉ = 6)
    for (target, marks) in [
        (&[][..], [(70, 7), (80, 8)]),
        (&["--target", "55"][..], [(55, 6), (55, 6)]),
    ] {
        let report = report(target);
        let rows = report["learners"].as_array().unwrap();
        assert_eq!(rows.len(), 2, "{report}");
        for ((row, (exam, sittings)), (percent, mark)) in
            rows.iter().zip([("mycert", 3), ("passcert", 1)]).zip(marks)
        {
            assert_eq!(
                (row["learner"].as_str(), row["exam"].as_str()),
                (Some("kim"), Some(exam))
            );
            let forecast = forecast(exam, target);
            let context = format!("{exam} {target:?}: {row} vs {forecast}");
            assert_eq!(row["forecast"]["practice_tests"], sittings, "{context}");
            assert_eq!(row["forecast"]["target_percent"], percent, "{context}");
            assert_eq!(row["forecast"]["pass_mark"], mark, "{context}");
            for field in [
                "practice_tests",
                "target_percent",
                "pass_mark",
                "expected",
                "pass_chance",
            ] {
                assert_eq!(
                    row["forecast"][field], forecast[field],
                    "{field} of {context}"
                );
            }
        }
    }
    // The sittings moved the forecast: the guessing priors alone (basics rated 4,
    // advanced unrated) expect 6 · 0.7 + 4 · 0.5 = 6.2 of mycert's 10.
    let rows = report(&[]);
    assert_ne!(rows["learners"][0]["forecast"]["expected"], 6.2);

    // The CSV carries the same count.
    let output = sandbox
        .certprep()
        .args(["report", "--csv", "-e", "mycert"])
        .arg(sandbox.cohort())
        .output()
        .unwrap();
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    let column = header
        .iter()
        .position(|name| name == "practice_tests")
        .unwrap();
    let record = reader.records().next().unwrap().unwrap();
    assert_eq!(&record[column], "3");
}

#[test]
fn text_report_fits_80_columns_with_the_summary_under_it() {
    let sandbox = Sandbox::new();
    hand_made_cohort(&sandbox);
    let output = sandbox.report_cohort();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.lines().all(|line| line.chars().count() <= 80),
        "{stdout}"
    );
    // The same hand-worked summary as the JSON test, in whole percents.
    assert!(
        stdout.contains("5 learners, readiness mean 30%, median 25%"),
        "{stdout}"
    );
    assert!(
        // Mean expected lost points 2.8615 and 1.984, to one decimal.
        stdout.contains("sections: basics 34% (2.9 lost), advanced 25% (2.0 lost)"),
        "{stdout}"
    );
    assert!(stdout.contains("behind the plan: 1"), "{stdout}");
    // One learner a line, lowest chance first: atrisk 1/35 → 3 %, behind
    // 0.1741 → 17 %, ontrack and soon 2/7 → 29 %; names padded to the longest,
    // ontrack's 7, then two spaces and the chance right-aligned in 4.
    assert!(
        stdout.contains(
            "  at risk (pass chance below 50 %):\n    atrisk     3%\n    behind    17%\n    \
             ontrack   29%\n    soon      29%\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("  sitting within 14 days:\n    soon  in 3 days (2026-11-25)\n"),
        "{stdout}"
    );
    assert!(stdout.ends_with("\nnot started:\n  never\n"), "{stdout}");
    // ahead's row: day 2 of 3, one day ahead, 1/2 items, 80 %, 9/10 expected (8.5
    // rounds half away from zero), 89 % pass, no booking, weakest basics (0.9
    // expected lost points against 0.6), last progress 1 day ago.
    let ahead = stdout
        .lines()
        .find(|line| line.starts_with("ahead"))
        .unwrap();
    let cells: Vec<&str> = ahead.split_whitespace().collect();
    assert_eq!(
        cells,
        [
            "ahead", "2/3", "+1", "1/2", "80%", "9/10", "89%", "–", "basics", "1d", "ago"
        ]
    );
}

#[test]
fn every_learner_gets_a_row_for_the_exam_named_with_e() {
    let sandbox = Sandbox::new();
    hand_made_cohort(&sandbox);
    let output = sandbox
        .certprep()
        .args(["report", "-e", "mycert", "--json"])
        .arg(sandbox.cohort())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let never = report["learners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["learner"] == "never")
        .expect("the learner who never started has a row");
    assert_eq!(never["readiness"], 0.0);
    assert_eq!(never["plan"]["started"], Value::Null);
    assert_eq!(never["pace"], Value::Null);
    assert_eq!(report["summary"][0]["learners"], 6);
    assert_eq!(report["not_started"], serde_json::json!([]));
}

#[test]
fn csv_quotes_names_and_reads_back_field_by_field() {
    let sandbox = Sandbox::new();
    sandbox.learner("o\"neil, pat", "started = 2026-11-21\ndays_done = [1]\n");
    sandbox.learner("soon", "started = 2026-11-22\nbooked = 2026-11-25\n");
    let output = sandbox
        .certprep()
        .args(["report", "--csv"])
        .arg(sandbox.cohort())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let column = |name: &str| header.iter().position(|column| column == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 2);
    let pat = &records[0];
    assert_eq!(&pat[column("learner")], "o\"neil, pat");
    assert_eq!(&pat[column("exam")], "mycert");
    // basics P = 1/3 → 6.67, advanced 0: overall 0.6 · 6.67 = 4.
    assert_eq!(&pat[column("readiness")], "4");
    assert_eq!(&pat[column("plan_started")], "2026-11-21");
    assert_eq!(&pat[column("plan_day")], "2");
    assert_eq!(&pat[column("plan_done")], "1");
    assert_eq!(&pat[column("pace_ahead")], "0");
    assert_eq!(&pat[column("behind")], "false");
    assert_eq!(&pat[column("booked")], "");
    // Unrated: half of basics' 6 and advanced's 4 questions lost, 3 against 2.
    assert_eq!(&pat[column("weakest")], "basics");
    assert_eq!(&pat[column("readiness:mycert:advanced")], "0");
    let pass: f64 = pat[column("pass_chance")].parse().unwrap();
    // Four decimals: 2/7 = 0.285714… → 0.2857.
    assert_eq!(pass, 0.2857);
    let soon = &records[1];
    assert_eq!(&soon[column("learner")], "soon");
    assert_eq!(&soon[column("booked")], "2026-11-25");
    assert_eq!(&soon[column("days_left")], "3");
    assert_eq!(&soon[column("plan_day")], "1");
    // The raw text quotes the name: RFC 4180 doubles the quote inside quotes.
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("\"o\"\"neil, pat\",mycert,"), "{text}");
}

#[test]
fn html_page_is_self_contained_and_escapes_names() {
    let sandbox = Sandbox::new();
    let hostile = "<img src=x onerror=alert(1)>";
    let files = vec![
        sandbox.learner(hostile, "started = 2026-11-21\ndays_done = [1]\n"),
        sandbox.learner(
            "ahead",
            "started = 2026-11-21\nticked = [\"hello\"]\ndays_done = [1, 2]\n\n\
             [exams.mycert.ratings]\nbasics = 5\nadvanced = 5\n",
        ),
    ];
    let before = snapshot(&files);
    let page_path = sandbox.path("class.html");
    let output = sandbox
        .certprep()
        .args(["report", "--html"])
        .arg(&page_path)
        .arg(sandbox.cohort())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(snapshot(&files), before);
    let page = fs::read_to_string(&page_path).unwrap();
    assert!(
        !page.to_lowercase().contains("http"),
        "an external reference"
    );
    assert!(!page.to_lowercase().contains("<script"));
    assert!(!page.contains(hostile), "the name went out unescaped");

    let document = scraper::Html::parse_document(&page);
    assert_eq!(document.select(&select("script")).count(), 0);
    assert_eq!(
        document.select(&select("img")).count(),
        0,
        "the name became markup"
    );
    // Two learners × (two sections + overall).
    let cells: Vec<_> = document.select(&select("svg.heatmap rect.cell")).collect();
    assert_eq!(cells.len(), 6);
    let cell = |learner: &str, section: &str| {
        cells
            .iter()
            .find(|cell| {
                cell.value().attr("data-learner") == Some(learner)
                    && cell.value().attr("data-section") == Some(section)
            })
            .unwrap_or_else(|| panic!("no cell {learner} × {section}"))
            .value()
    };
    // ahead: basics 93.33 (hue 1.2 · 93.33 = 112), advanced 60 (hue 72), overall 80 (hue 96).
    assert_eq!(cell("ahead", "advanced").attr("data-readiness"), Some("60"));
    assert_eq!(
        cell("ahead", "advanced").attr("fill"),
        Some("hsl(72, 70%, 62%)")
    );
    assert_eq!(
        cell("ahead", "overall").attr("fill"),
        Some("hsl(96, 70%, 62%)")
    );
    // The hostile learner (basics 6.67, advanced 0): its name is an attribute
    // value and text, never markup; red for 0 %.
    assert_eq!(
        cell(hostile, "advanced").attr("fill"),
        Some("hsl(0, 70%, 62%)")
    );
    let labels: Vec<String> = texts(&document, "svg.heatmap text");
    assert!(labels.iter().any(|label| label == hostile), "{labels:?}");
    let at_risk: Vec<String> = texts(&document, "ul.at-risk li .learner");
    // The hostile learner is unrated: pass chance 2/7; ahead 0.887 is not at risk.
    assert_eq!(at_risk, [hostile]);
}

#[test]
fn html_refuses_to_overwrite_a_learners_file() {
    let sandbox = Sandbox::new();
    let ann = sandbox.learner("ann", "started = 2026-11-21\n");
    let before = snapshot(std::slice::from_ref(&ann));
    for (output, input) in [
        (ann.clone(), ann.clone()),
        (sandbox.cohort().join("bob.toml"), sandbox.cohort()),
    ] {
        let run = sandbox
            .certprep()
            .args(["report", "--html"])
            .arg(&output)
            .arg(&input)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(2), "{run:?}");
        assert!(String::from_utf8_lossy(&run.stderr).contains("would overwrite a learner's file"));
    }
    assert_eq!(snapshot(std::slice::from_ref(&ann)), before);
    assert_eq!(listing(&sandbox.cohort()), ["ann.toml"]);
}

#[test]
fn exit_1_only_when_no_learner_could_be_read() {
    let sandbox = Sandbox::new();
    fs::write(sandbox.cohort().join("broken.toml"), "version = \n").unwrap();
    let output = sandbox.report_cohort();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("broken.toml"), "{stderr}");
    assert!(stderr.contains("no learner could be read"), "{stderr}");
    // One readable learner beside it is enough for a report.
    sandbox.learner("ann", "started = 2026-11-21\n");
    let output = sandbox.report_cohort();
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn warnings_escape_control_characters_in_file_names() {
    let sandbox = Sandbox::new();
    sandbox.learner("ann", "started = 2026-11-21\n");
    fs::write(sandbox.cohort().join("evil\x1b[2J\n.toml"), "not toml").unwrap();
    let output = sandbox.report_cohort();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains('\x1b'), "{stderr:?}");
    // The project's one escaping (render::escape): ESC as \u{1b}, a newline as \n.
    assert!(stderr.contains("evil\\u{1b}[2J\\n.toml"), "{stderr}");
}

/// A learner file the coach may not read (mode 000; the report runs as `nobody`
/// when the tests run as root, which reads anything) is one warning naming it,
/// and the rest of the class is reported.
#[test]
fn an_unreadable_file_is_skipped_with_one_warning() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::for_nobody();
    sandbox.learner("ann", "started = 2026-11-21\n");
    let bob = sandbox.learner("bob", "started = 2026-11-21\n");
    let user = Unprivileged::new(&sandbox.env);
    fs::set_permissions(&bob, fs::Permissions::from_mode(0o000)).unwrap();
    let cohort = sandbox.cohort();
    let output = user.run(&["report", "--json", cohort.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("bob.toml") && stderr.contains("Permission denied"),
        "{stderr}"
    );
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let learners: Vec<&str> = json["learners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["learner"].as_str().unwrap())
        .collect();
    assert_eq!(learners, ["ann"]);
}

#[test]
fn an_exam_without_a_guide_is_a_warning() {
    let sandbox = Sandbox::new();
    sandbox.learner("ann", "started = 2026-11-21\n");
    fs::write(
        sandbox.cohort().join("bob.toml"),
        "version = 1\n[exams.gone]\nstarted = 2026-11-21\n",
    )
    .unwrap();
    let output = sandbox
        .certprep()
        .args(["report", "--json"])
        .arg(sandbox.cohort())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        "certprep: warning: exam \"gone\" has no guide; left it out for 1 learner (bob)\n"
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["learners"].as_array().unwrap().len(), 1);
}

/// One file named five ways (as given, again, through `..`, by a hard link kept
/// elsewhere, and by listing its directory) is one learner: one row, and the
/// class's mean and median count it once.
#[test]
fn a_file_named_several_ways_is_one_learner() {
    let sandbox = Sandbox::new();
    // a: basics 93.33, advanced 60, overall 80; bob: overall 4 (see the hand-made
    // cohort's ahead and ontrack).
    let a = sandbox.learner(
        "a",
        "started = 2026-11-21\nticked = [\"hello\"]\ndays_done = [1, 2]\n\n\
         [exams.mycert.ratings]\nbasics = 5\nadvanced = 5\n",
    );
    sandbox.learner("bob", "started = 2026-11-21\ndays_done = [1]\n");
    fs::create_dir(sandbox.path("elsewhere")).unwrap();
    let link = sandbox.path("elsewhere").join("zed.toml");
    fs::hard_link(&a, &link).unwrap();
    let output = sandbox
        .certprep()
        .current_dir(sandbox.cohort())
        .args(["report", "--json"])
        // The hard link first: the row is named as the name that sorts first.
        .arg(&link)
        .args(["a.toml", "a.toml", "../cohort/a.toml", "."])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let learners: Vec<&str> = report["learners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["learner"].as_str().unwrap())
        .collect();
    assert_eq!(learners, ["a", "bob"]);
    let summary = &report["summary"][0];
    assert_eq!(summary["learners"], 2);
    // (80 + 4) / 2 = 42, for the mean and for the median of two.
    assert!(close(&summary["readiness"]["mean"], 42.0), "{summary}");
    assert!(close(&summary["readiness"]["median"], 42.0), "{summary}");
}

/// Learner names (file stems) that a spreadsheet would run as a formula, that
/// start with a tab or a carriage return, or that hold terminal controls. A file
/// name cannot hold `/`, so the link formula's URL is written with backslashes.
#[test]
fn csv_cells_from_files_cannot_be_formulas_or_controls() {
    let sandbox = Sandbox::new();
    // (file stem, the learner cell worked out by hand: a `'` before = + - @ tab
    // CR, then controls and bidi characters escaped as the text output does)
    let names = [
        (
            r#"=HYPERLINK("http:\\x","y")"#,
            r#"'=HYPERLINK("http:\\x","y")"#,
        ),
        ("=cmd|' -C calc'!A0", "'=cmd|' -C calc'!A0"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tlead", r"'\tlead"),
        ("\rlead", r"'\rlead"),
        ("esc\x1b[2J\u{202e}gnp.exe", r"esc\u{1b}[2J\u{202e}gnp.exe"),
        ("o\"neil, pat", "o\"neil, pat"),
    ];
    for (stem, _) in names {
        // Started two days ago with no day done: pace 0 − 2 = −2, a computed
        // number that stays a number.
        sandbox.learner(stem, "started = 2026-11-20\n");
    }
    let output = sandbox
        .certprep()
        .args(["report", "--csv"])
        .arg(sandbox.cohort())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = String::from_utf8(output.stdout.clone()).unwrap();

    // RFC 4180: every record ends in CRLF, and no cell holds a line break or a
    // raw control: a header and nine rows.
    assert!(text.ends_with("\r\n"), "{text:?}");
    let lines: Vec<&str> = text.strip_suffix("\r\n").unwrap().split("\r\n").collect();
    assert_eq!(lines.len(), 1 + names.len(), "{text:?}");
    for line in &lines {
        assert!(
            !line.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{line:?}"
        );
    }
    // The quote is doubled inside a quoted cell.
    assert!(text.contains("\r\n\"o\"\"neil, pat\",mycert,"), "{text:?}");

    let mut reader = csv::ReaderBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_reader(output.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let column = |name: &str| header.iter().position(|column| column == name).unwrap();
    assert_eq!(header[0], "learner");
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), names.len());
    for (stem, shown) in names {
        let record = records
            .iter()
            .find(|record| &record[column("learner")] == shown)
            .unwrap_or_else(|| panic!("no row for {stem:?} as {shown:?}: {text:?}"));
        assert_eq!(record.len(), header.len(), "{record:?}");
        assert_eq!(&record[column("exam")], "mycert", "{record:?}");
        assert_eq!(&record[column("plan_day")], "3", "{record:?}");
        assert_eq!(&record[column("pace_ahead")], "-2", "{record:?}");
        assert_eq!(&record[column("behind")], "true", "{record:?}");
        // Unrated, nothing done: P = 0 for both sections; the forecast loses half
        // of each, 3 of basics' 6 questions against 2 of advanced's 4.
        assert_eq!(&record[column("readiness")], "0", "{record:?}");
        assert_eq!(&record[column("weakest")], "basics", "{record:?}");
    }
}

/// A learner file name with a clear-screen, a carriage return and a right-to-left
/// override: the page shows them as the text output does, `\u{1b}`, `\r`,
/// `\u{202e}`, in text and in attributes, and never holds them raw.
#[test]
fn html_page_shows_control_characters_in_names_escaped() {
    let sandbox = Sandbox::new();
    let name = "x\x1b[2J\ry\u{202e}<b>gnp.exe";
    // Escaped by hand; the parsed page gives `<b>` back as text.
    let shown = r"x\u{1b}[2J\ry\u{202e}<b>gnp.exe";
    sandbox.learner(name, "started = 2026-11-21\ndays_done = [1]\n");
    let page_path = sandbox.path("class.html");
    let output = sandbox
        .certprep()
        .args(["report", "--html"])
        .arg(&page_path)
        .arg(sandbox.cohort())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let page = fs::read_to_string(&page_path).unwrap();
    for raw in ['\x1b', '\r', '\u{202e}'] {
        assert!(!page.contains(raw), "a raw {raw:?} in the page");
    }
    let document = scraper::Html::parse_document(&page);
    assert_eq!(
        document.select(&select("b")).count(),
        0,
        "the name became markup"
    );
    // One learner × (two sections + overall), each carrying the name.
    let cells: Vec<_> = document.select(&select("svg.heatmap rect.cell")).collect();
    assert_eq!(cells.len(), 3);
    for cell in &cells {
        assert_eq!(cell.value().attr("data-learner"), Some(shown));
        let title: String = cell.text().collect();
        assert!(title.starts_with(&format!("{shown}, ")), "{title:?}");
    }
    let label: Vec<String> = texts(&document, "svg.heatmap > text:not(.value)");
    assert_eq!(label, [shown]);
    // Unrated: pass chance 2/7, so at risk.
    let at_risk: Vec<String> = texts(&document, "ul.at-risk li .learner");
    assert_eq!(at_risk, [shown]);
}

/// The line `--html` prints and the page's own count say what the text report
/// says: the learners with a row, each once however many exams they have rows
/// for, and the learners not started; not the files read.
#[test]
fn html_counts_learners_as_the_text_report_does() {
    let sandbox = Sandbox::new();
    hand_made_cohort(&sandbox);
    // A sixth learner with rows on two exams: mycert and passcert.
    let passcert = MYCERT.replace("id: mycert", "id: passcert");
    fs::write(sandbox.path("guides/passcert.yaml"), passcert).unwrap();
    fs::write(
        sandbox.cohort().join("two.toml"),
        "version = 1\n\n[exams.mycert]\nstarted = 2026-11-21\n\n\
         [exams.passcert]\nstarted = 2026-11-21\n",
    )
    .unwrap();
    let page_path = sandbox.path("class.html");
    let html = |exam: &[&str]| {
        let output = sandbox
            .certprep()
            .arg("report")
            .args(exam)
            .arg("--html")
            .arg(&page_path)
            .arg(sandbox.cohort())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        let page = fs::read_to_string(&page_path).unwrap();
        let document = scraper::Html::parse_document(&page);
        let counts: String = document
            .select(&scraper::Selector::parse("p.counts").unwrap())
            .flat_map(|p| p.text())
            .collect();
        (String::from_utf8(output.stdout).unwrap(), counts)
    };
    // The text report: mycert's 6 learners (ahead, atrisk, behind, ontrack,
    // soon, two) and passcert's 1 (two again), so 6 learners; never is not
    // started. Six files were read besides: corrupt, huge and the FIFO are
    // skipped and counted nowhere.
    let text = String::from_utf8(sandbox.report_cohort().stdout).unwrap();
    assert!(text.contains("  6 learners, readiness mean"), "{text}");
    assert!(text.contains("  1 learner, readiness mean"), "{text}");
    assert!(text.contains("not started"), "{text}");
    let (said, counts) = html(&[]);
    assert_eq!(
        said,
        format!("wrote {}: 6 learners, 1 not started\n", page_path.display())
    );
    assert_eq!(counts, "6 learners, 1 not started.");
    // With -e every learner has a row, never too: 7, none not started.
    let (said, counts) = html(&["-e", "mycert"]);
    assert_eq!(said, format!("wrote {}: 7 learners\n", page_path.display()));
    assert_eq!(counts, "7 learners.");
}

/// `-e` is global, and its help says it defaults to the active exam; the report
/// has no active exam and covers every exam without it, so its help says that.
#[test]
fn report_help_says_what_e_means_for_the_report() {
    let sandbox = Sandbox::new();
    let help = |args: &[&str]| {
        let output = sandbox.certprep().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        // Words joined by one space, however clap wraps them.
        let text = String::from_utf8(output.stdout).unwrap();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let report = help(&["report", "--help"]);
    assert!(
        report.contains(
            "-e, --exam <EXAM> Only this exam (id, alias or unique id prefix), with a row \
             for every learner, started or not [default: every exam a learner has progress for]"
        ),
        "{report}"
    );
    assert!(!report.contains("active exam"), "{report}");
    assert_eq!(help(&["help", "report"]), report);
    // Other commands keep the global meaning.
    assert!(help(&["status", "--help"]).contains("[default: the active exam]"));
    // Before the command or after it, -e selects the same exam.
    hand_made_cohort(&sandbox);
    for args in [&["report", "-e", "mycert"][..], &["-e", "mycert", "report"]] {
        let output = sandbox
            .certprep()
            .args(args)
            .arg("--json")
            .arg(sandbox.cohort())
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        // Every learner read, never included: 6.
        assert_eq!(report["summary"][0]["learners"], 6, "{args:?}");
    }
}

/// Rows in every output are in name order, case-insensitively and with an
/// accented letter sorting as its letter (in byte order "Anna-Maria" and "Zoë"
/// came before "abe", and "émile" after "zed"); the at-risk list is lowest pass
/// chance first, each with its chance, equal chances in name order; `--sort
/// risk` orders the rows by pass chance.
#[test]
fn names_sort_case_insensitively_and_the_at_risk_lowest_chance_first() {
    let sandbox = Sandbox::new();
    // (learner, ratings of basics and advanced, pass chance by hand)
    let ratings =
        |rating: u8| format!("[exams.mycert.ratings]\nbasics = {rating}\nadvanced = {rating}\n");
    let learners = [
        (
            "Zoë",
            ratings(1),
            pass_chance(prior(Some(1)), prior(Some(1))),
        ),
        ("abe", String::new(), pass_chance(prior(None), prior(None))),
        (
            "zed",
            ratings(5),
            pass_chance(prior(Some(5)), prior(Some(5))),
        ),
        (
            "émile",
            String::new(),
            pass_chance(prior(None), prior(None)),
        ),
        (
            "Anna-Maria",
            ratings(2),
            pass_chance(prior(Some(2)), prior(Some(2))),
        ),
    ];
    for (name, ratings, _) in &learners {
        sandbox.learner(name, &format!("started = 2026-11-21\n\n{ratings}"));
    }
    let chance = |name: &str| learners.iter().find(|l| l.0 == name).unwrap().2;
    // Worked values: ratings of 1 give 1/35, unrated 2/7 (see `pass_chance`);
    // ratings of 2, Beta(1.6, 2.4) twice, 0.1278; ratings of 5 0.887.
    assert!((chance("Zoë") - 1.0 / 35.0).abs() < 1e-12);
    assert!((chance("abe") - 2.0 / 7.0).abs() < 1e-12);
    assert!((chance("Anna-Maria") - 0.1278).abs() < 1e-4);
    assert!((chance("zed") - 0.887).abs() < 1e-3);
    let by_name = ["abe", "Anna-Maria", "émile", "zed", "Zoë"];
    let by_risk = ["Zoë", "Anna-Maria", "abe", "émile", "zed"];
    let at_risk = ["Zoë", "Anna-Maria", "abe", "émile"];

    let run = |args: &[&str]| {
        let output = sandbox
            .certprep()
            .arg("report")
            .args(args)
            .arg(sandbox.cohort())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    for (sort, rows) in [
        (&[][..], by_name),
        (&["--sort", "name"], by_name),
        (&["--sort", "risk"], by_risk),
    ] {
        let json: Value = serde_json::from_str(&run(&[sort, &["--json"]].concat())).unwrap();
        let names: Vec<&str> = json["learners"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["learner"].as_str().unwrap())
            .collect();
        assert_eq!(names, rows, "{sort:?}");
        // The at-risk list does not depend on --sort.
        let listed = json["summary"][0]["at_risk"].as_array().unwrap();
        assert_eq!(listed.len(), at_risk.len(), "{listed:?}");
        for (entry, name) in listed.iter().zip(at_risk) {
            assert_eq!(entry["learner"], name, "{listed:?}");
            // Four decimals, as the row's pass_chance.
            let shown = entry["pass_chance"].as_f64().unwrap();
            assert!((shown - chance(name)).abs() <= 0.5e-4, "{name}: {shown}");
        }
        assert_eq!(entry_keys(&listed[0]), ["learner", "pass_chance"]);

        // The text table's lines start with the names in the same order.
        let text = run(sort);
        let lines: Vec<&str> = text
            .lines()
            .filter(|line| {
                learners
                    .iter()
                    .any(|l| line.starts_with(l.0) && line.contains("/3"))
            })
            .collect();
        let names: Vec<&str> = lines
            .iter()
            .map(|line| line.split(' ').next().unwrap())
            .collect();
        assert_eq!(names, rows, "{text}");

        let csv = run(&[sort, &["--csv"]].concat());
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let names: Vec<String> = reader
            .records()
            .map(|record| record.unwrap()[0].to_string())
            .collect();
        assert_eq!(names, rows, "{csv}");

        let page_path = sandbox.path("class.html");
        run(&[sort, &["--html", page_path.to_str().unwrap()]].concat());
        let page = fs::read_to_string(&page_path).unwrap();
        let document = scraper::Html::parse_document(&page);
        let labels: Vec<String> = texts(&document, "svg.heatmap > text:not(.value)");
        assert_eq!(labels, rows, "{page}");
        let listed: Vec<(String, String)> = document
            .select(&select("ul.at-risk li"))
            .map(|item| {
                let part = |css| item.select(&select(css)).flat_map(|e| e.text()).collect();
                (part(".learner"), part(".chance"))
            })
            .collect();
        // Whole percents: 1/35 = 2.9 % → 3 %, 0.1278 → 13 %, 2/7 = 28.6 % → 29 %.
        let expected: Vec<(String, String)> = [
            ("Zoë", "3%"),
            ("Anna-Maria", "13%"),
            ("abe", "29%"),
            ("émile", "29%"),
        ]
        .map(|(name, percent)| (name.to_string(), percent.to_string()))
        .into();
        assert_eq!(listed, expected, "{page}");
    }
    // One learner a line: names padded to the longest, Anna-Maria's 10, then
    // two spaces and the chance right-aligned in 4.
    let text = run(&[]);
    assert!(
        text.contains(
            "  at risk (pass chance below 50 %):\n    Zoë           3%\n    \
             Anna-Maria   13%\n    abe          29%\n    émile        29%\n"
        ),
        "{text}"
    );
}

fn entry_keys(entry: &Value) -> Vec<&str> {
    entry
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

/// A name too long for its cell is cut with "…", never wrapped onto a second
/// line mid-word; the table fills the terminal's width (COLUMNS here; 80 when
/// the output is not a terminal); no line ends in spaces; and the lists of
/// names put one learner on a line, so "smith, john" reads as one person.
#[test]
fn text_report_cuts_long_names_and_uses_the_terminal_width() {
    let sandbox = Sandbox::new();
    let long = "x".repeat(100);
    let thirty_five = "a-name-of-thirty-five-characters-xy";
    assert_eq!(thirty_five.len(), 35);
    for name in [
        long.as_str(),
        thirty_five,
        "eighteen-char-name",
        "smith, john",
    ] {
        sandbox.learner(name, "started = 2026-11-21\ndays_done = [1]\n");
    }
    let report = |columns: Option<&str>| {
        let mut command = sandbox.certprep();
        if let Some(columns) = columns {
            command.env("COLUMNS", columns);
        }
        let output = command
            .arg("report")
            .arg(sandbox.cohort())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    // Every learner: day 2/3, pace 0, items 0/2, ready 4%, score 5/10, pass 29%,
    // no exam, weakest basics, no history. The columns after the name are as
    // wide as their headers or widest cells: day 3, pace 4, items 5, ready 5,
    // score 5, pass 4, exam 4, weakest 7, last 4, each after one space: 50.
    // So a name gets 80 − 50 = 30 characters in 80 columns, and in 160 the 110
    // left are more than the 40 a name is ever given.
    for (columns, name_width) in [(None, 30), (Some("160"), 40), (Some("60"), 10)] {
        let text = report(columns);
        let lines: Vec<&str> = text.lines().collect();
        let rule = lines.iter().position(|line| line.starts_with('─')).unwrap();
        let rows = &lines[rule + 1..rule + 5];
        assert!(lines[rule + 5].starts_with("  4 learners,"), "{text}");
        for line in &lines {
            assert!(!line.ends_with(' '), "{line:?} in\n{text}");
        }
        let width = columns.map_or(80, |columns| columns.parse().unwrap());
        for line in &lines[..rule + 5] {
            assert!(line.chars().count() <= width, "{line:?} in\n{text}");
        }
        // Name order, each name whole or cut to the column with "…" as its last
        // character, then a space.
        let shown = |name: &str| -> String {
            if name.chars().count() <= name_width {
                format!("{name:name_width$} ")
            } else {
                let kept: String = name.chars().take(name_width - 1).collect();
                format!("{kept}… ")
            }
        };
        for (row, name) in rows.iter().zip([
            thirty_five,
            "eighteen-char-name",
            "smith, john",
            long.as_str(),
        ]) {
            assert!(row.starts_with(&shown(name)), "{name}: {row:?} in\n{text}");
            // The name column, then 50 less the 3 spaces "–" is padded with.
            assert_eq!(row.chars().count(), name_width + 47, "{row:?}");
        }
    }
    // In 80 columns: a-name-of-thirty-five-characters-xy cut after 29; in 160 whole.
    assert!(report(None).contains("\na-name-of-thirty-five-charact… "));
    assert!(report(Some("160")).contains("\na-name-of-thirty-five-characters-xy  "));
    // The at-risk list (all four at 2/7): one a line, the names padded to the
    // longest shown, here the long one cut at 40, then the chance.
    let text = report(None);
    let padding = " ".repeat(40 - "smith, john".len());
    assert!(
        text.contains(&format!("\n    smith, john{padding}   29%\n")),
        "{text}"
    );
    assert!(
        text.contains(&format!("\n    {}…   29%\n", "x".repeat(39))),
        "{text}"
    );
    assert!(!text.contains("smith, john,"), "{text}");
}

/// The rows carry `status --json`'s whole pace, the days to the exam and the
/// catch-up steps too (in the CSV one column a field, the steps in one cell),
/// and the CSV has the target each forecast is against.
#[test]
fn rows_carry_the_pace_of_status_and_the_target() {
    let sandbox = Sandbox::new();
    // late: day 3 of 3 today, nothing done, exam in 3 days. Days 1 and 2 are
    // missed and day 3 is due: three days, two a date, in plan order: days 1 and
    // 2 today, day 3 tomorrow (the exam on the 25th leaves the 22nd to 24th).
    let late = sandbox.learner("late", "started = 2026-11-20\nbooked = 2026-11-25\n");
    // fine: day 2, day 1 done: on track, no booking.
    sandbox.learner("fine", "started = 2026-11-21\ndays_done = [1]\n");
    // unstarted: a booking but no plan, so no pace.
    sandbox.learner("unstarted", "booked = 2026-12-01\n");
    let run = |args: &[&str]| {
        let output = sandbox
            .certprep()
            .arg("report")
            .args(args)
            .arg(sandbox.cohort())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        output.stdout
    };

    let json: Value = serde_json::from_slice(&run(&["--json"])).unwrap();
    let row = |name: &str| {
        json["learners"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["learner"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(
        row("late")["pace"],
        serde_json::json!({
            "expected": 2, "done": 0, "left": 3, "ahead": -2, "days_to_exam": 3,
            "catch_up": [
                {"date": "2026-11-22", "days": [1, 2]},
                {"date": "2026-11-23", "days": [3]}
            ]
        })
    );
    assert_eq!(
        row("fine")["pace"],
        serde_json::json!({
            "expected": 1, "done": 1, "left": 2, "ahead": 0, "days_to_exam": null,
            "catch_up": []
        })
    );
    assert_eq!(row("unstarted")["pace"], Value::Null);
    // The same as `status --json` prints for the file (a copy: status may keep
    // a history beside the file it reads).
    let copy = sandbox.path("late-copy.toml");
    fs::copy(&late, &copy).unwrap();
    let output = sandbox
        .certprep()
        .arg("--state")
        .arg(&copy)
        .args(["-e", "mycert", "status", "--json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let status: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(status["pace"], row("late")["pace"]);

    // The CSV: the pace field by field, the steps in one cell; the target 70 %
    // and its pass mark ⌈10 · 0.7⌉ = 7, or with --target 55, ⌈5.5⌉ = 6.
    for (args, percent, mark) in [(&[][..], "70", "7"), (&["--target", "55"], "55", "6")] {
        let csv = run(&[&["--csv"], args].concat());
        let mut reader = csv::Reader::from_reader(csv.as_slice());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let column = |name: &str| {
            header
                .iter()
                .position(|column| column == name)
                .unwrap_or_else(|| panic!("no column {name}: {header:?}"))
        };
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let record = |name: &str| {
            records
                .iter()
                .find(|record| &record[column("learner")] == name)
                .unwrap()
        };
        let cells = |name: &str, columns: &[&str]| -> Vec<String> {
            columns
                .iter()
                .map(|column_name| record(name)[column(column_name)].to_string())
                .collect()
        };
        let pace = [
            "pace_expected",
            "pace_done",
            "pace_left",
            "pace_ahead",
            "days_to_exam",
            "catch_up",
        ];
        assert_eq!(
            cells("late", &pace),
            ["2", "0", "3", "-2", "3", "2026-11-22: 1 2; 2026-11-23: 3"]
        );
        assert_eq!(cells("fine", &pace), ["1", "1", "2", "0", "", ""]);
        assert_eq!(cells("unstarted", &pace), ["", "", "", "", "", ""]);
        for name in ["late", "fine", "unstarted"] {
            assert_eq!(
                cells(name, &["target_percent", "pass_mark"]),
                [percent, mark],
                "{args:?}"
            );
        }
    }
}

/// Runs `report --html PAGE ARGS... cohort` and parses the page.
fn html_report(sandbox: &Sandbox, args: &[&str]) -> scraper::Html {
    let page_path = sandbox.path("class.html");
    let output = sandbox
        .certprep()
        .args(["report", "--html"])
        .arg(&page_path)
        .args(args)
        .arg(sandbox.cohort())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    scraper::Html::parse_document(&fs::read_to_string(&page_path).unwrap())
}

fn select(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).unwrap()
}

/// The text of every element of `document` that `css` selects, in page order.
fn texts(document: &scraper::Html, css: &str) -> Vec<String> {
    document
        .select(&select(css))
        .map(|element| element.text().collect())
        .collect()
}

fn number(element: scraper::ElementRef, attribute: &str) -> f64 {
    element.value().attr(attribute).unwrap().parse().unwrap()
}

/// The heatmap fills the page's width; a long name is cut with "…" in its
/// column (whole in its tooltip and the cells' data), and every label is
/// clipped to its own column, so labels never run into each other or under
/// the cells: "model-development" and "model-deployment" break after the
/// hyphen instead of overlapping.
#[test]
fn html_heatmap_cuts_long_names_and_keeps_labels_apart() {
    let sandbox = Sandbox::new();
    let guide = MYCERT
        .replace("basics", "model-development")
        .replace("advanced", "model-deployment");
    fs::write(sandbox.path("guides/mycert.yaml"), guide).unwrap();
    let long = "x".repeat(100);
    sandbox.learner(&long, "started = 2026-11-21\n");
    sandbox.learner("ann", "started = 2026-11-21\n");
    let document = html_report(&sandbox, &[]);
    let svg = document.select(&select("svg.heatmap")).next().unwrap();
    assert_eq!(svg.value().attr("width"), Some("100%"));
    assert!(svg.value().attr("viewBox").is_some());

    // Names in order: ann, then the long one, cut.
    let labels: Vec<scraper::ElementRef> = document
        .select(&select("svg.heatmap > text:not(.value)"))
        .collect();
    let shown: Vec<String> = labels.iter().map(|label| label.text().collect()).collect();
    assert_eq!(shown[0], "ann");
    let cut = shown[1].strip_suffix('…').expect("cut with an ellipsis");
    assert!(!cut.is_empty() && long.starts_with(cut), "{cut}");
    assert!(cut.len() < 100);
    // Whole in the tooltip of the name's row and in every cell's data.
    let titles: Vec<String> = texts(&document, "svg.heatmap rect.label > title");
    assert_eq!(titles, ["ann", long.as_str()]);
    let cells: Vec<scraper::ElementRef> =
        document.select(&select("svg.heatmap rect.cell")).collect();
    assert_eq!(cells.len(), 2 * 3);
    assert!(
        cells[3..]
            .iter()
            .all(|cell| cell.value().attr("data-learner") == Some(&long))
    );

    // The clip of a region, by the id its url() names.
    let clip = |element: scraper::ElementRef| -> (f64, f64) {
        let url = element.value().attr("clip-path").expect("clipped");
        let id = url
            .strip_prefix("url(#")
            .unwrap()
            .strip_suffix(')')
            .unwrap();
        let rect = document
            .select(&select(&format!("clipPath#{id} > rect")))
            .next()
            .unwrap();
        (number(rect, "x"), number(rect, "x") + number(rect, "width"))
    };
    // The names end before the first column of cells starts.
    let first_cell = number(cells[0], "x");
    for label in &labels {
        assert!(clip(*label).1 <= first_cell, "{}", label.html());
    }
    // Column labels: broken after the hyphen, each clipped inside its column,
    // and the columns' clips side by side, never overlapping.
    let columns: Vec<scraper::ElementRef> = document
        .select(&select("svg.heatmap g:has(> text.column)"))
        .collect();
    let lines: Vec<Vec<String>> = columns
        .iter()
        .map(|column| {
            column
                .select(&select("text.column > tspan"))
                .map(|line| line.text().collect())
                .collect()
        })
        .collect();
    assert_eq!(
        lines,
        [
            vec!["model-", "development"],
            vec!["model-", "deployment"],
            vec!["overall"]
        ]
    );
    let tooltips: Vec<String> = columns
        .iter()
        .map(|column| {
            column
                .select(&select("title"))
                .next()
                .unwrap()
                .text()
                .collect()
        })
        .collect();
    assert_eq!(
        tooltips,
        ["model-development", "model-deployment", "overall"]
    );
    for (index, column) in columns.iter().enumerate() {
        let (left, right) = clip(*column);
        let cell_left = number(cells[index], "x");
        let cell_right = cell_left + number(cells[index], "width");
        assert!(cell_left <= left && right <= cell_right, "column {index}");
    }
}

/// The page lists each section's class means (readiness and expected lost
/// points), the files left out (their names escaped), and says "none" for an
/// empty list.
#[test]
fn html_page_shows_section_means_skipped_files_and_none() {
    let sandbox = Sandbox::new();
    hand_made_cohort(&sandbox);
    fs::write(sandbox.cohort().join("bad <i>x.toml"), "version = \n").unwrap();
    let document = html_report(&sandbox, &[]);
    // The hand-worked summary of the JSON test: readiness basics 33.67 %,
    // advanced 25 %; mean expected lost points basics 2.8615, advanced 1.984,
    // so basics is the weakest.
    let rows: Vec<Vec<String>> = document
        .select(&select("table.sections tbody tr"))
        .map(|row| {
            row.select(&select("th, td"))
                .map(|cell| cell.text().collect())
                .collect()
        })
        .collect();
    assert_eq!(rows, [["basics", "34%", "2.9"], ["advanced", "25%", "2.0"]]);
    let weakest: Vec<String> = texts(&document, "table.sections tr.weakest th");
    assert_eq!(weakest, ["basics"]);
    // The class-mean row of the heatmap: hues 1.2 · 33.67 = 40, 1.2 · 25 = 30
    // and, for the mean readiness 30.2, 36.
    let means: Vec<&str> = document
        .select(&select("svg.heatmap rect.mean"))
        .map(|rect| rect.value().attr("fill").unwrap())
        .collect();
    assert_eq!(
        means,
        [
            "hsl(40, 70%, 62%)",
            "hsl(30, 70%, 62%)",
            "hsl(36, 70%, 62%)"
        ]
    );

    // The four files skipped: corrupt, huge, the FIFO and "bad <i>x", whose
    // name is text, not markup.
    let warnings: Vec<String> = texts(&document, "ul.warnings li");
    assert_eq!(warnings.len(), 4, "{warnings:?}");
    for name in ["corrupt.toml", "huge.toml", "pipe.toml", "bad <i>x.toml"] {
        assert_eq!(
            warnings.iter().filter(|line| line.contains(name)).count(),
            1,
            "{name}: {warnings:?}"
        );
    }
    assert_eq!(document.select(&select("i")).count(), 0);

    // A class of one learner, rated 5 (pass chance 0.887), with no booking: no
    // one at risk, no one sitting soon, each list saying so.
    let sandbox = Sandbox::new();
    sandbox.learner(
        "ahead",
        "started = 2026-11-21\n\n[exams.mycert.ratings]\nbasics = 5\nadvanced = 5\n",
    );
    let document = html_report(&sandbox, &[]);
    let lists: Vec<(String, String)> = document
        .select(&select("h3"))
        .filter_map(|heading| {
            let next = heading
                .next_siblings()
                .find_map(scraper::ElementRef::wrap)?;
            Some((heading.text().collect::<String>(), next.html()))
        })
        .filter(|(heading, _)| heading.starts_with("At risk") || heading.starts_with("Sitting"))
        .collect();
    assert_eq!(
        lists,
        [
            (
                "At risk (pass chance below 50 %)".to_string(),
                "<p class=\"none\">none</p>".to_string()
            ),
            (
                "Sitting within 14 days".to_string(),
                "<p class=\"none\">none</p>".to_string()
            ),
        ]
    );
}
