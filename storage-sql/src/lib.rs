//! SQL storage for Foliodesk (SQLite, PostgreSQL, MySQL/MariaDB through sqlx).
//!
//! Not implemented yet: the storage contract lives in [`foliodesk_core::store`], and this
//! crate will implement it (tracked as its own issue). It exists now so the workspace has its
//! final shape.

/// The URL schemes this backend will accept.
pub const SCHEMES: &[&str] = &["sqlite", "postgres", "postgresql", "mysql", "mariadb"];

#[doc(hidden)]
pub use foliodesk_core as core;
