//! Text from files made safe to show: the characters that must not reach a
//! terminal as they are, their visible escapes, and long text cut to a length.
//! A leaf: it imports nothing of certprep's, so every layer may use it.

use std::borrow::Cow;
use std::fmt::{self, Display};

/// Whether `c` must not reach a terminal as it is: control characters (C0, DEL,
/// C1) start escape sequences, ring the bell or break lines; bidi controls and
/// line separators invisibly reorder or split what is shown.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
                | '\u{2028}' | '\u{2029}'
        )
}

/// `text` safe for a terminal: each [unsafe](is_unsafe) character written as a
/// visible escape (`\n`, `\t`, `\u{1b}`, `\u{202e}`), so a value from a file stays
/// on its line and shows what it holds. Borrowed when there is nothing to escape.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_except(text, |_| false)
}

/// [`escape`], leaving the characters `keep` accepts as they are.
pub fn escape_except(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' if !keep(c) => escaped.extend(c.escape_default()),
            _ if is_unsafe(c) && !keep(c) => escaped.extend(c.escape_unicode()),
            _ => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// A value from a file (an id, a path) as text output shows it: [`escape`]d.
pub struct Untrusted<T>(pub T);

impl<T: Display> Display for Untrusted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape(&self.0.to_string()))
    }
}

/// `text` cut after `max_chars` characters, with "…" where it was cut.
pub fn cut(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
        None => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_visibly() {
        assert_eq!(escape("plain café ✓"), "plain café ✓");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(
            escape("\u{1b}]0;PWNED\u{7}\u{1b}[2J"),
            "\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J"
        );
        assert_eq!(escape("a\nb\tc\rd"), "a\\nb\\tc\\rd");
        // DEL, a C1 control (CSI), the bidi override and isolates, the marks.
        assert_eq!(
            escape("\u{7f}\u{9b}\u{202e}\u{2066}\u{2069}\u{200e}\u{200f}\u{61c}\u{2028}"),
            "\\u{7f}\\u{9b}\\u{202e}\\u{2066}\\u{2069}\\u{200e}\\u{200f}\\u{61c}\\u{2028}"
        );
        // A backslash and quotes are text, not escapes.
        assert_eq!(escape("a\\b \"c\" 'd'"), "a\\b \"c\" 'd'");
        assert_eq!(
            Untrusted(std::path::Path::new("/tmp/x\u{1b}[2J").display()).to_string(),
            "/tmp/x\\u{1b}[2J"
        );
    }
}
