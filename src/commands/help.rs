//! `help [COMMAND]`, clap's own help reached as a command of ours.

use std::fmt::Write;

use anyhow::Result;

use super::Context;
use crate::error::{quoted, usage};

/// `help [COMMAND [SUBCOMMAND]]`: exactly what `certprep [COMMAND…] --help` prints.
pub fn help(names: &[String], context: &Context, out: &mut String) -> Result<()> {
    use clap::{CommandFactory, Parser};
    let mut command = crate::cli::Cli::command();
    let mut path = Vec::new();
    for name in names {
        let Some(found) = command.find_subcommand(name).cloned() else {
            let within = match path.is_empty() {
                true => "certprep".to_string(),
                false => format!("certprep {}", path.join(" ")),
            };
            let list = format!("`{within} --help` lists them");
            return Err(match path.is_empty() {
                true => usage!(
                    "there is no command {}; `certprep help` lists them",
                    quoted(name)
                ),
                false => usage!("{within} has no command {}; {list}", quoted(name)),
            });
        };
        path.push(found.get_name().to_string());
        command = found;
    }
    let args = ["certprep"]
        .into_iter()
        .chain(path.iter().map(String::as_str))
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
