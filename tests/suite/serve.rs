//! The authors' loop, end to end: `serve` on a free port over a copy of the
//! demo register, edits saved the ways editors save them, a typo and its
//! fix; `watch` and `new` likewise. Timeouts are generous limits for a
//! loaded machine, not speed claims: latency is measured by
//! `scripts/serve-latency.sh`. Each test waits for an event (a log line, a
//! page, an answer); [`LIMIT`] only stops a hang, and is far above what a
//! first build of the demo takes on a busy machine (seconds at load 10).

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::tools;
use tools::copy_dir;

const BIN: &str = env!("CARGO_BIN_EXE_isms-site");
const LIMIT: Duration = Duration::from_secs(120);

/// A copy of the demo content in a fresh folder, with room for an output.
fn workspace() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &content,
    );
    let output = dir.path().join("output");
    (dir, content, output)
}

/// A running `isms-site` whose stderr is collected; killed when dropped.
struct Running {
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Running {
    fn start(args: &[&str], content: &Path, output: &Path) -> Running {
        // A first argument `sh` runs the binary through a shell script.
        let (program, args) = match args {
            ["sh", rest @ ..] => ("sh", rest),
            _ => (BIN, args),
        };
        let mut child = Command::new(program)
            .args(args)
            .arg("--content")
            .arg(content)
            .arg("--output")
            .arg(output)
            .args(["--as-of", "2026-11-27"])
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start isms-site");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = Arc::clone(&log);
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut l = sink.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        Running { child, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the log has `needle`; returns the text after `serving`.
    fn wait_log(&self, needle: &str) -> String {
        wait_for(&format!("`{needle}` in the log"), || {
            let log = self.log();
            log.find(needle)
                .map(|i| log[i + needle.len()..].to_string())
        })
        .unwrap_or_else(|| panic!("no `{needle}` in:\n{}", self.log()))
    }

    fn port(&self) -> u16 {
        let rest = self.wait_log("serving http://127.0.0.1:");
        rest.split('/').next().unwrap().parse().expect("a port")
    }

    fn interrupt(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(sent.success());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < LIMIT,
                "did not stop on Ctrl-C:\n{}",
                self.log()
            );
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for<T>(_what: &str, mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    while start.elapsed() < LIMIT {
        if let Some(v) = probe() {
            return Some(v);
        }
        thread::sleep(Duration::from_millis(50));
    }
    None
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

/// One GET with the request target sent exactly as given (no client-side
/// normalising of `..`).
fn get(port: u16, target: &str) -> Reply {
    request(
        port,
        &format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    )
}

/// Sends `head` as it is and reads the whole answer.
fn request(port: u16, head: &str) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(LIMIT)).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Reply {
        status,
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

fn wait_page(port: u16, target: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
    wait_for(what, || {
        let r = get(port, target);
        ok(&r.body).then_some(r.body)
    })
    .unwrap_or_else(|| panic!("{target} never showed {what}:\n{}", get(port, target).body))
}

fn set_title(file: &Path, title: &str) -> String {
    let text = fs::read_to_string(file).unwrap();
    let line = text.lines().find(|l| l.starts_with("title:")).unwrap();
    text.replacen(line, &format!("title: {title}"), 1)
}

const ENTRY: &str = "/register/CI-001/index.html";
const OVERLAY: &str = "id=\"isms-live-errors\"";

#[test]
fn serve_follows_edits_shows_errors_and_recovers() {
    let (_dir, content, output) = workspace();
    let mut server = Running::start(&["serve", "--port", "0"], &content, &output);
    let port = server.port();
    let file = content.join("register/CI-001.yaml");

    let first = get(port, ENTRY);
    assert_eq!(first.status, 200);
    assert!(
        first
            .headers
            .contains("content-type: text/html; charset=utf-8")
    );
    assert!(
        first.body.contains("/__isms/live.js"),
        "reload script injected"
    );
    assert!(!first.body.contains(OVERLAY));

    // A plain write in place.
    fs::write(&file, set_title(&file, "Saved in place 7f3a")).unwrap();
    wait_page(port, ENTRY, "the new title", |b| {
        b.contains("Saved in place 7f3a")
    });

    // An atomic save: a temporary file renamed over the original.
    let tmp = content.join("register/.CI-001.yaml.tmp");
    fs::write(&tmp, set_title(&file, "Renamed over 9c1d")).unwrap();
    fs::rename(&tmp, &file).unwrap();
    wait_page(port, ENTRY, "the renamed title", |b| {
        b.contains("Renamed over 9c1d")
    });

    // Publishing runs behind serving: wait until the good build is in
    // output/, so that the check below sees what the typo must not undo.
    wait_for("the renamed title published", || {
        fs::read_to_string(output.join("register/CI-001/index.html"))
            .ok()
            .filter(|t| t.contains("Renamed over 9c1d"))
    })
    .expect("published");

    // A typo: the last good page stays, with the error over it, on every
    // page, including ones opened only now.
    let good = fs::read_to_string(&file).unwrap();
    fs::write(&file, good.replacen("status:", "status: [", 1)).unwrap();
    let page = wait_page(port, ENTRY, "the error overlay", |b| b.contains(OVERLAY));
    assert!(
        page.contains("Renamed over 9c1d"),
        "last good site stays served"
    );
    assert!(
        page.contains("CI-001.yaml:"),
        "overlay names the file:\n{page}"
    );
    let fresh = get(port, "/owners/index.html");
    assert_eq!(fresh.status, 200);
    assert!(
        fresh.body.contains(OVERLAY),
        "a page opened fresh shows the error"
    );
    let missing = get(port, "/no/such/page.html");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains(OVERLAY) && missing.body.contains("/no/such/page.html"));
    assert!(
        server.log().contains("CI-001.yaml:"),
        "terminal shows it too"
    );
    let published = fs::read_to_string(output.join("register/CI-001/index.html")).unwrap();
    assert!(
        published.contains("Renamed over 9c1d"),
        "output keeps the last good site"
    );

    // The fix: the overlay goes away by itself.
    fs::write(&file, good.replace("Renamed over 9c1d", "Fixed 51be")).unwrap();
    let page = wait_page(port, ENTRY, "the fix", |b| b.contains("Fixed 51be"));
    assert!(!page.contains(OVERLAY));
    assert!(!get(port, "/index.html").body.contains(OVERLAY));

    // The published folder matches, without the reload script.
    wait_for("the fix published", || {
        fs::read_to_string(output.join("register/CI-001/index.html"))
            .ok()
            .filter(|t| t.contains("Fixed 51be"))
    })
    .expect("published");
    let index = fs::read_to_string(output.join("index.html")).unwrap();
    assert!(!index.contains("__isms"), "no reload script in output/");

    let status = server.interrupt();
    assert!(status.success(), "Ctrl-C exits 0: {status:?}");
    assert!(server.log().contains("stopped"));
    let leftovers: Vec<_> = fs::read_dir(output.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("isms-staging"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folder left behind");
}

#[test]
fn serve_answers_only_site_files_with_their_types() {
    let (dir, content, output) = workspace();
    fs::write(dir.path().join("secret.txt"), "top secret 3e1f").unwrap();
    let server = Running::start(&["serve", "--port", "0"], &content, &output);
    let port = server.port();

    for (path, kind) in [
        ("/register.csv", "text/csv"),
        ("/register.json", "application/json"),
        ("/assets/style.css", "text/css"),
        ("/build.json", "application/json"),
    ] {
        let r = get(port, path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.headers.contains(&format!("content-type: {kind}")),
            "{path}: {}",
            r.headers
        );
    }
    // The preview is the built site: its checksums too, over every file.
    let sums = get(port, "/SHA256SUMS");
    assert_eq!(sums.status, 200);
    for file in ["  register.csv\n", "  build.json\n", "  index.html\n"] {
        assert!(sums.body.contains(file), "{file} in {}", sums.body);
    }
    let dashboard = get(port, "/index.html").body;
    let at = dashboard
        .find("charts/")
        .expect("the dashboard shows charts");
    let svg = &dashboard[at..at + dashboard[at..].find(".svg").unwrap() + 4];
    let r = get(port, &format!("/{svg}"));
    assert!(r.headers.contains("content-type: image/svg+xml"));
    assert!(!r.body.contains("__isms"), "only HTML gets the script");

    let r = get(port, "/register");
    assert_eq!(r.status, 301);
    assert!(r.headers.contains("location: /register/"));
    assert_eq!(get(port, "/register/").status, 200);

    for target in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/register/..%2F..%2Fsecret.txt",
        "/..%5csecret.txt",
        "/register/%2e%2e/%2e%2e/secret.txt",
        "/../content/site.yaml",
        "/%00",
    ] {
        let r = get(port, target);
        assert!(
            r.status == 400 || r.status == 404,
            "{target} answered {}",
            r.status
        );
        assert!(!r.body.contains("top secret 3e1f") && !r.body.contains("title:"));
    }
    let r = get(port, "/nope.html");
    assert_eq!(r.status, 404);
    assert!(
        r.body.contains("Dashboard"),
        "the 404 page helps: {}",
        r.body
    );
}

/// An open `/__isms/events` stream, as a tab's script opens it (`page`
/// encoded as `encodeURIComponent(location.pathname)`), or without a page.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(port: u16, page: Option<&str>) -> Events {
        let query = page
            .map(|p| format!("?page={}", p.replace('/', "%2F")))
            .unwrap_or_default();
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "GET /__isms/events{query} HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        s.set_read_timeout(Some(LIMIT)).unwrap();
        Events(BufReader::new(s))
    }

    /// The data of the next event (keep-alive comments skipped).
    fn next(&mut self) -> String {
        loop {
            let mut line = String::new();
            assert!(self.0.read_line(&mut line).unwrap() > 0, "stream ended");
            if let Some(d) = line.strip_prefix("data: ") {
                return d.trim().to_string();
            }
        }
    }
}

/// The `data-build` a served page carries.
fn build_of(page: &str) -> &str {
    let at = page.find("data-build=\"").expect("a data-build") + "data-build=\"".len();
    &page[at..at + page[at..].find('"').unwrap()]
}

const CI_002: &str = "/register/CI-002/";

/// Saves `text` as an editor does atomically (a temporary file renamed
/// over `file`): no rebuild can see it half written.
fn save(file: &Path, text: &str) {
    let tmp = file.with_file_name(".isms-test-save.tmp");
    fs::write(&tmp, text).unwrap();
    fs::rename(&tmp, file).unwrap();
}

#[test]
fn pages_are_told_to_reload_after_each_rebuild() {
    let (_dir, content, output) = workspace();
    let server = Running::start(&["serve", "--port", "0"], &content, &output);
    let port = server.port();
    let mut tab = Events::open(port, Some(CI_002));
    let mut pageless = Events::open(port, None);
    let first = tab.next();
    assert_eq!(
        build_of(&get(port, CI_002).body),
        first,
        "page names its tag"
    );
    let generation = pageless.next();
    assert_ne!(
        generation, first,
        "a stream without a page announces generations, never a page's tag"
    );
    let file = content.join("register/CI-002.yaml");
    save(&file, &set_title(&file, "Touched 4b7e"));
    let second = tab.next();
    assert_ne!(first, second, "a rebuild announces a new tag for the page");
    let page = get(port, CI_002).body;
    assert!(page.contains("Touched 4b7e"), "the new title is served");
    assert_eq!(build_of(&page), second);
    assert_ne!(pageless.next(), generation, "and a new generation");
}

/// A page provably unchanged by a save (its bytes compared before and
/// after) hears nothing: the next event its stream sends is the one for
/// the broken build that follows, which every tab must hear, as it must
/// the fix. No sleep: each step waits for an event of another stream.
#[test]
fn a_tab_whose_page_a_save_left_alone_is_not_reloaded() {
    const ALONE: &str = "/register/CI-020/";
    let (_dir, content, output) = workspace();
    let server = Running::start(&["serve", "--port", "0"], &content, &output);
    let port = server.port();
    let mut edited = Events::open(port, Some(CI_002));
    let mut alone = Events::open(port, Some(ALONE));
    let edited_first = edited.next();
    let alone_first = alone.next();
    let before = get(port, ALONE).body;
    assert_eq!(build_of(&before), alone_first);

    let file = content.join("register/CI-002.yaml");
    let retitled = set_title(&file, "Retitled 2c9d");
    save(&file, &retitled);
    assert_ne!(edited.next(), edited_first);
    assert!(get(port, CI_002).body.contains("Retitled 2c9d"));
    let after = get(port, ALONE).body;
    let tag = build_of(&before);
    assert_eq!(
        after.replace(build_of(&after), tag),
        before,
        "{ALONE} is unchanged by the save (the premise)"
    );

    save(&file, &retitled.replacen("status:", "status: [", 1));
    let alone_broken = alone.next();
    let page = get(port, ALONE).body;
    assert!(
        page.contains(OVERLAY),
        "the first event after the first tag is the broken build's"
    );
    assert_eq!(
        build_of(&page),
        alone_broken,
        "no event came for the save that left {ALONE} alone"
    );
    let edited_broken = edited.next();
    assert!(get(port, CI_002).body.contains(OVERLAY));
    assert_eq!(build_of(&get(port, CI_002).body), edited_broken);

    save(&file, &retitled);
    let alone_fixed = alone.next();
    let page = get(port, ALONE).body;
    assert!(!page.contains(OVERLAY), "the fix is announced too");
    assert_eq!(build_of(&page), alone_fixed);
    assert_eq!(
        alone_fixed, alone_first,
        "the same page with nothing over it has the same tag"
    );
    assert_ne!(edited.next(), edited_broken);
}

/// `page` is checked before a stream is opened: not a path of the site,
/// two of them or too long is a 400 that does not repeat what was sent.
#[test]
fn an_events_stream_for_a_bad_page_is_refused() {
    let (_dir, content, output) = workspace();
    let server = Running::start(&["serve", "--port", "0"], &content, &output);
    let port = server.port();
    let long = format!("%2F{}", "a".repeat(4096));
    for page in [
        "%2F..%2F..%2Fetc%2Fpasswd",
        "%3Cscript%3E",
        "%2F&page=%2F",
        "%zz",
        long.as_str(),
    ] {
        // Read up to the status first: an accepted stream never ends.
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(LIMIT)).unwrap();
        write!(
            s,
            "GET /__isms/events?page={page} HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        let mut answer = BufReader::new(s);
        let mut status = String::new();
        answer.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 400 "), "{page}: {status}");
        let mut rest = String::new();
        answer.read_to_string(&mut rest).unwrap();
        let body = rest.split_once("\r\n\r\n").unwrap().1;
        assert!(!body.contains("script") && !body.contains("etc"), "{body}");
    }
}

#[test]
fn serve_never_deletes_files_it_did_not_write_in_the_output() {
    let (_dir, content, output) = workspace();
    let server = Running::start(&["serve", "--port", "0"], &content, &output);
    let port = server.port();
    wait_for("the first publish", || {
        output.join("index.html").exists().then_some(())
    })
    .expect("published at start");
    let notes = output.join("MY-NOTES.txt");
    fs::write(&notes, "mine, not the site's").unwrap();

    let file = content.join("register/CI-001.yaml");
    fs::write(&file, set_title(&file, "After my notes 4d2a")).unwrap();
    let page = wait_page(port, ENTRY, "the notice", |b| {
        b.contains("After my notes 4d2a") && b.contains("output folder not updated")
    });
    assert!(
        page.contains("MY-NOTES.txt"),
        "the notice names the file:\n{page}"
    );
    // Give a publish that would delete it every chance to have run.
    thread::sleep(Duration::from_millis(500));
    assert_eq!(fs::read_to_string(&notes).unwrap(), "mine, not the site's");
    assert!(
        !fs::read_to_string(output.join("register/CI-001/index.html"))
            .unwrap()
            .contains("After my notes 4d2a"),
        "the output folder was left as it was"
    );
    server.wait_log("output folder not updated");

    // Saved again for the same reason: said once in the terminal, not per save.
    fs::write(&file, set_title(&file, "Again 8e1c")).unwrap();
    wait_page(port, ENTRY, "the second save", |b| b.contains("Again 8e1c"));
    thread::sleep(Duration::from_millis(500));
    assert_eq!(server.log().matches("output folder not updated").count(), 1);
    assert!(notes.exists());

    // The notes moved away: publishing resumes and the notice goes.
    fs::remove_file(&notes).unwrap();
    fs::write(&file, set_title(&file, "Resumed 0b3f")).unwrap();
    let page = wait_page(port, ENTRY, "the notice gone", |b| {
        b.contains("Resumed 0b3f") && !b.contains("output folder not updated")
    });
    assert!(!page.contains("isms-live-notice"));
    wait_for("the output updated", || {
        fs::read_to_string(output.join("register/CI-001/index.html"))
            .ok()
            .filter(|t| t.contains("Resumed 0b3f"))
    })
    .expect("published again");
}

fn status_for(port: u16, head: &str) -> u16 {
    request(port, head).status
}

#[test]
fn serve_answers_only_this_machine_and_allowed_names() {
    let (_dir, content, output) = workspace();
    let server = Running::start(
        &["serve", "--port", "0", "--allow-host", "intranet.example"],
        &content,
        &output,
    );
    let port = server.port();
    let req = |target: &str, host: &str| {
        format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
    };
    for target in ["/register.csv", "/__isms/events", "/index.html"] {
        let r = request(port, &req(target, "evil.example"));
        assert_eq!(r.status, 403, "{target}");
        assert!(r.body.contains("--allow-host"), "says why: {}", r.body);
        assert!(!r.body.contains("CI-001"));
        assert_eq!(
            status_for(port, &req(target, &format!("evil.example:{port}"))),
            403
        );
    }
    assert_eq!(
        status_for(port, "GET /register.csv HTTP/1.0\r\n\r\n"),
        403,
        "no Host at all"
    );
    for host in [
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("127.0.0.1:{port}"),
        format!("intranet.example:{port}"),
    ] {
        let r = request(port, &req("/register.csv", &host));
        assert_eq!(r.status, 200, "{host}");
        assert!(r.body.contains("CI-001"));
    }

    // The event stream: no Origin or its own is fine, another site's is not.
    let events = |origin: &str| {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(LIMIT)).unwrap();
        write!(
            s,
            "GET /__isms/events HTTP/1.1\r\nHost: localhost:{port}\r\n{origin}\r\n"
        )
        .unwrap();
        let mut line = String::new();
        BufReader::new(s).read_line(&mut line).unwrap();
        line
    };
    assert!(events("").starts_with("HTTP/1.1 200"));
    assert!(events(&format!("Origin: http://localhost:{port}\r\n")).starts_with("HTTP/1.1 200"));
    assert!(events("Origin: http://evil.example\r\n").starts_with("HTTP/1.1 403"));
    assert!(events("Origin: null\r\n").starts_with("HTTP/1.1 403"));
}

#[test]
fn evidence_that_can_run_script_is_served_in_a_sandbox() {
    let (_dir, content, output) = workspace();
    let script = "<script>fetch('/register.csv')</script>";
    fs::write(
        content.join("evidence/report.html"),
        format!("<html><body>{script}</body></html>"),
    )
    .unwrap();
    fs::write(
        content.join("evidence/chart.svg"),
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{script}</svg>"),
    )
    .unwrap();
    let server = Running::start(&["serve", "--port", "0"], &content, &output);
    let port = server.port();
    for path in ["/evidence/report.html", "/evidence/chart.svg"] {
        let r = get(port, path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.headers.contains("content-security-policy: sandbox"),
            "{path}: {}",
            r.headers
        );
        assert!(r.headers.contains("x-content-type-options: nosniff"));
        assert!(!r.body.contains("__isms"), "no reload script in evidence");
    }
    for path in [
        "/evidence/scan-schedule.txt",
        "/index.html",
        "/register.csv",
    ] {
        let r = get(port, path);
        assert_eq!(r.status, 200, "{path}");
        assert!(!r.headers.contains("content-security-policy"), "{path}");
        assert!(
            r.headers.contains("x-content-type-options: nosniff"),
            "{path}"
        );
        // No other site may include it (issue 22): tests/browser.rs shows
        // Chromium refusing it to another origin.
        assert!(
            r.headers
                .contains("cross-origin-resource-policy: same-origin"),
            "{path}"
        );
    }
}

#[test]
fn a_huge_request_head_is_refused_with_431() {
    let (_dir, content, output) = workspace();
    let server = Running::start(&["serve", "--port", "0"], &content, &output);
    let port = server.port();
    let huge = format!(
        "GET /register.csv HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n",
        "a".repeat(1 << 20)
    );
    let r = request(port, &huge);
    assert_eq!(r.status, 431, "{}", r.headers);
    assert!(!r.body.contains("CI-001"));
    // Just under the limit is still answered.
    let fits = format!(
        "GET /register.csv HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n",
        "a".repeat(15 * 1024)
    );
    assert_eq!(status_for(port, &fits), 200);
}

/// Connections that never finish their request, more than the server has
/// file descriptors for (its limit is lowered for the test), must not stop
/// it from answering. Their head timeout is made an hour, so only closing
/// the oldest waiting connection can make room: answered at all means
/// that works, whatever the machine's load (no time limit but [`LIMIT`]).
#[cfg(unix)]
#[test]
fn serve_still_answers_after_running_out_of_file_descriptors() {
    let (_dir, content, output) = workspace();
    let script =
        format!("ulimit -n 128 && ISMS_SITE_HEAD_TIMEOUT_MS=3600000 exec \"{BIN}\" \"$@\"");
    let server = Running::start(
        &["sh", "-c", &script, "isms-site", "serve", "--port", "0"],
        &content,
        &output,
    );
    let port = server.port();
    let mut idle = Vec::new();
    for i in 0..400 {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
            break;
        };
        if i % 2 == 0 {
            // Half a request head, then nothing.
            let _ = s.write_all(b"GET /index.html HTTP/1.1\r\nHost: localhost\r\n");
        }
        idle.push(s);
    }
    assert!(idle.len() > 200, "opened {} connections", idle.len());
    let asked = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(get(port, "/register.csv").status);
    });
    let status = rx.recv_timeout(LIMIT);
    eprintln!("answered in {:?}", asked.elapsed());
    assert_eq!(
        status,
        Ok(200),
        "no answer ({:?}) while {} connections are held:\n{}",
        asked.elapsed(),
        idle.len(),
        server.log()
    );
    drop(idle);
}

#[test]
fn watch_rebuilds_the_output_on_change() {
    let (_dir, content, output) = workspace();
    let mut watcher = Running::start(&["watch"], &content, &output);
    watcher.wait_log("watching");
    let page = output.join("register/CI-003/index.html");
    assert!(fs::read_to_string(&page).unwrap().contains("CI-003"));
    let file = content.join("register/CI-003.yaml");
    fs::write(&file, set_title(&file, "Watched 2b7e")).unwrap();
    wait_for("the rebuilt page", || {
        fs::read_to_string(&page)
            .ok()
            .filter(|t| t.contains("Watched 2b7e"))
    })
    .expect("watch rebuilt the page");
    // Editor droppings do not trigger builds.
    wait_for("the second build logged", || {
        (watcher.log().matches("built ").count() == 2).then_some(())
    })
    .expect("two builds");
    let builds = 2;
    fs::write(content.join("register/.CI-003.yaml.swp"), "x").unwrap();
    fs::write(content.join("register/CI-003.yaml~"), "x").unwrap();
    thread::sleep(Duration::from_millis(800));
    assert_eq!(
        watcher.log().matches("built ").count(),
        builds,
        "{}",
        watcher.log()
    );
    assert!(watcher.interrupt().success());
}

fn new_file(content: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .arg("new")
        .args(args)
        .arg("--content")
        .arg(content)
        .args(["--as-of", "2026-11-27"])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn check(content: &Path) -> String {
    let out = Command::new(BIN)
        .args(["check", "--as-of", "2026-11-27", "--content"])
        .arg(content)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{text}");
    text
}

#[test]
fn new_writes_files_that_check_cleanly_with_the_next_id() {
    let (_dir, content, _output) = workspace();
    let (ok, path, err) = new_file(&content, &["entry", "Backups: no 'restore' test #2"]);
    assert!(ok, "{err}");
    assert_eq!(PathBuf::from(&path), content.join("register/CI-033.yaml"));
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("id: CI-033") && text.contains("identified: 2026-11-27"));
    let (_, second, _) = new_file(&content, &["entry", "Another"]);
    assert_eq!(PathBuf::from(second), content.join("register/CI-034.yaml"));

    let (ok, plan, err) = new_file(&content, &["plan", "Backup assurance", "--entry", "CI-033"]);
    assert!(ok, "{err}");
    assert_eq!(
        PathBuf::from(&plan),
        content.join("plans/backup-assurance.md")
    );
    let (ok, review, err) = new_file(&content, &["review", "Management review Q4"]);
    assert!(ok, "{err}");
    assert_eq!(
        PathBuf::from(&review),
        content.join("reviews/2026-11-management-review-q4.md")
    );
    // Same title again: a new name, never an overwrite.
    let before = fs::read_to_string(&plan).unwrap();
    let (_, plan2, _) = new_file(&content, &["plan", "Backup assurance"]);
    assert_eq!(
        PathBuf::from(&plan2),
        content.join("plans/backup-assurance-2.md")
    );
    assert_eq!(fs::read_to_string(&plan).unwrap(), before);

    let report = check(&content);
    assert!(
        report.lines().any(|l| l.starts_with("0 errors")),
        "{report}"
    );
    assert!(
        report.contains("34 entries, 7 plans, 10 reviews"),
        "{report}"
    );
}

#[test]
fn new_without_a_content_folder_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = new_file(&dir.path().join("nowhere"), &["entry", "X"]);
    assert!(!ok);
    assert!(err.contains("no content folder"), "{err}");
}

/// `serve --open` where the opener fails (no browser): the opener's own
/// chatter stays out of the terminal, one line says what to do, and the
/// opener is reaped (no zombie child left behind).
#[cfg(target_os = "linux")]
#[test]
fn serve_open_without_a_browser_fails_quietly_and_leaves_no_zombie() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, content, output) = workspace();
    let bin = dir.path().join("bin");
    fs::create_dir_all(&bin).unwrap();
    let opener = bin.join("xdg-open");
    fs::write(
        &opener,
        "#!/bin/sh\necho 'xdg-open: no method available for opening' >&2\necho chatter\nexit 3\n",
    )
    .unwrap();
    fs::set_permissions(&opener, fs::Permissions::from_mode(0o755)).unwrap();
    let mut child = Command::new(BIN)
        .args(["serve", "--open", "--port", "0", "--as-of", "2026-11-27"])
        .arg("--content")
        .arg(&content)
        .arg("--output")
        .arg(&output)
        .env("PATH", &bin)
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    for stream in [
        Box::new(child.stderr.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stdout.take().unwrap()),
    ] {
        let sink = Arc::clone(&log);
        thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let mut l = sink.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
    }
    let mut running = Running { child, log };
    running.wait_log("could not open a browser; open http://127.0.0.1:");
    let pid = running.child.id();
    let zombies = || {
        fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter_map(|e| fs::read_to_string(e.path().join("stat")).ok())
            .filter(|stat| {
                // pid (name) state ppid ...
                let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
                let mut f = after.split_whitespace();
                let (state, ppid) = (f.next(), f.next());
                state == Some("Z") && ppid == Some(pid.to_string().as_str())
            })
            .count()
    };
    assert_eq!(zombies(), 0, "a zombie opener is left behind");
    let log = running.log();
    assert!(!log.contains("no method available"), "{log}");
    assert!(!log.contains("chatter"), "{log}");
    assert_eq!(log.matches("could not open a browser").count(), 1, "{log}");
    assert!(running.interrupt().success());
}

/// Clients that ask for a large file and never read it used to hold every
/// slot until a write of theirs timed out (10 s, ~26 s for 256 of them),
/// and every new request was refused meanwhile. The whole answer has one
/// deadline now, and a writer stalled at the cap makes room. With the
/// deadline made an hour (a test-only setting; a writer counts as stalled
/// after a second then) and every slot held by such a reader, a new
/// request is answered: only a stalled writer making room can let it in,
/// so no time limit but [`LIMIT`] is needed (the deadline's cut is checked
/// in `conn.rs`'s unit tests).
#[cfg(unix)]
#[test]
fn readers_that_never_read_do_not_hold_the_server() {
    let (_dir, content, output) = workspace();
    // Far more than socket buffers take in: the writes block.
    let large = 16 << 20;
    fs::write(content.join("evidence/large.bin"), vec![b'x'; large]).unwrap();
    let slots = 8;
    let script = format!(
        "ISMS_SITE_MAX_CONNECTIONS={slots} ISMS_SITE_ANSWER_TIMEOUT_MS=3600000 exec \"{BIN}\" \"$@\""
    );
    let server = Running::start(
        &["sh", "-c", &script, "isms-site", "serve", "--port", "0"],
        &content,
        &output,
    );
    let port = server.port();
    let stalled: Vec<TcpStream> = (0..slots)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            s.write_all(b"GET /evidence/large.bin HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .unwrap();
            s
        })
        .collect();
    // Every slot is answering once every client has the start of its answer.
    for s in &stalled {
        s.set_read_timeout(Some(LIMIT)).unwrap();
        let mut first = [0u8; 12];
        assert_eq!(s.peek(&mut first).unwrap(), 12);
        assert_eq!(&first, b"HTTP/1.1 200");
    }
    // The event: a new request answered ("503, busy" or a reset mean the
    // server is still full).
    let asked = Instant::now();
    let mut refused = 0;
    while probe_status(send_probe(port)) != Some(200) {
        refused += 1;
        assert!(
            asked.elapsed() < LIMIT,
            "still refused after {:?} ({refused} probes):\n{}",
            asked.elapsed(),
            server.log()
        );
        thread::sleep(Duration::from_millis(20));
    }
    eprintln!(
        "answered after {:?}, {refused} probes refused",
        asked.elapsed()
    );
    drop(stalled);
}

/// Sends a GET of the front page; `None` if the connection failed.
fn send_probe(port: u16) -> Option<TcpStream> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(LIMIT)).ok()?;
    s.write_all(b"GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .ok()?;
    Some(s)
}

/// The status of a probe's answer; `None` if the connection was reset
/// before an answer (a refusal the server could not word).
fn probe_status(s: Option<TcpStream>) -> Option<u16> {
    let mut raw = Vec::new();
    s?.read_to_end(&mut raw).ok()?;
    String::from_utf8_lossy(&raw)
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
}

#[test]
fn serve_lists_its_warnings_in_the_terminal_and_on_the_page() {
    let (_dir, content, output) = workspace();
    let server = Running::start(&["serve", "--port", "0", "--no-git"], &content, &output);
    let port = server.port();
    // The demo as of 2026-11-27 has overdue entries: each is named, not
    // only counted.
    server.wait_log(" warnings\n");
    let log = server.log();
    assert!(
        log.contains("warning: CI-017 is overdue"),
        "the terminal lists the warnings:\n{log}"
    );
    let page = wait_page(port, ENTRY, "the warnings panel", |b| {
        b.contains("id=\"isms-live-warnings\"")
    });
    assert!(page.contains("CI-017 is overdue"), "{page}");
    assert!(!page.contains(OVERLAY), "warnings are not errors");
}

/// What the live preview does on a save, through the library: the cached
/// parse of every unchanged file, the pages rendered over the previous
/// generation and served (an entry or plan page whose inputs did not
/// change is kept, not rendered: `pages::deps`; Markdown that did not
/// change is not parsed again), then the rest. After any single
/// random edit of a generated register (a demo copy with synthetic
/// entries added), edits that reach across pages included
/// (`tools::edits`), the files are exactly those of a full build from
/// nothing, and the unchanged entry pages were kept.
#[test]
fn a_preview_rebuild_after_any_single_edit_gives_the_files_of_a_full_build() {
    use isms_site::content::Cache;
    use isms_site::output::sink::Out;
    use isms_site::site::build;
    let (_dir, content) = demo_with_synthetic(30);
    let full = |cache: Option<&Cache>, theme| prepare_as_served(&content, cache, theme);
    let cache = Cache::default();
    let (c, mut theme) = full(Some(&cache), None);
    let out = Out::memory();
    let mut earlier = build::Earlier::default();
    let mut served = false;
    build::render_then(
        &c,
        &mut theme,
        &out,
        &mut earlier,
        || served = true,
        &mut || false,
    )
    .unwrap();
    assert!(served, "the pages are served between the steps");
    let mut previous = Arc::new(out.into_shared());
    let mut last_theme = Some(theme);
    let mut next = tools::edits::xorshift(27);
    let mut kept_some = false;
    for step in 0..60 {
        let did = tools::edits::cross_page_edit(&content, &mut next, step);
        let (c, mut theme) = full(Some(&cache), last_theme.take());
        let out = Out::memory_over(Arc::clone(&previous));
        let keys = earlier.keys.clone().unwrap();
        build::render_then(&c, &mut theme, &out, &mut earlier, || (), &mut || false).unwrap();
        last_theme = Some(theme);
        let incremental = out.into_shared();
        let differ = differing_from_a_full_build(&content, &incremental);
        assert!(
            differ.is_empty(),
            "step {step} ({did}): these files differ from a full build's: {differ:?}"
        );
        let now = earlier.keys.as_ref().unwrap();
        kept_some |= now.global == keys.global
            && now
                .entries
                .iter()
                .any(|(id, k)| keys.entries.get(id) == Some(k));
        previous = Arc::new(incremental);
    }
    assert!(kept_some, "no page was ever kept");
}

/// A copy of the demo with `n` synthetic entries added to its register.
fn demo_with_synthetic(n: usize) -> (tempfile::TempDir, PathBuf) {
    let (dir, content, _) = workspace();
    tools::synthetic_register(&content.join("synthetic"), n);
    for e in fs::read_dir(content.join("synthetic/register")).unwrap() {
        let e = e.unwrap();
        fs::rename(e.path(), content.join("register").join(e.file_name())).unwrap();
    }
    fs::remove_dir_all(content.join("synthetic")).unwrap();
    (dir, content)
}

/// Loads and computes `content` as `serve` does (with the parse cache
/// and the last theme, when given) on the tests' as-of date.
fn prepare_as_served(
    content: &Path,
    cache: Option<&isms_site::content::Cache>,
    theme: Option<isms_site::output::theme::Theme>,
) -> (
    isms_site::site::build::Computed,
    isms_site::output::theme::Theme,
) {
    let (prepared, diags) = isms_site::site::build::prepare_over(
        content,
        None,
        chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        isms_site::model::Visibility::Restricted,
        isms_site::content::git::GitHistory::Off,
        cache,
        theme,
    );
    prepared.unwrap_or_else(|| panic!("{}", diags.render_human(false)))
}

/// The files of `files` that are not those of a full build of `content`
/// from nothing, or that it lacks.
fn differing_from_a_full_build(
    content: &Path,
    files: &isms_site::output::sink::SharedFiles,
) -> std::collections::BTreeSet<String> {
    let (c, mut theme) = prepare_as_served(content, None, None);
    let cold = isms_site::output::sink::Out::memory();
    isms_site::site::build::render_into(&c, &mut theme, &cold).unwrap();
    let cold = cold.into_shared();
    cold.keys()
        .chain(files.keys())
        .filter(|rel| files.get(*rel) != cold.get(*rel))
        .cloned()
        .collect()
}

/// Issue 27: the register list's pages are keyed like entry pages. A
/// save that changes a row on the last page keeps the others; one that
/// brings a new owner (every page's filter lists it) or removes an entry
/// (every later row moves) renders them all. Owner, tag and review pages
/// are keyed on their template variables and kept when those are the
/// same. Each rebuild equals a full build, file for file.
#[test]
fn register_list_pages_that_show_nothing_new_are_kept_and_the_rest_rendered() {
    use isms_site::content::Cache;
    use isms_site::output::sink::Out;
    use isms_site::site::build;
    let (_dir, content) = demo_with_synthetic(450);
    let cache = Cache::default();
    let prepare = |cache: Option<&Cache>| prepare_as_served(&content, cache, None);
    let (c, mut theme) = prepare(Some(&cache));
    let out = Out::memory();
    let mut earlier = build::Earlier::default();
    build::render_then(&c, &mut theme, &out, &mut earlier, || (), &mut || false).unwrap();
    let mut previous = Arc::new(out.into_shared());
    let pages = ["register/index.html", "register-pages/2/index.html"];
    for p in pages {
        assert!(previous.contains_key(p), "{p} is written");
    }
    let last = content.join("register/R-00450.yaml");
    type Edit = (&'static str, fn(&str) -> String, bool);
    let edits: [Edit; 3] = [
        (
            "a title on the last page",
            |t| t.replacen("title: ", "title: Renamed ", 1),
            true,
        ),
        (
            "a new owner",
            |t| {
                let owner = t.lines().find(|l| l.starts_with("owner: ")).unwrap();
                t.replacen(owner, "owner: A brand new owner", 1)
            },
            false,
        ),
        ("an entry removed", |_| String::new(), false),
    ];
    for (what, edit, kept) in edits {
        let text = fs::read_to_string(&last).unwrap();
        match edit(&text) {
            t if t.is_empty() => fs::remove_file(&last).unwrap(),
            t => fs::write(&last, t).unwrap(),
        }
        let (c, mut theme) = prepare(Some(&cache));
        let out = Out::memory_over(Arc::clone(&previous));
        build::render_then(&c, &mut theme, &out, &mut earlier, || (), &mut || false).unwrap();
        let incremental = out.into_shared();
        let differ = differing_from_a_full_build(&content, &incremental);
        assert!(
            differ.is_empty(),
            "after {what}, these differ from a full build's: {differ:?}"
        );
        for p in pages {
            let same = Arc::ptr_eq(&previous[p], &incremental[p]);
            assert_eq!(same, kept, "after {what}, {p} kept: {same}");
        }
        // Pages keyed on their variables (`deps::VarsKeys`): the owner,
        // tag and review pages that do not show the edited entry.
        let kept_in = |dir: &str| {
            incremental
                .iter()
                .filter(|(rel, bytes)| {
                    rel.starts_with(dir)
                        && previous
                            .get(*rel)
                            .is_some_and(|was| Arc::ptr_eq(was, bytes))
                })
                .count()
        };
        for dir in ["owners/", "tags/", "reviews/"] {
            assert!(kept_in(dir) > 0, "after {what}, no page in {dir} was kept");
        }
        if kept {
            // The retitled entry's owner page shows its title.
            let own = "owners/owner-number-150/index.html";
            assert!(
                !Arc::ptr_eq(&previous[own], &incremental[own]),
                "{own} kept"
            );
        }
        previous = Arc::new(incremental);
    }
}

/// Issue 27: publishing to the output folder (seconds of file-system
/// work at 10,000 entries) runs at the lowest priority, on a pool of its
/// own (the rebuilds' pool runs at the normal one), so the rebuild
/// of the next save, which the author waits for, is not slowed by it
/// (2.7 s -> 8.8 s side by side at 10,000 entries).
#[cfg(target_os = "linux")]
#[test]
fn the_publisher_runs_at_the_lowest_priority() {
    let (_dir, content, output) = workspace();
    let mut serve = Running::start(&["serve", "--port", "0"], &content, &output);
    serve.port();
    let tasks = format!("/proc/{}/task", serve.child.id());
    // The publisher and the threads of its pool (`publisher-N`, which do
    // the writing): their nice values.
    let nice_of_publishers = || -> Vec<i32> {
        let Ok(tasks) = std::fs::read_dir(&tasks) else {
            return Vec::new();
        };
        tasks
            .flatten()
            .filter_map(|t| {
                let comm = std::fs::read_to_string(t.path().join("comm")).ok()?;
                if !comm.starts_with("publisher") {
                    return None;
                }
                // Field 19 of stat is the nice value; the command name,
                // field 2, is in parentheses and has no space here.
                let stat = std::fs::read_to_string(t.path().join("stat")).ok()?;
                stat.split_whitespace().nth(18)?.parse::<i32>().ok()
            })
            .collect()
    };
    // The pool is made before the first publish, which writes the output.
    wait_for("the site published", || {
        output.join("index.html").exists().then_some(())
    });
    // Each thread lowers itself as it starts: wait for that, not a time.
    let lowest = wait_for("the publishers at nice 19", || {
        let nice = nice_of_publishers();
        (nice.len() > 1 && nice.iter().all(|n| *n == 19)).then_some(nice)
    });
    assert!(
        lowest.is_some(),
        "the publishers' nice values are {:?}\n{}",
        nice_of_publishers(),
        serve.log()
    );
    serve.interrupt();
}

/// Issue 27: a save that comes while the exports of the last one are
/// being written stops them (the newer rebuild writes its own), so the
/// preview of the newer save does not wait for them: seconds at 10,000
/// entries. The pages are complete and served; no export or checksum is
/// written; and nothing is lost: the next render writes them.
#[test]
fn a_newer_save_stops_the_exports_of_the_last_and_the_next_render_writes_them() {
    use isms_site::content::git::GitHistory;
    use isms_site::model::Visibility;
    use isms_site::output::sink::Out;
    use isms_site::site::build;
    let (_dir, content, _) = workspace();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let full = || {
        let (prepared, diags) = build::prepare_build(
            &content,
            None,
            as_of,
            Visibility::Restricted,
            GitHistory::Off,
            None,
        );
        prepared.unwrap_or_else(|| panic!("{}", diags.render_human(false)))
    };
    let (c, mut theme) = full();
    let out = Out::memory();
    let mut earlier = build::Earlier::default();
    let mut served = false;
    let mut asked = 0;
    let mut newer = || {
        asked += 1;
        true
    };
    let done = build::render_then(
        &c,
        &mut theme,
        &out,
        &mut earlier,
        || served = true,
        &mut newer,
    )
    .unwrap();
    assert_eq!(done, None, "stopped");
    assert!(
        served && asked == 1,
        "asked once, after the pages were served"
    );
    let stopped = out.into_shared();
    assert!(
        stopped.contains_key("index.html") && stopped.contains_key("register/CI-009/index.html")
    );
    assert!(
        stopped.contains_key("register-rows.json"),
        "the register's rows come with the pages"
    );
    for export in [
        "register.csv",
        "register.json",
        "search-index.json",
        "SHA256SUMS",
    ] {
        assert!(!stopped.contains_key(export), "{export} was written");
    }
    assert!(earlier.keys.is_some(), "the served pages' keys are kept");
    // The next render, not stopped, writes everything a build writes.
    let out = Out::memory_over(Arc::new(stopped));
    let done =
        build::render_then(&c, &mut theme, &out, &mut earlier, || (), &mut || false).unwrap();
    assert!(done.is_some());
    let next = out.into_shared();
    let (c, mut theme) = full();
    let cold = Out::memory();
    build::render_into(&c, &mut theme, &cold).unwrap();
    let cold = cold.into_shared();
    let names = |m: &isms_site::output::sink::SharedFiles| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&next), names(&cold));
    assert!(cold.iter().all(|(rel, bytes)| next.get(rel) == Some(bytes)));
}

/// Issue 27: the built-in templates are compiled with the site's plain
/// words folded in, so the live preview, which keeps its compiled theme
/// between saves, must compile it again when a save changes one of those
/// words in the team's translations, though no theme file changed.
#[test]
fn a_changed_word_in_the_translations_shows_in_the_next_preview() {
    use isms_site::content::Cache;
    use isms_site::output::sink::Out;
    use isms_site::site::build;
    let (_dir, content, _) = workspace();
    let site = content.join("site.yaml");
    let mut text = fs::read_to_string(&site).unwrap();
    text.push_str("language: de\n");
    fs::write(&site, text).unwrap();
    fs::create_dir_all(content.join("translations")).unwrap();
    let words = content.join("translations/de.ftl");
    fs::write(&words, "nav-register = Maßnahmenregister\n").unwrap();
    let cache = Cache::default();
    let render = |theme: Option<isms_site::output::theme::Theme>| {
        let (c, mut theme) = prepare_as_served(&content, Some(&cache), theme);
        let out = Out::memory();
        let mut earlier = build::Earlier::default();
        build::render_then(&c, &mut theme, &out, &mut earlier, || (), &mut || false).unwrap();
        (out.into_shared(), theme)
    };
    let index = |files: &isms_site::output::sink::SharedFiles| {
        String::from_utf8(files["index.html"].to_vec()).unwrap()
    };
    let (first, theme) = render(None);
    assert!(index(&first).contains(">Maßnahmenregister</a>"));
    fs::write(&words, "nav-register = Aktionsregister\n").unwrap();
    let (second, _) = render(Some(theme));
    let page = index(&second);
    assert!(page.contains(">Aktionsregister</a>"), "{page}");
    assert!(!page.contains("Maßnahmenregister"));
    assert_eq!(
        differing_from_a_full_build(&content, &second),
        Default::default()
    );
}
