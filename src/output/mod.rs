//! Layer 4: everything written — the sink ([`pages::Out`]), pages, charts,
//! search, calendars, feeds and exports — from the computed register.

pub mod calendar;
pub mod chart;
pub mod export;
pub mod feed;
pub mod markup;
pub mod oscal;
pub mod pages;
pub mod search;
pub mod theme;
