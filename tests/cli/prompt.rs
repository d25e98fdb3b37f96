//! `certprep prompt` (README: In your shell prompt): one line or nothing, never a write.

use crate::common::Env;

/// `certprep prompt ARGS` with the sandbox: (exit code, stdout, stderr).
fn prompt(env: &Env, today: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let mut command = env.cmd_on(today, &["prompt"]);
    command.args(args);
    let output = command.output().expect("run certprep");
    (
        output.status.code(),
        String::from_utf8(output.stdout).expect("UTF-8"),
        String::from_utf8(output.stderr).expect("UTF-8"),
    )
}

#[test]
fn nothing_active_prints_nothing() {
    let env = Env::new();
    assert_eq!(
        prompt(&env, "2026-11-22", &[]),
        (Some(0), String::new(), String::new())
    );
    // Read-only: no state file, no lock file.
    assert!(env.state_bytes().is_none());
    assert!(!env.path("state.toml.lock").exists());
}

#[test]
fn default_format_after_the_walkthrough() {
    let env = Env::new();
    env.walkthrough();
    // Overall 40.2 % (tests/cli/walkthrough.rs) rounds to 40; today is day 3 of 7.
    let (code, stdout, stderr) = prompt(&env, "2026-11-22", &[]);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (Some(0), "ML-Assoc 40% d3/7\n", "")
    );
    // After the last day (2026-11-26) there is no plan day to show.
    let (_, stdout, _) = prompt(&env, "2026-11-30", &[]);
    assert_eq!(stdout, "ML-Assoc 40%\n");
    // Before the start neither.
    let (_, stdout, _) = prompt(&env, "2026-11-19", &[]);
    assert_eq!(stdout, "ML-Assoc 40%\n");
}

#[test]
fn every_placeholder() {
    let env = Env::new();
    env.walkthrough();
    env.ok(&["book", "2027-01-15"]);
    let format =
        "{exam}|{short}|{readiness}|{day}|{days}|{ticked}|{items}|{days_left}|{weakest}|{{x}}";
    let (code, stdout, _) = prompt(&env, "2026-11-22", &["--format", format]);
    assert_eq!(code, Some(0));
    // days_left: 2026-11-22 → 2027-01-15 is 8 + 31 + 15 = 54 days.
    // weakest: the section the forecast expects to cost most. No practice yet,
    // so the ratings' priors: Model Development, rated 3, is 0.55 accurate on its
    // 15 questions and loses 6.75; Databricks ML (rated 4, 0.70 on 18) 5.4; the
    // unrated ML Workflows 9·0.5 = 4.5 and Model Deployment 6·0.5 = 3. Not the
    // lowest readiness (Model Deployment, at 0 %).
    assert_eq!(
        stdout,
        "associate|ML-Assoc|40|3|7|2|5|54|model-development|{x}\n"
    );
}

#[test]
fn unknown_values_are_empty_and_ties_go_to_the_earlier_section() {
    let env = Env::new();
    env.walkthrough();
    // The professional exam: not started, not booked, nothing rated. Its 60
    // questions split 18, 18, 15, 9; unrated, each section is expected to lose
    // half: 9, 9, 7.5, 4.5. Experimentation and model-lifecycle tie, and
    // experimentation comes first in the outline.
    let (code, stdout, _) = prompt(
        &env,
        "2026-11-22",
        &[
            "-e",
            "pro",
            "--format",
            "{short}:{day}:{days}:{days_left}:{weakest}",
        ],
    );
    assert_eq!(code, Some(0));
    assert_eq!(stdout, "ML-Pro::10::experimentation\n");
}

#[test]
fn global_options_work_before_and_after_prompt() {
    let env = Env::new();
    env.walkthrough();
    for args in [
        vec!["-e", "professional", "prompt"],
        vec!["prompt", "-e", "professional"],
    ] {
        let output = env.cmd(&args).output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "ML-Pro 0%\n",
            "{args:?}"
        );
    }
}

#[test]
fn bad_formats_are_usage_errors_even_with_nothing_active() {
    let env = Env::new();
    for format in ["{nope}", "{short", "50}%", "{pass_chance}", "{Pass}"] {
        let (code, stdout, stderr) = prompt(&env, "2026-11-22", &["--format", format]);
        assert_eq!(code, Some(2), "{format}: {stderr}");
        assert_eq!(stdout, "");
        assert!(stderr.contains("prompt"), "{format}: {stderr}");
    }
    let (_, _, stderr) = prompt(&env, "2026-11-22", &["--format", "{nope}"]);
    assert!(
        stderr.contains("{nope}") && stderr.contains("{readiness}") && stderr.contains("{pass}"),
        "{stderr}"
    );
}

#[test]
fn argument_errors_and_help_come_from_the_full_parser() {
    let env = Env::new();
    let (code, _, stderr) = prompt(&env, "2026-11-22", &["--format"]);
    assert_eq!(code, Some(2), "{stderr}");
    let (code, _, stderr) = prompt(&env, "2026-11-22", &["--bogus"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--bogus"), "{stderr}");
    let (code, stdout, _) = prompt(&env, "2026-11-22", &["--help"]);
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("--format") && stdout.contains("{days_left}") && stdout.contains("{pass}"),
        "{stdout}"
    );
}

#[test]
fn a_broken_state_prints_one_line_on_stderr_only() {
    let env = Env::new();
    let broken = "version = 1\nactive = \"associate\"\n[exams.associate]\nticked = [\"automl\"\n";
    env.write_state(broken);
    let (code, stdout, stderr) = prompt(&env, "2026-11-22", &[]);
    assert_eq!(code, Some(1));
    assert_eq!(stdout, "");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("state.toml:"), "{stderr}");
    assert_eq!(env.state_bytes().unwrap(), broken.as_bytes());
}

#[test]
fn never_writes_or_locks() {
    let env = Env::new();
    // A hand-written, non-canonical file: any rewrite would change its bytes.
    let text = "version=1\nactive='associate'\n[exams.associate]\nticked=['automl','automl']\n";
    env.write_state(text);
    let (code, stdout, _) = prompt(&env, "2026-11-22", &[]);
    assert_eq!(code, Some(0));
    // automl trains databricks-ml (1 of 3 items) and model-development (1 of 2):
    // databricks-ml 100·0.3·(1/3) = 10 → 3.8 points; model-development
    // 100·0.3·0.5 = 15 → 4.65 points; overall 8.45 → 8.
    assert_eq!(stdout, "ML-Assoc 8%\n");
    assert_eq!(env.state_bytes().unwrap(), text.as_bytes());
    assert!(!env.path("state.toml.lock").exists());
}

/// An exam of `questions` questions in one section, with `assessment` lines
/// (such as a pass mark) added.
fn single_section_guide(questions: u32, assessment: &str) -> String {
    format!(
        "id: one
name: One-section certification
short: One
assessment:
  questions: {questions}
  minutes: 5
{assessment}sections:
  - id: all
    name: Everything
    weight: 100
checklist:
  - id: learn
    text: Learn everything
    sections: [all]
"
    )
}

/// `{pass}` for the sandbox's active exam on `today`.
fn pass_on(env: &Env, today: &str) -> String {
    let (code, stdout, stderr) = prompt(env, today, &["--format", "{pass}"]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""), "{stdout}");
    stdout.trim_end_matches('\n').to_string()
}

#[test]
fn pass_on_a_one_question_guide_worked_by_hand() {
    let env = Env::new();
    env.install_guide("one.yaml", &single_section_guide(1, ""));
    env.ok(&["start", "one"]);
    // One question, default target 70 % → pass mark ⌈0.7⌉ = 1: the pass chance is
    // the section's mean accuracy.
    // Unrated, no sittings: the uniform Beta(1, 1), mean 1/2.
    assert_eq!(pass_on(&env, "2026-11-22"), "50");
    // Rated 5: mean 0.85, strength 4 → Beta(3.4, 0.6), mean 0.85.
    env.ok(&["rate", "all", "5"]);
    assert_eq!(pass_on(&env, "2026-11-22"), "85");
    // A sitting 14 days old counts half: 1 of 1 right → Beta(3.9, 0.6),
    // 3.9/4.5 = 0.8667.
    env.ok(&["practice", "add", "1/1", "--on", "2026-11-08"]);
    assert_eq!(pass_on(&env, "2026-11-22"), "87");
    // And one from today, 0 of 1 → Beta(3.9, 1.6), 3.9/5.5 = 0.7091.
    env.ok(&["practice", "add", "0/1"]);
    assert_eq!(pass_on(&env, "2026-11-22"), "71");
    // The same evidence a week later: the sittings weigh 0.5^(21/14) = 0.3536 and
    // 0.5^(7/14) = 0.7071 → α = 3.4 + 0.3536 = 3.7536, β = 0.6 + 0.7071 = 1.3071,
    // mean 3.7536/5.0607 = 0.7417.
    assert_eq!(pass_on(&env, "2026-11-29"), "74");
}

#[test]
fn pass_is_against_the_guides_own_pass_mark() {
    let env = Env::new();
    // Two questions, unrated: BetaBinomial(2, 1, 1) is uniform, 1/3 each for 0, 1, 2.
    env.install_guide("one.yaml", &single_section_guide(2, ""));
    env.ok(&["start", "one"]);
    // Default 70 % → pass mark ⌈1.4⌉ = 2: P(X = 2) = 1/3.
    assert_eq!(pass_on(&env, "2026-11-22"), "33");
    // The guide's 50 % → pass mark 1: P(X ≥ 1) = 2/3.
    env.install_guide("one.yaml", &single_section_guide(2, "  pass_percent: 50\n"));
    assert_eq!(pass_on(&env, "2026-11-22"), "67");
}

/// `forecast --json`'s pass chance (checked against an independent computation in
/// tests/cli/forecast.rs) as a whole percent.
fn forecast_percent(env: &Env, today: &str) -> String {
    let json = env.json_on(today, &["forecast", "--json"]);
    let chance = json["pass_chance"].as_f64().expect("a pass chance");
    format!("{}", (chance * 100.0).round())
}

#[test]
fn pass_for_a_bundled_exam_is_the_forecasts_chance() {
    let env = Env::new();
    env.walkthrough();
    // Ratings only: the prompt reads the outline of the guide and the state
    // without toml; `forecast` the whole guide.
    let expected = forecast_percent(&env, "2026-11-22");
    let (_, stdout, _) = prompt(&env, "2026-11-22", &["--format", "{short} {pass}%"]);
    assert_eq!(stdout, format!("ML-Assoc {expected}%\n"));
    // The README's sittings: a whole score and one with section scores.
    env.ok(&["practice", "add", "26/48", "--on", "2026-11-21"]);
    let today = "2026-11-25";
    env.ok_on(
        today,
        &["practice", "add", "1=14/18", "2=6/9", "3=9/15", "4=2/6"],
    );
    let with_practice = forecast_percent(&env, today);
    assert_ne!(with_practice, expected, "the sittings move the forecast");
    assert_eq!(pass_on(&env, today), with_practice);
    // Another exam's, with -e.
    let (_, stdout, _) = prompt(&env, today, &["-e", "pro", "--format", "{pass}"]);
    let json = env.json_on(today, &["-e", "pro", "forecast", "--json"]);
    let chance = json["pass_chance"].as_f64().unwrap();
    assert_eq!(stdout, format!("{}\n", (chance * 100.0).round()));
}
