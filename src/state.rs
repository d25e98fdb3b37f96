//! The learner's progress file: its model, and its load and update through
//! [`crate::store`], which holds the rules of reading, locking and writing it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Result;

use serde::{Deserialize, Deserializer, Serialize};

mod layout_reader;

pub use crate::dates::Date;
use crate::history;
use crate::store::{self, VERSION, Version};

/// The longest learner's name `init --name` and `name` take, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// The whole progress file: its version, the active exam, the learner's name
/// and each exam's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    pub version: Version,
    /// The learner's name, shown for this file in a coach's class report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub exams: BTreeMap<String, Progress>,
}

impl Default for State {
    fn default() -> Self {
        State {
            version: Version(VERSION),
            name: None,
            active: None,
            exams: BTreeMap::new(),
        }
    }
}

impl State {
    /// The progress for `exam`, or empty progress when none is recorded.
    pub fn progress(&self, exam: &str) -> Progress {
        self.exams.get(exam).cloned().unwrap_or_default()
    }

    /// The progress for `exam`, created if missing. Recording progress for an exam
    /// while none is active makes it active (README: Naming things).
    pub fn progress_mut(&mut self, exam: &str) -> &mut Progress {
        if self.active.is_none() {
            self.active = Some(exam.to_string());
        }
        self.exams.entry(exam.to_string()).or_default()
    }
}

/// Progress on one exam, keyed by the guide's stable ids. Ids the guide does not
/// know are kept as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked: Option<Date>,
    #[serde(default)]
    pub ticked: BTreeSet<String>,
    #[serde(default)]
    pub days_done: BTreeSet<u32>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ratings: BTreeMap<String, Rating>,
    /// When each rating was given, so an old one can be flagged as stale.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rated: BTreeMap<String, Date>,
    /// Practice-exam sittings (README: Practice tests and the forecast), in date order; sittings on the
    /// same day in the order they were added. Written by [`serialize`], which
    /// keeps each sitting one block.
    #[serde(default, skip_serializing, deserialize_with = "sittings_by_date")]
    pub practice: Vec<Sitting>,
}

impl Sitting {
    /// The longest note `practice add` records, in characters: a note says which
    /// practice set it was. Notes of any length were recorded once, and six of
    /// 131 000 characters grew a state past what certprep reads
    /// ([`store::MAX_FILE_BYTES`]); such a sitting is still read.
    pub const MAX_NOTE_CHARS: usize = 500;
}

impl Progress {
    /// Records `sitting` after every sitting on or before its day, keeping
    /// [`Progress::practice`] in date order; returns its 1-based number.
    pub fn add_sitting(&mut self, sitting: Sitting) -> usize {
        let index = self
            .practice
            .partition_point(|earlier| earlier.on <= sitting.on);
        self.practice.insert(index, sitting);
        index + 1
    }
}

/// One practice-exam sitting: the whole score and, when given, each section's.
/// A sitting that no valid `practice add` could record is refused on load, with
/// the file and line, rather than fed to the forecast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawSitting")]
pub struct Sitting {
    pub on: Date,
    pub correct: u32,
    pub questions: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Section id → (correct, total), sorted by id; ids the guide does not know
    /// are kept.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub sections: BTreeMap<String, (u32, u32)>,
}

/// A sitting as the file holds it, before its scores are checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSitting {
    on: Date,
    correct: u32,
    questions: u32,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    sections: BTreeMap<String, (u32, u32)>,
}

impl TryFrom<RawSitting> for Sitting {
    type Error = String;

    fn try_from(raw: RawSitting) -> Result<Sitting, String> {
        let max = crate::guide::MAX_QUESTIONS;
        let check = |what: &str, correct: u32, total: u32| {
            if total == 0 || total > max {
                Err(format!(
                    "{what} has {total} questions; a score is out of 1 to {max}"
                ))
            } else if correct > total {
                Err(format!(
                    "{what} has {correct} correct answers out of {total}; correct may not exceed the questions"
                ))
            } else {
                Ok(())
            }
        };
        check("the practice sitting", raw.correct, raw.questions)?;
        for (id, &(correct, total)) in &raw.sections {
            check(&format!("section \"{id}\""), correct, total)?;
        }
        Ok(Sitting {
            on: raw.on,
            correct: raw.correct,
            questions: raw.questions,
            note: raw.note,
            sections: raw.sections,
        })
    }
}

/// Reads the sittings and puts them in date order, a stable sort: a file edited
/// by hand numbers its sittings as `practice add` would have.
fn sittings_by_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Sitting>, D::Error> {
    let mut sittings = Vec::<Sitting>::deserialize(deserializer)?;
    sittings.sort_by_key(|sitting| sitting.on);
    Ok(sittings)
}

/// A self-rating, 1 (new to me) ..= 5 (exam-ready).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Rating(u8);

impl Rating {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 5;

    pub fn new(value: u8) -> Option<Rating> {
        (Self::MIN..=Self::MAX)
            .contains(&value)
            .then_some(Rating(value))
    }

    /// The rating, 1 to 5.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Rating {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = i64::deserialize(deserializer)?;
        u8::try_from(value)
            .ok()
            .and_then(Rating::new)
            .ok_or_else(|| serde::de::Error::custom(format!("rating {value} is not within 1..=5")))
    }
}

impl store::Document for State {
    const MAKE_ROOM: &'static str = "to make room, remove practice tests with `certprep practice remove N`, those with the longest notes first";

    fn to_text(&self) -> String {
        serialize(self)
    }
}

/// The canonical bytes of a state: sorted, no duplicates, so the same progress
/// always writes the same file.
///
/// Each exam's tables come from the toml crate, followed by its practice sittings,
/// one `[[exams.X.practice]]` block each with its section scores as one inline
/// table: the crate itself would write them as a `[exams.X.practice.sections]`
/// table under every sitting, and has no switch for inline tables.
pub fn serialize(state: &State) -> String {
    let head = State {
        version: state.version,
        name: state.name.clone(),
        active: state.active.clone(),
        exams: BTreeMap::new(),
    };
    let mut text = toml_text(&head);
    for (exam, progress) in &state.exams {
        text.push('\n');
        text += &toml_text(&Exams::one(exam, progress));
        for sitting in &progress.practice {
            text.push('\n');
            text += &toml_text(&Exams::one(exam, SittingBlock::of(sitting)));
            if !sitting.sections.is_empty() {
                text += "sections = ";
                sitting
                    .sections
                    .serialize(toml::ser::ValueSerializer::new(&mut text))
                    .expect("section scores serialize to a TOML inline table");
                text.push('\n');
            }
        }
    }
    text
}

fn toml_text(value: &impl Serialize) -> String {
    toml::to_string(value).expect("the state model always serializes to TOML")
}

/// `exams.X = value`, for writing one exam's part of the file.
#[derive(Serialize)]
struct Exams<'a, T> {
    exams: BTreeMap<&'a str, T>,
}

impl<'a, T> Exams<'a, T> {
    fn one(exam: &'a str, value: T) -> Self {
        Exams {
            exams: BTreeMap::from([(exam, value)]),
        }
    }
}

/// One `[[exams.X.practice]]` block without its section scores.
#[derive(Serialize)]
struct SittingBlock<'a> {
    practice: [SittingFields<'a>; 1],
}

#[derive(Serialize)]
struct SittingFields<'a> {
    on: Date,
    correct: u32,
    questions: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: &'a Option<String>,
}

impl<'a> SittingBlock<'a> {
    fn of(sitting: &'a Sitting) -> Self {
        SittingBlock {
            practice: [SittingFields {
                on: sitting.on,
                correct: sitting.correct,
                questions: sitting.questions,
                note: &sitting.note,
            }],
        }
    }
}

/// Parses state text; errors name `path` and the line.
pub fn parse(text: &str, path: &Path) -> Result<State> {
    store::parse_toml(text, path, "state file")
}

/// Reads the state at `path`; a missing file is empty progress. Never writes.
/// A file in certprep's own layout is read without the toml parser ([`layout_reader`]).
pub fn load(path: &Path) -> Result<State> {
    match store::read_toml_with(
        path,
        "state file",
        store::Links::FollowOwn,
        layout_reader::parse,
    ) {
        Ok(snapshot) => Ok(snapshot.value),
        Err(error) => Err(way_back_under(error, path)),
    }
}

/// How large a state `practice remove` still reads, past [`store::MAX_FILE_BYTES`]:
/// older certprep versions took notes of any length, and a state grown past the
/// limit by a long note can be brought back under it by removing that sitting.
/// What the removal writes must be within the limit.
pub const REMOVAL_READ_BYTES: u64 = 64 << 20;

/// The store's refusal of a state larger than it reads, when `practice remove`
/// can still read it, as the sentence that says how to get back under the limit.
fn way_back_under(error: anyhow::Error, path: &Path) -> anyhow::Error {
    let size = error.chain().find_map(|cause| {
        match cause
            .downcast_ref::<std::io::Error>()
            .and_then(store::Refusal::of)
        {
            Some(store::Refusal::TooLarge { size, .. }) => Some(*size),
            _ => None,
        }
    });
    match size {
        Some(size) if size <= REMOVAL_READ_BYTES => anyhow::anyhow!(
            "the state file {} is {size} bytes, more than the {} MiB certprep's files may have (an older certprep let it grow so large); get it back under with `certprep practice remove N`, which still reads it and removes practice test N (1 is the oldest) with its note, starting with the tests with the longest notes",
            path.display(),
            store::MAX_FILE_BYTES >> 20
        ),
        _ => error,
    }
}

/// What [`update`] did: the change's value, and whether it saved the state file
/// (a change that changes nothing writes nothing).
pub struct Outcome<T> {
    pub value: T,
    pub saved: bool,
}

/// Runs `change` on the state under the lock and saves the result atomically when
/// it differs from what was read; when `change` fails nothing is written.
///
/// `change` returns, beside its value, what the change means for the history
/// (study progress is recorded there; choosing or dating an exam is not). The
/// state is the record and is committed first; the history follows it. A history
/// that cannot be read stops the change before anything is written (certprep
/// never overwrites a file it cannot read); one that cannot be written after the
/// state is committed is a warning on stderr, not a lost change.
///
/// The file read may have up to `read_limit` bytes: [`store::MAX_FILE_BYTES`], or
/// [`REMOVAL_READ_BYTES`] for the change that is the way back under it; what is
/// written must be within the limit all the same.
pub fn update<T>(
    path: &Path,
    read_limit: u64,
    mut change: impl FnMut(&mut State) -> Result<(T, history::Effect)>,
) -> Result<Outcome<T>> {
    let path = store::resolve(path, "state file")?;
    let history_path = history::path_for(&path);
    let mut history_text = None;
    // The history is read once the state is: a refusal after that is the history's.
    let mut state_read = false;
    let updated = store::update(
        &path,
        "state file",
        read_limit,
        &mut change,
        |_, (_, effect)| {
            state_read = true;
            history_text = history::prepare(&history_path, effect)?;
            Ok(())
        },
    )
    .map_err(|error| match state_read {
        true => error,
        false => way_back_under(error, &path),
    })?;
    let (value, _) = updated.value;
    let saved = updated.lock.is_some();
    if let (Some(_lock), Some(text)) = (&updated.lock, history_text) {
        let new = store::NewFile {
            mode: store::PRIVATE,
            belongs_with: &path,
        };
        if let Err(error) = store::write_companion(&history_path, text.as_bytes(), &new) {
            let error = error.context(format!(
                "the change is saved in {}, but the history was not updated",
                path.display()
            ));
            crate::message::report(crate::message::Level::Warning, &error);
        }
    }
    Ok(Outcome { value, saved })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date(chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
    }

    #[test]
    fn serializes_dates_natively_and_sorted() {
        let mut state = State {
            active: Some("associate".into()),
            ..State::default()
        };
        let progress = state.progress_mut("associate");
        progress.started = Some(date("2026-11-20"));
        progress
            .ticked
            .extend(["mlflow-tracking".into(), "automl".into()]);
        progress.days_done.extend([2, 1]);
        progress
            .ratings
            .insert("model-development".into(), Rating(2));
        progress.ratings.insert("databricks-ml".into(), Rating(3));
        let expected = "version = 1\nactive = \"associate\"\n\n[exams.associate]\nstarted = 2026-11-20\nticked = [\"automl\", \"mlflow-tracking\"]\ndays_done = [1, 2]\n\n[exams.associate.ratings]\ndatabricks-ml = 3\nmodel-development = 2\n";
        assert_eq!(serialize(&state), expected);
        assert_eq!(parse(expected, Path::new("s.toml")).unwrap(), state);
    }

    fn sitting(on: &str, correct: u32, questions: u32) -> Sitting {
        Sitting {
            on: date(on),
            correct,
            questions,
            note: None,
            sections: BTreeMap::new(),
        }
    }

    #[test]
    fn practice_sittings_are_array_tables_in_date_order() {
        let mut state = State::default();
        let progress = state.progress_mut("associate");
        // Added out of date order; the two on 2026-11-25 keep the order they were
        // added in.
        assert_eq!(progress.add_sitting(sitting("2026-11-25", 30, 48)), 1);
        let mut sectioned = sitting("2026-11-25", 34, 48);
        sectioned.note = Some("official \"practice\" exam".into());
        sectioned.sections = [
            ("model-development", (10, 15)),
            ("databricks-ml", (14, 18)),
            ("renamed-section", (3, 6)),
            ("ml-workflows", (7, 9)),
        ]
        .into_iter()
        .map(|(id, score)| (id.to_string(), score))
        .collect();
        assert_eq!(progress.add_sitting(sectioned), 2);
        assert_eq!(progress.add_sitting(sitting("2026-11-21", 20, 48)), 1);
        let expected = "version = 1
active = \"associate\"

[exams.associate]
ticked = []
days_done = []

[[exams.associate.practice]]
on = 2026-11-21
correct = 20
questions = 48

[[exams.associate.practice]]
on = 2026-11-25
correct = 30
questions = 48

[[exams.associate.practice]]
on = 2026-11-25
correct = 34
questions = 48
note = 'official \"practice\" exam'
sections = { databricks-ml = [14, 18], ml-workflows = [7, 9], model-development = [10, 15], renamed-section = [3, 6] }
";
        assert_eq!(serialize(&state), expected);
        assert_eq!(parse(expected, Path::new("s.toml")).unwrap(), state);
    }

    #[test]
    fn sittings_stay_under_their_exam_with_any_ids_and_notes() {
        let mut state = State::default();
        for exam in ["b", "a.\"x\"]"] {
            let mut odd = sitting("2026-11-25", 1, 2);
            odd.note = Some("line\n[exams.b.practice.sections]\n'''\"\"\"".into());
            odd.sections.insert("w eird.\"id\"=[".into(), (1, 2));
            let progress = state.progress_mut(exam);
            progress.add_sitting(odd);
            progress.ratings.insert("s".into(), Rating(2));
        }
        let text = serialize(&state);
        assert_eq!(parse(&text, Path::new("s.toml")).unwrap(), state, "{text}");
        // Each exam's sitting follows its own tables, before the next exam's. (The
        // note, written as a multi-line string, holds a header-like line of its own.)
        let at = |needle: &str| {
            text.find(needle)
                .unwrap_or_else(|| panic!("{needle}: {text}"))
        };
        assert!(at("[exams.'a.\"x\"]'.ratings]") < at("[[exams.'a.\"x\"]'.practice]]"));
        assert!(at("[[exams.'a.\"x\"]'.practice]]") < at("[exams.b]\n"));
        assert!(at("[exams.b.ratings]") < at("[[exams.b.practice]]"));
        assert!(
            text.ends_with("sections = { 'w eird.\"id\"=[' = [1, 2] }\n"),
            "{text}"
        );
    }

    #[test]
    fn a_hand_edited_file_is_read_in_date_order() {
        let text = "version = 1
[[exams.a.practice]]
on = 2026-11-25
correct = 1
questions = 2
[[exams.a.practice]]
on = 2026-11-20
correct = 2
questions = 2
[[exams.a.practice]]
on = 2026-11-25
correct = 0
questions = 2
";
        let state = parse(text, Path::new("s.toml")).unwrap();
        let order: Vec<(String, u32)> = state.exams["a"]
            .practice
            .iter()
            .map(|s| (s.on.to_string(), s.correct))
            .collect();
        assert_eq!(
            order,
            [
                ("2026-11-20".into(), 2),
                ("2026-11-25".into(), 1),
                ("2026-11-25".into(), 0)
            ]
        );
    }

    #[test]
    fn impossible_sittings_are_refused_with_file_and_line() {
        let head = "version = 1\n\n[[exams.a.practice]]\non = 2026-11-20\n";
        for (rest, message) in [
            (
                "correct = 49\nquestions = 48\n",
                "49 correct answers out of 48",
            ),
            ("correct = 0\nquestions = 0\n", "has 0 questions"),
            ("correct = 1\nquestions = 1001\n", "has 1001 questions"),
            (
                "correct = 1\nquestions = 2\nsections = { x = [3, 2] }\n",
                "section \"x\" has 3 correct answers out of 2",
            ),
            (
                "correct = 1\nquestions = 2\nsections = { x = [0, 0] }\n",
                "section \"x\" has 0 questions",
            ),
            ("correct = -1\nquestions = 2\n", ""),
            ("correct = 1\nquestions = 2\nscore = 3\n", "score"),
        ] {
            let text = format!("{head}{rest}");
            let error = parse(&text, Path::new("s.toml")).unwrap_err().to_string();
            // The sitting's table starts on line 3.
            assert!(
                error.contains("s.toml:") && error.contains(message),
                "{rest:?}: {error}"
            );
            let line: usize = error.split("s.toml:").nth(1).unwrap()[..1].parse().unwrap();
            assert!((3..=7).contains(&line), "{rest:?}: {error}");
        }
    }

    #[test]
    fn errors_name_file_and_line() {
        let cases = [
            ("version = 1\n[exams.a]\nticked = [\"x\"\n", ":3"),
            ("version = 1\n\n[exams.a]\nstarted = \"2026-11-20\"\n", ":4"),
            ("version = 1\n[exams.a.ratings]\nx = 6\n", ":3"),
            ("version = 2\n", ":1"),
            ("version = 1\n[exams.a]\nstarted = 2026-02-30\n", ":3"),
        ];
        for (text, line) in cases {
            let error = parse(text, Path::new("s.toml")).unwrap_err().to_string();
            assert!(
                error.contains(&format!("s.toml{line}")),
                "{text:?}: {error}"
            );
        }
    }
}
