//! Layer 1: the register as typed values, and problems as values. No
//! parser and no I/O: every other layer may use these types.

mod approval;
mod catalogue;
pub mod diag;
mod enumerated;
pub mod group;
pub mod json_schema;
pub mod policy;
mod register;
mod revision;
pub mod rng;
pub mod schema;
pub mod spreadsheet;

pub use approval::{DiffKind, DiffLine, TextSince};
pub use catalogue::{KpiRef, Objective, Risk, kpi_named};
pub use enumerated::{Enumerated, normalise};
pub use register::*;
pub use revision::{Revision, Revisions};
pub use schema::Entry;
