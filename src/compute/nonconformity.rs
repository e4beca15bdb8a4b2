//! Nonconformities as findings, each with the state of its whole chain
//! (ISO/IEC 27001 10.2).
//!
//! A finding is identified by its `ref`: every entry carrying the same ref
//! is an occurrence of one finding, so a finding raised again is counted
//! once. Its chain is those entries and every entry that `follows_up` one
//! of them, transitively. A corrective action completed and then found not
//! effective does not close the finding: only an effective review of the
//! chain's last action does.

use crate::compute::audience::RESTRICTED_REF;
use crate::model::*;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Where a finding stands, judged on its whole chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// An entry of the chain is still open.
    Open,
    /// Found not (or only partly) effective: a follow-up is open, or none
    /// exists yet ([`Finding::no_follow_up`]).
    Reopened,
    /// The chain's last action is completed; its effectiveness is not
    /// reviewed yet.
    AwaitingVerification,
    /// The chain's last action was reviewed and found effective.
    Closed,
}

impl State {
    pub fn slug(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Reopened => "reopened",
            State::AwaitingVerification => "awaiting-verification",
            State::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Open => "Open",
            State::Reopened => "Reopened",
            State::AwaitingVerification => "Awaiting verification",
            State::Closed => "Closed",
        }
    }

    /// Every state but closed: the finding still needs work or proof.
    pub fn is_open(self) -> bool {
        self != State::Closed
    }
}

/// One nonconformity, with its chain and state as of a day.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    #[serde(rename = "ref")]
    pub reference: String,
    /// The gravest severity any occurrence gives it.
    pub severity: Severity,
    pub state: State,
    /// Reopened with no follow-up action recorded: the chain stops.
    pub no_follow_up: bool,
    /// The earliest `raised` of its occurrences.
    pub raised: NaiveDate,
    /// The effective review that closed it.
    pub closed: Option<NaiveDate>,
    /// From `raised` to [`Finding::closed`], or to the as-of date.
    pub days_open: i64,
    /// Entry indices carrying the ref, in register order.
    #[serde(skip)]
    pub occurrences: Vec<usize>,
    /// Entry indices of the whole chain (occurrences included), in
    /// register order.
    #[serde(skip)]
    pub chain: Vec<usize>,
    /// The completed action the state was judged on, if any.
    #[serde(skip)]
    pub last_action: Option<usize>,
    /// Ids of [`Finding::occurrences`] and [`Finding::chain`], for data.
    pub occurrence_ids: Vec<String>,
    pub entry_ids: Vec<String>,
}

/// Every finding in the register, gravest first, then by date raised and
/// ref. Everything is judged on `reg` as given: pass the as-of projection
/// for a past date.
pub fn findings(reg: &Register, as_of: NaiveDate) -> Vec<Finding> {
    findings_in(&reg.entries, as_of)
}

/// [`findings`] over a slice of entries (the management review pack passes
/// the entries as they stood on its day); `follows_up` ids that name no
/// entry of the slice are left out of every chain.
pub fn findings_in(entries: &[Entry], as_of: NaiveDate) -> Vec<Finding> {
    let followers = followers(entries);
    // A ref redacted for this audience says nothing about which finding
    // it is: each such entry stays a finding of its own.
    let mut by_ref: BTreeMap<(&str, Option<usize>), Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        if let Some(nc) = &e.nonconformity {
            let reference = nc.reference.trim();
            let own = (nc.reference == RESTRICTED_REF).then_some(i);
            by_ref.entry((reference, own)).or_default().push(i);
        }
    }
    let mut out: Vec<Finding> = by_ref
        .into_iter()
        .map(|((reference, _), occ)| finding(entries, &followers, reference, occ, as_of))
        .collect();
    out.sort_by(|a, b| {
        (a.severity, a.raised)
            .cmp(&(b.severity, b.raised))
            .then_with(|| natural_cmp(&a.reference, &b.reference))
    });
    out
}

/// For each entry of the register, the findings (indices into `findings`)
/// whose chain it belongs to.
pub fn served_by_entry(entries: usize, findings: &[Finding]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); entries];
    for (n, f) in findings.iter().enumerate() {
        for i in &f.chain {
            out[*i].push(n);
        }
    }
    out
}

/// For each entry, the entries naming it in `follows_up`.
fn followers(entries: &[Entry]) -> Vec<Vec<usize>> {
    let index: BTreeMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.to_lowercase(), i))
        .collect();
    let mut out = vec![Vec::new(); entries.len()];
    for (i, e) in entries.iter().enumerate() {
        for j in e
            .follows_up
            .iter()
            .filter_map(|r| index.get(&r.id.to_lowercase()).copied())
        {
            out[j].push(i);
        }
    }
    out
}

/// The occurrences and every entry following them up, transitively;
/// bounded by the register, so a cycle cannot loop.
fn chain_of(followers: &[Vec<usize>], occurrences: &[usize]) -> Vec<usize> {
    let mut seen = vec![false; followers.len()];
    let mut stack: Vec<usize> = occurrences.to_vec();
    let mut chain = Vec::new();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        chain.push(i);
        stack.extend(followers[i].iter().copied());
    }
    chain.sort_unstable();
    chain
}

fn finding(
    entries: &[Entry],
    followers: &[Vec<usize>],
    reference: &str,
    occurrences: Vec<usize>,
    as_of: NaiveDate,
) -> Finding {
    let nc = |i: usize| entries[i].nonconformity.as_ref();
    let severity = occurrences
        .iter()
        .filter_map(|i| nc(*i).map(|n| n.severity))
        .min()
        .unwrap_or(Severity::Observation);
    let raised = occurrences
        .iter()
        .filter_map(|i| nc(*i).map(|n| n.raised))
        .min()
        .unwrap_or(as_of);
    let chain = chain_of(followers, &occurrences);
    let judged = judge(entries, followers, &chain);
    let end = judged.closed.unwrap_or(as_of);
    let ids = |v: &[usize]| v.iter().map(|i| entries[*i].id.clone()).collect();
    Finding {
        reference: reference.to_string(),
        severity,
        state: judged.state,
        no_follow_up: judged.no_follow_up,
        raised,
        closed: judged.closed,
        days_open: (end - raised).num_days().max(0),
        occurrence_ids: ids(&occurrences),
        entry_ids: ids(&chain),
        occurrences,
        chain,
        last_action: judged.last_action,
    }
}

struct Judged {
    state: State,
    no_follow_up: bool,
    closed: Option<NaiveDate>,
    last_action: Option<usize>,
}

/// The state of a chain: open while any entry is open (reopened when the
/// latest effectiveness review in it was not effective); otherwise judged
/// on the last action, the completed entry no live entry follows up that
/// was completed last.
fn judge(entries: &[Entry], followers: &[Vec<usize>], chain: &[usize]) -> Judged {
    let e = |i: usize| &entries[i];
    let latest_review = chain
        .iter()
        .filter_map(|i| e(*i).effectiveness.as_ref())
        .max_by_key(|x| x.date);
    let failed = latest_review.is_some_and(|x| x.result != EffectivenessResult::Effective);
    let open = |state| Judged {
        state,
        no_follow_up: false,
        closed: None,
        last_action: None,
    };
    if chain.iter().any(|i| e(*i).status.is_open()) {
        return open(if failed { State::Reopened } else { State::Open });
    }
    let live_follower = |i: usize| {
        followers[i]
            .iter()
            .any(|j| chain.contains(j) && e(*j).status != Status::Cancelled)
    };
    let last = chain
        .iter()
        .copied()
        .filter(|i| e(*i).status == Status::Completed && !live_follower(*i))
        .max_by_key(|i| (e(*i).completed, *i));
    let Some(last) = last else {
        // Every action cancelled: nothing has addressed the finding.
        return open(State::Open);
    };
    let (state, no_follow_up, closed) = match &e(last).effectiveness {
        None => (State::AwaitingVerification, false, None),
        Some(x) if x.result == EffectivenessResult::Effective => {
            (State::Closed, false, Some(x.date))
        }
        Some(_) => (State::Reopened, true, None),
    };
    Judged {
        state,
        no_follow_up,
        closed,
        last_action: Some(last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::rollup::tests::{entry, register};
    use crate::model::diag::Pos;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn nc(reference: &str, severity: Severity, raised: &str) -> Option<Nonconformity> {
        Some(Nonconformity {
            reference: reference.into(),
            severity,
            requirement: None,
            raised: d(raised),
            by: None,
            statement: None,
        })
    }

    fn done(id: &str, completed: &str, review: Option<(&str, EffectivenessResult)>) -> Entry {
        let mut e = entry(id, Status::Completed);
        e.completed = Some(d(completed));
        e.effectiveness = review.map(|(date, result)| Effectiveness {
            date: d(date),
            result,
            by: None,
            note: None,
        });
        e
    }

    fn follows(mut e: Entry, id: &str) -> Entry {
        e.follows_up.push(IdRef {
            id: id.into(),
            pos: Pos::START,
        });
        e
    }

    /// The register: a major finding, its corrective action found
    /// not effective, and an overdue follow-up still in progress.
    #[test]
    fn a_failed_corrective_action_reopens_its_finding_until_the_as_of_date() {
        let mut ca = done(
            "CA-1",
            "2025-03-02",
            Some(("2025-05-01", EffectivenessResult::NotEffective)),
        );
        ca.nonconformity = nc("NC-7", Severity::Major, "2025-01-01");
        let mut follow = follows(entry("CA-2", Status::InProgress), "CA-1");
        follow.target = Some(d("2025-09-30"));
        let reg = register(vec![ca, follow]);
        let f = findings(&reg, d("2026-05-16"));
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].state, f[0].no_follow_up), (State::Reopened, false));
        assert_eq!(f[0].days_open, 500);
        assert_eq!(f[0].entry_ids, vec!["CA-1", "CA-2"]);
        assert!(f[0].state.is_open());
    }

    #[test]
    fn states_follow_the_last_action_of_the_chain() {
        let with = |mut e: Entry| {
            e.nonconformity = nc("NC-1", Severity::Minor, "2025-01-01");
            e
        };
        let as_of = d("2025-12-31");
        let one = |e: Entry| findings(&register(vec![with(e)]), as_of).remove(0);
        let f = one(done("A", "2025-02-01", None));
        assert_eq!((f.state, f.days_open), (State::AwaitingVerification, 364));
        let f = one(done(
            "A",
            "2025-02-01",
            Some(("2025-03-01", EffectivenessResult::Effective)),
        ));
        assert_eq!(
            (f.state, f.closed, f.days_open),
            (State::Closed, Some(d("2025-03-01")), 59)
        );
        let f = one(done(
            "A",
            "2025-02-01",
            Some(("2025-03-01", EffectivenessResult::NotEffective)),
        ));
        assert_eq!((f.state, f.no_follow_up), (State::Reopened, true));
        let f = one(entry("A", Status::Planned));
        assert_eq!(f.state, State::Open);
        // Failed, then followed up by an action found effective: closed.
        let first = with(done(
            "A",
            "2025-02-01",
            Some(("2025-03-01", EffectivenessResult::NotEffective)),
        ));
        let second = follows(
            done(
                "B",
                "2025-04-01",
                Some(("2025-05-01", EffectivenessResult::Effective)),
            ),
            "A",
        );
        let f = findings(&register(vec![first, second]), as_of).remove(0);
        assert_eq!((f.state, f.last_action), (State::Closed, Some(1)));
    }

    #[test]
    fn one_ref_raised_twice_is_one_finding_with_two_occurrences() {
        let mut a = done(
            "A",
            "2025-02-01",
            Some(("2025-03-01", EffectivenessResult::Effective)),
        );
        a.nonconformity = nc("NC-2", Severity::Minor, "2025-01-01");
        let mut b = entry("B", Status::InProgress);
        b.nonconformity = nc("NC-2", Severity::Major, "2025-06-01");
        let f = findings(&register(vec![a, b]), d("2025-12-31"));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].occurrence_ids, vec!["A", "B"]);
        assert_eq!((f[0].severity, f[0].state), (Severity::Major, State::Open));
        assert_eq!(f[0].raised, d("2025-01-01"));
        assert_eq!(served_by_entry(2, &f), vec![vec![0], vec![0]]);
    }

    #[test]
    fn a_follow_up_cycle_ends() {
        let mut a = follows(entry("A", Status::Planned), "B");
        a.nonconformity = nc("NC-3", Severity::Minor, "2025-01-01");
        let b = follows(entry("B", Status::Planned), "A");
        let f = findings(&register(vec![a, b]), d("2025-12-31"));
        assert_eq!(f[0].chain, vec![0, 1]);
    }
}
