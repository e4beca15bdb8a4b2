//! Revisions of a content file, as recorded by git.

use crate::model::Visibility;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One commit that changed a file. Only the author's name is kept, never
/// the e-mail address: the site is published to all staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// The commit's committer date (UTC): when the change entered the
    /// history, which is what "as of" compares against.
    pub date: NaiveDate,
    /// Empty when the audience may not read the commit's text.
    pub author: String,
    /// The message's first line, shortened; empty when the audience may
    /// not read it.
    pub summary: String,
}

/// A file's revisions dated on or before the build's as-of date: the
/// newest few, and how many earlier ones were left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revisions {
    /// Newest first.
    pub newest: Vec<Revision>,
    pub earlier: usize,
    /// The least trusted audience that may read every entry of the file
    /// (`None`: no limit beyond the page's own). A commit message is about
    /// the file, not one entry in it, so a public entry that shares its
    /// file with a restricted one cannot show the file's messages to the
    /// public.
    pub readable_by: Option<Visibility>,
}

impl Revisions {
    /// The date of the newest revision: the page's "last updated".
    pub fn last_updated(&self) -> Option<NaiveDate> {
        self.newest.first().map(|r| r.date)
    }

    /// The same revisions with their dates only: no author, no message.
    pub fn dates_only(mut self) -> Revisions {
        for r in &mut self.newest {
            r.author.clear();
            r.summary.clear();
        }
        self
    }
}
