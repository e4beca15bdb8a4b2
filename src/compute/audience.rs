//! Publishing to an audience: the register as one audience may see it.
//!
//! A static site has no login, so access control happens at build time:
//! [`apply`] filters the validated register once, before any figure is
//! computed or any file is written. Pages, rollups, charts and exports are
//! all made from what it returns, so no renderer can leak what it never
//! receives — there are no audience checks anywhere downstream.

use crate::model::diag::Pos;
use crate::model::policy::HiddenEntries;
use crate::model::schema::{Field, Value};
use crate::model::{
    Effectiveness, Entry, HistoryRecord, Nonconformity, Plan, Register, Review, Visibility,
};
use std::collections::HashSet;

/// The title an entry shows when its own is not for this audience.
pub const RESTRICTED_TITLE: &str = "Restricted entry";

/// The reference a nonconformity shows when its own is not for this audience.
pub const RESTRICTED_REF: &str = "restricted";

/// The register as `audience` may see it: entries, plans and reviews above
/// it removed (or entries reduced to stubs), fields site.yaml restricts
/// emptied, references to removed entries dropped, and evidence files that
/// only hidden content links to left out. `Restricted` sees everything.
pub fn apply(reg: Register, audience: Visibility) -> Register {
    if audience == Visibility::Restricted {
        return reg;
    }
    // Which evidence files only hidden content links to: two scans of
    // every text in the register, needed only when something is hidden
    // (most registers hide nothing from anyone; the scans were most of
    // this function's time).
    let linked_before = hides_anything(&reg, audience).then(|| evidence_links(&reg));
    let catalogue = reg.controls.clone();
    let objectives = reg.objectives.clone();
    let risks = reg.risks.clone();
    let Register {
        site,
        entries,
        plans,
        reviews,
        evidence,
        ..
    } = reg;
    let sees = |v: Visibility| v <= audience;
    let hidden_field = |f: Field| {
        f.governed_by()
            .and_then(|g| site.visibility.fields.get(&g))
            .is_some_and(|v| !sees(*v))
    };
    let stub = site.visibility.hidden_entries == HiddenEntries::Stub;

    let mut stubs = 0;
    let entries: Vec<Entry> = entries
        .into_iter()
        .filter_map(|e| {
            if sees(e.visibility) {
                Some(shared_revisions(redact(e, hidden_field), sees))
            } else if stub {
                stubs += 1;
                Some(stub_of(e))
            } else {
                None
            }
        })
        .collect();
    let kept: HashSet<String> = entries.iter().map(|e| e.id.to_lowercase()).collect();
    let entries: Vec<Entry> = entries
        .into_iter()
        .map(|mut e| {
            let named = |r: &crate::model::IdRef| kept.contains(&r.id.to_lowercase());
            e.follows_up.retain(named);
            e.related.retain(named);
            e
        })
        .collect();
    let plans = published(plans, audience, &kept);
    let reviews = published(reviews, audience, &kept);

    let mut out = Register::new(site, entries, plans, reviews, evidence);
    if let Some(linked_before) = linked_before {
        let linked_after = evidence_links(&out);
        out.evidence
            .retain(|f| linked_after.contains(&f.rel) || !linked_before.contains(&f.rel));
    }
    out.restricted_stubs = stubs;
    out.controls = catalogue;
    // Catalogues are published like controls.yaml; an objective's KPI of
    // an entry this audience may not see finds no entry and is left out.
    out.objectives = objectives;
    out.risks = risks;
    out
}

/// Whether `audience` misses any entry, plan, review, field or revision
/// text. When it misses none, every text it sees is every text there is,
/// so no evidence file loses its last link.
fn hides_anything(reg: &Register, audience: Visibility) -> bool {
    let hidden = |v: Visibility| v > audience;
    reg.site.visibility.fields.values().any(|v| hidden(*v))
        || reg
            .entries
            .iter()
            .any(|e| hidden(e.visibility) || e.revisions.readable_by.is_some_and(hidden))
        || reg.plans.iter().any(|p| hidden(p.visibility))
        || reg.reviews.iter().any(|r| hidden(r.visibility))
}

/// An entry whose file also holds entries this audience may not see keeps
/// its revisions' dates but not their authors and messages: a commit names
/// the file, and its message may be about a sibling entry.
fn shared_revisions(mut e: Entry, sees: impl Fn(Visibility) -> bool) -> Entry {
    if e.revisions.readable_by.is_some_and(|v| !sees(v)) {
        e.revisions = std::mem::take(&mut e.revisions).dates_only();
    }
    e
}

/// Plans and reviews: pages that name register entries.
trait Page {
    fn visibility(&self) -> Visibility;
    fn refs(&mut self) -> (&mut Vec<String>, &mut Vec<Pos>);
}

impl Page for Plan {
    fn visibility(&self) -> Visibility {
        self.visibility
    }
    fn refs(&mut self) -> (&mut Vec<String>, &mut Vec<Pos>) {
        (&mut self.entries, &mut self.entry_pos)
    }
}

impl Page for Review {
    fn visibility(&self) -> Visibility {
        self.visibility
    }
    fn refs(&mut self) -> (&mut Vec<String>, &mut Vec<Pos>) {
        (&mut self.entries, &mut self.entry_pos)
    }
}

/// The pages `audience` sees, each naming only the entries in `kept`
/// (lower-cased ids).
fn published<T: Page>(pages: Vec<T>, audience: Visibility, kept: &HashSet<String>) -> Vec<T> {
    pages
        .into_iter()
        .filter(|p| p.visibility() <= audience)
        .map(|mut p| {
            let (ids, pos) = p.refs();
            let (i, q): (Vec<String>, Vec<Pos>) = ids
                .drain(..)
                .zip(pos.drain(..))
                .filter(|(id, _)| kept.contains(&id.to_lowercase()))
                .unzip();
            (*ids, *pos) = (i, q);
            p
        })
        .collect()
}

/// The redacted stub of an entry the audience may not see, built by
/// allow-list: every field is named here, so a new field does not compile
/// until someone decides whether a stub shows it. A stub keeps what counts
/// are made of — id, dates, status, priority, type, the status changes of
/// its history, the effectiveness result, a nonconformity's severity and
/// date — and the links to entries the audience sees.
fn stub_of(e: Entry) -> Entry {
    Entry {
        id: e.id,
        title: RESTRICTED_TITLE.to_string(),
        description: None,
        source: None,
        identified: e.identified,
        status: e.status,
        priority: e.priority,
        owner: None,
        target: e.target,
        completed: e.completed,
        outcome: None,
        entry_type: e.entry_type,
        benefit: None,
        effort: None,
        resources: None,
        controls: Vec::new(),
        // Which risks it treats is told like which controls it improves:
        // not by a stub (the risks page would list it under them).
        risks: Vec::new(),
        risks_pos: Vec::new(),
        tags: Vec::new(),
        lessons: None,
        effectiveness: e.effectiveness.map(|x| Effectiveness {
            by: None,
            note: None,
            ..x
        }),
        history: status_changes(e.history),
        kpis: Vec::new(),
        links: Vec::new(),
        extra: Default::default(),
        visibility: e.visibility,
        origin: e.origin,
        target_pos: e.target_pos,
        completed_pos: e.completed_pos,
        nonconformity: e.nonconformity.map(counted_finding),
        root_cause: None,
        correction: None,
        follows_up: e.follows_up,
        related: e.related,
        controls_pos: Vec::new(),
        target_baseline: e.target_baseline,
        revisions: Default::default(),
    }
}

/// A history without its free text (notes, and the reasons a target or
/// status changed): a record that was only a note would be a bare date,
/// so it goes.
fn status_changes(mut history: Vec<HistoryRecord>) -> Vec<HistoryRecord> {
    history.retain(|h| h.status.is_some());
    for h in &mut history {
        (h.note, h.reason) = (None, None);
    }
    history
}

/// A finding's severity and date, which the counts are made of; its
/// reference becomes [`RESTRICTED_REF`].
fn counted_finding(nc: Nonconformity) -> Nonconformity {
    Nonconformity {
        reference: RESTRICTED_REF.to_string(),
        severity: nc.severity,
        requirement: None,
        raised: nc.raised,
        by: None,
        statement: None,
    }
}

/// Empties every field `hidden` names (site.yaml `visibility.fields`).
/// Every field is matched, so a new one stops the compiler here too.
fn redact(mut e: Entry, hidden: impl Fn(Field) -> bool) -> Entry {
    for field in Field::all().filter(|f| hidden(*f)) {
        match field {
            Field::Title => e.title = RESTRICTED_TITLE.to_string(),
            Field::Description
            | Field::Outcome
            | Field::Resources
            | Field::Lessons
            | Field::RootCause
            | Field::Correction => {
                if let Some(text) = e.markdown_mut(field) {
                    *text = None;
                }
            }
            Field::Owner => e.owner = None,
            Field::Source => e.source = None,
            Field::Controls => e.controls.clear(),
            Field::Risks => {
                e.risks.clear();
                e.risks_pos.clear();
            }
            Field::Tags => e.tags.clear(),
            Field::Links => e.links.clear(),
            Field::Kpis => e.kpis.clear(),
            Field::Extra => e.extra.clear(),
            Field::Effectiveness => {
                if let Some(x) = &mut e.effectiveness {
                    x.by = None;
                    x.note = None;
                }
            }
            Field::History => {
                e.history = status_changes(std::mem::take(&mut e.history));
                // Its revisions in git are history with free-text notes.
                e.revisions = Default::default();
            }
            Field::Benefit => e.benefit = None,
            Field::Effort => e.effort = None,
            Field::Nonconformity => e.nonconformity = e.nonconformity.map(counted_finding),
            // Published to every audience: never hidden.
            Field::Id
            | Field::Type
            | Field::Identified
            | Field::Status
            | Field::Priority
            | Field::Target
            | Field::Completed
            | Field::FollowsUp
            | Field::Related
            | Field::Visibility => {}
        }
    }
    e
}

/// Every evidence path the register's content points at: entry links, and
/// `evidence/...` written anywhere in its Markdown (plans, reviews, entry
/// texts), which pages turn into links.
fn evidence_links(reg: &Register) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut scan = |md: &str| out.extend(evidence_paths_in(md));
    if let Some(d) = &reg.site.description {
        scan(d);
    }
    reg.plans.iter().for_each(|p| scan(&p.body));
    reg.reviews.iter().for_each(|r| scan(&r.body));
    for e in &reg.entries {
        Field::all().for_each(|f| scan_value(e.value(f), &mut out));
    }
    out
}

/// Every evidence path a field's value names: its Markdown, the Markdown
/// of its nested mappings, its evidence links.
fn scan_value(value: Value, out: &mut HashSet<String>) {
    let mut scan = |md: &str| out.extend(evidence_paths_in(md));
    match value {
        Value::Markdown(Some(md)) => scan(md),
        Value::History(h) => h.iter().filter_map(|h| h.note.as_deref()).for_each(scan),
        Value::Effectiveness(Some(x)) => x.note.iter().for_each(|n| scan(n)),
        Value::Nonconformity(Some(nc)) => nc.statement.iter().for_each(|s| scan(s)),
        Value::Links(links) => {
            for l in links {
                if let crate::model::LinkTarget::Evidence(rel) = &l.target {
                    out.insert(rel.clone());
                }
            }
        }
        Value::Markdown(None)
        | Value::Text(_)
        | Value::Date(_)
        | Value::Enum(_)
        | Value::List(_)
        | Value::Ids(_)
        | Value::Effectiveness(None)
        | Value::Nonconformity(None)
        | Value::Kpis(_)
        | Value::Extra(_) => {}
    }
}

/// Paths after each `evidence/` in a text, up to the end of a Markdown
/// link destination, percent-decoded as a browser would. A path that ends
/// a sentence is taken both with and without its full stop: erring towards
/// "referenced" is the safe side for both uses in [`apply`].
fn evidence_paths_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, m) in text.match_indices("evidence/") {
        let rest = &text[i + m.len()..];
        let end = rest
            .find(|c: char| c.is_whitespace() || "()<>\"'#?[]`".contains(c))
            .unwrap_or(rest.len());
        let path = percent_decode_lossy(&rest[..end]);
        let trimmed = path.trim_end_matches(['.', ',', ';', ':', '!']);
        if !trimmed.is_empty() && trimmed != path {
            out.push(trimmed.to_string());
        }
        if !path.is_empty() {
            out.push(path);
        }
    }
    out
}

/// `%XX` escapes decoded as a browser reads a link: a malformed escape
/// stays as written and bytes that are not UTF-8 become U+FFFD (lossy:
/// an evidence path is looked for, never opened, from here).
fn percent_decode_lossy(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_paths_are_found_in_markdown_links() {
        let md = "See [the report](evidence/a%20b.pdf) and ![scan](evidence/dir/x.png \"t\"), \
                  <evidence/y.txt#p2> and evidence/z.csv.";
        assert_eq!(
            evidence_paths_in(md),
            ["a b.pdf", "dir/x.png", "y.txt", "z.csv", "z.csv."]
        );
        assert!(evidence_paths_in("no links here").is_empty());
    }

    /// The hand-written decoder read a sign as part of an escape (`%+2`
    /// became byte 2); an escape is `%` and two hex digits, else text.
    #[test]
    fn evidence_paths_decode_only_well_formed_escapes() {
        assert_eq!(evidence_paths_in("evidence/a%+2b%41.pdf"), ["a%+2bA.pdf"]);
        assert_eq!(evidence_paths_in("evidence/x%FF.pdf"), ["x\u{FFFD}.pdf"]);
    }

    /// What `apply` may change, in a comparable form (the id index is a
    /// HashMap, whose Debug order varies).
    fn shown(r: &Register) -> String {
        format!(
            "{:?} {:?} {:?} {:?} {}",
            r.entries, r.plans, r.reviews, r.evidence, r.restricted_stubs
        )
    }

    /// Skipping the evidence scans is right only if an audience that
    /// misses nothing gets the register exactly as it was.
    #[test]
    fn an_audience_that_misses_nothing_gets_the_register_as_it_is() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let (reg, _) = crate::content::load(&crate::content::Folder::new(&dir), None);
        let mut reg = reg.unwrap();
        // The demo hides something from the public: both paths are taken.
        assert!(hides_anything(&reg, Visibility::Public));
        assert_ne!(shown(&apply(reg.clone(), Visibility::Public)), shown(&reg));
        assert!(!hides_anything(&reg, Visibility::Restricted));

        reg.site.visibility.fields.clear();
        for e in &mut reg.entries {
            e.visibility = Visibility::Public;
            e.revisions.readable_by = None;
        }
        reg.plans
            .iter_mut()
            .for_each(|p| p.visibility = Visibility::Public);
        reg.reviews
            .iter_mut()
            .for_each(|r| r.visibility = Visibility::Public);
        assert!(!hides_anything(&reg, Visibility::Public));
        assert_eq!(shown(&apply(reg.clone(), Visibility::Public)), shown(&reg));

        // Each way of hiding is seen.
        let mut one = reg.clone();
        one.entries[0].visibility = Visibility::Internal;
        assert!(hides_anything(&one, Visibility::Public));
        let mut one = reg.clone();
        one.entries[0].revisions.readable_by = Some(Visibility::Internal);
        assert!(hides_anything(&one, Visibility::Public));
        let mut one = reg.clone();
        one.site
            .visibility
            .fields
            .insert(Field::Outcome, Visibility::Internal);
        assert!(hides_anything(&one, Visibility::Public));
        let mut one = reg.clone();
        one.plans[0].visibility = Visibility::Restricted;
        assert!(hides_anything(&one, Visibility::Internal));
        let mut one = reg;
        one.reviews[0].visibility = Visibility::Internal;
        assert!(hides_anything(&one, Visibility::Public));
    }

    #[test]
    fn audiences_are_ordered_least_trusted_first() {
        assert!(Visibility::Public < Visibility::Internal);
        assert!(Visibility::Internal < Visibility::Restricted);
    }
}
