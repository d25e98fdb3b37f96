//! One module per command group; this file holds the shared context and the
//! dispatch `match`.

mod checklist;
mod exam;
mod guide;
mod history;
mod next;
mod plan;
mod prompt;
mod rate;
mod report;
mod status;
mod validate;

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use chrono::NaiveDate;

use crate::cli::Command;
use crate::error::usage;
use crate::guide::{Catalog, Guide};
use crate::readiness;
use crate::render::Style;
use crate::resolve;
use crate::state::{self, State};

/// Everything a command needs from the outside world, resolved once in `main`, so
/// commands never read the clock or the environment themselves.
pub struct Context {
    pub state_path: PathBuf,
    pub today: NaiveDate,
    /// The raw `-e/--exam` value.
    pub exam: Option<String>,
    pub style: Style,
    pub catalog: Catalog,
}

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
            out.push_str(&completions(args.shell));
            Ok(())
        }
        Some(Command::Validate(args)) => validate::validate(&args.file, out),
        Some(Command::Report(args)) => report::report(context, &args, out),
    }
}

/// The completion script for `shell`, generated from the CLI definition.
fn completions(shell: clap_complete::Shell) -> String {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(
        shell,
        &mut crate::cli::Cli::command(),
        "certprep",
        &mut script,
    );
    String::from_utf8(script).expect("completion scripts are UTF-8")
}

impl Context {
    /// The progress file, read without locking; never creates it.
    pub fn load_state(&self) -> Result<State> {
        state::load(&self.state_path)
    }

    /// Every guide that loads; a broken user guide is reported on stderr and skipped.
    pub fn all_guides(&self) -> Vec<Guide> {
        let (guides, errors) = self.catalog.load_all();
        for error in errors {
            eprintln!("certprep: warning: skipping guide: {error:#}");
        }
        guides
    }

    /// The guide an exam name on the command line means: an exact id loads only
    /// that guide; an alias or prefix needs them all.
    pub fn find_exam(&self, name: &str) -> Result<Guide> {
        if let Some(guide) = self.catalog.load(name)? {
            return Ok(guide);
        }
        resolve::exam(&self.all_guides(), name).cloned()
    }

    /// The selected exam: `-e/--exam`, else the active one, else none.
    pub fn selected(&self, state: &State) -> Result<Option<Guide>> {
        if let Some(name) = &self.exam {
            return self.find_exam(name).map(Some);
        }
        let Some(active) = &state.active else {
            return Ok(None);
        };
        match self.catalog.load(active)? {
            Some(guide) => Ok(Some(guide)),
            None => Err(anyhow!(
                "the active exam \"{active}\" in {} has no guide; choose another with `certprep use EXAM`",
                self.state_path.display()
            )),
        }
    }

    /// The selected exam, or a usage error saying how to select one.
    pub fn require_selected(&self, state: &State) -> Result<Guide> {
        self.selected(state)?.ok_or_else(|| {
            let ids = self.catalog.ids();
            usage!(
                "no exam selected; start one with `certprep start EXAM` or pass `-e EXAM` (exams: {})",
                ids.join(", ")
            )
        })
    }

    /// Runs `change` on the selected exam under the state lock; writes only when
    /// it succeeds and changed something. Each change also records the day's readiness snapshot in the history, under
    /// the same lock; `reset` (which removes the exam's progress) forgets it.
    pub fn update<T>(&self, change: impl FnOnce(&mut State, &Guide) -> Result<T>) -> Result<T> {
        let (result, _) = state::update_with(
            &self.state_path,
            |state| {
                let guide = self.require_selected(state)?;
                let result = change(state, &guide)?;
                Ok((result, guide))
            },
            |state, (_, guide)| {
                let readiness = state
                    .exams
                    .get(&guide.id)
                    .map(|progress| readiness::assess(guide, progress).overall);
                crate::history::record(&self.history_path(), &guide.id, self.today, readiness)
            },
        )?;
        Ok(result)
    }

    pub fn history_path(&self) -> PathBuf {
        crate::history::path_for(&self.state_path)
    }
}
