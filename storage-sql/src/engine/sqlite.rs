//! SQLite: one writer connection, `BEGIN IMMEDIATE`, a whole append in two trips to the
//! connection's worker thread, WAL durability settings, in-memory databases shared by the
//! pool.

use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use foliodesk_core::store::{AppendEvents, FolioKey, Sealed};
use foliodesk_core::{Error, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe};

use super::{batch, Engine};
use crate::connect::Synchronous;
use crate::filter::{bind_all, Arg};
use crate::writes::Statement;
use crate::SqlStore;

const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_init.sql"),
    include_str!("../../migrations/sqlite/0002_sla_due.sql"),
    include_str!("../../migrations/sqlite/0003_partial_indexes.sql"),
    include_str!("../../migrations/sqlite/0004_meta_checkpoints.sql"),
    include_str!("../../migrations/sqlite/0005_outbox_delivery.sql"),
    include_str!("../../migrations/sqlite/0006_blobs.sql"),
    include_str!("../../migrations/sqlite/0007_contacts.sql"),
    include_str!("../../migrations/sqlite/0008_search.sql"),
    include_str!("../../migrations/sqlite/0009_report_facts.sql"),
    include_str!("../../migrations/sqlite/0010_fact_blocks.sql"),
    include_str!("../../migrations/sqlite/0011_fact_pulse.sql"),
    include_str!("../../migrations/sqlite/0012_pending_postings.sql"),
    include_str!("../../migrations/sqlite/0013_term_blocks.sql"),
];

/// SQLite (embedded; `sqlite://path.db`, `sqlite::memory:`).
pub(crate) struct Sqlite;

#[async_trait]
impl Engine for Sqlite {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn migrations(&self) -> &'static [&'static str] {
        MIGRATIONS
    }

    /// DDL is transactional and the write lock serialises processes.
    fn migrates_in_one_transaction(&self) -> bool {
        true
    }

    fn list_tables(&self) -> &'static str {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'fd!_%' ESCAPE '!'"
    }

    /// The write lock up front, so two writers never deadlock upgrading from a read.
    fn begin_write(&self) -> &'static str {
        "BEGIN IMMEDIATE"
    }

    /// The write transaction already excludes other writers.
    fn for_update(&self) -> &'static str {
        ""
    }

    fn pool_size(&self, requested: u32) -> u32 {
        requested.clamp(1, 4)
    }

    fn one_writer(&self) -> bool {
        true
    }

    /// A commit writes every page it touched to the WAL, a posting's term's page each.
    fn buffers_postings(&self) -> bool {
        true
    }

    fn url(&self, base: &str, kept: &mut Vec<String>) -> Result<(String, bool)> {
        if base.contains(":memory:") {
            // A named in-memory database with a shared cache: the pool's connections and the
            // writer see the same data (a plain `:memory:` is private to one connection).
            static NEXT: AtomicU64 = AtomicU64::new(0);
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            kept.retain(|p| !p.starts_with("mode=") && !p.starts_with("cache="));
            kept.push("mode=memory".into());
            return Ok((
                format!("sqlite://foliodesk-memory-{}-{n}", std::process::id()),
                true,
            ));
        }
        check_path(base)?;
        if !kept.iter().any(|p| p.starts_with("mode=")) {
            kept.push("mode=rwc".into());
        }
        Ok((base.to_owned(), false))
    }

    fn has_synchronous(&self) -> bool {
        true
    }

    /// `synchronous` and `busy_timeout` are per connection, and several processes may share
    /// the file.
    fn connection_setup(&self, synchronous: Synchronous) -> Option<String> {
        let sync = match synchronous {
            Synchronous::Full => "FULL",
            Synchronous::Normal => "NORMAL",
        };
        Some(format!(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = {sync}; \
             PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;"
        ))
    }

    /// A connection to a local file cannot go stale.
    fn pings_idle_connections(&self) -> bool {
        false
    }

    /// `BEGIN IMMEDIATE` and the reads in one query: sqlx's SQLite driver runs
    /// `;`-separated statements in one trip, handing each its share of the binds.
    async fn begin(
        &self,
        conn: &mut AnyConnection,
        reads: Vec<Statement>,
    ) -> sqlx::Result<Vec<AnyRow>> {
        let (sql, args): (Vec<String>, Vec<Vec<Arg>>) = reads.into_iter().unzip();
        let q = bind_all(
            sqlx::query(AssertSqlSafe(batch(self.begin_write(), sql))),
            args.concat(),
        );
        q.fetch_all(conn).await
    }

    /// The writes and the COMMIT in one trip; a failing statement stops the rest, COMMIT
    /// included. Under `BEGIN IMMEDIATE` the head read is authoritative, so the projection
    /// row needs no count of its own.
    async fn finish(&self, conn: &mut AnyConnection, writes: Vec<Statement>) -> sqlx::Result<u64> {
        let (sql, args): (Vec<String>, Vec<Vec<Arg>>) = writes.into_iter().unzip();
        let sql = format!("{}; COMMIT", sql.join("; "));
        bind_all(sqlx::query(AssertSqlSafe(sql)), args.concat())
            .execute(conn)
            .await?;
        Ok(1)
    }

    /// Never called: the one writer draws folios without waiting, so SQLite never guesses.
    /// Answering "the counter moved" sends a caller to the locked draw, which is correct.
    async fn guessed(
        &self,
        _store: &SqlStore,
        _conn: &mut AnyConnection,
        _req: &AppendEvents,
        _sealed: &Sealed,
        _guess: (&FolioKey, u64),
    ) -> Result<sqlx::Result<bool>> {
        Ok(Ok(false))
    }
}

/// A directory where a database file should be is caught here, with a clearer message than
/// SQLite's "unable to open database file".
fn check_path(base: &str) -> Result<()> {
    let path = base
        .strip_prefix("sqlite://")
        .or_else(|| base.strip_prefix("sqlite:"))
        .unwrap_or(base);
    if path.is_empty() {
        return Err(Error::validation(
            "url",
            "a SQLite URL needs a file path, e.g. `sqlite://desk.db`, or `sqlite::memory:`",
        ));
    }
    if std::path::Path::new(path).is_dir() {
        return Err(Error::validation(
            "url",
            format!("`{path}` is a directory; give the path of a database file inside it"),
        ));
    }
    Ok(())
}
