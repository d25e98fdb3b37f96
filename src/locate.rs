//! Where certprep's files are: which progress file a command uses, and why (the
//! one place that decides it), and where the learner's own guides are. It reads
//! the environment, once, for the commands, the prompt and shell completion alike.
//! The progress file, first match wins:
//! `--state PATH`; the `CERTPREP_STATE` variable; a `certprep.toml` in the current
//! folder or the nearest folder above that has one (see [`store::discover`]);
//! else `state.toml` in the user's data directory.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::error::usage;
use crate::store::discover::{self, Found};

/// Why the progress file is the one it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `--state PATH`.
    Flag,
    /// `CERTPREP_STATE`.
    Env,
    /// A `certprep.toml` found in `dir` (`.`, `..`, `../..`: from the current folder).
    Found { dir: PathBuf },
    /// Nothing named one and none was found: the data directory's.
    Default,
}

impl Source {
    /// The source's name in `where --json`.
    pub fn name(&self) -> &'static str {
        match self {
            Source::Flag => "flag",
            Source::Env => "env",
            Source::Found { .. } => "found",
            Source::Default => "default",
        }
    }
}

/// The progress file, why it is that one, and a found file that was passed over
/// because it is not the user's (a sentence for stderr; the prompt keeps quiet).
#[derive(Debug, Clone)]
pub struct Located {
    pub path: PathBuf,
    pub source: Source,
    pub passed_over: Option<String>,
}

/// The progress file for a command given `--state` as `flag`.
pub fn progress_file(flag: Option<&Path>) -> Result<Located> {
    let named = match flag {
        Some(path) => Some((path.to_path_buf(), Source::Flag)),
        None => env_value("CERTPREP_STATE").map(|path| (path.into(), Source::Env)),
    };
    if let Some((path, source)) = named {
        // `Path` would read "x/s.toml/" as "x/s.toml" and then put its lock in it.
        if std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).ends_with(b"/") {
            let shown = path.display().to_string();
            // "/" itself leaves nothing to suggest but a file in it.
            let file = match shown.trim_end_matches('/') {
                "" => "/state.toml",
                file => file,
            };
            return Err(usage!(
                "the state file {shown} ends in '/', which names a directory; give a file, such as {file}"
            ));
        }
        return Ok(Located {
            path,
            source,
            passed_over: None,
        });
    }
    let passed_over = match discover::find() {
        Found::File { path, dir } => {
            return Ok(Located {
                path,
                source: Source::Found { dir },
                passed_over: None,
            });
        }
        Found::NotOurs { why, .. } => Some(why),
        Found::Nothing => None,
    };
    let path = default_path()
        .context("cannot find the user data directory; pass --state PATH or set CERTPREP_STATE")?;
    Ok(Located {
        path,
        source: Source::Default,
        passed_over,
    })
}

/// The progress file when nothing names one and none is found.
fn default_path() -> Option<PathBuf> {
    Some(dirs::data_dir()?.join("certprep").join("state.toml"))
}

/// An environment variable that is set and not empty (an empty one, as left by
/// `export CERTPREP_TODAY=`, counts as unset).
pub fn env_value(name: &str) -> Option<std::ffi::OsString> {
    std::env::var_os(name).filter(|value| !value.is_empty())
}

/// Where the learner's own guides are: `CERTPREP_GUIDES`, else the config directory.
pub fn user_guides_dir() -> Option<PathBuf> {
    std::env::var_os("CERTPREP_GUIDES")
        .map(Into::into)
        .or_else(|| dirs::config_dir().map(|dir| dir.join("certprep").join("guides")))
}
