//! The state file parser (README: The progress file) on arbitrary text: it returns a
//! state or an error naming the file, and never panics. A state that parses
//! writes back to text that parses to the same bytes again.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz/state.toml");
    match certprep::state::parse(text, path) {
        Ok(state) => {
            let written = certprep::state::serialize(&state);
            let reread = certprep::state::parse(&written, path).unwrap_or_else(|error| {
                panic!("written state does not parse: {error:#}\n{written}")
            });
            assert_eq!(certprep::state::serialize(&reread), written);
        }
        Err(error) => {
            let _ = format!("{error:#}");
        }
    }
});
