//! certprep in scripts: a closed pipe ends quietly, errors never show a backtrace.

use crate::common::Env;

/// Runs `certprep ARGS | READER` in bash with pipefail: (status, stdout, stderr).
fn piped(env: &Env, args: &str, reader: &str) -> (Option<i32>, String, String) {
    let script = format!("set -o pipefail; certprep {args} | {reader}");
    let output = env
        .program("bash")
        .args(["-c", &script])
        .output()
        .expect("bash");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let env = Env::new();
    // `head -1` reads one line and exits; `true` closes the pipe without reading,
    // so certprep's write meets a closed pipe.
    let (code, stdout, stderr) = piped(&env, "-e associate guide", "head -1");
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, "Databricks Certified Machine Learning Associate\n");
    assert_eq!(stderr, "");
    for _ in 0..5 {
        let (code, _, stderr) = piped(&env, "-e associate guide", "true");
        assert_eq!((code, stderr.as_str()), (Some(0), ""));
    }
}

#[test]
fn errors_never_print_a_backtrace() {
    let env = Env::new();
    env.write_state("version = 1\nticked = [\n");
    for value in ["1", "full"] {
        for args in [&["status"][..], &["prompt"], &["tick", "1"]] {
            let output = env.cmd(args).env("RUST_BACKTRACE", value).output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
            assert!(!stderr.contains("backtrace"), "{args:?}: {stderr}");
        }
    }
}
