//! A learner's own guides in CERTPREP_GUIDES (README: Your own guides): loaded
//! beside the bundled ones, bad files skipped with a warning, `validate FILE`.

use crate::common::{self, Env, MYCERT, assert_close, assert_no_panic};

/// MYCERT with the section weights 60/30: they sum to 90.
fn weights_90(id: &str) -> String {
    MYCERT
        .replacen("id: mycert", &format!("id: {id}"), 1)
        .replacen("weight: 40", "weight: 30", 1)
}

/// MYCERT with a YAML syntax error on line 3 ("mapping values are not allowed").
fn syntax_error(id: &str) -> String {
    MYCERT
        .replacen("id: mycert", &format!("id: {id}"), 1)
        .replacen("short: MyCert", "short: My: Cert", 1)
}

/// Runs `validate FILE`, returning (exit code, stdout, stderr).
fn validate(env: &Env, path: &std::path::Path) -> (Option<i32>, String, String) {
    let output = env
        .cmd(&["validate"])
        .arg(path)
        .output()
        .expect("run validate");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_no_panic(&stderr);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
    )
}

#[test]
fn a_user_guide_is_listed_by_exams() {
    let env = Env::new();
    env.install_guide("mycert.yaml", MYCERT);
    let json = env.json(&["exams", "--json"]);
    let ids = common::exam_ids(&json);
    assert_eq!(ids, ["associate", "professional", "mycert"]);
    let mycert = &json[2];
    assert_eq!(mycert["name"], "My Certification");
    assert_eq!(mycert["short"], "MyCert");
    assert_eq!(mycert["questions"], 10);
    assert_eq!(mycert["minutes"], 30);
    assert_eq!(mycert["sections"], 2);
    assert_eq!(mycert["started"], false);

    let text = env.ok(&["exams"]);
    assert!(text.contains("mycert"), "{text}");
    assert!(text.contains("My Certification"), "{text}");
}

#[test]
fn a_user_guide_is_usable_with_e() {
    let env = Env::new();
    env.install_guide("mycert.yaml", MYCERT);
    env.ok(&["-e", "mycert", "tick", "1"]);
    env.ok(&["-e", "mycert", "rate", "advanced", "5"]);
    env.ok(&["-e", "mycert", "done", "2"]);
    // The first progress made mycert active.
    assert_eq!(env.state_toml()["active"].as_str(), Some("mycert"));
    let json = env.json(&["status", "--json"]);
    assert_eq!(json["exam"], "mycert");
    // basics (60): item hello 1/1; days 1, 2, 3 → 1/3 (day 2); unrated.
    //   r = 100·(0 + 0.3·1 + 0.2/3) = 36.6666…; points 60·0.366666… = 22
    // advanced (40): item deep-dive 0/1; days 2, 3 → 1/2; rating 5 → R = 1.
    //   r = 100·(0.5 + 0 + 0.1) = 60; points 40·0.6 = 24
    // overall = 22 + 24 = 46
    let sections = json["sections"].as_array().expect("sections");
    assert_close(
        &sections[0]["readiness"],
        100.0 * (0.3 + 0.2 / 3.0),
        "basics",
    );
    assert_close(&sections[0]["points"], 22.0, "basics points");
    assert_close(&sections[1]["readiness"], 60.0, "advanced");
    assert_close(&sections[1]["points"], 24.0, "advanced points");
    assert_close(&json["readiness"], 46.0, "overall");
    assert_eq!(json["plan"]["days"], 3);

    // The two-day entry is two days in the plan.
    let plan = env.json(&["plan", "--json"]);
    let topics: Vec<&str> = plan["days"]
        .as_array()
        .expect("days")
        .iter()
        .map(|day| day["topic"].as_str().expect("topic"))
        .collect();
    assert_eq!(topics, ["Basics day.", "Advanced days.", "Advanced days."]);

    // A unique prefix of the user guide's id works too.
    let checklist = env.json(&["-e", "myc", "checklist", "--json"]);
    assert_eq!(checklist["exam"], "mycert");
}

#[test]
fn a_readiness_block_overrides_the_component_weights() {
    let env = Env::new();
    let guide = "\
id: weighted
name: Weighted
short: W
assessment: {questions: 5, minutes: 10}
sections:
  - {id: only, name: Only, weight: 100}
checklist:
  - {id: one, text: One., sections: [only]}
  - {id: two, text: Two., sections: [only]}
plan:
  - {days: 1, topic: Study., sections: [only]}
readiness: {rating: 0.2, checklist: 0.6, plan: 0.2}
";
    env.install_guide("weighted.yaml", guide);
    env.ok(&["-e", "weighted", "tick", "one"]);
    env.ok(&["-e", "weighted", "rate", "1", "3"]);
    let json = env.json(&["-e", "weighted", "status", "--json"]);
    // R = (3−1)/4 = 0.5, C = 1/2, P = 0/1.
    // r = 100·(0.2·0.5 + 0.6·0.5 + 0.2·0)/(0.2 + 0.6 + 0.2) = 100·0.4 = 40
    assert_close(&json["sections"][0]["readiness"], 40.0, "only");
    assert_close(&json["readiness"], 40.0, "overall");
}

#[test]
fn a_section_without_plan_days_drops_the_plan_component() {
    let env = Env::new();
    let guide = "\
id: noplan
name: No plan for b
short: NP
assessment: {questions: 5, minutes: 10}
sections:
  - {id: a, name: A, weight: 50}
  - {id: b, name: B, weight: 50}
checklist:
  - {id: one, text: One., sections: [a]}
  - {id: two, text: Two., sections: [b]}
plan:
  - {days: 1, topic: Study a., sections: [a]}
";
    env.install_guide("noplan.yaml", guide);
    env.ok(&["-e", "noplan", "tick", "two"]);
    let json = env.json(&["-e", "noplan", "status", "--json"]);
    // a: nothing done → 0.
    // b: C = 1, no days so P drops out: r = 100·(0.3·1)/(0.5 + 0.3) = 37.5;
    //   points 50·0.375 = 18.75
    // overall = 18.75
    assert_close(&json["sections"][0]["readiness"], 0.0, "a");
    assert_close(&json["sections"][1]["readiness"], 37.5, "b");
    assert_eq!(json["sections"][1]["plan"]["total"], 0);
    assert_close(&json["readiness"], 18.75, "overall");
}

#[test]
fn a_bad_guide_is_skipped_with_a_warning_and_the_others_load() {
    let env = Env::new();
    env.install_guide("mycert.yaml", MYCERT);
    let ninety = env.install_guide("ninety.yaml", &weights_90("ninety"));
    let broken = env.install_guide("broken.yaml", &syntax_error("broken"));
    let output = env.cmd(&["exams", "--json"]).output().expect("run");
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_no_panic(&stderr);
    // The weights file: its path, the field and the sum.
    let line = stderr
        .lines()
        .find(|line| line.contains(&ninety.display().to_string()))
        .unwrap_or_else(|| panic!("no warning for ninety.yaml:\n{stderr}"));
    assert!(line.contains("warning"), "{line}");
    assert!(line.contains("sections"), "{line}");
    assert!(line.contains("90"), "{line}");
    // The syntax error: its path and line 3.
    let location = format!("{}:3", broken.display());
    assert!(stderr.contains(&location), "no {location} in:\n{stderr}");

    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let ids = common::exam_ids(&json);
    assert_eq!(ids, ["associate", "professional", "mycert"]);

    // The good user guide is still usable.
    env.ok(&["-e", "mycert", "tick", "hello"]);
    // A bad guide named directly is an error, not a silent fallback.
    let output = env.cmd(&["-e", "ninety", "status"]).output().expect("run");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ninety.yaml"), "{stderr}");
}

#[test]
fn bare_status_lists_good_guides_despite_a_bad_one() {
    let env = Env::new();
    env.install_guide("mycert.yaml", MYCERT);
    env.install_guide("broken.yaml", &syntax_error("broken"));
    let output = env.cmd(&[]).output().expect("run");
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    for id in ["associate", "professional", "mycert"] {
        assert!(stdout.contains(id), "{id} missing:\n{stdout}");
    }
    assert!(String::from_utf8_lossy(&output.stderr).contains("broken.yaml"));
}

#[test]
fn validate_a_good_guide() {
    let env = Env::new();
    let path = env.install_guide("mycert.yaml", MYCERT);
    let (code, stdout, _) = validate(&env, &path);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("mycert"), "{stdout}");
}

#[test]
fn validate_bundled_guides() {
    let env = Env::new();
    for file in ["data/associate.yaml", "data/professional.yaml"] {
        let (code, _, stderr) = validate(&env, &common::crate_file(file));
        assert_eq!(code, Some(0), "{file}: {stderr}");
    }
}

#[test]
fn validate_weights_not_summing_to_100() {
    let env = Env::new();
    let path = env.path("ninety.yaml");
    std::fs::write(&path, weights_90("ninety")).expect("write");
    let (code, _, stderr) = validate(&env, &path);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    assert!(stderr.contains("sections"), "{stderr}");
    assert!(stderr.contains("90"), "{stderr}");
}

#[test]
fn validate_yaml_syntax_error_names_the_line() {
    let env = Env::new();
    let path = env.path("broken.yaml");
    std::fs::write(&path, syntax_error("broken")).expect("write");
    let (code, _, stderr) = validate(&env, &path);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("{}:3", path.display())),
        "{stderr}"
    );
}

#[test]
fn validate_id_differs_from_file_stem() {
    let env = Env::new();
    let path = env.install_guide("other.yaml", MYCERT);
    let (code, _, stderr) = validate(&env, &path);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("other.yaml"), "{stderr}");
    assert!(stderr.contains("id"), "{stderr}");
    assert!(stderr.contains("mycert"), "{stderr}");
    // `id: mycert` is on line 1.
    assert!(
        stderr.contains(&format!("{}:1", path.display())),
        "{stderr}"
    );

    // And the loader skips it: "other" is not an exam, mycert is not either.
    let output = env.cmd(&["exams", "--json"]).output().expect("run");
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(2), "{json}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("other.yaml"));
}

#[test]
fn validate_rule_violations_name_the_field() {
    let env = Env::new();
    // (file stem, change to MYCERT, field named in the error, text in the error)
    let cases: [(&str, &str, &str, &str, &str); 7] = [
        (
            "badref",
            "    sections: [advanced]\n",
            "    sections: [advansed]\n",
            "checklist[1].sections",
            "advansed",
        ),
        (
            "dupitem",
            "  - id: deep-dive",
            "  - id: hello",
            "checklist[1].id",
            "hello",
        ),
        (
            "gap",
            "  - days: \"2-3\"",
            "  - days: \"3-4\"",
            "plan[1].days",
            "3",
        ),
        (
            "camel",
            "  - id: basics",
            "  - id: Basics",
            "sections[0].id",
            "Basics",
        ),
        ("zero", "weight: 40", "weight: 0", "sections[1].weight", "0"),
        (
            "nochecklist",
            "checklist:\n  - id: hello\n    text: Say hello.\n    sections: [basics]\n  - id: deep-dive\n    text: Dive deep.\n    sections: [advanced]\n",
            "checklist: []\n",
            "checklist",
            "empty",
        ),
        (
            "digitfirst",
            "  - id: deep-dive",
            "  - id: 2deep",
            "checklist[1].id",
            "2deep",
        ),
    ];
    for (stem, from, to, field, text) in cases {
        let guide = MYCERT
            .replacen("id: mycert", &format!("id: {stem}"), 1)
            .replacen(from, to, 1);
        assert_ne!(
            guide,
            MYCERT.replacen("id: mycert", &format!("id: {stem}"), 1)
        );
        let path = env.path(&format!("{stem}.yaml"));
        std::fs::write(&path, &guide).expect("write");
        let (code, _, stderr) = validate(&env, &path);
        assert_eq!(code, Some(1), "{stem}: {stderr}");
        assert!(stderr.contains(&format!("{stem}.yaml")), "{stem}: {stderr}");
        assert!(stderr.contains(field), "{stem}: no {field}: {stderr}");
        assert!(stderr.contains(text), "{stem}: no {text}: {stderr}");
    }
}

#[test]
fn validate_a_missing_file_fails() {
    let env = Env::new();
    let path = env.path("missing.yaml");
    let (code, _, stderr) = validate(&env, &path);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("missing.yaml"), "{stderr}");
}

#[test]
fn non_yaml_files_in_the_guides_dir_are_ignored() {
    let env = Env::new();
    env.install_guide("notes.txt", "not a guide");
    env.install_guide("README.md", "# my guides");
    let output = env.cmd(&["exams", "--json"]).output().expect("run");
    assert!(output.status.success());
    assert!(output.stderr.is_empty(), "{:?}", output.stderr);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(2));
}

#[test]
fn the_example_guide_is_valid_and_usable() {
    let env = Env::new();
    let example = common::crate_file("examples/guides/example-cert.yaml");
    let output = env.ok(&["validate", example.to_str().unwrap()]);
    assert!(
        output.contains("3 sections, 3 checklist items, 4 plan days"),
        "{output}"
    );
    env.install_guide(
        "example-cert.yaml",
        &std::fs::read_to_string(&example).unwrap(),
    );
    env.ok(&["start", "ex", "--on", "2026-11-22"]);
    // feature-pipeline trains data (40 %): C = 1/1 there, and data also has days
    // 1 and 4: r = 100·0.3/1 = 30 → 12 points of 100.
    env.ok(&["tick", "feature-pipeline"]);
    let json = env.json(&["status", "--json"]);
    common::assert_close(&json["readiness"], 12.0, "readiness");
}
