//! `nonconformities/index.html`: every nonconformity as one finding (one
//! `ref`, however often raised), by severity and state, with what an
//! auditor asks of each (days open, chain, correction, root cause,
//! effectiveness). The state is the whole chain's, from
//! [`crate::compute::nonconformity`].

use super::*;
use crate::compute::nonconformity::{Finding, State};

/// The page's path; written only when some entry records a nonconformity.
pub const PATH: &str = "nonconformities/index.html";

/// The states in the order the page lists them: what needs work first.
const STATES: [State; 4] = [
    State::Reopened,
    State::Open,
    State::AwaitingVerification,
    State::Closed,
];

/// Each finding's row id on the page, in the order of `findings`: the
/// slug of its ref (a redacted ref, shared by several, told apart by its
/// first entry). Refs that differ only where a slug cannot tell (`NC 1`,
/// `nc-1`) would share an id, and every link would land on the first: a
/// later one takes `-2`, `-3`... Made once per render (entry pages link
/// to their findings' rows).
pub(super) fn anchors(findings: &[Finding]) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    findings
        .iter()
        .map(|f| {
            let base = match f.occurrence_ids.first() {
                Some(id) if f.reference == crate::compute::audience::RESTRICTED_REF => {
                    format!("finding-{}-{}", slugify(&f.reference), slugify(id))
                }
                _ => format!("finding-{}", slugify(&f.reference)),
            };
            let mut anchor = base.clone();
            let mut n = 2;
            while !taken.insert(anchor.clone()) {
                anchor = format!("{base}-{n}");
                n += 1;
            }
            anchor
        })
        .collect()
}

pub(super) fn render(site: &RenderContext, theme: &Theme, out: &Out) -> Result<usize> {
    let findings = &site.rollups.findings;
    if findings.is_empty() {
        return Ok(0);
    }
    let groups: Vec<NonconformityGroup> = Severity::ALL
        .iter()
        .filter_map(|sev| group(site, *sev))
        .collect();
    let c = NonconformitiesPage {
        total: findings.len(),
        open: findings.iter().filter(|f| f.state.is_open()).count(),
        states: STATES
            .iter()
            .map(|s| CountView {
                label: site.i18n.keyed("finding-state", s.slug()).to_lowercase(),
                count: findings.iter().filter(|f| f.state == *s).count(),
                url: None,
            })
            .collect(),
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

/// The findings of one severity, by state (reopened first), date raised
/// and ref; `None` when there are none.
fn group(site: &RenderContext, severity: Severity) -> Option<NonconformityGroup> {
    let findings = &site.rollups.findings;
    let mut of: Vec<usize> = (0..findings.len())
        .filter(|i| findings[*i].severity == severity)
        .collect();
    if of.is_empty() {
        return None;
    }
    let rank = |s: State| STATES.iter().position(|x| *x == s).unwrap_or(STATES.len());
    of.sort_by(|a, b| {
        let (a, b) = (&findings[*a], &findings[*b]);
        (rank(a.state), a.raised)
            .cmp(&(rank(b.state), b.raised))
            .then_with(|| natural_cmp(&a.reference, &b.reference))
    });
    Some(NonconformityGroup {
        severity: severity.slug(),
        severity_label: site.i18n.label(severity),
        open: of.iter().filter(|i| findings[**i].state.is_open()).count(),
        rows: of.into_iter().map(|i| finding_view(site, i)).collect(),
    })
}

/// Finding `i` (of the rollups' findings) for templates: its chain as
/// links, what the chain records.
pub(super) fn finding_view(site: &RenderContext, i: usize) -> FindingView {
    let f = &site.rollups.findings[i];
    let anchor = &site.finding_anchors[i];
    let entries = &site.reg.entries;
    let blank = |t: &Option<String>| t.as_deref().is_none_or(|t| t.trim().is_empty());
    // The verdict the state rests on: the last action's review, else (a
    // chain still open) the latest review in it.
    let last = f
        .last_action
        .and_then(|i| entries[i].effectiveness.as_ref())
        .or_else(|| {
            f.chain
                .iter()
                .filter_map(|i| entries[*i].effectiveness.as_ref())
                .max_by_key(|x| x.date)
        });
    FindingView {
        reference: f.reference.clone(),
        url: format!("{PATH}#{anchor}"),
        anchor: anchor.clone(),
        severity: f.severity.slug(),
        severity_label: site.i18n.label(f.severity),
        requirement: f
            .occurrences
            .iter()
            .find_map(|i| entries[*i].nonconformity.as_ref()?.requirement.clone()),
        state: f.state.slug(),
        state_label: site.i18n.keyed("finding-state", f.state.slug()),
        no_follow_up: f.no_follow_up,
        raised: iso(f.raised),
        closed: f.closed.map(iso),
        days_open: f.days_open,
        occurrences: f.occurrences.len(),
        chain: site.entry_links(f.chain.iter().copied()),
        correction: f.chain.iter().any(|i| !blank(&entries[*i].correction)),
        root_cause: f.chain.iter().any(|i| !blank(&entries[*i].root_cause)),
        effectiveness: last.map(|x| x.result.slug()),
        effectiveness_label: last.map(|x| site.i18n.label(x.result)),
    }
}
