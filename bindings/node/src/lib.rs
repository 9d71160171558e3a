//! Node binding of Foliodesk (npm package `foliodesk`).
//!
//! This crate holds the binding's skeleton; the whole `Desk` API arrives with its own issue.

use napi_derive::napi;

/// The library's version.
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
