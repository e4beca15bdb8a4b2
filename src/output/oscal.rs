//! `oscal/poam.json`: the register as an OSCAL Plan of Action and
//! Milestones, the form GRC tools and auditors import.
//!
//! Each register entry becomes a POA&M item and the risk it relates to; the
//! risk carries the status, deadline, status history (risk log) and one
//! remediation whose tasks are the action itself (with its owner) and the
//! milestones of every plan naming the entry. UUIDs are version 5, derived
//! from the register's name and the entry ids, so the same register gives
//! the same UUIDs in every build and an importing tool can match items
//! across builds. Built from the model, never from files, so whatever the
//! model leaves out (an audience's hidden entries) stays out.

use crate::model::Enumerated;
use crate::model::*;
use crate::output::ids::UuidSource;
use crate::output::markdown::one_line;
use crate::output::pieces::{Key, Pieces, Spliced};
use crate::output::sink::{Out, RenderError};
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io;

/// The OSCAL release the document declares; see docs/maintainers.md ("OSCAL: which version") for why.
pub const OSCAL_VERSION: &str = "1.2.1";

/// Where the export goes in the output folder.
pub const PATH: &str = "oscal/poam.json";

/// Namespace of isms-site's own properties (`props` with this `ns`).
pub const PROPS_NS: &str = "urn:isms-site:register";

/// OSCAL date-times need a time zone, and NIST's schema only accepts years
/// 1900–2999: a date outside is left out rather than making the file invalid.
fn datetime(d: NaiveDate) -> Option<String> {
    (1900..=2999)
        .contains(&d.year())
        .then(|| format!("{d}T00:00:00Z"))
}

/// The POA&M document, written with [`Document::write`]. Its risks and
/// items are made one at a time as they are written: for a large register
/// the whole document would be hundreds of megabytes of values.
pub struct Document<'a> {
    ctx: Ctx<'a>,
    uuid: String,
    metadata: Metadata,
}

#[cfg(test)]
impl Serialize for Document<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut doc = s.serialize_map(Some(1))?;
        doc.serialize_entry("plan-of-action-and-milestones", &Poam(self))?;
        doc.end()
    }
}

#[cfg(test)]
struct Poam<'a>(&'a Document<'a>);

/// The document as one `serde_json` value writes it: what
/// [`Document::write_pieces`] must give (test
/// `the_poam_written_in_pieces_is_the_document_written_whole`).
#[cfg(test)]
impl Serialize for Poam<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (doc, ctx) = (self.0, &self.0.ctx);
        let entries = || ctx.reg.entries.iter().enumerate();
        let mut p = s.serialize_struct("Poam", 5)?;
        p.serialize_field("uuid", &doc.uuid)?;
        p.serialize_field("metadata", &doc.metadata)?;
        // The nonconformities as the auditor's observations (OSCAL wants
        // at least one, so none at all leaves the list out).
        if entries().any(|(_, e)| observation(ctx, e).is_some()) {
            let observations = || entries().filter_map(|(_, e)| observation(ctx, e));
            p.serialize_field("observations", &Each(observations))?;
        }
        p.serialize_field("risks", &Each(|| entries().map(|(i, e)| risk(ctx, i, e))))?;
        p.serialize_field("poam-items", &Each(|| entries().map(|(_, e)| item(ctx, e))))?;
        if !ctx.reg.plans.is_empty() {
            let resources = ctx.reg.plans.iter().map(|plan| plan_resource(ctx, plan));
            p.serialize_field(
                "back-matter",
                &BackMatter {
                    resources: resources.collect(),
                },
            )?;
        }
        p.end()
    }
}

/// A list serialized straight from an iterator, one item in memory at a
/// time.
pub(crate) struct Each<F>(pub(crate) F);

impl<F, I> Serialize for Each<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Metadata {
    title: String,
    last_modified: String,
    version: String,
    oscal_version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    roles: Vec<Role>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parties: Vec<Party>,
}

#[derive(Serialize)]
struct Role {
    id: &'static str,
    title: &'static str,
}

#[derive(Serialize)]
struct Party {
    uuid: String,
    #[serde(rename = "type")]
    party_type: &'static str,
    name: String,
}

#[derive(Serialize)]
struct Prop {
    name: &'static str,
    ns: &'static str,
    value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Link {
    href: String,
    rel: &'static str,
    text: String,
}

/// Plans, told once: their milestones appear as tasks of every entry the
/// plan names, and point here through the `plan` property.
#[derive(Serialize)]
struct BackMatter {
    resources: Vec<Resource>,
}

#[derive(Serialize)]
struct Resource {
    uuid: String,
    title: String,
    props: Vec<Prop>,
    rlinks: Vec<Rlink>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Rlink {
    href: String,
    media_type: &'static str,
}

fn plan_resource(ctx: &Ctx, plan: &Plan) -> Resource {
    Resource {
        uuid: ctx.uuids.get(&format!("plan:{}", plan.slug)),
        title: one_line(&plan.title),
        props: ctx.prop("plan", &plan.slug).into_iter().collect(),
        rlinks: vec![Rlink {
            href: ctx.href(&crate::output::urls::plan_url(&plan.slug)),
            media_type: "text/html",
        }],
    }
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct PoamItem {
    uuid: String,
    title: String,
    description: String,
    props: Vec<Prop>,
    links: Vec<Link>,
    related_risks: Vec<RiskRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_observations: Vec<ObservationRef>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ObservationRef {
    observation_uuid: String,
}

/// A nonconformity as the observation that raised it.
#[derive(Serialize)]
struct Observation {
    uuid: String,
    title: String,
    description: String,
    props: Vec<Prop>,
    methods: Vec<&'static str>,
    types: Vec<&'static str>,
    collected: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct RiskRef {
    risk_uuid: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Risk {
    uuid: String,
    title: String,
    description: String,
    statement: String,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    deadline: Option<String>,
    remediations: Vec<Response>,
    #[serde(skip_serializing_if = "Option::is_none")]
    risk_log: Option<RiskLog>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_observations: Vec<ObservationRef>,
    /// The risks of `risks.yaml` the entry treats, as `risk` props.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
}

#[derive(Serialize)]
struct Response {
    uuid: String,
    lifecycle: &'static str,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tasks: Vec<Task>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Task {
    uuid: String,
    #[serde(rename = "type")]
    task_type: &'static str,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timing: Option<Timing>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    responsible_roles: Vec<ResponsibleRole>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
enum Timing {
    OnDate { date: String },
    WithinDateRange { start: String, end: String },
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ResponsibleRole {
    role_id: &'static str,
    party_uuids: Vec<String>,
}

#[derive(Serialize)]
struct RiskLog {
    entries: Vec<LogEntry>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct LogEntry {
    uuid: String,
    title: String,
    start: String,
    status_change: &'static str,
}

/// OSCAL's risk status for a register status. Cancelled work is closed
/// too; the `status` property keeps the register's own word.
fn risk_status(s: Status) -> &'static str {
    match s {
        Status::NotStarted | Status::Planned => "open",
        Status::InProgress => "remediating",
        Status::Completed | Status::Cancelled => "closed",
    }
}

const OWNER_ROLE: &str = "action-owner";

/// Everything the items share: UUIDs, owner parties, links, plans.
struct Ctx<'a> {
    reg: &'a Register,
    uuids: UuidSource,
    parties: BTreeMap<String, String>,
    base_url: Option<&'a str>,
    plans_of: Vec<Vec<&'a Plan>>,
    /// Each nonconformity ref's finding state (of its whole chain).
    finding_state: BTreeMap<String, &'static str>,
}

impl Ctx<'_> {
    fn prop(&self, name: &'static str, value: &str) -> Option<Prop> {
        let value = one_line(value);
        (!value.is_empty()).then_some(Prop {
            name,
            ns: PROPS_NS,
            value,
        })
    }

    /// Absolute with `base_url`, else relative to the site root.
    fn href(&self, rel: &str) -> String {
        format!("{}{rel}", self.base_url.unwrap_or(""))
    }

    fn owner_roles(&self, owner: Option<&String>) -> Vec<ResponsibleRole> {
        owner
            .and_then(|o| self.parties.get(&one_line(o)))
            .map(|uuid| ResponsibleRole {
                role_id: OWNER_ROLE,
                party_uuids: vec![uuid.clone()],
            })
            .into_iter()
            .collect()
    }
}

/// The POA&M, or `None` for an empty register: the model needs at least
/// one item.
pub fn poam(reg: &Register, as_of: NaiveDate) -> Option<Document<'_>> {
    if reg.entries.is_empty() {
        return None;
    }
    let uuids = UuidSource::for_site(&reg.site);
    // Entry owners, and plan owners (responsible for their milestones).
    let owners = reg.entries.iter().filter_map(|e| e.owner.as_deref());
    let plan_owners = reg.plans.iter().filter_map(|p| p.owner.as_deref());
    let parties: BTreeMap<String, String> = owners
        .chain(plan_owners)
        .map(one_line)
        .filter(|o| !o.is_empty())
        .map(|o| {
            let uuid = uuids.get(&format!("party:{o}"));
            (o, uuid)
        })
        .collect();
    let mut plans_of = vec![Vec::new(); reg.entries.len()];
    for plan in &reg.plans {
        for id in &plan.entries {
            if let Some(i) = reg.entry_index(id)
                && !plans_of[i].iter().any(|p: &&Plan| p.slug == plan.slug)
            {
                plans_of[i].push(plan);
            }
        }
    }
    let finding_state = crate::compute::nonconformity::findings(reg, as_of)
        .into_iter()
        .map(|f| (f.reference, f.state.slug()))
        .collect();
    let ctx = Ctx {
        reg,
        uuids,
        parties,
        base_url: reg.site.base_url.as_deref(),
        plans_of,
        finding_state,
    };
    Some(Document {
        uuid: ctx.uuids.get("poam"),
        metadata: metadata(&ctx, as_of),
        ctx,
    })
}

impl Document<'_> {
    /// Compact JSON with a final newline, streamed into `out`. Not
    /// pretty-printed: at ten thousand entries indentation was a third of
    /// the file, and the tools that read OSCAL do not need it.
    pub fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let pieces = Pieces::default();
        let mut w = pieces.writer(PATH, out);
        self.write_pieces(&mut w, &|_, _| None)
    }

    /// The document into `w`, each entry's observation, risk and POA&M
    /// item a piece (see [`Pieces`]) under `key(list, entry)`; the rest
    /// (the metadata, the back matter) is made every time.
    pub fn write_pieces(
        &self,
        w: &mut Spliced,
        key: &dyn Fn(&'static str, usize) -> Option<Key>,
    ) -> io::Result<()> {
        let ctx = &self.ctx;
        let e = |i: usize| &ctx.reg.entries[i];
        let all = || 0..ctx.reg.entries.len();
        w.plain(br#"{"plan-of-action-and-milestones":{"uuid":"#)?;
        w.plain(&compact(&self.uuid)?)?;
        w.plain(br#","metadata":"#)?;
        w.plain(&compact(&self.metadata)?)?;
        // The nonconformities as the auditor's observations (OSCAL wants
        // at least one, so none at all leaves the list out).
        let observed = |i: &usize| observes(e(*i));
        if all().any(|i| observed(&i)) {
            let made = |i| observation(ctx, e(i));
            list(w, OBSERVATIONS, all().filter(observed), key, made)?;
        }
        list(w, RISKS, all(), key, |i| risk(ctx, i, e(i)))?;
        list(w, ITEMS, all(), key, |i| item(ctx, e(i)))?;
        if !ctx.reg.plans.is_empty() {
            let resources = ctx.reg.plans.iter().map(|plan| plan_resource(ctx, plan));
            let back = BackMatter {
                resources: resources.collect(),
            };
            w.plain(br#","back-matter":"#)?;
            w.plain(&compact(&back)?)?;
        }
        w.plain(b"}}\n")
    }

    /// The digest of what entry `i`'s pieces read besides the entry
    /// itself and the options (which their key holds): the site (the
    /// UUIDs' namespace, `base_url`), its finding's state (of its whole
    /// chain) and the plans naming it (their milestones are its tasks),
    /// each plan by its digest in `plans` ([`Document::plan_digests`]).
    /// Hashed as bytes, once for the entry's three pieces: the `Debug`
    /// text of these, made for each piece, was a fifth of the POA&M's
    /// time in a one-change build (issue 27).
    pub fn reads(&self, i: usize, site: &[u8; 32], plans: &HashMap<&str, [u8; 32]>) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let ctx = &self.ctx;
        let state = ctx.reg.entries[i]
            .nonconformity
            .as_ref()
            .and_then(|nc| ctx.finding_state.get(nc.reference.trim()));
        let mut h = Sha256::new();
        h.update(site);
        match state {
            Some(state) => {
                h.update([1]);
                h.update((state.len() as u64).to_le_bytes());
                h.update(state.as_bytes());
            }
            None => h.update([0]),
        }
        h.update((ctx.plans_of[i].len() as u64).to_le_bytes());
        for plan in &ctx.plans_of[i] {
            match plans.get(plan.slug.as_str()) {
                Some(d) => {
                    h.update([1]);
                    h.update(d);
                }
                None => h.update([0]),
            }
        }
        h.finalize().into()
    }

    /// The digest of the site's settings, for [`Document::reads`].
    pub fn site_digest(&self) -> [u8; 32] {
        digest(&self.ctx.reg.site)
    }

    /// Each plan's digest, by slug, for [`Document::reads`].
    pub fn plan_digests(&self) -> HashMap<&str, [u8; 32]> {
        let plans = &self.ctx.reg.plans;
        plans.iter().map(|p| (p.slug.as_str(), digest(p))).collect()
    }
}

/// The names of the POA&M's lists of pieces, as keys take them.
const OBSERVATIONS: &str = "observations";
const RISKS: &str = "risks";
const ITEMS: &str = "poam-items";

/// `value` as compact JSON.
fn compact(value: &impl Serialize) -> io::Result<Vec<u8>> {
    Ok(serde_json::to_vec(value)?)
}

/// The SHA-256 of `value`'s `Debug` text.
fn digest(value: &impl std::fmt::Debug) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    crate::output::pages::deps::feed_debug(&mut h, value);
    h.finalize().into()
}

/// `,"NAME":[…]`: the value `make` gives for each entry `at` names, each
/// a piece under `key(NAME, entry)`.
fn list<T: Serialize>(
    w: &mut Spliced,
    name: &'static str,
    at: impl Iterator<Item = usize>,
    key: &dyn Fn(&'static str, usize) -> Option<Key>,
    make: impl Fn(usize) -> T,
) -> io::Result<()> {
    w.plain(format!(",\"{name}\":[").as_bytes())?;
    for (n, i) in at.enumerate() {
        if n > 0 {
            w.plain(b",")?;
        }
        w.piece(key(name, i), |buf| {
            Ok(serde_json::to_writer(buf, &make(i))?)
        })?;
    }
    w.plain(b"]")
}

/// Whether `e` has an observation ([`observation`] is then `Some`).
fn observes(e: &Entry) -> bool {
    e.nonconformity
        .as_ref()
        .is_some_and(|nc| datetime(nc.raised).is_some())
}

fn metadata(ctx: &Ctx, as_of: NaiveDate) -> Metadata {
    let parties: Vec<Party> = ctx
        .parties
        .iter()
        .map(|(name, uuid)| Party {
            uuid: uuid.clone(),
            party_type: "person",
            name: name.clone(),
        })
        .collect();
    let roles = if parties.is_empty() {
        Vec::new()
    } else {
        vec![Role {
            id: OWNER_ROLE,
            title: "Action owner",
        }]
    };
    Metadata {
        title: format!(
            "{} — Plan of Action and Milestones",
            one_line(&ctx.reg.site.title)
        ),
        // as_of, never the clock: the same input gives the same bytes.
        last_modified: datetime(as_of).unwrap_or_else(|| "1900-01-01T00:00:00Z".into()),
        version: as_of.to_string(),
        oscal_version: OSCAL_VERSION,
        roles,
        parties,
    }
}

fn item(ctx: &Ctx, e: &Entry) -> PoamItem {
    let dated = |name, d: Option<NaiveDate>| d.and_then(|d| ctx.prop(name, &d.to_string()));
    let mut props: Vec<Prop> = [
        ctx.prop("register-id", &e.id),
        ctx.prop("status", e.status.slug()),
        ctx.prop("priority", e.priority.slug()),
        ctx.prop("type", e.entry_type.slug()),
        e.source.and_then(|s| ctx.prop("source", s.slug())),
        dated("identified", Some(e.identified)),
        dated("target", e.target),
        dated("completed", e.completed),
        e.owner.as_deref().and_then(|o| ctx.prop("owner", o)),
        e.benefit.and_then(|b| ctx.prop("benefit", b.slug())),
        e.effort.and_then(|b| ctx.prop("effort", b.slug())),
        e.effectiveness
            .as_ref()
            .and_then(|x| ctx.prop("effectiveness", x.result.slug())),
    ]
    .into_iter()
    .flatten()
    .collect();
    props.extend(e.controls.iter().filter_map(|c| ctx.prop("control", c)));
    props.extend(e.tags.iter().filter_map(|t| ctx.prop("tag", t)));
    if let Some(nc) = &e.nonconformity {
        props.extend(ctx.prop("nonconformity", &nc.reference));
        props.extend(ctx.prop("severity", nc.severity.slug()));
    }
    props.extend(
        e.follows_up
            .iter()
            .filter_map(|r| ctx.prop("follows-up", &r.id)),
    );
    props.extend(e.related.iter().filter_map(|r| ctx.prop("related", &r.id)));
    let mut links = vec![Link {
        href: ctx.href(&format!("register/{}/index.html", e.id)),
        rel: "reference",
        text: format!("Register entry {}", e.id),
    }];
    links.extend(e.links.iter().map(|l| Link {
        href: match &l.target {
            LinkTarget::Web(url) => url.clone(),
            LinkTarget::Evidence(rel) => ctx.href(&format!("evidence/{rel}")),
        },
        rel: "evidence",
        text: one_line(&l.title),
    }));
    let chained = [("follows-up", &e.follows_up), ("related", &e.related)];
    for (rel, refs) in chained {
        links.extend(refs.iter().map(|r| Link {
            href: ctx.href(&format!("register/{}/index.html", r.id)),
            rel,
            text: format!("Register entry {}", r.id),
        }));
    }
    PoamItem {
        uuid: ctx.uuids.of_entry("poam-item", &e.id),
        title: one_line(&e.title),
        description: text_or_title(e.description.as_deref(), e),
        props,
        links,
        related_risks: vec![RiskRef {
            risk_uuid: ctx.uuids.of_entry("risk", &e.id),
        }],
        remarks: e
            .outcome
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        related_observations: observation_ref(ctx, e),
    }
}

/// The observation of `e`'s nonconformity, when it has one with a date
/// OSCAL accepts.
fn observation(ctx: &Ctx, e: &Entry) -> Option<Observation> {
    let nc = e.nonconformity.as_ref()?;
    let props = [
        ctx.prop("register-id", &e.id),
        ctx.prop("nonconformity", &nc.reference),
        ctx.prop("severity", nc.severity.slug()),
        ctx.finding_state
            .get(nc.reference.trim())
            .and_then(|s| ctx.prop("finding-state", s)),
        nc.requirement
            .as_deref()
            .and_then(|r| ctx.prop("requirement", r)),
        nc.by.as_deref().and_then(|b| ctx.prop("raised-by", b)),
    ];
    Some(Observation {
        uuid: ctx.uuids.of_entry("observation", &e.id),
        title: format!(
            "{} nonconformity {}",
            nc.severity.label(),
            one_line(&nc.reference)
        ),
        description: nc
            .statement
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map_or_else(|| one_line(&nc.reference), str::to_string),
        props: props.into_iter().flatten().collect(),
        methods: vec!["EXAMINE"],
        types: vec!["finding"],
        collected: datetime(nc.raised)?,
    })
}

fn observation_ref(ctx: &Ctx, e: &Entry) -> Vec<ObservationRef> {
    e.nonconformity
        .as_ref()
        .and_then(|nc| datetime(nc.raised))
        .map(|_| ObservationRef {
            observation_uuid: ctx.uuids.of_entry("observation", &e.id),
        })
        .into_iter()
        .collect()
}

/// OSCAL requires a description; an entry without one repeats its title.
fn text_or_title(text: Option<&str>, e: &Entry) -> String {
    text.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| one_line(&e.title))
}

fn risk(ctx: &Ctx, index: usize, e: &Entry) -> Risk {
    let source = e
        .source
        .map(|s| format!(" from {}", s.label().to_lowercase()))
        .unwrap_or_default();
    let cause = e
        .root_cause
        .as_deref()
        .map(one_line)
        .filter(|c| !c.is_empty())
        .map(|c| format!(" Root cause: {c}"))
        .unwrap_or_default();
    let mut remediations = vec![remediation(ctx, index, e)];
    remediations.extend(correction(ctx, e));
    Risk {
        uuid: ctx.uuids.of_entry("risk", &e.id),
        // The item that names this risk carries the entry's title.
        title: format!("Risk of {} {}", e.entry_type.label().to_lowercase(), e.id),
        // The entry's description is the item's: told once, pointed to here.
        description: format!(
            "The risk that register entry {} addresses; its POA&M item describes it.",
            e.id
        ),
        statement: format!(
            "{} {} identified on {}{source}; priority {}.{cause}",
            e.entry_type.label(),
            e.id,
            e.identified,
            e.priority.slug()
        ),
        status: risk_status(e.status),
        deadline: e.target.and_then(datetime),
        remediations,
        risk_log: risk_log(ctx, e),
        related_observations: observation_ref(ctx, e),
        props: e.risks.iter().filter_map(|r| ctx.prop("risk", r)).collect(),
    }
}

/// The correction (10.2 a), done at once, as a completed response beside
/// the corrective action.
fn correction(ctx: &Ctx, e: &Entry) -> Option<Response> {
    let text = e
        .correction
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())?;
    Some(Response {
        uuid: ctx.uuids.of_entry("correction", &e.id),
        lifecycle: "completed",
        title: format!("Correction of {}", e.id),
        description: text.to_string(),
        tasks: Vec::new(),
    })
}

fn remediation(ctx: &Ctx, index: usize, e: &Entry) -> Response {
    let timing = match (datetime(e.identified), e.target.and_then(datetime)) {
        (Some(start), Some(end)) if e.target >= Some(e.identified) => {
            Some(Timing::WithinDateRange { start, end })
        }
        (_, Some(date)) => Some(Timing::OnDate { date }),
        _ => None,
    };
    let mut tasks = vec![Task {
        uuid: ctx.uuids.of_entry("task", &e.id),
        task_type: "action",
        // The risk above it carries the entry's title.
        title: format!("Action {}", e.id),
        description: None,
        props: e
            .completed
            .and_then(|d| ctx.prop("completed", &d.to_string()))
            .into_iter()
            .collect(),
        timing,
        responsible_roles: ctx.owner_roles(e.owner.as_ref()),
    }];
    for plan in &ctx.plans_of[index] {
        for (n, m) in plan.milestones.iter().enumerate() {
            let key = format!("milestone:{}:{n}:{}", plan.slug, e.id.to_lowercase());
            tasks.push(Task {
                uuid: ctx.uuids.get(&key),
                task_type: "milestone",
                title: one_line(&m.title),
                // The plan's title and page are in the back matter.
                description: None,
                props: [
                    ctx.prop("plan", &plan.slug),
                    m.done.and_then(|d| ctx.prop("done", &d.to_string())),
                ]
                .into_iter()
                .flatten()
                .collect(),
                timing: m.due.and_then(datetime).map(|date| Timing::OnDate { date }),
                responsible_roles: ctx.owner_roles(plan.owner.as_ref()),
            });
        }
    }
    let description = e
        .resources
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| format!("The register's action for {}.", e.id));
    Response {
        uuid: ctx.uuids.of_entry("remediation", &e.id),
        lifecycle: if e.status == Status::Completed {
            "completed"
        } else {
            "planned"
        },
        title: format!("Remediation of {}", e.id),
        description,
        tasks,
    }
}

/// Status changes as risk-log entries, oldest first.
fn risk_log(ctx: &Ctx, e: &Entry) -> Option<RiskLog> {
    let entries: Vec<LogEntry> = crate::compute::timeline::timeline(e)
        .into_iter()
        .enumerate()
        .filter_map(|(n, (date, status))| {
            Some(LogEntry {
                uuid: ctx.uuids.of_entry(&format!("log:{n}"), &e.id),
                title: format!("Status: {}", status.label()),
                start: datetime(date)?,
                status_change: risk_status(status),
            })
        })
        .collect();
    (!entries.is_empty()).then_some(RiskLog { entries })
}

/// The OSCAL POA&M, when the register makes one.
pub struct PoamFile;

impl crate::output::Output for PoamFile {
    fn name(&self) -> &'static str {
        "OSCAL POA&M"
    }
    fn needed_for_preview(&self) -> bool {
        false
    }
    fn write(&self, i: &crate::output::Inputs, out: &Out) -> Result<usize, RenderError> {
        let Some(doc) = poam(i.register, i.rollups.as_of) else {
            return Ok(0);
        };
        let (site, plans) = (doc.site_digest(), doc.plan_digests());
        let reads: Vec<[u8; 32]> = (0..i.register.entries.len())
            .into_par_iter()
            .map(|n| doc.reads(n, &site, &plans))
            .collect();
        let files = [OBSERVATIONS, RISKS, ITEMS].map(|list| (list, format!("{PATH}#{list}")));
        let key = |list: &str, n: usize| {
            let digest = i.context.entry_digest(n)?;
            let (_, file) = files.iter().find(|(l, _)| *l == list)?;
            i.pieces.key(file, digest, reads.get(n)?)
        };
        out.write_with(PATH, |w| {
            // serde_json writes many small pieces: buffer them here, where
            // the writer's type is known, rather than one dynamic call each.
            let mut out = std::io::BufWriter::with_capacity(1 << 16, w);
            let mut pieces = i.pieces.writer(PATH, &mut out);
            doc.write_pieces(&mut pieces, &key)?;
            pieces.finish();
            io::Write::flush(&mut out)
        })?;
        Ok(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn uuids_are_version_5_and_stable() {
        let site = Site {
            title: "T".into(),
            organization: Some("Acme".into()),
            description: None,
            created: None,
            responsible: None,
            base_url: None,
            visibility: Default::default(),
            effectiveness_review_days: EFFECTIVENESS_REVIEW_DAYS,
            next_review: None,
            locale: Default::default(),
        };
        let a = UuidSource::for_site(&site);
        let id = a.of_entry("poam-item", "CI-001");
        assert_eq!(id, a.of_entry("poam-item", "ci-001"));
        assert_ne!(id, a.of_entry("risk", "CI-001"));
        assert_eq!(Uuid::parse_str(&id).unwrap().get_version_num(), 5);
        let other = UuidSource::for_site(&Site {
            organization: Some("Other".into()),
            ..site
        });
        assert_ne!(id, other.of_entry("poam-item", "CI-001"));
    }

    #[test]
    fn dates_outside_the_schema_years_are_left_out() {
        let d = |y| NaiveDate::from_ymd_opt(y, 1, 2).unwrap();
        assert_eq!(datetime(d(2026)).as_deref(), Some("2026-01-02T00:00:00Z"));
        assert_eq!(datetime(d(1899)), None);
        assert_eq!(datetime(d(3000)), None);
    }
}
