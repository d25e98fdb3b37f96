//! The integration tests: one test binary (`cargo test --test cli`) with a module
//! per feature, so a fresh `cargo test` compiles and links the dependency tree
//! once rather than once per file. Every test runs the real `certprep` binary in a
//! sandbox built by [`common::Env`] (as another user through [`users`]), or calls
//! the library directly (the property tests). Run one feature with
//! `cargo test --test cli errors::`.

mod common;
mod users;

mod advice;
mod architecture;
mod attacks;
mod bench_script;
mod calendar;
mod concurrency;
mod confirmations;
mod corrupt_state;
mod errors;
mod forecast;
mod forecast_props;
mod golden;
mod guidance;
mod history;
mod hostile_guides;
mod json;
mod output;
mod overview;
mod practice;
mod prompt;
mod properties;
mod readme;
mod reliability;
mod rendering;
mod report;
mod rounding;
mod scripting;
mod seed_data;
mod shells;
mod sizes;
mod state_file;
mod today;
mod travels;
mod user_guides;
mod walkthrough;
mod wording;
