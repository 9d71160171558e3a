//! redb storage for Foliodesk: embedded, one file, no SQL.
//!
//! Not implemented yet: the storage contract lives in [`foliodesk_core::store`], and this
//! crate will implement it (tracked as its own issue). It exists now so the workspace has its
//! final shape.

/// The URL scheme this backend will accept.
pub const SCHEME: &str = "redb";

#[doc(hidden)]
pub use foliodesk_core as core;
