//! `isms-site verify DIR`: checks a copy of a built site against the
//! `SHA256SUMS` the build wrote into it (changed, missing and extra files)
//! and, with `--content`, builds the content again as `build.json` says
//! and compares every file byte for byte.
//!
//! The copy is untrusted: nothing is followed out of DIR (symbolic links
//! are named, never read through), every file is read in bounded pieces,
//! and only regular files are opened.

use crate::content::git::GitHistory;
use crate::content::stdio::{self, errln};
use crate::model::Enumerated;
use crate::model::Visibility;
use crate::model::diag::{shown, terminal_safe};
use crate::output::integrity::{self, BUILD_JSON, Identity, SUMS};
use crate::output::sink::Out;
use crate::site::build;
use crate::site::publish::{MANIFEST, MARKER};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

#[derive(clap::Args)]
pub(super) struct Args {
    /// The site folder to check: a build's output, or a copy of it
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Also build this content folder again, as of the date and for the audience DIR/build.json
    /// names, and compare every file byte for byte
    #[arg(long, value_name = "DIR")]
    content: Option<PathBuf>,
    /// Theme folder for that build [default: themes/default if it exists]
    #[arg(long, value_name = "DIR", requires = "content")]
    theme: Option<PathBuf>,
}

/// The largest `SHA256SUMS` read: about 300,000 files' lines.
const MAX_SUMS_BYTES: u64 = 64 << 20;
/// The largest `build.json` read (isms-site writes a few hundred bytes).
const MAX_BUILD_JSON_BYTES: u64 = 64 << 10;
/// Files and folders looked at in DIR at most: a bound on memory.
const MAX_ENTRIES: usize = 2_000_000;

/// What a path in DIR is, links not followed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Link,
    Other,
}

/// Problems found, as `path: message` lines, in the order found.
#[derive(Default)]
struct Report(Vec<String>);

impl Report {
    fn say(&mut self, path: &Path, message: impl std::fmt::Display) {
        self.0.push(format!(
            "{}: {}",
            shown(path),
            terminal_safe(&message.to_string())
        ));
    }
}

pub(super) fn run(args: &Args) -> i32 {
    let dir = &args.dir;
    let sums_path = dir.join(SUMS);
    let text = match read_bounded(&sums_path, MAX_SUMS_BYTES) {
        Ok(t) => t,
        Err(e) => {
            errln!(
                "error: {}: {e}\n  hint: verify checks a folder isms-site built (it writes {SUMS} at the top); name that folder",
                shown(&sums_path)
            );
            return 2;
        }
    };
    let mut report = Report::default();
    let found = match walk(dir) {
        Ok(f) => f,
        Err(e) => {
            report.say(dir, e);
            BTreeMap::new()
        }
    };
    let listed = parse_sums(&sums_path, &text, &mut report);
    let checked = check_listed(dir, &listed, &found, &mut report);
    for (rel, kind) in &found {
        if !listed.contains_key(rel) && !is_own(rel) {
            let what = match kind {
                Kind::Link => " (a symbolic link)",
                _ => "",
            };
            report.say(
                &dir.join(rel),
                format!("not listed in {SUMS}: added to the copy{what}"),
            );
        }
    }
    if let Some(content) = &args.content {
        let theme = super::default_theme(args.theme.clone());
        rebuild_and_compare(dir, content, theme.as_deref(), &found, &mut report);
    }
    for line in &report.0 {
        errln!("{line}");
    }
    if report.0.is_empty() {
        let also = if args.content.is_some() {
            ", and the content builds to the same bytes"
        } else {
            ""
        };
        errln!("{} files match {}{also}", checked, shown(&sums_path));
        0
    } else {
        errln!(
            "{} problem{} in {}",
            report.0.len(),
            if report.0.len() == 1 { "" } else { "s" },
            shown(dir)
        );
        1
    }
}

/// Files at the top of a copy that are not part of the published site
/// (nor of `SHA256SUMS`): the sums file itself, the publish manifest and
/// marker isms-site keeps for itself, and a detached signature of the sums
/// (docs/publishing.md: ssh-keygen or minisign) handed over with a copy.
fn is_own(rel: &str) -> bool {
    [
        SUMS,
        MANIFEST,
        MARKER,
        "SHA256SUMS.sig",
        "SHA256SUMS.minisig",
    ]
    .contains(&rel)
}

/// The paths and digests `SHA256SUMS` lists; a line that cannot be read
/// is reported (`SHA256SUMS:LINE: message`) and skipped.
fn parse_sums(path: &Path, text: &[u8], report: &mut Report) -> BTreeMap<String, [u8; 32]> {
    let mut listed = BTreeMap::new();
    let body = text.strip_suffix(b"\n").unwrap_or(text);
    if body.is_empty() {
        return listed;
    }
    for (i, line) in body.split(|b| *b == b'\n').enumerate() {
        let at = PathBuf::from(format!("{}:{}", path.display(), i + 1));
        let parsed = std::str::from_utf8(line)
            .map_err(|_| "not UTF-8".to_string())
            .and_then(integrity::parse_line)
            .and_then(|(rel, sum)| match inside(&rel) {
                true => Ok((rel, sum)),
                false => Err(format!("`{rel}` is not a path inside the folder; not read")),
            });
        match parsed {
            Ok((rel, sum)) => {
                if listed.insert(rel.clone(), sum).is_some() {
                    report.say(&at, format!("`{rel}` is listed twice"));
                }
            }
            Err(e) => report.say(&at, e),
        }
    }
    listed
}

/// Whether `rel` names something below the folder: relative, `/`
/// separated, no `.` or `..`, no empty part.
fn inside(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\0')
        && rel
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Hashes every listed file that is there and reports those that differ,
/// are missing, or are not regular files. Returns how many matched.
fn check_listed(
    dir: &Path,
    listed: &BTreeMap<String, [u8; 32]>,
    found: &BTreeMap<String, Kind>,
    report: &mut Report,
) -> usize {
    let results: Vec<(&String, Result<(), String>)> = listed
        .par_iter()
        .map(|(rel, want)| {
            let result = match found.get(rel) {
                None => Err("missing from the copy".to_string()),
                Some(Kind::Link) => Err("a symbolic link; not followed".to_string()),
                Some(Kind::Other) => Err("not a regular file".to_string()),
                Some(Kind::File) => match sha256_file(&dir.join(rel)) {
                    Ok(sum) if &sum == want => Ok(()),
                    Ok(_) => Err(format!("changed: its SHA-256 differs from {SUMS}")),
                    Err(e) => Err(format!("cannot be read: {e}")),
                },
            };
            (rel, result)
        })
        .collect();
    let mut matched = 0;
    for (rel, result) in results {
        match result {
            Ok(()) => matched += 1,
            Err(e) => report.say(&dir.join(rel), e),
        }
    }
    matched
}

/// Builds `content` again as `DIR/build.json` says (as-of date, audience,
/// git read or not), in memory, and compares every file with DIR's.
fn rebuild_and_compare(
    dir: &Path,
    content: &Path,
    theme: Option<&Path>,
    found: &BTreeMap<String, Kind>,
    report: &mut Report,
) {
    let json_path = dir.join(BUILD_JSON);
    let identity = match read_identity(&json_path) {
        Ok(i) => i,
        Err(e) => return report.say(&json_path, format!("{e}; cannot build it again")),
    };
    if let Some(scope) = &identity.pack {
        // A pack is built from a commit's files and may be cut to a chain:
        // the way to check it again is to make it again.
        return report.say(
            &json_path,
            format!(
                "this is an auditor pack ({scope}): --content builds whole sites; run the same `isms-site pack` and compare the two zips' SHA-256"
            ),
        );
    }
    let Some((as_of, audience)) = when_and_whom(&identity) else {
        return report.say(
            &json_path,
            "its as_of or audience cannot be read; cannot build it again",
        );
    };
    let git = match identity.content_commit {
        Some(_) => GitHistory::Read,
        None => GitHistory::Off,
    };
    let (prepared, diags) = build::prepare_build(content, theme, as_of, audience, git, None);
    let Some((computed, mut theme)) = prepared else {
        stdio::err(&diags.render_human(true));
        return report.say(content, "the content does not build; nothing to compare");
    };
    if computed.content_commit != identity.content_commit {
        let name = |c: &Option<String>| c.clone().unwrap_or_else(|| "none".to_string());
        report.say(
            content,
            format!(
                "its commit is {}, but {BUILD_JSON} names {}: differences below may come from that",
                name(&computed.content_commit),
                name(&identity.content_commit)
            ),
        );
    }
    let ours = env!("ISMS_SITE_VERSION");
    if identity.version != ours {
        report.say(
            &json_path,
            format!(
                "built by isms-site {}, this is {ours}: differences below may come from that",
                identity.version
            ),
        );
    }
    let out = Out::memory();
    if let Err(e) = build::render_into(&computed, &mut theme, &out) {
        return report.say(content, format!("the rebuild failed: {e}"));
    }
    compare(dir, &out.into_files(), found, report);
}

/// Reports every file of the rebuild that DIR lacks or holds other bytes
/// for, and every file of DIR the rebuild does not write.
fn compare(
    dir: &Path,
    rebuilt: &BTreeMap<String, Vec<u8>>,
    found: &BTreeMap<String, Kind>,
    report: &mut Report,
) {
    let problems: Vec<(&String, &str)> = rebuilt
        .par_iter()
        .filter_map(|(rel, bytes)| {
            let problem = match found.get(rel) {
                None => "missing; the rebuild writes it",
                Some(Kind::File) => match read_bounded(&dir.join(rel), bytes.len() as u64) {
                    Ok(theirs) if &theirs == bytes => return None,
                    _ => "differs from the rebuild",
                },
                Some(_) => "not a regular file; the rebuild writes one",
            };
            Some((rel, problem))
        })
        .collect();
    for (rel, problem) in problems {
        report.say(&dir.join(rel), problem);
    }
    let written: BTreeSet<&str> = rebuilt.keys().map(String::as_str).collect();
    for rel in found.keys() {
        if !written.contains(rel.as_str()) && !is_own(rel) {
            report.say(&dir.join(rel), "not written by the rebuild");
        }
    }
}

fn read_identity(path: &Path) -> Result<Identity, String> {
    let bytes = read_bounded(path, MAX_BUILD_JSON_BYTES)?;
    serde_json::from_slice(&bytes).map_err(|e| format!("not a build.json isms-site wrote: {e}"))
}

fn when_and_whom(identity: &Identity) -> Option<(chrono::NaiveDate, Visibility)> {
    let as_of = crate::content::yaml::parse_date(&identity.as_of)?;
    let audience = Visibility::from_text(&identity.audience)?;
    Some((as_of, audience))
}

/// Every file, link and other non-folder below `dir`, by `/`-separated
/// path; folders are walked, links never followed.
fn walk(dir: &Path) -> Result<BTreeMap<String, Kind>, String> {
    let mut found = BTreeMap::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    let mut seen = 0usize;
    while let Some((d, prefix)) = stack.pop() {
        let read = fs::read_dir(&d).map_err(|e| format!("cannot read {}: {e}", shown(&d)))?;
        for e in read {
            let e = e.map_err(|e| format!("cannot read {}: {e}", shown(&d)))?;
            seen += 1;
            if seen > MAX_ENTRIES {
                return Err(format!(
                    "holds more than {MAX_ENTRIES} files and folders; not checked"
                ));
            }
            let rel = format!("{prefix}{}", e.file_name().to_string_lossy());
            let kind = match e.file_type() {
                Ok(t) if t.is_dir() => {
                    stack.push((e.path(), format!("{rel}/")));
                    continue;
                }
                Ok(t) if t.is_symlink() => Kind::Link,
                Ok(t) if t.is_file() => Kind::File,
                _ => Kind::Other,
            };
            found.insert(rel, kind);
        }
    }
    Ok(found)
}

/// Opens a regular file for reading, refusing a symbolic link in its last
/// component (the walk saw none, but the copy may change meanwhile).
fn open_file(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok(file)
}

/// The SHA-256 of a file, read in pieces: any size, bounded memory.
fn sha256_file(path: &Path) -> std::io::Result<[u8; 32]> {
    let mut file = open_file(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(hasher.finalize().into());
        }
        hasher.update(&buf[..n]);
    }
}

/// A file's bytes, when it holds at most `limit`.
fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = open_file(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("larger than {limit} bytes"));
    }
    Ok(bytes)
}
