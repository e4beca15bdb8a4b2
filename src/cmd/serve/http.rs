//! The HTTP side of the preview server as plain functions: which file a URL
//! names, its content type, and what is added to served HTML. Kept apart
//! from sockets so each rule is tested on its own.

use crate::output::markup::escape;

/// The paths the server answers itself; `__isms` cannot be a site path
/// because the site never writes a folder of that name.
pub const EVENTS: &str = "/__isms/events";
pub const LIVE_JS: &str = "/__isms/live.js";

#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// The Server-Sent Events stream that tells pages to reload.
    Events,
    /// The live-reload script.
    LiveScript,
    /// A site file, by its `/`-separated path below the site root.
    File(String),
    /// A folder asked for without its trailing slash: where to go instead.
    Redirect(String),
    /// Nothing there; the decoded path, for the 404 page.
    NotFound(String),
    /// Not a path that can name a file of the site (`..`, NUL, bad escapes).
    BadRequest,
}

/// Resolves a request target (path and query) against the site's files.
/// Only files the site holds can ever be answered: the path is looked up,
/// never joined onto a folder, so `..` (encoded or not) cannot escape.
pub fn route(target: &str, exists: impl Fn(&str) -> bool) -> Route {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let path = path.split('#').next().unwrap_or("");
    match path {
        EVENTS => return Route::Events,
        LIVE_JS => return Route::LiveScript,
        _ => {}
    }
    let Some(decoded) = percent_decode(path) else {
        return Route::BadRequest;
    };
    let Some(rel) = site_path(&decoded) else {
        return Route::BadRequest;
    };
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return if exists(&index) {
            Route::File(index)
        } else {
            Route::NotFound(decoded)
        };
    }
    if exists(&rel) {
        return Route::File(rel);
    }
    if exists(&format!("{rel}/index.html")) {
        let mut to = format!("{path}/");
        if let Some(q) = query {
            to.push('?');
            to.push_str(q);
        }
        return Route::Redirect(to);
    }
    Route::NotFound(decoded)
}

/// The site-relative form of a decoded URL path, or `None` when a segment
/// is `.` or `..`, or a character could name something outside the site.
fn site_path(decoded: &str) -> Option<String> {
    let rest = decoded.strip_prefix('/')?;
    if rest.contains(['\\', '\0']) {
        return None;
    }
    let mut segments: Vec<&str> = rest.split('/').collect();
    let trailing = segments.last() == Some(&"");
    if trailing {
        segments.pop();
    }
    if segments
        .iter()
        .any(|s| s.is_empty() || *s == "." || *s == "..")
    {
        return None;
    }
    let mut rel = segments.join("/");
    if trailing && !rel.is_empty() {
        rel.push('/');
    }
    Some(rel)
}

/// `%XX` escapes decoded; `None` for a malformed escape or invalid UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Content type by file extension; what browsers need to render or offer
/// each kind of file the site or its evidence folder can hold.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" | "log" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "zip" => "application/zip",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

pub fn is_html(path: &str) -> bool {
    content_type(path).starts_with("text/html")
}

/// Inserts `snippet` before the last `</body>`, or appends it.
pub fn inject(html: &[u8], snippet: &str) -> Vec<u8> {
    let at = find_last_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// What every served HTML page gets: the error overlay while the content
/// has errors, and the live-reload script, which knows the build it was
/// served from so it reloads when a newer one exists.
pub fn live_snippet(build_tag: &str, problems: Option<&Problems>) -> String {
    let mut s = String::new();
    if let Some(p) = problems {
        s.push_str(&overlay(p));
    }
    s.push_str(&format!(
        "<script src=\"{LIVE_JS}\" data-build=\"{}\" async></script>",
        escape(build_tag)
    ));
    s
}

/// The last build's problems, as shown in the browser.
pub struct Problems {
    pub errors: usize,
    /// `path:line:column: message` lines with their hints.
    pub text: String,
}

/// Inline styles only: the overlay must look the same whatever the theme's
/// stylesheet does, and must show without JavaScript.
fn overlay(p: &Problems) -> String {
    let noun = if p.errors == 1 { "error" } else { "errors" };
    format!(
        concat!(
            "<div id=\"isms-live-errors\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;",
            "max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;",
            "background:#fff4f4;color:#3b0000;border-top:4px solid #b00020;",
            "font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;",
            "box-shadow:0 -4px 16px rgba(0,0,0,.25)\">",
            "<p style=\"margin:0 0 .5rem;font-weight:bold\">The content has {n} {noun}. ",
            "Until they are fixed the preview shows the last good build. ",
            "Save a fix and this page reloads.</p>",
            "<pre style=\"margin:0;white-space:pre-wrap;color:inherit;background:none\">{text}</pre>",
            "</div>"
        ),
        n = p.errors,
        noun = noun,
        text = escape(&p.text)
    )
}

/// A 404 page that says what was asked for and where to go.
pub fn not_found_page(path: &str) -> String {
    format!(
        concat!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
            "<title>Not found</title></head><body style=\"font-family:sans-serif;margin:2rem\">",
            "<h1>Not found</h1><p>The site has no file <code>{p}</code>.</p>",
            "<p>Pages are at <code>…/index.html</code>; entries at ",
            "<code>register/&lt;id&gt;/index.html</code>.</p>",
            "<p><a href=\"/index.html\">Dashboard</a> · <a href=\"/register/index.html\">Register</a></p>",
            "</body></html>\n"
        ),
        p = escape(path)
    )
}

/// A placeholder page for when no build has succeeded yet, so the overlay
/// has somewhere to show.
pub fn no_site_page() -> &'static str {
    concat!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<title>No site yet</title></head><body style=\"font-family:sans-serif;margin:2rem\">",
        "<h1>No site yet</h1><p>The content has errors, so nothing has been built. ",
        "Fix them and save; this page reloads.</p></body></html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str) -> bool {
        matches!(
            path,
            "index.html" | "register/index.html" | "register/CI-001/index.html" | "a b.txt"
        )
    }

    #[test]
    fn folders_and_files_resolve() {
        assert_eq!(route("/", site), Route::File("index.html".into()));
        assert_eq!(
            route("/register/", site),
            Route::File("register/index.html".into())
        );
        assert_eq!(
            route("/register/CI-001/index.html?x=1", site),
            Route::File("register/CI-001/index.html".into())
        );
        assert_eq!(
            route("/register?status=open", site),
            Route::Redirect("/register/?status=open".into())
        );
        assert_eq!(route("/a%20b.txt", site), Route::File("a b.txt".into()));
        assert_eq!(
            route("/nope.html", site),
            Route::NotFound("/nope.html".into())
        );
        assert_eq!(route(EVENTS, site), Route::Events);
    }

    #[test]
    fn traversal_is_refused_encoded_or_not() {
        for t in [
            "/../etc/passwd",
            "/register/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%2f..%2fetc/passwd",
            "/register/..%5c..%5cCargo.toml",
            "/%00",
            "/%zz",
            "//etc/passwd",
            "/./index.html",
        ] {
            assert_eq!(route(t, |_| true), Route::BadRequest, "{t}");
        }
    }

    #[test]
    fn types_cover_what_the_site_writes() {
        assert_eq!(content_type("charts/a.svg"), "image/svg+xml");
        assert_eq!(content_type("register.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("register.json"), "application/json");
        assert_eq!(content_type("assets/x.WOFF2"), "font/woff2");
        assert_eq!(content_type("evidence/blob"), "application/octet-stream");
    }

    #[test]
    fn snippet_goes_before_the_last_body_end_and_escapes_problems() {
        let p = Problems {
            errors: 1,
            text: "register/x.yaml:1:1: <script>".into(),
        };
        let page = inject(
            b"<html><BODY>a</Body></html>",
            &live_snippet("9.3", Some(&p)),
        );
        let page = String::from_utf8(page).unwrap();
        assert!(page.ends_with("data-build=\"9.3\" async></script></Body></html>"));
        assert!(page.contains("register/x.yaml:1:1: &lt;script&gt;"));
        assert!(page.contains("has 1 error."));
        assert_eq!(inject(b"plain", "+"), b"plain+");
    }
}
