//! Layer 3: what the validated register means as of a date — the audience
//! a build is for ([`audience`]) and the figures ([`rollup`]).

pub mod asof;
pub mod audience;
pub mod rollup;
