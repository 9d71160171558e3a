//! The fixed statements, rewritten once per store for its dialect.

use sqlx::{AssertSqlSafe, SqlSafeStr, SqlStr};

use crate::dialect::Dialect;
use crate::filter::Arg;
use crate::rows::TICKET_COLUMNS;

/// Prepared-once SQL text; sqlx caches each as a prepared statement per connection.
#[derive(Debug)]
pub(crate) struct Statements {
    /// Portable (`?`) text: the append sends it with its `BEGIN`.
    pub next_folio: String,
    /// Portable (`?`) text, as `next_folio`.
    pub head: String,
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
    pub meta: SqlStr,
    pub put_meta: SqlStr,
    pub delete_meta: SqlStr,
    pub insert_checkpoint: SqlStr,
    pub put_blob: SqlStr,
    pub put_contact: SqlStr,
    pub put_fact: String,
    pub facts: SqlStr,
    pub live_facts: SqlStr,
    pub contacts: SqlStr,
    pub blob: SqlStr,
    pub checkpoints: SqlStr,
    pub article: SqlStr,
    pub articles: SqlStr,
}

impl Statements {
    pub fn new(d: Dialect) -> Statements {
        let e = d.engine();
        let s = |portable: &str| AssertSqlSafe(e.placeholders(portable)).into_sql_str();
        let marks = vec!["?"; TICKET_COLUMNS.split(',').count()].join(", ");
        let sets: Vec<String> = TICKET_COLUMNS
            .split(',')
            .map(str::trim)
            .filter(|c| *c != "folio")
            .map(|c| format!("{c} = ?"))
            .collect();
        Statements {
            next_folio: e.next_folio().to_owned(),
            head: format!(
                "SELECT version, head_hash FROM fd_tickets WHERE id = ?{}",
                e.for_update()
            ),
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
            put_user: s(&e.upsert_body("fd_users")),
            user: s("SELECT body FROM fd_users WHERE id = ?"),
            users: s("SELECT body FROM fd_users ORDER BY id"),
            put_organisation: s(&e.upsert_body("fd_organisations")),
            organisation: s("SELECT body FROM fd_organisations WHERE id = ?"),
            organisations: s("SELECT body FROM fd_organisations ORDER BY id"),
            put_team: s(&e.upsert_body("fd_teams")),
            team: s("SELECT body FROM fd_teams WHERE id = ?"),
            teams: s("SELECT body FROM fd_teams ORDER BY id"),
            save_config: s(&e.upsert_body("fd_config")),
            load_config: s("SELECT body FROM fd_config WHERE id = 1"),
            meta: s("SELECT body FROM fd_meta WHERE id = ?"),
            put_meta: s(&e.upsert_body("fd_meta")),
            delete_meta: s("DELETE FROM fd_meta WHERE id = ?"),
            put_blob: s(e.insert_blob()),
            put_contact: s(e.upsert_contact()),
            put_fact: format!("{}{}", crate::facts::insert(1), e.fact_conflict()),
            facts: s(&crate::facts::select("")),
            live_facts: s(&crate::facts::select("live = 1 AND ")),
            contacts: s(
                "SELECT body FROM fd_contacts WHERE started_at >= ? AND started_at < ? \
                 AND (started_at > ? OR (started_at = ? AND id > ?)) \
                 ORDER BY started_at, id LIMIT ?",
            ),
            blob: s("SELECT body FROM fd_blobs WHERE id = ?"),
            insert_checkpoint: s("INSERT INTO fd_checkpoints (id, body) VALUES (?, ?)"),
            checkpoints: s("SELECT body FROM fd_checkpoints WHERE id > ? ORDER BY id"),
            article: s("SELECT body FROM fd_articles WHERE id = ?"),
            articles: s("SELECT body FROM fd_articles ORDER BY id"),
        }
    }
}

/// `?, ?, ?`: the marks of `n` binds, for an `IN` list.
pub(crate) fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// `(?, ?, ?), (?, ?, ?)`: the VALUES of a multi-row insert.
pub(crate) fn values(rows: usize, columns: usize) -> String {
    let one = format!("({})", marks(columns));
    vec![one; rows].join(", ")
}

/// `sql` with each `?` replaced by its argument written as a literal, or `None` if an
/// argument is not plainly safe to write in: text must be 1–128 characters of ASCII letters,
/// digits, `_`, `.`, `:` and `-` (so no quote or backslash can occur), integers anything.
/// Only the append's reads use it: folio prefixes, years and ticket ids, never NULL.
pub(crate) fn inline(sql: &str, args: &[Arg]) -> Option<String> {
    let mut args = args.iter();
    let mut out = String::with_capacity(sql.len() + 64);
    for c in sql.chars() {
        if c != '?' {
            out.push(c);
            continue;
        }
        match args.next()? {
            Arg::Int(v) => out.push_str(&v.to_string()),
            Arg::Text(v) if is_plain(v) => {
                out.push('\'');
                out.push_str(v);
                out.push('\'');
            }
            _ => return None,
        }
    }
    args.next().is_none().then_some(out)
}

fn is_plain(v: &str) -> bool {
    (1..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_are_written_in() {
        let sql = "SELECT 1 FROM t WHERE a = ? AND b = ?";
        let args = [Arg::Text("INC".into()), Arg::Int(2026)];
        assert_eq!(
            inline(sql, &args).unwrap(),
            "SELECT 1 FROM t WHERE a = 'INC' AND b = 2026"
        );
        let id = "0193a0b2-7c3e-7d41-9b1e-4f7a2b9c0d11";
        assert!(inline("x = ?", &[Arg::Text(id.into())]).is_some());
    }

    #[test]
    fn anything_that_could_escape_a_literal_is_refused() {
        for v in [
            "it's",
            "a\\b",
            "",
            "a b",
            "é",
            "x;DROP",
            "$$",
            &"a".repeat(129),
        ] {
            assert_eq!(inline("x = ?", &[Arg::Text(v.into())]), None, "{v:?}");
        }
        // Too few or too many arguments.
        assert_eq!(inline("x = ? AND y = ?", &[Arg::Int(1)]), None);
        assert_eq!(inline("x = ?", &[Arg::Int(1), Arg::Int(2)]), None);
    }
}
