//! Every [`Desk`] operation by name, with JSON arguments and a JSON result: the one surface
//! the Python and Node bindings call, so both convert the same way and neither holds a
//! business rule.
//!
//! Arguments are an object named like the Rust parameters (`actor`, `id`, `body`…);
//! instants are RFC 3339 strings, durations whole seconds. Results are the serde form of
//! the facade's return values. A malformed argument is a `Validation` error naming it.
//!
//! ```
//! # async fn demo() -> foliodesk::Result<()> {
//! use serde_json::json;
//! let desk = foliodesk::Desk::open("memory://").await?;
//! foliodesk::wire::call(&desk, "put_user", json!({"actor": "system", "user": {"id": "ana", "name": "Ana", "role": "requester"}})).await?;
//! let t = foliodesk::wire::call(&desk, "open_ticket", json!({
//!     "actor": "ana",
//!     "ticket": {"kind": "incident", "channel": "email", "requester": "ana", "title": "VPN down"}
//! })).await?;
//! assert_eq!(t["folio"], "INC-2026-000001".replace("2026", &chrono::Utc::now().format("%Y").to_string()));
//! # Ok(()) }
//! ```

use chrono::{DateTime, Utc};
use foliodesk_core::{
    CancelReason, Command, EscalationKind, NewTicket, Organisation, PriorityChange, SecurityRecord,
    Team, TeamId, TicketFilter, TicketId, TicketKind, User, UserId, Visibility, WaitingOn,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use std::sync::Arc;

use foliodesk_core::calendar::{holidays_from_ics, Calendar};
use foliodesk_core::sla::SlaConfig;

use crate::{Clock, Config, Desk, DeskOptions, Error, FixedClock, PageRequest, Result};

/// The operations [`call`] knows, in the facade's order. Constructors (`open`,
/// `open_with`, `with_store`), `store` and `shutdown` are the bindings' own business.
pub const OPERATIONS: &[&str] = &[
    "config",
    "now",
    "put_user",
    "user",
    "users",
    "put_organisation",
    "organisation",
    "organisations",
    "put_team",
    "team",
    "teams",
    "open_ticket",
    "execute",
    "ticket",
    "ticket_by_folio",
    "query",
    "history",
    "verify",
    "tick",
    "tick_at",
    "sla",
    "sla_at",
    "simulate_sla",
    "reconfigure",
    "checkpoint",
    "verify_desk",
    "outbox",
    "ack_outbox",
    "comment",
    "assign",
    "reclassify",
    "change_priority",
    "set_pending",
    "set_waiting",
    "resume",
    "escalate",
    "propose_solution",
    "confirm_solution",
    "reject_solution",
    "rate",
    "close",
    "cancel",
    "reopen",
    "add_watcher",
    "update_security",
];

/// Arguments naming the acting user and the ticket.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct On {
    actor: UserId,
    id: TicketId,
}

/// Decodes the arguments of `op`; errors name the argument at fault.
fn args<T: DeserializeOwned>(op: &str, value: &Value) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { op.to_owned() } else { path };
        Error::validation(field, e.into_inner().to_string())
    })
}

fn out<T: serde::Serialize>(value: T) -> Result<Value> {
    serde_json::to_value(value)
        .map_err(|e| Error::storage(format!("cannot encode a result: {e}"), e))
}

/// Runs operation `op` with `arguments` on `desk`.
pub async fn call(desk: &Desk, op: &str, arguments: Value) -> Result<Value> {
    let a = &arguments;
    macro_rules! take {
        ($($(#[$m:meta])* $field:ident : $ty:ty),* $(,)?) => {{
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            struct Args { $($(#[$m])* $field: $ty),* }
            args::<Args>(op, a)?
        }};
    }
    let on = || args::<On>(op, a);
    match op {
        "config" => out(desk.config()),
        "now" => out(desk.now()),
        "put_user" => {
            let x = take!(actor: UserId, user: User);
            out(desk.put_user(x.actor, x.user).await?)
        }
        "user" => out(desk.user(take!(id: UserId).id).await?),
        "users" => out(desk.users().await?),
        "put_organisation" => {
            let x = take!(actor: UserId, organisation: Organisation);
            out(desk.put_organisation(x.actor, x.organisation).await?)
        }
        "organisation" => out(desk.organisation(take!(id: String).id.as_str()).await?),
        "organisations" => out(desk.organisations().await?),
        "put_team" => {
            let x = take!(actor: UserId, team: Team);
            out(desk.put_team(x.actor, x.team).await?)
        }
        "team" => out(desk.team(take!(id: String).id.as_str()).await?),
        "teams" => out(desk.teams().await?),
        "open_ticket" => {
            let x = take!(actor: UserId, ticket: NewTicket);
            out(desk.open_ticket(x.actor, x.ticket).await?)
        }
        "execute" => {
            let x = take!(actor: UserId, id: TicketId, command: Command);
            out(desk.execute(x.actor, &x.id, x.command).await?)
        }
        "ticket" => {
            let x = take!(actor: UserId, id: TicketId);
            out(desk.ticket(x.actor, &x.id).await?)
        }
        "ticket_by_folio" => {
            let x = take!(actor: UserId, folio: String);
            out(desk.ticket_by_folio(x.actor, &x.folio).await?)
        }
        "query" => {
            let x = take!(
                actor: UserId,
                #[serde(default)]
                filter: TicketFilter,
                #[serde(default)]
                page: PageRequest,
            );
            let page = desk.query(x.actor, x.filter, x.page).await?;
            Ok(json!({ "items": out(page.items)?, "next": page.next }))
        }
        "history" => {
            let x = take!(actor: UserId, id: TicketId);
            out(desk.history(x.actor, &x.id).await?)
        }
        "verify" => out(desk.verify(&take!(id: TicketId).id).await?),
        "tick" => out(desk.tick().await?),
        "tick_at" => out(desk.tick_at(take!(at: DateTime<Utc>).at).await?),
        "sla" => {
            let x = on()?;
            out(desk.sla(x.actor, &x.id).await?)
        }
        "sla_at" => {
            let x = take!(actor: UserId, id: TicketId, at: DateTime<Utc>);
            out(desk.sla_at(x.actor, &x.id, x.at).await?)
        }
        "simulate_sla" => {
            let x = take!(actor: UserId, id: TicketId, until: DateTime<Utc>, candidate: Option<SlaConfig>);
            out(desk
                .simulate_sla(x.actor, &x.id, x.until, x.candidate)
                .await?)
        }
        "reconfigure" => {
            let x = take!(actor: UserId, config: Config, #[serde(default)] dry_run: bool);
            out(desk.reconfigure(x.actor, x.config, x.dry_run).await?)
        }
        "checkpoint" => out(desk.checkpoint().await?),
        "verify_desk" => out(desk.verify_desk().await?),
        "outbox" => out(desk.outbox(take!(limit: u32).limit).await?),
        "ack_outbox" => out(desk.ack_outbox(&take!(ids: Vec<u64>).ids).await?),
        "comment" => {
            let x =
                take!(actor: UserId, id: TicketId, body: String, visibility: Option<Visibility>);
            let vis = x.visibility.unwrap_or(Visibility::Public);
            out(desk.comment(x.actor, &x.id, x.body, vis).await?)
        }
        "assign" => {
            let x =
                take!(actor: UserId, id: TicketId, team: Option<TeamId>, assignee: Option<UserId>);
            out(desk.assign(x.actor, &x.id, x.team, x.assignee).await?)
        }
        "reclassify" => {
            let x = take!(actor: UserId, id: TicketId, kind: Option<TicketKind>, category: Option<String>);
            out(desk.reclassify(x.actor, &x.id, x.kind, x.category).await?)
        }
        "change_priority" => {
            let x = take!(actor: UserId, id: TicketId, change: PriorityChange);
            out(desk.change_priority(x.actor, &x.id, x.change).await?)
        }
        "set_pending" => {
            let x = take!(actor: UserId, id: TicketId, reason: String);
            out(desk.set_pending(x.actor, &x.id, x.reason).await?)
        }
        "set_waiting" => {
            let x = take!(actor: UserId, id: TicketId, waiting_on: WaitingOn, reason: String);
            out(desk
                .set_waiting(x.actor, &x.id, x.waiting_on, x.reason)
                .await?)
        }
        "resume" => {
            let x = on()?;
            out(desk.resume(x.actor, &x.id).await?)
        }
        "escalate" => {
            let x = take!(actor: UserId, id: TicketId, kind: EscalationKind, team: Option<TeamId>, reason: String);
            out(desk
                .escalate(x.actor, &x.id, x.kind, x.team, x.reason)
                .await?)
        }
        "propose_solution" => {
            let x = take!(actor: UserId, id: TicketId, solution: String);
            out(desk.propose_solution(x.actor, &x.id, x.solution).await?)
        }
        "confirm_solution" => {
            let x = on()?;
            out(desk.confirm_solution(x.actor, &x.id).await?)
        }
        "reject_solution" => {
            let x = take!(actor: UserId, id: TicketId, reason: String);
            out(desk.reject_solution(x.actor, &x.id, x.reason).await?)
        }
        "rate" => {
            let x = take!(actor: UserId, id: TicketId, score: u8, comment: Option<String>);
            out(desk.rate(x.actor, &x.id, x.score, x.comment).await?)
        }
        "close" => {
            let x = take!(actor: UserId, id: TicketId, note: Option<String>);
            out(desk.close(x.actor, &x.id, x.note).await?)
        }
        "cancel" => {
            let x = take!(actor: UserId, id: TicketId, reason: CancelReason, note: String);
            out(desk.cancel(x.actor, &x.id, x.reason, x.note).await?)
        }
        "reopen" => {
            let x = take!(actor: UserId, id: TicketId, reason: String);
            out(desk.reopen(x.actor, &x.id, x.reason).await?)
        }
        "add_watcher" => {
            let x = take!(actor: UserId, id: TicketId, user: UserId);
            out(desk.add_watcher(x.actor, &x.id, x.user).await?)
        }
        "update_security" => {
            let x = take!(actor: UserId, id: TicketId, record: SecurityRecord);
            out(desk.update_security(x.actor, &x.id, x.record).await?)
        }
        other => Err(Error::validation(
            "operation",
            format!("`{other}` is not a Desk operation"),
        )),
    }
}

/// A desk opened for a binding, with its fixed clock when it was given one, until it is
/// closed.
pub struct Opened {
    desk: std::sync::Mutex<Option<Desk>>,
    /// The clock `set_now` moves; `None` on the system clock.
    pub clock: Option<Arc<FixedClock>>,
}

/// Opens the desk at `url` for a binding: `config_json` (the configuration as JSON) or
/// `config_path` (a TOML file) replaces the stored configuration; `fixed_now` (RFC 3339)
/// stops the clock there.
pub async fn open(
    url: &str,
    config_json: Option<&str>,
    config_path: Option<&str>,
    fixed_now: Option<&str>,
) -> Result<Opened> {
    let config = match (config_json, config_path) {
        (Some(j), _) => Some(Config::from_json(j)?),
        (None, Some(p)) => Some(crate::load_config(p)?),
        (None, None) => None,
    };
    let clock = fixed_now
        .map(|t| instant("now", t))
        .transpose()?
        .map(|t| Arc::new(FixedClock::at(t)));
    let options = DeskOptions {
        config,
        clock: clock.clone().map(|c| c as Arc<dyn Clock>),
    };
    let desk = Desk::open_with(url, options).await?;
    Ok(Opened {
        desk: std::sync::Mutex::new(Some(desk)),
        clock,
    })
}

impl Opened {
    /// The desk; a `Validation` error on `desk` once closed.
    pub fn desk(&self) -> Result<Desk> {
        let guard = self.desk.lock().unwrap_or_else(|p| p.into_inner());
        guard
            .clone()
            .ok_or_else(|| Error::validation("desk", "the desk is closed"))
    }

    /// Closes the desk: later calls are refused, and its files and connections are
    /// released (after calls already running finish). Closing twice is harmless.
    pub async fn close(&self) {
        let desk = self.desk.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(desk) = desk {
            desk.shutdown().await;
        }
    }

    /// Moves the fixed clock to `now` (RFC 3339); an error on the system clock.
    pub fn set_now(&self, now: &str) -> Result<()> {
        let t = instant("now", now)?;
        match &self.clock {
            Some(c) => {
                c.set(t);
                Ok(())
            }
            None => Err(Error::validation(
                "now",
                "this desk runs on the system clock; open it with a fixed `now`",
            )),
        }
    }
}

/// An RFC 3339 instant passed by a binding; the error names `field`.
pub fn instant(field: &str, text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| Error::validation(field, format!("`{text}` is not an RFC 3339 instant: {e}")))
}

/// A calendar from its spec as JSON, with the holidays of an iCalendar text added.
pub fn calendar(spec_json: &str, ics: Option<&str>) -> Result<Calendar> {
    let spec = serde_json::from_str(spec_json)
        .map_err(|e| Error::validation("calendar", e.to_string()))?;
    let calendar = Calendar::new(spec)?;
    match ics {
        Some(ics) => Ok(calendar.with_holidays(holidays_from_ics(ics)?)),
        None => Ok(calendar),
    }
}

/// A typed error as JSON for the bindings: `code` (`NOT_FOUND`, `PERMISSION_DENIED`,
/// `INVALID_TRANSITION`, `VALIDATION`, `CONFLICT`, `STORAGE`), `message`, and `field`
/// where it applies.
pub fn error_json(e: &Error) -> Value {
    json!({ "code": e.kind().code(), "message": e.to_string(), "field": e.field() })
}
