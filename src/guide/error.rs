//! A broken guide's error: its problems, each with field and line, and how they
//! are shown (one clean line each, capped).

use std::fmt;

/// One thing wrong with a guide file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Where in the document, such as `checklist[2].sections`; empty for the whole file.
    pub field: String,
    /// 1-based line, where the parser knows it.
    pub line: Option<usize>,
    /// What is wrong and, where it helps, how to put it right.
    pub message: String,
}

/// A guide file that does not parse or breaks a validation rule.
#[derive(Debug)]
pub struct GuideError {
    /// Where the guide came from, such as its file's path; it starts every line.
    pub origin: String,
    pub problems: Vec<Problem>,
}

/// The most problems a [`GuideError`] prints, one a line; the rest are counted.
pub const SHOWN_PROBLEMS: usize = 20;

impl fmt::Display for GuideError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.problems.iter().take(SHOWN_PROBLEMS).enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write_clean(f, &self.origin)?;
            if let Some(line) = problem.line {
                write!(f, ":{line}")?;
            }
            if !problem.field.is_empty() {
                f.write_str(": ")?;
                write_clean(f, &problem.field)?;
            }
            f.write_str(": ")?;
            write_clean(f, &problem.message)?;
        }
        if let Some(more) = self
            .problems
            .len()
            .checked_sub(SHOWN_PROBLEMS)
            .filter(|&n| n > 0)
        {
            writeln!(f)?;
            write_clean(f, &self.origin)?;
            let s = if more == 1 { "" } else { "s" };
            write!(f, ": and {more} more problem{s} (fix these first)")?;
        }
        Ok(())
    }
}

impl std::error::Error for GuideError {}

/// The longest piece of a problem line [`write_clean`] prints, in characters: a
/// message can quote a whole scalar of the file.
pub const SHOWN_CHARS: usize = 300;

/// Writes text from a guide file on one line and safe for a terminal: control
/// characters (a newline, an escape sequence) escaped, cut after [`SHOWN_CHARS`]
/// characters.
fn write_clean(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    for (index, c) in text.chars().enumerate() {
        if index == SHOWN_CHARS {
            return f.write_str("…");
        }
        if c.is_control() {
            write!(f, "{}", c.escape_default())?;
        } else {
            write!(f, "{c}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_display_is_one_clean_line_per_problem_and_capped() {
        let problem = |message: &str| Problem {
            field: "checklist[0].id".into(),
            line: Some(3),
            message: message.into(),
        };
        let error = GuideError {
            origin: "x.yaml".into(),
            problems: vec![problem("a\nb \u{1b}[31mred"), problem(&"y".repeat(1000))],
        };
        let shown = error.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), 2, "{shown}");
        assert_eq!(lines[0], "x.yaml:3: checklist[0].id: a\\nb \\u{1b}[31mred");
        assert!(lines[1].ends_with(&format!("{}…", "y".repeat(SHOWN_CHARS))));

        let error = GuideError {
            origin: "x.yaml".into(),
            problems: vec![problem("bad"); 25],
        };
        let shown = error.to_string();
        assert_eq!(shown.lines().count(), SHOWN_PROBLEMS + 1, "{shown}");
        assert!(shown.ends_with("x.yaml: and 5 more problems (fix these first)"));
    }
}
