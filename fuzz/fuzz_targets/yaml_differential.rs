//! Fuzz target: see `fuzz/checks.rs` for what it asserts. Bytes that are
//! not UTF-8 are made UTF-8 (lossily) rather than skipped, so every input
//! reaches both readers.
#![no_main]

#[allow(dead_code)] // each target uses one of the shared checks
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::yaml_differential(&String::from_utf8_lossy(data));
});
