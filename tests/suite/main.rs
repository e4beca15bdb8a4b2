//! The integration tests, one module per area, linked into one test binary
//! (as mdBook does): the crate is linked once, not once per file. Run one
//! area with `cargo test --test suite MODULE::`, one test with
//! `cargo test --test suite MODULE::NAME`.
//!
//! Shared helpers are in `tests/tools/`; fixtures in `tests/fixtures/` and
//! `tests/data/`; the browser tests' Node side in `tests/browser/`.

#[path = "../tools/mod.rs"]
mod tools;

mod asof;
mod audience;
mod browser;
mod calendar;
mod ci_templates;
mod container;
mod dashboard;
mod docs;
mod exports;
mod exposure;
mod first_hour;
mod fuzz_regressions;
mod git_history;
mod group;
mod html_valid;
mod i18n;
mod import;
mod install;
mod layers;
mod limits;
mod nonconformities;
mod outputs;
mod pack;
mod publishing;
mod register_pages;
mod release;
mod review_input;
mod schema;
mod search_index;
mod serve;
mod site;
mod stdio;
mod theme_api;
mod themes;
mod validation;
mod verify;
