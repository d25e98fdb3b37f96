//! A hand-written parser for the command lines a shell runs on every prompt:
//! `prompt [--format FMT]`, `status [--json]` and a bare `certprep`, with the
//! global options. clap builds its whole command tree (every command, every
//! global option copied into each) for each parse, which costs more than the
//! prompt's own work. This parser accepts a small, unambiguous subset of what
//! clap accepts and builds the same [`Cli`]; anything else (a repeated option,
//! an empty or dash-led value, `-eX`, help, a value clap would refuse, another
//! command) it declines, and clap parses the line as always, messages included.

use std::ffi::OsString;
use std::path::PathBuf;

use super::{Cli, ColorChoice, Command, GlobalArgs, JsonArgs, PromptArgs, parse_date};

/// The [`Cli`] clap would build from `args` (without the program name), or
/// `None` when the line is outside the subset. `env` looks up an environment
/// variable, as clap does for `--state` and `--today`.
pub(super) fn parse(args: &[OsString], env: impl Fn(&str) -> Option<OsString>) -> Option<Cli> {
    let mut exam = None;
    let mut state = None;
    let mut today = None;
    let mut color = None;
    let mut command = None;
    let mut tokens = args.iter();
    while let Some(token) = tokens.next() {
        let token = token.to_str()?;
        // `--name=value`; a short option's `-e=value` or `-evalue` is left to clap.
        let (name, inline) = match token.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value)),
            _ => (token, None),
        };
        let mut value = || {
            match inline {
                Some(value) => Some(value),
                None => tokens.next()?.to_str(),
            }
            .filter(|value| !value.is_empty() && !value.starts_with('-'))
        };
        match (name, &mut command) {
            ("prompt", None) if inline.is_none() => {
                command = Some(Command::Prompt(PromptArgs { format: None }))
            }
            ("status", None) if inline.is_none() => {
                command = Some(Command::Status(JsonArgs { json: false }))
            }
            ("--format", Some(Command::Prompt(PromptArgs { format }))) => {
                set_once(format, value()?.to_string())?
            }
            ("--json", Some(Command::Status(JsonArgs { json: json @ false })))
                if inline.is_none() =>
            {
                *json = true
            }
            ("-e" | "--exam", _) => set_once(&mut exam, value()?.to_string())?,
            ("--state", _) => set_once(&mut state, PathBuf::from(value()?))?,
            ("--today", _) => set_once(&mut today, parse_date(value()?).ok()?)?,
            ("--color", _) => set_once(&mut color, color_choice(value()?)?)?,
            _ => return None,
        }
    }
    // clap checks an environment value even when the option is given.
    // (`CERTPREP_STATE` is not clap's: `crate::locate` reads it, for every line.)
    let today_env = match env_value(&env, "CERTPREP_TODAY")? {
        Some(text) => Some(parse_date(&text).ok()?),
        None => None,
    };
    Some(Cli {
        global: GlobalArgs {
            exam,
            state,
            today: today.or(today_env),
            color: color.unwrap_or(ColorChoice::Auto),
        },
        command,
    })
}

/// Fills an option given once; `None` (decline) when it is given again.
fn set_once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

fn color_choice(value: &str) -> Option<ColorChoice> {
    match value {
        "auto" => Some(ColorChoice::Auto),
        "always" => Some(ColorChoice::Always),
        "never" => Some(ColorChoice::Never),
        _ => None,
    }
}

/// An environment variable's value: `Some(None)` when it is unset, `None`
/// (decline) when it is set but empty or not UTF-8, which clap judges.
fn env_value(env: impl Fn(&str) -> Option<OsString>, name: &str) -> Option<Option<String>> {
    match env(name) {
        None => Some(None),
        Some(value) => value
            .into_string()
            .ok()
            .filter(|value| !value.is_empty())
            .map(Some),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use proptest::prelude::*;

    use super::*;

    fn args(line: &str) -> Vec<OsString> {
        line.split_whitespace().map(OsString::from).collect()
    }

    /// What clap makes of `line`, as Debug text. clap reads neither
    /// `CERTPREP_STATE` nor `CERTPREP_TODAY` (`crate::locate` and `crate::context`
    /// do, later), so
    /// this side does not depend on the test runner's environment.
    fn clap_parse(line: &[OsString]) -> Result<String, String> {
        let argv = std::iter::once(OsString::from("certprep")).chain(line.iter().cloned());
        Cli::try_parse_from(argv)
            .map(|cli| format!("{cli:?}"))
            .map_err(|error| error.to_string())
    }

    /// What the quick parser makes of `line` with no variable set, whatever the
    /// environment of the test runner (a `CERTPREP_TODAY` exported there would
    /// otherwise reach this side only); `environment_values_are_clap_s_defaults`
    /// gives it variables explicitly.
    fn quick_parse(line: &[OsString]) -> Option<String> {
        parse(line, |_| None).map(|cli| format!("{cli:?}"))
    }

    #[test]
    fn the_prompts_lines_parse_as_clap_parses_them() {
        for line in [
            "",
            "prompt",
            "status",
            "status --json",
            "prompt --format {short}",
            "prompt --format={short}%",
            "--state /tmp/s.toml prompt",
            "prompt --state=/tmp/s.toml --today 2026-11-20 -e associate --color always",
            "--exam=pro --color=never status --json",
            "-e prompt",
            "--today 2026-02-28 status --state status",
            "--color auto",
        ] {
            let line = args(line);
            assert_eq!(
                quick_parse(&line),
                Some(clap_parse(&line).unwrap()),
                "{line:?}"
            );
        }
    }

    #[test]
    fn anything_unusual_is_left_to_clap() {
        for line in [
            // Repeated, at one level or two (clap lets the later one win).
            "prompt --format a --format b",
            "-e associate prompt -e professional",
            "status --json --json",
            // Values clap refuses, or reads its own way.
            "prompt --state=",
            "prompt --format=",
            "prompt --format -x",
            "prompt --format=-x",
            "prompt --today 2026-02-30",
            "--color Never status",
            "prompt -eassociate",
            "prompt -e=associate",
            "status --json=1",
            "-e",
            // Options of another command, or before their command.
            "prompt --json",
            "status --format x",
            "--format x prompt",
            "--json status",
            // Help, version, other commands, extra words.
            "prompt --help",
            "-h",
            "--version",
            "help prompt",
            "today",
            "prompt status",
            "prompt extra",
            "-- prompt",
        ] {
            assert_eq!(quick_parse(&args(line)), None, "{line:?}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStringExt;
            let not_utf8 = vec![
                "--state".into(),
                OsString::from_vec(vec![0xff]),
                "prompt".into(),
            ];
            assert_eq!(quick_parse(&not_utf8), None);
        }
    }

    #[test]
    fn environment_values_are_clap_s_defaults() {
        let env = |state: Option<&'static str>, today: Option<&'static str>| {
            move |name: &str| match name {
                "CERTPREP_STATE" => state.map(OsString::from),
                "CERTPREP_TODAY" => today.map(OsString::from),
                _ => None,
            }
        };
        // CERTPREP_STATE is left to `crate::locate`, which decides the file for
        // every command line, quick or not.
        let cli = parse(&args("prompt"), env(Some("/s.toml"), Some("2026-11-20"))).unwrap();
        assert_eq!(cli.global.state, None);
        assert_eq!(cli.global.today, parse_date("2026-11-20").ok());
        // An option beats its variable.
        let line = args("prompt --state /o.toml --today 2027-01-02");
        let cli = parse(&line, env(Some("/s.toml"), Some("2026-11-20"))).unwrap();
        assert_eq!(cli.global.state, Some(PathBuf::from("/o.toml")));
        assert_eq!(cli.global.today, parse_date("2027-01-02").ok());
        // clap refuses a bad CERTPREP_TODAY even beside --today, and an empty
        // one; those lines are clap's to refuse. An empty CERTPREP_STATE is unset.
        assert!(parse(&line, env(None, Some("tomorrow"))).is_none());
        assert!(parse(&args("prompt"), env(Some(""), None)).is_some());
        assert!(parse(&args("prompt"), env(None, Some(""))).is_none());
    }

    /// Words a prompt line is made of, and words near them.
    const WORDS: [&str; 22] = [
        "prompt",
        "status",
        "today",
        "--json",
        "--json=",
        "--format",
        "--format=x",
        "{short}",
        "-e",
        "-eassociate",
        "--exam",
        "--exam=pro",
        "associate",
        "--state",
        "--state=/s",
        "/tmp/s",
        "--today",
        "2026-11-20",
        "2026-02-30",
        "--color",
        "never",
        "-",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn whatever_it_accepts_clap_parses_the_same(
            words in prop::collection::vec(prop::sample::select(&WORDS[..]), 0..7)
        ) {
            let line: Vec<OsString> = words.iter().map(OsString::from).collect();
            if let Some(quick) = quick_parse(&line) {
                prop_assert_eq!(Ok(quick), clap_parse(&line));
            }
        }
    }
}
