//! The fixed statements, rewritten once per store for its dialect.

use sqlx::{AssertSqlSafe, SqlSafeStr, SqlStr};

use crate::dialect::Dialect;
use crate::rows::TICKET_COLUMNS;

/// Prepared-once SQL text; sqlx caches each as a prepared statement per connection.
#[derive(Debug)]
pub(crate) struct Statements {
    pub next_folio: SqlStr,
    pub head: SqlStr,
    /// Portable (`?`) text: the append composes it with the other writes.
    pub insert_ticket: String,
    /// Portable (`?`) text, as `insert_ticket`.
    pub update_ticket: String,
    pub ticket: SqlStr,
    pub ticket_by_folio: SqlStr,
    pub events: SqlStr,
    pub due: SqlStr,
    pub put_user: SqlStr,
    pub user: SqlStr,
    pub users: SqlStr,
    pub put_organisation: SqlStr,
    pub organisation: SqlStr,
    pub organisations: SqlStr,
    pub put_team: SqlStr,
    pub team: SqlStr,
    pub teams: SqlStr,
    pub save_config: SqlStr,
    pub load_config: SqlStr,
    pub outbox: SqlStr,
}

impl Statements {
    pub fn new(d: Dialect) -> Statements {
        let s = |portable: &str| AssertSqlSafe(d.sql(portable)).into_sql_str();
        let marks = vec!["?"; TICKET_COLUMNS.split(',').count()].join(", ");
        let sets: Vec<String> = TICKET_COLUMNS
            .split(',')
            .map(str::trim)
            .filter(|c| *c != "folio")
            .map(|c| format!("{c} = ?"))
            .collect();
        Statements {
            next_folio: s(d.next_folio()),
            head: s(&format!(
                "SELECT version, head_hash FROM fd_tickets WHERE id = ?{}",
                d.for_update()
            )),
            insert_ticket: format!(
                "INSERT INTO fd_tickets (id, {TICKET_COLUMNS}) VALUES (?, {marks})"
            ),
            update_ticket: format!(
                "UPDATE fd_tickets SET {} WHERE id = ? AND version = ?",
                sets.join(", ")
            ),
            ticket: s("SELECT body FROM fd_tickets WHERE id = ?"),
            ticket_by_folio: s("SELECT body FROM fd_tickets WHERE folio = ?"),
            events: s("SELECT body FROM fd_events WHERE ticket_id = ? ORDER BY seq"),
            due: s("SELECT id, due_micros FROM fd_tickets \
                 WHERE due_micros IS NOT NULL AND due_micros <= ? \
                 ORDER BY due_micros, id LIMIT ?"),
            put_user: s(&d.upsert_body("fd_users")),
            user: s("SELECT body FROM fd_users WHERE id = ?"),
            users: s("SELECT body FROM fd_users ORDER BY id"),
            put_organisation: s(&d.upsert_body("fd_organisations")),
            organisation: s("SELECT body FROM fd_organisations WHERE id = ?"),
            organisations: s("SELECT body FROM fd_organisations ORDER BY id"),
            put_team: s(&d.upsert_body("fd_teams")),
            team: s("SELECT body FROM fd_teams WHERE id = ?"),
            teams: s("SELECT body FROM fd_teams ORDER BY id"),
            save_config: s(&d.upsert_body("fd_config")),
            load_config: s("SELECT body FROM fd_config WHERE id = 1"),
            outbox: s("SELECT id, body FROM fd_outbox ORDER BY id LIMIT ?"),
        }
    }
}

/// `(?, ?, ?), (?, ?, ?)`: the VALUES of a multi-row insert.
pub(crate) fn values(rows: usize, columns: usize) -> String {
    let one = format!("({})", vec!["?"; columns].join(", "));
    vec![one; rows].join(", ")
}
