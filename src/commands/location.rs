//! `where`: which progress file certprep uses here, why, and whether it exists.

use std::fmt::Write;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use super::Context;
use crate::locate::Source;
use crate::render::{self, Style, View};
use crate::store::discover;
use crate::text::Untrusted;

/// The progress file in use; `source` is `flag`, `env`, `found` or `default`.
#[derive(Serialize)]
struct Where {
    path: String,
    source: &'static str,
    exists: bool,
    /// Why, as a phrase for the text.
    #[serde(skip)]
    why: String,
}

pub fn show(context: &Context, json: bool, out: &mut String) -> Result<()> {
    let why = match &context.state_source {
        Source::Flag => "from --state".to_string(),
        Source::Env => "from CERTPREP_STATE".to_string(),
        Source::Found { dir } if dir == Path::new(".") => {
            "found in the current directory".to_string()
        }
        Source::Found { dir } => format!("found in {}", Untrusted(dir.display())),
        Source::Default => {
            "the default: no --state, no CERTPREP_STATE, no certprep.toml here or above".to_string()
        }
    };
    let view = Where {
        path: context.state_path.display().to_string(),
        source: context.state_source.name(),
        exists: discover::exists(&context.state_path),
        why,
    };
    render::show(&view, json, context.style, out)
}

impl View for Where {
    fn write_text(&self, _style: Style, out: &mut String) -> std::fmt::Result {
        let exists = if self.exists {
            "it exists"
        } else {
            "it does not exist yet"
        };
        writeln!(out, "{} ({}; {exists})", Untrusted(&self.path), self.why)
    }
}
