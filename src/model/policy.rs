//! What each audience may see, as site.yaml's `visibility:` block says.
//! The types only: `content` reads them, `compute::audience` applies them.

use crate::model::Visibility;
use crate::model::schema::Field;
use std::collections::BTreeMap;

/// Declared with the other enumerations, where the schema that lists
/// site.yaml's values finds it without a circle back here.
pub use crate::model::HiddenEntries;

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
