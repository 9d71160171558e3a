//! From a URL to a connection pool: scheme checks, SQLite file and durability settings,
//! and errors that say what to do.

use std::time::Duration;

use foliodesk_core::{Error, Result};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, AssertSqlSafe, ConnectOptions, Connection};

use crate::dialect::Dialect;
use crate::errors::{redact_url, storage};

/// How long a server connection may sit unused in the pool before it is pinged on its next
/// use.
pub(crate) const PING_AFTER_IDLE: Duration = Duration::from_secs(10);

/// How durable a SQLite commit is (`?synchronous=` in the URL).
///
/// SQLite runs in WAL mode. `full` (the default) syncs the log on every commit: a commit
/// that returned survives power loss. `normal` syncs only at checkpoints: a crash of the
/// process never loses data, a power cut may lose the last commits, never corrupts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Synchronous {
    /// Sync on every commit.
    Full,
    /// Sync at checkpoints.
    Normal,
}

/// A parsed backend URL.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub dialect: Dialect,
    /// What sqlx is given.
    pub url: String,
    /// What messages show (no password).
    pub shown: String,
    /// SQLite only: an in-memory database, which lives on one connection.
    pub memory: bool,
    pub synchronous: Synchronous,
}

impl Target {
    pub fn parse(url: &str) -> Result<Target> {
        let dialect = Dialect::of_url(url)?;
        let engine = dialect.engine();
        let shown = redact_url(url);
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut synchronous = Synchronous::Full;
        let mut kept: Vec<String> = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("synchronous", v)) if engine.has_synchronous() => {
                    synchronous = match v.to_ascii_lowercase().as_str() {
                        "full" => Synchronous::Full,
                        "normal" => Synchronous::Normal,
                        other => {
                            return Err(Error::validation(
                                "url",
                                format!("synchronous=`{other}`: expected `full` or `normal`"),
                            ))
                        }
                    }
                }
                _ => kept.push(pair.to_owned()),
            }
        }
        let (base, memory) = engine.url(base, &mut kept)?;
        let url = if kept.is_empty() {
            base
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        Ok(Target {
            dialect,
            url,
            shown,
            memory,
            synchronous,
        })
    }

    /// Statements run on every new connection.
    fn connection_setup(&self) -> Option<String> {
        self.dialect.engine().connection_setup(self.synchronous)
    }

    fn options(&self) -> Result<AnyConnectOptions> {
        sqlx::any::install_default_drivers();
        let options: AnyConnectOptions = self.url.parse().map_err(|e: sqlx::Error| {
            Error::validation("url", format!("`{}` is not a valid URL: {e}", self.shown))
        })?;
        Ok(options.disable_statement_logging())
    }

    /// One connection outside the pool, with the per-connection settings. Opening a store
    /// starts with it: a pool would retry until its timeout and then report only that it
    /// timed out, hiding "connection refused", "no such database" or "file is not a
    /// database". SQLite keeps it as its writer.
    pub async fn connect(&self) -> Result<AnyConnection> {
        let opening = |e| storage(&format!("cannot open `{}`", self.shown), e);
        let mut conn = self.options()?.connect().await.map_err(opening)?;
        if let Some(sql) = self.connection_setup() {
            sqlx::raw_sql(AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .map_err(opening)?;
        }
        Ok(conn)
    }

    /// A pool with the per-connection settings; call after [`Target::connect`] succeeded.
    ///
    /// sqlx pings a connection every time it leaves the pool, which is a trip as long as a
    /// small query. An SQLite connection to a local file cannot go stale, so it is never
    /// pinged; a server connection is pinged only after [`PING_AFTER_IDLE`] unused, when a
    /// server restart or a firewall may have cut it.
    pub async fn pool(&self, max_connections: u32) -> Result<AnyPool> {
        let options = self.options()?;
        let setup = self.connection_setup();
        let mut pool = AnyPoolOptions::new()
            .max_connections(if self.memory { 1 } else { max_connections })
            .acquire_timeout(Duration::from_secs(10))
            .test_before_acquire(false);
        if self.dialect.engine().pings_idle_connections() {
            pool = pool.before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= PING_AFTER_IDLE {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            });
        }
        if let Some(sql) = setup {
            pool = pool.after_connect(move |conn, _| {
                let sql = sql.clone();
                Box::pin(async move {
                    sqlx::raw_sql(AssertSqlSafe(sql)).execute(conn).await?;
                    Ok(())
                })
            });
        }
        pool.connect_with(options)
            .await
            .map_err(|e| storage(&format!("cannot open `{}`", self.shown), e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_files_are_created_and_durability_is_read() {
        let t = Target::parse("sqlite://desk.db?synchronous=normal").unwrap();
        assert_eq!(t.url, "sqlite://desk.db?mode=rwc");
        assert_eq!(t.synchronous, Synchronous::Normal);
        let t = Target::parse("sqlite::memory:").unwrap();
        assert!(t.memory);
        let err = Target::parse("sqlite://desk.db?synchronous=maybe").unwrap_err();
        assert_eq!(err.field(), Some("url"));
    }

    #[test]
    fn mariadb_is_spoken_as_mysql() {
        let t = Target::parse("mariadb://root@127.0.0.1/test").unwrap();
        assert_eq!(t.url, "mysql://root@127.0.0.1/test");
        assert_eq!(t.dialect, Dialect::MySql);
    }

    #[test]
    fn a_directory_is_not_a_database() {
        let dir = std::env::temp_dir();
        let err = Target::parse(&format!("sqlite://{}", dir.display())).unwrap_err();
        assert!(err.to_string().contains("is a directory"), "{err}");
    }
}
