//! `risks/index.html`: the risk catalogue (`risks.yaml`) with the entries
//! treating each risk (ISO/IEC 27001 6.1.3), one section per risk that
//! entry pages link to; then the risk ids entries name that the catalogue
//! does not list (`check` warns about those).

use super::*;

/// The page's path; written when there is a catalogue or an entry names
/// a risk.
pub const PATH: &str = "risks/index.html";

/// Whether the site has the page (and the navigation links to it).
pub fn present(reg: &Register) -> bool {
    reg.risks.as_ref().is_some_and(|r| !r.is_empty())
        || reg.entries.iter().any(|e| !e.risks.is_empty())
}

/// Each risk id, lower-cased (ids match ignoring case), with its slug:
/// the catalogue's and those entries name.
pub(super) fn slugs(reg: &Register) -> HashMap<String, String> {
    let ids: Vec<String> = reg
        .risks
        .iter()
        .flatten()
        .map(|r| r.id.to_lowercase())
        .chain(
            reg.entries
                .iter()
                .flat_map(|e| e.risks.iter().map(|r| r.to_lowercase())),
        )
        .collect();
    unique_slugs(ids.iter())
}

/// A risk's section on the page.
pub(super) fn url(slug: &str) -> String {
    format!("{PATH}#risk-{}", encode_segment(slug))
}

/// The entries naming each risk (by lower-cased id), in register order.
fn treated_by(reg: &Register) -> BTreeMap<String, Vec<usize>> {
    let mut out: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, e) in reg.entries.iter().enumerate() {
        for r in &e.risks {
            let list = out.entry(r.to_lowercase()).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    out
}

pub(super) fn render(site: &RenderContext, theme: &Theme, out: &Out) -> Result<usize> {
    let reg = site.reg;
    if !present(reg) {
        return Ok(0);
    }
    let mut by = treated_by(reg);
    let mut catalogued = Vec::new();
    for r in reg.risks.iter().flatten() {
        let key = r.id.to_lowercase();
        let entries = by.remove(&key).unwrap_or_default();
        catalogued.push(RiskSection {
            anchor: format!("risk-{}", site.risk_slugs[&key]),
            id: &r.id,
            title: Some(&r.title),
            owner: r.owner.as_deref(),
            level: r.level.as_deref(),
            treatment: r.treatment.as_deref(),
            entries: site.entry_links(entries),
        });
    }
    let mut uncatalogued = Vec::new();
    for (key, entries) in &by {
        // Shown as the first entry wrote it.
        let Some(written) = entries.first().and_then(|i| {
            reg.entries[*i]
                .risks
                .iter()
                .find(|r| r.to_lowercase() == *key)
        }) else {
            continue;
        };
        uncatalogued.push(RiskSection {
            anchor: format!("risk-{}", site.risk_slugs[key]),
            id: written,
            title: None,
            owner: None,
            level: None,
            treatment: None,
            entries: site.entry_links(entries.iter().copied()),
        });
    }
    uncatalogued.sort_by(|a, b| natural_cmp(a.id, b.id));
    let c = RisksPage {
        treated: reg.entries.iter().filter(|e| !e.risks.is_empty()).count(),
        catalogued,
        uncatalogued,
    };
    let frame = Frame {
        root: "../",
        section: "risks",
    };
    let html = render_page(theme, "risks.html", frame, &c)?;
    out.write(PATH, html.as_bytes())?;
    Ok(1)
}
