//! The content files' SHA-256 as the last build took them, by stamp: one
//! file `.NAME.isms-sums` beside the output folder (like the build cache),
//! so that a build reads and hashes only the content files changed since,
//! as git's index spares `git status` from reading unchanged files.
//!
//! Every build digests the whole content folder for its key
//! (`site::reuse::tree_with_sums`): at 10,000 entries some 12,000 files,
//! 59 MB, about 0.1 s of CPU. A file whose [`FileStamp`] (device, inode,
//! size, modification and change time) is the one recorded with its sum
//! has that sum: writing to a file or replacing it changes its change
//! time, which no program can set back.
//!
//! A stamp is recorded only when both its times lay `site::survey::SETTLED` (3 s) before
//! the build began to read the content, and neither is a whole second (the
//! rule `site::survey` trusts folders by): a file changed twice within one
//! tick of a coarse clock could otherwise keep its stamp. A file changed
//! more recently is read every time until it settles.
//!
//! It is only a hint: a missing, damaged, foreign, oversized or linked file
//! means reading every file, as before, never an error. It is never
//! followed through a symbolic link, a file of that name that is not ours
//! is left alone, and it is written, under the build's lock, only once the
//! output's place is checked (never into the content folder), and only
//! into a folder that exists already (as the other kept files are).

use crate::site::publish;
use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::time::SystemTime;

use publish::SUMS;

/// Larger files are not read (10,000 entries keep about 1.8 MB).
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// A content file's identity and times, as the system gives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    dev: u64,
    ino: u64,
    size: u64,
    /// Nanoseconds since 1970.
    mtime: i128,
    ctime: i128,
}

impl FileStamp {
    /// The file's length in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// `None` where the system gives no change time: then every file is
    /// read every time.
    #[cfg(unix)]
    pub fn of(meta: &fs::Metadata) -> Option<FileStamp> {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Some(FileStamp {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime: ns(meta.mtime(), meta.mtime_nsec()),
            ctime: ns(meta.ctime(), meta.ctime_nsec()),
        })
    }

    /// [`FileStamp::of`] what `statat` gave (its fields' types differ
    /// between targets, hence casts that are no-ops on some).
    #[cfg(target_os = "linux")]
    #[allow(clippy::unnecessary_cast)]
    pub fn of_stat(st: &rustix::fs::Stat) -> FileStamp {
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        FileStamp {
            dev: st.st_dev,
            ino: st.st_ino,
            size: st.st_size as u64,
            mtime: ns(st.st_mtime as i64, st.st_mtime_nsec as i64),
            ctime: ns(st.st_ctime as i64, st.st_ctime_nsec as i64),
        }
    }

    #[cfg(not(unix))]
    pub fn of(_: &fs::Metadata) -> Option<FileStamp> {
        None
    }

    fn settled(&self, since: SystemTime) -> bool {
        crate::site::survey::settled(self.ctime, self.mtime, since)
    }
}

/// What the last build recorded: each file's stamp and SHA-256, by its
/// `/`-separated path below the content folder.
#[derive(Default)]
pub struct Known(HashMap<String, (FileStamp, [u8; 32])>);

impl Known {
    /// The recorded SHA-256 of `rel`, when the file still has the stamp
    /// recorded with it.
    pub fn sum(&self, rel: &str, now: Option<&FileStamp>) -> Option<[u8; 32]> {
        let (stamp, sum) = self.0.get(rel)?;
        (Some(stamp) == now).then_some(*sum)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One content file as this build took it: `fresh` when it was read
/// (not taken from [`Known`]).
pub struct Taken {
    pub rel: String,
    pub stamp: Option<FileStamp>,
    pub sum: [u8; 32],
    pub fresh: bool,
}

/// What to record for the next build, from the files this build took
/// (`since`: when it began to take them); `None` when the record kept
/// beside the output would be the same as `known`.
pub fn to_record(taken: &[Taken], known: &Known, since: SystemTime) -> Option<Vec<Line>> {
    let lines: Vec<Line> = taken
        .iter()
        .filter_map(|t| {
            let stamp = t.stamp.filter(|s| s.settled(since))?;
            Some((t.rel.clone(), stamp, t.sum))
        })
        .collect();
    let same = lines.len() == known.len() && taken.iter().all(|t| !t.fresh);
    (!same).then_some(lines)
}

/// A recorded file: its path, stamp and SHA-256.
pub type Line = (String, FileStamp, [u8; 32]);

/// The record beside `output`; empty when there is none, or it is
/// damaged, too large, a link or not ours.
pub fn read(output: &Path) -> Known {
    let parsed = SUMS
        .read(output, MAX_BYTES)
        .and_then(|bytes| parse(std::str::from_utf8(&bytes).ok()?));
    parsed.unwrap_or_default()
}

fn parse(text: &str) -> Option<Known> {
    let body = text.strip_prefix(SUMS.header)?;
    let mut known = HashMap::new();
    for line in body.lines() {
        let (rel, stamp, sum) = parse_line(line)?;
        known.insert(rel, (stamp, sum));
    }
    Some(Known(known))
}

fn parse_line(line: &str) -> Option<Line> {
    let mut parts = line.splitn(7, ' ');
    let mut next = || parts.next();
    let sum = crate::output::integrity::unhex(next()?)?;
    let dev = next()?.parse().ok()?;
    let ino = next()?.parse().ok()?;
    let size = next()?.parse().ok()?;
    let mtime = next()?.parse().ok()?;
    let ctime = next()?.parse().ok()?;
    let rel = publish::unescape(next()?);
    let stamp = FileStamp {
        dev,
        ino,
        size,
        mtime,
        ctime,
    };
    Some((rel, stamp, sum))
}

/// Writes `lines` beside `output` for the next build: into a temporary
/// file renamed over the last record, never through a link or over a
/// file not ours.
pub fn write(output: &Path, lines: &[Line]) {
    let mut text = String::with_capacity(SUMS.header.len() + lines.len() * 120);
    text.push_str(SUMS.header);
    for (rel, s, sum) in lines {
        text.push_str(&format!(
            "{} {} {} {} {} {} {}\n",
            crate::output::integrity::hex(sum),
            s.dev,
            s.ino,
            s.size,
            s.mtime,
            s.ctime,
            publish::escape(rel)
        ));
    }
    SUMS.write(output, text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn stamp(ctime: i128) -> FileStamp {
        FileStamp {
            dev: 1,
            ino: 2,
            size: 3,
            mtime: ctime - 5,
            ctime,
        }
    }

    fn taken(rel: &str, stamp: FileStamp, fresh: bool) -> Taken {
        Taken {
            rel: rel.into(),
            stamp: Some(stamp),
            sum: [7; 32],
            fresh,
        }
    }

    /// Only stamps settled when the build began are recorded; a record
    /// reads back as written, any file name included; nothing is written
    /// again when nothing was read.
    #[test]
    fn settled_stamps_are_recorded_and_read_back() {
        let since = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let ns = |s: u64| i128::from(s) * 1_000_000_000 + 123;
        let old = stamp(ns(1_000_000 - 10));
        let recent = stamp(ns(1_000_000 - 1));
        let odd = "plans/a %25 b\nc.md";
        let files = [taken(odd, old, true), taken("site.yaml", recent, true)];
        let lines = to_record(&files, &Known::default(), since).expect("something new");
        assert_eq!(lines.len(), 1, "the recent file is not recorded");
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        fs::create_dir(&out).unwrap();
        write(&out, &lines);
        let known = read(&out);
        assert_eq!(known.sum(odd, Some(&old)), Some([7; 32]));
        assert_eq!(known.sum(odd, Some(&recent)), None, "another stamp");
        assert_eq!(known.sum("site.yaml", Some(&recent)), None);
        let again = [taken(odd, old, false), taken("site.yaml", recent, true)];
        assert!(to_record(&again, &known, since).is_some(), "a file read");
        let none_read = [taken(odd, old, false)];
        assert!(to_record(&none_read, &known, since).is_none());
        assert!(to_record(&[], &known, since).is_some(), "a file gone");
    }

    /// A content file with its recorded stamp is not read; one changed is,
    /// even when its size and modification time were put back as they
    /// were (its change time moved), and so is one added.
    #[test]
    fn only_files_changed_since_they_were_recorded_are_read() {
        use crate::site::reuse::tree_with_sums;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        fs::create_dir(dir.join("register")).unwrap();
        fs::write(dir.join("register/A-1.yaml"), "title: one\n").unwrap();
        fs::write(dir.join("site.yaml"), "title: x\n").unwrap();
        let (first, taken) = tree_with_sums(dir, &Known::default()).unwrap();
        assert!(taken.iter().all(|t| t.fresh));
        // As if the build had begun a minute later: every file settled.
        let later = SystemTime::now() + Duration::from_secs(60);
        let beside = tempfile::tempdir().unwrap();
        let out = beside.path().join("out");
        write(&out, &to_record(&taken, &Known::default(), later).unwrap());
        let known = read(&out);
        assert_eq!(known.len(), 2);
        let (digest, taken) = tree_with_sums(dir, &known).unwrap();
        assert_eq!(digest, first);
        assert!(taken.iter().all(|t| !t.fresh), "an unchanged file was read");
        let file = dir.join("register/A-1.yaml");
        let mtime = fs::metadata(&file).unwrap().modified().unwrap();
        fs::write(&file, "title: two\n").unwrap();
        fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        fs::write(dir.join("register/A-2.yaml"), "title: new\n").unwrap();
        let (digest, taken) = tree_with_sums(dir, &known).unwrap();
        assert_ne!(digest, first);
        let fresh: Vec<&str> = taken
            .iter()
            .filter(|t| t.fresh)
            .map(|t| t.rel.as_str())
            .collect();
        #[cfg(unix)]
        assert_eq!(fresh, ["register/A-1.yaml", "register/A-2.yaml"]);
        let cold = tree_with_sums(dir, &Known::default()).unwrap();
        assert_eq!(digest, cold.0, "not the digest of reading every file");
    }

    /// A damaged line voids the record; a file not ours is neither read
    /// nor replaced, and a link is not followed.
    #[test]
    fn a_damaged_foreign_or_linked_record_is_not_used() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let good = format!("{}{} 1 2 3 4 5 a.yaml\n", SUMS.header, "ab".repeat(32));
        fs::write(SUMS.path(&out), &good).unwrap();
        assert_eq!(read(&out).len(), 1);
        fs::write(SUMS.path(&out), good.replace(" 3 ", " x ")).unwrap();
        assert!(read(&out).is_empty());
        fs::write(SUMS.path(&out), "my notes\n").unwrap();
        assert!(read(&out).is_empty());
        write(&out, &[("b".into(), stamp(9), [1; 32])]);
        assert_eq!(fs::read_to_string(SUMS.path(&out)).unwrap(), "my notes\n");
        #[cfg(unix)]
        {
            let elsewhere = tmp.path().join("elsewhere");
            fs::write(&elsewhere, &good).unwrap();
            fs::remove_file(SUMS.path(&out)).unwrap();
            std::os::unix::fs::symlink(&elsewhere, SUMS.path(&out)).unwrap();
            assert!(read(&out).is_empty(), "read through a link");
            write(&out, &[("b".into(), stamp(9), [1; 32])]);
            assert_eq!(fs::read_to_string(&elsewhere).unwrap(), good);
        }
    }
}
