//! The management figures `register.json` publishes under `figures`
//! ([`Figures`]): the same numbers the dashboard shows, made once from
//! the rollups so a group view can sum registers without recomputing
//! anything differently.

use crate::compute::nonconformity::State;
use crate::compute::objectives;
use crate::compute::rollup::Rollups;
use crate::model::group::*;
use crate::model::{Register, Severity};

/// The figures of `reg` (already cut back to the as-of date and filtered
/// for the audience) with its `rollups`.
pub fn of(reg: &Register, r: &Rollups) -> Figures {
    let findings = &r.findings;
    let open_of = |s: Severity| {
        findings
            .iter()
            .filter(|f| f.severity == s && f.state.is_open())
            .count()
    };
    let in_state = |s: State| findings.iter().filter(|f| f.state == s).count();
    let kpis = objectives::counts(reg, r.as_of);
    Figures {
        entries: reg.entries.len(),
        open: r.open,
        completed_in_period: r.completed_in_period.len(),
        overdue: r.overdue.len(),
        nc_open: BySeverity {
            major: open_of(Severity::Major),
            minor: open_of(Severity::Minor),
            observation: open_of(Severity::Observation),
        },
        nc_states: ByState {
            open: in_state(State::Open),
            reopened: in_state(State::Reopened),
            awaiting_verification: in_state(State::AwaitingVerification),
            closed: in_state(State::Closed),
        },
        effectiveness: Effectiveness {
            effective: r.effective.part,
            reviewed: r.reviewed.part,
            completed: r.reviewed.of,
        },
        kpis: KpiFigures {
            total: kpis.total,
            met: kpis.met,
            missed: kpis.missed,
        },
    }
}
