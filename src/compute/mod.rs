//! Layer 3: what the validated register means as of a date — the audience
//! a build is for ([`audience`]) and the figures ([`rollup`]), with the
//! management-review period ([`period`]), nonconformity findings
//! ([`nonconformity`]) and effectiveness reviews due ([`effectiveness`]).

pub mod asof;
pub mod audience;
pub mod effectiveness;
pub mod nonconformity;
pub mod period;
pub mod rollup;
