//! What certprep says on standard error: one escaped line a message. A leaf
//! beside `text`, so that the data layer (a lock's "waiting" notice, a history
//! that could not be written) reports the way the commands do.

use std::io::Write as _;

use crate::error::LaidOut;
use crate::text::escape_except;

/// What a message on standard error is.
#[derive(Debug, Clone, Copy)]
pub enum Level {
    /// What stopped a command: `certprep: error: …`.
    Error,
    /// Something wrong that did not stop the command, such as a history that could
    /// not be written: `certprep: warning: …`.
    Warning,
    /// Word of what certprep is doing, such as waiting for a lock.
    Notice,
    /// The line after an error that says what to do, such as the usage line.
    Hint,
}

/// Writes `certprep: error: …` or `certprep: warning: …` on standard error. Every
/// message goes through here (clippy's `print_stderr` lint, set in lib.rs, keeps it
/// so): messages quote paths, ids and text from files, so each is escaped whole,
/// newlines included, except a message [laid out](LaidOut) in lines (a guide's
/// list of problems), which escapes what it quotes itself.
pub fn report(level: Level, message: &anyhow::Error) {
    let prefix = match level {
        Level::Error => "certprep: error: ",
        Level::Warning => "certprep: warning: ",
        Level::Notice => "certprep: ",
        Level::Hint => "",
    };
    let text = format!("{message:#}");
    let lays_out_lines = message.chain().any(|cause| cause.is::<LaidOut>());
    let text = escape_except(&text, |c| lays_out_lines && c == '\n');
    // A failed write to standard error has nowhere left to be reported.
    let _ = writeln!(std::io::stderr().lock(), "{prefix}{text}");
}
