//! Layer 4: everything written — the sink ([`sink::Out`]), pages, charts,
//! search, calendars, feeds and exports — from the computed register.

pub mod calendar;
pub mod chart;
pub mod export;
pub mod feed;
pub mod ids;
pub mod markup;
pub mod oscal;
pub mod pages;
pub mod search;
pub mod sink;
pub mod theme;
pub mod urls;
