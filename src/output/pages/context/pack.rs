//! The theme API of the management review input pack
//! (`review_input.html`): one page per management review and one for the
//! review ahead, each for the period since the previous management review.

use super::DatedLink;
use serde::Serialize;

/// `review_input.html`: the inputs of ISO/IEC 27001 9.3.2 that the
/// register can feed, for the period `(from, to]`.
#[derive(Serialize, Default)]
pub struct ReviewInputPage {
    /// The page's heading.
    pub title: String,
    /// Whether this is the pack for the review ahead (`review-input/`),
    /// not for a review already held.
    pub ahead: bool,
    /// The review this pack is for; none for the review ahead.
    pub review: Option<DatedLink>,
    /// The previous management review, where the period starts; none for
    /// the first.
    pub previous: Option<DatedLink>,
    /// The day before the period (exclusive).
    pub from: String,
    /// The last day of the period (inclusive): the review's date, or the
    /// as-of date for the review ahead.
    pub to: String,
    /// This pack's `changes.json`, relative to `root`.
    pub changes_url: String,
    /// (a) Decisions of earlier reviews: those of reviews held from the
    /// previous management review on, and older ones not done when the
    /// period began.
    pub decisions: Vec<DecisionView>,
    /// (b) What changed in the period.
    pub changes: ChangesView,
    /// (c) Nonconformities: each not closed before the period.
    pub findings: PackList<PackFindingView>,
    /// Findings raised in the period.
    pub findings_new: usize,
    /// Findings closed (found effective) in the period.
    pub findings_closed: usize,
    /// Findings reopened (found not effective) in the period.
    pub findings_reopened: usize,
    /// Findings not closed on `to`.
    pub findings_open: usize,
    /// (c) Monitoring results: every KPI measured on or before `to`.
    pub kpis: PackList<KpiResultView>,
    /// KPIs whose latest value meets their target.
    pub kpis_met: usize,
    /// KPIs whose latest value misses their target.
    pub kpis_missed: usize,
    /// KPIs without a target.
    pub kpis_no_target: usize,
    /// (c) Audits (reviews of an audit kind) held in the period.
    pub audits: Vec<DatedLink>,
    /// (c) Entries from internal or external audits identified in the
    /// period.
    pub audit_entries: PackList<PackEntry>,
    /// (d) Entries from feedback identified in the period.
    pub feedback: PackList<PackEntry>,
    /// (e) Entries from risk assessment identified in the period.
    pub risk: PackList<PackEntry>,
    /// (f) Improvement entries identified in the period.
    pub improvements: PackList<PackEntry>,
}

/// A bounded list: the first items and how many there are in all.
#[derive(Serialize, Default)]
pub struct PackList<T> {
    /// The items shown.
    pub items: Vec<T>,
    /// How many there are.
    pub total: usize,
}

/// An entry as it stood on the pack's last day.
#[derive(Serialize, Default, Clone)]
pub struct PackEntry {
    /// The entry's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its page, relative to `root`.
    pub url: String,
    /// Its status slug on `to`.
    pub status: &'static str,
    /// Its status label on `to`.
    pub status_label: &'static str,
    /// Its owner, if given.
    pub owner: Option<String>,
}

/// One decision of an earlier review and what became of it.
#[derive(Serialize, Default)]
pub struct DecisionView {
    /// What was decided.
    pub text: String,
    /// The review that decided it.
    pub review: DatedLink,
    /// Who owns it, if given.
    pub owner: Option<String>,
    /// When it is due, if given.
    pub due: Option<String>,
    /// `done`, `open`, `overdue` or `untracked` (names no entry).
    pub state: &'static str,
    /// The state in words.
    pub state_label: &'static str,
    /// The entries it acts through, as they stood on `to`.
    pub entries: Vec<PackEntry>,
}

/// (b) The period's changes; each list as in `changes.json`.
#[derive(Serialize, Default)]
pub struct ChangesView {
    /// Entries identified in the period.
    pub new: PackList<PackEntry>,
    /// Entries completed in the period.
    pub completed: PackList<PackEntry>,
    /// Entries cancelled in the period.
    pub cancelled: PackList<PackEntry>,
    /// Status moves of entries that existed on both days.
    pub status: PackList<MoveView>,
    /// Target moves of entries that existed on both days.
    pub target: PackList<MoveView>,
    /// Effectiveness reviews recorded in the period.
    pub effectiveness: PackList<MoveView>,
}

/// One entry's change: from what to what (status labels or dates; `from`
/// is empty for an effectiveness review, `to` is its result).
#[derive(Serialize, Default)]
pub struct MoveView {
    /// The entry.
    pub entry: PackEntry,
    /// The value on `from` ("none" when there was none).
    pub from: String,
    /// The value on `to`.
    pub to: String,
}

/// (c) One nonconformity (a `ref`) and its state on `to`.
#[derive(Serialize, Default)]
pub struct PackFindingView {
    /// The finding's reference.
    pub reference: String,
    /// `major`, `minor` or `observation`.
    pub severity: &'static str,
    /// The severity in words.
    pub severity_label: &'static str,
    /// When it was first raised.
    pub raised: String,
    /// `open`, `reopened`, `awaiting-verification` or `closed`.
    pub state: &'static str,
    /// The state in words.
    pub state_label: &'static str,
    /// Whether it was raised in the period.
    pub new: bool,
    /// The effectiveness review that closed or reopened it, if any.
    pub verdict: Option<String>,
    /// The entries that carry it.
    pub entries: Vec<PackEntry>,
}

/// (c) One KPI's latest measurement against its target.
#[derive(Serialize, Default)]
pub struct KpiResultView {
    /// The entry the KPI measures.
    pub entry: PackEntry,
    /// The KPI's name.
    pub name: String,
    /// Its unit, if given.
    pub unit: Option<String>,
    /// The latest value on or before `to`.
    pub value: f64,
    /// When it was measured.
    pub date: String,
    /// Whether it was measured in the period.
    pub in_period: bool,
    /// The target, if any.
    pub target: Option<f64>,
    /// "Higher is better" or "Lower is better".
    pub direction_label: &'static str,
    /// `met`, `missed` or `no-target`.
    pub result: &'static str,
}
