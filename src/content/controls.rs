//! `controls.yaml`: the organisation's control catalogue (its Statement of
//! Applicability), and the checks that hold the register to it.

use super::parse_yaml;
use crate::content::yaml::{self, Ctx, Fields, Kind, Node};
use crate::model::diag::{Diagnostics, Pos};
use crate::model::schema::{self, keys_of};
use crate::model::*;
use std::collections::HashMap;
use std::path::Path;

/// The catalogue in `text`, sorted naturally by id; `None` when the file
/// is not a list of controls (every problem reported).
pub(super) fn catalogue_from_text(
    path: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<Vec<Control>> {
    let node = parse_yaml(text, 0, path, diags)?;
    let ctx = &mut Ctx { file: path, diags };
    let Kind::Seq(items) = &node.kind else {
        ctx.error(
            node.pos,
            format!(
                "expected a list of controls in controls.yaml, found {}",
                node.type_name()
            ),
            "write one control per item: `- id: A.8.8` and, indented below it, `title: ...`",
        );
        return None;
    };
    let mut out: Vec<Control> = Vec::new();
    let mut seen: HashMap<String, Pos> = HashMap::new();
    for item in items {
        let Some(control) = read_control(item, ctx) else {
            continue;
        };
        if let Some(first) = seen.get(&control.id) {
            ctx.error(
                item.pos,
                format!(
                    "control `{}` is listed twice: also at line {}",
                    control.id, first.line
                ),
                "list each control once",
            );
            continue;
        }
        seen.insert(control.id.clone(), item.pos);
        out.push(control);
    }
    out.sort_by(|a, b| natural_cmp(&a.id, &b.id));
    Some(out)
}

fn read_control(node: &Node, ctx: &mut Ctx) -> Option<Control> {
    let what = "control";
    let f = Fields::of(node, what, ctx)?;
    f.finish(&keys_of(schema::CONTROL), what, ctx);
    let id = f
        .required("id", what, ctx)
        .and_then(|n| yaml::required_text(n, "id", ctx));
    let title = f
        .required("title", what, ctx)
        .and_then(|n| yaml::required_text(n, "title", ctx));
    let applicable = f
        .get("applicable")
        .and_then(|n| yaml::boolean(n, "applicable", ctx));
    let justification = f
        .get("justification")
        .and_then(|n| yaml::text(n, "justification", ctx));
    Some(Control {
        id: id?,
        title: title?,
        applicable,
        justification,
    })
}

/// With a catalogue, a control id that is not in it is most likely a typo
/// (`A.8.08`) or a control the organisation has not catalogued: warned,
/// not refused, so a catalogue can be introduced gradually.
pub(super) fn warn_unknown_controls(
    entries: &[Entry],
    catalogue: &[Control],
    diags: &mut Diagnostics,
) {
    let known: Vec<&str> = catalogue.iter().map(|c| c.id.as_str()).collect();
    let named: fn(&Entry) -> (&[String], &[Pos]) = |e| (&e.controls, &e.controls_pos);
    warn_unknown(entries, named, &known, |id, k| id == k, "control", diags);
}

/// Warns at each id an entry names (`named`) that `known` lacks, by
/// `same`, with the nearest known id as a hint: controls and risks alike.
pub(super) fn warn_unknown(
    entries: &[Entry],
    named: fn(&Entry) -> (&[String], &[Pos]),
    known: &[&str],
    same: fn(&str, &str) -> bool,
    what: &str,
    diags: &mut Diagnostics,
) {
    let file = format!("{what}s.yaml");
    for e in entries {
        let (ids, positions) = named(e);
        for (id, pos) in ids.iter().zip(positions) {
            if known.iter().any(|k| same(id, k)) {
                continue;
            }
            let hint = match yaml::nearest(id, known) {
                Some(near) => format!("did you mean `{near}`? Otherwise add it to {file}"),
                None => format!("add `- id: {id}` with its `title` to {file}"),
            };
            diags
                .warning(
                    &e.origin.file,
                    *pos,
                    format!("{what} `{id}` is not in {file}"),
                )
                .hint(hint);
        }
    }
}
