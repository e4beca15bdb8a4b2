//! Replays fuzz inputs through the fuzz targets' own checks
//! (`fuzz/checks.rs`) on every `cargo test`: the seed corpus in
//! `fuzz/seeds/<target>/`, and every input that once crashed a target, kept
//! in `tests/fuzz_regressions/<target>/` after its bug was fixed.

#[allow(dead_code)]
#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

/// Runs `check` on every file of the target's folders; returns how many.
fn replay(target: &str, check: fn(&str)) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
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
            eprintln!("replaying {}", f.display());
            if let Ok(text) = std::str::from_utf8(&bytes) {
                check(text);
            }
            n += 1;
        }
    }
    assert!(n > 0, "no inputs for {target}");
    n
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
