//! The site in its readers' language (issue 29): `language:` and
//! `date_format:` in site.yaml, the built-in catalogues, a team's
//! `translations/<language>.ftl`, and pages with no English left in them.

use crate::tools;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const LANGUAGES: &[&str] = &["de", "fr", "es", "ja"];

/// The demo content with `extra` appended to its site.yaml, in `dir`.
fn demo_with(dir: &Path, extra: &str) -> PathBuf {
    let content = dir.join("content");
    tools::copy_dir(&tools::root_dir().join("content"), &content);
    let site = content.join("site.yaml");
    let mut text = fs::read_to_string(&site).unwrap();
    text.push_str(extra);
    fs::write(&site, text).unwrap();
    content
}

/// The demo built with `extra` in its site.yaml; returns the output folder.
fn build_demo(name: &str, extra: &str) -> PathBuf {
    let dir = tools::fresh_tmp_dir(name);
    let content = demo_with(&dir, extra);
    tools::build_in(&dir, &content, None)
}

/// The literal text of each message of a catalogue: the parts between
/// its placeables, trimmed of punctuation, that hold a word.
fn phrases(catalogue: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in catalogue.lines() {
        let Some((key, value)) = line.split_once(" = ") else {
            continue;
        };
        if key.starts_with('#') || key.contains(' ') || key.is_empty() {
            continue;
        }
        let value = if key.starts_with("js-") {
            value.replace("%n", "").replace("%m", "").replace("%d", "")
        } else {
            value.to_string()
        };
        for part in value.split(['{', '}']).step_by(2) {
            let part = part.trim_matches(|c: char| " .,:;()—–-+×%".contains(c));
            if part.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 3 {
                out.insert(part.to_string());
            }
        }
    }
    out
}

fn catalogue(lang: &str) -> String {
    fs::read_to_string(tools::root_dir().join(format!("themes/default/translations/{lang}.ftl")))
        .unwrap()
}

/// Every text the content holds: the values of its YAML and the lines of
/// its Markdown, whitespace collapsed. Text a page shows that is found
/// here is the register's, not the interface's.
fn content_texts(dir: &Path, out: &mut Vec<String>) {
    for e in fs::read_dir(dir).unwrap().flatten() {
        let path = e.path();
        if path.is_dir() {
            content_texts(&path, out);
            continue;
        }
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        for line in text.lines() {
            let value = line
                .split_once(": ")
                .map_or(line, |(_, v)| v)
                .trim_start_matches(['-', ' ', '#', '>', '|'])
                .trim_matches(['"', '\'', ' ', '[', ']']);
            // Flow mappings too: `{id: A.7.7, title: Clear desks}`.
            for v in value.split(", ") {
                let v = v.rsplit_once(": ").map_or(v, |(_, v)| v);
                let v = v.trim_matches(['{', '}', '"', '\'', ' ', '[', ']']);
                let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
                if v.chars().count() >= 3 {
                    out.push(v);
                }
            }
        }
    }
}

/// Every content file's text with its whitespace collapsed: Markdown
/// and folded YAML strings run over several lines.
fn corpus(dir: &Path) -> String {
    let mut out = String::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let path = e.path();
        if path.is_dir() {
            out.push_str(&corpus(&path));
        } else if let Ok(text) = fs::read_to_string(&path) {
            out.push_str(&text.split_whitespace().collect::<Vec<_>>().join(" "));
            out.push('\n');
        }
    }
    out
}

/// The text nodes and labelling attributes of a page, outside scripts and
/// styles, each with its whitespace collapsed and entities decoded.
fn texts(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push(rest[..lt].to_string());
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        for attr in [
            "aria-label=\"",
            "title=\"",
            "placeholder=\"",
            "alt=\"",
            "data-label=\"",
        ] {
            if let Some(i) = tag.find(attr)
                && (i == 0 || tag.as_bytes()[i - 1] == b' ')
            {
                let v = &tag[i + attr.len()..];
                out.push(v[..v.find('"').unwrap_or(v.len())].to_string());
            }
        }
        rest = &rest[lt + gt + 1..];
        for skip in ["script", "style"] {
            if tag.starts_with(skip)
                && let Some(end) = rest.find(&format!("</{skip}>"))
            {
                rest = &rest[end..];
            }
        }
    }
    out.into_iter()
        .map(|t| {
            t.replace("&#39;", "'")
                .replace("&#x27;", "'")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// Whether `phrase` occurs in `text` as whole words.
fn has_words(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphabetic) && !after.is_some_and(char::is_alphabetic)
    })
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap().flatten() {
        let path = e.path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "html") {
            out.push(path);
        }
    }
}

/// English interface text left on the pages of `site` built in `lang`:
/// `(phrase, text)` for each text node holding an English catalogue phrase
/// that `lang`'s catalogue does not also use, once the register's own text
/// (titles, names, Markdown) is taken out of it.
fn english_left(site: &Path, lang: &str) -> BTreeSet<(String, String)> {
    // A phrase the language also uses ("Status" in German) is no sign.
    let own = catalogue(lang);
    let english: Vec<String> = phrases(&catalogue("en"))
        .into_iter()
        .filter(|p| !has_words(&own, p))
        .collect();
    let root = tools::root_dir().join("content");
    let mut content = Vec::new();
    content_texts(&root, &mut content);
    content.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let corpus = corpus(&root);
    let mut pages = Vec::new();
    html_files(site, &mut pages);
    let mut left = BTreeSet::new();
    for page in pages {
        for text in texts(&fs::read_to_string(&page).unwrap()) {
            // Cut short for a snippet, or a part of a longer text.
            // A chart's title wraps: its lines are text nodes of their own,
            // the first after the entry's id.
            let bare = text.split_once(": ").map_or(text.as_str(), |(id, rest)| {
                if id.contains('-') && !id.contains(' ') {
                    rest
                } else {
                    text.as_str()
                }
            });
            if corpus.contains(text.trim_end_matches('…')) || corpus.contains(bare) {
                continue;
            }
            let mut rest = text.clone();
            for c in &content {
                if rest.contains(c.as_str()) {
                    rest = rest.replace(c.as_str(), " ");
                }
            }
            for p in &english {
                if has_words(&rest, p) {
                    left.insert((p.clone(), text.clone()));
                }
            }
        }
    }
    left
}

/// Issue 29, done means: the demo built in German, French, Spanish and
/// Japanese has no English interface word on any page.
#[test]
fn demo_in_each_language_has_no_english_interface_word() {
    for lang in LANGUAGES {
        let site = build_demo(&format!("i18n-{lang}-"), &format!("language: {lang}\n"));
        let index = fs::read_to_string(site.join("index.html")).unwrap();
        assert!(index.contains(&format!("<html lang=\"{lang}\">")));
        let left = english_left(&site, lang);
        assert!(left.is_empty(), "{lang}: English left: {left:#?}");
    }
}

/// The check itself finds English: the English demo is full of it.
#[test]
fn the_english_check_finds_english_in_the_english_site() {
    let site = build_demo("i18n-en-", "");
    let left = english_left(&site, "ja");
    assert!(left.iter().any(|(p, _)| p == "Skip to content"), "{left:?}");
}

#[test]
fn long_dates_and_charts_in_the_language() {
    let site = build_demo("i18n-de-long-", "language: de\ndate_format: long\n");
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(
        index.contains("<time datetime=\"2026-11-27\">27. November 2026</time>"),
        "no long German date on the dashboard"
    );
    let chart = fs::read_to_string(site.join("charts/open-by-status.svg")).unwrap();
    assert!(
        chart.contains(">Nov. 2024<"),
        "German months on the chart axis"
    );
    assert!(chart.contains("Offene Einträge"));
    // Issue 28's pages: objectives and KPIs, risks, the dashboard's tile.
    let objectives = fs::read_to_string(site.join("objectives/index.html")).unwrap();
    assert!(objectives.contains("<h1>Ziele und Kennzahlen</h1>"));
    assert!(objectives.contains(">Erfüllt</span>") && objectives.contains(">Verfehlt</span>"));
    assert!(
        objectives.contains("<title>Verlauf von "),
        "the sparklines' text"
    );
    assert!(objectives.contains("Weitere Kennzahlen") || !objectives.contains("other-kpis"));
    let risks = fs::read_to_string(site.join("risks/index.html")).unwrap();
    assert!(risks.contains("<h1>Risiken</h1>") && risks.contains("im Risikokatalog"));
    assert!(index.contains(">Ziele</a>") && index.contains(">Risiken</a>"));
    assert!(index.contains("Kennzahlen erfüllt"), "the KPI tile");

    let ja = build_demo("i18n-ja-long-", "language: ja\ndate_format: long\n");
    let index = fs::read_to_string(ja.join("index.html")).unwrap();
    assert!(index.contains(">2026年11月27日</time>"));
    let objectives = fs::read_to_string(ja.join("objectives/index.html")).unwrap();
    assert!(objectives.contains("<h1>目標とKPI</h1>") && objectives.contains(">達成</span>"));
    assert!(index.contains(">目標</a>") && index.contains(">リスク</a>"));
    let chart = fs::read_to_string(ja.join("charts/overdue.svg")).unwrap();
    assert!(
        chart.contains(">2024年11月<"),
        "Japanese months on the chart axis"
    );
}

/// Issue 29, done means: a `translations/de.ftl` beside the content
/// changes one label, and leaves the others as the built-in German.
#[test]
fn a_translations_file_changes_one_label() {
    let dir = tools::fresh_tmp_dir("i18n-override-");
    let content = demo_with(&dir, "language: de\n");
    fs::create_dir_all(content.join("translations")).unwrap();
    fs::write(
        content.join("translations/de.ftl"),
        "# Our own word for the register\nnav-register = Maßnahmenregister\n",
    )
    .unwrap();
    let site = tools::build_in(&dir, &content, None);
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains(">Maßnahmenregister</a>"));
    assert!(!index.contains(">Register</a>"));
    assert!(index.contains(">Pläne</a>"), "the other labels stay German");
}

fn check(content: &Path) -> (bool, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_isms-site"))
        .arg("check")
        .arg("--content")
        .arg(content)
        .output()
        .unwrap();
    (o.status.success(), tools::output_text(&o))
}

/// A language isms-site does not ship, with a file that translates one
/// string: the rest falls back to English, and `check` names each key.
#[test]
fn a_missing_string_falls_back_to_english_with_a_warning_naming_the_key() {
    let dir = tools::fresh_tmp_dir("i18n-missing-");
    let content = demo_with(&dir, "language: it\n");
    fs::create_dir_all(content.join("translations")).unwrap();
    fs::write(content.join("translations/it.ftl"), "nav-plans = Piani\n").unwrap();
    let (ok, report) = check(&content);
    assert!(ok, "warnings only: {report}");
    assert!(
        report.contains("translations/it.ftl:1:1: warning: no it translation of `nav-register`"),
        "{report}"
    );
    assert!(!report.contains("`nav-plans`"), "{report}");
    let site = tools::build_in(&dir, &content, None);
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("<html lang=\"it\">"));
    assert!(index.contains(">Piani</a>"));
    assert!(index.contains(">Register</a>"), "English for the rest");
}

/// A language with no catalogue at all: one warning at site.yaml, not one
/// per string.
#[test]
fn a_language_without_any_catalogue_is_one_warning() {
    let dir = tools::fresh_tmp_dir("i18n-nocat-");
    let content = demo_with(&dir, "language: it\n");
    let (ok, report) = check(&content);
    assert!(ok, "{report}");
    assert!(
        report.contains("site.yaml:1:1: warning: isms-site has no it catalogue"),
        "{report}"
    );
    assert_eq!(report.matches("no it").count(), 1, "{report}");
}

#[test]
fn a_bad_language_tag_or_translation_file_is_an_error_at_its_place() {
    let dir = tools::fresh_tmp_dir("i18n-bad-");
    let content = demo_with(&dir, "language: not a language\ndate_format: short\n");
    let (ok, report) = check(&content);
    assert!(!ok);
    assert!(
        report.contains("`language` must be a BCP 47 language tag"),
        "{report}"
    );
    assert!(
        report.contains("`date_format` must be `iso` or `long`"),
        "{report}"
    );

    let dir = tools::fresh_tmp_dir("i18n-bad-ftl-");
    let content = demo_with(&dir, "language: de\n");
    fs::create_dir_all(content.join("translations")).unwrap();
    fs::write(
        content.join("translations/de.ftl"),
        "nav-plans = Pläne\n= kein Schlüssel\n",
    )
    .unwrap();
    let (ok, report) = check(&content);
    assert!(!ok);
    assert!(
        report.contains("de.ftl:2:1: translation syntax"),
        "{report}"
    );
}

/// The English site does not change with the catalogues: no `lang`
/// other than `en`, ISO dates, English month names on the charts.
#[test]
fn english_stays_the_default() {
    let site = build_demo("i18n-default-", "");
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(index.contains("<time datetime=\"2026-11-27\">2026-11-27</time>"));
    let chart = fs::read_to_string(site.join("charts/open-by-status.svg")).unwrap();
    assert!(chart.contains(">Nov 2024<"));
}

/// A Markdown task list's boxes are named for screen readers in the
/// site's language too (the names are attributes, which the text-node walk
/// above does not see).
#[test]
fn task_boxes_are_named_in_the_language() {
    let plan = "plans/access-control-hardening/index.html";
    let de = fs::read_to_string(build_demo("i18n-tasks-de-", "language: de\n").join(plan)).unwrap();
    assert!(de.contains("aria-label=\"Erledigt\""), "{de}");
    assert!(de.contains("aria-label=\"Offen\""), "{de}");
    assert!(!de.contains("aria-label=\"Done\"") && !de.contains("aria-label=\"Not done\""));
    let en = fs::read_to_string(build_demo("i18n-tasks-en-", "").join(plan)).unwrap();
    assert!(en.contains("aria-label=\"Done\"") && en.contains("aria-label=\"Not done\""));
}
