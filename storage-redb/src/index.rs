//! Secondary index terms, and choosing the ones that drive a query.
//!
//! Every ticket is indexed under a few terms such as `team␟service-desk`; a key is
//! `(term, opened µs, id)`, so each term's entries are already in keyset order. A query
//! walks the terms its most selective condition names — several at once, merged in key
//! order, when that condition is a set (statuses × kinds) — and checks every condition with
//! `TicketFilter::matches`, the reference semantics: the index only narrows.
//!
//! Each term a ticket carries is one more B-tree leaf its append rewrites and syncs, so
//! terms are few: status and kind share one (`sk␟new␟incident`), and the requester is one
//! of the people a ticket involves rather than a term of its own.
//!
//! The same table holds the due index (term [`DUE`], keyed by the due instant) and the
//! folio lookup ([`folio`]); neither collides with a query term, which all contain `␟` or
//! are `unassigned` / `sla_running`.

use foliodesk_core::query::TicketFilter;
use foliodesk_core::{Status, Ticket, TicketKind};

/// The due index: keys `(DUE, due µs, id)`, for `tick`.
pub const DUE: &str = "due";

const UNASSIGNED: &str = "unassigned";

/// Tickets with a running SLA clock (the SLA-state queues walk it).
const SLA_RUNNING: &str = "sla_running";

fn term(field: &str, value: &str) -> String {
    format!("{field}\u{1f}{value}")
}

fn status_kind(s: Status, k: TicketKind) -> String {
    format!("sk\u{1f}{}\u{1f}{}", s.as_str(), k.as_str())
}

/// The folio lookup: one key `(folio term, 0, id)` per ticket.
pub fn folio(folio: &str) -> String {
    term("folio", folio)
}

/// The query terms a ticket is indexed under.
pub fn terms(t: &Ticket) -> Vec<String> {
    let mut out = vec![
        status_kind(t.status, t.kind),
        term("involving", t.requester.as_str()),
    ];
    out.extend(t.watchers.iter().map(|w| term("involving", w.as_str())));
    out.extend(t.team.iter().map(|x| term("team", x.as_str())));
    match &t.assignee {
        Some(x) => out.push(term("assignee", x.as_str())),
        None => out.push(UNASSIGNED.to_owned()),
    }
    out.extend(
        t.organisation
            .iter()
            .map(|x| term("organisation", x.as_str())),
    );
    let mut category = t.category.clone();
    while let Some(c) = category {
        out.push(term("category", c.as_str()));
        category = c.parent();
    }
    if t.sla_due.is_some() {
        out.push(SLA_RUNNING.to_owned());
    }
    out.sort();
    out.dedup();
    out
}

/// The terms to walk for `f`: the first condition, in rough order of selectivity, that an
/// index serves; failing all, every status × kind term (whose union is every ticket).
pub fn driving_terms(f: &TicketFilter) -> Vec<String> {
    let single = [
        f.assignee.as_ref().map(|x| term("assignee", x.as_str())),
        f.requester.as_ref().map(|x| term("involving", x.as_str())),
        f.involving.as_ref().map(|x| term("involving", x.as_str())),
        f.team.as_ref().map(|x| term("team", x.as_str())),
        f.organisation
            .as_ref()
            .map(|x| term("organisation", x.as_str())),
        f.category.as_ref().map(|c| term("category", c.as_str())),
        f.unassigned.then(|| UNASSIGNED.to_owned()),
        f.sla_due_by.map(|_| SLA_RUNNING.to_owned()),
    ];
    if let Some(t) = single.into_iter().flatten().next() {
        return vec![t];
    }
    let statuses = if f.status.is_empty() {
        Status::ALL
    } else {
        &f.status
    };
    let kinds = if f.kind.is_empty() {
        TicketKind::ALL
    } else {
        &f.kind
    };
    let mut out: Vec<String> = statuses
        .iter()
        .flat_map(|s| kinds.iter().map(move |k| status_kind(*s, *k)))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Moves a ticket's index entries from what `old` (and `old_due`, µs) put there to what
/// `new` and `new_due` need, touching only the keys that change.
pub(crate) fn move_entries(
    index: &mut redb::Table<'_, (&'static str, i64, &'static str), ()>,
    old: Option<&Ticket>,
    new: &Ticket,
    old_due: Option<i64>,
    new_due: Option<i64>,
) -> foliodesk_core::Result<()> {
    use crate::db_err;
    let id = new.id.as_str();
    let opened = new.milestones.opened_at.map_or(0, |t| t.timestamp_micros());
    let old_terms = old.map(terms).unwrap_or_default();
    let new_terms = terms(new);
    for t in old_terms.iter().filter(|t| !new_terms.contains(t)) {
        index.remove((t.as_str(), opened, id)).map_err(db_err)?;
    }
    for t in new_terms.iter().filter(|t| !old_terms.contains(t)) {
        index.insert((t.as_str(), opened, id), ()).map_err(db_err)?;
    }
    if old_due != new_due {
        if let Some(d) = old_due {
            index.remove((DUE, d, id)).map_err(db_err)?;
        }
        if let Some(d) = new_due {
            index.insert((DUE, d, id), ()).map_err(db_err)?;
        }
    }
    Ok(())
}
