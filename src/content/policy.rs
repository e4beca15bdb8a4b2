//! Reads site.yaml's `visibility:` block into a [`Policy`].

use crate::content::yaml::{self, Ctx, Fields, Node};
use crate::model::diag::Pos;
use crate::model::policy::{Field, HiddenEntries, Policy};
use crate::model::{Enumerated, Visibility, normalise};

/// Fields every audience sees: counts, charts, overdue figures and links
/// are made of them, so hiding one would make the rollups lie.
const ALWAYS_PUBLISHED: &[&str] = &[
    "id",
    "status",
    "priority",
    "type",
    "identified",
    "target",
    "completed",
    "visibility",
];

/// Reads site.yaml's `visibility:` block, reporting every problem.
pub fn read_policy(node: &Node, ctx: &mut Ctx) -> Policy {
    let mut policy = Policy::default();
    let what = "visibility settings";
    let Some(f) = Fields::of(node, what, ctx) else {
        return policy;
    };
    f.finish(&["fields", "hidden_entries"], what, ctx);
    if let Some(n) = f.get("hidden_entries") {
        policy.hidden_entries =
            yaml::enumeration(n, "hidden_entries", ctx).unwrap_or(HiddenEntries::Omit);
    }
    if let Some(n) = f.get("fields")
        && let Some(ff) = Fields::of(n, "visibility fields", ctx)
    {
        for (key, value, pos) in ff.keys() {
            if let Some(field) = restrictable(key, pos, ctx)
                && let Some(v) = yaml::enumeration::<Visibility>(value, key, ctx)
            {
                policy.fields.insert(field, v);
            }
        }
    }
    policy
}

/// The field a `fields:` key names, or an error saying why it cannot be
/// restricted.
fn restrictable(key: &str, pos: Pos, ctx: &mut Ctx) -> Option<Field> {
    if let Some(field) = Field::from_text(key) {
        return Some(field);
    }
    if ALWAYS_PUBLISHED.contains(&normalise(key).as_str()) {
        ctx.error(
            pos,
            format!("entry field `{key}` cannot be restricted"),
            "id, status, priority, type, visibility and the dates are published to every audience because counts and charts need them; to hide whole entries, give them `visibility: restricted`",
        );
        return None;
    }
    let known: Vec<&str> = Field::ALL.iter().map(|f| f.slug()).collect();
    let hint = match yaml::nearest(key, &known) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("fields that can be restricted: {}", known.join(", ")),
    };
    ctx.error(
        pos,
        format!("unknown entry field `{key}` in visibility fields"),
        hint,
    );
    None
}
