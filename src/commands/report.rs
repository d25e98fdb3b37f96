//! `report`: the class report over learners' state files (README: For coaches).
//! The work is in `crate::report`; this wires it to the command line.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};

use super::Context;
use crate::cli::{ReportArgs, ReportOrder};
use crate::error::usage;
use crate::message::{self, Level};
use crate::render;
use crate::report::{self, Order, Settings};
use crate::store;

pub fn report(context: &Context, args: &ReportArgs, out: &mut String) -> Result<()> {
    if let Some(html) = &args.html {
        refuse_input_as_output(html, &args.paths)?;
    }
    // The report's own `-e` (see `ReportArgs::exam`), which clap also hands to
    // the global one.
    let exam = args.exam.as_ref().or(context.exam.as_ref());
    let guides = match exam {
        Some(name) => vec![context.find_exam(name)?],
        None => context.all_guides(),
    };
    let settings = Settings {
        guides: &guides,
        only: exam.map(|_| guides[0].id.as_str()),
        today: context.today,
        target: args.target,
        order: match args.sort {
            ReportOrder::Name => Order::Name,
            ReportOrder::Risk => Order::Risk,
        },
    };
    let cohort = report::read_cohort(&args.paths, &settings);
    for warning in &cohort.warnings {
        message::report(Level::Warning, &anyhow!(report::text::warning(warning)));
    }
    if cohort.read == 0 {
        return Err(anyhow!(
            "no learner could be read from the {} path{} given",
            args.paths.len(),
            render::plural(args.paths.len())
        ));
    }
    if args.json {
        out.push_str(&render::json(&cohort));
    } else if args.csv {
        out.push_str(&report::csv::render(&cohort));
    } else if let Some(html) = &args.html {
        let today = context.today.format("%Y-%m-%d").to_string();
        let page = report::html::render(&cohort, &today);
        let new = store::NewFile {
            mode: 0o666,
            belongs_with: html,
        };
        store::write_output(html, page.as_bytes(), &new)?;
        out.push_str(&format!("wrote {}: {}\n", html.display(), cohort.counts()));
    } else {
        out.push_str(&report::text::render(
            &cohort,
            context.today,
            context.style,
            text_width(),
        ));
    }
    Ok(())
}

/// The columns the text report may fill: `COLUMNS` when it holds a number (at
/// least 40), else the terminal's width when standard output is one, else 80, so
/// what goes to a pipe or a file does not depend on the terminal it ran in.
fn text_width() -> usize {
    const NARROWEST: usize = 40;
    const NOT_A_TERMINAL: usize = 80;
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse::<usize>().ok())
        .filter(|&columns| columns > 0);
    match columns {
        Some(columns) => columns.max(NARROWEST),
        // comfy-table asks the terminal (TIOCGWINSZ) only when stdout is one.
        None => comfy_table::Table::new()
            .width()
            .map_or(NOT_A_TERMINAL, |width| usize::from(width).max(NARROWEST)),
    }
}

/// The page may not replace a learner's file: not one named on the command
/// line (or its history), nor a `*.toml` in a directory named there.
fn refuse_input_as_output(html: &Path, inputs: &[PathBuf]) -> Result<()> {
    let refuse = || {
        Err(usage!(
            "--html {} would overwrite a learner's file; write the page elsewhere",
            html.display()
        ))
    };
    let Some(target) = store::canonical(html) else {
        return Ok(());
    };
    let is_toml = target.extension().is_some_and(|ext| ext == "toml");
    for input in inputs {
        let Ok(input) = input.canonicalize() else {
            continue;
        };
        let same_file = store::paths_name_one_file(html, &input)
            || store::paths_name_one_file(html, &crate::history::path_for(&input));
        let in_directory = input.is_dir() && target.parent() == Some(input.as_path()) && is_toml;
        if same_file || in_directory {
            return refuse();
        }
    }
    Ok(())
}
