//! Integration tests: run the `isms-site` binary on the demo content (and on
//! small fixtures) and check the published folder the way a user would.
//!
//! Tests that reveal a bug in the program keep asserting the correct
//! behaviour and are marked ``.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::tools;
use tools::copy_dir;

const BIN: &str = env!("CARGO_BIN_EXE_isms-site");
const AS_OF: &str = "2026-11-27";
/// 2026-11-27T00:00:00Z.
const AS_OF_EPOCH: &str = "1795737600";
const OVERDUE: [&str; 6] = ["CI-006", "CI-008", "CI-017", "CI-019", "CI-024", "CI-026"];

fn root_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn demo_content() -> PathBuf {
    root_dir().join("content")
}

fn demo_theme() -> PathBuf {
    root_dir().join("themes/default")
}

/// The binary, run from `cwd` with no `SOURCE_DATE_EPOCH` inherited.
fn isms(cwd: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(cwd).env_remove("SOURCE_DATE_EPOCH");
    c
}

fn run(mut cmd: Command) -> Output {
    cmd.output().expect("run isms-site")
}

fn describe(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `isms-site build` with the given content, output and extra arguments.
fn build_cmd(cwd: &Path, content: &Path, output: &Path, extra: &[&str]) -> Command {
    let mut c = isms(cwd);
    c.arg("build")
        .arg("--content")
        .arg(content)
        .arg("--output")
        .arg(output)
        .args(extra);
    c
}

/// A demo site built into a folder: a temporary one removed on drop, or the
/// shared one (see [`demo`]).
struct Demo {
    _tmp: Option<tempfile::TempDir>,
    out: PathBuf,
}

impl Demo {
    fn path(&self, rel: &str) -> PathBuf {
        self.out.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        let p = self.path(rel);
        fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.read("register.json")).expect("register.json parses")
    }
}

fn build_demo_into(dir: &Path, extra: &[&str], envs: &[(&str, &str)]) -> PathBuf {
    let out = dir.join("out");
    let mut cmd = build_cmd(dir, &demo_content(), &out, &["--theme"]);
    cmd.arg(demo_theme()).args(extra);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let o = run(cmd);
    assert!(o.status.success(), "demo build failed: {}", describe(&o));
    out
}

/// A fresh demo build of its own.
fn build_demo_with(extra: &[&str], envs: &[(&str, &str)]) -> Demo {
    let tmp = tempfile::tempdir().unwrap();
    let out = build_demo_into(tmp.path(), extra, envs);
    Demo {
        _tmp: Some(tmp),
        out,
    }
}

/// The demo built once with `--as-of AS_OF`, shared by the tests that only
/// read it. It lives under Cargo's target/tmp (statics are never dropped);
/// folders that earlier runs left there are removed once they are an hour old.
fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tools::fresh_tmp_dir("site-demo-");
        let out = build_demo_into(&dir, &["--as-of", AS_OF], &[]);
        Demo { _tmp: None, out }
    })
}

/// Every file below `dir`, as `/`-separated relative paths, sorted.
fn files_under(dir: &Path) -> BTreeSet<String> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeSet<String>) {
        for e in fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let name = e.file_name().to_string_lossy().into_owned();
            let rel = format!("{prefix}{name}");
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &format!("{rel}/"), out);
            } else {
                out.insert(rel);
            }
        }
    }
    let mut out = BTreeSet::new();
    if dir.is_dir() {
        walk(dir, "", &mut out);
    }
    out
}

/// Relative path → bytes of every file below `dir`.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_under(dir)
        .into_iter()
        .map(|rel| {
            let bytes = fs::read(dir.join(&rel)).unwrap();
            (rel, bytes)
        })
        .collect()
}

fn stems(dir: &Path, ext: &str) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension() == Some(OsStr::new(ext)))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn html_files(out: &Path) -> Vec<String> {
    files_under(out)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect()
}

/// The values of `attr="..."` attributes in `html` (attribute name preceded
/// by whitespace, so `data-src` is not `src`).
fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!("{attr}=\"");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = html[from..].find(&needle) {
        let start = from + i;
        let value_start = start + needle.len();
        from = value_start;
        let preceded_by_space = html[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        if !preceded_by_space {
            continue;
        }
        if let Some(len) = html[value_start..].find('"') {
            out.push(html[value_start..value_start + len].to_string());
            from = value_start + len;
        }
    }
    out
}

fn html_unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).expect("percent-decoded link is UTF-8")
}

fn has_scheme(link: &str) -> Option<String> {
    let colon = link.find(':')?;
    let scheme = &link[..colon];
    let ok = !scheme.is_empty()
        && scheme.chars().next().unwrap().is_ascii_alphabetic()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then(|| scheme.to_ascii_lowercase())
}

/// Checks every `attr` link of every HTML page in `out`; returns how many
/// links were seen and the problems found.
fn check_links(out: &Path, attr: &str) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    let mut seen = 0;
    for page in html_files(out) {
        let html = fs::read_to_string(out.join(&page)).unwrap();
        let page_dir = Path::new(&page).parent().unwrap_or(Path::new(""));
        for raw in attr_values(&html, attr) {
            seen += 1;
            let link = html_unescape(&raw);
            if let Some(frag) = link.strip_prefix('#') {
                if !frag.is_empty() && !html.contains(&format!("id=\"{frag}\"")) {
                    problems.push(format!("{page}: {attr}=\"{raw}\": no element with that id"));
                }
                continue;
            }
            match has_scheme(&link).as_deref() {
                Some("http" | "https" | "mailto") => continue,
                Some(other) => {
                    problems.push(format!(
                        "{page}: {attr}=\"{raw}\": unexpected `{other}:` link"
                    ));
                    continue;
                }
                None => {}
            }
            if link.starts_with('/') {
                problems.push(format!("{page}: {attr}=\"{raw}\": absolute path"));
                continue;
            }
            let path = link.split(['?', '#']).next().unwrap();
            if path.is_empty() {
                continue; // `?query` or the page itself
            }
            if path.ends_with('/') {
                problems.push(format!(
                    "{page}: {attr}=\"{raw}\": names a folder, not a file"
                ));
                continue;
            }
            let decoded = percent_decode(path);
            let mut target = PathBuf::new();
            let mut escaped = false;
            for comp in page_dir.join(&decoded).components() {
                match comp {
                    Component::Normal(c) => target.push(c),
                    Component::ParentDir => {
                        if !target.pop() {
                            escaped = true;
                        }
                    }
                    Component::CurDir => {}
                    _ => escaped = true,
                }
            }
            if escaped {
                problems.push(format!(
                    "{page}: {attr}=\"{raw}\": leaves the output folder"
                ));
            } else if !out.join(&target).is_file() {
                problems.push(format!(
                    "{page}: {attr}=\"{raw}\": {} does not exist",
                    target.display()
                ));
            }
        }
    }
    (seen, problems)
}

/// The text between `start` and the first `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let i = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found"));
    let rest = &text[i..];
    let j = rest.find(end).unwrap_or(rest.len());
    &rest[..j]
}

fn entries(json: &serde_json::Value) -> &Vec<serde_json::Value> {
    json["entries"].as_array().expect("entries array")
}

fn str_of<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string in {v}"))
}

/// `by_status` etc. are `[[key, count], ...]`; tolerate an object too.
fn counts(v: &serde_json::Value) -> BTreeMap<String, u64> {
    match v {
        serde_json::Value::Array(a) => a
            .iter()
            .map(|pair| {
                (
                    pair[0].as_str().unwrap_or("").to_string(),
                    pair[1].as_u64().unwrap(),
                )
            })
            .collect(),
        serde_json::Value::Object(m) => m
            .iter()
            .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
            .collect(),
        other => panic!("not a count list: {other}"),
    }
}

/// The register ids in a plan's or review's front matter `entries:` list.
fn front_matter_entries(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap();
    let fm = text.split("\n---").next().unwrap();
    let line = fm
        .lines()
        .find(|l| l.starts_with("entries:"))
        .unwrap_or_else(|| panic!("{}: no entries line", path.display()));
    line["entries:".len()..]
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

// 1. Stable paths ----------------------------------------------------------

#[test]
fn demo_build_writes_the_stable_paths() {
    let d = demo();
    let files = files_under(&d.out);
    let mut missing = Vec::new();
    let mut expect = vec![
        "index.html".to_string(),
        "register/index.html".into(),
        "reviews/index.html".into(),
        "register.csv".into(),
        "register.json".into(),
    ];
    for n in 1..=32 {
        expect.push(format!("register/CI-{n:03}/index.html"));
    }
    for stem in stems(&demo_content().join("plans"), "md") {
        expect.push(format!("plans/{stem}/index.html"));
    }
    let reviews = stems(&demo_content().join("reviews"), "md");
    assert_eq!(reviews.len(), 9);
    for stem in reviews {
        expect.push(format!("reviews/{stem}/index.html"));
    }
    for f in &expect {
        if !files.contains(f) {
            missing.push(f.clone());
        }
    }
    assert!(missing.is_empty(), "missing from the output: {missing:?}");

    // Evidence is copied byte for byte.
    let evidence = demo_content().join("evidence");
    let ev_files = files_under(&evidence);
    assert!(!ev_files.is_empty());
    for rel in ev_files {
        let copied = d.path(&format!("evidence/{rel}"));
        let got = fs::read(&copied).unwrap_or_else(|e| panic!("evidence/{rel}: {e}"));
        assert_eq!(
            got,
            fs::read(evidence.join(&rel)).unwrap(),
            "evidence/{rel} differs"
        );
    }
}

// 2. Reproducibility -----------------------------------------------------

fn assert_same_folder(a: &Path, b: &Path) {
    let (sa, sb) = (snapshot(a), snapshot(b));
    let (la, lb): (Vec<_>, Vec<_>) = (sa.keys().collect(), sb.keys().collect());
    assert_eq!(la, lb, "the two builds hold different files");
    let differ: Vec<&String> = sa
        .iter()
        .filter(|(k, v)| sb[*k] != **v)
        .map(|(k, _)| k)
        .collect();
    assert!(differ.is_empty(), "files differ between builds: {differ:?}");
}

#[test]
fn builds_are_byte_identical() {
    let a = demo();
    let b = build_demo_with(&["--as-of", AS_OF], &[]);
    assert_same_folder(&a.out, &b.out);
}

#[test]
fn source_date_epoch_equals_as_of() {
    let a = demo();
    let b = build_demo_with(&[], &[("SOURCE_DATE_EPOCH", AS_OF_EPOCH)]);
    assert_eq!(b.json()["as_of"], AS_OF);
    assert_same_folder(&a.out, &b.out);
}

// 3. Links ----------------------------------------------------------------

#[test]
fn every_internal_href_resolves_to_a_file() {
    let d = demo();
    let (seen, problems) = check_links(&d.out, "href");
    assert!(seen > 1000, "only {seen} links seen");
    assert!(
        problems.is_empty(),
        "{} broken links:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]

fn every_internal_src_resolves_to_a_file() {
    let d = demo();
    let (seen, problems) = check_links(&d.out, "src");
    assert!(seen > 10, "only {seen} src links seen");
    assert!(
        problems.is_empty(),
        "{} broken src links:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn nothing_is_loaded_from_another_host() {
    let d = demo();
    let mut problems = Vec::new();
    for rel in files_under(&d.out) {
        if rel.starts_with("evidence/") {
            continue; // the author's files, copied verbatim
        }
        let Ok(text) = fs::read_to_string(d.path(&rel)) else {
            continue;
        };
        let lower = text.to_ascii_lowercase();
        if rel.ends_with(".html") || rel.ends_with(".svg") {
            for v in attr_values(&lower, "src") {
                if v.starts_with("http") || v.starts_with("//") {
                    problems.push(format!("{rel}: src=\"{v}\""));
                }
            }
            for tag in lower.split("<link").skip(1) {
                let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
                for v in attr_values(tag, "href") {
                    if v.starts_with("http") || v.starts_with("//") {
                        problems.push(format!("{rel}: <link href=\"{v}\">"));
                    }
                }
            }
        }
        if rel.ends_with(".svg") {
            for v in attr_values(&lower, "href")
                .into_iter()
                .chain(attr_values(&lower, "xlink:href"))
            {
                if v.starts_with("http") || v.starts_with("//") {
                    problems.push(format!("{rel}: href=\"{v}\""));
                }
            }
        }
        if rel.ends_with(".css") || rel.ends_with(".html") || rel.ends_with(".svg") {
            if lower.contains("@import") {
                problems.push(format!("{rel}: @import"));
            }
            let squeezed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
            for bad in [
                "url(http",
                "url('http",
                "url(\"http",
                "url(//",
                "url('//",
                "url(\"//",
            ] {
                if squeezed.contains(bad) {
                    problems.push(format!("{rel}: {bad}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// 4. register.json ----------------------------------------------------------

#[test]
fn register_json_has_entries_slugs_overdue_and_rollups() {
    let d = demo();
    let json = d.json();
    let es = entries(&json);
    assert_eq!(es.len(), 32);
    assert_eq!(json["as_of"], AS_OF);

    let slugs = [
        "not-started",
        "planned",
        "in-progress",
        "completed",
        "cancelled",
    ];
    for e in es {
        let s = str_of(e, "status");
        assert!(slugs.contains(&s), "{}: status `{s}`", e["id"]);
        assert!(
            ["high", "medium", "low"].contains(&str_of(e, "priority")),
            "{}",
            e["id"]
        );
    }
    // Written `In Progress` in content.
    let ci008 = es.iter().find(|e| e["id"] == "CI-008").expect("CI-008");
    assert_eq!(ci008["status"], "in-progress");

    let overdue: BTreeSet<&str> = es
        .iter()
        .filter(|e| e["overdue"] == true)
        .map(|e| str_of(e, "id"))
        .collect();
    assert_eq!(overdue, OVERDUE.into_iter().collect::<BTreeSet<_>>());
    for e in es {
        assert!(e["overdue"].is_boolean(), "{}: overdue not a bool", e["id"]);
    }

    let r = &json["rollups"];
    assert!(r.is_object(), "rollups missing");
    assert_eq!(r["total"].as_u64(), Some(es.len() as u64));
    let open = es
        .iter()
        .filter(|e| !["completed", "cancelled"].contains(&str_of(e, "status")))
        .count();
    assert_eq!(r["open"].as_u64(), Some(open as u64));
    let mut by_status: BTreeMap<String, u64> = BTreeMap::new();
    for e in es {
        *by_status
            .entry(str_of(e, "status").to_string())
            .or_default() += 1;
    }
    let mut reported = counts(&r["by_status"]);
    reported.retain(|_, n| *n > 0);
    assert_eq!(reported, by_status);
    let mut by_priority: BTreeMap<String, u64> = BTreeMap::new();
    for e in es {
        *by_priority
            .entry(str_of(e, "priority").to_string())
            .or_default() += 1;
    }
    let mut reported = counts(&r["by_priority"]);
    reported.retain(|_, n| *n > 0);
    assert_eq!(reported, by_priority);
}

// 5. register.csv -----------------------------------------------------------

#[test]
fn register_csv_has_bom_seed_headers_and_rows_in_json_order() {
    let d = demo();
    let bytes = fs::read(d.path("register.csv")).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "register.csv does not start with a UTF-8 BOM"
    );
    let mut rdr = csv::ReaderBuilder::new().from_reader(&bytes[3..]);
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    for h in [
        "#",
        "Improvement Opportunity",
        "Description",
        "Identification Date",
        "Status",
        "Priority",
        "Action Owner",
        "Target Completion Date",
        "Results/Outcomes",
    ] {
        assert!(
            headers.iter().any(|x| x == h),
            "header `{h}` missing: {headers:?}"
        );
    }
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 32);
    let csv_ids: Vec<&str> = rows.iter().map(|r| &r[col("#")]).collect();
    let json = d.json();
    let json_ids: Vec<&str> = entries(&json).iter().map(|e| str_of(e, "id")).collect();
    assert_eq!(csv_ids, json_ids);
    let ci008 = rows.iter().find(|r| &r[col("#")] == "CI-008").unwrap();
    assert_eq!(&ci008[col("Status")], "in-progress");
}

// 6. Dashboard --------------------------------------------------------------

#[test]
fn dashboard_shows_header_overdue_items_and_accessible_charts() {
    let d = demo();
    let html = d.read("index.html");
    let json = d.json();
    assert!(html.contains("2024-11-04"), "creation date missing");
    assert!(html.contains("ISMS Manager"), "responsible person missing");
    let last = str_of(&json, "last_updated");
    let header = between(&html, "Last updated", "</div>");
    assert!(
        header.contains(last),
        "last updated {last} not shown: {header}"
    );

    let overdue = between(&html, "id=\"overdue-h\"", "</section>");
    for id in OVERDUE {
        assert!(
            overdue.contains(&format!("href=\"register/{id}/index.html\"")),
            "overdue {id} not listed on the dashboard"
        );
    }
    for e in entries(&json) {
        let id = str_of(e, "id");
        if !OVERDUE.contains(&id) {
            assert!(
                !overdue.contains(&format!("register/{id}/index.html")),
                "{id} is listed as overdue"
            );
        }
    }

    let imgs: Vec<&str> = html.split("<img").skip(1).collect();
    assert!(!imgs.is_empty(), "no chart images on the dashboard");
    let mut charts = 0;
    for img in imgs {
        let tag = &img[..img.find('>').unwrap()];
        let src = attr_values(tag, "src").pop().expect("img without src");
        let alt = attr_values(tag, "alt").pop();
        assert!(
            alt.as_deref().is_some_and(|a| !a.trim().is_empty()),
            "img {src} has no text alternative"
        );
        if src.starts_with("charts/") && src.ends_with(".svg") {
            charts += 1;
            let svg = d.read(&src);
            assert!(svg.contains("<title"), "{src} has no <title>");
        }
    }
    assert!(charts > 0, "no charts/*.svg images on the dashboard");
    for f in files_under(&d.path("charts")) {
        assert!(
            d.read(&format!("charts/{f}")).contains("<title"),
            "charts/{f}"
        );
    }
}

// 7. Entry page ---------------------------------------------------------------

/// The entry page's content is a reviewed snapshot
/// (`tests/suite/snapshots/suite__site__overdue_entry_page*.snap`): the
/// overdue banner, the fields, the history, the plans that list it. A
/// change to it fails until the new snapshot is reviewed and committed.
#[test]
fn overdue_entry_page_shows_overdue_history_and_plans() {
    let html = fs::read_to_string(tools::demo_site().join("register/CI-006/index.html")).unwrap();
    insta::assert_snapshot!(tools::fragment(&html, "<main", "</main>"));
    let d = demo();
    let plans: Vec<String> = stems(&demo_content().join("plans"), "md")
        .into_iter()
        .filter(|s| {
            front_matter_entries(&demo_content().join(format!("plans/{s}.md")))
                .iter()
                .any(|id| id == "CI-006")
        })
        .collect();
    assert!(!plans.is_empty(), "no demo plan lists CI-006");
    for stem in plans {
        assert!(
            html.contains(&format!("href=\"../../plans/{stem}/index.html\"")),
            "no link to plan {stem}"
        );
    }
    // Not overdue: no banner.
    let other = d.read("register/CI-001/index.html");
    assert!(!other.contains("overdue-banner"), "CI-001 marked overdue");
}

#[test]

fn entry_page_kpi_charts_are_inline_with_distinct_ids() {
    let d = demo();
    // CI-002 has two KPIs: two charts on one page.
    for (id, charts) in [("CI-006", 1), ("CI-002", 2)] {
        let html = d.read(&format!("register/{id}/index.html"));
        let svgs: Vec<&str> = html.split("<svg").skip(1).collect();
        assert_eq!(svgs.len(), charts, "{id}: inline KPI charts");
        for svg in &svgs {
            let svg = &svg[..svg.find("</svg>").expect("closed svg")];
            assert!(
                svg.contains(&format!("role=\"img\"><title>{id}: ")),
                "{svg}"
            );
            assert!(
                !svg.contains("&amp;amp;") && !svg.contains("&amp;lt;"),
                "{svg}"
            );
        }
        // Ids on a page must be unique, however many charts it holds.
        let ids = attr_values(&html, "id");
        let distinct: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len(), "{id}: {ids:?}");
        assert!(
            !attr_values(&html, "src")
                .iter()
                .any(|s| s.ends_with(".svg"))
        );
    }
    // No chart files beside the entry pages.
    for dir in files_under(&d.path("register")) {
        assert!(!dir.ends_with(".svg"), "register/{dir}");
    }
}

// 8. Review page --------------------------------------------------------------

#[test]
fn review_shows_continual_improvement_as_of_its_date() {
    let d = demo();
    let html = d.read("reviews/2025-q1-management-review/index.html");
    assert!(html.contains("Continual improvement"), "section missing");
    let date = "2025-03-31";
    let section = between(&html, "Continual improvement", "</table>");
    assert!(section.contains(date));
    let mut sum = 0u64;
    for row in section.split("<th scope=\"row\">").skip(1) {
        let cell = between(row, "<td>", "</td>");
        sum += cell["<td>".len()..].trim().parse::<u64>().unwrap();
    }
    let json = d.json();
    let identified = entries(&json)
        .iter()
        .filter(|e| str_of(e, "identified") <= date)
        .count() as u64;
    assert!(identified > 0);
    assert_eq!(sum, identified, "status counts on {date} do not add up");
}

// 9. Escaping -----------------------------------------------------------------

const SCRIPT: &str = r#"<script>alert("x")</script>"#;
const IMG: &str = "<img src=x onerror=alert(1)>";
const MD_IMG: &str = "![a](https://evil.example/x.png)";
const MD_JS: &str = "[c](javascript:alert(1))";

fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap() // a JSON string is a YAML double-quoted string
}

fn write_fixture(dir: &Path) {
    let hostile = format!("{SCRIPT} {IMG}");
    let hostile_md = format!("{SCRIPT} {IMG}\n\n{MD_IMG} {MD_JS}\n");
    let q = |s: &str| yaml_str(s);
    fs::create_dir_all(dir.join("register")).unwrap();
    fs::create_dir_all(dir.join("plans")).unwrap();
    fs::create_dir_all(dir.join("reviews")).unwrap();
    fs::write(
        dir.join("site.yaml"),
        format!(
            "title: {}\norganization: {}\ndescription: {}\nregister:\n  created: 2025-01-01\n  responsible: {}\n",
            q(&format!("Fixture {hostile}")),
            q(&hostile),
            q(&hostile_md),
            q(&hostile),
        ),
    )
    .unwrap();
    fs::write(
        dir.join("register/X-1.yaml"),
        format!(
            "title: {t}
description: {md}
identified: 2025-01-01
status: in-progress
priority: high
owner: {o}
target: 2025-03-01
outcome: {md}
lessons: {md}
controls: [{h}]
tags: [{s}, {i}]
extra:
  {h}: {h}
  plain: {s}
history:
  - date: 2025-02-01
    status: in-progress
    note: {md}
kpis:
  - name: {h}
    unit: {s}
    direction: increase
    measurements:
      - {{date: 2025-02-01, value: 1}}
      - {{date: 2025-03-01, value: 2}}
links:
  - title: {h}
    url: https://example.org/
",
            t = q(&format!("T {hostile}")),
            md = q(&hostile_md),
            o = q(&format!("O {hostile} \" onmouseover=\"alert(2)")),
            h = q(&hostile),
            s = q(SCRIPT),
            i = q(IMG),
        ),
    )
    .unwrap();
    fs::write(
        dir.join("plans/p.md"),
        format!(
            "---\ntitle: {}\nentries: [X-1]\nowner: {}\nmilestones:\n  - title: {}\n    due: 2025-02-01\n---\n{hostile_md}",
            q(&format!("P {hostile}")),
            q(&hostile),
            q(&hostile),
        ),
    )
    .unwrap();
    fs::write(
        dir.join("reviews/r.md"),
        format!(
            "---\ntitle: {}\ndate: 2025-04-01\nkind: management-review\nattendees: [{}]\nentries: [X-1]\n---\n{hostile_md}",
            q(&format!("R {hostile}")),
            q(&hostile),
        ),
    )
    .unwrap();
}

#[test]
fn hostile_text_is_never_live_in_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    write_fixture(&content);
    let out = tmp.path().join("out");
    let o = run(build_cmd(
        tmp.path(),
        &content,
        &out,
        &["--as-of", "2025-05-01"],
    ));
    assert!(o.status.success(), "fixture build failed: {}", describe(&o));
    let files = files_under(&out);
    assert!(files.contains("register/X-1/index.html"));
    assert!(files.contains("plans/p/index.html"));
    assert!(files.contains("reviews/r/index.html"));
    // The hostile text reached the pages (escaped), so the test is real.
    let entry = fs::read_to_string(out.join("register/X-1/index.html")).unwrap();
    assert!(
        entry.contains("&lt;script&gt;alert"),
        "title not shown escaped"
    );

    let mut problems = Vec::new();
    for rel in &files {
        // The data files hold the author's text verbatim, as data; they are
        // not rendered by a browser as HTML. Calendars (text/calendar) carry
        // plain RFC 5545 TEXT, escaped for that format (tests/calendar.rs).
        if rel == "register.csv"
            || rel == "register.json"
            || rel == "oscal/poam.json"
            || rel.ends_with(".ics")
        {
            continue;
        }
        let text = String::from_utf8_lossy(&fs::read(out.join(rel)).unwrap()).into_owned();
        for bad in [
            "<script>alert",
            "<img src=x onerror",
            "javascript:",
            "src=\"https://evil.example",
            "onmouseover=\"alert",
        ] {
            if text.contains(bad) {
                problems.push(format!("{rel}: contains `{bad}`"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The data files still hold valid data.
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("register.json")).unwrap()).unwrap();
    assert_eq!(
        str_of(&entries(&json)[0], "title"),
        format!("T {SCRIPT} {IMG}")
    );
}

// 10. Sub-path friendliness ------------------------------------------------------

#[test]
fn no_root_relative_links_anywhere() {
    let d = demo();
    let mut problems = Vec::new();
    for page in html_files(&d.out) {
        let html = fs::read_to_string(d.path(&page)).unwrap();
        for bad in ["href=\"/", "src=\"/", "href='/", "src='/", "action=\"/"] {
            if html.contains(bad) {
                problems.push(format!("{page}: {bad}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// 11. Refusal to publish -----------------------------------------------------------

#[test]
fn refuses_to_publish_over_the_content_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    copy_dir(&demo_content(), &content);
    let before = snapshot(&content);
    let o = run(build_cmd(
        tmp.path(),
        &content,
        &content,
        &["--as-of", AS_OF],
    ));
    assert!(!o.status.success(), "publishing over content succeeded");
    assert_eq!(snapshot(&content), before, "the content folder was changed");
    // Nothing left beside it either (staging folders).
    let names: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["content"], "stray folders: {names:?}");
}

#[test]
fn refuses_to_publish_over_a_users_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("notes.txt"), "my notes").unwrap();
    let o = run(build_cmd(
        tmp.path(),
        &demo_content(),
        &out,
        &["--as-of", AS_OF],
    ));
    assert!(!o.status.success(), "published over a user's file");
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("notes.txt"),
        "message does not name the file: {stderr}"
    );
    assert_eq!(
        fs::read_to_string(out.join("notes.txt")).unwrap(),
        "my notes"
    );
    assert_eq!(files_under(&out).len(), 1, "output folder was changed");
}

/// A minimal valid content folder with one entry, `X-1`.
fn write_minimal(dir: &Path) {
    fs::create_dir_all(dir.join("register")).unwrap();
    fs::write(dir.join("site.yaml"), "title: Minimal\n").unwrap();
    fs::write(
        dir.join("register/X-1.yaml"),
        "title: One\nidentified: 2025-01-01\nstatus: planned\npriority: low\n",
    )
    .unwrap();
}

#[test]
fn building_twice_into_the_same_output_replaces_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = run(build_cmd(
        tmp.path(),
        &demo_content(),
        &out,
        &["--as-of", AS_OF],
    ));
    assert!(o.status.success(), "{}", describe(&o));
    assert!(out.join("register/CI-001/index.html").is_file());

    let minimal = tmp.path().join("minimal");
    write_minimal(&minimal);
    let o = run(build_cmd(tmp.path(), &minimal, &out, &["--as-of", AS_OF]));
    assert!(o.status.success(), "second build failed: {}", describe(&o));
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("register.json")).unwrap()).unwrap();
    assert_eq!(entries(&json).len(), 1);
    assert!(out.join("register/X-1/index.html").is_file());
    // The first build's pages do not survive.
    assert!(
        !out.join("register/CI-001/index.html").exists(),
        "stale page kept"
    );
    assert!(!out.join("evidence").exists(), "stale evidence kept");
    // Nothing left beside the output (staging or old copies).
    let mut names: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // The build cache, the spare (the site before last) and its record,
    // the Markdown memo, the kept parses, the content's sums, the
    // folders seen and the search terms are beside the output on purpose.
    names.retain(|n| {
        ![
            ".out.isms-cache",
            ".out.isms-parsed",
            ".out.isms-sums",
            ".out.isms-folders",
            ".out.isms-search",
            ".out.isms-spare",
            ".out.isms-spare-cache",
            ".out.isms-markdown",
        ]
        .contains(&n.as_str())
    });
    assert_eq!(names, ["minimal", "out"], "stray folders: {names:?}");
}

// 12. Theme override ----------------------------------------------------------------

#[test]
fn theme_overrides_one_template_and_keeps_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let theme = tmp.path().join("mytheme");
    fs::create_dir_all(theme.join("templates")).unwrap();
    fs::write(
        theme.join("templates/term.html"),
        "{% extends \"base.html\" %}{% block main %}<p>TERM-MARKER-7f3a {{ name }}</p>{% endblock main %}",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let mut cmd = build_cmd(tmp.path(), &demo_content(), &out, &["--as-of", AS_OF]);
    cmd.arg("--theme").arg(&theme);
    let o = run(cmd);
    assert!(o.status.success(), "{}", describe(&o));

    let term_pages: Vec<String> = html_files(&out)
        .into_iter()
        .filter(|f| {
            [
                "owners/",
                "status/",
                "priority/",
                "source/",
                "controls/",
                "tags/",
            ]
            .iter()
            .any(|d| f.starts_with(d))
                && f.matches('/').count() == 2
        })
        .collect();
    assert!(term_pages.len() > 10, "{term_pages:?}");
    for p in &term_pages {
        let html = fs::read_to_string(out.join(p)).unwrap();
        assert!(
            html.contains("TERM-MARKER-7f3a"),
            "{p} does not use the override"
        );
        assert!(
            html.contains("<nav aria-label=\"Main\">"),
            "{p} lost base.html"
        );
    }
    // Everything else still renders with the built-in templates.
    for p in [
        "index.html",
        "register/index.html",
        "register/CI-006/index.html",
        "plans/cloud-security-roadmap/index.html",
        "reviews/2025-q1-management-review/index.html",
        "owners/index.html",
    ] {
        let html = fs::read_to_string(out.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert!(
            !html.contains("TERM-MARKER-7f3a"),
            "{p} uses the term override"
        );
        assert!(html.contains("<main id=\"main\">"), "{p} not rendered");
    }
    assert!(
        fs::read_to_string(out.join("index.html"))
            .unwrap()
            .contains("Trends and prioritisation")
    );
    assert!(
        fs::read_to_string(out.join("register/CI-006/index.html"))
            .unwrap()
            .contains("History")
    );
    assert!(out.join("assets/style.css").is_file());
}

#[test]
fn a_broken_theme_template_is_reported_at_its_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let theme = theme_with(
        tmp.path(),
        &["term.html"],
        "{% extends \"base.html\" %}\n{% block main %}{{ name | nosuchfilter }}{% endblock main %}",
    );
    let stderr = failed_build_with(tmp.path(), &theme);
    let expected = format!("{}:2:27: ", theme.join("templates/term.html").display());
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(stderr.contains("nosuchfilter"), "{stderr}");
}

/// A theme in `dir` whose `templates` are each `text`.
fn theme_with(dir: &Path, templates: &[&str], text: &str) -> PathBuf {
    let theme = dir.join("mytheme");
    fs::create_dir_all(theme.join("templates")).unwrap();
    for t in templates {
        fs::write(theme.join("templates").join(t), text).unwrap();
    }
    theme
}

/// Builds the demo with `theme` into `dir/out`, which must fail and leave
/// no output; returns what it said.
fn failed_build_with(dir: &Path, theme: &Path) -> String {
    let out = dir.join("out");
    let mut cmd = build_cmd(dir, &demo_content(), &out, &["--as-of", AS_OF]);
    cmd.arg("--theme").arg(theme);
    let o = run(cmd);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&o));
    assert!(!out.exists(), "a failed build must not create the output");
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The pages' steps (dashboard, register, entries, ..., taxonomies) run
/// side by side (issue 27); when two fail, the one reported is the first
/// in their order, whichever failed first: the same message every run.
#[test]
fn of_two_pages_that_fail_to_render_the_first_in_order_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    // The dashboard (the first step) and the term pages (a late one).
    let theme = theme_with(
        tmp.path(),
        &["index.html", "term.html"],
        "{% extends \"base.html\" %}\n{% block main %}{{ no_such_var.x }}{% endblock main %}",
    );
    for _ in 0..3 {
        let stderr = failed_build_with(tmp.path(), &theme);
        assert!(stderr.contains("template index.html: error"), "{stderr}");
        assert!(!stderr.contains("template term.html"), "{stderr}");
    }
}

// Readable addresses for names ------------------------------------------------

/// A minimal content folder whose entries are owned by `owners`.
fn site_with_owners(dir: &Path, owners: &[&str]) -> PathBuf {
    let content = dir.join("content");
    fs::create_dir_all(content.join("register")).unwrap();
    fs::write(content.join("site.yaml"), "title: Names\n").unwrap();
    for (i, owner) in owners.iter().enumerate() {
        fs::write(
            content.join(format!("register/N-{i:03}.yaml")),
            format!("title: Item {i}\nidentified: 2025-01-10\nstatus: planned\npriority: low\nowner: \"{owner}\"\n"),
        )
        .unwrap();
    }
    content
}

fn build_owners(owners: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let content = site_with_owners(tmp.path(), owners);
    let out = tmp.path().join("out");
    let o = run(build_cmd(
        tmp.path(),
        &content,
        &out,
        &["--as-of", "2026-01-31"],
    ));
    assert!(o.status.success(), "{}", describe(&o));
    (tmp, out)
}

#[test]
fn owner_pages_have_readable_stable_addresses() {
    let (_tmp, out) = build_owners(&["Zoë Müller", "张伟"]);
    assert!(out.join("owners/zoe-muller/index.html").is_file());
    assert!(out.join("owners/张伟/index.html").is_file());
    let entry = fs::read_to_string(out.join("register/N-001/index.html")).unwrap();
    assert!(
        entry.contains("href=\"../../owners/%E5%BC%A0%E4%BC%9F/index.html\""),
        "{entry}"
    );
    let (problems_seen, problems) = check_links(&out, "href");
    assert!(problems_seen > 0 && problems.is_empty(), "{problems:?}");
    // A new name with the same address leaves the existing page where it is.
    let (_tmp2, out2) = build_owners(&["Zoë Müller", "张伟", "zoë müller"]);
    assert!(out2.join("owners/zoe-muller/index.html").is_file());
    let pages: Vec<String> = files_under(&out2.join("owners"))
        .into_iter()
        .filter(|f| f.starts_with("zoe-muller-") && f.ends_with("/index.html"))
        .collect();
    assert_eq!(pages.len(), 1, "{pages:?}");
}

/// The risk catalogue (issue 28): the risks page lists each risk with the
/// entries treating it, each entry page links back to the risk's section,
/// and the register offers a risk filter.
#[test]
fn risks_and_entries_link_both_ways() {
    let d = demo();
    let page = d.read("risks/index.html");
    let r1 = page
        .split("id=\"risk-r-01\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("a section for R-01");
    assert!(r1.contains("Unauthorised access through stale or excessive access rights"));
    assert!(r1.contains("href=\"../register/CI-001/index.html\""));
    assert!(r1.contains("href=\"../register/CI-009/index.html\""));
    let entry = d.read("register/CI-009/index.html");
    assert!(entry.contains("href=\"../../risks/index.html#risk-r-01\""));
    assert!(entry.contains("href=\"../../risks/index.html#risk-r-02\""));
    let register = d.read("register/index.html");
    assert!(register.contains("<select name=\"risk\">"));
    assert!(register.contains("<option value=\"r-03\">R-03</option>"));
    assert!(
        d.read("index.html").contains("href=\"risks/index.html\""),
        "nav link"
    );
}
