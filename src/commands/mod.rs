//! One module per command group; this file is only the dispatch `match`. Each
//! command builds a view (a plain value, see [`crate::render::View`]) and shows it
//! as text or JSON; [`Context`] is what every command gets from the outside world.

mod checklist;
mod context;
mod exam;
// The class report forecasts each learner exactly as `certprep forecast` does.
mod forecast;
mod guide;
mod help;
mod history;
mod init;
mod location;
mod merge;
mod name;
mod next;
mod pace;
mod plan;
mod practice;
mod prompt;
mod rate;
mod report;
mod status;
mod validate;

use anyhow::Result;

pub use context::Context;

use crate::cli::Command;

/// Runs one command, appending its standard output to `out`.
pub fn run(command: Option<Command>, context: &Context, out: &mut String) -> Result<()> {
    match command {
        None => status::status(context, false, out),
        Some(Command::Status(args)) => status::status(context, args.json, out),
        Some(Command::Exams(args)) => status::exams(context, args.json, out),
        Some(Command::Guide) => guide::guide(context, out),
        Some(Command::Checklist(args)) => checklist::checklist(context, args.json, out),
        Some(Command::Tick(args)) => checklist::tick(context, &args.items, true, out),
        Some(Command::Untick(args)) => checklist::tick(context, &args.items, false, out),
        Some(Command::Rate(args)) => rate::rate(context, &args, out),
        Some(Command::Start(args)) => exam::start(context, &args, out),
        Some(Command::Use(args)) => exam::use_exam(context, &args.exam, out),
        Some(Command::Today(args)) => plan::today(context, args.json, out),
        Some(Command::Next(args)) => next::next(context, args.limit, args.json, out),
        Some(Command::Why(args)) => next::why(context, &args.section, args.json, out),
        Some(Command::History(args)) => history::history(context, args.json, out),
        Some(Command::Plan(args)) => match args.ics {
            Some(file) => plan::ics(context, file.as_deref(), out),
            None => plan::plan(context, args.json, out),
        },
        Some(Command::Done(args)) => plan::mark(context, &args.days, true, out),
        Some(Command::Undone(args)) => plan::mark(context, &args.days, false, out),
        Some(Command::Book(args)) => exam::book(context, args.date, out),
        Some(Command::Prompt(args)) => prompt::prompt(context, args.format.as_deref(), out),
        Some(Command::Reset(args)) => exam::reset(context, args.yes, out),
        Some(Command::Completions(args)) => {
            out.push_str(&crate::cli::complete::script(args.shell));
            Ok(())
        }
        Some(Command::Validate(args)) => validate::validate(&args.file, out),
        Some(Command::Practice(args)) => practice::practice(context, args, out),
        Some(Command::Forecast(args)) => forecast::forecast(context, &args, out),
        Some(Command::Help(args)) => help::help(&args.command, context, out),
        Some(Command::Report(args)) => report::report(context, &args, out),
        Some(Command::Where(args)) => location::show(context, args.json, out),
        Some(Command::Init(args)) => init::init(context, &args, out),
        Some(Command::Name(args)) => name::name(context, &args, out),
        Some(Command::Merge(args)) => merge::merge(&args, out),
    }
}
