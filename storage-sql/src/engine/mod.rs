//! What differs between the SQL engines, one module each behind [`Engine`]: placeholders,
//! upserts, folio draws, locking, how an append's statements travel, connection settings,
//! migrations. Everything else in this crate is written once, in the portable subset.

mod mysql;
mod postgres;
mod sqlite;

use async_trait::async_trait;
use foliodesk_core::store::{AppendEvents, FolioKey, Sealed};
use foliodesk_core::Result;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Executor};

use crate::connect::Synchronous;
use crate::filter::{bind_all, Arg};
use crate::statements::{inline, Statements};
use crate::writes::{portable_writes, Statement};
use crate::{Dialect, SqlStore};

pub(crate) use mysql::MySql;
pub(crate) use postgres::Postgres;
pub(crate) use sqlite::Sqlite;

/// One SQL engine. The defaults are the portable behaviour; each engine overrides what it
/// does differently.
#[async_trait]
pub(crate) trait Engine: Send + Sync {
    /// The name of the engine's migrations folder.
    fn name(&self) -> &'static str;

    /// The engine's migrations, oldest first.
    fn migrations(&self) -> &'static [&'static str];

    /// A hint for a failed migration `version` (a privilege it needs).
    fn migration_hint(&self, _version: i64) -> &'static str {
        ""
    }

    /// Whether migrations run in one transaction (transactional DDL and a write lock).
    fn migrates_in_one_transaction(&self) -> bool {
        false
    }

    /// Statements that serialise schema migrations between processes, and release them.
    fn migration_lock(&self) -> Option<(&'static str, &'static str)> {
        None
    }

    /// The names of this database's tables that start with `fd_`.
    fn list_tables(&self) -> &'static str;

    /// The portable `?` placeholders in this engine's form. SQL text written in this
    /// crate never has `?` inside a literal.
    fn placeholders(&self, portable: &str) -> String {
        portable.to_owned()
    }

    /// `INSERT … VALUES (?, ?)` that replaces the `body` of an existing row with key `id`.
    fn upsert_body(&self, table: &str) -> String {
        format!(
            "INSERT INTO {table} (id, body) VALUES (?, ?) \
             ON CONFLICT (id) DO UPDATE SET body = excluded.body"
        )
    }

    /// `INSERT … VALUES (?, ?)` into `fd_blobs` that leaves an existing row alone (the same
    /// key is the same bytes).
    fn insert_blob(&self) -> &'static str {
        "INSERT INTO fd_blobs (id, body) VALUES (?, ?) ON CONFLICT (id) DO NOTHING"
    }

    /// `INSERT … VALUES (?, ?, ?)` into `fd_contacts` (id, started_at, body) that replaces
    /// an existing row with the same id.
    fn upsert_contact(&self) -> &'static str {
        "INSERT INTO fd_contacts (id, started_at, body) VALUES (?, ?, ?) ON CONFLICT (id) \
         DO UPDATE SET started_at = excluded.started_at, body = excluded.body"
    }

    /// What follows an insert into `fd_facts` so that a stored fact is replaced.
    fn fact_conflict(&self) -> &'static str {
        " ON CONFLICT (opened_micros, ticket_id) DO UPDATE SET live = excluded.live, \
         body = excluded.body, team = excluded.team, status = excluded.status, \
         level = excluded.level, unassigned = excluded.unassigned, waiting = excluded.waiting, \
         breached = excluded.breached, due_micros = excluded.due_micros, \
         alerted_micros = excluded.alerted_micros"
    }

    /// `cond`'s count in a `GROUP BY`: `FILTER` is the cheapest where there is one.
    fn count_if(&self, cond: &str) -> String {
        format!("COUNT(*) FILTER (WHERE {cond})")
    }

    /// An insert of a day's first block that writes nothing if the day has one.
    fn first_block(&self) -> &'static str {
        "INSERT INTO fd_fact_blocks (day_micros, version, body) VALUES (?, 1, ?) \
         ON CONFLICT (day_micros) DO NOTHING"
    }

    /// Draws the next number of a folio counter, returning it as a row unless
    /// [`Engine::drawn_folio`] reads it back. The counter row stays locked until the
    /// transaction ends, which keeps folios gap-free: a rolled-back append gives its number
    /// back.
    fn next_folio(&self) -> &'static str {
        "INSERT INTO fd_folios (prefix, folio_year, last_number) VALUES (?, ?, 1) \
         ON CONFLICT (prefix, folio_year) \
         DO UPDATE SET last_number = fd_folios.last_number + 1 RETURNING last_number"
    }

    /// The statement that reads the number [`Engine::next_folio`] drew, where it does not
    /// return it as a row.
    fn drawn_folio(&self) -> Option<&'static str> {
        None
    }

    /// The statement that opens a write transaction.
    fn begin_write(&self) -> &'static str {
        "BEGIN"
    }

    /// Suffix that locks the selected rows until commit.
    fn for_update(&self) -> &'static str {
        " FOR UPDATE"
    }

    /// Pool size for `requested` connections.
    fn pool_size(&self, requested: u32) -> u32 {
        requested.max(1)
    }

    /// Whether one dedicated connection does every write. Such an engine draws folios
    /// without waiting, so it never guesses them.
    fn one_writer(&self) -> bool {
        false
    }

    /// Whether new and changed documents' postings wait in the pending table
    /// ([`crate::buffer`]) to be packed in term blocks ([`crate::merge`]) rather than go
    /// to `fd_postings` with their append; searches then read the blocks
    /// ([`crate::packed`]).
    fn buffers_postings(&self) -> bool {
        false
    }

    /// The URL sqlx is given for `base` and the query parameters `kept`, and whether the
    /// database lives in memory.
    fn url(&self, base: &str, _kept: &mut Vec<String>) -> Result<(String, bool)> {
        Ok((base.to_owned(), false))
    }

    /// Whether the URL may say `synchronous=`.
    fn has_synchronous(&self) -> bool {
        false
    }

    /// Statements run on every new connection.
    fn connection_setup(&self, _synchronous: Synchronous) -> Option<String> {
        None
    }

    /// Whether a connection idle for a while is pinged before use (servers may have cut it).
    fn pings_idle_connections(&self) -> bool {
        true
    }

    /// Begins the write transaction and runs `reads` in it, in one trip where possible.
    /// The servers take binds one statement at a time; the simple-query protocol takes
    /// several statements but no binds, so the reads' few values (folio prefix, year,
    /// ticket id) are written in as literals when they are plainly safe.
    async fn begin(
        &self,
        conn: &mut AnyConnection,
        reads: Vec<Statement>,
    ) -> sqlx::Result<Vec<AnyRow>> {
        let inlined: Option<Vec<String>> = reads.iter().map(|(sql, a)| inline(sql, a)).collect();
        if let Some(inlined) = inlined {
            return sqlx::raw_sql(AssertSqlSafe(batch(self.begin_write(), inlined)))
                .fetch_all(conn)
                .await;
        }
        conn.execute(self.begin_write()).await?;
        let mut rows = Vec::new();
        for (sql, args) in reads {
            let q = bind_all(sqlx::query(AssertSqlSafe(self.placeholders(&sql))), args);
            rows.extend(q.fetch_all(&mut *conn).await?);
        }
        Ok(rows)
    }

    /// The statements that write a sealed append (projection row, events, outbox);
    /// `guess` is the folio counter and number of a guessed new ticket.
    fn writes(
        &self,
        sql: &Statements,
        req: &AppendEvents,
        sealed: &Sealed,
        _guess: Option<(&FolioKey, u64)>,
    ) -> Result<Vec<Statement>> {
        portable_writes(sql, req, sealed, self.buffers_postings())
    }

    /// Runs the writes and commits; the number of projection rows written (the first
    /// write): 0 means the version check failed and nothing was kept.
    async fn finish(&self, conn: &mut AnyConnection, writes: Vec<Statement>) -> sqlx::Result<u64>;

    /// A guessed new ticket in one trip (see `guess`): true if written, false if the folio
    /// counter had moved and nothing was written.
    async fn guessed(
        &self,
        store: &SqlStore,
        conn: &mut AnyConnection,
        req: &AppendEvents,
        sealed: &Sealed,
        guess: (&FolioKey, u64),
    ) -> Result<sqlx::Result<bool>>;
}

/// `first; rest…` as one `;`-separated batch.
pub(crate) fn batch(first: &str, rest: Vec<String>) -> String {
    let mut sql = first.to_owned();
    for statement in rest {
        sql.push_str("; ");
        sql.push_str(&statement);
    }
    sql
}

impl Dialect {
    /// The engine that speaks this dialect.
    pub(crate) fn engine(self) -> &'static dyn Engine {
        match self {
            Dialect::Sqlite => &Sqlite,
            Dialect::Postgres => &Postgres,
            Dialect::MySql => &MySql,
        }
    }
}

/// Binds `args` to the portable statement `sql` in `engine`'s placeholders.
pub(crate) fn query<'a>(
    engine: &dyn Engine,
    sql: &str,
    args: Vec<Arg>,
) -> sqlx::query::Query<'a, sqlx::Any, sqlx::any::AnyArguments> {
    bind_all(sqlx::query(AssertSqlSafe(engine.placeholders(sql))), args)
}
