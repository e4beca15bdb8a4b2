//! Watching the content and theme folders for the live preview (`watch`,
//! `serve`).
//!
//! Editors save in many ways: write in place, write a temporary file and
//! rename it over the original (vim, VS Code, JetBrains), or touch swap
//! and backup files on the side. One save can therefore raise a burst of
//! events on several paths. The debouncer folds each burst into one batch;
//! we drop the events that cannot change the site (reads, editor
//! droppings, anything under the output folder) and report one "changed"
//! per batch that is left.

use crate::model::diag::shown;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

/// What the rebuild loop of `watch` and `serve` waits for.
pub enum Event {
    /// Files changed (one debounced batch).
    Changed(Vec<PathBuf>),
    /// Ctrl-C: finish what is running, then stop.
    Stop,
}

/// How long a burst of events must be quiet before it counts as one save.
/// Editors finish an atomic save within a few milliseconds; this is short
/// enough to stay well inside the preview's latency budget.
pub const QUIET: Duration = Duration::from_millis(30);

/// What the watcher looks at and what it must ignore.
pub struct Scope {
    /// Folders watched recursively (content, theme). Missing ones are skipped.
    pub roots: Vec<PathBuf>,
    /// Never a reason to rebuild, even when it lies inside a root.
    pub output: PathBuf,
}

/// A running watcher; dropping it stops watching.
pub struct Watch {
    _debouncer: Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>,
}

/// Starts watching; every batch of relevant changes is sent on `events`.
pub fn start(scope: Scope, sink: Sender<Event>) -> Result<Watch, String> {
    let roots: Vec<PathBuf> = scope.roots.iter().map(|r| absolute(r)).collect();
    let output = absolute(&scope.output);
    let filter = (roots.clone(), output);
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let mut paths: Vec<PathBuf> = events
            .iter()
            .filter(|e| changes_content(&e.event.kind))
            .flat_map(|e| e.event.paths.iter())
            .filter(|p| is_relevant(p, &filter.0, &filter.1))
            .cloned()
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            let _ = sink.send(Event::Changed(paths));
        }
    };
    let mut debouncer =
        new_debouncer(QUIET, None, handler).map_err(|e| format!("cannot watch files: {e}"))?;
    for root in roots.iter().filter(|r| r.is_dir()) {
        debouncer
            .watch(root, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    }
    Ok(Watch {
        _debouncer: debouncer,
    })
}

/// What `watch` and `serve` both set up: Ctrl-C handling, and a watch on
/// the content folder and the theme folder (if any), never the output.
pub fn sources(
    content: &Path,
    theme: Option<&Path>,
    output: &Path,
    events: Sender<Event>,
) -> Result<Watch, String> {
    stop_on_ctrl_c(events.clone())?;
    let mut roots = vec![content.to_path_buf()];
    roots.extend(theme.map(Path::to_path_buf));
    start(
        Scope {
            roots,
            output: output.to_path_buf(),
        },
        events,
    )
}

/// Sends [`Event::Stop`] on Ctrl-C (SIGINT, and SIGTERM on Unix) instead of
/// dying mid-publish.
pub fn stop_on_ctrl_c(events: Sender<Event>) -> Result<(), String> {
    ctrlc::set_handler(move || {
        let _ = events.send(Event::Stop);
    })
    .map_err(|e| format!("cannot handle Ctrl-C: {e}"))
}

/// Waits for the next change and folds in any that queued up meanwhile, so
/// a save during a rebuild causes one more rebuild, not one per event.
/// `None` once stopped.
pub fn next_batch(events: &Receiver<Event>) -> Option<Vec<PathBuf>> {
    let Ok(Event::Changed(mut paths)) = events.recv() else {
        return None;
    };
    while let Ok(event) = events.try_recv() {
        match event {
            Event::Changed(more) => paths.extend(more),
            Event::Stop => return None,
        }
    }
    paths.sort();
    paths.dedup();
    Some(paths)
}

/// Reads and metadata-only access never change the site; creation,
/// modification (including renames) and removal do.
fn changes_content(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    )
}

/// Whether a change at `path` can change the site: it lies inside a watched
/// root, outside the output, and neither it nor a folder between it and the
/// root is an editor dropping or hidden (`.git/`, `.vscode/`).
pub fn is_relevant(path: &Path, roots: &[PathBuf], output: &Path) -> bool {
    let path = absolute(path);
    if path.starts_with(output) {
        return false;
    }
    let Some(inside) = roots.iter().find_map(|r| path.strip_prefix(r).ok()) else {
        return false;
    };
    inside
        .components()
        .all(|c| !is_editor_dropping(&c.as_os_str().to_string_lossy()))
}

/// Files editors write beside the one being saved: those the loader ignores
/// (see the content-format spec), and two that exist only during a save.
pub fn is_editor_dropping(name: &str) -> bool {
    crate::content::files::is_ignored_name(name)
        || name == "4913" // vim's "can I write here" probe
        || (name.starts_with('#') && name.ends_with('#')) // emacs auto-save
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// `watch`: a full build to disk now and after every batch of changes.
pub(super) fn run(opts: &crate::site::build::Options) -> i32 {
    let (events, incoming) = std::sync::mpsc::channel();
    let started = sources(&opts.content, opts.theme.as_deref(), &opts.output, events);
    let _watch = match started {
        Ok(w) => w,
        Err(e) => {
            crate::content::stdio::errln!("error: {e}");
            return 1;
        }
    };
    super::build::run(opts);
    crate::content::stdio::errln!("watching {} (Ctrl-C to stop)", shown(&opts.content));
    while let Some(paths) = next_batch(&incoming) {
        if let [one] = paths.as_slice() {
            crate::content::stdio::errln!("{} changed", shown(one));
        } else {
            crate::content::stdio::errln!("{} files changed", paths.len());
        }
        super::build::run(opts);
    }
    crate::content::stdio::errln!("stopped");
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_droppings_trigger_no_rebuild() {
        for name in [
            ".CI-001.yaml.swp",
            "CI-001.yaml~",
            "4913",
            "#CI-001.yaml#",
            ".#CI-001.yaml",
            "CI-001.yaml.tmp",
        ] {
            assert!(is_editor_dropping(name), "{name}");
        }
        for name in ["CI-001.yaml", "plan.md", "style.css", "report.pdf"] {
            assert!(!is_editor_dropping(name), "{name}");
        }
    }

    #[test]
    fn only_changes_that_can_change_the_site_count() {
        let roots = [absolute(Path::new("content")), absolute(Path::new("theme"))];
        let out = absolute(Path::new("content/output"));
        let relevant = |p: &str| is_relevant(Path::new(p), &roots, &out);
        assert!(relevant("content/register/CI-001.yaml"));
        assert!(relevant("theme/templates/base.html"));
        assert!(!relevant("content/output/index.html"));
        assert!(!relevant("content/.git/index"));
        assert!(!relevant("content/register/.CI-001.yaml.swp"));
        assert!(!relevant("elsewhere/CI-001.yaml"));
    }
}
