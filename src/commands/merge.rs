//! `merge [--history] [BASE] OURS THEIRS`: git's merge driver for progress files
//! (`%O %A %B`), and with two files a union of a sync service's conflicted copy
//! into the file. The rules are in [`crate::merge`]; this reads the sides, writes
//! the result over OURS (atomically, under its lock) and says which values both
//! sides changed and which one it kept.

use std::fmt::Write;
use std::path::Path;

use anyhow::{Context as _, Result, anyhow};

use crate::cli::MergeArgs;
use crate::history::History;
use crate::merge;
use crate::message::{self, Level};
use crate::state::{self, State};
use crate::store;
use crate::text::Untrusted;

pub fn merge(args: &MergeArgs, out: &mut String) -> Result<()> {
    let (base, ours, theirs) = match args.files.as_slice() {
        [base, ours, theirs] => (Some(base.as_path()), ours, theirs),
        [ours, theirs] => (None, ours, theirs),
        _ => unreachable!("clap takes two or three files"),
    };
    // OURS must be there: the result replaces it, and a missing one would be
    // taken for empty progress.
    if !store::discover::exists(ours) {
        return Err(anyhow!(
            "cannot merge into {}: no such file",
            ours.display()
        ));
    }
    if args.history {
        // Snapshots are united: the base has nothing to say.
        let theirs: History = read_side(theirs, "history file")?;
        store::update_leaving_no_lock(ours, "history file", |history: &mut History| {
            *history = merge::histories(history, &theirs);
            Ok(())
        })?;
    } else {
        let base: Option<State> = match base {
            Some(base) => read_base(base)?,
            None => None,
        };
        let theirs: State = read_side(theirs, "state file")?;
        let choices = store::update_leaving_no_lock(ours, "state file", |state: &mut State| {
            let (merged, choices) = merge::states(base.as_ref(), state, &theirs);
            *state = merged;
            Ok(choices)
        })?;
        for choice in &choices {
            message::report(Level::Notice, &anyhow!(merge::describe(choice)));
        }
    }
    // git's driver says nothing on success; a merge run by hand says what it did.
    if base.is_none() {
        writeln!(
            out,
            "Merged {} into {}.",
            Untrusted(theirs.display()),
            Untrusted(ours.display())
        )?;
    }
    Ok(())
}

/// A side's file, which must exist and parse.
fn read_side<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T> {
    let text = read_text(path)?;
    store::parse_toml(&text, path, what)
}

/// The base, `None` when git has none to give (an empty file: both sides added
/// the file).
fn read_base(path: &Path) -> Result<Option<State>> {
    let text = read_text(path)?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    state::parse(&text, path).map(Some)
}

fn read_text(path: &Path) -> Result<String> {
    let (bytes, _) =
        store::read_regular(path).with_context(|| format!("cannot read {}", path.display()))?;
    String::from_utf8(bytes).map_err(|_| anyhow!("{} is not UTF-8 text", path.display()))
}
