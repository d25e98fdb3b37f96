//! certprep: a study tracker for the Databricks Machine Learning certifications.
//!
//! `main.rs` only calls [`main`]; the library exists so that tests and fuzz targets
//! can reach the parsers and the pure logic directly.

pub mod cli;
pub mod commands;
pub mod error;
pub mod forecast;
pub mod guidance;
pub mod guide;
pub mod history;
pub mod ics;
pub mod readiness;
pub mod render;
pub mod report;
pub mod resolve;
pub mod schedule;
pub mod state;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::cli::{Cli, ColorChoice};
use crate::commands::Context;
use crate::error::UsageError;
use crate::guide::Catalog;
use crate::render::Style;

/// Parses the command line, runs the command, prints, and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::parse_args() {
        Ok(cli) => cli,
        // clap prints help and version to stdout (exit 0) and usage errors to stderr (exit 2).
        Err(error) => error.exit(),
    };
    let mut out = String::new();
    let result = context(&cli).and_then(|context| commands::run(cli.command, &context, &mut out));
    // Whatever succeeded before an error is still printed; a closed pipe ends quietly.
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("certprep: error: {error:#}");
            if error.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Resolves the outside world (paths, today, colour) once, for every command.
fn context(cli: &Cli) -> Result<Context> {
    let global = &cli.global;
    let state_path = match &global.state {
        Some(path) => path.clone(),
        None => dirs::data_dir()
            .context(
                "cannot find the user data directory; pass --state PATH or set CERTPREP_STATE",
            )?
            .join("certprep")
            .join("state.toml"),
    };
    let guides_dir = std::env::var_os("CERTPREP_GUIDES")
        .map(Into::into)
        .or_else(|| dirs::config_dir().map(|dir| dir.join("certprep").join("guides")));
    let color = match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    Ok(Context {
        state_path,
        today: global
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        exam: global.exam.clone(),
        style: Style { color },
        catalog: Catalog::new(guides_dir),
    })
}
