//! `objectives/index.html`: every KPI of the register with its latest
//! value, target, standing and a small trend, grouped by the information
//! security objective it measures (`objectives.yaml`); KPIs no objective
//! names come last, under "Other KPIs". Figures from
//! [`crate::compute::objectives`], on the register as of the build's date.

use super::*;
use crate::compute::objectives::{self, Group, KpiState, Standing};
use crate::output::chart::spark;

/// The page's path; written when the register has a KPI or an objective.
pub const PATH: &str = "objectives/index.html";

/// Whether the site has the page (and the navigation links to it).
pub fn present(reg: &Register) -> bool {
    reg.objectives.as_ref().is_some_and(|o| !o.is_empty())
        || reg.entries.iter().any(|e| !e.kpis.is_empty())
}

fn number(v: f64, i18n: &Catalogue) -> String {
    let text = if (v - v.round()).abs() < 1e-9 && v.abs() < 1e15 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    };
    i18n.number(&text)
}

fn row(site: &RenderContext, s: &KpiState) -> KpiRow {
    let i18n = &site.i18n;
    let e = &site.reg.entries[s.entry];
    let k = &e.kpis[s.kpi];
    KpiRow {
        entry_id: e.id.clone(),
        entry_title: e.title.clone(),
        entry_url: entry_url(&e.id),
        name: k.name.clone(),
        unit: k.unit.clone(),
        latest: s.latest.map(|m| number(m.value, i18n)),
        latest_date: s.latest.map(|m| iso(m.date)),
        target: k.target.map(|t| number(t, i18n)),
        direction_label: i18n.label(k.direction),
        standing: s.standing.slug(),
        standing_label: i18n.keyed("standing", s.standing.slug()),
        trend: spark::sparkline(k, i18n),
    }
}

/// How many of the KPIs no objective names the page lists. Those grow
/// with the register (15,000 at 10,000 synthetic entries made the page
/// 13 MB); each is also on its entry's page and in the exports.
pub const OTHER_MAX: usize = 100;

fn view(site: &RenderContext, g: &Group) -> ObjectiveView {
    let reg = site.reg;
    let count = |st: Standing| g.kpis.iter().filter(|s| s.standing == st).count();
    let o = g.objective.and_then(|n| reg.objectives.as_ref()?.get(n));
    // An objective's own KPIs are the author's list in objectives.yaml:
    // all shown.
    let shown = match g.objective {
        Some(_) => g.kpis.len(),
        None => g.kpis.len().min(OTHER_MAX),
    };
    ObjectiveView {
        anchor: match o {
            Some(o) => format!("objective-{}", slugify(&o.id)),
            None => "other-kpis".to_string(),
        },
        id: o.map(|o| o.id.clone()),
        title: o.map_or_else(
            || site.i18n.t("other-kpis").to_string(),
            |o| o.title.clone(),
        ),
        owner: o.and_then(|o| o.owner.clone()),
        target: o.and_then(|o| o.target.clone()),
        met: count(Standing::Met),
        missed: count(Standing::Missed),
        rows: g.kpis.iter().take(shown).map(|s| row(site, s)).collect(),
        total: g.kpis.len(),
        more: g.kpis.len() - shown,
    }
}

pub(super) fn render(site: &RenderContext, theme: &Theme, out: &Out) -> Result<usize> {
    let reg = site.reg;
    if !present(reg) {
        return Ok(0);
    }
    let day = site.rollups.as_of;
    let c = ObjectivesPage {
        counts: objectives::counts(reg, day),
        objective_count: reg.objectives.as_ref().map_or(0, Vec::len),
        groups: objectives::groups(reg, day)
            .iter()
            .map(|g| view(site, g))
            .collect(),
    };
    let frame = Frame {
        root: "../",
        section: "objectives",
    };
    let html = render_page(theme, "objectives.html", frame, &c)?;
    out.write(PATH, html.as_bytes())?;
    Ok(1)
}
