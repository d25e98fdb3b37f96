//! certprep: a study tracker for the Databricks Machine Learning certifications.
//!
//! `main.rs` only calls [`main`]; the library exists so that tests and fuzz targets
//! can reach the parsers and the pure logic directly.

// Standard error is written only by `message::report`, which escapes what it prints;
// standard output only by `main`, from the text the command built.
#![warn(clippy::print_stderr, clippy::print_stdout)]

pub mod cli;
pub mod commands;
pub mod dates;
pub mod error;
pub mod forecast;
pub mod guidance;
pub mod guide;
pub mod history;
pub mod ics;
pub mod locate;
pub mod merge;
pub mod message;
pub mod readiness;
pub mod render;
pub mod repo;
pub mod report;
pub mod resolve;
pub mod round;
pub mod schedule;
pub mod state;
pub mod store;
pub mod suggest;
pub mod text;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Result, anyhow};

use crate::cli::{Cli, ColorChoice};
use crate::commands::Context;
use crate::error::{UsageError, usage};
use crate::guide::{Catalog, Texts};
use crate::message::Level;
use crate::render::Style;

/// Parses the command line, runs the command, prints, and returns the exit code.
pub fn main() -> ExitCode {
    cli::complete::answer_if_asked();
    let cli = match Cli::parse_args() {
        Ok(cli) => cli,
        Err(error) => return refused_or_help(&error),
    };
    let mut out = String::new();
    let mut saved = None;
    let result = context(&cli).and_then(|context| {
        let result = commands::run(cli.command, &context, &mut out);
        saved = context.saved.into_inner();
        result
    });
    // Whatever succeeded before an error is still printed.
    let mut code = ExitCode::SUCCESS;
    if let Err(why) = write_stdout(&out) {
        // A change that is saved must not look failed: running the command again
        // would make it twice (record a sitting twice, say).
        let error = match saved {
            Some(path) => anyhow!(
                "the change was saved in {}, but its confirmation could not be printed: {why}",
                path.display()
            ),
            None => anyhow::Error::new(why).context("cannot write to standard output"),
        };
        message::report(Level::Error, &error);
        code = ExitCode::FAILURE;
    }
    if let Err(error) = result {
        code = failed(&error);
    }
    code
}

/// Reports a failed command on stderr (a usage error with its hint line, when it
/// has one) and returns its exit code: 2 for a usage error, 1 for the rest.
fn failed(error: &anyhow::Error) -> ExitCode {
    message::report(Level::Error, error);
    match error.downcast_ref::<UsageError>() {
        Some(usage) => {
            if let Some(hint) = &usage.hint {
                message::report(Level::Hint, &anyhow!("{hint}"));
            }
            ExitCode::from(2)
        }
        None => ExitCode::FAILURE,
    }
}

/// What clap returns instead of a command line: help and version, written as any
/// output is (exit 1 when they cannot be), or a usage error (exit 2) in one
/// escaped sentence and a hint.
fn refused_or_help(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        return match write_stdout(&error.render().to_string()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(why) => {
                let error = anyhow::Error::new(why).context("cannot write to standard output");
                message::report(Level::Error, &error);
                ExitCode::FAILURE
            }
        };
    }
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let failure = cli::ParseFailure::of(error, &args);
    failed(&anyhow::Error::new(UsageError {
        message: failure.sentence,
        hint: failure.hint,
    }))
}

/// Writes the command's output and flushes it, so that a full disk or a failing
/// device is an error. A closed pipe (`certprep guide | head`) is not: the reader
/// has what it wanted, and the rest ends quietly.
fn write_stdout(out: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error),
        _ => Ok(()),
    }
}

/// Resolves the outside world (paths, today, colour) once, for every command.
fn context(cli: &Cli) -> Result<Context> {
    let global = &cli.global;
    let located = locate::progress_file(global.state.as_deref())?;
    // A found file that is not the user's is passed over in one line; the shell
    // prompt says nothing (its stderr lands in the terminal on every prompt).
    if let Some(why) = &located.passed_over
        && !matches!(cli.command, Some(cli::Command::Prompt(_)))
    {
        message::report(Level::Warning, &anyhow::anyhow!("{why}"));
    }
    let state_path = located.path;
    let color = match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let today = match (global.today, locate::env_value("CERTPREP_TODAY")) {
        (Some(today), _) => today,
        (None, Some(text)) => {
            let text = text.to_string_lossy();
            cli::parse_date(&text).map_err(|why| usage!("CERTPREP_TODAY: {why}"))?
        }
        (None, None) => chrono::Local::now().date_naive(),
    };
    // A JSON document carries a guide's texts as written: its writer escapes them.
    let texts = match &cli.command {
        Some(command) if command.prints_json() => Texts::AsWritten,
        _ => Texts::Escaped,
    };
    Ok(Context {
        state_path,
        state_source: located.source,
        today,
        exam: global.exam.clone(),
        style: Style { color },
        catalog: Catalog::new(locate::user_guides_dir()).with_texts(texts),
        saved: Default::default(),
    })
}
