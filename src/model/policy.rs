//! What each audience may see, as site.yaml's `visibility:` block says.
//! The types only: `content` reads them, `compute::audience` applies them.

use crate::model::schema::Field;
use crate::model::{Enumerated, Visibility, slug_enum};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

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
    /// The least audience that may see each listed field (only
    /// [`Field::restrictable`] ones); unlisted fields follow their entry.
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
