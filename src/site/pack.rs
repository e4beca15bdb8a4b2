//! `pack`: the site as of a day, or one finding's or entry's part of it,
//! as one zip file for an auditor (see [`crate::output::pack`]).
//!
//! When the content is in git, the pack is built from the content as
//! committed on the day (the newest commit dated on or before it,
//! extracted by [`content::git_tree`]), with the revision history as it
//! stood then; `build.json` names that commit. Outside git, or with
//! `--no-git`, it is built from the folder as it is, cut back to the day
//! like any as-of build. Nothing is written unless everything succeeded,
//! and the zip replaces only a file that is itself a pack.

use crate::content::git::{self, GitHistory};
use crate::content::{self, git_tree};
use crate::model::Visibility;
use crate::model::diag::{Diagnostics, Pos, ProblemKind};
use crate::output::integrity::{self, Identity};
use crate::output::pack::{self as zipped, Scope};
use crate::output::sink::Out;
use crate::output::theme;
use crate::site::build::{self, Computed};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct Options {
    pub content: PathBuf,
    pub theme: Option<PathBuf>,
    pub as_of: NaiveDate,
    pub audience: Visibility,
    pub git: GitHistory,
    pub scope: Scope,
    /// The zip file to write.
    pub output: PathBuf,
}

/// What a pack holds.
pub struct Report {
    pub files: usize,
    /// The commit the pack was built from, when the content is in git.
    pub commit: Option<String>,
}

/// Builds the pack and writes it; on any error nothing is written and the
/// problems are returned.
pub fn pack(opts: &Options) -> (Option<Report>, Diagnostics) {
    let mut diags = Diagnostics::default();
    if let Err(e) = may_replace(&opts.output) {
        diags
            .error(&opts.output, Pos::START, e)
            .hint("choose another file name, or move that file away");
        return (None, diags);
    }
    let extracted = match opts.git {
        GitHistory::Off => None,
        GitHistory::Read => {
            match git_tree::extract(&opts.content, opts.as_of, &std::env::temp_dir()) {
                Ok(x) => x,
                Err(e) => {
                    diags
                        .error(
                            &opts.content,
                            Pos::START,
                            format!(
                                "cannot read the content as committed on {}: {e}",
                                opts.as_of
                            ),
                        )
                        .hint("pass --no-git to pack the content folder as it is");
                    return (None, diags);
                }
            }
        }
    };
    let files_dir = extracted
        .as_ref()
        .map_or(opts.content.as_path(), |x| &x.dir);
    let mut found = Diagnostics::default();
    let prepared = prepare(opts, files_dir, &mut found);
    // Problems name the files of the content folder, not of the copy.
    diags.extend(relocate(found, files_dir, &opts.content));
    let Some((mut computed, theme)) = prepared else {
        if let Some(x) = &extracted {
            diags
                .error(
                    &opts.content,
                    Pos::START,
                    format!(
                        "the content as committed on {} (commit {}) does not build",
                        x.date, x.commit
                    ),
                )
                .hint("the problems above are in the files as committed then: `git show COMMIT:PATH` shows one");
        }
        return (None, diags);
    };
    computed.content_commit = extracted.as_ref().map(|x| x.commit.clone());
    match write(opts, &computed, theme) {
        Ok(files) => (
            Some(Report {
                files,
                commit: computed.content_commit,
            }),
            diags,
        ),
        Err(e) => {
            diags
                .error(&opts.output, Pos::START, e)
                .hint("nothing was written");
            (None, diags)
        }
    }
}

/// Loads `files_dir` with the revisions and approvals git has for the
/// content folder as of the day, computes the figures for the audience and
/// loads the theme; `None` on any error.
fn prepare(
    opts: &Options,
    files_dir: &Path,
    diags: &mut Diagnostics,
) -> Option<(Computed, theme::Theme)> {
    let (mut register, load_diags) = content::load(&content::Folder::new(files_dir), None);
    diags.extend(load_diags);
    if let Some(r) = register.as_mut().filter(|_| opts.git == GitHistory::Read) {
        let history = git::read(&opts.content, opts.as_of, None, diags);
        git::attach(r, files_dir, &history);
        if files_dir == opts.content {
            content::git_text::texts_on(r, &opts.content, opts.as_of, diags);
        }
        content::approval::bind(r, &opts.content, files_dir, opts.as_of, diags);
    }
    let (computed, figure_diags) =
        build::compute_figures(register, Diagnostics::default(), opts.as_of, opts.audience);
    diags.extend(figure_diags);
    let theme = theme::load(opts.theme.as_deref(), diags);
    match (computed, theme) {
        (Some(c), Some(t)) if !diags.has_errors() => Some((c, t)),
        _ => None,
    }
}

/// Renders the site, keeps what the scope asks for, and writes the zip.
fn write(opts: &Options, c: &Computed, mut theme: theme::Theme) -> Result<usize, String> {
    let out = Out::memory();
    build::render_into(c, &mut theme, &out)?;
    let mut site = out.into_files();
    site.remove(integrity::SUMS);
    site.remove(integrity::BUILD_JSON);
    let kept = match &opts.scope {
        Scope::Site => site,
        scope => {
            let entries = zipped::chain(&c.register, scope, c.rollups.as_of)?;
            let title = format!(
                "Auditor pack: {} as of {}",
                scope.describe(),
                c.rollups.as_of
            );
            zipped::select(&c.register, &site, &entries, &title)
        }
    };
    let out = Out::memory();
    for (rel, bytes) in &kept {
        out.write(rel, bytes).map_err(|e| e.to_string())?;
    }
    let mut identity = Identity::new(c.content_commit.clone(), c.rollups.as_of, c.audience);
    identity.pack = Some(opts.scope.describe());
    integrity::write(&identity, &out).map_err(|e| e.to_string())?;
    let files: BTreeMap<String, Vec<u8>> = out.into_files();
    let bytes = zipped::zip(&files)?;
    replace(&opts.output, &bytes)?;
    Ok(files.len())
}

/// Whether `path` may be written: it does not exist, or it is a regular
/// file holding a pack (a zip with our comment).
fn may_replace(path: &Path) -> Result<(), String> {
    let meta = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.to_string()),
        Ok(m) => m,
    };
    let ours = meta.is_file() && is_pack(path).unwrap_or(false);
    if ours {
        Ok(())
    } else {
        Err("the file exists and is not a pack isms-site wrote: it is left alone".to_string())
    }
}

/// A zip's comment is at its very end (after 22 bytes of the end record).
fn is_pack(path: &Path) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path)?;
    let tail = zipped::ZIP_COMMENT.len() as u64;
    if f.metadata()?.len() < tail + 22 {
        return Ok(false);
    }
    f.seek(SeekFrom::End(-(tail as i64)))?;
    let mut buf = vec![0; tail as usize];
    f.read_exact(&mut buf)?;
    Ok(buf == zipped::ZIP_COMMENT.as_bytes())
}

/// Writes `bytes` to `path` through a file beside it, renamed over it
/// once complete: a failed write leaves the old file as it was.
fn replace(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let name = path
        .file_name()
        .ok_or_else(|| format!("{} names no file", path.display()))?;
    let tmp = path.with_file_name(format!(
        ".{}.isms-pack-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })
}

/// `diags` with every path inside `from` moved to the same place in `to`.
fn relocate(diags: Diagnostics, from: &Path, to: &Path) -> Diagnostics {
    let mut out = Diagnostics::default();
    for d in diags.iter() {
        let file = match d.file.strip_prefix(from) {
            Ok(rel) => to.join(rel),
            Err(_) => d.file.clone(),
        };
        let added = match d.severity {
            ProblemKind::Error => out.error(&file, d.pos, d.message.clone()),
            ProblemKind::Warning => out.warning(&file, d.pos, d.message.clone()),
        };
        if let Some(h) = &d.hint {
            added.hint(h.clone());
        }
    }
    out
}
