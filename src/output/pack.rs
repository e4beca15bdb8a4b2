//! The auditor pack: a built site, or the part of it about one finding or
//! entry, as one zip file that opens from `file://` once unzipped.
//!
//! For one finding (`--nonconformity REF`) the pack holds its chain, as
//! [`crate::compute::nonconformity`] defines it: the entries carrying the
//! ref and every entry following them up. For one entry (`--entry ID`), the
//! entry, the entries it follows up and those following it up,
//! transitively. Then the plans and reviews naming any of those entries
//! (their pages, and a review's input pack), the control pages the entries
//! link to, and every file those pages load or link to that is not a page
//! (style sheets, scripts, evidence). A link from a kept page to a page
//! left out becomes plain text (a `<span class="pack-omitted">`), so no
//! link dangles; the pack's own `index.html` lists what it holds.
//!
//! The zip is the same bytes for the same files: entries sorted by path,
//! every time stamp 1980-01-01 00:00, the same permissions, deflate.

use crate::compute::nonconformity;
use crate::model::Register;
use crate::output::markup::escape;
use crate::output::urls::encode_segment;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// What a pack holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The whole site.
    Site,
    /// One entry and its chain.
    Entry(String),
    /// One finding, by its `ref`, and its chain.
    Nonconformity(String),
}

impl Scope {
    /// As `build.json` records it.
    pub fn describe(&self) -> String {
        match self {
            Scope::Site => "site".to_string(),
            Scope::Entry(id) => format!("entry {id}"),
            Scope::Nonconformity(r) => format!("nonconformity {r}"),
        }
    }
}

/// The archive's comment: how `pack` knows a file it may replace.
pub const ZIP_COMMENT: &str = "isms-site auditor pack";

/// The entries (by id, as written) of the chain `scope` names in `reg`, as
/// of `as_of`; an error naming what is not there, with the known ones.
pub fn chain(reg: &Register, scope: &Scope, as_of: NaiveDate) -> Result<Vec<String>, String> {
    let ids = |ix: &[usize]| ix.iter().map(|i| reg.entries[*i].id.clone()).collect();
    match scope {
        Scope::Site => Ok(reg.entries.iter().map(|e| e.id.clone()).collect()),
        Scope::Nonconformity(r) => {
            let findings = nonconformity::findings(reg, as_of);
            match findings
                .iter()
                .find(|f| f.reference.eq_ignore_ascii_case(r.trim()))
            {
                Some(f) => Ok(ids(&f.chain)),
                None => Err(format!(
                    "no nonconformity has the ref `{r}` as of {as_of} for this audience (known: {})",
                    known(findings.iter().map(|f| f.reference.as_str()))
                )),
            }
        }
        Scope::Entry(id) => {
            let Some(start) = reg
                .entries
                .iter()
                .position(|e| e.id.eq_ignore_ascii_case(id.trim()))
            else {
                return Err(format!(
                    "no entry has the id `{id}` as of {as_of} for this audience"
                ));
            };
            Ok(ids(&linked(reg, start)))
        }
    }
}

fn known<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.take(20).collect();
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

/// `start`, the entries it follows up and those following it up,
/// transitively, in register order; bounded by the register.
fn linked(reg: &Register, start: usize) -> Vec<usize> {
    let index: BTreeMap<String, usize> = reg
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.to_lowercase(), i))
        .collect();
    let up = |i: usize| -> Vec<usize> {
        reg.entries[i]
            .follows_up
            .iter()
            .filter_map(|r| index.get(&r.id.to_lowercase()).copied())
            .collect()
    };
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); reg.entries.len()];
    for i in 0..reg.entries.len() {
        for j in up(i) {
            down[j].push(i);
        }
    }
    let mut seen = vec![false; reg.entries.len()];
    // Ancestors, then every descendant of each: the whole thread.
    let mut roots = vec![start];
    let mut stack = vec![start];
    seen[start] = true;
    while let Some(i) = stack.pop() {
        for j in up(i) {
            if !seen[j] {
                seen[j] = true;
                roots.push(j);
                stack.push(j);
            }
        }
    }
    let mut stack = roots;
    while let Some(i) = stack.pop() {
        for &j in &down[i] {
            if !seen[j] {
                seen[j] = true;
                stack.push(j);
            }
        }
    }
    (0..reg.entries.len()).filter(|i| seen[*i]).collect()
}

/// The files of a chain's pack, taken from the built site `files`: see
/// the module documentation. Pages left out are unlinked; `index.html`
/// is the pack's own list.
pub fn select(
    reg: &Register,
    files: &BTreeMap<String, Vec<u8>>,
    entries: &[String],
    title: &str,
) -> BTreeMap<String, Vec<u8>> {
    let chain: BTreeSet<String> = entries.iter().map(|id| id.to_lowercase()).collect();
    let names = |ids: &[String]| ids.iter().any(|id| chain.contains(&id.to_lowercase()));
    let mut folders: Vec<(String, String)> = Vec::new();
    for e in reg
        .entries
        .iter()
        .filter(|e| chain.contains(&e.id.to_lowercase()))
    {
        folders.push((
            format!("register/{}/", e.id),
            format!("{} {}", e.id, e.title),
        ));
    }
    for p in reg.plans.iter().filter(|p| names(&p.entries)) {
        folders.push((format!("plans/{}/", p.slug), format!("Plan: {}", p.title)));
    }
    for r in reg
        .reviews
        .iter()
        .filter(|r| names(&r.entries) || r.decisions.iter().any(|d| names(&d.entries)))
    {
        folders.push((
            format!("reviews/{}/", r.slug),
            format!("Review: {}", r.title),
        ));
    }
    // The pages in those folders (a review's input pack too; its data,
    // `changes.json`, is about the whole register).
    let mut kept: BTreeSet<String> = files
        .keys()
        .filter(|rel| folders.iter().any(|(dir, _)| rel.starts_with(dir.as_str())))
        .filter(|rel| rel.ends_with(".html") || rel.starts_with("register/"))
        .cloned()
        .collect();
    // What the chain's pages link to: control pages, the theme's assets
    // and evidence; then what those load in turn. The exports (CSV, JSON,
    // calendars, feed) are about the whole register: left out.
    let mut todo: Vec<String> = kept.iter().cloned().collect();
    while let Some(rel) = todo.pop() {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&files[&rel]);
        for target in links(&html).filter_map(|l| resolve(&rel, &l)) {
            let wanted = target.starts_with("assets/")
                || target.starts_with("evidence/")
                || (target.starts_with("controls/")
                    && target.ends_with("/index.html")
                    && target.matches('/').count() == 2);
            if wanted && files.contains_key(&target) && kept.insert(target.clone()) {
                todo.push(target);
            }
        }
    }
    kept.insert("index.html".to_string());
    let mut out = BTreeMap::new();
    for rel in &kept {
        let bytes = if rel == "index.html" {
            landing(title, &folders).into_bytes()
        } else if rel.ends_with(".html") {
            unlink(&String::from_utf8_lossy(&files[rel]), rel, &kept).into_bytes()
        } else {
            files[rel].clone()
        };
        out.insert(rel.clone(), bytes);
    }
    out
}

/// The pack's first page: what it holds, each with a link.
fn landing(title: &str, folders: &[(String, String)]) -> String {
    let mut items = String::new();
    for (dir, label) in folders {
        let href: Vec<String> = dir
            .trim_end_matches('/')
            .split('/')
            .map(encode_segment)
            .collect();
        items.push_str(&format!(
            "<li><a href=\"{}/index.html\">{}</a></li>\n",
            href.join("/"),
            escape(label)
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{t}</title>\n<link rel=\"stylesheet\" href=\"assets/style.css\">\n</head>\n\
         <body>\n<main id=\"main\">\n<h1>{t}</h1>\n\
         <p>The pages of this pack, as the register stood on the day <code>build.json</code> names. \
         Links to pages outside the pack are shown as plain text. \
         <code>SHA256SUMS</code> lists every file (<code>sha256sum -c SHA256SUMS</code>).</p>\n\
         <ul>\n{items}</ul>\n</main>\n</body>\n</html>\n",
        t = escape(title)
    )
}

/// The values of every `href` and `src` attribute in `html`, unescaped.
fn links(html: &str) -> impl Iterator<Item = String> + '_ {
    ["href=\"", "src=\""].into_iter().flat_map(move |attr| {
        html.match_indices(attr).filter_map(move |(i, _)| {
            let start = i + attr.len();
            let end = html[start..].find('"')? + start;
            // Only attributes: the character before is a space.
            html[..i]
                .ends_with([' ', '\n', '\t'])
                .then(|| unescape(&html[start..end]))
        })
    })
}

/// A link of page `from` as a path in the site, when it names a file of
/// the site (not a scheme, fragment or query alone, nor outside).
fn resolve(from: &str, link: &str) -> Option<String> {
    let path = link.split(['?', '#']).next().unwrap_or("");
    if path.is_empty() || path.starts_with('/') || has_scheme(path) {
        return None;
    }
    let mut parts: Vec<String> = from.split('/').map(str::to_string).collect();
    parts.pop();
    for seg in percent_decode(path).split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s.to_string()),
        }
    }
    Some(parts.join("/"))
}

fn has_scheme(link: &str) -> bool {
    link.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && !s.contains('/')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// `html` with every `<a>` to a page of the site left out of `kept` turned
/// into a `<span>` (its text kept), and every `<link>` to one removed.
pub fn unlink(html: &str, page: &str, kept: &BTreeSet<String>) -> String {
    let missing = |tag: &str| {
        links(tag)
            .filter_map(|l| resolve(page, &l))
            .any(|t| !kept.contains(&t))
    };
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut open_spans = 0usize;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        if tag.starts_with("<a ") && missing(tag) {
            out.push_str("<span class=\"pack-omitted\" title=\"Not in this pack\">");
            open_spans += 1;
        } else if tag == "</a>" && open_spans > 0 {
            out.push_str("</span>");
            open_spans -= 1;
        } else if tag.starts_with("<link ") && missing(tag) {
            // A feed or an extra style sheet that is not in the pack.
            if rest[end..].starts_with('\n') {
                rest = &rest[end + 1..];
                continue;
            }
        } else {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `%XX` escapes decoded (ill-formed ones kept as written), lossy UTF-8:
/// the `percent-encoding` crate, as everywhere else in the crate.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// The zip of `files`: sorted, fixed time stamps and permissions, deflate,
/// with [`ZIP_COMMENT`].
pub fn zip(files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<u8>, String> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
        .large_file(false);
    for (rel, bytes) in files {
        let options = options.large_file(bytes.len() as u64 >= u32::MAX as u64);
        w.start_file(rel.as_str(), options)
            .map_err(|e| format!("{rel}: {e}"))?;
        w.write_all(bytes).map_err(|e| format!("{rel}: {e}"))?;
    }
    w.set_comment(ZIP_COMMENT).map_err(|e| e.to_string())?;
    let cursor = w.finish().map_err(|e| e.to_string())?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_pages_left_out_become_text() {
        let kept: BTreeSet<String> = ["register/A-1/index.html", "assets/style.css"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let html = "<link rel=\"stylesheet\" href=\"../../assets/style.css\">\n\
                    <link rel=\"alternate\" href=\"../../feed.xml\">\n\
                    <p><a href=\"../B-2/index.html\">B-2 <b>x</b></a> and \
                    <a href=\"index.html#top\">self</a> and <a href=\"https://e.org/\">out</a></p>";
        let got = unlink(html, "register/A-1/index.html", &kept);
        assert_eq!(
            got,
            "<link rel=\"stylesheet\" href=\"../../assets/style.css\">\n\
             <p><span class=\"pack-omitted\" title=\"Not in this pack\">B-2 <b>x</b></span> and \
             <a href=\"index.html#top\">self</a> and <a href=\"https://e.org/\">out</a></p>"
        );
    }

    #[test]
    fn links_resolve_against_their_page() {
        assert_eq!(
            resolve("register/A-1/index.html", "../../evidence/a%20b.pdf"),
            Some("evidence/a b.pdf".to_string())
        );
        assert_eq!(resolve("index.html", "../x.html"), None);
        assert_eq!(resolve("index.html", "mailto:a@b"), None);
        assert_eq!(resolve("index.html", "#x"), None);
    }

    #[test]
    fn the_same_files_give_the_same_zip() {
        let files: BTreeMap<String, Vec<u8>> = [("b/x.html", "x"), ("a.css", "y")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect();
        let one = zip(&files).unwrap();
        assert_eq!(one, zip(&files).unwrap());
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(one)).unwrap();
        assert_eq!(archive.file_names().count(), 2);
        assert_eq!(archive.by_index(0).unwrap().name().unwrap(), "a.css");
    }
}
