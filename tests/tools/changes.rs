//! What two `register.json` files say changed between their as-of dates,
//! in the shape of `changes.json`: the oracle the tests hold the pack's
//! `changes.json` to (it is made here from the published data, not from
//! the code under test).

use isms_site::output::export;
use isms_site::site::build::Computed;
use serde_json::{Value, json};
use std::collections::HashMap;

/// The `register.json` a build of `c` publishes.
pub fn register_json(c: &Computed) -> Value {
    let mut bytes = Vec::new();
    export::json(&c.register, &c.facts, &c.rollups, &mut bytes).expect("register.json");
    serde_json::from_slice(&bytes).expect("register.json is JSON")
}

/// The changes from `before` (the register.json as of `from`) to `after`
/// (as of `to`): ids in `after`'s order.
pub fn between(before: &Value, after: &Value, from: &str, to: &str) -> Value {
    let then: HashMap<&str, &Value> = before["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| (e["id"].as_str().expect("id"), e))
        .collect();
    let (mut new, mut completed, mut cancelled) = (vec![], vec![], vec![]);
    let (mut status, mut target, mut effectiveness) = (vec![], vec![], vec![]);
    for e in after["entries"].as_array().expect("entries") {
        let id = e["id"].as_str().expect("id");
        let was = then.get(id);
        if was.is_none() {
            new.push(json!(id));
        }
        let had = |field: &str, value: &str| was.is_some_and(|w| w[field] == value);
        for (list, value) in [(&mut completed, "completed"), (&mut cancelled, "cancelled")] {
            if e["status"] == value && !had("status", value) {
                list.push(json!(id));
            }
        }
        if let Some(w) = was {
            if w["status"] != e["status"] {
                status.push(json!({"id": id, "from": w["status"], "to": e["status"]}));
            }
            if w["target"] != e["target"] {
                target.push(json!({"id": id, "from": w["target"], "to": e["target"]}));
            }
        }
        if !e["effectiveness"].is_null()
            && was.is_none_or(|w| w["effectiveness"] != e["effectiveness"])
        {
            effectiveness.push(json!({"id": id, "result": e["effectiveness"]}));
        }
    }
    json!({
        "from": from, "to": to, "new": new, "completed": completed, "cancelled": cancelled,
        "status": status, "target": target, "effectiveness": effectiveness,
    })
}
