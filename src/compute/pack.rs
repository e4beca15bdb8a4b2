//! The figures of a management review's input pack (ISO/IEC 27001 9.3.2):
//! the period a review covers, what became of earlier decisions and how
//! KPIs stand against their targets. Nonconformities are judged by
//! [`crate::compute::nonconformity`], the rule every page uses.
//!
//! Everything here reads entries already cut back to the last day of the
//! period (`compute::asof::entry_on`), so a pack made today for a review held a
//! year ago says what the register said on that review's day.

use crate::compute::period;
use crate::model::*;
use chrono::NaiveDate;

/// The period a pack covers, `(from, to]`, and the management review
/// before it (its position in the register's reviews), if any.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub previous: Option<usize>,
}

/// The period of the management review held on `to` (or, for the review
/// ahead, of the one after the last held on or before `to`): from the
/// previous management review held before `to` — strictly before, so a
/// review's own period ends on its day — or, when there is none, from
/// the day before the register's first identification (everything is
/// new). The dashboard's rule ([`period::start`]), so a review's pack and
/// the dashboard built on its day cover the same days.
pub fn period(reg: &Register, to: NaiveDate, include_to: bool) -> Period {
    let (from, previous) = period::start(reg, to, include_to);
    Period { from, to, previous }
}

/// What became of a review's decision by a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionState {
    /// Every entry it acts through is completed or cancelled.
    Done,
    /// Still open, its due date not passed (or none).
    Open,
    /// Still open after its due date.
    Overdue,
    /// It names no entry of the register: the register cannot say.
    Untracked,
}

impl DecisionState {
    pub fn slug(self) -> &'static str {
        match self {
            DecisionState::Done => "done",
            DecisionState::Open => "open",
            DecisionState::Overdue => "overdue",
            DecisionState::Untracked => "untracked",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            DecisionState::Done => "Done",
            DecisionState::Open => "Open",
            DecisionState::Overdue => "Overdue",
            DecisionState::Untracked => "Not tracked in the register",
        }
    }
}

/// The state on `day` of a decision whose entries had `statuses` then
/// (entries that did not exist yet are left out by the caller).
pub fn decision_state(d: &Decision, statuses: &[Status], day: NaiveDate) -> DecisionState {
    if statuses.is_empty() {
        return DecisionState::Untracked;
    }
    if statuses.iter().all(|s| !s.is_open()) {
        DecisionState::Done
    } else if d.due.is_some_and(|due| due < day) {
        DecisionState::Overdue
    } else {
        DecisionState::Open
    }
}

/// How a KPI's latest measurement stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KpiResult {
    Met,
    Missed,
    NoTarget,
}

impl KpiResult {
    pub fn slug(self) -> &'static str {
        match self {
            KpiResult::Met => "met",
            KpiResult::Missed => "missed",
            KpiResult::NoTarget => "no-target",
        }
    }
}

/// A KPI's latest measurement on or before `day` and whether it meets
/// the target (at or beyond it in the KPI's direction); `None` when not
/// measured by then.
pub fn kpi_result(k: &Kpi, day: NaiveDate) -> Option<(Measurement, KpiResult)> {
    let latest = *k
        .measurements
        .iter()
        .filter(|m| m.date <= day)
        .max_by_key(|m| m.date)?;
    let result = match k.target {
        None => KpiResult::NoTarget,
        Some(t) => {
            let met = match k.direction {
                Direction::Increase => latest.value >= t,
                Direction::Decrease => latest.value <= t,
            };
            if met {
                KpiResult::Met
            } else {
                KpiResult::Missed
            }
        }
    };
    Some((latest, result))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::rollup::tests::entry;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn decisions_and_kpis_have_a_plain_state() {
        let dec = Decision {
            text: "x".into(),
            entries: vec!["A".into()],
            entry_pos: vec![],
            owner: None,
            due: Some(d("2025-06-30")),
        };
        let day = d("2025-07-01");
        assert_eq!(decision_state(&dec, &[], day), DecisionState::Untracked);
        assert_eq!(
            decision_state(&dec, &[Status::Completed, Status::Cancelled], day),
            DecisionState::Done
        );
        assert_eq!(
            decision_state(&dec, &[Status::Completed, Status::Planned], day),
            DecisionState::Overdue
        );
        assert_eq!(
            decision_state(&dec, &[Status::Planned], d("2025-06-30")),
            DecisionState::Open
        );
        let m = |date: &str, value| Measurement {
            date: d(date),
            value,
        };
        let mut k = Kpi {
            name: "k".into(),
            unit: None,
            baseline: None,
            target: Some(5.0),
            direction: Direction::Decrease,
            measurements: vec![m("2025-02-01", 9.0), m("2025-01-01", 1.0)],
        };
        let day = d("2025-12-31");
        assert_eq!(
            kpi_result(&k, day).unwrap().1,
            KpiResult::Missed,
            "latest by date"
        );
        assert_eq!(
            kpi_result(&k, d("2025-01-31")).unwrap().1,
            KpiResult::Met,
            "as of a day"
        );
        assert!(
            kpi_result(&k, d("2024-12-31")).is_none(),
            "not measured yet"
        );
        k.direction = Direction::Increase;
        assert_eq!(kpi_result(&k, day).unwrap().1, KpiResult::Met);
        k.target = None;
        assert_eq!(kpi_result(&k, day).unwrap().1, KpiResult::NoTarget);
    }

    #[test]
    fn a_reviews_period_starts_at_the_previous_management_review() {
        let mut reg = crate::compute::rollup::tests::register(vec![entry("A", Status::Planned)]);
        let review = crate::compute::rollup::tests::review;
        reg.reviews = vec![
            review("2025-03-31", ReviewKind::ManagementReview),
            review("2025-05-01", ReviewKind::InternalAudit),
            review("2025-06-30", ReviewKind::ManagementReview),
        ];
        let p = period(&reg, d("2025-06-30"), false);
        assert_eq!((p.from, p.previous), (d("2025-03-31"), Some(0)));
        let p = period(&reg, d("2025-06-30"), true);
        assert_eq!((p.from, p.previous), (d("2025-06-30"), Some(2)));
        let p = period(&reg, d("2025-03-31"), false);
        assert_eq!((p.from, p.previous), (d("2025-01-09"), None));
    }
}
