//! Exam guides: the catalog of bundled and user guides, loaded lazily by id.
//!
//! Bundled and user guides share one model: its types ([`schema`]), the hardened
//! YAML parse ([`yaml`]), the rules ([`validate`]) and the error ([`error`]),
//! which `build.rs` includes too, all but this file. A user guide is YAML,
//! parsed and validated at load. A bundled guide was parsed and validated by
//! `build.rs` and is compiled in as a function that builds the value, so loading
//! it parses nothing: the prompt segment runs on every shell prompt.

mod error;
mod schema;
mod validate;
mod yaml;

use std::path::{Path, PathBuf};

use crate::error::LaidOut;

pub use error::*;
pub use schema::*;
pub use validate::*;
pub use yaml::*;

/// A guide compiled in from `data/`.
struct Bundled {
    id: &'static str,
    /// Builds the whole guide.
    guide: fn() -> Guide,
    /// Builds its outline: ids, the short label, weights and which items and
    /// days train each section, with names and texts empty (see build.rs).
    outline: fn() -> Guide,
}

// `BUNDLED: [Bundled; N]`, one for each `data/*.yaml`, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// The guides certprep knows: the bundled ones and the learner's own `*.yaml`
/// files in `user_dir`. A user guide's id is its file stem, so one guide loads
/// without listing or parsing the others. A user guide whose id is a bundled id
/// replaces the bundled one, so a learner can follow a newer outline and keep
/// their progress.
#[derive(Debug, Clone)]
pub struct Catalog {
    user_dir: Option<PathBuf>,
    texts: Texts,
}

/// What a user guide's texts are made into at load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Texts {
    /// Escaped for a terminal ([`crate::text::escape`]): the text output, the
    /// prompt, the calendar and messages print them.
    Escaped,
    /// As the file holds them, for a `--json` document, whose writer
    /// ([`crate::render::json`]) escapes in JSON's way what a terminal must not
    /// see, so that the value decodes to the file's text.
    AsWritten,
}

impl Catalog {
    /// The catalog with user guides in `user_dir`, their texts [`Texts::Escaped`].
    pub fn new(user_dir: Option<PathBuf>) -> Catalog {
        Catalog {
            user_dir,
            texts: Texts::Escaped,
        }
    }

    /// The catalog with user guides' texts made into `texts` at load.
    pub fn with_texts(self, texts: Texts) -> Catalog {
        Catalog { texts, ..self }
    }

    /// The user guide files, sorted by id: every entry named `*.yaml`, whatever it
    /// is (a directory, a dangling link), so that the loader reports what is not a
    /// guide instead of passing over it. A missing directory holds no guides; one
    /// that cannot be listed is an error.
    fn user_files(&self) -> anyhow::Result<Vec<(String, PathBuf)>> {
        use anyhow::Context;
        let Some(dir) = self.user_dir.as_deref() else {
            return Ok(Vec::new());
        };
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => {
                return Err(error)
                    .with_context(|| format!("cannot list the guide directory {}", dir.display()));
            }
        };
        let mut files = Vec::new();
        for entry in entries {
            let path = entry
                .with_context(|| format!("cannot list the guide directory {}", dir.display()))?
                .path();
            if path.extension().is_some_and(|ext| ext == "yaml") {
                // A name that is not UTF-8 is no valid id; the loader says so.
                let id = path.file_stem().unwrap_or_default().to_string_lossy();
                files.push((id.into_owned(), path));
            }
        }
        files.sort();
        Ok(files)
    }

    /// Every guide id: the bundled ones, then the user guides'.
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = BUNDLED
            .iter()
            .map(|bundled| bundled.id.to_string())
            .collect();
        for (id, _) in self.user_files().unwrap_or_default() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// Loads the guide with this exact id: one file check, one parse. Anything
    /// named `<id>.yaml` in the user directory, even a directory or a dangling
    /// link, is that guide, loaded or reported, never silently passed over.
    pub fn load(&self, id: &str) -> anyhow::Result<Option<Guide>> {
        self.load_as(id, |bundled| (bundled.guide)())
    }

    /// [`load`](Self::load), but a bundled guide comes as its outline: all that
    /// readiness, the prompt and `status` read (ids, names, the short label,
    /// weights, which items and plan days train each section), other texts left
    /// empty. A user guide is parsed whole either way.
    pub fn load_outline(&self, id: &str) -> anyhow::Result<Option<Guide>> {
        self.load_as(id, |bundled| (bundled.outline)())
    }

    fn load_as(&self, id: &str, build: fn(&Bundled) -> Guide) -> anyhow::Result<Option<Guide>> {
        // Only a well-formed id can name a file: no paths, no dots.
        if let Some(dir) = self.user_dir.as_deref().filter(|_| is_valid_id(id)) {
            let path = dir.join(format!("{id}.yaml"));
            if path.symlink_metadata().is_ok() {
                return load_file(&path, self.texts).map(Some);
            }
        }
        Ok(BUNDLED.iter().find(|bundled| bundled.id == id).map(build))
    }

    /// Loads every guide, bundled first, then the user's by id; a broken user
    /// guide is returned as an error beside the good ones, so one bad file never
    /// hides the others.
    pub fn load_all(&self) -> (Vec<Guide>, Vec<anyhow::Error>) {
        let mut errors = Vec::new();
        let user = self.user_files().unwrap_or_else(|error| {
            errors.push(error);
            Vec::new()
        });
        let user_path = |id: &str| user.iter().find(|(user_id, _)| user_id == id);
        let is_bundled = |id: &str| BUNDLED.iter().any(|bundled| bundled.id == id);
        let mut guides = Vec::new();
        let loaded = BUNDLED
            .iter()
            .map(|bundled| match user_path(bundled.id) {
                Some((_, path)) => load_file(path, self.texts),
                None => Ok((bundled.guide)()),
            })
            .chain(
                user.iter()
                    .filter(|(id, _)| !is_bundled(id))
                    .map(|(_, path)| load_file(path, self.texts)),
            );
        for result in loaded {
            match result {
                Ok(guide) => guides.push(guide),
                Err(error) => errors.push(error),
            }
        }
        (guides, errors)
    }
}

/// A guide file's text, or (line, why not), read as the store reads: a regular
/// file only, opened without blocking, and no more than [`MAX_GUIDE_BYTES`].
fn read_guide(path: &Path) -> Result<String, (Option<usize>, String)> {
    let bytes = crate::store::read_regular_within(path, MAX_GUIDE_BYTES)
        .map_err(|error| (None, unreadable(path, &error)))?;
    String::from_utf8(bytes).map_err(|error| {
        let bytes = error.as_bytes();
        let at = error.utf8_error().valid_up_to();
        let line = bytes[..at].iter().filter(|&&byte| byte == b'\n').count() + 1;
        (
            Some(line),
            format!(
                "the file is not UTF-8 text: byte {at} (0x{:02X}) is invalid; save it as UTF-8",
                bytes[at]
            ),
        )
    })
}

/// Why the guide file at `path` could not be read, in a guide's terms.
fn unreadable(path: &Path, error: &std::io::Error) -> String {
    use crate::store::Refusal;
    const LIMIT: &str = "the 1 MiB (1048576 bytes) a guide may have";
    match Refusal::of(error) {
        Some(Refusal::Directory) => "is a directory, not a guide file".into(),
        Some(Refusal::NotRegular) => {
            "is not a regular file (a FIFO, socket or device); a guide is a plain .yaml file".into()
        }
        Some(Refusal::TooLarge { size, .. }) => {
            format!("the file is {size} bytes, more than {LIMIT}")
        }
        Some(Refusal::Grew { .. }) => format!("the file grew past {LIMIT} while it was read"),
        Some(refusal @ (Refusal::Link | Refusal::ForeignLink { .. })) => format!("{refusal}"),
        None => match std::fs::read_link(path) {
            Ok(target) if error.kind() == std::io::ErrorKind::NotFound => format!(
                "is a symbolic link to {}, which does not exist (remove the link or restore its target)",
                target.display()
            ),
            _ => format!("cannot read the file: {error}"),
        },
    }
}

/// The largest user guide file certprep reads: 1 MiB. The bundled guides are
/// about 8 KB each; a guide with a thousand checklist items is about 100 KB. The
/// size is checked before the file is read, and the read stops one byte past the
/// limit, so neither a huge file nor one that grows while it is read can take
/// more memory than this.
pub const MAX_GUIDE_BYTES: u64 = 1 << 20;

/// Reads, parses and validates one guide file; its id must equal its file stem.
/// Only a regular file (or a link to one) is read: a directory, a dangling link,
/// a FIFO (which would block) or a device is reported as a bad guide.
pub fn load_file(path: &Path, texts: Texts) -> anyhow::Result<Guide> {
    // A guide's problems are laid out one a line, each escaped where it quotes the
    // file: the reporter keeps those line breaks.
    load_checked(path, texts).map_err(|error| anyhow::Error::new(LaidOut(error.to_string())))
}

/// [`load_file`], with the guide's own error.
fn load_checked(path: &Path, texts: Texts) -> Result<Guide, GuideError> {
    let origin = path.display().to_string();
    let text = read_guide(path).map_err(|(line, message)| GuideError {
        origin: origin.clone(),
        problems: vec![Problem {
            field: String::new(),
            line,
            message,
        }],
    })?;
    let guide = Guide::from_yaml(&text, &origin)?;
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    if guide.id != stem {
        return Err(GuideError {
            origin,
            problems: vec![Problem {
                field: "id".into(),
                line: line_of_id(&text, &guide.id, 0),
                message: format!(
                    "\"{}\" must equal the file name's stem \"{stem}\" (rename the file or the id)",
                    guide.id
                ),
            }],
        });
    }
    Ok(finish_texts(guide, texts))
}

/// A user guide's strings as `texts` asks: [escaped](Texts::Escaped), every one
/// made safe to print ([`crate::text::escape`]), since a guide file may hold
/// terminal escapes, newlines or bidi overrides in any text and every command,
/// the prompt and the calendar print some of it; or [as written](Texts::AsWritten)
/// for JSON. Doing it once here, through the serde model, covers every field, a
/// field added later too; ids are kebab-case by validation, so they stay as they
/// are. Either way a block scalar's closing line break (`summary: >`) is YAML's,
/// not the text's, and is dropped.
fn finish_texts(guide: Guide, texts: Texts) -> Guide {
    use serde_json::Value;
    fn finish_strings(value: &mut Value, texts: Texts) {
        match value {
            Value::String(text) => {
                let trimmed = text.trim_end_matches('\n');
                *text = match texts {
                    Texts::Escaped => crate::text::escape(trimmed).into_owned(),
                    Texts::AsWritten => trimmed.to_string(),
                };
            }
            Value::Array(values) => values
                .iter_mut()
                .for_each(|value| finish_strings(value, texts)),
            Value::Object(fields) => fields
                .values_mut()
                .for_each(|value| finish_strings(value, texts)),
            _ => {}
        }
    }
    // Most guides hold nothing to escape or trim: find that out from their JSON
    // text, which costs a fraction of building, walking and dropping a JSON tree.
    let json = serde_json::to_string(&guide).expect("the guide model serializes to JSON");
    if !needs_escaping(&json) {
        return guide;
    }
    let mut value: Value = serde_json::from_str(&json).expect("serde_json reads its own JSON");
    finish_strings(&mut value, texts);
    serde_json::from_value(value).expect("escaped text still fits the guide model")
}

/// Whether a string in this JSON text holds a character [`crate::text::escape`]
/// changes, or a line break: serde_json writes control characters below U+0020 as
/// backslash escapes (`\n`, `\u001b`), and every other character as it is.
fn needs_escaping(json: &str) -> bool {
    let mut rest = json;
    // Only a backslash, DEL or a non-ASCII character can start what needs escaping;
    // the bytes before it are ASCII, so it starts a character.
    while let Some(at) = rest.bytes().position(|byte| byte == b'\\' || byte >= 0x7f) {
        let mut chars = rest[at..].chars();
        match chars.next() {
            Some('\\') if !matches!(chars.next(), Some('"' | '\\')) => return true,
            Some(c) if crate::text::is_unsafe(c) => return true,
            _ => rest = chars.as_str(),
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_guides_load_by_id() {
        let catalog = Catalog::new(None);
        assert_eq!(catalog.ids(), ["associate", "professional"]);
        for id in catalog.ids() {
            let guide = catalog.load(&id).unwrap().expect("a bundled guide");
            assert_eq!(guide.id, id);
        }
        assert!(catalog.load("../associate").unwrap().is_none());
    }

    #[test]
    fn json_that_needs_escaping() {
        let needs = |text: &str| needs_escaping(&serde_json::to_string(text).unwrap());
        for clean in ["plain", r#"a\b "quoted" ✓ café"#, "en–dash"] {
            assert!(!needs(clean), "{clean:?}");
        }
        for unsafe_text in [
            "line\n",
            "tab\t",
            "\u{1b}[2J",
            "del\u{7f}",
            "\u{9b}",
            "\u{202e}",
        ] {
            assert!(needs(unsafe_text), "{unsafe_text:?}");
        }
    }

    #[test]
    fn user_guide_text_is_escaped_at_load() {
        let text = r#"id: esc
name: "Esc \e[2J\u202E"
short: E
assessment: {questions: 1, minutes: 1}
sections:
  - id: only
    name: Only
    weight: 100
    summary: >
      folded
      text
checklist:
  - id: one
    text: "a\tb\nc"
    sections: [only]
"#;
        let parsed = Guide::from_yaml(text, "esc.yaml").unwrap();
        let guide = finish_texts(parsed.clone(), Texts::Escaped);
        assert_eq!(guide.name, "Esc \\u{1b}[2J\\u{202e}");
        // The folded block's closing line break is YAML's, so it goes.
        assert_eq!(guide.sections[0].summary.as_deref(), Some("folded text"));
        assert_eq!(guide.checklist[0].text, "a\\tb\\nc");
        assert_eq!(
            (guide.id.as_str(), guide.checklist[0].id.as_str()),
            ("esc", "one")
        );
        // For JSON the texts stay as written, less the block's line break.
        let guide = finish_texts(parsed, Texts::AsWritten);
        assert_eq!(guide.name, "Esc \u{1b}[2J\u{202e}");
        assert_eq!(guide.sections[0].summary.as_deref(), Some("folded text"));
        assert_eq!(guide.checklist[0].text, "a\tb\nc");
        // A guide with nothing to escape comes back as it was.
        let catalog = Catalog::new(None);
        for id in catalog.ids() {
            let guide = catalog.load(&id).unwrap().unwrap();
            let json_of = |guide: &Guide| serde_json::to_value(guide).unwrap();
            for texts in [Texts::Escaped, Texts::AsWritten] {
                assert_eq!(
                    json_of(&finish_texts(guide.clone(), texts)),
                    json_of(&guide)
                );
            }
        }
    }

    #[test]
    fn outlines_keep_what_readiness_and_the_prompt_read() {
        use crate::readiness::assess;
        use crate::state::{Progress, Rating};
        let catalog = Catalog::new(None);
        for id in catalog.ids() {
            let guide = catalog.load(&id).unwrap().unwrap();
            let outline = catalog.load_outline(&id).unwrap().unwrap();
            assert_eq!(
                (&outline.id, &outline.name, &outline.short),
                (&guide.id, &guide.name, &guide.short)
            );
            let sections = |guide: &Guide| -> Vec<(String, String, u32)> {
                let sections = guide.sections.iter();
                sections
                    .map(|s| (s.id.clone(), s.name.clone(), s.weight))
                    .collect()
            };
            assert_eq!(sections(&outline), sections(&guide));
            let items = |guide: &Guide| -> Vec<(String, Vec<String>)> {
                let items = guide.checklist.iter();
                items.map(|i| (i.id.clone(), i.sections.clone())).collect()
            };
            assert_eq!(items(&outline), items(&guide));
            let plan = |guide: &Guide| -> Vec<(DaySpan, Vec<String>)> {
                let plan = guide.plan.iter();
                plan.map(|e| (e.days, e.sections.clone())).collect()
            };
            assert_eq!(plan(&outline), plan(&guide));
            assert_eq!(outline.readiness, guide.readiness);
            // The forecast behind the prompt's {pass} reads these and the weights.
            let assessment = |guide: &Guide| {
                let assessment = &guide.assessment;
                (assessment.questions, assessment.pass_percent)
            };
            assert_eq!(assessment(&outline), assessment(&guide));
            // An outline indeed: the texts are left out.
            assert!(outline.docs.is_empty() && outline.training.is_empty());
            assert!(outline.sections.iter().all(|s| s.summary.is_none()));
            assert!(outline.checklist.iter().all(|item| item.text.is_empty()));
            // Some of everything done, so that every component counts.
            let progress = Progress {
                ticked: [guide.checklist[0].id.clone()].into(),
                days_done: [1, 2].into(),
                ratings: [(guide.sections[0].id.clone(), Rating::new(4).unwrap())].into(),
                ..Progress::default()
            };
            assert_eq!(assess(&outline, &progress), assess(&guide, &progress));
        }
    }

    #[test]
    fn bundled_guides_are_their_data_files() {
        // build.rs writes each guide as Rust code; what it builds must be what
        // parsing the YAML gives, field for field.
        for (text, origin) in [
            (include_str!("../../data/associate.yaml"), "associate.yaml"),
            (
                include_str!("../../data/professional.yaml"),
                "professional.yaml",
            ),
        ] {
            let parsed = Guide::from_yaml(text, origin).unwrap();
            let built = Catalog::new(None).load(&parsed.id).unwrap().unwrap();
            assert_eq!(
                serde_json::to_value(&built).unwrap(),
                serde_json::to_value(&parsed).unwrap(),
                "{origin}"
            );
        }
    }
}
