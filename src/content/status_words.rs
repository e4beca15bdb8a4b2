//! The words spreadsheets use for a status (`Done`, `On Hold`): `import`
//! reads a status cell through them, and the YAML reader names the value
//! such a word stands for when an author writes one into an entry. Both
//! use this module, so neither needs the other.

use crate::model::Status;

/// Spreadsheet words for a status (see "import" in docs/user-guide.md).
/// `On Hold` counts as in progress: the work has begun and is still
/// open, so it stays on the overdue list (override with --map-status).
pub fn status_alias(n: &str) -> Option<Status> {
    Some(match n {
        "open" | "new" | "todo" | "notyetstarted" | "pending" | "proposed" | "raised"
        | "identified" | "notstarted" | "opened" | "backlog" => Status::NotStarted,
        "scheduled" | "approved" | "accepted" | "agreed" | "plan" => Status::Planned,
        "ongoing"
        | "started"
        | "wip"
        | "inprogess"
        | "workinprogress"
        | "active"
        | "onhold"
        | "hold"
        | "paused"
        | "blocked"
        | "deferred"
        | "inreview"
        | "underreview"
        | "awaitingverification"
        | "monitoring"
        | "partiallycomplete"
        | "partiallycompleted" => Status::InProgress,
        "done" | "complete" | "closed" | "finished" | "implemented" | "resolved" | "verified"
        | "effective" => Status::Completed,
        "canceled" | "withdrawn" | "rejected" | "dropped" | "notrequired" | "noaction"
        | "noactionrequired" | "superseded" | "duplicate" => Status::Cancelled,
        _ => return None,
    })
}
