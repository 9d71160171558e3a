//! The statements that write a sealed append: projection row, events, outbox, search
//! document.

use foliodesk_core::store::{AppendEvents, Sealed};
use foliodesk_core::Result;

use crate::filter::Arg;
use crate::rows::{to_json, TicketRow};
use crate::statements::{values, Statements};

/// A statement in portable (`?`) SQL and its binds.
pub(crate) type Statement = (String, Vec<Arg>);

/// The projection row, events and outbox statements of a sealed append, in portable SQL
/// (an engine may send them its own way; see [`crate::engine::Engine::writes`]);
/// `buffered` as [`crate::engine::Engine::buffers_postings`].
pub(crate) fn portable_writes(
    sql: &Statements,
    req: &AppendEvents,
    sealed: &Sealed,
    buffered: bool,
) -> Result<Vec<Statement>> {
    let row = TicketRow::sealed(sealed)?;
    let mut writes: Vec<Statement> = Vec::with_capacity(3);
    let mut ticket_args = Vec::with_capacity(19);
    if req.base.is_none() {
        ticket_args.push(Arg::Text(req.ticket_id.to_string()));
        ticket_args.push(Arg::Text(row.folio.clone()));
        ticket_args.extend(row.args());
        writes.push((sql.insert_ticket.clone(), ticket_args));
    } else {
        ticket_args.extend(row.args());
        ticket_args.push(Arg::Text(req.ticket_id.to_string()));
        ticket_args.push(Arg::Int(req.expected_version as i64));
        writes.push((sql.update_ticket.clone(), ticket_args));
    }
    let mut events =
        String::from("INSERT INTO fd_events (ticket_id, seq, at_micros, hash, body) VALUES ");
    events.push_str(&values(sealed.envelopes.len(), 5));
    let mut event_args = Vec::with_capacity(sealed.envelopes.len() * 5);
    for env in &sealed.envelopes {
        event_args.push(Arg::Text(env.ticket_id.to_string()));
        event_args.push(Arg::Int(env.sequence as i64));
        event_args.push(Arg::Int(env.at.timestamp_micros()));
        event_args.push(Arg::Text(env.hash.clone()));
        event_args.push(Arg::Text(to_json(env)?));
    }
    writes.push((events, event_args));
    if !sealed.outbox.is_empty() {
        let mut outbox =
            String::from("INSERT INTO fd_outbox (ticket_id, body, available_us) VALUES ");
        outbox.push_str(&values(sealed.outbox.len(), 3));
        let mut outbox_args = Vec::with_capacity(sealed.outbox.len() * 3);
        for n in &sealed.outbox {
            outbox_args.push(Arg::Text(n.ticket_id.to_string()));
            outbox_args.push(Arg::Text(to_json(n)?));
            outbox_args.push(Arg::Int(n.deliver_after.timestamp_micros()));
        }
        writes.push((outbox, outbox_args));
    }
    writes.extend(crate::search::append_writes(req, buffered)?);
    if let Some(fact) = &req.fact {
        // A new ticket has no fact yet: a plain insert, which the guessed path can condition.
        let statement = match req.base {
            None => crate::facts::insert(1),
            Some(_) => sql.put_fact.clone(),
        };
        writes.push((statement, crate::facts::args(fact)?));
    }
    Ok(writes)
}
