//! The register on many days at once: what every review page and every
//! management review's input pack reads off the register as of its own
//! date, computed in one pass over the register's dated events instead
//! of one pass over the whole register per review.
//!
//! A synthetic register has one review per 50 entries, so reading the
//! whole register for each review costs entries × reviews (issue 27 item
//! 5). Here each entry's dated records are turned once into events (the
//! days its status, target or KPI results change), sorted, and a running
//! state is moved from one review date to the next; the lists a review
//! shows are bounded, so they are taken from ordered sets, never sorted
//! whole. The naive functions ([`review_day`], [`kpi_day`]) stay: they are
//! the definition, and the tests hold the sweeps to them on every day.

use crate::compute::pack::{self, KpiResult};
use crate::compute::rollup::{self, EntryFacts};
use crate::compute::timeline::{self, target_on};
use crate::model::*;
use chrono::NaiveDate;
use std::cmp::Reverse;
use std::collections::BTreeSet;

/// The "continual improvement" figures of a review: the register at the
/// end of `day`, and its completions since the previous review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewDay {
    pub day: NaiveDate,
    /// Counts per status, in [`Status::ALL`] order.
    pub by_status: Vec<(Status, usize)>,
    pub open: usize,
    /// The first `limit` entries open and past their target that day,
    /// longest overdue first (then by id).
    pub overdue: Vec<usize>,
    pub overdue_count: usize,
    /// The first `limit` entries completed that day whose completion lies
    /// in `(since, day]`, latest first (then by id).
    pub completed_since: Vec<usize>,
    pub completed_since_count: usize,
}

/// [`ReviewDay`] of one day, read from every entry: the definition the
/// sweep ([`review_days`]) is held to.
pub fn review_day(
    reg: &Register,
    facts: &[EntryFacts],
    day: NaiveDate,
    since: Option<NaiveDate>,
    limit: usize,
) -> ReviewDay {
    let snap = rollup::day_counts(reg, facts, day);
    let entries = &reg.entries;
    let mut completed_since: Vec<usize> = (0..entries.len())
        .filter(|&i| {
            timeline::status_on(&facts[i].timeline, day) == Some(Status::Completed)
                && entries[i]
                    .completed
                    .is_some_and(|c| c <= day && since.is_none_or(|s| c > s))
        })
        .collect();
    rollup::latest_completed_first(entries, &mut completed_since);
    let late = |i: usize| target_on(&entries[i], day).map(|t| (day - t).num_days());
    let mut overdue = snap.overdue;
    overdue.sort_by(|a, b| {
        late(*b)
            .cmp(&late(*a))
            .then_with(|| natural_cmp(&entries[*a].id, &entries[*b].id))
    });
    let (overdue_count, completed_since_count) = (overdue.len(), completed_since.len());
    overdue.truncate(limit);
    completed_since.truncate(limit);
    ReviewDay {
        day,
        by_status: snap.by_status,
        open: snap.open,
        overdue,
        overdue_count,
        completed_since,
        completed_since_count,
    }
}

/// [`review_day`] for each `(day, since)` of `days`, in their order, from
/// one sweep over the register's events: about entries × log(entries)
/// plus, per day, what it lists.
pub fn review_days(
    reg: &Register,
    facts: &[EntryFacts],
    days: &[(NaiveDate, Option<NaiveDate>)],
    limit: usize,
) -> Vec<ReviewDay> {
    let entries = &reg.entries;
    let rank = natural_ranks(entries);
    let mut events: Vec<(NaiveDate, usize, EntryState)> = Vec::new();
    for (i, (e, f)) in entries.iter().zip(facts).enumerate() {
        for (d, s) in state_changes(e, &f.timeline) {
            events.push((d, i, s));
        }
    }
    events.sort_by_key(|(d, i, _)| (*d, *i));
    let targets = Counter::new(events.iter().filter_map(|(_, _, s)| s.target));
    let completions = Counter::new(entries.iter().filter_map(|e| e.completed));
    let mut sweep = ReviewSweep {
        now: vec![EntryState::default(); entries.len()],
        counts: [0; 5],
        open_with_target: BTreeSet::new(),
        targets,
        completed: BTreeSet::new(),
        completions,
    };
    let mut order: Vec<usize> = (0..days.len()).collect();
    order.sort_by_key(|&q| days[q].0);
    let mut out: Vec<Option<ReviewDay>> = vec![None; days.len()];
    let mut next = 0;
    for q in order {
        let (day, since) = days[q];
        while let Some(&(_, i, s)) = events.get(next).filter(|ev| ev.0 <= day) {
            sweep.set(i, s, entries[i].completed, rank[i]);
            next += 1;
        }
        out[q] = Some(sweep.day(day, since, limit));
    }
    out.into_iter().flatten().collect()
}

/// What the review sweep keeps of one entry on the day it has reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct EntryState {
    /// `None` before it was identified.
    status: Option<Status>,
    target: Option<NaiveDate>,
}

/// The days entry `e`'s status or target changes, with its state from
/// then on, oldest first. Each day is read with [`timeline::status_on`]
/// and [`target_on`], the rules every figure uses, so the steps are
/// theirs whatever order the records are in.
fn state_changes(e: &Entry, tl: &[(NaiveDate, Status)]) -> Vec<(NaiveDate, EntryState)> {
    let mut days: Vec<NaiveDate> = tl
        .iter()
        .map(|(d, _)| *d)
        .chain(
            e.history
                .iter()
                .filter(|h| h.target.is_some())
                .map(|h| h.date),
        )
        .collect();
    days.sort_unstable();
    days.dedup();
    let mut was = EntryState {
        status: None,
        target: e.target_baseline,
    };
    let mut out = Vec::new();
    for d in days {
        let s = EntryState {
            status: timeline::status_on(tl, d),
            target: target_on(e, d),
        };
        if s != was {
            out.push((d, s));
            was = s;
        }
    }
    out
}

/// Each entry's place in id order ([`natural_cmp`], ties in register
/// order): the tie-break of every list, as a number.
fn natural_ranks(entries: &[Entry]) -> Vec<u32> {
    let mut by_id: Vec<usize> = (0..entries.len()).collect();
    by_id.sort_by(|a, b| natural_cmp(&entries[*a].id, &entries[*b].id));
    let mut rank = vec![0u32; entries.len()];
    for (r, i) in by_id.into_iter().enumerate() {
        rank[i] = r as u32;
    }
    rank
}

/// The running state of [`review_days`].
struct ReviewSweep {
    now: Vec<EntryState>,
    counts: [usize; 5],
    /// Open entries with a target, by target then id: the overdue ones
    /// on a day are its front, longest overdue first.
    open_with_target: BTreeSet<(NaiveDate, u32, usize)>,
    targets: Counter,
    /// Completed entries with a completion date, latest first then by id.
    completed: BTreeSet<(Reverse<NaiveDate>, u32, usize)>,
    completions: Counter,
}

impl ReviewSweep {
    /// Moves entry `i` to state `s`.
    fn set(&mut self, i: usize, s: EntryState, completed: Option<NaiveDate>, rank: u32) {
        self.place(i, completed, rank, false);
        self.now[i] = s;
        self.place(i, completed, rank, true);
    }

    /// Adds entry `i`, as it stands now, to the counts and sets it
    /// belongs to (or takes it out of them).
    fn place(&mut self, i: usize, completed: Option<NaiveDate>, rank: u32, add: bool) {
        let EntryState { status, target } = self.now[i];
        let Some(status) = status else { return };
        let n = &mut self.counts[rollup::status_index(status)];
        *n = if add { *n + 1 } else { *n - 1 };
        if let Some(t) = target.filter(|_| status.is_open()) {
            toggle(&mut self.open_with_target, (t, rank, i), add);
            self.targets.add(t, add);
        }
        if let Some(c) = completed.filter(|_| status == Status::Completed) {
            toggle(&mut self.completed, (Reverse(c), rank, i), add);
            self.completions.add(c, add);
        }
    }

    fn day(&self, day: NaiveDate, since: Option<NaiveDate>, limit: usize) -> ReviewDay {
        let by_status: Vec<(Status, usize)> = Status::ALL
            .iter()
            .map(|s| (*s, self.counts[rollup::status_index(*s)]))
            .collect();
        let open = by_status
            .iter()
            .filter(|(s, _)| s.is_open())
            .map(|(_, n)| n)
            .sum();
        let overdue = self
            .open_with_target
            .range(..(day, 0, 0))
            .take(limit)
            .map(|k| k.2)
            .collect();
        let upper = match since {
            // Nothing completed after `since` and by `day`.
            Some(s) if s >= day => std::ops::Bound::Excluded((Reverse(day), 0, 0)),
            Some(s) => std::ops::Bound::Excluded((Reverse(s), 0, 0)),
            None => std::ops::Bound::Unbounded,
        };
        let lower = std::ops::Bound::Included((Reverse(day), 0, 0));
        let completed_since = self
            .completed
            .range((lower, upper))
            .take(limit)
            .map(|k| k.2)
            .collect();
        let done_by = |d: NaiveDate| self.completions.at_most(d);
        ReviewDay {
            day,
            by_status,
            open,
            overdue,
            overdue_count: self.targets.before(day),
            completed_since,
            completed_since_count: done_by(day).saturating_sub(since.map_or(0, done_by)),
        }
    }
}

fn toggle<K: Ord>(set: &mut BTreeSet<K>, k: K, add: bool) {
    if add {
        set.insert(k);
    } else {
        set.remove(&k);
    }
}

/// How many of a changing multiset of dates lie before a day, in
/// log time: a Fenwick tree over every date that may be added.
struct Counter {
    dates: Vec<NaiveDate>,
    tree: Vec<i64>,
}

impl Counter {
    fn new(dates: impl Iterator<Item = NaiveDate>) -> Counter {
        let mut dates: Vec<NaiveDate> = dates.collect();
        dates.sort_unstable();
        dates.dedup();
        let tree = vec![0; dates.len() + 1];
        Counter { dates, tree }
    }

    fn add(&mut self, d: NaiveDate, add: bool) {
        let Ok(at) = self.dates.binary_search(&d) else {
            return;
        };
        let delta = if add { 1 } else { -1 };
        let mut k = at + 1;
        while k < self.tree.len() {
            self.tree[k] += delta;
            k += k & k.wrapping_neg();
        }
    }

    /// How many of the first `n` dates (in order) are held.
    fn prefix(&self, n: usize) -> usize {
        let (mut k, mut sum) = (n, 0);
        while k > 0 {
            sum += self.tree[k];
            k -= k & k.wrapping_neg();
        }
        sum.max(0) as usize
    }

    /// How many held dates lie before `d`.
    fn before(&self, d: NaiveDate) -> usize {
        self.prefix(self.dates.partition_point(|x| *x < d))
    }

    /// How many held dates lie on or before `d`.
    fn at_most(&self, d: NaiveDate) -> usize {
        self.prefix(self.dates.partition_point(|x| *x <= d))
    }
}

/// The monitoring results of a management review's input pack on a day:
/// every KPI of an entry that existed then, with its latest measurement
/// by then, counted by result.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KpiDay {
    pub met: usize,
    pub missed: usize,
    pub no_target: usize,
    /// The first `limit` measured KPIs, as (entry, KPI) positions in
    /// register order.
    pub first: Vec<(usize, usize)>,
    /// How many KPIs were measured.
    pub total: usize,
}

/// [`KpiDay`] of one day, read from every entry: the definition
/// [`kpi_days`] is held to.
pub fn kpi_day(reg: &Register, day: NaiveDate, limit: usize) -> KpiDay {
    let mut out = KpiDay::default();
    for (i, e) in reg.entries.iter().enumerate() {
        if e.identified > day {
            continue;
        }
        for (k, kpi) in e.kpis.iter().enumerate() {
            let Some((_, result)) = pack::kpi_result(kpi, day) else {
                continue;
            };
            out.count(result, true);
            out.total += 1;
            if out.first.len() < limit {
                out.first.push((i, k));
            }
        }
    }
    out
}

impl KpiDay {
    fn count(&mut self, r: KpiResult, add: bool) {
        let n = match r {
            KpiResult::Met => &mut self.met,
            KpiResult::Missed => &mut self.missed,
            KpiResult::NoTarget => &mut self.no_target,
        };
        *n = if add { *n + 1 } else { *n - 1 };
    }
}

/// [`kpi_day`] for each of `days`, in their order, from one sweep over
/// the days each KPI's result changes.
pub fn kpi_days(reg: &Register, days: &[NaiveDate], limit: usize) -> Vec<KpiDay> {
    // (day, entry, KPI, result from then on)
    let mut events: Vec<(NaiveDate, usize, usize, KpiResult)> = Vec::new();
    for (i, e) in reg.entries.iter().enumerate() {
        for (k, kpi) in e.kpis.iter().enumerate() {
            let mut on: Vec<NaiveDate> = kpi
                .measurements
                .iter()
                .map(|m| m.date.max(e.identified))
                .collect();
            on.sort_unstable();
            on.dedup();
            let mut was = None;
            for d in on {
                let now = pack::kpi_result(kpi, d).map(|(_, r)| r);
                if let Some(r) = now.filter(|r| Some(*r) != was) {
                    events.push((d, i, k, r));
                    was = now;
                }
            }
        }
    }
    events.sort_by_key(|ev| (ev.0, ev.1, ev.2));
    let mut state = KpiDay::default();
    let mut now: std::collections::HashMap<(usize, usize), KpiResult> = Default::default();
    let mut measured: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut order: Vec<usize> = (0..days.len()).collect();
    order.sort_by_key(|&q| days[q]);
    let mut out = vec![KpiDay::default(); days.len()];
    let mut next = 0;
    for q in order {
        while let Some(&(_, i, k, r)) = events.get(next).filter(|ev| ev.0 <= days[q]) {
            if let Some(old) = now.insert((i, k), r) {
                state.count(old, false);
            }
            state.count(r, true);
            measured.insert((i, k));
            next += 1;
        }
        out[q] = KpiDay {
            first: measured.iter().take(limit).copied().collect(),
            total: measured.len(),
            ..state.clone()
        };
    }
    out
}

/// The days each entry's dated state ([`timeline::DatedState`]) can
/// change and the days entries were identified, sorted: the entries a
/// period `(from, to]` can have changed, or added, found by two binary
/// searches instead of reading every entry.
pub struct DateIndex {
    changes: Vec<(NaiveDate, usize)>,
    identified: Vec<(NaiveDate, usize)>,
}

impl DateIndex {
    pub fn new(entries: &[Entry], facts: &[EntryFacts]) -> DateIndex {
        let mut changes: Vec<(NaiveDate, usize)> = Vec::new();
        for (i, (e, f)) in entries.iter().zip(facts).enumerate() {
            let days = std::iter::once(e.identified)
                .chain(f.timeline.iter().map(|(d, _)| *d))
                .chain(
                    e.history
                        .iter()
                        .filter(|h| h.target.is_some())
                        .map(|h| h.date),
                )
                .chain(e.effectiveness.as_ref().map(|x| x.date));
            changes.extend(days.map(|d| (d, i)));
        }
        changes.sort_unstable();
        changes.dedup();
        let mut identified: Vec<(NaiveDate, usize)> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.identified, i))
            .collect();
        identified.sort_unstable();
        DateIndex {
            changes,
            identified,
        }
    }

    /// Entries whose dated state may differ between the ends of `from`
    /// and `to` (every one that does, and maybe others), in register order.
    pub fn changed_in(&self, from: NaiveDate, to: NaiveDate) -> Vec<usize> {
        within(&self.changes, from, to)
    }

    /// Entries identified in `(from, to]`, in register order.
    pub fn identified_in(&self, from: NaiveDate, to: NaiveDate) -> Vec<usize> {
        within(&self.identified, from, to)
    }
}

/// The entries of `sorted` dated in `(from, to]`, once each, in register
/// order.
fn within(sorted: &[(NaiveDate, usize)], from: NaiveDate, to: NaiveDate) -> Vec<usize> {
    let start = sorted.partition_point(|(d, _)| *d <= from);
    let end = sorted.partition_point(|(d, _)| *d <= to).max(start);
    let mut out: Vec<usize> = sorted[start..end].iter().map(|(_, i)| *i).collect();
    out.sort_unstable();
    out.dedup();
    out
}
