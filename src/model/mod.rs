//! Layer 1: the register as typed values, and problems as values. No
//! parser and no I/O: every other layer may use these types.

pub mod diag;
mod register;

pub use register::*;
