//! The source is in layers that depend only downward (see src/lib.rs):
//! model < content < compute < output < site < cmd. This test reads every
//! file under src/ as text and fails on any path from a lower layer to a
//! higher one: `crate::LAYER…` paths, and `super::` chains that climb out
//! of a layer. It also keeps each external crate that does one layer's
//! work in that layer (clap in `cmd`, gix in `content`, …), and finds
//! circles between the modules of one layer (`compute::a` using
//! `compute::b` and `b` using `a`) outside test modules, which share
//! fixtures freely.

use std::path::{Path, PathBuf};

const LAYERS: &[&str] = &["model", "content", "compute", "output", "site", "cmd"];

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == layer)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let path = e.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file below src/: `output/pages/mod.rs` → [output, pages].
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let file = parts.pop().unwrap();
    let stem = file.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

/// The layers a line names: `crate::X` after any non-identifier character,
/// and the module `super::super::…::X` reaches from `module`.
fn named_layers(line: &str, module: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = line.as_bytes();
    for (i, _) in line.match_indices("crate::") {
        if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || matches!(bytes[i - 1], b'_' | b':')) {
            continue;
        }
        let rest = &line[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        found.push(name);
    }
    for (i, _) in line.match_indices("super::") {
        if i > 0 && (bytes[i - 1] == b':' || bytes[i - 1].is_ascii_alphanumeric()) {
            continue;
        }
        let mut rest = &line[i..];
        let mut depth = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            depth += 1;
            rest = r;
        }
        // Test modules (`mod tests` inside a file) add one level the file
        // path does not show; resolving as if outside them errs on the side
        // of staying inside the file's own layer.
        if depth >= module.len() {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.push(name);
        }
    }
    found
}

/// Every use of a higher layer from a lower one, as `file:line: text`.
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let rel = file.strip_prefix(src).unwrap();
        let module = module_of(rel);
        let Some(own) = module.first().and_then(|m| rank(m)) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for name in named_layers(code, &module) {
                if let Some(r) = rank(&name)
                    && r > own
                {
                    out.push(format!(
                        "src/{}:{}: layer `{}` uses higher layer `{name}`: {}",
                        rel.display(),
                        n + 1,
                        LAYERS[own],
                        code.trim()
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn lower_layers_never_use_higher_ones() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(found.is_empty(), "\n{}\n", found.join("\n"));
}

/// Every folder under src/ is a layer this test knows, so a new top-level
/// module cannot escape the check.
#[test]
fn every_top_level_module_is_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for e in std::fs::read_dir(&src).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let stem = name.trim_end_matches(".rs");
        if matches!(stem, "lib" | "main") {
            continue;
        }
        assert!(rank(stem).is_some(), "src/{name} is not in a layer");
    }
}

#[test]
fn the_scan_finds_upward_paths() {
    let model = vec!["model".to_string(), "register".to_string()];
    assert_eq!(
        named_layers("use crate::output::sink::Out;", &model),
        ["output"]
    );
    assert_eq!(
        named_layers("let x = super::super::site::build::x();", &model),
        ["site"]
    );
    assert!(named_layers("use super::Entry;", &model).is_empty());
    assert!(named_layers("use isms_site::crate::cmd;", &model).is_empty());
}

/// External crates that do one layer's work, and the layers that may name
/// them: the command line belongs to `cmd`, reading files and repositories
/// to `content`, Markdown, charts and templates to `output`. Zip is read
/// by `content` (spreadsheets) and written by `output` (the auditor pack).
const CRATE_HOMES: &[(&str, &[&str])] = &[
    ("clap", &["cmd"]),
    ("clap_complete", &["cmd"]),
    ("clap_mangen", &["cmd"]),
    ("notify", &["cmd"]),
    ("notify_debouncer_full", &["cmd"]),
    ("ctrlc", &["cmd"]),
    ("gix", &["content"]),
    ("serde_saphyr", &["content"]),
    ("granit_parser", &["content"]),
    ("calamine", &["content"]),
    ("zip", &["content", "output"]),
    ("quick_xml", &["content"]),
    ("comrak", &["output"]),
    ("plotters", &["output"]),
    ("plotters_backend", &["output"]),
    ("tera", &["output"]),
];

/// The external crates of [`CRATE_HOMES`] a line of code names: `name::`
/// as a path (not after an identifier, `.` or `::`), or `use name`.
fn named_crates(line: &str) -> Vec<&'static str> {
    let bytes = line.as_bytes();
    let mut found = Vec::new();
    for (name, _) in CRATE_HOMES {
        let as_path = line.match_indices(&format!("{name}::")).any(|(i, _)| {
            i == 0
                || !(bytes[i - 1].is_ascii_alphanumeric()
                    || matches!(bytes[i - 1], b'_' | b':' | b'.'))
        });
        let used = line
            .strip_prefix("use ")
            .or_else(|| line.strip_prefix("pub use "))
            .and_then(|r| r.strip_prefix(name))
            .is_some_and(|r| r.starts_with([';', ' ', ':']));
        if as_path || used {
            found.push(*name);
        }
    }
    found
}

/// Every line that names an external crate outside its layers.
fn misplaced_crates(src: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for (rel, module, text) in sources(src) {
        let Some(layer) = module.first() else {
            continue;
        };
        for (n, line) in code_lines(&text) {
            for name in named_crates(line) {
                let homes = CRATE_HOMES.iter().find(|(c, _)| *c == name).unwrap().1;
                if !homes.contains(&layer.as_str()) {
                    out.push(format!(
                        "src/{}:{n}: `{name}` belongs to {homes:?}, not `{layer}`: {line}",
                        rel.display()
                    ));
                }
            }
        }
    }
    out
}

/// Every file under src/ as (path below src/, module path, text), sorted.
fn sources(src: &Path) -> Vec<(PathBuf, Vec<String>, String)> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(src).unwrap().to_path_buf();
            let module = module_of(&rel);
            let text = std::fs::read_to_string(&f).unwrap();
            (rel, module, text)
        })
        .collect()
}

/// The lines that are code (not comments), trimmed, numbered from 1.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.trim()))
        .filter(|(_, l)| !l.starts_with("//"))
}

/// The module of its own layer a file belongs to for the circle check:
/// `compute/rollup.rs` → `compute::rollup`, `output/pages/plans.rs` →
/// `output::pages`; a layer's own `mod.rs` → the layer.
fn unit(module: &[String]) -> String {
    module
        .iter()
        .take(2)
        .cloned()
        .collect::<Vec<_>>()
        .join("::")
}

/// The modules of its own layer a line names: `crate::LAYER::M` and
/// `super::M` from a file directly in the layer's folder.
fn named_units(line: &str, module: &[String]) -> Vec<String> {
    let layer = &module[0];
    let mut found = Vec::new();
    let bytes = line.as_bytes();
    let ident = |r: &str| -> String {
        r.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let prefix = format!("crate::{layer}::");
    for (i, _) in line.match_indices(&prefix) {
        if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || matches!(bytes[i - 1], b'_' | b':')) {
            continue;
        }
        found.push(ident(&line[i + prefix.len()..]));
    }
    if module.len() == 2 {
        for (i, _) in line.match_indices("super::") {
            if i > 0 && (bytes[i - 1] == b':' || bytes[i - 1].is_ascii_alphanumeric()) {
                continue;
            }
            let rest = &line[i + "super::".len()..];
            // `super::super::…` inside a test module reaches the same
            // siblings; `super::x` where x is the file's own item is not
            // a module of the layer and is dropped below.
            let rest = rest.trim_start_matches("super::");
            found.push(ident(rest));
        }
    }
    found
        .into_iter()
        .filter(|m| !m.is_empty())
        .map(|m| format!("{layer}::{m}"))
        .collect()
}

/// The text before the file's test module (`#[cfg(test)]` then `mod tests`).
fn without_tests(text: &str) -> &str {
    text.match_indices("#[cfg(test)]")
        .find(|(i, m)| {
            let next = text[i + m.len()..]
                .trim_start()
                .lines()
                .next()
                .unwrap_or("");
            next.ends_with("mod tests {")
        })
        .map_or(text, |(i, _)| &text[..i])
}

/// Circles between the modules of one layer, each as `a → b → … → a`.
fn circles(src: &Path) -> Vec<String> {
    use std::collections::{BTreeMap, BTreeSet};
    let files = sources(src);
    let units: BTreeSet<String> = files.iter().map(|(_, m, _)| unit(m)).collect();
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, module, text) in &files {
        if module.is_empty() {
            continue;
        }
        let from = unit(module);
        for (_, line) in code_lines(without_tests(text)) {
            for to in named_units(line, module) {
                if to != from && units.contains(&to) && module.len() >= 2 {
                    uses.entry(from.clone()).or_default().insert(to);
                }
            }
        }
    }
    // Each circle once, found from its smallest module.
    let mut out = Vec::new();
    for start in uses.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        while let Some((at, path)) = stack.pop() {
            for next in uses.get(&at).into_iter().flatten() {
                if next == start {
                    out.push(format!("{} → {start}", path.join(" → ")));
                } else if next > start && !path.contains(next) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn external_crates_stay_in_their_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = misplaced_crates(&src);
    assert!(found.is_empty(), "\n{}\n", found.join("\n"));
}

#[test]
fn no_circles_between_modules_of_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = circles(&src);
    assert!(found.is_empty(), "\n{}\n", found.join("\n"));
}

#[test]
fn the_scans_find_crates_and_sibling_modules() {
    assert_eq!(named_crates("#[derive(Debug, clap::ValueEnum)]"), ["clap"]);
    assert_eq!(named_crates("use gix::bstr;"), ["gix"]);
    assert!(named_crates("a.zip(b); let unzip::x = 1;").is_empty());
    let rollup = vec!["compute".to_string(), "rollup".to_string()];
    assert_eq!(
        named_units("use crate::compute::asof;", &rollup),
        ["compute::asof"]
    );
    assert_eq!(
        named_units("super::period::start()", &rollup),
        ["compute::period"]
    );
    assert!(named_units("use crate::model::Entry;", &rollup).is_empty());
}
