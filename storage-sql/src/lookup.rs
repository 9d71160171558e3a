//! [`Store::lookup`](foliodesk_core::store::Store::lookup) on one connection: the ticket,
//! then the people, organisations and teams it needs, each kind in one `IN (…)` query, so
//! a decision costs at most four statements however many entries it reads. The append
//! checks the ticket's version, so entries read a moment apart cannot break a decision.

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;
use sqlx::AnyConnection;
use sqlx::{AssertSqlSafe, Row};

use foliodesk_core::store::{Found, Lookup};
use foliodesk_core::Result;

use crate::errors::storage;
use crate::rows::from_json;
use crate::{Dialect, SqlStore};

/// `(id, body)` of the rows of `table` whose id is in `ids` (`None`: every row).
async fn rows<T: DeserializeOwned>(
    conn: &mut AnyConnection,
    dialect: Dialect,
    table: &str,
    what: &str,
    ids: Option<BTreeSet<String>>,
) -> Result<Vec<(String, T)>> {
    let sql = match &ids {
        Some(ids) if ids.is_empty() => return Ok(Vec::new()),
        Some(ids) => {
            let marks = vec!["?"; ids.len()].join(", ");
            format!("SELECT id, body FROM {table} WHERE id IN ({marks}) ORDER BY id")
        }
        None => format!("SELECT id, body FROM {table} ORDER BY id"),
    };
    let mut q = sqlx::query(AssertSqlSafe(dialect.sql(&sql)));
    for id in ids.into_iter().flatten() {
        q = q.bind(id);
    }
    let read = |e| storage(&format!("cannot read {what}"), e);
    let mut out = Vec::new();
    for row in q.fetch_all(&mut *conn).await.map_err(read)? {
        let id: String = row.try_get(0).map_err(read)?;
        let body: String = row.try_get(1).map_err(read)?;
        out.push((id, from_json(what, &body)?));
    }
    Ok(out)
}

impl SqlStore {
    pub(crate) async fn lookup_rows(&self, lookup: &Lookup) -> Result<Found> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(|e| storage("cannot read the directory", e))?;
        let conn = &mut *conn;
        let d = self.dialect;
        let ticket = match &lookup.ticket {
            Some(id) => {
                let one = BTreeSet::from([id.to_string()]);
                let mut found = rows(conn, d, "fd_tickets", "ticket", Some(one)).await?;
                found.pop().map(|(_, t)| t)
            }
            None => None,
        };
        let mut found = Found::default();
        let people = lookup
            .people(ticket.as_ref())
            .into_iter()
            .map(|u| u.0)
            .collect();
        for (id, user) in rows(conn, d, "fd_users", "user", Some(people)).await? {
            found.facts.users.insert(id.into(), user);
        }
        let orgs = lookup.organisations(ticket.as_ref(), found.facts.users.values());
        let orgs = orgs.into_iter().map(|o| o.0).collect();
        for (id, org) in rows(conn, d, "fd_organisations", "organisation", Some(orgs)).await? {
            found.facts.organisations.insert(id.into(), org);
        }
        let actor = lookup.actor.as_ref().and_then(|a| found.facts.users.get(a));
        let teams = lookup
            .team_ids(actor)
            .map(|ids| ids.into_iter().map(|t| t.0).collect());
        for (id, team) in rows(conn, d, "fd_teams", "team", teams).await? {
            found.facts.teams.insert(id.into(), team);
        }
        found.ticket = ticket;
        Ok(found)
    }
}
