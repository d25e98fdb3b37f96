//! What every command gets from the outside world, resolved once in `main`, and
//! the ways a command reads or changes the progress of its exam.

use std::cell::OnceCell;
use std::path::PathBuf;

use anyhow::{Result, anyhow};
use chrono::NaiveDate;

use crate::error::usage;
use crate::guide::{Catalog, Guide};
use crate::message::{self, Level};
use crate::readiness;
use crate::render::Style;
use crate::resolve;
use crate::state::{self, Progress, State};
use crate::store;

/// Everything a command needs from the outside world, resolved once in `main`, so
/// commands never read the clock or the environment themselves.
pub struct Context {
    pub state_path: PathBuf,
    /// Why the progress file is `state_path` (see [`crate::locate`]).
    pub state_source: crate::locate::Source,
    pub today: NaiveDate,
    /// The raw `-e/--exam` value.
    pub exam: Option<String>,
    pub style: Style,
    pub catalog: Catalog,
    /// The file the command has saved its change in (the state, or a calendar),
    /// once it has: a confirmation that cannot be printed after it must say the
    /// change is saved, so that nobody makes it twice.
    pub saved: OnceCell<PathBuf>,
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
            message::report(Level::Warning, &error.context("skipping guide"));
        }
        guides
    }

    /// The guide an exam name on the command line means: an exact id (in any
    /// case; ids are lowercase) loads only that guide; an alias or prefix needs
    /// them all.
    pub fn find_exam(&self, name: &str) -> Result<Guide> {
        if let Some(guide) = self.catalog.load(&name.to_lowercase())? {
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

    /// The selected exam's guide as [`Catalog::load_outline`] builds it (ids,
    /// names, weights: all `status` and the prompt read) when the selection names a
    /// guide id, as the active exam does; otherwise as [`Context::selected`] finds it.
    pub fn selected_outline(&self, state: &State) -> Result<Option<Guide>> {
        let id = self.exam.as_deref().or(state.active.as_deref());
        if let Some(id) = id
            && let Some(outline) = self.catalog.load_outline(id)?
        {
            return Ok(Some(outline));
        }
        self.selected(state)
    }

    /// The selected exam, or a usage error saying how to select one.
    /// The selected exam's guide and its progress, read from the progress file:
    /// where a read-only command about one exam starts.
    pub fn selected_progress(&self) -> Result<(Guide, Progress)> {
        let state = self.load_state()?;
        let guide = self.require_selected(&state)?;
        let progress = state.progress(&guide.id);
        Ok((guide, progress))
    }

    /// The selected exam's guide: `-e EXAM`, else the active exam; a usage error
    /// that says how to choose one when there is neither.
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
    /// it succeeds and changed something. A change is study progress: it records
    /// the day's readiness snapshot of the exam in the history, or, when the exam
    /// has no progress left (`reset`), forgets its history.
    pub fn update<T>(&self, change: impl FnMut(&mut State, &Guide) -> Result<T>) -> Result<T> {
        self.update_with(store::MAX_FILE_BYTES, self.today, change)
    }

    /// [`Context::update`] on a state file of up to `read_limit` bytes (see
    /// [`state::update`]).
    pub fn update_reading<T>(
        &self,
        read_limit: u64,
        change: impl FnMut(&mut State, &Guide) -> Result<T>,
    ) -> Result<T> {
        self.update_with(read_limit, self.today, change)
    }

    /// [`Context::update`] for progress made on `day`, today or earlier (a
    /// practice sitting recorded after it was sat): the history counts it on
    /// that day.
    pub fn update_on<T>(
        &self,
        day: NaiveDate,
        change: impl FnMut(&mut State, &Guide) -> Result<T>,
    ) -> Result<T> {
        self.update_with(store::MAX_FILE_BYTES, day, change)
    }

    /// The one write path: `change` on the selected exam's state, read up to
    /// `read_limit` bytes, its readiness recorded in the history on `day`.
    fn update_with<T>(
        &self,
        read_limit: u64,
        day: NaiveDate,
        mut change: impl FnMut(&mut State, &Guide) -> Result<T>,
    ) -> Result<T> {
        use crate::history::Effect;
        self.update_state(read_limit, |state| {
            let guide = self.require_selected(state)?;
            let result = change(state, &guide)?;
            let exam = guide.id.clone();
            let effect = match state.exams.get(&guide.id) {
                Some(progress) => {
                    let readiness = readiness::assess(&guide, progress).overall;
                    if day < self.today {
                        Effect::Dated {
                            exam,
                            day,
                            readiness,
                        }
                    } else {
                        Effect::Snapshot {
                            exam,
                            day: self.today,
                            readiness,
                        }
                    }
                }
                None => Effect::Forget { exam },
            };
            Ok((result, effect))
        })
    }

    /// Runs `change` on the state ([`state::update`], reading up to `read_limit`
    /// bytes) and records in [`Context::saved`] when it saved the file.
    pub fn update_state<T>(
        &self,
        read_limit: u64,
        change: impl FnMut(&mut State) -> Result<(T, crate::history::Effect)>,
    ) -> Result<T> {
        let outcome = state::update(&self.state_path, read_limit, change)?;
        if outcome.saved {
            let _ = self.saved.set(self.state_path.clone());
        }
        Ok(outcome.value)
    }

    /// The history file, beside the state file (beside its target when it is a
    /// symbolic link, where writes put it).
    pub fn history_path(&self) -> Result<PathBuf> {
        let state_path = store::resolve(&self.state_path, "state file")?;
        Ok(crate::history::path_for(&state_path))
    }
}
