//! isms-site: publishes an ISO/IEC 27001 continual-improvement register
//! (clause 10.1, corrective actions of 10.2) as a static intranet site.
//!
//! Data flows one way: [`content`] loads and validates (using [`yaml`] and
//! producing [`model`] values and [`diag`] problems) → [`rollup`] computes
//! as of a date → [`chart`], [`render`] and [`export`] write files into a
//! staging folder → [`publish`] swaps it in. [`cli`] wires the commands.

pub mod build;
pub mod chart;
pub mod cli;
pub mod content;
pub mod diag;
pub mod export;
pub mod feed;
pub mod import;
pub mod markdown;
pub mod model;
pub mod oscal;
pub mod publish;
pub mod render;
pub mod rollup;
pub mod theme;
pub mod yaml;
