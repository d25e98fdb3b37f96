//! Shell completion: the scripts `completions SHELL` prints, and the names offered
//! while completing (exams, sections, checklist items, plan days).
//!
//! bash, zsh and fish use clap_complete's dynamic completion: their script calls
//! back into `COMPLETE=<shell> certprep -- <words on the line>`, which
//! [`answer_if_asked`] answers from the CLI definition and the candidate functions
//! below (attached to the arguments in `cli.rs`). elvish and powershell get
//! clap_complete's static script, which knows the commands and flags only.
//!
//! A completer runs inside the user's shell on every <TAB>: it never writes, never
//! prints anything but candidates, and a guide or progress file it cannot read just
//! means fewer names.

use std::path::PathBuf;

use clap::CommandFactory;
use clap_complete::env::{Bash, EnvCompleter, Fish, Zsh};
use clap_complete::{ArgValueCandidates, CompletionCandidate, Shell};

use crate::cli::Cli;
use crate::guide::{Catalog, Guide};
use crate::state::{self, Progress};

/// The environment variable through which a shell asks for completions.
const REQUEST_VAR: &str = "COMPLETE";

/// When a shell's completion script is asking (`COMPLETE` is set), prints the
/// candidates (or, without words, the registration script) and exits.
///
/// This runs first on every invocation, the shell-prompt segment included, so
/// without a request it costs exactly one environment lookup: `CompleteEnv`
/// itself would also read the current directory and the arguments first.
pub fn answer_if_asked() {
    if std::env::var_os(REQUEST_VAR).is_some() {
        clap_complete::CompleteEnv::with_factory(completing_cli)
            .var(REQUEST_VAR)
            .complete();
    }
}

/// The CLI as completion sees it. The global `-e` gets its completer here rather
/// than in `cli.rs`: clap copies a global option into every command, and with a
/// completer attached that copying cost every ordinary `status` about 20 000
/// instructions (callgrind).
fn completing_cli() -> clap::Command {
    Cli::command().mut_arg("exam", |arg| arg.add(ArgValueCandidates::new(exams)))
}

/// The completion script for `shell`. For bash, zsh and fish it is what
/// `COMPLETE=<shell> certprep` prints: a registration that calls back into this
/// very program, so the names come from the installed guides and the progress.
pub fn script(shell: Shell) -> String {
    let dynamic: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        _ => return static_script(shell),
    };
    let mut script = Vec::new();
    dynamic
        .write_registration(
            REQUEST_VAR,
            "certprep",
            "certprep",
            &callback_program(),
            &mut script,
        )
        .expect("writing to a Vec cannot fail");
    String::from_utf8_lossy(&script).into_owned()
}

/// clap_complete's static script: commands, flags and fixed values only.
fn static_script(shell: Shell) -> String {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "certprep", &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

/// How the registration calls certprep back: as it was invoked, the way
/// `CompleteEnv` names it (`certprep` found on PATH stays `certprep`; a relative
/// path such as `./target/debug/certprep` is made absolute).
fn callback_program() -> String {
    let invoked = PathBuf::from(
        std::env::args_os()
            .next()
            .unwrap_or_else(|| "certprep".into()),
    );
    let program = match std::env::current_dir() {
        Ok(dir) if invoked.components().count() > 1 => dir.join(invoked),
        _ => invoked,
    };
    program.to_string_lossy().into_owned()
}

/// Exam ids, each with the exam's name; aliases are offered only when no id
/// matches what was typed (`mla`), so a bare <TAB> lists each exam once.
pub fn exams() -> Vec<CompletionCandidate> {
    let (guides, _unreadable) = catalog().load_all();
    let mut candidates = Vec::new();
    for guide in &guides {
        candidates.push(candidate(&guide.id, &guide.name));
        for alias in &guide.aliases {
            candidates.push(candidate(alias, &format!("alias of {}", guide.id)).hide(true));
        }
    }
    candidates
}

/// The selected exam's section ids, each with its name.
pub fn sections() -> Vec<CompletionCandidate> {
    let Some((guide, _)) = selected() else {
        return Vec::new();
    };
    guide
        .sections
        .iter()
        .map(|section| candidate(&section.id, &section.name))
        .collect()
}

/// The selected exam's checklist items: for `untick` the ticked ones, for
/// `tick` the others.
pub fn items() -> Vec<CompletionCandidate> {
    let untick = command_word(&line_words()).as_deref() == Some("untick");
    items_ticked(untick)
}

fn items_ticked(ticked: bool) -> Vec<CompletionCandidate> {
    let Some((guide, progress)) = selected() else {
        return Vec::new();
    };
    guide
        .checklist
        .iter()
        .filter(|item| progress.ticked.contains(&item.id) == ticked)
        .map(|item| candidate(&item.id, &item.text))
        .collect()
}

/// The selected exam's plan days not marked done yet, for `done`.
pub fn days_to_do() -> Vec<CompletionCandidate> {
    days(false)
}

/// The selected exam's plan days marked done, for `undone`.
pub fn days_done() -> Vec<CompletionCandidate> {
    days(true)
}

fn days(done: bool) -> Vec<CompletionCandidate> {
    let Some((guide, progress)) = selected() else {
        return Vec::new();
    };
    (1..=guide.plan_days())
        .filter(|day| progress.days_done.contains(day) == done)
        .map(|day| {
            let topic = guide.plan_entry(day).map_or("", |entry| &entry.topic);
            candidate(&day.to_string(), topic)
        })
        .collect()
}

/// A candidate with a one-line description that cannot steer the terminal: a
/// user guide's text is the user's, but it is printed into their shell.
fn candidate(value: &str, help: &str) -> CompletionCandidate {
    let help: String = help
        .chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    CompletionCandidate::new(value).help(Some(help.trim().to_owned().into()))
}

/// Unicode's explicit direction marks, embeddings, overrides and isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn catalog() -> Catalog {
    Catalog::new(crate::locate::user_guides_dir())
}

/// The exam the line being completed acts on, with its progress: `-e/--exam` on
/// the line, else the active exam of the progress file (`--state` on the line,
/// else as usual). `None` when neither names a guide that loads.
fn selected() -> Option<(Guide, Progress)> {
    let words = line_words();
    let flag = option_value(&words, "--state", None).map(PathBuf::from);
    // Whatever it passes over, completion prints only candidates.
    let state_path = crate::locate::progress_file(flag.as_deref()).ok()?.path;
    // The store reads only a regular file, without blocking on a FIFO; a file it
    // cannot read just means fewer names.
    let state = state::load(&state_path).unwrap_or_default();
    let name = option_value(&words, "--exam", Some('e')).or(state.active.clone())?;
    let catalog = catalog();
    let guide = match catalog.load(&name) {
        Ok(Some(guide)) => guide,
        _ => crate::resolve::exam(&catalog.load_all().0, &name)
            .ok()?
            .clone(),
    };
    let progress = state.progress(&guide.id);
    Some((guide, progress))
}

/// The words on the line being completed: the shell passes them after `--`.
fn line_words() -> Vec<String> {
    std::env::args_os()
        .skip_while(|arg| arg != "--")
        .skip(1)
        .map(|word| word.to_string_lossy().into_owned())
        .collect()
}

/// The command on the line: the first word after the program name that is
/// neither an option nor an option's value.
fn command_word(words: &[String]) -> Option<String> {
    let cli = Cli::command();
    let takes_a_value = |word: &str| {
        cli.get_arguments().any(|arg| {
            arg.get_action().takes_values()
                && (arg
                    .get_long()
                    .is_some_and(|long| word.strip_prefix("--") == Some(long))
                    || arg
                        .get_short()
                        .is_some_and(|short| word == format!("-{short}")))
        })
    };
    let mut words = words.iter().skip(1);
    while let Some(word) = words.next() {
        if takes_a_value(word) {
            words.next();
        } else if !word.starts_with('-') {
            return Some(word.clone());
        }
    }
    None
}

/// The value the line gives an option (`--long V`, `--long=V`, `-sV`, `-s V`;
/// the last one wins, as for clap), up to an `--` that ends the options.
fn option_value(words: &[String], long: &str, short: Option<char>) -> Option<String> {
    let short = short.map(|letter| format!("-{letter}"));
    let mut value = None;
    let mut words = words.iter().take_while(|word| *word != "--");
    while let Some(word) = words.next() {
        if *word == long || Some(word) == short.as_ref() {
            value = words.next().cloned();
        } else if let Some(attached) = word
            .strip_prefix(long)
            .and_then(|rest| rest.strip_prefix('='))
        {
            value = Some(attached.to_owned());
        } else if let Some(attached) = short
            .as_deref()
            .and_then(|short| word.strip_prefix(short))
            .filter(|_| !word.starts_with("--"))
        {
            value = Some(attached.to_owned());
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn option_values_in_every_spelling() {
        let exam = |line| option_value(&words(line), "--exam", Some('e'));
        assert_eq!(exam("certprep -e pro rate"), Some("pro".into()));
        assert_eq!(exam("certprep -epro rate"), Some("pro".into()));
        assert_eq!(exam("certprep rate --exam pro"), Some("pro".into()));
        assert_eq!(exam("certprep --exam=pro rate"), Some("pro".into()));
        assert_eq!(exam("certprep -e a --exam=pro rate"), Some("pro".into()));
        assert_eq!(exam("certprep rate"), None);
        assert_eq!(exam("certprep rate -- -e pro"), None);
        assert_eq!(exam("certprep --exams x"), None);
        let state = |line| option_value(&words(line), "--state", None);
        assert_eq!(state("certprep --state s.toml tick"), Some("s.toml".into()));
        assert_eq!(state("certprep --state=s.toml tick"), Some("s.toml".into()));
        assert_eq!(state("certprep -e s.toml tick"), None);
    }

    #[test]
    fn the_completing_cli_is_well_formed() {
        completing_cli().debug_assert();
    }

    #[test]
    fn command_words() {
        let command = |line| command_word(&words(line));
        assert_eq!(command("certprep untick a"), Some("untick".into()));
        assert_eq!(command("certprep -e untick tick "), Some("tick".into()));
        assert_eq!(
            command("certprep --state s --color=never untick"),
            Some("untick".into())
        );
        assert_eq!(command("certprep -epro"), None);
    }

    #[test]
    fn descriptions_cannot_steer_the_terminal() {
        let shown = candidate("x", "\u{1b}]0;PWNED\u{7}a\nb\u{202E}c\td");
        let help = shown.get_help().expect("a description").to_string();
        assert_eq!(help, "]0;PWNED a b c d");
    }
}
