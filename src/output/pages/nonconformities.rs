//! `nonconformities/index.html`: every entry that records a nonconformity,
//! by severity and status, with what an auditor asks of each (days open,
//! correction, root cause, effectiveness).

use super::entry::nonconformity_view;
use super::*;

/// The page's path; written only when some entry records a nonconformity.
pub const PATH: &str = "nonconformities/index.html";

pub(super) fn render(site: &RenderContext, theme: &Theme, out: &Out) -> Result<usize> {
    let entries = &site.reg.entries;
    let with_nc: Vec<usize> = (0..entries.len())
        .filter(|i| entries[*i].nonconformity.is_some())
        .collect();
    if with_nc.is_empty() {
        return Ok(0);
    }
    let groups: Vec<NonconformityGroup> = Severity::ALL
        .iter()
        .filter_map(|sev| group(site, &with_nc, *sev))
        .collect();
    let c = NonconformitiesPage {
        total: with_nc.len(),
        open: with_nc
            .iter()
            .filter(|i| entries[**i].status.is_open())
            .count(),
        groups,
    };
    let frame = Frame {
        root: "../",
        section: "nonconformities",
    };
    let html = render_page(theme, "nonconformities.html", frame, &c)?;
    out.write(PATH, html.as_bytes())?;
    Ok(1)
}

/// The entries of one severity, open first, then by status, date raised
/// and id; `None` when there are none.
fn group<'a>(
    site: &'a RenderContext,
    with_nc: &[usize],
    severity: Severity,
) -> Option<NonconformityGroup<'a>> {
    let entries = &site.reg.entries;
    let nc = |i: usize| entries[i].nonconformity.as_ref();
    let mut idx: Vec<usize> = with_nc
        .iter()
        .copied()
        .filter(|i| nc(*i).map(|n| n.severity) == Some(severity))
        .collect();
    if idx.is_empty() {
        return None;
    }
    idx.sort_by(|a, b| {
        let key = |i: usize| {
            let e = &entries[i];
            (
                !e.status.is_open(),
                rollup::status_index(e.status),
                nc(i).map(|n| n.raised),
            )
        };
        key(*a)
            .cmp(&key(*b))
            .then_with(|| natural_cmp(&entries[*a].id, &entries[*b].id))
    });
    let rows: Vec<NonconformityRow> = idx.iter().map(|i| row(site, *i)).collect();
    Some(NonconformityGroup {
        severity: severity.slug(),
        severity_label: severity.label(),
        open: idx.iter().filter(|i| entries[**i].status.is_open()).count(),
        rows,
    })
}

fn row<'a>(site: &'a RenderContext, i: usize) -> NonconformityRow<'a> {
    let e = &site.reg.entries[i];
    let blank = |t: &Option<String>| t.as_deref().is_none_or(|t| t.trim().is_empty());
    NonconformityRow {
        e: site.row_of(i),
        nc: e
            .nonconformity
            .as_ref()
            .map(|n| nonconformity_view(n, None))
            .unwrap_or_default(),
        days_open: rollup::nc_days_open(e, site.rollups.as_of),
        correction: !blank(&e.correction),
        root_cause: !blank(&e.root_cause),
        effectiveness: e.effectiveness.as_ref().map(|x| x.result.slug()),
        effectiveness_label: e.effectiveness.as_ref().map(|x| x.result.label()),
        followed_up_by: site.entry_links(site.followed_up_by[i].iter().copied()),
    }
}
