//! PostgreSQL: numbered placeholders, an advisory lock around migrations, and an append's
//! writes as data-modifying CTEs of one statement.

use async_trait::async_trait;
use foliodesk_core::store::{AppendEvents, FolioKey, Sealed};
use foliodesk_core::Result;
use sqlx::{AnyConnection, Executor, Row};

use super::{query, Engine};
use crate::filter::Arg;
use crate::writes::{portable_writes, Statement};
use crate::SqlStore;

const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/0001_init.sql"),
    include_str!("../../migrations/postgres/0002_sla_due.sql"),
    include_str!("../../migrations/postgres/0003_partial_indexes.sql"),
    include_str!("../../migrations/postgres/0004_meta_checkpoints.sql"),
    include_str!("../../migrations/postgres/0005_outbox_delivery.sql"),
    include_str!("../../migrations/postgres/0006_blobs.sql"),
    include_str!("../../migrations/postgres/0007_contacts.sql"),
    include_str!("../../migrations/postgres/0008_search.sql"),
    include_str!("../../migrations/postgres/0009_report_facts.sql"),
    include_str!("../../migrations/postgres/0010_fact_blocks.sql"),
    include_str!("../../migrations/postgres/0011_fact_pulse.sql"),
    include_str!("../../migrations/postgres/0012_pending_postings.sql"),
    include_str!("../../migrations/postgres/0013_term_blocks.sql"),
];

/// PostgreSQL (`postgres://…`).
pub(crate) struct Postgres;

#[async_trait]
impl Engine for Postgres {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn migrations(&self) -> &'static [&'static str] {
        MIGRATIONS
    }

    fn migration_lock(&self) -> Option<(&'static str, &'static str)> {
        Some((
            "SELECT pg_advisory_lock(7346201)::text",
            "SELECT pg_advisory_unlock(7346201)::text",
        ))
    }

    fn list_tables(&self) -> &'static str {
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_name LIKE 'fd!_%' ESCAPE '!'"
    }

    /// `$1, $2…`.
    fn placeholders(&self, portable: &str) -> String {
        let mut out = String::with_capacity(portable.len() + 16);
        let mut n = 0;
        for c in portable.chars() {
            if c == '?' {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            } else {
                out.push(c);
            }
        }
        out
    }

    /// One statement: the writes as data-modifying CTEs, counting the projection rows
    /// written (0 means the version check failed; the caller's rollback undoes the rest).
    async fn finish(&self, conn: &mut AnyConnection, writes: Vec<Statement>) -> sqlx::Result<u64> {
        let (cte, args) = ctes(None, writes, str::to_owned);
        let row = query(self, &cte, args).fetch_one(&mut *conn).await?;
        let written: i64 = row.try_get(0)?;
        if written == 1 {
            conn.execute("COMMIT").await?;
        }
        Ok(written as u64)
    }

    /// One autocommit statement: every write is conditioned on the counter's
    /// compare-and-set.
    async fn guessed(
        &self,
        store: &SqlStore,
        conn: &mut AnyConnection,
        req: &AppendEvents,
        sealed: &Sealed,
        (key, number): (&FolioKey, u64),
    ) -> Result<sqlx::Result<bool>> {
        let (sql, args) = conditioned(
            portable_writes(&store.sql, req, sealed, self.buffers_postings())?,
            key,
            number,
        );
        let row = query(self, &sql, args).fetch_one(conn).await;
        Ok(row.and_then(|r| r.try_get::<i64, _>(0)).map(|n| n == 1))
    }
}

/// `writes` as data-modifying CTEs `w0, w1, …` of one statement, after the CTEs of
/// `before`; `body` turns each write into its CTE's body. The statement counts the rows
/// `w0` (the projection row) wrote.
fn ctes(
    before: Option<Statement>,
    writes: Vec<Statement>,
    body: impl Fn(&str) -> String,
) -> Statement {
    let (mut ctes, mut args) =
        before.map_or((Vec::new(), Vec::new()), |(sql, args)| (vec![sql], args));
    for (i, (sql, values)) in writes.into_iter().enumerate() {
        let returning = if i == 0 { " RETURNING 1" } else { "" };
        ctes.push(format!("w{i} AS ({}{returning})", body(&sql)));
        args.extend(values);
    }
    (
        format!("WITH {} SELECT COUNT(*) FROM w0", ctes.join(", ")),
        args,
    )
}

/// The counter's compare-and-set and the writes as CTEs, each write `INSERT … SELECT`ing
/// its rows only if the counter moved; counts the tickets written. A new ticket's writes
/// are `INSERT … VALUES`, or `INSERT … SELECT … FROM` without a `WHERE` (its postings,
/// from JSON).
fn conditioned(writes: Vec<Statement>, key: &FolioKey, number: u64) -> Statement {
    let cas = (
        String::from(
            "c AS (UPDATE fd_folios SET last_number = ? \
             WHERE prefix = ? AND folio_year = ? AND last_number = ? RETURNING 1)",
        ),
        vec![
            Arg::Int(number as i64),
            Arg::Text(key.prefix.clone()),
            Arg::Int(i64::from(key.year)),
            Arg::Int(number as i64 - 1),
        ],
    );
    let moved = "WHERE EXISTS (SELECT 1 FROM c)";
    ctes(Some(cas), writes, |sql| match sql.split_once(" VALUES ") {
        Some((insert, rows)) => format!("{insert} SELECT * FROM (VALUES {rows}) AS v {moved}"),
        None => {
            assert!(
                sql.contains(" SELECT ") && !sql.contains(" WHERE "),
                "a new ticket's writes are INSERT … VALUES or INSERT … SELECT: {sql}"
            );
            format!("{sql} {moved}")
        }
    })
}
