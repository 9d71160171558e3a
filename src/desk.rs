//! `Desk`: the one service object with every operation.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use foliodesk_core::due::next_due;
use foliodesk_core::query::{Cursor, QueryTickets};
use foliodesk_core::sla::{Crossing, Sla, SlaView};
use foliodesk_core::store::{AppendEvents, FolioKey, Store};
use foliodesk_core::{
    decide, system_actor, view, Clock, Command, Config, Context, Error, EventEnvelope, Facts,
    NewTicket, Organisation, OutboxMessage, Page, PendingEvent, Result, Role, Team, TeamId,
    TeamsNeeded, Ticket, TicketFilter, TicketId, User, UserId, Verification,
};
use serde::{Deserialize, Serialize};

use crate::clock::SystemClock;

/// How many times a command is re-decided when another writer changed the ticket first.
/// Every conflict means some other command landed, so the desk as a whole always
/// progresses; the bound only caps how long one unlucky writer keeps losing.
const CONFLICT_RETRIES: usize = 64;
/// How many due tickets `tick` takes from the index per round.
const TICK_BATCH: u32 = 500;

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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// What one [`Desk::tick`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickReport {
    /// Tickets whose solution was auto-confirmed.
    pub auto_confirmed: Vec<TicketId>,
    /// SLA escalation rules that fired, with the ticket they fired on.
    pub sla_alerts: Vec<(TicketId, Crossing)>,
}

/// A help desk: tickets, their process and history, over one storage backend.
///
/// Every ticket operation takes the acting user's id first; the desk loads that user and
/// applies the permission table. Errors are typed ([`Error::kind`]) and leave nothing
/// written.
#[derive(Debug, Clone)]
pub struct Desk {
    store: Arc<dyn Store>,
    config: Arc<Config>,
    sla: Arc<Sla>,
    clock: Arc<dyn Clock>,
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
        let config = match options.config {
            Some(c) => {
                c.validate()?;
                store.save_config(c.to_json()).await?;
                c
            }
            None => match store.load_config().await? {
                Some(json) => Config::from_json(&json)?,
                None => {
                    let c = Config::default();
                    store.save_config(c.to_json()).await?;
                    c
                }
            },
        };
        // Config teams win on name and level; a supervisor set through the directory is
        // kept unless the configuration names one.
        for team in &config.teams {
            let mut team = team.clone();
            if team.supervisor.is_none() {
                team.supervisor = store.team(&team.id).await?.and_then(|t| t.supervisor);
            }
            store.put_team(team).await?;
        }
        let clock = options.clock.unwrap_or_else(|| Arc::new(SystemClock));
        Ok(Desk {
            store,
            sla: Arc::new(Sla::new(&config.sla)?),
            config: Arc::new(config),
            clock,
        })
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The underlying store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Now, at the microsecond precision every backend keeps.
    pub fn now(&self) -> DateTime<Utc> {
        let now = self.clock.now();
        DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
    }

    // ---- directory -------------------------------------------------------------------

    /// Creates or replaces a user.
    pub async fn put_user(&self, user: User) -> Result<()> {
        user.validate()?;
        self.store.put_user(user).await
    }

    /// A user, or `NotFound`.
    pub async fn user(&self, id: impl Into<UserId>) -> Result<User> {
        let id = id.into();
        self.store
            .user(&id)
            .await?
            .ok_or_else(|| Error::not_found("user", id))
    }

    /// All users.
    pub async fn users(&self) -> Result<Vec<User>> {
        self.store.users().await
    }

    /// Creates or replaces an organisation.
    pub async fn put_organisation(&self, org: Organisation) -> Result<()> {
        org.validate()?;
        self.store.put_organisation(org).await
    }

    /// An organisation, or `NotFound`.
    pub async fn organisation(&self, id: &str) -> Result<Organisation> {
        let found = self.store.organisation(&id.into()).await?;
        found.ok_or_else(|| Error::not_found("organisation", id))
    }

    /// All organisations.
    pub async fn organisations(&self) -> Result<Vec<Organisation>> {
        self.store.organisations().await
    }

    /// Creates or replaces a team. A supervisor, if named, must be a known user.
    pub async fn put_team(&self, team: Team) -> Result<()> {
        team.validate()?;
        if let Some(s) = &team.supervisor {
            if self.store.user(s).await?.is_none() {
                return Err(Error::validation(
                    "team.supervisor",
                    format!("unknown user `{s}`"),
                ));
            }
        }
        self.store.put_team(team).await
    }

    /// A team, or `NotFound`.
    pub async fn team(&self, id: &str) -> Result<Team> {
        let found = self.store.team(&TeamId::new(id)).await?;
        found.ok_or_else(|| Error::not_found("team", id))
    }

    /// All teams.
    pub async fn teams(&self) -> Result<Vec<Team>> {
        self.store.teams().await
    }

    // ---- tickets ---------------------------------------------------------------------

    /// Registers a ticket. Returns it with its folio.
    pub async fn open_ticket(&self, actor: impl Into<UserId>, new: NewTicket) -> Result<Ticket> {
        let actor = self.actor(&actor.into()).await?;
        let id = TicketId::new(uuid::Uuid::now_v7().to_string());
        let now = self.now();
        let command = Command::Open(Box::new(new));
        let facts = self.facts(&actor, None, &command).await?;
        let ctx = Context {
            now,
            config: &self.config,
            facts: &facts,
        };
        let events = decide(None, &command, &actor, &ctx)?;
        let Command::Open(new) = &command else {
            unreachable!("built above")
        };
        // The SLA clocks start now: the due index must know the first threshold.
        let (due_at, sla_due) =
            self.schedule(&Ticket::preview_new(&id, &events, now, &actor.id)?, &facts);
        let req = AppendEvents {
            ticket_id: id,
            expected_version: 0,
            base: None,
            folio: Some(FolioKey::for_ticket(new.kind, now)),
            due_at,
            sla_due,
            events: PendingEvent::batch(events, now, &actor.id),
        };
        // A fresh id cannot really exist yet: a conflict here is a transient one (a
        // deadlock or serialisation failure reported by the database), so try again.
        let mut attempt = 0;
        loop {
            match self.store.append(req.clone()).await {
                Err(Error::Conflict { .. }) if attempt < CONFLICT_RETRIES => attempt += 1,
                other => return Ok(view::redact(&actor, other?.ticket)),
            }
        }
    }

    /// Runs any command on a ticket as `actor`, re-deciding on a concurrent change.
    pub async fn execute(
        &self,
        actor: impl Into<UserId>,
        ticket: &TicketId,
        command: Command,
    ) -> Result<Ticket> {
        let actor = self.actor(&actor.into()).await?;
        let ticket = self.run(&actor, ticket, &command, self.now()).await?;
        Ok(view::redact(&actor, ticket))
    }

    async fn run(
        &self,
        actor: &User,
        id: &TicketId,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Ticket> {
        let mut attempt = 0;
        loop {
            let ticket = self.visible_ticket(actor, id).await?;
            let facts = self.facts(actor, Some(&ticket), command).await?;
            let ctx = Context {
                now,
                config: &self.config,
                facts: &facts,
            };
            let events = decide(Some(&ticket), command, actor, &ctx)?;
            let (due_at, sla_due) =
                self.schedule(&ticket.preview(&events, now, &actor.id)?, &facts);
            let req = AppendEvents {
                ticket_id: ticket.id.clone(),
                expected_version: ticket.version,
                base: Some(ticket),
                events: PendingEvent::batch(events, now, &actor.id),
                folio: None,
                due_at,
                sla_due,
            };
            match self.store.append(req).await {
                Err(Error::Conflict { .. }) if attempt < CONFLICT_RETRIES => attempt += 1,
                other => return other.map(|a| a.ticket),
            }
        }
    }

    /// The ticket as `actor` may see it; `NotFound` also when they may not see it.
    pub async fn ticket(&self, actor: impl Into<UserId>, id: &TicketId) -> Result<Ticket> {
        let actor = self.actor(&actor.into()).await?;
        Ok(view::redact(&actor, self.visible_ticket(&actor, id).await?))
    }

    /// The ticket with this folio, as `actor` may see it.
    pub async fn ticket_by_folio(&self, actor: impl Into<UserId>, folio: &str) -> Result<Ticket> {
        let actor = self.actor(&actor.into()).await?;
        match self.store.ticket_by_folio(folio).await? {
            Some(t) if view::can_view(&actor, &t, &self.config) => Ok(view::redact(&actor, t)),
            _ => Err(Error::not_found("ticket", folio)),
        }
    }

    /// One page of the tickets `actor` may see that match `filter`, in (opened, id) order.
    /// Requesters only ever get their own (or, if configured, their organisation's).
    pub async fn query(
        &self,
        actor: impl Into<UserId>,
        mut filter: TicketFilter,
        page: PageRequest,
    ) -> Result<Page<Ticket>> {
        let actor = self.actor(&actor.into()).await?;
        if actor.role == Role::Requester {
            if self.config.lifecycle.requesters_see_organisation && actor.organisation.is_some() {
                filter.organisation.clone_from(&actor.organisation);
            } else {
                filter.involving = Some(actor.id.clone());
            }
        }
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
        let actor = self.actor(&actor.into()).await?;
        self.visible_ticket(&actor, id).await?;
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

    /// Does the time-driven work due now (auto-confirming solutions nobody answered).
    pub async fn tick(&self) -> Result<TickReport> {
        self.tick_at(self.now()).await
    }

    /// Does the time-driven work due at `now`: auto-confirms answered-for-too-long
    /// solutions and fires SLA escalation rules. Reads only due tickets from the index;
    /// ticking twice at one instant does nothing the second time.
    pub async fn tick_at(&self, now: DateTime<Utc>) -> Result<TickReport> {
        let system = system_actor();
        let mut report = TickReport::default();
        // Entries made stale by a configuration change are passed over, not retried.
        let mut stale = 0;
        loop {
            let due = self.store.due(now, TICK_BATCH + stale).await?;
            let full = due.len() == (TICK_BATCH + stale) as usize;
            let mut progressed = false;
            for d in due.into_iter().skip(stale as usize) {
                let Some(ticket) = self.store.ticket(&d.ticket_id).await? else {
                    continue;
                };
                let facts = self.ticket_facts(&system, &ticket).await?;
                let confirm = next_due(&ticket, &self.config).is_some_and(|t| t <= now);
                let crossings = self.sla.crossings(&ticket, tier(&ticket, &facts), now);
                if !confirm && crossings.is_empty() {
                    stale += 1;
                    continue;
                }
                if confirm {
                    match self
                        .run(&system, &ticket.id, &Command::AutoConfirm, now)
                        .await
                    {
                        Ok(_) => report.auto_confirmed.push(ticket.id.clone()),
                        // Someone answered in the meantime: nothing left to do.
                        Err(Error::InvalidTransition { .. }) => {}
                        Err(e) => return Err(e),
                    }
                }
                for c in crossings {
                    let command = Command::SlaAlert {
                        target: c.target,
                        percent: c.percent,
                        repeat: c.repeat,
                        actions: c.actions.clone(),
                    };
                    match self.run(&system, &ticket.id, &command, now).await {
                        Ok(_) => report.sla_alerts.push((ticket.id.clone(), c)),
                        // Another desk recorded it first, or the ticket moved on.
                        Err(Error::InvalidTransition { .. }) => {}
                        Err(e) => return Err(e),
                    }
                }
                progressed = true;
            }
            if !(full && progressed) {
                return Ok(report);
            }
        }
    }

    /// Every SLA target of the ticket now, as `actor` may see it; `None` when no policy
    /// applies.
    pub async fn sla(&self, actor: impl Into<UserId>, id: &TicketId) -> Result<Option<SlaView>> {
        self.sla_at(actor, id, self.now()).await
    }

    /// Every SLA target of the ticket at `at`.
    pub async fn sla_at(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        at: DateTime<Utc>,
    ) -> Result<Option<SlaView>> {
        let actor = self.actor(&actor.into()).await?;
        let ticket = self.visible_ticket(&actor, id).await?;
        let facts = self.ticket_facts(&actor, &ticket).await?;
        Ok(self.sla.view(&ticket, tier(&ticket, &facts), at))
    }

    /// Dry run: the escalation rules that would fire on the ticket from now until
    /// `until` if nothing else happened, in order. Changes nothing. Staff only.
    pub async fn simulate_sla(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        until: DateTime<Utc>,
    ) -> Result<Vec<Crossing>> {
        let actor = self.actor(&actor.into()).await?;
        if !actor.role.is_staff() {
            return Err(Error::PermissionDenied {
                role: actor.role,
                command: foliodesk_core::CommandKind::SlaAlert,
                reason: "only staff can simulate SLA escalations".into(),
            });
        }
        let ticket = self.visible_ticket(&actor, id).await?;
        let facts = self.ticket_facts(&actor, &ticket).await?;
        Ok(self.sla.simulate(&ticket, tier(&ticket, &facts), until))
    }

    /// Notifications not yet acknowledged, oldest first.
    pub async fn outbox(&self, limit: u32) -> Result<Vec<OutboxMessage>> {
        self.store.outbox(limit).await
    }

    /// Acknowledges delivered notifications.
    pub async fn ack_outbox(&self, ids: &[u64]) -> Result<()> {
        self.store.ack_outbox(ids).await
    }

    // ---- helpers ---------------------------------------------------------------------

    async fn actor(&self, id: &UserId) -> Result<User> {
        self.store
            .user(id)
            .await?
            .ok_or_else(|| Error::not_found("user", id))
    }

    async fn visible_ticket(&self, actor: &User, id: &TicketId) -> Result<Ticket> {
        match self.store.ticket(id).await? {
            Some(t) if view::can_view(actor, &t, &self.config) => Ok(t),
            _ => Err(Error::not_found("ticket", id)),
        }
    }

    /// When `tick` must look at `ticket` next (auto-confirmation or the next SLA
    /// threshold), and the earliest due instant of its running SLA targets.
    fn schedule(
        &self,
        ticket: &Ticket,
        facts: &Facts,
    ) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let (crossing, sla_due) = self.sla.schedule(ticket, tier(ticket, facts));
        let due_at = match (next_due(ticket, &self.config), crossing) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        (due_at, sla_due)
    }

    /// The directory entries about `ticket` alone (its requester, their organisation): what
    /// SLA policy selection reads. `Resume` stands for any command that names nobody.
    async fn ticket_facts(&self, actor: &User, ticket: &Ticket) -> Result<Facts> {
        self.facts(actor, Some(ticket), &Command::Resume).await
    }

    /// The directory entries `decide` needs: the actor, the people the ticket and the
    /// command name, their organisations, and the teams the command reads.
    async fn facts(
        &self,
        actor: &User,
        ticket: Option<&Ticket>,
        command: &Command,
    ) -> Result<Facts> {
        let mut facts = Facts::default();
        facts.users.insert(actor.id.clone(), actor.clone());
        let mut wanted = command.referenced_users();
        wanted.extend(ticket.map(|t| t.requester.clone()));
        for id in wanted {
            if let std::collections::btree_map::Entry::Vacant(slot) = facts.users.entry(id) {
                if let Some(u) = self.store.user(slot.key()).await? {
                    slot.insert(u);
                }
            }
        }
        let mut orgs: Vec<_> = facts
            .users
            .values()
            .filter_map(|u| u.organisation.clone())
            .collect();
        orgs.extend(ticket.and_then(|t| t.organisation.clone()));
        if let Command::Open(new) = command {
            orgs.extend(new.organisation.clone());
        }
        for id in orgs {
            if let Some(o) = self.store.organisation(&id).await? {
                facts.organisations.insert(id, o);
            }
        }
        match TeamsNeeded::of(command, &self.config) {
            TeamsNeeded::All => {
                for t in self.store.teams().await? {
                    facts.teams.insert(t.id.clone(), t);
                }
            }
            TeamsNeeded::Named(ids) => {
                for id in ids {
                    if let Some(t) = self.store.team(&id).await? {
                        facts.teams.insert(id, t);
                    }
                }
            }
        }
        Ok(facts)
    }
}

/// The customer tier of a ticket: its requester's, else its organisation's.
fn tier<'f>(ticket: &Ticket, facts: &'f Facts) -> Option<&'f str> {
    facts
        .users
        .get(&ticket.requester)
        .and_then(|u| u.tier.as_deref())
        .or_else(|| {
            let org = ticket.organisation.as_ref()?;
            facts.organisations.get(org)?.tier.as_deref()
        })
}
