//! `rate SECTION RATING` and `rate SECTION --clear`.

use std::fmt::Write;

use anyhow::Result;

use super::Context;
use crate::cli::RateArgs;
use crate::resolve;
use crate::state::Date;

pub fn rate(context: &Context, args: &RateArgs, out: &mut String) -> Result<()> {
    let rating = args.rating;
    let (number, name, before) = context.update(|state, guide| {
        let (index, section) = resolve::section(guide, &args.section)?;
        let before = state
            .exams
            .get(&guide.id)
            .and_then(|progress| progress.ratings.get(&section.id))
            .map(|rating| rating.get());
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
        Ok((index + 1, section.name.clone(), before))
    })?;
    let section = format!("Section {number} ({name})");
    match (rating.map(|rating| rating.get()), before) {
        (Some(rating), before) => {
            // A rating given again is not nothing: it is dated today.
            let was = match before {
                None => String::new(),
                Some(before) if before == rating => " again".to_string(),
                Some(before) => format!(" (was {before}/5)"),
            };
            writeln!(out, "{section} rated {rating}/5{was}: {}", meaning(rating))?
        }
        (None, Some(before)) => writeln!(out, "{section}: rating {before}/5 cleared")?,
        (None, None) => writeln!(out, "{section} was not rated; nothing to clear")?,
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
