//! How every KPI of the register stands on the as-of date, grouped by the
//! information security objective it measures (ISO/IEC 27001 6.2, 9.1):
//! what the objectives page lists and the dashboard counts.
//!
//! The register is already cut back to the as-of date (`compute::asof`
//! drops later measurements), so "latest" is the latest as it stood.

use crate::compute::pack::{KpiResult, kpi_result};
use crate::model::*;
use chrono::NaiveDate;
use serde::Serialize;

/// A KPI's standing: met or missed its target, measured without a target,
/// or not measured at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    Met,
    Missed,
    NoTarget,
    NoData,
}

impl Standing {
    pub fn slug(self) -> &'static str {
        match self {
            Standing::Met => "met",
            Standing::Missed => "missed",
            Standing::NoTarget => "no-target",
            Standing::NoData => "no-data",
        }
    }
}

/// One KPI: its entry and position there, latest measurement and standing.
#[derive(Debug, Clone)]
pub struct KpiState {
    pub entry: usize,
    pub kpi: usize,
    pub latest: Option<Measurement>,
    pub standing: Standing,
}

/// The KPIs of one objective (`None`: those no objective names).
#[derive(Debug, Clone)]
pub struct Group {
    pub objective: Option<usize>,
    pub kpis: Vec<KpiState>,
}

/// Counts over every KPI of the register, each counted once however many
/// objectives name it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KpiCounts {
    pub total: usize,
    pub met: usize,
    pub missed: usize,
    pub no_target: usize,
    pub no_data: usize,
}

/// How `k` stands at the end of `day`.
pub fn standing(k: &Kpi, day: NaiveDate) -> (Option<Measurement>, Standing) {
    match kpi_result(k, day) {
        None => (None, Standing::NoData),
        Some((m, r)) => (
            Some(m),
            match r {
                KpiResult::Met => Standing::Met,
                KpiResult::Missed => Standing::Missed,
                KpiResult::NoTarget => Standing::NoTarget,
            },
        ),
    }
}

fn state(reg: &Register, entry: usize, kpi: usize, day: NaiveDate) -> KpiState {
    let (latest, standing) = standing(&reg.entries[entry].kpis[kpi], day);
    KpiState {
        entry,
        kpi,
        latest,
        standing,
    }
}

/// Every KPI counted once.
pub fn counts(reg: &Register, day: NaiveDate) -> KpiCounts {
    let mut c = KpiCounts::default();
    for k in reg.entries.iter().flat_map(|e| &e.kpis) {
        c.total += 1;
        match standing(k, day).1 {
            Standing::Met => c.met += 1,
            Standing::Missed => c.missed += 1,
            Standing::NoTarget => c.no_target += 1,
            Standing::NoData => c.no_data += 1,
        }
    }
    c
}

/// The objectives in their file's order, each with the KPIs it names that
/// this register holds (a KPI of an entry the build leaves out, by date
/// or audience, is not listed), then the KPIs no objective names, in
/// register order. Objectives without a KPI are kept: an objective not
/// yet measured is worth seeing.
pub fn groups(reg: &Register, day: NaiveDate) -> Vec<Group> {
    let mut named = vec![Vec::<bool>::new(); reg.entries.len()];
    for (i, e) in reg.entries.iter().enumerate() {
        named[i] = vec![false; e.kpis.len()];
    }
    let mut out = Vec::new();
    for (n, o) in reg.objectives.iter().flatten().enumerate() {
        let mut kpis = Vec::new();
        for r in &o.kpis {
            let Some(i) = reg.entry_index(&r.entry) else {
                continue;
            };
            let Some(k) = kpi_named(&reg.entries[i], &r.kpi) else {
                continue;
            };
            if kpis.iter().any(|s: &KpiState| s.entry == i && s.kpi == k) {
                continue;
            }
            named[i][k] = true;
            kpis.push(state(reg, i, k, day));
        }
        out.push(Group {
            objective: Some(n),
            kpis,
        });
    }
    let other: Vec<KpiState> = named
        .iter()
        .enumerate()
        .flat_map(|(i, ks)| {
            ks.iter()
                .enumerate()
                .filter(|(_, n)| !**n)
                .map(move |(k, _)| (i, k))
        })
        .map(|(i, k)| state(reg, i, k, day))
        .collect();
    if !other.is_empty() {
        out.push(Group {
            objective: None,
            kpis: other,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::rollup::tests::entry;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn kpi(name: &str, target: f64, points: &[(&str, f64)]) -> Kpi {
        Kpi {
            name: name.into(),
            unit: None,
            baseline: None,
            target: Some(target),
            direction: Direction::Increase,
            measurements: points
                .iter()
                .map(|(day, value)| Measurement {
                    date: d(day),
                    value: *value,
                })
                .collect(),
        }
    }

    fn register() -> Register {
        let mut a = entry("A-1", Status::InProgress);
        a.kpis = vec![
            kpi(
                "Coverage",
                90.0,
                &[("2026-01-31", 80.0), ("2026-03-31", 95.0)],
            ),
            kpi("Speed", 10.0, &[]),
        ];
        let mut b = entry("B-2", Status::InProgress);
        b.kpis = vec![kpi("Trained", 50.0, &[("2026-02-28", 40.0)])];
        let mut reg = crate::compute::rollup::tests::register(vec![a, b]);
        reg.objectives = Some(vec![Objective {
            id: "O1".into(),
            title: "Know our assets".into(),
            owner: None,
            target: None,
            kpis: vec![KpiRef {
                entry: "a-1".into(),
                kpi: " coverage".into(),
                pos: crate::model::diag::Pos::START,
            }],
        }]);
        reg
    }

    #[test]
    fn kpis_are_grouped_by_objective_and_the_rest_are_other() {
        let reg = register();
        let g = groups(&reg, d("2026-06-30"));
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].objective, Some(0));
        assert_eq!(g[0].kpis.len(), 1);
        assert_eq!(g[0].kpis[0].standing, Standing::Met);
        assert_eq!(g[1].objective, None);
        let other: Vec<(usize, usize)> = g[1].kpis.iter().map(|s| (s.entry, s.kpi)).collect();
        assert_eq!(other, vec![(0, 1), (1, 0)]);
        let c = counts(&reg, d("2026-06-30"));
        assert_eq!((c.total, c.met, c.missed, c.no_data), (3, 1, 1, 1));
    }

    /// An as-of build shows each KPI as it stood: the projection drops
    /// later measurements, so a KPI met in March was missed in February.
    #[test]
    fn an_as_of_build_shows_each_kpi_as_it_stood() {
        let day = d("2026-02-28");
        let reg = crate::compute::asof::register_on(register(), day);
        assert!(reg.objectives.is_some(), "the catalogue survives the cut");
        let g = groups(&reg, day);
        let s = &g[0].kpis[0];
        assert_eq!(s.standing, Standing::Missed);
        assert_eq!(s.latest.map(|m| m.value), Some(80.0));
        let c = counts(&reg, d("2026-01-01"));
        assert_eq!((c.met, c.missed, c.no_data), (0, 0, 3));
    }
}
