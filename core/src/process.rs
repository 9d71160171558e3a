//! The process, one file per seed step (see docs/process.md), beside the tables that say
//! which command runs in which status ([`crate::lifecycle`]) and who may run it
//! ([`crate::permission`]); [`crate::decide()`] checks both, then calls the step.
//!
//! | # | step | file |
//! |---|---|---|
//! | 1–6 | identify, register, entitle, classify, prioritise, route a new ticket | [`intake`] |
//! | 4 | classify again | [`classify`] |
//! | 5 | prioritise again | [`prioritise`] |
//! | 6 | route by hand | [`route`] |
//! | 7 | analyse: comments, waiting, watchers, the security record | [`analyse`] |
//! | 7 | attach files | [`attach`] |
//! | 7–9 | a macro: canned response, fields, status | [`macros`] |
//! | 8 | escalate, by hand or by SLA rule | [`escalate`] |
//! | 9 | solve | [`solve`] |
//! | 10 | validate: confirm, auto-confirm, reject | [`validate`] |
//! | 11 | survey | [`survey`] |
//! | 12 | review and close; cancel | [`close`] |
//! | 13 | reopen | [`reopen`] |
//! | – | a monitoring event again, or cleared | [`recur`] |
//! | 7 | problems: root cause, workaround, known error; incidents linked | [`problem`] |

pub(crate) mod analyse;
pub(crate) mod attach;
pub(crate) mod automation;
pub(crate) mod classify;
pub(crate) mod close;
pub(crate) mod edit;
pub(crate) mod escalate;
pub(crate) mod intake;
pub mod lifecycle;
pub(crate) mod macros;
pub mod permission;
pub(crate) mod prioritise;
pub(crate) mod problem;
pub(crate) mod recur;
pub(crate) mod reopen;
pub(crate) mod route;
pub(crate) mod solve;
pub(crate) mod survey;
pub(crate) mod validate;
