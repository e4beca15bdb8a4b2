//! JSON Schemas of the content files, made from [`crate::model::schema`]:
//! editors that speak JSON Schema (VS Code's YAML extension and every
//! other yaml-language-server client) complete field names and values and
//! flag mistakes as authors type. `check` stays the judge: it also knows
//! what a schema cannot say (ids that exist, dates in order, files in
//! `evidence/`), and it accepts spreadsheet spellings of values (`In
//! Progress`) that the schemas, to teach the slugs, do not.

use crate::model::schema::{self, ENTRY, Kind, Sub};
use serde_json::{Map, Value, json};

/// Every schema file: its name and its JSON text.
pub fn files() -> Vec<(&'static str, String)> {
    [
        ("register.schema.json", register()),
        (
            "plan.schema.json",
            front_matter("A plan's front matter", schema::PLAN),
        ),
        (
            "review.schema.json",
            front_matter("A review's front matter", schema::REVIEW),
        ),
        (
            "site.schema.json",
            document("site.yaml", record(schema::SITE)),
        ),
        ("controls.schema.json", controls()),
        (
            "objectives.schema.json",
            catalogue(
                "objectives.yaml: the information security objectives",
                schema::OBJECTIVE,
            ),
        ),
        (
            "risks.schema.json",
            catalogue("risks.yaml: the risks entries treat", schema::RISK),
        ),
    ]
    .into_iter()
    .map(|(name, value)| (name, text(&value)))
    .collect()
}

/// The schemas' folder in a content folder: hidden, so the loader passes
/// it by. `init` writes the schemas there, `isms-site schema` by default.
pub const CONTENT_DIR: &str = ".schema/";
/// The same folder as a register file names it.
pub const FROM_REGISTER: &str = "../.schema/";

/// The schema file a register file's `# yaml-language-server` line names.
pub const REGISTER_SCHEMA: &str = "register.schema.json";
/// The schema file site.yaml's line names.
pub const SITE_SCHEMA: &str = "site.schema.json";

/// The `# yaml-language-server: $schema=...` line that points a file at
/// `schema` in `dir` (a path relative to the file).
pub fn modeline(dir: &str, schema: &str) -> String {
    format!("# yaml-language-server: $schema={dir}{schema}\n")
}

fn text(value: &Value) -> String {
    let mut out = serde_json::to_string_pretty(value).unwrap_or_default();
    out.push('\n');
    out
}

fn document(title: &str, body: Value) -> Value {
    let mut doc = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": title,
    });
    if let (Some(d), Value::Object(b)) = (doc.as_object_mut(), body) {
        d.extend(b);
    }
    doc
}

/// A register file: one entry, or a list of entries (each with its `id`
/// once there are two or more).
fn register() -> Value {
    let entry = entry();
    let mut with_id = entry.clone();
    if let Some(required) = with_id["required"].as_array_mut() {
        required.insert(0, json!("id"));
    }
    document(
        "A register file (register/*.yaml): one entry or a list of entries",
        json!({
            "definitions": { "entry": entry, "listed_entry": with_id },
            "anyOf": [
                { "$ref": "#/definitions/entry" },
                {
                    "type": "array",
                    "items": { "$ref": "#/definitions/entry" },
                    "maxItems": 1
                },
                {
                    "type": "array",
                    "items": { "$ref": "#/definitions/listed_entry" },
                    "minItems": 2
                }
            ]
        }),
    )
}

/// One register entry, from the schema's table.
fn entry() -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for s in ENTRY {
        let mut p = kind(s.kind);
        p["description"] = json!(format!("{}: {}", s.label, s.about));
        props.insert(s.key.into(), p);
        if s.required {
            required.push(json!(s.key));
        }
    }
    json!({
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": false
    })
}

fn front_matter(title: &str, subs: &[Sub]) -> Value {
    document(
        &format!("{title} (the YAML between the `---` lines)"),
        record(subs),
    )
}

fn controls() -> Value {
    catalogue("controls.yaml: the control catalogue", schema::CONTROL)
}

/// A catalogue file: a list of records with the fields `subs`.
fn catalogue(title: &str, subs: &[Sub]) -> Value {
    document(title, json!({ "type": "array", "items": record(subs) }))
}

/// A mapping with the fields `subs`, and no others.
fn record(subs: &[Sub]) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for sub in subs {
        let mut p = kind(sub.kind);
        p["description"] = json!(sub.about);
        props.insert(sub.key.into(), p);
        if sub.required {
            required.push(json!(sub.key));
        }
    }
    json!({
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": false
    })
}

/// A single value content may write as text: YAML reads `2025` or `yes`
/// as numbers and booleans, and the loader takes them as written.
fn scalar() -> Value {
    json!({ "type": ["string", "number", "boolean"] })
}

/// One of `slugs`: editors complete the slugs, and accept the other
/// spellings `check` accepts (`In Progress`, `in_progress`; see
/// [`crate::model::normalise`]).
fn choice(slugs: &[&str]) -> Value {
    let gap = "[ _\\t-]*";
    let spellings: Vec<String> = slugs
        .iter()
        .map(|slug| {
            crate::model::normalise(slug)
                .chars()
                .map(
                    |c| match (c.to_lowercase().next(), c.to_uppercase().next()) {
                        (Some(l), Some(u)) if l != u => format!("{gap}[{l}{u}]"),
                        _ => format!("{gap}{c}"),
                    },
                )
                .collect::<String>()
                + gap
        })
        .collect();
    let valid = slugs.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>();
    json!({
        "anyOf": [
            { "enum": slugs },
            {
                "type": "string",
                "pattern": format!("^(?:{})$", spellings.join("|")),
                "patternErrorMessage": format!(
                    "Value is not accepted. Valid values: {}.",
                    valid.join(", ")
                )
            }
        ]
    })
}

fn id() -> Value {
    json!({
        "type": "string",
        "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$",
        "maxLength": 100
    })
}

/// What one kind of field may hold.
fn kind(k: Kind) -> Value {
    match k {
        Kind::Id => id(),
        Kind::Text | Kind::Markdown => scalar(),
        Kind::Date => json!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "format": "date"
        }),
        Kind::Completion => json!({
            "anyOf": [
                kind(Kind::Date),
                { "type": "string", "pattern": "^[Uu][Nn][Kk][Nn][Oo][Ww][Nn]$" }
            ]
        }),
        Kind::Number => json!({ "type": "number" }),
        Kind::Days => json!({ "type": "integer", "minimum": 1, "maximum": 3650 }),
        Kind::Bool => json!({ "type": "boolean" }),
        Kind::Url => {
            json!({ "type": "string", "pattern": "^(https?://[^\\s<>\"\\\\]+|evidence/.+)$" })
        }
        Kind::WebUrl => json!({ "type": "string", "pattern": "^https?://" }),
        Kind::Enum(c) => choice(&c.slugs()),
        Kind::TextList => json!({
            "anyOf": [ { "type": "array", "items": scalar() }, scalar() ]
        }),
        Kind::IdList | Kind::RiskIds => json!({
            "anyOf": [ { "type": "array", "items": scalar() }, scalar() ]
        }),
        Kind::Record(subs) => record(subs),
        Kind::RecordList(subs) => json!({ "type": "array", "items": record(subs) }),
        Kind::FreeMap => json!({
            "type": "object",
            "additionalProperties": { "type": ["string", "number", "boolean", "null"] }
        }),
        Kind::FieldAudiences => {
            let restrictable: Vec<&str> = schema::Field::restrictable().map(|f| f.key()).collect();
            json!({
                "type": "object",
                "propertyNames": { "enum": restrictable },
                "additionalProperties": choice(&schema::Choice::Visibility.slugs())
            })
        }
    }
}
