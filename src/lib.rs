//! Foliodesk: an embeddable help-desk and IT-incident library.
pub use foliodesk_core as core;
