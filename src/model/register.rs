//! The register as validated, typed data.
//!
//! Everything here has passed validation: dates are dates, enumerations are
//! enums, references resolve. Later stages (rollup, render) never re-check.

use crate::model::Entry;
use crate::model::Enumerated;
use crate::model::diag::Pos;
use crate::model::{Objective, Risk};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;
use std::path::PathBuf;

/// Declares an enumeration written in content as a slug, with a label for
/// pages. The slug is also the serialised form (CSV, JSON).
macro_rules! slug_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $slug:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl Enumerated for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const KIND: &'static str = stringify!($name);
            fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }
        }

        impl $name {
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl crate::model::schema::Labelled for $name {
            fn label(self) -> &'static str {
                $name::label(self)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.slug())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::model::enumerated::from_slug(d)
            }
        }
    };
}

slug_enum!(Status {
    NotStarted = "not-started" / "Not started",
    Planned = "planned" / "Planned",
    InProgress = "in-progress" / "In progress",
    Completed = "completed" / "Completed",
    Cancelled = "cancelled" / "Cancelled",
});

impl Status {
    /// Open items still need work: they can be overdue and they age.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Completed | Status::Cancelled)
    }
}

slug_enum!(
    /// Used for `priority`, `benefit` and `effort`.
    Level {
        High = "high" / "High",
        Medium = "medium" / "Medium",
        Low = "low" / "Low",
    }
);

/// An entry's `priority`: the same three levels as benefit and effort.
pub type Priority = Level;

slug_enum!(Source {
    InternalAudit = "internal-audit" / "Internal audit",
    ExternalAudit = "external-audit" / "External audit",
    Incident = "incident" / "Incident",
    Nonconformity = "nonconformity" / "Nonconformity",
    ManagementReview = "management-review" / "Management review",
    RiskAssessment = "risk-assessment" / "Risk assessment",
    Feedback = "feedback" / "Feedback",
    Monitoring = "monitoring" / "Monitoring",
    Other = "other" / "Other",
});

slug_enum!(EntryType {
    Improvement = "improvement" / "Improvement",
    CorrectiveAction = "corrective-action" / "Corrective action",
    PreventiveAction = "preventive-action" / "Preventive action",
});

slug_enum!(EffectivenessResult {
    Effective = "effective" / "Effective",
    PartiallyEffective = "partially-effective" / "Partially effective",
    NotEffective = "not-effective" / "Not effective",
});

slug_enum!(
    /// How grave a nonconformity is, gravest first: the order the
    /// nonconformities view lists them in.
    Severity {
        Major = "major" / "Major",
        Minor = "minor" / "Minor",
        Observation = "observation" / "Observation",
    }
);

slug_enum!(Direction {
    Increase = "increase" / "Higher is better",
    Decrease = "decrease" / "Lower is better",
});

slug_enum!(
    /// Who may read an item, least to most trusted: a build for one
    /// audience publishes what is at or below it (see [`crate::compute::audience`]).
    Visibility {
        Public = "public" / "Public",
        Internal = "internal" / "Internal",
        Restricted = "restricted" / "Restricted",
    }
);

slug_enum!(ReviewKind {
    ManagementReview = "management-review" / "Management review",
    InternalAudit = "internal-audit" / "Internal audit",
    ExternalAudit = "external-audit" / "External audit",
    ProgressReview = "progress-review" / "Progress review",
});

/// Where in the content a thing was written, for messages after loading.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Origin {
    pub file: PathBuf,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub title: String,
    pub organization: Option<String>,
    pub description: Option<String>,
    pub created: Option<NaiveDate>,
    pub responsible: Option<String>,
    pub base_url: Option<String>,
    /// site.yaml `visibility:`: what each audience may see of entries.
    pub visibility: crate::model::policy::Policy,
    /// site.yaml `register: {effectiveness_review_days}`: how long a
    /// completed corrective action may wait for its effectiveness review
    /// before `check` warns.
    pub effectiveness_review_days: u32,
    /// site.yaml `next_review`: the date of the next management review,
    /// when the organisation has set one.
    pub next_review: Option<NaiveDate>,
    /// site.yaml `language:` and `date_format:`, and the team's
    /// translations file.
    pub locale: Locale,
}

/// The language the site's interface is written in, and how it shows dates.
#[derive(Debug, Clone, Default)]
pub struct Locale {
    /// The BCP 47 tag as written in site.yaml; `None` for English.
    pub language: Option<String>,
    /// `date_format: long`: dates in words ("5 December 2026") instead of
    /// ISO 8601.
    pub long_dates: bool,
    /// `translations/<language>.ftl` beside the content, when it exists:
    /// its path and text (strings that override or add to the built-in
    /// catalogue).
    pub translations: Option<(PathBuf, String)>,
}

/// The default of [`Site::effectiveness_review_days`]: one quarter.
pub const EFFECTIVENESS_REVIEW_DAYS: u32 = 90;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HistoryRecord {
    pub date: NaiveDate,
    /// Where the record starts, for messages about its order.
    pub pos: Pos,
    pub status: Option<Status>,
    pub note: Option<String>,
    /// A new target date from this day on: targets are moved by a record,
    /// never overwritten, so the original stays (see [`Entry::target`]).
    pub target: Option<NaiveDate>,
    /// Why the target (or status) changed.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Effectiveness {
    pub date: NaiveDate,
    pub result: EffectivenessResult,
    pub by: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Measurement {
    pub date: NaiveDate,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Kpi {
    pub name: String,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub direction: Direction,
    pub measurements: Vec<Measurement>,
}

/// Evidence: a web page or a file under `evidence/`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum LinkTarget {
    Web(String),
    /// Path relative to the evidence folder, with `/` separators.
    Evidence(String),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Link {
    pub title: String,
    pub target: LinkTarget,
}

/// The finding an entry reacts to (ISO/IEC 27001 10.2): an audit finding,
/// an incident's root failure.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Nonconformity {
    /// The finding's own reference (an audit report's "NC-3").
    pub reference: String,
    pub severity: Severity,
    /// The clause or control not met.
    pub requirement: Option<String>,
    pub raised: NaiveDate,
    pub by: Option<String>,
    /// Markdown.
    pub statement: Option<String>,
}

/// A register id named by another entry (`follows_up`, `related`), with
/// where it is written so a wrong one can be pointed at.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdRef {
    pub id: String,
    pub pos: Pos,
}

/// Who approved a plan or review, and when.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Approval {
    pub by: String,
    pub date: NaiveDate,
    /// `revision`: the commit approved, as written (7 to 40 hex digits);
    /// without it, the last commit on or before `date`.
    pub revision: Option<String>,
    /// Where `revision` (else `approved`) is written, for messages.
    pub pos: Pos,
    /// Whether the text changed since, when git was read
    /// (`content::approval`).
    pub since: Option<crate::model::TextSince>,
}

/// One control of `controls.yaml`, the organisation's catalogue (its
/// Statement of Applicability).
#[derive(Debug, Clone)]
pub struct Control {
    pub id: String,
    pub title: String,
    /// `None` when the catalogue does not say.
    pub applicable: Option<bool>,
    pub justification: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Milestone {
    pub title: String,
    pub due: Option<NaiveDate>,
    pub done: Option<NaiveDate>,
    pub pos: Pos,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    /// The file stem: the plan's URL segment.
    pub slug: String,
    pub title: String,
    pub entries: Vec<String>,
    /// Where each of `entries` is written, for messages.
    pub entry_pos: Vec<Pos>,
    pub owner: Option<String>,
    pub updated: Option<NaiveDate>,
    pub milestones: Vec<Milestone>,
    pub body: String,
    pub visibility: Visibility,
    pub origin: Origin,
    pub approved: Option<Approval>,
    /// Its file's revisions in git.
    pub revisions: crate::model::Revisions,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Review {
    pub slug: String,
    pub title: String,
    pub date: NaiveDate,
    pub kind: ReviewKind,
    pub attendees: Vec<String>,
    pub entries: Vec<String>,
    pub entry_pos: Vec<Pos>,
    pub body: String,
    pub visibility: Visibility,
    pub origin: Origin,
    pub approved: Option<Approval>,
    /// What the review decided (9.3.3), in the order written.
    pub decisions: Vec<Decision>,
    /// Its file's revisions in git.
    pub revisions: crate::model::Revisions,
}

/// One decision of a review: `{text, entries?, owner?, due?}`. Later
/// reviews' input packs report what became of it through its entries.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Decision {
    pub text: String,
    /// Register ids the decision acts through.
    pub entries: Vec<String>,
    /// Where each of `entries` is written, for messages.
    pub entry_pos: Vec<Pos>,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
}

/// An evidence file: its path under `evidence/` and where it is on disk.
#[derive(Debug, Clone)]
pub struct EvidenceFile {
    pub rel: String,
    pub source: PathBuf,
}

/// The whole validated content folder.
#[derive(Debug, Clone)]
pub struct Register {
    pub site: Site,
    /// Sorted by id (natural order: CI-2 before CI-10).
    pub entries: Vec<Entry>,
    /// Sorted by slug.
    pub plans: Vec<Plan>,
    /// Sorted by date, then slug.
    pub reviews: Vec<Review>,
    pub evidence: Vec<EvidenceFile>,
    /// Entries an audience may not see that are published as redacted
    /// stubs (site.yaml `hidden_entries: stub`), so pages can say so.
    pub restricted_stubs: usize,
    /// Lower-cased id → position in `entries`: plans and reviews look ids
    /// up by name, and a linear scan would make large registers quadratic.
    index: HashMap<String, usize>,
    /// `controls.yaml`, sorted naturally by id; `None` without the file
    /// (then no control id is unknown).
    pub controls: Option<Vec<Control>>,
    /// `objectives.yaml`, in file order; `None` without the file.
    pub objectives: Option<Vec<Objective>>,
    /// `risks.yaml`, sorted naturally by id; `None` without the file.
    pub risks: Option<Vec<Risk>>,
}

impl Register {
    pub fn new(
        site: Site,
        entries: Vec<Entry>,
        plans: Vec<Plan>,
        reviews: Vec<Review>,
        evidence: Vec<EvidenceFile>,
    ) -> Register {
        let index = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.to_lowercase(), i))
            .collect();
        Register {
            site,
            entries,
            plans,
            reviews,
            evidence,
            restricted_stubs: 0,
            index,
            controls: None,
            objectives: None,
            risks: None,
        }
    }

    /// The catalogue's entry for a control id, matched as written.
    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls.as_ref()?.iter().find(|c| c.id == id)
    }

    /// The catalogue's entry for a risk id, matched ignoring case.
    pub fn risk(&self, id: &str) -> Option<&Risk> {
        self.risks
            .as_ref()?
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(id))
    }

    /// Ids match ignoring case, as uniqueness does.
    pub fn entry_index(&self, id: &str) -> Option<usize> {
        self.index.get(&id.to_lowercase()).copied()
    }
}

/// Compares ids so that numbered parts sort as numbers: CI-2 < CI-10.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(cb.iter()) {
        let ord = match (x.0, y.0) {
            (true, true) => {
                let (tx, ty) = (x.1.trim_start_matches('0'), y.1.trim_start_matches('0'));
                tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty))
            }
            _ => x.1.to_lowercase().cmp(&y.1.to_lowercase()),
        };
        if ord != std::cmp::Ordering::Equal {
            return ord;
        }
    }
    ca.len().cmp(&cb.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering::*;

    #[test]
    fn natural_order_sorts_numbers_as_numbers() {
        assert_eq!(natural_cmp("CI-2", "CI-10"), Less);
        assert_eq!(natural_cmp("CI-010", "CI-9"), Greater);
        assert_eq!(natural_cmp("A", "B"), Less);
    }

    #[test]
    fn enumerations_match_spreadsheet_spellings() {
        for s in [
            "In Progress",
            "in_progress",
            "in-progress",
            "IN-PROGRESS",
            "inprogress",
        ] {
            assert_eq!(Status::from_text(s), Some(Status::InProgress), "{s}");
        }
        assert_eq!(Status::from_text("done"), None);
        assert_eq!(
            Source::from_text("Internal Audit"),
            Some(Source::InternalAudit)
        );
    }
}

slug_enum!(
    /// What becomes of an entry its audience may not see (site.yaml
    /// `visibility: {hidden_entries}`).
    HiddenEntries {
        Omit = "omit" / "Omitted",
        Stub = "stub" / "Shown as a redacted stub",
    }
);

slug_enum!(
    /// How pages write dates (site.yaml `date_format`): ISO, or in words
    /// in the site's language.
    DateStyle {
        Iso = "iso" / "ISO",
        Long = "long" / "Long",
    }
);
