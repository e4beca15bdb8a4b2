//! Templates and static assets: the built-in theme, overridable file by file.
//!
//! The default theme is compiled into the binary, so `isms-site` works from
//! any folder. A theme folder (`--theme DIR`, or `themes/default/` when it
//! exists) overrides it one file at a time, the way Zola themes work: a
//! template found in the folder replaces the built-in one of the same name,
//! and every other template — including `base.html` that pages extend —
//! falls back to the built-in. Tera resolves this through a fallback prefix,
//! which also lets a theme override one block of a built-in template: its
//! `base.html` may `{% extends "builtin/base.html" %}` and redefine only the
//! `footer` block (see docs/theme-api.md).
//!
//! XML templates (`feed.xml`, `sitemap.xml`) live in a Tera instance of their
//! own, because escaping is per instance: pages get Tera's HTML escaping, the
//! XML files get [`escape`], which also drops the characters XML forbids.

use crate::content::i18n::Catalogue;
use crate::model::diag::{Diagnostics, Pos};
use crate::output::markup::escape;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use tera::Tera;

/// The name under which every built-in template stays reachable, even when
/// the theme overrides it (part of the theme API: keep it stable).
pub const BUILTIN_PREFIX: &str = "builtin/";

macro_rules! builtin {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),+]
    };
}

const TEMPLATES: &[(&str, &str)] = builtin!(
    "base.html",
    "index.html",
    "register.html",
    "entry.html",
    "plan.html",
    "plans.html",
    "review.html",
    "reviews.html",
    "review_input.html",
    "taxonomy.html",
    "term.html",
    "nonconformities.html",
    "objectives.html",
    "risks.html",
    "group_base.html",
    "group_index.html",
    "group_register.html",
    "partials/entries_table.html",
    "partials/chart.html",
    "partials/counts.html",
    "partials/audience.html",
    "partials/more.html",
    "partials/bounded_entries.html",
    "partials/revisions.html",
    "partials/pack_list.html",
    "partials/pack_entry.html",
    "feed.xml",
    "sitemap.xml",
);

/// Optional theme files the built-in `base.html` links when present, so a
/// theme can restyle or script the site without copying `style.css`.
const EXTRA_CSS: &str = "extra.css";
const EXTRA_JS: &str = "extra.js";

const STATIC: &[(&str, &str)] = &[
    (
        "style.css",
        include_str!("../../themes/default/static/style.css"),
    ),
    (
        "register.js",
        include_str!("../../themes/default/static/register.js"),
    ),
    (
        "favicon.svg",
        include_str!("../../themes/default/static/favicon.svg"),
    ),
    (
        "search.js",
        include_str!("../../themes/default/static/search.js"),
    ),
    (
        "pack.css",
        include_str!("../../themes/default/static/pack.css"),
    ),
];

pub struct Theme {
    /// The HTML templates (pages).
    pub tera: Tera,
    /// The XML templates (feed, sitemap), escaped for XML.
    pub xml: Tera,
    /// Files copied to `assets/` in the output, by name.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// SHA-256 of every template and asset, names included: a page kept
    /// from an earlier render (see `pages::deps`) is only kept under the
    /// same theme.
    pub digest: [u8; 32],
    /// The same of what was compiled: the templates with the site's
    /// words folded in ([`fold_words`]). The live preview compiles again
    /// when a folded word changes, though no theme file did.
    compiled: [u8; 32],
}

/// What `base.html` knows about the theme's optional files, as the global
/// `theme` variable.
#[derive(serde::Serialize)]
struct ThemeView {
    /// `static/extra.css` exists: linked after `style.css`.
    extra_css: bool,
    /// `static/extra.js` exists: loaded (deferred) after the built-in scripts.
    extra_js: bool,
}

/// Loads the built-in theme, then the overrides in `dir` if given.
pub fn load(dir: Option<&Path>, diags: &mut Diagnostics) -> Option<Theme> {
    load_over(dir, diags, None, None)
}

/// As [`load`], returning `earlier` itself when the templates and assets
/// are those it was compiled from: the live preview reads the theme on
/// every save, and compiling it is most of that. With `words`, the
/// catalogue the pages will be rendered with, its plain words are folded
/// into the built-in templates ([`fold_words`]).
pub fn load_over(
    dir: Option<&Path>,
    diags: &mut Diagnostics,
    earlier: Option<Theme>,
    words: Option<&Catalogue>,
) -> Option<Theme> {
    let mut templates: Vec<(String, String)> = TEMPLATES
        .iter()
        .map(|(n, body)| (format!("{BUILTIN_PREFIX}{n}"), body.to_string()))
        .collect();
    let mut assets: BTreeMap<String, Vec<u8>> = STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.as_bytes().to_vec()))
        .collect();

    if let Some(dir) = dir {
        collect_overrides(dir, &mut templates, &mut assets, diags);
    }
    let digest = digest_of(&templates, &assets);
    let folded = words.map(|words| fold_builtin(&templates, words));
    let compiled = match &folded {
        Some(folded) => digest_of(folded, &assets),
        None => digest,
    };
    if let Some(earlier) = earlier.filter(|t| t.compiled == compiled && !diags.has_errors()) {
        return Some(earlier);
    }
    let compiling = match folded {
        // A compile error is reported where the author's file has it:
        // folding moves the columns after each word it folds.
        Some(folded) => {
            compile_both(folded).map_err(|e| compile_both(templates).err().unwrap_or(e))
        }
        None => compile_both(templates),
    };
    let (mut tera, xml) = match compiling {
        Ok(both) => both,
        Err(e) => {
            report_template_error(dir, &e, diags);
            return None;
        }
    };
    let view = ThemeView {
        extra_css: assets.contains_key(EXTRA_CSS),
        extra_js: assets.contains_key(EXTRA_JS),
    };
    tera.global_context().insert("theme", &view);
    Some(Theme {
        tera,
        xml,
        assets,
        digest,
        compiled,
    })
}

/// The HTML templates and the XML ones, each in their Tera instance.
fn compile_both(templates: Vec<(String, String)>) -> Result<(Tera, Tera), tera::Error> {
    let (xml, html): (Vec<_>, Vec<_>) = templates.into_iter().partition(|(n, _)| is_xml(n));
    Ok((
        compile(html, ".html", None)?,
        compile(xml, ".xml", Some(write_xml_escaped))?,
    ))
}

/// `templates` with [`fold_words`] applied to the built-in ones, and to
/// each override that is a built-in template byte for byte (a copy of
/// `themes/default/`); a template a theme changed is left as written,
/// since folding text into a template Tera has not parsed could land in
/// a string literal or a `raw` block.
fn fold_builtin(templates: &[(String, String)], words: &Catalogue) -> Vec<(String, String)> {
    templates
        .iter()
        .map(|(name, body)| {
            let own = name.strip_prefix(BUILTIN_PREFIX).unwrap_or(name);
            let builtin = TEMPLATES.iter().any(|(n, b)| *n == own && *b == body);
            let body = if builtin {
                fold_words(body, words)
            } else {
                body.clone()
            };
            (name.clone(), body)
        })
        .collect()
}

/// `body` with each `{{ t(key="…") }}` whose word reads the same escaped
/// (for HTML and for XML) replaced by the word itself. Every such call
/// made a keyword map, a function call and a lookup on every page, and
/// pages render thousands of them: 6–10 % of a cold build's time at
/// 10,000 entries (issue 27). A word that starts or ends with white
/// space, or holds a brace, is left as a call: folded, it would join the
/// text around it, which Tera's `{%-` and `-%}` trim, or read as a tag.
pub(crate) fn fold_words(body: &str, words: &Catalogue) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find("{{ t(key=") {
        out.push_str(&rest[..at]);
        let call = &rest[at..];
        match folded_call(call, words) {
            Some((word, len)) => {
                out.push_str(word);
                rest = &call[len..];
            }
            None => {
                out.push_str("{{");
                rest = &call[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The word of the call `{{ t(key="K") }}` (or `'K'`) that `text` starts
/// with, and the call's length; `None` when the call takes more, or its
/// word may not be folded.
fn folded_call<'w>(text: &str, words: &'w Catalogue) -> Option<(&'w str, usize)> {
    let after = &text["{{ t(key=".len()..];
    let quote = after.chars().next().filter(|q| matches!(q, '"' | '\''))?;
    let key_len = after[1..].find(quote)?;
    let key = &after[1..1 + key_len];
    let close = "\") }}".len();
    let tail = &after[1 + key_len + 1..];
    let valid_key = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid_key || !tail.starts_with(") }}") {
        return None;
    }
    let word = words.t(key);
    foldable(word).then_some((word, "{{ t(key=".len() + 1 + key_len + close))
}

/// Whether `word` may stand in a template as text: escaping leaves it as
/// it is, and no white space at its ends or brace can join it to a tag.
fn foldable(word: &str) -> bool {
    let mut html = Vec::new();
    let escaped_same = tera::escape_html(word, &mut html).is_ok()
        && html == word.as_bytes()
        && escape(word) == word;
    escaped_same
        && !word.is_empty()
        && word.trim() == word
        && !word.contains(['{', '}'])
        && !word.chars().any(char::is_control)
}

/// The theme's [`Theme::digest`]: each name and its bytes, length-prefixed.
fn digest_of(templates: &[(String, String)], assets: &BTreeMap<String, Vec<u8>>) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let items = templates
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_bytes()))
        .chain(assets.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
    for (name, bytes) in items {
        for part in [name.as_bytes(), bytes] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
    }
    h.finalize().into()
}

fn is_xml(name: &str) -> bool {
    name.ends_with(".xml")
}

/// One Tera instance with the built-in fallback, autoescaping templates
/// named `*{suffix}` with `escape_fn` (Tera's HTML escaping when `None`).
fn compile(
    templates: Vec<(String, String)>,
    suffix: &'static str,
    escape_fn: Option<tera::EscapeFn>,
) -> Result<Tera, tera::Error> {
    let mut tera = Tera::new();
    tera.autoescape_on([suffix]);
    if let Some(f) = escape_fn {
        tera.set_escape_fn(f);
    }
    tera.set_fallback_prefixes([BUILTIN_PREFIX])?;
    // Tera checks at compile time that every function a template calls
    // exists: English stands in until the site's language is known
    // (`pages::set_globals` installs it).
    crate::output::localize::install(
        &mut tera,
        &std::sync::Arc::new(crate::content::i18n::Catalogue::english()),
    );
    tera.add_raw_templates(templates)?;
    Ok(tera)
}

/// Tera's escape hook for the XML templates: the same escaping the rest of
/// the XML output uses, so a feed stays well-formed whatever a title holds.
fn write_xml_escaped(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(escape(input).as_bytes())
}

fn report_template_error(dir: Option<&Path>, e: &tera::Error, diags: &mut Diagnostics) {
    let text = flatten_error(e);
    let base = dir
        .map(|d| d.join("templates"))
        .unwrap_or_else(|| "themes/default/templates".into());
    let (file, pos) = match template_location(&text) {
        Some((name, pos)) => (base.join(name.trim_start_matches(BUILTIN_PREFIX)), pos),
        None => (base, Pos::START),
    };
    let message = text
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches("error: ")
        .to_string();
    diags
        .error(&file, pos, format!("theme template error: {message}"))
        .hint(format!("fix the template; Tera's report follows:\n{text}"));
}

fn collect_overrides(
    dir: &Path,
    templates: &mut Vec<(String, String)>,
    assets: &mut BTreeMap<String, Vec<u8>>,
    diags: &mut Diagnostics,
) {
    if !dir.is_dir() {
        diags
            .error(dir, Pos::START, "theme folder not found")
            .hint("pass --theme DIR with a folder holding templates/ and static/");
        return;
    }
    for (rel, path) in theme_files(&dir.join("templates"), diags) {
        match fs::read_to_string(&path) {
            Ok(body) => templates.push((rel, body)),
            Err(e) => {
                diags.error(&path, Pos::START, format!("cannot read template: {e}"));
            }
        }
    }
    for (rel, path) in theme_files(&dir.join("static"), diags) {
        match fs::read(&path) {
            Ok(bytes) => {
                assets.insert(rel, bytes);
            }
            Err(e) => {
                diags.error(&path, Pos::START, format!("cannot read theme file: {e}"));
            }
        }
    }
}

/// The regular files below `dir` (relative `/`-separated name, path). A
/// theme is published like content, so it keeps content's rule: a symbolic
/// link is never followed (it could carry `/etc/passwd` into `assets/`),
/// only reported. A missing folder is simply no override.
fn theme_files(dir: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    match fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => crate::content::report_symlink(dir, diags),
        Ok(m) if m.is_dir() => collect_files(dir, "", &mut out, diags),
        _ => {}
    }
    out
}

fn collect_files(
    dir: &Path,
    prefix: &str,
    out: &mut Vec<(String, PathBuf)>,
    diags: &mut Diagnostics,
) {
    for (name, path, ty) in crate::content::sorted_dir(dir, diags) {
        let rel = format!("{prefix}{name}");
        if ty.is_dir() {
            collect_files(&path, &format!("{rel}/"), out, diags);
        } else if ty.is_file() {
            out.push((rel, path));
        }
    }
}

/// Tera reports `--> name:line:col` in its message; we want it as a
/// position so the error reads like every other one.
fn template_location(text: &str) -> Option<(String, Pos)> {
    let at = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = at.trim().rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?.to_string(), Pos::new(line, col)))
}

/// Tera errors nest their causes; authors want the whole chain on one line.
pub fn flatten_error(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        src = s.source();
    }
    parts.join(": ")
}

/// A theme folder in `dir` with one template, `name`, of `text`: for tests
/// that need a page to show more, or to fail on some data.
#[cfg(test)]
pub(crate) fn theme_with_template(dir: &Path, name: &str, text: &str) -> PathBuf {
    let templates = dir.join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join(name), text).unwrap();
    dir.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The live preview keeps its compiled theme while the theme's files
    /// are unchanged, and compiles again after any edit to one.
    #[test]
    fn an_earlier_theme_is_taken_only_while_its_files_are_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let templates = dir.path().join("templates");
        fs::create_dir_all(&templates).unwrap();
        fs::create_dir_all(dir.path().join("static")).unwrap();
        fs::write(templates.join("footer-note.html"), "first").unwrap();
        let mut diags = Diagnostics::default();
        let first = load(Some(dir.path()), &mut diags).expect("a theme");
        let digest = first.digest;
        // Marked, to tell the very value from a fresh compile.
        let mut first = first;
        first.assets.insert("marker".into(), Vec::new());
        let same = load_over(Some(dir.path()), &mut diags, Some(first), None).unwrap();
        assert!(same.assets.contains_key("marker"), "taken again");
        fs::write(templates.join("footer-note.html"), "second").unwrap();
        let changed = load_over(Some(dir.path()), &mut diags, Some(same), None).unwrap();
        assert!(!changed.assets.contains_key("marker"), "compiled again");
        assert_ne!(changed.digest, digest);
        assert!(!diags.has_errors(), "{diags:?}");
    }

    /// A team's words that escaping, white space or braces would change
    /// stay calls; the rest become text, and the page reads the same.
    fn team_words() -> Catalogue {
        let words = concat!(
            "plain = Plain words\n",
            "padded = {\" \"}Padded{\" \"}\n",
            "amp = R & D\n",
            "quote = Owner's\n",
            "brace = a {\"{\"} b\n",
        );
        Catalogue::new(&crate::model::Locale {
            language: Some("de".into()),
            long_dates: false,
            translations: Some(("de.ftl".into(), words.into())),
        })
    }

    #[test]
    fn folded_words_render_as_the_calls_they_replace() {
        let words = team_words();
        let template = concat!(
            "<p title=\"{{ t(key=\"plain\") }}\">",
            "{% if true -%}  {{ t(key='plain') }}  {%- endif %}|",
            "{% if true -%}{{ t(key=\"padded\") }}{%- endif %}|",
            "{{ t(key=\"amp\") }}|{{ t(key=\"quote\") }}|{{ t(key=\"brace\") }}|",
            "{{ t(key=\"no-such-key\") }}|{{ t(key=\"nav-register\") }}|",
            "{{ t(key=\"days-ago\", count=2) }}|{{t(key=\"plain\")}}|{{- t(key=\"plain\") }}</p>",
        );
        let folded = fold_words(template, &words);
        for call in [
            "{{ t(key=\"plain\") }}",
            "{{ t(key='plain') }}",
            "\"no-such-key\"",
            "nav-register",
        ] {
            assert!(!folded.contains(call), "{call} folded: {folded}");
        }
        for call in [
            "padded", "amp", "quote", "brace", "days-ago", "{{t(", "{{- t(",
        ] {
            assert!(folded.contains(call), "{call} left a call: {folded}");
        }
        let render = |body: &str| {
            let mut tera = Tera::new();
            tera.autoescape_on([".html"]);
            crate::output::localize::install(&mut tera, &std::sync::Arc::new(team_words()));
            tera.add_raw_template("t.html", body).unwrap();
            tera.render("t.html", &tera::Context::new()).unwrap()
        };
        let page = render(template);
        assert_eq!(render(&folded), page);
        assert!(page.contains(">Plain words|"), "{page}");
        assert!(page.contains("| Padded |R &amp; D|Owner&#39;s|"), "{page}");
        assert!(
            page.contains("|Register|"),
            "German for the register: {page}"
        );
    }

    /// Only the built-in templates, and copies of them, are folded: a
    /// theme's own template could hold the call in a string or `raw`.
    #[test]
    fn only_built_in_templates_are_folded() {
        let (name, body) = TEMPLATES.iter().find(|(n, _)| *n == "entry.html").unwrap();
        let changed = format!("{body}{{# ours #}}");
        let templates = vec![
            (format!("{BUILTIN_PREFIX}{name}"), body.to_string()),
            (name.to_string(), body.to_string()),
            ("other.html".to_string(), changed.clone()),
        ];
        let folded = fold_builtin(&templates, &team_words());
        assert!(!folded[0].1.contains("t(key=\"col-status\")"));
        assert!(!folded[1].1.contains("t(key=\"col-status\")"));
        assert_eq!(folded[2].1, changed);
    }
}
