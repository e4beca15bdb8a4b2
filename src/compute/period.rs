//! "This period": the span top management judges progress over (ISO/IEC
//! 27001 9.3), one rule everywhere.
//!
//! The period runs from the previous management review (exclusive) to the
//! as-of date (inclusive). The previous review is the last one dated
//! *before* the as-of date, so a build as of a review's own day shows the
//! period that review closed (previous review → this review), never an
//! empty period that starts that day. With no earlier management review,
//! the period starts with the register (the day before its first
//! identification), as the first review's input pack does: both use
//! [`start`], so the dashboard on a review's day and that review's pack
//! cover the same days.

use crate::model::*;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// What happened in a span of days: `after` exclusive, `until` inclusive.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// Entries completed in the span (as `completed` records).
    pub completed: usize,
    /// Entries identified in the span.
    pub identified: usize,
    /// Effectiveness reviews recorded in the span.
    pub effectiveness_reviews: usize,
}

impl Counts {
    /// The counts of `reg` over (`after`, `until`].
    pub fn of(reg: &Register, after: NaiveDate, until: NaiveDate) -> Counts {
        let within = |d: NaiveDate| d > after && d <= until;
        let completed = reg
            .entries
            .iter()
            .filter(|e| e.status == Status::Completed && e.completed.is_some_and(within))
            .count();
        Counts {
            completed,
            identified: reg.entries.iter().filter(|e| within(e.identified)).count(),
            effectiveness_reviews: reg
                .entries
                .iter()
                .filter_map(|e| e.effectiveness.as_ref())
                .filter(|x| within(x.date))
                .count(),
        }
    }
}

/// The management-review period ending on the as-of date.
#[derive(Debug, Clone, Serialize)]
pub struct Period {
    /// The period starts the day after this one.
    pub after: NaiveDate,
    /// Its last day: the as-of date.
    pub until: NaiveDate,
    /// The management review that opened it (index into `reviews`).
    #[serde(skip)]
    pub review: Option<usize>,
    /// The management review held on the as-of date, which closed it.
    #[serde(skip)]
    pub closed_by: Option<usize>,
    #[serde(flatten)]
    pub counts: Counts,
}

/// Management reviews on or before `as_of`, oldest first (ties in file order).
fn management_reviews(reg: &Register, as_of: NaiveDate) -> Vec<usize> {
    let mut v: Vec<usize> = (0..reg.reviews.len())
        .filter(|i| {
            let r = &reg.reviews[*i];
            r.kind == ReviewKind::ManagementReview && r.date <= as_of
        })
        .collect();
    v.sort_by_key(|i| (reg.reviews[*i].date, *i));
    v
}

/// Where a period ending on `to` starts, and the management review that
/// opened it: the last management review dated before `to` (on or before
/// it with `include_to`, for the review ahead of one held that day; ties
/// in file order). With none, the day before the register's first
/// identification: the first management review, and the dashboard until
/// it is held, cover everything since the register began. Never `to`
/// itself or later, so a period is never inverted.
pub fn start(reg: &Register, to: NaiveDate, include_to: bool) -> (NaiveDate, Option<usize>) {
    let review = reg
        .reviews
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == ReviewKind::ManagementReview)
        .filter(|(_, r)| r.date < to || (include_to && r.date == to))
        .max_by_key(|(i, r)| (r.date, *i))
        .map(|(i, _)| i);
    match review {
        Some(i) => (reg.reviews[i].date, Some(i)),
        None => (register_start(reg, to), None),
    }
}

/// The day before anything was identified, at the latest the day before
/// `to` (when nothing was identified by then).
fn register_start(reg: &Register, to: NaiveDate) -> NaiveDate {
    let before_to = to.pred_opt().unwrap_or(to);
    reg.entries
        .iter()
        .map(|e| e.identified)
        .min()
        .and_then(|d| d.pred_opt())
        .unwrap_or(before_to)
        .min(before_to)
}

impl Period {
    pub fn of(reg: &Register, as_of: NaiveDate) -> Period {
        let (after, review) = start(reg, as_of, false);
        let closed_by = management_reviews(reg, as_of)
            .iter()
            .rev()
            .copied()
            .find(|i| reg.reviews[*i].date == as_of);
        Period {
            after,
            until: as_of,
            review,
            closed_by,
            counts: Counts::of(reg, after, as_of),
        }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        day > self.after && day <= self.until
    }
}

/// The current calendar quarter up to the as-of date, for data readers
/// who report by quarter rather than by review.
#[derive(Debug, Clone, Serialize)]
pub struct Quarter {
    /// `2026-Q2`.
    pub name: String,
    /// Its first day.
    pub from: NaiveDate,
    pub until: NaiveDate,
    #[serde(flatten)]
    pub counts: Counts,
}

impl Quarter {
    pub fn of(reg: &Register, as_of: NaiveDate) -> Quarter {
        let q = as_of.month0() / 3;
        let from = NaiveDate::from_ymd_opt(as_of.year(), q * 3 + 1, 1).unwrap_or(as_of);
        let after = from.pred_opt().unwrap_or(from);
        Quarter {
            name: format!("{}-Q{}", as_of.year(), q + 1),
            from,
            until: as_of,
            counts: Counts::of(reg, after, as_of),
        }
    }
}

/// The next management review: site.yaml's `next_review` when it is set,
/// else the last review plus the usual interval between reviews.
#[derive(Debug, Clone, Serialize)]
pub struct NextReview {
    pub date: NaiveDate,
    /// Estimated from earlier reviews, not set in site.yaml.
    pub estimated: bool,
    /// The interval the estimate used, in days.
    pub interval_days: Option<i64>,
}

/// The interval assumed with a single earlier review: a quarter, the
/// rhythm most ISMS keep.
pub const DEFAULT_REVIEW_INTERVAL_DAYS: i64 = 91;

impl NextReview {
    pub fn of(reg: &Register, as_of: NaiveDate) -> Option<NextReview> {
        if let Some(date) = reg.site.next_review {
            return Some(NextReview {
                date,
                estimated: false,
                interval_days: None,
            });
        }
        let held = management_reviews(reg, as_of);
        let last = reg.reviews[*held.last()?].date;
        let mut gaps: Vec<i64> = held
            .windows(2)
            .map(|w| (reg.reviews[w[1]].date - reg.reviews[w[0]].date).num_days())
            .filter(|d| *d > 0)
            .collect();
        gaps.sort_unstable();
        let interval = gaps
            .get(gaps.len() / 2)
            .copied()
            .unwrap_or(DEFAULT_REVIEW_INTERVAL_DAYS);
        Some(NextReview {
            date: last + chrono::Duration::days(interval),
            estimated: true,
            interval_days: Some(interval),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::rollup::tests::{entry, register, review};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn on_a_review_day_the_period_is_the_one_that_review_closed() {
        let mut reg = register(vec![]);
        reg.reviews = vec![
            review("2026-03-31", ReviewKind::ManagementReview),
            review("2026-06-30", ReviewKind::ManagementReview),
            review("2026-05-15", ReviewKind::ProgressReview),
        ];
        let p = Period::of(&reg, d("2026-06-30"));
        assert_eq!((p.after, p.until), (d("2026-03-31"), d("2026-06-30")));
        assert_eq!((p.review, p.closed_by), (Some(0), Some(1)));
        let p = Period::of(&reg, d("2026-07-01"));
        assert_eq!(
            (p.after, p.review, p.closed_by),
            (d("2026-06-30"), Some(1), None)
        );
        assert!(p.contains(d("2026-07-01")) && !p.contains(d("2026-06-30")));
    }

    #[test]
    fn counts_cover_the_period_and_the_quarter() {
        let mut a = entry("A", Status::Completed);
        a.completed = Some(d("2026-04-30"));
        let mut b = entry("B", Status::Completed);
        b.completed = Some(d("2026-03-31"));
        let mut reg = register(vec![a, b]);
        reg.reviews = vec![review("2026-03-31", ReviewKind::ManagementReview)];
        let p = Period::of(&reg, d("2026-05-10"));
        assert_eq!(p.counts.completed, 1);
        let q = Quarter::of(&reg, d("2026-05-10"));
        assert_eq!((q.name.as_str(), q.from), ("2026-Q2", d("2026-04-01")));
        assert_eq!(q.counts.completed, 1);
        assert_eq!(Quarter::of(&reg, d("2026-03-31")).counts.completed, 1);
    }

    #[test]
    fn the_next_review_is_set_or_the_usual_interval_after_the_last() {
        let mut reg = register(vec![]);
        assert!(NextReview::of(&reg, d("2026-01-01")).is_none());
        reg.reviews = vec![
            review("2026-01-31", ReviewKind::ManagementReview),
            review("2026-03-31", ReviewKind::ManagementReview),
            review("2026-06-30", ReviewKind::ManagementReview),
        ];
        let n = NextReview::of(&reg, d("2026-07-10")).unwrap();
        // Gaps 59 and 91 days: the median of two is the later one.
        assert_eq!((n.date, n.estimated), (d("2026-09-29"), true));
        reg.site.next_review = Some(d("2026-09-15"));
        let n = NextReview::of(&reg, d("2026-07-10")).unwrap();
        assert_eq!((n.date, n.estimated), (d("2026-09-15"), false));
    }
}
