//! The management review input pack (ISO/IEC 27001 9.3.2): for every
//! management review, `reviews/<stem>/input/index.html` and
//! `reviews/<stem>/changes.json`; for the review ahead,
//! `review-input/index.html` and `review-input/changes.json`.
//!
//! A pack covers the period `(from, to]` since the previous management
//! review (see [`pack::period`]) and reads every entry as it stood on its
//! last day, so the pack of a review held last year says what the
//! register said on that review's day, whatever happened since.

use super::*;
use crate::compute::asof;
use crate::compute::changes::{self, Changes};
use crate::compute::nonconformity::{self, State as FindingState};
use crate::compute::pack::{self, Period};
use crate::compute::sweep::{self, DateIndex, KpiDay};

/// Items shown per list of a pack; the rest are counted. A pack is read
/// and printed whole, so the bound is higher than a web page's
/// [`LIST_MAX`], but a large register must not make it endless.
pub const PACK_MAX: usize = 100;

/// The register as it stood on the pack's last day: each entry's status
/// then, read from its timeline when asked for, without copying the entry
/// or reading the others (a pack is made for every management review,
/// and a register may hold many entries).
struct Day<'a> {
    reg: &'a Register,
    facts: &'a [EntryFacts],
    i18n: &'a Catalogue,
    day: NaiveDate,
}

impl<'a> Day<'a> {
    /// Entry `i`'s status on the day; `None` before it was identified.
    fn status(&self, i: usize) -> Option<Status> {
        (self.reg.entries[i].identified <= self.day)
            .then(|| crate::compute::timeline::status_on(&self.facts[i].timeline, self.day))
            .flatten()
    }

    /// Entry `i` as the pack lists it, if it existed on the day.
    fn entry(&self, i: usize) -> Option<PackEntry> {
        Some(pack_entry(&self.reg.entries[i], self.status(i)?, self.i18n))
    }

    /// The entry with this id as the pack lists it, and its status on the
    /// day, if it existed.
    fn by_id(&self, id: &str) -> Option<(PackEntry, Status)> {
        let i = self.reg.entry_index(id)?;
        Some((self.entry(i)?, self.status(i)?))
    }
}

/// What every pack reads, made once for all of them: the index of the
/// days entries change, each pack day's KPI results (one sweep) and the
/// entries that can belong to a finding's chain.
struct Shared {
    index: DateIndex,
    /// By pack day.
    kpis: BTreeMap<NaiveDate, KpiDay>,
    /// Entries carrying a finding or following one up, in register order.
    chainable: Vec<usize>,
}

impl Shared {
    fn new(site: &RenderContext, days: &[NaiveDate]) -> Shared {
        let entries = &site.reg.entries;
        let kpis = sweep::kpi_days(site.reg, days, PACK_MAX);
        Shared {
            index: DateIndex::new(entries, site.facts),
            kpis: days.iter().copied().zip(kpis).collect(),
            chainable: (0..entries.len())
                .filter(|&i| {
                    entries[i].nonconformity.is_some() || !entries[i].follows_up.is_empty()
                })
                .collect(),
        }
    }
}

/// Entry `e` as a pack lists it, with its status on the pack's day.
fn pack_entry(e: &Entry, status: Status, i18n: &Catalogue) -> PackEntry {
    PackEntry {
        id: e.id.clone(),
        title: e.title.clone(),
        url: entry_url(&e.id),
        status: status.slug(),
        status_label: i18n.label(status),
        owner: e.owner.clone(),
    }
}

/// The first [`PACK_MAX`] of `keys` made into items by `make`, and how
/// many keys there are: the rest are counted, never made.
fn bounded<K, T>(mut keys: impl Iterator<Item = K>, make: impl Fn(K) -> T) -> PackList<T> {
    let items: Vec<T> = keys.by_ref().take(PACK_MAX).map(make).collect();
    let total = items.len() + keys.count();
    PackList { items, total }
}

fn review_link(r: &Review) -> DatedLink {
    DatedLink {
        title: r.title.clone(),
        url: review_url(&r.slug),
        date: Some(iso(r.date)),
    }
}

/// (a) The decisions of earlier reviews: every decision of a review held
/// from the previous management review on, and older ones not done when
/// the period began.
fn decisions(day: &Day, p: &Period) -> Vec<DecisionView> {
    let mut reviews: Vec<&Review> = day.reg.reviews.iter().filter(|r| r.date < p.to).collect();
    if p.previous.is_some_and(|i| day.reg.reviews[i].date == p.to) {
        // The review ahead on a review's day: that review's decisions.
        reviews.extend(p.previous.map(|i| &day.reg.reviews[i]));
    }
    reviews.sort_by_key(|r| r.date);
    let mut out = Vec::new();
    for r in reviews {
        for d in &r.decisions {
            if r.date < p.from && done_by(day.reg, d, p.from) {
                continue;
            }
            out.push(decision_view(|id| day.by_id(id), day.i18n, day.day, r, d));
        }
    }
    out
}

/// Whether a decision was done by the end of `day`: an older decision
/// done before the period is not an input any more.
fn done_by(reg: &Register, d: &Decision, day: NaiveDate) -> bool {
    let statuses: Vec<Status> = d
        .entries
        .iter()
        .filter_map(|id| reg.entry_index(id))
        .filter_map(|i| asof::entry_on(&reg.entries[i], day))
        .map(|e| e.status)
        .collect();
    pack::decision_state(d, &statuses, day) == pack::DecisionState::Done
}

/// One decision of `r` on `day`, its entries found by `entry` as they
/// stood then.
fn decision_view(
    entry: impl Fn(&str) -> Option<(PackEntry, Status)>,
    i18n: &Catalogue,
    day: NaiveDate,
    r: &Review,
    d: &Decision,
) -> DecisionView {
    let (entries, statuses): (Vec<PackEntry>, Vec<Status>) =
        d.entries.iter().filter_map(|id| entry(id)).unzip();
    let state = pack::decision_state(d, &statuses, day);
    DecisionView {
        text: d.text.clone(),
        review: review_link(r),
        owner: d.owner.clone(),
        due: d.due.map(iso),
        state: state.slug(),
        state_label: i18n.keyed("decision-state", state.slug()),
        entries,
    }
}

/// A review's own decisions, for its page: what became of them by the
/// build's as-of date (`reg` is already cut back to it).
pub(super) fn own_decisions(
    reg: &Register,
    i18n: &Catalogue,
    r: &Review,
    as_of: NaiveDate,
) -> Vec<DecisionView> {
    if r.decisions.is_empty() {
        return Vec::new();
    }
    let entry = |id: &str| {
        let e = &reg.entries[reg.entry_index(id)?];
        Some((pack_entry(e, e.status, i18n), e.status))
    };
    r.decisions
        .iter()
        .map(|d| decision_view(entry, i18n, as_of, r, d))
        .collect()
}

/// (b) The changes as the page shows them.
fn changes_view(day: &Day, c: &Changes) -> ChangesView {
    let entry = |id: &str| day.by_id(id).map(|(e, _)| e).unwrap_or_default();
    let ids = |list: &[String]| bounded(list.iter(), |id| entry(id));
    let date = |d: Option<NaiveDate>| d.map(iso).unwrap_or_else(|| "none".into());
    ChangesView {
        new: ids(&c.new),
        completed: ids(&c.completed),
        cancelled: ids(&c.cancelled),
        status: bounded(c.status.iter(), |s| MoveView {
            entry: entry(&s.id),
            from: day.i18n.label(s.from).into(),
            to: day.i18n.label(s.to).into(),
        }),
        target: bounded(c.target.iter(), |t| MoveView {
            entry: entry(&t.id),
            from: date(t.from),
            to: date(t.to),
        }),
        effectiveness: bounded(c.effectiveness.iter(), |v| MoveView {
            entry: entry(&v.id),
            from: String::new(),
            to: day.i18n.label(v.result).into(),
        }),
    }
}

/// (c) Nonconformities: every finding not closed before the period, judged
/// by its whole chain ([`nonconformity::findings_in`], the rule of the
/// dashboard and the nonconformities page). Only the entries that can be
/// part of a chain (carrying a finding, or following up an entry) are
/// projected onto the day.
fn set_findings(day: &Day, shared: &Shared, p: &Period, c: &mut ReviewInputPage) {
    let chained: Vec<Entry> = shared
        .chainable
        .iter()
        .filter(|&&i| day.status(i).is_some())
        .filter_map(|&i| asof::entry_on(&day.reg.entries[i], day.day))
        .collect();
    let in_period = |d: Option<NaiveDate>| d.is_some_and(|d| d > p.from);
    let all = nonconformity::findings_in(&chained, day.day);
    let verdict = |f: &nonconformity::Finding| verdict_of(f, &chained);
    let decided_in_period = |f: &nonconformity::Finding, s| f.state == s && in_period(verdict(f));
    c.findings_new = all.iter().filter(|f| in_period(Some(f.raised))).count();
    c.findings_closed = all
        .iter()
        .filter(|f| decided_in_period(f, FindingState::Closed))
        .count();
    c.findings_reopened = all
        .iter()
        .filter(|f| decided_in_period(f, FindingState::Reopened))
        .count();
    c.findings_open = all.iter().filter(|f| f.state.is_open()).count();
    let shown = all
        .into_iter()
        .filter(|f| f.state.is_open() || in_period(Some(f.raised)) || in_period(verdict(f)));
    c.findings = bounded(shown, |f| PackFindingView {
        new: in_period(Some(f.raised)),
        severity: f.severity.slug(),
        severity_label: day.i18n.label(f.severity),
        raised: iso(f.raised),
        state: f.state.slug(),
        state_label: day.i18n.keyed("finding-state", f.state.slug()),
        verdict: verdict(&f).map(iso),
        entries: f
            .chain
            .iter()
            .map(|&k| pack_entry(&chained[k], chained[k].status, day.i18n))
            .collect(),
        reference: f.reference,
    });
}

/// The day of the effectiveness review that decided a finding: the one
/// that closed it, or the latest not-effective one of a reopened chain.
fn verdict_of(f: &nonconformity::Finding, chained: &[Entry]) -> Option<NaiveDate> {
    match f.state {
        FindingState::Closed => f.closed,
        FindingState::Reopened => f
            .chain
            .iter()
            .filter_map(|&k| chained[k].effectiveness.as_ref())
            .filter(|x| x.result != EffectivenessResult::Effective)
            .map(|x| x.date)
            .max(),
        _ => None,
    }
}

/// (c) Monitoring results: each KPI's latest value on the day against
/// its target, counted over the register by [`sweep::kpi_days`].
fn set_kpis(day: &Day, kpis: &KpiDay, p: &Period, c: &mut ReviewInputPage) {
    c.kpis_met = kpis.met;
    c.kpis_missed = kpis.missed;
    c.kpis_no_target = kpis.no_target;
    let items = kpis
        .first
        .iter()
        .filter_map(|&(i, k)| {
            let kpi = &day.reg.entries[i].kpis[k];
            let (m, result) = pack::kpi_result(kpi, day.day)?;
            Some(KpiResultView {
                entry: day.entry(i).unwrap_or_default(),
                name: kpi.name.clone(),
                unit: kpi.unit.clone(),
                value: m.value,
                date: iso(m.date),
                in_period: m.date > p.from,
                target: kpi.target,
                direction_label: day.i18n.label(kpi.direction),
                result: result.slug(),
            })
        })
        .collect();
    c.kpis = PackList {
        items,
        total: kpis.total,
    };
}

/// The entries identified in the period that `keep` selects.
fn identified_in(
    day: &Day,
    shared: &Shared,
    p: &Period,
    keep: impl Fn(&Entry) -> bool,
) -> PackList<PackEntry> {
    let selected = shared
        .index
        .identified_in(p.from, p.to)
        .into_iter()
        .filter(|&i| keep(&day.reg.entries[i]));
    bounded(selected, |i| day.entry(i).unwrap_or_default())
}

/// The pack for the period `p`, and its changes.
fn pack_page(
    site: &RenderContext,
    shared: &Shared,
    p: &Period,
    review: Option<&Review>,
) -> (ReviewInputPage, Changes) {
    let reg = site.reg;
    let day = Day {
        reg,
        facts: site.facts,
        i18n: &site.i18n,
        day: p.to,
    };
    let changes = changes::between_indexed(&reg.entries, site.facts, &shared.index, p.from, p.to);
    let is_audit = |r: &&Review| {
        matches!(
            r.kind,
            ReviewKind::InternalAudit | ReviewKind::ExternalAudit
        )
    };
    let from_audit = |e: &Entry| {
        matches!(
            e.source,
            Some(Source::InternalAudit | Source::ExternalAudit)
        )
    };
    let mut c = ReviewInputPage {
        title: match review {
            Some(r) => format!("{}: {}", site.i18n.t("input-pack"), r.title),
            None => site.i18n.t("input-pack-next").into(),
        },
        ahead: review.is_none(),
        review: review.map(review_link),
        previous: p.previous.map(|i| review_link(&reg.reviews[i])),
        from: iso(p.from),
        to: iso(p.to),
        changes_url: match review {
            Some(r) => format!("reviews/{}/changes.json", encode_segment(&r.slug)),
            None => "review-input/changes.json".into(),
        },
        decisions: decisions(&day, p),
        changes: changes_view(&day, &changes),
        audits: reg
            .reviews
            .iter()
            .filter(is_audit)
            .filter(|r| r.date > p.from && r.date <= p.to)
            .map(review_link)
            .collect(),
        audit_entries: identified_in(&day, shared, p, from_audit),
        feedback: identified_in(&day, shared, p, |e| e.source == Some(Source::Feedback)),
        risk: identified_in(&day, shared, p, |e| {
            e.source == Some(Source::RiskAssessment)
        }),
        improvements: identified_in(&day, shared, p, |e| e.entry_type == EntryType::Improvement),
        ..Default::default()
    };
    set_findings(&day, shared, p, &mut c);
    if let Some(kpis) = shared.kpis.get(&p.to) {
        set_kpis(&day, kpis, p, &mut c);
    }
    (c, changes)
}

/// Writes one pack's page and `changes.json` into `dir` (`root` leads
/// back from the page); returns the files written.
fn write_pack(
    site: &RenderContext,
    theme: &Theme,
    out: &Out,
    dir: &str,
    root: &str,
    (page, changes): (ReviewInputPage, Changes),
) -> Result<usize> {
    let frame = Frame {
        root,
        section: "reviews",
    };
    let page_dir = if page.ahead {
        dir.to_string()
    } else {
        format!("{dir}/input")
    };
    let path = format!("{page_dir}/index.html");
    write_page(site, theme, out, &path, "review_input.html", frame, &page)?;
    let json = serde_json::to_string_pretty(&changes)
        .map_err(|e| RenderError(format!("{dir}/changes.json: {e}")))?;
    out.write(
        &format!("{dir}/changes.json"),
        format!("{json}\n").as_bytes(),
    )?;
    Ok(2)
}

/// Every management review's pack, and the pack for the review ahead.
pub fn render(site: &RenderContext, theme: &Theme, out: &Out) -> Result<usize> {
    let reg = site.reg;
    let held: Vec<(&Review, Period)> = reg
        .reviews
        .iter()
        .filter(|r| r.kind == ReviewKind::ManagementReview)
        .map(|r| (r, pack::period(reg, r.date, false)))
        .collect();
    let ahead = pack::period(reg, site.rollups.as_of, true);
    let days: Vec<NaiveDate> = held.iter().map(|(_, p)| p.to).chain([ahead.to]).collect();
    let shared = Shared::new(site, &days);
    let held: usize = held
        .par_iter()
        .map(|(r, p)| {
            let dir = format!("reviews/{}", r.slug);
            let page = pack_page(site, &shared, p, Some(r));
            write_pack(site, theme, out, &dir, "../../../", page)
        })
        .sum::<Result<usize>>()?;
    let page = pack_page(site, &shared, &ahead, None);
    let ahead = write_pack(site, theme, out, "review-input", "../", page)?;
    Ok(held + ahead)
}

/// The input packs: an output of its own, beside the pages.
pub struct ReviewInput;

impl crate::output::Output for ReviewInput {
    fn name(&self) -> &'static str {
        "review input"
    }
    fn write(&self, i: &crate::output::Inputs, out: &Out) -> Result<usize> {
        render(i.context, i.theme, out)
    }
}
