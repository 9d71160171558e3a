//! Fresh databases for tests (feature `testkit`): a file per test on SQLite, a database
//! per test on the servers, whose URLs come from the environment.
//!
//! - `FOLIODESK_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/test`
//! - `FOLIODESK_MYSQL_URL`, default `mysql://root@127.0.0.1:3306/test`
//!
//! A server that cannot be reached fails its tests with a message saying how to start it,
//! unless the run opts out: `FOLIODESK_SKIP=postgres,mysql` leaves those suites out, and
//! says so. Every database a test creates is dropped when the test ends, pass or fail.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

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

/// Whether the run opted out of `what` (`postgres`, `mysql`, `business-hours`…) with
/// `FOLIODESK_SKIP`.
pub fn skipped(what: &str) -> bool {
    std::env::var("FOLIODESK_SKIP").is_ok_and(|v| v.split(',').any(|s| s.trim() == what))
}

fn skip_name(d: Dialect) -> &'static str {
    match d {
        Dialect::Sqlite => "sqlite",
        Dialect::Postgres => "postgres",
        Dialect::MySql => "mysql",
    }
}

async fn admin(url: &str) -> Result<AnyPool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_secs(3))
        .connect(url)
        .await
}

/// True if the dialect's server answers; false (with a notice) when the run opted out of
/// it; otherwise the test fails, saying how to start the server.
pub async fn reachable(d: Dialect) -> bool {
    let Some(url) = server_url(d) else {
        return true;
    };
    if skipped(skip_name(d)) {
        eprintln!("FOLIODESK_SKIP: leaving out the {d:?} tests");
        return false;
    }
    match admin(&url).await {
        Ok(pool) => {
            pool.close().await;
            true
        }
        Err(e) => panic!(
            "the {d:?} server at {url} is unreachable ({e}). Start it (Debian: {}), point \
             {} at one, or leave these tests out with FOLIODESK_SKIP={}",
            match d {
                Dialect::Postgres => "pg_ctlcluster 15 main start",
                _ => "start-stop-daemon --start --background --exec /usr/sbin/mariadbd",
            },
            match d {
                Dialect::Postgres => "FOLIODESK_POSTGRES_URL",
                _ => "FOLIODESK_MYSQL_URL",
            },
            skip_name(d)
        ),
    }
}

/// A database made for one test: a file on SQLite, a database on a server. Dropped (the
/// file removed) when this value is, also when the test panics.
#[derive(Debug)]
pub struct FreshDb {
    /// Where the store opens it.
    pub url: String,
    /// (admin URL, database name) on a server.
    server: Option<(Dialect, String, String)>,
    file: Option<PathBuf>,
}

impl Drop for FreshDb {
    fn drop(&mut self) {
        if let Some(path) = &self.file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        let Some((d, admin_url, db)) = self.server.take() else {
            return;
        };
        // Drop runs inside the test's runtime: the cleanup gets a thread and runtime of its
        // own, and is waited for so the database is gone when the test ends.
        let done = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the cleanup");
            rt.block_on(async move {
                let pool = admin(&admin_url).await?;
                pool.execute(AssertSqlSafe(drop_statement(d, &db))).await?;
                pool.close().await;
                Ok::<(), sqlx::Error>(())
            })
        })
        .join();
        if let Ok(Err(e)) = done {
            eprintln!("could not drop the test database: {e}");
        }
    }
}

fn drop_statement(d: Dialect, db: &str) -> String {
    match d {
        // Connections the test left open are cut.
        Dialect::Postgres => format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"),
        _ => format!("DROP DATABASE IF EXISTS {db}"),
    }
}

/// An empty database named after `name`, dropped with the returned value. SQLite files go
/// to `dir`.
pub async fn fresh_db(d: Dialect, name: &str, dir: &std::path::Path) -> FreshDb {
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
            FreshDb {
                url: format!("sqlite://{}", path.display()),
                server: None,
                file: Some(path),
            }
        }
        Some(url) => {
            let pool = admin(&url).await.expect("server reachable");
            pool.execute(AssertSqlSafe(drop_statement(d, &db)))
                .await
                .expect("drop test database");
            pool.execute(AssertSqlSafe(format!("CREATE DATABASE {db}")))
                .await
                .expect("create test database");
            pool.close().await;
            let base = url.rsplit_once('/').map_or(url.as_str(), |(b, _)| b);
            FreshDb {
                url: format!("{base}/{db}"),
                server: Some((d, url.clone(), db)),
                file: None,
            }
        }
    }
}

/// A conformance harness for one dialect; SQLite files go to the directory. The databases
/// it makes are dropped with it.
pub struct Sql {
    dialect: Dialect,
    dir: &'static str,
    options: crate::SqlOptions,
    made: Mutex<Vec<FreshDb>>,
}

impl Sql {
    /// A harness for `dialect`, SQLite files in `dir`. Searches prune whenever it reads
    /// less, so small collections take that path too; on SQLite some postings are pending
    /// and some merged at any time.
    pub fn new(dialect: Dialect, dir: &'static str) -> Sql {
        let options = crate::SqlOptions {
            search_prune_from: 0,
            search_merge_at: 64,
            ..Default::default()
        };
        Sql::with_options(dialect, dir, options)
    }

    /// [`Sql::new`] with the stores' options given.
    pub fn with_options(dialect: Dialect, dir: &'static str, options: crate::SqlOptions) -> Sql {
        Sql {
            dialect,
            dir,
            options,
            made: Mutex::new(Vec::new()),
        }
    }
}

#[async_trait::async_trait]
impl Harness for Sql {
    async fn store(&self, name: &str) -> Arc<dyn Store> {
        let db = fresh_db(self.dialect, name, std::path::Path::new(self.dir)).await;
        let store = SqlStore::open_with(&db.url, self.options.clone())
            .await
            .expect("open a fresh store");
        self.made.lock().unwrap_or_else(|p| p.into_inner()).push(db);
        Arc::new(store)
    }

    async fn available(&self) -> bool {
        reachable(self.dialect).await
    }
}
