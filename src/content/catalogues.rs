//! `objectives.yaml` and `risks.yaml`: the optional catalogues beside
//! `controls.yaml`, read the same way (a list of mappings with an `id`,
//! every problem at its place), and the checks that hold the register and
//! the catalogues to each other.

use super::parse_yaml;
use crate::content::yaml::{self, Ctx, Fields, Kind, Node};
use crate::model::diag::{Diagnostics, Pos};
use crate::model::schema::{self, keys_of};
use crate::model::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The catalogues a content folder has, each with the file it came from
/// (its checks report there).
#[derive(Default)]
pub(super) struct Catalogues {
    pub controls: Option<Vec<Control>>,
    pub objectives: Option<(PathBuf, Vec<Objective>)>,
    pub risks: Option<(PathBuf, Vec<Risk>)>,
}

/// Something a catalogue lists, known by its id.
trait Item {
    fn id(&self) -> &str;
}

impl Item for Objective {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Item for Risk {
    fn id(&self) -> &str {
        &self.id
    }
}

/// The items of a catalogue file (`what` names one item, `example` is
/// the hint's first line), each id once; `None` when the file is not a
/// list (every problem reported).
fn read_list<T: Item>(
    path: &Path,
    text: &str,
    what: &str,
    example: &str,
    diags: &mut Diagnostics,
    read: impl Fn(&Node, &mut Ctx) -> Option<T>,
) -> Option<Vec<T>> {
    let node = parse_yaml(text, 0, path, diags)?;
    let ctx = &mut Ctx { file: path, diags };
    if node.is_null() {
        return Some(Vec::new());
    }
    let Kind::Seq(items) = &node.kind else {
        ctx.error(
            node.pos,
            format!("expected a list of {what}s, found {}", node.type_name()),
            format!(
                "write one {what} per item: `- id: {example}` and, indented below it, `title: ...`"
            ),
        );
        return None;
    };
    let mut out: Vec<T> = Vec::new();
    let mut seen: HashMap<String, Pos> = HashMap::new();
    for item in items {
        let Some(x) = read(item, ctx) else {
            continue;
        };
        let key = x.id().to_lowercase();
        if let Some(first) = seen.get(&key) {
            ctx.error(
                item.pos,
                format!(
                    "{what} `{}` is listed twice: also at line {}",
                    x.id(),
                    first.line
                ),
                format!("list each {what} once"),
            );
            continue;
        }
        seen.insert(key, item.pos);
        out.push(x);
    }
    Some(out)
}

/// `objectives.yaml`, in file order (the order the organisation set its
/// objectives in).
pub(super) fn objectives_from_text(
    path: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<Vec<Objective>> {
    read_list(path, text, "objective", "OBJ-1", diags, read_objective)
}

/// `risks.yaml`, sorted naturally by id.
pub(super) fn risks_from_text(
    path: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<Vec<Risk>> {
    let mut list = read_list(path, text, "risk", "R-01", diags, read_risk)?;
    list.sort_by(|a, b| natural_cmp(&a.id, &b.id));
    Some(list)
}

fn read_objective(node: &Node, ctx: &mut Ctx) -> Option<Objective> {
    let what = "objective";
    let f = Fields::of(node, what, ctx)?;
    f.finish(&keys_of(schema::OBJECTIVE), what, ctx);
    let id = f
        .required("id", what, ctx)
        .and_then(|n| yaml::required_text(n, "id", ctx));
    let title = f
        .required("title", what, ctx)
        .and_then(|n| yaml::required_text(n, "title", ctx));
    let owner = f.get("owner").and_then(|n| yaml::text(n, "owner", ctx));
    let target = f.get("target").and_then(|n| yaml::text(n, "target", ctx));
    let kpis = f
        .get("kpis")
        .map(|n| yaml::positioned_text_list(n, "kpis", ctx))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(text, pos)| kpi_ref(&text, pos, ctx))
        .collect();
    Some(Objective {
        id: id?,
        title: title?,
        owner: owner.filter(|o| !o.trim().is_empty()),
        target: target.filter(|t| !t.trim().is_empty()),
        kpis,
    })
}

/// `CI-005/Phishing click rate`: an entry id, a slash, a KPI name.
fn kpi_ref(text: &str, pos: Pos, ctx: &mut Ctx) -> Option<KpiRef> {
    match text.split_once('/') {
        Some((entry, kpi)) if !entry.trim().is_empty() && !kpi.trim().is_empty() => Some(KpiRef {
            entry: entry.trim().to_string(),
            kpi: kpi.trim().to_string(),
            pos,
        }),
        _ => {
            ctx.error(
                pos,
                format!("`{text}` does not name a KPI"),
                "write the entry id, a slash and the KPI's name, e.g. `CI-005/Phishing click rate`",
            );
            None
        }
    }
}

fn read_risk(node: &Node, ctx: &mut Ctx) -> Option<Risk> {
    let what = "risk";
    let f = Fields::of(node, what, ctx)?;
    f.finish(&keys_of(schema::RISK), what, ctx);
    let id = f
        .required("id", what, ctx)
        .and_then(|n| yaml::required_text(n, "id", ctx));
    let title = f
        .required("title", what, ctx)
        .and_then(|n| yaml::required_text(n, "title", ctx));
    let mut opt = |field: &str| {
        f.get(field)
            .and_then(|n| n.written_text().or_else(|| yaml::text(n, field, ctx)))
            .filter(|t| !t.trim().is_empty())
    };
    let owner = opt("owner");
    let level = opt("level");
    let treatment = opt("treatment");
    Some(Risk {
        id: id?,
        title: title?,
        owner,
        level,
        treatment,
    })
}

/// Every KPI an objective names must exist: an unknown entry is an error
/// (as every reference to a register id is), and so is a KPI name the
/// entry does not have (the objective would silently show nothing).
pub(super) fn check_objectives(
    path: &Path,
    objectives: &[Objective],
    register: &Register,
    diags: &mut Diagnostics,
) {
    let ids: Vec<&str> = register.entries.iter().map(|e| e.id.as_str()).collect();
    for o in objectives {
        for k in &o.kpis {
            let Some(i) = register.entry_index(&k.entry) else {
                let hint = match yaml::nearest(&k.entry, &ids) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "name an entry of the register (its `id`)".to_string(),
                };
                diags
                    .error(
                        path,
                        k.pos,
                        format!(
                            "objective `{}` names entry `{}`, which is not in the register",
                            o.id, k.entry
                        ),
                    )
                    .hint(hint);
                continue;
            };
            let e = &register.entries[i];
            if kpi_named(e, &k.kpi).is_some() {
                continue;
            }
            let names: Vec<&str> = e.kpis.iter().map(|x| x.name.as_str()).collect();
            let hint = match (yaml::nearest(&k.kpi, &names), names.is_empty()) {
                (Some(near), _) => format!("did you mean `{}/{near}`?", e.id),
                (None, true) => format!("{} has no `kpis`; add the KPI to its entry first", e.id),
                (None, false) => format!("{}'s KPIs are: {}", e.id, names.join(", ")),
            };
            diags
                .error(
                    path,
                    k.pos,
                    format!("entry `{}` has no KPI named `{}`", e.id, k.kpi),
                )
                .hint(hint);
        }
    }
}

/// With a risk catalogue, a risk id an entry names that is not in it is
/// most likely a typo or a risk not yet catalogued: warned, not refused,
/// as control ids are, so a catalogue can be introduced gradually.
pub(super) fn warn_unknown_risks(entries: &[Entry], catalogue: &[Risk], diags: &mut Diagnostics) {
    let known: Vec<&str> = catalogue.iter().map(|r| r.id.as_str()).collect();
    let named: fn(&Entry) -> (&[String], &[Pos]) = |e| (&e.risks, &e.risks_pos);
    let same = |id: &str, k: &str| k.eq_ignore_ascii_case(id);
    super::controls::warn_unknown(entries, named, &known, same, "risk", diags);
}
