//! The statements that write a sealed append: projection row, events, outbox.

use foliodesk_core::store::{AppendEvents, FolioKey, Sealed};
use foliodesk_core::Result;

use crate::dialect::Dialect;
use crate::filter::Arg;
use crate::rows::{to_json, TicketRow};
use crate::statements::values;
use crate::SqlStore;

/// A statement in portable (`?`) SQL and its binds.
pub(crate) type Statement = (String, Vec<Arg>);

/// The projection row, events and outbox statements of a sealed append.
/// `guess` is the folio counter and number of a guessed append (see `guess`), MySQL only.
pub(crate) fn writes(
    store: &SqlStore,
    req: &AppendEvents,
    sealed: &Sealed,
    guess: Option<(&FolioKey, u64)>,
) -> Result<Vec<Statement>> {
    let last_hash = &sealed
        .envelopes
        .last()
        .expect("seal refuses no events")
        .hash;
    let row = TicketRow::of(&sealed.ticket, last_hash, sealed.due_at)?;
    if store.dialect == Dialect::MySql {
        return Ok(vec![call(req, sealed, row, guess)?]);
    }
    let mut writes: Vec<Statement> = Vec::with_capacity(3);
    let mut ticket_args = Vec::with_capacity(19);
    if req.base.is_none() {
        ticket_args.push(Arg::Text(req.ticket_id.to_string()));
        ticket_args.push(Arg::Text(row.folio.clone()));
        ticket_args.extend(row.args());
        writes.push((store.sql.insert_ticket.clone(), ticket_args));
    } else {
        ticket_args.extend(row.args());
        ticket_args.push(Arg::Text(req.ticket_id.to_string()));
        ticket_args.push(Arg::Int(req.expected_version as i64));
        writes.push((store.sql.update_ticket.clone(), ticket_args));
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
        let mut outbox = String::from("INSERT INTO fd_outbox (ticket_id, body) VALUES ");
        outbox.push_str(&values(sealed.outbox.len(), 2));
        let mut outbox_args = Vec::with_capacity(sealed.outbox.len() * 2);
        for n in &sealed.outbox {
            outbox_args.push(Arg::Text(n.ticket_id.to_string()));
            outbox_args.push(Arg::Text(to_json(n)?));
        }
        writes.push((outbox, outbox_args));
    }
    Ok(writes)
}

/// MySQL: the writes and the COMMIT as one `CALL fd_append(…)` (schema 3), with the events
/// and notifications as JSON arrays; with a guessed folio, also the counter's
/// compare-and-set and the transaction's start.
fn call(
    req: &AppendEvents,
    sealed: &Sealed,
    row: TicketRow,
    guess: Option<(&FolioKey, u64)>,
) -> Result<Statement> {
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
        .map(to_json)
        .collect::<Result<Vec<_>>>()?;
    args.push(Arg::Text(to_json(&events)?));
    args.push(Arg::Text(to_json(&outbox)?));
    args.push(Arg::OptText(guess.map(|(key, _)| key.prefix.clone())));
    args.push(Arg::OptInt(guess.map(|(key, _)| i64::from(key.year))));
    args.push(Arg::OptInt(guess.map(|(_, n)| n as i64)));
    let marks = vec!["?"; args.len()].join(", ");
    Ok((format!("CALL fd_append({marks})"), args))
}

/// PostgreSQL: `writes` as data-modifying CTEs `w0, w1, …` of one statement, after the
/// CTEs of `before`; `body` turns each write into its CTE's body. The statement counts the
/// rows `w0` (the projection row) wrote.
pub(crate) fn ctes(
    before: Option<Statement>,
    writes: Vec<Statement>,
    body: impl Fn(&str) -> String,
) -> Statement {
    let (mut ctes, mut args) =
        before.map_or((Vec::new(), Vec::new()), |(sql, args)| (vec![sql], args));
    for (i, (sql, values)) in writes.into_iter().enumerate() {
        let returning = if i == 0 { " RETURNING 1" } else { "" };
        ctes.push(format!("w{i} AS ({}{returning})", body(&sql)));
        args.extend(values);
    }
    (
        format!("WITH {} SELECT COUNT(*) FROM w0", ctes.join(", ")),
        args,
    )
}
