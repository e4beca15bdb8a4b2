//! `isms-site group` (issue 28): a group site over three generated
//! registers — the demo, a synthetic register built as of an earlier day,
//! and the demo built for the restricted audience — read only from what
//! their builds published.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::tools;
use tools::{AS_OF, BIN, fresh_tmp_dir, output_text, root_dir};

const OLDER: &str = "2026-06-30";

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .args(args)
        .output()
        .expect("run isms-site")
}

fn ok(dir: &Path, args: &[&str]) -> Output {
    let o = run(dir, args);
    assert!(o.status.success(), "{args:?}: {}", output_text(&o));
    o
}

/// `dir/sites/{demo,synthetic,restricted}`, built; returns `dir/sites`.
fn three_sites(dir: &Path) -> PathBuf {
    let synthetic = dir.join("synthetic-content");
    tools::synthetic_register(&synthetic, 60);
    fs::write(
        synthetic.join("site.yaml"),
        "title: Synthetic <b>subsidiary</b>\nbase_url: https://isms.example/synthetic\n",
    )
    .unwrap();
    let sites = dir.join("sites");
    let demo = root_dir().join("content");
    let build = |content: &Path, name: &str, as_of: &str, audience: &str| {
        let out = sites.join(name);
        ok(
            dir,
            &[
                "build",
                "--no-git",
                "--content",
                content.to_str().unwrap(),
                "--output",
                out.to_str().unwrap(),
                "--as-of",
                as_of,
                "--audience",
                audience,
            ],
        );
    };
    build(&demo, "demo", AS_OF, "internal");
    build(&synthetic, "synthetic", OLDER, "internal");
    build(&demo, "restricted", AS_OF, "restricted");
    sites
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// Every numeric leaf of `v`, by its path, so figures can be summed.
fn leaves(v: &Value, at: &str, out: &mut Vec<(String, u64)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                leaves(x, &format!("{at}/{k}"), out);
            }
        }
        Value::Number(n) => out.push((at.to_string(), n.as_u64().unwrap())),
        _ => {}
    }
}

/// Every `href` and `src` of an HTML page.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            found.push(part.split('"').next().unwrap().replace("&amp;", "&"));
        }
    }
    found
}

/// Follows every relative link of every HTML page under `site` as a
/// browser opening the files (`file://`) would; returns the absolute ones.
fn walk_links(site: &Path) -> Vec<String> {
    let mut absolute = Vec::new();
    let mut pages = vec![site.to_path_buf()];
    while let Some(p) = pages.pop() {
        if p.is_dir() {
            pages.extend(fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if p.extension().is_none_or(|x| x != "html") {
            continue;
        }
        for link in links(&fs::read_to_string(&p).unwrap()) {
            if link.starts_with("https://") || link.starts_with("http://") {
                absolute.push(link);
                continue;
            }
            let file = link.split('#').next().unwrap();
            if file.is_empty() {
                continue;
            }
            let target = p.parent().unwrap().join(file.replace("%20", " "));
            assert!(
                target.is_file(),
                "{} links to {link}, which does not resolve",
                p.display()
            );
        }
    }
    absolute
}

#[test]
fn a_group_sums_its_registers_flags_dates_links_both_ways_and_refuses_narrower_audiences() {
    let dir = fresh_tmp_dir("group");
    let sites = three_sites(&dir);
    let names = ["demo", "synthetic", "restricted"];
    let paths: Vec<String> = names
        .iter()
        .map(|n| sites.join(n).to_str().unwrap().to_string())
        .collect();
    let group = sites.join("group");
    let mut args = vec![
        "group",
        "--audience",
        "restricted",
        "-o",
        group.to_str().unwrap(),
    ];
    args.extend(paths.iter().map(String::as_str));
    let o = ok(&dir, &args);
    assert!(
        output_text(&o).contains(&format!("is as of {OLDER}, not {AS_OF}")),
        "the older register is warned about: {}",
        output_text(&o)
    );

    // The totals are the sum of the three registers' published figures.
    let g = json(&group.join("group.json"));
    let mut sum: std::collections::BTreeMap<String, u64> = Default::default();
    for (i, n) in names.iter().enumerate() {
        let figures = &json(&sites.join(n).join("register.json"))["figures"];
        assert_eq!(&g["registers"][i]["figures"], figures, "{n}");
        let mut l = Vec::new();
        leaves(figures, "", &mut l);
        for (k, v) in l {
            *sum.entry(k).or_default() += v;
        }
    }
    let mut total = Vec::new();
    leaves(&g["total"], "", &mut total);
    assert_eq!(
        total
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>(),
        sum
    );
    assert!(sum["/entries"] > 60 && sum["/nc_open/major"] > 0, "{sum:?}");
    assert_eq!(g["registers"][1]["as_of_differs"], true);
    assert_eq!(g["registers"][0]["as_of_differs"], false);

    // The dashboard says so, and shows the totals.
    let index = fs::read_to_string(group.join("index.html")).unwrap();
    assert!(index.contains("id=\"as-of-warning\""), "dates flagged");
    assert!(index.contains("mixed dates"));
    assert!(
        index.contains("Synthetic &lt;b&gt;subsidiary&lt;/b&gt;"),
        "escaped"
    );

    // Side by side, every link resolves on disk (as over file://): the
    // combined register's rows open each register's own entry pages.
    assert!(
        walk_links(&group).is_empty(),
        "side by side, all links are relative"
    );
    let register = fs::read_to_string(group.join("register/index.html")).unwrap();
    assert!(register.contains("href=\"../../demo/register/CI-001/index.html\""));
    assert!(register.contains("href=\"../../synthetic/register/R-00001/index.html\""));

    // Elsewhere, a register with base_url is linked absolutely, the
    // others relative to where they are (still resolving).
    let elsewhere = dir.join("published/group");
    let mut args = vec![
        "group",
        "--audience",
        "restricted",
        "-o",
        elsewhere.to_str().unwrap(),
    ];
    args.extend(paths.iter().map(String::as_str));
    ok(&dir, &args);
    let absolute = walk_links(&elsewhere);
    assert!(!absolute.is_empty());
    assert!(
        absolute
            .iter()
            .all(|l| l.starts_with("https://isms.example/synthetic/")),
        "{absolute:?}"
    );

    // Built for the internal audience, the restricted register is refused
    // and the group site is left exactly as it was.
    let before = fs::read(group.join("SHA256SUMS")).unwrap();
    let mut args = vec!["group", "-o", group.to_str().unwrap()];
    args.extend(paths.iter().map(String::as_str));
    let o = run(&dir, &args);
    assert_eq!(o.status.code(), Some(1), "{}", output_text(&o));
    let text = output_text(&o);
    assert!(
        text.contains(
            "was built for the restricted audience, narrower than this group's internal audience"
        ),
        "{text}"
    );
    assert!(text.contains(&format!("{}:1:1:", paths[2])), "{text}");
    assert_eq!(fs::read(group.join("SHA256SUMS")).unwrap(), before);
}

/// What is not a register's export is refused at its place, every
/// problem at once.
#[test]
fn a_group_refuses_what_is_not_a_published_register() {
    let dir = fresh_tmp_dir("group-bad");
    let site = dir.join("site");
    fs::create_dir_all(&site).unwrap();
    fs::write(site.join("register.json"), "{\"title\": 1}").unwrap();
    fs::write(
        site.join("build.json"),
        "{\"as_of\": \"2026-01-01\", \"audience\": \"internal\"}",
    )
    .unwrap();
    let missing = dir.join("nowhere");
    let o = run(
        &dir,
        &[
            "group",
            "-o",
            dir.join("g").to_str().unwrap(),
            site.to_str().unwrap(),
            missing.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let text = output_text(&o);
    assert!(text.contains("register.json:1:"), "{text}");
    assert!(text.contains("not a register export"), "{text}");
    assert!(text.contains("nowhere:1:1: no such site folder"), "{text}");
    assert!(!dir.join("g").exists());
}
