//! Figures computed from the register as of one day.
//!
//! Everything date-dependent takes the as-of date explicitly, so the same
//! content and `--as-of` always give the same numbers (and pages).
//!
//! Status over time comes from each entry's timeline
//! ([`crate::compute::timeline`]); the data-quality warnings that go with
//! the figures are in [`crate::compute::warnings`].

use crate::compute::effectiveness::{self, Due};
use crate::compute::nonconformity::{self, Finding};
pub use crate::compute::period::{NextReview, Period, Quarter};
use crate::compute::timeline::{self, original_target, target_changes, target_on};
use crate::model::Enumerated;
use crate::model::*;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// Facts about one entry as of the build date.
#[derive(Debug, Clone, Serialize)]
pub struct EntryFacts {
    #[serde(skip)]
    pub timeline: Vec<(NaiveDate, Status)>,
    pub overdue: bool,
    /// Days past target, for overdue entries.
    pub days_overdue: Option<i64>,
    /// Days since identified, for open entries.
    pub age_days: Option<i64>,
    /// Completed on or before the original target (completed entries
    /// with a target): moving a target does not make an action on time.
    pub on_time: Option<bool>,
    pub days_to_complete: Option<i64>,
    /// Completed on or before the target in force on the completion day
    /// (the re-baselined figure, beside [`EntryFacts::on_time`]).
    pub on_time_rebaselined: Option<bool>,
    /// How often the target was moved later.
    pub extensions: usize,
    /// Days the current target lies after the original one.
    pub slipped_days: Option<i64>,
}

pub fn entry_facts(e: &Entry, as_of: NaiveDate) -> EntryFacts {
    let open = e.status.is_open();
    let overdue = open && e.target.is_some_and(|t| t < as_of);
    let original = original_target(e);
    let completed = e.completed.filter(|_| e.status == Status::Completed);
    EntryFacts {
        timeline: timeline::timeline(e),
        overdue,
        days_overdue: overdue.then(|| (as_of - e.target.unwrap_or(as_of)).num_days()),
        age_days: open.then(|| (as_of - e.identified).num_days().max(0)),
        on_time: completed.zip(original).map(|(c, t)| c <= t),
        days_to_complete: completed.map(|c| (c - e.identified).num_days()),
        on_time_rebaselined: completed.and_then(|c| target_on(e, c).map(|t| c <= t)),
        extensions: target_changes(e)
            .iter()
            .filter(|m| m.days().is_some_and(|d| d > 0))
            .count(),
        slipped_days: original
            .zip(e.target)
            .map(|(o, t)| (t - o).num_days())
            .filter(|d| *d != 0),
    }
}

/// The register as it stood at the end of one day.
#[derive(Debug, Clone, Serialize)]
pub struct DayCounts {
    pub date: NaiveDate,
    /// Counts per status, in [`Status::ALL`] order.
    #[serde(serialize_with = "counts_as_map")]
    pub by_status: Vec<(Status, usize)>,
    pub open: usize,
    /// Indices into `Register::entries` of the entries overdue that day.
    #[serde(skip)]
    pub overdue: Vec<usize>,
    pub overdue_count: usize,
}

pub fn day_counts(reg: &Register, facts: &[EntryFacts], day: NaiveDate) -> DayCounts {
    use crate::model::Enumerated;
    let mut counts = [0usize; 5];
    let mut overdue = Vec::new();
    for (i, (e, f)) in reg.entries.iter().zip(facts).enumerate() {
        let Some(s) = timeline::status_on(&f.timeline, day) else {
            continue;
        };
        counts[status_index(s)] += 1;
        if s.is_open() && target_on(e, day).is_some_and(|t| t < day) {
            overdue.push(i);
        }
    }
    DayCounts {
        date: day,
        by_status: Status::ALL
            .iter()
            .map(|s| (*s, counts[status_index(*s)]))
            .collect(),
        open: Status::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| counts[status_index(*s)])
            .sum(),
        overdue_count: overdue.len(),
        overdue,
    }
}

pub fn status_index(s: Status) -> usize {
    match s {
        Status::NotStarted => 0,
        Status::Planned => 1,
        Status::InProgress => 2,
        Status::Completed => 3,
        Status::Cancelled => 4,
    }
}

fn level_index(l: Level) -> usize {
    match l {
        Level::High => 0,
        Level::Medium => 1,
        Level::Low => 2,
    }
}

/// Counts serialise as a JSON object (`{"in-progress": 8, ...}`), in order.
fn counts_as_map<K: Serialize, S: serde::Serializer>(
    v: &[(K, usize)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(v.iter().map(|(k, n)| (k, n)))
}

/// As [`counts_as_map`], with entries that name no source under `unspecified`.
fn sources_as_map<S: serde::Serializer>(
    v: &[(Option<Source>, usize)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(
        v.iter()
            .map(|(k, n)| (k.map(|k| k.slug()).unwrap_or("unspecified"), n)),
    )
}

/// One month of the trend charts: the state at month end (or the as-of
/// date for the current month) and the flow during the month.
#[derive(Debug, Clone, Serialize)]
pub struct MonthPoint {
    pub month: String,
    #[serde(skip)]
    pub day: NaiveDate,
    #[serde(serialize_with = "counts_as_map")]
    pub by_status: Vec<(Status, usize)>,
    pub opened: usize,
    pub completed: usize,
    pub overdue: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct OverdueMilestone {
    pub plan: usize,
    pub milestone: usize,
    pub days_overdue: i64,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Stats {
    pub count: usize,
    pub median: Option<f64>,
    pub mean: Option<f64>,
    pub max: Option<i64>,
}

impl Stats {
    fn of(mut v: Vec<i64>) -> Stats {
        v.sort_unstable();
        Stats {
            count: v.len(),
            median: median(&v),
            mean: (!v.is_empty()).then(|| v.iter().sum::<i64>() as f64 / v.len() as f64),
            max: v.last().copied(),
        }
    }
}

fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0),
    }
}

/// Share `part / of`, absent when there is nothing to divide.
#[derive(Debug, Clone, Serialize)]
pub struct Ratio {
    pub part: usize,
    pub of: usize,
    pub percent: Option<f64>,
}

impl Ratio {
    fn new(part: usize, of: usize) -> Ratio {
        Ratio {
            part,
            of,
            percent: (of > 0).then(|| (part as f64 * 1000.0 / of as f64).round() / 10.0),
        }
    }
}

/// Everything the dashboard, exports and index pages show.
#[derive(Debug, Clone, Serialize)]
pub struct Rollups {
    pub as_of: NaiveDate,
    pub last_updated: Option<NaiveDate>,
    pub total: usize,
    pub open: usize,
    #[serde(serialize_with = "counts_as_map")]
    pub by_status: Vec<(Status, usize)>,
    #[serde(serialize_with = "counts_as_map")]
    pub by_priority: Vec<(Priority, usize)>,
    #[serde(serialize_with = "counts_as_map")]
    pub by_type: Vec<(EntryType, usize)>,
    /// `None` counts entries with no source given.
    #[serde(serialize_with = "sources_as_map")]
    pub by_source: Vec<(Option<Source>, usize)>,
    #[serde(serialize_with = "counts_as_map")]
    pub by_owner: Vec<(String, usize)>,
    #[serde(serialize_with = "counts_as_map")]
    pub by_control: Vec<(String, usize)>,
    #[serde(serialize_with = "counts_as_map")]
    pub by_tag: Vec<(String, usize)>,
    /// Entry indices, most overdue first.
    #[serde(skip)]
    pub overdue: Vec<usize>,
    #[serde(skip)]
    pub overdue_milestones: Vec<OverdueMilestone>,
    /// Days since identification of open entries.
    pub age_open: Stats,
    pub days_to_complete: Stats,
    /// Completed entries that had a target: how many met the original one.
    pub on_time: Ratio,
    /// The same against the target in force when each was completed.
    pub on_time_rebaselined: Ratio,
    /// Completed entries with an effectiveness review.
    pub reviewed: Ratio,
    /// Reviewed entries found effective.
    pub effective: Ratio,
    /// Open entries by benefit (rows high, medium, low) × effort (columns
    /// high, medium, low).
    pub benefit_effort: [[usize; 3]; 3],
    pub benefit_effort_unrated: usize,
    /// Entries by priority (rows high, medium, low) × status (columns in
    /// [`Status::ALL`] order).
    pub priority_status: [[usize; 5]; 3],
    pub months: Vec<MonthPoint>,
    /// Entry indices of completed entries, most recent first.
    #[serde(skip)]
    pub recently_completed: Vec<usize>,
    /// The period management reads "achieved" over, with its counts.
    pub period: Period,
    /// The same counts for the current calendar quarter.
    pub quarter: Quarter,
    /// The next management review, set or estimated.
    pub next_review: Option<NextReview>,
    /// The register at the start of the period (the end of the day the
    /// previous review was held): the trend in words compares with it.
    pub period_start: DayCounts,
    /// Open entries whose target falls after the as-of date and on or
    /// before the next review, earliest first.
    #[serde(skip)]
    pub due_before_next_review: Vec<usize>,
    /// Completed actions waiting for their effectiveness review.
    pub effectiveness_due: Vec<Due>,
    /// Entry indices completed within [`Rollups::period`], most recent first.
    #[serde(skip)]
    pub completed_in_period: Vec<usize>,
    /// Open work per owner, most overdue first: totals say little about
    /// who is behind.
    #[serde(skip)]
    pub owner_load: Vec<OwnerLoad>,
    /// Every nonconformity as one finding with its chain's state.
    pub findings: Vec<Finding>,
    /// Major findings not closed (open, reopened or awaiting verification).
    pub nc_open_major: usize,
    /// Minor findings not closed.
    pub nc_open_minor: usize,
    /// Entry indices of actions found not effective that no entry follows
    /// up, latest review first: the chain stops there.
    #[serde(skip)]
    pub not_effective_unfollowed: Vec<usize>,
    /// Entries whose target was moved later more than once, most
    /// extensions first: what an auditor looks for.
    #[serde(skip)]
    pub extended: Vec<usize>,
}

/// Completed actions reviewed as not effective that no entry names in
/// `follows_up`, latest review first.
fn not_effective_unfollowed(reg: &Register) -> Vec<usize> {
    let followed: std::collections::HashSet<usize> = reg
        .entries
        .iter()
        .flat_map(|e| e.follows_up.iter())
        .filter_map(|r| reg.entry_index(&r.id))
        .collect();
    let mut out: Vec<usize> = (0..reg.entries.len())
        .filter(|i| !followed.contains(i))
        .filter(|i| {
            reg.entries[*i]
                .effectiveness
                .as_ref()
                .is_some_and(|x| x.result == EffectivenessResult::NotEffective)
        })
        .collect();
    let date = |i: &usize| reg.entries[*i].effectiveness.as_ref().map(|x| x.date);
    out.sort_by(|a, b| {
        date(b)
            .cmp(&date(a))
            .then_with(|| natural_cmp(&reg.entries[*a].id, &reg.entries[*b].id))
    });
    out
}

/// Orders entry indices by completion, latest first (then by id): the
/// order every "recently completed" list reads in.
pub fn latest_completed_first(entries: &[Entry], idx: &mut [usize]) {
    idx.sort_by(|a, b| {
        entries[*b]
            .completed
            .cmp(&entries[*a].completed)
            .then_with(|| natural_cmp(&entries[*a].id, &entries[*b].id))
    });
}

/// One owner's open and overdue entries.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerLoad {
    pub owner: String,
    pub open: usize,
    pub overdue: usize,
}

/// Owners by overdue, then open entries, then name; owners with no open
/// work last.
fn owner_load(entries: &[Entry], facts: &[EntryFacts]) -> Vec<OwnerLoad> {
    let mut m: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (e, f) in entries.iter().zip(facts) {
        let name = e.owner.clone().unwrap_or_else(|| UNASSIGNED.to_string());
        let load = m.entry(name).or_default();
        load.0 += usize::from(e.status.is_open());
        load.1 += usize::from(f.overdue);
    }
    let mut v: Vec<OwnerLoad> = m
        .into_iter()
        .map(|(owner, (open, overdue))| OwnerLoad {
            owner,
            open,
            overdue,
        })
        .collect();
    v.sort_by(|a, b| {
        (b.overdue, b.open)
            .cmp(&(a.overdue, a.open))
            .then_with(|| natural_cmp(&a.owner, &b.owner))
    });
    v
}

/// The latest date in the register, or of a revision in git when later:
/// a correction committed today updates the register as much as a new
/// history record does. Revisions are never later than the as-of date.
pub fn last_updated(reg: &Register) -> Option<NaiveDate> {
    let in_git = reg
        .entries
        .iter()
        .map(|e| &e.revisions)
        .chain(reg.plans.iter().map(|p| &p.revisions))
        .chain(reg.reviews.iter().map(|r| &r.revisions))
        .filter_map(Revisions::last_updated);
    reg.entries
        .iter()
        .flat_map(|e| {
            std::iter::once(e.identified)
                .chain(e.history.iter().map(|h| h.date))
                .chain(e.completed)
                .chain(
                    e.kpis
                        .iter()
                        .flat_map(|k| k.measurements.iter().map(|m| m.date)),
                )
        })
        .chain(in_git)
        .max()
}

fn count_by<K: Ord + Clone>(keys: impl Iterator<Item = K>) -> BTreeMap<K, usize> {
    let mut m = BTreeMap::new();
    for k in keys {
        *m.entry(k).or_insert(0) += 1;
    }
    m
}

/// Counts by a string key, most frequent first, then alphabetically.
fn ranked(m: BTreeMap<String, usize>) -> Vec<(String, usize)> {
    let mut v: Vec<_> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| natural_cmp(&a.0, &b.0)));
    v
}

fn enum_counts<T: crate::model::Enumerated + Ord>(m: &BTreeMap<T, usize>) -> Vec<(T, usize)> {
    T::ALL
        .iter()
        .map(|k| (*k, m.get(k).copied().unwrap_or(0)))
        .collect()
}

pub fn figures(reg: &Register, facts: &[EntryFacts], as_of: NaiveDate) -> Rollups {
    let entries = &reg.entries;
    let by_status = count_by(entries.iter().map(|e| e.status));
    let by_priority = count_by(entries.iter().map(|e| e.priority));
    let by_type = count_by(entries.iter().map(|e| e.entry_type));
    let by_source_map = count_by(entries.iter().map(|e| e.source));
    let mut by_source: Vec<(Option<Source>, usize)> = {
        use crate::model::Enumerated;
        Source::ALL
            .iter()
            .map(|s| (Some(*s), by_source_map.get(&Some(*s)).copied().unwrap_or(0)))
            .collect()
    };
    by_source.push((None, by_source_map.get(&None).copied().unwrap_or(0)));

    let mut overdue: Vec<usize> = (0..entries.len()).filter(|i| facts[*i].overdue).collect();
    overdue.sort_by(|a, b| {
        facts[*b]
            .days_overdue
            .cmp(&facts[*a].days_overdue)
            .then_with(|| natural_cmp(&entries[*a].id, &entries[*b].id))
    });

    let completed: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.status == Status::Completed)
        .collect();
    let with_target: Vec<&EntryFacts> = facts.iter().filter(|f| f.on_time.is_some()).collect();
    let reviewed = completed
        .iter()
        .filter(|e| e.effectiveness.is_some())
        .count();
    let effective = completed
        .iter()
        .filter(|e| {
            e.effectiveness
                .as_ref()
                .is_some_and(|x| x.result == EffectivenessResult::Effective)
        })
        .count();

    let mut benefit_effort = [[0; 3]; 3];
    let mut unrated = 0;
    let mut priority_status = [[0; 5]; 3];
    for e in entries {
        priority_status[level_index(e.priority)][status_index(e.status)] += 1;
        if !e.status.is_open() {
            continue;
        }
        match (e.benefit, e.effort) {
            (Some(b), Some(f)) => benefit_effort[level_index(b)][level_index(f)] += 1,
            _ => unrated += 1,
        }
    }

    let mut recently_completed: Vec<usize> = (0..entries.len())
        .filter(|i| entries[*i].status == Status::Completed)
        .collect();
    latest_completed_first(entries, &mut recently_completed);

    let period = Period::of(reg, as_of);
    let completed_in_period: Vec<usize> = recently_completed
        .iter()
        .copied()
        .filter(|i| entries[*i].completed.is_some_and(|c| period.contains(c)))
        .collect();
    let next_review = NextReview::of(reg, as_of);
    let findings = nonconformity::findings(reg, as_of);
    let open_findings = |sev: Severity| {
        findings
            .iter()
            .filter(|f| f.severity == sev && f.state.is_open())
            .count()
    };

    Rollups {
        as_of,
        last_updated: last_updated(reg),
        total: entries.len(),
        open: entries.iter().filter(|e| e.status.is_open()).count(),
        by_status: enum_counts(&by_status),
        by_priority: enum_counts(&by_priority),
        by_type: enum_counts(&by_type),
        by_source,
        by_owner: ranked(count_by(
            entries
                .iter()
                .map(|e| e.owner.clone().unwrap_or_else(|| UNASSIGNED.to_string())),
        )),
        by_control: ranked(count_by(
            entries.iter().flat_map(|e| e.controls.iter().cloned()),
        )),
        by_tag: ranked(count_by(
            entries.iter().flat_map(|e| e.tags.iter().cloned()),
        )),
        overdue,
        overdue_milestones: overdue_milestones(reg, as_of),
        age_open: Stats::of(facts.iter().filter_map(|f| f.age_days).collect()),
        days_to_complete: Stats::of(facts.iter().filter_map(|f| f.days_to_complete).collect()),
        on_time: Ratio::new(
            with_target
                .iter()
                .filter(|f| f.on_time == Some(true))
                .count(),
            with_target.len(),
        ),
        on_time_rebaselined: Ratio::new(
            facts
                .iter()
                .filter(|f| f.on_time_rebaselined == Some(true))
                .count(),
            facts
                .iter()
                .filter(|f| f.on_time_rebaselined.is_some())
                .count(),
        ),
        reviewed: Ratio::new(reviewed, completed.len()),
        effective: Ratio::new(effective, reviewed),
        benefit_effort,
        benefit_effort_unrated: unrated,
        priority_status,
        months: months(reg, facts, as_of),
        recently_completed,
        quarter: Quarter::of(reg, as_of),
        period_start: day_counts(reg, facts, period.after),
        due_before_next_review: due_before(entries, as_of, next_review.as_ref()),
        next_review,
        effectiveness_due: effectiveness::due(reg, as_of),
        period,
        completed_in_period,
        owner_load: owner_load(entries, facts),
        nc_open_major: open_findings(Severity::Major),
        nc_open_minor: open_findings(Severity::Minor),
        findings,
        not_effective_unfollowed: not_effective_unfollowed(reg),
        extended: extended(entries, facts),
    }
}

/// Open entries due after `as_of` and on or before the next review,
/// earliest target first.
fn due_before(entries: &[Entry], as_of: NaiveDate, next: Option<&NextReview>) -> Vec<usize> {
    let Some(next) = next.filter(|n| n.date > as_of) else {
        return Vec::new();
    };
    let mut v: Vec<usize> = (0..entries.len())
        .filter(|i| entries[*i].status.is_open())
        .filter(|i| {
            entries[*i]
                .target
                .is_some_and(|t| t > as_of && t <= next.date)
        })
        .collect();
    v.sort_by(|a, b| {
        entries[*a]
            .target
            .cmp(&entries[*b].target)
            .then_with(|| natural_cmp(&entries[*a].id, &entries[*b].id))
    });
    v
}

/// Entries extended at least [`EXTENDED_REPEATEDLY`] times, most
/// extensions first, then most days slipped, then by id.
fn extended(entries: &[Entry], facts: &[EntryFacts]) -> Vec<usize> {
    let mut v: Vec<usize> = (0..entries.len())
        .filter(|i| facts[*i].extensions >= EXTENDED_REPEATEDLY)
        .collect();
    v.sort_by(|a, b| {
        (facts[*b].extensions, facts[*b].slipped_days)
            .cmp(&(facts[*a].extensions, facts[*a].slipped_days))
            .then_with(|| natural_cmp(&entries[*a].id, &entries[*b].id))
    });
    v
}

/// Extended this often, an action is listed on the dashboard: once may be
/// planning, twice is a pattern.
pub const EXTENDED_REPEATEDLY: usize = 2;

/// Owner label for entries without one.
pub const UNASSIGNED: &str = "Unassigned";

pub fn overdue_milestones(reg: &Register, as_of: NaiveDate) -> Vec<OverdueMilestone> {
    let mut out = Vec::new();
    for (pi, p) in reg.plans.iter().enumerate() {
        for (mi, m) in p.milestones.iter().enumerate() {
            if let (Some(due), None) = (m.due, m.done)
                && due < as_of
            {
                out.push(OverdueMilestone {
                    plan: pi,
                    milestone: mi,
                    days_overdue: (as_of - due).num_days(),
                });
            }
        }
    }
    out.sort_by_key(|m| std::cmp::Reverse(m.days_overdue));
    out
}

fn month_start(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap_or(d)
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

/// Month-end snapshots from the first identification to the as-of month.
/// Capped at 20 years so a typo like `identified: 1925-...` cannot make
/// thousands of points.
fn months(reg: &Register, facts: &[EntryFacts], as_of: NaiveDate) -> Vec<MonthPoint> {
    let Some(first) = reg.entries.iter().map(|e| e.identified).min() else {
        return Vec::new();
    };
    let end = month_start(as_of);
    let mut start = month_start(first);
    let floor = NaiveDate::from_ymd_opt(as_of.year() - 20, as_of.month(), 1).unwrap_or(start);
    start = start.max(floor);
    let mut out = Vec::new();
    let mut m = start;
    while m <= end {
        let next = next_month(m);
        let day = (next.pred_opt().unwrap_or(next)).min(as_of);
        let snap = day_counts(reg, facts, day);
        let in_month = |d: NaiveDate| d >= m && d < next && d <= as_of;
        out.push(MonthPoint {
            month: m.format("%Y-%m").to_string(),
            day,
            by_status: snap.by_status,
            opened: reg
                .entries
                .iter()
                .filter(|e| in_month(e.identified))
                .count(),
            // Completions as the timelines record them, so a month's
            // figure does not change when an entry is reopened later.
            completed: facts
                .iter()
                .filter(|f| {
                    f.timeline
                        .iter()
                        .any(|(d, s)| *s == Status::Completed && in_month(*d))
                })
                .count(),
            overdue: snap.overdue_count,
        });
        m = next;
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::diag::Pos;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A minimal entry for tests: identified 2025-01-10, high priority.
    pub(crate) fn entry(id: &str, status: Status) -> Entry {
        let origin = Origin {
            file: "x.yaml".into(),
            pos: Pos::START,
        };
        Entry::new(id, "t", d("2025-01-10"), status, Priority::High, origin)
    }

    /// A site with defaults only.
    pub(crate) fn site() -> Site {
        Site {
            title: "t".into(),
            organization: None,
            description: None,
            created: None,
            responsible: None,
            base_url: None,
            visibility: Default::default(),
            effectiveness_review_days: EFFECTIVENESS_REVIEW_DAYS,
            next_review: None,
            locale: Default::default(),
        }
    }

    /// A register of these entries and nothing else.
    pub(crate) fn register(entries: Vec<Entry>) -> Register {
        Register::new(site(), entries, vec![], vec![], vec![])
    }

    #[test]
    fn not_effective_actions_without_a_follow_up_are_listed() {
        let not_effective = |id: &str| {
            let mut e = entry(id, Status::Completed);
            e.completed = Some(d("2025-02-01"));
            e.effectiveness = Some(Effectiveness {
                date: d("2025-03-01"),
                result: EffectivenessResult::NotEffective,
                by: None,
                note: None,
            });
            e
        };
        let mut follow = entry("C", Status::InProgress);
        follow.follows_up = vec![IdRef {
            id: "a".into(),
            pos: Pos::START,
        }];
        let site = Site {
            title: "t".into(),
            organization: None,
            description: None,
            created: None,
            responsible: None,
            base_url: None,
            visibility: Default::default(),
            effectiveness_review_days: EFFECTIVENESS_REVIEW_DAYS,
            next_review: None,
            locale: Default::default(),
        };
        let reg = Register::new(
            site,
            vec![not_effective("A"), not_effective("B"), follow],
            vec![],
            vec![],
            vec![],
        );
        assert_eq!(not_effective_unfollowed(&reg), vec![1]);
    }

    #[test]
    fn facts_mark_overdue_age_and_on_time() {
        let mut open = entry("A", Status::InProgress);
        open.target = Some(d("2025-06-30"));
        let f = entry_facts(&open, d("2025-07-10"));
        assert!(f.overdue);
        assert_eq!(f.days_overdue, Some(10));
        assert_eq!(f.age_days, Some(181));
        // Due today is not overdue yet.
        assert!(!entry_facts(&open, d("2025-06-30")).overdue);

        let mut done = entry("B", Status::Completed);
        done.target = Some(d("2025-03-01"));
        done.completed = Some(d("2025-03-02"));
        done.target_baseline = done.target;
        let f = entry_facts(&done, d("2025-07-10"));
        assert!(!f.overdue);
        assert_eq!(f.on_time, Some(false));
        assert_eq!(f.on_time_rebaselined, Some(false));

        // Moved to 2025-03-31 before completion: late against the original
        // target, on time against the re-baselined one; one extension.
        done.history.push(HistoryRecord {
            date: d("2025-02-15"),
            pos: Pos::START,
            status: None,
            note: None,
            target: Some(d("2025-03-31")),
            reason: Some("supplier".into()),
        });
        done.target = Some(d("2025-03-31"));
        let f = entry_facts(&done, d("2025-07-10"));
        assert_eq!(
            (f.on_time, f.on_time_rebaselined),
            (Some(false), Some(true))
        );
        assert_eq!((f.extensions, f.slipped_days), (1, Some(30)));
        assert_eq!(f.days_to_complete, Some(51));
    }

    #[test]
    fn rollups_count_rates_and_medians() {
        let mut a = entry("A", Status::Completed);
        a.completed = Some(d("2025-01-20"));
        a.target = Some(d("2025-01-31"));
        a.effectiveness = Some(Effectiveness {
            date: d("2025-02-01"),
            result: EffectivenessResult::Effective,
            by: None,
            note: None,
        });
        let mut b = entry("B", Status::Completed);
        b.completed = Some(d("2025-02-09"));
        b.target = Some(d("2025-01-31"));
        let mut c = entry("C", Status::InProgress);
        c.target = Some(d("2025-02-01"));
        c.target_baseline = c.target;
        c.benefit = Some(Level::High);
        c.effort = Some(Level::Low);
        let reg = Register::new(site(), vec![a, b, c], vec![], vec![], vec![]);
        let as_of = d("2025-03-15");
        let facts: Vec<_> = reg.entries.iter().map(|e| entry_facts(e, as_of)).collect();
        let r = figures(&reg, &facts, as_of);
        assert_eq!(r.total, 3);
        assert_eq!(r.open, 1);
        assert_eq!(r.overdue, vec![2]);
        assert_eq!(
            (r.on_time.part, r.on_time.of, r.on_time.percent),
            (1, 2, Some(50.0))
        );
        assert_eq!(r.days_to_complete.median, Some(20.0)); // 10 and 30 days
        assert_eq!((r.reviewed.part, r.reviewed.of), (1, 2));
        assert_eq!((r.effective.part, r.effective.of), (1, 1));
        assert_eq!(r.benefit_effort[0][2], 1);
        assert_eq!(r.months.len(), 3);
        assert_eq!(r.months[0].opened, 3);
        assert_eq!(r.months[0].completed, 1);
        assert_eq!(r.months[1].overdue, 1); // C overdue at end of February
        assert_eq!(r.last_updated, Some(d("2025-02-09")));
    }

    pub(crate) fn review(date: &str, kind: ReviewKind) -> Review {
        Review {
            slug: date.into(),
            title: date.into(),
            date: d(date),
            kind,
            attendees: vec![],
            entries: vec![],
            entry_pos: vec![],
            decisions: vec![],
            body: String::new(),
            visibility: Visibility::Internal,
            origin: Origin {
                file: "r.md".into(),
                pos: Pos::START,
            },
            approved: None,
            revisions: Revisions::default(),
        }
    }

    #[test]
    fn period_runs_from_the_last_management_review_else_from_the_registers_start() {
        let as_of = d("2026-11-27");
        let reg = |reviews| Register::new(site(), vec![], vec![], reviews, vec![]);
        // Nothing identified: the period is the as-of day, never inverted.
        let none = Period::of(&reg(vec![]), as_of);
        assert_eq!((none.after, none.review), (d("2026-11-26"), None));
        let first = Register::new(
            site(),
            vec![entry("A", Status::Planned)],
            vec![],
            vec![],
            vec![],
        );
        let p = Period::of(&first, as_of);
        assert_eq!(p.after, d("2025-01-09"), "the day before A was identified");
        // A later management review and a progress review do not count.
        let reviews = vec![
            review("2026-03-31", ReviewKind::ManagementReview),
            review("2026-09-30", ReviewKind::ManagementReview),
            review("2026-10-15", ReviewKind::ProgressReview),
            review("2026-12-15", ReviewKind::ManagementReview),
        ];
        let p = Period::of(&reg(reviews), as_of);
        assert_eq!((p.after, p.review), (d("2026-09-30"), Some(1)));
        assert!(!p.contains(d("2026-09-30")));
        assert!(p.contains(d("2026-10-01")));
        assert!(!p.contains(d("2026-11-28")));
    }
}
