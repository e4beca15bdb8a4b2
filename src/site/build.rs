//! One build, from content folder to published output: the pipeline that
//! `build` runs and that later commands (watch, serve) reuse.

use crate::compute::rollup::{self, EntryFacts, Rollups};
use crate::compute::{asof, audience, warnings};
use crate::content;
use crate::content::git::{self, GitHistory};
use crate::content::i18n::Catalogue;
use crate::model::diag::{Diagnostics, Pos};
use crate::model::{Register, Visibility};
use crate::output::integrity::{self, Identity};
use crate::output::pages::deps::PageKeys;
use crate::output::pages::{self as render};
use crate::output::pieces::{self, Pieces};
use crate::output::search_memo::SearchMemo;
use crate::output::sink::{Out, Record, Reuse, Stamp};
use crate::output::timing;
use crate::output::{self, Inputs, Selection, theme};
use crate::site::publish::{self, Staging};
use crate::site::survey::Seen;
use crate::site::{parsed, reuse, sums};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub struct Options {
    pub content: PathBuf,
    pub output: PathBuf,
    /// `None`: the built-in theme only.
    pub theme: Option<PathBuf>,
    pub as_of: NaiveDate,
    /// Who the site is for: only what this audience may see is published.
    pub audience: Visibility,
    /// Whether pages list revisions from git (`--no-git`: off).
    pub git: GitHistory,
}

/// What a successful build wrote.
pub struct Report {
    pub files: usize,
    pub entries: usize,
}

/// Validated content with its computed figures.
pub struct Computed {
    pub register: Register,
    pub facts: Vec<EntryFacts>,
    pub rollups: Rollups,
    /// What `check` validated: the content before the register was cut
    /// back to the as-of date.
    pub validated: Validated,
    /// The audience the figures are for.
    pub audience: Visibility,
    /// The full id of the commit the content's repository HEAD named, when
    /// git was read (`build.json` records it).
    pub content_commit: Option<String>,
    /// The words of the register's language: the theme folds them into
    /// its templates, and the pages are rendered with the same.
    pub i18n: std::sync::Arc<Catalogue>,
}

/// How many entries, plans and reviews the content holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validated {
    pub entries: usize,
    pub plans: usize,
    pub reviews: usize,
}

impl Validated {
    pub fn of(register: &Register) -> Validated {
        Validated {
            entries: register.entries.len(),
            plans: register.plans.len(),
            reviews: register.reviews.len(),
        }
    }
}

/// Loads, validates and computes everything, for `check` (which validates
/// regardless of audience); warnings (overdue work, data quality) are
/// added, and, for the content as written, every date after `as_of` (an
/// as-of build leaves those out on purpose, so only `check` lists them).
pub fn compute_for_check(
    content_dir: &Path,
    as_of: NaiveDate,
    git: GitHistory,
) -> (Option<Computed>, Diagnostics) {
    let (mut register, mut diags, _) = load_with_git(content_dir, as_of, git, None);
    if let Some(r) = register.as_mut().filter(|_| git == GitHistory::Read) {
        content::approval::bind(r, content_dir, content_dir, as_of, &mut diags);
    }
    if let Some(r) = &register {
        warnings::later_dates(r, as_of, &mut diags);
    }
    compute_figures(register, diags, as_of, Visibility::Restricted)
}

/// [`load_with_git`] for a build: plans and reviews get the text they had on the
/// as-of date where git has it ([`git_text::texts_on`]), and their
/// approvals are checked against it ([`content::approval`]). `check` keeps
/// the text as written, which is what it validates.
fn load_as_of(
    content_dir: &Path,
    as_of: NaiveDate,
    git: GitHistory,
    cache: Option<&content::Cache>,
) -> (Option<Register>, Diagnostics, Option<String>) {
    let (mut register, mut diags, commit) = load_with_git(content_dir, as_of, git, cache);
    if let Some(r) = register.as_mut().filter(|_| git == GitHistory::Read) {
        content::git_text::texts_on(r, content_dir, as_of, &mut diags);
        // After the text of the day: its approval is the one checked.
        content::approval::bind(r, content_dir, content_dir, as_of, &mut diags);
    }
    (register, diags, commit)
}

/// Loads and validates the content and, unless `git` is off, gives each
/// entry, plan and review its revisions, and says which commit HEAD named.
/// Git is read while the files are parsed: neither waits for the other.
fn load_with_git(
    content_dir: &Path,
    as_of: NaiveDate,
    git: GitHistory,
    cache: Option<&content::Cache>,
) -> (Option<Register>, Diagnostics, Option<String>) {
    let _t = timing::phase("load and validate");
    let read_git = || {
        let mut diags = Diagnostics::default();
        let history = (git == GitHistory::Read).then(|| {
            git::read(
                content_dir,
                as_of,
                cache.and_then(|c| c.git_memo()),
                &mut diags,
            )
        });
        (history, diags)
    };
    let ((mut register, mut diags), (history, git_diags)) = rayon::join(
        || content::load(&content::Folder::new(content_dir), cache),
        read_git,
    );
    diags.extend(git_diags);
    if let (Some(r), Some(h)) = (&mut register, &history) {
        git::attach(r, content_dir, h);
    }
    let commit = history.as_ref().and_then(|h| h.head()).map(str::to_string);
    (register, diags, commit)
}

/// The figures for content loaded by any means (a folder, the live
/// preview's cache, or memory), for one audience.
pub fn compute_figures(
    register: Option<Register>,
    diags: Diagnostics,
    as_of: NaiveDate,
    audience: Visibility,
) -> (Option<Computed>, Diagnostics) {
    compute_in(register.map(with_words), diags, as_of, audience)
}

/// A register with the site's words: those of its language
/// (`site.yaml`), which the audience and the as-of date leave as they
/// are.
fn with_words(register: Register) -> (Register, std::sync::Arc<Catalogue>) {
    let words = std::sync::Arc::new(Catalogue::new(&register.site.locale));
    (register, words)
}

/// [`compute_figures`] for a register in its words ([`with_words`]).
fn compute_in(
    register: Option<(Register, std::sync::Arc<Catalogue>)>,
    mut diags: Diagnostics,
    as_of: NaiveDate,
    audience: Visibility,
) -> (Option<Computed>, Diagnostics) {
    let Some((register, i18n)) = register else {
        return (None, diags);
    };
    warnings::record_warnings(&register, &mut diags);
    let validated = Validated::of(&register);
    // Everything below sees the register as it stood on the as-of date.
    let register = asof::register_on(register, as_of);
    let mut facts = entry_facts(&register, as_of);
    warnings::warnings(&register, &facts, as_of, &mut diags);
    let register = audience::apply(register, audience);
    if audience != Visibility::Restricted {
        facts = entry_facts(&register, as_of);
    }
    let rollups = rollup::figures(&register, &facts, as_of);
    (
        Some(Computed {
            register,
            facts,
            rollups,
            validated,
            audience,
            content_commit: None,
            i18n,
        }),
        diags,
    )
}

fn entry_facts(register: &Register, as_of: NaiveDate) -> Vec<EntryFacts> {
    register
        .entries
        .par_iter()
        .map(|e| rollup::entry_facts(e, as_of))
        .collect()
}

/// Everything a build does before writing: load, validate, compute and load
/// the theme. `None` when any of it reported an error. With a `cache`,
/// the parse of files unchanged since the last call is reused (the live
/// preview).
pub fn prepare_build(
    content_dir: &Path,
    theme_dir: Option<&Path>,
    as_of: NaiveDate,
    audience: Visibility,
    git: GitHistory,
    cache: Option<&content::Cache>,
) -> (Option<(Computed, theme::Theme)>, Diagnostics) {
    prepare_over(content_dir, theme_dir, as_of, audience, git, cache, None)
}

/// As [`prepare_build`], taking the theme `earlier` if the theme's files
/// are unchanged ([`theme::load_over`]).
pub fn prepare_over(
    content_dir: &Path,
    theme_dir: Option<&Path>,
    as_of: NaiveDate,
    audience: Visibility,
    git: GitHistory,
    cache: Option<&content::Cache>,
    earlier: Option<theme::Theme>,
) -> (Option<(Computed, theme::Theme)>, Diagnostics) {
    let loaded = load_as_of(content_dir, as_of, git, cache);
    prepare_loaded(loaded, theme_dir, as_of, audience, earlier)
}

/// What [`load_as_of`] gives: the register, the problems, HEAD's commit.
type Loaded = (Option<Register>, Diagnostics, Option<String>);

/// [`prepare_over`] after the load: the figures and the theme.
fn prepare_loaded(
    (register, diags, commit): Loaded,
    theme_dir: Option<&Path>,
    as_of: NaiveDate,
    audience: Visibility,
    earlier: Option<theme::Theme>,
) -> (Option<(Computed, theme::Theme)>, Diagnostics) {
    // The theme is compiled in the site's words while the figures are
    // computed: one after the other, on one core, they left the other
    // idle (issue 27).
    let register = register.map(with_words);
    let words = register.as_ref().map(|(_, words)| words.clone());
    let mut theme_diags = Diagnostics::default();
    let ((mut computed, mut diags), theme) = rayon::join(
        || {
            let _t = timing::phase("compute");
            compute_in(register, diags, as_of, audience)
        },
        || {
            let _t = timing::phase("theme");
            theme::load_over(theme_dir, &mut theme_diags, earlier, words.as_deref())
        },
    );
    diags.extend(theme_diags);
    if let Some(c) = &mut computed {
        c.content_commit = commit;
    }
    match (computed, theme) {
        (Some(c), Some(t)) if !diags.has_errors() => (Some((c, t)), diags),
        _ => (None, diags),
    }
}

/// What a build is done with but has not freed: the register, its
/// parses, the theme, the sink's record of every file written. [`build`]
/// frees them as it returns; `isms-site build`, which exits next, leaves
/// them to the system ([`Leftovers::abandon`]): freed, and their pages
/// given back by the allocator, they were the last 80 ms of a one-entry
/// rebuild at 10,000 entries, on one core (issue 27).
#[derive(Default)]
pub struct Leftovers(Vec<Box<dyn std::any::Any + Send>>);

impl Leftovers {
    fn hold(&mut self, value: impl std::any::Any + Send) {
        self.0.push(Box::new(value));
    }

    /// Never frees them: only for a process about to exit.
    pub fn abandon(self) {
        std::mem::forget(self);
    }
}

/// Builds the site. On any error the output folder is left untouched and
/// the problems are returned.
pub fn build(opts: &Options) -> (Option<Report>, Diagnostics) {
    build_leaving(opts, &mut Leftovers::default())
}

/// [`build`], putting into `left` what it is done with rather than
/// freeing it.
pub fn build_leaving(opts: &Options, left: &mut Leftovers) -> (Option<Report>, Diagnostics) {
    let refused = |r: publish::Refusal| {
        let mut diags = Diagnostics::default();
        diags
            .error(&opts.output, Pos::START, r.message)
            .hint(r.hint);
        (None, diags)
    };
    // Resolved once: a symbolic link is published through to its folder.
    let output = match publish::resolve(&opts.output) {
        Ok(output) => output,
        Err(r) => return refused(r),
    };
    // Held until this function returns: one build per output at a time.
    let _lock = match publish::Lock::take(&output) {
        Ok(lock) => lock,
        Err(r) => return refused(r),
    };
    // Checking the output folder walks it, but for the folders unchanged
    // since the last build saw them; the build cache's key reads the
    // content and theme, and git's HEAD.
    // The build cache is read meanwhile too: read after them, it left a
    // core idle for 40 ms at 10,000 entries (issue 27). Only read: what
    // it says is used once the output is checked.
    // A build into a new folder has no kept parses to wait for: its
    // content is loaded meanwhile too, on the core the digests leave idle
    // (issue 27). Known before any recovery, which may bring a folder back:
    // then this load is only one without kept parses, which is as right.
    let fresh = !output.exists();
    let (((recovered, checked, known), ((key, digests, sums_record), cache)), early) = rayon::join(
        || {
            rayon::join(
                || {
                    let _t = timing::phase("check output");
                    let known = publish::read_seen(&output);
                    let recovered = publish::recover(&output);
                    let (content, theme) = (&opts.content, opts.theme.as_deref());
                    let checked = publish::check_target_knowing(content, theme, &output, &known);
                    (recovered, checked, known)
                },
                || {
                    rayon::join(
                        || {
                            let _t = timing::phase("input digests");
                            input_key(opts, &output)
                        },
                        || reuse::read(&output),
                    )
                },
            )
        },
        || fresh.then(|| load_as_of(&opts.content, opts.as_of, opts.git, None)),
    );
    let mut diags = Diagnostics::default();
    match recovered {
        Ok(warnings) => {
            for w in warnings {
                diags
                    .warning(&opts.output, Pos::START, w)
                    .hint("remove it by hand; builds go on without it");
            }
        }
        Err(e) => {
            diags
                .error(
                    &opts.output,
                    Pos::START,
                    format!("cannot clean up after an interrupted build: {e}"),
                )
                .hint("remove the hidden .NAME.isms-* folders beside the output folder by hand");
        }
    }
    let seen = match checked {
        Ok(seen) => seen,
        Err(r) => {
            diags
                .error(&opts.output, Pos::START, r.message)
                .hint(r.hint);
            Default::default()
        }
    };
    if diags.has_errors() {
        return (None, diags);
    }
    // A build into a folder that exists builds it again, and keeps what
    // lets the next one do less; the first into a new folder (CI from a
    // clean checkout, which never builds again) writes none of it.
    let again = output.exists();
    if let (Some((key, _)), Some(cache)) = (&key, &cache)
        && cache.key == *key
        && reuse::intact(&output, cache)
    {
        keep_sums(&output, sums_record.filter(|_| again));
        // The output is what this build would write, file for file; the
        // warnings are those the same inputs gave last time.
        for w in &cache.warnings {
            let said = diags.warning(&w.file, w.pos, w.message.clone());
            if let Some(h) = &w.hint {
                said.hint(h.clone());
            }
        }
        return (
            Some(Report {
                files: cache.files.len(),
                entries: cache.entries,
            }),
            diags,
        );
    }
    // Files whose bytes are those the last build parsed are not parsed
    // again (`site::parsed`). The spare is checked meanwhile: reading the
    // kept parses leaves a core idle.
    let (spare, (parses, loaded)) = rayon::join(
        || {
            keep_sums(&output, sums_record.filter(|_| again));
            publish::CheckedSpare::of(&output, reuse::read_spare(&output), &known)
        },
        || {
            if let Some(loaded) = early {
                return (None, loaded);
            }
            let parses = again.then(|| {
                let _t = timing::phase("kept parses");
                content::Cache::for_build(digests, parsed::read(&output))
            });
            let loaded = load_as_of(&opts.content, opts.as_of, opts.git, parses.as_ref());
            (parses, loaded)
        },
    );
    // The last build's Markdown is read while the figures are computed,
    // when the content is valid; not while it is loaded: the two at once
    // held 800 MB at 50,000 entries, 100 MB more than any later step.
    let valid = loaded.0.is_some() && !loaded.1.has_errors();
    // Not written again when it would be the same.
    let parses = parses
        .filter(content::Cache::parsed_changed)
        .and_then(content::Cache::into_parsed);
    // The parses are written for the next build while the figures are
    // computed, and let go of: held until the render, they were the whole
    // kept file (180 MB at 50,000 entries) beside the Markdown memo. They
    // are good whatever the content's errors: the author fixing them
    // rebuilds without parsing the rest again.
    let ((prepared, found), markdown) = std::thread::scope(|s| {
        s.spawn(|| {
            keep_parses(&output, parses.as_ref());
            drop(parses);
        });
        rayon::join(
            || {
                let theme = opts.theme.as_deref();
                prepare_loaded(loaded, theme, opts.as_of, opts.audience, None)
            },
            || match valid && again {
                true => rayon::join(|| reuse::read_memo(&output), || reuse::read_search(&output)),
                false => Default::default(),
            },
        )
    });
    let (markdown, search) = markdown;
    let warnings = found.clone();
    diags.extend(found);
    let Some((c, mut theme)) = prepared.filter(|_| !diags.has_errors()) else {
        return (None, diags);
    };
    let (files, pages, pieces) = match cache {
        Some(cache) => (Some(cache.files), cache.pages, cache.pieces),
        None => (None, None, Default::default()),
    };
    let previous = Previous {
        files,
        pages,
        pieces,
        markdown,
        search,
        keep: again,
        spare,
        seen,
    };
    let _t = timing::phase("render and publish");
    let key = key.map(|(k, salt)| (k, salt, &warnings));
    let written = write_site(&c, &mut theme, &output, previous, key, left);
    let entries = c.register.entries.len();
    left.hold((c, theme, warnings));
    match written {
        Ok(published) => {
            for w in published.warnings {
                diags.warning(&opts.output, Pos::START, w).hint(
                    "the site was published and nothing was deleted; move those files where they belong (a build refuses an output holding files it did not write)",
                );
            }
            (
                Some(Report {
                    files: published.files,
                    entries,
                }),
                diags,
            )
        }
        Err(message) => {
            diags
                .error(&opts.output, Pos::START, message)
                .hint("the previous output folder was left as it was");
            (None, diags)
        }
    }
}

/// Records the content files' sums by stamp beside `output` for the next
/// build (`site::sums`), when they changed. Only once the output's place
/// is checked: never into the content.
fn keep_sums(output: &Path, lines: Option<Vec<sums::Line>>) {
    if let Some(lines) = lines {
        sums::write(output, &lines);
    }
}

/// Writes the parses of this build's content files beside `output` for
/// the next build (`site::parsed`), under the build's lock. They are good
/// whatever becomes of the build: they describe the content, not the site.
fn keep_parses(output: &Path, parses: Option<&content::ParsedSet>) {
    if let Some(set) = parses {
        let _t = timing::phase("keep parses");
        parsed::write(output, set);
    }
}

/// Publishes files rendered into memory (by `serve`) as the output folder,
/// through the same lock, recovery, foreign-file check and staging swap as
/// a build. The check runs under the lock, after recovery, as in
/// [`build`]: checked any earlier, a file added or a build finishing in
/// between would go unseen.
pub fn publish_files(
    files: &crate::output::sink::SharedFiles,
    content: &Path,
    theme: Option<&Path>,
    output: &Path,
) -> Result<usize, String> {
    let refused = |r: publish::Refusal| format!("{} ({})", r.message, r.hint);
    let output = &publish::resolve(output).map_err(refused)?;
    let _lock = publish::Lock::take(output).map_err(refused)?;
    let skipped = publish::recover(output)
        .map_err(|e| format!("cannot clean up after an interrupted build: {e}"))?;
    for w in skipped {
        crate::content::stdio::errln!("warning: {}", crate::model::diag::terminal_safe(&w));
    }
    let seen = publish::check_target(content, theme, output)
        .map_err(|r| format!("{}\n  hint: {}", r.message, r.hint))?;
    let mut staging = spare_or_new(output)?;
    staging.after_check(seen);
    // Files unchanged since the last publish are linked, not written, and
    // those the spare holds already are left alone.
    let out = sink_over(&staging, output, reuse::read(output).map(|c| c.files));
    files
        .par_iter()
        .try_for_each(|(rel, bytes)| out.write(rel, bytes))
        .map_err(|e| e.to_string())?;
    let published = staging.publish(&out.written())?;
    // No key: the next `build` renders again, and links what it can.
    reuse::CacheOf {
        key: &reuse::NO_KEY,
        entries: 0,
        warnings: &Diagnostics::default(),
        site: &out,
        pages: None,
        pieces: &pieces::Index::new(),
    }
    .write(output);
    for w in published.warnings {
        crate::content::stdio::errln!("warning: {}", crate::model::diag::terminal_safe(&w));
    }
    Ok(published.files)
}

/// The spare beside `output` when it can be trusted, otherwise a new
/// staging folder ([`Staging::over_spare`]).
fn spare_or_new(output: &Path) -> Result<Staging, String> {
    Staging::over_spare(output, reuse::read_spare(output)).map_err(|e| cannot_stage(output, e))
}

fn cannot_stage(output: &Path, e: std::io::Error) -> String {
    format!(
        "cannot prepare a staging folder beside {}: {e}",
        output.display()
    )
}

/// The sink writing into `staging`: leaving alone what the spare holds
/// already, and linking from the published site `output` the files the
/// build cache lists (`published`) whose bytes are unchanged.
fn sink_over(staging: &Staging, output: &Path, published: Option<HashMap<String, Record>>) -> Out {
    if published.is_none() && staging.holds.is_none() {
        return Out::dir(&staging.dir);
    }
    let reuse = Reuse {
        from: output.to_path_buf(),
        files: published.unwrap_or_default(),
        holds: staging.holds.clone(),
    };
    Out::dir_reusing(&staging.dir, reuse)
}

/// The build cache's key for this build's inputs, and the same key
/// without the content (the binary, theme and options: the salt of the
/// entry pages' keys, `pages::deps`): `None` when any could not be read
/// (then no cache is used).
///
/// With it, the SHA-256 of each content file whose parse a build keeps
/// (`site::parsed::digests`): read once, for both.
///
/// The content files whose stamps the last build recorded beside `output`
/// are not read again (`site::sums`); returned last is what to record for
/// the next build, when that changed.
fn input_key(
    opts: &Options,
    output: &Path,
) -> (
    Option<KeyAndSalt>,
    content::Digests,
    Option<Vec<sums::Line>>,
) {
    let git = opts.git == GitHistory::Read;
    let since = std::time::SystemTime::now();
    let (content, (theme, head)) = rayon::join(
        || {
            let known = sums::read(output);
            let taken = reuse::tree_with_sums(&opts.content, &known);
            taken.map(|(digest, files)| {
                let record = sums::to_record(&files, &known, since);
                (digest, files, record)
            })
        },
        || {
            let theme = match opts.theme.as_deref() {
                Some(t) => reuse::tree(t).map(Some),
                None => Some(None),
            };
            let head = match git {
                true => git::head_commit(&opts.content).ok(),
                false => Some(None),
            };
            (theme, head)
        },
    );
    let (content, digests, record) = match content {
        Some((digest, files, record)) => {
            let sums = files
                .into_iter()
                .map(|t| {
                    let len = t.stamp.map(|s| s.size());
                    (t.rel, content::Digested { sum: t.sum, len })
                })
                .collect();
            (Some(digest), parsed::digests(&opts.content, sums), record)
        }
        None => (None, HashMap::new(), None),
    };
    let key = || {
        let (content, theme, head) = (content?, theme?, head?);
        let options = reuse::Options {
            as_of: opts.as_of,
            audience: opts.audience,
            git,
            content_commit: head.as_deref(),
        };
        Some((
            reuse::key(&content, theme.as_ref(), &options),
            reuse::key(&reuse::NO_KEY, theme.as_ref(), &options),
        ))
    };
    (key(), digests, record)
}

/// The build cache's key and the pages' salt ([`input_key`]).
type KeyAndSalt = ([u8; 32], [u8; 32]);

/// What a build may take from the last one: the files the build cache
/// lists, what its entry pages were rendered from, and its Markdown.
struct Previous {
    files: Option<HashMap<String, Record>>,
    pages: Option<PageKeys>,
    /// Where the published exports' pieces lie (`output::pieces`).
    pieces: std::collections::BTreeMap<String, String>,
    markdown: render::MarkdownMemo,
    /// The search terms of its pages.
    search: SearchMemo,
    /// Whether this build keeps its Markdown and the folders its checks
    /// saw for the next (a build into a folder that exists: `build`'s
    /// `again`).
    keep: bool,
    /// The spare, checked while the content loaded.
    spare: publish::CheckedSpare,
    /// What the check of the output saw (`Staging::after_check`).
    seen: Seen,
}

/// What the build cache is written under: the key, the pages' salt (see
/// [`input_key`]) and the warnings.
type CacheKey<'a> = ([u8; 32], [u8; 32], &'a Diagnostics);

/// Renders into the spare or a staging folder ([`Staging::over_spare`]),
/// leaving alone what the spare holds already and linking the files
/// `previous` holds, keeping its entry pages whose inputs did not change
/// and taking its Markdown, publishes it, and records the build cache
/// under `key` and this build's Markdown (see [`reuse`]).
fn write_site(
    c: &Computed,
    theme: &mut theme::Theme,
    output: &Path,
    previous: Previous,
    key: Option<CacheKey>,
    left: &mut Leftovers,
) -> Result<publish::Published, String> {
    let Previous {
        files,
        pages,
        pieces,
        markdown,
        search,
        keep,
        spare,
        seen,
    } = previous;
    let mut staging =
        Staging::over_checked_spare(output, spare).map_err(|e| cannot_stage(output, e))?;
    staging.after_check(seen);
    // Without a key the pages and pieces are not keyed on the binary and
    // options: none is kept.
    let salt = key.map(|(_, salt, _)| salt);
    let pieces = match &salt {
        Some(salt) => Pieces::new(salt, published_pieces(output, files.as_ref(), pieces)),
        None => Pieces::default(),
    };
    let out = sink_over(&staging, output, files);
    let pages = pages.filter(|_| salt.is_some());
    let salt = salt.as_ref().map_or(&[][..], |s| &s[..]);
    let mut earlier = Earlier {
        keys: pages,
        markdown,
        search,
        ..Earlier::default()
    };
    let mut memo = keep.then(|| reuse::MemoFile::start(output)).flatten();
    let pieces = render_lean(c, theme, &out, &mut earlier, salt, memo.as_mut(), pieces)?;
    // What the next build takes is made while the site is published (whose
    // walks leave a core idle), and written once it is in place.
    let (published, (cache, search)) = rayon::join(
        || staging.publish(&out.written()),
        || {
            rayon::join(
                || {
                    let (key, _, warnings) = key?;
                    let _t = timing::phase("build cache");
                    let entries = c.register.entries.len();
                    let keys = earlier.keys.as_ref();
                    let cache = reuse::CacheOf {
                        key: &key,
                        entries,
                        warnings,
                        site: &out,
                        pages: keys,
                        pieces: &pieces,
                    };
                    cache.text(|_, d| d.stamp)
                },
                || keep.then(|| reuse::search_bytes(&earlier.search)).flatten(),
            )
        },
    );
    let mut published = published?;
    // Side by side: one after another they were the build's last 80 ms
    // on one core (issue 27).
    let keep_state = || {
        rayon::join(
            || keep.then(|| publish::write_seen(output, &published.seen)),
            || search.map(|bytes| reuse::write_search_bytes(output, &bytes)),
        );
        if let Some(memo) = memo {
            memo.commit();
        }
    };
    let write_cache = || {
        if let Some(text) = cache {
            reuse::write_text(output, &text);
        }
    };
    rayon::join(keep_state, write_cache);
    left.hold((out, earlier, std::mem::take(&mut published.seen)));
    Ok(published)
}

/// The published exports whose pieces the build cache records
/// (`recorded`, by file), each opened (never through a link) only when it
/// still has the stamp the cache recorded for it in `files`: then its
/// bytes are those the record describes. Only the exports made of pieces
/// are looked for, whatever the cache names.
fn published_pieces(
    output: &Path,
    files: Option<&HashMap<String, Record>>,
    mut recorded: std::collections::BTreeMap<String, String>,
) -> HashMap<String, pieces::Published> {
    let Some(files) = files else {
        return HashMap::new();
    };
    let mut open = |name: &str| {
        let record = files.get(name)?;
        let file = publish::open_no_link(&output.join(name)).ok()?;
        let meta = file.metadata().ok()?;
        if Stamp::of(&meta) != record.stamp {
            return None;
        }
        let spans = pieces::decode(&recorded.remove(name)?)?;
        pieces::Published::new(file, meta.len(), spans)
    };
    output::export::PIECED
        .iter()
        .filter_map(|name| Some((name.to_string(), open(name)?)))
        .collect()
}

/// Every file of the site, into a folder or memory: pages, charts, assets,
/// evidence copies and the exports. Returns how many files were written.
pub fn render_into(c: &Computed, theme: &mut theme::Theme, out: &Out) -> Result<usize, String> {
    render_selected(c, theme, out, Selection::All)
}

/// The outputs `which` selects (see [`output::all`]), into `out`.
pub fn render_selected(
    c: &Computed,
    theme: &mut theme::Theme,
    out: &Out,
    which: Selection,
) -> Result<usize, String> {
    render_over(c, theme, out, which, &mut Earlier::default(), &[])
}

/// What a render may take from an earlier one: its pages whose inputs
/// are unchanged, and its Markdown.
#[derive(Default)]
pub struct Earlier {
    /// What the pages of the site rendered over were rendered from
    /// ([`render::deps`]); `None`: render every page.
    pub keys: Option<PageKeys>,
    /// The Markdown rendered last time.
    pub markdown: render::MarkdownMemo,
    /// The keys of the pages keyed on their variables (`deps::VarsKeys`)
    /// in the site rendered over; `None` outside the preview, which alone
    /// makes them (a build would pay for keys it never uses).
    pub vars_keys: Option<std::collections::HashMap<String, [u8; 32]>>,
    /// The search terms of each page rendered last time.
    pub search: SearchMemo,
}

/// As [`render_selected`], taking each entry and plan page whose inputs
/// are those `earlier.keys` recorded from the previous site `out` was
/// made over ([`Out::keep`]; see [`render::deps`]) instead of rendering
/// it, and the Markdown `earlier` holds. On success `earlier` holds this
/// render's keys (unless `which` is [`Selection::Rest`], which renders no
/// page; keyed on `salt` too) and Markdown, for the next.
pub fn render_over(
    c: &Computed,
    theme: &mut theme::Theme,
    out: &Out,
    which: Selection,
    earlier: &mut Earlier,
    salt: &[u8],
) -> Result<usize, String> {
    let context = context_over(c, theme, which != Selection::Rest, earlier, salt)?;
    let written = write_outputs(c, theme, out, which, &context)?;
    context.done(earlier);
    Ok(written)
}

/// As [`render_over`] with [`Selection::All`], for a build, which keeps
/// its Markdown for the next in a file, not in memory: written into
/// `memo` (when given) before the pages, then each entry page takes its
/// entry's HTML (150 MB in all at 50,000 entries) and lets it go, and the
/// pages run before the search index and the exports, which never read
/// it. The exports take their pieces from `pieces` where they can. On
/// success `earlier` holds this render's page keys, and the result says
/// where the exports' pieces went.
fn render_lean(
    c: &Computed,
    theme: &mut theme::Theme,
    out: &Out,
    earlier: &mut Earlier,
    salt: &[u8],
    memo: Option<&mut reuse::MemoFile>,
    pieces: Pieces,
) -> Result<pieces::Index, String> {
    let write_memo = |site: &render::RenderContext| {
        if let Some(memo) = memo {
            memo.write(site);
        }
    };
    let mut context = context_beside(c, theme, true, earlier, salt, write_memo)?;
    context.pieces = pieces;
    context.site.use_entry_html_once();
    write_outputs(c, theme, out, Selection::Pages, &context)?;
    context.site.forget_entry_html();
    write_outputs(c, theme, out, Selection::AfterPages, &context)?;
    earlier.keys = context.keys;
    earlier.search = search_after(context.search);
    Ok(context.pieces.into_index())
}

/// As [`render_over`] with [`Selection::All`], in two steps from one
/// context: the preview's outputs, then `between` (where the live preview
/// serves the pages), then the rest and the checksums. Two calls of
/// [`render_over`] made the register's rows and Markdown twice (0.5 s a
/// save at 10,000 entries).
///
/// `stop` is asked between the later steps (see [`output::write_unless`]):
/// when it says yes, the rest is left unwritten and the result is `None`;
/// the pages are complete and `earlier` describes them.
pub fn render_then(
    c: &Computed,
    theme: &mut theme::Theme,
    out: &Out,
    earlier: &mut Earlier,
    between: impl FnOnce(),
    stop: &mut dyn FnMut() -> bool,
) -> Result<Option<usize>, String> {
    // The preview keys every page it can: its first render too, for the next.
    earlier.vars_keys.get_or_insert_default();
    let context = context_over(c, theme, true, earlier, &[])?;
    let pages = write_outputs(c, theme, out, Selection::Preview, &context)?;
    between();
    let rest = write_rest(c, out, &inputs_of(c, theme, &context), stop);
    context.done(earlier);
    Ok(rest?.map(|rest| pages + rest))
}

/// The pages `first` names (of entries and plans of `c.register`) and
/// no other file, into `out`, from a context that renders no other
/// Markdown ([`render::RenderContext::for_first`]): the live preview
/// serves the page of the entry or plan just saved before the rest of
/// the site, which takes some hundreds of milliseconds more at 10,000
/// entries. Each page is the one the full render makes (test
/// `a_page_rendered_first_is_the_one_rendered_with_the_rest`).
pub fn render_first_pages(
    c: &Computed,
    theme: &mut theme::Theme,
    out: &Out,
    first: &render::FirstPages,
) -> Result<usize, String> {
    let site =
        render::RenderContext::for_first(&c.register, &c.facts, &c.rollups, c.i18n.clone(), first);
    let (as_of, commit) = (c.rollups.as_of, c.content_commit.as_deref());
    render::set_globals(&site, theme, as_of, c.audience, commit).map_err(|e| e.to_string())?;
    render::render_first_pages(&site, theme, out, first).map_err(|e| e.to_string())
}

/// The outputs a preview leaves out, then the checksums; `None` when
/// `stop` said yes first.
fn write_rest(
    c: &Computed,
    out: &Out,
    inputs: &Inputs,
    stop: &mut dyn FnMut() -> bool,
) -> Result<Option<usize>, String> {
    let written = output::write_unless(inputs, out, Selection::Rest, stop);
    let Some(written) = written.map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    // The checksums are a step too (200 ms at 10,000 entries).
    if out.halted() || stop() {
        return Ok(None);
    }
    match write_sums(c, out) {
        Err(_) if out.halted() => Ok(None),
        own => Ok(Some(written + own?)),
    }
}

/// A render's context and the page keys it was made with.
struct Context<'a> {
    site: render::RenderContext<'a>,
    keys: Option<PageKeys>,
    /// The exports' pieces (none to copy unless the build says so).
    pieces: Pieces,
    /// The earlier render's search terms, then this one's.
    search: std::sync::Mutex<SearchMemo>,
}

impl Context<'_> {
    /// Hands this render's keys (if it made any) and Markdown to the next.
    fn done(mut self, earlier: &mut Earlier) {
        let vars_keys = self.site.take_vars_keys();
        earlier.markdown = self.site.into_memo();
        earlier.search = search_after(self.search);
        if self.keys.is_some() {
            earlier.keys = self.keys;
            earlier.vars_keys = vars_keys;
        }
    }
}

/// The search terms a render's index left (the earlier render's when the
/// index was not made), for the next render.
fn search_after(search: std::sync::Mutex<SearchMemo>) -> SearchMemo {
    search.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// The pages' context, taking `earlier`'s Markdown, with `theme`'s
/// globals set; with `pages`, the page keys (`salt` among them) and the
/// pages `earlier.keys` says are unchanged.
fn context_over<'a>(
    c: &'a Computed,
    theme: &mut theme::Theme,
    pages: bool,
    earlier: &mut Earlier,
    salt: &[u8],
) -> Result<Context<'a>, String> {
    context_beside(c, theme, pages, earlier, salt, |_| {})
}

/// [`context_over`], calling `beside` with the context's rows and
/// Markdown while the page keys are made: a build writes its Markdown
/// memo there, on a core the keys leave idle.
fn context_beside<'a>(
    c: &'a Computed,
    theme: &mut theme::Theme,
    pages: bool,
    earlier: &mut Earlier,
    salt: &[u8],
    beside: impl FnOnce(&render::RenderContext) + Send,
) -> Result<Context<'a>, String> {
    let mut site = {
        let _t = timing::phase("rows");
        let memo = std::mem::take(&mut earlier.markdown);
        render::RenderContext::with_memo(&c.register, &c.facts, &c.rollups, c.i18n.clone(), memo)
    };
    let (as_of, commit) = (c.rollups.as_of, c.content_commit.as_deref());
    render::set_globals(&site, theme, as_of, c.audience, commit).map_err(|e| e.to_string())?;
    let theme = &*theme;
    let ((), keys) = rayon::join(
        || beside(&site),
        || {
            pages.then(|| {
                let _t = timing::phase("page keys");
                let globals = render::globals(&site, as_of, c.audience, commit);
                PageKeys::of(&site, theme, &globals, salt)
            })
        },
    );
    if let (Some(keys), Some(previous)) = (&keys, &earlier.keys) {
        site.keep_pages(keys.unchanged_since(previous, &c.register));
    }
    if let (Some(keys), Some(previous)) = (&keys, earlier.vars_keys.take()) {
        site.key_pages_on_vars(render::deps::VarsKeys::over(keys.global, previous));
    }
    Ok(Context {
        site,
        keys,
        pieces: Pieces::default(),
        search: std::sync::Mutex::new(std::mem::take(&mut earlier.search)),
    })
}

/// The outputs `which` selects, from `context`, and the checksums after
/// the last.
fn write_outputs(
    c: &Computed,
    theme: &theme::Theme,
    out: &Out,
    which: Selection,
    context: &Context,
) -> Result<usize, String> {
    let inputs = inputs_of(c, theme, context);
    let written = output::write_all(&inputs, out, which).map_err(|e| e.to_string())?;
    // Each split's first step; the checksums come after its second.
    if matches!(which, Selection::Preview | Selection::Pages) {
        return Ok(written);
    }
    Ok(written + write_sums(c, out)?)
}

/// What every output reads.
fn inputs_of<'a>(c: &'a Computed, theme: &'a theme::Theme, context: &'a Context<'a>) -> Inputs<'a> {
    Inputs {
        register: &c.register,
        facts: &c.facts,
        rollups: &c.rollups,
        context: &context.site,
        theme,
        pieces: &context.pieces,
        search: &context.search,
    }
}

/// `SHA256SUMS` and `build.json`: last, the sums are of every file
/// written before.
fn write_sums(c: &Computed, out: &Out) -> Result<usize, String> {
    let _t = timing::phase("SHA256SUMS");
    let identity = Identity::new(c.content_commit.clone(), c.rollups.as_of, c.audience);
    integrity::write(&identity, out).map_err(|e| e.to_string())
}

#[cfg(all(test, target_os = "linux"))]
mod spare_tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn site(files: &[(&str, &str)]) -> crate::output::sink::SharedFiles {
        files
            .iter()
            .map(|(rel, text)| (rel.to_string(), std::sync::Arc::from(text.as_bytes())))
            .collect()
    }

    fn ino(path: &Path) -> u64 {
        std::fs::symlink_metadata(path).unwrap().ino()
    }

    /// `serve`'s publisher renders into the spare too: the third publish
    /// makes the spare (the first site) the output, with the second's
    /// files exactly, a file unchanged since the first keeping its inode.
    #[test]
    fn serve_publishes_into_the_spare() {
        let tmp = tempfile::tempdir().unwrap();
        let (content, out) = (tmp.path().join("content"), tmp.path().join("out"));
        let spare = publish::spare_path(&out);
        let publish = |files: &[(&str, &str)]| {
            publish_files(&site(files), &content, None, &out).unwrap();
        };
        publish(&[
            ("index.html", "1"),
            ("same.html", "s"),
            ("gone/x.html", "x"),
        ]);
        publish(&[
            ("index.html", "2"),
            ("same.html", "s"),
            ("gone/x.html", "x"),
        ]);
        assert!(spare.is_dir());
        let (spare_folder, same) = (ino(&spare), ino(&out.join("same.html")));
        publish(&[("index.html", "3"), ("same.html", "s"), ("new/y.html", "y")]);
        assert_eq!(ino(&out), spare_folder, "not rendered into the spare");
        assert_eq!(ino(&out.join("same.html")), same);
        let mut found: Vec<String> = walkdir(&out);
        found.sort();
        assert_eq!(
            found,
            [
                ".isms-site-manifest",
                "index.html",
                "new/y.html",
                "same.html"
            ]
        );
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "3"
        );
    }

    fn walkdir(dir: &Path) -> Vec<String> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().unwrap().is_dir() {
                out.extend(
                    walkdir(&e.path())
                        .into_iter()
                        .map(|f| format!("{name}/{f}")),
                );
            } else {
                out.push(name);
            }
        }
        out
    }
}

#[cfg(test)]
mod folder_tests {
    use super::*;
    use crate::output::sink::Out;
    use chrono::NaiveDate;
    use std::path::Path;

    /// The demo content, computed for everyone, with `theme`.
    fn demo(theme: Option<&Path>) -> (Computed, theme::Theme) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let as_of = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let (prepared, diags) = prepare_build(
            &root.join("content"),
            theme,
            as_of,
            Visibility::Restricted,
            GitHistory::Off,
            None,
        );
        prepared.unwrap_or_else(|| panic!("{diags:?}"))
    }

    /// `register.json` and `register.csv` written piece by piece are the
    /// bytes of the document written whole (as they were before pieces):
    /// serde_json's pretty text, and one CSV writer for every row. Also
    /// with a register of none.
    #[test]
    fn the_json_export_is_serde_json_s_pretty_text() {
        use crate::output::export;
        let (mut c, _) = demo(None);
        for _ in 0..2 {
            let (reg, facts, rollups) = (&c.register, &c.facts, &c.rollups);
            let mut pieced = Vec::new();
            export::json(reg, facts, rollups, &mut pieced).unwrap();
            let whole = export::json_whole(reg, facts, rollups);
            assert_eq!(String::from_utf8(pieced), String::from_utf8(whole));
            let mut pieced = Vec::new();
            export::csv(reg, facts, &mut pieced).unwrap();
            let whole = export::csv_whole(reg, facts);
            assert_eq!(String::from_utf8(pieced), String::from_utf8(whole));
            c.register.entries.clear();
            c.facts.clear();
        }
    }

    /// The OSCAL POA&M written piece by piece is the document as one
    /// `serde_json` value writes it, with its observations, risks, items
    /// and back matter.
    #[test]
    fn the_poam_written_in_pieces_is_the_document_written_whole() {
        use crate::output::oscal;
        let (c, _) = demo(None);
        let doc = oscal::poam(&c.register, c.rollups.as_of).unwrap();
        let mut pieced = Vec::new();
        doc.write(&mut pieced).unwrap();
        let mut whole = serde_json::to_vec(&doc).unwrap();
        whole.push(b'\n');
        let text = String::from_utf8(whole.clone()).unwrap();
        for list in ["observations", "risks", "poam-items", "back-matter"] {
            assert!(
                text.contains(&format!("\"{list}\":")),
                "the demo has {list}"
            );
        }
        assert_eq!(String::from_utf8(pieced), Ok(text));
    }

    /// A build lets the entries' HTML go as their pages take it and
    /// writes the pages before the rest: the same files as every output
    /// at once.
    #[test]
    fn a_lean_render_writes_the_files_of_a_full_one() {
        let (c, mut theme) = demo(None);
        let full = Out::memory();
        render_into(&c, &mut theme, &full).unwrap();
        let lean = Out::memory();
        let mut earlier = Earlier::default();
        render_lean(
            &c,
            &mut theme,
            &lean,
            &mut earlier,
            &[],
            None,
            Pieces::default(),
        )
        .unwrap();
        let (full, lean) = (full.into_shared(), lean.into_shared());
        assert_eq!(
            full.keys().collect::<Vec<_>>(),
            lean.keys().collect::<Vec<_>>()
        );
        for (rel, bytes) in &full {
            assert!(lean[rel] == *bytes, "{rel} differs");
        }
        assert!(earlier.keys.is_some(), "the page keys are handed on");
    }

    /// The memo a build writes from its render's context (in line or by
    /// its thread into a file: the same bytes) reads back with every
    /// entry's and body's text, and a render taking it writes the files
    /// of one without it.
    #[test]
    fn a_render_from_the_memo_a_build_writes_gives_the_files_of_a_cold_one() {
        let (c, mut theme) = demo(None);
        let cold = Out::memory();
        render_into(&c, &mut theme, &cold).unwrap();
        let mut bytes = Vec::new();
        let context = context_over(&c, &mut theme, false, &mut Earlier::default(), &[]).unwrap();
        context.site.write_memo("me", &mut bytes).unwrap();
        // Written to a file by its thread: the same bytes.
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("memo");
        let file = std::fs::File::create_new(&path).unwrap();
        assert!(context.site.write_memo_file("me", file).finish());
        assert!(
            std::fs::read(&path).unwrap() == bytes,
            "the file's memo differs"
        );
        drop(context);
        let memo = render::MarkdownMemo::read(&bytes[..], bytes.len() as u64, "me").unwrap();
        let (entries, bodies) = memo.counts();
        assert_eq!(entries, c.register.entries.len());
        assert!(bodies > 0 && bodies <= c.register.plans.len() + c.register.reviews.len());
        let mut earlier = Earlier {
            markdown: memo,
            ..Earlier::default()
        };
        let warm = Out::memory();
        render_over(&c, &mut theme, &warm, Selection::All, &mut earlier, &[]).unwrap();
        let (cold, warm) = (cold.into_shared(), warm.into_shared());
        assert_eq!(
            cold.keys().collect::<Vec<_>>(),
            warm.keys().collect::<Vec<_>>()
        );
        for (rel, bytes) in &cold {
            assert!(warm[rel] == *bytes, "{rel} differs");
        }
    }

    /// The live preview serves an edited entry's or plan's page before
    /// the rest, from a context holding that page's Markdown alone (and a
    /// plan's entries'): for every entry of the demo (findings, follow-ups,
    /// related entries, plans and reviews naming it, KPIs), every plan,
    /// and several at once, those pages and no other file are written,
    /// byte for byte the pages of the full render.
    #[test]
    fn a_page_rendered_first_is_the_one_rendered_with_the_rest() {
        // The built-in theme, and one whose plan page shows what the
        // built-in one leaves out: its entries' texts.
        let dir = tempfile::tempdir().unwrap();
        let shows_more = theme::theme_with_template(
            dir.path(),
            "plan.html",
            "{% for r in rows %}{{ r.description }} {{ r.outcome }}{% endfor %}",
        );
        pages_first_match_the_full_render(None);
        pages_first_match_the_full_render(Some(&shows_more));
    }

    fn pages_first_match_the_full_render(theme: Option<&Path>) {
        let (c, mut theme) = demo(theme);
        let full = Out::memory();
        render_into(&c, &mut theme, &full).unwrap();
        let full = full.into_shared();
        let (n, m) = (c.register.entries.len(), c.register.plans.len());
        assert!(m > 1, "the demo has plans");
        let entries = (0..n).map(|i| render::FirstPages {
            entries: vec![i],
            plans: vec![],
        });
        let plans = (0..m).map(|pi| render::FirstPages {
            entries: vec![],
            plans: vec![pi],
        });
        let together = render::FirstPages {
            entries: vec![n - 1, 0, n / 2],
            plans: vec![m - 1, 0],
        };
        for first in entries.chain(plans).chain([together]) {
            let out = Out::memory();
            let written = render_first_pages(&c, &mut theme, &out, &first).unwrap();
            let out = out.into_shared();
            assert_eq!(written, first.len());
            let entry_pages = first
                .entries
                .iter()
                .map(|&i| format!("register/{}/index.html", c.register.entries[i].id));
            let plan_pages = first
                .plans
                .iter()
                .map(|&pi| format!("plans/{}/index.html", c.register.plans[pi].slug));
            let mut paths: Vec<String> = entry_pages.chain(plan_pages).collect();
            paths.sort();
            assert_eq!(out.keys().cloned().collect::<Vec<_>>(), paths);
            for (rel, bytes) in &out {
                assert!(full[rel] == *bytes, "{rel} differs from the full render's");
            }
        }
    }

    /// Renders the demo content and looks at what lands directly in the
    /// folders that hold one folder per entry, plan or review.
    #[test]
    fn folder_files_are_all_reserved() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (c, mut theme) = demo(Some(&root.join("themes/default")));
        let out = Out::memory();
        render_into(&c, &mut theme, &out).unwrap();
        let mut direct = std::collections::BTreeSet::new();
        for rel in out.written() {
            for dir in ["register/", "plans/", "reviews/"] {
                if let Some(name) = rel.strip_prefix(dir)
                    && !name.contains('/')
                {
                    direct.insert(name.to_string());
                }
            }
        }
        assert!(!direct.is_empty());
        for name in &direct {
            assert!(
                crate::content::files::is_reserved_name(name),
                "{name} is written but not reserved"
            );
        }
    }
}
