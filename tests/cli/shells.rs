//! The README's prompt snippets and the completion scripts, run in real shells.
//! bash, zsh and fish must be installed: a test whose shell is missing fails,
//! saying what to install (`.ci/run` installs all three). starship is optional:
//! its snippet runs as starship runs it either way, and through starship itself
//! when it is installed.

use std::io::Write;
use std::process::{Output, Stdio};

use crate::common::{self, Env, crate_file};

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

/// The walkthrough's segment on 2026-11-22 (tests/cli/prompt.rs works it out).
const SEGMENT: &str = "ML-Assoc 40% d3/7";

#[test]
fn bash_snippet_renders_the_segment_and_keeps_the_status() {
    common::require("bash");
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
    common::require("bash");
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
    common::require("zsh");
    let env = Env::new();
    env.walkthrough();
    let script = env.path("snippet.zsh");
    std::fs::write(&script, snippet("zsh")).unwrap();
    // An interactive zsh runs the precmd hooks before each prompt. `print -P`
    // expands RPROMPT as zsh expands a prompt, where `%` starts an escape: the
    // segment's `%` must come out whole ("40% d3/7", not "40d3/7", `% d`
    // being no escape and `%d` the directory).
    let input = format!(
        "source '{}'\nfalse\necho \"status=$?\"\nprint -r -P -- \"rprompt=$RPROMPT\"\nexit\n",
        script.display()
    );
    let output = run(&env, "zsh", &["-f", "-i"], &input);
    let stdout = text(&output.stdout);
    assert!(stdout.contains("status=1"), "{stdout}");
    assert!(stdout.contains(&format!("rprompt={SEGMENT}\n")), "{stdout}");
}

/// The zsh snippet with a format whose `%` sits before a letter zsh would
/// expand (`%d`, the directory; `%n`, the user name): shown as typed.
#[test]
fn zsh_snippet_keeps_every_percent_of_the_segment() {
    common::require("zsh");
    let env = Env::new();
    env.walkthrough();
    let script = env.path("snippet.zsh");
    // The snippet, with the walkthrough's segment in a format of its own: a
    // function named certprep stands in for the binary's default format.
    std::fs::write(&script, snippet("zsh")).unwrap();
    let input = format!(
        "certprep() {{ command certprep prompt --format '{{readiness}}%d %n {{short}}%' }}\n\
         source '{}'\ntrue\nprint -r -P -- \"[$RPROMPT]\"\nexit\n",
        script.display()
    );
    let output = run(&env, "zsh", &["-f", "-i"], &input);
    let stdout = text(&output.stdout);
    // 40 % readiness; every `%` as certprep printed it.
    assert!(
        stdout.contains("[40%d %n ML-Assoc%]\n"),
        "{stdout}\n{}",
        text(&output.stderr)
    );
}

#[test]
fn fish_snippet_prints_the_segment_and_keeps_the_status() {
    common::require("fish");
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
    if common::on_path("starship") {
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

/// What a bundled guide names, read from its `data/*.yaml` here rather than
/// asked of certprep.
struct Names {
    id: String,
    aliases: Vec<String>,
    sections: Vec<String>,
    items: Vec<String>,
    days: Vec<String>,
}

impl Names {
    fn bundled(id: &str) -> Names {
        let text = std::fs::read_to_string(crate_file(&format!("data/{id}.yaml"))).unwrap();
        let guide: serde_yaml::Value = serde_yaml::from_str(&text).expect("a YAML guide");
        let strings = |list: &str, field: &str| -> Vec<String> {
            let entries = guide[list].as_sequence().expect("a list");
            let value = |entry: &serde_yaml::Value| match field {
                "" => entry.as_str().map(str::to_owned),
                field => entry[field].as_str().map(str::to_owned),
            };
            entries
                .iter()
                .map(|entry| value(entry).expect("a string"))
                .collect()
        };
        // A plan entry covers `days: 3` or `days: "3-4"`; the plan ends at the last.
        let last_day = guide["plan"]
            .as_sequence()
            .expect("a plan")
            .iter()
            .map(|entry| match &entry["days"] {
                serde_yaml::Value::Number(day) => day.as_u64().expect("a day"),
                span => span
                    .as_str()
                    .expect("a span")
                    .rsplit('-')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap(),
            })
            .max()
            .expect("plan days");
        Names {
            id: guide["id"].as_str().expect("an id").to_owned(),
            aliases: strings("aliases", ""),
            sections: strings("sections", "id"),
            items: strings("checklist", "id"),
            days: (1..=last_day).map(|day| day.to_string()).collect(),
        }
    }
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|value| value.to_string()).collect()
}

/// The cases every shell must complete, after the walkthrough (associate active,
/// its items 1 and 2 ticked, days 1 and 2 done) with the MYCERT user guide
/// installed: (line up to the cursor, the values offered, options left aside).
fn cases() -> Vec<(&'static str, Vec<String>)> {
    let associate = Names::bundled("associate");
    let professional = Names::bundled("professional");
    let exams = vec![
        associate.id.clone(),
        professional.id.clone(),
        "mycert".into(),
    ];
    let aliases: Vec<String> = [&associate, &professional]
        .iter()
        .flat_map(|guide| guide.aliases.clone())
        .collect();
    assert_eq!(
        aliases,
        ["mla", "mlp"],
        "the aliases case below expects these"
    );
    vec![
        ("certprep start ", exams.clone()),
        ("certprep -e ", exams.clone()),
        ("certprep use ", exams.clone()),
        ("certprep status --exam ", exams.clone()),
        // Aliases only where no id matches.
        ("certprep start ml", aliases),
        ("certprep start my", strings(&["mycert"])),
        ("certprep rate ", associate.sections.clone()),
        (
            "certprep rate model-d",
            strings(&["model-development", "model-deployment"]),
        ),
        (
            "certprep -e professional rate ",
            professional.sections.clone(),
        ),
        ("certprep why ", associate.sections.clone()),
        ("certprep -e mycert why ", strings(&["basics", "advanced"])),
        ("certprep tick ", associate.items[2..].to_vec()),
        ("certprep untick ", associate.items[..2].to_vec()),
        ("certprep tick -e professional ", professional.items.clone()),
        ("certprep done ", associate.days[2..].to_vec()),
        ("certprep undone ", associate.days[..2].to_vec()),
        ("certprep -e mycert done ", strings(&["1", "2", "3"])),
        (
            "certprep completions ",
            strings(&["bash", "elvish", "fish", "powershell", "zsh"]),
        ),
        ("certprep --color ", strings(&["auto", "always", "never"])),
    ]
}

/// A sandbox after the walkthrough, with a user guide and, in the directory the
/// shell runs in, files a file-name completion would offer.
fn completion_env() -> Env {
    let env = Env::new();
    env.walkthrough();
    env.install_guide("mycert.yaml", common::MYCERT);
    for file in ["bash", "auto", "notes.txt"] {
        std::fs::write(env.path("home").join(file), "").unwrap();
    }
    env
}

/// `certprep completions SHELL`, written to a file a shell can source.
fn completion_script(env: &Env, shell: &str) -> std::path::PathBuf {
    let output = env.cmd(&["completions", shell]).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let script = env.path(&format!("completion.{shell}"));
    std::fs::write(&script, &output.stdout).unwrap();
    script
}

/// The values among the candidates: clap also offers the options on an empty word.
fn values(candidates: &str) -> Vec<String> {
    candidates
        .lines()
        .filter(|candidate| !candidate.starts_with('-') && !candidate.is_empty())
        .map(str::to_owned)
        .collect()
}

/// bash: what the `complete -F` function puts in COMPREPLY for `line`, with the
/// COMP_* variables set as readline sets them for a cursor at the line's end.
fn bash_complete(env: &Env, script: &std::path::Path, line: &str) -> Output {
    let program = r#"
        source "$1"
        COMP_LINE="$2"
        COMP_POINT=${#COMP_LINE}
        read -r -a COMP_WORDS <<< "$COMP_LINE"
        [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')
        COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
        function=$(complete -p certprep | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
        "$function" certprep "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\n' "${COMPREPLY[@]}"
    "#;
    let script = script.to_str().unwrap();
    run(
        env,
        "timeout",
        &[
            "20",
            "bash",
            "--norc",
            "--noprofile",
            "-c",
            program,
            "bash",
            script,
            line,
        ],
        "",
    )
}

/// zsh: the registered completer, run by the real zsh with `words` and `CURRENT`
/// set as the completion system sets them; `_describe` (which needs a live
/// completion widget) is replaced by one that prints what it would offer.
/// compinit takes most of a second, so one zsh completes every line, each in a
/// subshell, and writes after each line's candidates its status and stderr.
fn zsh_complete_lines(env: &Env, script: &std::path::Path, lines: &[&str]) -> Vec<Output> {
    let program = r#"
        autoload -Uz compinit && compinit -u -D
        source "$1"
        _describe() { print -rl -- "${(@P)3}" }
        errors=$(mktemp)
        for line in "${@:2}"; do
            (
                words=(${(z)line})
                [[ $line == *' ' ]] && words+=('')
                CURRENT=${#words}
                "${_comps[certprep]}"
            ) 2>"$errors"
            print -rn -- $'\x1f'$?$'\x1f'"$(<$errors)"$'\x1e'
        done
        rm -f "$errors"
    "#;
    let script = script.to_str().unwrap();
    let mut args = vec!["60", "zsh", "-f", "-c", program, "zsh", script];
    args.extend(lines);
    let output = run(env, "timeout", &args, "");
    assert!(output.status.success(), "zsh: {output:?}");
    assert_eq!(text(&output.stderr), "", "zsh printed into the shell");
    let records: Vec<Output> = text(&output.stdout)
        .split_terminator('\x1e')
        .map(|record| {
            let [stdout, status, stderr] = record.split('\x1f').collect::<Vec<_>>()[..] else {
                panic!("a zsh record is candidates, status and stderr: {record:?}");
            };
            Output {
                status: std::os::unix::process::ExitStatusExt::from_raw(
                    status.parse::<i32>().expect("a status") << 8,
                ),
                stdout: stdout.into(),
                stderr: stderr.into(),
            }
        })
        .collect();
    assert_eq!(records.len(), lines.len(), "one record per line");
    records
}

/// fish: `complete -C` asks fish's own completion machinery, as <TAB> does.
fn fish_complete(env: &Env, script: &std::path::Path, line: &str) -> Output {
    let program = r#"source $argv[1]; complete -C $argv[2]"#;
    let script = script.to_str().unwrap();
    run(
        env,
        "timeout",
        &["20", "fish", "--no-config", "-c", program, script, line],
        "",
    )
}

/// The candidate values a shell prints, descriptions cut off (fish: after a tab,
/// zsh: after an unescaped colon).
fn candidates(output: &Output) -> Vec<String> {
    let stdout = text(&output.stdout);
    let cut: String = stdout
        .lines()
        .map(|line| line.split(['\t', ':']).next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    values(&cut)
}

/// Completes each line in its own shell: bash and fish start in milliseconds.
fn each_line(
    complete: fn(&Env, &std::path::Path, &str) -> Output,
) -> impl Fn(&Env, &std::path::Path, &[&str]) -> Vec<Output> {
    move |env, script, lines| {
        lines
            .iter()
            .map(|line| complete(env, script, line))
            .collect()
    }
}

fn assert_shell_completes(
    shell: &str,
    complete_lines: impl Fn(&Env, &std::path::Path, &[&str]) -> Vec<Output>,
) {
    common::require(shell);
    let env = completion_env();
    let script = completion_script(&env, shell);
    let cases = cases();
    let lines: Vec<&str> = cases.iter().map(|(line, _)| *line).collect();
    for ((line, expected), output) in cases.iter().zip(complete_lines(&env, &script, &lines)) {
        assert!(
            output.status.success(),
            "{shell} {line:?}: {}",
            text(&output.stderr)
        );
        assert_eq!(text(&output.stderr), "", "{shell} {line:?}");
        assert_eq!(
            &candidates(&output),
            expected,
            "{shell} completing {line:?}"
        );
    }
}

#[test]
fn bash_completes_exams_sections_items_and_days() {
    assert_shell_completes("bash", each_line(bash_complete));
}

#[test]
fn zsh_completes_exams_sections_items_and_days() {
    assert_shell_completes("zsh", zsh_complete_lines);
}

#[test]
fn fish_completes_exams_sections_items_and_days() {
    assert_shell_completes("fish", each_line(fish_complete));
}

/// The sandbox's top-level entries and the user guides, with their bytes.
fn snapshot(env: &Env) -> Vec<(std::path::PathBuf, Option<Vec<u8>>)> {
    let mut entries = Vec::new();
    for dir in [env.dir.path().to_path_buf(), env.guides_dir()] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let bytes = path
                .metadata()
                .is_ok_and(|metadata| metadata.is_file())
                .then(|| std::fs::read(&path).unwrap());
            entries.push((path, bytes));
        }
    }
    entries.sort();
    entries
}

#[test]
fn completion_survives_broken_files_quietly_and_writes_nothing() {
    common::require("bash");
    let env = completion_env();
    let script = completion_script(&env, "bash");
    let associate = Names::bundled("associate");
    let complete = |line: &str| {
        let output = bash_complete(&env, &script, line);
        assert!(
            output.status.success(),
            "{line:?}: {}",
            text(&output.stderr)
        );
        assert_eq!(text(&output.stderr), "", "{line:?} printed into the shell");
        candidates(&output)
    };

    // A broken progress file: no active exam is known, an explicit one still is.
    env.write_state("version = 1\nactive = \"associate\"\nticked = [\n");
    env.install_guide("broken.yaml", "id: [\n");
    let before = snapshot(&env);
    assert_eq!(complete("certprep rate "), Vec::<String>::new());
    assert_eq!(complete("certprep -e associate rate "), associate.sections);
    assert_eq!(complete("certprep -e associate tick "), associate.items);
    assert_eq!(
        complete("certprep -e associate untick "),
        Vec::<String>::new()
    );
    // The broken guide is left out, the others are offered.
    assert_eq!(
        complete("certprep start "),
        ["associate", "professional", "mycert"]
    );
    assert_eq!(snapshot(&env), before, "completing changed a file");

    // A FIFO as the progress file is not opened (that would block the shell).
    std::fs::remove_file(env.state_path()).unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(env.state_path())
        .status()
        .unwrap();
    assert!(fifo.success());
    assert_eq!(complete("certprep rate "), Vec::<String>::new());
    assert_eq!(
        complete("certprep --state /nonexistent/s.toml -e mla why "),
        associate.sections
    );
}

#[test]
fn completions_prints_the_scripts_that_call_back() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let printed = env
            .program("certprep")
            .args(["completions", shell])
            .output()
            .unwrap();
        let registered = env
            .program("certprep")
            .env("COMPLETE", shell)
            .output()
            .unwrap();
        assert!(printed.status.success() && registered.status.success());
        assert_eq!(text(&printed.stdout), text(&registered.stdout), "{shell}");
        assert!(
            text(&printed.stdout).contains("COMPLETE="),
            "{shell}: no callback"
        );
    }
    // elvish and powershell get the static script, which knows the commands.
    for shell in ["elvish", "powershell"] {
        let output = env
            .program("certprep")
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(output.status.success(), "{shell}");
        assert!(text(&output.stdout).contains("prompt"), "{shell}");
    }
    // COMPLETE empty or 0 is an ordinary run (clap_complete's convention).
    env.walkthrough();
    for value in ["", "0"] {
        let output = env
            .program("certprep")
            .arg("prompt")
            .env("COMPLETE", value)
            .output()
            .unwrap();
        assert_eq!(
            text(&output.stdout),
            format!("{SEGMENT}\n"),
            "COMPLETE={value:?}"
        );
    }
}

/// zsh's line editor itself, in a pseudo-terminal: with the README's line in the
/// setup, one <TAB> completes an exam and a user guide's section in place.
#[test]
fn zsh_tab_completes_in_the_line_editor() {
    common::require("zsh");
    let env = completion_env();
    let driver = r#"
        zmodload zsh/zpty
        zpty shell 'zsh -f -i'
        # The prompt is set apart from the echo of the line that sets it.
        zpty -w shell "PS1='<''ready''> '; autoload -Uz compinit; compinit -u -D; source <(certprep completions zsh)"
        local screen='' chunk
        # Each read waits until what it has read matches (`timeout` ends a miss).
        zpty -r shell chunk '*<ready> *'
        zpty -w -n shell $'certprep use pro\t'
        zpty -r shell chunk '*fessional*'
        screen+=$chunk
        zpty -w -n shell $'\C-u certprep -e mycert why adv\t'
        zpty -r shell chunk '*anced*'
        screen+=$chunk
        zpty -d shell
        print -r -- "$screen"
    "#;
    let output = run(&env, "timeout", &["60", "zsh", "-f", "-c", driver], "");
    let screen = text(&output.stdout);
    // What was typed ends in "pro" and "adv"; the rest of each name is Tab's.
    assert!(screen.contains("fessional"), "{screen:?}");
    assert!(screen.contains("anced"), "{screen:?}");
}
