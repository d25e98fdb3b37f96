//! Bad command-line input: exit 2, a clear message on stderr naming the candidates,
//! and the state file byte-for-byte as it was (README: Naming things; Reliability).

use crate::common::{self, Env, MYCERT};

/// An env after the walkthrough, so there is a state file to keep unchanged.
fn walked() -> Env {
    let env = Env::new();
    env.walkthrough();
    env
}

#[test]
fn unknown_exam_lists_the_exams() {
    let env = walked();
    for args in [
        &["-e", "nosuch", "status"][..],
        &["-e", "nosuch", "tick", "1"],
        &["start", "nosuch"],
        &["use", "nosuch"],
    ] {
        let stderr = env.usage_error(args, &["nosuch", "associate", "professional"]);
        assert!(stderr.contains("exam"), "{stderr}");
    }
}

#[test]
fn misspelt_exam_suggests_the_close_one() {
    let env = walked();
    env.usage_error(&["-e", "asociate", "status"], &["asociate", "associate"]);
}

#[test]
fn ambiguous_exam_prefix_lists_both_candidates() {
    let env = walked();
    // A user guide "astro" makes "a" a prefix of both associate and astro.
    env.install_guide("astro.yaml", &MYCERT.replacen("id: mycert", "id: astro", 1));
    let stderr = env.usage_error(
        &["-e", "a", "tick", "1"],
        &["ambiguous", "associate", "astro"],
    );
    assert!(!stderr.contains("professional"), "{stderr}");
    env.usage_error(&["start", "a"], &["ambiguous", "associate", "astro"]);
    // The empty name is said to be empty, not ambiguous.
    let stderr = env.usage_error(
        &["-e", "", "status"],
        &[
            "the exam name is empty; choose one of",
            "associate",
            "professional",
        ],
    );
    assert!(!stderr.contains("ambiguous"), "{stderr}");
    env.usage_error(&["rate", "", "3"], &["the section name is empty"]);
}

/// The names a newcomer types: an exam's own label (`ML-Pro`), a part of an id
/// (`lifecycle`, `deploy`, `experiments`), a word of a name.
#[test]
fn names_by_label_part_of_an_id_or_word_of_a_name() {
    let env = Env::new();
    env.ok(&["start", "professional", "--on", "2026-11-20"]);
    // model-lifecycle is section 2, "Model Lifecycle Management".
    let why = env.ok(&["why", "lifecycle"]);
    assert!(
        why.starts_with("2. Model Lifecycle Management (model-lifecycle)"),
        "{why}"
    );
    // reproducible-experiments is item 1.
    let ticked = env.ok(&["tick", "experiments"]);
    assert!(
        ticked.starts_with("1. [x] Structure experiments"),
        "{ticked}"
    );
    // The label, in any case, and a word of the associate's name.
    let status = env.ok(&["-e", "ML-Pro", "status"]);
    assert!(
        status.starts_with("Databricks Certified Machine Learning Professional"),
        "{status}"
    );
    // model-deployment is associate's section 4.
    assert_eq!(
        env.ok(&["-e", "ml-assoc", "rate", "deploy", "3"]),
        "Section 4 (Model Deployment) rated 3/5: can do it with notes\n"
    );
    env.ok(&["-e", "associate", "rate", "Machine", "2"]);
    assert!(
        env.state_text().contains("databricks-ml = 2\n"),
        "{}",
        env.state_text()
    );
    // A miss suggests the names close to it, labels and aliases included.
    env.usage_error(
        &["-e", "ML-Prof", "status"],
        &["unknown exam \"ML-Prof\"; did you mean ml-pro (professional)?"],
    );
}

#[test]
fn unknown_item_lists_candidates() {
    let env = walked();
    env.usage_error(
        &["tick", "nosuch"],
        &["nosuch", "automl", "mlflow-tracking", "batch-scoring"],
    );
    // One typo away from automl.
    env.usage_error(&["tick", "atuoml"], &["atuoml", "did you mean", "automl"]);
    env.usage_error(&["untick", "nosuch"], &["nosuch", "automl"]);
}

#[test]
fn a_bad_item_among_good_ones_changes_nothing() {
    let env = walked();
    // Item 3 is fine, "nosuch" is not: nothing is ticked.
    env.usage_error(&["tick", "3", "nosuch"], &["nosuch"]);
    env.usage_error(&["tick", "model-registry", "6"], &["6", "5"]);
}

#[test]
fn item_numbers_out_of_range() {
    let env = walked();
    // The associate checklist has 5 items.
    env.usage_error(&["tick", "6"], &["6", "1", "5"]);
    env.usage_error(&["tick", "0"], &["0"]);
}

#[test]
fn ambiguous_item_prefix() {
    let env = walked();
    // "m" starts mlflow-tracking and model-registry.
    env.usage_error(
        &["tick", "m"],
        &["ambiguous", "mlflow-tracking", "model-registry"],
    );
}

#[test]
fn ambiguous_section_prefix() {
    let env = walked();
    // "model" starts model-development and model-deployment.
    let stderr = env.usage_error(
        &["rate", "model", "3"],
        &["ambiguous", "model-development", "model-deployment"],
    );
    assert!(!stderr.contains("databricks-ml"), "{stderr}");
    // "m" also starts ml-workflows.
    env.usage_error(
        &["rate", "m", "3"],
        &[
            "ambiguous",
            "ml-workflows",
            "model-development",
            "model-deployment",
        ],
    );
}

#[test]
fn unknown_section() {
    let env = walked();
    env.usage_error(
        &["rate", "nosuch", "3"],
        &["nosuch", "databricks-ml", "model-deployment"],
    );
    // The associate guide has 4 sections.
    env.usage_error(&["rate", "5", "3"], &["5", "4"]);
    env.usage_error(&["rate", "0", "3"], &["0"]);
    env.usage_error(&["rate", "nosuch", "--clear"], &["nosuch"]);
}

#[test]
fn ratings_out_of_range() {
    let env = walked();
    for rating in ["0", "6", "x", "-1", "3.5", "256"] {
        let stderr = env.usage_error(&["rate", "1", rating], &[rating]);
        assert!(stderr.to_lowercase().contains("rating"), "{stderr}");
    }
}

#[test]
fn malformed_and_impossible_dates() {
    let env = walked();
    for date in [
        "2026-02-30",
        "2026-13-01",
        "2026-11-31",
        "2027-02-29",
        "20261120",
        "2026/11/20",
        "tomorrow",
        "2026-11-20x",
        "",
    ] {
        // --today must come from the argument list here, so build it by hand.
        let before = env.state_bytes();
        let output = env
            .bare()
            .arg("--state")
            .arg(env.state_path())
            .args(["--today", date, "status"])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(2), "--today {date:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("YYYY-MM-DD"), "--today {date:?}: {stderr}");
        assert_eq!(env.state_bytes(), before);

        let stderr = env.usage_error(&["start", "associate", "--on", date], &["YYYY-MM-DD"]);
        assert!(stderr.contains(date), "{stderr}");
        let stderr = env.usage_error(&["book", date], &["YYYY-MM-DD"]);
        assert!(stderr.contains(date), "{stderr}");
    }
}

#[test]
fn impossible_date_in_certprep_today_env() {
    let env = walked();
    let before = env.state_bytes();
    let output = env
        .bare()
        .arg("--state")
        .arg(env.state_path())
        .env("CERTPREP_TODAY", "2026-02-30")
        .args(["tick", "3"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("2026-02-30"));
    assert_eq!(env.state_bytes(), before);
}

#[test]
fn leap_day_is_a_date() {
    let env = Env::new();
    // 2028 is a leap year.
    env.ok(&["start", "associate", "--on", "2028-02-29"]);
    assert!(env.state_text().contains("started = 2028-02-29\n"));
}

#[test]
fn plan_days_out_of_range() {
    let env = walked();
    // The associate plan has days 1..=7.
    env.usage_error(&["done", "0"], &["0", "7"]);
    env.usage_error(&["done", "8"], &["8", "7"]);
    env.usage_error(&["done", "3", "8"], &["8"]);
    env.usage_error(&["undone", "8"], &["8"]);
    env.usage_error(&["done", "-1"], &[]);
    env.usage_error(&["done", "x"], &["x"]);
    // The professional plan has days 1..=10.
    env.usage_error(&["-e", "professional", "done", "11"], &["11", "10"]);
}

#[test]
fn done_without_a_day_outside_the_plan() {
    let env = Env::new();
    // Not started: no plan day is today's.
    env.usage_error(&["-e", "associate", "done"], &["associate", "start"]);
    assert_eq!(env.state_bytes(), None);
    env.ok(&["start", "associate", "--on", "2026-11-25"]);
    // Before the start (starts in 3 days).
    env.usage_error(&["done"], &["done 1"]);
    // After the end: day 7 was 2026-12-01, 2026-12-05 is after it.
    let before = env.state_bytes();
    let output = env.cmd_on("2026-12-05", &["done"]).output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(env.state_bytes(), before);
}

#[test]
fn commands_needing_an_exam_without_one() {
    let env = Env::new();
    for args in [
        &["tick", "1"][..],
        &["rate", "1", "3"],
        &["done", "1"],
        &["today"],
        &["plan"],
        &["checklist"],
        &["guide"],
        &["book", "2027-01-15"],
        &["reset", "--yes"],
    ] {
        env.usage_error(args, &["certprep start"]);
        assert_eq!(env.state_bytes(), None, "{args:?} created the state");
    }
}

#[test]
fn reset_needs_yes() {
    let env = walked();
    env.usage_error(&["reset"], &["--yes"]);
    assert_eq!(env.state_text(), common::WALKTHROUGH_STATE);
}

#[test]
fn unknown_command_and_flags() {
    let env = walked();
    env.usage_error(&["frobnicate"], &["frobnicate"]);
    env.usage_error(&["status", "--frob"], &["--frob"]);
    env.usage_error(&["--frob"], &["--frob"]);
    env.usage_error(&["tick"], &["ITEM"]);
    env.usage_error(&["rate", "1"], &["RATING"]);
    env.usage_error(&["rate", "1", "3", "--clear"], &["--clear"]);
    env.usage_error(&["book", "2027-01-15", "--clear"], &["--clear"]);
    env.usage_error(&["--color", "sometimes", "status"], &["sometimes"]);
}

#[test]
fn errors_are_one_prefixed_sentence_not_a_debug_dump() {
    let env = walked();
    let stderr = env.usage_error(&["tick", "nosuch"], &[]);
    assert!(stderr.starts_with("certprep"), "{stderr}");
    assert!(stderr.contains("error"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("UsageError"), "{stderr}");
}

#[test]
fn names_match_in_any_case() {
    let env = Env::new();
    // The exam by id (the exact-id fast path), alias and prefix, in other cases.
    for exam in ["Associate", "ASSOCIATE", "MLA", "Assoc"] {
        let json = env.json(&["-e", exam, "checklist", "--json"]);
        assert_eq!(json["exam"], "associate", "-e {exam}");
    }
    env.ok(&["start", "Professional", "--on", "2026-11-20"]);
    env.ok(&["use", "ASSOC"]);
    // Items and sections by id and by prefix: the same walkthrough state as
    // `tick 1 2`, `rate 1 4`, `rate 3 3`.
    env.ok(&["start", "Associate", "--on", "2026-11-20"]);
    env.ok(&["tick", "AutoML", "MLflow"]);
    env.ok(&["rate", "Databricks-ML", "4"]);
    env.ok(&["rate", "Model-Dev", "3"]);
    env.ok(&["done", "1", "2"]);
    let state = env.state_text();
    assert!(
        state.contains(
            "[exams.associate]\nstarted = 2026-11-20\nticked = [\"automl\", \"mlflow-tracking\"]\ndays_done = [1, 2]\n\n[exams.associate.ratings]\ndatabricks-ml = 4\nmodel-development = 3\n"
        ),
        "{state}"
    );
    // Ambiguity is judged the same way: "MODEL" starts two sections.
    env.usage_error(
        &["rate", "MODEL", "3"],
        &[
            "\"MODEL\" is ambiguous",
            "model-development",
            "model-deployment",
        ],
    );
    // A user guide's id in another case takes the same path as a bundled one's.
    env.install_guide("mycert.yaml", MYCERT);
    let json = env.json(&["-e", "MyCert", "checklist", "--json"]);
    assert_eq!(json["exam"], "mycert");
}

#[test]
fn next_limit_must_be_at_least_one() {
    let env = walked();
    for limit in ["0", "x", "1.5", "99999999999999999999999"] {
        env.usage_error(
            &["next", "--limit", limit],
            &[limit, "the limit is a whole number of actions, 1 or more"],
        );
    }
    assert_eq!(
        env.json(&["next", "--json", "--limit", "1"])["actions"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn value_errors_say_what_is_expected() {
    let env = walked();
    for (args, expected) in [
        (
            &["rate", "1", "3.5"][..],
            "a rating is a whole number from 1 to 5",
        ),
        (
            &["rate", "1", "x"],
            "a rating is a whole number from 1 to 5",
        ),
        (
            &["rate", "1", "256"],
            "a rating is a whole number from 1 to 5",
        ),
        (
            &["done", "x"],
            "\"x\" is not a day number such as 3 or a range such as 1-2",
        ),
        (
            &["done", "1.5"],
            "\"1.5\" is not a day number such as 3 or a range such as 1-2",
        ),
        (
            &["undone", "1-x"],
            "\"1-x\" is not a day number such as 3 or a range such as 1-2",
        ),
        (&["done", "3-1"], "the range 3-1 runs backwards; write 1-3"),
        (
            &["undone", "7–2"],
            "the range 7–2 runs backwards; write 2-7",
        ),
        (&["tick", "3-1"], "the range 3-1 runs backwards; write 1-3"),
        (
            &["untick", "1-"],
            "\"1-\" is not a checklist item number such as 3 or a range such as 1-2",
        ),
        (
            &["start", "associate", "--on", "2026-1-5"],
            "use YYYY-MM-DD",
        ),
        (&["book", "soon"], "use YYYY-MM-DD"),
    ] {
        let stderr = env.usage_error(args, &[expected]);
        // No parser's own wording leaks through.
        for leak in ["invalid digit", "ParseIntError", "not in 1..="] {
            assert!(!stderr.contains(leak), "{args:?}: {stderr}");
        }
    }
}

#[test]
fn ranges_beyond_the_plan_or_checklist() {
    let env = walked();
    // 7 plan days and 5 checklist items: the range's end is named.
    env.usage_error(&["done", "6-8"], &["no plan day 8", "day 1 to day 7"]);
    env.usage_error(&["done", "0-2"], &["no plan day 0"]);
    env.usage_error(&["tick", "4-9"], &["no checklist item number 9", "1 to 5"]);
    env.usage_error(&["untick", "0-1"], &["no checklist item number 0"]);
}

#[test]
fn usage_lines_with_the_environment_set() {
    let env = walked();
    let run = |args: &[&str]| {
        env.bare()
            .env("CERTPREP_STATE", env.state_path())
            .env("CERTPREP_TODAY", common::TODAY)
            .args(args)
            .output()
            .expect("run")
    };
    // Values from the environment are not typed arguments: usage shows what is
    // required, not `--state <PATH> --today <YYYY-MM-DD>`.
    let missing = run(&["tick"]);
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("Usage: certprep tick <ITEM>...\n"),
        "{stderr}"
    );
    for args in [&["tick", "--help"][..], &["help", "tick"]] {
        let help = run(args);
        assert_eq!(help.status.code(), Some(0), "{args:?}");
        let stdout = String::from_utf8_lossy(&help.stdout);
        assert!(
            stdout.contains("Usage: certprep tick [OPTIONS] <ITEM>...\n"),
            "{stdout}"
        );
        assert!(
            !stdout.contains(&env.state_path().display().to_string()),
            "{stdout}"
        );
    }
    // The environment still counts: today is 2026-11-22, day 3 of the walkthrough.
    let today = run(&["today"]);
    assert!(String::from_utf8_lossy(&today.stdout).contains("Day 3 of 7"));
    // An empty variable counts as unset: today is the clock's date, read here
    // with `date` (an independent route). A plan started on that date is on its
    // day 1. The date is read before and after, and the check made again when
    // midnight fell in between.
    let clock_date = || {
        let output = std::process::Command::new("date")
            .arg("+%F")
            .output()
            .expect("date runs");
        String::from_utf8(output.stdout).unwrap().trim().to_string()
    };
    let fresh = Env::new();
    let day_on_the_clock = || {
        let date = clock_date();
        fresh.ok_on(&date, &["start", "associate", "--on", &date]);
        let output = fresh
            .bare()
            .env("CERTPREP_STATE", fresh.state_path())
            .env("CERTPREP_TODAY", "")
            .args(["today", "--json"])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(0));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        (date == clock_date()).then(|| json["day"].clone())
    };
    let day = day_on_the_clock()
        .or_else(day_on_the_clock)
        .expect("the clock's date stays put for a moment");
    assert_eq!(day, 1);
}

#[test]
fn rate_and_book_usage_show_the_clear_alternative() {
    let env = walked();
    let stderr = env.usage_error(&["rate", "1"], &["<RATING|--clear>"]);
    assert!(
        stderr.contains("Usage: certprep rate [OPTIONS] <SECTION> <RATING|--clear>"),
        "{stderr}"
    );
    let help = env.ok(&["rate", "--help"]);
    assert!(
        help.contains("Usage: certprep rate [OPTIONS] <SECTION> <RATING|--clear>\n"),
        "{help}"
    );
    env.usage_error(
        &["book"],
        &[
            "<YYYY-MM-DD> or --clear must be given",
            "Usage: certprep book [OPTIONS] <YYYY-MM-DD|--clear>",
        ],
    );
}

/// Help that reads as the commands work: the options every command takes under
/// their own heading, the arguments as the usage line names them, `help` last,
/// the short flags, and what each rating means.
#[test]
fn help_is_laid_out_as_the_commands_work() {
    let env = walked();
    for command in ["rate", "book", "status", "tick"] {
        let help = env.ok(&[command, "--help"]);
        let (own, global) = help
            .split_once("\nGlobal options:\n")
            .unwrap_or_else(|| panic!("{command} --help has no Global options heading:\n{help}"));
        for option in ["--exam", "--state", "--today", "--color"] {
            assert!(
                !own.contains(option),
                "{command}: {option} among its own options:\n{help}"
            );
            assert!(
                global.contains(option),
                "{command}: {option} missing:\n{help}"
            );
        }
    }
    // Required in the usage line, so not [optional] in the arguments.
    let rate = env.ok(&["rate", "--help"]);
    assert!(rate.contains("\n  <RATING> "), "{rate}");
    let book = env.ok(&["book", "--help"]);
    assert!(
        book.contains("Usage: certprep book [OPTIONS] <YYYY-MM-DD|--clear>\n"),
        "{book}"
    );
    assert!(book.contains("\n  <YYYY-MM-DD> "), "{book}");
    // Every step of the scale, as `rate` says it when one is given.
    let rate_flat = rate.split_whitespace().collect::<Vec<_>>().join(" ");
    for (rating, meaning) in [
        ("1", "new to me"),
        ("2", "heard of it"),
        ("3", "can do it with notes"),
        ("4", "can do it unaided"),
        ("5", "exam-ready"),
    ] {
        assert!(
            rate_flat.contains(&format!("{rating} = {meaning}")),
            "{rate}"
        );
        let said = env.ok(&["rate", "2", rating]);
        assert!(said.ends_with(&format!(": {meaning}\n")), "{said}");
    }
    // `help` is the last command listed.
    let top = env.ok(&["--help"]);
    let commands: Vec<&str> = top
        .split_once("Commands:\n")
        .and_then(|(_, rest)| rest.split_once("\n\n"))
        .map(|(list, _)| list.lines().collect())
        .unwrap_or_default();
    assert!(
        commands
            .last()
            .is_some_and(|line| line.trim_start().starts_with("help ")),
        "{top}"
    );
    // -n for next's --limit, -y for reset's --yes.
    assert_eq!(
        env.ok(&["next", "-n", "2"]),
        env.ok(&["next", "--limit", "2"])
    );
    env.ok(&["reset", "-y"]);
    assert_eq!(env.state_text(), "version = 1\nactive = \"associate\"\n");
}

#[test]
fn help_takes_help_and_names_commands() {
    let env = walked();
    let help = env.ok(&["help", "--help"]);
    assert!(
        help.contains("Usage: certprep help [OPTIONS] [COMMAND]"),
        "{help}"
    );
    // `help COMMAND` is `COMMAND --help`, byte for byte; `help` alone is `--help`.
    for command in ["rate", "done", "help"] {
        assert_eq!(
            env.ok(&["help", command]),
            env.ok(&[command, "--help"]),
            "{command}"
        );
    }
    assert_eq!(env.ok(&["help"]), env.ok(&["--help"]));
    env.usage_error(&["help", "nosuch"], &["no command \"nosuch\""]);
}

/// Help nests as in git and cargo: `help practice add` and `practice help add`
/// are `practice add --help`, byte for byte.
#[test]
fn nested_help_works_both_ways() {
    let env = walked();
    let add = env.ok(&["practice", "add", "--help"]);
    assert!(
        add.contains("Usage: certprep practice add [OPTIONS] <SCORE>..."),
        "{add}"
    );
    assert_eq!(env.ok(&["help", "practice", "add"]), add);
    assert_eq!(env.ok(&["practice", "help", "add"]), add);
    assert_eq!(
        env.ok(&["practice", "help", "remove"]),
        env.ok(&["practice", "remove", "--help"])
    );
    assert_eq!(
        env.ok(&["practice", "help"]),
        env.ok(&["practice", "--help"])
    );
    assert_eq!(
        env.ok(&["help", "practice"]),
        env.ok(&["practice", "--help"])
    );
    env.usage_error(
        &["help", "practice", "nosuch"],
        &["certprep practice has no command \"nosuch\"; `certprep practice --help` lists them"],
    );
    env.usage_error(
        &["practice", "help", "nosuch"],
        &["certprep practice has no command \"nosuch\""],
    );
}

/// Command lines clap refuses are said like every other error: one sentence and
/// at most one hint line, exit 2, every byte of the argument escaped and a long
/// one cut. Before, clap printed 3 to 6 lines with the argument's bytes raw, so
/// an argument could set the terminal's title.
#[test]
fn refused_command_lines_get_one_escaped_sentence_and_a_hint() {
    let env = Env::new();
    env.walkthrough();
    let title = "\u{1b}]0;PWNED\u{7}cmd";
    let long = "x".repeat(100_000);
    let cases: [(&[&str], &[&str]); 7] = [
        (
            &[title],
            &["is not a certprep command", "\\u{1b}]0;PWNED\\u{7}cmd"],
        ),
        (
            &["stauts"],
            &["'stauts' is not a certprep command", "'status'"],
        ),
        (
            &["--frob"],
            &["'--frob' is not an option", "Usage: certprep"],
        ),
        (
            &["tick"],
            &["<ITEM>... must be given", "Usage: certprep tick <ITEM>..."],
        ),
        (
            &["--color", "sometimes"],
            &["'sometimes'", "auto, always, never"],
        ),
        (&["book", "2026-13-01"], &["'2026-13-01'", "YYYY-MM-DD"]),
        (&[&long], &["is not a certprep command"]),
    ];
    for (args, needles) in cases {
        let stderr = env.usage_error(args, needles);
        assert!(
            !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
            "raw control bytes: {stderr:?}"
        );
        assert!(
            stderr.lines().count() <= 2,
            "more than two lines:\n{stderr}"
        );
        assert!(stderr.starts_with("certprep: error: "), "{stderr}");
        // 60 characters of the argument at most, then "…".
        assert!(stderr.len() < 300, "{} bytes", stderr.len());
    }
}

/// Help and version that cannot be written (a full disk) fail like every other
/// output: exit 1 with a sentence. Before, `--help > /dev/full` exited 0.
#[test]
fn help_and_version_into_a_full_disk_exit_1() {
    let env = Env::new();
    for args in [&["--help"][..], &["--version"], &["tick", "--help"]] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let output = env.spawnable(args).stdout(full).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output"),
            "{stderr}"
        );
    }
}

#[test]
fn an_empty_name_says_it_is_empty_and_what_to_give() {
    let env = walked();
    env.usage_error(
        &["-e", "", "status"],
        &[
            "the exam name is empty",
            "choose one of",
            "associate",
            "professional",
        ],
    );
    env.usage_error(
        &["tick", ""],
        &[
            "the checklist item name is empty",
            "choose one of",
            "automl",
            "(or its number)",
        ],
    );
    env.usage_error(
        &["rate", "", "3"],
        &["the section name is empty", "databricks-ml"],
    );
    // Blanks are no name either.
    env.usage_error(&["why", "  "], &["the section name is empty"]);
}

#[test]
fn a_state_path_of_the_root_directory_gets_a_whole_sentence() {
    let env = walked();
    let output = env
        .bare()
        .env("CERTPREP_STATE", "/")
        .arg("status")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr,
        "certprep: error: the state file / ends in '/', which names a directory; give a file, such as /state.toml\n"
    );
}

#[test]
fn a_long_unknown_name_is_quoted_by_its_first_40_characters() {
    let env = walked();
    let long = "y".repeat(100_000);
    let shown = format!("\"{}…\"", "y".repeat(40));
    for args in [
        &["tick", &long][..],
        &["-e", &long, "status"],
        &["rate", &long, "3"],
        &["use", &long],
        &["help", &long],
        &["practice", "add", &format!("{long}=1/2")],
        &["practice", "add", &format!("{long}/48")],
    ] {
        let stderr = env.usage_error(args, &[&shown]);
        assert!(stderr.len() < 500, "{} bytes: {stderr}", stderr.len());
    }
}

#[test]
fn a_score_with_too_many_correct_answers_says_the_number_is_too_large() {
    let env = walked();
    env.usage_error(
        &["practice", "add", "99999999999999999999/1"],
        &[
            "\"99999999999999999999/1\"",
            "too large",
            "CORRECT is at most 1000",
        ],
    );
}

/// Runs `args`, which must fail with exit 1 (a file certprep cannot use), with
/// every needle on one line of stderr and the state file as it was.
fn file_error(env: &Env, args: &[&str], needles: &[&str]) {
    let before = env.state_bytes();
    let output = env.cmd(args).output().expect("run certprep");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "{args:?}: no {needle:?} in {stderr}"
        );
    }
    assert_eq!(env.state_bytes(), before, "{args:?} changed the state");
}

#[test]
fn a_too_deeply_nested_state_or_history_names_the_file_and_line() {
    // A dotted key of 81 parts (80 dots) on line 5 of the state.
    let env = walked();
    let deep_key = format!("a{} = 1\n", ".a".repeat(80));
    env.write_state(format!(
        "version = 1\n\n[exams.associate]\nticked = []\n{deep_key}"
    ));
    let state = format!("{}:5", env.state_path().display());
    file_error(&env, &["status"], &[&state, "nested too deeply"]);
    // The same in a table header, on line 3 of the history.
    let env = walked();
    let history = env.path("state.history.toml");
    std::fs::write(&history, format!("version = 1\n\n[a{}]\n", ".a".repeat(80))).unwrap();
    let at = format!("history file {}:3", history.display());
    file_error(&env, &["tick", "3"], &[&at, "nested too deeply"]);
    // Arrays nested 200 deep say so too, at their line.
    let env = walked();
    env.write_state(format!(
        "version = 1\n\n[exams.associate]\nticked = {}{}\n",
        "[".repeat(200),
        "]".repeat(200)
    ));
    let state = format!("{}:4", env.state_path().display());
    file_error(&env, &["status"], &[&state, "nest too deeply"]);
}

#[test]
fn a_lock_path_that_is_a_directory_is_a_sentence() {
    let env = walked();
    let lock = env.path("state.toml.lock");
    std::fs::remove_file(&lock).unwrap();
    std::fs::create_dir(&lock).unwrap();
    let expected = format!(
        "cannot open lock file {}: it is a directory, not a file",
        lock.display()
    );
    file_error(&env, &["tick", "3"], &[&expected]);
}

/// A booked exam is ahead: a date before today is refused with a sentence (it
/// was taken, and counted "-16 days from today"); today and later are fine.
#[test]
fn booking_a_past_date_is_a_usage_error() {
    let env = walked();
    let stderr = env.usage_error(
        &["book", "2026-11-15"],
        &["2026-11-15 is in the past (today is 2026-11-22)"],
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    env.usage_error(&["book", "2026-11-21"], &["in the past"]);
    // The first line; the next says the exam comes before the plan ends.
    let first_line = |args: &[&str]| env.ok(args).lines().next().unwrap_or_default().to_string();
    assert_eq!(
        first_line(&["book", "2026-11-22"]),
        "Databricks Certified Machine Learning Associate booked for 2026-11-22 (today)."
    );
    assert_eq!(
        first_line(&["book", "2026-11-23"]),
        "Databricks Certified Machine Learning Associate booked for 2026-11-23 (1 day from today)."
    );
}

/// Shapes newcomers type get the sentence and a hint with the command line they
/// probably meant: exit 2, two lines, nothing changed.
#[test]
fn newcomers_shapes_get_a_hint_with_what_they_meant() {
    let env = walked();
    let cases: [(&[&str], &str, &str); 9] = [
        (
            &["status", "pro"],
            "status takes no argument 'pro': an exam is named with -e",
            "did you mean `certprep -e pro status`?",
        ),
        (
            &["today", "professional"],
            "today takes no argument 'professional': an exam is named with -e",
            "did you mean `certprep -e professional today`?",
        ),
        (
            &["practice", "30/60"],
            "'30/60' is not a practice command; give add, list or remove",
            "did you mean `certprep practice add 30/60`?",
        ),
        (
            &["tick", "1,2"],
            "\"1,2\" lists several items in one word: separate them with spaces",
            "did you mean `certprep tick 1 2`?",
        ),
        (
            &["untick", "automl,", "3"],
            "\"automl,\" lists several items in one word: separate them with spaces",
            "did you mean `certprep untick automl 3`?",
        ),
        (
            &["done", "3,4"],
            "\"3,4\" is not a day number",
            "did you mean `certprep done 3 4`?",
        ),
        (
            &["--json"],
            "--json is an option of a command, not of certprep itself",
            "did you mean `certprep status --json`?",
        ),
        (
            &["-e", "associate", "--json"],
            "--json is an option of a command, not of certprep itself",
            "did you mean `certprep -e associate status --json`?",
        ),
        (
            &["practice", "--json", "list"],
            "--json goes after the practice command it is for",
            "did you mean `certprep practice list --json`?",
        ),
    ];
    // `cmd` puts `--state PATH --today DATE` first: the hints keep them.
    let state = env.state_path();
    let globals = format!("--state {} --today {} ", state.display(), common::TODAY);
    for (args, sentence, hint) in cases {
        let stderr = env.usage_error(args, &[sentence]);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{args:?}: {stderr}");
        assert!(lines[0].starts_with("certprep: error: "), "{stderr}");
        let hint = match hint {
            // `tick` and `untick` are refused by certprep itself, which has
            // the words as typed after the command.
            _ if args[0].ends_with("tick") => hint.to_string(),
            _ => hint.replacen("`certprep ", &format!("`certprep {globals}"), 1),
        };
        assert_eq!(lines[1], hint, "{args:?}");
    }
}
