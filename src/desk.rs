//! `Desk`: the one service object with every operation.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use foliodesk_core::query::{Cursor, QueryTickets};
use foliodesk_core::report::Fact;
use foliodesk_core::schedule::{tier, Rules, Schedule};
use foliodesk_core::search::index::{ticket_change, ticket_doc};
use foliodesk_core::store::{AppendEvents, FolioKey, Store};
use foliodesk_core::{
    decide, view, Clock, Command, Config, Context, Error, EventEnvelope, NewTicket, OutboxMessage,
    Page, PendingEvent, Result, Ticket, TicketFilter, TicketId, UserId, Verification,
};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::clock::SystemClock;

/// How many times a command is re-decided when another writer changed the ticket first.
/// Every conflict means some other command landed, so the desk as a whole always
/// progresses; the bound only caps how long one unlucky writer keeps losing.
pub(crate) const CONFLICT_RETRIES: usize = 64;

/// Options for [`Desk::open_with`].
#[derive(Debug, Default, Clone)]
pub struct DeskOptions {
    /// Replaces the stored configuration (and is stored). `None` keeps the stored one, or
    /// the defaults for a new desk.
    pub config: Option<Config>,
    /// The clock; the system clock by default.
    pub clock: Option<Arc<dyn Clock>>,
}

/// Where a page of [`Desk::query`] starts and how big it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct PageRequest {
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
    /// Page size, 1..=1000 (default 50).
    pub limit: u32,
    /// Newest first instead of oldest first.
    pub newest_first: bool,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            after: None,
            limit: 50,
            newest_first: false,
        }
    }
}

/// A help desk: tickets, their process and history, over one storage backend.
///
/// Every ticket operation takes the acting user's id first; the desk loads that user and
/// applies the permission table. Errors are typed ([`Error::kind`]) and leave nothing
/// written.
#[derive(Debug, Clone)]
pub struct Desk {
    store: Arc<dyn Store>,
    /// The configuration in force; [`Desk::reconfigure`] swaps it for every clone at once.
    rules: Arc<RwLock<Arc<Rules>>>,
    clock: Arc<dyn Clock>,
    /// The classifier, taught on first use and kept in step with this desk's changes.
    taught: Arc<crate::classify::Taught>,
}

impl Desk {
    /// Opens the desk at `url` with its stored configuration: `sqlite://desk.db` (the
    /// embedded default), `postgres://…`, `mysql://…` / `mariadb://…`, `redb://desk.redb`
    /// or `memory://`.
    pub async fn open(url: &str) -> Result<Desk> {
        Desk::open_with(url, DeskOptions::default()).await
    }

    /// Opens the desk at `url` with options.
    pub async fn open_with(url: &str, options: DeskOptions) -> Result<Desk> {
        let store = crate::open::store_for(url).await?;
        Desk::with_store(store, options).await
    }

    /// A desk over a store you built yourself.
    pub async fn with_store(store: Arc<dyn Store>, options: DeskOptions) -> Result<Desk> {
        if let Some(c) = &options.config {
            c.validate()?;
        }
        let stored = store.load_config().await?;
        let config = match (options.config, stored) {
            (Some(c), stored) => {
                let json = c.to_json();
                if stored.as_deref() != Some(json.as_str()) {
                    // Schedules computed under the old configuration are refreshed below.
                    if stored.is_some() {
                        Desk::mark_refresh_on(&*store).await?;
                    }
                    store.save_config(json).await?;
                }
                c
            }
            (None, Some(json)) => Config::from_json(&json)?,
            (None, None) => {
                let c = Config::default();
                store.save_config(c.to_json()).await?;
                c
            }
        };
        sync_teams(&*store, &config).await?;
        let clock = options.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let desk = Desk {
            store,
            rules: Arc::new(RwLock::new(Arc::new(Rules::new(config)?))),
            clock,
            taught: Arc::default(),
        };
        // A reconfiguration that was interrupted finishes before anything else runs.
        desk.resume_refresh().await?;
        desk.reindex_if_stale().await?;
        desk.refresh_report_facts_if_stale().await?;
        Ok(desk)
    }

    /// The configuration in force.
    pub fn config(&self) -> Config {
        self.rules().config.clone()
    }

    /// The compiled configuration in force (one snapshot: a concurrent
    /// [`Desk::reconfigure`] does not change it under a running command).
    pub(crate) fn rules(&self) -> Arc<Rules> {
        // The lock only guards a pointer swap; a panic while holding it cannot leave a
        // half-written value.
        self.rules.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub(crate) fn taught(&self) -> &crate::classify::Taught {
        &self.taught
    }

    pub(crate) fn set_rules(&self, rules: Rules) {
        *self.rules.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(rules);
    }

    /// The underlying store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Closes the store's connections (the bindings' `close()`; [`Desk::close`] closes a
    /// ticket). Files (SQLite, redb) are released when the last clone of this desk is
    /// dropped; afterwards calls fail with `STORAGE` errors.
    pub async fn shutdown(&self) {
        self.store.close().await;
    }

    /// Now, at the microsecond precision every backend keeps.
    pub fn now(&self) -> DateTime<Utc> {
        let now = self.clock.now();
        DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
    }

    // ---- tickets ---------------------------------------------------------------------

    /// Registers a ticket. Returns it with its folio.
    pub async fn open_ticket(&self, actor: impl Into<UserId>, ticket: NewTicket) -> Result<Ticket> {
        let id = TicketId::new(uuid::Uuid::now_v7().to_string());
        self.open_as(&actor.into(), id, Command::Open(Box::new(ticket)))
            .await
    }

    /// Opens ticket `id` with `command`: `open`, or `open` received in a message.
    pub(crate) async fn open_as(
        &self,
        actor: &UserId,
        id: TicketId,
        command: Command,
    ) -> Result<Ticket> {
        let now = self.now();
        let rules = self.rules();
        let (actor, _, mut facts) = self.read(actor, None, &command).await?;
        let ctx = Context {
            now,
            config: &rules.config,
            facts: &facts,
        };
        let mut events = decide(None, &command, &actor, &ctx)?;
        let new = match &command {
            Command::Open(new) => new,
            Command::Received { then, .. } => match &**then {
                Command::Open(new) => new,
                _ => return Err(Error::validation("command", "not an `open` command")),
            },
            _ => return Err(Error::validation("command", "not an `open` command")),
        };
        // The SLA clocks start now: the due index must know the first threshold.
        let mut preview = Ticket::preview_new(&id, &events, now, &actor.id)?;
        if !actor.can_view(&preview, &rules.config) {
            return Err(Error::PermissionDenied {
                role: actor.role,
                command: foliodesk_core::CommandKind::Open,
                reason: "the ticket's organisation is not one your teams serve".into(),
            });
        }
        let classified = self.classify_new(&preview, &mut facts).await?;
        preview = preview.preview(&classified, now, &actor.id)?;
        events.extend(classified);
        let chosen =
            (self.staffed(None, &mut events, &mut preview, &facts, now, &actor.id)).await?;
        let Schedule { due_at, sla_due } = rules.schedule(&preview, tier(&preview, &facts));
        let types = events.iter().map(|e| e.type_name()).collect();
        let req = AppendEvents {
            ticket_id: id,
            expected_version: 0,
            base: None,
            folio: Some(FolioKey::for_ticket(new.kind, now)),
            due_at,
            sla_due,
            events: PendingEvent::batch(events, now, &actor.id),
            notify: rules.notify.clone(),
            index: Some(ticket_doc(&preview)),
            fact: Some(Fact::of(&preview, &rules, tier(&preview, &facts))),
        };
        // A fresh id cannot really exist yet: a conflict here is a transient one (a
        // deadlock or serialisation failure reported by the database), so try again.
        let mut attempt = 0;
        loop {
            match self.store.append(req.clone()).await {
                Err(Error::Conflict { .. }) if attempt < CONFLICT_RETRIES => attempt += 1,
                other => {
                    let ticket = other?.ticket;
                    self.chosen(chosen).await;
                    let ticket = self.answer(ticket, types, now).await?;
                    return Ok(view::redact(&actor, ticket));
                }
            }
        }
    }

    /// Runs any command on a ticket as `actor`, re-deciding on a concurrent change.
    pub async fn execute(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        command: Command,
    ) -> Result<Ticket> {
        let (actor, ticket) = self.run(&actor.into(), id, &command, self.now()).await?;
        Ok(view::redact(&actor, ticket))
    }

    /// Runs `command`, then the rules its events trigger.
    pub(crate) async fn run(
        &self,
        actor: &UserId,
        id: &TicketId,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<(Actor, Ticket)> {
        let (actor, ticket, types) = self.run_once(actor, id, command, now).await?;
        let ticket = self.answer(ticket, types, now).await?;
        Ok((actor, ticket))
    }

    /// Runs `command` alone; returns the types of the events it appended too.
    pub(crate) async fn run_once(
        &self,
        actor: &UserId,
        id: &TicketId,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<(Actor, Ticket, Vec<&'static str>)> {
        let mut attempt = 0;
        let rules = self.rules();
        loop {
            let (actor, ticket, facts) = self.read(actor, Some(id), command).await?;
            let ticket = self.visible(&actor, ticket, id)?;
            let ctx = Context {
                now,
                config: &rules.config,
                facts: &facts,
            };
            let mut events = decide(Some(&ticket), command, &actor, &ctx)?;
            let mut preview = ticket.preview(&events, now, &actor.id)?;
            let before = Some(&ticket);
            let chosen =
                (self.staffed(before, &mut events, &mut preview, &facts, now, &actor.id)).await?;
            let Schedule { due_at, sla_due } = rules.schedule(&preview, tier(&preview, &facts));
            let index = ticket_change(Some(&ticket), &preview);
            let types = events.iter().map(|e| e.type_name()).collect();
            let req = AppendEvents {
                ticket_id: ticket.id.clone(),
                expected_version: ticket.version,
                base: Some(ticket),
                events: PendingEvent::batch(events, now, &actor.id),
                folio: None,
                due_at,
                sla_due,
                notify: rules.notify.clone(),
                index,
                fact: Some(Fact::of(&preview, &rules, tier(&preview, &facts))),
            };
            match self.store.append(req).await {
                Err(Error::Conflict { .. }) if attempt < CONFLICT_RETRIES => attempt += 1,
                other => {
                    let ticket = other?.ticket;
                    self.chosen(chosen).await;
                    self.relearn(&ticket);
                    return Ok((actor, ticket, types));
                }
            }
        }
    }

    /// The ticket as `actor` may see it; `NotFound` also when they may not see it.
    pub async fn ticket(&self, actor: impl Into<UserId>, id: &TicketId) -> Result<Ticket> {
        let (actor, ticket, _) = self.read_ticket(&actor.into(), id).await?;
        Ok(view::redact(&actor, ticket))
    }

    /// The ticket with this folio, as `actor` may see it.
    pub async fn ticket_by_folio(&self, actor: impl Into<UserId>, folio: &str) -> Result<Ticket> {
        let actor = self.actor(&actor.into()).await?;
        match self.store.ticket_by_folio(folio).await? {
            Some(t) if actor.can_view(&t, &self.rules().config) => Ok(view::redact(&actor, t)),
            _ => Err(Error::not_found("ticket", folio)),
        }
    }

    /// One page of the tickets `actor` may see that match `filter`, in (opened, id) order.
    /// Requesters only ever get their own (or, if configured, their organisation's); staff
    /// only those of the organisations their teams serve.
    pub async fn query(
        &self,
        actor: impl Into<UserId>,
        mut filter: TicketFilter,
        page: PageRequest,
    ) -> Result<Page<Ticket>> {
        let actor = self.actor(&actor.into()).await?;
        actor.narrow(&mut filter, &self.rules().config);
        let after = page.after.as_deref().map(Cursor::decode).transpose()?;
        let q = QueryTickets {
            filter,
            after,
            limit: page.limit,
            newest_first: page.newest_first,
        };
        let found = self.store.query(q).await?;
        Ok(Page {
            items: found
                .items
                .into_iter()
                .map(|t| view::redact(&actor, t))
                .collect(),
            next: found.next,
        })
    }

    /// The ticket's history as `actor` may see it (requesters: public events only).
    pub async fn history(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
    ) -> Result<Vec<EventEnvelope>> {
        let (actor, _, _) = self.read_ticket(&actor.into(), id).await?;
        Ok(view::history(&actor, self.store.events(id).await?))
    }

    /// Checks the ticket's hash chain and reports the first broken link.
    pub async fn verify(&self, id: &TicketId) -> Result<Verification> {
        let events = self.store.events(id).await?;
        if events.is_empty() {
            return Err(Error::not_found("ticket", id));
        }
        Ok(foliodesk_core::verify(&events))
    }

    /// Notifications not yet acknowledged, oldest first.
    pub async fn outbox(&self, limit: u32) -> Result<Vec<OutboxMessage>> {
        self.store.outbox(limit).await
    }

    /// Acknowledges delivered notifications.
    pub async fn ack_outbox(&self, ids: &[u64]) -> Result<()> {
        self.store.ack_outbox(ids).await
    }
}

/// Puts the configuration's teams into the directory ([`foliodesk_core::Team::merged_with`]).
pub(crate) async fn sync_teams(store: &dyn Store, config: &Config) -> Result<()> {
    for team in &config.teams {
        let stored = store.team(&team.id).await?;
        store.put_team(team.merged_with(stored.as_ref())).await?;
    }
    Ok(())
}
