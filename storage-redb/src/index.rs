//! Secondary index terms, and choosing the one that drives a query.
//!
//! Every ticket is indexed under a set of terms such as `team␟service-desk`; a key is
//! `(term, opened µs, id)`, so each term's entries are already in keyset order. A query
//! walks the most selective term its filter names, and checks every condition with
//! `TicketFilter::matches`, the reference semantics — the index only narrows.

use foliodesk_core::query::TicketFilter;
use foliodesk_core::Ticket;

/// The term every ticket has: the (opened, id) order itself.
pub const ALL: &str = "all";

fn term(field: &str, value: &str) -> String {
    format!("{field}\u{1f}{value}")
}

/// The terms a ticket is indexed under.
pub fn terms(t: &Ticket) -> Vec<String> {
    let mut out = vec![
        ALL.to_owned(),
        term("status", t.status.as_str()),
        term("kind", t.kind.as_str()),
        term("requester", t.requester.as_str()),
        term("involving", t.requester.as_str()),
    ];
    out.extend(t.watchers.iter().map(|w| term("involving", w.as_str())));
    out.extend(t.team.iter().map(|x| term("team", x.as_str())));
    match &t.assignee {
        Some(x) => out.push(term("assignee", x.as_str())),
        None => out.push("unassigned".to_owned()),
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
    out.sort();
    out.dedup();
    out
}

/// The term to walk for `f`: the first condition, in rough order of selectivity, that an
/// index serves.
pub fn driving_term(f: &TicketFilter) -> String {
    if let Some(x) = &f.assignee {
        return term("assignee", x.as_str());
    }
    if let Some(x) = &f.requester {
        return term("requester", x.as_str());
    }
    if let Some(x) = &f.involving {
        return term("involving", x.as_str());
    }
    if let Some(x) = &f.team {
        return term("team", x.as_str());
    }
    if let Some(x) = &f.organisation {
        return term("organisation", x.as_str());
    }
    if let Some(c) = &f.category {
        return term("category", c.as_str());
    }
    if f.unassigned {
        return "unassigned".to_owned();
    }
    if let [s] = f.status.as_slice() {
        return term("status", s.as_str());
    }
    if let [k] = f.kind.as_slice() {
        return term("kind", k.as_str());
    }
    ALL.to_owned()
}
