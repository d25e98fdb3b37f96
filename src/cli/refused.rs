//! A command line clap refused, said the way certprep says every error.

use crate::text;

/// What a command line that clap refused gets on stderr: one sentence saying
/// what was expected, and a hint (the usage line, or where the list is).
/// Everything taken from the arguments is cut to a readable length; the caller
/// escapes it, as every message is.
pub struct ParseFailure {
    pub sentence: String,
    pub hint: Option<String>,
}

/// The longest part of an argument a message repeats, in characters.
const SHOWN_ARGUMENT_CHARS: usize = 60;

impl ParseFailure {
    pub fn of(error: &clap::Error) -> ParseFailure {
        use clap::error::{ContextKind, ErrorKind};
        let text = |kind| context_text(error, kind);
        let shown =
            |kind| text(kind).map(|value| text::cut(&value, SHOWN_ARGUMENT_CHARS).into_owned());
        // The usage's first line: a command with subcommands has a second one.
        let usage = text(ContextKind::Usage)
            .and_then(|usage| Some(usage.trim().lines().next()?.to_string()));
        let invalid = shown(ContextKind::InvalidArg).unwrap_or_default();
        let suggestion = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg]
            .into_iter()
            .find_map(|kind| match error.get(kind) {
                Some(clap::error::ContextValue::String(one)) => Some(vec![one.clone()]),
                Some(clap::error::ContextValue::Strings(many)) => Some(many.clone()),
                _ => None,
            })
            .map_or(String::new(), |names| {
                let quoted: Vec<String> = names.iter().map(|name| format!("'{name}'")).collect();
                format!("; did you mean {}?", quoted.join(" or "))
            });
        let sentence = match error.kind() {
            ErrorKind::InvalidSubcommand => {
                let command = shown(ContextKind::InvalidSubcommand).unwrap_or_default();
                return ParseFailure {
                    sentence: format!("'{command}' is not a certprep command{suggestion}"),
                    hint: Some("`certprep help` lists the commands".into()),
                };
            }
            ErrorKind::UnknownArgument => {
                format!("'{invalid}' is not an option or argument here{suggestion}")
            }
            ErrorKind::InvalidValue => {
                let value = shown(ContextKind::InvalidValue).unwrap_or_default();
                match text(ContextKind::ValidValue) {
                    Some(valid) if !value.is_empty() && !valid.is_empty() => {
                        format!("'{value}' is not a value {invalid} takes; give one of: {valid}")
                    }
                    _ => format!("{invalid} needs a value"),
                }
            }
            ErrorKind::ValueValidation => {
                let value = shown(ContextKind::InvalidValue).unwrap_or_default();
                let why = std::error::Error::source(error)
                    .map_or(String::new(), |source| format!(": {source}"));
                format!("'{value}' is not valid for {invalid}{why}")
            }
            ErrorKind::MissingRequiredArgument => {
                format!("{invalid} must be given")
            }
            ErrorKind::MissingSubcommand => "a command must be given".into(),
            ErrorKind::ArgumentConflict if !invalid.is_empty() => {
                let prior = shown(ContextKind::PriorArg).unwrap_or_default();
                format!("{invalid} cannot be used with {prior}")
            }
            ErrorKind::InvalidUtf8 => "an argument is not valid UTF-8 text".into(),
            // The rarer kinds: clap's own first line, without its "error: ".
            _ => {
                let rendered = error.render().to_string();
                let rendered = text::cut(&rendered, 4 * SHOWN_ARGUMENT_CHARS);
                let first = rendered.lines().next().unwrap_or_default();
                let first = first.strip_prefix("error: ").unwrap_or(first);
                text::cut(first, 2 * SHOWN_ARGUMENT_CHARS).into_owned()
            }
        };
        ParseFailure {
            sentence,
            hint: usage,
        }
    }
}

/// A context value of a clap error as plain text (lists joined with ", ").
fn context_text(error: &clap::Error, kind: clap::error::ContextKind) -> Option<String> {
    use clap::error::ContextValue;
    Some(match error.get(kind)? {
        ContextValue::String(text) => text.clone(),
        ContextValue::Strings(texts) => texts.join(", "),
        ContextValue::StyledStr(text) => text.to_string(),
        ContextValue::StyledStrs(texts) => texts
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        ContextValue::Number(number) => number.to_string(),
        ContextValue::Bool(flag) => flag.to_string(),
        _ => return None,
    })
}
