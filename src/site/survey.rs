//! Walking an output folder, its spare or a set-aside site to see what it
//! holds (`publish`'s checks), links never followed.
//!
//! A build walks the output before it renders and again just before the
//! swap, then the previous site as it becomes the spare: at 10,000 entries
//! some 12,000 folders a walk, about 0.15 s of CPU each (issue 27). A walk
//! may take a folder's listing from an earlier walk instead of reading it
//! again, while the folder keeps its [`FolderStamp`]: adding, removing or
//! renaming anything in a folder sets its change time to the clock's time,
//! and no program can set a change time back. So the later walk still
//! sees every file put in since the earlier one, by asking the folder's
//! stamp (one `statx`) instead of reading it (open, read, close).
//!
//! A stamp is trusted only when the folder had not changed for
//! [`SETTLED`] when the earlier walk read it: a change in the same tick
//! of the file system's clock as the one before could leave the stamp as
//! it was (git's "racily clean" index entries). Folders changed more
//! recently are read every time.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// How long a folder must have been unchanged, when a walk reads it, for
/// later walks to trust its stamp. Well above the coarsest clock a file
/// system keeps times with (2 s on FAT; Linux's own ticks are 1-10 ms).
pub const SETTLED: Duration = Duration::from_secs(3);

/// What is in an existing output folder, links not followed.
#[derive(Default)]
pub(crate) struct Found {
    /// Anything that is not a folder, as `/`-separated relative paths.
    pub files: Vec<String>,
    /// Folders, each with a trailing `/`.
    pub folders: Vec<String>,
    /// Folders we may not change (`""` is the output itself).
    pub read_only: Vec<String>,
    /// Each settled folder's stamp and listing, for a later walk.
    pub seen: Seen,
    /// How many folders were read, not taken from `Seen` (for tests).
    pub read: usize,
}

/// A folder's identity and times: unchanged while nothing in it is added,
/// removed or renamed (its own name may change: that is its parent's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderStamp {
    dev: u64,
    ino: u64,
    /// Nanoseconds since 1970.
    ctime: i128,
    mtime: i128,
}

impl FolderStamp {
    /// `None` where the system gives no change time (then nothing is
    /// trusted and every walk reads every folder).
    #[cfg(unix)]
    fn of(meta: &fs::Metadata) -> Option<FolderStamp> {
        use std::os::unix::fs::MetadataExt;
        Some(FolderStamp {
            dev: meta.dev(),
            ino: meta.ino(),
            ctime: nanos(meta.ctime(), meta.ctime_nsec()),
            mtime: nanos(meta.mtime(), meta.mtime_nsec()),
        })
    }

    #[cfg(not(unix))]
    fn of(_: &fs::Metadata) -> Option<FolderStamp> {
        None
    }

    /// Whether both times lie at least [`SETTLED`] before `since`, and
    /// neither is a whole second: a file system that keeps whole seconds
    /// (or two: FAT) on a server whose clock lags ours could give a later
    /// change the same time (a finer time is whole by chance once in a
    /// thousand million; that folder is only read again).
    fn settled(&self, since: SystemTime) -> bool {
        settled(self.ctime, self.mtime, since)
    }
}

/// A time given as seconds and nanoseconds since 1970, in nanoseconds.
#[cfg_attr(not(unix), allow(dead_code))]
fn nanos(secs: i64, nsec: i64) -> i128 {
    i128::from(secs) * 1_000_000_000 + i128::from(nsec)
}

/// Whether a change time and a modification time (nanoseconds since
/// 1970) both lie at least [`SETTLED`] before `since`, and neither is a
/// whole second ([`FolderStamp::settled`]; `site::sums` trusts files so).
pub(crate) fn settled(ctime: i128, mtime: i128, since: SystemTime) -> bool {
    let Ok(since) = since.duration_since(SystemTime::UNIX_EPOCH) else {
        return false;
    };
    let limit = since.as_nanos() as i128 - SETTLED.as_nanos() as i128;
    let fine = |t: i128| t % 1_000_000_000 != 0;
    ctime < limit && mtime < limit && fine(ctime) && fine(mtime)
}

/// What one folder held when a walk read it: its files' and folders' names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Listing {
    files: Vec<String>,
    folders: Vec<String>,
}

/// The listings of the settled folders a walk read or took from an
/// earlier one, each with the stamp it had then, by the folder's device
/// and inode: a listing belongs to the folder, wherever it is (the spare
/// and the output hold folders of the same names).
#[derive(Default)]
pub struct Seen(FxHashMap<(u64, u64), (FolderStamp, Arc<Listing>)>);

impl Seen {
    /// How many folders it describes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds what `other` describes (a folder in both: `other`'s).
    pub fn merge(&mut self, other: Seen) {
        self.0.extend(other.0);
    }

    /// The listing of the folder with `stamp`, if recorded with that stamp.
    fn get(&self, stamp: &FolderStamp) -> Option<Arc<Listing>> {
        let (was, listing) = self.0.get(&(stamp.dev, stamp.ino))?;
        (was == stamp).then(|| Arc::clone(listing))
    }

    fn insert(&mut self, stamp: FolderStamp, listing: Arc<Listing>) {
        self.0.insert((stamp.dev, stamp.ino), (stamp, listing));
    }

    /// Its bytes, for a later build (`publish::write_seen`).
    pub fn encode(&self) -> Option<Vec<u8>> {
        let folders: Vec<(&FolderStamp, &Listing)> =
            self.0.values().map(|(s, l)| (s, l.as_ref())).collect();
        postcard::to_allocvec(&folders).ok()
    }

    /// What [`Seen::encode`] gave; `None` for any other bytes.
    pub fn decode(bytes: &[u8]) -> Option<Seen> {
        let folders: Vec<(FolderStamp, Listing)> = postcard::from_bytes(bytes).ok()?;
        let mut seen = Seen::default();
        for (stamp, listing) in folders {
            seen.insert(stamp, Arc::new(listing));
        }
        Some(seen)
    }
}

/// Walks the folder `dir`, taking the listing of each folder that still
/// has its stamp in `seen` instead of reading it, and trusting for later
/// walks only folders settled at `since` (the time the walk starts). A
/// folder that cannot be read is an error: what it holds could not be
/// checked, so it must not be deleted.
///
/// One level at a time, its folders read in parallel: a loop, not a
/// recursion, so no depth of folders can overflow a thread's stack; who
/// we are is asked once.
pub(crate) fn survey(dir: &Path, seen: &Seen, since: SystemTime) -> Result<Found, String> {
    let who = Who::now();
    let mut found = Found::default();
    let root = fs::symlink_metadata(dir)
        .map(|m| Meta::of(&m))
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut level = vec![(dir.to_path_buf(), String::new(), root)];
    while !level.is_empty() {
        let read: Vec<Result<(Folder, Named), String>> = level
            .into_par_iter()
            .map(|(path, prefix, meta)| {
                let folder = read_folder(&path, prefix, meta, &who, seen, since)?;
                let named = Named::of(&folder);
                Ok((folder, named))
            })
            .collect();
        let mut next = Vec::new();
        // In order, so that the error reported is always the same one.
        for folder in read {
            let (folder, named) = folder?;
            found.read += usize::from(folder.was_read);
            found.files.extend(named.files);
            found
                .read_only
                .extend(folder.read_only.then(|| folder.prefix.clone()));
            found
                .folders
                .extend(named.folders.iter().map(|(_, rel, _)| rel.clone()));
            next.extend(named.folders);
            if let Some(stamp) = folder.trusted {
                found.seen.insert(stamp, folder.listing);
            }
        }
        level = next;
    }
    found.read_only.sort();
    Ok(found)
}

/// What a walk needs of a folder's metadata: its stamp and who may
/// change it. Its folders' are asked by the folder itself, by name
/// relative to it: a path looked up from the root for each of 12,000
/// folders was a third of a walk's `statx` time (issue 27).
#[derive(Clone, Copy)]
struct Meta {
    stamp: Option<FolderStamp>,
    /// Permission bits and owner (user, group).
    mode: u32,
    owner: (u32, u32),
    /// Whether it is a folder (not a link to one).
    is_dir: bool,
}

impl Meta {
    #[cfg(unix)]
    fn of(m: &fs::Metadata) -> Meta {
        use std::os::unix::fs::MetadataExt;
        Meta {
            stamp: FolderStamp::of(m),
            mode: m.mode(),
            owner: (m.uid(), m.gid()),
            is_dir: m.file_type().is_dir(),
        }
    }

    #[cfg(not(unix))]
    fn of(m: &fs::Metadata) -> Meta {
        Meta {
            stamp: None,
            // No write bit at all is what read-only means here.
            mode: if m.permissions().readonly() { 0 } else { 0o200 },
            owner: (0, 0),
            is_dir: m.file_type().is_dir(),
        }
    }
}

/// The metadata of the folders `names` in the folder `d`, links not
/// followed: each asked relative to `d`, opened once, on Linux.
#[cfg(target_os = "linux")]
fn children(d: &Path, names: &[String]) -> std::io::Result<Vec<Meta>> {
    use rustix::fs::{AtFlags, Mode, OFlags, open, statat};
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let dir = open(d, flags, Mode::empty())?;
    names
        .par_iter()
        .map(|name| {
            let st = statat(&dir, name.as_str(), AtFlags::SYMLINK_NOFOLLOW)?;
            Ok(Meta {
                stamp: Some(FolderStamp {
                    dev: st.st_dev,
                    ino: st.st_ino,
                    ctime: nanos(st.st_ctime, st.st_ctime_nsec as i64),
                    mtime: nanos(st.st_mtime, st.st_mtime_nsec as i64),
                }),
                mode: st.st_mode,
                owner: (st.st_uid, st.st_gid),
                is_dir: rustix::fs::FileType::from_raw_mode(st.st_mode).is_dir(),
            })
        })
        .collect()
}

#[cfg(not(target_os = "linux"))]
fn children(d: &Path, names: &[String]) -> std::io::Result<Vec<Meta>> {
    names
        .par_iter()
        .map(|name| fs::symlink_metadata(d.join(name)).map(|m| Meta::of(&m)))
        .collect()
}

/// A folder opened once, so that what lies below it is asked about by its
/// path from there: looked up from the root, the 12,000 files of a
/// 10,000-entry register, and those of its spare, took their `statx`
/// time in the path's first components (issue 27).
#[cfg(target_os = "linux")]
pub(crate) struct Below(rustix::fd::OwnedFd);

#[cfg(target_os = "linux")]
impl Below {
    /// The folder `dir` (a link to a folder is followed, as a path
    /// joined to `dir` would be).
    pub(crate) fn open(dir: &Path) -> std::io::Result<Below> {
        use rustix::fs::{Mode, OFlags, open};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        Ok(Below(open(dir, flags, Mode::empty())?))
    }

    /// What `rel`, a path below the folder, is itself (a link is not
    /// followed).
    pub(crate) fn lstat(&self, rel: &str) -> std::io::Result<rustix::fs::Stat> {
        use rustix::fs::{AtFlags, statat};
        Ok(statat(&self.0, rel, AtFlags::SYMLINK_NOFOLLOW)?)
    }
}

/// Whether what [`Below::lstat`] gave is a regular file.
#[cfg(target_os = "linux")]
pub(crate) fn is_file(st: &rustix::fs::Stat) -> bool {
    rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::RegularFile
}

/// What a folder holds, named within the walk: its files' names, and
/// each of its folders' path, name and metadata. Made beside the folder's
/// reading: one after another, the names of a register's 10,000 one-page
/// folders kept a check on one core (issue 27).
struct Named {
    files: Vec<String>,
    folders: Vec<(PathBuf, String, Meta)>,
}

impl Named {
    fn of(folder: &Folder) -> Named {
        let prefix = &folder.prefix;
        // Put together by hand: `format!` was a tenth of a walk's own time.
        let named = |name: &str, end: &str| {
            let mut s = String::with_capacity(prefix.len() + name.len() + end.len());
            s.push_str(prefix);
            s.push_str(name);
            s.push_str(end);
            s
        };
        let files = folder.listing.files.iter().map(|f| named(f, "")).collect();
        let folders = folder
            .listing
            .folders
            .iter()
            .zip(&folder.children)
            .map(|(name, meta)| (folder.path.join(name), named(name, "/"), *meta))
            .collect();
        Named { files, folders }
    }
}

/// One folder of a walk.
struct Folder {
    path: PathBuf,
    /// Its `/`-separated name within the walk, with a trailing `/`.
    prefix: String,
    listing: Arc<Listing>,
    /// Its folders' metadata, in the order of `listing.folders`.
    children: Vec<Meta>,
    /// Whether we may not change it.
    read_only: bool,
    /// Its stamp, when later walks may trust its listing.
    trusted: Option<FolderStamp>,
    /// Whether it was read rather than taken from an earlier walk.
    was_read: bool,
}

/// The folder `d`, named `prefix` within the walk, with `meta` as its
/// parent saw it: its listing from `seen` while it has the stamp recorded
/// there, else read. The stamp is taken before the folder is read, so a
/// change made while it is read changes the stamp a later walk compares.
fn read_folder(
    d: &Path,
    prefix: String,
    meta: Meta,
    who: &Who,
    seen: &Seen,
    since: SystemTime,
) -> Result<Folder, String> {
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", d.display());
    if !meta.is_dir {
        // Replaced since its parent was read: never followed.
        return Err(format!("cannot read {}: no longer a folder", d.display()));
    }
    let stamp = meta.stamp;
    let earlier = stamp.as_ref().and_then(|s| Some((*s, seen.get(s)?)));
    let (listing, was_read, trusted) = match earlier {
        Some((was, listing)) => (listing, false, Some(was)),
        None => {
            let mut listing = Listing::default();
            for e in fs::read_dir(d).map_err(cannot)? {
                let e = e.map_err(cannot)?;
                let name = e.file_name().to_string_lossy().into_owned();
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    listing.folders.push(name);
                } else {
                    listing.files.push(name);
                }
            }
            (Arc::new(listing), true, stamp.filter(|s| s.settled(since)))
        }
    };
    let children = children(d, &listing.folders).map_err(cannot)?;
    Ok(Folder {
        path: d.to_path_buf(),
        read_only: !who.may_change(&meta),
        prefix,
        listing,
        children,
        trusted,
        was_read,
    })
}

/// Who this process is, for [`Who::may_change`]: asked once per walk, not
/// once per folder.
struct Who {
    #[cfg(target_os = "linux")]
    uid: u32,
    #[cfg(target_os = "linux")]
    groups: Vec<u32>,
}

impl Who {
    #[cfg(target_os = "linux")]
    fn now() -> Who {
        Who {
            uid: rustix::process::geteuid().as_raw(),
            groups: rustix::process::getgroups()
                .unwrap_or_default()
                .into_iter()
                .map(|g| g.as_raw())
                .chain([rustix::process::getegid().as_raw()])
                .collect(),
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn now() -> Who {
        Who {}
    }

    /// Whether the permission bits let us change a folder. Root may write
    /// anything, but a folder with no write bit at all was made read-only
    /// on purpose, and a build honours that too.
    #[cfg(target_os = "linux")]
    fn may_change(&self, meta: &Meta) -> bool {
        may_write(meta.mode, meta.owner, self.uid, &self.groups)
    }

    /// Elsewhere only a folder with no write bit at all counts as read-only.
    #[cfg(not(target_os = "linux"))]
    fn may_change(&self, meta: &Meta) -> bool {
        meta.mode & 0o222 != 0
    }
}

/// The write permission a folder's `mode` gives user `uid` in `groups`,
/// for a folder owned by `owner` (user, group).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn may_write(mode: u32, owner: (u32, u32), uid: u32, groups: &[u32]) -> bool {
    if uid == 0 {
        mode & 0o222 != 0
    } else if uid == owner.0 {
        mode & 0o200 != 0
    } else if groups.contains(&owner.1) {
        mode & 0o020 != 0
    } else {
        mode & 0o002 != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A time at which every folder just made has long been settled.
    fn later() -> SystemTime {
        SystemTime::now() + Duration::from_secs(3600)
    }

    fn sorted(mut v: Vec<String>) -> Vec<String> {
        v.sort();
        v
    }

    #[test]
    fn write_permission_follows_the_class_we_are_in_and_root_honours_read_only() {
        let (owner, group) = (1000, 100);
        // Owner, group member, anyone else.
        assert!(may_write(0o755, (owner, group), 1000, &[100]));
        assert!(!may_write(0o555, (owner, group), 1000, &[100]));
        assert!(!may_write(0o755, (owner, group), 1001, &[100]));
        assert!(may_write(0o775, (owner, group), 1001, &[100]));
        assert!(!may_write(0o775, (owner, group), 1002, &[7]));
        assert!(may_write(0o757, (owner, group), 1002, &[7]));
        // Only the owner's bits apply to the owner.
        assert!(!may_write(0o577, (owner, group), 1000, &[100]));
        // Root writes anything, except a folder with no write bit at all.
        assert!(may_write(0o755, (owner, group), 0, &[0]));
        assert!(!may_write(0o555, (owner, group), 0, &[0]));
    }

    /// A deep folder tree used to overflow the stack (a recursion hit a
    /// worker's 2 MiB stack at some 1,400 levels in release, far sooner
    /// in debug, and the build aborted instead of refusing the folder).
    #[test]
    fn a_deep_folder_is_walked_without_overflowing_the_stack() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let mut deep = out.clone();
        for _ in 0..1500 {
            deep.push("a");
        }
        fs::create_dir_all(&deep).unwrap();
        let found = survey(&out, &Seen::default(), SystemTime::now()).unwrap();
        assert_eq!(found.folders.len(), 1500);
    }

    /// Issue 27: a walk takes the listing of every folder still as an
    /// earlier walk saw it, and reads the folders something was put into,
    /// removed from or renamed in since: it finds all of it.
    #[cfg(unix)]
    #[test]
    fn a_folder_s_listing_is_taken_from_an_earlier_walk_only_while_it_keeps_its_stamp() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        for rel in ["index.html", "a/1/index.html", "a/2/index.html", "b/x.css"] {
            let path = out.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "ours").unwrap();
        }
        let first = survey(&out, &Seen::default(), later()).unwrap();
        assert_eq!((first.read, first.seen.len()), (5, 5));

        let again = survey(&out, &first.seen, later()).unwrap();
        assert_eq!(again.read, 0, "nothing changed, yet folders were read");
        assert_eq!(sorted(again.files.clone()), sorted(first.files.clone()));
        assert_eq!(sorted(again.folders.clone()), sorted(first.folders.clone()));

        // A file put in, a folder added, a file renamed: each in one folder.
        fs::write(out.join("a/2/notes.txt"), "mine").unwrap();
        fs::create_dir(out.join("b/mine")).unwrap();
        fs::rename(out.join("a/1/index.html"), out.join("a/1/moved.html")).unwrap();
        let after = survey(&out, &again.seen, later()).unwrap();
        // The three changed folders, and the new one.
        assert_eq!(after.read, 4, "the changed folders were not read again");
        let files = sorted(after.files.clone());
        assert!(files.contains(&"a/2/notes.txt".to_string()), "{files:?}");
        assert!(files.contains(&"a/1/moved.html".to_string()), "{files:?}");
        assert!(!files.contains(&"a/1/index.html".to_string()), "{files:?}");
        assert!(after.folders.contains(&"b/mine/".to_string()));
        // The new folder was read too: it had no stamp before.
        let last = survey(&out, &after.seen, later()).unwrap();
        assert_eq!(last.read, 0);
        assert_eq!(sorted(last.files), files);

        // A folder replaced by another of the same name is another folder.
        fs::rename(out.join("a/2"), tmp.path().join("gone")).unwrap();
        fs::create_dir(out.join("a/2")).unwrap();
        fs::write(out.join("a/2/other.txt"), "mine").unwrap();
        let replaced = survey(&out, &last.seen, later()).unwrap();
        assert!(replaced.files.contains(&"a/2/other.txt".to_string()));
        assert!(!replaced.files.contains(&"a/2/notes.txt".to_string()));
    }

    /// Times in whole seconds, as a file system keeping no finer ones
    /// gives them, never make a folder's stamp trusted, however old.
    #[test]
    fn whole_second_times_are_never_settled() {
        let stamp = |ctime: i128, mtime: i128| FolderStamp {
            dev: 1,
            ino: 2,
            ctime,
            mtime,
        };
        let second = 1_000_000_000;
        let since = later();
        assert!(stamp(1_700_000_000 * second + 5, 1_700_000_000 * second + 7).settled(since));
        assert!(!stamp(1_700_000_000 * second, 1_700_000_000 * second + 7).settled(since));
        assert!(!stamp(1_700_000_000 * second + 5, 1_700_000_000 * second).settled(since));
        // And never a time after the walk began, or just before it.
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as i128;
        assert!(!stamp(now - second + 3, now - second + 3).settled(SystemTime::now()));
    }

    /// A folder changed just before a walk read it is read again by every
    /// later walk: a change within the same tick of the clock could leave
    /// its stamp as it was.
    #[cfg(unix)]
    #[test]
    fn folders_changed_just_before_a_walk_are_not_trusted_by_the_next() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(out.join("a/index.html"), "ours").unwrap();
        let first = survey(&out, &Seen::default(), SystemTime::now()).unwrap();
        assert!(first.seen.is_empty());
        let again = survey(&out, &first.seen, SystemTime::now()).unwrap();
        assert_eq!(again.read, 2);
    }
}
