//! The search index the build writes (`search-index.json`, and the same
//! data as `search-index.js` for pages opened from `file://`).

mod tools;

use std::fs;
use std::path::Path;

fn index(site: &Path) -> (String, serde_json::Value) {
    let json = fs::read_to_string(site.join("search-index.json")).unwrap();
    let value = serde_json::from_str(&json).expect("search-index.json parses");
    (json, value)
}

fn docs(v: &serde_json::Value) -> &Vec<serde_json::Value> {
    v["docs"].as_array().expect("docs is a list")
}

#[test]
fn index_holds_every_entry_plan_and_review_with_links_that_resolve() {
    let content = tools::root_dir().join("content");
    let site = tools::build_site("search-demo-", &content);
    let (json, v) = index(&site);
    let count = |kind: &str| docs(&v).iter().filter(|d| d["kind"] == kind).count();
    let md_files = |dir: &str| fs::read_dir(content.join(dir)).unwrap().count();
    assert_eq!(count("entry"), 32);
    assert_eq!(count("plan"), md_files("plans"));
    assert_eq!(count("review"), md_files("reviews"));
    for d in docs(&v) {
        let url = d["url"].as_str().unwrap();
        assert!(site.join(url).is_file(), "{url} is not a page");
        assert!(!d["title"].as_str().unwrap().is_empty());
    }
    // Full text, not excerpts: a phrase from deep in CI-001's outcome.
    let ci1 = docs(&v).iter().find(|d| d["id"] == "CI-001").unwrap();
    assert!(
        ci1["text"]
            .as_str()
            .unwrap()
            .contains("137 dormant accounts")
    );
    assert!(ci1["keys"].as_str().unwrap().contains("A.5.15"));
    assert!(ci1["meta"].as_str().unwrap().contains("Head of IT"));
    // Plan and review bodies are searchable too.
    let plan = docs(&v).iter().find(|d| d["kind"] == "plan").unwrap();
    assert!(plan["text"].as_str().unwrap().len() > 100);
    // The script is the same data, assigned to the global search.js reads.
    let script = fs::read_to_string(site.join("search-index.js")).unwrap();
    assert_eq!(script, format!("window.ISMS_SEARCH_INDEX = {json};\n"));
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
    let (json, v) = index(&site);
    let script = fs::read_to_string(site.join("search-index.js")).unwrap();
    for text in [&json, &script] {
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
    }
    let d = &docs(&v)[0];
    assert_eq!(d["title"], title, "the text survives exactly");
    // Raw HTML tags in Markdown are not indexed; the words are.
    assert_eq!(d["text"], "bold text");
}
