//! Fresh databases for tests (feature `testkit`): a file per test on SQLite, a database
//! per test on the servers, whose URLs come from the environment.
//!
//! - `FOLIODESK_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/test`
//! - `FOLIODESK_MYSQL_URL`, default `mysql://root@127.0.0.1:3306/test`
//!
//! A server that cannot be reached skips its tests with a message, except under `CI=true`,
//! where it fails them.

use std::sync::Arc;

use crate::{Dialect, SqlStore};
use foliodesk_core::store::Store;
use foliodesk_core::testkit::Harness;
use sqlx::{AnyPool, AssertSqlSafe, Executor};

/// Where the PostgreSQL tests go unless `FOLIODESK_POSTGRES_URL` says otherwise.
pub const POSTGRES_DEFAULT: &str = "postgres://postgres@127.0.0.1:5432/test";
/// Where the MySQL tests go unless `FOLIODESK_MYSQL_URL` says otherwise.
pub const MYSQL_DEFAULT: &str = "mysql://root@127.0.0.1:3306/test";

/// The server URL for a dialect (`None` for SQLite).
pub fn server_url(d: Dialect) -> Option<String> {
    let (var, default) = match d {
        Dialect::Sqlite => return None,
        Dialect::Postgres => ("FOLIODESK_POSTGRES_URL", POSTGRES_DEFAULT),
        Dialect::MySql => ("FOLIODESK_MYSQL_URL", MYSQL_DEFAULT),
    };
    Some(std::env::var(var).unwrap_or_else(|_| default.to_owned()))
}

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

async fn admin(url: &str) -> Result<AnyPool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_secs(3))
        .connect(url)
        .await
}

/// True if the dialect's server answers; otherwise prints a skip notice, or panics in CI.
pub async fn reachable(d: Dialect) -> bool {
    let Some(url) = server_url(d) else {
        return true;
    };
    match admin(&url).await {
        Ok(pool) => {
            pool.close().await;
            true
        }
        Err(e) if ci() => panic!("CI=true and the {d:?} server at {url} is unreachable: {e}"),
        Err(e) => {
            eprintln!("skipping {d:?} tests: server at {url} unreachable ({e})");
            false
        }
    }
}

/// A URL to an empty database named after `name`. SQLite files go to `dir`.
pub async fn fresh_url(d: Dialect, name: &str, dir: &std::path::Path) -> String {
    let db = format!(
        "fd_{}",
        name.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    )
    .to_ascii_lowercase();
    match server_url(d) {
        None => {
            let path = dir.join(format!("{db}.db"));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            format!("sqlite://{}", path.display())
        }
        Some(url) => {
            let pool = admin(&url).await.expect("server reachable");
            let drop = match d {
                Dialect::Postgres => format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"),
                _ => format!("DROP DATABASE IF EXISTS {db}"),
            };
            pool.execute(AssertSqlSafe(drop))
                .await
                .expect("drop test database");
            pool.execute(AssertSqlSafe(format!("CREATE DATABASE {db}")))
                .await
                .expect("create test database");
            pool.close().await;
            let base = url.rsplit_once('/').map_or(url.as_str(), |(b, _)| b);
            format!("{base}/{db}")
        }
    }
}

/// A conformance harness for one dialect; SQLite files go to the directory.
pub struct Sql(pub Dialect, pub &'static str);

#[async_trait::async_trait]
impl Harness for Sql {
    async fn store(&self, name: &str) -> Arc<dyn Store> {
        let url = fresh_url(self.0, name, std::path::Path::new(self.1)).await;
        Arc::new(SqlStore::open(&url).await.expect("open a fresh store"))
    }

    async fn available(&self) -> bool {
        reachable(self.0).await
    }
}
