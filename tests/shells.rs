//! The README's prompt snippets and the completion scripts, run in real shells.
//! A shell that is not installed is skipped with a note; `.ci/run` installs bash,
//! zsh and fish so CI runs them all.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::{Env, crate_file};

/// The fenced block after `<!-- snippet: NAME -->` in the README, so the tests run
/// exactly what users copy.
fn snippet(name: &str) -> String {
    let readme = std::fs::read_to_string(crate_file("README.md")).expect("README.md");
    let marker = format!("<!-- snippet: {name} -->\n");
    let start = readme
        .find(&marker)
        .unwrap_or_else(|| panic!("no {marker} in README"));
    let block = &readme[start + marker.len()..];
    let body = &block[block.find('\n').expect("a fence line") + 1..];
    body[..body.find("```").expect("a closing fence")].to_string()
}

fn installed(shell: &str) -> bool {
    let found = Command::new(shell)
        .args(["-c", "exit 0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        eprintln!("skipping: {shell} is not installed");
    }
    found
}

/// Runs `shell args` in the sandbox with `input` on stdin.
fn run(env: &Env, shell: &str, args: &[&str], input: &str) -> Output {
    let mut child = env
        .program(shell)
        .args(args)
        .current_dir(env.path("home"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the shell");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write to the shell");
    child.wait_with_output().expect("the shell ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The walkthrough's segment on 2026-11-22 (tests/prompt.rs works it out).
const SEGMENT: &str = "ML-Assoc 40% d3/7";

#[test]
fn bash_snippet_renders_the_segment_and_keeps_the_status() {
    if !installed("bash") {
        return;
    }
    let env = Env::new();
    env.walkthrough();
    let script = env.path("snippet.bash");
    std::fs::write(&script, snippet("bash")).unwrap();
    // An interactive bash runs PROMPT_COMMAND and prints PS1 (to stderr) before
    // reading each line.
    let input = format!(
        "PS1='base> '; source '{}'\nfalse\necho \"status=$?\"\nexit\n",
        script.display()
    );
    let output = run(&env, "bash", &["--norc", "--noprofile", "-i"], &input);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(stdout.contains("status=1"), "{stdout}\n{stderr}");
    assert!(
        stderr.contains(&format!("[{SEGMENT}] base> echo")),
        "the rendered prompt lacks the segment:\n{stderr}"
    );
}

#[test]
fn bash_snippet_shows_nothing_without_an_exam_or_with_a_broken_state() {
    if !installed("bash") {
        return;
    }
    let env = Env::new();
    let script = env.path("snippet.bash");
    std::fs::write(&script, snippet("bash")).unwrap();
    let input = format!(
        "PS1='base> '; source '{}'\necho one\nexit\n",
        script.display()
    );
    let output = run(&env, "bash", &["--norc", "--noprofile", "-i"], &input);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("\nbase> echo one"), "{stderr}");
    assert!(!stderr.contains('['), "{stderr}");

    env.write_state("version = 1\nactive = \"associate\"\nticked = [\n");
    let output = run(&env, "bash", &["--norc", "--noprofile", "-i"], &input);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("\nbase> echo one"), "{stderr}");
    assert!(
        !stderr.contains("certprep"),
        "certprep's error reached the prompt:\n{stderr}"
    );
}

#[test]
fn zsh_snippet_sets_rprompt_from_precmd_and_keeps_the_status() {
    if !installed("zsh") {
        return;
    }
    let env = Env::new();
    env.walkthrough();
    let script = env.path("snippet.zsh");
    std::fs::write(&script, snippet("zsh")).unwrap();
    // An interactive zsh runs the precmd hooks before each prompt.
    let input = format!(
        "source '{}'\nfalse\necho \"status=$?\"\nprint -r -- \"rprompt=$RPROMPT\"\nexit\n",
        script.display()
    );
    let output = run(&env, "zsh", &["-f", "-i"], &input);
    let stdout = text(&output.stdout);
    assert!(stdout.contains("status=1"), "{stdout}");
    assert!(stdout.contains(&format!("rprompt={SEGMENT}\n")), "{stdout}");
}

#[test]
fn fish_snippet_prints_the_segment_and_keeps_the_status() {
    if !installed("fish") {
        return;
    }
    let env = Env::new();
    env.walkthrough();
    let script = env.path("fish_right_prompt.fish");
    std::fs::write(&script, snippet("fish")).unwrap();
    let input = format!(
        "source '{}'\nfalse\nfish_right_prompt\necho \" status=$status\"\n",
        script.display()
    );
    let output = run(&env, "fish", &["--no-config"], &input);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    // One line, no trailing newline before the echo, status of `false` kept.
    assert_eq!(stdout, format!("{SEGMENT} status=1\n"), "{stderr}");
}

#[test]
fn starship_snippet_runs_as_starship_runs_it() {
    let env = Env::new();
    env.walkthrough();
    let config: toml::Table = snippet("starship").parse().expect("the snippet is TOML");
    let module = config["custom"]["certprep"]
        .as_table()
        .expect("[custom.certprep]");
    assert_eq!(module["when"].as_bool(), Some(true));
    assert_eq!(module["shell"].as_array().map(Vec::len), Some(1));
    let shell = module["shell"][0].as_str().expect("a shell");
    let command = module["command"].as_str().expect("a command");
    assert!(
        module["format"]
            .as_str()
            .expect("a format")
            .contains("$output")
    );

    // starship runs `shell -c command`, trims stdout, hides an empty or failed one.
    let output = run(&env, shell, &["-c", command], "");
    assert!(output.status.success());
    assert_eq!(text(&output.stdout).trim(), SEGMENT);
    assert_eq!(text(&output.stderr), "");
    env.write_state("not toml");
    let output = run(&env, shell, &["-c", command], "");
    assert_eq!(text(&output.stdout).trim(), "");
    assert_eq!(text(&output.stderr), "", "stderr is silenced");

    // With starship itself installed, render the module for real.
    if installed("starship") {
        std::fs::remove_file(env.state_path()).unwrap();
        env.walkthrough();
        let config_path = env.path("starship.toml");
        std::fs::write(&config_path, snippet("starship")).unwrap();
        let output = env
            .program("starship")
            .args(["module", "custom.certprep"])
            .env("STARSHIP_CONFIG", &config_path)
            .output()
            .expect("run starship");
        assert!(
            text(&output.stdout).contains(SEGMENT),
            "{}",
            text(&output.stdout)
        );
    }
}

#[test]
fn bash_completion_loads() {
    if !installed("bash") {
        return;
    }
    let env = Env::new();
    let output = run(
        &env,
        "bash",
        &[
            "--norc",
            "--noprofile",
            "-c",
            "source <(certprep completions bash) && complete -p certprep",
        ],
        "",
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("certprep"),
        "{}",
        text(&output.stdout)
    );
}

#[test]
fn zsh_completion_loads() {
    if !installed("zsh") {
        return;
    }
    let env = Env::new();
    let script = "autoload -Uz compinit && compinit -u -D && \
                  source <(certprep completions zsh) && whence -w _certprep";
    let output = run(&env, "zsh", &["-f", "-c", script], "");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "_certprep: function\n");
}

#[test]
fn fish_completion_loads() {
    if !installed("fish") {
        return;
    }
    let env = Env::new();
    let script = "certprep completions fish | source; and complete -c certprep";
    let output = run(&env, "fish", &["--no-config", "-c", script], "");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("prompt"),
        "{}",
        text(&output.stdout)
    );
}
