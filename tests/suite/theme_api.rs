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

/// The built-in templates, by path below `themes/default/templates/`.
fn templates() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, base, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let mut out = Vec::new();
    walk(&base, &base, &mut out);
    out.sort();
    out
}

/// `text` with Tera's tags, comments and expressions replaced by `\0`.
fn without_tera(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(['{']) {
        let close = match rest[i..].chars().nth(1) {
            Some('{') => "}}",
            Some('%') => "%}",
            Some('#') => "#}",
            _ => {
                out.push_str(&rest[..=i]);
                rest = &rest[i + 1..];
                continue;
            }
        };
        out.push_str(&rest[..i]);
        out.push('\0');
        rest = rest[i..].find(close).map_or("", |j| &rest[i + j + 2..]);
    }
    out.push_str(rest);
    out
}

/// Words a template may show as they are: file names, YAML keys, formats.
const NOT_WORDS: &[&str] = &[
    "register.csv",
    "register.json",
    "changes.json",
    "group.json",
    "CSV",
    "JSON",
    "next_review",
    "decisions:",
    "urn:uuid:",
    "class=\"wide\"",
];

/// Issue 29: every word a built-in template shows comes from `t()`; a
/// template with English text outside it fails here.
#[test]
fn templates_show_no_text_outside_t() {
    let mut found = Vec::new();
    for (name, text) in templates() {
        let plain = without_tera(&text);
        // Visible attributes, then the text between tags.
        for attr in [
            "aria-label=\"",
            "title=\"",
            "placeholder=\"",
            "alt=\"",
            "data-label=\"",
        ] {
            for (i, _) in plain.match_indices(attr) {
                let v = &plain[i + attr.len()..];
                let v = &v[..v.find('"').unwrap_or(v.len())];
                if v.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
                    found.push(format!("{name}: {attr}{v}\""));
                }
            }
        }
        let mut in_tag = false;
        let mut piece = String::new();
        for c in plain.chars().chain(['<']) {
            match c {
                '<' | '\0' | '>' => {
                    let p = piece.trim();
                    if !in_tag
                        && p.chars().filter(|c| c.is_alphabetic()).count() >= 2
                        && !NOT_WORDS.contains(&p)
                    {
                        found.push(format!("{name}: {p:?}"));
                    }
                    piece.clear();
                    if c == '<' {
                        in_tag = true;
                    } else if c == '>' {
                        in_tag = false;
                    }
                }
                _ => piece.push(c),
            }
        }
    }
    assert!(found.is_empty(), "text outside t(): {found:#?}");
}

/// The check above finds text: one English word in a template.
#[test]
fn the_template_check_finds_a_word() {
    let plain = without_tera("<p>{{ t(key=\"x\") }} Overdue</p>");
    assert!(plain.contains("Overdue"));
    assert!(!without_tera("<p>{{ t(key=\"overdue\") }}</p>").contains("overdue"));
}

fn english_keys() -> BTreeSet<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/translations/en.ftl"
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, _)| k.to_string())
        .filter(|k| !k.starts_with('#') && !k.contains(' '))
        .collect()
}

/// Every key a template asks for is in the English catalogue (keys built
/// from a value, `"trend-" ~ …`, by their prefix).
#[test]
fn every_key_a_template_uses_is_in_the_catalogue() {
    let keys = english_keys();
    for (name, text) in templates() {
        for (i, _) in text.match_indices("t(key=") {
            let rest = &text[i + 6..];
            let quote = rest.chars().next().unwrap();
            let lit = &rest[1..rest[1..].find(quote).unwrap() + 1];
            let dynamic = rest[lit.len() + 2..].trim_start().starts_with('~');
            let known = if dynamic {
                keys.iter().any(|k| k.starts_with(lit))
            } else {
                keys.contains(lit)
            };
            assert!(known, "{name}: t(key={quote}{lit}{quote}) is not in en.ftl");
        }
    }
}

/// docs/theme-api.md lists every key of the catalogue, and no other.
#[test]
fn every_catalogue_key_is_listed_in_the_theme_docs() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/theme-api.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let start = doc
        .find("\n### Every key")
        .expect("an \"Every key\" section");
    let listed: BTreeSet<String> = doc[start..]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once("` |"))
        .map(|(k, _)| k.to_string())
        .collect();
    let keys = english_keys();
    let missing: Vec<_> = keys.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&keys).collect();
    assert!(
        missing.is_empty(),
        "keys missing from docs/theme-api.md: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "docs/theme-api.md lists keys en.ftl lacks: {extra:?}"
    );
}
