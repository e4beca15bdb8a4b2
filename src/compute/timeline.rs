//! One entry over time: its status on each day (the [`timeline`] its
//! history gives), its target on each day and every move of it, and the
//! state of its dated records on a day ([`state_on`]).
//!
//! Both the as-of projection (`compute::asof`, the register cut back to a
//! day) and the figures (`compute::rollup`) read entries through these, so
//! a build and its figures cannot disagree about what an entry was on a
//! day. Where the history says nothing, we assume (and document in the
//! user guide, "As-of builds"):
//! - with status records in history, the entry was `not-started` until the
//!   first of them (unless that one is dated on `identified`);
//! - without any, it held its current status since `identified`, except that
//!   a completed entry counts as `in-progress` until its completion date.

use crate::model::*;
use chrono::NaiveDate;

/// Status changes of one entry, oldest first, starting on `identified`.
pub fn timeline(e: &Entry) -> Vec<(NaiveDate, Status)> {
    let statuses: Vec<(NaiveDate, Status)> = e
        .history
        .iter()
        .filter_map(|h| h.status.map(|s| (h.date, s)))
        .collect();
    let initial = match statuses.first() {
        Some((d, s)) if *d <= e.identified => *s,
        Some(_) => Status::NotStarted,
        // Completed on a day nobody recorded: completed all along, as far
        // as anyone can tell (no date to move it to).
        None if e.completed_undated() => Status::Completed,
        None if e.status == Status::Completed => Status::InProgress,
        None => e.status,
    };
    let mut events = vec![(e.identified, initial)];
    for (d, s) in statuses {
        if d <= e.identified {
            events[0].1 = s;
        } else {
            events.push((d, s));
        }
    }
    // Only an entry completed now and with no status in its history gets
    // its completion from `completed`: with statuses in history, the last
    // of them is the current status (validated), so history says it all.
    if let (Status::Completed, Some(c)) = (e.status, e.completed)
        && !events.iter().any(|(_, s)| *s == Status::Completed)
    {
        events.push((c.max(e.identified), Status::Completed));
    }
    events.dedup_by(|b, a| a.1 == b.1);
    events
}

/// The entry's status at the end of `day`, or `None` before it was identified.
pub fn status_on(timeline: &[(NaiveDate, Status)], day: NaiveDate) -> Option<Status> {
    timeline
        .iter()
        .take_while(|(d, _)| *d <= day)
        .last()
        .map(|(_, s)| *s)
}

/// What an entry's dated records say on a day: the status, target and
/// effectiveness review a projection onto that day has. Reads the entry
/// without copying it, for comparing many entries on two days
/// (`compute::changes`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DatedState {
    pub status: Status,
    pub target: Option<NaiveDate>,
    /// The effectiveness review's date and result, if there was one.
    pub effectiveness: Option<(NaiveDate, EffectivenessResult)>,
}

/// Entry `e`'s [`DatedState`] at the end of `day`, given its
/// [`timeline`]; `None` before it was identified. `asof::project`
/// takes its figures from here, so the two cannot disagree.
pub fn state_on(e: &Entry, timeline: &[(NaiveDate, Status)], day: NaiveDate) -> Option<DatedState> {
    if e.identified > day {
        return None;
    }
    Some(DatedState {
        status: status_on(timeline, day)?,
        target: target_on(e, day),
        effectiveness: e
            .effectiveness
            .as_ref()
            .filter(|x| x.date <= day)
            .map(|x| (x.date, x.result)),
    })
}

/// The day of the last history record that set `completed`, if any.
pub fn logged_completion(e: &Entry) -> Option<NaiveDate> {
    e.history
        .iter()
        .rev()
        .find(|h| h.status == Some(Status::Completed))
        .map(|h| h.date)
}

/// The target as it stood at the end of `day`: the last history record
/// on or before it that set a target, else the `target` field.
pub fn target_on(e: &Entry, day: NaiveDate) -> Option<NaiveDate> {
    e.history
        .iter()
        .rev()
        .filter(|h| h.date <= day)
        .find_map(|h| h.target)
        .or(e.target_baseline)
}

/// The target as first agreed: the `target` field, else the first target
/// a history record set.
pub fn original_target(e: &Entry) -> Option<NaiveDate> {
    e.target_baseline
        .or_else(|| e.history.iter().find_map(|h| h.target))
        .or(e.target)
}

/// One move of an entry's target.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetChange {
    pub date: NaiveDate,
    /// The target before (none when the entry had none).
    pub from: Option<NaiveDate>,
    pub to: NaiveDate,
    /// Index of the history record that moved it.
    pub record: usize,
}

impl TargetChange {
    /// Days the target moved later (negative: brought forward).
    pub fn days(&self) -> Option<i64> {
        self.from.map(|f| (self.to - f).num_days())
    }
}

/// Every history record that moved the target to a different date, in
/// order. Setting a first target where there was none is not a move.
pub fn target_changes(e: &Entry) -> Vec<TargetChange> {
    let mut current = e.target_baseline;
    let mut out = Vec::new();
    for (i, h) in e.history.iter().enumerate() {
        let Some(to) = h.target else { continue };
        if let Some(from) = current
            && from != to
        {
            out.push(TargetChange {
                date: h.date,
                from: Some(from),
                to,
                record: i,
            });
        }
        current = Some(to);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::asof::tests::{entry, record};
    use crate::compute::rollup::tests::entry as plain_entry;
    use crate::model::diag::Pos;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn timeline_follows_history_and_completion() {
        let mut e = plain_entry("A", Status::Completed);
        e.history = vec![
            HistoryRecord {
                date: d("2025-02-01"),
                pos: Pos::START,
                status: Some(Status::InProgress),
                note: None,
                target: None,
                reason: None,
            },
            HistoryRecord {
                date: d("2025-03-01"),
                pos: Pos::START,
                status: None,
                note: Some("progress".into()),
                target: None,
                reason: None,
            },
        ];
        e.completed = Some(d("2025-04-15"));
        let t = timeline(&e);
        assert_eq!(status_on(&t, d("2025-01-09")), None);
        assert_eq!(status_on(&t, d("2025-01-10")), Some(Status::NotStarted));
        assert_eq!(status_on(&t, d("2025-02-01")), Some(Status::InProgress));
        assert_eq!(status_on(&t, d("2025-04-14")), Some(Status::InProgress));
        assert_eq!(status_on(&t, d("2025-04-15")), Some(Status::Completed));
    }

    /// `completed` on an entry whose status says otherwise (and whose
    /// history records no status) does not make it completed on any day:
    /// a build as of today shows the status the file gives.
    #[test]
    fn a_completion_date_alone_does_not_complete_an_open_entry() {
        let mut e = plain_entry("A", Status::InProgress);
        e.completed = Some(d("2025-02-01"));
        let t = timeline(&e);
        assert_eq!(t, vec![(d("2025-01-10"), Status::InProgress)]);
        assert_eq!(status_on(&t, d("2026-01-01")), Some(Status::InProgress));
    }

    #[test]
    fn target_changes_count_moves_from_the_original() {
        let mut e = entry("A");
        e.history
            .push(record("2025-07-01", None, Some("2025-05-31")));
        e.history
            .push(record("2025-08-01", None, Some("2025-09-30")));
        let moves = target_changes(&e);
        assert_eq!(moves.len(), 2, "restating the same target is not a move");
        assert_eq!(moves[0].days(), Some(61));
        assert_eq!(moves[1].from, Some(d("2025-05-31")));
        assert_eq!(original_target(&e), Some(d("2025-03-31")));
        assert_eq!(target_on(&e, d("2025-03-31")), Some(d("2025-03-31")));
        assert_eq!(target_on(&e, d("2025-08-01")), Some(d("2025-09-30")));
        e.target_baseline = None;
        assert_eq!(original_target(&e), Some(d("2025-05-31")));
        assert_eq!(target_on(&e, d("2025-03-31")), None);
        assert_eq!(target_changes(&e).len(), 1);
    }
}
