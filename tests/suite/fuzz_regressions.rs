//! Replays fuzz inputs through the fuzz targets' own checks
//! (`fuzz/checks.rs`) on every `cargo test`: the seed corpus in
//! `fuzz/seeds/<target>/`, and every input that once crashed a target, kept
//! in `tests/fuzz_regressions/<target>/` after its bug was fixed.

#[allow(dead_code)]
#[path = "../../fuzz/checks.rs"]
mod checks;

use isms_site::content::yaml::differential;
use std::path::{Path, PathBuf};

/// The saved inputs of a target: its seeds, then its regressions.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [
        root.join("fuzz/seeds").join(target),
        root.join("tests/fuzz_regressions").join(target),
    ] {
        let Ok(read) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = read.flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f).unwrap();
            out.push((f, bytes));
        }
    }
    assert!(!out.is_empty(), "no inputs for {target}");
    out
}

/// Runs `check` on every file of the target's folders; returns how many.
fn replay(target: &str, check: fn(&str)) -> usize {
    let files = inputs(target);
    for (f, bytes) in &files {
        eprintln!("replaying {}", f.display());
        if let Ok(text) = std::str::from_utf8(bytes) {
            check(text);
        }
    }
    files.len()
}

#[test]
fn register_entry_inputs() {
    replay("register_entry", checks::register_entry);
}

#[test]
fn front_matter_inputs() {
    replay("front_matter", checks::front_matter);
}

#[test]
fn whole_site_inputs() {
    replay("whole_site", checks::whole_site);
}

/// The differential target's inputs, read as the target reads bytes.
#[test]
fn yaml_differential_inputs() {
    for (f, bytes) in inputs("yaml_differential") {
        eprintln!("replaying {}", f.display());
        checks::yaml_differential(&String::from_utf8_lossy(&bytes));
    }
}

/// Where no nightly toolchain runs the fuzzer, the differential check
/// still runs on stable, over thousands of near-valid variants of its
/// seeds (the mutations of the register mutation test).
#[test]
fn yaml_differential_on_mutated_seeds() {
    let seeds: Vec<String> = inputs("yaml_differential")
        .into_iter()
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .collect();
    let mutants = differential::mutate(&seeds, 3000);
    let read = mutants
        .iter()
        .filter(|t| differential::check(t).unwrap_or_else(|e| panic!("{e}\nfor {t:?}")))
        .count();
    // The event reader still reads hundreds of them (the seeds include
    // files it declines: merge keys, control characters), so the check
    // compares trees, not just two refusals.
    assert!(
        read * 10 > mutants.len(),
        "the event reader read {read} of 3000"
    );
}
