//! Reads site.yaml's `visibility:` block into a [`Policy`].

use crate::content::yaml::{self, Ctx, Fields, Node};
use crate::model::diag::Pos;
use crate::model::policy::{HiddenEntries, Policy};
use crate::model::schema::{self, Field, Shown};
use crate::model::{Visibility, normalise};

/// Reads site.yaml's `visibility:` block, reporting every problem.
pub fn read_policy(node: &Node, ctx: &mut Ctx) -> Policy {
    let mut policy = Policy::default();
    let what = "visibility settings";
    let Some(f) = Fields::of(node, what, ctx) else {
        return policy;
    };
    f.finish(&schema::keys_of(schema::SITE_VISIBILITY), what, ctx);
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
/// restricted. Which fields may be restricted is the schema's
/// [`Shown`] column.
fn restrictable(key: &str, pos: Pos, ctx: &mut Ctx) -> Option<Field> {
    let named = Field::all().find(|f| normalise(f.key()) == normalise(key));
    match named.map(|f| (f, f.spec().shown)) {
        Some((f, Shown::Restrictable)) => return Some(f),
        Some((_, Shown::Always)) => {
            ctx.error(
                pos,
                format!("entry field `{key}` cannot be restricted"),
                "id, status, priority, type, visibility, the dates and the links between entries are published to every audience because counts and charts need them; to hide whole entries, give them `visibility: restricted`",
            );
            return None;
        }
        Some((_, Shown::With(governing))) => {
            ctx.error(
                pos,
                format!(
                    "entry field `{key}` is restricted together with `{}`",
                    governing.key()
                ),
                format!("restrict `{}` instead", governing.key()),
            );
            return None;
        }
        None => {}
    }
    let known: Vec<&str> = Field::restrictable().map(Field::key).collect();
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
