//! A theme overrides a part, not the whole: one block of `base.html`, an
//! added `extra.css` / `extra.js`, or the feed and sitemap templates — and
//! everything it does not override stays the built-in theme's.

use std::fs;
use std::path::{Path, PathBuf};

use crate::tools;
use tools::{build_in as build, copy_dir, root_dir};

/// A theme folder holding `files` (relative path, text).
fn theme_with(dir: &Path, files: &[(&str, &str)]) -> PathBuf {
    let theme = dir.join("mytheme");
    for (rel, text) in files {
        let p = theme.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    theme
}

/// The demo content with `base_url` set (so the feed and sitemap are
/// written) and the title `title`.
fn demo_with_base_url(dir: &Path, title: &str) -> PathBuf {
    let content = dir.join("content");
    copy_dir(&root_dir().join("content"), &content);
    let site = content.join("site.yaml");
    let text = fs::read_to_string(&site).unwrap();
    let (first, rest) = text.split_once('\n').unwrap();
    assert!(
        first.starts_with("title:"),
        "site.yaml starts with its title"
    );
    let title = serde_json::to_string(title).unwrap();
    fs::write(
        &site,
        format!("title: {title}\nbase_url: https://intranet.example/isms/\n{rest}"),
    )
    .unwrap();
    content
}

/// Every HTML page below `out`, relative, sorted.
fn pages(out: &Path) -> Vec<String> {
    fn walk(dir: &Path, prefix: &str, acc: &mut Vec<String>) {
        for e in fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let name = format!("{prefix}{}", e.file_name().to_string_lossy());
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &format!("{name}/"), acc);
            } else if name.ends_with(".html") && !name.starts_with("evidence/") {
                acc.push(name);
            }
        }
    }
    let mut acc = Vec::new();
    walk(out, "", &mut acc);
    acc.sort();
    assert!(acc.len() > 20, "the demo has many pages: {acc:?}");
    acc
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

/// The page with its `<footer class="site-footer">…</footer>` replaced.
fn with_footer(page: &str, footer: &str) -> String {
    let start = page.find("<footer class=\"site-footer\">").unwrap();
    let end = page[start..].find("</footer>").unwrap() + start + "</footer>".len();
    format!("{}{footer}{}", &page[..start], &page[end..])
}

#[test]
fn a_theme_overrides_only_the_footer_block() {
    let tmp = tempfile::tempdir().unwrap();
    let content = root_dir().join("content");
    let plain = build(&tmp.path().join("plain"), &content, None);
    let footer = "<footer class=\"mine\">Kept by {{ site.organization }}</footer>";
    let theme = theme_with(
        tmp.path(),
        &[(
            "templates/base.html",
            &format!(
                "{{% extends \"builtin/base.html\" %}}{{% block footer %}}{footer}{{% endblock footer %}}"
            ),
        )],
    );
    let themed = build(&tmp.path().join("themed"), &content, Some(&theme));
    let rendered = "<footer class=\"mine\">Kept by Acme Ltd</footer>";
    for rel in pages(&plain) {
        // Everything but the footer is the built-in page, byte for byte:
        // header, nav, the page's own main block and scripts included.
        assert_eq!(
            read(&themed, &rel),
            with_footer(&read(&plain, &rel), rendered),
            "{rel}"
        );
    }
}

#[test]
fn extra_css_and_js_are_linked_on_every_page_after_the_built_in_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let content = root_dir().join("content");
    let css = ".site-header { background: #036; }\n";
    let js = "document.documentElement.dataset.theme = 'mine';\n";
    let theme = theme_with(
        tmp.path(),
        &[("static/extra.css", css), ("static/extra.js", js)],
    );
    let out = build(&tmp.path().join("themed"), &content, Some(&theme));
    assert_eq!(read(&out, "assets/extra.css"), css);
    assert_eq!(read(&out, "assets/extra.js"), js);
    // style.css is still the built-in one: the theme did not copy it.
    assert!(read(&out, "assets/style.css").len() > 1000);
    for rel in pages(&out) {
        let page = read(&out, &rel);
        let root = "../".repeat(rel.matches('/').count());
        let style = format!("<link rel=\"stylesheet\" href=\"{root}assets/style.css\">");
        let extra = format!("<link rel=\"stylesheet\" href=\"{root}assets/extra.css\">");
        let (s, e) = (page.find(&style), page.find(&extra));
        assert!(
            s.is_some() && e.is_some() && s < e,
            "{rel}: extra.css linked after style.css"
        );
        assert!(e < page.find("</head>"), "{rel}: in the head");
        let search = format!("<script src=\"{root}assets/search.js\"></script>");
        let extra_js = format!("<script src=\"{root}assets/extra.js\" defer></script>");
        let (s, e) = (page.rfind(&search), page.rfind(&extra_js));
        assert!(
            s.is_some() && e.is_some() && s < e,
            "{rel}: extra.js loaded after the built-in scripts"
        );
        let last_script = page.rfind("<script").unwrap();
        assert_eq!(Some(last_script), e, "{rel}: extra.js comes last");
    }
}

#[test]
fn without_extra_files_no_page_links_them() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build(tmp.path(), &root_dir().join("content"), None);
    assert!(!out.join("assets/extra.css").exists());
    for rel in pages(&out) {
        let page = read(&out, &rel);
        assert!(!page.contains("extra.css"), "{rel}");
        assert!(!page.contains("extra.js"), "{rel}");
    }
}

#[test]
fn the_feed_template_escapes_for_xml_exactly_once() {
    let tmp = tempfile::tempdir().unwrap();
    let content = demo_with_base_url(tmp.path(), "R&D's <Register> \"CIR\"");
    let out = build(tmp.path(), &content, None);
    let feed = read(&out, "feed.xml");
    assert!(
        feed.starts_with(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  \
             <title>R&amp;D&apos;s &lt;Register&gt; &quot;CIR&quot;</title>\n"
        ),
        "{feed}"
    );
    assert!(feed.contains(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"https://intranet.example/isms/feed.xml\"/>\n"
    ));
    assert_eq!(feed.matches("<entry>").count(), 50, "the newest 50 changes");
    assert!(feed.ends_with("  </entry>\n</feed>\n"));
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  \
         <url><loc>https://intranet.example/isms/controls/10-1/index.html</loc></url>\n"
    ));
    assert_eq!(
        sitemap.matches("<url>").count(),
        pages(&out).len(),
        "every page listed"
    );
}

#[test]
fn a_theme_overrides_the_feed_template_and_keeps_the_sitemap() {
    let tmp = tempfile::tempdir().unwrap();
    let content = demo_with_base_url(tmp.path(), "Tom & Jerry's ISMS");
    let plain = build(&tmp.path().join("plain"), &content, None);
    let feed = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>{{ title }}</title>\
                {% for e in entries %}<item><link>{{ e.url }}</link></item>{% endfor %}</channel></rss>\n";
    let theme = theme_with(tmp.path(), &[("templates/feed.xml", feed)]);
    let themed = build(&tmp.path().join("themed"), &content, Some(&theme));
    let got = read(&themed, "feed.xml");
    assert!(
        got.starts_with(
            "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Tom &amp; Jerry&apos;s ISMS</title><item><link>https://intranet.example/isms/"
        ),
        "{got}"
    );
    assert_eq!(got.matches("<item>").count(), 50);
    assert_eq!(read(&themed, "sitemap.xml"), read(&plain, "sitemap.xml"));
}

#[test]
fn the_default_theme_folder_builds_the_same_site_as_the_built_in_theme() {
    let tmp = tempfile::tempdir().unwrap();
    let content = demo_with_base_url(tmp.path(), "Acme & Sons' <Register>");
    let builtin = build(&tmp.path().join("builtin"), &content, None);
    let folder = build(
        &tmp.path().join("folder"),
        &content,
        Some(&root_dir().join("themes/default")),
    );
    for rel in pages(&builtin)
        .into_iter()
        .chain(["feed.xml".into(), "sitemap.xml".into()])
    {
        assert_eq!(read(&builtin, &rel), read(&folder, &rel), "{rel}");
    }
}

#[test]
fn a_block_can_keep_the_built_in_content_and_one_page_kind_can_differ() {
    let tmp = tempfile::tempdir().unwrap();
    let theme = theme_with(
        tmp.path(),
        &[
            (
                "templates/base.html",
                "{% extends \"builtin/base.html\" %}{% block nav %}{{ super() }}<p class=\"notice\">Internal</p>{% endblock nav %}",
            ),
            (
                "templates/entry.html",
                "{% extends \"builtin/entry.html\" %}{% block extra_head %}<link rel=\"stylesheet\" href=\"{{ root }}assets/entry-print.css\" media=\"print\">\n{% endblock extra_head %}",
            ),
        ],
    );
    let out = build(tmp.path(), &root_dir().join("content"), Some(&theme));
    let print =
        "<link rel=\"stylesheet\" href=\"../../assets/entry-print.css\" media=\"print\">\n</head>";
    for rel in pages(&out) {
        let page = read(&out, &rel);
        assert!(
            page.contains("</ul>\n  </nav><p class=\"notice\">Internal</p>\n  <form"),
            "{rel}: the built-in nav, then the theme's notice"
        );
        let is_entry = rel.starts_with("register/") && rel != "register/index.html";
        assert_eq!(
            page.contains(print),
            is_entry,
            "{rel}: print css on entries only"
        );
        if is_entry {
            // The built-in entry page is still there around the new link.
            assert!(page.contains("<main id=\"main\">"), "{rel}");
            assert!(page.contains("<footer class=\"site-footer\">"), "{rel}");
        }
    }
}

/// Issue 27: the built-in templates take the site's plain words as text
/// when compiled, rather than calling `t` for them on every page. A copy
/// of the default theme with a comment added to each template is not
/// folded (only built-in templates and exact copies are): it must build
/// the very same files, in English, in German with a team's words that
/// escaping, white space or a brace would change, and in Japanese.
#[test]
fn templates_with_their_words_folded_in_build_the_same_files() {
    let tmp = tempfile::tempdir().unwrap();
    let unfolded = tmp.path().join("unfolded");
    copy_dir(&root_dir().join("themes/default"), &unfolded);
    let templates = unfolded.join("templates");
    for rel in ["", "partials/"] {
        for e in fs::read_dir(templates.join(rel))
            .unwrap()
            .map(Result::unwrap)
        {
            if e.file_type().unwrap().is_file() {
                let mut text = fs::read_to_string(e.path()).unwrap();
                text.push_str("{# not folded #}");
                fs::write(e.path(), text).unwrap();
            }
        }
    }
    let team_words = concat!(
        "nav-register = Register & Log\n",
        "col-status = {\" \"}Status{\" \"}\n",
        "nav-plans = Owner's plans\n",
        "col-priority = {\"{\"}Priority{\"}\"}\n",
        "history = Verlauf\n",
    );
    for (name, site_yaml, words) in [
        ("en", "", None),
        ("de", "language: de\n", Some(team_words)),
        ("ja", "language: ja\ndate_format: long\n", None),
    ] {
        let dir = tmp.path().join(name);
        let content = demo_with_base_url(&dir, "Acme & Sons' <Register>");
        let site = content.join("site.yaml");
        let mut text = fs::read_to_string(&site).unwrap();
        text.push_str(site_yaml);
        fs::write(&site, text).unwrap();
        if let Some(words) = words {
            fs::create_dir_all(content.join("translations")).unwrap();
            fs::write(content.join("translations/de.ftl"), words).unwrap();
        }
        let folded = tools::site_files(&build(&dir.join("folded"), &content, None));
        let plain = tools::site_files(&build(&dir.join("plain"), &content, Some(&unfolded)));
        assert_eq!(
            folded.keys().collect::<Vec<_>>(),
            plain.keys().collect::<Vec<_>>(),
            "{name}"
        );
        for (rel, bytes) in &folded {
            assert!(bytes == &plain[rel], "{name}: {rel} differs");
        }
        if words.is_some() {
            let index = String::from_utf8(folded["index.html"].clone()).unwrap();
            assert!(index.contains(">Register &amp; Log</a>"), "{index}");
            let entry = String::from_utf8(folded["register/CI-001/index.html"].clone()).unwrap();
            assert!(entry.contains("Verlauf"));
        }
    }
}
