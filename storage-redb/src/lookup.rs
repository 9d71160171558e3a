//! [`Store::lookup`](foliodesk_core::store::Store::lookup) from one read transaction: the
//! ticket and every directory entry a decision reads come from the same snapshot.

use redb::{Database, ReadTransaction, ReadableDatabase, ReadableTable, TableDefinition};
use serde::de::DeserializeOwned;

use foliodesk_core::store::doc::from_json;
use foliodesk_core::store::{Found, Lookup};
use foliodesk_core::Result;

use crate::db_err;
use crate::query::ticket_row;
use crate::tables::{ORGANISATIONS, TEAMS, TICKETS, USERS};

type Docs = TableDefinition<'static, &'static str, &'static str>;

/// The documents of `table` under `keys` that exist (`None`: all of them), in key order.
fn docs<T: DeserializeOwned>(
    txn: &ReadTransaction,
    table: Docs,
    what: &str,
    keys: Option<impl IntoIterator<Item = String>>,
) -> Result<Vec<(String, T)>> {
    let t = match txn.open_table(table) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
        Err(e) => return Err(db_err(e)),
    };
    let mut out = Vec::new();
    match keys {
        Some(keys) => {
            for key in keys {
                if let Some(v) = t.get(key.as_str()).map_err(db_err)? {
                    out.push((key, from_json(what, v.value())?));
                }
            }
        }
        None => {
            for entry in t.iter().map_err(db_err)? {
                let (k, v) = entry.map_err(db_err)?;
                out.push((k.value().to_owned(), from_json(what, v.value())?));
            }
        }
    }
    Ok(out)
}

pub(crate) fn lookup(db: &Database, lookup: &Lookup) -> Result<Found> {
    let txn = db.begin_read().map_err(db_err)?;
    let ticket = match &lookup.ticket {
        Some(id) => match txn.open_table(TICKETS) {
            Ok(t) => ticket_row(&t, id.as_str())?,
            Err(redb::TableError::TableDoesNotExist(_)) => None,
            Err(e) => return Err(db_err(e)),
        },
        None => None,
    };
    let mut found = Found::default();
    let people = lookup.people(ticket.as_ref()).into_iter().map(|u| u.0);
    for (id, user) in docs(&txn, USERS, "user", Some(people))? {
        found.facts.users.insert(id.into(), user);
    }
    let orgs = lookup.organisations(ticket.as_ref(), found.facts.users.values());
    let orgs = orgs.into_iter().map(|o| o.0);
    for (id, org) in docs(&txn, ORGANISATIONS, "organisation", Some(orgs))? {
        found.facts.organisations.insert(id.into(), org);
    }
    let actor = lookup.actor.as_ref().and_then(|a| found.facts.users.get(a));
    let teams = lookup
        .team_ids(actor)
        .map(|ids| ids.into_iter().map(|t| t.0));
    for (id, team) in docs(&txn, TEAMS, "team", teams)? {
        found.facts.teams.insert(id.into(), team);
    }
    found.ticket = ticket;
    Ok(found)
}
