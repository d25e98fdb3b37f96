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
    /// What to say about `error`, which clap returned for the command line
    /// `args` (without the program name). Shapes a newcomer types often get a
    /// hint with the command line they probably meant ([`Line::meant`]).
    pub fn of(error: &clap::Error, args: &[std::ffi::OsString]) -> ParseFailure {
        let mut failure = ParseFailure::from_clap(error);
        let line = Line::of(args);
        if let Some((sentence, hint)) = line.meant(error) {
            if let Some(sentence) = sentence {
                failure.sentence = sentence;
            }
            failure.hint = Some(hint);
        }
        failure
    }

    fn from_clap(error: &clap::Error) -> ParseFailure {
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
                // `rate` and `book`: the value, or `--clear` in its place.
                let or_clear = format!("{}|--clear>", invalid.trim_end_matches('>'));
                match usage
                    .as_deref()
                    .is_some_and(|usage| usage.contains(&or_clear))
                {
                    true => format!("{invalid} or --clear must be given"),
                    false => format!("{invalid} must be given"),
                }
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

/// The global options that take a value, which may come before the command.
const GLOBALS_WITH_VALUES: [&str; 5] = ["-e", "--exam", "--state", "--today", "--color"];

/// A command line as a newcomer typed it: the words before the command (global
/// options), the command, and the words after it.
struct Line {
    before: Vec<String>,
    command: Option<String>,
    after: Vec<String>,
}

impl Line {
    fn of(args: &[std::ffi::OsString]) -> Line {
        let words: Vec<String> = args
            .iter()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect();
        let mut index = 0;
        while let Some(word) = words.get(index) {
            if GLOBALS_WITH_VALUES.contains(&word.as_str()) {
                index += 2;
            } else if word.starts_with('-') {
                index += 1;
            } else {
                return Line {
                    before: words[..index].to_vec(),
                    command: Some(word.clone()),
                    after: words[index + 1..].to_vec(),
                };
            }
        }
        Line {
            before: words,
            command: None,
            after: Vec::new(),
        }
    }

    /// Whether `-e`/`--exam` is given before the command.
    fn names_an_exam(&self) -> bool {
        self.before
            .iter()
            .any(|word| word == "-e" || word == "--exam" || word.starts_with("--exam="))
    }

    /// For a shape newcomers type, the sentence to say instead of clap's (when
    /// clap's misleads) and the hint: "did you mean `certprep …`?".
    fn meant(&self, error: &clap::Error) -> Option<(Option<String>, String)> {
        use clap::error::{ContextKind, ErrorKind};
        let invalid = context_text(error, ContextKind::InvalidArg).unwrap_or_default();
        let command = self.command.as_deref();
        let did_you_mean = |words: Vec<&str>| {
            let shown: Vec<String> = words.iter().map(|word| shown_word(word)).collect();
            format!("did you mean `certprep {}`?", shown.join(" "))
        };
        let before: Vec<&str> = self.before.iter().map(String::as_str).collect();
        let after: Vec<&str> = self.after.iter().map(String::as_str).collect();
        match (error.kind(), command) {
            // `certprep --json`, `certprep -e associate --json`: status's flag.
            (ErrorKind::UnknownArgument, None) if invalid == "--json" => {
                let others: Vec<&str> = before.iter().copied().filter(|w| *w != "--json").collect();
                Some((
                    Some("--json is an option of a command, not of certprep itself".to_string()),
                    did_you_mean([others, vec!["status", "--json"]].concat()),
                ))
            }
            // `status pro`: an exam named where the command takes none.
            (ErrorKind::UnknownArgument, Some(command))
                if !invalid.starts_with('-')
                    && takes_exam_but_no_argument(command)
                    && !self.names_an_exam() =>
            {
                let rest: Vec<&str> = after.iter().copied().filter(|w| *w != invalid).collect();
                let words = [before, vec!["-e", &invalid, command], rest].concat();
                let sentence = format!(
                    "{command} takes no argument '{}': an exam is named with -e",
                    text::cut(&invalid, SHOWN_ARGUMENT_CHARS)
                );
                Some((Some(sentence), did_you_mean(words)))
            }
            // `practice 30/60`: a score without `add`.
            (ErrorKind::InvalidSubcommand, Some("practice")) => {
                let word = context_text(error, ContextKind::InvalidSubcommand).unwrap_or_default();
                let sentence = format!(
                    "'{}' is not a practice command; give add, list or remove",
                    text::cut(&word, SHOWN_ARGUMENT_CHARS)
                );
                let hint = if word.contains('/') {
                    did_you_mean([before, vec!["practice", "add"], after].concat())
                } else {
                    "`certprep help practice` lists them".to_string()
                };
                Some((Some(sentence), hint))
            }
            // `practice --json list`: the flag belongs after `list`.
            (_, Some("practice"))
                if after.first() == Some(&"--json") && after.get(1) == Some(&"list") =>
            {
                let rest = after[2..].to_vec();
                let words = [before, vec!["practice", "list", "--json"], rest].concat();
                Some((
                    Some("--json goes after the practice command it is for".to_string()),
                    did_you_mean(words),
                ))
            }
            // `done 1,2`: days are separate words.
            (ErrorKind::ValueValidation, Some(command @ ("done" | "undone")))
                if after.iter().any(|word| word.contains(',')) =>
            {
                let spaced = after.join(" ").replace(',', " ");
                let spaced: Vec<&str> = spaced.split_whitespace().collect();
                Some((None, did_you_mean([before, vec![command], spaced].concat())))
            }
            _ => None,
        }
    }
}

/// Whether `command` acts on the selected exam and takes no argument of its own,
/// so that a word after it is most likely the exam (`status pro`).
fn takes_exam_but_no_argument(command: &str) -> bool {
    use clap::CommandFactory;
    const NOT_ABOUT_ONE_EXAM: [&str; 3] = ["exams", "help", "completions"];
    if NOT_ABOUT_ONE_EXAM.contains(&command) {
        return false;
    }
    super::Cli::command()
        .find_subcommand(command)
        .is_some_and(|found| found.get_positionals().next().is_none() && !found.has_subcommands())
}

/// A word of a hint's command line: cut to a readable length, and quoted when
/// a shell would split it.
fn shown_word(word: &str) -> String {
    let word = text::cut(word, SHOWN_ARGUMENT_CHARS);
    if word.is_empty() || word.contains(|c: char| c.is_whitespace() || "'\"$`\\;&|<>*?".contains(c))
    {
        format!("'{}'", word.replace('\'', "'\\''"))
    } else {
        word.into_owned()
    }
}
