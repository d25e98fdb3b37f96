//! certprep run as root over files another user controls: the attacker is
//! `nobody`, who owns the learner's folder and plants links and special files
//! in it; root runs certprep there. Nothing of root's may be created, changed or
//! handed to nobody, and no special file is ever replaced.

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt, symlink};
use std::path::Path;
use std::process::Output;

use crate::common::{Env, MYCERT, WALKTHROUGH_STATE, assert_no_panic};
use crate::users::{NOBODY, chown_to_nobody, require_root};

/// The walkthrough's progress, in a folder of nobody's (mode 0755), with a
/// folder of root's (0700) beside it that holds root's files.
fn learner_of_nobodys() -> Env {
    require_root();
    let env = Env::for_nobody();
    env.write_state(WALKTHROUGH_STATE);
    for path in [env.dir.path(), &env.state_path()] {
        chown_to_nobody(path);
    }
    let root_dir = env.path("rootdir");
    fs::create_dir(&root_dir).unwrap();
    fs::set_permissions(&root_dir, fs::Permissions::from_mode(0o700)).unwrap();
    env
}

/// A symbolic link at `link` to `target`, planted by nobody (owned by nobody).
fn plant_link(target: &Path, link: &Path) {
    symlink(target, link).unwrap();
    std::os::unix::fs::lchown(link, Some(NOBODY), Some(NOBODY)).unwrap();
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts exit `code` with a sentence on stderr that contains every needle.
fn refused(output: &Output, code: i32, needles: &[&str]) {
    let stderr = stderr(output);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    assert_no_panic(&stderr);
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "stderr lacks {needle:?}:\n{stderr}"
        );
    }
}

/// Attack 1: nobody links `state.toml.lock` to a path in root's folder; root
/// ticks nobody's state. Before, root created the file at the link's target and
/// gave it to nobody. Now the lock is refused and nothing exists there.
#[test]
fn a_planted_lock_link_is_refused_and_nothing_is_created_at_its_target() {
    let env = learner_of_nobodys();
    let target = env.path("rootdir/ld.so.preload");
    plant_link(&target, &env.path("state.toml.lock"));
    let output = env.cmd(&["untick", "1"]).output().unwrap();
    refused(&output, 1, &["state.toml.lock", "symbolic link"]);
    assert!(!target.exists(), "a file was created at the link's target");
    assert_eq!(env.state_text(), WALKTHROUGH_STATE);
    // Root's own link there is refused too: the lock is never a link.
    fs::remove_file(env.path("state.toml.lock")).unwrap();
    symlink(&target, env.path("state.toml.lock")).unwrap();
    refused(
        &env.cmd(&["untick", "1"]).output().unwrap(),
        1,
        &["symbolic link"],
    );
    assert!(!target.exists());
}

/// In a sticky, world-writable folder (as /tmp), nobody plants the lock link
/// before root has ever written there: root's first command creates nothing,
/// neither the state nor a file at the link's target.
#[test]
fn a_lock_link_planted_before_roots_first_write_creates_nothing() {
    require_root();
    let env = Env::for_nobody();
    let shared = env.path("tmp");
    fs::create_dir(&shared).unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o1777)).unwrap();
    let root_dir = env.path("rootdir");
    fs::create_dir(&root_dir).unwrap();
    let target = root_dir.join("chosen");
    plant_link(&target, &shared.join("state.toml.lock"));
    let output = env
        .bare()
        .arg("--state")
        .arg(shared.join("state.toml"))
        .args(["--today", crate::common::TODAY, "start", "associate"])
        .output()
        .unwrap();
    refused(&output, 1, &["symbolic link"]);
    assert!(!target.exists(), "a file was created at the link's target");
    assert!(!shared.join("state.toml").exists());
}

/// Attack 3: nobody links the history to a history file of root's. Before, root
/// read it and rewrote it. Now the command stops before writing anything.
#[test]
fn a_history_linked_to_roots_file_is_refused_and_left_alone() {
    let env = learner_of_nobodys();
    let roots_history = env.path("rootdir/state.history.toml");
    let roots_text = "version = 1\n\n[exams.associate]\n2026-11-20 = 10.0\n";
    fs::write(&roots_history, roots_text).unwrap();
    plant_link(&roots_history, &env.path("state.history.toml"));
    let output = env.cmd(&["tick", "5"]).output().unwrap();
    refused(&output, 1, &["state.history.toml", "symbolic link"]);
    assert_eq!(fs::read_to_string(&roots_history).unwrap(), roots_text);
    assert_eq!(env.state_text(), WALKTHROUGH_STATE);
    // Reading it is refused as well: `history` does not show root's file.
    refused(
        &env.cmd(&["history"]).output().unwrap(),
        1,
        &["symbolic link"],
    );
}

/// Attack 4: nobody links `report.html` in a class folder to a file of root's;
/// root writes the class report there. Before, root's file was replaced.
#[test]
fn an_output_path_through_another_users_link_is_refused() {
    let env = learner_of_nobodys();
    let roots_file = env.path("rootdir/important.txt");
    fs::write(&roots_file, "root's\n").unwrap();
    let class = env.path("class");
    fs::create_dir(&class).unwrap();
    chown_to_nobody(&class);
    plant_link(&roots_file, &class.join("report.html"));
    let state = env.state_path();
    let output = env
        .cmd(&["report", state.to_str().unwrap(), "--html"])
        .arg(class.join("report.html"))
        .output()
        .unwrap();
    refused(&output, 2, &["report.html", "owned by another user"]);
    assert_eq!(fs::read_to_string(&roots_file).unwrap(), "root's\n");
    // The same for the calendar.
    plant_link(&roots_file, &class.join("plan.ics"));
    let output = env
        .cmd(&["plan", "--ics"])
        .arg(class.join("plan.ics"))
        .output()
        .unwrap();
    refused(&output, 2, &["plan.ics", "owned by another user"]);
    assert_eq!(fs::read_to_string(&roots_file).unwrap(), "root's\n");
}

/// The user's own links still work: a state kept elsewhere and linked into
/// place (a dotfiles repository) is read and written through the link, and an
/// output path that is the user's own link writes its target.
#[test]
fn the_users_own_links_are_followed() {
    let env = Env::new();
    let kept = env.path("dotfiles");
    fs::create_dir(&kept).unwrap();
    fs::write(kept.join("state.toml"), WALKTHROUGH_STATE).unwrap();
    symlink(kept.join("state.toml"), env.state_path()).unwrap();
    env.ok(&["tick", "5"]);
    assert!(fs::symlink_metadata(env.state_path()).unwrap().is_symlink());
    let state = fs::read_to_string(kept.join("state.toml")).unwrap();
    assert!(state.contains("\"batch-scoring\""), "{state}");
    assert!(kept.join("state.history.toml").exists());
    fs::write(env.path("real.ics"), "an older calendar\n").unwrap();
    symlink(env.path("real.ics"), env.path("plan.ics")).unwrap();
    env.ok(&["plan", "--ics", env.path("plan.ics").to_str().unwrap()]);
    assert!(
        fs::read_to_string(env.path("real.ics"))
            .unwrap()
            .starts_with("BEGIN:VCALENDAR")
    );
}

/// Root does not follow nobody's link for the state either: `status` names the
/// link and its owner instead of reading root's file.
#[test]
fn a_state_link_of_another_users_is_not_followed() {
    let env = learner_of_nobodys();
    let roots_state = env.path("rootdir/state.toml");
    fs::write(&roots_state, WALKTHROUGH_STATE).unwrap();
    fs::remove_file(env.state_path()).unwrap();
    plant_link(&roots_state, &env.state_path());
    for args in [&["status"][..], &["tick", "5"]] {
        let output = env.cmd(args).output().unwrap();
        refused(&output, 1, &["state.toml", &format!("uid {NOBODY}")]);
    }
    assert_eq!(fs::read_to_string(&roots_state).unwrap(), WALKTHROUGH_STATE);
}

/// What a special file at `path` is, to check it is still there unchanged.
fn kind_of(path: &Path) -> (bool, bool, bool, bool, u64) {
    let metadata = fs::symlink_metadata(path).expect("still there");
    let file_type = metadata.file_type();
    (
        file_type.is_char_device(),
        file_type.is_fifo(),
        file_type.is_socket(),
        file_type.is_dir(),
        metadata.rdev(),
    )
}

/// Attack 2: output paths that are a character device, a FIFO, a socket or a
/// directory are a usage error and stay what they were. Before, each became a
/// regular file (a socket one with mode rwxr-xr-x).
#[test]
fn special_files_as_output_paths_are_refused_and_kept() {
    require_root();
    let env = Env::new();
    env.walkthrough();
    let device = env.path("mynull");
    // The numbers of /dev/null (1, 3), made inside the sandbox.
    let status = std::process::Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "3"])
        .status()
        .expect("mknod runs");
    assert!(status.success());
    let fifo = env.path("fifo");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let socket = env.path("socket");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let folder = env.path("folder");
    fs::create_dir(&folder).unwrap();
    let state = env.state_path();
    for (path, kind) in [
        (&device, "a device"),
        (&fifo, "a FIFO"),
        (&socket, "a socket"),
        (&folder, "a directory"),
    ] {
        let before = kind_of(path);
        let path_text = path.to_str().unwrap();
        for args in [
            &["plan", "--ics", path_text][..],
            &["report", state.to_str().unwrap(), "--html", path_text],
        ] {
            let output = env.cmd(args).output().unwrap();
            refused(&output, 2, &[kind, "regular files"]);
            assert_eq!(kind_of(path), before, "{args:?}");
        }
    }
    // Nothing was created beside them either: no temp file.
    let leftovers: Vec<_> = fs::read_dir(env.dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .filter(|name| name.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Item 9: a process holding a lock on the progress file itself (not on the
/// `.lock` file) makes a writer wait; it says so after about a second, and
/// writes once the lock is released.
#[test]
fn waiting_for_a_lock_on_the_state_file_itself_is_said() {
    let env = Env::new();
    env.walkthrough();
    let holder = fs::File::open(env.state_path()).unwrap();
    holder.lock().unwrap();
    let writer = env.start_reading_stderr(&["tick", "5"]);
    let notice = writer.next_line("notice while the state file is locked");
    assert!(
        notice.contains("waiting for the lock on state file")
            && notice.contains(&env.state_path().display().to_string()),
        "{notice}"
    );
    assert_eq!(env.state_text(), WALKTHROUGH_STATE);
    drop(holder);
    let (succeeded, rest) = writer.finish();
    assert!(succeeded, "{rest:?}");
    assert_eq!(env.json(&["checklist", "--json"])["items"][4]["done"], true);
}

/// Item 13: a write refused because the history cannot be read creates nothing,
/// not even the lock file.
#[test]
fn a_write_refused_for_a_broken_history_creates_no_lock_file() {
    let env = Env::new();
    env.write_state(WALKTHROUGH_STATE);
    fs::write(env.path("state.history.toml"), "version = [\n").unwrap();
    let output = env.cmd(&["tick", "5"]).output().unwrap();
    refused(&output, 1, &["state.history.toml:1"]);
    assert!(!env.path("state.toml.lock").exists());
    assert_eq!(env.state_text(), WALKTHROUGH_STATE);
}

/// A guide is a file the user names too: nobody's link in root's guide folder is
/// not followed (the guide is reported, the others still load).
#[test]
fn a_guide_linked_by_another_user_is_not_read() {
    require_root();
    let env = Env::new();
    let elsewhere = env.path("elsewhere.yaml");
    fs::write(&elsewhere, MYCERT).unwrap();
    plant_link(&elsewhere, &env.guides_dir().join("mycert.yaml"));
    let output = env.cmd(&["exams"]).output().unwrap();
    let stderr = stderr(&output);
    assert!(stderr.contains("owned by another user"), "{stderr}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("mycert"));
}
