//! `certprep prompt` (DESIGN section 6): one line or nothing, never a write.

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
    // weakest: model-deployment is the only section at 0 %.
    assert_eq!(
        stdout,
        "associate|ML-Assoc|40|3|7|2|5|54|model-deployment|{x}\n"
    );
}

#[test]
fn unknown_values_are_empty_and_ties_go_to_the_heavier_section() {
    let env = Env::new();
    env.walkthrough();
    // The professional exam: not started, not booked, nothing done. Every section
    // is at 0 %; experimentation and model-lifecycle weigh 30 each, and
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
    for format in ["{nope}", "{short", "50}%"] {
        let (code, stdout, stderr) = prompt(&env, "2026-11-22", &["--format", format]);
        assert_eq!(code, Some(2), "{format}: {stderr}");
        assert_eq!(stdout, "");
        assert!(stderr.contains("prompt"), "{format}: {stderr}");
    }
    let (_, _, stderr) = prompt(&env, "2026-11-22", &["--format", "{nope}"]);
    assert!(
        stderr.contains("{nope}") && stderr.contains("{readiness}"),
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
        stdout.contains("--format") && stdout.contains("{days_left}"),
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
