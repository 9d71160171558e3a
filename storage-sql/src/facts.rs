//! Report facts: one row per ticket keyed by (opened, ticket), the fact's postcard bytes
//! in `body`, and `live` for the dashboard's index of tickets not closed or cancelled.

use foliodesk_core::report::{Fact, FactQuery};
use foliodesk_core::Result;
use sqlx::Row;

use crate::errors::storage;
use crate::filter::Arg;
use crate::statements::values;
use crate::SqlStore;

/// Facts written per statement by a rebuild (4 binds each, under every engine's limit).
const ROWS_PER_STATEMENT: usize = 500;

/// The start of an insert of new tickets' facts, before its rows' `(?, ?, ?, ?)`.
pub(crate) const INSERT: &str =
    "INSERT INTO fd_facts (opened_micros, ticket_id, live, body) VALUES ";

/// The portable read of one page of facts; `live` is empty or `live = 1 AND `.
pub(crate) fn select(live: &str) -> String {
    format!(
        "SELECT body FROM fd_facts WHERE {live}opened_micros >= ? AND opened_micros < ? \
         AND (opened_micros > ? OR (opened_micros = ? AND ticket_id > ?)) \
         ORDER BY opened_micros, ticket_id LIMIT ?"
    )
}

/// The binds of [`crate::engine::Engine::upsert_fact`] for `fact`.
pub(crate) fn args(fact: &Fact) -> Result<Vec<Arg>> {
    Ok(vec![
        Arg::Int(fact.opened),
        Arg::Text(fact.ticket.to_string()),
        Arg::Int(i64::from(fact.live())),
        Arg::OptBytes(Some(fact.encode()?)),
    ])
}

impl SqlStore {
    pub(crate) async fn read_facts(&self, q: &FactQuery) -> Result<Vec<Fact>> {
        let from = q.opened_from.unwrap_or(i64::MIN);
        // Without a page before it, start just before `from` with the smallest id.
        let (at, id) = match &q.after {
            Some((at, id)) if *at >= from => (*at, id.to_string()),
            _ => (from.saturating_sub(1), String::new()),
        };
        let sql = if q.live_only {
            &self.sql.live_facts
        } else {
            &self.sql.facts
        };
        // The range starts at the page's start, so a page costs its own rows only.
        let rows = sqlx::query(sql.clone())
            .bind(from.max(at))
            .bind(q.opened_to.unwrap_or(i64::MAX))
            .bind(at)
            .bind(at)
            .bind(id)
            .bind(i64::from(q.limit))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| storage("cannot read report facts", e))?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let body: Vec<u8> = r
                .try_get(0)
                .map_err(|e| storage("cannot read report facts", e))?;
            let fact = Fact::decode(&body)?;
            if q.matches(&fact) {
                out.push(fact);
            }
        }
        Ok(out)
    }

    pub(crate) async fn write_facts(&self, mut facts: Vec<Fact>) -> Result<()> {
        // One statement may not touch a row twice (PostgreSQL): the last fact of a ticket wins.
        facts.reverse();
        let mut seen = std::collections::HashSet::new();
        facts.retain(|f| seen.insert((f.opened, f.ticket.clone())));
        let conflict = self.engine().fact_conflict();
        let mut statements = Vec::new();
        for chunk in facts.chunks(ROWS_PER_STATEMENT) {
            let sql = format!("{INSERT}{}{conflict}", values(chunk.len(), 4));
            let mut binds = Vec::with_capacity(chunk.len() * 4);
            for f in chunk {
                binds.extend(args(f)?);
            }
            statements.push((sql, binds));
        }
        self.in_write("cannot write report facts", None, statements)
            .await
    }
}
