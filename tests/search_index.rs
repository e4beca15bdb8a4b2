//! The search index the build writes once, as `search-index.js` (a script,
//! so pages opened from `file://` can load it): a term index with a table
//! of pages, and the register's row data.

mod tools;

use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

/// The search index: `search-index.js`'s text and the value it assigns.
fn index(site: &Path) -> (String, Value) {
    script(site, "search-index.js", "ISMS_SEARCH_INDEX")
}

/// A script's text and the value it assigns to `window.<global>` (JSON in
/// a single-quoted string, where `\\` and `\'` are the only escapes).
fn script(site: &Path, file: &str, global: &str) -> (String, Value) {
    let script = fs::read_to_string(site.join(file)).unwrap();
    let literal = script
        .strip_prefix(&format!("window.{global} = JSON.parse('"))
        .and_then(|s| s.strip_suffix("');\n"))
        .unwrap_or_else(|| panic!("{file} assigns {global}"));
    let mut json = String::with_capacity(literal.len());
    let mut chars = literal.chars();
    while let Some(c) = chars.next() {
        assert_ne!(c, '\'', "an unescaped quote ends the string");
        json.push(if c == '\\' { chars.next().unwrap() } else { c });
    }
    let value = serde_json::from_str(&json).expect("the index parses");
    (script, value)
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
    assert!(!site.join("search-index.json").exists(), "written twice");
    let (_, v) = index(&site);
    let docs = list(&v, "docs");
    let count = |dir: &str| {
        docs.iter()
            .filter(|d| d[2].as_str().unwrap().starts_with(dir))
            .count()
    };
    let md_files = |dir: &str| fs::read_dir(content.join(dir)).unwrap().count();
    assert_eq!(count("register/"), 32);
    let (rows_script, rows) = script(&site, "register-rows.js", "ISMS_REGISTER_ROWS");
    assert_eq!(list(&rows, "rows").len(), 32, "one register row per entry");
    assert!(rows_script.len() < 20_000, "the rows are compact");
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
    let (rows, _) = script(&site, "register-rows.js", "ISMS_REGISTER_ROWS");
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
    let bytes = fs::metadata(site.join("search-index.js")).unwrap().len() as usize;
    assert!(
        bytes * 10 <= text_bytes * 4,
        "index {bytes} bytes for {text_bytes} bytes of text"
    );
    // And every entry's words are still found.
    let (_, v) = index(&site);
    assert_eq!(list(&v, "docs").len(), 400);
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
