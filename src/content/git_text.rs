//! Plans and reviews as their text stood on a past day, from git.
//!
//! A build as of a past day shows a plan or review that existed then
//! (see `compute::asof`). Its dated parts are cut back to the day, but
//! its words are not dated: when the content is in git, the words are the
//! ones committed on or before that day, so the page says what a reader
//! would have read then. The newest commit dated (by its committer) on or
//! before the day is read; a file not in that commit keeps its current
//! text, and so does every file when no commit is dated after the day
//! (nothing was committed since) or none on or before it (the history
//! starts later).
//!
//! Separate from [`super::git`], which walks the whole history for the
//! revision lists: this reads one commit's tree. Like it, reading git never
//! fails a build: a problem is a warning and the current text stands.

use super::pages;
use crate::content::yaml::limits::MAX_FILE_BYTES;
use crate::model::diag::{Diagnostics, Pos};
use crate::model::{Plan, Register, Review};
use chrono::NaiveDate;
use std::path::Path;

type Result<T> = std::result::Result<T, String>;

/// The content folder's tree in the newest commit dated on or before a
/// day, when some commit is dated after it.
struct AtDay {
    repo: gix::Repository,
    /// The content folder's path inside the repository, by component.
    prefix: Vec<Vec<u8>>,
    tree: gix::ObjectId,
}

/// Replaces each plan's and review's text with the text committed on or
/// before `day`, where git has it (see the module documentation). The
/// committed text is read as the file was; when it does not read (an
/// older format), the current text stands and a warning says so. The
/// visibility is the stricter of then and now: a page restricted since
/// must not be published through its older text.
pub fn texts_on(
    register: &mut Register,
    content_dir: &Path,
    day: NaiveDate,
    diags: &mut Diagnostics,
) {
    let at = match at_day(content_dir, day) {
        Ok(Some(at)) => at,
        Ok(None) => return,
        Err(e) => {
            diags
                .warning(
                    content_dir,
                    Pos::START,
                    format!("cannot read the plans and reviews of {day} from git: {e}"),
                )
                .hint("their current text is shown; pass --no-git to skip reading git");
            return;
        }
    };
    for p in &mut register.plans {
        if let Some(old) = at.replace(
            content_dir,
            &p.origin.file,
            day,
            diags,
            pages::plan_from_text,
        ) {
            *p = Plan {
                revisions: std::mem::take(&mut p.revisions),
                origin: p.origin.clone(),
                visibility: old.visibility.max(p.visibility),
                ..old
            };
        }
    }
    for r in &mut register.reviews {
        if let Some(old) = at.replace(
            content_dir,
            &r.origin.file,
            day,
            diags,
            pages::review_from_text,
        ) {
            *r = Review {
                revisions: std::mem::take(&mut r.revisions),
                origin: r.origin.clone(),
                visibility: old.visibility.max(r.visibility),
                ..old
            };
        }
    }
}

impl AtDay {
    /// `file` read from the commit with `parse`; `None` when the commit
    /// does not have it or it does not read.
    fn replace<T>(
        &self,
        content_dir: &Path,
        file: &Path,
        day: NaiveDate,
        diags: &mut Diagnostics,
        parse: fn(&Path, &str, &mut Diagnostics) -> Option<T>,
    ) -> Option<T> {
        let text = match self.text(content_dir, file) {
            Ok(t) => t?,
            Err(e) => {
                diags
                    .warning(
                        file,
                        Pos::START,
                        format!("cannot read its text of {day} from git: {e}"),
                    )
                    .hint("its current text is shown");
                return None;
            }
        };
        let mut own = Diagnostics::default();
        let old = parse(file, &text, &mut own);
        if own.has_errors() || old.is_none() {
            diags
                .warning(
                    file,
                    Pos::START,
                    format!("its text committed by {day} does not read as content today"),
                )
                .hint("its current text is shown; `git show` the commit to see why");
            return None;
        }
        old
    }

    /// The text of `file` in the commit, if it is a file there.
    fn text(&self, content_dir: &Path, file: &Path) -> Result<Option<String>> {
        let Some(rel) = file
            .strip_prefix(content_dir)
            .ok()
            .and_then(super::git::path_parts)
        else {
            return Ok(None);
        };
        let tree = self.repo.find_tree(self.tree).map_err(|e| e.to_string())?;
        let path = self.prefix.iter().chain(&rel).map(|p| p.as_slice());
        let Some(entry) = tree.lookup_entry(path).map_err(|e| e.to_string())? else {
            return Ok(None);
        };
        if !entry.mode().is_blob() {
            return Ok(None);
        }
        let id = entry.object_id();
        let size = self.repo.find_header(id).map_err(|e| e.to_string())?.size();
        if size > MAX_FILE_BYTES {
            return Err(format!(
                "the committed file is {size} bytes, over the limit"
            ));
        }
        let blob = self.repo.find_blob(id).map_err(|e| e.to_string())?;
        Ok(String::from_utf8(blob.data.clone()).ok())
    }
}

/// The commit to read for `day`, if any (see the module documentation).
fn at_day(content_dir: &Path, day: NaiveDate) -> Result<Option<AtDay>> {
    let content = std::fs::canonicalize(content_dir).map_err(|e| e.to_string())?;
    // Opened as git would open it, ownership checked: a repository
    // another user could have planted above the content folder gives no
    // words to the pages (the revision lists say why, as a warning).
    let Ok(Some(repo)) = super::git::open(&content, super::git::Trust::Owner) else {
        return Ok(None);
    };
    let Some(super::git::Committed { repo, prefix, head }) =
        super::git::committed(repo.to_thread_local(), &content)?
    else {
        return Ok(None);
    };
    let mut later = false;
    let mut found = None;
    for c in super::git::newest_first(&repo, head)? {
        let c = c?;
        if c.date.is_some_and(|d| d <= day) {
            if later {
                found = Some(c.tree);
            }
            break;
        }
        later = true;
    }
    Ok(found.map(|tree| AtDay { repo, prefix, tree }))
}
