//! Choosing a backend from a URL: a plain match on the scheme.

use std::sync::Arc;

use foliodesk_core::store::{memory::MemoryStore, Store};
use foliodesk_core::{Error, Result};

/// Schemes whose backends have their own crates and are not wired in yet.
const PLANNED: &[&str] = &[
    "sqlite",
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "redb",
];

pub(crate) async fn store_for(url: &str) -> Result<Arc<dyn Store>> {
    let (scheme, _rest) = url.split_once("://").ok_or_else(|| {
        Error::validation("url", format!("`{url}` has no scheme; try `memory://`"))
    })?;
    match scheme {
        "memory" => Ok(Arc::new(MemoryStore::new())),
        s if PLANNED.contains(&s) => Err(Error::validation(
            "url",
            format!("the `{s}` backend is not part of this build yet; use `memory://`"),
        )),
        s => Err(Error::validation(
            "url",
            format!("unknown scheme `{s}`; expected memory, sqlite, postgres, mysql or redb"),
        )),
    }
}
