//! Layer 5: a whole build — load, compute, write every output into a
//! staging folder ([`build`]) and swap it in ([`publish`]).

pub mod build;
pub mod group;
pub mod pack;
pub mod parsed;
pub mod publish;
pub mod reuse;
pub mod sums;
pub mod survey;
