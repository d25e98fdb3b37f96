//! `validate FILE`: check a guide file by the same rules the loader applies.

use std::fmt::Write;
use std::path::Path;

use anyhow::Result;

use crate::guide;
use crate::render::plural;
use crate::text::Untrusted;

pub fn validate(file: &Path, out: &mut String) -> Result<()> {
    let guide = guide::load_file(file, guide::Texts::Escaped)?;
    let count = |count: usize, what: &str| format!("{count} {what}{}", plural(count));
    writeln!(
        out,
        "{}: valid guide \"{}\" ({}): {}, {}, {}",
        Untrusted(file.display()),
        guide.id,
        guide.name,
        count(guide.sections.len(), "section"),
        count(guide.checklist.len(), "checklist item"),
        count(guide.plan_days() as usize, "plan day")
    )?;
    Ok(())
}
