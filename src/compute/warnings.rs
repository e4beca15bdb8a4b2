//! Data-quality warnings: what `build` and `check` tell the author about
//! the register beside its figures — late work and what an auditor asks
//! about first (on the as-of date), target moves without a reason and
//! completion dates the history contradicts (whatever the date), and
//! dates recorded after the as-of date (for `check`).

use crate::compute::rollup::{EntryFacts, overdue_milestones};
use crate::compute::timeline::{logged_completion, target_changes};
use crate::model::diag::{Diagnostics, Pos};
use crate::model::*;
use chrono::NaiveDate;

/// Warnings about the register as it stands on the as-of date (the
/// projection, see `compute::asof`): work that is late, and what an auditor asks
/// about first — open work nobody owns or no date is set for, completed
/// work with no recorded outcome, corrective actions whose effectiveness
/// nobody has reviewed in time.
pub fn warnings(reg: &Register, facts: &[EntryFacts], as_of: NaiveDate, diags: &mut Diagnostics) {
    for (e, f) in reg.entries.iter().zip(facts) {
        if let (true, Some(days), Some(t)) = (f.overdue, f.days_overdue, e.target) {
            diags
                .warning(
                    &e.origin.file,
                    target_pos(e),
                    format!(
                        "{} is overdue: target {t} passed {days} days ago (status {})",
                        e.id,
                        e.status.slug()
                    ),
                )
                .hint("complete it, or agree a new target and log the change in `history`");
        }
    }
    quality_warnings(reg, as_of, diags);
    for m in overdue_milestones(reg, as_of) {
        let p = &reg.plans[m.plan];
        let ms = &p.milestones[m.milestone];
        diags
            .warning(
                &p.origin.file,
                ms.pos,
                format!(
                    "milestone `{}` is overdue by {} days",
                    ms.title, m.days_overdue
                ),
            )
            .hint("set `done: YYYY-MM-DD` when it is reached, or move `due`");
    }
    warn_unapproved_late_plans(reg, as_of, diags);
}

/// A plan that is behind and that nobody has approved is a plan nobody is
/// accountable for: the management system's owner should sign it off.
fn warn_unapproved_late_plans(reg: &Register, as_of: NaiveDate, diags: &mut Diagnostics) {
    let mut late: Vec<usize> = overdue_milestones(reg, as_of)
        .iter()
        .map(|m| m.plan)
        .collect();
    late.sort_unstable();
    late.dedup();
    for p in late.into_iter().map(|i| &reg.plans[i]) {
        if p.approved.is_none() {
            diags
                .warning(
                    &p.origin.file,
                    p.origin.pos,
                    format!("plan `{}` has overdue milestones and no approval", p.title),
                )
                .hint("add `approved: {by: <who>, date: YYYY-MM-DD}` once the plan is signed off");
        }
    }
}

fn quality_warnings(reg: &Register, as_of: NaiveDate, diags: &mut Diagnostics) {
    let days = i64::from(reg.site.effectiveness_review_days);
    for e in &reg.entries {
        let at = |diags: &mut Diagnostics, msg: String, hint: &str| {
            diags.warning(&e.origin.file, e.origin.pos, msg).hint(hint);
        };
        let missing: Vec<&str> = [
            e.owner.is_none().then_some("no owner"),
            e.target.is_none().then_some("no target"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if e.status.is_open() && !missing.is_empty() {
            at(
                diags,
                format!("{} is open with {}", e.id, missing.join(" and ")),
                "an open action needs an `owner` and a `target` date",
            );
        }
        if e.status == Status::Completed && e.outcome.as_deref().is_none_or(|o| o.trim().is_empty())
        {
            at(
                diags,
                format!("{} is completed but records no outcome", e.id),
                "write what was achieved in `outcome`",
            );
        }
        if e.completed_undated() {
            diags
                .warning(
                    &e.origin.file,
                    e.completed_pos.unwrap_or(e.origin.pos),
                    format!(
                        "{} is completed on an unknown date: it counts as completed, but not in on-time, days-to-complete or completed-in-period figures",
                        e.id
                    ),
                )
                .hint("replace `completed: unknown` with the date, if a record (an email, a ticket, a change) still shows it");
        }
        if let (EntryType::CorrectiveAction, Status::Completed, Some(c), None) =
            (e.entry_type, e.status, e.completed, &e.effectiveness)
            && (as_of - c).num_days() > days
        {
            at(
                diags,
                format!(
                    "corrective action {} was completed on {c}, more than {days} days ago, and its effectiveness is not reviewed",
                    e.id
                ),
                "record `effectiveness: {date, result}` (ISO/IEC 27001 10.2 d); site.yaml `register: {effectiveness_review_days}` sets the period",
            );
        }
    }
}

/// Warnings about the content as written, whatever the as-of date:
/// target changes with no reason, and a `completed` date the history
/// contradicts.
pub fn record_warnings(reg: &Register, diags: &mut Diagnostics) {
    for e in &reg.entries {
        for m in target_changes(e) {
            let h = &e.history[m.record];
            if h.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                let from = m.from.map(|d| d.to_string()).unwrap_or_default();
                diags
                    .warning(
                        &e.origin.file,
                        h.pos,
                        format!(
                            "{}: target moved from {from} to {} on {} without a reason",
                            e.id, m.to, m.date
                        ),
                    )
                    .hint(
                        "add `reason:` to the history record: an auditor asks why a target moved",
                    );
            }
        }
        completion_contradictions(e, diags);
    }
}

/// Every date recorded after `as_of` (identified, history, completion,
/// effectiveness review, KPI measurement, milestone done, review held):
/// for `check`, since a typo in a year hides an item from every build
/// before it. Targets and due dates lie in the future by nature.
pub fn later_dates(reg: &Register, as_of: NaiveDate, diags: &mut Diagnostics) {
    for e in &reg.entries {
        let file = &e.origin.file;
        let later = |diags: &mut Diagnostics, pos: Pos, what: &str, d: NaiveDate| {
            if d > as_of {
                diags
                    .warning(file, pos, format!("{}: {what} {d} is after the as-of date {as_of}", e.id))
                    .hint("an as-of build leaves it out; check the date, or check with a later --as-of");
            }
        };
        later(diags, e.origin.pos, "identified", e.identified);
        for h in &e.history {
            later(diags, h.pos, "history record", h.date);
        }
        if let Some(c) = e.completed
            && c > as_of
        {
            // The completion is what a reader looks for: say where it is
            // written and what the site shows meanwhile.
            diags
                .warning(
                    file,
                    e.completed_pos.unwrap_or(e.origin.pos),
                    format!(
                        "{}: completed {c} is after the as-of date {as_of}, so the site as of {as_of} shows it still open (as its status before completion), not completed",
                        e.id
                    ),
                )
                .hint(format!(
                    "check the year in `completed:`; if the date is right, the site shows it completed from {c} on (`--as-of {c}` builds it so)"
                ));
        }
        if let Some(x) = &e.effectiveness {
            later(diags, e.origin.pos, "effectiveness review", x.date);
        }
        if let Some(m) = e
            .kpis
            .iter()
            .flat_map(|k| &k.measurements)
            .map(|m| m.date)
            .max()
        {
            later(diags, e.origin.pos, "KPI measurement", m);
        }
    }
    for p in &reg.plans {
        for m in &p.milestones {
            if let Some(d) = m.done.filter(|d| *d > as_of) {
                diags
                    .warning(
                        &p.origin.file,
                        m.pos,
                        format!(
                            "milestone `{}` done {d} is after the as-of date {as_of}",
                            m.title
                        ),
                    )
                    .hint("an as-of build leaves it out; check the date");
            }
        }
    }
    for r in reg.reviews.iter().filter(|r| r.date > as_of) {
        diags
            .warning(
                &r.origin.file,
                r.origin.pos,
                format!("review dated {} is after the as-of date {as_of}", r.date),
            )
            .hint("an as-of build leaves it out; check the date");
    }
}

/// `completed` set on an entry that is not completed (and never was, by
/// its history), or on another day than the history's completion.
fn completion_contradictions(e: &Entry, diags: &mut Diagnostics) {
    let Some(c) = e.completed else { return };
    let logged = logged_completion(e);
    let message = match logged {
        None if e.status != Status::Completed => format!(
            "{} has `completed: {c}` but its status is {} and its history records no completion",
            e.id,
            e.status.slug()
        ),
        Some(l) if l != c => format!(
            "{}: `completed` says {c} but the history records the completion on {l}",
            e.id
        ),
        _ => return,
    };
    diags
        .warning(&e.origin.file, e.origin.pos, message)
        .hint("make `completed` and the history agree: the history decides the status on each day");
}

/// Where the current target is written: the history record that last
/// moved it, else the `target` field.
fn target_pos(e: &Entry) -> Pos {
    e.history
        .iter()
        .rev()
        .find(|h| h.target.is_some())
        .map(|h| h.pos)
        .or(e.target_pos)
        .unwrap_or(e.origin.pos)
}
