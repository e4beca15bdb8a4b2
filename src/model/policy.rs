//! What each audience may see, as site.yaml's `visibility:` block says.
//! The types only: `content` reads them, `compute::audience` applies them.

use crate::model::{Enumerated, Visibility, slug_enum};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

slug_enum!(
    /// Entry fields that site.yaml may publish only to some audiences.
    Field {
        Title = "title" / "Title",
        Description = "description" / "Description",
        Outcome = "outcome" / "Outcome",
        Resources = "resources" / "Resources",
        Lessons = "lessons" / "Lessons",
        Owner = "owner" / "Owner",
        Source = "source" / "Source",
        Controls = "controls" / "Controls",
        Tags = "tags" / "Tags",
        Links = "links" / "Links",
        Kpis = "kpis" / "KPIs",
        Extra = "extra" / "Extra columns",
        Effectiveness = "effectiveness" / "Effectiveness reviewer and note",
        History = "history" / "History notes",
        Benefit = "benefit" / "Benefit",
        Effort = "effort" / "Effort",
        Nonconformity = "nonconformity" / "Nonconformity finding, root cause and correction",
    }
);

slug_enum!(
    /// What becomes of an entry its audience may not see.
    HiddenEntries {
        Omit = "omit" / "Omitted",
        Stub = "stub" / "Shown as a redacted stub",
    }
);

/// site.yaml `visibility:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The least audience that may see each listed field; unlisted fields
    /// follow their entry.
    pub fields: BTreeMap<Field, Visibility>,
    pub hidden_entries: HiddenEntries,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            fields: BTreeMap::new(),
            hidden_entries: HiddenEntries::Omit,
        }
    }
}
