//! Publishing to an audience: the register as one audience may see it.
//!
//! A static site has no login, so access control happens at build time:
//! [`apply`] filters the validated register once, before any figure is
//! computed or any file is written. Pages, rollups, charts and exports are
//! all made from what it returns, so no renderer can leak what it never
//! receives — there are no audience checks anywhere downstream.

use crate::model::diag::Pos;
use crate::model::policy::{Field, HiddenEntries};
use crate::model::{Entry, Enumerated, Plan, Register, Review, Visibility};
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
    let linked_before = evidence_links(&reg);
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
    let hidden_field = |f: Field| site.visibility.fields.get(&f).is_some_and(|v| !sees(*v));
    let stub = site.visibility.hidden_entries == HiddenEntries::Stub;

    let mut stubs = 0;
    let entries: Vec<Entry> = entries
        .into_iter()
        .filter_map(|e| {
            if sees(e.visibility) {
                Some(shared_revisions(redact(e, hidden_field), sees))
            } else if stub {
                stubs += 1;
                Some(redact(e, |_| true))
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
    let linked_after = evidence_links(&out);
    out.evidence
        .retain(|f| linked_after.contains(&f.rel) || !linked_before.contains(&f.rel));
    out.restricted_stubs = stubs;
    out.controls = catalogue;
    // Catalogues are published like controls.yaml; an objective's KPI of
    // an entry this audience may not see finds no entry and is left out.
    out.objectives = objectives;
    out.risks = risks;
    out
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

/// Empties every field `hidden` names. Dates, status, priority and type
/// stay: they are the stub that counts are made of.
fn redact(mut e: Entry, hidden: impl Fn(Field) -> bool) -> Entry {
    for field in Field::ALL {
        if !hidden(*field) {
            continue;
        }
        match field {
            Field::Title => e.title = RESTRICTED_TITLE.to_string(),
            Field::Description => e.description = None,
            Field::Outcome => e.outcome = None,
            Field::Resources => e.resources = None,
            Field::Lessons => e.lessons = None,
            Field::Owner => e.owner = None,
            Field::Source => e.source = None,
            // The risks an entry treats are told like the controls it
            // improves: hidden with them.
            Field::Controls => {
                e.controls.clear();
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
                // A record that was only a note would be a bare date.
                e.history.retain(|h| h.status.is_some());
                e.history.iter_mut().for_each(|h| h.note = None);
                // Its revisions in git are history with free-text notes.
                e.revisions = Default::default();
            }
            Field::Benefit => e.benefit = None,
            Field::Nonconformity => {
                // Severity and date stay: the nonconformity counts.
                if let Some(nc) = &mut e.nonconformity {
                    nc.reference = RESTRICTED_REF.to_string();
                    (nc.requirement, nc.by, nc.statement) = (None, None, None);
                }
                (e.root_cause, e.correction) = (None, None);
            }
            Field::Effort => e.effort = None,
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
    for e in &reg.entries {
        let texts = [
            &e.description,
            &e.outcome,
            &e.resources,
            &e.lessons,
            &e.root_cause,
            &e.correction,
        ];
        texts.into_iter().flatten().for_each(|t| scan(t));
        e.history
            .iter()
            .filter_map(|h| h.note.as_deref())
            .for_each(&mut scan);
        if let Some(note) = e.effectiveness.as_ref().and_then(|x| x.note.as_deref()) {
            scan(note);
        }
        if let Some(st) = e
            .nonconformity
            .as_ref()
            .and_then(|x| x.statement.as_deref())
        {
            scan(st);
        }
    }
    reg.plans.iter().for_each(|p| scan(&p.body));
    reg.reviews.iter().for_each(|r| scan(&r.body));
    for e in &reg.entries {
        for l in &e.links {
            if let crate::model::LinkTarget::Evidence(rel) = &l.target {
                out.insert(rel.clone());
            }
        }
    }
    out
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
        let path = percent_decode(&rest[..end]);
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

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = (b[i] == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
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

    #[test]
    fn audiences_are_ordered_least_trusted_first() {
        assert!(Visibility::Public < Visibility::Internal);
        assert!(Visibility::Internal < Visibility::Restricted);
    }
}
