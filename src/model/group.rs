//! A group view's inputs: the figures and rows of each register, as its
//! published `register.json` and `build.json` give them. The group site
//! reads only these public exports, so each register's build stays the
//! single source of its figures.

use serde::{Deserialize, Serialize};

/// The management figures of one register on its as-of date, as
/// `register.json` publishes them under `figures`: what a group view sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Entries published (redacted stubs included).
    pub entries: usize,
    pub open: usize,
    /// Completed in the management-review period (see `rollups.period`).
    pub completed_in_period: usize,
    pub overdue: usize,
    /// Nonconformities (findings) not closed, by severity.
    pub nc_open: BySeverity,
    /// Nonconformities by the state of their chain.
    pub nc_states: ByState,
    /// Effectiveness reviews: `effective` of `reviewed`, of `completed`.
    pub effectiveness: Effectiveness,
    /// KPIs met and missed.
    pub kpis: KpiFigures,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BySeverity {
    pub major: usize,
    pub minor: usize,
    pub observation: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByState {
    pub open: usize,
    pub reopened: usize,
    pub awaiting_verification: usize,
    pub closed: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Effectiveness {
    pub effective: usize,
    pub reviewed: usize,
    pub completed: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KpiFigures {
    pub total: usize,
    pub met: usize,
    pub missed: usize,
}

impl Figures {
    /// Field by field sum: a group's total.
    pub fn add(&mut self, o: &Figures) {
        self.entries += o.entries;
        self.open += o.open;
        self.completed_in_period += o.completed_in_period;
        self.overdue += o.overdue;
        self.nc_open.major += o.nc_open.major;
        self.nc_open.minor += o.nc_open.minor;
        self.nc_open.observation += o.nc_open.observation;
        self.nc_states.open += o.nc_states.open;
        self.nc_states.reopened += o.nc_states.reopened;
        self.nc_states.awaiting_verification += o.nc_states.awaiting_verification;
        self.nc_states.closed += o.nc_states.closed;
        self.effectiveness.effective += o.effectiveness.effective;
        self.effectiveness.reviewed += o.effectiveness.reviewed;
        self.effectiveness.completed += o.effectiveness.completed;
        self.kpis.total += o.kpis.total;
        self.kpis.met += o.kpis.met;
        self.kpis.missed += o.kpis.missed;
    }

    /// Effective of reviewed, in whole percent; `None` with none reviewed.
    pub fn effective_percent(&self) -> Option<usize> {
        let e = &self.effectiveness;
        (e.reviewed > 0).then(|| (e.effective * 100 + e.reviewed / 2) / e.reviewed)
    }
}

/// One entry of a register as the group's combined register shows it.
#[derive(Debug, Clone, Deserialize)]
pub struct GroupEntry {
    pub id: String,
    pub title: String,
    pub status: String,
    pub priority: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub overdue: bool,
    /// The entry's page, relative to its site's root.
    pub url: String,
}

/// One register of a group, read from its exports.
#[derive(Debug, Clone)]
pub struct GroupSource {
    /// The folder or `register.json` named on the command line.
    pub given: std::path::PathBuf,
    /// The site's root folder (the one holding `register.json`).
    pub root: std::path::PathBuf,
    pub title: String,
    pub organization: Option<String>,
    pub as_of: chrono::NaiveDate,
    pub audience: crate::model::Visibility,
    pub base_url: Option<String>,
    pub figures: Figures,
    pub entries: Vec<GroupEntry>,
}
