//! Progress that travels with the work: the `certprep.toml` found in the current
//! folder or above it (`where`), `init`, `name`, `merge` as git's merge driver and
//! by hand, a coach's report over a cohort of clones, and the whole of it with
//! real git (two clones changing progress apart, then pulling).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};

use crate::common::{Env, MYCERT, TODAY, WALKTHROUGH_STATE, assert_no_panic};

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts exit 0 and returns stdout.
fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        stdout(&output),
        stderr(&output)
    );
    stdout(&output)
}

/// certprep in `dir` with no `--state` and no `CERTPREP_STATE`, today `today`.
fn certprep_in(env: &Env, dir: &Path, today: &str, args: &[&str]) -> Output {
    env.bare()
        .current_dir(dir)
        .env("CERTPREP_TODAY", today)
        .args(args)
        .output()
        .unwrap()
}

fn mkdirs(path: &Path) -> PathBuf {
    fs::create_dir_all(path).unwrap();
    path.to_path_buf()
}

/// The sandbox's default progress file (`XDG_DATA_HOME` is the sandbox's `data`).
fn default_file(env: &Env) -> PathBuf {
    env.path("data/certprep/state.toml")
}

// ---------------------------------------------------------------------------
// where, and the file found

#[test]
fn where_says_which_file_and_why() {
    let env = Env::new();
    let root = env.dir.path();
    let default = default_file(&env).display().to_string();
    // Nothing named, nothing found: the default, not there yet.
    let json: Value =
        serde_json::from_str(&ok(certprep_in(&env, root, TODAY, &["where", "--json"]))).unwrap();
    assert_eq!(
        json,
        json!({"path": default, "source": "default", "exists": false})
    );
    assert_eq!(
        ok(certprep_in(&env, root, TODAY, &["where"])),
        format!(
            "{default} (the default: no --state, no CERTPREP_STATE, no certprep.toml here or above; it does not exist yet)\n"
        )
    );
    // A certprep.toml three folders up is found, by a path from here.
    let project = mkdirs(&env.path("project"));
    fs::write(project.join("certprep.toml"), "version = 1\n").unwrap();
    let deep = mkdirs(&project.join("a/b/c"));
    let json: Value =
        serde_json::from_str(&ok(certprep_in(&env, &deep, TODAY, &["where", "--json"]))).unwrap();
    assert_eq!(
        json,
        json!({"path": "../../../certprep.toml", "source": "found", "exists": true})
    );
    assert_eq!(
        ok(certprep_in(&env, &deep, TODAY, &["where"])),
        "../../../certprep.toml (found in ../../..; it exists)\n"
    );
    assert_eq!(
        ok(certprep_in(&env, &project, TODAY, &["where"])),
        "certprep.toml (found in the current directory; it exists)\n"
    );
    // CERTPREP_STATE beats the found file, and --state beats both; an empty
    // variable counts as unset.
    let with_env = |value: &str, args: &[&str]| {
        let output = env
            .bare()
            .current_dir(&deep)
            .env("CERTPREP_STATE", value)
            .args(args)
            .output()
            .unwrap();
        serde_json::from_str::<Value>(&ok(output)).unwrap()
    };
    assert_eq!(
        with_env("mine.toml", &["where", "--json"]),
        json!({"path": "mine.toml", "source": "env", "exists": false})
    );
    assert_eq!(
        with_env(
            "mine.toml",
            &["--state", "../../../certprep.toml", "where", "--json"]
        ),
        json!({"path": "../../../certprep.toml", "source": "flag", "exists": true})
    );
    assert_eq!(with_env("", &["where", "--json"])["source"], "found");
    let output = env
        .bare()
        .current_dir(&deep)
        .env("CERTPREP_STATE", "mine.toml")
        .arg("where")
        .output()
        .unwrap();
    assert_eq!(
        ok(output),
        "mine.toml (from CERTPREP_STATE; it does not exist yet)\n"
    );
}

#[test]
fn commands_in_a_subfolder_use_the_file_found_above() {
    let env = Env::new();
    let project = mkdirs(&env.path("project"));
    fs::write(project.join("certprep.toml"), "version = 1\n").unwrap();
    let sub = mkdirs(&project.join("notebooks"));
    ok(certprep_in(
        &env,
        &sub,
        TODAY,
        &["start", "associate", "--on", "2026-11-20"],
    ));
    ok(certprep_in(&env, &sub, TODAY, &["tick", "1"]));
    assert_eq!(
        fs::read_to_string(project.join("certprep.toml")).unwrap(),
        "version = 1\nactive = \"associate\"\n\n[exams.associate]\nstarted = 2026-11-20\nticked = [\"automl\"]\ndays_done = []\n"
    );
    // The history and the lock sit beside it; nothing went to the subfolder or
    // the default place.
    assert!(project.join("certprep.history.toml").is_file());
    assert!(project.join("certprep.toml.lock").is_file());
    assert_eq!(fs::read_dir(&sub).unwrap().count(), 0);
    assert!(!env.path("data/certprep").exists());
    // The prompt reads it too: what it says there is what it says of the file.
    let named = certprep_in(
        &env,
        &sub,
        TODAY,
        &["--state", "../certprep.toml", "prompt"],
    );
    let found = ok(certprep_in(&env, &sub, TODAY, &["prompt"]));
    assert!(found.starts_with("ML-Assoc "), "{found}");
    assert_eq!(found, ok(named));
}

// ---------------------------------------------------------------------------
// init and name

/// How the walkthrough's history file begins (its values are readiness).
const WALKTHROUGH_HISTORY: &str = "version = 1\n\n[exams.associate]\n";

#[test]
fn init_carries_over_the_progress_and_its_history() {
    let env = Env::new();
    env.walkthrough();
    let history = fs::read_to_string(env.path("state.history.toml")).unwrap();
    assert!(history.starts_with(WALKTHROUGH_HISTORY), "{history}");
    let project = mkdirs(&env.path("project"));
    let output = certprep_in(
        &env,
        &project,
        TODAY,
        &["--state", "../state.toml", "init", "--name", "Ann Lee"],
    );
    // Not in a git work tree: the file only.
    assert_eq!(
        ok(output),
        "Created certprep.toml for Ann Lee with the progress of ../state.toml, and its history in certprep.history.toml.\n\
         Commands run in this folder or below it now use it (`certprep where` shows it).\n"
    );
    let named = WALKTHROUGH_STATE.replacen("version = 1\n", "version = 1\nname = \"Ann Lee\"\n", 1);
    assert_eq!(
        fs::read_to_string(project.join("certprep.toml")).unwrap(),
        named
    );
    assert_eq!(
        fs::read_to_string(project.join("certprep.history.toml")).unwrap(),
        history
    );
    let mut listing: Vec<String> = fs::read_dir(&project)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listing.sort();
    assert_eq!(listing, ["certprep.history.toml", "certprep.toml"]);
    // The original is untouched, and from now on the folder's file is used.
    assert_eq!(env.state_text(), WALKTHROUGH_STATE);
    assert_eq!(
        ok(certprep_in(&env, &project, TODAY, &["name"])),
        "Ann Lee\n"
    );

    // A second init refuses, and changes nothing.
    let output = certprep_in(&env, &project, TODAY, &["init", "--empty"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "certprep: error: certprep.toml exists already in this folder; init leaves it as it is (`certprep where` says which progress file is in use)\n"
    );
    assert_eq!(
        fs::read_to_string(project.join("certprep.toml")).unwrap(),
        named
    );

    // --empty starts afresh; with nothing in use, there is nothing to carry.
    let fresh = mkdirs(&env.path("fresh"));
    assert_eq!(
        ok(certprep_in(&env, &fresh, TODAY, &["init", "--empty"])),
        "Created certprep.toml, with no progress.\n\
         Commands run in this folder or below it now use it (`certprep where` shows it).\n"
    );
    assert_eq!(
        fs::read_to_string(fresh.join("certprep.toml")).unwrap(),
        "version = 1\n"
    );
    let other = mkdirs(&env.path("other"));
    let output = ok(certprep_in(&env, &other, TODAY, &["init"]));
    assert!(
        output.starts_with(&format!(
            "Created certprep.toml; {} holds no progress yet to carry over.\n",
            default_file(&env).display()
        )),
        "{output}"
    );
}

#[test]
fn init_refuses_a_name_too_long_before_writing_anything() {
    let env = Env::new();
    let project = mkdirs(&env.path("project"));
    let long = "n".repeat(101);
    let output = certprep_in(&env, &project, TODAY, &["init", "--name", &long]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("a name is at most 100 characters; this one has 101"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read_dir(&project).unwrap().count(), 0);
}

#[test]
fn name_shows_sets_and_clears_the_learners_name() {
    let env = Env::new();
    env.walkthrough();
    assert_eq!(
        env.ok(&["name"]),
        "No name set; `certprep name NAME` sets the name a coach's report shows (without one it shows the file's name).\n"
    );
    assert_eq!(env.ok(&["name", "Ann Lee"]), "Name set: Ann Lee.\n");
    assert_eq!(
        env.state_text(),
        WALKTHROUGH_STATE.replacen("version = 1\n", "version = 1\nname = \"Ann Lee\"\n", 1)
    );
    assert_eq!(env.ok(&["name"]), "Ann Lee\n");
    assert_eq!(
        env.ok(&["name", "Ann Lee"]),
        "The name is Ann Lee already.\n"
    );
    // 100 characters is the most; one more is a usage error, the file as it was.
    let longest = "é".repeat(100);
    assert_eq!(
        env.ok(&["name", &longest]),
        format!("Name set: {longest}.\n")
    );
    env.usage_error(
        &["name", &"é".repeat(101)],
        &["a name is at most 100 characters; this one has 101"],
    );
    env.usage_error(&["name", "  "], &["a name has at least one letter"]);
    env.usage_error(&["name", "Ann\nLee"], &["one line"]);
    env.usage_error(&["name", "Ann", "--clear"], &["--clear"]);
    assert_eq!(
        env.ok(&["name", "--clear"]),
        format!("Name cleared (it was {longest}).\n")
    );
    assert_eq!(env.state_text(), WALKTHROUGH_STATE);
    assert_eq!(env.ok(&["name", "--clear"]), "No name was set.\n");
}

// ---------------------------------------------------------------------------
// merge

/// A state on the associate exam: `extra` lines in its table, then `tables`.
fn associate(extra: &str, tables: &str) -> String {
    format!(
        "version = 1\nactive = \"associate\"\n\n[exams.associate]\nstarted = 2026-11-20\n{extra}{tables}"
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn merge_as_gits_driver_keeps_both_sides_and_says_what_it_chose() {
    let env = Env::new();
    let dir = mkdirs(&env.path("m"));
    let base = write(
        &dir,
        "base",
        &associate("ticked = [\"automl\"]\ndays_done = [1]\n", ""),
    );
    // Ours ticks model-registry, books the 15th and rates section 1 on the 23rd.
    let ours = write(
        &dir,
        "ours",
        &associate(
            "booked = 2027-01-15\nticked = [\"automl\", \"model-registry\"]\ndays_done = [1]\n",
            "\n[exams.associate.ratings]\ndatabricks-ml = 3\n\n[exams.associate.rated]\ndatabricks-ml = 2026-11-23\n",
        ),
    );
    // Theirs unticks automl, marks day 2, books the 20th and records a sitting.
    let theirs_text = associate(
        "booked = 2027-01-20\nticked = []\ndays_done = [1, 2]\n",
        "\n[[exams.associate.practice]]\non = 2026-11-22\ncorrect = 30\nquestions = 48\n",
    );
    let theirs = write(&dir, "theirs", &theirs_text);
    let output = env
        .bare()
        .current_dir(&dir)
        .args(["merge", "base", "ours", "theirs"])
        .output()
        .unwrap();
    // git's driver prints nothing on stdout; the one value both changed is one
    // line on stderr.
    assert_eq!(ok(output.clone()), "");
    assert_eq!(
        stderr(&output),
        "certprep: both sides changed exams.associate.booked: ours 2027-01-15, theirs 2027-01-20; kept theirs, the later exam date\n"
    );
    // automl: 1, 1, 0 -> 0; model-registry: 0, 1, 0 -> 1. Day 2: theirs'.
    assert_eq!(
        fs::read_to_string(&ours).unwrap(),
        associate(
            "booked = 2027-01-20\nticked = [\"model-registry\"]\ndays_done = [1, 2]\n",
            "\n[exams.associate.ratings]\ndatabricks-ml = 3\n\n[exams.associate.rated]\ndatabricks-ml = 2026-11-23\n\n\
             [[exams.associate.practice]]\non = 2026-11-22\ncorrect = 30\nquestions = 48\n",
        )
    );
    assert_eq!(fs::read_to_string(&theirs).unwrap(), theirs_text);
    assert!(base.is_file());
    // No lock or temp file left beside git's copies.
    assert_eq!(listing(&dir), ["base", "ours", "theirs"]);
}

#[test]
fn merge_by_hand_unites_a_conflicted_copy() {
    let env = Env::new();
    let dir = mkdirs(&env.path("sync"));
    let ours = write(
        &dir,
        "certprep.toml",
        &associate("ticked = [\"automl\"]\ndays_done = [1, 2]\n", ""),
    );
    write(
        &dir,
        "certprep (conflicted copy).toml",
        &associate("ticked = [\"mlflow-tracking\"]\ndays_done = [3]\n", ""),
    );
    let output = certprep_in(
        &env,
        &dir,
        TODAY,
        &["merge", "certprep.toml", "certprep (conflicted copy).toml"],
    );
    assert_eq!(
        ok(output),
        "Merged certprep (conflicted copy).toml into certprep.toml.\n"
    );
    assert_eq!(
        fs::read_to_string(&ours).unwrap(),
        associate(
            "ticked = [\"automl\", \"mlflow-tracking\"]\ndays_done = [1, 2, 3]\n",
            ""
        )
    );
    assert_eq!(
        listing(&dir),
        ["certprep (conflicted copy).toml", "certprep.toml"]
    );
}

#[test]
fn a_side_that_does_not_parse_leaves_ours_untouched() {
    let env = Env::new();
    let dir = mkdirs(&env.path("m"));
    let good = associate("ticked = [\"automl\"]\ndays_done = []\n", "");
    let conflicted = format!(
        "{}<<<<<<< ours\nticked = [\"a\"]\n=======\nticked = [\"b\"]\n>>>>>>> theirs\n",
        associate("", "")
    );
    for (ours_text, theirs_text, needles) in [
        (
            conflicted.as_str(),
            good.as_str(),
            &["state file ours:6 is not valid", "leaves it untouched"][..],
        ),
        (
            good.as_str(),
            conflicted.as_str(),
            &["theirs:6 is not valid"][..],
        ),
        (
            good.as_str(),
            "version = 2\n",
            &["theirs:1", "written by a newer certprep"][..],
        ),
        (good.as_str(), "not a certprep file", &["theirs:1"][..]),
    ] {
        let ours = write(&dir, "ours", ours_text);
        write(&dir, "theirs", theirs_text);
        write(&dir, "base", &good);
        let output = certprep_in(&env, &dir, TODAY, &["merge", "base", "ours", "theirs"]);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert_no_panic(&stderr(&output));
        for needle in needles {
            assert!(stderr(&output).contains(needle), "{}", stderr(&output));
        }
        assert_eq!(fs::read_to_string(&ours).unwrap(), ours_text);
        assert_eq!(listing(&dir), ["base", "ours", "theirs"]);
    }
    // OURS must be there: a missing one is not empty progress.
    fs::remove_file(dir.join("ours")).unwrap();
    let output = certprep_in(&env, &dir, TODAY, &["merge", "base", "ours", "theirs"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "certprep: error: cannot merge into ours: no such file\n"
    );
    assert!(!dir.join("ours").exists());
    // One file is not a merge; four are too many.
    for args in [&["merge", "a"][..], &["merge", "a", "b", "c", "d"]] {
        let output = certprep_in(&env, &dir, TODAY, args);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    }
}

#[test]
fn merge_history_unites_the_snapshots() {
    let env = Env::new();
    let dir = mkdirs(&env.path("m"));
    let base = "version = 1\n\n[exams.associate]\n2026-11-20 = 10.0\n";
    write(&dir, "base", base);
    let ours = write(
        &dir,
        "ours",
        "version = 1\n\n[exams.associate]\n2026-11-20 = 10.0\n2026-11-22 = 30.5\n",
    );
    write(
        &dir,
        "theirs",
        "version = 1\n\n[exams.associate]\n2026-11-20 = 10.0\n2026-11-21 = 20.0\n2026-11-22 = 25.0\n\n[exams.professional]\n2026-11-22 = 5.0\n",
    );
    ok(certprep_in(
        &env,
        &dir,
        TODAY,
        &["merge", "--history", "base", "ours", "theirs"],
    ));
    // Every date of either; the 22nd's two values give the larger, 30.5.
    assert_eq!(
        fs::read_to_string(&ours).unwrap(),
        "version = 1\n\n[exams.associate]\n2026-11-20 = 10.0\n2026-11-21 = 20.0\n2026-11-22 = 30.5\n\n[exams.professional]\n2026-11-22 = 5.0\n"
    );
    assert_eq!(listing(&dir), ["base", "ours", "theirs"]);
}

// ---------------------------------------------------------------------------
// The class report over a cohort of clones

/// A learner's file on mycert, with `head` lines at the top.
fn mycert(head: &str) -> String {
    format!(
        "version = 1\n{head}active = \"mycert\"\n\n[exams.mycert]\nstarted = 2026-11-21\nticked = []\ndays_done = [1]\n"
    )
}

#[test]
fn a_cohort_of_clones_is_every_certprep_toml_below_the_folder() {
    let env = Env::new();
    env.install_guide("mycert.yaml", MYCERT);
    let cohort = mkdirs(&env.path("cohort"));
    // The folder's own files: a learner and its history.
    write(&cohort, "ann.toml", &mycert(""));
    write(
        &cohort,
        "ann.history.toml",
        "version = 1\n\n[exams.mycert]\n2026-11-21 = 2.0\n",
    );
    // Clones: named after the folder, or by the name in the file; one deeper.
    write(&mkdirs(&cohort.join("bo")), "certprep.toml", &mycert(""));
    write(
        &mkdirs(&cohort.join("cy/study")),
        "certprep.toml",
        &mycert("name = \"Cy Young\"\n"),
    );
    // A clone whose learner is called ann too: told apart by their paths.
    let dee = mkdirs(&cohort.join("dee"));
    write(&dee, "certprep.toml", &mycert("name = \"ann\"\n"));
    // Below the folder, other *.toml files are not learners; hidden folders and
    // linked folders are not looked into.
    write(&dee, "notes.toml", &mycert(""));
    write(&mkdirs(&cohort.join(".git")), "certprep.toml", &mycert(""));
    write(
        &mkdirs(&cohort.join("ed/.cache")),
        "certprep.toml",
        &mycert(""),
    );
    let elsewhere = mkdirs(&env.path("elsewhere/fay"));
    write(&elsewhere, "certprep.toml", &mycert(""));
    std::os::unix::fs::symlink(&elsewhere, cohort.join("fay")).unwrap();

    let output = env
        .bare()
        .env("CERTPREP_TODAY", TODAY)
        .args(["report", "cohort", "--json"])
        .output()
        .unwrap();
    let text = ok(output.clone());
    assert_eq!(stderr(&output), "");
    let report: Value = serde_json::from_str(&text).unwrap();
    let mut rows: Vec<(String, String)> = report["learners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["learner"].as_str().unwrap().to_string(),
                row["file"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    rows.sort();
    let row = |learner: &str, file: &str| (learner.to_string(), file.to_string());
    assert_eq!(
        rows,
        [
            row("Cy Young", "cohort/cy/study/certprep.toml"),
            row("ann (cohort/ann.toml)", "cohort/ann.toml"),
            row("ann (cohort/dee/certprep.toml)", "cohort/dee/certprep.toml"),
            row("bo", "cohort/bo/certprep.toml"),
        ]
    );
    // ann's history beside ann.toml went with her row.
    let ann = report["learners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["file"] == "cohort/ann.toml")
        .unwrap();
    assert_eq!(ann["last_progress"], "2026-11-21");

    // A shell glob over the folder names the history too: passed over quietly.
    let output = env
        .bare()
        .env("CERTPREP_TODAY", TODAY)
        .args([
            "report",
            "cohort/ann.history.toml",
            "cohort/ann.toml",
            "--csv",
        ])
        .output()
        .unwrap();
    let csv_text = ok(output.clone());
    assert_eq!(stderr(&output), "");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 1);
    let column = |name: &str| header.iter().position(|column| column == name).unwrap();
    assert_eq!(&records[0][column("learner")], "ann");
    assert_eq!(&records[0][column("file")], "cohort/ann.toml");
}

// ---------------------------------------------------------------------------
// Someone else's certprep.toml above the working directory (run as root)

/// Runs certprep as root in `dir`, with no `--state` and no `CERTPREP_STATE`.
fn as_root_in(env: &Env, dir: &Path, args: &[&str]) -> Output {
    certprep_in(env, dir, TODAY, args)
}

#[test]
fn a_certprep_toml_of_another_user_above_is_not_used() {
    use crate::users::{NOBODY, chown_to_nobody, require_root};
    require_root();
    let env = Env::for_nobody();
    // nobody's folder, with nobody's certprep.toml in it; root works in a folder
    // of its own inside.
    let shared = mkdirs(&env.path("shared"));
    let planted = write(
        &shared,
        "certprep.toml",
        "version = 1\nactive = \"professional\"\n",
    );
    chown_to_nobody(&shared);
    chown_to_nobody(&planted);
    let work = mkdirs(&shared.join("work"));
    let output = as_root_in(&env, &work, &["where", "--json"]);
    let json: Value = serde_json::from_str(&ok(output.clone())).unwrap();
    assert_eq!(json["source"], "default");
    assert_eq!(
        stderr(&output),
        format!(
            "certprep: warning: not using ../certprep.toml: it belongs to user {NOBODY}, not to you (user 0); pass `--state ../certprep.toml` to use it on purpose\n"
        )
    );
    // A write goes to root's default file, never to the planted one.
    ok(as_root_in(&env, &work, &["-e", "associate", "tick", "1"]));
    assert_eq!(
        fs::read_to_string(&planted).unwrap(),
        "version = 1\nactive = \"professional\"\n"
    );
    assert!(default_file(&env).is_file());
    assert_eq!(listing(&shared), ["certprep.toml", "work"]);
    // The prompt says nothing about it, and shows root's own progress.
    let output = as_root_in(&env, &work, &["prompt"]);
    assert_eq!(stderr(&output), "");
    let default = default_file(&env).display().to_string();
    let own = ok(as_root_in(&env, &work, &["--state", &default, "prompt"]));
    assert!(own.starts_with("ML-Assoc "), "{own}");
    assert_eq!(ok(output), own);
    // --state still reaches it, on purpose.
    let output = as_root_in(&env, &work, &["--state", "../certprep.toml", "where"]);
    assert_eq!(stderr(&output), "");
    assert_eq!(ok(output), "../certprep.toml (from --state; it exists)\n");
}

#[test]
fn roots_own_file_in_a_folder_of_another_user_is_not_used() {
    use crate::users::{NOBODY, chown_to_nobody, require_root};
    require_root();
    let env = Env::for_nobody();
    // root's certprep.toml, in nobody's folder: nobody could swap it any time.
    let shared = mkdirs(&env.path("shared"));
    write(&shared, "certprep.toml", "version = 1\n");
    chown_to_nobody(&shared);
    let work = mkdirs(&shared.join("work/deeper"));
    let output = as_root_in(&env, &work, &["where", "--json"]);
    let json: Value = serde_json::from_str(&ok(output.clone())).unwrap();
    assert_eq!(json["source"], "default");
    assert_eq!(
        stderr(&output),
        format!(
            "certprep: warning: not using ../../certprep.toml: its folder ../.. belongs to user {NOBODY}, not to you (user 0); pass `--state ../../certprep.toml` to use it on purpose\n"
        )
    );
}

#[test]
fn a_users_own_file_in_roots_folder_is_used() {
    use crate::users::{as_nobody_running, chown_to_nobody, require_root};
    use std::os::unix::fs::PermissionsExt;
    require_root();
    let env = Env::for_nobody();
    // A folder of root's that nobody may enter, with nobody's file and working
    // folder in it.
    fs::set_permissions(env.dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let shared = mkdirs(&env.path("shared"));
    let file = write(&shared, "certprep.toml", "version = 1\n");
    chown_to_nobody(&file);
    let work = mkdirs(&shared.join("work"));
    chown_to_nobody(&work);
    let output = as_nobody_running(&env, Path::new(env!("CARGO_BIN_EXE_certprep")))
        .env_remove("CERTPREP_STATE")
        .args(["where", "--json"])
        .current_dir(&work)
        .output()
        .unwrap();
    assert_eq!(stderr(&output), "");
    let json: Value = serde_json::from_str(&ok(output)).unwrap();
    assert_eq!(
        json,
        json!({"path": "../certprep.toml", "source": "found", "exists": true})
    );
}

// ---------------------------------------------------------------------------
// With real git

/// git in `dir`, run by the sandbox: no global or system config (so the
/// runner's own cannot change what happens), a fixed author, and certprep first
/// on PATH for the merge drivers.
fn git(env: &Env, dir: &Path, args: &[&str]) -> Output {
    env.program("git")
        .env_remove("CERTPREP_STATE")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Ann Lee")
        .env("GIT_AUTHOR_EMAIL", "ann@example.com")
        .env("GIT_COMMITTER_NAME", "Ann Lee")
        .env("GIT_COMMITTER_EMAIL", "ann@example.com")
        .env("GIT_MERGE_AUTOEDIT", "no")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn git_ok(env: &Env, dir: &Path, args: &[&str]) -> String {
    let output = git(env, dir, args);
    assert!(
        output.status.success(),
        "git {args:?} in {}: exit {:?}\n{}{}",
        dir.display(),
        output.status.code(),
        stdout(&output),
        stderr(&output)
    );
    stdout(&output)
}

/// The lines of a history file that hold a snapshot (`2026-11-22 = 8.45`).
fn snapshots(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| line.starts_with("20"))
        .map(String::from)
        .collect()
}

/// Two clones of one repository change the progress apart (ticks, plan days,
/// ratings, practice sittings, and so the history) and the second pulls: with the
/// drivers `init` registered, git merges with no conflict and everything is
/// kept; the same pull without them conflicts, as the README says. Then the
/// coach clones the repository into a cohort folder and reports on it.
#[test]
fn two_clones_merge_progress_with_git_and_conflict_without_the_drivers() {
    crate::common::require("git");
    let env = Env::new();
    let root = env.dir.path().to_path_buf();
    git_ok(
        &env,
        &root,
        &["init", "-q", "--bare", "-b", "main", "hub.git"],
    );
    git_ok(&env, &root, &["clone", "-q", "hub.git", "laptop"]);
    let laptop = root.join("laptop");
    let run = |dir: &Path, today: &str, args: &[&str]| ok(certprep_in(&env, dir, today, args));

    // The laptop starts, ticks one item and moves its progress into the repository.
    run(
        &laptop,
        "2026-11-22",
        &["start", "associate", "--on", "2026-11-20"],
    );
    run(&laptop, "2026-11-22", &["tick", "1"]);
    let said = run(&laptop, "2026-11-22", &["init", "--name", "Ann"]);
    assert!(
        said.contains("In this git work tree:\n  .gitattributes: added certprep.toml merge=certprep, certprep.history.toml merge=certprep-history\n  .gitignore: added certprep.toml.lock\n"),
        "{said}"
    );
    assert_eq!(
        fs::read_to_string(laptop.join(".gitattributes")).unwrap(),
        "certprep.toml merge=certprep\ncertprep.history.toml merge=certprep-history\n"
    );
    assert_eq!(
        fs::read_to_string(laptop.join(".gitignore")).unwrap(),
        "certprep.toml.lock\n"
    );
    assert_eq!(
        git_ok(
            &env,
            &laptop,
            &["config", "--local", "--get", "merge.certprep.driver"]
        ),
        "certprep merge %O %A %B\n"
    );
    assert_eq!(
        git_ok(
            &env,
            &laptop,
            &[
                "config",
                "--local",
                "--get",
                "merge.certprep-history.driver"
            ]
        ),
        "certprep merge --history %O %A %B\n"
    );
    git_ok(&env, &laptop, &["add", "-A"]);
    git_ok(
        &env,
        &laptop,
        &["commit", "-q", "-m", "Progress travels with the repository"],
    );
    git_ok(&env, &laptop, &["push", "-q", "origin", "main"]);

    // The desk clones it and registers the drivers, as the README says.
    git_ok(&env, &root, &["clone", "-q", "hub.git", "desk"]);
    let desk = root.join("desk");
    git_ok(
        &env,
        &desk,
        &["config", "merge.certprep.driver", "certprep merge %O %A %B"],
    );
    git_ok(
        &env,
        &desk,
        &[
            "config",
            "merge.certprep-history.driver",
            "certprep merge --history %O %A %B",
        ],
    );
    let day23 = "2026-11-23";
    run(&desk, day23, &["tick", "2"]);
    run(&desk, day23, &["done", "1"]);
    run(&desk, day23, &["rate", "1", "3"]);
    run(&desk, day23, &["practice", "add", "30/48"]);
    git_ok(&env, &desk, &["commit", "-q", "-a", "-m", "desk"]);
    git_ok(&env, &desk, &["push", "-q", "origin", "main"]);
    let desk_history = fs::read_to_string(desk.join("certprep.history.toml")).unwrap();

    // Meanwhile the laptop goes on.
    let day24 = "2026-11-24";
    run(&laptop, day24, &["tick", "3"]);
    run(&laptop, day24, &["done", "2"]);
    run(&laptop, day24, &["rate", "1", "4"]);
    run(&laptop, day24, &["rate", "3", "2"]);
    run(&laptop, day24, &["practice", "add", "35/48"]);
    git_ok(&env, &laptop, &["commit", "-q", "-a", "-m", "laptop"]);
    let before_pull = git_ok(&env, &laptop, &["rev-parse", "HEAD"]);
    let laptop_history = fs::read_to_string(laptop.join("certprep.history.toml")).unwrap();

    let pull = git(
        &env,
        &laptop,
        &["pull", "-q", "--no-rebase", "origin", "main"],
    );
    assert!(pull.status.success(), "{}{}", stdout(&pull), stderr(&pull));
    // Both rated section 1: the later rating is kept, and git's output says so.
    assert!(
        stderr(&pull).contains(
            "certprep: both sides changed exams.associate.ratings.databricks-ml: ours 4 (rated 2026-11-24), theirs 3 (rated 2026-11-23); kept ours, the rating given later\n"
        ),
        "{}",
        stderr(&pull)
    );
    assert_eq!(git_ok(&env, &laptop, &["status", "--porcelain"]), "");
    // By hand: items automl (both), mlflow-tracking (desk), model-registry
    // (laptop); days 1 (desk) and 2 (laptop); both sittings; the later rating
    // of section 1 and the laptop's of section 3.
    assert_eq!(
        fs::read_to_string(laptop.join("certprep.toml")).unwrap(),
        "version = 1
name = \"Ann\"
active = \"associate\"

[exams.associate]
started = 2026-11-20
ticked = [\"automl\", \"mlflow-tracking\", \"model-registry\"]
days_done = [1, 2]

[exams.associate.ratings]
databricks-ml = 4
model-development = 2

[exams.associate.rated]
databricks-ml = 2026-11-24
model-development = 2026-11-24

[[exams.associate.practice]]
on = 2026-11-23
correct = 30
questions = 48

[[exams.associate.practice]]
on = 2026-11-24
correct = 35
questions = 48
"
    );
    // The history: the 22nd both had, the desk's 23rd and the laptop's 24th.
    let merged = fs::read_to_string(laptop.join("certprep.history.toml")).unwrap();
    let (desk_days, laptop_days) = (snapshots(&desk_history), snapshots(&laptop_history));
    assert_eq!(desk_days.len(), 2, "{desk_history}");
    assert_eq!(laptop_days.len(), 2, "{laptop_history}");
    assert_eq!(desk_days[0], laptop_days[0]);
    assert!(desk_days[1].starts_with("2026-11-23 = "));
    assert!(laptop_days[1].starts_with("2026-11-24 = "));
    assert_eq!(
        snapshots(&merged),
        [
            laptop_days[0].clone(),
            desk_days[1].clone(),
            laptop_days[1].clone()
        ]
    );

    // The same pull without the drivers registered: git's line merge conflicts.
    git_ok(
        &env,
        &laptop,
        &["reset", "-q", "--hard", before_pull.trim()],
    );
    // (As on a clone where they were never registered: no merge.certprep.* at all.)
    for section in ["merge.certprep", "merge.certprep-history"] {
        git_ok(
            &env,
            &laptop,
            &["config", "--local", "--remove-section", section],
        );
    }
    let pull = git(
        &env,
        &laptop,
        &["pull", "-q", "--no-rebase", "origin", "main"],
    );
    assert_eq!(
        pull.status.code(),
        Some(1),
        "{}{}",
        stdout(&pull),
        stderr(&pull)
    );
    let said = format!("{}{}", stdout(&pull), stderr(&pull));
    assert!(
        said.contains("CONFLICT (content): Merge conflict in certprep.toml"),
        "{said}"
    );
    let status = git_ok(&env, &laptop, &["status", "--porcelain"]);
    assert!(status.contains("UU certprep.toml"), "{status}");
    git_ok(&env, &laptop, &["merge", "--abort"]);
    // Registered again, the pull merges, and the laptop pushes the result.
    git_ok(
        &env,
        &laptop,
        &["config", "merge.certprep.driver", "certprep merge %O %A %B"],
    );
    git_ok(
        &env,
        &laptop,
        &[
            "config",
            "merge.certprep-history.driver",
            "certprep merge --history %O %A %B",
        ],
    );
    git_ok(
        &env,
        &laptop,
        &["pull", "-q", "--no-rebase", "origin", "main"],
    );
    git_ok(&env, &laptop, &["push", "-q", "origin", "main"]);

    // The coach clones the learner's repository into the cohort and reports.
    let cohort = mkdirs(&root.join("cohort"));
    git_ok(&env, &cohort, &["clone", "-q", "../hub.git", "ann"]);
    let report = |today: &str| -> Value {
        let output = env
            .bare()
            .env("CERTPREP_TODAY", today)
            .args(["report", "cohort", "--json"])
            .output()
            .unwrap();
        assert_eq!(stderr(&output), "");
        serde_json::from_str(&ok(output)).unwrap()
    };
    let first = report(day24);
    assert_eq!(first["learners"].as_array().unwrap().len(), 1);
    assert_eq!(first["learners"][0]["learner"], "Ann");
    assert_eq!(first["learners"][0]["file"], "cohort/ann/certprep.toml");
    assert_eq!(first["learners"][0]["checklist"]["done"], 3);
    assert_eq!(first["learners"][0]["last_progress"], "2026-11-24");
    // The desk pulls, ticks a fourth item and pushes; the coach pulls and sees it.
    git_ok(
        &env,
        &desk,
        &["pull", "-q", "--no-rebase", "origin", "main"],
    );
    run(&desk, "2026-11-25", &["tick", "4"]);
    git_ok(&env, &desk, &["commit", "-q", "-a", "-m", "desk again"]);
    git_ok(&env, &desk, &["push", "-q", "origin", "main"]);
    git_ok(&env, &cohort.join("ann"), &["pull", "-q", "--no-rebase"]);
    let second = report("2026-11-25");
    assert_eq!(second["learners"][0]["checklist"]["done"], 4);
    assert_eq!(second["learners"][0]["last_progress"], "2026-11-25");
}
