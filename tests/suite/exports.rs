//! The exports for other tools: `oscal/poam.json` (checked against NIST's
//! POA&M JSON schema and compliance-trestle's POA&M model), `feed.xml`
//! (Atom) and `sitemap.xml`, read the way those tools read them.
//!
//! NIST's schema is vendored in `tests/data/oscal/`; the compliance-trestle
//! checks need Python and are ignored unless run with `--include-ignored`.

use isms_site::content;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools;
use tools::copy_dir;

const BIN: &str = env!("CARGO_BIN_EXE_isms-site");
const AS_OF: &str = "2026-11-27";
const BASE: &str = "https://isms.example/register";

fn root_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The demo content in a temporary folder, `site.yaml` extended by `extra`.
fn demo_copy(extra_site_yaml: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root_dir().join("content"), &tmp.path().join("content"));
    let site = tmp.path().join("content/site.yaml");
    let mut text = fs::read_to_string(&site).unwrap();
    text.push_str(extra_site_yaml);
    fs::write(&site, text).unwrap();
    tmp
}

fn build(content: &Path, out: &Path) {
    let o = Command::new(BIN)
        .args(["build", "--as-of", AS_OF, "--content"])
        .arg(content)
        .arg("--output")
        .arg(out)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The demo built with `base_url` set (without a trailing slash).
fn demo_with_base_url() -> (tempfile::TempDir, PathBuf) {
    let tmp = demo_copy(&format!("base_url: {BASE}\n"));
    let out = tmp.path().join("out");
    build(&tmp.path().join("content"), &out);
    (tmp, out)
}

/// A site of `site.yaml` and one entry `X-1`, built into `out/`.
fn one_entry_site(site_yaml: &str, entry_yaml: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("content");
    fs::create_dir_all(c.join("register")).unwrap();
    fs::write(c.join("site.yaml"), site_yaml).unwrap();
    fs::write(c.join("register/X-1.yaml"), entry_yaml).unwrap();
    build(&c, &tmp.path().join("out"));
    tmp
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

fn poam_of(doc: &serde_json::Value) -> &serde_json::Value {
    &doc["plan-of-action-and-milestones"]
}

fn items(doc: &serde_json::Value) -> &Vec<serde_json::Value> {
    poam_of(doc)["poam-items"].as_array().unwrap()
}

fn prop<'a>(item: &'a serde_json::Value, name: &str) -> Vec<&'a str> {
    item["props"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["name"] == name)
        .map(|p| p["value"].as_str().unwrap())
        .collect()
}

/// The errors NIST's POA&M schema (vendored in `tests/data/oscal/`) finds
/// in `doc`.
fn schema_errors(doc: &serde_json::Value) -> Vec<String> {
    let path = root_dir().join("tests/data/oscal/oscal_poam_schema-v1.0.6.json");
    let text = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("NIST's POA&M schema {}: {e}", path.display()));
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::draft7::new(&schema).expect("NIST's schema compiles");
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// compliance-trestle's pydantic POA&M model (unknown fields forbidden):
/// `Err` with its report when it refuses `path`. Fails the test when
/// python3 or the package is missing (`.ci/run` installs them).
fn trestle_check(test: &str, path: &Path) -> Result<(), String> {
    let probe = Command::new("python3")
        .args(["-c", "import trestle.oscal.poam"])
        .output();
    let mut missing = Vec::new();
    if !probe.is_ok_and(|o| o.status.success()) {
        missing.push("python3 with compliance-trestle (pip install compliance-trestle)".into());
    }
    tools::require_tools(test, &missing);
    let o = Command::new("python3")
        .args([
            "-c",
            "from trestle.oscal.poam import PlanOfActionAndMilestones as P; import json,sys; P.model_validate(json.load(open(sys.argv[1]))['plan-of-action-and-milestones'])",
        ])
        .arg(path)
        .output()
        .unwrap();
    if o.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&o.stderr).into_owned())
    }
}

#[test]
fn poam_has_one_item_per_entry_with_status_dates_owner_milestones_and_outcome() {
    let (_tmp, out) = demo_with_base_url();
    let doc = json(&out.join("oscal/poam.json"));
    let poam = poam_of(&doc);
    let meta = &poam["metadata"];
    assert_eq!(meta["last-modified"], format!("{AS_OF}T00:00:00Z"));
    assert_eq!(
        meta["oscal-version"],
        isms_site::output::oscal::OSCAL_VERSION
    );
    let register: serde_json::Value = json(&out.join("register.json"));
    let ids: Vec<&str> = register["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let item_ids: Vec<&str> = items(&doc)
        .iter()
        .map(|i| prop(i, "register-id")[0])
        .collect();
    assert_eq!(item_ids, ids);

    let ci1 = items(&doc)
        .iter()
        .find(|i| prop(i, "register-id") == ["CI-001"])
        .unwrap();
    assert_eq!(ci1["title"], "Review and harden access control procedures");
    assert!(
        ci1["description"]
            .as_str()
            .unwrap()
            .contains("pre-certification internal audit")
    );
    assert_eq!(prop(ci1, "status"), ["completed"]);
    assert_eq!(prop(ci1, "identified"), ["2024-11-04"]);
    assert_eq!(prop(ci1, "target"), ["2025-05-31"]);
    assert_eq!(prop(ci1, "completed"), ["2025-06-20"]);
    assert!(
        ci1["remarks"]
            .as_str()
            .unwrap()
            .contains("137 dormant accounts")
    );
    assert_eq!(
        ci1["links"][0]["href"],
        format!("{BASE}/register/CI-001/index.html")
    );

    // Its risk: closed, deadline the target, the owner responsible, and the
    // milestones of the plan naming it.
    let risk_uuid = ci1["related-risks"][0]["risk-uuid"].as_str().unwrap();
    let risk = poam["risks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["uuid"] == risk_uuid)
        .expect("the related risk exists");
    assert_eq!(risk["status"], "closed");
    assert_eq!(risk["deadline"], "2025-05-31T00:00:00Z");
    let tasks = risk["remediations"][0]["tasks"].as_array().unwrap();
    let owner_uuid = tasks[0]["responsible-roles"][0]["party-uuids"][0].clone();
    let owner = meta["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["uuid"] == owner_uuid)
        .unwrap();
    assert_eq!(owner["name"], "Head of IT");
    let milestone = tasks
        .iter()
        .find(|t| {
            t["title"] == "Quarterly access recertification live"
                || t["title"] == "Access control procedure v2.0 approved"
        })
        .expect("plan milestones are tasks");
    assert_eq!(milestone["type"], "milestone");
    assert_eq!(
        milestone["timing"]["on-date"]["date"],
        "2025-05-31T00:00:00Z"
    );

    let mut uuids = Vec::new();
    collect_uuids(poam, &mut uuids);
    let n = uuids.len();
    uuids.sort();
    uuids.dedup();
    assert_eq!(uuids.len(), n, "every uuid is unique");
}

/// Every description and remark in `v` with at least `min` bytes (links
/// may rightly name the same evidence file twice, and a plan's milestones
/// are tasks of each entry it names).
fn long_texts<'a>(v: &'a serde_json::Value, min: usize, out: &mut Vec<&'a str>) {
    match v {
        serde_json::Value::Array(a) => a.iter().for_each(|x| long_texts(x, min, out)),
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                match x.as_str() {
                    Some(s)
                        if s.len() >= min && ["description", "remarks"].contains(&k.as_str()) =>
                    {
                        out.push(s)
                    }
                    _ => long_texts(x, min, out),
                }
            }
        }
        _ => {}
    }
}

#[test]
fn poam_tells_each_text_once_and_is_not_padded() {
    let (_tmp, out) = demo_with_base_url();
    let text = std::fs::read_to_string(out.join("oscal/poam.json")).unwrap();
    assert_eq!(text.matches('\n').count(), 1, "one line, no indentation");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut texts = Vec::new();
    long_texts(&doc, 40, &mut texts);
    let n = texts.len();
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), n, "a description written twice");
    // An entry's title is its item's, not repeated on its risk.
    let poam = poam_of(&doc);
    let mut titles: Vec<&str> = items(&doc)
        .iter()
        .chain(poam["risks"].as_array().unwrap())
        .map(|x| x["title"].as_str().unwrap())
        .collect();
    let n = titles.len();
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), n, "a title on both an item and its risk");
    // Each plan is told once, in the back matter, with its page.
    let plans = poam["back-matter"]["resources"].as_array().unwrap();
    assert!(
        plans
            .iter()
            .any(|r| r["title"] == "Access control hardening"
                && r["rlinks"][0]["href"]
                    == format!("{BASE}/plans/access-control-hardening/index.html"))
    );
    // The description is still there, once, on the item.
    let ci1 = items(&doc)
        .iter()
        .find(|i| prop(i, "register-id") == ["CI-001"])
        .unwrap();
    assert!(
        ci1["description"]
            .as_str()
            .unwrap()
            .contains("pre-certification internal audit")
    );
}

/// Every `uuid` field (the definitions, not the references).
fn collect_uuids(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if k == "uuid" {
                    out.push(x.as_str().unwrap().to_string());
                } else {
                    collect_uuids(x, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_uuids(x, out)),
        _ => {}
    }
}

#[test]
fn poam_uuids_are_derived_from_ids_not_from_the_build() {
    let tmp = demo_copy("");
    let content = tmp.path().join("content");
    build(&content, &tmp.path().join("a"));
    // Another day, another folder: same UUIDs for the same entries.
    let o = Command::new(BIN)
        .args(["build", "--as-of", "2026-12-01", "--content"])
        .arg(&content)
        .arg("--output")
        .arg(tmp.path().join("b"))
        .output()
        .unwrap();
    assert!(o.status.success());
    let a = json(&tmp.path().join("a/oscal/poam.json"));
    let b = json(&tmp.path().join("b/oscal/poam.json"));
    assert_eq!(poam_of(&a)["uuid"], poam_of(&b)["uuid"]);
    for (x, y) in items(&a).iter().zip(items(&b)) {
        assert_eq!(x["uuid"], y["uuid"]);
        let u = uuid_version(x["uuid"].as_str().unwrap());
        assert_eq!(u, '5', "version 5 UUID");
    }
    assert_ne!(
        poam_of(&a)["metadata"]["last-modified"],
        poam_of(&b)["metadata"]["last-modified"]
    );
}

fn uuid_version(u: &str) -> char {
    u.chars().nth(14).unwrap()
}

#[test]
fn poam_validates_against_nists_schema() {
    let (_tmp, out) = demo_with_base_url();
    let doc = json(&out.join("oscal/poam.json"));
    let errors = schema_errors(&doc);
    assert!(errors.is_empty(), "schema errors:\n{}", errors.join("\n"));
    // The validator does check: a broken document is refused.
    let mut broken = doc.clone();
    broken["plan-of-action-and-milestones"]["poam-items"][0]
        .as_object_mut()
        .unwrap()
        .remove("title");
    broken["plan-of-action-and-milestones"]["uuid"] = "not-a-uuid".into();
    assert!(schema_errors(&broken).len() >= 2);
}

#[test]
#[ignore = "needs compliance-trestle (Python)"]
fn poam_validates_against_compliance_trestle() {
    const TEST: &str = "poam_validates_against_compliance_trestle";
    let (_tmp, out) = demo_with_base_url();
    let path = out.join("oscal/poam.json");
    trestle_check(TEST, &path).unwrap_or_else(|e| panic!("trestle refused poam.json:\n{e}"));
    // And it refuses what it should.
    let mut doc = json(&path);
    doc["plan-of-action-and-milestones"]["poam-items"][0]["unknown-field"] = 1.into();
    let bad = out.join("bad.json");
    fs::write(&bad, serde_json::to_vec(&doc).unwrap()).unwrap();
    assert!(trestle_check(TEST, &bad).is_err());
}

/// An entry whose every text is hostile: line breaks, markup, quotes, tabs
/// and line separators (control characters are refused when the content
/// is read), dates far out, a blank description.
fn hostile_poam_site() -> tempfile::TempDir {
    one_entry_site(
        "title: \"  Odd\\tregister \\u2028 \"\n",
        "title: \"<script>alert(1)</script>\\nsecond line \\\"q\\\"\"\nidentified: 1850-01-01\nstatus: in-progress\npriority: low\nowner: \" spaced   owner \"\ntarget: 3100-01-01\ndescription: \"  \"\noutcome: \"\\t\"\ncontrols: [\" A.5.1 \"]\n",
    )
}

/// Titles with line breaks, markup, quotes and line separators still
/// give a valid document: OSCAL titles are single lines.
#[test]
fn hostile_text_still_gives_a_valid_poam() {
    let tmp = hostile_poam_site();
    let doc = json(&tmp.path().join("out/oscal/poam.json"));
    let item = &items(&doc)[0];
    assert_eq!(item["title"], "<script>alert(1)</script> second line \"q\"");
    let errors = schema_errors(&doc);
    assert!(errors.is_empty(), "schema errors:\n{}", errors.join("\n"));
}

/// The same hostile entry passes compliance-trestle's stricter model.
#[test]
#[ignore = "needs compliance-trestle (Python)"]
fn hostile_text_still_passes_compliance_trestle() {
    let tmp = hostile_poam_site();
    let path = tmp.path().join("out/oscal/poam.json");
    trestle_check("hostile_text_still_passes_compliance_trestle", &path)
        .unwrap_or_else(|e| panic!("trestle refused poam.json:\n{e}"));
}

fn element<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    node.children().find(|c| c.has_tag_name(name))
}

fn text_of(node: roxmltree::Node, name: &str) -> String {
    element(node, name)
        .and_then(|n| n.text())
        .unwrap_or_else(|| panic!("<{name}> missing"))
        .to_string()
}

#[test]
fn atom_feed_lists_register_changes_newest_first_with_absolute_links() {
    let (_tmp, out) = demo_with_base_url();
    let xml = fs::read_to_string(out.join("feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("feed.xml is well-formed XML");
    let feed = doc.root_element();
    assert!(feed.has_tag_name(("http://www.w3.org/2005/Atom", "feed")));
    for required in ["id", "title", "updated"] {
        assert!(!text_of(feed, required).is_empty());
    }
    assert!(!text_of(element(feed, "author").unwrap(), "name").is_empty());
    let self_link = feed
        .children()
        .find(|c| c.has_tag_name("link") && c.attribute("rel") == Some("self"))
        .unwrap();
    assert_eq!(
        self_link.attribute("href"),
        Some(&*format!("{BASE}/feed.xml"))
    );

    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), isms_site::output::feed::MAX_ENTRIES);
    let updated: Vec<String> = entries.iter().map(|e| text_of(*e, "updated")).collect();
    assert!(
        updated.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {updated:?}"
    );
    assert_eq!(text_of(feed, "updated"), updated[0]);
    assert!(updated.iter().all(|u| u.as_str() <= "2026-11-27T00:00:00Z"));
    let mut ids: Vec<String> = entries.iter().map(|e| text_of(*e, "id")).collect();
    assert!(ids.iter().all(|i| i.starts_with("urn:uuid:")));
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), entries.len(), "entry ids are unique");
    for e in &entries {
        assert!(!text_of(*e, "title").is_empty());
        let href = element(*e, "link").unwrap().attribute("href").unwrap();
        let rel = href
            .strip_prefix(&format!("{BASE}/"))
            .expect("absolute link");
        assert!(out.join(rel).is_file(), "{href} is a page of the site");
    }
    let titles: Vec<String> = entries.iter().map(|e| text_of(*e, "title")).collect();
    // The newest change is CI-032, identified 2026-11-10; reviews and
    // completions are there too.
    assert!(titles[0].starts_with("New: CI-032"), "{titles:?}");
    assert!(
        titles.iter().any(|t| t.starts_with("Management review: ")),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t.starts_with("Completed: ")),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t.starts_with("In progress: ")),
        "{titles:?}"
    );

    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains(r#"<link rel="alternate" type="application/atom+xml" title="Register changes" href="feed.xml">"#));
    let entry_page = fs::read_to_string(out.join("register/CI-001/index.html")).unwrap();
    assert!(entry_page.contains(r#"href="../../feed.xml""#));
}

#[test]
fn sitemap_lists_every_page_with_absolute_urls() {
    let (_tmp, out) = demo_with_base_url();
    let xml = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is well-formed XML");
    let urlset = doc.root_element();
    assert!(urlset.has_tag_name(("http://www.sitemaps.org/schemas/sitemap/0.9", "urlset")));
    let locs: Vec<String> = urlset
        .children()
        .filter(|c| c.has_tag_name("url"))
        .map(|u| text_of(u, "loc"))
        .collect();
    let mut pages = Vec::new();
    html_pages(&out, "", &mut pages);
    pages.sort();
    let listed: Vec<String> = locs
        .iter()
        .map(|l| {
            l.strip_prefix(&format!("{BASE}/"))
                .expect("absolute")
                .to_string()
        })
        .collect();
    assert_eq!(listed, pages);
    assert!(listed.contains(&"index.html".to_string()));
    assert!(listed.contains(&"register/CI-001/index.html".to_string()));
}

/// HTML pages under `dir`, evidence and assets aside.
fn html_pages(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    for e in fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        if e.file_type().unwrap().is_dir() {
            if rel != "evidence" && rel != "assets" {
                html_pages(&e.path(), &format!("{rel}/"), out);
            }
        } else if name.ends_with(".html") {
            out.push(rel);
        }
    }
}

#[test]
fn no_feed_or_sitemap_without_base_url() {
    let tmp = demo_copy("");
    let out = tmp.path().join("out");
    build(&tmp.path().join("content"), &out);
    assert!(!out.join("feed.xml").exists());
    assert!(!out.join("sitemap.xml").exists());
    assert!(
        out.join("oscal/poam.json").is_file(),
        "the POA&M is written with every build"
    );
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!index.contains("application/atom+xml"));
    // Without base_url, POA&M links are relative to the site root.
    let doc = json(&out.join("oscal/poam.json"));
    assert_eq!(
        items(&doc)[0]["links"][0]["href"],
        "register/CI-001/index.html"
    );
}

#[test]
fn feed_text_is_escaped() {
    let tmp = one_entry_site(
        "title: \"A & B <Register>\"\nbase_url: https://x.example/\n",
        "title: \"</title><script>x</script> &\"\nidentified: 2026-01-01\nstatus: not-started\npriority: low\n",
    );
    let xml = fs::read_to_string(tmp.path().join("out/feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed despite markup in titles");
    let feed = doc.root_element();
    assert_eq!(text_of(feed, "title"), "A & B <Register>");
    let entry = element(feed, "entry").unwrap();
    assert_eq!(
        text_of(entry, "title"),
        "New: X-1 </title><script>x</script> & (Not started)"
    );
    assert_eq!(
        element(entry, "link").unwrap().attribute("href"),
        Some("https://x.example/register/X-1/index.html")
    );
}

#[test]
fn the_same_change_twice_on_one_day_gets_two_feed_ids() {
    let tmp = one_entry_site(
        "title: R\nbase_url: https://x.example\n",
        "title: Flip-flop\nidentified: 2026-01-01\nstatus: in-progress\npriority: low\nhistory:\n  - {date: 2026-02-01, status: in-progress}\n  - {date: 2026-02-01, status: planned}\n  - {date: 2026-02-01, status: in-progress}\n",
    );
    let xml = fs::read_to_string(tmp.path().join("out/feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let mut ids: Vec<String> = doc
        .root_element()
        .children()
        .filter(|c| c.has_tag_name("entry"))
        .map(|e| text_of(e, "id"))
        .collect();
    let n = ids.len();
    assert_eq!(n, 4, "new, in progress, planned, in progress");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
}

/// The clause 10.2 chain in the POA&M: the nonconformity as an
/// observation the item and its risk point to, the root cause in the
/// risk, the correction as a completed remediation, follow-ups as links.
#[test]
fn poam_carries_nonconformities_root_causes_corrections_and_follow_ups() {
    let (_tmp, out) = demo_with_base_url();
    let doc = json(&out.join("oscal/poam.json"));
    let poam = poam_of(&doc);
    let observations = poam["observations"].as_array().expect("observations");
    let demo = content::load(&content::Folder::new(&root_dir().join("content")), None)
        .0
        .unwrap();
    let with_nc: Vec<&isms_site::model::Entry> = demo
        .entries
        .iter()
        .filter(|e| e.nonconformity.is_some())
        .collect();
    assert_eq!(observations.len(), with_nc.len());
    let ci24 = items(&doc)
        .iter()
        .find(|i| prop(i, "register-id") == ["CI-024"])
        .unwrap();
    assert_eq!(prop(ci24, "severity"), ["major"]);
    assert_eq!(prop(ci24, "follows-up"), ["CI-015"]);
    assert!(
        ci24["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["rel"] == "follows-up"
                && l["href"] == format!("{BASE}/register/CI-015/index.html"))
    );
    let obs_uuid = ci24["related-observations"][0]["observation-uuid"]
        .as_str()
        .unwrap();
    let obs = observations
        .iter()
        .find(|o| o["uuid"] == obs_uuid)
        .expect("the item's observation exists");
    assert_eq!(obs["collected"], "2026-03-31T00:00:00Z");
    assert!(obs["description"].as_str().unwrap().contains("Recurrence"));
    let risk_uuid = ci24["related-risks"][0]["risk-uuid"].as_str().unwrap();
    let risk = poam["risks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["uuid"] == risk_uuid)
        .unwrap();
    assert!(
        risk["statement"]
            .as_str()
            .unwrap()
            .contains("Root cause: Manual patching")
    );
    assert_eq!(
        risk["related-observations"][0]["observation-uuid"],
        obs_uuid
    );
    let remediations = risk["remediations"].as_array().unwrap();
    assert!(remediations.iter().any(|r| r["lifecycle"] == "completed"
        && r["title"] == "Correction of CI-024"
        && r["description"].as_str().unwrap().contains("two weekends")));
    assert!(schema_errors(&doc).is_empty());
}

/// The risks an entry treats (`risks.yaml`, issue 28) travel with it: in
/// `register.json` as ids, in the POA&M as `risk` props of the entry's
/// risk, which NIST's schema accepts.
#[test]
fn exports_carry_the_risks_an_entry_treats() {
    let (_tmp, out) = demo_with_base_url();
    let register = json(&out.join("register.json"));
    let ci9 = register["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "CI-009")
        .unwrap();
    assert_eq!(ci9["risks"], serde_json::json!(["R-01", "R-02"]));
    let doc = json(&out.join("oscal/poam.json"));
    let risks = poam_of(&doc)["risks"].as_array().unwrap();
    let with: Vec<Vec<&str>> = risks
        .iter()
        .map(|r| prop(r, "risk"))
        .filter(|p| !p.is_empty())
        .collect();
    assert!(with.contains(&vec!["R-01", "R-02"]), "{with:?}");
    assert!(
        risks
            .iter()
            .flat_map(|r| r["props"].as_array().into_iter().flatten())
            .all(|p| p["ns"] == isms_site::output::oscal::PROPS_NS)
    );
    let errors = schema_errors(&doc);
    assert!(errors.is_empty(), "{errors:#?}");
}
