//! `scripts/bench` runs the binaries where cargo builds them, CARGO_TARGET_DIR
//! included.
//!
//! A real release build takes minutes, so `cargo build` is a stand-in that puts
//! a logging wrapper around the certprep under test, and an empty program, where
//! the build would put them; every other cargo command is the real cargo. apt-get
//! and valgrind are stand-ins too, so the test installs nothing and stays quick.

#![cfg(target_os = "linux")]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

fn script(path: &Path, text: &str) {
    fs::write(path, text).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn bench_runs_the_binaries_in_cargo_target_dir() {
    // The script is bash, and reads cargo's metadata with python3.
    crate::common::require("bash");
    crate::common::require("python3");
    let temp = crate::common::temp_dir();
    let target = temp.path().join("elsewhere");
    let stubs = temp.path().join("stubs");
    let log = temp.path().join("runs.log");
    fs::create_dir(&stubs).unwrap();
    let wrapper = format!(
        "#!/bin/sh\necho \"$0\" >> '{}'\nexec '{}' \"$@\"\n",
        log.display(),
        env!("CARGO_BIN_EXE_certprep")
    );
    script(
        &stubs.join("cargo"),
        &format!(
            "#!/bin/sh\n\
             if [ \"$1\" = build ]; then\n\
             \x20 mkdir -p \"$CARGO_TARGET_DIR/release/examples\"\n\
             \x20 cat > \"$CARGO_TARGET_DIR/release/certprep\" <<'EOF'\n{wrapper}EOF\n\
             \x20 printf '#!/bin/sh\\n' > \"$CARGO_TARGET_DIR/release/examples/noop\"\n\
             \x20 chmod +x \"$CARGO_TARGET_DIR/release/certprep\" \"$CARGO_TARGET_DIR/release/examples/noop\"\n\
             \x20 exit 0\n\
             fi\n\
             exec '{}' \"$@\"\n",
            env!("CARGO")
        ),
    );
    script(&stubs.join("apt-get"), "#!/bin/sh\nexit 1\n");
    // `valgrind --tool=callgrind --callgrind-out-file=/dev/null COMMAND…`
    script(
        &stubs.join("valgrind"),
        "#!/bin/sh\nwhile [ \"${1#--}\" != \"$1\" ]; do shift; done\n\"$@\" >/dev/null\n\
         echo '==1== Collected : 1234' >&2\n",
    );
    let path = format!("{}:{}", stubs.display(), std::env::var("PATH").unwrap());

    let mut bench = Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/bench"));
    // The script's learner is dated from the clock, as a user's run is: a
    // CERTPREP_TODAY exported where the tests run must not reach it.
    let output = crate::common::remove_inherited_variables(&mut bench)
        .env("PATH", path)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUNS", "1")
        .env("ROUNDS", "1")
        .env("WARMUP", "0")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    // The learner the script sets up is on day 3 of the associate plan.
    assert!(stdout.contains("prompt:  ML-Assoc "), "{stdout}");
    assert!(
        stdout.contains("prompt, 2y history          1234"),
        "{stdout}"
    );
    // The prompt that finds its file five folders up has a row of its own.
    assert!(
        stdout.contains("prompt, found 5 up          1234"),
        "{stdout}"
    );
    let runs = fs::read_to_string(&log).unwrap_or_default();
    let wrapper_path = target.join("release/certprep");
    assert!(
        runs.lines().any(|line| Path::new(line) == wrapper_path),
        "{runs}"
    );
}
