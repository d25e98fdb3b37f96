//! `validate FILE`: check a guide file by the same rules the loader applies.

use std::fmt::Write;
use std::path::Path;

use anyhow::Result;

use crate::guide;
use crate::text::Untrusted;

pub fn validate(file: &Path, out: &mut String) -> Result<()> {
    let guide = guide::load_file(file, guide::Texts::Escaped)?;
    writeln!(
        out,
        "{}: valid guide \"{}\" ({}): {} sections, {} checklist items, {} plan days",
        Untrusted(file.display()),
        guide.id,
        guide.name,
        guide.sections.len(),
        guide.checklist.len(),
        guide.plan_days()
    )?;
    Ok(())
}
