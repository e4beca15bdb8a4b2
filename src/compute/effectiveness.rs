//! Effectiveness reviews that fall due: every completed action without
//! one is due for it `effectiveness_review_days` (site.yaml `register:`)
//! after its completion, so the review is planned, not forgotten.

use crate::model::*;
use chrono::NaiveDate;
use serde::Serialize;

/// One completed action waiting for its effectiveness review.
#[derive(Debug, Clone, Serialize)]
pub struct Due {
    /// Index into `Register::entries`.
    #[serde(skip)]
    pub entry: usize,
    pub id: String,
    pub due: NaiveDate,
    /// The due date has passed by the as-of date.
    pub overdue: bool,
}

/// When `e`'s effectiveness review falls due: `None` unless it is
/// completed (with a date) and not yet reviewed.
pub fn due_date(site: &Site, e: &Entry) -> Option<NaiveDate> {
    if e.status != Status::Completed || e.effectiveness.is_some() {
        return None;
    }
    let days = chrono::Days::new(u64::from(site.effectiveness_review_days));
    e.completed?.checked_add_days(days)
}

/// Entry `i`'s place in [`due`]'s list, if it has one: an entry page asks
/// for its own in constant time (a search of the list made the pages
/// grow with entries × due reviews).
pub fn due_of(reg: &Register, i: usize, as_of: NaiveDate) -> Option<Due> {
    let e = &reg.entries[i];
    let due = due_date(&reg.site, e)?;
    Some(Due {
        entry: i,
        id: e.id.clone(),
        due,
        overdue: due < as_of,
    })
}

/// Completed actions without an effectiveness review, earliest due first
/// (then by id).
pub fn due(reg: &Register, as_of: NaiveDate) -> Vec<Due> {
    let mut out: Vec<Due> = (0..reg.entries.len())
        .filter_map(|i| due_of(reg, i, as_of))
        .collect();
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| natural_cmp(&a.id, &b.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::rollup::tests::{entry, register};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn completed_actions_without_a_review_fall_due_after_the_set_days() {
        let mut a = entry("A", Status::Completed);
        a.completed = Some(d("2026-01-01"));
        let mut b = entry("B", Status::Completed);
        b.completed = Some(d("2026-05-01"));
        let mut reviewed = entry("C", Status::Completed);
        reviewed.completed = Some(d("2026-01-01"));
        reviewed.effectiveness = Some(Effectiveness {
            date: d("2026-02-01"),
            result: EffectivenessResult::Effective,
            by: None,
            note: None,
        });
        let mut reg = register(vec![b, a, reviewed, entry("D", Status::InProgress)]);
        reg.site.effectiveness_review_days = 30;
        let due = due(&reg, d("2026-05-15"));
        let got: Vec<_> = due
            .iter()
            .map(|x| (x.id.as_str(), x.due, x.overdue))
            .collect();
        assert_eq!(
            got,
            vec![("A", d("2026-01-31"), true), ("B", d("2026-05-31"), false)]
        );
    }
}
