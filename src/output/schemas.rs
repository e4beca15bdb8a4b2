//! `schema/`: the JSON Schemas of the content files, for editors (see
//! [`crate::model::json_schema`]). Published with every build, so a
//! team can point its editors at the site's copy.

use crate::output::sink::{Out, RenderError};

/// `schema/*.schema.json`.
pub struct Schemas;

impl crate::output::Output for Schemas {
    fn name(&self) -> &'static str {
        "schema"
    }
    fn needed_for_preview(&self) -> bool {
        false
    }
    fn write(&self, _: &crate::output::Inputs, out: &Out) -> Result<usize, RenderError> {
        let files = crate::model::json_schema::files();
        for (name, text) in &files {
            out.write(&format!("schema/{name}"), text.as_bytes())?;
        }
        Ok(files.len())
    }
}
