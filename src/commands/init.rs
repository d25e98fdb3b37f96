//! `init [--name NAME] [--empty]`: keeps the progress in `./certprep.toml`, the file
//! every command run in this folder, or below it, then finds. In a git work tree it
//! also sets up git to merge the file (and its history) instead of reporting a
//! conflict when two clones changed it apart.

use std::fmt::Write;
use std::path::Path;

use anyhow::{Result, bail};

use super::Context;
use crate::cli::InitArgs;
use crate::history::{self, History};
use crate::repo;
use crate::state::{self, State};
use crate::store::{self, Document, NewFile, discover};
use crate::text::Untrusted;

pub fn init(context: &Context, args: &InitArgs, out: &mut String) -> Result<()> {
    let path = Path::new(discover::FILE_NAME);
    let history_path = history::path_for(path);
    for existing in [path, history_path.as_path()] {
        if discover::occupied(existing) {
            bail!(
                "{} exists already in this folder; init leaves it as it is (`certprep where` says which progress file is in use)",
                existing.display()
            );
        }
    }
    // What to carry over: the progress in use and its history, or nothing.
    let (mut progress, carried) = if args.empty {
        (State::default(), None)
    } else {
        let progress = context.load_state()?;
        let history = store::read_toml::<History>(
            &context.history_path()?,
            "history file",
            store::Links::Refuse,
        )?;
        let from = discover::exists(&context.state_path).then_some(&context.state_path);
        (progress, from.map(|from| (from, history)))
    };
    if let Some(name) = &args.name {
        progress.name = Some(name.clone());
    }
    let new = NewFile {
        mode: store::PRIVATE,
        belongs_with: path,
    };
    store::create_new(path, state::serialize(&progress).as_bytes(), &new)?;
    let whose = match &args.name {
        Some(name) => format!(" for {}", Untrusted(name)),
        None => String::new(),
    };
    match &carried {
        None if args.empty => writeln!(out, "Created certprep.toml{whose}, with no progress.")?,
        None => writeln!(
            out,
            "Created certprep.toml{whose}; {} holds no progress yet to carry over.",
            Untrusted(context.state_path.display())
        )?,
        Some((from, history)) => {
            let mut also = String::new();
            if history.text.is_some() {
                let new = NewFile {
                    mode: store::PRIVATE,
                    belongs_with: path,
                };
                store::create_new(&history_path, history.value.to_text().as_bytes(), &new)?;
                also = format!(", and its history in {}", history_path.display());
            }
            writeln!(
                out,
                "Created certprep.toml{whose} with the progress of {}{also}.",
                Untrusted(from.display())
            )?;
        }
    }
    if !repo::in_work_tree() {
        writeln!(
            out,
            "Commands run in this folder or below it now use it (`certprep where` shows it)."
        )?;
        return Ok(());
    }
    let attributes = repo::add_lines(Path::new(".gitattributes"), &repo::ATTRIBUTES)?;
    let ignored = repo::add_lines(Path::new(".gitignore"), &repo::IGNORED)?;
    repo::register_drivers()?;
    writeln!(out, "In this git work tree:")?;
    for (file, added) in [(".gitattributes", attributes), (".gitignore", ignored)] {
        match added.as_slice() {
            [] => writeln!(out, "  {file}: has its lines already")?,
            lines => writeln!(out, "  {file}: added {}", lines.join(", "))?,
        }
    }
    writeln!(
        out,
        "  git config: registered the merge drivers certprep and certprep-history in this clone"
    )?;
    let mut files = vec![discover::FILE_NAME.to_string()];
    if discover::exists(&history_path) {
        files.push(history_path.display().to_string());
    }
    files.push(".gitattributes and .gitignore".to_string());
    writeln!(out, "Commit {}.", files.join(", "))?;
    writeln!(
        out,
        "git takes no merge driver from a repository: register them once in each other clone:"
    )?;
    for (key, value) in repo::DRIVERS {
        if key.ends_with(".driver") {
            writeln!(out, "  git config {key} '{value}'")?;
        }
    }
    Ok(())
}
