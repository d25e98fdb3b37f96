//! Property tests (proptest).
//!
//! 1. Command fuzzing: random argument lists against random state files, through
//!    the real binary in a sandbox. Whatever the input: exit 0, 1 or 2, never a
//!    panic; a failed command, a read-only command and any command on a broken
//!    state file leave the file byte-for-byte as it was (README: The progress file; Commands; Reliability).
//! 2. Readiness (README: Readiness) on the pure library: bounds, points summing to
//!    the overall, the formula worked out independently, and monotonicity, for both
//!    bundled guides and for random valid user guides.
//!
//! Failure persistence is off (no regression files beside this one): a failure
//! that proptest finds is written down below as a plain regression test.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use certprep::cli::{Cli, Command, PracticeCommand};
use certprep::guide::{Catalog, Guide, GuideError};
use certprep::readiness::{Scores, assess};
use certprep::state::{self, Progress, Rating, State};
use clap::Parser;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::common::{self, Env, MYCERT};

// ---------------------------------------------------------------------------
// The bundled guides, and the names they give the fuzzer to pick from.

fn bundled() -> &'static [Guide] {
    static GUIDES: OnceLock<Vec<Guide>> = OnceLock::new();
    GUIDES.get_or_init(|| {
        let catalog = Catalog::new(None);
        ["associate", "professional"]
            .iter()
            .map(|id| catalog.load(id).unwrap().expect("a bundled guide"))
            .collect()
    })
}

fn mycert() -> Guide {
    Guide::from_yaml(MYCERT, "mycert.yaml").expect("MYCERT is a valid guide")
}

/// Every guide a fuzz case can know: both bundled ones and the user guide `mycert`.
fn all_guides() -> Vec<Guide> {
    let mut guides = bundled().to_vec();
    guides.push(mycert());
    guides
}

fn item_ids() -> Vec<String> {
    all_guides()
        .iter()
        .flat_map(|guide| guide.checklist.iter().map(|item| item.id.clone()))
        .collect()
}

fn section_ids() -> Vec<String> {
    all_guides()
        .iter()
        .flat_map(|guide| guide.sections.iter().map(|section| section.id.clone()))
        .collect()
}

/// Ids with their prefixes of 1 to 4 characters (unique, ambiguous and unknown).
fn with_prefixes(ids: Vec<String>) -> Vec<String> {
    let mut names: BTreeSet<String> = BTreeSet::new();
    for id in ids {
        for length in 1..=4.min(id.len()) {
            names.insert(id[..length].to_string());
        }
        names.insert(id);
    }
    names.into_iter().collect()
}

/// Ids no guide knows: kept in the file, left out of every computation.
const UNKNOWN_IDS: [&str; 6] = ["gone", "old-item", "Renamed Item", "ünïcode", "x", ""];

/// Exam tables a state file may hold: the guides' ids and two no guide has.
const EXAM_KEYS: [&str; 5] = ["associate", "professional", "mycert", "gone", "my cert"];

/// Dates for the state file (all valid TOML local dates within the range certprep
/// accepts, 1970-01-01 to 9000-12-31, its ends included).
#[rustfmt::skip]
const STATE_DATES: [&str; 8] = [
    "2026-11-20", "2026-11-22", "2026-12-31", "2027-01-15", "2020-02-29", "2026-11-30",
    "1970-01-01", "9000-12-31",
];

/// "Today" for a fuzz case (`--today`).
#[rustfmt::skip]
const TODAYS: [&str; 6] = [
    "2026-11-22", "2026-11-20", "2026-11-27", "2027-01-15", "1970-01-01", "9000-12-31",
];

// ---------------------------------------------------------------------------
// State files: valid ones built line by line (not by the program's serializer,
// so order, duplicates and layout vary), broken ones by construction, and
// arbitrary bytes classified by the program's own parser.

#[derive(Debug, Clone)]
struct ExamGen {
    key: &'static str,
    started: Option<&'static str>,
    booked: Option<&'static str>,
    /// In file order, duplicates allowed.
    ticked: Vec<String>,
    days: Vec<u32>,
    ratings: Vec<(String, u8)>,
    /// `ratings = { … }` instead of a `[exams.X.ratings]` table.
    inline_ratings: bool,
    /// Write `ticked = []` and `days_done = []` when empty (else leave them out).
    explicit_empty: bool,
}

#[derive(Debug, Clone)]
struct StateGen {
    active: Option<&'static str>,
    active_first: bool,
    comment: bool,
    exams: Vec<ExamGen>,
}

/// A TOML basic string (the ids are printable, so Rust's escaping agrees).
fn quoted(text: &str) -> String {
    format!("{text:?}")
}

impl StateGen {
    fn top_lines(&self) -> Vec<String> {
        let mut lines = vec!["version = 1".to_string()];
        if let Some(active) = self.active {
            let line = format!("active = {}", quoted(active));
            if self.active_first {
                lines.insert(0, line);
            } else {
                lines.push(line);
            }
        }
        lines
    }

    fn tables(&self) -> String {
        let mut text = String::new();
        for exam in &self.exams {
            let key = quoted(exam.key);
            text.push_str(&format!("\n[exams.{key}]\n"));
            if let Some(date) = exam.started {
                text.push_str(&format!("started = {date}\n"));
            }
            if let Some(date) = exam.booked {
                text.push_str(&format!("booked = {date}\n"));
            }
            if exam.explicit_empty || !exam.ticked.is_empty() {
                let ids: Vec<String> = exam.ticked.iter().map(|id| quoted(id)).collect();
                text.push_str(&format!("ticked = [{}]\n", ids.join(", ")));
            }
            if exam.explicit_empty || !exam.days.is_empty() {
                let days: Vec<String> = exam.days.iter().map(u32::to_string).collect();
                text.push_str(&format!("days_done = [{}]\n", days.join(", ")));
            }
            let ratings: Vec<String> = exam
                .ratings
                .iter()
                .map(|(id, value)| format!("{} = {value}", quoted(id)))
                .collect();
            if exam.inline_ratings {
                text.push_str(&format!("ratings = {{ {} }}\n", ratings.join(", ")));
            } else if !ratings.is_empty() {
                text.push_str(&format!("\n[exams.{key}.ratings]\n"));
                for line in ratings {
                    text.push_str(&line);
                    text.push('\n');
                }
            }
        }
        text
    }

    fn render(&self) -> String {
        let mut text = String::new();
        if self.comment {
            text.push_str("# my certprep progress\n");
        }
        for line in self.top_lines() {
            text.push_str(&line);
            text.push('\n');
        }
        text.push_str(&self.tables());
        text
    }
}

/// A way to break a valid state file that the README's "The progress file" says is an error.
#[derive(Debug, Clone)]
enum Corruption {
    /// `version = <value>`: wrong type, negative, too big, or newer than known.
    Version(&'static str),
    DropVersion,
    /// An extra top-level line: unknown field, wrong type, duplicate key.
    TopLine(&'static str),
    /// A line in an extra `[exams."zz-bad"]` table.
    ExamLine(&'static str),
    /// A line in an extra `[exams."zz-bad".ratings]` table.
    RatingLine(&'static str),
    /// A byte that is not UTF-8, inserted at (position % length).
    NotUtf8(usize),
    /// Text appended at the end that is not TOML.
    Garbage(&'static str),
}

#[rustfmt::skip]
const BAD_VERSIONS: [&str; 7] = [
    "\"1\"", "2", "-1", "1.0", "true", "4294967296", "1970-01-01",
];
#[rustfmt::skip]
const BAD_TOP_LINES: [&str; 6] = [
    "foo = 1", "active = 3", "active = [\"associate\"]", "version = 1", "exams = 5",
    "exams = []",
];
#[rustfmt::skip]
const BAD_EXAM_LINES: [&str; 16] = [
    "started = \"2026-11-20\"", "started = 2026-02-30", "started = 2026-11-20T10:00:00",
    "started = 2026-11-20T10:00:00Z", "booked = 1", "booked = 10:00:00", "ticked = \"automl\"",
    "ticked = [1]", "days_done = [-1]", "days_done = [1.5]", "days_done = [\"1\"]",
    "days_done = [4294967296]", "foo = 1", "ratings = 3",
    // Valid TOML dates outside the range certprep accepts.
    "started = 0001-01-01", "booked = 9999-12-31",
];
#[rustfmt::skip]
const BAD_RATING_LINES: [&str; 7] = [
    "x = 0", "x = 6", "x = -1", "x = 256", "x = \"3\"", "x = 3.5", "x = true",
];
const GARBAGE: [&str; 5] = ["[[", "= 1", "ticked = [", "\"unterminated", "[exams"];

impl Corruption {
    fn apply(&self, valid: &StateGen) -> Vec<u8> {
        let top = valid.top_lines();
        let tables = valid.tables();
        let join = |top: Vec<String>, tail: &str| {
            let mut text = top.join("\n");
            text.push('\n');
            text.push_str(&tables);
            text.push_str(tail);
            text.into_bytes()
        };
        match self {
            Corruption::Version(value) => {
                let top = top
                    .into_iter()
                    .map(|line| {
                        if line.starts_with("version") {
                            format!("version = {value}")
                        } else {
                            line
                        }
                    })
                    .collect();
                join(top, "")
            }
            Corruption::DropVersion => join(
                top.into_iter()
                    .filter(|line| !line.starts_with("version"))
                    .collect(),
                "",
            ),
            Corruption::TopLine(line) => {
                let mut top = top;
                top.insert(0, line.to_string());
                join(top, "")
            }
            Corruption::ExamLine(line) => join(top, &format!("\n[exams.\"zz-bad\"]\n{line}\n")),
            Corruption::RatingLine(line) => {
                join(top, &format!("\n[exams.\"zz-bad\".ratings]\n{line}\n"))
            }
            Corruption::NotUtf8(position) => {
                let mut bytes = valid.render().into_bytes();
                bytes.insert(position % (bytes.len() + 1), 0xff);
                bytes
            }
            Corruption::Garbage(tail) => join(top, &format!("{tail}\n")),
        }
    }
}

#[derive(Debug, Clone)]
enum StateInput {
    /// No state file at all.
    Absent,
    Valid(StateGen),
    /// A valid file broken by construction: the program must refuse it.
    Broken(StateGen, Corruption),
    /// Bytes of any kind (random, a truncated valid file, a BOM…), classified by
    /// whether the program's parser accepts them.
    Arbitrary(Vec<u8>),
}

impl StateInput {
    fn bytes(&self) -> Option<Vec<u8>> {
        match self {
            StateInput::Absent => None,
            StateInput::Valid(state) => Some(state.render().into_bytes()),
            StateInput::Broken(state, corruption) => Some(corruption.apply(state)),
            StateInput::Arbitrary(bytes) => Some(bytes.clone()),
        }
    }
}

/// The program's own reading of state bytes.
fn parse_state(bytes: &[u8]) -> Option<State> {
    let text = std::str::from_utf8(bytes).ok()?;
    state::parse(text, Path::new("state.toml")).ok()
}

fn exam_gen(key: &'static str) -> impl Strategy<Value = ExamGen> {
    let ticked = prop_oneof![
        4 => select(item_ids()),
        1 => select(UNKNOWN_IDS.to_vec()).prop_map(String::from),
    ];
    let day = prop_oneof![6 => 0u32..=12, 1 => Just(u32::MAX)];
    let rating_key = prop_oneof![
        4 => select(section_ids()),
        1 => select(UNKNOWN_IDS.to_vec()).prop_map(String::from),
    ];
    (
        proptest::option::of(select(STATE_DATES.to_vec())),
        proptest::option::weighted(0.3, select(STATE_DATES.to_vec())),
        proptest::collection::vec(ticked, 0..8),
        proptest::collection::vec(day, 0..6),
        proptest::collection::btree_map(rating_key, 1u8..=5, 0..5),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_flat_map(
            move |(started, booked, ticked, days, ratings, inline_ratings, explicit_empty)| {
                let ratings: Vec<(String, u8)> = ratings.into_iter().collect();
                Just(ratings)
                    .prop_shuffle()
                    .prop_map(move |ratings| ExamGen {
                        key,
                        started,
                        booked,
                        ticked: ticked.clone(),
                        days: days.clone(),
                        ratings,
                        inline_ratings,
                        explicit_empty,
                    })
            },
        )
}

fn state_gen() -> impl Strategy<Value = StateGen> {
    let active = proptest::option::of(select(vec!["associate", "professional", "mycert", "gone"]));
    (
        active,
        any::<bool>(),
        proptest::bool::weighted(0.2),
        subsequence(EXAM_KEYS.to_vec(), 0..=3),
    )
        .prop_flat_map(|(active, active_first, comment, keys)| {
            let exams: Vec<_> = keys.into_iter().map(exam_gen).collect();
            exams.prop_map(move |exams| StateGen {
                active,
                active_first,
                comment,
                exams,
            })
        })
}

fn corruption() -> impl Strategy<Value = Corruption> {
    prop_oneof![
        select(BAD_VERSIONS.to_vec()).prop_map(Corruption::Version),
        Just(Corruption::DropVersion),
        select(BAD_TOP_LINES.to_vec()).prop_map(Corruption::TopLine),
        select(BAD_EXAM_LINES.to_vec()).prop_map(Corruption::ExamLine),
        select(BAD_RATING_LINES.to_vec()).prop_map(Corruption::RatingLine),
        any::<usize>().prop_map(Corruption::NotUtf8),
        select(GARBAGE.to_vec()).prop_map(Corruption::Garbage),
    ]
}

fn arbitrary_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // Random bytes.
        proptest::collection::vec(any::<u8>(), 0..120),
        // Random printable text.
        "\\PC{0,60}".prop_map(String::into_bytes),
        // A valid file cut short (maybe mid-character, maybe at a line end).
        (state_gen(), any::<prop::sample::Index>()).prop_map(|(state, cut)| {
            let bytes = state.render().into_bytes();
            bytes[..cut.index(bytes.len() + 1)].to_vec()
        }),
        // A valid file behind a byte-order mark, or with CRLF line ends.
        state_gen().prop_map(|state| format!("\u{feff}{}", state.render()).into_bytes()),
        state_gen().prop_map(|state| state.render().replace('\n', "\r\n").into_bytes()),
    ]
}

fn state_input() -> impl Strategy<Value = StateInput> {
    prop_oneof![
        3 => Just(StateInput::Absent),
        6 => state_gen().prop_map(StateInput::Valid),
        2 => (state_gen(), corruption()).prop_map(|(s, c)| StateInput::Broken(s, c)),
        1 => arbitrary_bytes().prop_map(StateInput::Arbitrary),
    ]
}

// ---------------------------------------------------------------------------
// Command lines.

#[derive(Debug, Clone)]
enum Token {
    Text(String),
    /// Not UTF-8.
    Bytes(Vec<u8>),
    /// The sandbox's state file (for `validate`).
    StatePath,
    /// The sandbox's user guide file (for `validate`; it may not exist).
    GuideFile,
}

impl Token {
    fn render(&self, env: &Env) -> OsString {
        match self {
            Token::Text(text) => text.into(),
            Token::Bytes(bytes) => OsString::from_vec(bytes.clone()),
            Token::StatePath => env.state_path().into(),
            Token::GuideFile => env.guides_dir().join("mycert.yaml").into(),
        }
    }
}

#[rustfmt::skip]
const COMMANDS: [&str; 23] = [
    "status", "exams", "guide", "checklist", "tick", "untick", "rate", "start", "use", "today",
    "plan", "done", "undone", "book", "prompt", "reset", "validate", "completions", "next",
    "why", "history", "practice", "forecast",
];
const NOT_COMMANDS: [&str; 5] = ["stat", "Status", "help", "tick-all", "st"];
#[rustfmt::skip]
const NUMBERS: [&str; 24] = [
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "10", "11", "99", "-1", "-0", "+1", "01", " 1",
    "1.5", "4294967295", "4294967296", "18446744073709551615", "18446744073709551616",
    "99999999999999999999999999", "0x10",
];
/// Practice scores (README: Practice tests and the forecast): the Associate's sections add up to 34/48.
#[rustfmt::skip]
const SCORES: [&str; 14] = [
    "34/48", "30/48", "1=14/18", "2=7/9", "3=10/15", "4=3/6", "databricks-ml=14/18",
    "model=1/2", "49/48", "0/0", "5/1001", "1=", "x/48", "9=1/2",
];
#[rustfmt::skip]
const DATES: [&str; 16] = [
    "2026-11-20", "2026-11-22", "2027-01-15", "2026-02-30", "2026-13-01", "2026-00-10",
    "2026-11-00", "20261120", "2026-1-5", "+2026-11-20", "0000-01-01", "9999-12-31",
    "2024-02-29", "2025-02-29", "tomorrow", "",
];
#[rustfmt::skip]
const FLAGS: [&str; 20] = [
    "--json", "--json", "--clear", "--yes", "--yes", "--on", "-e", "--exam", "--format",
    "--help", "-h", "--version", "--color", "--", "-x", "--nope", "--json=true", "--exam=",
    "-eassociate", "--clear=1",
];
#[rustfmt::skip]
const EXAMS: [&str; 18] = [
    "associate", "professional", "mla", "mlp", "a", "p", "pro", "as", "", "x", "gone", "mycert",
    "my", "m", "Associate", "associate ", "../associate", "mycert.yaml",
];
const SHELLS: [&str; 7] = ["bash", "zsh", "fish", "elvish", "powershell", "cmd", "BASH"];
const COLORS: [&str; 4] = ["auto", "always", "never", "sometimes"];
#[rustfmt::skip]
const FORMAT_PIECES: [&str; 23] = [
    "{exam}", "{short}", "{readiness}", "{day}", "{days}", "{ticked}", "{items}", "{days_left}",
    "{weakest}", "{pass}", "{{", "}}", "{", "}", "{nope}", "{ exam }", "{}", "{{exam}}", "x", " ", "%",
    "é", "\u{1f600}",
];

fn text(pool: Vec<String>) -> BoxedStrategy<Token> {
    select(pool).prop_map(Token::Text).boxed()
}

fn strs(pool: &[&str]) -> BoxedStrategy<Token> {
    text(pool.iter().map(|s| s.to_string()).collect())
}

fn format_string() -> BoxedStrategy<Token> {
    proptest::collection::vec(select(FORMAT_PIECES.to_vec()), 0..5)
        .prop_map(|pieces| Token::Text(pieces.concat()))
        .boxed()
}

fn validate_file() -> BoxedStrategy<Token> {
    let crate_file = |name: &str| common::crate_file(name).display().to_string();
    prop_oneof![
        Just(Token::StatePath),
        Just(Token::GuideFile),
        strs(&[
            &crate_file("data/associate.yaml"),
            &crate_file("data/professional.yaml"),
            &crate_file("Cargo.toml"),
            "/nonexistent/x.yaml",
            "/",
        ]),
    ]
    .boxed()
}

/// One word of a command line.
fn word() -> BoxedStrategy<Token> {
    prop_oneof![
        3 => strs(&COMMANDS),
        1 => strs(&NOT_COMMANDS),
        3 => text(with_prefixes(item_ids())),
        2 => text(with_prefixes(section_ids())),
        3 => strs(&NUMBERS),
        2 => strs(&DATES),
        3 => strs(&FLAGS),
        2 => strs(&EXAMS),
        1 => strs(&SHELLS),
        1 => format_string(),
        1 => validate_file(),
        // Random printable unicode, and anything but NUL (which no argv can hold).
        1 => "\\PC{0,8}".prop_map(Token::Text).boxed(),
        1 => "[^\u{0}]{0,6}".prop_map(Token::Text).boxed(),
        1 => proptest::collection::vec(1u8..=255, 1..6)
            .prop_filter("not UTF-8", |bytes| std::str::from_utf8(bytes).is_err())
            .prop_map(Token::Bytes)
            .boxed(),
    ]
    .boxed()
}

/// A word, or an option with a plausible value.
fn phrase() -> BoxedStrategy<Vec<Token>> {
    let pair = |flag: &'static str, value: BoxedStrategy<Token>| {
        value.prop_map(move |value| vec![Token::Text(flag.into()), value])
    };
    prop_oneof![
        6 => word().prop_map(|word| vec![word]),
        2 => pair("-e", strs(&EXAMS)),
        1 => pair("--exam", strs(&EXAMS)),
        1 => pair("--on", strs(&DATES)),
        1 => pair("--format", format_string()),
        1 => pair("--color", strs(&COLORS)),
    ]
    .boxed()
}

/// Plausible names: mostly ones that resolve, some that do not.
fn item_name() -> BoxedStrategy<Token> {
    prop_oneof![
        3 => text(item_ids()),
        2 => text(with_prefixes(item_ids())),
        2 => strs(&NUMBERS[..12]),
        1 => strs(&NUMBERS),
    ]
    .boxed()
}

fn section_name() -> BoxedStrategy<Token> {
    prop_oneof![
        2 => text(section_ids()),
        2 => text(with_prefixes(section_ids())),
        3 => strs(&NUMBERS[..7]),
        1 => strs(&NUMBERS),
    ]
    .boxed()
}

fn good_exam() -> BoxedStrategy<Token> {
    prop_oneof![
        4 => strs(&EXAMS[..7]),
        1 => strs(&EXAMS),
    ]
    .boxed()
}

fn good_date() -> BoxedStrategy<Token> {
    prop_oneof![
        3 => strs(&DATES[..3]),
        1 => strs(&DATES),
    ]
    .boxed()
}

fn tokens(words: &[&str]) -> Vec<Token> {
    words
        .iter()
        .map(|word| Token::Text(word.to_string()))
        .collect()
}

/// A command with arguments of the kinds it takes (which may still not resolve).
fn command_with_arguments() -> BoxedStrategy<Vec<Token>> {
    let json = |name: &'static str| {
        proptest::bool::weighted(0.4)
            .prop_map(move |json| {
                let mut line = tokens(&[name]);
                if json {
                    line.push(Token::Text("--json".into()));
                }
                line
            })
            .boxed()
    };
    let many = |name: &'static str, argument: BoxedStrategy<Token>, min: usize| {
        proptest::collection::vec(argument, min..=3)
            .prop_map(move |arguments| {
                tokens(&[name])
                    .into_iter()
                    .chain(arguments)
                    .collect::<Vec<_>>()
            })
            .boxed()
    };
    let day = prop_oneof![4 => strs(&NUMBERS[..10]), 1 => strs(&NUMBERS)].boxed();
    prop_oneof![
        json("status"),
        json("exams"),
        Just(tokens(&["guide"])).boxed(),
        json("checklist"),
        many("tick", item_name(), 1),
        many("untick", item_name(), 1),
        (
            section_name(),
            prop_oneof![strs(&NUMBERS[..7]), strs(&["--clear"])]
        )
            .prop_map(|(section, rating)| vec![
                Token::Text("rate".into()),
                section,
                rating
            ]),
        (good_exam(), proptest::option::weighted(0.5, good_date())).prop_map(|(exam, on)| {
            let mut line = vec![Token::Text("start".into()), exam];
            if let Some(on) = on {
                line.extend([Token::Text("--on".into()), on]);
            }
            line
        }),
        good_exam().prop_map(|exam| vec![Token::Text("use".into()), exam]),
        json("today"),
        json("plan"),
        many("done", day.clone(), 0),
        many("undone", day, 1),
        prop_oneof![good_date(), strs(&["--clear"])]
            .prop_map(|date| vec![Token::Text("book".into()), date]),
        proptest::option::weighted(0.6, format_string()).prop_map(|format| {
            let mut line = tokens(&["prompt"]);
            if let Some(format) = format {
                line.extend([Token::Text("--format".into()), format]);
            }
            line
        }),
        proptest::bool::weighted(0.8).prop_map(|yes| tokens(if yes {
            &["reset", "--yes"][..]
        } else {
            &["reset"]
        })),
        validate_file().prop_map(|file| vec![Token::Text("validate".into()), file]),
        strs(&SHELLS).prop_map(|shell| vec![Token::Text("completions".into()), shell]),
        (json("next"), proptest::option::of(strs(&NUMBERS))).prop_map(|(mut line, limit)| {
            if let Some(limit) = limit {
                line.extend([Token::Text("--limit".into()), limit]);
            }
            line
        }),
        (json("why"), section_name()).prop_map(|(mut line, section)| {
            line.insert(1, section);
            line
        }),
        json("history"),
        (
            proptest::collection::vec(strs(&SCORES), 1..=5),
            proptest::option::weighted(0.3, strs(&DATES)),
        )
            .prop_map(|(scores, on)| {
                let mut line = tokens(&["practice", "add"]);
                line.extend(scores);
                if let Some(on) = on {
                    line.extend([Token::Text("--on".into()), on]);
                }
                line
            }),
        strs(&NUMBERS[..5]).prop_map(|number| {
            let mut line = tokens(&["practice", "remove"]);
            line.push(number);
            line
        }),
        json("practice"),
        (json("forecast"), proptest::option::of(strs(&NUMBERS))).prop_map(|(mut line, target)| {
            if let Some(target) = target {
                line.extend([Token::Text("--target".into()), target]);
            }
            line
        }),
    ]
    .boxed()
}

/// A command line: mostly a well-formed command (with `-e EXAM` half the time and
/// now and then a stray word), otherwise words and options in any order.
fn command_line() -> impl Strategy<Value = Vec<Token>> {
    let well_formed = (
        command_with_arguments(),
        proptest::option::weighted(0.5, good_exam()),
        any::<bool>(),
        proptest::option::weighted(0.15, word()),
    )
        .prop_map(|(mut line, exam, exam_first, stray)| {
            if let Some(exam) = exam {
                let option = [Token::Text("-e".into()), exam];
                if exam_first {
                    line.splice(0..0, option);
                } else {
                    line.extend(option);
                }
            }
            line.extend(stray);
            line
        });
    let random = (
        proptest::option::weighted(0.85, strs(&COMMANDS)),
        proptest::collection::vec(phrase(), 0..4),
    )
        .prop_map(|(command, phrases)| {
            command
                .into_iter()
                .chain(phrases.into_iter().flatten())
                .collect()
        });
    prop_oneof![3 => well_formed, 1 => random]
}

#[derive(Debug, Clone)]
struct FuzzCase {
    state: StateInput,
    today: &'static str,
    /// Install the valid user guide `mycert.yaml`, and a broken `broken.yaml`.
    mycert: bool,
    broken_guide: bool,
    /// Run one after the other on the same sandbox.
    steps: Vec<Vec<Token>>,
}

fn fuzz_case() -> impl Strategy<Value = FuzzCase> {
    (
        state_input(),
        select(TODAYS.to_vec()),
        proptest::bool::weighted(0.3),
        proptest::bool::weighted(0.1),
        proptest::collection::vec(command_line(), 1..=3),
    )
        .prop_map(|(state, today, mycert, broken_guide, steps)| FuzzCase {
            state,
            today,
            mycert,
            broken_guide,
            steps,
        })
}

// ---------------------------------------------------------------------------
// Running one case.

/// What happened over the cases, to check the generators reach every path.
#[derive(Default)]
struct Coverage {
    steps: Cell<usize>,
    exit: [Cell<usize>; 3],
    clap_errors: Cell<usize>,
    invalid_states: Cell<usize>,
    changed: Cell<usize>,
    created: Cell<usize>,
    read_only_ok: Cell<usize>,
    json_ok: Cell<usize>,
    mutating_on_invalid: Cell<usize>,
}

impl Coverage {
    fn bump(cell: &Cell<usize>) {
        cell.set(cell.get() + 1);
    }
}

/// Commands that never write (README: The progress file: "read-only commands never create
/// or modify the file"); `reset` without `--yes` refuses, so it writes nothing.
fn is_read_only(command: &Option<Command>) -> bool {
    match command {
        None => true,
        Some(command) => match command {
            Command::Status(_)
            | Command::Exams(_)
            | Command::Guide
            | Command::Checklist(_)
            | Command::Today(_)
            | Command::Plan(_)
            | Command::Prompt(_)
            | Command::Completions(_)
            | Command::Validate(_)
            | Command::Next(_)
            | Command::Why(_)
            | Command::History(_)
            | Command::Forecast(_)
            | Command::Help(_) => true,
            Command::Practice(args) => !matches!(
                args.command,
                Some(PracticeCommand::Add(_) | PracticeCommand::Remove(_))
            ),
            Command::Reset(args) => !args.yes,
            // It reads learners' files; only `--html FILE` writes, and only FILE.
            Command::Report(args) => args.html.is_none(),
            Command::Where(_) => true,
            Command::Name(args) => args.name.is_none() && !args.clear,
            // It writes ./certprep.toml, or OURS.
            Command::Init(_) | Command::Merge(_) => false,
            Command::Tick(_)
            | Command::Untick(_)
            | Command::Rate(_)
            | Command::Start(_)
            | Command::Use(_)
            | Command::Done(_)
            | Command::Undone(_)
            | Command::Book(_) => false,
        },
    }
}

fn wants_json(command: &Option<Command>) -> bool {
    match command {
        Some(
            Command::Status(args)
            | Command::Exams(args)
            | Command::Checklist(args)
            | Command::Today(args)
            | Command::History(args)
            | Command::Where(args),
        ) => args.json,
        Some(Command::Plan(args)) => args.json,
        Some(Command::Next(args)) => args.json,
        Some(Command::Why(args)) => args.json,
        Some(Command::Forecast(args)) => args.json,
        Some(Command::Practice(args)) => match &args.command {
            None => args.json,
            Some(PracticeCommand::List(list)) => list.json,
            Some(_) => false,
        },
        _ => false,
    }
}

/// Ids of every guide the case knows, to tell unknown ids from known ones.
struct Known {
    items: BTreeSet<String>,
    sections: BTreeSet<String>,
    exams: BTreeSet<String>,
    max_day: u32,
}

fn known() -> Known {
    let guides = all_guides();
    Known {
        items: guides
            .iter()
            .flat_map(|g| g.checklist.iter().map(|i| i.id.clone()))
            .collect(),
        sections: guides
            .iter()
            .flat_map(|g| g.sections.iter().map(|s| s.id.clone()))
            .collect(),
        exams: guides.iter().map(|g| g.id.clone()).collect(),
        max_day: guides.iter().map(Guide::plan_days).max().unwrap_or(0),
    }
}

fn leftover_temp_files(env: &Env) -> Vec<String> {
    // The sandbox's own directories, the state file, its lock file and its
    // history; anything else is a temp file a write left behind.
    let expected = [
        "guides",
        "home",
        "data",
        "config",
        "state.toml",
        "state.toml.lock",
        "state.history.toml",
    ];
    std::fs::read_dir(env.dir.path())
        .expect("the sandbox")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| !expected.contains(&name.as_str()))
        .collect()
}

/// One case: a sandbox with the case's state and guides, then each command line in
/// turn, checked against the properties of the module header.
fn run_case(case: &FuzzCase, coverage: &Coverage) -> Result<(), TestCaseError> {
    let env = Env::new();
    let invalid = prepare(&env, case, coverage)?;
    let known = known();
    for tokens in &case.steps {
        let step = run_step(&env, case, tokens, invalid, coverage)?;
        let Some(cli) = parse_like_the_binary(&env, case, &step, coverage)? else {
            continue;
        };
        check_by_command(&env, &step, &cli, invalid, coverage)?;
        if step.after != step.before {
            check_written_state(&env, &step, &cli, &known, coverage)?;
        }
    }
    Ok(())
}

/// Writes the case's state file and guides into the sandbox, checks a generated
/// state is as valid or as broken as it was built to be, and says whether it is
/// invalid.
fn prepare(env: &Env, case: &FuzzCase, coverage: &Coverage) -> Result<bool, TestCaseError> {
    let initial = case.state.bytes();
    if let Some(bytes) = &initial {
        env.write_state(bytes);
    }
    if case.mycert {
        env.install_guide("mycert.yaml", MYCERT);
    }
    if case.broken_guide {
        env.install_guide("broken.yaml", "id: [\n");
    }
    let parsed = initial.as_deref().map(parse_state);
    match &case.state {
        StateInput::Valid(_) => prop_assert!(
            matches!(parsed, Some(Some(_))),
            "a generated valid state does not parse"
        ),
        StateInput::Broken(..) => prop_assert!(
            matches!(parsed, Some(None)),
            "a state broken by construction parses"
        ),
        _ => {}
    }
    let invalid = matches!(parsed, Some(None));
    if invalid {
        Coverage::bump(&coverage.invalid_states);
    }
    Ok(invalid)
}

/// One command line run on the sandbox, with the state file around it.
struct Step {
    args: Vec<OsString>,
    stdout: Vec<u8>,
    stderr: String,
    /// The exit code, known to be 0, 1 or 2.
    code: i32,
    before: Option<Vec<u8>>,
    after: Option<Vec<u8>>,
    /// The command line and its output, for failure messages.
    shown: String,
}

/// Runs one command line and checks what holds for every command: exit 0, 1 or 2,
/// no panic, no temp file left, and no change when it failed or the state is
/// invalid.
fn run_step(
    env: &Env,
    case: &FuzzCase,
    tokens: &[Token],
    invalid: bool,
    coverage: &Coverage,
) -> Result<Step, TestCaseError> {
    let before = env.state_bytes();
    let args: Vec<OsString> = tokens.iter().map(|token| token.render(env)).collect();
    let output = env
        .cmd_on(case.today, &[])
        .args(&args)
        .timeout(Duration::from_secs(30))
        .output()
        .expect("run certprep");
    let after = env.state_bytes();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let code = output.status.code();
    let shown = format!(
        "certprep {args:?} (today {})\nexit {code:?}\nstdout: {}\nstderr: {stderr}",
        case.today,
        String::from_utf8_lossy(&output.stdout)
    );
    Coverage::bump(&coverage.steps);

    prop_assert!(
        matches!(code, Some(0..=2)),
        "exit code not 0, 1 or 2: {shown}"
    );
    let code = code.unwrap_or(-1);
    Coverage::bump(&coverage.exit[code as usize]);
    prop_assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "panic: {shown}"
    );
    let leftovers = leftover_temp_files(env);
    prop_assert!(
        leftovers.is_empty(),
        "files left behind {leftovers:?}: {shown}"
    );
    if code != 0 {
        prop_assert!(
            after == before,
            "a failed command changed the state: {shown}"
        );
    }
    if invalid {
        prop_assert!(
            after == before,
            "a command changed an invalid state: {shown}"
        );
    }
    Ok(Step {
        args,
        stdout: output.stdout,
        stderr,
        code,
        before,
        after,
        shown,
    })
}

/// The same command line, parsed in-process by the program's own parser. `None`
/// when the parser rejects it, after checking the binary rejected it the same way
/// and wrote nothing.
fn parse_like_the_binary(
    env: &Env,
    case: &FuzzCase,
    step: &Step,
    coverage: &Coverage,
) -> Result<Option<Cli>, TestCaseError> {
    let mut argv: Vec<OsString> = vec!["certprep".into(), "--state".into()];
    argv.push(env.state_path().into());
    argv.extend(["--today".into(), case.today.into()]);
    argv.extend(step.args.iter().cloned());
    match Cli::try_parse_from(&argv) {
        Ok(cli) => Ok(Some(cli)),
        Err(error) => {
            let shown = &step.shown;
            Coverage::bump(&coverage.clap_errors);
            prop_assert_eq!(
                step.code,
                error.exit_code(),
                "the binary and the parser disagree: {}",
                shown
            );
            prop_assert!(
                step.after == step.before,
                "a rejected command line wrote: {shown}"
            );
            Ok(None)
        }
    }
}

/// What depends on the command: read-only commands never write, `--json` prints
/// JSON, writes on a broken state fail naming the file, and `prompt` on a broken
/// state prints one line on stderr only.
fn check_by_command(
    env: &Env,
    step: &Step,
    cli: &Cli,
    invalid: bool,
    coverage: &Coverage,
) -> Result<(), TestCaseError> {
    let (code, shown) = (step.code, &step.shown);
    let read_only = is_read_only(&cli.command);
    if read_only {
        prop_assert!(
            step.after == step.before,
            "a read-only command changed the state: {shown}"
        );
        if code == 0 {
            Coverage::bump(&coverage.read_only_ok);
        }
    }
    if code == 0 && wants_json(&cli.command) {
        Coverage::bump(&coverage.json_ok);
        let document: Result<serde_json::Value, _> = serde_json::from_slice(&step.stdout);
        prop_assert!(document.is_ok(), "--json printed no JSON: {shown}");
    }
    if invalid && !read_only {
        Coverage::bump(&coverage.mutating_on_invalid);
        // Writing means reading first: a broken file fails the command.
        prop_assert!(code != 0, "a write succeeded on a broken state: {shown}");
        if code == 1 {
            let path = format!("{}:", env.state_path().display());
            prop_assert!(
                step.stderr.contains(&path),
                "the error does not name the state file and line: {shown}"
            );
        }
    }
    if invalid && matches!(cli.command, Some(Command::Prompt(_))) {
        // the README's "In your shell prompt": nothing on stdout, one line on stderr.
        prop_assert!(code != 0, "prompt succeeded on a broken state: {shown}");
        prop_assert!(step.stdout.is_empty(), "prompt printed: {shown}");
        prop_assert_eq!(step.stderr.trim_end().lines().count(), 1, "{}", shown);
    }
    Ok(())
}

/// A state the program wrote: readable, canonical, private when new, and keeping
/// every id no guide knows.
fn check_written_state(
    env: &Env,
    step: &Step,
    cli: &Cli,
    known: &Known,
    coverage: &Coverage,
) -> Result<(), TestCaseError> {
    let shown = &step.shown;
    Coverage::bump(&coverage.changed);
    let bytes = step.after.clone().unwrap_or_default();
    let new = parse_state(&bytes);
    prop_assert!(
        new.is_some(),
        "the program wrote a state it cannot read: {shown}"
    );
    let new = new.unwrap_or_default();
    prop_assert_eq!(
        state::serialize(&new).into_bytes(),
        bytes,
        "the program wrote a state that is not canonical: {}",
        shown
    );
    if step.before.is_none() {
        Coverage::bump(&coverage.created);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.state_path())
            .expect("the new state")
            .permissions()
            .mode();
        prop_assert_eq!(mode & 0o777, 0o600, "{}", shown);
    }
    let old = step
        .before
        .as_deref()
        .and_then(parse_state)
        .unwrap_or_default();
    let reset = matches!(cli.command, Some(Command::Reset(_)));
    check_unknown_ids_kept(&old, &new, known, reset, shown)
}

/// Ids no guide knows are kept (README: The progress file); `reset` may drop a known exam's.
fn check_unknown_ids_kept(
    old: &State,
    new: &State,
    known: &Known,
    reset: bool,
    shown: &str,
) -> Result<(), TestCaseError> {
    for (exam, progress) in &old.exams {
        if !known.exams.contains(exam) {
            prop_assert_eq!(
                new.exams.get(exam),
                Some(progress),
                "unknown exam {} lost: {}",
                exam,
                shown
            );
            continue;
        }
        if reset {
            continue;
        }
        let kept = new.progress(exam);
        for id in progress
            .ticked
            .iter()
            .filter(|id| !known.items.contains(*id))
        {
            prop_assert!(kept.ticked.contains(id), "ticked {id:?} lost: {shown}");
        }
        for day in progress
            .days_done
            .iter()
            .filter(|day| **day == 0 || **day > known.max_day)
        {
            prop_assert!(kept.days_done.contains(day), "day {day} lost: {shown}");
        }
        for (id, rating) in &progress.ratings {
            if !known.sections.contains(id) {
                prop_assert_eq!(
                    kept.ratings.get(id),
                    Some(rating),
                    "rating {} lost: {}",
                    id,
                    shown
                );
            }
        }
    }
    Ok(())
}

/// `CERTPREP_FUZZ_CASES=N` runs more (or fewer) cases than the default.
fn fuzz_config(cases: u32) -> Config {
    let cases = std::env::var("CERTPREP_FUZZ_CASES")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(cases);
    Config {
        cases,
        failure_persistence: None,
        max_shrink_time: 120_000,
        ..Config::default()
    }
}

#[test]
fn fuzz_commands_against_random_states() {
    let coverage = Coverage::default();
    let mut runner = TestRunner::new(fuzz_config(400));
    let result = runner.run(&fuzz_case(), |case| run_case(&case, &coverage));
    if let Err(error) = result {
        panic!("{error}");
    }
    // The generators really reach every path the properties rely on.
    let count = |cell: &Cell<usize>| cell.get();
    let report = format!(
        "steps {}, exit 0/1/2: {}/{}/{}, parser errors {}, invalid states {}, writes on \
         invalid {}, changed {}, created {}, read-only ok {}, json ok {}",
        count(&coverage.steps),
        count(&coverage.exit[0]),
        count(&coverage.exit[1]),
        count(&coverage.exit[2]),
        count(&coverage.clap_errors),
        count(&coverage.invalid_states),
        count(&coverage.mutating_on_invalid),
        count(&coverage.changed),
        count(&coverage.created),
        count(&coverage.read_only_ok),
        count(&coverage.json_ok),
    );
    eprintln!("{report}");
    for (what, cell, minimum) in [
        ("exit 0", &coverage.exit[0], 40),
        ("exit 1", &coverage.exit[1], 40),
        ("exit 2", &coverage.exit[2], 40),
        ("parser errors", &coverage.clap_errors, 20),
        ("invalid states", &coverage.invalid_states, 25),
        ("writes on invalid", &coverage.mutating_on_invalid, 10),
        ("changed", &coverage.changed, 10),
        ("created", &coverage.created, 3),
        ("read-only ok", &coverage.read_only_ok, 20),
        ("json ok", &coverage.json_ok, 3),
    ] {
        assert!(count(cell) >= minimum, "too few {what}: {report}");
    }
}

/// Draws `count` values of a strategy, deterministically.
fn sample<S: Strategy>(strategy: S, count: usize) -> Vec<S::Value> {
    let mut runner = TestRunner::deterministic();
    (0..count)
        .map(|_| strategy.new_tree(&mut runner).expect("a value").current())
        .collect()
}

#[test]
fn state_generators_make_what_they_claim() {
    let states = sample(state_input(), 400);
    let mut kinds = [0usize; 4];
    let mut arbitrary_invalid = 0;
    let mut unknown_active = 0;
    let mut unknown_ticked = 0;
    for state in &states {
        let parsed = state.bytes().map(|bytes| parse_state(&bytes));
        match state {
            StateInput::Absent => kinds[0] += 1,
            StateInput::Valid(generated) => {
                kinds[1] += 1;
                let parsed = parsed.flatten().unwrap_or_else(|| {
                    panic!("does not parse:\n{}", generated.render());
                });
                if parsed.active.as_deref() == Some("gone") {
                    unknown_active += 1;
                }
                if parsed
                    .exams
                    .values()
                    .any(|p| p.ticked.iter().any(|id| !item_ids().contains(id)))
                {
                    unknown_ticked += 1;
                }
            }
            StateInput::Broken(generated, corruption) => {
                kinds[2] += 1;
                assert_eq!(
                    parsed,
                    Some(None),
                    "{corruption:?} parses:\n{}",
                    generated.render()
                );
            }
            StateInput::Arbitrary(_) => {
                kinds[3] += 1;
                arbitrary_invalid += usize::from(parsed == Some(None));
            }
        }
    }
    assert!(kinds.iter().all(|kind| *kind > 10), "{kinds:?}");
    assert!(arbitrary_invalid > 10, "{arbitrary_invalid}");
    assert!(unknown_active > 5 && unknown_ticked > 5);
}

/// Each corruption, on its own, makes a real command fail with exit 1 and leaves
/// the file as it was: the "invalid state" property is not vacuous.
#[test]
fn every_corruption_fails_commands() {
    let valid = StateGen {
        active: Some("associate"),
        active_first: false,
        comment: false,
        exams: vec![ExamGen {
            key: "associate",
            started: Some("2026-11-20"),
            booked: None,
            ticked: vec!["automl".into()],
            days: vec![1],
            ratings: vec![("databricks-ml".into(), 3)],
            inline_ratings: false,
            explicit_empty: false,
        }],
    };
    let env = Env::new();
    env.write_state(valid.render());
    env.ok(&["tick", "2"]);
    let corruptions = BAD_VERSIONS
        .iter()
        .map(|v| Corruption::Version(v))
        .chain([Corruption::DropVersion, Corruption::NotUtf8(30)])
        .chain(BAD_TOP_LINES.iter().map(|l| Corruption::TopLine(l)))
        .chain(BAD_EXAM_LINES.iter().map(|l| Corruption::ExamLine(l)))
        .chain(BAD_RATING_LINES.iter().map(|l| Corruption::RatingLine(l)))
        .chain(GARBAGE.iter().map(|g| Corruption::Garbage(g)));
    for corruption in corruptions {
        let bytes = corruption.apply(&valid);
        env.write_state(&bytes);
        for args in [&["status"][..], &["tick", "2"], &["reset", "--yes"]] {
            let output = env.cmd(args).output().unwrap();
            assert_eq!(
                output.status.code(),
                Some(1),
                "{corruption:?} {args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert_eq!(env.state_bytes().as_deref(), Some(&bytes[..]));
        }
    }
}

/// The command-line pools reach usage errors, run-time errors and successes.
#[test]
fn argument_pools_reach_every_exit_code() {
    let env = Env::new();
    for (args, code) in [
        (&["tick", "99"][..], 2),
        (&["tick", "0"], 2),
        (&["-e", "a", "tick", "-1"], 2),
        (&["-e", "a", "tick", "m"], 2),
        (&["-e", "x", "status"], 2),
        (&["-e", "a", "rate", "1", "6"], 2),
        (&["-e", "a", "book", "2026-02-30"], 2),
        (&["-e", "a", "done", "4294967296"], 2),
        (&["-e", "a", "prompt", "--format", "{nope}"], 2),
        (&["-e", "a", "prompt", "--format", "{ exam }"], 2),
        (&["completions", "cmd"], 2),
        (&["reset"], 2),
        (&["validate", "/nonexistent/x.yaml"], 1),
        (&["validate", "/"], 1),
        (&["--help"], 0),
        (&["-e", "a", "prompt", "--format", "{{exam}} {exam}"], 0),
    ] {
        let output = env.cmd(args).output().unwrap();
        assert_eq!(output.status.code(), Some(code), "{args:?}");
        assert_eq!(env.state_bytes(), None, "{args:?}");
    }
    env.ok(&["-e", "mla", "tick", "1", "auto"]);
    assert!(
        env.state_bytes().is_some(),
        "a successful write creates the file"
    );
    env.write_state("version = 1\nactive = \"gone\"\n");
    let output = env.cmd(&["status"]).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "an active exam with no guide"
    );
}

// ---------------------------------------------------------------------------
// Readiness (README: Readiness), in-process.

/// The readiness components' weights: 0.5 rating, 0.3 checklist, 0.2 plan,
/// written here rather than read from the guide the program parsed, so that a
/// parser that lost or changed them is caught.
#[derive(Clone, Copy, Debug)]
struct Components {
    rating: f64,
    checklist: f64,
    plan: f64,
}

const DEFAULT_COMPONENTS: Components = Components {
    rating: 0.5,
    checklist: 0.3,
    plan: 0.2,
};

impl Components {
    /// The weights a generated guide shape writes in its `readiness:` block, or
    /// the defaults when it writes none: the test's own input, not the parse.
    fn of(shape: &GuideShape) -> Components {
        shape
            .readiness
            .map_or(DEFAULT_COMPONENTS, |(rating, checklist, plan)| Components {
                rating,
                checklist,
                plan,
            })
    }
}

/// Section readiness and overall, straight from the readiness formula, with the
/// component `weights` the test knows the guide to have.
fn formula(guide: &Guide, weights: Components, progress: &Progress) -> (Vec<f64>, f64) {
    let sections: Vec<f64> = guide
        .sections
        .iter()
        .map(|section| {
            let trains = |sections: &[String]| sections.contains(&section.id);
            let items: Vec<&str> = guide
                .checklist
                .iter()
                .filter(|item| trains(&item.sections))
                .map(|item| item.id.as_str())
                .collect();
            let days: Vec<u32> = guide
                .plan
                .iter()
                .filter(|entry| trains(&entry.sections))
                .flat_map(|entry| entry.days.first..=entry.days.last)
                .collect();
            let rating = progress
                .ratings
                .get(&section.id)
                .map_or(0.0, |r| (f64::from(r.get()) - 1.0) / 4.0);
            let mut top = weights.rating * rating;
            let mut bottom = weights.rating;
            if !items.is_empty() {
                let ticked = items
                    .iter()
                    .filter(|id| progress.ticked.contains(**id))
                    .count();
                top += weights.checklist * ticked as f64 / items.len() as f64;
                bottom += weights.checklist;
            }
            if !days.is_empty() {
                let done = days
                    .iter()
                    .filter(|d| progress.days_done.contains(d))
                    .count();
                top += weights.plan * done as f64 / days.len() as f64;
                bottom += weights.plan;
            }
            100.0 * top / bottom
        })
        .collect();
    let total: f64 = guide.sections.iter().map(|s| f64::from(s.weight)).sum();
    let overall = guide
        .sections
        .iter()
        .zip(&sections)
        .map(|(section, r)| f64::from(section.weight) * r)
        .sum::<f64>()
        / total;
    (sections, overall)
}

fn in_range(value: f64) -> bool {
    value.is_finite() && (0.0..=100.0).contains(&value)
}

/// Assesses and checks bounds, the points sum and the formula.
fn checked(
    guide: &Guide,
    weights: Components,
    progress: &Progress,
    step: &str,
) -> Result<Scores, TestCaseError> {
    let result = assess(guide, progress);
    let checks = || -> Result<(), TestCaseError> {
        prop_assert_eq!(result.sections.len(), guide.sections.len());
        for (section, score) in guide.sections.iter().zip(&result.sections) {
            prop_assert!(
                in_range(score.readiness),
                "{}: readiness {}",
                section.id,
                score.readiness
            );
            prop_assert!(score.points.is_finite(), "{}: points", section.id);
            let points = f64::from(section.weight) * score.readiness / 100.0;
            prop_assert!(
                (score.points - points).abs() < 1e-9,
                "{}: points",
                section.id
            );
        }
        prop_assert!(in_range(result.overall), "overall {}", result.overall);
        let points: f64 = result.sections.iter().map(|s| s.points).sum();
        prop_assert!(
            (points - result.overall).abs() < 1e-9,
            "points sum to {points}, overall is {}",
            result.overall
        );
        // The program rounds each readiness, each points value and the overall to
        // 1e-9 (`snap`, so that halves come out exact): the overall may drift from
        // the unrounded formula by a few 1e-10, hence the looser tolerance there.
        let (sections, overall) = formula(guide, weights, progress);
        for (score, expected) in result.sections.iter().zip(&sections) {
            prop_assert!(
                (score.readiness - expected).abs() < 1e-9,
                "readiness {} by the formula is {expected}",
                score.readiness
            );
        }
        prop_assert!(
            (result.overall - overall).abs() < 1e-8,
            "overall {} by the formula is {overall}",
            result.overall
        );
        Ok(())
    };
    checks().map_err(|error| TestCaseError::fail(format!("{step}: {error}")))?;
    Ok(result)
}

fn not_lower(before: &Scores, after: &Scores, step: &str) -> Result<(), TestCaseError> {
    for (index, (old, new)) in before.sections.iter().zip(&after.sections).enumerate() {
        prop_assert!(
            new.readiness >= old.readiness,
            "{step} lowered section {} from {} to {}",
            index + 1,
            old.readiness,
            new.readiness
        );
    }
    prop_assert!(
        after.overall >= before.overall,
        "{step} lowered the overall from {} to {}",
        before.overall,
        after.overall
    );
    Ok(())
}

/// Every single step forward (one more item, one more day, one rating step up,
/// unrated to any rating) never lowers a section or the overall.
fn check_monotone(
    guide: &Guide,
    weights: Components,
    progress: &Progress,
) -> Result<(), TestCaseError> {
    let base = checked(guide, weights, progress, "as generated")?;
    let step = |change: &dyn Fn(&mut Progress), what: String| {
        let mut next = progress.clone();
        change(&mut next);
        let after = checked(guide, weights, &next, &what)?;
        not_lower(&base, &after, &what)
    };
    for item in &guide.checklist {
        if !progress.ticked.contains(&item.id) {
            step(
                &|p| {
                    p.ticked.insert(item.id.clone());
                },
                format!("ticking {}", item.id),
            )?;
        }
    }
    for day in 1..=guide.plan_days() {
        if !progress.days_done.contains(&day) {
            step(
                &|p| {
                    p.days_done.insert(day);
                },
                format!("doing day {day}"),
            )?;
        }
    }
    for section in &guide.sections {
        let current = progress.ratings.get(&section.id).map(|r| r.get());
        let raised: Vec<u8> = match current {
            None => (Rating::MIN..=Rating::MAX).collect(),
            Some(value) if value < Rating::MAX => vec![value + 1],
            Some(_) => vec![],
        };
        for value in raised {
            let rating = Rating::new(value).expect("1..=5");
            step(
                &|p| {
                    p.ratings.insert(section.id.clone(), rating);
                },
                format!("rating {} {current:?} -> {value}", section.id),
            )?;
        }
    }
    Ok(())
}

/// Random progress over a guide's ids, with unknown ids and out-of-range days.
fn progress_for(items: Vec<String>, sections: Vec<String>, days: u32) -> BoxedStrategy<Progress> {
    let item_count = items.len();
    let all_days: Vec<u32> = (1..=days).collect();
    let day_count = all_days.len();
    let unknown_day = prop_oneof![Just(0u32), days + 1..days + 5, Just(u32::MAX)];
    let unknown_section = select(vec!["gone", "old-section", "Databricks ML"]);
    (
        subsequence(items, 0..=item_count),
        proptest::collection::vec(select(UNKNOWN_IDS.to_vec()), 0..3),
        subsequence(all_days, 0..=day_count),
        proptest::collection::vec(unknown_day, 0..3),
        proptest::collection::vec(proptest::option::of(1u8..=5), sections.len()),
        proptest::collection::vec((unknown_section, 1u8..=5), 0..3),
    )
        .prop_map(
            move |(ticked, unknown_ticked, done, unknown_days, ratings, unknown_ratings)| {
                let rating = |value: u8| Rating::new(value).expect("1..=5");
                Progress {
                    ticked: ticked
                        .into_iter()
                        .chain(unknown_ticked.into_iter().map(String::from))
                        .collect(),
                    days_done: done.into_iter().chain(unknown_days).collect(),
                    ratings: sections
                        .iter()
                        .zip(ratings)
                        .filter_map(|(id, value)| Some((id.clone(), rating(value?))))
                        .chain(
                            unknown_ratings
                                .into_iter()
                                .map(|(id, value)| (id.to_string(), rating(value))),
                        )
                        .collect(),
                    ..Progress::default()
                }
            },
        )
        .boxed()
}

fn bundled_case() -> impl Strategy<Value = (usize, Progress)> {
    (0..bundled().len()).prop_flat_map(|index| {
        let guide = &bundled()[index];
        progress_for(
            guide.checklist.iter().map(|i| i.id.clone()).collect(),
            guide.sections.iter().map(|s| s.id.clone()).collect(),
            guide.plan_days(),
        )
        .prop_map(move |progress| (index, progress))
    })
}

/// The shape of a valid user guide: section weights summing to 100, items and
/// plan entries naming sections by bit mask, optional component weights.
#[derive(Debug, Clone)]
struct GuideShape {
    weights: Vec<u32>,
    items: Vec<u32>,
    /// (length in days, sections mask)
    plan: Vec<(u32, u32)>,
    readiness: Option<(f64, f64, f64)>,
}

/// A component weight as a learner would write it (up to 1000, the largest the
/// validation accepts); `extreme` adds the largest finite numbers.
fn component_weight(extreme: bool) -> BoxedStrategy<f64> {
    let ordinary = prop_oneof![
        8 => 0.0..10.0f64,
        1 => Just(0.0),
        1 => Just(1.0),
        1 => Just(1000.0),
        1 => Just(f64::MIN_POSITIVE),
    ];
    if extreme {
        prop_oneof![
            1 => ordinary,
            1 => select(vec![f64::MAX, 1e308, 1e307, 1e300]),
        ]
        .boxed()
    } else {
        ordinary.boxed()
    }
}

fn guide_shape(extreme: bool) -> impl Strategy<Value = GuideShape> {
    (1usize..=5)
        .prop_flat_map(move |sections| {
            let masks = 1u32..(1 << sections);
            (
                subsequence((1u32..100).collect::<Vec<_>>(), sections - 1),
                proptest::collection::vec(masks.clone(), 1..=6),
                proptest::collection::vec((1u32..=3, masks), 0..=4),
                proptest::option::of((
                    component_weight(extreme).prop_filter("rating above 0", |w| *w > 0.0),
                    component_weight(extreme),
                    component_weight(extreme),
                )),
            )
        })
        .prop_map(|(cuts, mut items, plan, readiness)| {
            let mut bounds = vec![0];
            bounds.extend(cuts);
            bounds.push(100);
            let weights: Vec<u32> = bounds.windows(2).map(|w| w[1] - w[0]).collect();
            // Every section trained by something: untrained ones go to an item.
            let trained = items
                .iter()
                .chain(plan.iter().map(|(_, m)| m))
                .fold(0, |a, m| a | m);
            for section in 0..weights.len() {
                if trained & (1 << section) == 0 {
                    let slot = section % items.len();
                    items[slot] |= 1 << section;
                }
            }
            GuideShape {
                weights,
                items,
                plan,
                readiness,
            }
        })
}

impl GuideShape {
    fn section_id(index: usize) -> String {
        format!("sec-{}", (b'a' + index as u8) as char)
    }

    fn names(&self, mask: u32) -> String {
        let ids: Vec<String> = (0..self.weights.len())
            .filter(|s| mask & (1 << s) != 0)
            .map(Self::section_id)
            .collect();
        ids.join(", ")
    }

    fn days(&self) -> u32 {
        self.plan.iter().map(|(length, _)| length).sum()
    }

    fn yaml(&self) -> String {
        let mut text = String::from(
            "id: shape\nname: Shape\nshort: S\nassessment: {questions: 1, minutes: 1}\nsections:\n",
        );
        for (index, weight) in self.weights.iter().enumerate() {
            let id = Self::section_id(index);
            text.push_str(&format!("  - {{id: {id}, name: {id}, weight: {weight}}}\n"));
        }
        text.push_str("checklist:\n");
        for (index, mask) in self.items.iter().enumerate() {
            text.push_str(&format!(
                "  - {{id: item-{index}, text: t, sections: [{}]}}\n",
                self.names(*mask)
            ));
        }
        text.push_str("plan:");
        if self.plan.is_empty() {
            text.push_str(" []");
        }
        text.push('\n');
        let mut first = 1;
        for (length, mask) in &self.plan {
            let last = first + length - 1;
            let days = if length == &1 {
                first.to_string()
            } else {
                format!("\"{first}-{last}\"")
            };
            text.push_str(&format!(
                "  - {{days: {days}, topic: t, sections: [{}]}}\n",
                self.names(*mask)
            ));
            first = last + 1;
        }
        if let Some((rating, checklist, plan)) = self.readiness {
            text.push_str(&format!(
                "readiness: {{rating: {rating:?}, checklist: {checklist:?}, plan: {plan:?}}}\n"
            ));
        }
        text
    }
}

fn shape_case(extreme: bool) -> impl Strategy<Value = (GuideShape, Progress)> {
    guide_shape(extreme).prop_flat_map(|shape| {
        let items = (0..shape.items.len())
            .map(|i| format!("item-{i}"))
            .collect();
        let sections = (0..shape.weights.len())
            .map(GuideShape::section_id)
            .collect();
        progress_for(items, sections, shape.days()).prop_map(move |p| (shape.clone(), p))
    })
}

fn check_shape(shape: &GuideShape, progress: &Progress) -> Result<(), TestCaseError> {
    let yaml = shape.yaml();
    let guide = Guide::from_yaml(&yaml, "shape.yaml");
    prop_assert!(
        guide.is_ok(),
        "a valid guide is refused: {:?}\n{}",
        guide.err(),
        yaml
    );
    let guide = guide.expect("checked");
    prop_assert_eq!(guide.plan_days(), shape.days());
    check_monotone(&guide, Components::of(shape), progress)
}

fn readiness_config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(readiness_config(1000))]

    #[test]
    fn bundled_readiness_is_bounded_exact_and_monotone((index, progress) in bundled_case()) {
        check_monotone(&bundled()[index], DEFAULT_COMPONENTS, &progress)?;
    }

    #[test]
    fn unknown_ids_change_nothing((index, progress) in bundled_case()) {
        let guide = &bundled()[index];
        let mut known = progress.clone();
        known.ticked.retain(|id| guide.checklist.iter().any(|item| item.id == *id));
        known.days_done.retain(|day| guide.plan_entry(*day).is_some());
        known.ratings.retain(|id, _| guide.section(id).is_some());
        prop_assert_eq!(assess(guide, &progress), assess(guide, &known));
    }
}

proptest! {
    #![proptest_config(readiness_config(500))]

    #[test]
    fn user_guide_readiness_is_bounded_exact_and_monotone((shape, progress) in shape_case(false)) {
        check_shape(&shape, &progress)?;
    }

}

proptest! {
    #![proptest_config(ProptestConfig {
        max_shrink_iters: 200,
        ..readiness_config(200)
    })]

    /// Any finite weights: the guide is refused by the validation, or its
    /// readiness stays bounded (see the regressions at the end of this file).
    #[test]
    fn extreme_component_weights_are_refused_or_bounded((shape, progress) in shape_case(true)) {
        if let Ok(guide) = Guide::from_yaml(&shape.yaml(), "shape.yaml") {
            check_monotone(&guide, Components::of(&shape), &progress)?;
        }
    }
}

#[test]
fn guide_shapes_cover_the_interesting_cases() {
    let shapes = sample(guide_shape(false), 300);
    assert!(shapes.iter().any(|s| s.plan.is_empty()));
    assert!(shapes.iter().any(|s| s.weights.len() == 1));
    assert!(shapes.iter().any(|s| s.weights.len() == 5));
    assert!(
        shapes
            .iter()
            .any(|s| s.plan.iter().any(|(length, _)| *length > 1))
    );
    assert!(shapes.iter().any(|s| s.readiness.is_some()));
    // A section with no items (its checklist component drops out).
    assert!(shapes.iter().any(|s| {
        (0..s.weights.len()).any(|section| s.items.iter().all(|m| m & (1 << section) == 0))
    }));
}

/// The monotonicity checks can fail: a "step" that undoes progress is caught.
#[test]
fn monotonicity_check_catches_a_step_back() {
    let guide = &bundled()[0];
    let done = Progress {
        ticked: guide.checklist.iter().map(|i| i.id.clone()).collect(),
        ..Progress::default()
    };
    let before = assess(guide, &done);
    let after = assess(guide, &Progress::default());
    assert!(not_lower(&before, &after, "unticking everything").is_err());
    // And rated 1 counts as 0, the same as unrated.
    let mut one = Progress::default();
    one.ratings.insert(
        guide.sections[0].id.clone(),
        Rating::new(1).expect("a rating"),
    );
    assert_eq!(
        assess(guide, &one).overall,
        assess(guide, &Progress::default()).overall
    );
}

// ---------------------------------------------------------------------------
// Regressions: the minimal failing inputs proptest found, as plain tests.

/// A guide with the given component weights and no plan: sections A (77) and B
/// (23) are both trained by its one item, so the plan component drops out.
fn weighted_guide(rating: &str, checklist: &str) -> Result<Guide, GuideError> {
    let yaml = format!(
        "id: huge\nname: Huge\nshort: H\nassessment: {{questions: 1, minutes: 1}}
sections:
  - {{id: sec-a, name: A, weight: 77}}
  - {{id: sec-b, name: B, weight: 23}}
checklist:
  - {{id: item-0, text: t, sections: [sec-a, sec-b]}}
readiness: {{rating: {rating}, checklist: {checklist}, plan: 0.0}}
"
    );
    Guide::from_yaml(&yaml, "huge.yaml")
}

/// f64::MAX, the weight the regressions below were found with.
const HUGE: &str = "1.7976931348623157e308";

/// The largest component weight a guide may have (README, "Reliability").
const LARGEST: &str = "1000";

/// The guide is refused with the one problem the readiness weights give.
fn assert_weights_refused(result: Result<Guide, GuideError>) {
    let error = result.expect_err("component weights above 1000 are refused");
    let problems: Vec<(&str, &str)> = error
        .problems
        .iter()
        .map(|problem| (problem.field.as_str(), problem.message.as_str()))
        .collect();
    assert_eq!(
        problems,
        [(
            "readiness",
            "component weights must be numbers from 0 to 1000, with rating above 0"
        )]
    );
}

/// Readiness of every section and overall is `expected` (all sections agree here).
fn assert_readiness(result: &Scores, expected: f64) {
    for score in &result.sections {
        assert!((score.readiness - expected).abs() < 1e-9, "{result:?}");
    }
    assert!((result.overall - expected).abs() < 1e-9, "{result:?}");
}

/// Found by `extreme_component_weights_are_refused_or_bounded` (at f2ef0f2):
/// with `checklist: 1.7976931348623157e308` (f64::MAX) and the one item ticked,
/// readiness is 100·(MAX·1)/(1 + MAX) = 100 by the README's "Readiness", but
/// `100.0 * sum` overflowed first: every section and the overall were `inf`
/// (`status` showed "inf%", `status --json` had `"readiness": null`). Now the
/// validation refuses such a guide, and at the largest weight it accepts the
/// readiness is what the formula says.
#[test]
fn regression_huge_checklist_weight_gives_infinite_readiness() {
    assert_weights_refused(weighted_guide("1.0", HUGE));
    let guide = weighted_guide("1.0", LARGEST).expect("weight 1000 is allowed");
    let ticked = Progress {
        ticked: ["item-0".to_string()].into(),
        ..Progress::default()
    };
    // Unrated (R = 0), the item ticked (C = 1), no days: in both sections
    // r = 100·(1·0 + 1000·1)/(1 + 1000) = 100 000/1 001 = 99.9000999…
    assert_readiness(&assess(&guide, &ticked), 100_000.0 / 1_001.0);
}

/// The same overflow the other way round: rating and checklist weights both
/// f64::MAX, so their sum was `inf`. Everything done and rated 5 is 100% by the
/// formula; the program computed inf/inf = NaN. Now refused, and 100% at the
/// largest weights allowed.
#[test]
fn regression_huge_rating_and_checklist_weights_give_nan() {
    assert_weights_refused(weighted_guide(HUGE, HUGE));
    let guide = weighted_guide(LARGEST, LARGEST).expect("weight 1000 is allowed");
    let mut done = Progress {
        ticked: ["item-0".to_string()].into(),
        ..Progress::default()
    };
    for id in ["sec-a", "sec-b"] {
        done.ratings.insert(id.into(), Rating::new(5).expect("5"));
    }
    // R = C = 1: r = 100·(1000 + 1000)/(1000 + 1000) = 100.
    assert_readiness(&assess(&guide, &done), 100.0);
}
