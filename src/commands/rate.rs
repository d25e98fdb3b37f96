//! `rate SECTION RATING` and `rate SECTION --clear`.

use std::fmt::Write;

use anyhow::Result;

use super::Context;
use crate::cli::RateArgs;
use crate::resolve;
use crate::state::Date;

pub fn rate(context: &Context, args: &RateArgs, out: &mut String) -> Result<()> {
    let rating = args.rating;
    let (number, name) = context.update(|state, guide| {
        let (index, section) = resolve::section(guide, &args.section)?;
        match rating {
            Some(rating) => {
                let progress = state.progress_mut(&guide.id);
                progress.ratings.insert(section.id.clone(), rating);
                progress
                    .rated
                    .insert(section.id.clone(), Date(context.today));
            }
            None => {
                if let Some(progress) = state.exams.get_mut(&guide.id) {
                    progress.ratings.remove(&section.id);
                    progress.rated.remove(&section.id);
                }
            }
        }
        Ok((index + 1, section.name.clone()))
    })?;
    match rating {
        Some(rating) => writeln!(
            out,
            "Section {number} ({name}) rated {}/5: {}",
            rating.get(),
            meaning(rating.get())
        )?,
        None => writeln!(out, "Section {number} ({name}): rating cleared")?,
    }
    Ok(())
}

/// What each step of the 1..=5 scale means.
fn meaning(rating: u8) -> &'static str {
    match rating {
        1 => "new to me",
        2 => "heard of it",
        3 => "can do it with notes",
        4 => "can do it unaided",
        _ => "exam-ready",
    }
}
