//! `name [NAME|--clear]`: the learner's name, which a coach's class report shows
//! instead of the file's (or its folder's) name.

use std::fmt::Write;

use anyhow::Result;

use super::Context;
use crate::cli::NameArgs;
use crate::history::Effect;
use crate::store;
use crate::text::Untrusted;

pub fn name(context: &Context, args: &NameArgs, out: &mut String) -> Result<()> {
    if args.name.is_none() && !args.clear {
        match context.load_state()?.name {
            Some(name) => writeln!(out, "{}", Untrusted(name))?,
            None => writeln!(
                out,
                "No name set; `certprep name NAME` sets the name a coach's report shows (without one it shows the file's name)."
            )?,
        }
        return Ok(());
    }
    let before = context.update_state(store::MAX_FILE_BYTES, |state| {
        let before = std::mem::replace(&mut state.name, args.name.clone());
        Ok((before, Effect::None))
    })?;
    match (&args.name, before) {
        (Some(name), Some(before)) if *name == before => {
            writeln!(out, "The name is {} already.", Untrusted(name))?
        }
        (Some(name), _) => writeln!(out, "Name set: {}.", Untrusted(name))?,
        (None, Some(before)) => writeln!(out, "Name cleared (it was {}).", Untrusted(before))?,
        (None, None) => writeln!(out, "No name was set.")?,
    }
    Ok(())
}
