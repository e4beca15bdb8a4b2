//! Revisions of a content file, as recorded by git.

use chrono::NaiveDate;

/// One commit that changed a file. Only the author's name is kept, never
/// the e-mail address: the site is published to all staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// The commit's committer date (UTC): when the change entered the
    /// history, which is what "as of" compares against.
    pub date: NaiveDate,
    pub author: String,
    /// The message's first line, shortened.
    pub summary: String,
}

/// A file's revisions dated on or before the build's as-of date: the
/// newest few, and how many earlier ones were left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Revisions {
    /// Newest first.
    pub newest: Vec<Revision>,
    pub earlier: usize,
}

impl Revisions {
    /// The date of the newest revision: the page's "last updated".
    pub fn last_updated(&self) -> Option<NaiveDate> {
        self.newest.first().map(|r| r.date)
    }
}
