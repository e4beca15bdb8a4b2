//! The theme API's documentation against the code: every variable a
//! template may use is a field of a context struct
//! (`src/output/pages/context.rs`), and `docs/theme-api.md` lists each of
//! them under its struct, and nothing else there.

use isms_site::output::pages::context::api_fields;
use std::collections::BTreeSet;

/// The "Template variables" section of the theme API, split into its
/// `####` subsections: (heading, variables named in its table).
fn documented() -> Vec<(String, BTreeSet<String>)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/theme-api.md");
    let doc = std::fs::read_to_string(path).expect("docs/theme-api.md");
    let start = doc
        .find("\n## Template variables")
        .expect("a \"Template variables\" section");
    let section = &doc[start + 1..];
    let section = match section[3..].find("\n## ") {
        Some(end) => &section[..end + 3],
        None => section,
    };
    section
        .split("\n#### ")
        .skip(1)
        .map(|sub| {
            let (heading, body) = sub.split_once('\n').unwrap_or((sub, ""));
            let vars = body
                .lines()
                .filter_map(|l| l.strip_prefix("| `"))
                .filter_map(|l| l.split_once("` |"))
                .map(|(name, _)| name.to_string())
                .collect();
            (heading.to_string(), vars)
        })
        .collect()
}

/// The subsection about `name`: its heading ends with the struct's name.
fn subsection<'a>(
    docs: &'a [(String, BTreeSet<String>)],
    name: &str,
) -> Option<&'a (String, BTreeSet<String>)> {
    docs.iter()
        .find(|(h, _)| h.trim_end() == name || h.trim_end().ends_with(&format!("— {name}")))
}

#[test]
fn every_template_variable_is_documented_under_its_struct() {
    let docs = documented();
    let mut missing = Vec::new();
    for (template, name, fields) in api_fields() {
        assert!(!fields.is_empty(), "{name} lists no fields");
        let Some((heading, vars)) = subsection(&docs, name) else {
            missing.push(format!("no \"#### … {name}\" subsection"));
            continue;
        };
        if template.ends_with(".html") && !template.starts_with("base") {
            assert!(
                heading.contains(&format!("`{template}`")),
                "{name}'s heading names its template {template}: {heading}"
            );
        }
        for f in &fields {
            if !vars.contains(f) {
                missing.push(format!("{name}.{f}"));
            }
        }
        for v in vars {
            assert!(
                fields.contains(v),
                "docs/theme-api.md lists `{v}` under {name}, which has no such field"
            );
        }
    }
    assert!(
        missing.is_empty(),
        "missing from docs/theme-api.md (Template variables): {missing:?}"
    );
}

#[test]
fn every_page_template_has_a_context_struct() {
    let templates: BTreeSet<&str> = api_fields().iter().map(|(t, _, _)| *t).collect();
    for t in [
        "index.html",
        "entry.html",
        "plans.html",
        "plan.html",
        "reviews.html",
        "review.html",
        "taxonomy.html",
        "term.html",
        "base.html",
    ] {
        assert!(templates.contains(t), "{t} has no context struct");
    }
}
