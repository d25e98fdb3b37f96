//! A reader for state files in exactly the shape certprep writes them, for the
//! prompt's sake: parsing a 200-byte state with the toml crate costs ~30 K
//! instructions, most of what the prompt does after starting, and a state with
//! three practice sittings ~120 K. It accepts the canonical layout only (`key =
//! value` lines, the top's `version`, `name` and `active`, `[exams.ID]`,
//! `[exams.ID.ratings]` and `[exams.ID.rated]` headers, `[[exams.ID.practice]]`
//! blocks with their section scores as one inline table, bare keys, strings
//! without escapes, plain integers, dates) and declines
//! anything else, a comment, a space too many or a value out of range, so that
//! toml reads it, and reports it, as always.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::{Date, Progress, Rating, RawSitting, Sitting, State, VERSION, Version};

/// Which table the lines being read belong to.
#[derive(Clone, Copy, PartialEq)]
enum Table {
    Top,
    Exam,
    Ratings,
    Rated,
    /// The latest `[[exams.ID.practice]]` block.
    Practice,
}

/// The state `text` holds, or `None` when it is not in certprep's own layout.
pub(super) fn parse(text: &str) -> Option<State> {
    let mut version = None;
    let mut name = None;
    let mut active = None;
    let mut exams: BTreeMap<String, Progress> = BTreeMap::new();
    let (mut table, mut exam) = (Table::Top, "");
    // Every header and every (header, key) seen: TOML allows each once. A
    // practice block's header repeats; its keys are checked by `SittingLines`.
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut header = "";
    // Each practice block's exam and lines, in file order.
    let mut sittings: Vec<(&str, SittingLines)> = Vec::new();
    for line in text.split('\n').filter(|line| !line.is_empty()) {
        if let Some(path) = line.strip_prefix("[[exams.") {
            let id = bare_key(path.strip_suffix(".practice]]")?)?;
            exams.entry(id.to_string()).or_default();
            sittings.push((id, SittingLines::default()));
            (table, exam) = (Table::Practice, id);
            continue;
        }
        if let Some(path) = line.strip_prefix("[exams.") {
            let path = path.strip_suffix(']')?;
            let (id, kind) = match path.split_once('.') {
                None => (path, Table::Exam),
                Some((id, "ratings")) => (id, Table::Ratings),
                Some((id, "rated")) => (id, Table::Rated),
                Some(_) => return None,
            };
            // `[exams.ID]` after one of its subtables is valid TOML, but not ours.
            let exists = exams.contains_key(bare_key(id)?);
            if !seen.insert((line, "")) || (kind == Table::Exam && exists) {
                return None;
            }
            exams.entry(id.to_string()).or_default();
            (table, exam, header) = (kind, id, line);
            continue;
        }
        let (key, value) = line.split_once(" = ")?;
        if table == Table::Practice {
            sittings.last_mut()?.1.set(key, value)?;
            continue;
        }
        if !seen.insert((header, bare_key(key)?)) {
            return None;
        }
        let progress = exams.get_mut(exam);
        match (table, key, progress) {
            (Table::Top, "version", _) => version = Some(integer(value)?),
            (Table::Top, "name", _) => name = Some(string(value)?.to_string()),
            (Table::Top, "active", _) => active = Some(string(value)?.to_string()),
            (Table::Exam, "started", Some(progress)) => progress.started = Some(date(value)?),
            (Table::Exam, "booked", Some(progress)) => progress.booked = Some(date(value)?),
            (Table::Exam, "ticked", Some(progress)) => {
                progress.ticked = array(value, |item| string(item).map(str::to_string))?
            }
            (Table::Exam, "days_done", Some(progress)) => {
                progress.days_done = array(value, integer)?
            }
            (Table::Ratings, _, Some(progress)) => {
                let rating = Rating::new(u8::try_from(integer(value)?).ok()?)?;
                progress.ratings.insert(key.to_string(), rating);
            }
            (Table::Rated, _, Some(progress)) => {
                progress.rated.insert(key.to_string(), date(value)?);
            }
            _ => return None,
        }
    }
    for (id, lines) in sittings {
        exams.get_mut(id)?.practice.push(lines.sitting()?);
    }
    for progress in exams.values_mut() {
        // As toml's reading does: date order, a stable sort.
        progress.practice.sort_by_key(|sitting| sitting.on);
    }
    Some(State {
        version: Version(version.filter(|&version| version <= VERSION)?),
        name,
        active,
        exams,
    })
}

/// The lines of one `[[exams.ID.practice]]` block, each key at most once.
#[derive(Default)]
struct SittingLines<'a> {
    on: Option<Date>,
    correct: Option<u32>,
    questions: Option<u32>,
    note: Option<&'a str>,
    sections: Option<BTreeMap<String, (u32, u32)>>,
}

impl<'a> SittingLines<'a> {
    /// Reads `key = value`; `None` for an unknown or repeated key or a value
    /// not in certprep's layout.
    fn set(&mut self, key: &str, value: &'a str) -> Option<()> {
        match key {
            "on" => once(&mut self.on, date(value)?),
            "correct" => once(&mut self.correct, integer(value)?),
            "questions" => once(&mut self.questions, integer(value)?),
            "note" => once(&mut self.note, string(value)?),
            "sections" => once(&mut self.sections, section_scores(value)?),
            _ => None,
        }
    }

    /// The sitting, checked as toml's reading checks it; `None` when a field is
    /// missing or a score impossible, which toml then reports.
    fn sitting(self) -> Option<Sitting> {
        let raw = RawSitting {
            on: self.on?,
            correct: self.correct?,
            questions: self.questions?,
            note: self.note.map(str::to_string),
            sections: self.sections.unwrap_or_default(),
        };
        Sitting::try_from(raw).ok()
    }
}

/// Fills an empty `slot`; `None` when it was filled already.
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    slot.is_none().then(|| *slot = Some(value))
}

/// Section scores as certprep writes them, `{ id = [correct, total], ... }`:
/// one or more, bare ids, each once.
fn section_scores(value: &str) -> Option<BTreeMap<String, (u32, u32)>> {
    let mut rest = value.strip_prefix("{ ")?.strip_suffix(" }")?;
    let mut scores = BTreeMap::new();
    loop {
        let (id, after) = rest.split_once(" = [")?;
        let (score, after) = after.split_once(']')?;
        let (correct, total) = score.split_once(", ")?;
        let score = (integer(correct)?, integer(total)?);
        if scores.insert(bare_key(id)?.to_string(), score).is_some() {
            return None;
        }
        match after.strip_prefix(", ") {
            Some(next) => rest = next,
            None => return after.is_empty().then_some(scores),
        }
    }
}

/// A bare TOML key: ASCII letters, digits, `-` and `_`.
fn bare_key(key: &str) -> Option<&str> {
    let bare = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_';
    (!key.is_empty() && key.bytes().all(bare)).then_some(key)
}

/// A decimal integer without sign, underscores or leading zeros, that fits a u32.
fn integer(value: &str) -> Option<u32> {
    let plain = value.len() <= 9
        && value.bytes().all(|byte| byte.is_ascii_digit())
        && (value == "0" || !value.starts_with('0'));
    plain.then(|| value.parse().ok()).flatten()
}

/// A basic string with nothing to unescape and no control characters.
fn string(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('"')?.strip_suffix('"')?;
    let plain = |c: char| c != '"' && c != '\\' && !c.is_control();
    inner.chars().all(plain).then_some(inner)
}

/// A local date, `2026-11-20`, that exists and lies within [`Date::RANGE`]; one
/// outside it is left to toml, whose reading refuses it at its line.
fn date(value: &str) -> Option<Date> {
    let bytes = value.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(index, &byte)| match index {
            4 | 7 => byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    let number = |range: std::ops::Range<usize>| value[range].parse::<u32>().ok();
    let ymd = || {
        let year = i32::try_from(number(0..4)?).ok()?;
        NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
    };
    shaped
        .then(ymd)
        .flatten()
        .and_then(|date| Date::new(date).ok())
}

/// An inline array on one line, `[a, b]` or `[]`, of values `item` reads.
fn array<T: Ord>(value: &str, item: impl Fn(&str) -> Option<T>) -> Option<BTreeSet<T>> {
    let inner = value.strip_prefix('[')?.strip_suffix(']')?;
    if inner.is_empty() {
        return Some(BTreeSet::new());
    }
    inner.split(", ").map(item).collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;
    use crate::state::{Sitting, serialize, update};

    const TEXT: &str = "version = 1
active = \"associate\"

[exams.associate]
started = 2026-11-20
booked = 2027-01-16
ticked = [\"automl\", \"mlflow-tracking\"]
days_done = [1, 2]

[exams.associate.ratings]
databricks-ml = 4
model-development = 3

[exams.associate.rated]
databricks-ml = 2026-11-22

[[exams.associate.practice]]
on = 2026-11-21
correct = 26
questions = 48
note = \"third-party set A\"

[[exams.associate.practice]]
on = 2026-11-25
correct = 31
questions = 48
sections = { databricks-ml = [14, 18], ml-workflows = [6, 9] }

[exams.professional]
ticked = []
days_done = []
";

    fn toml(text: &str) -> Option<State> {
        crate::store::parse_toml(text, Path::new("s.toml"), "state file").ok()
    }

    #[test]
    fn reads_what_certprep_writes() {
        let state = parse(TEXT).expect("the canonical layout");
        assert_eq!(Some(&state), toml(TEXT).as_ref());
        assert_eq!(serialize(&state), TEXT);
        // By hand: the fields land where they belong.
        let associate = &state.exams["associate"];
        assert_eq!(associate.days_done, [1, 2].into());
        assert_eq!(associate.ratings["model-development"].get(), 3);
        assert_eq!(associate.rated["databricks-ml"].to_string(), "2026-11-22");
        assert!(state.exams["professional"].ticked.is_empty());
        let practice = &associate.practice;
        assert_eq!(practice.len(), 2);
        assert_eq!(
            (practice[0].correct, practice[0].note.as_deref()),
            (26, Some("third-party set A"))
        );
        assert_eq!(
            practice[1].sections,
            [
                ("databricks-ml".into(), (14, 18)),
                ("ml-workflows".into(), (6, 9))
            ]
            .into()
        );
    }

    #[test]
    fn reads_the_learners_name() {
        let text = TEXT.replacen("version = 1\n", "version = 1\nname = \"Ana Lima\"\n", 1);
        let state = parse(&text).expect("the canonical layout");
        assert_eq!(state.name.as_deref(), Some("Ana Lima"));
        assert_eq!(Some(&state), toml(&text).as_ref());
        assert_eq!(serialize(&state), text);
        // Once only, at the top, plain: anything else is toml's.
        for other in [
            "name = \"Ana\"\nname = \"Bo\"\n",
            "name = 'Ana'\n",
            "name = \"A\\u006ea\"\n",
            "name = 3\n",
        ] {
            let text = TEXT.replacen("version = 1\n", &format!("version = 1\n{other}"), 1);
            assert_eq!(parse(&text), None, "{text}");
        }
        let text = TEXT.replacen(
            "days_done = [1, 2]\n",
            "days_done = [1, 2]\nname = \"Ana\"\n",
            1,
        );
        assert_eq!(parse(&text), None, "{text}");
    }

    #[test]
    fn sittings_out_of_date_order_are_read_in_date_order() {
        // As toml's reading sorts them: by date, ties in file order.
        let text = "version = 1\n\n[[exams.a.practice]]\non = 2026-11-25\ncorrect = 1\nquestions = 2\n\n\
                    [[exams.b.practice]]\non = 2026-11-01\ncorrect = 3\nquestions = 3\n\n\
                    [[exams.a.practice]]\non = 2026-11-20\ncorrect = 2\nquestions = 2\n\n\
                    [[exams.a.practice]]\non = 2026-11-25\ncorrect = 0\nquestions = 2\n";
        let state = parse(text).expect("certprep's layout");
        assert_eq!(Some(&state), toml(text).as_ref());
        let correct: Vec<u32> = state.exams["a"]
            .practice
            .iter()
            .map(|s| s.correct)
            .collect();
        assert_eq!(correct, [2, 1, 0]);
        assert_eq!(state.exams["b"].practice.len(), 1);
    }

    #[test]
    fn a_state_update_writes_reads_back_quickly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        update(&path, crate::store::MAX_FILE_BYTES, |state| {
            let progress = state.progress_mut("associate");
            progress.ticked.insert("automl".into());
            progress
                .ratings
                .insert("ml".into(), Rating::new(5).unwrap());
            Ok(((), crate::history::Effect::None))
        })
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(parse(&text), toml(&text));
        assert!(parse(&text).is_some(), "{text}");
    }

    #[test]
    fn anything_else_is_left_to_toml() {
        for (from, to) in [
            // Comments, other spacing, other line ends.
            ("version = 1\n", "version = 1 # v\n"),
            ("version = 1\n", "version  = 1\n"),
            ("version = 1\n", "version = 1\r\n"),
            ("days_done = [1, 2]", "days_done = [1,2]"),
            // Values toml refuses or reads its own way.
            ("version = 1", "version = 2"),
            ("version = 1", "version = 01"),
            ("version = 1", "version = +1"),
            ("databricks-ml = 4", "databricks-ml = 6"),
            ("started = 2026-11-20", "started = 2026-02-30"),
            // Dates outside the range certprep works with.
            ("started = 2026-11-20", "started = 9999-12-31"),
            ("started = 2026-11-20", "started = 1969-12-31"),
            ("started = 2026-11-20", "started = \"2026-11-20\""),
            ("\"automl\"", "\"auto\\u006dl\""),
            ("\"automl\"", "'automl'"),
            ("[exams.associate]", "[exams.\"associate\"]"),
            ("[exams.associate]", "[ exams.associate ]"),
            // Unknown, repeated or misplaced keys and tables.
            ("booked", "booking"),
            ("days_done = [1, 2]", "days_done = [1, 2]\ndays_done = [3]"),
            ("[exams.professional]", "[exams.associate.ratings]"),
            ("[exams.professional]", "[exams.associate.other]"),
            ("version = 1\n", ""),
            // Practice sittings in any other shape, or impossible ones (which toml
            // then reports).
            ("note = \"third-party set A\"", "note = 'third-party set A'"),
            ("note = \"third-party set A\"", "note = \"set\\tA\""),
            ("note = \"third-party set A\"", "score = 3"),
            ("correct = 26\n", ""),
            (
                "questions = 48\nnote",
                "questions = 48\nquestions = 48\nnote",
            ),
            ("correct = 26", "correct = 49"),
            ("questions = 48\nnote", "questions = 0\nnote"),
            ("questions = 48\nnote", "questions = 1001\nnote"),
            ("[14, 18]", "[19, 18]"),
            ("[14, 18]", "[0, 0]"),
            ("[14, 18]", "[14, 18, 1]"),
            ("[14, 18]", "[14,18]"),
            ("ml-workflows = [6, 9]", "databricks-ml = [6, 9]"),
            ("ml-workflows = [6, 9]", "\"ml-workflows\" = [6, 9]"),
            ("ml-workflows = [6, 9] }", "ml-workflows = [6, 9], }"),
            ("{ databricks-ml = [14, 18], ml-workflows = [6, 9] }", "{}"),
            ("{ databricks-ml", "{databricks-ml"),
            (
                "[[exams.associate.practice]]\non = 2026-11-21",
                "[[exams.associate.practice]] \non = 2026-11-21",
            ),
            (
                "[[exams.associate.practice]]\non = 2026-11-21",
                "[[exams.associate.other]]\non = 2026-11-21",
            ),
            (
                "[[exams.associate.practice]]\non = 2026-11-21",
                "[exams.associate.practice]\non = 2026-11-21",
            ),
            ("[exams.professional]", "[exams.associate]"),
        ] {
            assert!(TEXT.contains(from), "{from}");
            let text = TEXT.replacen(from, to, 1);
            assert_eq!(parse(&text), None, "{text}");
        }
    }

    fn id() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[a-z][a-z0-9-]{0,6}",
            1 => "[ -~é]{0,6}",
        ]
    }

    fn date_strategy() -> impl Strategy<Value = Date> {
        // Dates within Date::RANGE: the states certprep can write.
        (1970..2100i32, 1..=12u32, 1..=31u32)
            .prop_filter_map("a real date", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
            .prop_map(Date)
    }

    fn progress() -> impl Strategy<Value = Progress> {
        (
            proptest::option::of(date_strategy()),
            proptest::option::of(date_strategy()),
            prop::collection::btree_set(id(), 0..4),
            prop::collection::btree_set(0..40u32, 0..4),
            prop::collection::btree_map(
                id(),
                (1..=5u8).prop_map(|r| Rating::new(r).unwrap()),
                0..3,
            ),
            prop::collection::btree_map(id(), date_strategy(), 0..2),
            prop::collection::vec(sitting(), 0..3),
        )
            .prop_map(
                |(started, booked, ticked, days_done, ratings, rated, mut practice)| {
                    // In date order, as every reading leaves them.
                    practice.sort_by_key(|sitting| sitting.on);
                    Progress {
                        started,
                        booked,
                        ticked,
                        days_done,
                        ratings,
                        rated,
                        practice,
                    }
                },
            )
    }

    /// A correct-of-total score that `practice add` accepts.
    fn score() -> impl Strategy<Value = (u32, u32)> {
        (1..=crate::guide::MAX_QUESTIONS).prop_flat_map(|total| (0..=total, Just(total)))
    }

    fn sitting() -> impl Strategy<Value = Sitting> {
        (
            date_strategy(),
            score(),
            proptest::option::of(prop_oneof!["[ -~é]{0,12}", "[a-z]{1,3}\n[\"']{0,3}"]),
            prop::collection::btree_map(id(), score(), 0..3),
        )
            .prop_map(|(on, (correct, questions), note, sections)| Sitting {
                on,
                correct,
                questions,
                note,
                sections,
            })
    }

    fn state() -> impl Strategy<Value = State> {
        (
            proptest::option::of(prop_oneof!["[A-Za-z ]{1,12}", "[ -~é\n]{0,6}"]),
            proptest::option::of(id()),
            prop::collection::btree_map(id(), progress(), 0..3),
        )
            .prop_map(|(name, active, exams)| State {
                name,
                active,
                exams,
                ..State::default()
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn reads_as_toml_reads(state in state()) {
            let text = serialize(&state);
            let read = toml(&text);
            prop_assert_eq!(read.as_ref(), Some(&state));
            let quick = parse(&text);
            if let Some(quick) = &quick {
                prop_assert_eq!(quick, &state);
            }
            // Plain ids and texts are always read quickly.
            let key = |id: &String| bare_key(id).is_some();
            let text = |id: &String| string(&format!("\"{id}\"")).is_some();
            let all_plain = state.active.iter().chain(&state.name).all(text)
                && state.exams.iter().all(|(id, progress)| {
                    key(id)
                        && progress.ticked.iter().all(text)
                        && progress.ratings.keys().chain(progress.rated.keys()).all(key)
                        && progress.practice.iter().all(|sitting| {
                            sitting.note.iter().all(text) && sitting.sections.keys().all(key)
                        })
                });
            prop_assert_eq!(quick.is_some(), all_plain, "{}", serialize(&state));
        }

        #[test]
        fn an_edited_file_is_read_as_toml_reads_it_or_not_at_all(
            at in 0..TEXT.len(),
            cut in 0..3usize,
            insert in prop::sample::select(vec!["", " ", "\n", "[", "]", "\"", ",", "=", "0", "-", "#", ".", "a"]),
        ) {
            let at = (0..=at).rev().find(|&at| TEXT.is_char_boundary(at)).unwrap_or(0);
            let end = (at + cut).min(TEXT.len());
            let text = format!("{}{insert}{}", &TEXT[..at], &TEXT[end..]);
            if let Some(quick) = parse(&text) {
                prop_assert_eq!(Some(quick), toml(&text), "{}", text);
            }
        }
    }
}
