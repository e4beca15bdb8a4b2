//! The register as it stood at the end of one day: the one projection
//! every build applies before anything is computed or written.
//!
//! A build "as of D" must show what an auditor would have seen on D, and
//! nothing written about later days. So instead of teaching every figure,
//! page and export to ignore later dates, the register itself is cut back
//! to D once ([`register_on`]); whatever is made from the result cannot
//! see the future. Validation runs on the full content before this, so an
//! error in later content is still an error.
//!
//! What the projection keeps of each thing dated:
//! - entries identified on or before D; the status on D from the entry's
//!   timeline ([`timeline`]); history records, the completion, the
//!   effectiveness review and KPI measurements dated on or before D; the
//!   target as it stood on D (`timeline::target_on`);
//! - plans that existed on D ([`plan_date`]: approved, a milestone done
//!   or updated on or before D), their milestones' `done`, their approval
//!   and `updated` only when on or before D, and only the entries of the
//!   projection;
//! - reviews held on or before D, naming only entries of the projection.
//!
//! Text (titles, descriptions, outcomes, notes on kept records, links,
//! custom columns) is not dated: it is shown as written now, except the
//! text of plans and reviews, which a build reads from git as committed
//! on or before D where it can (`content::git_text`) before this runs.

use crate::compute::timeline::{logged_completion, state_on, timeline};
use crate::model::*;
use chrono::NaiveDate;

/// The register as it stood at the end of `day`. Consumes the register:
/// a build needs only the projection, and large registers are not copied.
pub fn register_on(reg: Register, day: NaiveDate) -> Register {
    let stubs = reg.restricted_stubs;
    let kept: Vec<bool> = reg
        .plans
        .iter()
        .map(|p| plan_date(p, &reg).is_none_or(|d| d <= day))
        .collect();
    let Register {
        site,
        entries,
        plans,
        reviews,
        evidence,
        controls,
        objectives,
        risks,
        ..
    } = reg;
    let plans: Vec<Plan> = plans
        .into_iter()
        .zip(kept)
        .filter_map(|(p, keep)| keep.then_some(p))
        .collect();
    let entries: Vec<Entry> = entries
        .into_iter()
        .filter_map(|mut e| project(&mut e, day).then_some(e))
        .collect();
    let mut out = Register::new(site, entries, Vec::new(), Vec::new(), evidence);
    out.controls = controls;
    // Catalogues are not dated: an objective's KPIs show the measurements
    // kept above, so each stands as it stood on `day`.
    out.objectives = objectives;
    out.risks = risks;
    // `follows_up` and `related` naming a later entry are dropped with
    // every other link to an unpublished entry, by `audience::apply`.
    out.plans = plans
        .into_iter()
        .map(|mut p| {
            for m in &mut p.milestones {
                m.done = m.done.filter(|d| *d <= day);
            }
            p.approved = p.approved.filter(|a| a.date <= day);
            p.updated = p.updated.filter(|u| *u <= day);
            (p.entries, p.entry_pos) = known(&out, p.entries, p.entry_pos);
            p
        })
        .collect();
    out.reviews = reviews
        .into_iter()
        .filter(|r| r.date <= day)
        .map(|mut r| {
            r.approved = r.approved.filter(|a| a.date <= day);
            (r.entries, r.entry_pos) = known(&out, r.entries, r.entry_pos);
            r
        })
        .collect();
    out.restricted_stubs = stubs;
    out
}

/// The ids (with their positions) that name an entry of `reg`.
fn known(
    reg: &Register,
    ids: Vec<String>,
    pos: Vec<crate::model::diag::Pos>,
) -> (Vec<String>, Vec<crate::model::diag::Pos>) {
    let mut pos = pos.into_iter();
    ids.into_iter()
        .map(|id| (id, pos.next().unwrap_or(crate::model::diag::Pos::START)))
        .filter(|(id, _)| reg.entry_index(id).is_some())
        .unzip()
}

/// The day a plan is known to have existed by: the earliest of its
/// approval, its milestones' `done` dates (work recorded on a plan the
/// plan had by then) and `updated` (without `updated`, the latest
/// identification of the entries it names: a plan cannot be older than
/// what it plans). A plan approved or half done before a day and edited
/// after it existed on that day, and is shown as of it, with its dated
/// parts cut back and, where git has it, the text it had then. `None`
/// when nothing dates it.
pub fn plan_date(p: &Plan, reg: &Register) -> Option<NaiveDate> {
    let written = p.updated.or_else(|| {
        p.entries
            .iter()
            .filter_map(|id| reg.entry_index(id).map(|i| reg.entries[i].identified))
            .max()
    });
    let approved = p.approved.as_ref().map(|a| a.date);
    let done = p.milestones.iter().filter_map(|m| m.done);
    approved.into_iter().chain(done).chain(written).min()
}

/// Entry `e` as it stood at the end of `day`, or `None` before it was
/// identified. For one entry at a time (a review's discussed entries).
pub fn entry_on(e: &Entry, day: NaiveDate) -> Option<Entry> {
    let mut e = e.clone();
    project(&mut e, day).then_some(e)
}

/// Cuts `e` back to `day` in place; false when it did not exist yet.
fn project(e: &mut Entry, day: NaiveDate) -> bool {
    let Some(state) = state_on(e, &timeline(e), day) else {
        return false;
    };
    e.target = state.target;
    e.history.retain(|h| h.date <= day);
    let logged = logged_completion(e);
    e.completed = e.completed.filter(|c| *c <= day).or(logged);
    e.status = state.status;
    if state.effectiveness.is_none() {
        e.effectiveness = None;
    }
    e.nonconformity = e.nonconformity.take().filter(|n| n.raised <= day);
    for k in &mut e.kpis {
        k.measurements.retain(|m| m.date <= day);
    }
    true
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::compute::timeline::status_on;
    use crate::model::diag::Pos;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    pub(crate) fn record(
        date: &str,
        status: Option<Status>,
        target: Option<&str>,
    ) -> HistoryRecord {
        HistoryRecord {
            date: d(date),
            pos: Pos::START,
            status,
            note: None,
            target: target.map(d),
            reason: target.map(|_| "scope grew".into()),
        }
    }

    pub(crate) fn entry(id: &str) -> Entry {
        let mut e = crate::compute::rollup::tests::entry(id, Status::Completed);
        e.target = Some(d("2025-05-31"));
        e.target_baseline = Some(d("2025-03-31"));
        e.completed = Some(d("2025-06-20"));
        e.entry_type = EntryType::CorrectiveAction;
        e.effectiveness = Some(Effectiveness {
            date: d("2025-09-01"),
            result: EffectivenessResult::Effective,
            by: None,
            note: None,
        });
        e.history = vec![
            record("2025-02-01", Some(Status::InProgress), None),
            record("2025-04-01", None, Some("2025-05-31")),
            record("2025-06-20", Some(Status::Completed), None),
        ];
        let m = |date: &str, value| Measurement {
            date: d(date),
            value,
        };
        e.kpis = vec![Kpi {
            name: "k".into(),
            unit: None,
            baseline: None,
            target: None,
            direction: Direction::Increase,
            measurements: vec![m("2025-03-01", 1.0), m("2025-07-01", 2.0)],
        }];
        e
    }

    #[test]
    fn an_entry_on_a_day_has_only_what_was_recorded_by_then() {
        let e = entry("A");
        assert!(entry_on(&e, d("2025-01-09")).is_none());
        let p = entry_on(&e, d("2025-03-15")).unwrap();
        assert_eq!(p.status, Status::InProgress);
        assert_eq!(p.history.len(), 1);
        assert_eq!(p.completed, None);
        assert!(p.effectiveness.is_none());
        assert_eq!(p.kpis[0].measurements.len(), 1);
        assert_eq!(p.target, Some(d("2025-03-31")), "the original target");
        let p = entry_on(&e, d("2025-06-30")).unwrap();
        assert_eq!(p.status, Status::Completed);
        assert_eq!(p.completed, Some(d("2025-06-20")));
        assert_eq!(p.target, Some(d("2025-05-31")), "moved on 2025-04-01");
        assert!(p.effectiveness.is_none());
        let p = entry_on(&e, d("2025-12-31")).unwrap();
        assert!(p.effectiveness.is_some());
        assert_eq!(p.kpis[0].measurements.len(), 2);
    }

    #[test]
    fn the_timeline_of_a_projection_is_the_timeline_cut_at_the_day() {
        let mut reopened = entry("B");
        reopened
            .history
            .push(record("2025-08-01", Some(Status::InProgress), None));
        reopened.status = Status::InProgress;
        reopened.effectiveness = None;
        let mut plain = entry("C");
        plain.history.clear();
        let mut open = entry("D");
        open.history.clear();
        open.status = Status::Planned;
        open.completed = None;
        open.effectiveness = None;
        for e in [entry("A"), reopened, plain, open] {
            let full = timeline(&e);
            for day in [
                "2025-01-10",
                "2025-02-01",
                "2025-06-19",
                "2025-06-20",
                "2025-08-01",
            ] {
                let day = d(day);
                let p = entry_on(&e, day).unwrap();
                let cut: Vec<_> = full.iter().copied().filter(|(x, _)| *x <= day).collect();
                assert_eq!(timeline(&p), cut, "{} on {day}", e.id);
                assert_eq!(Some(p.status), status_on(&full, day));
            }
        }
    }
}
