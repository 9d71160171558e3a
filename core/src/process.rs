//! The process, one file per seed step that has rules of its own (see docs/process.md):
//!
//! | step | where |
//! |---|---|
//! | identify, register, entitle, classify, prioritise, route (intake) | [`intake`] |
//! | prioritise after intake | [`prioritise`] |
//! | route by hand | [`route`] |
//! | analyse | [`analyse`] |
//! | escalate (by hand or by SLA rule) | [`escalate`] |
//! | validate | [`validate`] |
//! | solve, survey, review and close, reopen, cancel | `decide` (their rules fit in a few lines there) |
//!
//! Which command runs in which status is [`crate::lifecycle`]; who may run it is
//! [`crate::permission`]; both are checked by [`crate::decide()`] before a step runs.

pub(crate) mod analyse;
pub(crate) mod escalate;
pub(crate) mod intake;
pub(crate) mod prioritise;
pub(crate) mod route;
pub(crate) mod validate;
