//! The layers hold: every module imports only from its own layer or the ones
//! below it, and no module outside the command line is part of an import loop.
//! The layers are the table in ARCHITECTURE.md, read from there, so the map and
//! the rule cannot drift apart; the imports are the `crate::` paths of `src/`
//! (a `use` line or a path in the code), test modules left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::common::crate_file;

/// The layer table: each row's modules, top layer first.
fn layers() -> Vec<(String, Vec<String>)> {
    let map = fs::read_to_string(crate_file("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let start = map
        .find("<!-- layers -->")
        .expect("ARCHITECTURE.md marks its layer table with <!-- layers -->");
    map[start..]
        .lines()
        .skip(1)
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2) // the header and its rule
        .map(|row| {
            let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
            let modules = cells[1]
                .split(',')
                .map(|module| module.trim().trim_matches('`').to_string())
                .filter(|module| !module.is_empty())
                .collect();
            (cells[0].to_string(), modules)
        })
        .collect()
}

/// The top-level module a file of `src/` belongs to: `src/store/lock.rs` → store.
fn module_of(relative: &Path) -> String {
    let first = relative
        .components()
        .next()
        .expect("a path below src")
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    first.trim_end_matches(".rs").to_string()
}

/// Every Rust file below `dir`, as paths relative to `src`.
fn sources(dir: &Path, src: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, src, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path.strip_prefix(src).unwrap().to_path_buf());
        }
    }
}

/// The modules a file's code names with `crate::`, before its test module.
fn imports(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut in_group = false;
    for line in text.lines() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            if let Some(group) = after.strip_prefix('{') {
                // `use crate::{a, b::c}`: every first name in the braces.
                in_group = true;
                rest = group;
                continue;
            }
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
            rest = after;
        }
        if in_group {
            let inside = code.split('{').next_back().unwrap_or_default();
            for part in inside.split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != "self" {
                    found.insert(name);
                }
            }
            if code.contains('}') {
                in_group = false;
            }
        }
    }
    found
}

/// Module → the modules it imports, for all of `src/`.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = crate_file("src");
    let mut files = Vec::new();
    sources(&src, &src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let module = module_of(&file);
        let text = fs::read_to_string(src.join(&file)).unwrap();
        let imported: Vec<String> = imports(&text)
            .into_iter()
            .filter(|name| *name != module)
            .collect();
        graph.entry(module).or_default().extend(imported);
    }
    graph
}

/// The modules of the layer table that may form an import loop among themselves:
/// the clap definitions and the completion code that completes them.
const LOOP_ALLOWED_IN: &str = "command line";

#[test]
fn every_module_imports_only_from_its_layer_or_below() {
    let layers = layers();
    assert!(layers.len() >= 5, "a layer table of {} rows", layers.len());
    let rank: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(rank, (_, modules))| modules.iter().map(move |m| (m.as_str(), rank)))
        .collect();
    let graph = import_graph();
    let mut wrong = Vec::new();
    for (module, imported) in &graph {
        let Some(&own) = rank.get(module.as_str()) else {
            wrong.push(format!("{module} is in no layer of ARCHITECTURE.md"));
            continue;
        };
        for target in imported {
            match rank.get(target.as_str()) {
                None if graph.contains_key(target) => {
                    wrong.push(format!("{target} is in no layer of ARCHITECTURE.md"));
                }
                // A name from the crate root (lib.rs), such as a macro.
                None => wrong.push(format!(
                    "{module} imports crate::{target}, which is no module"
                )),
                Some(&theirs) if theirs < own => wrong.push(format!(
                    "{module} ({}) imports {target} ({}), a layer above it",
                    layers[own].0, layers[theirs].0
                )),
                Some(_) => {}
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_module_outside_the_command_line_is_in_an_import_loop() {
    let layers = layers();
    let allowed: BTreeSet<&str> = layers
        .iter()
        .filter(|(name, _)| name == LOOP_ALLOWED_IN)
        .flat_map(|(_, modules)| modules.iter().map(String::as_str))
        .collect();
    let graph = import_graph();
    // A module is in a loop when it can reach itself.
    let reaches = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(module) = stack.pop() {
            for next in graph.get(&module).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let looped: Vec<&String> = graph
        .keys()
        .filter(|module| !allowed.contains(module.as_str()))
        .filter(|module| reaches(module).contains(*module))
        .collect();
    assert!(looped.is_empty(), "in an import loop: {looped:?}");
}

/// The reader itself, on text whose imports are known.
#[test]
fn imports_are_read_from_use_lines_groups_and_paths() {
    let text = "use crate::store::{self, Links};\n\
                use crate::{render, state::Date};\n\
                use crate::{\n    guide::Guide,\n    history,\n};\n\
                fn f() { crate::schedule::days(); } // crate::not_this\n\
                #[cfg(test)]\nmod tests { use crate::commands; }\n";
    let found: Vec<String> = imports(text).into_iter().collect();
    assert_eq!(
        found,
        ["guide", "history", "render", "schedule", "state", "store"]
    );
}
