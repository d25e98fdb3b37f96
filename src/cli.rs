//! The whole command-line surface: everything a user can type is in this file.

use std::ops::RangeInclusive;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::ArgValueCandidates;

use crate::resolve;
use crate::state::Rating;

pub mod complete;
mod prompt_args;
mod refused;
pub use refused::ParseFailure;

#[derive(Debug, Parser)]
#[command(
    name = "certprep",
    version,
    // Our own `help` subcommand, so that `certprep help --help` is help too.
    disable_help_subcommand = true,
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
    /// builds the same `Cli` without clap's cost ([`prompt_args`]); anything it does
    /// not accept, help and errors included, goes to clap.
    pub fn parse_args() -> Result<Cli, clap::Error> {
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        if let Some(cli) = prompt_args::parse(args.get(1..).unwrap_or_default(), |name| {
            std::env::var_os(name)
        }) {
            return Ok(cli);
        }
        Cli::try_parse_from(args)
    }
}

/// The heading of the options every command takes, so that a command's help
/// shows its own options apart from them.
const GLOBAL: &str = "Global options";

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Exam to act on: id, alias, label (ML-Pro), or a unique part of its id or
    /// word of its name [default: the active exam]
    // Its completer is attached only when completing (complete::completing_cli).
    #[arg(short = 'e', long = "exam", global = true, value_name = "EXAM", help_heading = GLOBAL)]
    pub exam: Option<String>,

    // `CERTPREP_STATE` and `CERTPREP_TODAY` are read in `crate::context`, not by
    // clap: clap would print a value from the environment in every usage line as
    // if it had been typed (`certprep tick --state <PATH> --today <YYYY-MM-DD>`).
    /// Progress file; CERTPREP_STATE when not given, else a certprep.toml here
    /// or in the nearest folder above [default: <data dir>/certprep/state.toml]
    #[arg(long = "state", global = true, value_name = "PATH", help_heading = GLOBAL)]
    pub state: Option<PathBuf>,

    /// The date to treat as today, for reproducible scripts and tests;
    /// CERTPREP_TODAY when not given
    #[arg(long = "today", global = true, value_name = "YYYY-MM-DD", value_parser = parse_date, help_heading = GLOBAL)]
    pub today: Option<NaiveDate>,

    /// When to use colour; auto means on a terminal, unless NO_COLOR is set
    #[arg(long = "color", global = true, value_enum, default_value_t = ColorChoice::Auto,
          value_name = "WHEN", help_heading = GLOBAL)]
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
    /// Mark checklist items done (number, id or part of it, or word of the text)
    Tick(ItemArgs),
    /// Mark checklist items not done
    Untick(ItemArgs),
    /// Self-rate a section from 1 (new to me) to 5 (exam-ready)
    Rate(RateArgs),
    /// Start an exam's plan: day 1 is today or --on DATE; makes it active
    Start(StartArgs),
    /// Make an exam the active one
    Use(UseArgs),
    /// Today's plan day
    Today(JsonArgs),
    /// What to study next: first where the exam is expected to cost you most
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
    /// Practice-exam sittings: record, list or remove [default: list]
    Practice(PracticeArgs),
    /// Expected score and pass chance if the exam were today
    Forecast(ForecastArgs),
    /// A coach's class report over learners' state files (read-only)
    Report(ReportArgs),
    /// Which progress file certprep uses here, and why
    Where(JsonArgs),
    /// Keep the progress in ./certprep.toml, merged by git across clones
    Init(InitArgs),
    /// Show or set the learner's name, which a coach's report shows
    Name(NameArgs),
    /// Merge two progress files that changed apart (git's merge driver)
    Merge(MergeArgs),
    /// Print this message or the help of the given command (`help practice add`)
    Help(HelpArgs),
}

impl Command {
    /// Whether the command prints one JSON document (`--json`) instead of text.
    pub fn prints_json(&self) -> bool {
        match self {
            Command::Status(args)
            | Command::Exams(args)
            | Command::Checklist(args)
            | Command::Today(args)
            | Command::History(args) => args.json,
            Command::Next(args) => args.json,
            Command::Why(args) => args.json,
            Command::Plan(args) => args.json,
            Command::Practice(args) => match &args.command {
                None => args.json,
                Some(PracticeCommand::List(list)) => list.json,
                Some(
                    PracticeCommand::Add(_) | PracticeCommand::Remove(_) | PracticeCommand::Help(_),
                ) => false,
            },
            Command::Forecast(args) => args.json,
            Command::Report(args) => args.json,
            Command::Where(args) => args.json,
            Command::Init(_) | Command::Name(_) | Command::Merge(_) => false,
            Command::Guide
            | Command::Tick(_)
            | Command::Untick(_)
            | Command::Rate(_)
            | Command::Start(_)
            | Command::Use(_)
            | Command::Done(_)
            | Command::Undone(_)
            | Command::Book(_)
            | Command::Prompt(_)
            | Command::Reset(_)
            | Command::Completions(_)
            | Command::Validate(_)
            | Command::Help(_) => false,
        }
    }
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
    /// How many actions to list, at least 1
    #[arg(short = 'n', long = "limit", value_name = "N", default_value_t = 5,
          value_parser = parse_limit)]
    pub limit: usize,

    /// Print one JSON document instead of text
    #[arg(long = "json")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct WhyArgs {
    /// Section: its number, id, or a unique part of its id or word of its name
    #[arg(value_name = "SECTION", add = ArgValueCandidates::new(complete::sections))]
    pub section: String,

    /// Print one JSON document instead of text
    #[arg(long = "json")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ItemArgs {
    /// Checklist items: number, range of numbers (1-3), id, or a unique part of
    /// an id or word of an item's text
    #[arg(required = true, value_name = "ITEM", add = ArgValueCandidates::new(complete::items))]
    pub items: Vec<String>,
}

// A rating or `--clear`, one of them: the rating is required unless `--clear`
// is given, so the arguments list it as `<RATING>`, and the usage, spelled out,
// says `<RATING|--clear>` (clap would leave `--clear` out).
#[derive(Debug, Args)]
#[command(override_usage = "certprep rate [OPTIONS] <SECTION> <RATING|--clear>")]
pub struct RateArgs {
    /// Section: its number, id, or a unique part of its id or word of its name
    #[arg(value_name = "SECTION", add = ArgValueCandidates::new(complete::sections))]
    pub section: String,

    /// 1 = new to me, 2 = heard of it, 3 = can do it with notes, 4 = can do it
    /// unaided, 5 = exam-ready
    #[arg(value_name = "RATING", value_parser = parse_rating, required = true,
          conflicts_with = "clear")]
    pub rating: Option<Rating>,

    /// Remove the section's rating
    #[arg(long = "clear")]
    pub clear: bool,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// Exam: id, alias, label (ML-Pro), or a unique part of its id or word of
    /// its name
    #[arg(value_name = "EXAM", add = ArgValueCandidates::new(complete::exams))]
    pub exam: String,

    /// Day 1 of the plan [default: today]
    #[arg(long = "on", value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct UseArgs {
    /// Exam: id, alias, label (ML-Pro), or a unique part of its id or word of
    /// its name
    #[arg(value_name = "EXAM", add = ArgValueCandidates::new(complete::exams))]
    pub exam: String,
}

#[derive(Debug, Args)]
pub struct DoneArgs {
    /// Plan day numbers or ranges (1-2) [default: today's plan day]
    #[arg(value_name = "DAY", value_parser = parse_days, add = ArgValueCandidates::new(complete::days_to_do))]
    pub days: Vec<RangeInclusive<u32>>,
}

#[derive(Debug, Args)]
pub struct UndoneArgs {
    /// Plan day numbers or ranges (1-2)
    #[arg(required = true, value_name = "DAY", value_parser = parse_days, add = ArgValueCandidates::new(complete::days_done))]
    pub days: Vec<RangeInclusive<u32>>,
}

// A date or `--clear`, one of them, as `rate` takes a rating or `--clear`.
#[derive(Debug, Args)]
#[command(override_usage = "certprep book [OPTIONS] <YYYY-MM-DD|--clear>")]
pub struct BookArgs {
    /// The exam's date, today or later
    #[arg(value_name = "YYYY-MM-DD", value_parser = parse_date, required = true,
          conflicts_with = "clear")]
    pub date: Option<NaiveDate>,

    /// Remove the booked date
    #[arg(long = "clear")]
    pub clear: bool,
}

#[derive(Debug, Args)]
pub struct PromptArgs {
    /// Placeholders: {exam} {short} {readiness} {day} {days} {ticked} {items}
    /// {days_left} {weakest} {pass}; {{ and }} are literal braces
    /// [default: "{short} {readiness}% d{day}/{days}", without " d…" outside the plan]
    #[arg(long = "format", value_name = "FMT")]
    pub format: Option<String>,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct PracticeArgs {
    #[command(subcommand)]
    pub command: Option<PracticeCommand>,

    /// Print one JSON document instead of text (for the list)
    #[arg(long = "json")]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum PracticeCommand {
    /// Record one sitting: the whole score (34/48), some sections' (2=5/9 …), or both
    Add(PracticeAddArgs),
    /// The sittings, numbered in date order
    List(JsonArgs),
    /// Remove sitting N (its number in the list)
    Remove(PracticeRemoveArgs),
    /// Print this message or the help of the given practice command
    Help(PracticeHelpArgs),
}

/// `practice help [COMMAND]`: `help practice [COMMAND]`, as git and cargo nest help.
#[derive(Debug, Args)]
pub struct PracticeHelpArgs {
    /// The practice command to explain [default: practice itself]
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

#[derive(Debug, Args)]
pub struct PracticeAddArgs {
    /// CORRECT/TOTAL for the whole test, or SECTION=CORRECT/TOTAL for one section
    /// (section: its number, id, or a unique part of its id or word of its name)
    #[arg(required = true, value_name = "SCORE")]
    pub scores: Vec<String>,

    /// The day of the sitting, not later than today [default: today]
    #[arg(long = "on", value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub on: Option<NaiveDate>,

    /// A note, such as which practice set it was
    #[arg(long = "note", value_name = "TEXT")]
    pub note: Option<String>,

    /// Record it even if a sitting with the same date, scores and note exists
    #[arg(long = "again")]
    pub again: bool,
}

#[derive(Debug, Args)]
pub struct PracticeRemoveArgs {
    /// The sitting's number in `certprep practice list`
    #[arg(value_name = "N", value_parser = parse_sitting_number)]
    pub number: usize,
}

#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// The score to reach, in percent of the questions, 1 to 100 [default: the
    /// guide's pass_percent, else 70]
    #[arg(long = "target", value_name = "P", value_parser = parse_target)]
    pub target: Option<u8>,

    /// Print one JSON document instead of text
    #[arg(long = "json")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// Confirm: the exam's ticked items, plan days done, ratings, practice
    /// sittings, start and booked dates, and its readiness history are erased
    #[arg(short = 'y', long = "yes")]
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

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Learners' state files (NAME.toml) and directories of them
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    // The report's own `-e`: clap copies the global one into every command
    // unless the command has its own, and the global one's "[default: the
    // active exam]" is not what it means here. Its value reaches the global
    // one too, so `certprep -e X report` and `certprep report -e X` agree.
    /// Only this exam (id, alias or unique id prefix), with a row for every
    /// learner, started or not [default: every exam a learner has progress for]
    #[arg(short = 'e', long = "exam", value_name = "EXAM",
          add = ArgValueCandidates::new(complete::exams))]
    pub exam: Option<String>,

    /// The order of the rows
    #[arg(long = "sort", value_enum, value_name = "ORDER", default_value_t = ReportOrder::Name)]
    pub sort: ReportOrder,

    /// The score to reach, in percent of the questions, 1 to 100 [default: each
    /// guide's pass_percent, else 70]
    #[arg(long = "target", value_name = "P", value_parser = parse_target)]
    pub target: Option<u8>,

    /// Print one JSON document instead of text
    #[arg(long = "json", conflicts_with_all = ["csv", "html"])]
    pub json: bool,

    /// Print CSV (RFC 4180), one row per learner and exam
    #[arg(long = "csv", conflicts_with = "html")]
    pub csv: bool,

    /// Write a self-contained HTML page to FILE
    #[arg(long = "html", value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// `report --sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportOrder {
    /// By learner name, case-insensitively
    Name,
    /// By pass chance, lowest first
    Risk,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The learner's name, which a coach's report shows
    #[arg(long = "name", value_name = "NAME", value_parser = parse_name)]
    pub name: Option<String>,

    /// Start with no progress instead of the progress of the file in use
    #[arg(long = "empty")]
    pub empty: bool,
}

// A name or `--clear`, or neither (show it).
#[derive(Debug, Args)]
pub struct NameArgs {
    /// The name to set [default: show the name]
    #[arg(value_name = "NAME", value_parser = parse_name, conflicts_with = "clear")]
    pub name: Option<String>,

    /// Remove the name
    #[arg(long = "clear")]
    pub clear: bool,
}

#[derive(Debug, Args)]
#[command(override_usage = "certprep merge [--history] [BASE] OURS THEIRS")]
pub struct MergeArgs {
    /// Merge history files (readiness snapshots) instead of progress files
    #[arg(long = "history")]
    pub history: bool,

    /// BASE OURS THEIRS as git gives a merge driver (%O %A %B), or OURS THEIRS
    /// without a base (a sync service's conflicted copy); the result replaces OURS
    #[arg(value_name = "FILE", num_args = 2..=3, required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct HelpArgs {
    /// The command to explain, and its subcommand (`help practice add`)
    /// [default: certprep itself]
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
}

// Value parsers: each error is a sentence saying what is expected; clap puts it
// after "invalid value 'X' for '<ARG>':".

fn parse_rating(text: &str) -> Result<Rating, String> {
    text.parse()
        .ok()
        .and_then(Rating::new)
        .ok_or_else(|| "a rating is a whole number from 1 to 5".to_string())
}

fn parse_target(text: &str) -> Result<u8, String> {
    text.parse()
        .ok()
        .filter(|target| (1..=100).contains(target))
        .ok_or_else(|| "the target is a whole percent from 1 to 100".to_string())
}

fn parse_limit(text: &str) -> Result<usize, String> {
    text.parse()
        .ok()
        .filter(|limit| *limit >= 1)
        .ok_or_else(|| "the limit is a whole number of actions, 1 or more".to_string())
}

fn parse_sitting_number(text: &str) -> Result<usize, String> {
    text.parse().map_err(|_| {
        "a sitting number is a whole number from 1, such as `practice remove 2`".to_string()
    })
}

fn parse_name(text: &str) -> Result<String, String> {
    let max = crate::state::MAX_NAME_CHARS;
    let chars = text.chars().count();
    if text.trim().is_empty() {
        Err("a name has at least one letter; `certprep name --clear` removes the name".into())
    } else if chars > max {
        Err(format!(
            "a name is at most {max} characters; this one has {chars}"
        ))
    } else if text.chars().any(char::is_control) {
        Err("a name is one line, without control characters".into())
    } else {
        Ok(text.to_string())
    }
}

fn parse_days(text: &str) -> Result<RangeInclusive<u32>, String> {
    resolve::numbers(text, "day")
}

/// A date argument: [`crate::state::Date::parse`], for clap.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    crate::state::Date::parse(text).map(|date| date.0)
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
        // The ends of the range certprep works with.
        assert!(parse_date("1970-01-01").is_ok());
        assert!(parse_date("9000-12-31").is_ok());
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "20261120",
            "2026-11-20x",
            "tomorrow",
            "0000-01-01",
            "1969-12-31",
            "9001-01-01",
            "9999-12-31",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }
}
