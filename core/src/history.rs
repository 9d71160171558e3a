//! The tamper-evident history: each ticket's events form a hash chain ([`hash`]), and
//! checkpoints anchor every ticket's head into one desk anchor ([`anchor`]).

pub mod anchor;
pub mod hash;
