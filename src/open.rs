//! Choosing a backend from a URL: a plain match on the scheme.

use std::sync::Arc;

use foliodesk_core::store::{memory::MemoryStore, Store};
use foliodesk_core::{Error, Result};

pub(crate) async fn store_for(url: &str) -> Result<Arc<dyn Store>> {
    let scheme = scheme(url)?;
    match scheme {
        "memory" => Ok(Arc::new(MemoryStore::new())),
        "sqlite" | "postgres" | "postgresql" | "mysql" | "mariadb" => sql(url).await,
        "redb" => redb(url).await,
        s => Err(Error::validation(
            "url",
            format!(
                "unknown scheme `{s}`; expected sqlite, postgres, mysql, mariadb, redb or memory"
            ),
        )),
    }
}

/// `sqlite::memory:` has no `//`, so the scheme ends at the first `:`.
fn scheme(url: &str) -> Result<&str> {
    match url.split_once(':') {
        Some((scheme, _)) if !scheme.is_empty() => Ok(scheme),
        _ => Err(Error::validation(
            "url",
            format!("`{url}` has no scheme; try `sqlite://desk.db`"),
        )),
    }
}

#[cfg(feature = "sql")]
async fn sql(url: &str) -> Result<Arc<dyn Store>> {
    Ok(Arc::new(foliodesk_sql::SqlStore::open(url).await?))
}

#[cfg(not(feature = "sql"))]
async fn sql(_url: &str) -> Result<Arc<dyn Store>> {
    Err(Error::validation(
        "url",
        "this build has no SQL backends; enable the `sql` feature of foliodesk",
    ))
}

#[cfg(feature = "redb")]
async fn redb(url: &str) -> Result<Arc<dyn Store>> {
    Ok(Arc::new(foliodesk_redb::RedbStore::open_url(url).await?))
}

#[cfg(not(feature = "redb"))]
async fn redb(_url: &str) -> Result<Arc<dyn Store>> {
    Err(Error::validation(
        "url",
        "this build has no redb backend; enable the `redb` feature of foliodesk",
    ))
}
