//! Publishing to audiences must not leak: the fixture in
//! `tests/fixtures/audience/` carries a unique marker in every restricted
//! thing (titles, texts, owners, tags, controls, KPI names and units, link
//! titles, extra columns, history notes, effectiveness reviewers, plans,
//! reviews, milestones, attendees, evidence file names and contents, a
//! register file name). Each build walks the whole output folder — every
//! file's bytes, binary or not, and every file's path — so outputs added
//! later (search index, feeds, OSCAL, calendars) are covered too.
//!
//! Marker prefixes, matched ignoring case (slugs lower-case them):
//! - `LEAKX-` may be published to the `restricted` audience only;
//! - `LEAKI-` to `internal` and `restricted`;
//! - `LEAKS-` is a hidden entry's id: published only as a stub, or to
//!   `restricted`;
//! - `SHOWN-` is published to every audience.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::tools;
use tools::copy_dir;

const BIN: &str = env!("CARGO_BIN_EXE_isms-site");
const AS_OF: &str = "2026-06-30";
/// The latest date in the register, found only in the restricted entry's
/// KPI: "Last updated" must not give it away.
const HIDDEN_LAST_DATE: &str = "2026-06-17";

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audience")
}

fn site_yaml(hidden_entries: &str) -> String {
    format!(
        "title: SHOWN-SITE-TITLE Audience fixture
organization: Fixture Ltd
base_url: https://isms.example/register/
register:
  created: 2025-01-10
  responsible: ISMS Manager
visibility:
  fields:
    description: restricted
    links: restricted
    history: restricted
    effectiveness: restricted
    extra: restricted
    owner: internal
    tags: internal
    risks: internal
  hidden_entries: {hidden_entries}
"
    )
}

/// The fixture as a content folder with the given site.yaml, its
/// restricted entry completed with [`generated_fields`].
fn content(site: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), &dir.path().join("content"));
    fs::write(dir.path().join("content/site.yaml"), site).unwrap();
    let restricted = dir.path().join(RESTRICTED_ENTRY);
    let mut text = fs::read_to_string(&restricted).unwrap();
    text.push_str(&generated_fields());
    fs::write(&restricted, text).unwrap();
    dir
}

/// The fixture's restricted entry, in the content folder.
const RESTRICTED_ENTRY: &str = "content/register/leakx-file-003.yaml";

/// Every field of the entry schema that the restricted entry does not give
/// by hand, with a `LEAKX-GEN-` marker in each text it can hold: a field
/// added to the schema is covered here without a hand edit (dates and
/// enumerations, which hold no free text, get a valid value).
fn generated_fields() -> String {
    use isms_site::model::schema::{ENTRY, Kind, Sub};
    fn value(kind: Kind, marker: &str, indent: usize) -> Option<String> {
        let pad = " ".repeat(indent);
        Some(match kind {
            Kind::Text | Kind::Markdown => marker.to_string(),
            Kind::TextList | Kind::RiskIds => format!("[{marker}]"),
            Kind::Date => "2026-02-02".into(),
            Kind::Enum(c) => c.slugs()[0].to_string(),
            Kind::Record(subs) => record(subs, marker, indent),
            Kind::RecordList(subs) => {
                format!("\n{pad}- {}", record(subs, marker, indent + 2).trim_start())
            }
            // Ids, numbers, links and custom columns: the fixture gives
            // them by hand (they need values that exist or parse).
            _ => return None,
        })
    }
    fn record(subs: &[Sub], marker: &str, indent: usize) -> String {
        let pad = " ".repeat(indent + 2);
        subs.iter()
            .filter_map(|s| {
                let m = format!("{marker}-{}", s.key.to_uppercase().replace('_', ""));
                value(s.kind, &m, indent + 2).map(|v| format!("\n{pad}{}: {v}", s.key))
            })
            .collect()
    }
    let by_hand = fs::read_to_string(fixture().join("register/leakx-file-003.yaml")).unwrap();
    let mut out = String::new();
    for s in ENTRY {
        let written = by_hand
            .lines()
            .any(|l| l.starts_with(&format!("{}:", s.key)));
        let marker = format!("LEAKX-GEN-{}-003", s.key.to_uppercase().replace('_', ""));
        if let (false, Some(v)) = (written, value(s.kind, &marker, 0)) {
            out.push_str(&format!("{}: {v}\n", s.key));
        }
    }
    out
}

fn run(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run isms-site");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "isms-site panicked:\n{stderr}"
    );
    out
}

/// A built site: every output file by its `/`-separated path.
struct Built {
    audience: String,
    files: BTreeMap<String, Vec<u8>>,
}

fn build(hidden_entries: &str, audience: &str) -> Built {
    let dir = content(&site_yaml(hidden_entries));
    let out = run(
        dir.path(),
        &[
            "build",
            "--content",
            "content",
            "--output",
            "output",
            "--as-of",
            AS_OF,
            "--audience",
            audience,
        ],
    );
    assert!(
        out.status.success(),
        "build --audience {audience} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files = BTreeMap::new();
    walk(&dir.path().join("output"), "", &mut files);
    // Every kind of output is there to be searched (base_url above turns on
    // the feed and sitemap).
    for export in [
        "register.csv",
        "register.json",
        "search-index.js",
        "register-rows.js",
        "oscal/poam.json",
        "calendar.ics",
        "feed.xml",
        "sitemap.xml",
    ] {
        assert!(files.contains_key(export), "{audience}: no {export}");
    }
    Built {
        audience: format!("{audience} ({hidden_entries})"),
        files,
    }
}

fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
    for e in fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let rel = format!("{prefix}{}", e.file_name().to_string_lossy());
        if e.file_type().unwrap().is_dir() {
            walk(&e.path(), &format!("{rel}/"), out);
        } else {
            let mut bytes = fs::read(e.path()).unwrap();
            if rel.ends_with(".ics") {
                // Unfold RFC 5545 continuation lines, which could split a marker.
                bytes = String::from_utf8(bytes)
                    .unwrap()
                    .replace("\r\n ", "")
                    .into_bytes();
            }
            out.insert(rel, bytes);
        }
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.to_ascii_lowercase();
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

impl Built {
    /// Where `needle` appears: in a file's name or its bytes.
    fn places(&self, needle: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (path, bytes) in &self.files {
            if contains(path.as_bytes(), needle) {
                out.push(format!("file name {path}"));
            }
            if contains(bytes, needle) {
                out.push(format!("contents of {path}"));
            }
        }
        out
    }

    fn assert_absent(&self, needle: &str) {
        let found = self.places(needle);
        assert!(
            found.is_empty(),
            "{}: `{needle}` leaked into {}",
            self.audience,
            found.join(", ")
        );
    }

    fn assert_present(&self, needle: &str) {
        assert!(
            !self.places(needle).is_empty(),
            "{}: `{needle}` is missing from the output",
            self.audience
        );
    }

    fn text(&self, rel: &str) -> String {
        let bytes = self
            .files
            .get(rel)
            .unwrap_or_else(|| panic!("{}: no {rel} in the output", self.audience));
        String::from_utf8_lossy(bytes).into_owned()
    }

    fn has(&self, rel: &str) -> bool {
        self.files.contains_key(rel)
    }

    /// Ids and titles in register.json, in order.
    fn json_entries(&self) -> Vec<(String, String)> {
        let v: serde_json::Value = serde_json::from_str(&self.text("register.json")).unwrap();
        v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let s = |k: &str| e[k].as_str().unwrap().to_string();
                (s("id"), s("title"))
            })
            .collect()
    }
}

/// Every marker of the fixture: words starting with a marker prefix in its
/// files' text and in its evidence file names.
fn markers() -> BTreeSet<String> {
    fn scan(text: &str, out: &mut BTreeSet<String>) {
        let upper = text.to_ascii_uppercase();
        for prefix in ["LEAKX-", "LEAKI-", "LEAKS-", "SHOWN-"] {
            for (i, _) in upper.match_indices(prefix) {
                let word: String = upper[i..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                out.insert(word.trim_end_matches('-').to_string());
            }
        }
    }
    fn visit(dir: &Path, out: &mut BTreeSet<String>) {
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                visit(&e.path(), out);
                continue;
            }
            scan(&fs::read_to_string(e.path()).unwrap(), out);
            if e.path().components().any(|c| c.as_os_str() == "evidence") {
                scan(&e.file_name().to_string_lossy(), out);
            }
        }
    }
    let mut out = BTreeSet::new();
    visit(&fixture(), &mut out);
    scan(&generated_fields(), &mut out);
    out
}

fn with_prefix<'a>(all: &'a BTreeSet<String>, prefix: &'a str) -> impl Iterator<Item = &'a str> {
    all.iter()
        .filter(move |m| m.starts_with(prefix))
        .map(String::as_str)
}

/// What every non-restricted build must and must not contain.
fn assert_no_leak(b: &Built, all: &BTreeSet<String>, internal: bool, stub: bool) {
    for p in ["LEAKX-", "leakx-file"] {
        b.assert_absent(p);
    }
    if !internal {
        b.assert_absent("LEAKI-");
    }
    if !stub {
        b.assert_absent("LEAKS-");
    }
    b.assert_absent(HIDDEN_LAST_DATE);
    for m in with_prefix(all, "SHOWN-") {
        b.assert_present(m);
    }
    if internal {
        for m in with_prefix(all, "LEAKI-") {
            b.assert_present(m);
        }
    }
}

#[test]
fn every_free_text_field_of_the_schema_has_a_restricted_marker() {
    use isms_site::model::schema::{ENTRY, Kind};
    let generated = generated_fields();
    let by_hand = fs::read_to_string(fixture().join("register/leakx-file-003.yaml")).unwrap();
    for s in ENTRY {
        let text = matches!(
            s.kind,
            Kind::Text
                | Kind::Markdown
                | Kind::TextList
                | Kind::RiskIds
                | Kind::Record(_)
                | Kind::RecordList(_)
        );
        let given = by_hand
            .lines()
            .any(|l| l.starts_with(&format!("{}:", s.key)))
            || generated
                .lines()
                .any(|l| l.starts_with(&format!("{}:", s.key)));
        assert!(
            !text || given,
            "`{}` has no marker in the restricted entry",
            s.key
        );
    }
    assert!(generated.contains("LEAKX-GEN-ROOTCAUSE-003"), "{generated}");
}

#[test]
fn the_fixture_has_markers_in_every_class() {
    let all = markers();
    for prefix in ["LEAKX-", "LEAKI-", "LEAKS-", "SHOWN-"] {
        assert!(with_prefix(&all, prefix).count() > 0, "no {prefix} markers");
    }
    assert!(all.len() > 60, "only {} markers: {all:?}", all.len());
}

#[test]
fn a_restricted_build_publishes_every_marker() {
    // Without this the other tests could pass on an output that shows
    // nothing at all.
    let b = build("omit", "restricted");
    for m in markers() {
        b.assert_present(&m);
    }
    b.assert_present(HIDDEN_LAST_DATE);
    assert!(b.has("register/LEAKS-ID-003/index.html"));
    assert!(b.has("plans/leakx-plan-slug/index.html"));
    assert!(b.text("register/CI-001/index.html").contains("2026-03-03"));
}

/// The fixture's public entry as register.json lists it.
fn public_entry() -> (String, String) {
    let title = "SHOWN-TITLE-001 Harden remote access";
    ("CI-001".into(), title.into())
}

#[test]
fn public_and_internal_builds_leak_nothing_with_omit() {
    let all = markers();
    let public = build("omit", "public");
    assert_no_leak(&public, &all, false, false);
    assert_eq!(public.json_entries(), [public_entry()]);
    assert!(!public.has("register/CI-002/index.html"));
    assert!(!public.has("plans/leaki-plan-slug/index.html"));
    // A history record that was only a (hidden) note is not left as a bare
    // date.
    assert!(
        !public
            .text("register/CI-001/index.html")
            .contains("2026-03-03")
    );
    // A visible plan drops the hidden entries it names.
    let plan = public.text("plans/shown-plan/index.html");
    assert!(plan.contains("register/CI-001/index.html"), "{plan}");
    assert!(!plan.contains("CI-002"), "{plan}");

    let internal = build("omit", "internal");
    assert_no_leak(&internal, &all, true, false);
    let ids: Vec<String> = internal.json_entries().into_iter().map(|e| e.0).collect();
    assert_eq!(ids, ["CI-001", "CI-002"]);
    assert!(internal.has("plans/leaki-plan-slug/index.html"));
    for b in [&public, &internal] {
        b.assert_absent("restricted stubs");
    }
}

#[test]
fn stubs_are_counted_redacted_and_announced() {
    let all = markers();
    let public = build("stub", "public");
    assert_no_leak(&public, &all, false, true);
    assert_eq!(
        public.json_entries(),
        [
            public_entry(),
            ("CI-002".into(), "Restricted entry".into()),
            ("LEAKS-ID-003".into(), "Restricted entry".into()),
        ]
    );
    assert!(public.has("register/LEAKS-ID-003/index.html"));
    let notice = "2 entries are shown as restricted stubs for this audience; counts include them";
    for page in ["index.html", "register/index.html"] {
        assert!(public.text(page).contains(notice), "{page}");
    }
    let v: serde_json::Value = serde_json::from_str(&public.text("register.json")).unwrap();
    assert_eq!(v["rollups"]["total"], 3);
    assert_eq!(v["restricted_stubs"], 2);

    let internal = build("stub", "internal");
    assert_no_leak(&internal, &all, true, true);
    assert!(
        internal
            .text("index.html")
            .contains("1 entry is shown as restricted stubs")
    );
}

#[test]
fn evidence_linked_only_from_hidden_content_is_not_copied() {
    let public = build("omit", "public");
    let copied: Vec<&str> = public
        .files
        .keys()
        .filter_map(|k| k.strip_prefix("evidence/"))
        .collect();
    // Shared with visible content, linked from a visible plan, and linked
    // from nothing at all (copied as before: see the README).
    assert_eq!(
        copied,
        [
            "shown-plan-evid.txt",
            "shown-shared.txt",
            "shown-unlinked.txt"
        ]
    );
}

/// `check --format json` on a content folder: exit code and problems.
fn check(dir: &Path) -> (i32, Vec<serde_json::Value>) {
    let out = run(
        dir,
        &[
            "check",
            "--content",
            "content",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
    );
    let diags: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        out.status.code().unwrap(),
        diags.as_array().unwrap().clone(),
    )
}

fn errors(diags: &[serde_json::Value]) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            format!(
                "{}:{}:{}: {} | {}",
                Path::new(d["file"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy(),
                d["line"],
                d["column"],
                d["message"].as_str().unwrap(),
                d["hint"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn check_validates_everything_whatever_the_audience() {
    let dir = content(&site_yaml("stub"));
    let (code, diags) = check(dir.path());
    assert_eq!(code, 0, "{diags:?}");
    // Warnings are for whoever builds: the restricted plan's milestone is
    // overdue and is reported even though no public page shows it.
    assert!(
        diags
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("LEAKX-MILESTONE")),
        "{diags:?}"
    );
}

#[test]
fn visibility_settings_are_validated_with_positions_and_hints() {
    let dir = content(
        "title: T
visibility:
  fields:
    status: public
    descripton: restricted
    owner: secret
  hidden_entries: hide
",
    );
    fs::write(
        dir.path().join("content/register/CI-001.yaml"),
        "title: x\nidentified: 2026-01-01\nstatus: planned\npriority: low\nvisibility: everyone\n",
    )
    .unwrap();
    let (code, diags) = check(dir.path());
    assert_eq!(code, 1);
    let errs = errors(&diags);
    let expect = [
        "site.yaml:4:5: entry field `status` cannot be restricted",
        "site.yaml:5:5: unknown entry field `descripton` in visibility fields | did you mean `description`?",
        "site.yaml:6:12: `owner` has a value outside its list: `secret` | allowed values: public, internal, restricted",
        "site.yaml:7:19: `hidden_entries` has a value outside its list: `hide` | allowed values: omit, stub",
        "CI-001.yaml:5:13: `visibility` has a value outside its list: `everyone` | allowed values: public, internal, restricted",
    ];
    for e in expect {
        assert!(
            errs.iter().any(|got| got.starts_with(e)),
            "missing {e}\nin {errs:#?}"
        );
    }
    assert_eq!(errs.len(), expect.len(), "{errs:#?}");
}

#[test]
fn an_unknown_audience_is_a_usage_error() {
    let dir = content(&site_yaml("omit"));
    let out = run(
        dir.path(),
        &["build", "--content", "content", "--audience", "everyone"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("public, internal or restricted"),
        "{stderr}"
    );
    assert!(!dir.path().join("output").exists());
}

/// A long-running command, killed when dropped.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The ids in `output/register.json` once `command` has published it.
fn published_ids(command: &str) -> Vec<String> {
    let dir = content(&site_yaml("omit"));
    let child = Command::new(BIN)
        .args([
            command,
            "--content",
            "content",
            "--output",
            "output",
            "--as-of",
            AS_OF,
            "--audience",
            "public",
        ])
        .current_dir(dir.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start isms-site");
    let _running = Running(child);
    let json = dir.path().join("output/register.json");
    let start = std::time::Instant::now();
    loop {
        if let Some(v) = fs::read(&json)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        {
            return v["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_string())
                .collect();
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "{command} published nothing"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn watch_and_serve_publish_for_the_audience_asked() {
    assert_eq!(published_ids("watch"), ["CI-001"]);
    assert_eq!(published_ids("serve"), ["CI-001"]);
}

/// `pack --audience public` (issue 26, item 3): the zip, unpacked, as a
/// built site.
fn pack(hidden_entries: &str, audience: &str, extra: &[&str]) -> Built {
    use std::io::Read;
    let dir = content(&site_yaml(hidden_entries));
    let mut args = vec![
        "pack",
        "--content",
        "content",
        "-o",
        "pack.zip",
        "--as-of",
        AS_OF,
        "--audience",
        audience,
    ];
    args.extend_from_slice(extra);
    let out = run(dir.path(), &args);
    assert!(
        out.status.success(),
        "pack failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let zip = fs::File::open(dir.path().join("pack.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(zip).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        let name = f.name().unwrap().to_string();
        files.insert(name, bytes);
    }
    Built {
        audience: format!("pack {audience} {extra:?}"),
        files,
    }
}

#[test]
fn an_auditor_pack_for_the_public_leaks_nothing() {
    let all = markers();
    assert_no_leak(&pack("omit", "public", &[]), &all, false, false);
    let chain = pack("omit", "public", &["--entry", "CI-001"]);
    for p in ["LEAKX-", "leakx-file", "LEAKI-", "LEAKS-", HIDDEN_LAST_DATE] {
        chain.assert_absent(p);
    }
    assert!(chain.has("register/CI-001/index.html"));
    assert!(chain.has("plans/shown-plan/index.html"));
}
