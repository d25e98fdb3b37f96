//! `report`: the class report over learners' state files (DESIGN section 11).
//! The work is in `crate::report`; this wires it to the command line.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow};

use super::Context;
use crate::cli::ReportArgs;
use crate::error::usage;
use crate::report::{self, Settings};

pub fn report(context: &Context, args: &ReportArgs, out: &mut String) -> Result<()> {
    if let Some(html) = &args.html {
        refuse_input_as_output(html, &args.paths)?;
    }
    let guides = match &context.exam {
        Some(name) => vec![context.find_exam(name)?],
        None => context.all_guides(),
    };
    let settings = Settings {
        guides: &guides,
        only: context.exam.as_ref().map(|_| guides[0].id.as_str()),
        today: context.today,
        target_percent: args.target.unwrap_or(report::DEFAULT_TARGET_PERCENT),
    };
    let cohort = report::read_cohort(&args.paths, &settings);
    for warning in &cohort.warnings {
        eprintln!("{}", report::text::warning(warning));
    }
    if cohort.read == 0 {
        return Err(anyhow!(
            "no learner could be read from the {} path{} given",
            args.paths.len(),
            crate::render::plural(args.paths.len())
        ));
    }
    if args.json {
        out.push_str(&crate::render::json(&cohort));
    } else if args.csv {
        out.push_str(&report::csv::render(&cohort));
    } else if let Some(html) = &args.html {
        let today = context.today.format("%Y-%m-%d").to_string();
        write_atomic(html, report::html::render(&cohort, &today).as_bytes())?;
        out.push_str(&format!(
            "wrote {} ({} learners)\n",
            html.display(),
            cohort.read
        ));
    } else {
        out.push_str(&report::text::render(&cohort, context.today, context.style));
    }
    Ok(())
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
    let Some(target) = canonical_target(html) else {
        return Ok(());
    };
    let is_toml = target.extension().is_some_and(|ext| ext == "toml");
    for input in inputs {
        let Ok(input) = input.canonicalize() else {
            continue;
        };
        let same_file = input == target || crate::history::path_for(&input) == target;
        let in_directory = input.is_dir() && target.parent() == Some(input.as_path()) && is_toml;
        if same_file || in_directory {
            return refuse();
        }
    }
    Ok(())
}

/// The file `path` names, with its directory's links resolved (the file itself
/// may not exist yet); `None` when its directory does not exist.
fn canonical_target(path: &Path) -> Option<PathBuf> {
    if let Ok(existing) = path.canonicalize() {
        return Some(existing);
    }
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    Some(parent.canonicalize().ok()?.join(path.file_name()?))
}

/// Writes the page so that a reader sees the old page or the new one, never a
/// torn one: a temp file in the same directory, synced, renamed over.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let failed = || format!("cannot write {}", path.display());
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir).with_context(failed)?;
    temp.write_all(bytes).with_context(failed)?;
    temp.as_file().sync_all().with_context(failed)?;
    temp.persist(path)
        .map_err(|error| error.error)
        .with_context(failed)?;
    Ok(())
}
