//! The register entry, declared once: its type ([`Entry`]) and one row per
//! field ([`ENTRY`]) saying what every layer needs to know about it — the
//! YAML key and label, its kind, who may see it, its CSV column, its JSON
//! position, the spreadsheet column names `import` knows it by, whether
//! search indexes it, whether OSCAL carries it and the line `new` writes.
//!
//! Reading, redaction, the evidence scan, search, the exports, import,
//! `new`/`init`, the JSON Schemas, the docs' field reference and the
//! audience leak test all walk this table or match on [`Field`]
//! exhaustively, so a new field is either picked up or stops the compiler
//! where someone must decide about it. Labels are English, keyed by the
//! YAML key (a translation keys them the same way).

use crate::model::diag::Pos;
use crate::model::*;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One improvement opportunity or corrective action: a row of the register.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub source: Option<Source>,
    pub identified: NaiveDate,
    pub status: Status,
    pub priority: Priority,
    pub owner: Option<String>,
    /// The current target: the last `target` history record, else the
    /// `target` field (see [`Entry::target_baseline`]).
    pub target: Option<NaiveDate>,
    /// From `completed`, or from the history record that completed it.
    pub completed: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub entry_type: EntryType,
    pub benefit: Option<Level>,
    pub effort: Option<Level>,
    pub resources: Option<String>,
    pub controls: Vec<String>,
    pub tags: Vec<String>,
    pub lessons: Option<String>,
    pub effectiveness: Option<Effectiveness>,
    pub history: Vec<HistoryRecord>,
    pub kpis: Vec<Kpi>,
    pub links: Vec<Link>,
    /// Custom columns, each value's text exactly as written (see
    /// the YAML reader's `Node::written_text`): a column is free-form, so
    /// `1.10`, `0755` or `yes` mean what the author typed, not a number.
    pub extra: BTreeMap<String, String>,
    pub visibility: Visibility,
    pub origin: Origin,
    /// Position of `target`, so an overdue warning points at it.
    pub target_pos: Option<Pos>,
    /// Position of `completed` (or of the history record that gives the
    /// completion), so a warning about the date points at it.
    pub completed_pos: Option<Pos>,
    pub nonconformity: Option<Nonconformity>,
    /// Markdown: the cause found (10.2 b).
    pub root_cause: Option<String>,
    /// Markdown: what was done at once (10.2 a).
    pub correction: Option<String>,
    /// Earlier entries this one continues.
    pub follows_up: Vec<IdRef>,
    pub related: Vec<IdRef>,
    /// Where each of `controls` is written, for catalogue warnings.
    pub controls_pos: Vec<Pos>,
    /// Ids of `risks.yaml` risks this entry treats (ISO/IEC 27001 6.1.3).
    pub risks: Vec<String>,
    /// Where each of `risks` is written, for catalogue warnings.
    pub risks_pos: Vec<Pos>,
    /// The `target` field as written: the target as first agreed, before
    /// any history record moved it.
    pub target_baseline: Option<NaiveDate>,
    /// Its file's revisions in git; every entry of a file shares them.
    pub revisions: crate::model::Revisions,
}

/// The enumerations a field's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Status,
    Level,
    Source,
    EntryType,
    EffectivenessResult,
    Severity,
    Direction,
    Visibility,
    ReviewKind,
    HiddenEntries,
    /// site.yaml `date_format`.
    DateStyle,
}

fn slugs_of<T: Enumerated>() -> Vec<&'static str> {
    T::ALL.iter().map(|v| v.slug()).collect()
}

impl Choice {
    /// The slugs content may write, in their order.
    pub fn slugs(self) -> Vec<&'static str> {
        match self {
            Choice::Status => slugs_of::<Status>(),
            Choice::Level => slugs_of::<Level>(),
            Choice::Source => slugs_of::<Source>(),
            Choice::EntryType => slugs_of::<EntryType>(),
            Choice::EffectivenessResult => slugs_of::<EffectivenessResult>(),
            Choice::Severity => slugs_of::<Severity>(),
            Choice::Direction => slugs_of::<Direction>(),
            Choice::Visibility => slugs_of::<Visibility>(),
            Choice::ReviewKind => slugs_of::<ReviewKind>(),
            Choice::HiddenEntries => slugs_of::<HiddenEntries>(),
            Choice::DateStyle => slugs_of::<DateStyle>(),
        }
    }
}

/// What a field holds, as content writes it.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A register id: letters, digits, `.`, `_`, `-`.
    Id,
    /// One line of plain text.
    Text,
    /// Markdown, rendered on the entry's page.
    Markdown,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM-DD`, or `unknown` for a completion nobody dated.
    Completion,
    Number,
    /// A whole number from 1 to 3650 (a number of days).
    Days,
    /// `true` or `false`.
    Bool,
    /// `https://...` or `evidence/<file>`.
    Url,
    /// `https://...` (or `http://`).
    WebUrl,
    Enum(Choice),
    TextList,
    /// Register ids of other entries.
    IdList,
    /// Ids of the risk catalogue (`risks.yaml`); an id it lacks is a
    /// warning, not an error, so it is free text to everything but `check`.
    RiskIds,
    /// A mapping with fields of its own.
    Record(&'static [Sub]),
    /// A list of such mappings.
    RecordList(&'static [Sub]),
    /// Custom columns: any keys, each a single value.
    FreeMap,
    /// site.yaml `visibility.fields`: restrictable entry fields, each the
    /// least audience that may see it.
    FieldAudiences,
}

/// A field of a nested mapping (`nonconformity.ref`, a history record's
/// `note`).
#[derive(Debug, Clone, Copy)]
pub struct Sub {
    pub key: &'static str,
    pub kind: Kind,
    pub required: bool,
    pub about: &'static str,
    /// Its column in `register.csv`: position and header.
    pub csv: Option<(usize, &'static str)>,
    /// Its `--map` name and the spreadsheet column names `import` reads
    /// it from (normalised: lower case, letters and digits).
    pub import: Option<(&'static str, &'static [&'static str])>,
}

impl Sub {
    const BASE: Sub = Sub {
        key: "",
        kind: Kind::Text,
        required: false,
        about: "",
        csv: None,
        import: None,
    };
}

/// Who may see a field of an entry they may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Every audience that sees the entry, stubs included: counts, charts
    /// and links are made of it.
    Always,
    /// site.yaml `visibility.fields` may keep it from wider audiences, and
    /// a redacted stub leaves it out. The default.
    Restrictable,
    /// Restricted together with another field (site.yaml names that one).
    With(Field),
}

/// Where the search index puts a field: ranks order the parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Search {
    /// In the entry's keys (names, terms), at this rank.
    pub key: Option<u8>,
    /// In the entry's text (Markdown), at this rank.
    pub text: Option<u8>,
}

impl Search {
    pub const NO: Search = Search {
        key: None,
        text: None,
    };
    pub const fn key(rank: u8) -> Search {
        Search {
            key: Some(rank),
            text: None,
        }
    }
    pub const fn text(rank: u8) -> Search {
        Search {
            key: None,
            text: Some(rank),
        }
    }
}

/// One field of a register entry.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub field: Field,
    /// Its key in YAML.
    pub key: &'static str,
    /// Its name on pages (English; translations key it by `key`).
    pub label: &'static str,
    pub kind: Kind,
    /// Every entry must give it.
    pub required: bool,
    pub shown: Shown,
    /// Its column in `register.csv`: position and header.
    pub csv: Option<(usize, &'static str)>,
    /// Its position among `register.json`'s entry fields.
    pub json: Option<usize>,
    /// The spreadsheet column names `import` reads it from (normalised:
    /// lower case, letters and digits); empty: not imported.
    pub import: &'static [&'static str],
    pub search: Search,
    /// The OSCAL POA&M carries it.
    pub oscal: bool,
    /// A Markdown field the default theme shows by its own name
    /// (`<key>_html`); any other Markdown field is in the entry page's
    /// `more_texts`, so a new one is shown without a template change.
    pub named_on_page: bool,
    /// What `new` and `init` write for it (commented out unless the field
    /// is required). `{today}`, `{target}`, `{id}`, `{title}` and
    /// `{description}` are filled in; `{choices}` lists the field's
    /// values, `{choices:KEY}` those of its sub-field KEY.
    pub template: &'static str,
    /// What it means, for the docs' field reference and the JSON Schema.
    pub about: &'static str,
}

impl Spec {
    const BASE: Spec = Spec {
        field: Field::Id,
        key: "",
        label: "",
        kind: Kind::Text,
        required: false,
        shown: Shown::Restrictable,
        csv: None,
        json: None,
        import: &[],
        search: Search::NO,
        oscal: false,
        named_on_page: false,
        template: "",
        about: "",
    };
}

/// Declares [`Field`] and [`ENTRY`] together, one row per field, so that
/// the two cannot disagree.
macro_rules! entry_fields {
    ($($variant:ident { $($body:tt)* })+) => {
        /// A field of a register entry (see [`ENTRY`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Field { $($variant),+ }

        /// Every field of a register entry, in the order `new` writes them.
        pub const ENTRY: &[Spec] = &[$(Spec { field: Field::$variant, $($body)* ..Spec::BASE }),+];
    };
}

/// The fields of `effectiveness` mappings.
pub const EFFECTIVENESS: &[Sub] = &[
    Sub {
        key: "date",
        kind: Kind::Date,
        required: true,
        about: "when it was judged",
        csv: Some((29, "Effectiveness Date")),
        import: Some((
            "effectiveness.date",
            &[
                "effectivenessdate",
                "effectivenessreviewdate",
                "effectivenessreviewed",
            ],
        )),
    },
    Sub {
        key: "result",
        kind: Kind::Enum(Choice::EffectivenessResult),
        required: true,
        about: "what was found",
        csv: Some((17, "Effectiveness")),
        import: Some((
            "effectiveness.result",
            &["effectiveness", "effectivenessresult"],
        )),
    },
    Sub {
        key: "by",
        about: "who judged it",
        csv: Some((30, "Effectiveness By")),
        import: Some((
            "effectiveness.by",
            &["effectivenessby", "effectivenessreviewedby"],
        )),
        ..Sub::BASE
    },
    Sub {
        key: "note",
        kind: Kind::Markdown,
        about: "how it was judged",
        csv: Some((31, "Effectiveness Note")),
        import: Some(("effectiveness.note", &["effectivenessnote"])),
        ..Sub::BASE
    },
];

/// The fields of `history` mappings.
pub const HISTORY: &[Sub] = &[
    Sub {
        key: "date",
        kind: Kind::Date,
        required: true,
        about: "when",
        ..Sub::BASE
    },
    Sub {
        key: "status",
        kind: Kind::Enum(Choice::Status),
        about: "the status from this day on",
        ..Sub::BASE
    },
    Sub {
        key: "note",
        kind: Kind::Markdown,
        about: "what happened",
        ..Sub::BASE
    },
    Sub {
        key: "target",
        kind: Kind::Date,
        about: "a new target date from this day on",
        ..Sub::BASE
    },
    Sub {
        key: "reason",
        kind: Kind::Markdown,
        about: "why the target or status changed",
        ..Sub::BASE
    },
];

/// The fields of `measurement` mappings.
pub const MEASUREMENT: &[Sub] = &[
    Sub {
        key: "date",
        kind: Kind::Date,
        required: true,
        about: "when it was measured",
        ..Sub::BASE
    },
    Sub {
        key: "value",
        kind: Kind::Number,
        required: true,
        about: "the value measured",
        ..Sub::BASE
    },
];

/// The fields of `kpi` mappings.
pub const KPI: &[Sub] = &[
    Sub {
        key: "name",
        required: true,
        about: "what is measured",
        ..Sub::BASE
    },
    Sub {
        key: "unit",
        about: "its unit",
        ..Sub::BASE
    },
    Sub {
        key: "baseline",
        kind: Kind::Number,
        about: "the value before the action",
        ..Sub::BASE
    },
    Sub {
        key: "target",
        kind: Kind::Number,
        about: "the value aimed for",
        ..Sub::BASE
    },
    Sub {
        key: "direction",
        kind: Kind::Enum(Choice::Direction),
        required: true,
        about: "whether higher or lower is better",
        ..Sub::BASE
    },
    Sub {
        key: "measurements",
        kind: Kind::RecordList(MEASUREMENT),
        about: "the values measured, by date",
        ..Sub::BASE
    },
];

/// The fields of `link` mappings.
pub const LINK: &[Sub] = &[
    Sub {
        key: "title",
        required: true,
        about: "the link's text",
        ..Sub::BASE
    },
    Sub {
        key: "url",
        kind: Kind::Url,
        required: true,
        about: "`https://...`, or `evidence/<file>` for a file in content/evidence/",
        ..Sub::BASE
    },
];

/// The fields of `nonconformity` mappings.
pub const NONCONFORMITY: &[Sub] = &[
    Sub {
        key: "ref",
        required: true,
        about: "the finding's own reference, e.g. an audit report's NC-3",
        csv: Some((18, "Nonconformity Ref")),
        import: Some(("nonconformity.ref", &["nonconformityref", "ncref"])),
        ..Sub::BASE
    },
    Sub {
        key: "severity",
        kind: Kind::Enum(Choice::Severity),
        required: true,
        about: "how grave it is",
        csv: Some((19, "Nonconformity Severity")),
        import: Some((
            "nonconformity.severity",
            &["nonconformityseverity", "ncseverity"],
        )),
    },
    Sub {
        key: "requirement",
        about: "the clause or control not met",
        csv: Some((20, "Nonconformity Requirement")),
        import: Some((
            "nonconformity.requirement",
            &["nonconformityrequirement", "ncrequirement"],
        )),
        ..Sub::BASE
    },
    Sub {
        key: "raised",
        kind: Kind::Date,
        required: true,
        about: "when it was raised",
        csv: Some((21, "Nonconformity Raised")),
        import: Some(("nonconformity.raised", &["nonconformityraised", "ncraised"])),
    },
    Sub {
        key: "by",
        about: "who raised it",
        csv: Some((22, "Nonconformity Raised By")),
        import: Some(("nonconformity.by", &["nonconformityraisedby", "ncraisedby"])),
        ..Sub::BASE
    },
    Sub {
        key: "statement",
        kind: Kind::Markdown,
        about: "the finding as stated",
        csv: Some((23, "Nonconformity Statement")),
        import: Some((
            "nonconformity.statement",
            &["nonconformitystatement", "ncstatement"],
        )),
        ..Sub::BASE
    },
];

/// Who approved a plan or review, and when.
pub const APPROVAL: &[Sub] = &[
    Sub {
        key: "by",
        required: true,
        about: "who approved it",
        ..Sub::BASE
    },
    Sub {
        key: "date",
        kind: Kind::Date,
        required: true,
        about: "when",
        ..Sub::BASE
    },
];

/// The fields of a plan's `milestones`.
pub const MILESTONE: &[Sub] = &[
    Sub {
        key: "title",
        required: true,
        about: "what is to be reached",
        ..Sub::BASE
    },
    Sub {
        key: "due",
        kind: Kind::Date,
        about: "when it is due",
        ..Sub::BASE
    },
    Sub {
        key: "done",
        kind: Kind::Date,
        about: "when it was reached",
        ..Sub::BASE
    },
];

/// A plan's front matter (`plans/*.md`).
pub const PLAN: &[Sub] = &[
    Sub {
        key: "title",
        required: true,
        about: "the plan's title",
        ..Sub::BASE
    },
    Sub {
        key: "entries",
        kind: Kind::IdList,
        required: true,
        about: "the register entries it plans",
        ..Sub::BASE
    },
    Sub {
        key: "owner",
        about: "who is responsible for it",
        ..Sub::BASE
    },
    Sub {
        key: "updated",
        kind: Kind::Date,
        about: "when it was last updated",
        ..Sub::BASE
    },
    Sub {
        key: "milestones",
        kind: Kind::RecordList(MILESTONE),
        about: "its milestones",
        ..Sub::BASE
    },
    Sub {
        key: "visibility",
        kind: Kind::Enum(Choice::Visibility),
        about: "the least audience that sees it; default `internal`",
        ..Sub::BASE
    },
    Sub {
        key: "approved",
        kind: Kind::Record(APPROVAL),
        about: "who approved it, and when",
        ..Sub::BASE
    },
];

/// The fields of a review's `decisions`.
pub const DECISION: &[Sub] = &[
    Sub {
        key: "text",
        kind: Kind::Markdown,
        required: true,
        about: "what was decided",
        ..Sub::BASE
    },
    Sub {
        key: "entries",
        kind: Kind::IdList,
        about: "the register entries it acts through",
        ..Sub::BASE
    },
    Sub {
        key: "owner",
        about: "who carries it out",
        ..Sub::BASE
    },
    Sub {
        key: "due",
        kind: Kind::Date,
        about: "when it is due",
        ..Sub::BASE
    },
];

/// A review's front matter (`reviews/*.md`).
pub const REVIEW: &[Sub] = &[
    Sub {
        key: "title",
        required: true,
        about: "the review's title",
        ..Sub::BASE
    },
    Sub {
        key: "date",
        kind: Kind::Date,
        required: true,
        about: "when it was held",
        ..Sub::BASE
    },
    Sub {
        key: "kind",
        kind: Kind::Enum(Choice::ReviewKind),
        about: "what kind of review it was; default `management-review`",
        ..Sub::BASE
    },
    Sub {
        key: "attendees",
        kind: Kind::TextList,
        about: "who took part",
        ..Sub::BASE
    },
    Sub {
        key: "entries",
        kind: Kind::IdList,
        about: "the register entries it discussed",
        ..Sub::BASE
    },
    Sub {
        key: "visibility",
        kind: Kind::Enum(Choice::Visibility),
        about: "the least audience that sees it; default `internal`",
        ..Sub::BASE
    },
    Sub {
        key: "approved",
        kind: Kind::Record(APPROVAL),
        about: "who approved the minutes, and when",
        ..Sub::BASE
    },
    Sub {
        key: "decisions",
        kind: Kind::RecordList(DECISION),
        about: "what the review decided (9.3.3)",
        ..Sub::BASE
    },
];

/// site.yaml's `register:` header.
pub const SITE_REGISTER: &[Sub] = &[
    Sub {
        key: "created",
        kind: Kind::Date,
        about: "the register's \"Date of Creation\"",
        ..Sub::BASE
    },
    Sub {
        key: "responsible",
        about: "the register's \"Responsible Person\"",
        ..Sub::BASE
    },
    Sub {
        key: "effectiveness_review_days",
        kind: Kind::Days,
        about: "how long a completed corrective action may wait for its effectiveness review; default 90",
        ..Sub::BASE
    },
];

/// site.yaml's `visibility:` block.
pub const SITE_VISIBILITY: &[Sub] = &[
    Sub {
        key: "fields",
        kind: Kind::FieldAudiences,
        about: "the least audience that may see each entry field named",
        ..Sub::BASE
    },
    Sub {
        key: "hidden_entries",
        kind: Kind::Enum(Choice::HiddenEntries),
        about: "what becomes of entries an audience may not see; default `omit`",
        ..Sub::BASE
    },
];

/// `site.yaml`.
pub const SITE: &[Sub] = &[
    Sub {
        key: "title",
        required: true,
        about: "the register's title",
        ..Sub::BASE
    },
    Sub {
        key: "organization",
        about: "the organisation's name",
        ..Sub::BASE
    },
    Sub {
        key: "description",
        kind: Kind::Markdown,
        about: "shown on the home page",
        ..Sub::BASE
    },
    Sub {
        key: "register",
        kind: Kind::Record(SITE_REGISTER),
        about: "the classic register's header",
        ..Sub::BASE
    },
    Sub {
        key: "base_url",
        kind: Kind::WebUrl,
        about: "the published site's address; only feeds and the sitemap need it",
        ..Sub::BASE
    },
    Sub {
        key: "visibility",
        kind: Kind::Record(SITE_VISIBILITY),
        about: "what each audience may see of entries",
        ..Sub::BASE
    },
    Sub {
        key: "next_review",
        kind: Kind::Date,
        about: "the date of the next management review",
        ..Sub::BASE
    },
    Sub {
        key: "language",
        about: "the language of every interface word, a BCP 47 tag (`en`, `de`, `fr`, `es`, `ja`); default `en`",
        ..Sub::BASE
    },
    Sub {
        key: "date_format",
        kind: Kind::Enum(Choice::DateStyle),
        about: "`iso` (2026-12-05, the default) or `long` (5 December 2026, in the site's language)",
        ..Sub::BASE
    },
];

/// One control of `controls.yaml` (a list of them).
pub const CONTROL: &[Sub] = &[
    Sub {
        key: "id",
        required: true,
        about: "the clause or control, e.g. `A.5.15`",
        ..Sub::BASE
    },
    Sub {
        key: "title",
        required: true,
        about: "what it asks, in the organisation's words",
        ..Sub::BASE
    },
    Sub {
        key: "applicable",
        kind: Kind::Bool,
        about: "whether it applies (the Statement of Applicability)",
        ..Sub::BASE
    },
    Sub {
        key: "justification",
        about: "why it applies or not",
        ..Sub::BASE
    },
];

/// One objective of `objectives.yaml` (a list of them; ISO/IEC 27001 6.2).
pub const OBJECTIVE: &[Sub] = &[
    Sub {
        key: "id",
        required: true,
        about: "the objective's id, e.g. `OBJ-1`",
        ..Sub::BASE
    },
    Sub {
        key: "title",
        required: true,
        about: "what the organisation wants to achieve",
        ..Sub::BASE
    },
    Sub {
        key: "owner",
        about: "who is accountable for it",
        ..Sub::BASE
    },
    Sub {
        key: "target",
        about: "what counts as achieved, and by when, in words",
        ..Sub::BASE
    },
    Sub {
        key: "kpis",
        kind: Kind::TextList,
        about: "the KPIs that measure it, each `ENTRY-ID/KPI name`, e.g. `CI-005/Phishing click rate`",
        ..Sub::BASE
    },
];

/// One risk of `risks.yaml` (a list of them), named by entries' `risks`
/// (ISO/IEC 27001 6.1.2, 6.1.3).
pub const RISK: &[Sub] = &[
    Sub {
        key: "id",
        required: true,
        about: "the risk's id in the risk register, e.g. `R-01`",
        ..Sub::BASE
    },
    Sub {
        key: "title",
        required: true,
        about: "the risk, in the risk register's words",
        ..Sub::BASE
    },
    Sub {
        key: "owner",
        about: "the risk owner",
        ..Sub::BASE
    },
    Sub {
        key: "level",
        about: "its level as the risk assessment rates it, e.g. `high` or `12`",
        ..Sub::BASE
    },
    Sub {
        key: "treatment",
        about: "the treatment chosen (reduce, accept, avoid, transfer) and how",
        ..Sub::BASE
    },
];

entry_fields! {
    Id {
        key: "id", label: "Id", kind: Kind::Id, shown: Shown::Always,
        csv: Some((0, "#")), json: Some(0), oscal: true,
        import: &["#", "no", "nr", "number", "id", "ref", "refno", "reference", "item", "itemno"],
        template: "id: {id}",
        about: "the entry's id; a file holding one entry may leave it out and take its file name (`CI-001.yaml` → `CI-001`); unique ignoring case",
    }
    Title {
        key: "title", label: "Title", kind: Kind::Text, required: true,
        csv: Some((1, "Improvement Opportunity")), json: Some(1), oscal: true,
        import: &["improvementopportunity", "opportunityforimprovement", "opportunity", "improvement", "title", "summary", "finding", "issue", "name"],
        template: "title: {title}",
        about: "what is to improve or correct",
    }
    Description {
        named_on_page: true,
        key: "description", label: "Description", kind: Kind::Markdown,
        csv: Some((2, "Description")), json: Some(2), oscal: true, search: Search::text(0),
        import: &["description", "details", "detail", "descriptionofopportunity", "descriptionofimprovement", "descriptionofimprovementopportunity"],
        template: "description: |\n{description}",
        about: "what was found, where, and why it matters",
    }
    Source {
        key: "source", label: "Source", kind: Kind::Enum(Choice::Source),
        csv: Some((11, "Source")), json: Some(4), oscal: true, search: Search::key(2),
        import: &["source", "origin", "sourceofopportunity"],
        template: "# source: internal-audit  # {choices}",
        about: "how it was identified",
    }
    Type {
        key: "type", label: "Type", kind: Kind::Enum(Choice::EntryType), shown: Shown::Always,
        csv: Some((10, "Type")), json: Some(3), oscal: true, search: Search::key(1),
        import: &["type", "entrytype", "actiontype", "kind"],
        template: "# type: improvement  # {choices}",
        about: "an opportunity for improvement, or the corrective action for a nonconformity or incident (clause 10.2); default `improvement`",
    }
    Identified {
        key: "identified", label: "Identified", kind: Kind::Date, required: true, shown: Shown::Always,
        csv: Some((3, "Identification Date")), json: Some(5), oscal: true,
        import: &["identificationdate", "identified", "dateidentified", "identifiedon", "dateraised", "raised", "raisedon", "dateopened", "opened", "datelogged", "dateofidentification", "identifieddate", "date"],
        template: "identified: {today}",
        about: "when it was identified",
    }
    Status {
        key: "status", label: "Status", kind: Kind::Enum(Choice::Status), required: true, shown: Shown::Always,
        csv: Some((4, "Status")), json: Some(6), oscal: true,
        import: &["status", "state", "currentstatus", "progress"],
        template: "status: not-started  # {choices}",
        about: "where it stands",
    }
    Priority {
        key: "priority", label: "Priority", kind: Kind::Enum(Choice::Level), required: true, shown: Shown::Always,
        csv: Some((5, "Priority")), json: Some(7), oscal: true,
        import: &["priority", "prio", "prioritylevel", "priorityrating"],
        template: "priority: medium  # {choices}",
        about: "how urgent it is",
    }
    Owner {
        key: "owner", label: "Owner", kind: Kind::Text,
        csv: Some((6, "Action Owner")), json: Some(8), oscal: true, search: Search::key(0),
        import: &["actionowner", "owner", "responsible", "responsibleperson", "responsibleparty", "assignedto", "assignee", "actionby", "actionowners", "ownerresponsible", "responsibility"],
        template: "# owner: ISMS Manager",
        about: "who is responsible for the action",
    }
    Target {
        key: "target", label: "Target", kind: Kind::Date, shown: Shown::Always,
        csv: Some((7, "Target Completion Date")), json: Some(9), oscal: true,
        import: &["targetcompletiondate", "targetdate", "target", "duedate", "due", "deadline", "targetcompletion", "targetcompletiondates", "targetdateforcompletion", "plannedcompletiondate", "plannedcompletion"],
        template: "# target: {target}",
        about: "the target completion date as first agreed; history records move it",
    }
    Completed {
        key: "completed", label: "Completed", kind: Kind::Completion, shown: Shown::Always,
        csv: Some((9, "Completed")), json: Some(10), oscal: true,
        import: &["completed", "completiondate", "datecompleted", "completedon", "actualcompletiondate", "closed", "closedon", "dateclosed", "closuredate"],
        template: "# completed: {target}  # needed once status is completed",
        about: "when it was completed, or `unknown` when nobody recorded the day (see [Completed on an unknown date](#completed-on-an-unknown-date)); needed when `status` is `completed`, unless a `history` record with `status: completed` gives the date",
    }
    Outcome {
        named_on_page: true,
        key: "outcome", label: "Outcome", kind: Kind::Markdown,
        csv: Some((8, "Results/Outcomes")), json: Some(11), search: Search::text(1),
        import: &["resultsoutcomes", "outcomeresults", "outcomesresults", "outcomeresult", "resultsandoutcomes", "outcomesandresults", "resultsachieved", "resultsoutcome", "resultoutcome", "results", "result", "outcomes", "outcome"],
        template: "# outcome: |\n#   The result expected, later the result achieved.",
        about: "the result expected, later the result achieved",
    }
    Benefit {
        key: "benefit", label: "Benefit", kind: Kind::Enum(Choice::Level),
        csv: Some((12, "Benefit")), json: Some(12), oscal: true,
        import: &["benefit", "expectedbenefit"],
        template: "# benefit: high  # {choices}",
        about: "the benefit expected (risk against benefit)",
    }
    Effort {
        key: "effort", label: "Effort", kind: Kind::Enum(Choice::Level),
        csv: Some((13, "Effort")), json: Some(13), oscal: true,
        import: &["effort"],
        template: "# effort: low  # {choices}",
        about: "the resources it needs",
    }
    Resources {
        named_on_page: true,
        key: "resources", label: "Resources", kind: Kind::Markdown, search: Search::text(2),
        csv: Some((33, "Resources")), json: Some(28),
        import: &["resources", "resourcerequirements", "resourcesrequired", "resourcesneeded"],
        template: "# resources: |\n#   People, time and money the action needs.",
        about: "the resource requirements in words",
    }
    Controls {
        key: "controls", label: "Controls", kind: Kind::TextList,
        csv: Some((14, "Controls")), json: Some(14), oscal: true, search: Search::key(3),
        import: &["controls", "control", "annexacontrols", "isocontrols", "clauses"],
        template: "# controls: [A.5.15]",
        about: "ISO/IEC 27001:2022 clauses or Annex A controls it improves, e.g. `A.5.15`, `10.2`",
    }
    Risks {
        key: "risks", label: "Risks", kind: Kind::RiskIds,
        csv: Some((32, "Risks")), json: Some(26), oscal: true, search: Search::key(8),
        import: &["risks", "riskids", "risksaddressed", "riskstreated", "relatedrisks"],
        template: "# risks: [R-01]",
        about: "the risks of [`risks.yaml`](#the-risk-catalogue-risksyaml) it treats (risk treatment, 6.1.3), e.g. `R-03`",
    }
    Tags {
        key: "tags", label: "Tags", kind: Kind::TextList,
        csv: Some((15, "Tags")), json: Some(15), oscal: true, search: Search::key(4),
        import: &["tags", "tag", "labels", "keywords"],
        template: "# tags: []",
        about: "free grouping",
    }
    Lessons {
        named_on_page: true,
        key: "lessons", label: "Lessons", kind: Kind::Markdown, search: Search::text(3),
        csv: Some((34, "Lessons")), json: Some(29),
        import: &["lessons", "lessonslearned", "lessonslearnt"],
        template: "# lessons: |\n#   What to carry over to other work.",
        about: "lessons learned and good practice to carry over",
    }
    RootCause {
        named_on_page: true,
        key: "root_cause", label: "Root cause", kind: Kind::Markdown, shown: Shown::With(Field::Nonconformity),
        csv: Some((25, "Root Cause")), json: Some(23), oscal: true, search: Search::text(7),
        import: &["rootcause", "causeanalysis", "rootcauseanalysis"],
        template: "# root_cause: |\n#   The cause found (10.2 b).",
        about: "the cause found (10.2 b)",
    }
    Correction {
        named_on_page: true,
        key: "correction", label: "Correction", kind: Kind::Markdown, shown: Shown::With(Field::Nonconformity),
        csv: Some((24, "Correction")), json: Some(22), oscal: true, search: Search::text(6),
        import: &["correction", "immediatecorrection", "containment"],
        template: "# correction: |\n#   What was done at once to contain and correct it (10.2 a).",
        about: "what was done at once to contain and correct it (10.2 a)",
    }
    FollowsUp {
        key: "follows_up", label: "Follows up", kind: Kind::IdList, shown: Shown::Always,
        csv: Some((26, "Follows Up")), json: Some(24), oscal: true,
        import: &["followsup", "followupof"],
        template: "# follows_up: []  # earlier entries this one continues",
        about: "earlier entries this one continues",
    }
    Related {
        key: "related", label: "Related", kind: Kind::IdList, shown: Shown::Always,
        csv: Some((27, "Related")), json: Some(25), oscal: true,
        import: &["related", "relatedentries"],
        template: "# related: []",
        about: "other entries worth reading with it",
    }
    Nonconformity {
        key: "nonconformity", label: "Nonconformity", kind: Kind::Record(NONCONFORMITY),
        json: Some(21), oscal: true, search: Search { key: Some(7), text: Some(5) },
        template: "# nonconformity:  # the finding this entry reacts to\n#   ref: NC-1\n#   severity: minor  # {choices:severity}\n#   raised: {today}\n#   requirement: A.5.15\n#   by: Internal audit\n#   statement: What was found not to meet the requirement.",
        about: "the finding the entry reacts to (clause 10.2); restricting it also restricts `correction` and `root_cause`",
    }
    Effectiveness {
        key: "effectiveness", label: "Effectiveness", kind: Kind::Record(EFFECTIVENESS),
        json: Some(19), oscal: true, search: Search::text(4),
        template: "# effectiveness:  # once completed: did it work?\n#   date: {target}\n#   result: effective  # {choices:result}\n#   by: Internal audit\n#   note: How this was judged.",
        about: "the review of whether the completed action worked (restricting it hides `by` and `note`)",
    }
    History {
        key: "history", label: "History", kind: Kind::RecordList(HISTORY), search: Search::text(8),
        json: Some(30),
        template: "# history:\n#   - date: {today}\n#     status: planned\n#     note: What happened.",
        about: "progress log in date order: status changes, target changes and notes (restricting it hides the notes and the revisions from git)",
    }
    Kpis {
        key: "kpis", label: "KPIs", kind: Kind::RecordList(KPI), search: Search::key(5),
        json: Some(31),
        template: "# kpis:\n#   - name: Laptops encrypted\n#     unit: \"%\"\n#     baseline: 60\n#     target: 100\n#     direction: increase  # {choices:direction}\n#     measurements:\n#       - date: {today}\n#         value: 60",
        about: "how effectiveness is measured",
    }
    Links {
        key: "links", label: "Links", kind: Kind::RecordList(LINK), oscal: true,
        json: Some(32),
        template: "# links:\n#   - title: Audit report\n#     url: evidence/audit-report.pdf  # a file in evidence/, or https://...",
        about: "evidence",
    }
    Extra {
        key: "extra", label: "Extra columns", kind: Kind::FreeMap, search: Search::key(6),
        json: Some(33),
        template: "# extra:  # custom columns of your own\n#   Department: IT",
        about: "custom columns (column name → a single value), shown on the entry page",
    }
    Visibility {
        key: "visibility", label: "Visibility", kind: Kind::Enum(Choice::Visibility), shown: Shown::Always,
        csv: Some((35, "Visibility")), json: Some(34),
        import: &["visibility"],
        template: "# visibility: internal  # {choices}",
        about: "the least audience that sees the entry; default `internal`",
    }
}

/// Computed columns of `register.csv` (not fields): position and header.
pub const CSV_COMPUTED: &[(usize, &str)] = &[(16, "Overdue")];

/// The column of `register.csv` with the target as first agreed (the
/// `target` field as written), beside "Target Completion Date", which is
/// the target now: the two together let a sheet carry one target move,
/// and the on-time figure, which counts against the first target.
pub const CSV_ORIGINAL_TARGET: (usize, &str) = (28, "Original Target Date");

/// The columns of `register.csv` that hold a field with nested records
/// as the JSON text `register.json` gives it: a flat cell cannot hold
/// them otherwise, and without them a sheet loses the history (the
/// dashboard's trend and period figures), the KPIs (the objectives and
/// KPI figures), the links and the custom columns. Last, so a reader of
/// the sheet can ignore them.
pub const CSV_JSON: &[(usize, Field, &str)] = &[
    (36, Field::History, "History (JSON)"),
    (37, Field::Kpis, "KPIs (JSON)"),
    (38, Field::Links, "Links (JSON)"),
    (39, Field::Extra, "Extra (JSON)"),
];

/// Computed fields of `register.json`'s entries: position and name.
pub const JSON_COMPUTED: &[(usize, &str)] = &[
    (16, "overdue"),
    (17, "days_overdue"),
    (18, "age_days"),
    (20, "url"),
    // `target` is the target now (history records move it); this is the
    // `target` field as written, so a reader can tell the two apart.
    (27, "original_target"),
    // `effectiveness` stays its result, as readers of the file have it;
    // the rest of the review is here, so `import` can give it back whole.
    (35, "effectiveness_review"),
];

impl Field {
    /// Its row of [`ENTRY`].
    pub fn spec(self) -> &'static Spec {
        &ENTRY[self as usize]
    }

    pub fn key(self) -> &'static str {
        self.spec().key
    }

    /// The field named `key` in YAML.
    pub fn from_key(key: &str) -> Option<Field> {
        ENTRY.iter().find(|s| s.key == key).map(|s| s.field)
    }

    /// Every field, in table order.
    pub fn all() -> impl Iterator<Item = Field> {
        ENTRY.iter().map(|s| s.field)
    }

    /// Fields site.yaml `visibility.fields` may name.
    pub fn restrictable() -> impl Iterator<Item = Field> {
        Field::all().filter(|f| f.spec().shown == Shown::Restrictable)
    }

    /// The field whose restriction in site.yaml governs this one.
    pub fn governed_by(self) -> Option<Field> {
        match self.spec().shown {
            Shown::Always => None,
            Shown::Restrictable => Some(self),
            Shown::With(f) => Some(f),
        }
    }
}

/// A field's value, by kind: what generic code (exports, search, the
/// evidence scan) reads.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Text(Option<&'a str>),
    Markdown(Option<&'a str>),
    Date(Option<NaiveDate>),
    /// Slug and label.
    Enum(Option<(&'static str, &'static str)>),
    List(&'a [String]),
    Ids(&'a [IdRef]),
    Nonconformity(Option<&'a Nonconformity>),
    Effectiveness(Option<&'a Effectiveness>),
    History(&'a [HistoryRecord]),
    Kpis(&'a [Kpi]),
    Links(&'a [Link]),
    Extra(&'a BTreeMap<String, String>),
}

fn choice<T: Enumerated + Labelled>(v: Option<T>) -> Value<'static> {
    Value::Enum(v.map(|v| (v.slug(), v.label())))
}

/// An enumeration with a label for pages (see `slug_enum!`).
pub trait Labelled {
    fn label(self) -> &'static str;
}

impl Entry {
    /// Completed on a day nobody recorded (`completed: unknown`): the one
    /// state where a completed entry has no completion date, as the loader
    /// refuses every other way to get there. Such an entry counts as
    /// completed, and stays out of every figure that needs the day.
    pub fn completed_undated(&self) -> bool {
        self.status == Status::Completed && self.completed.is_none()
    }

    /// The value of `field`.
    pub fn value(&self, field: Field) -> Value<'_> {
        match field {
            Field::Id => Value::Text(Some(&self.id)),
            Field::Title => Value::Text(Some(&self.title)),
            Field::Description => Value::Markdown(self.description.as_deref()),
            Field::Source => choice(self.source),
            Field::Type => choice(Some(self.entry_type)),
            Field::Identified => Value::Date(Some(self.identified)),
            Field::Status => choice(Some(self.status)),
            Field::Priority => choice(Some(self.priority)),
            Field::Owner => Value::Text(self.owner.as_deref()),
            Field::Target => Value::Date(self.target),
            // What `completed: unknown` said, so the exports carry it back.
            Field::Completed if self.completed_undated() => Value::Text(Some("unknown")),
            Field::Completed => Value::Date(self.completed),
            Field::Outcome => Value::Markdown(self.outcome.as_deref()),
            Field::Benefit => choice(self.benefit),
            Field::Effort => choice(self.effort),
            Field::Resources => Value::Markdown(self.resources.as_deref()),
            Field::Controls => Value::List(&self.controls),
            Field::Risks => Value::List(&self.risks),
            Field::Tags => Value::List(&self.tags),
            Field::Lessons => Value::Markdown(self.lessons.as_deref()),
            Field::RootCause => Value::Markdown(self.root_cause.as_deref()),
            Field::Correction => Value::Markdown(self.correction.as_deref()),
            Field::FollowsUp => Value::Ids(&self.follows_up),
            Field::Related => Value::Ids(&self.related),
            Field::Nonconformity => Value::Nonconformity(self.nonconformity.as_ref()),
            Field::Effectiveness => Value::Effectiveness(self.effectiveness.as_ref()),
            Field::History => Value::History(&self.history),
            Field::Kpis => Value::Kpis(&self.kpis),
            Field::Links => Value::Links(&self.links),
            Field::Extra => Value::Extra(&self.extra),
            Field::Visibility => choice(Some(self.visibility)),
        }
    }

    /// The Markdown field `field` for writing, if it is one. Every field is
    /// matched: a new one is decided here, not passed over.
    pub fn markdown_mut(&mut self, field: Field) -> Option<&mut Option<String>> {
        match field {
            Field::Description => Some(&mut self.description),
            Field::Outcome => Some(&mut self.outcome),
            Field::Resources => Some(&mut self.resources),
            Field::Lessons => Some(&mut self.lessons),
            Field::RootCause => Some(&mut self.root_cause),
            Field::Correction => Some(&mut self.correction),
            Field::Id
            | Field::Title
            | Field::Source
            | Field::Type
            | Field::Identified
            | Field::Status
            | Field::Priority
            | Field::Owner
            | Field::Target
            | Field::Completed
            | Field::Benefit
            | Field::Effort
            | Field::Controls
            | Field::Risks
            | Field::Tags
            | Field::FollowsUp
            | Field::Related
            | Field::Nonconformity
            | Field::Effectiveness
            | Field::History
            | Field::Kpis
            | Field::Links
            | Field::Extra
            | Field::Visibility => None,
        }
    }

    /// An entry with only the required fields, for tests and tools.
    pub fn new(
        id: &str,
        title: &str,
        identified: NaiveDate,
        status: Status,
        priority: Priority,
        origin: Origin,
    ) -> Entry {
        Entry {
            id: id.into(),
            title: title.into(),
            description: None,
            source: None,
            identified,
            status,
            priority,
            owner: None,
            target: None,
            completed: None,
            outcome: None,
            entry_type: EntryType::Improvement,
            benefit: None,
            effort: None,
            resources: None,
            controls: vec![],
            tags: vec![],
            lessons: None,
            effectiveness: None,
            history: vec![],
            kpis: vec![],
            links: vec![],
            extra: BTreeMap::new(),
            visibility: Visibility::Internal,
            origin,
            target_pos: None,
            completed_pos: None,
            nonconformity: None,
            root_cause: None,
            correction: None,
            follows_up: vec![],
            related: vec![],
            controls_pos: vec![],
            risks: vec![],
            risks_pos: vec![],
            target_baseline: None,
            revisions: Revisions::default(),
        }
    }
}

/// The keys of a nested mapping, for "did you mean" messages.
pub fn keys_of(subs: &[Sub]) -> Vec<&'static str> {
    subs.iter().map(|s| s.key).collect()
}

/// The sub-fields of a record field.
pub fn subs_of(field: Field) -> &'static [Sub] {
    match field.spec().kind {
        Kind::Record(s) | Kind::RecordList(s) => s,
        _ => &[],
    }
}

/// A column of `register.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvColumn {
    Field(Field),
    /// A field of a nested mapping: the field and the sub-field's key.
    Sub(Field, &'static str),
    Overdue,
    /// The target as first agreed (see [`CSV_ORIGINAL_TARGET`]).
    OriginalTarget,
    /// A field as JSON text (see [`CSV_JSON`]).
    Json(Field),
}

/// The columns of `register.csv` in order, with their headers.
pub fn csv_columns() -> Vec<(CsvColumn, &'static str)> {
    let mut cols: Vec<(usize, CsvColumn, &'static str)> = Vec::new();
    for s in ENTRY {
        if let Some((at, header)) = s.csv {
            cols.push((at, CsvColumn::Field(s.field), header));
        }
        for sub in subs_of(s.field) {
            if let Some((at, header)) = sub.csv {
                cols.push((at, CsvColumn::Sub(s.field, sub.key), header));
            }
        }
    }
    for (at, header) in CSV_COMPUTED {
        cols.push((*at, CsvColumn::Overdue, header));
    }
    let (at, header) = CSV_ORIGINAL_TARGET;
    cols.push((at, CsvColumn::OriginalTarget, header));
    for (at, field, header) in CSV_JSON {
        cols.push((*at, CsvColumn::Json(*field), header));
    }
    cols.sort_by_key(|c| c.0);
    cols.into_iter().map(|(_, c, h)| (c, h)).collect()
}

/// A field of `register.json`'s entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonField {
    Field(Field),
    /// Computed at build time, by name.
    Computed(&'static str),
}

/// `register.json`'s entry fields in order.
pub fn json_fields() -> Vec<JsonField> {
    let mut out: Vec<(usize, JsonField)> = ENTRY
        .iter()
        .filter_map(|s| s.json.map(|at| (at, JsonField::Field(s.field))))
        .chain(
            JSON_COMPUTED
                .iter()
                .map(|(at, n)| (*at, JsonField::Computed(n))),
        )
        .collect();
    out.sort_by_key(|c| c.0);
    out.into_iter().map(|(_, f)| f).collect()
}

/// The template lines of every field, joined: what `new` writes after its
/// header comment.
pub fn template(
    id: &str,
    title: &str,
    today: NaiveDate,
    target: NaiveDate,
    description: &str,
) -> String {
    let mut out = String::new();
    for s in ENTRY {
        let mut line = s
            .template
            .replace("{id}", id)
            .replace("{title}", title)
            .replace("{today}", &today.to_string())
            .replace("{target}", &target.to_string())
            .replace("{description}", description);
        if let Kind::Enum(c) = s.kind {
            line = line.replace("{choices}", &c.slugs().join(", "));
        }
        for sub in subs_of(s.field) {
            if let Kind::Enum(c) = sub.kind {
                line = line.replace(&format!("{{choices:{}}}", sub.key), &c.slugs().join(", "));
            }
        }
        out.push_str(&line);
        if !line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// How a kind reads in the docs.
fn kind_doc(kind: Kind) -> String {
    match kind {
        Kind::Id => "register id".into(),
        Kind::Text => "text".into(),
        Kind::Markdown => "Markdown".into(),
        Kind::Date => "date".into(),
        Kind::Completion => "date, or `unknown`".into(),
        Kind::Number => "number".into(),
        Kind::Days => "whole number of days".into(),
        Kind::Bool => "`true` or `false`".into(),
        Kind::Url => "`https://...` or `evidence/<file>`".into(),
        Kind::WebUrl => "`https://...`".into(),
        Kind::FieldAudiences => "mapping of entry fields to audiences".into(),
        Kind::Enum(c) => c
            .slugs()
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", "),
        Kind::TextList => "list of text".into(),
        Kind::IdList => "list of register ids".into(),
        Kind::RiskIds => "list of risk ids".into(),
        Kind::Record(_) => "a mapping, below".into(),
        Kind::RecordList(_) => "list of mappings, below".into(),
        Kind::FreeMap => "mapping of column names to single values".into(),
    }
}

/// The field reference table of docs/user-guide.md, as this table says
/// it (a test keeps the two the same).
pub fn field_reference() -> String {
    let mut out = String::from(
        "| field | required | type | meaning | register.csv column |\n|---|---|---|---|---|\n",
    );
    for s in ENTRY {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            s.key,
            if s.required { "yes" } else { "no" },
            kind_doc(s.kind),
            s.about,
            s.csv.map(|(_, h)| format!("\"{h}\"")).unwrap_or_default(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_rows_agree() {
        for (i, s) in ENTRY.iter().enumerate() {
            assert_eq!(s.field as usize, i, "{}", s.key);
            assert!(!s.label.is_empty() && !s.about.is_empty(), "{}", s.key);
            assert!(!s.template.is_empty(), "{} has no template line", s.key);
        }
    }

    /// The published header row, frozen: positions must not move.
    const PUBLISHED_CSV_HEADERS: &[&str] = &[
        "#",
        "Improvement Opportunity",
        "Description",
        "Identification Date",
        "Status",
        "Priority",
        "Action Owner",
        "Target Completion Date",
        "Results/Outcomes",
        "Completed",
        "Type",
        "Source",
        "Benefit",
        "Effort",
        "Controls",
        "Tags",
        "Overdue",
        "Effectiveness",
        "Nonconformity Ref",
        "Nonconformity Severity",
        "Nonconformity Requirement",
        "Nonconformity Raised",
        "Nonconformity Raised By",
        "Nonconformity Statement",
        "Correction",
        "Root Cause",
        "Follows Up",
        "Related",
        "Original Target Date",
        "Effectiveness Date",
        "Effectiveness By",
        "Effectiveness Note",
        "Risks",
        "Resources",
        "Lessons",
        "Visibility",
        "History (JSON)",
        "KPIs (JSON)",
        "Links (JSON)",
        "Extra (JSON)",
    ];

    #[test]
    fn csv_and_json_positions_are_contiguous() {
        let cols = csv_columns();
        let mut at: Vec<usize> = ENTRY.iter().filter_map(|s| s.csv.map(|c| c.0)).collect();
        at.extend(
            ENTRY
                .iter()
                .flat_map(|s| subs_of(s.field))
                .filter_map(|s| s.csv.map(|c| c.0)),
        );
        at.extend(CSV_COMPUTED.iter().map(|c| c.0));
        at.push(CSV_ORIGINAL_TARGET.0);
        at.extend(CSV_JSON.iter().map(|c| c.0));
        at.sort();
        assert_eq!(at, (0..cols.len()).collect::<Vec<_>>());
        let headers: Vec<&str> = cols.iter().map(|c| c.1).collect();
        assert_eq!(headers, PUBLISHED_CSV_HEADERS);
        let mut json: Vec<usize> = ENTRY.iter().filter_map(|s| s.json).collect();
        json.extend(JSON_COMPUTED.iter().map(|c| c.0));
        json.sort();
        assert_eq!(json, (0..json.len()).collect::<Vec<_>>());
    }

    #[test]
    fn accessors_agree_with_the_kinds() {
        let origin = Origin {
            file: "x.yaml".into(),
            pos: Pos::START,
        };
        let day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let mut e = Entry::new("CI-1", "t", day, Status::Planned, Level::Low, origin);
        for s in ENTRY {
            let markdown = matches!(s.kind, Kind::Markdown);
            assert_eq!(e.markdown_mut(s.field).is_some(), markdown, "{}", s.key);
            assert_eq!(
                matches!(e.value(s.field), Value::Markdown(_)),
                markdown,
                "{}",
                s.key
            );
        }
    }

    #[test]
    fn search_ranks_are_unique() {
        let mut keys: Vec<u8> = ENTRY.iter().filter_map(|s| s.search.key).collect();
        let mut texts: Vec<u8> = ENTRY.iter().filter_map(|s| s.search.text).collect();
        keys.sort();
        texts.sort();
        assert_eq!(keys, (0..keys.len() as u8).collect::<Vec<_>>());
        assert_eq!(texts, (0..texts.len() as u8).collect::<Vec<_>>());
    }
}
