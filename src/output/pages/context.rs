//! The theme API: what each template receives, as one struct per template.
//!
//! Each page serialises its struct into the template's context, so a
//! variable a template may use is a field here and nowhere else, and
//! `docs/theme-api.md` ("Template variables") lists them from these
//! structs (a test checks every field is named there). Field docs say what
//! a template gets; dates are `YYYY-MM-DD` text; enumerated values come as
//! a slug with a label beside it. Every struct has a `Default` so the test
//! can list its fields without a register.

use serde::Serialize;
use tera::Value;

mod pack;
pub use pack::*;

/// A value made once per build and shared by every page showing it (an
/// entry's row, a list of rows): tera values share their contents, so a
/// page holds a reference, not a copy. Serialises as the value itself.
#[derive(Serialize, Clone)]
#[serde(transparent)]
pub struct SharedValue(pub Value);

impl Default for SharedValue {
    fn default() -> Self {
        SharedValue(Value::none())
    }
}

/// What every template receives, set once per build (`base.html` uses it).
#[derive(Serialize, Default)]
pub struct Globals<'a> {
    /// The register's `site.yaml`: [`SiteView`].
    pub site: SiteView<'a>,
    /// The as-of date of the build.
    pub as_of: String,
    /// `isms-site <version>`.
    pub generator: &'static str,
    /// Who the site is for: `public`, `internal` or `restricted`.
    pub audience: &'static str,
    /// The audience's name in the site's language, for the footer.
    pub audience_label: &'static str,
    /// The site's language, a BCP 47 tag (`<html lang>`).
    pub lang: String,
    /// What the built-in scripts say, in the site's language: a JSON
    /// object of the catalogue's `js-…` strings (`%n`, `%m` stand for
    /// numbers), for the search form's `data-messages`.
    pub js_messages: String,
    /// The full id of the content's commit (as `build.json` gives it), or
    /// nothing outside git or with `--no-git`.
    pub content_commit: String,
    /// Its first 12 hexadecimal digits, for the footer, or nothing.
    pub content_commit_short: String,
    /// Whether the site has a `feed.xml` (`base_url` is set).
    pub feed: bool,
    /// Whether any entry records a nonconformity (so the site has
    /// `nonconformities/index.html`).
    pub nonconformities: bool,
    /// Whether the site has `objectives/index.html` (a KPI or an
    /// objective).
    pub objectives: bool,
    /// Whether the site has `risks/index.html` (a risk catalogue, or an
    /// entry naming a risk).
    pub risks: bool,
}

/// What every page receives besides [`Globals`]: where it is.
#[derive(Serialize, Default)]
pub struct Frame<'a> {
    /// The relative path from the page back to the site root (`""`,
    /// `"../"`, `"../../"`); prefix every link with it, so the site works
    /// under any sub-path and from `file://`.
    pub root: &'a str,
    /// The current navigation item: `dashboard`, `register`, `plans`,
    /// `reviews`, `nonconformities`, `objectives`, `risks`, or a taxonomy folder (`owners`,
    /// `status`, …).
    pub section: &'a str,
}

/// The site's own description, from `site.yaml`.
#[derive(Serialize, Default)]
pub struct SiteView<'a> {
    /// The site's title.
    pub title: &'a str,
    /// The organization, if given.
    pub organization: Option<&'a str>,
    /// The description as HTML (rendered Markdown), if given.
    pub description_html: Option<String>,
    /// When the register was created, if given.
    pub created: Option<String>,
    /// Who is responsible for the register, if given.
    pub responsible: Option<&'a str>,
    /// How many entries are shown as redacted stubs (see
    /// [`crate::compute::audience`]).
    pub restricted_stubs: usize,
}

/// A term (owner, control, tag) and its page.
#[derive(Serialize, Clone, Default)]
pub struct NameLink {
    /// The term as written in the register.
    pub name: String,
    /// The term's URL segment; also its value in the register's filters.
    pub slug: String,
    /// The term's page, relative to `root`.
    pub url: String,
}

/// One register row: what tables and lists show of an entry.
#[derive(Serialize, Clone, Default)]
pub struct Row {
    /// The entry's id.
    pub id: String,
    /// The entry's title.
    pub title: String,
    /// The entry's page, relative to `root`.
    pub url: String,
    /// Status slug (`in-progress`).
    pub status: &'static str,
    /// Status label ("In progress").
    pub status_label: &'static str,
    /// Priority slug.
    pub priority: &'static str,
    /// Priority label.
    pub priority_label: &'static str,
    /// Entry type slug.
    pub entry_type: &'static str,
    /// Entry type label.
    pub type_label: &'static str,
    /// Source slug, if given.
    pub source: Option<&'static str>,
    /// Source label, if given.
    pub source_label: Option<&'static str>,
    /// The owner, if given.
    pub owner: Option<NameLink>,
    /// When the entry was identified.
    pub identified: String,
    /// The target date, if any.
    pub target: Option<String>,
    /// The completion date, if any.
    pub completed: Option<String>,
    /// Completed on a date nobody recorded (`completed: unknown`).
    pub completed_undated: bool,
    /// Whether the entry is open past its target.
    pub overdue: bool,
    /// Days past the target, when overdue.
    pub days_overdue: Option<i64>,
    /// Days since identified (to completion, or to the as-of date).
    pub age_days: Option<i64>,
    /// The description as a plain-text excerpt.
    pub description: String,
    /// The outcome as a plain-text excerpt.
    pub outcome: String,
    /// Controls and clauses the entry addresses.
    pub controls: Vec<NameLink>,
    /// The entry's tags.
    pub tags: Vec<NameLink>,
    /// Risks the entry treats, linked to the risks page.
    pub risks: Vec<NameLink>,
    /// The target as first agreed, when a history record has moved it.
    pub original_target: Option<String>,
    /// How often the target was moved later.
    pub extensions: usize,
    /// Days the current target lies after the original one, when moved.
    pub slipped_days: Option<i64>,
}

/// One KPI on the objectives page.
#[derive(Serialize, Default)]
pub struct KpiRow {
    /// The entry measuring it.
    pub entry_id: String,
    /// That entry's title.
    pub entry_title: String,
    /// That entry's page.
    pub entry_url: String,
    /// The KPI's name.
    pub name: String,
    /// Its unit, if given.
    pub unit: Option<String>,
    /// The latest measurement on or before the as-of date, as text.
    pub latest: Option<String>,
    /// Its date.
    pub latest_date: Option<String>,
    /// The KPI's target, as text.
    pub target: Option<String>,
    /// Whether higher or lower is better, in words.
    pub direction_label: &'static str,
    /// `met`, `missed`, `no-target` or `no-data`.
    pub standing: &'static str,
    /// The same in words.
    pub standing_label: &'static str,
    /// A small trend line: SVG markup made safe by the build (`| safe`).
    pub trend: Option<String>,
}

/// One objective (or "Other KPIs") on the objectives page.
#[derive(Serialize, Default)]
pub struct ObjectiveView {
    /// The section's id (`objective-<slug>`, or `other-kpis`).
    pub anchor: String,
    /// The objective's id; none for "Other KPIs".
    pub id: Option<String>,
    /// Its title.
    pub title: String,
    /// Its owner, if given.
    pub owner: Option<String>,
    /// Its target in words, if given.
    pub target: Option<String>,
    /// How many of its KPIs are met.
    pub met: usize,
    /// How many are missed.
    pub missed: usize,
    /// Its KPIs: [`KpiRow`]s; "Other KPIs" lists the first 100 in
    /// register order.
    pub rows: Vec<KpiRow>,
    /// How many KPIs it has.
    pub total: usize,
    /// How many of them `rows` leaves out.
    pub more: usize,
}

/// `objectives.html`: every KPI by objective.
#[derive(Serialize, Default)]
pub struct ObjectivesPage {
    /// KPIs met, missed, without target or data, each counted once.
    pub counts: crate::compute::objectives::KpiCounts,
    /// How many objectives `objectives.yaml` lists.
    pub objective_count: usize,
    /// The objectives in file order, then "Other KPIs": [`ObjectiveView`]s.
    pub groups: Vec<ObjectiveView>,
}

/// One risk's section on the risks page.
#[derive(Serialize, Default)]
pub struct RiskSection<'a> {
    /// The section's id (`risk-<slug>`), which entry pages link to.
    pub anchor: String,
    /// The risk id.
    pub id: &'a str,
    /// The catalogue's title; none for an id the catalogue lacks.
    pub title: Option<&'a str>,
    /// The risk owner, if given.
    pub owner: Option<&'a str>,
    /// The risk level as written, if given.
    pub level: Option<&'a str>,
    /// The treatment in words, if given.
    pub treatment: Option<&'a str>,
    /// The entries treating it: [`EntryLink`]s.
    pub entries: Vec<EntryLink>,
}

/// `risks.html`: the risk catalogue with the entries treating each risk.
#[derive(Serialize, Default)]
pub struct RisksPage<'a> {
    /// The catalogue's risks, in id order: [`RiskSection`]s.
    pub catalogued: Vec<RiskSection<'a>>,
    /// Risk ids entries name that the catalogue lacks.
    pub uncatalogued: Vec<RiskSection<'a>>,
    /// How many entries name at least one risk.
    pub treated: usize,
}

/// A risk an entry treats, with what `risks.yaml` says of it.
#[derive(Serialize, Default)]
pub struct RiskView {
    /// The risk id.
    pub name: String,
    /// Its section on the risks page.
    pub url: String,
    /// The catalogue's title, if catalogued.
    pub title: Option<String>,
    /// The catalogue's level, if given.
    pub level: Option<String>,
}

/// A chart with its text alternative.
#[derive(Serialize, Clone, Default)]
pub struct ChartView {
    /// The chart's file, when it is shown as an image.
    pub src: Option<String>,
    /// The chart's SVG markup, when it is inlined into the page.
    pub svg: Option<String>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The chart's caption.
    pub title: String,
    /// What the chart shows, in words.
    pub description: String,
    /// The chart's data as table rows, the first the header.
    pub table: Vec<Vec<String>>,
}

/// A link to a plan, review or milestone with its date.
#[derive(Serialize, Default)]
pub struct DatedLink {
    /// What is linked.
    pub title: String,
    /// Its page, relative to `root`.
    pub url: String,
    /// Its date (updated, held, due), if any.
    pub date: Option<String>,
}

/// A count of entries under a label.
#[derive(Serialize, Default)]
pub struct CountView {
    /// The term's label.
    pub label: String,
    /// How many entries.
    pub count: usize,
    /// The term's page, where it has one.
    pub url: Option<String>,
}

/// The first rows of a list (at most ten), with how many there are.
#[derive(Serialize, Default)]
pub struct BoundedRows {
    /// The rows shown: [`Row`]s.
    pub rows: SharedValue,
    /// How many entries the whole list has.
    pub total: usize,
    /// Where the whole list is (the filtered register), if anywhere.
    pub all_url: Option<String>,
}

/// Counts with the same bound as [`BoundedRows`].
#[derive(Serialize, Default)]
pub struct BoundedCounts {
    /// The counts shown.
    pub rows: Vec<CountView>,
    /// How many terms there are.
    pub total: usize,
    /// The page listing every term, if any.
    pub all_url: Option<&'static str>,
}

/// An owner's open and overdue entries.
#[derive(Serialize, Default)]
pub struct OwnerLoadView {
    /// The owner.
    pub name: String,
    /// The owner's page, if any.
    pub url: Option<String>,
    /// Open entries.
    pub open: usize,
    /// Overdue entries.
    pub overdue: usize,
    /// The register filtered to the owner's overdue entries.
    pub overdue_url: Option<String>,
}

/// The period the dashboard's "achieved" figures cover: since the
/// previous management review, up to the as-of date.
#[derive(Serialize, Default)]
pub struct PeriodView {
    /// The day the period starts after (the previous review's date).
    pub after: String,
    /// Its first day.
    pub from: String,
    /// Its last day, the as-of date.
    pub until: String,
    /// The review that opened the period, if any.
    pub review_title: Option<String>,
    /// That review's page.
    pub review_url: Option<String>,
    /// The management review held on the as-of date, which closed the
    /// period, if any.
    pub closed_by_title: Option<String>,
    /// That review's page.
    pub closed_by_url: Option<String>,
}

/// A completed entry with its outcome's first sentence.
#[derive(Serialize, Default)]
pub struct OutcomeView {
    /// The entry's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its page, relative to `root`.
    pub url: String,
    /// When it was completed.
    pub completed: String,
    /// Days from completion to the as-of date.
    pub days_ago: i64,
    /// The first sentence of its outcome, if it records one.
    pub sentence: Option<String>,
}

/// The next management review and what falls due before it.
#[derive(Serialize, Default)]
pub struct NextReviewView {
    /// Its date.
    pub date: String,
    /// Estimated from the last review and the usual interval, not set in
    /// site.yaml's `next_review`.
    pub estimated: bool,
    /// The interval the estimate used, in days.
    pub interval_days: Option<i64>,
    /// Days from the as-of date to it (negative when it has passed).
    pub days_away: i64,
    /// Open entries whose target falls before it, earliest first.
    pub due: BoundedRows,
    /// Plan milestones not done that fall due before it.
    pub milestones_due: usize,
    /// Effectiveness reviews that fall due before it (overdue ones
    /// included).
    pub effectiveness_due: usize,
}

/// The register at the start of the period and now.
#[derive(Serialize, Default)]
pub struct TrendView {
    /// The day compared with (the period's start).
    pub since: String,
    /// The review held that day, if any.
    pub review_title: Option<String>,
    /// Open entries then.
    pub open_then: usize,
    /// Open entries now.
    pub open_now: usize,
    /// Overdue entries then.
    pub overdue_then: usize,
    /// Overdue entries now.
    pub overdue_now: usize,
    /// `better`, `worse` or `same`: overdue first, then open.
    pub direction: &'static str,
}

/// Effectiveness of completed actions, with its denominators.
#[derive(Serialize, Default)]
pub struct EffectivenessSummary {
    /// Reviewed and found effective.
    pub effective: usize,
    /// Reviewed.
    pub reviewed: usize,
    /// Completed.
    pub completed: usize,
    /// Completed and not yet reviewed.
    pub unreviewed: usize,
    /// `effective` of `reviewed`, in percent, if any were reviewed.
    pub percent: Option<f64>,
    /// Effectiveness reviews due (every completed action not reviewed).
    pub due: usize,
    /// Of those, due before the as-of date.
    pub overdue: usize,
    /// The first due ones, earliest first (at most ten).
    pub list: Vec<DueView>,
}

/// Durations in whole days.
#[derive(Serialize, Default)]
pub struct DaysView {
    /// Median days from identified to completed.
    pub to_complete: Option<i64>,
    /// Median age of open entries.
    pub age_open: Option<i64>,
    /// Age of the oldest open entry.
    pub oldest_open: Option<i64>,
}

/// `index.html`, the dashboard.
#[derive(Serialize, Default)]
pub struct DashboardPage {
    /// KPIs met, missed, without target or data, each counted once.
    pub kpis: crate::compute::objectives::KpiCounts,
    /// The rollups: `total`, `open`, `age_open` and `days_to_complete`
    /// (`{count, median, mean, max}`), `on_time`, `reviewed`, `effective`
    /// (`{part, of, percent}`), `benefit_effort_unrated`, and the raw
    /// counts the other variables present.
    pub r: SharedValue,
    /// The latest date in the register.
    pub last_updated: Option<String>,
    /// The period "achieved" covers.
    pub period: PeriodView,
    /// Typical durations.
    pub days: DaysView,
    /// The latest entries completed in the period (at most three rows).
    pub achieved_latest: SharedValue,
    /// How many entries were completed in the period.
    pub achieved_total: usize,
    /// The register filtered to completed entries.
    pub completed_url: String,
    /// The longest-overdue entries (at most three rows).
    pub oldest_overdue: SharedValue,
    /// The register filtered to overdue entries.
    pub overdue_url: String,
    /// Overdue entries, longest first.
    pub overdue: BoundedRows,
    /// Entries whose target was moved later at least twice, most often
    /// first (rows carry `extensions`, `original_target`, `slipped_days`).
    pub extended: BoundedRows,
    /// Recently completed entries.
    pub recent: BoundedRows,
    /// Owners with open entries, most overdue first (at most ten).
    pub owner_load: Vec<OwnerLoadView>,
    /// How many owners have open entries.
    pub owners_total: usize,
    /// Counts by status.
    pub by_status: BoundedCounts,
    /// Counts by priority.
    pub by_priority: BoundedCounts,
    /// Counts by entry type.
    pub by_type: BoundedCounts,
    /// Counts by source.
    pub by_source: BoundedCounts,
    /// Counts by control or clause.
    pub by_control: BoundedCounts,
    /// Overdue plan milestones ("milestone — plan"), at most ten.
    pub overdue_milestones: Vec<DatedLink>,
    /// How many milestones are overdue.
    pub overdue_milestones_total: usize,
    /// The trend chart.
    pub trend: Option<ChartView>,
    /// The other dashboard charts.
    pub charts: Vec<ChartView>,
    /// The `webcal://` address of `calendar.ics`, when `base_url` is set.
    pub webcal: Option<String>,
    /// Open nonconformities by severity: [`CountView`]s for major and
    /// minor, linked to the nonconformities page.
    pub nc_open: Vec<CountView>,
    /// Completed actions found not effective that no entry follows up.
    pub not_effective_unfollowed: BoundedRows,
    /// Findings not closed by state ([`CountView`]s for open, reopened,
    /// awaiting verification; none with a count of 0).
    pub nc_states: Vec<CountView>,
    /// Reopened findings with no follow-up action.
    pub nc_no_follow_up: usize,
    /// The latest outcomes of the period, in words (at most two).
    pub outcomes: Vec<OutcomeView>,
    /// The owner with the most overdue entries, if anything is overdue.
    pub top_overdue_owner: Option<OwnerLoadView>,
    /// The next management review, if one is set or can be estimated.
    pub next_review: Option<NextReviewView>,
    /// Open and overdue now against the period's start.
    pub trend_words: TrendView,
    /// The effectiveness rate with what it is of, and the reviews due.
    pub effectiveness: EffectivenessSummary,
    /// Whether `recent` lists the period's completions (else the latest
    /// ones before it; rows then carry `days_ago`).
    pub recent_in_period: bool,
    /// Open entries with no benefit or effort rating (the benefit ×
    /// effort chart is left out when none is rated).
    pub unrated: usize,
}

/// A history record of an entry.
#[derive(Serialize, Default)]
pub struct HistoryView<'a> {
    /// When.
    pub date: String,
    /// The status set, if any (slug).
    pub status: Option<&'static str>,
    /// Its label.
    pub status_label: Option<&'static str>,
    /// The note as HTML, if any.
    pub note_html: Option<&'a str>,
    /// The new target this record set, if any.
    pub target: Option<String>,
    /// Why it changed, if given (plain text).
    pub reason: Option<&'a str>,
}

/// A KPI of an entry.
#[derive(Serialize, Default)]
pub struct KpiView {
    /// The KPI's name.
    pub name: String,
    /// Its unit, if given.
    pub unit: Option<String>,
    /// The baseline, if given.
    pub baseline: Option<f64>,
    /// The target, if given.
    pub target: Option<f64>,
    /// Whether higher or lower is better, in words.
    pub direction_label: &'static str,
    /// The latest measurement.
    pub latest: Option<f64>,
    /// Its date.
    pub latest_date: Option<String>,
    /// Whether the latest value meets the target in the KPI's direction.
    pub met: Option<bool>,
    /// The KPI's chart, inline.
    pub chart: Option<ChartView>,
}

/// A Markdown field of an entry that the page shows under its label.
#[derive(Serialize, Default)]
pub struct TextView<'a> {
    /// The field's YAML key.
    pub key: &'static str,
    /// The field's label.
    pub label: &'static str,
    /// Its text as HTML.
    pub html: &'a str,
}

/// A link of an entry: a web address or an evidence file.
#[derive(Serialize, Default)]
pub struct LinkView {
    /// The link's text.
    pub title: String,
    /// Where it goes (evidence relative to the page).
    pub href: String,
    /// Whether it leaves the site.
    pub external: bool,
}

/// The effectiveness review of an entry.
#[derive(Serialize, Default)]
pub struct EffectivenessView<'a> {
    /// When it was reviewed.
    pub date: String,
    /// The result slug.
    pub result: &'static str,
    /// The result label.
    pub result_label: &'static str,
    /// Who reviewed it, if given.
    pub by: Option<&'a str>,
    /// The note as HTML, if any.
    pub note_html: Option<&'a str>,
}

/// `entry.html`, one entry.
#[derive(Serialize, Default)]
pub struct EntryPage<'a> {
    /// Risks the entry treats: [`RiskView`]s.
    pub risks: Vec<RiskView>,
    /// The entry's [`Row`].
    pub e: SharedValue,
    /// The description as HTML, if any.
    pub description_html: Option<&'a str>,
    /// The outcome as HTML, if any.
    pub outcome_html: Option<&'a str>,
    /// Lessons learned as HTML, if any.
    pub lessons_html: Option<&'a str>,
    /// Resources as HTML, if any.
    pub resources_html: Option<&'a str>,
    /// The entry's other Markdown fields, in the schema's order: those
    /// without a variable of their own above.
    pub more_texts: Vec<TextView<'a>>,
    /// The benefit label, if rated.
    pub benefit: Option<&'static str>,
    /// The effort label, if rated.
    pub effort: Option<&'static str>,
    /// The effectiveness review, if any.
    pub effectiveness: Option<EffectivenessView<'a>>,
    /// The history records.
    pub history: Vec<HistoryView<'a>>,
    /// The status timeline: `[date, status, status_label]` per change.
    pub timeline: Vec<(String, &'static str, &'static str)>,
    /// The KPIs.
    pub kpis: Vec<KpiView>,
    /// The links.
    pub links: Vec<LinkView>,
    /// The plans naming the entry (`date`: updated).
    pub plans: Vec<DatedLink>,
    /// The reviews naming the entry (`date`: held).
    pub reviews: Vec<DatedLink>,
    /// The custom columns, `[name, value]` pairs.
    pub extra: Vec<(String, String)>,
    /// The nonconformity the entry reacts to, if any.
    pub nonconformity: Option<NonconformityView<'a>>,
    /// The correction (what was done at once) as HTML, if any.
    pub correction_html: Option<&'a str>,
    /// The root cause as HTML, if any.
    pub root_cause_html: Option<&'a str>,
    /// The earlier entries this one follows up.
    pub follows_up: Vec<EntryLink>,
    /// The later entries that follow this one up.
    pub followed_up_by: Vec<EntryLink>,
    /// Related entries, whichever of the two names the other.
    pub related: Vec<EntryLink>,
    /// The entry's controls with their catalogue titles.
    pub controls: Vec<ControlView>,
    /// Its file's revisions in git.
    pub revisions: RevisionsView<'a>,
    /// The nonconformity findings whose chain this entry belongs to, with
    /// the chain's state.
    pub findings: Vec<FindingView>,
    /// When its effectiveness review falls due (completed and not yet
    /// reviewed).
    pub effectiveness_due: Option<DueView>,
}

/// An effectiveness review that falls due.
#[derive(Serialize, Default)]
pub struct DueView {
    /// The entry's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its page, relative to `root`.
    pub url: String,
    /// The owner, if any.
    pub owner: Option<String>,
    /// The due date.
    pub due: String,
    /// Whether the due date has passed.
    pub overdue: bool,
}

/// A nonconformity an entry reacts to.
#[derive(Serialize, Default)]
pub struct NonconformityView<'a> {
    /// The finding's reference.
    pub reference: &'a str,
    /// Severity slug (`major`, `minor`, `observation`).
    pub severity: &'static str,
    /// Severity label.
    pub severity_label: &'static str,
    /// The requirement not met, if given.
    pub requirement: Option<&'a str>,
    /// When it was raised.
    pub raised: String,
    /// Who raised it, if given.
    pub by: Option<&'a str>,
    /// The statement as HTML, if any.
    pub statement_html: Option<&'a str>,
}

/// Another entry, linked from an entry's page.
#[derive(Serialize, Default)]
pub struct EntryLink {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its page, relative to `root`.
    pub url: String,
    /// Its status label.
    pub status_label: &'static str,
}

/// A control or clause, with what `controls.yaml` says of it.
#[derive(Serialize, Default)]
pub struct ControlView {
    /// The id as written.
    pub name: String,
    /// Its page, relative to `root`.
    pub url: String,
    /// The catalogue's title, if the catalogue has it.
    pub title: Option<String>,
    /// Whether it is applicable, if the catalogue says.
    pub applicable: Option<bool>,
}

/// Who approved a plan or review, and when.
#[derive(Serialize, Default)]
pub struct ApprovalView<'a> {
    /// Who approved it.
    pub by: &'a str,
    /// When.
    pub date: String,
    /// The text against the approved one, from git: `unchanged`,
    /// `changed`, `unknown`, or nothing when git was not read.
    pub text: Option<&'static str>,
    /// The approved commit, abbreviated, when git has it.
    pub revision: Option<&'a str>,
    /// Commits that changed the text since the approval.
    pub commits: usize,
    /// The file differs from its last commit (a local build).
    pub uncommitted: bool,
    /// Why the approval cannot be checked, when `text` is `unknown`.
    pub note: Option<&'a str>,
    /// The front matter's fields that changed, by name (their values are
    /// not shown).
    pub fields: Vec<&'a str>,
    /// The body's changed lines, approved text against the text now; empty
    /// when unchanged, too large to compare, or the approved text was for
    /// a stricter audience.
    pub diff: Vec<DiffLineView<'a>>,
}

/// One line of an approval's diff.
#[derive(Serialize, Default)]
pub struct DiffLineView<'a> {
    /// `same`, `removed`, `added` or `gap` (unchanged lines left out).
    pub kind: &'static str,
    /// ` `, `-`, `+` or `…`.
    pub marker: &'static str,
    /// The line's text.
    pub text: &'a str,
}

/// One nonconformity finding: every entry carrying its `ref`, and the
/// state of its whole chain (see `compute::nonconformity`).
#[derive(Serialize, Default)]
pub struct FindingView {
    /// The finding's reference.
    pub reference: String,
    /// Its row's `id` on the nonconformities page.
    pub anchor: String,
    /// That row, relative to `root`.
    pub url: String,
    /// Severity slug (the gravest of its occurrences).
    pub severity: &'static str,
    /// Its label.
    pub severity_label: &'static str,
    /// The clause or control not met, as the first occurrence gives it.
    pub requirement: Option<String>,
    /// `open`, `reopened`, `awaiting-verification` or `closed`.
    pub state: &'static str,
    /// Its label.
    pub state_label: &'static str,
    /// Reopened with no follow-up action recorded.
    pub no_follow_up: bool,
    /// The earliest date it was raised.
    pub raised: String,
    /// The effectiveness review that closed it, if closed.
    pub closed: Option<String>,
    /// Days from raised to closed, or to the as-of date.
    pub days_open: i64,
    /// How many entries carry its ref (raised again: more than one).
    pub occurrences: usize,
    /// Every entry of its chain, in register order.
    pub chain: Vec<EntryLink>,
    /// Whether some entry of the chain records a correction.
    pub correction: bool,
    /// Whether some entry of the chain records a root cause.
    pub root_cause: bool,
    /// The effectiveness result slug of the chain's last completed action
    /// (while the chain is open, of its latest review), if reviewed.
    pub effectiveness: Option<&'static str>,
    /// Its label.
    pub effectiveness_label: Option<&'static str>,
}

/// Nonconformities of one severity.
#[derive(Serialize, Default)]
pub struct NonconformityGroup {
    /// Severity slug.
    pub severity: &'static str,
    /// Severity label.
    pub severity_label: &'static str,
    /// How many of them are not closed.
    pub open: usize,
    /// Not closed first, then by state, then by date raised.
    pub rows: Vec<FindingView>,
}

/// `nonconformities.html`: every finding, one row each.
#[derive(Serialize, Default)]
pub struct NonconformitiesPage {
    /// How many findings there are.
    pub total: usize,
    /// How many of them are not closed.
    pub open: usize,
    /// Findings by state ([`CountView`]s, every state, no links).
    pub states: Vec<CountView>,
    /// By severity, gravest first; severities with none left out.
    pub groups: Vec<NonconformityGroup>,
}

/// A plan milestone.
#[derive(Serialize, Default)]
pub struct MilestoneView {
    /// What is to be done.
    pub title: String,
    /// When it is due, if given.
    pub due: Option<String>,
    /// When it was done, if it was.
    pub done: Option<String>,
    /// `done`, `late` (done after due), `overdue` or `open`.
    pub state: &'static str,
}

/// A plan as the plans list shows it.
#[derive(Serialize, Default)]
pub struct PlanSummary {
    /// The plan's title.
    pub title: String,
    /// Its page, relative to `root`.
    pub url: String,
    /// Its owner, if given.
    pub owner: Option<String>,
    /// When it was last updated, if given.
    pub updated: Option<String>,
    /// How many milestones it has.
    pub milestones_total: usize,
    /// How many are done.
    pub milestones_done: usize,
    /// How many are overdue.
    pub milestones_overdue: usize,
    /// How many entries it names.
    pub entries: usize,
}

/// `plans.html`, the plans.
#[derive(Serialize, Default)]
pub struct PlansPage {
    /// Every plan.
    pub plans: Vec<PlanSummary>,
}

/// A plan's own fields.
#[derive(Serialize, Default)]
pub struct PlanHead<'a> {
    /// The plan's title.
    pub title: &'a str,
    /// Its owner, if given.
    pub owner: Option<&'a str>,
    /// When it was last updated, if given.
    pub updated: Option<String>,
    /// Who approved it and when, if recorded.
    pub approved: Option<ApprovalView<'a>>,
}

/// `plan.html`, one plan.
#[derive(Serialize, Default)]
pub struct PlanPage<'a> {
    /// The plan's title, owner and update date.
    pub plan: PlanHead<'a>,
    /// The plan's Markdown as HTML.
    pub body_html: &'a str,
    /// Its milestones.
    pub milestones: Vec<MilestoneView>,
    /// How many milestones are done.
    pub milestones_done: usize,
    /// Milestones done, as a whole percentage.
    pub progress: usize,
    /// The entries the plan names ([`Row`]s).
    pub rows: SharedValue,
    /// Its file's revisions in git.
    pub revisions: RevisionsView<'a>,
}

/// `reviews.html`, the reviews.
#[derive(Serialize, Default)]
pub struct ReviewsPage<'a> {
    /// Every review (`date`: held), newest first.
    pub reviews: Vec<DatedLink>,
    /// Each review's kind label, in the same order.
    pub kinds: Vec<&'a str>,
}

/// A review's own fields.
#[derive(Serialize, Default)]
pub struct ReviewHead<'a> {
    /// The review's title.
    pub title: &'a str,
    /// When it was held.
    pub date: String,
    /// Its kind, as a label.
    pub kind: &'static str,
    /// The previous review of the same kind, if any.
    pub previous: Option<&'a str>,
    /// Its page.
    pub previous_url: Option<String>,
    /// Who approved it and when, if recorded.
    pub approved: Option<ApprovalView<'a>>,
}

/// An entry by id only.
#[derive(Serialize, Default)]
pub struct IdLink {
    /// The entry's id.
    pub id: String,
    /// Its page, relative to `root`.
    pub url: String,
}

/// The entries a review discussed.
#[derive(Serialize, Default)]
pub struct DiscussedView {
    /// The first ten, as [`Row`]s as they stood on the review's date
    /// (status, target, completed, overdue, age), each with `status_now`
    /// and `status_now_label`: its status as of the build, on its page.
    pub rows: SharedValue,
    /// How many were discussed.
    pub total: usize,
    /// The rest, by id.
    pub rest: Vec<IdLink>,
}

/// The register as it stood on a review's date.
#[derive(Serialize, Default)]
pub struct ImprovementView {
    /// The review's date.
    pub date: String,
    /// The previous review's date (of the same kind), if any.
    pub since: Option<String>,
    /// Counts by status on that day.
    pub by_status: Vec<CountView>,
    /// How many entries were open.
    pub open: usize,
    /// Entries completed since the previous review, latest first.
    pub completed_since: BoundedRows,
    /// Entries overdue on that day, longest first (`days_overdue` as of
    /// that day).
    pub overdue: BoundedRows,
}

/// `review.html`, one review.
#[derive(Serialize, Default)]
pub struct ReviewPage<'a> {
    /// The review's title, date, kind and previous review.
    pub review: ReviewHead<'a>,
    /// Who attended.
    pub attendees: &'a [String],
    /// The review's Markdown as HTML.
    pub body_html: &'a str,
    /// The entries it discussed.
    pub discussed: DiscussedView,
    /// Continual improvement: the register as of the review date.
    pub ci: ImprovementView,
    /// What the review decided, each with its entries as of the build.
    pub decisions: Vec<DecisionView>,
    /// A management review's input pack (`review_input.html`), relative
    /// to `root`; none for other kinds.
    pub input_url: Option<String>,
    /// Its file's revisions in git.
    pub revisions: RevisionsView<'a>,
}

/// A commit that changed a page's file.
#[derive(Serialize, Default)]
pub struct RevisionView<'a> {
    /// The commit's date (UTC).
    pub date: String,
    /// Its author's name (never the e-mail address).
    pub author: &'a str,
    /// The first line of its message, at most 200 characters.
    pub summary: &'a str,
}

/// The revisions of a page's file in git, dated on or before the as-of
/// date. Empty outside a git repository and with `--no-git`.
#[derive(Serialize, Default)]
pub struct RevisionsView<'a> {
    /// The newest revision's date, if any: when the page last changed.
    pub last_updated: Option<String>,
    /// The newest revisions (at most 20), newest first.
    pub list: Vec<RevisionView<'a>>,
    /// How many earlier revisions are not listed.
    pub earlier: usize,
}

/// A term on a taxonomy's index page.
#[derive(Serialize, Default)]
pub struct TermView {
    /// The term.
    pub name: String,
    /// Its page, relative to `root`.
    pub url: String,
    /// How many entries have it.
    pub count: usize,
    /// How many of them are open.
    pub open: usize,
    /// How many of them are overdue.
    pub overdue: usize,
    /// How many of them are completed.
    pub completed: usize,
    /// The catalogue's title (controls with `controls.yaml`), if any.
    pub title: Option<String>,
    /// Whether the catalogue marks it applicable, if it says.
    pub applicable: Option<bool>,
}

/// Terms under one heading (controls by clause and Annex A theme).
#[derive(Serialize, Default)]
pub struct GroupView {
    /// The heading ("" when the terms are not grouped).
    pub heading: String,
    /// The terms.
    pub terms: Vec<TermView>,
}

/// `taxonomy.html`, the terms of one grouping.
#[derive(Serialize, Default)]
pub struct TaxonomyPage {
    /// The grouping ("Owners", "Controls and clauses", …).
    pub title: &'static str,
    /// One of its terms ("Owner", "Control", …).
    pub singular: &'static str,
    /// The terms, by group.
    pub groups: Vec<GroupView>,
    /// Whether the terms come with catalogue titles and applicability
    /// (controls, with `controls.yaml`).
    pub catalogue: bool,
}

/// `term.html`, one term.
#[derive(Serialize, Default)]
pub struct TermPage<'a> {
    /// The grouping, as in [`TaxonomyPage`].
    pub title: &'static str,
    /// One of its terms, as in [`TaxonomyPage`].
    pub singular: &'static str,
    /// The grouping's index page, relative to `root`.
    pub index_url: String,
    /// The term.
    pub name: &'a str,
    /// Its group heading.
    pub group: String,
    /// How many entries have it.
    pub total: usize,
    /// The register filtered to the term, if it can be.
    pub all_url: Option<String>,
    /// Its overdue entries.
    pub overdue: BoundedRows,
    /// Its open entries, nearest target first.
    pub open: BoundedRows,
    /// Its completed entries, latest first.
    pub completed: BoundedRows,
    /// Whether the term has a calendar (owners).
    pub calendar: bool,
    /// The calendar's `webcal://` address, when `base_url` is set.
    pub webcal: Option<String>,
    /// Effectiveness reviews due of the term's completed entries, earliest
    /// first, at most ten (owners' pages only).
    pub effectiveness_due: Vec<DueView>,
    /// The catalogue's title (controls with `controls.yaml`), if any.
    pub term_title: Option<String>,
    /// Whether the catalogue marks it applicable, if it says.
    pub applicable: Option<bool>,
    /// The catalogue's justification, if any.
    pub justification: Option<String>,
}

/// `register.html`, one numbered page of the register.
#[derive(Serialize)]
pub struct RegisterPage<'a> {
    /// How many entries the register has.
    pub total: usize,
    /// This page's entries, in id order: [`Row`]s.
    pub rows: SharedValue,
    /// Where this page is among the numbered pages.
    pub pager: Pager,
    /// The choices of the filters (with JavaScript), from the data itself.
    #[serde(flatten)]
    pub filters: &'a RegisterFilters,
}

impl Default for RegisterPage<'_> {
    fn default() -> Self {
        static NONE: RegisterFilters = RegisterFilters {
            statuses: Vec::new(),
            priorities: Vec::new(),
            sources: Vec::new(),
            controls: Vec::new(),
            tags: Vec::new(),
            risk_choices: Vec::new(),
            owners: Vec::new(),
            types: Vec::new(),
            severities: Vec::new(),
        };
        RegisterPage {
            total: 0,
            rows: SharedValue::default(),
            pager: Pager::default(),
            filters: &NONE,
        }
    }
}

/// The register's filter choices; the same on every numbered page.
#[derive(Serialize, Default)]
pub struct RegisterFilters {
    /// Statuses: [`FilterOption`]s.
    pub statuses: Vec<FilterOption>,
    /// Priorities.
    pub priorities: Vec<FilterOption>,
    /// Sources that occur.
    pub sources: Vec<FilterOption>,
    /// Controls that occur (value: the control page's slug).
    pub controls: Vec<FilterOption>,
    /// Tags that occur (value: the tag page's slug).
    pub tags: Vec<FilterOption>,
    /// Risks entries name (value: the risk's slug); none without.
    pub risk_choices: Vec<FilterOption>,
    /// Owners (value: the name).
    pub owners: Vec<FilterOption>,
    /// Entry types.
    pub types: Vec<FilterOption>,
    /// Nonconformity severities that occur; none when no entry records a
    /// nonconformity.
    pub severities: Vec<FilterOption>,
}

/// One choice of a register filter.
#[derive(Serialize, Default)]
pub struct FilterOption {
    /// What goes into the URL.
    pub value: String,
    /// What the reader sees.
    pub label: String,
}

/// Links between the register's numbered pages.
#[derive(Serialize, Default)]
pub struct Pager {
    /// This page's number, from 1.
    pub page: usize,
    /// How many pages there are.
    pub pages: usize,
    /// Position (from 1) of this page's first row.
    pub first: usize,
    /// Position of its last row.
    pub last: usize,
    /// The previous page, relative to `root`, if any.
    pub prev: Option<String>,
    /// The next page, if any.
    pub next: Option<String>,
    /// Every page, for the numbered links: [`PageLink`]s.
    pub links: Vec<PageLink>,
}

/// One numbered page link.
#[derive(Serialize, Default)]
pub struct PageLink {
    /// The page's number.
    pub n: usize,
    /// Its address relative to `root`; nothing for the current page.
    pub url: Option<String>,
}

/// Every struct of the theme API with the names of its fields, found by
/// serialising a default instance (so the list cannot drift from the
/// structs): `(template, struct, fields)`, `template` naming the template
/// a page context is for and empty for the shapes inside them. The theme
/// API's documentation is checked against this.
pub fn api_fields() -> Vec<(&'static str, &'static str, Vec<String>)> {
    fn f<T: Serialize + Default>(
        template: &'static str,
    ) -> (&'static str, &'static str, Vec<String>) {
        let name = std::any::type_name::<T>();
        let name = name.split('<').next().unwrap_or(name);
        let name = name.rsplit("::").next().unwrap_or(name);
        let keys = match serde_json::to_value(T::default()) {
            Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
            _ => Vec::new(),
        };
        (template, name, keys)
    }
    vec![
        f::<Globals>("base.html"),
        f::<Frame>("base.html"),
        f::<DashboardPage>("index.html"),
        f::<EntryPage>("entry.html"),
        f::<PlansPage>("plans.html"),
        f::<PlanPage>("plan.html"),
        f::<ReviewsPage>("reviews.html"),
        f::<ReviewPage>("review.html"),
        f::<ReviewInputPage>("review_input.html"),
        f::<PackList<PackEntry>>(""),
        f::<PackEntry>(""),
        f::<DecisionView>(""),
        f::<TextView>(""),
        f::<ChangesView>(""),
        f::<MoveView>(""),
        f::<FindingView>(""),
        f::<KpiResultView>(""),
        f::<TaxonomyPage>("taxonomy.html"),
        f::<TermPage>("term.html"),
        f::<RegisterPage>("register.html"),
        f::<NonconformitiesPage>("nonconformities.html"),
        f::<NonconformityGroup>(""),
        f::<ObjectivesPage>("objectives.html"),
        f::<ObjectiveView>(""),
        f::<KpiRow>(""),
        f::<RisksPage>("risks.html"),
        f::<RiskSection>(""),
        f::<RiskView>(""),
        f::<FindingView>(""),
        f::<DueView>(""),
        f::<OutcomeView>(""),
        f::<NextReviewView>(""),
        f::<TrendView>(""),
        f::<EffectivenessSummary>(""),
        f::<NonconformityView>(""),
        f::<EntryLink>(""),
        f::<ControlView>(""),
        f::<ApprovalView>(""),
        f::<DiffLineView>(""),
        f::<RegisterFilters>(""),
        f::<FilterOption>(""),
        f::<Pager>(""),
        f::<PageLink>(""),
        f::<SiteView>(""),
        f::<Row>(""),
        f::<NameLink>(""),
        f::<ChartView>(""),
        f::<DatedLink>(""),
        f::<CountView>(""),
        f::<BoundedRows>(""),
        f::<BoundedCounts>(""),
        f::<OwnerLoadView>(""),
        f::<PeriodView>(""),
        f::<DaysView>(""),
        f::<HistoryView>(""),
        f::<KpiView>(""),
        f::<LinkView>(""),
        f::<EffectivenessView>(""),
        f::<MilestoneView>(""),
        f::<PlanSummary>(""),
        f::<PlanHead>(""),
        f::<ReviewHead>(""),
        f::<IdLink>(""),
        f::<DiscussedView>(""),
        f::<ImprovementView>(""),
        f::<TermView>(""),
        f::<GroupView>(""),
        f::<RevisionView>(""),
        f::<RevisionsView>(""),
    ]
}
