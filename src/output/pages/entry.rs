//! One page per register entry, with its KPI charts inline.

use super::*;

/// Every entry's page; a page [`RenderContext::keeps`] is taken from the
/// previous site instead, when it has it.
pub(super) fn render_entries(site: &RenderContext, theme: &Theme, out: &Out) -> Result<usize> {
    let counts: Vec<usize> = site
        .reg
        .entries
        .par_iter()
        .enumerate()
        .map(|(i, e)| match site.keeps(i) && out.keep(&page_path(e))? {
            true => Ok(1),
            false => render_entry(site, theme, out, i, e),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(counts.iter().sum())
}

/// The pages of the entries `only` (indices into the register), and no
/// other file: the live preview serves them before the rest.
pub(super) fn render_entry_pages(
    site: &RenderContext,
    theme: &Theme,
    out: &Out,
    only: &[usize],
) -> Result<usize> {
    let entries = &site.reg.entries;
    only.iter()
        .filter_map(|&i| entries.get(i).map(|e| (i, e)))
        .map(|(i, e)| render_entry(site, theme, out, i, e))
        .sum()
}

/// Where entry `e`'s page is written.
pub(super) fn page_path(e: &Entry) -> String {
    format!("register/{}/index.html", e.id)
}

/// What an entry's page shows of other entries, plans, reviews,
/// catalogues and findings: everything it reads beyond the entry itself,
/// its facts and its row (see `deps`, which keys the page on it).
#[derive(Serialize)]
pub(super) struct Neighbours {
    plans: Vec<DatedLink>,
    reviews: Vec<DatedLink>,
    follows_up: Vec<EntryLink>,
    followed_up_by: Vec<EntryLink>,
    related: Vec<EntryLink>,
    controls: Vec<ControlView>,
    risks: Vec<RiskView>,
    findings: Vec<FindingView>,
    effectiveness_due: Option<DueView>,
}

/// Entry `i`'s [`Neighbours`].
pub(super) fn neighbours(site: &RenderContext, i: usize, e: &Entry) -> Neighbours {
    let plans = site.plans_of[i]
        .iter()
        .map(|p| {
            let p = &site.reg.plans[*p];
            DatedLink {
                title: p.title.clone(),
                url: plan_url(&p.slug),
                date: p.updated.map(iso),
            }
        })
        .collect();
    let reviews = site.reviews_of[i]
        .iter()
        .map(|r| {
            let r = &site.reg.reviews[*r];
            DatedLink {
                title: r.title.clone(),
                url: review_url(&r.slug),
                date: Some(iso(r.date)),
            }
        })
        .collect();
    Neighbours {
        plans,
        reviews,
        follows_up: site.entry_links(
            e.follows_up
                .iter()
                .filter_map(|r| site.reg.entry_index(&r.id)),
        ),
        followed_up_by: site.entry_links(site.followed_up_by[i].iter().copied()),
        related: site.entry_links(site.related[i].iter().copied()),
        controls: e.controls.iter().map(|c| site.control_view(c)).collect(),
        risks: e.risks.iter().map(|r| site.risk_view(r)).collect(),
        findings: site.findings_of[i]
            .iter()
            .map(|f| nonconformities::finding_view(site, *f))
            .collect(),
        effectiveness_due: crate::compute::effectiveness::due_of(site.reg, i, site.rollups.as_of)
            .map(|d| due_view(site, &d)),
    }
}

fn render_entry(
    site: &RenderContext,
    theme: &Theme,
    out: &Out,
    i: usize,
    e: &Entry,
) -> Result<usize> {
    const ROOT: &str = ITEM_ROOT;
    let md = &site.entry_html(i);
    let mut kpis = Vec::new();
    for (k, kpi) in e.kpis.iter().enumerate() {
        // Inline: one file per KPI was most of the files of a large site.
        let chart = chart::kpi_chart(&e.id, k, kpi, &site.i18n);
        let latest = kpi.measurements.last();
        kpis.push(KpiView {
            name: kpi.name.clone(),
            unit: kpi.unit.clone(),
            baseline: kpi.baseline,
            target: kpi.target,
            direction_label: site.i18n.label(kpi.direction),
            latest: latest.map(|m| m.value),
            latest_date: latest.map(|m| iso(m.date)),
            met: match (latest, kpi.target) {
                (Some(m), Some(t)) => Some(match kpi.direction {
                    Direction::Increase => m.value >= t,
                    Direction::Decrease => m.value <= t,
                }),
                _ => None,
            },
            chart: chart.map(inline_chart_view_of),
        });
    }
    let history: Vec<HistoryView> = e
        .history
        .iter()
        .zip(&md.history_notes)
        .map(|(h, note)| HistoryView {
            date: iso(h.date),
            status: h.status.map(|s| s.slug()),
            status_label: h.status.map(|s| site.i18n.label(s)),
            note_html: note.as_deref(),
            target: h.target.map(iso),
            reason: h.reason.as_deref(),
        })
        .collect();
    let timeline: Vec<(String, &'static str, &'static str)> = site.facts[i]
        .timeline
        .iter()
        .map(|(d, s)| (iso(*d), s.slug(), site.i18n.label(*s)))
        .collect();
    let links: Vec<LinkView> = e
        .links
        .iter()
        .map(|l| match &l.target {
            LinkTarget::Web(u) => LinkView {
                title: l.title.clone(),
                href: u.clone(),
                external: true,
            },
            LinkTarget::Evidence(p) => LinkView {
                title: l.title.clone(),
                href: format!(
                    "{ROOT}evidence/{}",
                    p.split('/')
                        .map(encode_segment)
                        .collect::<Vec<_>>()
                        .join("/")
                ),
                external: false,
            },
        })
        .collect();
    let n = neighbours(site, i, e);
    let extra: Vec<(String, String)> = e
        .extra
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();

    let c = EntryPage {
        e: site.row_of(i),
        description_html: md.text(Field::Description).map(String::as_str),
        outcome_html: md.text(Field::Outcome).map(String::as_str),
        lessons_html: md.text(Field::Lessons).map(String::as_str),
        resources_html: md.text(Field::Resources).map(String::as_str),
        more_texts: schema::ENTRY
            .iter()
            .filter(|s| !s.named_on_page)
            .filter_map(|s| {
                md.text(s.field).map(|html| TextView {
                    key: s.key,
                    label: s.label,
                    html,
                })
            })
            .collect(),
        benefit: e.benefit.map(|l| site.i18n.label(l)),
        effort: e.effort.map(|l| site.i18n.label(l)),
        effectiveness: e.effectiveness.as_ref().map(|x| EffectivenessView {
            date: iso(x.date),
            result: x.result.slug(),
            result_label: site.i18n.label(x.result),
            by: x.by.as_deref(),
            note_html: md.effectiveness_note.as_deref(),
        }),
        history,
        timeline,
        kpis,
        links,
        plans: n.plans,
        reviews: n.reviews,
        extra,
        nonconformity: e
            .nonconformity
            .as_ref()
            .map(|n| nonconformity_view(&site.i18n, n, md.nc_statement.as_deref())),
        correction_html: md.text(Field::Correction).map(String::as_str),
        root_cause_html: md.text(Field::RootCause).map(String::as_str),
        follows_up: n.follows_up,
        followed_up_by: n.followed_up_by,
        related: n.related,
        controls: n.controls,
        risks: n.risks,
        revisions: revisions_view(&e.revisions),
        findings: n.findings,
        effectiveness_due: n.effectiveness_due,
    };
    let frame = Frame {
        root: ROOT,
        section: "register",
    };
    let html = render_page(theme, "entry.html", frame, &c)?;
    out.write(&page_path(e), html.as_bytes())?;
    Ok(1)
}

/// A nonconformity for templates; `statement_html` is its rendered
/// statement.
pub(super) fn nonconformity_view<'a>(
    i18n: &Catalogue,
    n: &'a Nonconformity,
    statement_html: Option<&'a str>,
) -> NonconformityView<'a> {
    NonconformityView {
        reference: &n.reference,
        severity: n.severity.slug(),
        severity_label: i18n.label(n.severity),
        requirement: n.requirement.as_deref(),
        raised: iso(n.raised),
        by: n.by.as_deref(),
        statement_html,
    }
}
