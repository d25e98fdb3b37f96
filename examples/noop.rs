//! An empty program built with the release profile: the floor `scripts/bench`
//! compares the prompt against.

fn main() {}
