//! A group view's figures: each register's published figures summed, the
//! as-of date they are compared on, and which registers differ from it
//! or may not be shown to the group's audience.

use crate::model::Visibility;
use crate::model::group::{Figures, GroupSource};
use chrono::NaiveDate;

/// The group's totals and what the reader must be told about them.
#[derive(Debug, Clone)]
pub struct GroupFigures {
    /// The sum of every register's figures.
    pub total: Figures,
    /// The date the group is as of: `--as-of`, else the latest register's.
    pub as_of: NaiveDate,
    /// Registers (by position) whose as-of date is another: flagged
    /// wherever their figures appear, never mixed silently.
    pub differing: Vec<usize>,
}

/// Sums the figures of `sources`, against `as_of` (else the latest date).
pub fn summarise(sources: &[GroupSource], as_of: Option<NaiveDate>) -> GroupFigures {
    let as_of = as_of
        .or_else(|| sources.iter().map(|s| s.as_of).max())
        .unwrap_or_default();
    let mut total = Figures::default();
    for s in sources {
        total.add(&s.figures);
    }
    GroupFigures {
        total,
        as_of,
        differing: sources
            .iter()
            .enumerate()
            .filter(|(_, s)| s.as_of != as_of)
            .map(|(i, _)| i)
            .collect(),
    }
}

/// Whether a register built for `built_for` may be published to
/// `audience`: only when its audience is the group's or a wider one
/// (fewer readers see more: a restricted register holds what a public
/// group may not show).
pub fn may_show(built_for: Visibility, audience: Visibility) -> bool {
    built_for <= audience
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrower_register_is_refused_for_a_wider_audience() {
        assert!(may_show(Visibility::Public, Visibility::Internal));
        assert!(may_show(Visibility::Internal, Visibility::Internal));
        assert!(!may_show(Visibility::Restricted, Visibility::Internal));
        assert!(!may_show(Visibility::Internal, Visibility::Public));
    }
}
