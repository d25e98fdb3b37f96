//! The whole command-line surface: everything a user can type is in this file.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

mod quick;

#[derive(Debug, Parser)]
#[command(
    name = "certprep",
    version,
    about = "Study tracker for the Databricks Machine Learning certifications",
    long_about = "Study tracker for the Databricks Machine Learning Associate and Professional \
                  certifications: weighted readiness per exam section, today's plan day, and a \
                  shell-prompt segment. With no command, runs `status`."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// Parses the process's arguments. The prompt runs on every shell prompt, so
    /// its command lines (and `status`'s) first go to a hand-written parser that
    /// builds the same `Cli` without clap's cost ([`quick`]); anything it does
    /// not accept, help and errors included, goes to clap.
    pub fn parse_args() -> Result<Cli, clap::Error> {
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        if let Some(cli) = quick::parse(args.get(1..).unwrap_or_default(), |name| {
            std::env::var_os(name)
        }) {
            return Ok(cli);
        }
        Cli::try_parse_from(args)
    }
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Exam to act on: id, alias or unique id prefix [default: the active exam]
    #[arg(short = 'e', long = "exam", global = true, value_name = "EXAM")]
    pub exam: Option<String>,

    /// Progress file [default: <data dir>/certprep/state.toml]
    #[arg(
        long = "state",
        global = true,
        env = "CERTPREP_STATE",
        value_name = "PATH"
    )]
    pub state: Option<PathBuf>,

    /// The date to treat as today, for reproducible scripts and tests
    #[arg(long = "today", global = true, env = "CERTPREP_TODAY", value_name = "YYYY-MM-DD",
          value_parser = parse_date)]
    pub today: Option<NaiveDate>,

    /// When to use colour; auto means on a terminal, unless NO_COLOR is set
    #[arg(long = "color", global = true, value_enum, default_value_t = ColorChoice::Auto,
          value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Weighted readiness of the selected exam, section by section
    Status(JsonArgs),
    /// Every exam guide, with its readiness
    Exams(JsonArgs),
    /// The selected exam's study guide
    Guide,
    /// The skills checklist with done marks
    Checklist(JsonArgs),
    /// Mark checklist items done (id, id prefix or number)
    Tick(ItemArgs),
    /// Mark checklist items not done
    Untick(ItemArgs),
    /// Self-rate a section: 1 = new to me … 5 = exam-ready
    Rate(RateArgs),
    /// Start an exam's plan: day 1 is today or --on DATE; makes it active
    Start(StartArgs),
    /// Make an exam the active one
    Use(UseArgs),
    /// Today's plan day
    Today(JsonArgs),
    /// What to study next: the actions that raise weighted readiness most
    Next(NextArgs),
    /// How a section's readiness is made, component by component
    Why(WhyArgs),
    /// Readiness over time, and the study streak
    History(JsonArgs),
    /// The whole study plan with done marks, or as a calendar file
    Plan(PlanArgs),
    /// Mark plan days done [default: today's day]
    Done(DoneArgs),
    /// Mark plan days not done
    Undone(UndoneArgs),
    /// Record the date the exam is booked for
    Book(BookArgs),
    /// One short line for a shell prompt, such as "ML-Assoc 42% d3/7"
    Prompt(PromptArgs),
    /// Erase the selected exam's progress
    Reset(ResetArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Check a guide file against the guide schema
    Validate(ValidateArgs),
}

#[derive(Debug, Args)]
pub struct JsonArgs {
    /// Print one JSON document instead of text
    #[arg(long = "json")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Print one JSON document instead of text
    #[arg(long = "json", conflicts_with = "ics")]
    pub json: bool,

    /// Write the plan as an iCalendar file (one all-day event per day) to FILE,
    /// or to standard output without one
    #[arg(long = "ics", value_name = "FILE", num_args = 0..=1)]
    pub ics: Option<Option<PathBuf>>,
}

#[derive(Debug, Args)]
pub struct NextArgs {
    /// How many actions to list
    #[arg(long = "limit", value_name = "N", default_value_t = 5)]
    pub limit: usize,

    /// Print one JSON document instead of text
    #[arg(long = "json")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct WhyArgs {
    /// Section: 1-based number, id, or unique id prefix
    #[arg(value_name = "SECTION")]
    pub section: String,

    /// Print one JSON document instead of text
    #[arg(long = "json")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ItemArgs {
    /// Checklist items: id, unique id prefix, or 1-based number
    #[arg(required = true, value_name = "ITEM")]
    pub items: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RateArgs {
    /// Section: 1-based number, id, or unique id prefix
    #[arg(value_name = "SECTION")]
    pub section: String,

    /// 1 = new to me, 5 = exam-ready
    #[arg(value_name = "RATING", value_parser = clap::value_parser!(u8).range(1..=5),
          required_unless_present = "clear", conflicts_with = "clear")]
    pub rating: Option<u8>,

    /// Remove the section's rating
    #[arg(long = "clear")]
    pub clear: bool,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// Exam: id, alias or unique id prefix
    #[arg(value_name = "EXAM")]
    pub exam: String,

    /// Day 1 of the plan [default: today]
    #[arg(long = "on", value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct UseArgs {
    /// Exam: id, alias or unique id prefix
    #[arg(value_name = "EXAM")]
    pub exam: String,
}

#[derive(Debug, Args)]
pub struct DoneArgs {
    /// Plan day numbers [default: today's plan day]
    #[arg(value_name = "DAY")]
    pub days: Vec<u32>,
}

#[derive(Debug, Args)]
pub struct UndoneArgs {
    /// Plan day numbers
    #[arg(required = true, value_name = "DAY")]
    pub days: Vec<u32>,
}

#[derive(Debug, Args)]
pub struct BookArgs {
    /// Exam date
    #[arg(value_name = "YYYY-MM-DD", value_parser = parse_date,
          required_unless_present = "clear", conflicts_with = "clear")]
    pub date: Option<NaiveDate>,

    /// Remove the booked date
    #[arg(long = "clear")]
    pub clear: bool,
}

#[derive(Debug, Args)]
pub struct PromptArgs {
    /// Placeholders: {exam} {short} {readiness} {day} {days} {ticked} {items}
    /// {days_left} {weakest}; {{ and }} are literal braces
    /// [default: "{short} {readiness}% d{day}/{days}", without " d…" outside the plan]
    #[arg(long = "format", value_name = "FMT")]
    pub format: Option<String>,
}

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// Confirm: the exam's ticks, days, ratings and dates are erased
    #[arg(long = "yes")]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Guide file (YAML) to check
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Parses a calendar date, rejecting impossible ones such as 2026-02-30.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    // chrono alone would also take "2026-1-5" or "+2026-11-20"; insist on the form.
    let well_formed = text.len() == 10
        && text.bytes().enumerate().all(|(index, byte)| match index {
            4 | 7 => byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    well_formed
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| format!("'{text}' is not a date; use YYYY-MM-DD, e.g. 2026-11-20"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn dates() {
        assert!(parse_date("2026-11-20").is_ok());
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "20261120",
            "2026-11-20x",
            "tomorrow",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }
}
