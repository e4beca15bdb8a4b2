//! `isms-site pack` (issue 26, item 3): the auditor pack of one finding's
//! chain, from a repository made here with the `git` command line (fixed
//! dates, so every run makes the same history), unzipped with the zip
//! crate and checked: exactly the chain's pages, every link resolving to a
//! file of the pack, `SHA256SUMS` matching, the text as committed on the
//! day, the same bytes twice.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::tools;
use tools::{BIN, copy_dir, fresh_tmp_dir, git_as, output_text, root_dir};

const WHO: &str = "Alice Auditor <alice@example.org>";
/// The demo's reopened major finding: CI-015, found not effective, and
/// CI-024, the corrective action following it up.
const FINDING: &str = "NC-2025-03";
const DAY: &str = "2026-11-27";

/// The demo content committed on 2026-11-01, then CI-024 retitled on
/// 2026-12-01, after [`DAY`]. Returns the content folder.
fn repository(name: &str) -> PathBuf {
    let repo = fresh_tmp_dir(name).join("repo");
    let content = repo.join("content");
    copy_dir(&root_dir().join("content"), &content);
    // Evidence on the chain: in the pack; other evidence is not.
    let ci024 = content.join("register/CI-024.yaml");
    let mut text = fs::read_to_string(&ci024).unwrap();
    text.push_str("links:\n  - title: Scan schedule\n    url: evidence/scan-schedule.txt\n");
    fs::write(&ci024, text).unwrap();
    git_as(&repo, WHO, "2026-11-01", &["init", "-q"]);
    git_as(&repo, WHO, "2026-11-01", &["add", "-A"]);
    git_as(
        &repo,
        WHO,
        "2026-11-01",
        &["commit", "-q", "-m", "The register"],
    );
    let ci024 = content.join("register/CI-024.yaml");
    let text = fs::read_to_string(&ci024).unwrap();
    fs::write(
        &ci024,
        text.replace(
            "title: Automate patch deployment for legacy Linux servers",
            "title: Retitled after the day of the pack",
        ),
    )
    .unwrap();
    git_as(&repo, WHO, "2026-12-01", &["commit", "-q", "-am", "Later"]);
    content
}

fn pack(content: &Path, zip: &Path, extra: &[&str]) -> Output {
    Command::new(BIN)
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["pack", "--as-of", DAY, "--theme"])
        .arg(root_dir().join("themes/default"))
        .arg("--content")
        .arg(content)
        .arg("-o")
        .arg(zip)
        .args(extra)
        .output()
        .expect("run isms-site")
}

/// Every file of a zip, by path.
fn unzip(zip: &Path) -> BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(fs::File::open(zip).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        let name = f.name().unwrap().to_string();
        out.insert(name, bytes);
    }
    out
}

fn git_out(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

/// The values of `attr="…"` attributes in `html`, unescaped.
fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let start = i + needle.len();
            let end = html[start..].find('"').unwrap() + start;
            html[start..end]
                .replace("&quot;", "\"")
                .replace("&#x2F;", "/")
                .replace("&amp;", "&")
        })
        .collect()
}

/// A link of `page` as a path of the pack, or `None` for a link that is
/// not a file of it (another site, a fragment of the page itself).
fn target(page: &str, link: &str) -> Option<String> {
    if link.starts_with("http://") || link.starts_with("https://") || link.starts_with("mailto:") {
        return None;
    }
    let path = link.split(['?', '#']).next().unwrap();
    if path.is_empty() {
        return None;
    }
    assert!(!path.starts_with('/'), "{page}: absolute link {link}");
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            ".." => assert!(parts.pop().is_some(), "{page}: {link} leaves the pack"),
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    // Percent-encoded names (none in the demo's chain but spaces).
    Some(joined.replace("%20", " "))
}

#[test]
fn a_findings_pack_holds_exactly_its_chain_with_every_link_working() {
    let content = repository("pack-chain");
    let dir = content.parent().unwrap().parent().unwrap();
    let zip = dir.join("nc.zip");
    let o = pack(&content, &zip, &["--nonconformity", FINDING]);
    assert!(o.status.success(), "{}", output_text(&o));
    let files = unzip(&zip);

    // Exactly the chain's entry pages, and the pages about them.
    let entries: Vec<&str> = files
        .keys()
        .filter_map(|k| k.strip_prefix("register/"))
        .collect();
    assert_eq!(entries, ["CI-015/index.html", "CI-024/index.html"]);
    assert!(files.contains_key("plans/vulnerability-management/index.html"));
    assert!(!files.contains_key("plans/access-control-hardening/index.html"));
    assert!(files.contains_key("controls/a-8-8/index.html"));
    assert!(!files.contains_key("register/index.html"));
    assert!(!files.contains_key("register.csv"));
    assert!(files.contains_key("index.html"));
    assert!(files.contains_key("evidence/scan-schedule.txt"));
    assert!(!files.contains_key("evidence/access-review-2026-q1.csv"));

    // Every link of every page names a file of the pack.
    let mut seen = 0;
    for (page, bytes) in files.iter().filter(|(k, _)| k.ends_with(".html")) {
        let html = String::from_utf8(bytes.clone()).unwrap();
        for attr in ["href", "src"] {
            for link in attr_values(&html, attr) {
                if let Some(t) = target(page, &link) {
                    seen += 1;
                    assert!(
                        files.contains_key(&t),
                        "{page}: {attr}=\"{link}\" → {t} is not in the pack"
                    );
                }
            }
        }
    }
    assert!(seen > 50, "only {seen} links");
    // A link out of the chain is plain text, not gone.
    let ci015 = String::from_utf8(files["register/CI-015/index.html"].clone()).unwrap();
    assert!(ci015.contains("class=\"pack-omitted\""));

    // SHA256SUMS lists every other file with its sum, as sha256sum -c reads.
    let sums = String::from_utf8(files["SHA256SUMS"].clone()).unwrap();
    let mut listed = 0;
    for line in sums.lines() {
        let (sum, name) = line.split_once("  ").unwrap();
        let name = name.trim_start_matches('*');
        let digest = Sha256::digest(&files[name]);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(sum, hex, "{name}");
        listed += 1;
    }
    assert_eq!(listed, files.len() - 1);

    // Built from the text committed on the day, and says which commit.
    let day_commit = git_out(content.parent().unwrap(), &["rev-parse", "HEAD~1"]);
    let build: serde_json::Value = serde_json::from_slice(&files["build.json"]).unwrap();
    assert_eq!(build["content_commit"], day_commit.as_str());
    assert_eq!(build["as_of"], DAY);
    assert_eq!(build["pack"], format!("nonconformity {FINDING}").as_str());
    let ci024 = String::from_utf8(files["register/CI-024/index.html"].clone()).unwrap();
    assert!(ci024.contains("Automate patch deployment for legacy Linux servers"));
    assert!(!ci024.contains("Retitled after the day"));
    // The revisions of each record, as they stood on the day.
    assert!(
        ci024.contains("revisions-h"),
        "no revisions on the entry page"
    );

    // `verify` passes on the unzipped pack.
    let unzipped = dir.join("unzipped");
    for (rel, bytes) in &files {
        let path = unzipped.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    let v = Command::new(BIN)
        .arg("verify")
        .arg(&unzipped)
        .output()
        .unwrap();
    assert!(v.status.success(), "{}", output_text(&v));

    // The same input gives the same bytes.
    let again = dir.join("again.zip");
    assert!(
        pack(&content, &again, &["--nonconformity", FINDING])
            .status
            .success()
    );
    assert!(fs::read(&zip).unwrap() == fs::read(&again).unwrap());
}

#[test]
fn an_entrys_pack_follows_its_chain_both_ways() {
    let content = repository("pack-entry");
    let zip = content.parent().unwrap().join("..").join("e.zip");
    let o = pack(&content, &zip, &["--entry", "CI-024"]);
    assert!(o.status.success(), "{}", output_text(&o));
    let files = unzip(&zip);
    let entries: Vec<&str> = files
        .keys()
        .filter_map(|k| k.strip_prefix("register/"))
        .collect();
    assert_eq!(entries, ["CI-015/index.html", "CI-024/index.html"]);
}

#[test]
fn a_whole_site_pack_and_its_refusals() {
    let content = repository("pack-site");
    let dir = content.parent().unwrap().parent().unwrap();
    let zip = dir.join("site.zip");
    let o = pack(&content, &zip, &[]);
    assert!(o.status.success(), "{}", output_text(&o));
    let files = unzip(&zip);
    assert!(files.contains_key("register/index.html"));
    assert!(files.contains_key("register.csv"));
    // Packing again replaces the pack…
    assert!(pack(&content, &zip, &[]).status.success());
    // …but never a file isms-site did not write.
    let other = dir.join("notes.zip");
    fs::write(&other, "not a pack").unwrap();
    let o = pack(&content, &other, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", output_text(&o));
    assert!(output_text(&o).contains("is not a pack isms-site wrote"));
    assert_eq!(fs::read(&other).unwrap(), b"not a pack");
    // An unknown finding is named, with the known ones.
    let o = pack(&content, &dir.join("x.zip"), &["--nonconformity", "NC-9"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        output_text(&o).contains("no nonconformity has the ref `NC-9`")
            && output_text(&o).contains(FINDING),
        "{}",
        output_text(&o)
    );
    assert!(!dir.join("x.zip").exists());
    // A day before the first commit: nothing was committed then.
    let o = Command::new(BIN)
        .args(["pack", "--as-of", "2026-10-01", "--content"])
        .arg(&content)
        .arg("-o")
        .arg(dir.join("early.zip"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let text = output_text(&o);
    assert!(
        text.contains("no commit of the content's repository is dated on or before 2026-10-01")
            && text.contains("--no-git"),
        "{text}"
    );
    assert!(!dir.join("early.zip").exists());
}
