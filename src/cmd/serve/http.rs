//! The HTTP side of the preview server as plain functions: which file a URL
//! names, its content type, and what is added to served HTML. Kept apart
//! from sockets so each rule is tested on its own.

use crate::output::markup::escape;
use std::net::IpAddr;

/// The paths the server answers itself; `__isms` cannot be a site path
/// because the site never writes a folder of that name.
pub const EVENTS: &str = "/__isms/events";
pub const LIVE_JS: &str = "/__isms/live.js";

/// Headers on every answer. `Cross-Origin-Resource-Policy: same-origin`:
/// a page of another site cannot load the site's files as its own
/// resources (`<script src="http://127.0.0.1:1111/search-index.js">` would
/// otherwise hand it the register); `nosniff`: a file is only ever read as
/// its own type.
pub const SAME_ORIGIN_HEADERS: &str =
    "X-Content-Type-Options: nosniff\r\nCross-Origin-Resource-Policy: same-origin\r\n";

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
    let Some(decoded) = percent_decode_strict(path) else {
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

/// The longest `page` an events stream may name, as sent (a tab's path,
/// encoded twice): longer is refused, so no stream holds an unbounded string.
pub const MAX_PAGE: usize = 2048;

/// The page an events stream announces builds of: `/__isms/events?page=P`,
/// where P is the tab's `location.pathname` (itself percent-encoded, so P
/// is decoded once here and once more by [`route`], as the page's own
/// request was). `Ok(None)` without `page` (an older tab's script, curl):
/// that stream announces generations. `Err` holds why it is refused (a
/// fixed text: the value is never echoed).
pub fn events_page(target: &str) -> Result<Option<String>, &'static str> {
    let query = target
        .split('#')
        .next()
        .and_then(|t| t.split_once('?'))
        .map(|(_, q)| q)
        .unwrap_or("");
    let mut pages = query.split('&').filter_map(|p| p.strip_prefix("page="));
    let Some(raw) = pages.next() else {
        return Ok(None);
    };
    if pages.next().is_some() {
        return Err("name one page\n");
    }
    if raw.len() > MAX_PAGE {
        return Err("the page named is too long\n");
    }
    let page = percent_decode_strict(raw).ok_or("the page named is not a path of this site\n")?;
    let pathname = page.starts_with('/') && !page.contains(['?', '#']);
    match route(&page, |_| false) {
        Route::NotFound(_) if pathname => Ok(Some(page)),
        _ => Err("the page named is not a path of this site\n"),
    }
}

/// What a tab at some path shows, as far as its build tag goes.
pub enum Shown<'a> {
    /// A file of the site: its path and bytes (before the snippet).
    File(&'a str, &'a [u8]),
    /// A redirect, to where.
    Redirect(&'a str),
    /// The 404 page of this decoded path.
    NotFound(&'a str),
    /// The placeholder while no build has succeeded.
    NoSite,
    /// A target answered with 400, or one of the server's own paths.
    Other,
}

/// A digest of everything a tab shows: the page, the theme's files every
/// page loads, the evidence copies it shows and the data its own script
/// draws it from (`assets`: a stylesheet
/// edit or a new copy of an image changes no page's bytes), and
/// what [`live_snippet`] adds (problems, warnings, notice). Equal digests
/// mean the tab would look the same after a reload, so it is not told to.
/// SipHash (std's): not for security, only change detection within one run.
pub fn page_digest<'a>(
    shown: Shown,
    assets: impl Iterator<Item = (&'a str, &'a [u8])>,
    problems: Option<&Problems>,
    warnings: Option<&str>,
    notice: Option<&str>,
) -> PageDigest {
    use std::hash::{Hash, Hasher};
    let mut frame = std::hash::DefaultHasher::new();
    let mut main = std::hash::DefaultHasher::new();
    match shown {
        Shown::File(path, bytes) => {
            (0u8, path).hash(&mut frame);
            match swappable_parts(bytes) {
                Some(parts) => {
                    parts.frame.hash(&mut frame);
                    parts.main.hash(&mut main);
                }
                None => bytes.hash(&mut frame),
            }
        }
        Shown::Redirect(to) => (1u8, to).hash(&mut frame),
        Shown::NotFound(path) => (2u8, path).hash(&mut frame),
        Shown::NoSite => 3u8.hash(&mut frame),
        Shown::Other => 4u8.hash(&mut frame),
    }
    for asset in assets {
        asset.hash(&mut frame);
    }
    // Ends the list: an asset's bytes cannot pass for what follows.
    u8::MAX.hash(&mut frame);
    problems.map(|p| (p.errors, &p.text)).hash(&mut frame);
    (warnings, notice).hash(&mut frame);
    PageDigest {
        frame: frame.finish(),
        main: main.finish(),
    }
}

/// A page's digest in two parts: its `<main>` element with its title
/// text, which the live script may put in place without a reload (see
/// `live.js`), and everything else, whose change means a reload. Shown as
/// `FRAME-MAIN` in hex, so the script compares the frames.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageDigest {
    pub frame: u64,
    pub main: u64,
}

impl std::fmt::Display for PageDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016x}-{:016x}", self.frame, self.main)
    }
}

/// A page cut into the part a tab may swap in place and the rest.
#[derive(Debug, PartialEq)]
struct Parts<'a> {
    /// The title's text, then the `<main>` element.
    main: [&'a [u8]; 2],
    /// Up to the title's text, from it to `<main`, after `</main>`.
    frame: [&'a [u8]; 3],
}

/// `page`'s [`Parts`]: the text of its first `<title>`, and from its
/// first `<main` to the end of its last `</main>`, the title first. `None`
/// (the whole page is frame: any change reloads) for a page without them,
/// as a theme may write. Content cannot fake either tag: its text is
/// escaped, and raw HTML in Markdown is kept as text.
fn swappable_parts(page: &[u8]) -> Option<Parts<'_>> {
    let find = |from: usize, needle: &[u8]| {
        page.get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|at| from + at)
    };
    let title = find(0, b"<title>")? + b"<title>".len();
    let title_end = find(title, b"</title>")?;
    let main = find(title_end, b"<main")?;
    if !matches!(page.get(main + 5), Some(b'>' | b' ')) {
        return None;
    }
    let main_end = find_last_ci(page, b"</main>")? + b"</main>".len();
    (main_end > main).then_some(Parts {
        main: [&page[title..title_end], &page[main..main_end]],
        frame: [&page[..title], &page[title_end..main], &page[main_end..]],
    })
}

/// The evidence copies a page shows: the site paths of its `src="…"`
/// attributes under `evidence/` (after any `../`; each up to the next
/// quote, space, `<`, `>`, `?` or `#`, unescaped). Markdown's
/// `![](evidence/…)` is such an image: a new copy leaves the page's bytes
/// as they were, so its tag takes these files' bytes too. Only what the
/// page shows: a linked file (a PDF of some MB) is not read at each
/// request of the page.
pub fn evidence_shown(page: &[u8]) -> impl Iterator<Item = String> + '_ {
    const AT: &[u8] = b"evidence/";
    page.windows(AT.len())
        .enumerate()
        .filter(|(_, w)| *w == AT)
        .filter(|(at, _)| {
            let mut before = &page[..*at];
            while let Some(up) = before.strip_suffix(b"../") {
                before = up;
            }
            before.ends_with(b"src=\"")
        })
        .filter_map(move |(at, _)| {
            let rest = &page[at..];
            let end = rest
                .iter()
                .position(|b| b"\"'<>?#".contains(b) || b.is_ascii_whitespace())
                .unwrap_or(rest.len());
            let named = std::str::from_utf8(&rest[..end]).ok()?;
            percent_decode_strict(&named.replace("&amp;", "&"))
        })
}

/// The data files a page's own script may draw it from: the register's
/// rows, which the register page's filters and sorting show (over every
/// entry, not only the 200 rows of its own bytes).
pub const SCRIPT_DATA: [&str; 1] = ["register-rows.json"];

/// Whether `page` runs a script of its own: any `<script>` but the site
/// search's (`…assets/search.js`), which keeps to the header. What such a
/// page shows may come from [`SCRIPT_DATA`], not its bytes: its tag takes
/// those too.
pub fn runs_own_script(page: &[u8]) -> bool {
    const TAG: &[u8] = b"<script";
    page.windows(TAG.len())
        .enumerate()
        .filter(|(_, w)| w.eq_ignore_ascii_case(TAG))
        .any(|(at, _)| {
            let rest = &page[at..];
            let open = &rest[..rest.iter().position(|b| *b == b'>').unwrap_or(rest.len())];
            !open
                .windows(b"assets/search.js\"".len())
                .any(|w| w == b"assets/search.js\"")
        })
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

/// `%XX` escapes decoded; `None` for a malformed escape (a `%` without
/// two hex digits) or invalid UTF-8 (strict: a request path names a file
/// to serve, so it must mean one thing).
fn percent_decode_strict(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let well_formed = bytes.iter().enumerate().all(|(i, b)| {
        *b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(s).decode_utf8().ok()?;
    Some(decoded.into_owned())
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
        "xhtml" | "xht" => "application/xhtml+xml",
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

/// Whether a browser opening this file runs its scripts: HTML, XHTML, SVG
/// and XML (which can embed XHTML or pull in XSLT). Evidence of these kinds
/// is an author's upload, not the site's own page, so it is served in a
/// sandbox ([`evidence_is_sandboxed`]): its scripts then run on an opaque
/// origin and cannot read the register.
fn runs_script(kind: &str) -> bool {
    let mime = kind.split(';').next().unwrap_or("").trim();
    matches!(
        mime,
        "text/html" | "application/xhtml+xml" | "image/svg+xml" | "application/xml" | "text/xml"
    )
}

/// Evidence files that get `Content-Security-Policy: sandbox`.
pub fn evidence_is_sandboxed(path: &str) -> bool {
    path.starts_with("evidence/") && runs_script(content_type(path))
}

/// The most a request line and its headers may take; more is refused with
/// 431 so one client cannot make the server hold an unbounded header.
pub const MAX_HEAD: usize = 16 * 1024;

/// What the server needs from a request head.
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub host: Option<String>,
    pub origin: Option<String>,
}

/// The length of the head (through its blank line) if `buf` holds all of it.
pub fn head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

/// Parses a complete request head; `None` when it is not HTTP/1.x.
pub fn parse_head(head: &[u8]) -> Option<Head> {
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text.split("\r\n");
    let mut parts = lines.next()?.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !version.starts_with("HTTP/1.") || method.is_empty() {
        return None;
    }
    let mut parsed = Head {
        method: method.to_string(),
        target: target.to_string(),
        host: None,
        origin: None,
    };
    for line in lines.take_while(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':')?;
        let slot = match name.to_ascii_lowercase().as_str() {
            "host" => &mut parsed.host,
            "origin" => &mut parsed.origin,
            _ => continue,
        };
        if slot.is_some() {
            return None; // two Host headers: which one the browser meant is unknowable
        }
        *slot = Some(value.trim().to_string());
    }
    Some(parsed)
}

/// Who may be answered. A page on another site can point its own domain
/// name at 127.0.0.1 (DNS rebinding) and then read the preview as if it
/// were its own; the browser still sends that domain as `Host`. So only
/// names that cannot be rebound are answered: loopback names, the address
/// the server is bound to, and the names the user allowed.
pub struct HostRule {
    /// The `--bind` address; unspecified (`0.0.0.0`, `::`) means every
    /// address of this machine, so any IP literal.
    pub bound: IpAddr,
    /// `--allow-host` names, lower case.
    pub allowed: Vec<String>,
}

impl HostRule {
    pub fn allows(&self, host_header: &str) -> bool {
        let Some(name) = host_name(host_header) else {
            return false;
        };
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        if let Ok(ip) = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            return ip.is_loopback() || ip == self.bound || self.bound.is_unspecified();
        }
        self.allowed.contains(&name)
    }

    /// The events stream is for this site's own pages: a browser sends
    /// `Origin` with cross-origin requests, and it must name this host.
    pub fn allows_origin(&self, origin: Option<&str>, host_header: &str) -> bool {
        let Some(origin) = origin else { return true };
        let authority = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        authority.is_some_and(|a| a.eq_ignore_ascii_case(host_header))
    }
}

/// The host name of a `Host` header without its port, lower case and
/// without a trailing dot; `None` when it is not a plain `name[:port]`.
pub(super) fn host_name(header: &str) -> Option<String> {
    let header = header.trim().to_ascii_lowercase();
    let name = if header.starts_with('[') {
        let end = header.find(']')?;
        let rest = &header[end + 1..];
        if !(rest.is_empty() || is_port(rest.strip_prefix(':')?)) {
            return None;
        }
        header[..=end].to_string()
    } else {
        match header.rsplit_once(':') {
            Some((n, port)) if is_port(port) => n.to_string(),
            Some(_) => return None,
            None => header,
        }
    };
    let name = name.strip_suffix('.').unwrap_or(&name).to_string();
    let plain =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '[' | ']' | ':');
    (!name.is_empty() && name.chars().all(plain)).then_some(name)
}

fn is_port(s: &str) -> bool {
    !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit())
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
pub fn live_snippet(
    build_tag: &str,
    problems: Option<&Problems>,
    warnings: Option<&str>,
    notice: Option<&str>,
) -> String {
    let mut s = String::new();
    if let Some(p) = problems {
        s.push_str(&overlay(p));
    } else if let Some(w) = warnings {
        s.push_str(&warnings_panel(w));
    }
    if let Some(n) = notice {
        s.push_str(&notice_banner(n));
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

/// The warnings of a good build, folded at the bottom left so they never
/// cover the page: the summary line says how many, a click lists them.
fn warnings_panel(text: &str) -> String {
    let count = text.lines().last().unwrap_or_default();
    format!(
        concat!(
            "<details id=\"isms-live-warnings\" style=\"position:fixed;left:0;bottom:0;",
            "max-width:min(60rem,100vw);max-height:60vh;overflow:auto;z-index:2147483646;margin:0;",
            "padding:.4rem .9rem;background:#fffbea;color:#3b2a00;border:1px solid #b26a00;",
            "border-width:2px 2px 0 0;font:13px/1.45 ui-monospace,Menlo,Consolas,monospace\">",
            "<summary style=\"cursor:pointer\">{count}</summary>",
            "<pre style=\"margin:.5rem 0 0;white-space:pre-wrap;color:inherit;background:none\">{text}</pre>",
            "</details>"
        ),
        count = escape(count),
        text = escape(text)
    )
}

/// Why the output folder is not being updated (see `serve`'s publisher):
/// shown at the top so it does not hide the error overlay at the bottom.
fn notice_banner(reason: &str) -> String {
    format!(
        concat!(
            "<div id=\"isms-live-notice\" role=\"status\" style=\"position:fixed;inset:0 0 auto 0;",
            "max-height:30vh;overflow:auto;z-index:2147483647;margin:0;padding:.75rem 1.25rem;",
            "background:#fff8e1;color:#3b2a00;border-bottom:4px solid #b26a00;",
            "font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap\">",
            "output folder not updated: {reason}</div>"
        ),
        reason = escape(reason)
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

    #[test]
    fn allowed_names_are_compared_without_port_case_or_trailing_dot() {
        assert_eq!(host_name("MyHost.:8080").as_deref(), Some("myhost"));
        assert_eq!(host_name("[::1]:1111").as_deref(), Some("[::1]"));
        assert_eq!(host_name("https://x.example/"), None);
    }

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
            // A sign is no hex digit: the hand-written decoder read `%+a`
            // as a line feed.
            "/%+a",
            "/a%-1.txt",
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
            &live_snippet("9.3", Some(&p), None, None),
        );
        let page = String::from_utf8(page).unwrap();
        assert!(page.ends_with("data-build=\"9.3\" async></script></Body></html>"));
        assert!(page.contains("register/x.yaml:1:1: &lt;script&gt;"));
        assert!(page.contains("has 1 error."));
        assert_eq!(inject(b"plain", "+"), b"plain+");
    }

    #[test]
    fn heads_give_method_target_host_and_origin() {
        let head = b"GET /a?b HTTP/1.1\r\nhOsT: Localhost:1111\r\nOrigin: http://x\r\nX: y\r\n\r\n";
        assert_eq!(head_end(&head[..]), Some(head.len()));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n"), None);
        assert_eq!(
            parse_head(head),
            Some(Head {
                method: "GET".into(),
                target: "/a?b".into(),
                host: Some("Localhost:1111".into()),
                origin: Some("http://x".into()),
            })
        );
        for bad in [
            &b"GET /\r\n\r\n"[..],
            b"GET / SPDY/3\r\n\r\n",
            b"GET / HTTP/1.1\r\nno colon\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            b"\xff / HTTP/1.1\r\n\r\n",
        ] {
            assert_eq!(parse_head(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn only_this_machine_and_allowed_names_are_answered() {
        let loopback = HostRule {
            bound: "127.0.0.1".parse().unwrap(),
            allowed: vec!["intranet.example".into()],
        };
        for ok in [
            "localhost",
            "LOCALHOST:1111",
            "localhost.",
            "preview.localhost:8080",
            "127.0.0.1",
            "127.0.0.1:1111",
            "127.1.2.3:1",
            "[::1]:1111",
            "[::1]",
            "intranet.example",
            "Intranet.Example:1111",
        ] {
            assert!(loopback.allows(ok), "{ok}");
        }
        for refused in [
            "",
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "localhost:80:80",
            "localhost:http",
            "192.168.1.5:1111",
            "[::2]:1111",
            "intranet.example.evil",
            "user@localhost",
            "localhost/x",
        ] {
            assert!(!loopback.allows(refused), "{refused}");
        }
        let lan = HostRule {
            bound: "192.168.1.5".parse().unwrap(),
            allowed: vec![],
        };
        assert!(lan.allows("192.168.1.5:1111") && !lan.allows("192.168.1.6:1111"));
        let every = HostRule {
            bound: "0.0.0.0".parse().unwrap(),
            allowed: vec![],
        };
        assert!(every.allows("10.0.0.7:1111") && !every.allows("evil.example"));
    }

    #[test]
    fn the_event_stream_takes_only_its_own_origin() {
        let rule = HostRule {
            bound: "127.0.0.1".parse().unwrap(),
            allowed: vec![],
        };
        assert!(rule.allows_origin(None, "localhost:1111"));
        assert!(rule.allows_origin(Some("http://localhost:1111"), "localhost:1111"));
        assert!(!rule.allows_origin(Some("http://evil.example"), "localhost:1111"));
        assert!(!rule.allows_origin(Some("http://localhost:2222"), "localhost:1111"));
        assert!(!rule.allows_origin(Some("null"), "localhost:1111"));
    }

    #[test]
    fn evidence_that_can_run_script_is_sandboxed() {
        for active in [
            "evidence/a.html",
            "evidence/x/b.HTM",
            "evidence/c.svg",
            "evidence/d.xml",
            "evidence/e.xhtml",
        ] {
            assert!(evidence_is_sandboxed(active), "{active}");
        }
        for passive in [
            "evidence/a.pdf",
            "evidence/b.png",
            "evidence/c.txt",
            "index.html",
            "charts/a.svg",
        ] {
            assert!(!evidence_is_sandboxed(passive), "{passive}");
        }
    }

    #[test]
    fn the_publish_notice_is_shown_and_escaped() {
        let s = live_snippet("1.2", None, None, Some("holds <MY-NOTES.txt>"));
        assert!(s.contains("output folder not updated: holds &lt;MY-NOTES.txt&gt;"));
        assert!(!live_snippet("1.2", None, None, None).contains("isms-live-notice"));
    }

    fn digest(
        shown: Shown,
        css: &[u8],
        problems: Option<&Problems>,
        notes: [Option<&str>; 2],
    ) -> PageDigest {
        let assets = [("assets/style.css", css)].into_iter();
        page_digest(shown, assets, problems, notes[0], notes[1])
    }

    /// Issue 27: a save that changes only a page's `<main>` and title
    /// keeps its frame digest (the live script puts the new main part in
    /// place); any other change moves the frame (a reload).
    #[test]
    fn only_the_main_part_and_title_of_a_page_are_left_out_of_its_frame() {
        let page = |title: &str, header: &str, main: &str| {
            format!(
                "<html><head><title>{title}</title></head><body><header>{header}</header>\
                 <main id=\"main\">{main}</main><footer>f</footer></body></html>"
            )
        };
        let of = |html: &str| {
            digest(
                Shown::File("x/index.html", html.as_bytes()),
                b"p{}",
                None,
                [None, None],
            )
        };
        let base = of(&page("T", "h", "<p>one</p>"));
        let retitled = of(&page("T2", "h", "<p>two</p>"));
        assert_eq!(base.frame, retitled.frame);
        assert_ne!(base.main, retitled.main);
        let header = of(&page("T", "h2", "<p>one</p>"));
        assert_ne!(base.frame, header.frame);
        let parts = swappable_parts(b"<title>a</title>x<main>m</main>y").unwrap();
        assert_eq!(parts.main, [&b"a"[..], &b"<main>m</main>"[..]]);
        assert_eq!(parts.frame, [&b"<title>"[..], &b"</title>x"[..], &b"y"[..]]);
        // No main element, or none after the title: all of it is frame.
        for odd in [
            &b"<title>a</title><div>m</div>"[..],
            b"<main>m</main><title>a</title>",
            b"<title>a</title><mainly>m</mainly>",
            b"<title>a",
        ] {
            assert_eq!(
                swappable_parts(odd),
                None,
                "{}",
                String::from_utf8_lossy(odd)
            );
        }
        let bare = |m: &str| of(&format!("<title>t</title><div>{m}</div>"));
        assert_ne!(bare("one").frame, bare("two").frame);
        assert_eq!(bare("one").main, bare("two").main);
        assert_eq!(
            base.to_string(),
            format!("{:016x}-{:016x}", base.frame, base.main)
        );
    }

    #[test]
    fn a_page_digest_changes_with_what_the_tab_shows_and_only_then() {
        let page = || Shown::File("index.html", b"<p>one</p>");
        let base = digest(page(), b"p{}", None, [None, None]);
        assert_eq!(base, digest(page(), b"p{}", None, [None, None]));
        let problem = Problems {
            errors: 1,
            text: "register/CI-001.yaml:1:1: bad".into(),
        };
        for (what, other) in [
            (
                "bytes",
                digest(
                    Shown::File("index.html", b"<p>two</p>"),
                    b"p{}",
                    None,
                    [None, None],
                ),
            ),
            (
                "path",
                digest(
                    Shown::File("a/index.html", b"<p>one</p>"),
                    b"p{}",
                    None,
                    [None, None],
                ),
            ),
            ("theme", digest(page(), b"p{color:red}", None, [None, None])),
            (
                "problems",
                digest(page(), b"p{}", Some(&problem), [None, None]),
            ),
            (
                "warnings",
                digest(page(), b"p{}", None, [Some("1 warning"), None]),
            ),
            (
                "notice",
                digest(page(), b"p{}", None, [None, Some("1 warning")]),
            ),
            (
                "404",
                digest(Shown::NotFound("/index.html"), b"p{}", None, [None, None]),
            ),
            (
                "redirect",
                digest(Shown::Redirect("/index.html"), b"p{}", None, [None, None]),
            ),
            ("no site", digest(Shown::NoSite, b"p{}", None, [None, None])),
        ] {
            assert_ne!(base, other, "{what}");
        }
        let fixed = Problems {
            errors: 2,
            ..problem
        };
        assert_ne!(
            digest(page(), b"p{}", Some(&fixed), [None, None]),
            digest(
                page(),
                b"p{}",
                Some(&Problems {
                    errors: 1,
                    text: fixed.text.clone()
                }),
                [None, None]
            ),
            "the count of problems"
        );
    }

    #[test]
    fn an_events_stream_names_one_path_of_the_site_or_none() {
        let page = |q: &str| events_page(&format!("{EVENTS}{q}"));
        assert_eq!(page(""), Ok(None), "an older tab's script, curl");
        assert_eq!(page("?v=1"), Ok(None));
        assert_eq!(page("?page=%2F"), Ok(Some("/".into())));
        assert_eq!(
            page("?x=1&page=%2Fregister%2FCI-002%2F"),
            Ok(Some("/register/CI-002/".into()))
        );
        // `encodeURIComponent(location.pathname)` of `/a%20b.txt`: decoded
        // once here, once more by `route`, as the page's own request was.
        assert_eq!(page("?page=%2Fa%2520b.txt"), Ok(Some("/a%20b.txt".into())));
        assert_eq!(route("/a%20b.txt", site), Route::File("a b.txt".into()));
        let longest = format!("?page=%2F{}", "a".repeat(MAX_PAGE - 3));
        assert!(page(&longest).is_ok());
        let long = format!("?page=%2F{}", "a".repeat(MAX_PAGE - 2));
        assert!(page(&long).is_err(), "longer than {MAX_PAGE}");
        for bad in [
            "?page=",
            "?page=index.html",
            "?page=%3Cscript%3E",
            "?page=%2F..%2Fetc%2Fpasswd",
            "?page=%2F%252e%252e%2Fx",
            "?page=%2F%2500",
            "?page=%zz",
            "?page=%FF",
            "?page=%2Fa%3Fb",
            "?page=%2F__isms%2Fevents",
            "?page=%2F__isms%2Flive.js",
            "?page=%2F&page=%2Findex.html",
        ] {
            let refused = page(bad).unwrap_err();
            assert!(!refused.contains('<') && !refused.contains("etc"), "{bad}");
        }
    }
}
