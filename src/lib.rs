//! isms-site: publishes an ISO/IEC 27001 continual-improvement register
//! (clause 10.1, corrective actions of 10.2) as a static intranet site.
//!
//! The code is in layers named for the pipeline's stages. Each layer uses
//! only the layers below it (`tests/layers.rs` fails otherwise):
//!
//! ```text
//!   cmd      one module per subcommand: build, check, new, import, serve, watch
//!    │
//!   site     a whole build: load → compute → every output → publish (swap in)
//!    │
//!   output   the sink, URLs, Markdown, pages, charts, search, calendars, feeds,
//!            exports
//!    │
//!   compute  the audience's view of the register, rollups as of a date
//!    │
//!   content  reading: YAML, front matter, spreadsheet import, files
//!    │
//!   model    typed register, enumerations, audience policy, diagnostics
//! ```
//!
//! Data flows one way: [`content`] loads and validates into [`model`]
//! values (problems as [`model::diag`] values) → [`compute`] keeps what the
//! build's audience may see and computes figures as of a date → [`output`]
//! writes files into a staging folder (or memory, for `serve`) →
//! [`site`] swaps it in. [`cmd`] wires the commands. Every layer from
//! [`content`] up writes messages and printed text through
//! [`content::stdio`], which does not panic on a closed pipe.

#![deny(unsafe_code)]

pub mod cmd;
pub mod compute;
pub mod content;
pub mod model;
pub mod output;
pub mod site;
