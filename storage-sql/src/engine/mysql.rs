//! MySQL and MariaDB: `ON DUPLICATE KEY` upserts, `LAST_INSERT_ID` folio draws, named locks
//! around migrations, and an append as one `CALL fd_append(…)` that also commits.

use async_trait::async_trait;
use foliodesk_core::store::{AppendEvents, FolioKey, Sealed};
use foliodesk_core::Result;
use sqlx::{AnyConnection, AssertSqlSafe};

use super::Engine;
use crate::filter::{bind_all, Arg};
use crate::rows::{to_json, TicketRow};
use crate::statements::Statements;
use crate::writes::Statement;
use crate::SqlStore;

const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/mysql/0001_init.sql"),
    include_str!("../../migrations/mysql/0002_sla_due.sql"),
    include_str!("../../migrations/mysql/0003_append_procedure.sql"),
    include_str!("../../migrations/mysql/0004_meta_checkpoints.sql"),
    include_str!("../../migrations/mysql/0005_outbox_delivery.sql"),
    include_str!("../../migrations/mysql/0006_blobs.sql"),
    include_str!("../../migrations/mysql/0007_contacts.sql"),
    include_str!("../../migrations/mysql/0008_search.sql"),
    include_str!("../../migrations/mysql/0009_report_facts.sql"),
    include_str!("../../migrations/mysql/0010_fact_blocks.sql"),
    include_str!("../../migrations/mysql/0011_fact_pulse.sql"),
    include_str!("../../migrations/mysql/0012_pending_postings.sql"),
    include_str!("../../migrations/mysql/0013_term_blocks.sql"),
];

/// The SQLSTATE `fd_append` signals when a guessed folio's counter moved (an
/// implementation-defined class, so it cannot be mistaken for an engine's own).
const COUNTER_MOVED: &str = "ZF001";

/// MySQL 8 or MariaDB 10.6+ (`mysql://…`, `mariadb://…`).
pub(crate) struct MySql;

#[async_trait]
impl Engine for MySql {
    fn name(&self) -> &'static str {
        "mysql"
    }

    fn migrations(&self) -> &'static [&'static str] {
        MIGRATIONS
    }

    fn migration_hint(&self, version: i64) -> &'static str {
        match version {
            // The migrations that (re)create the stored procedure need more than table rights.
            3 | 9 | 11 => " (creating the stored procedure fd_append; the user needs the CREATE ROUTINE privilege)",
            _ => "",
        }
    }

    fn migration_lock(&self) -> Option<(&'static str, &'static str)> {
        Some((
            "SELECT CAST(GET_LOCK('foliodesk_migrate', 60) AS CHAR)",
            "SELECT CAST(RELEASE_LOCK('foliodesk_migrate') AS CHAR)",
        ))
    }

    fn list_tables(&self) -> &'static str {
        "SELECT CAST(table_name AS CHAR) FROM information_schema.tables \
         WHERE table_schema = DATABASE() AND table_name LIKE 'fd!_%' ESCAPE '!'"
    }

    fn insert_blob(&self) -> &'static str {
        // Not INSERT IGNORE: that would also swallow a truncation or a packet too large.
        "INSERT INTO fd_blobs (id, body) VALUES (?, ?) ON DUPLICATE KEY UPDATE id = id"
    }

    fn upsert_contact(&self) -> &'static str {
        "INSERT INTO fd_contacts (id, started_at, body) VALUES (?, ?, ?) \
         ON DUPLICATE KEY UPDATE started_at = VALUES(started_at), body = VALUES(body)"
    }

    fn upsert_body(&self, table: &str) -> String {
        format!(
            "INSERT INTO {table} (id, body) VALUES (?, ?) \
             ON DUPLICATE KEY UPDATE body = VALUES(body)"
        )
    }

    /// No `RETURNING`: the number is read back by [`Engine::drawn_folio`].
    fn next_folio(&self) -> &'static str {
        "INSERT INTO fd_folios (prefix, folio_year, last_number) \
         VALUES (?, ?, LAST_INSERT_ID(1)) \
         ON DUPLICATE KEY UPDATE last_number = LAST_INSERT_ID(last_number + 1)"
    }

    fn drawn_folio(&self) -> Option<&'static str> {
        Some("SELECT CAST(LAST_INSERT_ID() AS SIGNED)")
    }

    /// `mariadb://` is spoken as `mysql://`.
    fn url(&self, base: &str, _kept: &mut Vec<String>) -> Result<(String, bool)> {
        let base = match base.strip_prefix("mariadb:") {
            Some(rest) => format!("mysql:{rest}"),
            None => base.to_owned(),
        };
        Ok((base, false))
    }

    /// No `FILTER` here; `COUNT` of a `CASE` stays an integer where `SUM` would not.
    fn count_if(&self, cond: &str) -> String {
        format!("COUNT(CASE WHEN {cond} THEN 1 END)")
    }

    fn first_block(&self) -> &'static str {
        "INSERT IGNORE INTO fd_fact_blocks (day_micros, version, body) VALUES (?, 1, ?)"
    }

    fn fact_conflict(&self) -> &'static str {
        " ON DUPLICATE KEY UPDATE live = VALUES(live), body = VALUES(body), \
         team = VALUES(team), status = VALUES(status), level = VALUES(level), \
         unassigned = VALUES(unassigned), waiting = VALUES(waiting), \
         breached = VALUES(breached), due_micros = VALUES(due_micros), \
         alerted_micros = VALUES(alerted_micros)"
    }

    fn writes(
        &self,
        _sql: &Statements,
        req: &AppendEvents,
        sealed: &Sealed,
        guess: Option<(&FolioKey, u64)>,
    ) -> Result<Vec<Statement>> {
        Ok(vec![call(req, sealed, guess)?])
    }

    /// The CALL commits itself; a stale version fails it with SQLSTATE 40001.
    async fn finish(&self, conn: &mut AnyConnection, writes: Vec<Statement>) -> sqlx::Result<u64> {
        for (sql, args) in writes {
            bind_all(sqlx::query(AssertSqlSafe(sql)), args)
                .execute(&mut *conn)
                .await?;
        }
        Ok(1)
    }

    /// The CALL starts and commits its own transaction; it rolls back and signals
    /// [`COUNTER_MOVED`] if the compare-and-set fails.
    async fn guessed(
        &self,
        store: &SqlStore,
        conn: &mut AnyConnection,
        req: &AppendEvents,
        sealed: &Sealed,
        guess: (&FolioKey, u64),
    ) -> Result<sqlx::Result<bool>> {
        let call = self.writes(&store.sql, req, sealed, Some(guess))?;
        Ok(match self.finish(conn, call).await {
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some(COUNTER_MOVED) => {
                Ok(false)
            }
            other => other.map(|_| true),
        })
    }
}

/// `CALL fd_append(…)` with the events and notifications as JSON arrays; with a guessed
/// folio, also the counter's compare-and-set and the transaction's start.
fn call(req: &AppendEvents, sealed: &Sealed, guess: Option<(&FolioKey, u64)>) -> Result<Statement> {
    let row = TicketRow::sealed(sealed)?;
    let mut args = vec![
        Arg::Text(req.ticket_id.to_string()),
        Arg::Int(req.expected_version as i64),
        Arg::Text(row.folio.clone()),
    ];
    args.extend(row.args());
    let events = sealed
        .envelopes
        .iter()
        .map(|env| {
            Ok((
                env.sequence as i64,
                env.at.timestamp_micros(),
                env.hash.as_str(),
                to_json(env)?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let outbox = sealed
        .outbox
        .iter()
        .map(|n| Ok((to_json(n)?, n.deliver_after.timestamp_micros())))
        .collect::<Result<Vec<_>>>()?;
    args.push(Arg::Text(to_json(&events)?));
    args.push(Arg::Text(to_json(&outbox)?));
    args.push(Arg::OptText(guess.map(|(key, _)| key.prefix.clone())));
    args.push(Arg::OptInt(guess.map(|(key, _)| i64::from(key.year))));
    args.push(Arg::OptInt(guess.map(|(_, n)| n as i64)));
    let doc = req.index.as_ref();
    let terms = doc.and_then(|d| d.terms.as_ref());
    args.push(Arg::OptText(doc.map(|d| d.key.clone())));
    args.push(Arg::OptText(doc.map(|d| d.kind.code().to_owned())));
    args.push(Arg::OptInt(terms.map(|t| i64::from(t.length))));
    args.push(Arg::OptText(doc.map(|d| d.attrs.encode())));
    args.push(Arg::OptText(terms.map(|t| to_json(&t.counts)).transpose()?));
    let fact = req.fact.as_ref();
    args.push(Arg::OptInt(fact.map(|f| f.opened)));
    args.push(Arg::OptInt(fact.map(|f| i64::from(f.live()))));
    args.push(Arg::OptBytes(fact.map(|f| f.encode()).transpose()?));
    match fact {
        Some(f) => args.extend(crate::facts::pulse_args(f)),
        None => args.extend(std::iter::repeat_n(Arg::OptInt(None), 8)),
    }
    let marks = vec!["?"; args.len()].join(", ");
    Ok((format!("CALL fd_append({marks})"), args))
}
