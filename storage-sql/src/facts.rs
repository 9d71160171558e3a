//! Report facts: one row per ticket keyed by (opened, ticket), the fact's postcard bytes
//! in `body`, and `live` for the dashboard's index of tickets not closed or cancelled; and
//! the blocks finished tickets' rows are packed into, one per UTC day.

use foliodesk_core::report::block::{Pack, StoredBlock};
use foliodesk_core::report::{Fact, FactQuery, PulseRow};
use foliodesk_core::Result;
use sqlx::{AssertSqlSafe, Row};

use crate::errors::storage;
use crate::filter::Arg;
use crate::statements::values;
use crate::SqlStore;

/// Facts written per statement by a rebuild (12 binds each, under every engine's limit).
const ROWS_PER_STATEMENT: usize = 500;

/// Packed rows deleted per statement (3 binds each).
const DELETES_PER_STATEMENT: usize = 300;

/// The columns of a fact row: its key, body and the pulse the dashboard counts by.
const COLUMNS: &str = "opened_micros, ticket_id, live, body, team, status, level, unassigned, \
     waiting, breached, due_micros, alerted_micros";

/// How many binds a fact row takes.
pub(crate) const WIDTH: usize = 12;

/// An insert of `rows` new facts.
pub(crate) fn insert(rows: usize) -> String {
    format!(
        "INSERT INTO fd_facts ({COLUMNS}) VALUES {}",
        values(rows, WIDTH)
    )
}

/// The portable read of one page of facts; `live` is empty or `live = 1 AND `.
pub(crate) fn select(live: &str) -> String {
    format!(
        "SELECT body FROM fd_facts WHERE {live}opened_micros >= ? AND opened_micros < ? \
         AND (opened_micros > ? OR (opened_micros = ? AND ticket_id > ?)) \
         ORDER BY opened_micros, ticket_id LIMIT ?"
    )
}

/// The binds of [`insert`] for `fact`.
pub(crate) fn args(fact: &Fact) -> Result<Vec<Arg>> {
    let mut args = vec![
        Arg::Int(fact.opened),
        Arg::Text(fact.ticket.to_string()),
        Arg::Int(i64::from(fact.live())),
        Arg::OptBytes(Some(fact.encode()?)),
    ];
    args.extend(pulse_args(fact));
    Ok(args)
}

/// The pulse's binds of `fact`, in [`COLUMNS`]' order (also `fd_append`'s last ones).
pub(crate) fn pulse_args(fact: &Fact) -> [Arg; 8] {
    let p = PulseRow::of(fact);
    [
        Arg::OptText(p.team),
        Arg::Text(p.status.as_str().to_owned()),
        Arg::Text(p.level.as_str().to_owned()),
        Arg::Int(i64::from(p.unassigned)),
        Arg::Int(i64::from(p.waiting)),
        Arg::Int(i64::from(p.breached)),
        Arg::OptInt(p.due),
        Arg::OptInt(p.alerted),
    ]
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
        let e = self.engine();
        let mut statements = Vec::new();
        for chunk in facts.chunks(ROWS_PER_STATEMENT) {
            let sql = format!("{}{}", insert(chunk.len()), e.fact_conflict());
            let mut binds = Vec::with_capacity(chunk.len() * WIDTH);
            for f in chunk {
                binds.extend(args(f)?);
            }
            statements.push((sql, binds));
        }
        self.in_write("cannot write report facts", None, statements)
            .await
    }

    pub(crate) async fn read_fact_blocks(
        &self,
        from: i64,
        to: i64,
        limit: u32,
    ) -> Result<Vec<StoredBlock>> {
        let sql = self.engine().placeholders(
            "SELECT day_micros, version, body FROM fd_fact_blocks \
             WHERE day_micros >= ? AND day_micros < ? ORDER BY day_micros LIMIT ?",
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(from)
            .bind(to)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| storage("cannot read blocks of report facts", e))?;
        let cell = |e| storage("cannot read blocks of report facts", e);
        (rows.iter())
            .map(|r| {
                Ok(StoredBlock {
                    day: r.try_get(0).map_err(cell)?,
                    version: u64::try_from(r.try_get::<i64, _>(1).map_err(cell)?).unwrap_or(0),
                    body: r.try_get(2).map_err(cell)?,
                })
            })
            .collect()
    }

    pub(crate) async fn first_finished(&self) -> Result<Option<i64>> {
        sqlx::query_scalar::<_, Option<i64>>(
            "SELECT MIN(opened_micros) FROM fd_facts WHERE live = 0",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(|e| storage("cannot find the earliest finished report fact", e))
    }

    pub(crate) async fn pack(&self, pack: Pack) -> Result<bool> {
        let body = Arg::OptBytes(Some(pack.body));
        let first = match pack.expected {
            None => (
                self.engine().first_block().to_owned(),
                vec![Arg::Int(pack.day), body],
            ),
            Some(v) => (
                "UPDATE fd_fact_blocks SET version = ?, body = ? \
                 WHERE day_micros = ? AND version = ?"
                    .to_owned(),
                vec![
                    Arg::Int(i64::try_from(v + 1).unwrap_or(i64::MAX)),
                    body,
                    Arg::Int(pack.day),
                    Arg::Int(i64::try_from(v).unwrap_or(i64::MAX)),
                ],
            ),
        };
        let mut deletes = Vec::new();
        for chunk in pack.packed.chunks(DELETES_PER_STATEMENT) {
            let rows = vec!["(?, ?, ?)"; chunk.len()].join(", ");
            let mut binds = Vec::with_capacity(chunk.len() * 3);
            for f in chunk {
                binds.push(Arg::Int(f.opened));
                binds.push(Arg::Text(f.ticket.to_string()));
                binds.push(Arg::OptBytes(Some(f.encode()?)));
            }
            let sql =
                format!("DELETE FROM fd_facts WHERE (opened_micros, ticket_id, body) IN ({rows})");
            deletes.push((sql, binds));
        }
        self.in_write_if("cannot pack report facts", first, deletes)
            .await
    }
}
