//! Layer 3: what the validated register means as of a date — the audience
//! a build is for ([`audience`]), each entry over time ([`timeline`]), the
//! register as of a day ([`asof`]), the figures ([`rollup`]) and the
//! data-quality warnings beside them ([`warnings`]), with the
//! management-review period ([`period`]), nonconformity findings
//! ([`nonconformity`]), effectiveness reviews due ([`effectiveness`]), what
//! changed between two dates ([`changes`]), a management review's inputs
//! ([`pack`]) and the register on every review's day in one pass
//! ([`sweep`]).

pub mod asof;
pub mod audience;
pub mod changes;
pub mod effectiveness;
pub mod figures;
pub mod group;
pub mod nonconformity;
pub mod objectives;
pub mod pack;
pub mod period;
pub mod rollup;
pub mod sweep;
pub mod timeline;
pub mod warnings;
