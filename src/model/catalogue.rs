//! The optional catalogues beside `controls.yaml`: the organisation's
//! information security objectives (`objectives.yaml`) and its risks
//! (`risks.yaml`). Entries point at them; the catalogues say what each is.

use crate::model::Entry;
use crate::model::diag::Pos;

/// One information security objective (clause 6.2) and the KPIs that
/// measure it.
#[derive(Debug, Clone)]
pub struct Objective {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    /// The objective's target in words ("all staff trained by June").
    pub target: Option<String>,
    /// The KPIs measuring it, as `ENTRY-ID/kpi name`.
    pub kpis: Vec<KpiRef>,
}

/// A KPI named by its entry and its name, where `objectives.yaml` names it.
#[derive(Debug, Clone)]
pub struct KpiRef {
    pub entry: String,
    pub kpi: String,
    pub pos: Pos,
}

/// One risk of the risk register (clause 6.1.2), which entries treat
/// (6.1.3).
#[derive(Debug, Clone)]
pub struct Risk {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    /// The risk level as the organisation's method states it (free text:
    /// `high`, `12`, `amber`).
    pub level: Option<String>,
    /// The chosen treatment in words.
    pub treatment: Option<String>,
}

/// The position of entry `e`'s KPI called `name`, ignoring case and the
/// spaces around it: how `objectives.yaml` names a KPI.
pub fn kpi_named(e: &Entry, name: &str) -> Option<usize> {
    let want = name.trim().to_lowercase();
    e.kpis
        .iter()
        .position(|k| k.name.trim().to_lowercase() == want)
}
