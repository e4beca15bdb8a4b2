//! Stable UUIDs for the register's items, shared by the OSCAL POA&M and the
//! Atom feed (both need ids that survive rebuilds).

use crate::model::Site;
use uuid::Uuid;

/// Root of every UUID isms-site derives (a fixed, random version 4 UUID).
const ISMS_SITE_NS: Uuid = Uuid::from_u128(0x5b0f_6c1e_93a4_4d2b_8e7f_0c61_2d9a_4f37);

/// UUIDs derived from one register's identity, so that two organisations
/// using the same ids (CI-001) still get different UUIDs.
pub struct UuidSource {
    ns: Uuid,
}

impl UuidSource {
    /// The register is identified by its organisation, else its title.
    pub fn for_site(site: &Site) -> UuidSource {
        let name = site.organization.as_deref().unwrap_or(&site.title);
        UuidSource {
            ns: Uuid::new_v5(&ISMS_SITE_NS, name.as_bytes()),
        }
    }

    pub fn get(&self, name: &str) -> String {
        Uuid::new_v5(&self.ns, name.as_bytes()).to_string()
    }

    /// Ids are unique ignoring case, so the UUID ignores case too.
    pub fn of_entry(&self, kind: &str, id: &str) -> String {
        self.get(&format!("{kind}:{}", id.to_lowercase()))
    }
}
