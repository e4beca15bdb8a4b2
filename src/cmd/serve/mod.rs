//! `serve`: the authors' live preview.
//!
//! Each rebuild renders the whole site into memory and the server answers
//! from there, so what the browser sees never waits for the disk and never
//! shows a half-written site. The same bytes are then published to the
//! output folder in the background (the folder never gets the reload
//! script). A rebuild that fails keeps the last good site in memory; every
//! HTML page served meanwhile carries an overlay with the problems, and the
//! next good rebuild takes it away.
//!
//! The output folder gets the same rule as `build`: it is replaced only if
//! it holds nothing isms-site did not write. When that check refuses, the
//! preview goes on from memory and says why, in the terminal and on every
//! page.
//!
//! Only this machine's own names are answered (see [`http::HostRule`]), so
//! a web page elsewhere cannot read the preview through DNS rebinding.

mod conn;
mod http;

use crate::cmd::watch::{self, Event};
use crate::content;
use crate::model::diag::{Diagnostics, Pos, ProblemKind, shown, terminal_safe};
use crate::output::Selection;
use crate::output::pages::FirstPages;
use crate::output::sink::Out;
use crate::output::theme::Theme;
use crate::site::build;
use crate::site::publish;
use chrono::NaiveDate;
use conn::Conn;
use http::{Head, HostRule, Problems, Route};
use std::borrow::Cow;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::ops::Bound;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

/// The port `zola serve` made familiar; the next free one is taken when
/// it is busy.
pub const DEFAULT_PORT: u16 = 1111;

pub struct Options {
    pub content: PathBuf,
    pub output: PathBuf,
    pub theme: Option<PathBuf>,
    /// Who the preview is for (see [`crate::compute::audience`]).
    pub audience: crate::model::Visibility,
    /// `None`: "today", worked out again at each rebuild.
    pub as_of: Option<NaiveDate>,
    pub bind: IpAddr,
    /// `None`: [`DEFAULT_PORT`] or the next free one.
    pub port: Option<u16>,
    pub open: bool,
    /// `--allow-host`: names besides this machine's own that may be answered.
    pub allow_hosts: Vec<String>,
    /// Whether pages list revisions from git; read again only when HEAD
    /// or the as-of date moved (see [`crate::content::git::Memo`]).
    pub git: crate::content::git::GitHistory,
}

type Files = crate::output::sink::SharedFiles;

/// What the server answers with right now.
#[derive(Clone, Default)]
struct Snapshot {
    /// Bumped by every rebuild, good or bad, and by a change of `notice`:
    /// event streams look at their page's tag again when it moves.
    generation: u64,
    /// The last good site.
    files: Option<Arc<Files>>,
    /// The problems of the last rebuild, if it failed.
    problems: Option<Arc<Problems>>,
    /// The warnings of the last good build, listed as `check` lists them.
    warnings: Option<Arc<str>>,
    /// Why the output folder is not being updated, while that lasts.
    notice: Option<Arc<str>>,
}

struct Shared {
    now: Mutex<Snapshot>,
    changed: Condvar,
    stopping: AtomicBool,
    /// Tells this server's pages from an earlier run's, whose generation
    /// numbers started from 1 too.
    session: u128,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Snapshot> {
        self.now.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn snapshot(&self) -> Snapshot {
        self.lock().clone()
    }

    /// The tag of a generation, which a stream without a page announces
    /// (an older tab's script, curl). Never equal to a [`Shared::page_tag`]
    /// (a dot, not a dash): a tab of an earlier run whose script sends no
    /// page reloads once, and gets today's script.
    fn tag(&self, generation: u64) -> String {
        format!("{}.{generation}", self.session)
    }

    /// The build tag of the page at `target` (a request target, or an
    /// events stream's page), from `now`: what the page's `data-build`
    /// says and what its events stream announces, one function so the two
    /// never disagree. It changes when what the tab shows does (see
    /// [`http::page_digest`]), not at every rebuild: a save reloads only
    /// the tabs whose page it changed, and every tab when the problems,
    /// warnings or notice shown over the pages change.
    fn page_tag(&self, now: &Snapshot, target: &str) -> String {
        let files = now.files.as_deref();
        let route = http::route(target, |p| files.is_some_and(|f| f.contains_key(p)));
        let shown = match &route {
            Route::File(path) => files
                .and_then(|f| f.get(path))
                .map_or(http::Shown::Other, |bytes| http::Shown::File(path, bytes)),
            Route::Redirect(to) => http::Shown::Redirect(to),
            Route::NotFound(path) if path == "/" && files.is_none() => http::Shown::NoSite,
            Route::NotFound(path) => http::Shown::NotFound(path),
            Route::Events | Route::LiveScript | Route::BadRequest => http::Shown::Other,
        };
        let mut named: Vec<String> = Vec::new();
        if let http::Shown::File(_, bytes) = &shown {
            named.extend(http::evidence_shown(bytes));
            if http::runs_own_script(bytes) {
                named.extend(http::SCRIPT_DATA.map(String::from));
            }
        }
        let shows = named
            .iter()
            .filter_map(|rel| files.and_then(|f| f.get_key_value(rel.as_str())));
        let assets = files
            .into_iter()
            .flat_map(|f| f.range::<str, _>((Bound::Included("assets/"), Bound::Unbounded)))
            .take_while(|(rel, _)| rel.starts_with("assets/"))
            .chain(shows)
            .map(|(rel, bytes)| (rel.as_str(), &bytes[..]));
        let digest = http::page_digest(
            shown,
            assets,
            now.problems.as_deref(),
            now.warnings.as_deref(),
            now.notice.as_deref(),
        );
        format!("{}-{digest}", self.session)
    }
}

/// Runs until Ctrl-C. Returns the exit status.
pub fn run(opts: Options, as_of_today: fn() -> Result<NaiveDate, String>) -> i32 {
    match start(opts, as_of_today) {
        Ok(()) => 0,
        Err(message) => {
            crate::content::stdio::errln!("error: {}", terminal_safe(&message));
            1
        }
    }
}

/// `--allow-host` names in the form requests are compared in (lower case,
/// no port, no trailing dot), so `MyHost.:8080` allows `myhost`; a name that
/// could never match a `Host` header is a usage error, not a silent 403.
fn allowed_hosts(names: &[String]) -> Result<Vec<String>, String> {
    names
        .iter()
        .map(|n| {
            http::host_name(n).ok_or_else(|| {
                format!(
                    "--allow-host `{}` is not a host name\n  hint: give a name such as intranet.example, without a scheme or path",
                    terminal_safe(n)
                )
            })
        })
        .collect()
}

fn start(opts: Options, as_of_today: fn() -> Result<NaiveDate, String>) -> Result<(), String> {
    if let Err(r) = publish::check_target(&opts.content, opts.theme.as_deref(), &opts.output) {
        return Err(format!("{}\n  hint: {}", r.message, r.hint));
    }
    let allowed = allowed_hosts(&opts.allow_hosts)?;
    let listener = bind(opts.bind, opts.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the server address: {e}"))?;
    let (events, raw) = mpsc::channel();
    let _watch = watch::sources(&opts.content, opts.theme.as_deref(), &opts.output, events)?;
    let pending = Arc::new(AtomicBool::new(false));
    let incoming = forward(raw, Arc::clone(&pending))?;

    let shared = Arc::new(Shared {
        now: Mutex::new(Snapshot::default()),
        changed: Condvar::new(),
        stopping: AtomicBool::new(false),
        session: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0),
    });
    let publisher = Publisher::start(&opts, Arc::clone(&shared));
    let rebuilder = Rebuilder {
        opts,
        cache: content::Cache::default(),
        as_of_today,
        shared: Arc::clone(&shared),
        publisher,
        last_warnings: Default::default(),
        earlier: Default::default(),
        theme: Default::default(),
        unfinished: Default::default(),
        pending,
    };
    rebuilder.rebuild(&[], &mut || false);

    let rule = HostRule {
        bound: addr.ip(),
        allowed,
    };
    let answer = Arc::new(move |c: Conn, head: Head| respond(c, &head, &shared, &rule));
    // Never joined: the process ends when the rebuild loop does.
    thread::spawn(move || conn::accept_loop(listener, conn::Limits::from_env(), answer));
    let url = format!("http://{addr}/");
    crate::content::stdio::errln!("serving {url} (Ctrl-C to stop)");
    if rebuilder.opts.open {
        open_browser(&url);
    }
    rebuilder.run(incoming);
    crate::content::stdio::errln!("stopped");
    Ok(())
}

fn bind(addr: IpAddr, port: Option<u16>) -> Result<TcpListener, String> {
    match port {
        Some(p) => TcpListener::bind((addr, p))
            .map_err(|e| format!("cannot listen on {}: {e}", SocketAddr::from((addr, p)))),
        None => (DEFAULT_PORT..DEFAULT_PORT.saturating_add(100))
            .find_map(|p| TcpListener::bind((addr, p)).ok())
            .ok_or_else(|| {
                format!(
                    "ports {DEFAULT_PORT} to {} on {addr} are all busy",
                    DEFAULT_PORT + 99
                )
            }),
    }
}

/// Builds into memory on every batch of changes and swaps the result in.
struct Rebuilder {
    opts: Options,
    /// Parsed files from the last rebuild; only changed files are parsed again.
    cache: content::Cache,
    as_of_today: fn() -> Result<NaiveDate, String>,
    shared: Arc<Shared>,
    publisher: Publisher,
    /// The warnings last printed, so a save that changes none of them
    /// does not print the same list again.
    last_warnings: std::cell::RefCell<String>,
    /// What the entry and plan pages being served were rendered from,
    /// and the Markdown: a rebuild renders only the pages whose inputs
    /// changed (`pages::deps`) and parses only the Markdown that changed.
    earlier: std::cell::RefCell<build::Earlier>,
    /// The theme the last good rebuild used, compiled: taken again while
    /// its files are unchanged.
    theme: std::cell::Cell<Option<Theme>>,
    /// The served generation whose exports a newer change stopped.
    unfinished: std::cell::Cell<Option<Unfinished>>,
    /// Raised by [`forward`] when a change comes, lowered when a rebuild
    /// takes the changes waiting: the exports being written halt at once
    /// ([`Out::halt_when`]) instead of finishing the step in progress.
    pending: Arc<AtomicBool>,
}

/// What the exports of a served generation are written from.
struct Unfinished {
    computed: build::Computed,
    theme: Theme,
    /// Its files so far: the pages (the checksums cover them).
    out: Out,
}

impl Rebuilder {
    fn run(self, incoming: Receiver<Event>) {
        // Changes that arrived while the exports of a rebuild were being
        // written, which stopped them for a rebuild with these.
        let mut newer: Option<Vec<PathBuf>> = None;
        // Ctrl-C came during a rebuild: it finishes (exports and
        // publishing included), then the loop ends.
        let mut stop = false;
        while !stop {
            let batch = match newer.take() {
                Some(paths) => Some(paths),
                None => watch::next_batch(&incoming),
            };
            let Some(paths) = batch else { break };
            // Lowered before the waiting changes are taken: one that comes
            // after raises it again, for this rebuild's exports.
            self.pending.store(false, Ordering::SeqCst);
            let paths = with_queued(paths, &incoming, &mut stop);
            let mut waiting = || {
                if newer.is_none() && !stop {
                    match incoming.try_recv() {
                        Ok(Event::Changed(paths)) => newer = Some(paths),
                        Ok(Event::Stop) => stop = true,
                        Err(_) => {}
                    }
                }
                newer.is_some()
            };
            self.rebuild(&paths, &mut waiting);
        }
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.shared.changed.notify_all();
        self.publisher.finish();
    }

    /// Renders the pages first and serves them (the reload happens here),
    /// then the exports and checksums, which the pages only link to, and
    /// publishes the whole site to the output folder. When `newer` says a
    /// newer change is waiting before the exports are done, they are left
    /// to the rebuild for it (nothing is published): the next preview
    /// does not wait for them.
    fn rebuild(&self, changed: &[PathBuf], newer: &mut dyn FnMut() -> bool) {
        let started = Instant::now();
        let cause = describe(changed);
        // A served generation whose exports this rebuild was to write.
        let unfinished = self.unfinished.take();
        let (prepared, mut diags) = self.prepare();
        let Some((computed, mut theme)) = prepared else {
            self.failed(&diags, &cause);
            return self.finish(unfinished);
        };
        let previous = self.shared.lock().files.clone();
        let first = self.serve_first(&computed, &mut theme, changed, previous.as_ref(), started);
        // What was served before the pages served first, to go back to
        // should the rest of the pages fail: the last good site, whole.
        let last_good = first.and(previous.clone());
        let out = match &previous {
            Some(p) => Out::memory_over(Arc::clone(p)),
            None => Out::memory(),
        };
        let mut earlier = self.earlier.borrow_mut();
        if previous.is_none() {
            // The keys describe the pages of `previous`, or there is none.
            earlier.keys = None;
        }
        let warnings = diags.count(ProblemKind::Warning);
        // A good build has no errors: this lists the warnings.
        let listed = diags.render_human(false);
        let mut served = None;
        let serve = || {
            self.serve_pages(&out, previous, warnings, &listed);
            served = Some(started.elapsed().as_millis());
            // The pages are complete; what follows halts for a newer save.
            out.halt_when(Some(Arc::clone(&self.pending)));
        };
        let rendered = build::render_then(&computed, &mut theme, &out, &mut earlier, serve, newer);
        drop(earlier);
        let Some(complete) = self.written(rendered, &mut diags) else {
            self.theme.set(Some(theme));
            if served.is_none()
                && let Some(files) = last_good
            {
                self.shared.lock().files = Some(files);
            }
            self.failed(&diags, &cause);
            return self.finish(unfinished);
        };
        let served = served.unwrap_or_default();
        let cause = match first {
            Some(ms) => format!("{cause}, its page first in {ms} ms"),
            None => cause,
        };
        if complete.is_none() {
            crate::content::stdio::errln!(
                "rebuilt in {served} ms{cause}; exports left for the newer change"
            );
            // Kept until the rebuild for the newer change has served its
            // pages: should it fail, these exports are written after all.
            self.unfinished.set(Some(Unfinished {
                computed,
                theme,
                out,
            }));
            return self.print_warnings(warnings, listed);
        }
        drop(computed);
        self.theme.set(Some(theme));
        let files = Arc::new(out.into_shared());
        // The same generation: the pages need not reload for the exports.
        self.shared.lock().files = Some(Arc::clone(&files));
        crate::content::stdio::errln!(
            "rebuilt in {served} ms{cause}: {} files, {warnings} warnings (exports {} ms later)",
            files.len(),
            started.elapsed().as_millis() - served
        );
        self.print_warnings(warnings, listed);
        self.publisher.publish(files);
    }

    /// Serves the pages of the entries and plans whose file `changed` names before
    /// the rest of the site is rendered, in a generation of their own over
    /// `previous`: the tab showing the entry being edited reloads without
    /// waiting for the register's Markdown, keys and other pages (some
    /// hundreds of milliseconds at 10,000 entries). Returns when they were
    /// served, in milliseconds since `started`.
    ///
    /// Not after a failed rebuild (its problems stay on every page until
    /// the whole site is in), nor for a save of more than
    /// [`FIRST_AT_MOST`] entries and plans (a checkout, a search and replace): then
    /// the whole site comes first.
    fn serve_first(
        &self,
        c: &build::Computed,
        theme: &mut Theme,
        changed: &[PathBuf],
        previous: Option<&Arc<Files>>,
        started: Instant,
    ) -> Option<u128> {
        let previous = previous?;
        if self.shared.lock().problems.is_some() {
            return None;
        }
        let first = edited_pages(&c.register, changed);
        if first.is_empty() || first.len() > FIRST_AT_MOST {
            return None;
        }
        let _t = crate::output::timing::phase("first pages");
        let out = Out::memory();
        // A page that fails here fails with the rest, which reports it.
        build::render_first_pages(c, theme, &out, &first).ok()?;
        let mut files = Files::clone(previous);
        files.extend(out.into_shared());
        let mut now = self.shared.lock();
        now.generation += 1;
        now.files = Some(Arc::new(files));
        drop(now);
        self.shared.changed.notify_all();
        Some(started.elapsed().as_millis())
    }

    /// Serves the pages `out` holds so far, with `previous`' other files
    /// (the exports) until the new ones are in: the pages reload now.
    fn serve_pages(&self, out: &Out, previous: Option<Arc<Files>>, warnings: usize, listed: &str) {
        let mut pages = out.shared_so_far();
        for (rel, bytes) in previous.iter().flat_map(|p| p.iter()) {
            if !rel.ends_with(".html") {
                pages
                    .entry(rel.clone())
                    .or_insert_with(|| Arc::clone(bytes));
            }
        }
        drop(previous);
        let mut now = self.shared.lock();
        now.generation += 1;
        now.files = Some(Arc::new(pages));
        now.problems = None;
        now.warnings = (warnings > 0).then(|| Arc::from(listed));
        drop(now);
        self.shared.changed.notify_all();
    }

    /// Writes the exports of a served generation a newer change stopped,
    /// when the rebuild for that change failed: the served site and the
    /// output folder then get them after all (Ctrl-C included).
    fn finish(&self, unfinished: Option<Unfinished>) {
        let Some(Unfinished {
            computed,
            mut theme,
            out,
        }) = unfinished
        else {
            return;
        };
        // Written whole whatever comes: this is the last good site's.
        out.halt_when(None);
        let rest = build::render_over(
            &computed,
            &mut theme,
            &out,
            Selection::Rest,
            &mut build::Earlier::default(),
            &[],
        );
        if let Err(e) = rest {
            crate::content::stdio::errln!(
                "the exports of the last good site were not written: {e}"
            );
            return;
        }
        // The page keys may describe the failed rebuild's pages, served
        // before its exports failed, not these: the next rebuild renders
        // every page rather than keep one of these for a key of those.
        let mut earlier = self.earlier.borrow_mut();
        earlier.keys = None;
        earlier.vars_keys = None;
        drop(earlier);
        let files = Arc::new(out.into_shared());
        self.shared.lock().files = Some(Arc::clone(&files));
        crate::content::stdio::errln!("wrote the exports of the last good site");
        self.publisher.publish(files);
    }

    /// Keeps the last good site and shows `diags`' problems on every page.
    fn failed(&self, diags: &Diagnostics, cause: &str) {
        let errors = diags.count(ProblemKind::Error);
        let mut now = self.shared.lock();
        now.generation += 1;
        now.problems = Some(Arc::new(Problems {
            errors,
            text: diags.render_human(true),
        }));
        drop(now);
        self.shared.changed.notify_all();
        crate::content::stdio::err(&diags.render_human(true));
        crate::content::stdio::errln!("rebuild failed{cause}; still serving the last good site");
    }

    /// `Some` when rendering went well; otherwise the error joins `diags`.
    fn written<T>(&self, r: Result<T, String>, diags: &mut Diagnostics) -> Option<T> {
        r.map_err(|message| {
            diags
                .error(&self.opts.output, Pos::START, message)
                .hint("this is a problem writing the site, not in the content");
        })
        .ok()
    }

    /// Lists the warnings in the terminal when they differ from the last
    /// list printed (each save would otherwise repeat them all).
    fn print_warnings(&self, count: usize, listed: String) {
        let mut last = self.last_warnings.borrow_mut();
        if count == 0 {
            last.clear();
        } else if *last == listed {
            crate::content::stdio::errln!("  (the same {count} warnings as before)");
        } else {
            crate::content::stdio::err(&listed);
            *last = listed;
        }
    }

    /// Loads and computes, reusing the parse of unchanged files.
    fn prepare(&self) -> (Option<(build::Computed, Theme)>, Diagnostics) {
        let as_of = match self.opts.as_of.map(Ok).unwrap_or_else(self.as_of_today) {
            Ok(d) => d,
            Err(message) => {
                let mut diags = Diagnostics::default();
                diags
                    .error(&self.opts.content, Pos::START, message)
                    .hint("set SOURCE_DATE_EPOCH to a number of seconds, or pass --as-of");
                return (None, diags);
            }
        };
        build::prepare_over(
            &self.opts.content,
            self.opts.theme.as_deref(),
            as_of,
            self.opts.audience,
            self.opts.git,
            Some(&self.cache),
            self.theme.take(),
        )
    }
}

/// The most entries and plans a save may change for their pages to be
/// served before the rest ([`Rebuilder::serve_first`]).
const FIRST_AT_MOST: usize = 8;

/// The entries and plans read from the files `changed` names. The
/// watcher's paths are absolute; a file read is the content folder as
/// given joined with its path, so a relative one is matched as the end
/// of a changed path.
fn edited_pages(reg: &crate::model::Register, changed: &[PathBuf]) -> FirstPages {
    let edited = |file: &std::path::Path| {
        changed
            .iter()
            .any(|c| c == file || (file.is_relative() && c.ends_with(file)))
    };
    let among = |files: &mut dyn Iterator<Item = &std::path::Path>| {
        files
            .enumerate()
            .filter(|(_, f)| edited(f))
            .map(|(i, _)| i)
            .collect()
    };
    FirstPages {
        entries: among(&mut reg.entries.iter().map(|e| e.origin.file.as_path())),
        plans: among(&mut reg.plans.iter().map(|p| p.origin.file.as_path())),
    }
}

/// The watcher's events, passed on by a thread of its own that raises
/// `pending` before passing a change: the rebuild loop is busy writing
/// exports when it comes, and they halt for it at once.
fn forward(raw: Receiver<Event>, pending: Arc<AtomicBool>) -> Result<Receiver<Event>, String> {
    let (events, incoming) = mpsc::channel();
    thread::Builder::new()
        .name("changes".into())
        .spawn(move || {
            for event in raw {
                if matches!(event, Event::Changed(_)) {
                    pending.store(true, Ordering::SeqCst);
                }
                if events.send(event).is_err() {
                    return;
                }
            }
        })
        .map_err(|e| format!("cannot start watching: {e}"))?;
    Ok(incoming)
}

/// `paths` and the changes queued up behind them, sorted, once each;
/// sets `stop` when Ctrl-C is among them.
fn with_queued(
    mut paths: Vec<PathBuf>,
    incoming: &Receiver<Event>,
    stop: &mut bool,
) -> Vec<PathBuf> {
    while let Ok(event) = incoming.try_recv() {
        match event {
            Event::Changed(more) => paths.extend(more),
            Event::Stop => *stop = true,
        }
    }
    paths.sort();
    paths.dedup();
    paths
}

fn describe(changed: &[PathBuf]) -> String {
    match changed {
        [] => String::new(),
        [one] => format!(" ({} changed)", shown(one)),
        many => format!(" ({} files changed)", many.len()),
    }
}

/// Writes good builds to the output folder on a thread of its own, newest
/// first: a burst of saves publishes the last state, not every one.
struct Publisher {
    queue: Option<Sender<Arc<Files>>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Publisher {
    fn start(opts: &Options, shared: Arc<Shared>) -> Publisher {
        let (queue, waiting) = mpsc::channel::<Arc<Files>>();
        let (content, theme, output) = (
            opts.content.clone(),
            opts.theme.clone(),
            opts.output.clone(),
        );
        // Named, so `top -H` shows what it is (and a test finds it).
        let spawned = thread::Builder::new()
            .name("publisher".into())
            .spawn(move || {
                yield_to_rebuilds();
                // Publishing writes and removes files in parallel: on
                // threads of its own, as low as this one, not on the
                // rebuilds' pool.
                let pool = rayon::ThreadPoolBuilder::new()
                    .thread_name(|i| format!("publisher-{i}"))
                    .start_handler(|_| yield_to_rebuilds())
                    .build();
                while let Ok(mut files) = waiting.recv() {
                    while let Ok(newer) = waiting.try_recv() {
                        files = newer;
                    }
                    // Checked again before every publish: the user may have
                    // put files there since.
                    let publish =
                        || build::publish_files(&files, &content, theme.as_deref(), &output);
                    let refusal = match &pool {
                        Ok(pool) => pool.install(publish).err(),
                        Err(_) => publish().err(),
                    };
                    report_refusal(&shared, refusal);
                }
            });
        match spawned {
            Ok(thread) => Publisher {
                queue: Some(queue),
                thread: Some(thread),
            },
            Err(e) => {
                crate::content::stdio::errln!(
                    "output folder not updated; still serving from memory: cannot start a thread: {e}"
                );
                Publisher {
                    queue: None,
                    thread: None,
                }
            }
        }
    }

    fn publish(&self, files: Arc<Files>) {
        if let Some(q) = &self.queue {
            let _ = q.send(files);
        }
    }

    /// Lets a publish in progress finish, so Ctrl-C never leaves a staging
    /// folder behind.
    fn finish(mut self) {
        self.queue = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Lowers the calling thread (the publisher, and each of its pool's) to
/// the lowest priority, so it runs on what the rebuilds leave. Publishing 10,000 entries takes
/// seconds of file-system work; beside the rebuild of the next save it
/// made that rebuild three times slower (2.7 s -> 8.8 s), and the author
/// waits for the rebuild, not for the output folder. On Linux the nice
/// value of `setpriority(PRIO_PROCESS, 0)` is the calling thread's.
#[cfg(target_os = "linux")]
fn yield_to_rebuilds() {
    // Refused, the thread stays as it was: only slower.
    let _ = rustix::process::setpriority_process(None, 19);
}

#[cfg(not(target_os = "linux"))]
fn yield_to_rebuilds() {}

/// Tells the terminal (once per new reason) and the pages (through the
/// snapshot, which makes them reload) why the output folder is behind.
fn report_refusal(shared: &Shared, reason: Option<String>) {
    let mut now = shared.lock();
    if now.notice.as_deref() == reason.as_deref() {
        return;
    }
    match &reason {
        Some(r) => crate::content::stdio::errln!(
            "output folder not updated; still serving from memory: {}",
            terminal_safe(r)
        ),
        None if now.notice.is_some() => {
            crate::content::stdio::errln!("output folder updated again")
        }
        None => {}
    }
    now.notice = reason.map(Arc::from);
    now.generation += 1;
    drop(now);
    shared.changed.notify_all();
}

fn respond(mut conn: Conn, head: &Head, shared: &Shared, rule: &HostRule) {
    let host = head.host.as_deref().unwrap_or("");
    if !rule.allows(host) {
        let why = "this preview answers only requests addressed to this machine \
                   (localhost, 127.0.0.1, the --bind address) or to a name given \
                   with --allow-host\n";
        return send(&conn, text(403, why), false);
    }
    let head_only = match head.method.as_str() {
        "GET" => false,
        "HEAD" => true,
        _ => {
            let reply = text(405, "only GET and HEAD are served\n");
            return send(&conn, reply, false);
        }
    };
    let now = shared.snapshot();
    let files = now.files.as_deref();
    let route = http::route(&head.target, |p| files.is_some_and(|f| f.contains_key(p)));
    let snippet = || {
        http::live_snippet(
            &shared.page_tag(&now, &head.target),
            now.problems.as_deref(),
            now.warnings.as_deref(),
            now.notice.as_deref(),
        )
    };
    let reply = match route {
        Route::Events if !rule.allows_origin(head.origin.as_deref(), host) => text(
            403,
            "the reload stream is only for this preview's own pages\n",
        ),
        Route::Events => match http::events_page(&head.target) {
            Err(why) => text(400, why),
            Ok(_) if !conn.begin_stream() => Reply {
                retry: true,
                ..text(503, "too many open previews; close some tabs\n")
            },
            Ok(page) => return events(&conn.stream, shared, page.as_deref()),
        },
        Route::LiveScript => Reply::new(200, "text/javascript; charset=utf-8", LIVE_JS.as_bytes()),
        Route::File(path) => {
            let body = &files.expect("route found the file")[&path];
            let kind = http::content_type(&path);
            if http::is_html(&path) && !path.starts_with("evidence/") {
                Reply::new(200, kind, http::inject(body, &snippet()))
            } else {
                // Borrowed from the snapshot, not copied: a crowd of
                // clients asking for a large file costs no memory per client.
                Reply {
                    sandbox: http::evidence_is_sandboxed(&path),
                    ..Reply::new(200, kind, &body[..])
                }
            }
        }
        Route::Redirect(to) => Reply {
            location: Some(to),
            ..text(301, "moved\n")
        },
        Route::NotFound(path) if path == "/" && files.is_none() => html(
            200,
            http::inject(http::no_site_page().as_bytes(), &snippet()),
        ),
        Route::NotFound(path) => html(
            404,
            http::inject(http::not_found_page(&path).as_bytes(), &snippet()),
        ),
        Route::BadRequest => text(400, "not a path of this site\n"),
    };
    send(&conn, reply, head_only);
}

const LIVE_JS: &str = include_str!("live.js");

struct Reply<'a> {
    status: u16,
    kind: &'static str,
    location: Option<String>,
    /// `Content-Security-Policy: sandbox`: the file's scripts, if any, run
    /// on an opaque origin, away from the site.
    sandbox: bool,
    /// `Retry-After`, for a refusal that is only about load.
    retry: bool,
    body: Cow<'a, [u8]>,
}

impl<'a> Reply<'a> {
    fn new(status: u16, kind: &'static str, body: impl Into<Cow<'a, [u8]>>) -> Reply<'a> {
        Reply {
            status,
            kind,
            location: None,
            sandbox: false,
            retry: false,
            body: body.into(),
        }
    }
}

fn html(status: u16, body: Vec<u8>) -> Reply<'static> {
    Reply::new(status, "text/html; charset=utf-8", body)
}

fn text(status: u16, body: &'static str) -> Reply<'static> {
    Reply::new(status, "text/plain; charset=utf-8", body.as_bytes())
}

/// Writes the whole response and closes the connection, within the
/// answer's deadline ([`Conn::write_all`]). The head goes out in one write
/// with the start of the body: head and body written apart let Nagle's
/// algorithm hold the body back ~40 ms per file, which a page with its
/// stylesheet, script and charts felt on every reload.
fn send(conn: &Conn, reply: Reply, head_only: bool) {
    let reason = match reply.status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "",
    };
    let mut out = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         {}Cache-Control: no-store\r\nConnection: close\r\n",
        reply.status,
        reply.kind,
        reply.body.len(),
        http::SAME_ORIGIN_HEADERS
    )
    .into_bytes();
    if let Some(to) = &reply.location {
        let to: String = to.chars().filter(|c| !c.is_control()).collect();
        out.extend_from_slice(format!("Location: {to}\r\n").as_bytes());
    }
    if reply.sandbox {
        out.extend_from_slice(b"Content-Security-Policy: sandbox\r\n");
    }
    if reply.retry {
        out.extend_from_slice(b"Retry-After: 5\r\n");
    }
    out.extend_from_slice(b"\r\n");
    let body: &[u8] = if head_only { &[] } else { &reply.body };
    let (first, rest) = body.split_at(body.len().min(64 * 1024));
    out.extend_from_slice(first);
    let _ = conn.write_all(&out).and_then(|()| conn.write_all(rest));
}

/// The Server-Sent Events stream: the tag of `page` at once, then a new
/// one whenever a rebuild (or a change of the publish notice) changes it,
/// and a comment every 15 s so a closed tab is noticed and its thread ends.
/// It wakes at every generation and compares the page's tag with the last
/// one sent: a tab whose page a save left as it was hears nothing. Without
/// `page`, every generation is announced (see [`Shared::tag`]).
fn events(mut w: &TcpStream, shared: &Shared, page: Option<&str>) {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n{}\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        http::SAME_ORIGIN_HEADERS
    );
    if w.write_all(head.as_bytes()).is_err() {
        return;
    }
    // The generation last looked at, the tag last sent, and when the
    // stream last wrote: a stream whose page no rebuild changes still
    // writes a comment every 15 s, or a closed tab would hold its slot for
    // as long as the author keeps saving other pages.
    let mut seen: Option<u64> = None;
    let mut sent: Option<String> = None;
    let mut wrote = Instant::now();
    loop {
        let quiet = KEEP_ALIVE.saturating_sub(wrote.elapsed());
        let guard = shared.lock();
        let (guard, _) = shared
            .changed
            .wait_timeout_while(guard, quiet, |s| {
                Some(s.generation) == seen && !shared.stopping.load(Ordering::SeqCst)
            })
            .unwrap_or_else(|e| e.into_inner());
        // Cheap (the bytes are shared): the tag is worked out unlocked.
        let now = guard.clone();
        drop(guard);
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let mut message = None;
        if seen != Some(now.generation) {
            seen = Some(now.generation);
            let tag = match page {
                Some(page) => shared.page_tag(&now, page),
                None => shared.tag(now.generation),
            };
            if sent.as_ref() != Some(&tag) {
                message = Some(format!("event: generation\ndata: {tag}\n\n"));
                sent = Some(tag);
            }
        }
        let message = match message {
            Some(m) => m,
            None if wrote.elapsed() >= KEEP_ALIVE => ": keep-alive\n\n".to_string(),
            None => continue,
        };
        if w.write_all(message.as_bytes())
            .and_then(|_| w.flush())
            .is_err()
        {
            return;
        }
        wrote = Instant::now();
    }
}

/// The longest an events stream stays silent.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// `--open`: the platform's "open this URL" command. Its own output is
/// not ours to show (xdg-open without a browser prints a screenful), so it
/// runs silenced, and a thread waits for it so that it never lingers as a
/// zombie. A failure is one line; the server runs on.
fn open_browser(url: &str) {
    use std::process::{Command, Stdio};
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let failed = format!("could not open a browser; open {url} yourself");
    match command.spawn() {
        Ok(mut child) => {
            std::thread::spawn(move || {
                if !child.wait().is_ok_and(|s| s.success()) {
                    crate::content::stdio::errln!("{failed}");
                }
            });
        }
        Err(_) => crate::content::stdio::errln!("{failed}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::theme::theme_with_template;
    use std::path::Path;

    #[test]
    fn allow_host_names_are_normalised_and_nonsense_is_refused() {
        let ok = allowed_hosts(&["Intranet.Example.:8080".into(), "preview".into()]).unwrap();
        assert_eq!(ok, ["intranet.example", "preview"]);
        let err = allowed_hosts(&["https://intranet.example/".into()]).unwrap_err();
        assert!(err.contains("is not a host name"), "{err}");
    }

    fn new_shared(session: u128) -> Shared {
        Shared {
            now: Mutex::new(Snapshot::default()),
            changed: Condvar::new(),
            stopping: AtomicBool::new(false),
            session,
        }
    }

    /// A snapshot of a site of a dashboard, a register page and a stylesheet.
    fn site(dashboard: &str, register: &str, css: &str) -> Snapshot {
        let files = [
            ("index.html", dashboard),
            ("register/index.html", register),
            ("assets/style.css", css),
            ("register.json", "{}"),
        ]
        .into_iter()
        .map(|(rel, text)| (rel.to_string(), Arc::from(text.as_bytes())))
        .collect();
        Snapshot {
            files: Some(Arc::new(files)),
            ..Snapshot::default()
        }
    }

    /// The tag `data-build` and the events stream both take: the same for
    /// the same page as it was, whatever else changed; new when the page,
    /// the theme's files or what is shown over every page change.
    #[test]
    fn a_page_tag_moves_with_its_own_page_and_the_problems_only() {
        let shared = new_shared(7);
        let tag = |now: &Snapshot, target: &str| shared.page_tag(now, target);
        let first = site("<p>dash</p>", "<p>list</p>", "p{}");
        let dash = tag(&first, "/");
        assert!(dash.starts_with("7-"), "{dash}");
        assert_eq!(dash, tag(&first, "/index.html?x=1"), "the same page");
        assert_ne!(dash, shared.tag(1), "never a generation's tag");

        let mut later = site("<p>dash</p>", "<p>list, longer</p>", "p{}");
        later.generation = 9;
        assert_eq!(dash, tag(&later, "/"), "another page changed");
        assert_ne!(tag(&first, "/register/"), tag(&later, "/register/"));
        let restyled = site("<p>dash</p>", "<p>list</p>", "p{color:red}");
        assert_ne!(dash, tag(&restyled, "/"), "the stylesheet changed");

        let failed = Snapshot {
            problems: Some(Arc::new(Problems {
                errors: 1,
                text: "register/CI-001.yaml:2:9: bad".into(),
            })),
            ..first.clone()
        };
        assert_ne!(dash, tag(&failed, "/"), "a failed build reloads every tab");
        assert_ne!(tag(&first, "/nope"), tag(&failed, "/nope"), "404s too");
        let noticed = Snapshot {
            notice: Some(Arc::from("holds MY-NOTES.txt")),
            ..first.clone()
        };
        assert_ne!(dash, tag(&noticed, "/"), "and a notice");
        let warned = Snapshot {
            warnings: Some(Arc::from("1 warning")),
            ..first.clone()
        };
        assert_ne!(dash, tag(&warned, "/"), "and warnings");

        assert_eq!(tag(&first, "/nope"), tag(&later, "/nope"));
        assert_ne!(tag(&first, "/nope"), tag(&first, "/nope2"));
        assert_ne!(
            tag(&Snapshot::default(), "/"),
            tag(&Snapshot::default(), "/nope"),
            "no site yet is not a 404"
        );
        assert_ne!(
            tag(&first, "/register"),
            tag(&first, "/register/"),
            "a redirect"
        );
        assert_ne!(new_shared(8).page_tag(&first, "/"), dash, "another run");
    }

    /// A page showing an evidence copy as an image (Markdown
    /// `![](evidence/…)`) changes its tag when the copy changes, though
    /// its own bytes do not; a copy it does not show (another, or one it
    /// links to) changes nothing.
    #[test]
    fn a_page_tag_moves_with_the_evidence_the_page_shows() {
        let shared = new_shared(7);
        let page = "<title>t</title><main><img src=\"../../evidence/a%20b&amp;c.png\" alt=\"\">\
                    <p>evidence/ in words <a href=\"../../evidence/r&amp;d.pdf\">r</a></p></main>";
        let with = |shown: &str, other: &str, linked: &str| {
            let mut now = site("<p>dash</p>", page, "p{}");
            let files = Arc::get_mut(now.files.as_mut().unwrap()).unwrap();
            let evidence = [
                ("evidence/a b&c.png", shown),
                ("evidence/r&d.pdf", linked),
                ("evidence/c.png", other),
            ];
            for (rel, bytes) in evidence {
                files.insert(rel.to_string(), Arc::from(bytes.as_bytes()));
            }
            shared.page_tag(&now, "/register/")
        };
        let base = with("one", "x", "p");
        assert_ne!(base, with("two", "x", "p"), "the image it shows changed");
        assert_eq!(base, with("one", "y", "p"), "another evidence file changed");
        assert_eq!(base, with("one", "x", "q"), "a file it only links to");
    }

    /// The register page draws its filtered and sorted rows from
    /// `register-rows.json` (its own bytes hold the first 200 rows): its
    /// tag changes with that file; a page without a script of its own
    /// (the dashboard) does not.
    #[test]
    fn a_page_tag_moves_with_the_data_its_own_script_shows() {
        let shared = new_shared(7);
        let list = "<title>t</title><main><table></table></main>\
                    <script src=\"../assets/search.js\"></script>\
                    <script src=\"../assets/register.js\"></script>";
        let dash = "<title>t</title><main></main><script src=\"assets/search.js\"></script>";
        let with = |rows: &str| {
            let mut now = site(dash, list, "p{}");
            let files = Arc::get_mut(now.files.as_mut().unwrap()).unwrap();
            files.insert("register-rows.json".into(), Arc::from(rows.as_bytes()));
            [
                shared.page_tag(&now, "/register/"),
                shared.page_tag(&now, "/"),
            ]
        };
        let [list_was, dash_was] = with("{\"docs\":[[\"CI-250\",\"Old\"]]}");
        let [list_is, dash_is] = with("{\"docs\":[[\"CI-250\",\"New\"]]}");
        assert_ne!(
            list_was, list_is,
            "the rows the register page draws changed"
        );
        assert_eq!(dash_was, dash_is, "the dashboard draws none");
        assert!(!http::runs_own_script(dash.as_bytes()));
        assert!(http::runs_own_script(b"<p>x</p><SCRIPT>go()</SCRIPT>"));
    }

    /// A copy of the demo, a rebuilder over it (no server, no watcher)
    /// and the folder it publishes to.
    fn rebuilder(dir: &Path) -> Rebuilder {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let content = dir.join("content");
        content::copy_dir(&root.join("content"), &content);
        let opts = Options {
            content,
            output: dir.join("output"),
            theme: None,
            audience: crate::model::Visibility::Restricted,
            as_of: NaiveDate::from_ymd_opt(2026, 11, 27),
            bind: IpAddr::from([127, 0, 0, 1]),
            port: None,
            open: false,
            allow_hosts: Vec::new(),
            git: crate::content::git::GitHistory::Off,
        };
        let shared = Arc::new(new_shared(1));
        Rebuilder {
            publisher: Publisher::start(&opts, Arc::clone(&shared)),
            opts,
            cache: content::Cache::default(),
            as_of_today: || Err("no today in tests".into()),
            shared,
            last_warnings: Default::default(),
            earlier: Default::default(),
            theme: Default::default(),
            unfinished: Default::default(),
            pending: Default::default(),
        }
    }

    fn served(r: &Rebuilder, rel: &str) -> String {
        let files = r.shared.lock().files.clone().unwrap();
        String::from_utf8_lossy(&files[rel]).into_owned()
    }

    /// Review of issue 27's second round: a good save whose exports a
    /// newer save stopped, then that newer save broken. The newer rebuild
    /// fails, so the stopped exports are written after all: served, and
    /// published (Ctrl-C waits for that).
    #[test]
    fn stopped_exports_are_written_when_the_newer_save_fails() {
        let dir = tempfile::tempdir().unwrap();
        let r = rebuilder(dir.path());
        r.rebuild(&[], &mut || false);
        let file = r.opts.content.join("register/CI-009.yaml");
        let text = std::fs::read_to_string(&file).unwrap();
        let title = text.lines().find(|l| l.starts_with("title:")).unwrap();
        std::fs::write(&file, text.replace(title, "title: Goodmark")).unwrap();
        // A newer change is waiting as soon as the pages are served.
        r.rebuild(&[], &mut || true);
        assert!(served(&r, "register/CI-009/index.html").contains("Goodmark"));
        assert!(!served(&r, "register.json").contains("Goodmark"), "stopped");
        std::fs::write(&file, format!("{text}\ntitle: [unclosed\n")).unwrap();
        r.rebuild(&[], &mut || false);
        assert!(r.shared.lock().problems.is_some(), "the newer save failed");
        assert!(
            served(&r, "register.json").contains("Goodmark"),
            "written after all"
        );
        let output = r.opts.output.clone();
        r.publisher.finish();
        let published = std::fs::read_to_string(output.join("register.json")).unwrap();
        assert!(published.contains("Goodmark"), "and published");
    }

    /// Sets `entry`'s title in the rebuilder's content.
    fn retitle(r: &Rebuilder, entry: &str, title: &str) {
        let file = r.opts.content.join(format!("register/{entry}.yaml"));
        let text = std::fs::read_to_string(&file).unwrap();
        let old = text.lines().find(|l| l.starts_with("title:")).unwrap();
        std::fs::write(&file, text.replacen(old, &format!("title: {title}"), 1)).unwrap();
    }

    /// Review 3 of issue 27: a save whose exports a newer save stopped,
    /// then a newer save whose pages are served but whose exports fail (a
    /// theme's feed template erring on its data): the stopped generation
    /// comes back whole, and the page keys, which describe the failed
    /// save's pages, must not keep its pages. The next good save showed
    /// the stopped generation's CI-009 page, a save behind.
    #[test]
    fn pages_are_not_kept_from_a_stopped_generation_brought_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = rebuilder(dir.path());
        r.opts.theme = Some(theme_with_template(
            &dir.path().join("theme"),
            "feed.xml",
            "{% for e in entries %}{% if \"Boom\" in e.title %}{{ throw(message=\"boom\") }}{% endif %}{% endfor %}",
        ));
        let site = r.opts.content.join("site.yaml");
        let text = std::fs::read_to_string(&site).unwrap();
        std::fs::write(&site, format!("base_url: https://example.org/\n{text}")).unwrap();
        r.rebuild(&[], &mut || false);
        assert!(served(&r, "feed.xml").is_empty(), "the theme's feed");
        let page = "register/CI-009/index.html";

        retitle(&r, "CI-009", "Firstmark");
        r.rebuild(&[], &mut || true);
        assert!(served(&r, page).contains("Firstmark"));
        retitle(&r, "CI-009", "Secondmark");
        retitle(&r, "CI-010", "Boom");
        r.rebuild(&[], &mut || false);
        assert!(r.shared.lock().problems.is_some(), "the feed failed");
        retitle(&r, "CI-010", "Calm");
        r.rebuild(&[], &mut || false);
        assert!(r.shared.lock().problems.is_none());
        assert!(served(&r, page).contains("Secondmark"), "a stale page");
    }

    /// Issue 27: the page of the entry just saved is served in a
    /// generation of its own before the rest is rendered: that page new,
    /// every other file the last generation's. Then the whole rebuild
    /// serves the same bytes for it. After a failed rebuild nothing is
    /// served first (the problems stay until the whole site is in).
    #[test]
    fn the_saved_entry_s_page_is_served_first_then_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let r = rebuilder(dir.path());
        r.rebuild(&[], &mut || false);
        let before = r.shared.snapshot();
        let page = "register/CI-009/index.html";
        retitle(&r, "CI-009", "Firstmark");
        let file = r.opts.content.join("register/CI-009.yaml");
        let changed = [std::path::absolute(&file).unwrap()];

        let (prepared, _) = r.prepare();
        let (computed, mut theme) = prepared.unwrap();
        let previous = before.files.clone();
        let first = r.serve_first(
            &computed,
            &mut theme,
            &changed,
            previous.as_ref(),
            Instant::now(),
        );
        assert!(first.is_some(), "served first");
        let now = r.shared.snapshot();
        assert_eq!(now.generation, before.generation + 1);
        let (was, is) = (before.files.unwrap(), now.files.unwrap());
        assert!(String::from_utf8_lossy(&is[page]).contains("Firstmark"));
        assert_eq!(
            was.keys().collect::<Vec<_>>(),
            is.keys().collect::<Vec<_>>()
        );
        for (rel, bytes) in is.iter().filter(|(rel, _)| *rel != page) {
            assert!(was[rel] == *bytes, "{rel} is not the last generation's");
        }

        r.rebuild(&changed, &mut || false);
        assert!(
            r.shared.lock().files.clone().unwrap()[page] == is[page],
            "the same page"
        );
        assert!(served(&r, "register/index.html").contains("Firstmark"));

        std::fs::write(&file, "title: [unclosed\n").unwrap();
        r.rebuild(&changed, &mut || false);
        assert!(r.shared.lock().problems.is_some());
        retitle(&r, "CI-010", "Secondmark");
        let (prepared, _) = r.prepare();
        assert!(prepared.is_none(), "CI-009 is still broken");
        let previous = r.shared.lock().files.clone();
        let (computed, mut theme) =
            computed_from(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
        let all = [std::path::absolute(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("content/register/CI-010.yaml"),
        )
        .unwrap()];
        assert_eq!(edited_pages(&computed.register, &all).entries.len(), 1);
        let first = r.serve_first(
            &computed,
            &mut theme,
            &all,
            previous.as_ref(),
            Instant::now(),
        );
        assert!(first.is_none(), "not over a failed rebuild");
    }

    /// The pages served first are taken back when the rest of the pages
    /// fail to render (a theme's register page erring on a title): the
    /// last good site stays whole under the problems.
    #[test]
    fn pages_served_first_are_taken_back_when_the_rest_fail() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = rebuilder(dir.path());
        r.opts.theme = Some(theme_with_template(
            &dir.path().join("theme"),
            "register.html",
            "{% for r in rows %}{% if \"Boom\" in r.title %}{{ throw(message=\"boom\") }}{% endif %}{% endfor %}",
        ));
        r.rebuild(&[], &mut || false);
        let page = "register/CI-009/index.html";
        let before = served(&r, page);
        retitle(&r, "CI-009", "Boom");
        let file = r.opts.content.join("register/CI-009.yaml");
        r.rebuild(&[std::path::absolute(&file).unwrap()], &mut || false);
        assert!(
            r.shared.lock().problems.is_some(),
            "the register page failed"
        );
        assert_eq!(
            served(&r, page),
            before,
            "the page served first is taken back"
        );
    }

    /// `content` loaded and computed as the test rebuilder does (for
    /// everyone, on its as-of date, without git), with the built-in theme.
    fn computed_from(content: &Path) -> (build::Computed, Theme) {
        let (prepared, diags) = build::prepare_build(
            content,
            None,
            NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            crate::model::Visibility::Restricted,
            crate::content::git::GitHistory::Off,
            None,
        );
        prepared.unwrap_or_else(|| panic!("{diags:?}"))
    }

    /// The watcher's paths are absolute; an entry's file is as relative
    /// as the content folder given on the command line.
    #[test]
    fn an_edited_entry_or_plan_is_found_by_a_relative_or_absolute_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let prepare = |content: &Path| computed_from(content).0;
        let changed = [root.join("content/register/CI-010.yaml")];
        let absolute = prepare(&root.join("content"));
        let found = edited_pages(&absolute.register, &changed);
        assert_eq!(found.len(), 1);
        assert_eq!(absolute.register.entries[found.entries[0]].id, "CI-010");
        let relative = prepare(Path::new("content"));
        assert_eq!(edited_pages(&relative.register, &changed), found);
        let elsewhere = [root.join("content/register/CI-010.yml")];
        assert!(edited_pages(&absolute.register, &elsewhere).is_empty());
        let plan = &absolute.register.plans[0];
        let saved = [std::path::absolute(&plan.origin.file).unwrap()];
        let found = edited_pages(&relative.register, &saved);
        assert_eq!((found.entries.len(), found.plans), (0, vec![0]));
    }

    /// Issue 27: a change that comes while the exports are being written
    /// halts them at once (not after the export in progress): the pages
    /// stay served, the exports are left to the next rebuild. Should that
    /// rebuild fail, the halted exports are written whole after all, even
    /// with yet another change waiting.
    #[test]
    fn exports_halt_for_a_change_that_comes_while_they_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let r = rebuilder(dir.path());
        r.rebuild(&[], &mut || false);
        retitle(&r, "CI-009", "Haltmark");
        // A change comes as the exports start; the loop has not looked.
        r.rebuild(&[], &mut || {
            r.pending.store(true, Ordering::SeqCst);
            false
        });
        assert!(served(&r, "register/CI-009/index.html").contains("Haltmark"));
        assert!(!served(&r, "register.json").contains("Haltmark"), "halted");
        let unfinished = r.unfinished.take();
        assert!(unfinished.is_some(), "left for the next rebuild");
        r.unfinished.set(unfinished);

        let file = r.opts.content.join("register/CI-009.yaml");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, format!("{text}\ntitle: [unclosed\n")).unwrap();
        r.rebuild(&[], &mut || false);
        assert!(r.shared.lock().problems.is_some(), "the newer save failed");
        assert!(r.pending.load(Ordering::SeqCst), "still raised");
        assert!(
            served(&r, "register.json").contains("Haltmark"),
            "the halted exports written after all"
        );
    }

    /// Changes raise the flag before they are passed on; Ctrl-C does not
    /// (the exports in progress are finished and published).
    #[test]
    fn changes_raise_the_flag_that_halts_the_exports_and_ctrl_c_does_not() {
        let (events, raw) = mpsc::channel();
        let pending = Arc::new(AtomicBool::new(false));
        let incoming = forward(raw, Arc::clone(&pending)).unwrap();
        events.send(Event::Stop).unwrap();
        assert!(matches!(incoming.recv(), Ok(Event::Stop)));
        assert!(!pending.load(Ordering::SeqCst));
        events
            .send(Event::Changed(vec![PathBuf::from("a.yaml")]))
            .unwrap();
        assert!(matches!(incoming.recv(), Ok(Event::Changed(p)) if p == [PathBuf::from("a.yaml")]));
        assert!(
            pending.load(Ordering::SeqCst),
            "raised before it was passed on"
        );
    }
}
