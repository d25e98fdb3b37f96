//! What `init` sets up in a git work tree so that git merges progress instead of
//! reporting a conflict: the attribute lines that send `certprep.toml` and its
//! history to certprep's merge drivers, the ignore line for the lock file, and
//! the drivers themselves, in the repository's own config. git reads merge
//! drivers only from config, never from a repository's files (a cloned
//! repository could otherwise run any command), so every clone registers them
//! once.
//!
//! The files are read and written through the store; git itself is asked with
//! `git rev-parse` and `git config`.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result, bail};

/// The lines `.gitattributes` needs.
pub const ATTRIBUTES: [&str; 2] = [
    "certprep.toml merge=certprep",
    "certprep.history.toml merge=certprep-history",
];

/// The lines `.gitignore` needs: the lock file is certprep's, not progress.
pub const IGNORED: [&str; 1] = ["certprep.toml.lock"];

/// The merge drivers, as `git config` keys and values.
pub const DRIVERS: [(&str, &str); 4] = [
    ("merge.certprep.name", "certprep progress"),
    ("merge.certprep.driver", "certprep merge %O %A %B"),
    ("merge.certprep-history.name", "certprep readiness history"),
    (
        "merge.certprep-history.driver",
        "certprep merge --history %O %A %B",
    ),
];

/// The largest `.gitattributes` or `.gitignore` certprep adds lines to.
const MAX_LIST_BYTES: u64 = 1 << 20;

/// Whether the current directory is inside a git work tree (git installed, and
/// willing to work here: a repository another user owns is not one).
pub fn in_work_tree() -> bool {
    Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|output| output.status.success() && output.stdout.trim_ascii() == b"true")
}

/// Adds each of `lines` that `path` lacks to its end, creating the file when
/// there is none; returns the lines added.
pub fn add_lines<'a>(path: &Path, lines: &[&'a str]) -> Result<Vec<&'a str>> {
    let text = match crate::store::read_regular_within(path, MAX_LIST_BYTES) {
        Ok(bytes) => String::from_utf8(bytes)
            .with_context(|| format!("cannot add to {}: it is not UTF-8 text", path.display()))?,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => {
            return Err(error).with_context(|| format!("cannot read {}", path.display()));
        }
    };
    let (text, added) = with_lines(&text, lines);
    if !added.is_empty() {
        let new = crate::store::NewFile {
            mode: 0o666,
            belongs_with: path,
        };
        crate::store::write_output(path, text.as_bytes(), &new)?;
    }
    Ok(added)
}

/// `text` with each of `lines` it lacks (as a whole line, spaces around it
/// aside) added at its end, and the lines added.
pub fn with_lines<'a>(text: &str, lines: &[&'a str]) -> (String, Vec<&'a str>) {
    let missing: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|line| !text.lines().any(|have| have.trim() == *line))
        .collect();
    let mut text = text.to_string();
    if !missing.is_empty() && !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    for line in &missing {
        text.push_str(line);
        text.push('\n');
    }
    (text, missing)
}

/// Registers the merge drivers in the repository's own config (`git config
/// --local`), so that this clone merges with them.
pub fn register_drivers() -> Result<()> {
    for (key, value) in DRIVERS {
        let output = Command::new("git")
            .args(["config", "--local", key, value])
            .stdin(Stdio::null())
            .output()
            .context("cannot run git to register the merge drivers")?;
        if !output.status.success() {
            bail!(
                "git config --local {key} failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_added_once_at_the_end() {
        let lines = ["certprep.toml.lock"];
        // Nothing yet: the file is the line.
        assert_eq!(
            with_lines("", &lines),
            (
                "certprep.toml.lock\n".to_string(),
                vec!["certprep.toml.lock"]
            )
        );
        // After the last line, which lacked its newline.
        assert_eq!(
            with_lines("target/", &lines),
            (
                "target/\ncertprep.toml.lock\n".to_string(),
                vec!["certprep.toml.lock"]
            )
        );
        // There already, spaces around it or not: nothing changes.
        for text in ["a\ncertprep.toml.lock\nb\n", "  certprep.toml.lock \n"] {
            assert_eq!(with_lines(text, &lines), (text.to_string(), vec![]));
        }
        // A line that only starts like it is another line.
        assert_eq!(
            with_lines("certprep.toml.lock.old\n", &lines).1,
            ["certprep.toml.lock"]
        );
        // Of two, only the missing one.
        let (text, added) = with_lines("certprep.toml merge=certprep\n", &ATTRIBUTES);
        assert_eq!(
            text,
            "certprep.toml merge=certprep\ncertprep.history.toml merge=certprep-history\n"
        );
        assert_eq!(added, [ATTRIBUTES[1]]);
    }
}
