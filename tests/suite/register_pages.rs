//! The register as numbered pages: every entry reachable without
//! JavaScript, the first load bounded at any register size.

use crate::tools;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The register pages, from page 1 along the "Next" links, with the entry
/// ids each lists.
fn walk_pages(site: &Path) -> Vec<(String, Vec<String>)> {
    let mut pages = Vec::new();
    let mut rel = "register/index.html".to_string();
    loop {
        let html = fs::read_to_string(site.join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let root = "../".repeat(rel.matches('/').count());
        let body = html
            .split("<tbody>")
            .nth(1)
            .unwrap()
            .split("</tbody>")
            .next()
            .unwrap();
        let ids: Vec<String> = body
            .split(&format!("<a href=\"{root}register/"))
            .skip(1)
            .map(|s| s.split('/').next().unwrap().to_string())
            .collect();
        let next = html
            .split("rel=\"next\"")
            .next()
            .filter(|_| html.contains("rel=\"next\""))
            .and_then(|before| before.rsplit("href=\"").next())
            .map(|href| href.split('"').next().unwrap().to_string());
        pages.push((rel.clone(), ids));
        match next {
            Some(href) => rel = normalise(&rel, &href),
            None => break,
        }
        assert!(pages.len() < 1000, "the Next links loop");
    }
    pages
}

/// `href` (relative to page `from`) as a path from the site root.
fn normalise(from: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn every_entry_is_on_exactly_one_numbered_page_linked_from_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    tools::synthetic_register(&content, 450);
    let site = tools::build_site("register-pages-", &content);
    let pages = walk_pages(&site);
    let paths: Vec<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "register/index.html",
            "register-pages/2/index.html",
            "register-pages/3/index.html"
        ]
    );
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (_, ids) in &pages {
        for id in ids {
            *seen.entry(id.clone()).or_default() += 1;
        }
    }
    assert_eq!(seen.len(), 450, "every entry is listed");
    assert!(seen.values().all(|&n| n == 1), "no entry on two pages");
    // In order of id: page 2 starts where page 1 ends.
    assert_eq!(pages[0].1.first().unwrap(), "R-00001");
    assert_eq!(pages[1].1.first().unwrap(), "R-00201");
    assert_eq!(pages[2].1.last().unwrap(), "R-00450");
    // A page holds 200 entries however large the register, so the first
    // load is bounded; `scripts/bench.sh` checks the 500 kB bound at
    // 10,000 entries and more.
    let first = fs::metadata(site.join("register/index.html"))
        .unwrap()
        .len();
    assert!(first <= 500_000, "register/index.html is {first} bytes");
    // Every page links every other by number, and back with "Previous".
    for (rel, _) in &pages {
        let html = fs::read_to_string(site.join(rel)).unwrap();
        let nav = html.split("id=\"register-pages\"").nth(1).unwrap();
        let nav = nav.split("</nav>").next().unwrap();
        for other in &paths {
            if other != rel {
                let root = "../".repeat(rel.matches('/').count());
                assert!(
                    nav.contains(&format!("href=\"{root}{other}\"")),
                    "{rel} misses {other}"
                );
            }
        }
        assert_eq!(
            nav.contains("rel=\"prev\""),
            rel != "register/index.html",
            "{rel}"
        );
        assert!(nav.contains("aria-current=\"page\""), "{rel}");
    }
}
