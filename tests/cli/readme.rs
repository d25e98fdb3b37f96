//! The README as one story: every ```console block in README.md, replayed in order
//! in one sandbox, must print exactly what the README shows. A small runner of our
//! own rather than trycmd, because the story needs one sandbox across all blocks,
//! a clean environment pointing into it, and files written from other blocks.
//!
//! The conventions (the README states the reader-facing ones near its walkthrough):
//! - A ```console block holds commands, lines starting with `$ `; the lines up to
//!   the next command or the block's end are its output, stdout and stderr merged
//!   in the order written. Blank lines ending an output only separate commands and
//!   are not compared. A last line `? N` is the exit status, when it is not 0.
//! - Commands: `certprep ARGS` (the built binary), `export NAME=VALUE...` (for the
//!   commands after it), `cp FROM TO`, `cd DIR` (a folder of the sandbox, for the
//!   commands after it) and `git ARGS`. Words split on spaces, with '…' and "…"
//!   quoting; anything else (pipes, redirections, other programs) is refused.
//! - `<!-- file: NAME -->` on the line before any fenced block writes the block's
//!   text to NAME in the sandbox, so the story can use a file the README shows.
//! - Blocks with any other info string (sh, bash, toml, text, …) are not run.
//! - Every command runs in the sandbox directory (or the folder `cd` chose) with
//!   only these variables set: HOME, XDG_DATA_HOME and XDG_CONFIG_HOME inside the
//!   sandbox, CERTPREP_STATE a new state file there, CERTPREP_GUIDES an empty
//!   directory there, and whatever the story exports (it pins CERTPREP_TODAY).
//!   stdin is empty and stdout is not a terminal, so there is no colour.
//! - git runs with those, and PATH (certprep's folder first, for the merge
//!   drivers), no global or system config, and a fixed author and date, so that
//!   the runner's own git setup cannot change what it prints.
//!
//! `README_BLESS=1 cargo test --test cli readme::` rewrites every output that differs
//! with what the program printed, in place; check the diff by hand before keeping it.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One command of a console block and where its expected output sits in the README.
struct Step {
    /// 1-based README line of the `$ ` line, for messages.
    line: usize,
    /// The command as the README writes it, for messages.
    command: String,
    words: Vec<String>,
    /// README line indices (0-based, end exclusive) of the expected output,
    /// including the `? N` line and excluding trailing blank lines.
    output: std::ops::Range<usize>,
    /// The block's indentation, kept when blessing.
    indent: String,
}

/// What the story does, in README order.
enum Action {
    Write { name: String, text: String },
    Run(Step),
}

fn readme_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")
}

/// The story's actions; panics on a console block without a command or a file
/// marker without a block, so a malformed README cannot pass by running nothing.
fn parse(lines: &[&str]) -> Vec<Action> {
    let mut actions = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let trimmed = lines[index].trim_start();
        let Some(info) = trimmed.strip_prefix("```") else {
            index += 1;
            continue;
        };
        let indent = lines[index][..lines[index].len() - trimmed.len()].to_string();
        let end = (index + 1..lines.len())
            .find(|&end| lines[end].trim() == "```")
            .unwrap_or_else(|| panic!("README.md:{}: unclosed fence", index + 1));
        let body: Vec<&str> = lines[index + 1..end]
            .iter()
            .map(|line| line.strip_prefix(indent.as_str()).unwrap_or(line))
            .collect();
        let marker = index.checked_sub(1).map(|before| lines[before].trim());
        if let Some(name) = marker.and_then(|line| line.strip_prefix("<!-- file: ")) {
            let name = name
                .strip_suffix(" -->")
                .expect("a file marker ends with -->");
            let text = body.iter().map(|line| format!("{line}\n")).collect();
            actions.push(Action::Write {
                name: name.to_string(),
                text,
            });
        }
        if info.trim() == "console" {
            let steps = console_steps(&body, index + 1, &indent);
            assert!(
                !steps.is_empty(),
                "README.md:{}: console block without a `$ ` command",
                index + 1
            );
            actions.extend(steps.into_iter().map(Action::Run));
        }
        index = end + 1;
    }
    actions
}

/// The commands of one console block whose first body line is README index `first`.
fn console_steps(body: &[&str], first: usize, indent: &str) -> Vec<Step> {
    let commands: Vec<usize> = (0..body.len())
        .filter(|&i| body[i].starts_with("$ "))
        .collect();
    if let Some(&start) = commands.first() {
        assert_eq!(
            start,
            0,
            "README.md:{}: output before the first command",
            first + 1
        );
    }
    commands
        .iter()
        .enumerate()
        .map(|(n, &at)| {
            let mut end = commands.get(n + 1).copied().unwrap_or(body.len());
            while end > at + 1 && body[end - 1].trim().is_empty() {
                end -= 1;
            }
            Step {
                line: first + at + 1,
                command: body[at][2..].to_string(),
                words: split_words(&body[at][2..], first + at + 1),
                output: first + at + 1..first + end,
                indent: indent.to_string(),
            }
        })
        .collect()
}

/// `word` with the shell's `$NAME` and `${NAME%SUFFIX}` (the value without a
/// trailing SUFFIX) replaced from `environment`, as a reader's shell would; a name
/// that is not set stands for nothing, as in the shell.
fn expand(word: &str, environment: &BTreeMap<String, String>) -> String {
    let value = |name: &str| environment.get(name).cloned().unwrap_or_default();
    let mut out = String::new();
    let mut rest = word;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some(braced) = rest.strip_prefix('{') {
            let end = braced.find('}').expect("a closing brace");
            let (name, suffix) = braced[..end]
                .split_once('%')
                .unwrap_or((&braced[..end], ""));
            let whole = value(name);
            out.push_str(whole.strip_suffix(suffix).unwrap_or(&whole));
            rest = &braced[end + 1..];
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            out.push_str(&value(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out + rest
}

/// Shell-like words: spaces separate, '…' and "…" quote literally.
fn split_words(command: &str, line: usize) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote = None;
    for c in command.chars() {
        match (quote, c) {
            (Some(open), c) if c == open => quote = None,
            (Some(_), c) => word.get_or_insert_default().push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_default();
            }
            (None, ' ') => words.extend(word.take()),
            (None, '|' | '>' | '<' | ';' | '&' | '$' | '`' | '~' | '*') => {
                panic!("README.md:{line}: the story runs no shell; `{c}` needs one")
            }
            (None, c) => word.get_or_insert_default().push(c),
        }
    }
    assert!(quote.is_none(), "README.md:{line}: unclosed quote");
    words.extend(word);
    words
}

/// The sandbox, the folder the story is in, and the variables it exported so far.
struct Sandbox {
    dir: tempfile::TempDir,
    /// The current folder, from the sandbox (empty: the sandbox itself).
    cwd: PathBuf,
    exported: BTreeMap<String, String>,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = crate::common::temp_dir();
        crate::common::assert_nothing_to_discover_above(dir.path());
        for sub in ["home", "guides"] {
            fs::create_dir(dir.path().join(sub)).expect("sandbox dir");
        }
        Sandbox {
            dir,
            cwd: PathBuf::new(),
            exported: BTreeMap::new(),
        }
    }

    /// The variables every command gets (see the module's header).
    fn environment(&self) -> BTreeMap<String, String> {
        let root = self.dir.path();
        let home = root.join("home");
        let mut environment: BTreeMap<String, String> = [
            ("XDG_DATA_HOME", home.join(".local/share")),
            ("XDG_CONFIG_HOME", home.join(".config")),
            ("HOME", home),
            ("CERTPREP_STATE", root.join("state.toml")),
            ("CERTPREP_GUIDES", root.join("guides")),
        ]
        .into_iter()
        .map(|(name, path)| (name.to_string(), path.display().to_string()))
        .collect();
        environment.extend(self.exported.clone());
        environment
    }

    /// Runs one command; returns its merged output with `? N` for a failure.
    fn run(&mut self, step: &Step) -> String {
        let root = self.dir.path();
        let here = root.join(&self.cwd);
        match step
            .words
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["export", assignments @ ..] => {
                for assignment in assignments {
                    let (name, value) = assignment.split_once('=').expect("export NAME=VALUE");
                    self.exported.insert(name.to_string(), value.to_string());
                }
                String::new()
            }
            ["cp", from, to] => {
                let environment = self.environment();
                let (from, to) = (expand(from, &environment), expand(to, &environment));
                fs::copy(here.join(&from), here.join(&to))
                    .unwrap_or_else(|error| panic!("README.md:{}: cp {from}: {error}", step.line));
                String::new()
            }
            ["cd", dir] => {
                let cwd = normalized(&self.cwd.join(dir))
                    .unwrap_or_else(|| panic!("README.md:{}: cd out of the sandbox", step.line));
                assert!(
                    root.join(&cwd).is_dir(),
                    "README.md:{}: no folder {dir}",
                    step.line
                );
                self.cwd = cwd;
                String::new()
            }
            ["certprep", args @ ..] => {
                let mut command = Command::new(env!("CARGO_BIN_EXE_certprep"));
                command
                    .args(args)
                    .current_dir(&here)
                    .env_clear()
                    .envs(self.environment());
                merged_output(command)
            }
            ["git", args @ ..] => {
                crate::common::require("git");
                let binary = Path::new(env!("CARGO_BIN_EXE_certprep"));
                let mut path = binary
                    .parent()
                    .expect("the binary's folder")
                    .as_os_str()
                    .to_owned();
                path.push(":");
                path.push(std::env::var_os("PATH").unwrap_or_default());
                let mut command = Command::new("git");
                command
                    .args(args)
                    .current_dir(&here)
                    .env_clear()
                    .envs(self.environment())
                    .env("PATH", path)
                    .env("GIT_CONFIG_GLOBAL", "/dev/null")
                    .env("GIT_CONFIG_NOSYSTEM", "1")
                    .env("GIT_AUTHOR_NAME", "Ann Lee")
                    .env("GIT_AUTHOR_EMAIL", "ann@example.com")
                    .env("GIT_AUTHOR_DATE", "2026-11-26T12:00:00Z")
                    .env("GIT_COMMITTER_NAME", "Ann Lee")
                    .env("GIT_COMMITTER_EMAIL", "ann@example.com")
                    .env("GIT_COMMITTER_DATE", "2026-11-26T12:00:00Z")
                    .env("GIT_MERGE_AUTOEDIT", "no");
                merged_output(command)
            }
            _ => panic!(
                "README.md:{}: the runner has no command {:?}",
                step.line, step.words
            ),
        }
    }
}

/// `path` (relative) with `.` and `..` resolved, `None` when it leaves its start.
fn normalized(path: &Path) -> Option<PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in path.components() {
        match component {
            std::path::Component::Normal(part) => parts.push(part),
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                parts.pop()?;
            }
            _ => return None,
        }
    }
    Some(parts.iter().collect())
}

/// Runs `command` with stdout and stderr on one pipe, so the text keeps the order
/// the program wrote it in; appends `? N` when the exit status is not 0.
fn merged_output(mut command: Command) -> String {
    let (mut reader, writer) = std::io::pipe().expect("a pipe");
    command
        .stdin(Stdio::null())
        .stdout(writer.try_clone().expect("a pipe end"))
        .stderr(writer);
    let mut child = command.spawn().expect("run the story's command");
    drop(command); // closes our copies of the write end, so the read below ends
    let mut text = String::new();
    reader.read_to_string(&mut text).expect("UTF-8 output");
    let status = child.wait().expect("wait for certprep");
    if !text.is_empty() && !text.ends_with('\n') {
        text.push_str("[no final newline]\n");
    }
    match status.code() {
        Some(0) => {}
        Some(code) => text.push_str(&format!("? {code}\n")),
        None => text.push_str("? killed by a signal\n"),
    }
    text
}

/// The README lines an output is shown as: indented like its block, trailing
/// blank lines dropped (they only separate commands).
fn shown(output: &str, indent: &str) -> Vec<String> {
    let mut lines: Vec<String> = output
        .lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("{indent}{line}")
            }
        })
        .collect();
    while lines.last().is_some_and(|line| line.trim().is_empty()) {
        lines.pop();
    }
    lines
}

#[test]
fn the_readme_story_replays_exactly() {
    let readme = fs::read_to_string(readme_path()).expect("README.md");
    let lines: Vec<&str> = readme.lines().collect();
    let actions = parse(&lines);
    let console_blocks = lines
        .iter()
        .filter(|line| line.trim() == "```console")
        .count();
    assert!(
        console_blocks >= 10,
        "only {console_blocks} console blocks found"
    );

    let mut sandbox = Sandbox::new();
    let mut differences = Vec::new(); // (output range, what the program printed)
    for action in &actions {
        match action {
            Action::Write { name, text } => {
                fs::write(sandbox.dir.path().join(name), text).expect("write a story file")
            }
            Action::Run(step) => {
                let actual = shown(&sandbox.run(step), &step.indent);
                let expected: Vec<&str> = lines[step.output.clone()].to_vec();
                if actual != expected {
                    eprintln!(
                        "README.md:{}: `{}` printed:\n{}\n--- the README shows:\n{}\n",
                        step.line,
                        step.command,
                        actual.join("\n"),
                        expected.join("\n")
                    );
                    differences.push((step.output.clone(), actual));
                }
            }
        }
    }
    if std::env::var_os("README_BLESS").is_some() && !differences.is_empty() {
        bless(&lines, differences);
        return;
    }
    assert!(
        differences.is_empty(),
        "{} README outputs differ (see above)",
        differences.len()
    );
}

/// Rewrites README.md with the program's outputs in place of the differing ones.
fn bless(lines: &[&str], differences: Vec<(std::ops::Range<usize>, Vec<String>)>) {
    let mut blessed: Vec<String> = lines.iter().map(|line| line.to_string()).collect();
    for (range, actual) in differences.into_iter().rev() {
        blessed.splice(range, actual);
    }
    fs::write(readme_path(), blessed.join("\n") + "\n").expect("rewrite README.md");
    eprintln!("README_BLESS: README.md rewritten; review the diff");
}

/// The README's headings, as written (`## Your own guides` gives "Your own guides").
fn headings(readme: &str) -> Vec<String> {
    let mut in_block = false;
    let mut found = Vec::new();
    for line in readme.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
        } else if !in_block && line.starts_with('#') {
            found.push(line.trim_start_matches('#').trim().to_string());
        }
    }
    found
}

/// GitHub's anchor for a heading: lower case, spaces to dashes, other punctuation dropped.
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn readme_links_and_data_file_pointers_name_existing_headings() {
    let readme = fs::read_to_string(readme_path()).expect("README.md");
    let headings = headings(&readme);
    let anchors: Vec<String> = headings.iter().map(|heading| anchor(heading)).collect();
    assert!(headings.iter().any(|heading| heading == "Your own guides"));
    for link in readme.split("](#").skip(1) {
        let target = &link[..link.find(')').expect("a closing parenthesis")];
        assert!(
            anchors.iter().any(|a| a == target),
            "README links to a missing #{target}"
        );
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pointers = 0;
    for dir in ["data", "examples/guides"] {
        for entry in fs::read_dir(root.join(dir)).expect("a guide directory") {
            let path = entry.expect("a directory entry").path();
            let text = fs::read_to_string(&path).expect("a guide file");
            for pointer in text.split("README \"").skip(1) {
                let heading = &pointer[..pointer.find('"').expect("a closing quote")];
                assert!(
                    headings.iter().any(|h| h == heading),
                    "{} points to a README heading \"{heading}\" that does not exist",
                    path.display()
                );
                pointers += 1;
            }
        }
    }
    assert!(
        pointers >= 2,
        "the bundled guides point to the README's guide schema"
    );
}

/// The runner's shell expansion, on the forms the README uses.
#[test]
fn the_runner_expands_variables_as_a_shell_does() {
    let environment = BTreeMap::from([("S".to_string(), "/d/state.toml".to_string())]);
    assert_eq!(expand("$S", &environment), "/d/state.toml");
    assert_eq!(
        expand("${S%.toml}.history.toml", &environment),
        "/d/state.history.toml"
    );
    assert_eq!(expand("class/ann.toml", &environment), "class/ann.toml");
    assert_eq!(expand("$UNSET/x", &environment), "/x");
}
