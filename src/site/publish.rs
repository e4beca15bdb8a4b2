//! Putting a built site in place without ever losing the previous one.
//!
//! The site is written to a staging folder beside the output folder (same
//! file system, so renames are cheap and atomic), then swapped in. A failed
//! build removes its staging folder and leaves the output as it was.
//!
//! On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`: a build
//! killed at any instant leaves the old site or the new one, never a mix and
//! never nothing. Elsewhere it is two renames, and the next build puts the
//! old site back if a crash fell between them ([`recover`]). A lock file
//! beside the output ([`Lock`]) keeps two builds from publishing at once.
//!
//! The output folder is replaced wholesale, so we make sure it is ours: it
//! must not be or contain the content or theme folder, nor lie inside
//! either, must not be a mount point (which cannot be renamed), and an
//! existing non-empty output must carry our manifest and hold nothing the
//! manifest does not list (files, and folders with none of our files) —
//! otherwise a user's files there would be deleted. Read-only folders are
//! refused too. That check runs before rendering and again, under the lock,
//! at the swap: on Linux just after it, on the previous site where the
//! swap put it, the swap undone if anything was put in meanwhile
//! ([`Staging::publish`]); elsewhere just before it. And the previous
//! site, once set aside, loses only the files its manifest lists: anything
//! put in after the last check is moved back into the new site (or kept
//! where it is), never deleted. A
//! symbolic link as the output is resolved once ([`resolve`]) and the site
//! published into its target; links are never followed when removing.
//! Leftovers of killed builds are removed only when they carry our
//! [`MARKER`] naming their own folder, so a folder that merely looks like
//! one, or a copy of one, is never touched, and only what their manifest
//! lists goes.

use crate::output::sink::{Record, Stamp, open_own};
use crate::site::survey::{Found, Seen, survey};
use rustc_hash::FxHashSet;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

/// Lists every file the generator wrote, one `/`-separated path a line,
/// after [`MANIFEST_HEADER`], with `%`, line feed and carriage return
/// `%`-escaped so that any file name survives the round trip.
pub const MANIFEST: &str = ".isms-site-manifest";
/// The [`MANIFEST`] while it is written, before it is renamed into place.
const MANIFEST_PART: &str = ".isms-site-manifest.part";

/// First line of a manifest whose paths are escaped. A manifest without it
/// was written by an older version: its lines are the paths as they are.
const MANIFEST_HEADER: &str = "# isms-site manifest 2: %-escaped paths\n";

/// Written first into every folder a build makes beside the output: the
/// proof that a leftover folder is ours to remove. A folder that merely has
/// a look-alike name lacks it, and a copy of one (a backup) holds a marker
/// naming another folder (see [`marker_text`]). It is taken out of the
/// published site, which stays byte-identical from build to build.
pub const MARKER: &str = ".isms-site-folder";

/// The marker's first line.
const MARKER_HEAD: &str = "isms-site wrote this folder; a later build may replace or remove it.\n";

pub(crate) fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    // Not there yet: resolve the parent and keep the last component.
    match (p.parent(), p.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute(parent).join(name),
        _ => std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf()),
    }
}

/// Why the output folder cannot be used, with how to fix it.
pub struct Refusal {
    pub message: String,
    pub hint: String,
}

fn refusal(output: &Path, why: impl std::fmt::Display, hint: &str) -> Refusal {
    Refusal {
        message: format!("refusing to publish into {}: {why}", output.display()),
        hint: hint.into(),
    }
}

/// The folder to publish into, resolved once per build: `output` made
/// absolute, or, when it is a symbolic link to a folder, the link's target.
/// Every later step (lock, staging, swap) then works beside the real folder
/// and never through the link, and the link itself stays as it is.
pub fn resolve(output: &Path) -> Result<PathBuf, Refusal> {
    let is_link = fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(absolute(output));
    }
    let to = fs::read_link(output)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    let hint = "point the link at a folder, or pass that folder as --output";
    match fs::metadata(output) {
        Ok(m) if m.is_dir() => output.canonicalize().map_err(|e| {
            refusal(
                output,
                format!("cannot resolve the symbolic link: {e}"),
                hint,
            )
        }),
        Ok(_) => Err(refusal(
            output,
            format!("it is a symbolic link to {to}, which is not a folder"),
            hint,
        )),
        Err(_) => Err(refusal(
            output,
            format!("it is a symbolic link to {to}, which does not exist"),
            hint,
        )),
    }
}

/// Whether a build may replace `output` (resolved as [`resolve`] does):
/// refused when it is, holds or is inside the content or theme folder, is
/// a mount point, holds anything we did not write, or cannot be changed by
/// us.
pub fn check_target(content: &Path, theme: Option<&Path>, output: &Path) -> Result<Seen, Refusal> {
    check_target_knowing(content, theme, output, &Seen::default())
}

/// [`check_target`], taking from `known` (the folders the last build saw,
/// [`read_seen`]) the listings of the folders that kept their stamp.
pub fn check_target_knowing(
    content: &Path,
    theme: Option<&Path>,
    output: &Path,
    known: &Seen,
) -> Result<Seen, Refusal> {
    check_placement(content, theme, output)?;
    let o = resolve(output)?;
    if !o.exists() {
        return Ok(Seen::default());
    }
    if !o.is_dir() {
        return Err(refusal(
            output,
            "it is a file, not a folder",
            "remove it or choose another --output",
        ));
    }
    check_contents(output, &o, known)
}

/// Whether the existing folder `o` (the output as the user named it:
/// `shown`) may be replaced: not a mount point, nothing in it we did not
/// write, nothing read-only. Run before rendering, and again under the
/// lock at the swap (on the previous site where the swap put it, on
/// Linux), since files may arrive in between: then taking from the first
/// check's `seen` the folders that kept their stamp (`site::survey`).
/// Returns what this check saw, for the next.
fn check_contents(shown: &Path, o: &Path, seen: &Seen) -> Result<Seen, Refusal> {
    if is_mount_point(o) {
        return Err(refusal(
            shown,
            "it is a mount point, and a build replaces the output folder by renaming it",
            "publish into a folder inside the mount point (e.g. --output MOUNT/site) and point the web server there",
        ));
    }
    // The manifest is read while the folder is walked.
    let (found, ours) = rayon::join(|| survey(o, seen, SystemTime::now()), || read_manifest(o));
    let found = found.map_err(|e| {
        refusal(
            shown,
            e,
            "isms-site must see everything in the output folder before replacing it",
        )
    })?;
    let foreign = foreign(&found, &ours);
    if !foreign.is_empty() {
        return Err(refusal(
            shown,
            format!(
                "it holds {} file(s) or folder(s) isms-site did not write, e.g. {}",
                foreign.len(),
                examples(&foreign)
            ),
            "a build replaces the whole output folder; move those away, delete the folder, or choose another --output",
        ));
    }
    if let Some(locked) = found.read_only.first() {
        let which = if locked.is_empty() {
            "it is".to_string()
        } else {
            format!("its folder {locked} is")
        };
        return Err(refusal(
            shown,
            format!("{which} read-only"),
            "a build replaces the whole output folder; make it writable (chmod -R u+w) if it may be replaced, or choose another --output",
        ));
    }
    Ok(found.seen)
}

/// The first few of `names`, for a message.
fn examples(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(5).map(|s| s.as_str()).collect();
    shown.join(", ")
}

/// Whether `dir` is the root of a mounted file system. Such a folder
/// cannot be renamed ("Device or resource busy"), so it cannot be swapped.
#[cfg(target_os = "linux")]
fn is_mount_point(dir: &Path) -> bool {
    use rustix::fs::{AtFlags, CWD, StatxAttributes, StatxFlags, statx};
    let flags = AtFlags::NO_AUTOMOUNT | AtFlags::SYMLINK_NOFOLLOW;
    match statx(CWD, dir, flags, StatxFlags::empty()) {
        Ok(s) if s.stx_attributes_mask.contains(StatxAttributes::MOUNT_ROOT) => {
            s.stx_attributes.contains(StatxAttributes::MOUNT_ROOT)
        }
        _ => on_another_device(dir),
    }
}

#[cfg(not(target_os = "linux"))]
fn is_mount_point(dir: &Path) -> bool {
    on_another_device(dir)
}

/// The classic test for a mount point (it misses a bind mount within one
/// file system, which `statx` on Linux sees).
#[cfg(unix)]
fn on_another_device(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let parent = dir.parent().unwrap_or(dir);
    match (fs::symlink_metadata(dir), fs::metadata(parent)) {
        (Ok(d), Ok(p)) => d.dev() != p.dev() || d.ino() == p.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn on_another_device(_: &Path) -> bool {
    false
}

/// Whether `output` is, holds or is inside the content folder or the theme
/// folder: decided by the paths alone, so a command refuses it as a usage
/// error before reading anything. An output inside the theme would be
/// copied into every later build (its `static/` is published as it is),
/// restricted pages and all; one holding either would delete it.
pub fn check_placement(content: &Path, theme: Option<&Path>, output: &Path) -> Result<(), Refusal> {
    // A link that cannot be resolved is refused by the build itself.
    let Ok(o) = resolve(output) else {
        return Ok(());
    };
    let c = absolute(content);
    if c == o || c.starts_with(&o) {
        return Err(refusal(
            output,
            format!(
                "it {} the content folder",
                if c == o { "is" } else { "contains" }
            ),
            "choose another --output, e.g. output/ next to content/",
        ));
    }
    if o.starts_with(&c) {
        return Err(refusal(
            output,
            "it is inside the content folder",
            "choose an --output outside content/",
        ));
    }
    let Some(t) = theme.map(absolute) else {
        return Ok(());
    };
    if t == o || t.starts_with(&o) || o.starts_with(&t) {
        let how = if t == o {
            "is"
        } else if t.starts_with(&o) {
            "contains"
        } else {
            "is inside"
        };
        return Err(refusal(
            output,
            format!("it {how} the theme folder {}", t.display()),
            "a theme's files are published into every build; choose an --output outside the theme, e.g. output/ next to content/",
        ));
    }
    Ok(())
}

/// What the output holds that the manifest does not list: files, and
/// folders with no listed file below them (named `dir/`; what is inside a
/// foreign folder is not listed again). Our own manifest and marker at the
/// top are not foreign.
fn foreign(found: &Found, ours: &Manifest) -> Vec<String> {
    let ours_folders = folders_of(ours.iter().map(String::as_str));
    let in_foreign = |rel: &str, top: &[&String]| top.iter().any(|f| rel.starts_with(f.as_str()));
    let mut top: Vec<&String> = Vec::new();
    // Sorted so that a folder comes before what it holds; most often
    // there are none to sort (12,000 folders sorted a check, issue 27).
    let mut folders: Vec<&String> = found
        .folders
        .iter()
        .filter(|f| !ours_folders.contains(f.as_str()))
        .collect();
    folders.sort();
    for f in folders {
        if !in_foreign(f, &top) {
            top.push(f);
        }
    }
    let mut out: Vec<String> = found
        .files
        .iter()
        .filter(|f| f.as_str() != MANIFEST && f.as_str() != MARKER)
        .filter(|f| !ours.contains(f.as_str()) && !in_foreign(f, &top))
        .cloned()
        .collect();
    out.extend(top.into_iter().cloned());
    out.sort();
    out
}

/// The folders (each with a trailing `/`) that hold a path of `ours`.
fn folders_of<'a>(ours: impl Iterator<Item = &'a str>) -> FxHashSet<&'a str> {
    ours.flat_map(|f| f.match_indices('/').map(move |(i, _)| &f[..=i]))
        .collect()
}

/// The paths a manifest lists. Hashed with Fx, not SipHash: they are
/// names we wrote, looked up for each of the 12,000 files of every walk
/// (issue 27).
pub(crate) type Manifest = FxHashSet<String>;

/// The paths a manifest lists (none when there is no manifest).
pub(crate) fn read_manifest(output: &Path) -> Manifest {
    let text = fs::read_to_string(output.join(MANIFEST)).unwrap_or_default();
    match text.strip_prefix(MANIFEST_HEADER) {
        Some(escaped) => escaped.lines().map(unescape).collect(),
        None => text.lines().map(str::to_string).collect(),
    }
}

fn manifest_text(files: &[String]) -> String {
    let mut text = MANIFEST_HEADER.to_string();
    for f in files {
        text.push_str(&escape(f));
        text.push('\n');
    }
    text
}

pub(crate) fn escape(path: &str) -> String {
    // Most paths have nothing to escape: one copy, not three.
    if !path.contains(['%', '\n', '\r']) {
        return path.to_string();
    }
    path.replace('%', "%25")
        .replace('\n', "%0A")
        .replace('\r', "%0D")
}

pub(crate) fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let code = rest.get(i + 1..i + 3).unwrap_or("");
        let c = match code {
            "25" => '%',
            "0A" => '\n',
            "0D" => '\r',
            _ => {
                out.push('%');
                rest = &rest[i + 1..];
                continue;
            }
        };
        out.push(c);
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    out
}

/// A folder to build into, removed again unless [`Staging::publish`] runs.
pub struct Staging {
    pub dir: PathBuf,
    output: PathBuf,
    published: bool,
    /// Whether the previous site becomes the next build's spare after the
    /// swap ([`Staging::over_spare`]); `false` removes it as always.
    keep_spare: bool,
    /// When `dir` is the spare: the SHA-256 and stamp of each file it
    /// held when the build began (its record, checked), for the sink to
    /// leave alone what is already there and for [`Staging::publish`] to
    /// remove what the new site no longer has.
    pub holds: Option<HashMap<String, Record>>,
    /// What removing an untrusted spare left (files not ours).
    warnings: Vec<String>,
    /// What the check of the output before rendering saw
    /// ([`Staging::after_check`]): the check at the swap reads only the
    /// folders changed since.
    seen: Seen,
    /// What the check of the spare saw of its folders, when this is the
    /// spare: for the next build, with the folders of the site that
    /// becomes the spare ([`Published::seen`]).
    spare_seen: Seen,
}

/// The spare beside `output` (as [`resolve`] gave it): the site before
/// last, kept after a swap as the next build's staging folder, so that a
/// build after a small change rewrites the files that changed rather than
/// making and removing a whole tree (`.NAME.isms-spare`).
pub fn spare_path(output: &Path) -> PathBuf {
    sibling_fixed(output, "spare")
}

/// The spare's record: the build cache of the site it holds, renamed at
/// the swap (`.NAME.isms-spare-cache`; read by `site::reuse`). Removed
/// before the spare's first byte changes, so a spare without one is never
/// trusted.
pub fn spare_record_path(output: &Path) -> PathBuf {
    sibling_fixed(output, "spare-cache")
}

/// Removes the spare's record if it is ours.
fn drop_record(output: &Path) -> std::io::Result<()> {
    let record = spare_record_path(output);
    if is_our_cache(&record) {
        fs::remove_file(&record)?;
    }
    Ok(())
}

/// Whether the spare `dir` holds exactly what `record` lists (by path and
/// stamp), besides our manifest and marker: nothing added, removed or
/// changed since, every folder one that holds a listed file, none
/// read-only, and it is ours. Every listed path must be one found by
/// walking the spare: the record is only a hint, and a path in it that
/// leads elsewhere (`../x`, `/x`) would otherwise be checked, then
/// removed, outside the spare.
///
/// The folders that kept their stamp since `known` recorded them are not
/// read again. Returns what the walk saw, when the spare is intact.
fn spare_is_intact(dir: &Path, record: &HashMap<String, Record>, known: &Seen) -> Option<Seen> {
    if !is_marked(dir) {
        return None;
    }
    // What the record lists is gathered while the spare is walked.
    let (found, (listed, folders)) = rayon::join(
        || survey(dir, known, SystemTime::now()),
        || {
            let listed: FxHashSet<&str> = record.keys().map(String::as_str).collect();
            let folders = folders_of(record.keys().map(String::as_str));
            (listed, folders)
        },
    );
    let found = found.ok()?;
    let site_files = found
        .files
        .iter()
        .filter(|f| *f != MANIFEST && *f != MARKER);
    let intact = found.read_only.is_empty()
        && found.folders.iter().all(|f| folders.contains(f.as_str()))
        && site_files.clone().all(|f| listed.contains(f.as_str()))
        && site_files.count() == listed.len()
        && stamps_kept(dir, record);
    intact.then_some(found.seen)
}

/// Whether every file `record` lists below `dir` is a file that still has
/// the stamp recorded for it.
#[cfg(target_os = "linux")]
fn stamps_kept(dir: &Path, record: &HashMap<String, Record>) -> bool {
    use crate::site::survey::{Below, is_file};
    use rayon::prelude::*;
    let Ok(below) = Below::open(dir) else {
        return false;
    };
    record.par_iter().all(|(rel, r)| {
        below
            .lstat(rel)
            .is_ok_and(|st| is_file(&st) && Stamp::of_stat(&st) == r.stamp)
    })
}

#[cfg(not(target_os = "linux"))]
fn stamps_kept(dir: &Path, record: &HashMap<String, Record>) -> bool {
    use rayon::prelude::*;
    record.par_iter().all(|(rel, r)| {
        fs::symlink_metadata(dir.join(rel)).is_ok_and(|m| m.is_file() && Stamp::of(&m) == r.stamp)
    })
}

/// Removes an untrusted spare as a stale staging folder is removed: one
/// that still has its manifest loses only what the manifest lists; one a
/// build had begun to write into (its manifest removed first) is wholly
/// ours. A folder of that name without our marker is left alone. Returns
/// a warning when something not ours was kept.
fn discard_spare(spare: &Path) -> Option<String> {
    if !is_marked(spare) {
        return None;
    }
    let removed = if spare.join(MANIFEST).exists() {
        remove_ours(spare)
    } else {
        remove_marked(spare).map(|()| Vec::new())
    };
    match removed {
        Ok(left) if left.is_empty() => None,
        Ok(left) => Some(format!(
            "kept {}, the site before last: it holds {} file(s) or folder(s) isms-site did not write, e.g. {}",
            spare.display(),
            left.len(),
            examples(&left)
        )),
        Err(e) => Some(format!("cannot remove {}: {e}", spare.display())),
    }
}

/// Removes from the spare `dir` the files its record lists that the new
/// site (`files`) does not have, then their folders once empty (deepest
/// first; a folder holding anything else stays).
fn prune(dir: &Path, holds: &HashMap<String, Record>, files: &[String]) -> std::io::Result<()> {
    let new: HashSet<&str> = files.iter().map(String::as_str).collect();
    for rel in holds.keys().filter(|rel| !new.contains(rel.as_str())) {
        match fs::symlink_metadata(dir.join(rel)) {
            Ok(m) if !m.is_dir() => fs::remove_file(dir.join(rel))?,
            _ => {}
        }
    }
    let keep = folders_of(new.iter().copied());
    let mut gone: Vec<&str> = folders_of(holds.keys().map(String::as_str))
        .into_iter()
        .filter(|f| !keep.contains(f))
        .collect();
    gone.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    for f in gone {
        let _ = fs::remove_dir(dir.join(f));
    }
    Ok(())
}

/// Numbers the folders this process makes, so that every one has a name of
/// its own: a leftover that cannot be removed (another user's) never blocks
/// a later build by taking its name.
static SERIAL: AtomicU64 = AtomicU64::new(0);

/// A name `.NAME.isms-TAG-PID-N` beside `output` that nothing has yet.
fn fresh_sibling(output: &Path, tag: &str) -> std::io::Result<PathBuf> {
    let (parent, prefix) = leftover_prefix(output, tag)
        .ok_or_else(|| std::io::Error::other("the output folder has no name"))?;
    for _ in 0..1000 {
        let n = SERIAL.fetch_add(1, Ordering::Relaxed);
        let path = parent.join(format!("{prefix}{}-{n}", std::process::id()));
        if fs::symlink_metadata(&path).is_err() {
            return Ok(path);
        }
    }
    Err(std::io::Error::other("no free name for a staging folder"))
}

/// The marker's whole text for the folder `dir` describes: the head, then,
/// on Unix, the folder's own device and inode, and its creation time where
/// the file system records one. Renaming a folder keeps them, so a staging
/// folder that becomes the output and later the set-aside previous site
/// stays proven; copying it (`cp -a site .site.isms-old-2025-06`) makes a
/// folder with another inode, whose copied marker then proves nothing. The
/// creation time (which no copy or archive restores) covers a copy made
/// after the original was deleted that happens to get its inode back.
fn marker_text(dir: &fs::Metadata) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let born = dir
            .created()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| format!(" {}.{:09}", d.as_secs(), d.subsec_nanos()))
            .unwrap_or_default();
        format!("{MARKER_HEAD}folder {} {}{born}\n", dir.dev(), dir.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        MARKER_HEAD.to_string()
    }
}

/// Writes the [`MARKER`] for `dir` into it unless it is there already,
/// replacing a stale one (copied, or from an older version), never through
/// a link of that name. Public for tests that make a leftover as a killed
/// build leaves it.
pub fn mark(dir: &Path) -> std::io::Result<()> {
    use std::io::Write;
    if is_marked(dir) {
        return Ok(());
    }
    let text = marker_text(&fs::symlink_metadata(dir)?);
    let path = dir.join(MARKER);
    match fs::symlink_metadata(&path) {
        Ok(m) if m.is_dir() => {
            return Err(std::io::Error::other(format!(
                "{} is a folder",
                path.display()
            )));
        }
        // A plain file or a link: removing it never touches its target.
        Ok(_) => fs::remove_file(&path)?,
        Err(_) => {}
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?
        .write_all(text.as_bytes())
}

/// Whether `dir` is a real folder holding, as a plain file, the marker
/// that names this very folder.
fn is_marked(dir: &Path) -> bool {
    let marker = dir.join(MARKER);
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return false;
    };
    let text = marker_text(&meta);
    meta.is_dir()
        && fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file() && m.len() == text.len() as u64)
        && fs::read(&marker).is_ok_and(|b| b == text.as_bytes())
}

/// The record of the spare beside an output if the spare is intact
/// ([`spare_is_intact`]), else `None`: looked at only, nothing changed,
/// so a build may check while it loads and still fail without having
/// touched the spare.
/// With it, what the check saw of the spare's folders.
pub struct CheckedSpare(Option<(HashMap<String, Record>, Seen)>);

impl CheckedSpare {
    /// Checks the spare beside `output` against `record`, its record,
    /// reading only the folders changed since `known` recorded them.
    pub fn of(
        output: &Path,
        record: Option<HashMap<String, Record>>,
        known: &Seen,
    ) -> CheckedSpare {
        let _t = crate::output::timing::phase("check spare");
        let spare = spare_path(output);
        CheckedSpare(record.and_then(|r| {
            let seen = spare_is_intact(&spare, &r, known)?;
            Some((r, seen))
        }))
    }
}

/// Where [`Staging::publish_with`] calls its test hook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The site is rendered and its manifest written; the output has not
    /// been looked at again yet.
    Rendered,
    /// The previous site was checked again and found ours. On Linux the
    /// swap came first: the new site is in place, and the previous one
    /// lies where the staging folder was, to be kept as the spare or
    /// removed. Elsewhere the swap comes next.
    Checked,
}

/// What [`Staging::publish`] did.
pub struct Published {
    /// Files in the new site.
    pub files: usize,
    /// Files found in the previous site that isms-site did not write (put
    /// there while the build ran), and where they are now.
    pub warnings: Vec<String>,
    /// The settled folders of the new site and of the spare, as the checks
    /// of this build saw them: for the next build's checks
    /// ([`write_seen`]).
    pub seen: Seen,
}

impl Staging {
    /// Makes a new staging folder beside `output` (as [`resolve`] gave it),
    /// its marker written before anything else.
    pub fn new(output: &Path) -> std::io::Result<Staging> {
        let dir = fresh_sibling(output, "staging")?;
        if let Some(parent) = dir.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::create_dir(&dir)?;
        let staging = Staging {
            dir,
            output: output.to_path_buf(),
            published: false,
            keep_spare: false,
            holds: None,
            warnings: Vec::new(),
            seen: Seen::default(),
            spare_seen: Seen::default(),
        };
        mark(&staging.dir)?;
        Ok(staging)
    }

    /// The spare beside `output` as the staging folder, when it is there
    /// and holds exactly what `record` (its record, `site::reuse`) lists;
    /// its record and manifest are removed before anything in it changes,
    /// so a build that fails or is killed from here on leaves a spare no
    /// later build trusts, removed as a stale staging folder is. Otherwise
    /// the spare, if any, is removed so (what is not ours is kept, with a
    /// warning) and a new staging folder made. Either way the previous
    /// site becomes the next spare after the swap where the system swaps
    /// in one step (Linux); elsewhere it is removed as always.
    pub fn over_spare(
        output: &Path,
        record: Option<HashMap<String, Record>>,
    ) -> std::io::Result<Staging> {
        Staging::over_checked_spare(output, CheckedSpare::of(output, record, &Seen::default()))
    }

    /// [`Staging::over_spare`] with the spare checked already: a build
    /// checks it while it loads the content, a walk of some ten thousand
    /// folders off its path.
    pub fn over_checked_spare(output: &Path, checked: CheckedSpare) -> std::io::Result<Staging> {
        let spare = spare_path(output);
        drop_record(output)?;
        let mut staging = match checked.0 {
            Some((record, spare_seen)) => {
                match fs::remove_file(spare.join(MANIFEST)) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
                Staging {
                    dir: spare,
                    output: output.to_path_buf(),
                    published: false,
                    keep_spare: false,
                    holds: Some(record),
                    warnings: Vec::new(),
                    seen: Seen::default(),
                    spare_seen,
                }
            }
            None => {
                let warning = discard_spare(&spare);
                let mut staging = Staging::new(output)?;
                staging.warnings.extend(warning);
                staging
            }
        };
        staging.keep_spare = true;
        Ok(staging)
    }

    /// Notes what the check of the output before rendering saw
    /// ([`check_target`], under the same lock): the check at the swap
    /// then reads only the folders changed since, and takes the rest from
    /// it (`site::survey`). Without it that check reads every folder.
    pub fn after_check(&mut self, seen: Seen) {
        self.seen = seen;
    }

    /// Swaps the staging folder in as the output. `files` are the paths
    /// written into it (`/`-separated): they become the manifest. The
    /// caller holds the [`Lock`].
    pub fn publish(self, files: &[String]) -> Result<Published, String> {
        self.publish_with(files, &mut |_| {})
    }

    /// [`Staging::publish`], calling `hook` at each [`Step`]: the seam
    /// through which tests put a file into the output at the worst moment.
    pub fn publish_with(
        mut self,
        files: &[String],
        hook: &mut dyn FnMut(Step),
    ) -> Result<Published, String> {
        let _t = crate::output::timing::phase("publish");
        let cannot = |e: std::io::Error| format!("cannot put the new site in place: {e}");
        // Written under another name, then renamed: a build killed meanwhile
        // leaves no manifest (the folder is then wholly ours and removed by
        // the next build), never part of one, whose unlisted files the next
        // build would take for someone else's and keep.
        if let Some(holds) = &self.holds {
            prune(&self.dir, holds, files).map_err(cannot)?;
        }
        let part = self.dir.join(MANIFEST_PART);
        fs::write(&part, manifest_text(files)).map_err(cannot)?;
        fs::rename(&part, self.dir.join(MANIFEST)).map_err(cannot)?;
        hook(Step::Rendered);
        let output = &self.output.clone();
        let mut seen = std::mem::take(&mut self.spare_seen);
        let warnings = match fs::symlink_metadata(output) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                clear_cache(output);
                if self.keep_spare {
                    drop_record(output).map_err(cannot)?;
                }
                fs::rename(&self.dir, output).map_err(cannot)?;
                Vec::new()
            }
            Err(e) => return Err(cannot(e)),
            Ok(m) if m.file_type().is_symlink() => {
                // Resolved before the build; replaced by a link since.
                return Err(format!(
                    "{} became a symbolic link during the build",
                    output.display()
                ));
            }
            Ok(_) => {
                let (warnings, spare) = self.replace(hook)?;
                seen.merge(spare);
                warnings
            }
        };
        self.published = true;
        // The new site's own marker is not part of the site.
        let _ = fs::remove_file(output.join(MARKER));
        let mut all = std::mem::take(&mut self.warnings);
        all.extend(warnings);
        Ok(Published {
            files: files.len(),
            warnings: all,
            seen,
        })
    }

    /// Puts the staging folder in place of the existing output, and sets
    /// the previous site aside: kept as the spare, or removed. Files may
    /// have been put into the output since the check before rendering, so
    /// the previous site is checked once more, under the lock. Where the
    /// system swaps in one step (Linux), that check comes just after the
    /// swap, where the previous site then lies (the staging folder's
    /// path, which nothing put into the output reaches), and is the walk
    /// that lets it be kept as the spare: anything found there undoes the
    /// swap and refuses the publish, as a check just before the swap
    /// would, in one walk of some 12,000 folders instead of two (issue
    /// 27). Elsewhere the output is checked first, then renamed aside.
    fn replace(&mut self, hook: &mut dyn FnMut(Step)) -> Result<(Vec<String>, Seen), String> {
        let output = self.output.clone();
        let cannot = |e: std::io::Error| format!("cannot put the new site in place: {e}");
        let refused = |r: Refusal| format!("{} ({})", r.message, r.hint);
        // The previous site leaves by a marked folder, so that a crash
        // before it is removed leaves a leftover we may clean.
        mark(&output).map_err(cannot)?;
        // The build cache describes the site about to leave: it becomes
        // the record of the spare that site becomes, or goes.
        let recorded = self.keep_spare && cache_to_record(&output);
        if exchange(&self.dir, &output).is_ok() {
            let checked = {
                let _t = crate::output::timing::phase("check previous");
                check_contents(&output, &self.dir, &self.seen)
            };
            return match checked {
                Ok(seen) => {
                    hook(Step::Checked);
                    Ok(self.set_aside(&output, recorded, seen))
                }
                Err(r) => Err(self.swap_back(&output, recorded, refused(r))),
            };
        }
        // Two renames: the previous site cannot be put back in one step,
        // so it is checked first, and nothing is kept of it.
        if recorded {
            record_to_cache(&output);
        }
        if let Err(r) = check_contents(&output, &output, &self.seen) {
            unmark(&output);
            return Err(refused(r));
        }
        hook(Step::Checked);
        clear_cache(&output);
        let _ = drop_record(&output);
        let old = fresh_sibling(&output, "old").map_err(cannot)?;
        fs::rename(&output, &old).map_err(cannot)?;
        if let Err(e) = fs::rename(&self.dir, &output) {
            // Put the previous site back before reporting.
            let _ = fs::rename(&old, &output);
            return Err(cannot(e));
        }
        Ok((retire(&old, &output), Seen::default()))
    }

    /// After the swap: the previous site, at the staging folder's path and
    /// found ours (`seen`: what its check saw), kept as the spare when its
    /// record is in place (`recorded`), else removed ([`retire`]).
    fn set_aside(&self, output: &Path, recorded: bool, seen: Seen) -> (Vec<String>, Seen) {
        let kept = recorded.then(|| keep_as_spare(&self.dir, output, seen));
        if let Some(kept) = kept.flatten() {
            return (Vec::new(), kept);
        }
        if recorded {
            let _ = drop_record(output);
        }
        (retire(&self.dir, output), Seen::default())
    }

    /// Undoes the swap, the previous site (at the staging folder's path)
    /// having been found to hold something not ours: it goes back in
    /// place as it was, its marker taken out and its build cache put back,
    /// and the new site back to the staging folder, removed with it.
    /// Returns `message`; if the system refuses to swap back, says so and
    /// where the previous site is, and nothing is removed.
    fn swap_back(&mut self, output: &Path, recorded: bool, message: String) -> String {
        if let Err(e) = exchange(&self.dir, output) {
            self.published = true;
            return format!(
                "{message}; the new site could not be swapped out again ({e}), so it stays published, and the previous site, with those files, is at {}",
                self.dir.display()
            );
        }
        unmark(output);
        if recorded {
            record_to_cache(output);
        }
        message
    }
}

/// Takes out of `dir` the [`MARKER`] [`mark`] put there.
fn unmark(dir: &Path) {
    let _ = fs::remove_file(dir.join(MARKER));
}

/// Renames the build cache beside `output` (if ours) to the spare's
/// record, replacing an older record of ours; `false` when there is none
/// now (no cache, or a file not ours in the way): then no spare is kept.
/// Anything else: the cache is removed, as before every swap.
fn cache_to_record(output: &Path) -> bool {
    let (cache, record) = (cache_path(output), spare_record_path(output));
    let there = fs::symlink_metadata(&record).is_ok();
    let in_way = there && !is_our_cache(&record);
    if is_our_cache(&cache) && !in_way {
        // Removed first, not renamed over: ext4 writes out at once a file
        // renamed over another (see `Kept::write_with`), and this is
        // inside the publish, before the swap.
        if there {
            let _ = fs::remove_file(&record);
        }
        if fs::rename(&cache, &record).is_ok() {
            return true;
        }
    }
    clear_cache(output);
    let _ = drop_record(output);
    false
}

/// Where the build cache, made the spare's record before the swap
/// ([`cache_to_record`]), goes back to when the swap is undone: it
/// describes the previous site, in place again.
fn record_to_cache(output: &Path) {
    let (cache, record) = (cache_path(output), spare_record_path(output));
    if is_our_cache(&record) && fs::symlink_metadata(&cache).is_err() {
        let _ = fs::rename(&record, &cache);
    }
}

/// Keeps the previous site, at `old` after the swap and found ours by its
/// check there (`seen`: what that walk saw), as the spare, unless the
/// spare's place is taken by something not ours; `None`: `old` is as it
/// was. Anything put into it after that check (only through a folder
/// opened before the swap) is found by the next build's check of the
/// spare, which then keeps it and does not trust the spare.
fn keep_as_spare(old: &Path, output: &Path, seen: Seen) -> Option<Seen> {
    let spare = spare_path(output);
    let kept =
        old == spare || (fs::symlink_metadata(&spare).is_err() && fs::rename(old, &spare).is_ok());
    kept.then_some(seen)
}

/// Removes the previous site, set aside at `old`, keeping anything its
/// manifest does not list: a file put into the output after the last check
/// went aside with it. Such files are moved back into the new site at the
/// same place; where the new site has that name itself, they stay in `old`,
/// which is then kept. Returns a warning for each case.
fn retire(old: &Path, output: &Path) -> Vec<String> {
    let _t = crate::output::timing::phase("remove previous");
    let foreign = match remove_ours(old) {
        Ok(f) if f.is_empty() => return Vec::new(),
        Ok(f) => f,
        Err(e) => {
            return vec![format!(
                "the previous site was kept at {}: {e}",
                old.display()
            )];
        }
    };
    let moved: Vec<String> = foreign
        .iter()
        .filter(|rel| move_back(old, output, rel))
        .cloned()
        .collect();
    let mut warnings = Vec::new();
    if !moved.is_empty() {
        warnings.push(format!(
            "{} file(s) or folder(s) isms-site did not write were put into {} while it was published, and were kept there: {}",
            moved.len(),
            output.display(),
            examples(&moved)
        ));
    }
    match remove_ours(old) {
        Ok(left) if left.is_empty() => {}
        Ok(left) => warnings.push(format!(
            "the previous site was kept at {}: it holds {} file(s) or folder(s) isms-site did not write whose names the new site uses, e.g. {}",
            old.display(),
            left.len(),
            examples(&left)
        )),
        Err(e) => warnings.push(format!(
            "the previous site was kept at {}: {e}",
            old.display()
        )),
    }
    warnings
}

/// Moves `rel` (a file, or a folder named with a trailing `/`) from `old`
/// to the same place in `output`, unless something is there already.
fn move_back(old: &Path, output: &Path, rel: &str) -> bool {
    let rel = rel.trim_end_matches('/');
    let to = output.join(rel);
    if fs::symlink_metadata(&to).is_ok() {
        return false;
    }
    to.parent().is_some_and(|p| fs::create_dir_all(p).is_ok())
        && fs::rename(old.join(rel), &to).is_ok()
}

/// Removes from `dir` the files its manifest lists, then the folders that
/// held them once empty, and returns what is left that the manifest does
/// not list (as [`foreign`] names it). Only when nothing is left does the
/// folder itself go, manifest and marker last. Files are found by walking
/// the folder, so a listed path through a symbolic link is never removed,
/// and a file that arrives after the walk is never removed either.
fn remove_ours(dir: &Path) -> std::io::Result<Vec<String>> {
    use rayon::prelude::*;
    let found = survey(dir, &Seen::default(), SystemTime::now()).map_err(std::io::Error::other)?;
    let ours = read_manifest(dir);
    let left = foreign(&found, &ours);
    found
        .files
        .par_iter()
        .filter(|f| ours.contains(f.as_str()))
        .try_for_each(|f| match fs::remove_file(dir.join(f)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        })?;
    // Deepest first, each depth in parallel (a register has thousands of
    // one-page folders); a folder that holds something not ours fails to
    // go, and is kept.
    let holding = folders_of(ours.iter().map(String::as_str));
    let mut by_depth: std::collections::BTreeMap<usize, Vec<&String>> = Default::default();
    for f in found
        .folders
        .iter()
        .filter(|f| holding.contains(f.as_str()))
    {
        by_depth.entry(f.matches('/').count()).or_default().push(f);
    }
    for level in by_depth.values().rev() {
        level.par_iter().for_each(|f| {
            let _ = fs::remove_dir(dir.join(f));
        });
    }
    if left.is_empty() {
        let _ = fs::remove_file(dir.join(MANIFEST));
        // Unmarked first: if anything arrived meanwhile, the folder stays
        // and no later build will take it for ours.
        match fs::remove_file(dir.join(MARKER)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => fs::remove_dir(dir)?,
        }
    }
    Ok(left)
}

/// Removes a folder tree, spreading the work over the thread pool: a
/// previous site is tens of thousands of files. Symbolic links are removed,
/// never followed, `dir` itself included.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    if !fs::symlink_metadata(dir)?.is_dir() {
        return fs::remove_file(dir);
    }
    remove_entries(dir, |_| true)?;
    fs::remove_dir(dir)
}

/// [`remove_tree`] for a folder we marked: the marker goes last, so that a
/// build killed meanwhile leaves a folder still proven ours.
fn remove_marked(dir: &Path) -> std::io::Result<()> {
    if fs::symlink_metadata(dir)?.is_dir() {
        remove_entries(dir, |name| name != MARKER)?;
    }
    remove_tree(dir)
}

fn remove_entries(
    dir: &Path,
    which: impl Fn(&std::ffi::OsStr) -> bool + Sync,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries = fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
    entries
        .par_iter()
        .filter(|e| which(&e.file_name()))
        .try_for_each(|e| {
            if e.file_type()?.is_dir() {
                remove_tree(&e.path())
            } else {
                fs::remove_file(e.path())
            }
        })
}

/// Swaps two folders in one step, where the system can.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// The name of the folders a build leaves beside the output while it runs:
/// `.NAME.isms-staging-PID-N` and `.NAME.isms-old-PID-N`.
fn leftover_prefix(output: &Path, tag: &str) -> Option<(PathBuf, String)> {
    let abs = absolute(output);
    let name = abs.file_name()?.to_string_lossy().into_owned();
    Some((abs.parent()?.to_path_buf(), format!(".{name}.isms-{tag}-")))
}

/// The folders beside `output` that a build of ours left: named as
/// [`fresh_sibling`] names them and carrying the [`MARKER`]. A folder that
/// only looks like one (a backup named `.site.isms-old-mine`) is not ours.
fn leftovers(output: &Path, tag: &str) -> Vec<PathBuf> {
    let Some((parent, prefix)) = leftover_prefix(output, tag) else {
        return Vec::new();
    };
    let Ok(read) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let ours = |name: &str| {
        name.strip_prefix(&prefix)
            .and_then(|rest| rest.split_once('-'))
            .is_some_and(|(pid, n)| all_digits(pid) && all_digits(n))
    };
    let mut found: Vec<PathBuf> = read
        .flatten()
        .filter(|e| ours(&e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .filter(|p| {
            if is_marked(p) {
                return true;
            }
            // A build killed between making its folder and marking it
            // leaves it empty, or holding only the marker half written:
            // removing those loses nothing, and fails on anything else (a
            // link, a folder with other files).
            remove_unfinished_mark(p);
            let _ = fs::remove_dir(p);
            false
        })
        .collect();
    found.sort();
    found
}

/// Removes the marker from `dir` if it is the only thing there and holds a
/// beginning of the text [`mark`] writes (a build killed while writing it).
fn remove_unfinished_mark(dir: &Path) {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return;
    };
    let Ok(mut entries) = fs::read_dir(dir) else {
        return;
    };
    let only_marker = matches!(
        (entries.next(), entries.next()),
        (Some(Ok(e)), None) if e.file_name() == MARKER
    );
    let marker = dir.join(MARKER);
    let unfinished = only_marker
        && meta.is_dir()
        && fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file())
        && fs::read(&marker).is_ok_and(|b| marker_text(&meta).as_bytes().starts_with(&b));
    if unfinished {
        let _ = fs::remove_file(&marker);
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Repairs what a killed build left behind. Runs under the [`Lock`], so no
/// other build is using these folders: a missing output with a previous
/// site set aside (a crash between the two renames of the fallback) gets
/// it back; stale staging and set-aside folders are removed, but only what
/// their manifest lists (a staging folder killed before it had one is
/// wholly ours), and so is a Markdown memo left half written
/// ([`memo_part_path`]). Returns warnings for leftovers that could not be removed
/// (another user's, say, or one holding files we did not write): they are
/// kept, never in the way of this build.
pub fn recover(output: &Path) -> std::io::Result<Vec<String>> {
    let mut old = leftovers(output, "old");
    if fs::symlink_metadata(output).is_err()
        && let Some(previous) = old.pop()
    {
        fs::rename(&previous, output)?;
        // A published site again: its marker is not part of it.
        let _ = fs::remove_file(output.join(MARKER));
    }
    let mut warnings = Vec::new();
    // A kept file half written by a killed build: one that will not go
    // is said, not a reason to stop (the next write replaces it).
    for kept in [PARSED, SUMS, FOLDERS, SEARCH] {
        let part = kept.part_path(output);
        if kept.is_ours(&part)
            && let Err(e) = fs::remove_file(&part)
        {
            warnings.push(format!(
                "cannot remove {}, left by an interrupted build: {e}",
                part.display()
            ));
        }
    }
    for dir in old.into_iter().chain(leftovers(output, "staging")) {
        let removed = if dir.join(MANIFEST).exists() {
            remove_ours(&dir)
        } else {
            remove_marked(&dir).map(|()| Vec::new())
        };
        match removed {
            Ok(left) if left.is_empty() => {}
            Ok(left) => warnings.push(format!(
                "kept {}, left by an interrupted build: it holds {} file(s) or folder(s) isms-site did not write, e.g. {}",
                dir.display(),
                left.len(),
                examples(&left)
            )),
            Err(e) => warnings.push(format!(
                "cannot remove {}, left by an interrupted build: {e}",
                dir.display()
            )),
        }
    }
    // A memo a killed build was writing; a file of that name not ours
    // (or a link) is left alone.
    let part = memo_part_path(output);
    if is_our_memo(&part) {
        let _ = fs::remove_file(&part);
    }
    Ok(warnings)
}

/// An exclusive lock on an output folder, held for a whole build: a file
/// `.NAME.isms-lock` beside the output, removed again when the build ends.
/// The operating system releases the lock when the process ends, however it
/// ends, so a killed build leaves at most an unlocked file, never a stale
/// lock.
pub struct Lock {
    _file: fs::File,
    path: PathBuf,
}

impl Lock {
    /// Takes the lock, or says at once who holds it: a second build fails
    /// rather than waiting, so a stuck build is noticed.
    pub fn take(output: &Path) -> Result<Lock, Refusal> {
        let path = sibling_fixed(output, "lock");
        let cannot = |e: std::io::Error| Refusal {
            message: format!("cannot lock {}: {e}", path.display()),
            hint: "check that the folder holding --output is writable".into(),
        };
        loop {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(cannot)?;
            }
            // Opening creates the file, and would create it wherever a link
            // planted here points: never write through one.
            if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(Refusal {
                    message: format!(
                        "{} is a symbolic link; isms-site never writes through one",
                        path.display()
                    ),
                    hint: "remove the link; the lock file is made anew by each build".into(),
                });
            }
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(cannot)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(Refusal {
                        message: format!(
                            "another isms-site build is publishing into {} right now (it holds {})",
                            output.display(),
                            path.display()
                        ),
                        hint: "wait for that build to finish, then build again".into(),
                    });
                }
                Err(fs::TryLockError::Error(e)) => return Err(cannot(e)),
            }
            // The previous holder removes the file as it finishes: if that
            // happened between our open and our lock, we hold a file no one
            // else will see, so start again with the current one.
            if same_file(&file, &path) {
                return Ok(Lock { _file: file, path });
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked; the lock goes with `_file` just after.
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &fs::File, path: &Path) -> bool {
    path.exists()
}

pub(crate) fn sibling_fixed(output: &Path, tag: &str) -> PathBuf {
    match leftover_prefix(output, tag) {
        Some((parent, prefix)) => parent.join(prefix.trim_end_matches('-')),
        None => PathBuf::from(format!(".output.isms-{tag}")),
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = remove_marked(&self.dir);
        }
    }
}

/// The first line of a build cache file (`site::reuse`): what proves the
/// file ours (a file of that name without it is never replaced or removed).
pub const CACHE_HEADER: &str = "# isms-site build cache 1\n";

/// The build cache's file beside `output` (as [`resolve`] gave it). Here,
/// not in `site::reuse`, because every swap removes it first.
pub fn cache_path(output: &Path) -> PathBuf {
    sibling_fixed(output, "cache")
}

/// Removes the build cache beside `output` if it is ours: called before
/// the output is swapped, so a build killed after the swap never leaves a
/// cache describing the previous site.
pub fn clear_cache(output: &Path) {
    let path = cache_path(output);
    if is_our_cache(&path) {
        let _ = fs::remove_file(&path);
    }
}

/// Whether `path` is a file of ours (a link or another file of that name
/// is left alone, and then no cache is kept).
pub fn is_our_cache(path: &Path) -> bool {
    starts_as(path, CACHE_HEADER.as_bytes())
}

/// The Markdown memo's file beside `output` (`.NAME.isms-markdown`):
/// the Markdown of the last build's entries, plans and reviews, rendered,
/// which the next build takes instead of parsing it again (written and
/// read by `site::reuse`; the format is `output::pages::memo`). It is
/// keyed by what each text was rendered from, not by the site published,
/// so no swap has to remove it.
pub fn memo_path(output: &Path) -> PathBuf {
    sibling_fixed(output, "markdown")
}

/// Where the memo is written before it is renamed into place
/// (`.NAME.isms-markdown-new`): a build killed meanwhile leaves it, and
/// the next one removes it ([`recover`]).
pub fn memo_part_path(output: &Path) -> PathBuf {
    sibling_fixed(output, "markdown-new")
}

/// Whether `path` is a memo file of ours, whole or cut short (a link or
/// another file of that name is left alone, and then no memo is kept).
pub fn is_our_memo(path: &Path) -> bool {
    starts_as(path, crate::output::pages::memo::MAGIC)
}

/// A file a build keeps beside the output for the next build
/// (`.NAME.isms-TAG`): written as `.NAME.isms-TAG-new` and renamed into
/// place, under the build's lock, and proved ours by its first line. It
/// is only a hint: a link, or a file of that name that does not start
/// with the header, is never read, replaced or removed, and then nothing
/// is kept.
pub struct Kept {
    tag: &'static str,
    part: &'static str,
    /// Its first line.
    pub header: &'static str,
    /// Written over in place (see [`Kept::write_with`]): only a file that
    /// ends in its seal, so that one cut short by a killed build is
    /// refused when read.
    in_place: bool,
}

/// The parses a build keeps (`site::parsed`). Not removed at a swap: it
/// describes the content, not the site.
pub const PARSED: Kept = Kept {
    tag: "parsed",
    part: "parsed-new",
    header: "# isms-site parsed content 1\n",
    in_place: true,
};

/// The content files' SHA-256 by stamp (`site::sums`). Not removed at a
/// swap: it describes the content.
pub const SUMS: Kept = Kept {
    tag: "sums",
    part: "sums-new",
    header: "# isms-site content sums 1\n",
    in_place: false,
};

/// The folders the last build saw settled, by stamp ([`read_seen`]). Not
/// removed at a swap: a folder's listing is taken from it only while the
/// folder keeps its stamp, wherever it is.
pub const FOLDERS: Kept = Kept {
    tag: "folders",
    part: "folders-new",
    header: "# isms-site folders 1\n",
    in_place: false,
};

/// The search terms of the last build's pages (`output::search_memo`),
/// by what each was taken from. Not removed at a swap: it describes the
/// content.
pub const SEARCH: Kept = Kept {
    tag: "search",
    part: "search-new",
    header: "# isms-site search terms 1\n",
    in_place: false,
};

impl Kept {
    /// Where it is kept beside `output` (as [`resolve`] gave it).
    pub fn path(&self, output: &Path) -> PathBuf {
        sibling_fixed(output, self.tag)
    }

    /// Where it is written before being renamed into place; a killed
    /// build leaves it for the next to remove ([`recover`]).
    pub fn part_path(&self, output: &Path) -> PathBuf {
        sibling_fixed(output, self.part)
    }

    /// Whether `path` is a file of this kind of ours, whole or cut short.
    pub fn is_ours(&self, path: &Path) -> bool {
        starts_as(path, self.header.as_bytes())
    }

    /// Its bytes beside `output`, header included, when it is a regular
    /// file of ours of at most `max` bytes, never read through a link.
    pub fn read(&self, output: &Path, max: u64) -> Option<Vec<u8>> {
        let bytes = read_no_link(&self.path(output), max)?;
        bytes.starts_with(self.header.as_bytes()).then_some(bytes)
    }

    /// Replaces it beside `output` with `bytes` (which start with its
    /// header). Any failure only means nothing is kept.
    pub fn write(&self, output: &Path, bytes: &[u8]) {
        self.write_with(output, |w| w.write_all(bytes));
    }

    /// [`Kept::write`] with the bytes `write` writes, as it makes them:
    /// a large file (the kept parses, 36 MB at 10,000 entries) is never
    /// held whole.
    pub fn write_with(
        &self,
        output: &Path,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) {
        let path = self.path(output);
        if fs::symlink_metadata(&path).is_ok() && !self.is_ours(&path) {
            return;
        }
        // The last build's file, read before this is written, is written
        // over: removed, 36 MB of kept parses were freed in the removal
        // (33 ms on ext4 mounted with `discard` at 10,000 entries, issue 27).
        if let Some(mut file) = self.in_place.then(|| open_own(&path)).flatten() {
            use std::io::Seek;
            let written = write(&mut file)
                .and_then(|()| file.stream_position())
                .and_then(|len| file.set_len(len));
            if written.is_err() {
                let _ = fs::remove_file(&path);
            }
            return;
        }
        let tmp = self.part_path(output);
        let Some(mut file) = new_part(&tmp, |p| self.is_ours(p)) else {
            return;
        };
        if write(&mut file).is_err() {
            let _ = fs::remove_file(&tmp);
            return;
        }
        // The last build's file is removed before the rename rather than
        // renamed over: ext4 starts writing out a file renamed over
        // another at once (`auto_da_alloc`), tens of MB competing with the
        // site's own writes (36-49 ms for the rename of the kept parses at
        // 10,000 entries, 7-10 ms this way). Builds are serialized by the
        // lock, so none sees the gap; a build killed in it leaves no file,
        // which only means doing the work again.
        if self.is_ours(&path) {
            let _ = fs::remove_file(&path);
        }
        if fs::rename(&tmp, &path).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }
}

/// Whether `path` is a regular file (not a link) that starts with
/// `header`, or holds a beginning of it (a file cut short while being
/// written by a killed build), or nothing.
fn starts_as(path: &Path, header: &[u8]) -> bool {
    use std::io::Read;
    match fs::symlink_metadata(path) {
        Err(_) => false,
        Ok(m) if !m.is_file() => false,
        Ok(_) => {
            let mut head = Vec::new();
            fs::File::open(path)
                .and_then(|f| f.take(header.len() as u64).read_to_end(&mut head))
                .is_ok_and(|_| header.starts_with(&head))
        }
    }
}

/// A new file at `tmp`, where a file of ours is written before it is
/// renamed into place: one left there (by a killed build) goes first when
/// `ours` says it is ours; anything else there (a link, someone's file)
/// means `None`, and is left alone. Created, never opened: a link planted
/// meanwhile is not written through.
pub(crate) fn new_part(tmp: &Path, ours: impl Fn(&Path) -> bool) -> Option<fs::File> {
    if fs::symlink_metadata(tmp).is_ok() {
        if !ours(tmp) {
            return None;
        }
        let _ = fs::remove_file(tmp);
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(tmp)
        .ok()
}

/// The bytes of the regular file at `path` itself, never through a link,
/// when it holds at most `max` bytes (checked as it is read too: a file
/// that grows meanwhile is no file of ours).
pub(crate) fn read_no_link(path: &Path, max: u64) -> Option<Vec<u8>> {
    let file = open_no_link(path).ok()?;
    let len = file.metadata().ok()?.len();
    if len > max {
        return None;
    }
    let mut bytes = Vec::with_capacity(len as usize);
    use std::io::Read;
    file.take(max + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= max).then_some(bytes)
}

/// Opens a regular file for reading, refusing a symbolic link in its
/// last component (checked by the open itself, so a link put there after
/// a check is not followed either).
pub(crate) fn open_no_link(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    {
        if fs::symlink_metadata(path)?.file_type().is_symlink() {
            return Err(std::io::Error::other("a symbolic link"));
        }
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok(file)
}

/// The folders the last build saw settled, kept beside `output` for the
/// next (`.NAME.isms-folders`): its first check of the output and its
/// check of the spare then read only the folders changed since, as the
/// checks within one build do (`survey`). It is only a hint, trusted by
/// stamp as a walk's own record is: a missing, damaged, foreign,
/// oversized or linked file means reading every folder, never an error.
pub fn read_seen(output: &Path) -> Seen {
    read_seen_bytes(&FOLDERS.read(output, SEEN_MAX_BYTES).unwrap_or_default()).unwrap_or_default()
}

/// Larger files are not read (10,000 entries keep about 1.1 MB).
const SEEN_MAX_BYTES: u64 = 256 * 1024 * 1024;

fn read_seen_bytes(bytes: &[u8]) -> Option<Seen> {
    let text = crate::output::integrity::unsealed(bytes)?;
    Seen::decode(text.strip_prefix(FOLDERS.header.as_bytes())?)
}

/// Keeps `seen` beside `output` for the next build ([`read_seen`]), with
/// its seal (`integrity::Seal`; [`Kept::write`]).
pub fn write_seen(output: &Path, seen: &Seen) {
    let Some(body) = seen.encode() else {
        return;
    };
    let mut bytes = FOLDERS.header.as_bytes().to_vec();
    bytes.extend(body);
    FOLDERS.write(output, &crate::output::integrity::sealed(bytes));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Publishes `files` into `out` as a build does: over the spare when
    /// it is trusted, linking or leaving alone what is unchanged, and
    /// records the build cache. Returns the folder rendered into.
    #[cfg(target_os = "linux")]
    fn publish_site(out: &Path, files: &[(&str, &str)]) -> PathBuf {
        let staging = spare_staging(out, crate::site::reuse::read_spare(out));
        let dir = staging.dir.clone();
        let sink = sink_over(out, &staging);
        for (rel, text) in files {
            sink.write(rel, text.as_bytes()).unwrap();
        }
        staging.publish(&sink.written()).unwrap();
        let no_warnings = crate::model::diag::Diagnostics::default();
        let key = crate::site::reuse::NO_KEY;
        let none = crate::output::pieces::Index::new();
        let cache = crate::site::reuse::CacheOf {
            key: &key,
            entries: 0,
            warnings: &no_warnings,
            site: &sink,
            pages: None,
            pieces: &none,
        };
        cache.write(out);
        dir
    }

    #[cfg(target_os = "linux")]
    fn spare_staging(out: &Path, record: Option<HashMap<String, Record>>) -> Staging {
        Staging::over_spare(out, record).unwrap()
    }

    #[cfg(target_os = "linux")]
    fn sink_over(out: &Path, staging: &Staging) -> crate::output::sink::Out {
        let reuse = crate::output::sink::Reuse {
            from: out.to_path_buf(),
            files: crate::site::reuse::read(out)
                .map(|c| c.files)
                .unwrap_or_default(),
            holds: staging.holds.clone(),
        };
        crate::output::sink::Out::dir_reusing(&staging.dir, reuse)
    }

    /// Every file below `dir` but our marker, with its text.
    #[cfg(target_os = "linux")]
    fn files_of(dir: &Path) -> Vec<(String, String)> {
        let mut found = survey(dir, &Seen::default(), SystemTime::now())
            .unwrap()
            .files;
        found.retain(|f| f != MARKER);
        found.sort();
        found
            .into_iter()
            .map(|f| {
                let text = fs::read_to_string(dir.join(&f)).unwrap();
                (f, text)
            })
            .collect()
    }

    /// Issue 27: the spare is rendered into, what the new site no longer
    /// has goes (a file where a folder is needed and the other way round
    /// too), and a build killed after it began to write into the spare
    /// (its record and manifest removed first) leaves a spare that is
    /// never trusted again, even with a record describing it as it was.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_spare_is_rendered_into_and_one_a_killed_build_touched_is_never_trusted() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let spare = spare_path(&out);
        let record = spare_record_path(&out);
        publish_site(&out, &[("a/b.html", "same"), ("n", "file")]);
        assert!(!spare.exists());
        publish_site(&out, &[("a/b.html", "same"), ("n", "file"), ("i", "2")]);
        assert!(spare.is_dir() && record.is_file());
        // The spare held the first site: `a/` is a folder there, `n` a file.
        let used = publish_site(&out, &[("a", "now a file"), ("n/i.html", "in a folder")]);
        assert_eq!(used, spare);
        let third = [
            (
                MANIFEST.to_string(),
                manifest_text(&["a".into(), "n/i.html".into()]),
            ),
            ("a".to_string(), "now a file".to_string()),
            ("n/i.html".to_string(), "in a folder".to_string()),
        ];
        let mut expected = third.to_vec();
        expected.sort();
        assert_eq!(files_of(&out), expected);

        // Killed after writing into the spare (no Drop runs).
        let stale = crate::site::reuse::read_spare(&out).expect("a record");
        let staging = spare_staging(&out, crate::site::reuse::read_spare(&out));
        assert_eq!(staging.dir, spare);
        assert!(!record.exists(), "the record outlived the first change");
        assert!(!spare.join(MANIFEST).exists());
        sink_over(&out, &staging).write("i", b"killed").unwrap();
        std::mem::forget(staging);
        assert_eq!(files_of(&out), expected, "the output changed");
        // Even the record it had then does not make it trusted again.
        let staging = spare_staging(&out, Some(stale));
        assert_ne!(staging.dir, spare, "a touched spare was trusted");
        assert!(staging.holds.is_none());
        assert!(!spare.exists(), "the untrusted spare was kept");
        drop(staging);
        publish_site(&out, &[("i", "4")]);
        let fourth = [
            (MANIFEST.to_string(), manifest_text(&["i".into()])),
            ("i".to_string(), "4".to_string()),
        ];
        assert_eq!(files_of(&out), fourth.to_vec());
        assert!(spare.is_dir() && record.is_file());
    }

    /// A file put into the previous site after its check at the swap
    /// (which only a program holding one of its folders open since before
    /// the swap can do) is never deleted: the site is kept as the spare,
    /// the next check of the spare finds the file, and that spare is then
    /// not trusted but removed, the file kept where it is, with a warning.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_put_into_the_previous_site_after_its_check_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        publish_site(&out, &[("index.html", "one")]);
        let staging = spare_staging(&out, crate::site::reuse::read_spare(&out));
        // Where the previous site lies once swapped out.
        let aside = staging.dir.clone();
        let sink = sink_over(&out, &staging);
        sink.write("index.html", b"two").unwrap();
        let put = |step: Step| {
            if step == Step::Checked {
                fs::write(aside.join("notes.txt"), "mine").unwrap();
            }
        };
        staging.publish_with(&sink.written(), &mut { put }).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        let spare = spare_path(&out);
        assert_eq!(fs::read_to_string(spare.join("notes.txt")).unwrap(), "mine");

        let staging = spare_staging(&out, crate::site::reuse::read_spare(&out));
        assert!(
            staging.holds.is_none(),
            "a spare holding a file not ours was trusted"
        );
        assert!(
            staging.warnings.iter().any(|w| w.contains("notes.txt")),
            "{:?}",
            staging.warnings
        );
        assert_eq!(fs::read_to_string(spare.join("notes.txt")).unwrap(), "mine");
        assert!(
            !spare.join("index.html").exists(),
            "the spare's own file stayed"
        );
    }

    /// Issue 27: the check at the swap takes from the check before
    /// rendering the listing of every folder that kept its stamp, and a
    /// file put into any folder meanwhile is still found: the publish is
    /// refused and the swap undone, the output and its build cache left as
    /// they were. A file put into the output after that check (just after
    /// the swap) is in the new site, where it stays, and the next check
    /// finds it.
    #[cfg(target_os = "linux")]
    #[test]
    fn files_put_in_are_found_by_checks_that_trust_unchanged_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let site = [
            ("index.html", "one"),
            ("register/a/index.html", "a"),
            ("register/b/index.html", "b"),
        ];
        publish_site(&out, &site);
        // As if the site had been published long before this build.
        let later = SystemTime::now() + std::time::Duration::from_secs(3600);
        let publish = |put: &str, at: Step| {
            let checked = survey(&out, &Seen::default(), later).unwrap();
            assert_eq!(checked.seen.len(), 4, "not every folder was settled");
            let mut staging = spare_staging(&out, crate::site::reuse::read_spare(&out));
            staging.after_check(checked.seen);
            let sink = sink_over(&out, &staging);
            for (rel, text) in site {
                sink.write(rel, text.as_bytes()).unwrap();
            }
            let mut hook = |step: Step| {
                if step == at {
                    fs::write(out.join(put), "mine").unwrap();
                }
            };
            staging.publish_with(&sink.written(), &mut hook)
        };
        for put in ["register/a/notes.txt", "register/b/notes.txt", "notes.txt"] {
            let before = files_of(&out);
            let cache = fs::read(cache_path(&out)).unwrap();
            let refused = publish(put, Step::Rendered)
                .err()
                .expect("published over a file put in meanwhile");
            assert!(refused.contains(put), "{refused}");
            let mut expected = before.clone();
            expected.push((put.to_string(), "mine".to_string()));
            expected.sort();
            assert_eq!(files_of(&out), expected, "the output changed");
            assert!(!out.join(MARKER).exists(), "the output kept the marker");
            assert_eq!(fs::read(cache_path(&out)).unwrap(), cache, "the cache went");
            fs::remove_file(out.join(put)).unwrap();
        }

        publish("register/b/notes.txt", Step::Checked).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("register/b/notes.txt")).unwrap(),
            "mine"
        );
        let content = tempfile::tempdir().unwrap();
        let refused = check_target(content.path(), None, &out)
            .err()
            .expect("a file put in after the check went unseen");
        assert!(
            refused.message.contains("register/b/notes.txt"),
            "{}",
            refused.message
        );
    }

    /// The spare's record is only a hint: one naming paths outside the
    /// spare (`../x`, an absolute path), with the stamps those files have,
    /// never gets them removed when the new site does not have them; such
    /// a spare is not trusted at all.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_record_naming_files_outside_the_spare_never_removes_them() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let (beside, far) = (tmp.path().join("victim.txt"), tmp.path().join("far.txt"));
        fs::write(&beside, "not ours").unwrap();
        fs::write(&far, "not ours either").unwrap();
        publish_site(&out, &[("index.html", "1")]);
        publish_site(&out, &[("index.html", "2")]);
        let record = spare_record_path(&out);
        let mut text = fs::read_to_string(&record).unwrap();
        for (rel, path) in [
            ("../victim.txt".to_string(), &beside),
            (far.display().to_string(), &far),
        ] {
            let stamp = Stamp::of(&fs::symlink_metadata(path).unwrap());
            text.push_str(&format!(
                "{} {} {} {} {} {}\n",
                crate::output::integrity::hex(&[0; 32]),
                stamp.dev,
                stamp.ino,
                stamp.size,
                stamp.mtime_ns,
                escape(&rel)
            ));
        }
        fs::write(&record, text).unwrap();
        let used = publish_site(&out, &[("index.html", "3")]);
        assert_eq!(fs::read_to_string(&beside).unwrap(), "not ours");
        assert_eq!(fs::read_to_string(&far).unwrap(), "not ours either");
        assert_ne!(
            used,
            spare_path(&out),
            "a spare with such a record was trusted"
        );
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "3");
    }

    /// The crash-proof path must really be taken where it exists.
    #[cfg(target_os = "linux")]
    #[test]
    fn folders_are_exchanged_in_one_step_on_linux() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        fs::create_dir_all(&a).unwrap();
        fs::create_dir_all(&b).unwrap();
        fs::write(a.join("new"), "").unwrap();
        fs::write(b.join("old"), "").unwrap();
        exchange(&a, &b).unwrap();
        assert!(b.join("new").exists() && a.join("old").exists());
    }

    /// A build killed inside [`mark`] leaves the marker empty or cut short;
    /// the next build removes that folder, and keeps one that holds
    /// anything else or a marker with other text.
    #[test]
    fn a_staging_folder_with_a_half_written_marker_is_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let folder = |n: u32| tmp.path().join(format!(".out.isms-staging-1-{n}"));
        for (n, cut) in [(0, 0), (1, 5)] {
            fs::create_dir(folder(n)).unwrap();
            let text = marker_text(&fs::symlink_metadata(folder(n)).unwrap());
            fs::write(folder(n).join(MARKER), &text[..cut]).unwrap();
        }
        fs::create_dir(folder(2)).unwrap();
        fs::write(folder(2).join(MARKER), "not ours").unwrap();
        fs::create_dir(folder(3)).unwrap();
        fs::write(folder(3).join(MARKER), "").unwrap();
        fs::write(folder(3).join("notes.txt"), "mine").unwrap();
        assert_eq!(recover(&out).unwrap(), Vec::<String>::new());
        assert!(!folder(0).exists() && !folder(1).exists());
        assert!(folder(2).join(MARKER).exists());
        assert!(folder(3).join("notes.txt").exists());
    }

    /// A link planted where the lock file goes would make opening it
    /// create a file wherever the link points.
    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_the_lock_file_is_refused_and_not_written_through() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let elsewhere = tmp.path().join("elsewhere");
        std::os::unix::fs::symlink(&elsewhere, tmp.path().join(".out.isms-lock")).unwrap();
        let refused = Lock::take(&out).err().expect("lock taken through a link");
        assert!(
            refused.message.contains("symbolic link"),
            "{}",
            refused.message
        );
        assert!(!elsewhere.exists(), "a file was created through the link");
    }

    #[test]
    fn a_second_lock_on_the_same_output_is_refused_until_the_first_is_dropped() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let first = Lock::take(&out).unwrap_or_else(|r| panic!("{}", r.message));
        let refused = Lock::take(&out).err().expect("second lock taken");
        assert!(refused.message.contains("another isms-site build"));
        assert!(tmp.path().join(".out.isms-lock").is_file());
        drop(first);
        assert!(!tmp.path().join(".out.isms-lock").exists());
        assert!(Lock::take(&out).is_ok());
    }

    #[test]
    fn any_file_name_survives_the_manifest() {
        let tmp = tempfile::tempdir().unwrap();
        let names = [
            "index.html".to_string(),
            "evidence/two\nlines.txt".to_string(),
            "evidence/cr\r.txt".to_string(),
            "evidence/a%20b %0A %25.pdf".to_string(),
            "evidence/100%".to_string(),
        ];
        fs::write(tmp.path().join(MANIFEST), manifest_text(&names)).unwrap();
        let read = read_manifest(tmp.path());
        assert_eq!(read, names.iter().cloned().collect::<Manifest>());
        // A manifest from before the escaping is read as it was written.
        fs::write(
            tmp.path().join(MANIFEST),
            "index.html\nevidence/a%20b.pdf\n",
        )
        .unwrap();
        let read = read_manifest(tmp.path());
        assert!(read.contains("evidence/a%20b.pdf") && read.contains("index.html"));
    }

    #[test]
    fn a_staging_name_in_use_is_never_reused_or_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        // Someone else's folders under the next names this process would
        // pick (another user's leftover, say).
        let next = SERIAL.load(Ordering::Relaxed);
        let pid = std::process::id();
        let taken: Vec<PathBuf> = (next..next + 3)
            .map(|n| tmp.path().join(format!(".out.isms-staging-{pid}-{n}")))
            .collect();
        for t in &taken {
            fs::create_dir_all(t.join("theirs")).unwrap();
        }
        let staging = Staging::new(&out).unwrap();
        assert!(!taken.contains(&staging.dir));
        assert!(is_marked(&staging.dir));
        drop(staging);
        assert!(taken.iter().all(|t| t.join("theirs").is_dir()));
    }

    /// The marker names its own folder: copied with a backup, it proves
    /// nothing, and marking the copy writes its own.
    #[cfg(unix)]
    #[test]
    fn a_copied_marker_is_no_proof() {
        let tmp = tempfile::tempdir().unwrap();
        let (real, copy) = (tmp.path().join("real"), tmp.path().join("copy"));
        fs::create_dir_all(&real).unwrap();
        fs::create_dir_all(&copy).unwrap();
        mark(&real).unwrap();
        fs::copy(real.join(MARKER), copy.join(MARKER)).unwrap();
        assert!(is_marked(&real) && !is_marked(&copy));
        mark(&copy).unwrap();
        assert!(is_marked(&copy));
        // Renaming keeps the proof: a staging folder stays proven as it
        // becomes the output and then the set-aside previous site.
        let moved = tmp.path().join("moved");
        fs::rename(&real, &moved).unwrap();
        assert!(is_marked(&moved));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn mount_points_are_told_from_folders() {
        assert!(is_mount_point(Path::new("/proc")));
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join("site")).unwrap();
        assert!(!is_mount_point(&tmp.path().join("site")));
    }

    #[cfg(unix)]
    #[test]
    fn links_are_never_proof_and_never_followed_on_removal() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real");
        fs::create_dir_all(&real).unwrap();
        mark(&real).unwrap();
        fs::write(real.join("keep"), "x").unwrap();
        assert!(is_marked(&real));
        // A link to a marked folder is not a marked folder.
        let link = tmp.path().join(".out.isms-staging-1-0");
        symlink(&real, &link).unwrap();
        assert!(!is_marked(&link));
        assert!(leftovers(&tmp.path().join("out"), "staging").is_empty());
        // A marker that is a link is no marker.
        let fake = tmp.path().join("fake");
        fs::create_dir_all(&fake).unwrap();
        symlink(real.join(MARKER), fake.join(MARKER)).unwrap();
        assert!(!is_marked(&fake));
        // Removing a link removes the link only.
        remove_tree(&link).unwrap();
        assert!(fs::symlink_metadata(&link).is_err());
        assert!(real.join("keep").is_file());
    }

    /// What a walk saw, kept beside the output, lets the next build's walk
    /// skip the same folders; a damaged, foreign or linked file is no
    /// record, and a file not ours is never replaced.
    #[cfg(unix)]
    #[test]
    fn the_folders_a_build_saw_are_kept_for_the_next_only_as_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        for rel in ["index.html", "a/1/index.html", "b/x.css"] {
            let path = out.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "ours").unwrap();
        }
        // As if an hour later: every folder settled.
        let later = SystemTime::now() + std::time::Duration::from_secs(3600);
        let first = survey(&out, &Seen::default(), later).unwrap();
        write_seen(&out, &first.seen);
        let kept = read_seen(&out);
        assert_eq!(kept.len(), first.seen.len());
        assert_eq!(survey(&out, &kept, later).unwrap().read, 0);

        let path = FOLDERS.path(&out);
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 40;
        bytes[last] ^= 1;
        fs::write(&path, &bytes).unwrap();
        assert!(read_seen(&out).is_empty(), "a damaged record was used");

        fs::write(&path, "my notes").unwrap();
        assert!(read_seen(&out).is_empty());
        write_seen(&out, &first.seen);
        assert_eq!(
            fs::read(&path).unwrap(),
            b"my notes",
            "a file not ours replaced"
        );

        fs::remove_file(&path).unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        write_seen(&elsewhere, &first.seen);
        std::os::unix::fs::symlink(FOLDERS.path(&elsewhere), &path).unwrap();
        assert!(read_seen(&out).is_empty(), "read through a link");
    }
}
