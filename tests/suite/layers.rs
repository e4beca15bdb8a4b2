//! The source is in layers that depend only downward (see src/lib.rs):
//! model < content < compute < output < site < cmd. This test reads every
//! file under src/ as text and fails on any path from a lower layer to a
//! higher one: `crate::LAYER…` paths, and `super::` chains that climb out
//! of a layer.

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
