//! `help [COMMAND]`, clap's own help reached as a command of ours.

use std::fmt::Write;

use anyhow::Result;

use super::Context;
use crate::error::{quoted, usage};

/// `help [COMMAND]`: exactly what `certprep [COMMAND] --help` prints.
pub fn help(name: Option<&str>, context: &Context, out: &mut String) -> Result<()> {
    use clap::{CommandFactory, Parser};
    let command = match name {
        None => None,
        Some(name) => Some(
            crate::cli::Cli::command()
                .find_subcommand(name)
                .map(|command| command.get_name().to_string())
                .ok_or_else(|| {
                    usage!(
                        "there is no command {}; `certprep help` lists them",
                        quoted(name)
                    )
                })?,
        ),
    };
    let args = ["certprep"]
        .into_iter()
        .chain(command.as_deref())
        .chain(["--help"]);
    // A command's name and `--help` always end the parse with its help.
    if let Err(help) = crate::cli::Cli::try_parse_from(args) {
        let text = help.render();
        match context.style.color {
            true => write!(out, "{}", text.ansi())?,
            false => write!(out, "{text}")?,
        }
    }
    Ok(())
}
