//! Errors that are the user's to fix on the command line (exit code 2).

use std::fmt;

/// A usage error: unknown or ambiguous name, value out of range, no exam selected.
/// Everything else that fails is a run-time failure (exit code 1). A `hint` is
/// the line printed after the error that shows what to type instead.
#[derive(Debug)]
pub struct UsageError {
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UsageError {}

/// `usage!("...", args)` builds an [`anyhow::Error`] carrying a [`UsageError`].
macro_rules! usage {
    ($($arg:tt)*) => {
        anyhow::Error::new($crate::error::UsageError {
            message: format!($($arg)*),
            hint: None,
        })
    };
}
pub(crate) use usage;

/// A usage error whose second line, `hint`, shows what to type instead.
pub fn usage_with_hint(message: String, hint: String) -> anyhow::Error {
    anyhow::Error::new(UsageError {
        message,
        hint: Some(hint),
    })
}
