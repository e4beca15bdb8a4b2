//! What changed in the register between two dates, from its dated records.
//!
//! A management review asks what changed since the previous one. The
//! answer must be what the records said on the two days, not what the
//! entries say today: an entry completed in the period and reopened since
//! was completed in that period. So each entry is projected onto both days
//! with [`asof::entry_on`] — the projection [`asof::register_on`] applies
//! to a whole register — and the two projections are compared. The result
//! is what two as-of builds' `register.json` files would say changed.
//!
//! `from` is exclusive and `to` inclusive: the changes of the period
//! `(from, to]`, so the periods of consecutive reviews do not overlap.
//! Only dated records count (identification, status history, completion,
//! target history, effectiveness reviews); owner and priority are not
//! dated in the content and are not reported.

use crate::compute::rollup;
use crate::compute::timeline::{self, DatedState};
use crate::model::*;
use chrono::NaiveDate;
use serde::Serialize;
use std::borrow::Cow;

/// An entry whose status on `to` differs from its status on `from`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusChange {
    pub id: String,
    pub from: Status,
    pub to: Status,
}

/// An entry whose target on `to` differs from its target on `from`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetChange {
    pub id: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// An effectiveness review recorded in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub id: String,
    pub result: EffectivenessResult,
}

/// The changes of the period `(from, to]`, each list in register order;
/// serialised as `changes.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Identified in the period.
    pub new: Vec<String>,
    /// Completed on `to` and not on `from` (new entries included).
    pub completed: Vec<String>,
    /// Cancelled on `to` and not on `from` (new entries included).
    pub cancelled: Vec<String>,
    /// Status moves of entries that existed on both days.
    pub status: Vec<StatusChange>,
    /// Target moves of entries that existed on both days.
    pub target: Vec<TargetChange>,
    /// Effectiveness reviews on `to` that were not there on `from`.
    pub effectiveness: Vec<Verdict>,
}

#[cfg(test)]
impl Changes {
    /// Whether nothing changed (only the tests ask).
    fn is_empty(&self) -> bool {
        self.new.is_empty()
            && self.completed.is_empty()
            && self.cancelled.is_empty()
            && self.status.is_empty()
            && self.target.is_empty()
            && self.effectiveness.is_empty()
    }
}

/// The changes of `entries` between the end of `from` and the end of
/// `to`. `entries` may already be cut back to a later day (an as-of
/// build's register): projecting a projection onto an earlier day gives
/// the projection of the original (see the tests of [`asof`]). Each
/// entry is read on both days with [`timeline::state_on`], the figures
/// [`asof::register_on`] gives it, without copying it.
pub fn between(entries: &[Entry], from: NaiveDate, to: NaiveDate) -> Changes {
    between_with(entries, from, to, |_, e| Cow::Owned(timeline::timeline(e)))
}

/// [`between`] for a register whose facts are computed: each entry's
/// timeline is taken from its facts instead of made again (a build makes
/// a pack for every management review).
pub fn between_facts(
    entries: &[Entry],
    facts: &[rollup::EntryFacts],
    from: NaiveDate,
    to: NaiveDate,
) -> Changes {
    between_with(entries, from, to, |i, _| Cow::Borrowed(&facts[i].timeline))
}

/// [`between_facts`] reading only the entries `index` says may have
/// changed in `(from, to]`: the same answer (an entry with no dated
/// record in the period reads the same on both days), in time bounded by
/// the period's records instead of the register (a build makes a pack
/// for every management review).
pub fn between_indexed(
    entries: &[Entry],
    facts: &[rollup::EntryFacts],
    index: &crate::compute::sweep::DateIndex,
    from: NaiveDate,
    to: NaiveDate,
) -> Changes {
    let mut c = empty(from, to);
    for i in index.changed_in(from, to) {
        let e = &entries[i];
        let timeline = &facts[i].timeline;
        if let Some(after) = timeline::state_on(e, timeline, to) {
            record(&mut c, &e.id, timeline::state_on(e, timeline, from), after);
        }
    }
    c
}

fn empty(from: NaiveDate, to: NaiveDate) -> Changes {
    Changes {
        from,
        to,
        new: Vec::new(),
        completed: Vec::new(),
        cancelled: Vec::new(),
        status: Vec::new(),
        target: Vec::new(),
        effectiveness: Vec::new(),
    }
}

fn between_with<'f>(
    entries: &[Entry],
    from: NaiveDate,
    to: NaiveDate,
    timeline: impl Fn(usize, &Entry) -> Cow<'f, [(NaiveDate, Status)]>,
) -> Changes {
    let mut c = empty(from, to);
    for (i, e) in entries.iter().enumerate() {
        if e.identified > to {
            continue;
        }
        let timeline = timeline(i, e);
        let Some(after) = timeline::state_on(e, &timeline, to) else {
            continue;
        };
        let before = timeline::state_on(e, &timeline, from);
        record(&mut c, &e.id, before, after);
    }
    c
}

/// Adds what changed for one entry, from its states on the two days
/// (`before` is `None` when it did not exist yet).
fn record(c: &mut Changes, id: &str, before: Option<DatedState>, after: DatedState) {
    let id = || id.to_string();
    let was = |s: Status| before.is_some_and(|b| b.status == s);
    if before.is_none() {
        c.new.push(id());
    }
    if after.status == Status::Completed && !was(Status::Completed) {
        c.completed.push(id());
    }
    if after.status == Status::Cancelled && !was(Status::Cancelled) {
        c.cancelled.push(id());
    }
    if let Some(b) = before {
        if b.status != after.status {
            c.status.push(StatusChange {
                id: id(),
                from: b.status,
                to: after.status,
            });
        }
        if b.target != after.target {
            c.target.push(TargetChange {
                id: id(),
                from: b.target,
                to: after.target,
            });
        }
    }
    if let Some((_, result)) = after.effectiveness
        && before.and_then(|b| b.effectiveness) != after.effectiveness
    {
        c.effectiveness.push(Verdict { id: id(), result });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    use crate::compute::asof::tests::record;

    // Identified 2025-01-10, in progress on 2025-02-01, target moved
    // 2025-04-01, completed 2025-06-20, found effective 2025-09-01.
    use crate::compute::asof::tests::entry;

    #[test]
    fn a_period_reports_what_its_records_say() {
        let e = [entry("A")];
        let c = between(&e, d("2024-12-31"), d("2025-03-31"));
        assert_eq!(c.new, ["A"]);
        assert!(c.status.is_empty(), "a new entry has no earlier status");
        let c = between(&e, d("2025-03-31"), d("2025-06-30"));
        assert!(c.new.is_empty());
        assert_eq!(c.completed, ["A"]);
        assert_eq!(
            c.status,
            [StatusChange {
                id: "A".into(),
                from: Status::InProgress,
                to: Status::Completed
            }]
        );
        assert_eq!(
            c.target,
            [TargetChange {
                id: "A".into(),
                from: Some(d("2025-03-31")),
                to: Some(d("2025-05-31"))
            }]
        );
        assert!(c.effectiveness.is_empty());
        let c = between(&e, d("2025-06-30"), d("2025-09-30"));
        assert_eq!(c.effectiveness.len(), 1);
        assert!(c.completed.is_empty());
        assert!(between(&e, d("2025-09-30"), d("2025-12-31")).is_empty());
    }

    #[test]
    fn from_is_exclusive_and_to_inclusive() {
        let e = [entry("A")];
        assert_eq!(
            between(&e, d("2025-06-19"), d("2025-06-20")).completed,
            ["A"]
        );
        assert!(
            between(&e, d("2025-06-20"), d("2025-06-21"))
                .completed
                .is_empty()
        );
    }

    #[test]
    fn later_values_do_not_leak_into_the_period() {
        // Completed in the period, reopened after it: completed then.
        let mut e = entry("A");
        e.effectiveness = None;
        e.history
            .push(record("2025-08-01", Some(Status::InProgress), None));
        e.status = Status::InProgress;
        let c = between(&[e], d("2025-03-31"), d("2025-06-30"));
        assert_eq!(c.completed, ["A"]);
    }
}
