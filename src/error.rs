//! The error types every layer may return: a usage error (exit code 2), and a
//! message laid out in lines. A leaf: it imports only the leaf `text`.

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

/// The most characters of a command-line argument an error quotes.
pub const QUOTED_CHARS: usize = 40;

/// `text` as an error quotes what was typed: in double quotes, cut after
/// [`QUOTED_CHARS`] characters with "…", so that a 100 000-character argument
/// still makes a one-line message.
pub fn quoted(text: &str) -> String {
    format!("\"{}\"", crate::text::cut(text, QUOTED_CHARS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_cut_after_40_characters() {
        assert_eq!(quoted("nosuch"), "\"nosuch\"");
        assert_eq!(quoted(""), "\"\"");
        let forty = "é".repeat(40);
        assert_eq!(quoted(&forty), format!("\"{forty}\""));
        assert_eq!(quoted(&"é".repeat(100_000)), format!("\"{forty}…\""));
    }
}

/// A message laid out in lines, each already made safe to print (a guide's
/// problems, one a line): the reporter keeps its line breaks, where it escapes
/// every other message whole. The layer that lays a message out wraps it in this.
#[derive(Debug)]
pub struct LaidOut(pub String);

impl fmt::Display for LaidOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LaidOut {}
