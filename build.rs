//! Parses and validates the bundled guides (`data/*.yaml`) with the same model
//! and rules as user guides, so a broken data file fails the build, and compiles
//! each in as a Rust function that builds the [`schema::Guide`] value directly:
//! nothing is parsed at run time. The prompt, which runs on every shell prompt,
//! builds only the guide's outline (see [`outline`]).

use std::fmt::Write;
use std::path::Path;

// The guide model, the same files the crate's `guide` module declares: all of
// `src/guide/` but `mod.rs` (the catalog, which includes what this script writes).
// They name each other as `super::`, which is this script's root here.
#[allow(dead_code)]
#[path = "src/guide/error.rs"]
mod error;
#[allow(dead_code)]
#[path = "src/guide/schema.rs"]
mod schema;
#[allow(dead_code)]
#[path = "src/guide/validate.rs"]
mod validate;
#[allow(dead_code)]
#[path = "src/guide/yaml.rs"]
mod yaml;
// The guide model's did-you-mean hints, which it finds at `crate::suggest`.
#[path = "src/suggest.rs"]
mod suggest;

fn main() {
    println!("cargo::rerun-if-changed=data");
    for model in ["error", "schema", "validate", "yaml"] {
        println!("cargo::rerun-if-changed=src/guide/{model}.rs");
    }
    println!("cargo::rerun-if-changed=src/suggest.rs");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut paths: Vec<_> = std::fs::read_dir("data")
        .expect("the data directory")
        .map(|entry| entry.expect("a data directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    // The order guides are listed in: associate, then professional.
    paths.sort();

    let mut table = format!("const BUNDLED: [Bundled; {}] = [\n", paths.len());
    let mut builders = String::new();
    for (index, path) in paths.iter().enumerate() {
        let text = std::fs::read_to_string(path).expect("a readable guide");
        let origin = path.display().to_string();
        let guide = schema::Guide::from_yaml(&text, &origin).unwrap_or_else(|error| {
            panic!("invalid bundled guide:\n{error}");
        });
        let stem = path.file_stem().and_then(|stem| stem.to_str());
        assert_eq!(
            stem,
            Some(guide.id.as_str()),
            "{origin}: id must equal the file stem"
        );
        writeln!(
            table,
            "    Bundled {{ id: {:?}, guide: guide_{index}, outline: outline_{index} }},",
            guide.id
        )
        .expect("write to a String");
        for (kind, value) in [("guide", &guide), ("outline", &outline(&guide))] {
            write!(
                builders,
                "\n/// `{origin}`, its {kind}.\nfn {kind}_{index}() -> Guide {{\n    "
            )
            .expect("write to a String");
            value.write_literal(&mut builders);
            builders.push_str("\n}\n");
        }
    }
    table.push_str("];\n");
    std::fs::write(Path::new(&out_dir).join("bundled.rs"), table + &builders)
        .expect("write bundled.rs");
    order_hot_functions();
}

/// The functions the prompt and status run, listed in the order they first run
/// (written by `scripts/bench --order` from a callgrind trace of the release
/// binary), are laid out side by side at the start of the binary's code. The
/// prompt then touches a handful of the binary's 64 KiB windows instead of some
/// twenty, and each first touch is a page fault that costs more wall time than
/// its instructions (README, "How fast"). Only lld (and mold) read such a
/// list, so it is passed only where rustc links with its own lld by default
/// (x86_64 Linux, Rust 1.90 on) and no other linker or link flag is configured,
/// and only to release builds: the list names the release profile's symbols,
/// and one that no longer exists is skipped without a word.
fn order_hot_functions() {
    const LIST: &str = "scripts/hot-functions.order";
    println!("cargo::rerun-if-changed={LIST}");
    let var = |name| std::env::var(name).unwrap_or_default();
    let list = Path::new(&var("CARGO_MANIFEST_DIR")).join(LIST);
    let default_linker = std::env::var_os("RUSTC_LINKER").is_none()
        && !var("CARGO_ENCODED_RUSTFLAGS").contains("link");
    if var("PROFILE") == "release"
        && var("TARGET") == "x86_64-unknown-linux-gnu"
        && default_linker
        && rustc_minor_version().is_some_and(|minor| minor >= 90)
        && list.is_file()
        // The C compiler driver splits -Wl, arguments at commas.
        && !list.to_string_lossy().contains(',')
    {
        for arg in [
            format!("--symbol-ordering-file={}", list.display()),
            "--no-warn-symbol-ordering".to_owned(),
        ] {
            println!("cargo::rustc-link-arg-bin=certprep=-Wl,{arg}");
        }
    }
}

/// The minor version of the compiler cargo runs ("rustc 1.95.0 (…)" gives 95).
fn rustc_minor_version() -> Option<u32> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()?;
    let version = String::from_utf8(output.stdout).ok()?;
    version
        .split_whitespace()
        .nth(1)?
        .split('.')
        .nth(1)?
        .parse()
        .ok()
}

/// What the prompt and readiness read of a guide: its id, short label, section
/// ids and weights, which checklist items and plan days train each section, and
/// the component weights, and the exam's and sections' names (`status` shows
/// them). Other texts and reference lists are emptied, so building it takes a
/// fraction of the allocations of the whole guide.
fn outline(guide: &schema::Guide) -> schema::Guide {
    let mut outline = guide.clone();
    // Every field named, so a field added to the model is kept or emptied on purpose.
    let schema::Guide {
        id: _,
        name: _,
        short: _,
        aliases,
        source,
        purpose,
        goal,
        audience,
        assessment,
        sections,
        training,
        hands_on,
        checklist,
        plan_title,
        plan,
        quick_reference,
        getting_ready,
        resources,
        docs,
        books,
        readiness: _,
    } = &mut outline;
    for list in [aliases, getting_ready] {
        list.clear();
    }
    for text in [source, purpose, goal, audience, plan_title] {
        *text = None;
    }
    *assessment = schema::Assessment {
        questions: assessment.questions,
        minutes: assessment.minutes,
        format: None,
        fee: None,
        delivery: None,
        languages: Vec::new(),
        prerequisites: None,
        validity: None,
        notes: Vec::new(),
        official_page: None,
        exam_guide: None,
        pass_percent: assessment.pass_percent,
    };
    for section in sections {
        section.summary = None;
    }
    for item in checklist {
        item.text.clear();
    }
    for entry in plan {
        entry.topic.clear();
    }
    training.clear();
    *hands_on = schema::HandsOn::default();
    quick_reference.clear();
    resources.clear();
    docs.clear();
    books.clear();
    outline
}

/// A value written as the Rust expression that builds it.
trait Literal {
    fn write_literal(&self, out: &mut String);
}

impl Literal for String {
    fn write_literal(&self, out: &mut String) {
        // `{:?}` escapes quotes, backslashes and control characters as Rust does.
        write!(out, "String::from({self:?})").expect("write to a String");
    }
}

/// Whole numbers are their own literals.
macro_rules! integer_literal {
    ($($integer:ty),*) => {$(
        impl Literal for $integer {
            fn write_literal(&self, out: &mut String) {
                write!(out, "{self}").expect("write to a String");
            }
        }
    )*};
}

integer_literal!(u8, u16, u32);

impl Literal for f64 {
    fn write_literal(&self, out: &mut String) {
        // `{:?}` keeps a float literal's point ("1.0"); validation keeps it finite.
        write!(out, "{self:?}").expect("write to a String");
    }
}

impl<T: Literal> Literal for Option<T> {
    fn write_literal(&self, out: &mut String) {
        match self {
            None => out.push_str("None"),
            Some(value) => {
                out.push_str("Some(");
                value.write_literal(out);
                out.push(')');
            }
        }
    }
}

impl<T: Literal> Literal for Vec<T> {
    fn write_literal(&self, out: &mut String) {
        out.push_str("vec![");
        for value in self {
            value.write_literal(out);
            out.push_str(", ");
        }
        out.push(']');
    }
}

/// `Literal` for model structs, field by field. The pattern names every field,
/// so a field added to the model fails the build here until it is listed.
macro_rules! struct_literal {
    ($($name:ident { $($field:ident),* $(,)? })*) => {$(
        impl Literal for schema::$name {
            fn write_literal(&self, out: &mut String) {
                let schema::$name { $($field),* } = self;
                out.push_str(concat!(stringify!($name), " {"));
                $(
                    out.push_str(concat!(" ", stringify!($field), ": "));
                    $field.write_literal(out);
                    out.push(',');
                )*
                out.push_str(" }");
            }
        }
    )*};
}

struct_literal! {
    Guide {
        id, name, short, aliases, source, purpose, goal, audience, assessment, sections,
        training, hands_on, checklist, plan_title, plan, quick_reference, getting_ready,
        resources, docs, books, readiness,
    }
    Assessment {
        questions, minutes, format, fee, delivery, languages, prerequisites, validity, notes,
        official_page, exam_guide, pass_percent,
    }
    Section { id, name, weight, summary }
    Training { format, title, url }
    HandsOn { notes, notebooks }
    Notebook { file, focus }
    Item { id, text, sections }
    PlanEntry { days, topic, sections }
    DaySpan { first, last }
    Reference { title, lines }
    Link { title, url }
    Book { title, authors, year, publisher, url }
    ComponentWeights { rating, checklist, plan }
}
