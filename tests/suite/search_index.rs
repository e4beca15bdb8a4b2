//! The search index the build writes once, split into files that each come
//! as `.json` (for pages served over http) and `.js` (for pages opened from
//! `file://`, and for them only): a term index with a table of pages, and
//! the register's row data.

use crate::tools;

use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

/// The search index as one value, as it was before it was split (issue
/// 27): `docs`, `terms` and `postings` from every file of it; and the text
/// of every `.js` file of it.
fn index(site: &Path) -> (String, Value) {
    let (mut text, core) = data(site, "search-index");
    let mut docs = Vec::new();
    let (mut terms, mut postings) = (Vec::new(), Vec::new());
    let mut names: Vec<String> = fs::read_dir(site.join("search"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|f| f.strip_suffix(".json").map(str::to_string))
        .collect();
    // d-10 after d-9.
    names.sort_by_key(|n| (n.len(), n.clone()));
    for name in names {
        let (js, v) = data(site, &format!("search/{name}"));
        text.push_str(&js);
        if name.starts_with("d-") {
            docs.extend(list(&v, "docs").iter().cloned());
        } else {
            terms.extend(list(&v, "terms").iter().cloned());
            postings.extend(list(&v, "postings").iter().cloned());
        }
    }
    assert_eq!(docs.len() as u64, core["count"].as_u64().unwrap());
    let v = serde_json::json!({"core": core, "docs": docs, "terms": terms, "postings": postings});
    (text, v)
}

/// A data file's script text and its value, read from `NAME.json`; the
/// script `NAME.js` must hold the same value, handed only to pages opened
/// from `file://` (JSON in a single-quoted string, where `\\` and `\'` are
/// the only escapes).
fn data(site: &Path, name: &str) -> (String, Value) {
    let json = fs::read_to_string(site.join(format!("{name}.json"))).unwrap();
    let value: Value = serde_json::from_str(&json).expect("the JSON parses");
    let script = fs::read_to_string(site.join(format!("{name}.js"))).unwrap();
    let prefix = format!(
        "if (location.protocol === \"file:\") (window.ISMS_DATA = window.ISMS_DATA || {{}})[\"{name}\"] = JSON.parse('"
    );
    let literal = script
        .strip_prefix(&prefix)
        .and_then(|s| s.strip_suffix("');\n"))
        .unwrap_or_else(|| panic!("{name}.js hands its data to file:// pages only"));
    let mut unescaped = String::with_capacity(literal.len());
    let mut chars = literal.chars();
    while let Some(c) = chars.next() {
        assert_ne!(c, '\'', "an unescaped quote ends the string");
        unescaped.push(if c == '\\' { chars.next().unwrap() } else { c });
    }
    assert_eq!(unescaped, json, "{name}.js and {name}.json hold the same");
    (script + &json, value)
}

fn list<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is a list"))
}

/// The pages holding `term` in each field (title, keys, text), decoded
/// from the base-36 gaps.
fn postings(v: &Value, term: &str) -> [Vec<u64>; 3] {
    let k = list(v, "terms")
        .iter()
        .position(|t| t == term)
        .unwrap_or_else(|| panic!("no term {term}"));
    let encoded = list(v, "postings")[k].as_str().unwrap();
    let mut out: [Vec<u64>; 3] = Default::default();
    for (field, gaps) in encoded.split('|').enumerate() {
        let mut n = 0;
        for gap in gaps.split(',').filter(|g| !g.is_empty()) {
            n += u64::from_str_radix(gap, 36).unwrap();
            out[field].push(n);
        }
    }
    out
}

fn doc_number(v: &Value, id: &str) -> u64 {
    list(v, "docs").iter().position(|d| d[0] == id).unwrap() as u64
}

#[test]
fn index_is_written_once_and_holds_every_page_with_links_that_resolve() {
    let content = tools::root_dir().join("content");
    let site = tools::build_site("search-demo-", &content);
    let (_, v) = index(&site);
    let docs = list(&v, "docs");
    let count = |dir: &str| {
        docs.iter()
            .filter(|d| d[2].as_str().unwrap().starts_with(dir))
            .count()
    };
    let md_files = |dir: &str| fs::read_dir(content.join(dir)).unwrap().count();
    assert_eq!(count("register/"), 32);
    let (rows_text, rows) = data(&site, "register-rows");
    assert_eq!(list(&rows, "rows").len(), 32, "one register row per entry");
    assert!(rows_text.len() < 2 * 30_000, "the rows are compact");
    // The register's own docs table: each entry's id, title, link and
    // description, as the search's.
    for (r, d) in list(&rows, "docs").iter().zip(docs) {
        assert_eq!(r[0], d[0]);
        assert_eq!(r[1], d[1]);
        assert_eq!(r[2], d[2]);
        assert_eq!(r[3], d[4]);
    }
    assert_eq!(count("plans/"), md_files("plans"));
    assert_eq!(count("reviews/"), md_files("reviews"));
    for d in docs {
        let url = d[2].as_str().unwrap();
        assert!(site.join(url).is_file(), "{url} is not a page");
        assert!(!d[1].as_str().unwrap().is_empty());
    }
    // Words from deep in CI-001's outcome are indexed as body text, its
    // control among the keys, its owner in the line under the title.
    let ci1 = doc_number(&v, "CI-001");
    assert!(postings(&v, "dormant")[2].contains(&ci1));
    assert!(postings(&v, "a.5.15")[1].contains(&ci1));
    // The risks it treats are keys as well: a search for R-01 finds it.
    assert!(postings(&v, "r-01")[1].contains(&ci1));
    assert!(
        docs[ci1 as usize][3]
            .as_str()
            .unwrap()
            .contains("Head of IT")
    );
    // So are the clause 10.2 texts: CI-024's correction, and its finding's
    // reference among the keys.
    let ci24 = doc_number(&v, "CI-024");
    assert!(postings(&v, "weekends")[2].contains(&ci24));
    assert!(postings(&v, "nc-2025-03")[1].contains(&ci24));
    // Plan and review bodies are searchable too.
    let page = |url: &str| docs.iter().position(|d| d[2] == url).unwrap() as u64;
    let tabletop = postings(&v, "tabletop").concat();
    assert!(tabletop.contains(&page("plans/incident-response-improvement/index.html")));
    assert!(tabletop.contains(&page("reviews/2025-q1-management-review/index.html")));
}

#[test]
fn hostile_text_is_data_in_the_index_never_markup() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    fs::create_dir_all(content.join("register")).unwrap();
    fs::write(content.join("site.yaml"), "title: T\n").unwrap();
    let title = "</script><script>alert(1)</script> & \"quotes\" \\ back";
    fs::write(
        content.join("register/X-1.yaml"),
        format!(
            "title: {}\nidentified: 2025-01-01\nstatus: planned\npriority: low\ndescription: \"<b>bold</b> *text*\"\n",
            serde_json::to_string(title).unwrap()
        ),
    )
    .unwrap();
    let site = tools::build_site("search-hostile-", &content);
    let (text, v) = index(&site);
    let (rows, _) = data(&site, "register-rows");
    for text in [text, rows] {
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
    }
    let d = &list(&v, "docs")[0];
    assert_eq!(d[1], title, "the text survives exactly");
    // Raw HTML tags in Markdown are not indexed; the words are.
    assert_eq!(d[4], "bold text");
    let terms: BTreeSet<&str> = list(&v, "terms")
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(terms.contains("bold") && terms.contains("text"));
    assert!(!terms.contains("b"), "markup is not indexed: {terms:?}");
}

/// The index is a fraction of the text it indexes. Before, it held the
/// full text (its size was more than the text's; 28 MB at 10,000
/// synthetic entries, written twice).
#[test]
fn index_is_at_most_40_percent_of_the_text_it_indexes() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    let text_bytes = tools::synthetic_register(&content, 400);
    let site = tools::build_site("search-size-", &content);
    // What a page loads over http: the .json files.
    let bytes: usize = ["search-index.json".to_string()]
        .into_iter()
        .chain(
            fs::read_dir(site.join("search"))
                .unwrap()
                .map(|e| format!("search/{}", e.unwrap().file_name().to_string_lossy()))
                .filter(|f| f.ends_with(".json")),
        )
        .map(|f| fs::metadata(site.join(f)).unwrap().len() as usize)
        .sum();
    assert!(
        bytes * 10 <= text_bytes * 4,
        "index {bytes} bytes for {text_bytes} bytes of text"
    );
    // And every entry's words are still found.
    let (_, v) = index(&site);
    assert_eq!(list(&v, "docs").len(), 400);
    // Split so that a query loads a fraction (issue 27): the core, one
    // shard of terms and one part of the docs table.
    let size = |f: &str| fs::metadata(site.join(f)).unwrap().len() as usize;
    let largest = |prefix: &str| {
        fs::read_dir(site.join("search"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|f| f.starts_with(prefix) && f.ends_with(".json"))
            .map(|f| size(&format!("search/{f}")))
            .max()
            .unwrap()
    };
    let (core, shard, part) = (size("search-index.json"), largest("t-"), largest("d-"));
    assert!(
        core * 20 < bytes && shard * 5 < bytes && part * 2 < bytes,
        "core {core}, largest shard {shard}, largest docs part {part} of {bytes} bytes"
    );
    // Every term is in the shard of its first character.
    for e in fs::read_dir(site.join("search")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        let Some(key) = name
            .strip_prefix("t-")
            .and_then(|n| n.strip_suffix(".json"))
        else {
            continue;
        };
        let (_, shard) = data(&site, &format!("search/t-{key}"));
        for t in list(&shard, "terms") {
            let first = t.as_str().unwrap().chars().next().unwrap();
            let want = if first.is_ascii_alphanumeric() {
                first.to_string()
            } else {
                "_".into()
            };
            assert_eq!(want, key, "{t}");
        }
    }
}

/// The demo's queries give the results they gave before the term index
/// (tests/fixtures/search/before-issue-14.json, from the full-text search
/// of that version; old-search.js beside it made them), running the
/// site's own search.js in Node. One result was added since, because the
/// demo changed: CI-024's `correction` (issue 16) names the Head of IT.
#[test]
#[ignore = "needs Node"]
fn same_results_as_the_full_text_search_for_the_demo_queries() {
    tools::require_tools(
        "same_results_as_the_full_text_search_for_the_demo_queries",
        &if tools::runs("node", &["--version"]) {
            vec![]
        } else {
            vec!["node (apt-get install nodejs)".to_string()]
        },
    );
    let fixtures = tools::root_dir().join("tests/fixtures/search");
    let before: serde_json::Map<String, Value> =
        serde_json::from_str(&fs::read_to_string(fixtures.join("before-issue-14.json")).unwrap())
            .unwrap();
    let site = tools::build_site("search-same-", &tools::root_dir().join("content"));
    let queries: Vec<&String> = before.keys().collect();
    let o = Command::new("node")
        .arg(fixtures.join("run-search.js"))
        .arg(&site)
        .arg(tools::root_dir().join("themes/default/static/search.js"))
        .arg(serde_json::to_string(&queries).unwrap())
        .output()
        .expect("run node");
    assert!(o.status.success(), "{}", tools::output_text(&o));
    let now: serde_json::Map<String, Value> = serde_json::from_slice(&o.stdout).unwrap();
    // The old search also matched inside words ("it" in "audit") and ranked
    // those matches lower; the term index matches at word starts only, so
    // for these two queries the same pages come in another order.
    let reordered = ["Head of IT", "ci"];
    for (q, want) in &before {
        let got = &now[q];
        if reordered.contains(&q.as_str()) {
            let set = |v: &Value| -> BTreeSet<String> {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|u| u.to_string())
                    .collect()
            };
            assert_eq!(set(got), set(want), "{q}");
        } else {
            assert_eq!(got, want, "{q}");
        }
    }
}
