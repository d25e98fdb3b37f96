//! The `certprep` binary; everything lives in the library.

fn main() -> std::process::ExitCode {
    certprep::main()
}
