//! isms-site: publishes an ISO/IEC 27001 continual-improvement register
//! (clause 10.1, corrective actions of 10.2) as a static intranet site.
//!
//! Data flows one way: [`content`] loads and validates (using [`yaml`] and
//! producing [`model`] values and [`diag`] problems) → [`audience`] keeps
//! what the build's audience may see → [`rollup`] computes as of a date →
//! [`chart`], [`render`], [`search`], [`calendar`] and [`export`] write
//! files into a staging folder (or memory, for [`serve`]) → [`publish`]
//! swaps it in. [`cli`] wires the commands; [`watch`] and [`serve`] are the
//! live preview.

pub mod audience;
pub mod build;
pub mod calendar;
pub mod chart;
pub mod cli;
pub mod content;
pub mod diag;
pub mod export;
pub mod feed;
pub mod import;
pub mod markdown;
pub mod markup;
pub mod model;
pub mod new;
pub mod oscal;
pub mod publish;
pub mod render;
pub mod rollup;
pub mod search;
pub mod serve;
pub mod svg;
pub mod theme;
pub mod timing;
pub mod watch;
pub mod yaml;
