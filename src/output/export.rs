//! The register as data: `register.csv` for spreadsheets, `register.json`
//! for tools. Both use the normalised slugs (`in-progress`), so a filter or
//! pivot on them works whatever spelling the author used.

use crate::compute::rollup::{EntryFacts, Rollups};
use crate::model::Enumerated;
use crate::model::spreadsheet::needs_guard;
use crate::model::*;
use crate::output::sink::{Out, RenderError};
use serde::Serialize;
use std::io::Write;

/// Column headers (shared with `import`, which reads our own file back).
pub use crate::model::spreadsheet::REGISTER_CSV_HEADERS as CSV_HEADERS;

fn cell(s: &str) -> String {
    if needs_guard(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

pub fn csv(reg: &Register, facts: &[EntryFacts], out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?; // BOM: Excel then reads UTF-8
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(out);
        w.write_record(CSV_HEADERS)?;
        for (e, f) in reg.entries.iter().zip(facts) {
            let d = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            let record = [
                e.id.clone(),
                e.title.clone(),
                e.description.clone().unwrap_or_default(),
                e.identified.to_string(),
                e.status.slug().into(),
                e.priority.slug().into(),
                e.owner.clone().unwrap_or_default(),
                d(e.target),
                e.outcome.clone().unwrap_or_default(),
                d(e.completed),
                e.entry_type.slug().into(),
                e.source.map(|s| s.slug()).unwrap_or("").into(),
                e.benefit.map(|s| s.slug()).unwrap_or("").into(),
                e.effort.map(|s| s.slug()).unwrap_or("").into(),
                e.controls.join("; "),
                e.tags.join("; "),
                if f.overdue { "yes".into() } else { "no".into() },
                e.effectiveness
                    .as_ref()
                    .map(|x| x.result.slug())
                    .unwrap_or("")
                    .into(),
            ];
            let nc = e.nonconformity.as_ref();
            let text = |t: Option<&String>| t.cloned().unwrap_or_default();
            let chain = [
                text(nc.map(|n| &n.reference)),
                nc.map(|n| n.severity.slug()).unwrap_or("").into(),
                text(nc.and_then(|n| n.requirement.as_ref())),
                d(nc.map(|n| n.raised)),
                text(nc.and_then(|n| n.by.as_ref())),
                text(nc.and_then(|n| n.statement.as_ref())),
                text(e.correction.as_ref()),
                text(e.root_cause.as_ref()),
                ids(&e.follows_up),
                ids(&e.related),
            ];
            let record = record.iter().chain(&chain);
            w.write_record(record.map(|s| cell(s.trim_end())))?;
        }
        w.flush()?;
    }
    Ok(())
}

/// Ids as one cell, as `controls` and `tags` are written.
fn ids(refs: &[IdRef]) -> String {
    refs.iter()
        .map(|r| r.id.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Serialize)]
struct JsonNonconformity<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    severity: Severity,
    requirement: Option<&'a str>,
    raised: String,
    by: Option<&'a str>,
    statement: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonEntry<'a> {
    id: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    #[serde(rename = "type")]
    entry_type: EntryType,
    source: Option<Source>,
    identified: String,
    status: Status,
    priority: Priority,
    owner: Option<&'a str>,
    target: Option<String>,
    completed: Option<String>,
    outcome: Option<&'a str>,
    benefit: Option<Level>,
    effort: Option<Level>,
    controls: &'a [String],
    tags: &'a [String],
    overdue: bool,
    days_overdue: Option<i64>,
    age_days: Option<i64>,
    effectiveness: Option<&'a str>,
    url: String,
    nonconformity: Option<JsonNonconformity<'a>>,
    correction: Option<&'a str>,
    root_cause: Option<&'a str>,
    follows_up: Vec<&'a str>,
    related: Vec<&'a str>,
    /// Ids of the risks it treats (`risks.yaml`).
    risks: &'a [String],
}

#[derive(Serialize)]
struct JsonRegister<'a> {
    title: &'a str,
    organization: Option<&'a str>,
    created: Option<String>,
    responsible: Option<&'a str>,
    /// Where the site is published, when site.yaml says: a group view
    /// links entries from there.
    base_url: Option<&'a str>,
    as_of: String,
    last_updated: Option<String>,
    /// Entries published as redacted stubs for this audience; counts
    /// include them.
    restricted_stubs: usize,
    /// The dashboard's management figures, for group views.
    figures: crate::model::group::Figures,
    entries: Vec<JsonEntry<'a>>,
    rollups: &'a Rollups,
}

pub fn json(
    reg: &Register,
    facts: &[EntryFacts],
    rollups: &Rollups,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let entries = reg
        .entries
        .iter()
        .zip(facts)
        .map(|(e, f)| JsonEntry {
            id: &e.id,
            title: &e.title,
            description: e.description.as_deref(),
            entry_type: e.entry_type,
            source: e.source,
            identified: e.identified.to_string(),
            status: e.status,
            priority: e.priority,
            owner: e.owner.as_deref(),
            target: e.target.map(|d| d.to_string()),
            completed: e.completed.map(|d| d.to_string()),
            outcome: e.outcome.as_deref(),
            benefit: e.benefit,
            effort: e.effort,
            controls: &e.controls,
            tags: &e.tags,
            overdue: f.overdue,
            days_overdue: f.days_overdue,
            age_days: f.age_days,
            effectiveness: e.effectiveness.as_ref().map(|x| x.result.slug()),
            url: format!("register/{}/index.html", e.id),
            nonconformity: e.nonconformity.as_ref().map(|n| JsonNonconformity {
                reference: &n.reference,
                severity: n.severity,
                requirement: n.requirement.as_deref(),
                raised: n.raised.to_string(),
                by: n.by.as_deref(),
                statement: n.statement.as_deref(),
            }),
            correction: e.correction.as_deref(),
            root_cause: e.root_cause.as_deref(),
            follows_up: e.follows_up.iter().map(|r| r.id.as_str()).collect(),
            related: e.related.iter().map(|r| r.id.as_str()).collect(),
            risks: &e.risks,
        })
        .collect();
    let doc = JsonRegister {
        title: &reg.site.title,
        organization: reg.site.organization.as_deref(),
        created: reg.site.created.map(|d| d.to_string()),
        responsible: reg.site.responsible.as_deref(),
        as_of: rollups.as_of.to_string(),
        last_updated: rollups.last_updated.map(|d| d.to_string()),
        restricted_stubs: reg.restricted_stubs,
        base_url: reg.site.base_url.as_deref(),
        figures: crate::compute::figures::of(reg, rollups),
        entries,
        rollups,
    };
    // Buffered here, where the writer's type is known: serde_json writes
    // many small pieces.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, &doc)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// `register.csv`.
pub struct Csv;

impl crate::output::Output for Csv {
    fn name(&self) -> &'static str {
        "register.csv"
    }
    fn needed_for_preview(&self) -> bool {
        false
    }
    fn write(&self, i: &crate::output::Inputs, out: &Out) -> Result<usize, RenderError> {
        out.write_with("register.csv", |w| csv(i.register, i.facts, w))?;
        Ok(1)
    }
}

/// `register.json`.
pub struct Json;

impl crate::output::Output for Json {
    fn name(&self) -> &'static str {
        "register.json"
    }
    fn needed_for_preview(&self) -> bool {
        false
    }
    fn write(&self, i: &crate::output::Inputs, out: &Out) -> Result<usize, RenderError> {
        out.write_with("register.json", |w| json(i.register, i.facts, i.rollups, w))?;
        Ok(1)
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn every_formula_start_is_neutralised() {
        for risky in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-1+2",
            "-3",
            "- a bullet",
            "- 2+3+cmd|' /C calc'!A0",
            " =1+1",
            "\n=1+1",
            "\u{3000}@SUM(A1)",
            "\u{ff1d}1+1",
            "\u{ff0b}1",
            "\u{ff0d}1",
            "\u{ff20}SUM(A1)",
            "\tplain",
            "\rplain",
            "'=1",
        ] {
            assert_eq!(cell(risky), format!("'{risky}"), "{risky:?}");
        }
        for plain in ["plain", "a=b", " plain", "'quoted'", "", "2025-01-01"] {
            assert_eq!(cell(plain), plain, "{plain:?}");
        }
    }
}
