//! Errors that are the user's to fix on the command line (exit code 2).

use std::fmt;

/// A usage error: unknown or ambiguous name, value out of range, no exam selected.
/// Everything else that fails is a run-time failure (exit code 1).
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// `usage!("...", args)` builds an [`anyhow::Error`] carrying a [`UsageError`].
macro_rules! usage {
    ($($arg:tt)*) => {
        anyhow::Error::new($crate::error::UsageError(format!($($arg)*)))
    };
}
pub(crate) use usage;
