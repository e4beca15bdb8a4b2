//! Layer 3: what the validated register means as of a date — the audience
//! a build is for ([`audience`]), the figures ([`rollup`]), what changed
//! between two dates ([`changes`]) and a management review's inputs ([`pack`]).

pub mod asof;
pub mod audience;
pub mod changes;
pub mod pack;
pub mod rollup;
