//! What became of a plan's or review's text since it was approved: the
//! approval names a revision, and git says whether the text changed since.

use serde::{Deserialize, Serialize};

/// The text as approved against the text as published, from git.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextSince {
    /// The text is the one approved (the `approved` field itself aside).
    Unchanged {
        /// The approved commit, abbreviated.
        revision: String,
    },
    /// The text changed after the approval.
    Changed {
        /// The approved commit, abbreviated.
        revision: String,
        /// Commits that changed the text after the approved one.
        commits: usize,
        /// The file as read differs from its last commit.
        uncommitted: bool,
        /// The front matter's fields that changed, by name (the
        /// `approved` field aside).
        fields: Vec<String>,
        /// The body's changed lines with some context (the front matter
        /// is named in `fields`, not shown); empty when the texts are
        /// too large to compare or the approved text was for a stricter
        /// audience than the page's (its lines must not be published).
        diff: Vec<DiffLine>,
    },
    /// Git cannot say: why, in words for the page.
    Unknown(String),
}

/// One line of a diff between the approved text and the text now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub kind: DiffKind,
    /// The line without its line break.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffKind {
    /// In both texts (context).
    Same,
    /// Only in the approved text.
    Removed,
    /// Only in the text now.
    Added,
    /// Unchanged lines left out between two changes.
    Gap,
}

impl DiffKind {
    /// The diff's conventional prefix: ' ', '-', '+', or '…' for a gap.
    pub fn marker(self) -> &'static str {
        match self {
            DiffKind::Same => " ",
            DiffKind::Removed => "-",
            DiffKind::Added => "+",
            DiffKind::Gap => "…",
        }
    }
}
