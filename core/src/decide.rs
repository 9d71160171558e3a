//! `decide`: every rule of the process. Pure and deterministic: time, configuration and
//! directory facts come in through [`Context`].

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::classify::{CancelReason, Visibility};
use crate::command::{Command, CommandKind, EscalationKind, NewTicket, PriorityChange};
use crate::config::Config;
use crate::directory::{Organisation, Role, Team, User};
use crate::event::{Event, Opened};
use crate::lifecycle;
use crate::permission::{access, Access};
use crate::priority::{Impact, Priority, PriorityOverride, Urgency};
use crate::security::{SecurityRecord, SecurityStep};
use crate::sla::{EscalationAction, Target};
use crate::status::Status;
use crate::ticket::Ticket;
use crate::{Error, OrgId, Result, TeamId, UserId};

/// Longest title, in characters.
pub const MAX_TITLE: usize = 250;
/// Longest free text (description, comment, solution), in characters.
pub const MAX_TEXT: usize = 100_000;

/// The directory entries a decision may need: the actor, every user the command or the
/// ticket names, their organisations, and all teams.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Users by id.
    pub users: BTreeMap<UserId, User>,
    /// Organisations by id.
    pub organisations: BTreeMap<OrgId, Organisation>,
    /// Teams by id.
    pub teams: BTreeMap<TeamId, Team>,
}

impl Facts {
    fn user(&self, field: &str, id: &UserId) -> Result<&User> {
        self.users
            .get(id)
            .ok_or_else(|| Error::validation(field, format!("unknown user `{id}`")))
    }

    fn team(&self, field: &str, id: &TeamId) -> Result<&Team> {
        self.teams
            .get(id)
            .ok_or_else(|| Error::validation(field, format!("unknown team `{id}`")))
    }

    fn organisation(&self, field: &str, id: &OrgId) -> Result<&Organisation> {
        self.organisations
            .get(id)
            .ok_or_else(|| Error::validation(field, format!("unknown organisation `{id}`")))
    }
}

/// Everything outside the ticket that a decision depends on.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The current instant.
    pub now: DateTime<Utc>,
    /// The desk's configuration.
    pub config: &'a Config,
    /// Directory facts.
    pub facts: &'a Facts,
}

/// Which teams a decision reads, so a caller loads only those from the directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamsNeeded {
    /// Exactly these (possibly none).
    Named(Vec<TeamId>),
    /// The whole directory: the decision searches it (by level, or by membership).
    All,
}

impl TeamsNeeded {
    /// The teams `decide` will look up for `command`. Kept next to `decide` because the two
    /// must agree: a team missing from the facts would read as an unknown team.
    pub fn of(command: &Command, config: &Config) -> TeamsNeeded {
        match command {
            Command::Open(new) => {
                let routed = match (&new.team, &new.category) {
                    (Some(t), _) => Some(t.clone()),
                    (None, Some(c)) => config
                        .category("category", c)
                        .ok()
                        .and_then(|cat| config.route(&cat).cloned()),
                    (None, None) => None,
                };
                TeamsNeeded::Named(routed.into_iter().collect())
            }
            Command::Assign { .. } | Command::Escalate { .. } | Command::SlaAlert { .. } => {
                TeamsNeeded::All
            }
            _ => TeamsNeeded::Named(Vec::new()),
        }
    }
}

/// The desk itself as an actor, for time-driven work.
pub fn system_actor() -> User {
    User::new("system", "Foliodesk", Role::System)
}

/// Validates `command` by `actor` against `ticket` (`None` for `open`) and returns what
/// happened. Refusals are typed errors; nothing is returned half-done.
pub fn decide(
    ticket: Option<&Ticket>,
    command: &Command,
    actor: &User,
    ctx: &Context<'_>,
) -> Result<Vec<Event>> {
    let kind = command.kind();
    let denied = |reason: &str| Error::PermissionDenied {
        role: actor.role,
        command: kind,
        reason: reason.to_owned(),
    };
    if !actor.active {
        return Err(denied("the user is inactive"));
    }
    let ticket = match (ticket, command) {
        (None, Command::Open(new)) => return open(new, actor, ctx),
        (Some(t), Command::Open(_)) => {
            return Err(Error::InvalidTransition {
                status: t.status,
                command: kind,
            })
        }
        (None, _) => return Err(Error::not_found("ticket", "(none given)")),
        (Some(t), _) => t,
    };
    match access(actor.role, kind) {
        Access::Denied => return Err(denied("the role does not allow it")),
        Access::AsRequester if ticket.requester != actor.id => {
            return Err(denied("only the ticket's requester may do this"))
        }
        Access::AsInvolved if !ticket.involves(&actor.id) => {
            return Err(denied("only the requester or a watcher may do this"))
        }
        _ => {}
    }
    lifecycle::check(ticket.status, kind)?;
    let d = Decision { ticket, actor, ctx };
    match command {
        Command::Open(_) => unreachable!("handled above"),
        Command::Comment { body, visibility } => d.comment(body, *visibility),
        Command::Assign { team, assignee } => d.assign(team.as_ref(), assignee.as_ref()),
        Command::Reclassify { kind, category } => {
            let category = match category {
                Some(path) => Some(ctx.config.category("category", path)?),
                None => ticket.category.clone(),
            };
            let kind = kind.unwrap_or(ticket.kind);
            if kind == ticket.kind && category == ticket.category {
                return Err(Error::validation("category", "nothing to change"));
            }
            Ok(vec![Event::Reclassified { kind, category }])
        }
        Command::ChangePriority(change) => d.change_priority(change),
        Command::SetPending { reason, waiting_on } => Ok(vec![Event::PendingSet {
            reason: text("reason", reason, MAX_TEXT)?,
            waiting_on: *waiting_on,
        }]),
        Command::Resume => Ok(vec![Event::Resumed { on_reply: false }]),
        Command::Escalate { kind, team, reason } => d.escalate(*kind, team.as_ref(), reason),
        Command::ProposeSolution { solution } => {
            ctx.config.security.check(ticket, SecurityStep::Resolve)?;
            Ok(vec![Event::SolutionProposed {
                solution: text("solution", solution, MAX_TEXT)?,
            }])
        }
        Command::ConfirmSolution => Ok(d.confirmed(false)),
        Command::AutoConfirm => {
            let due = ticket
                .milestones
                .resolved_at
                .map(|t| t + ctx.config.auto_confirm_after());
            match due {
                Some(due) if due <= ctx.now => Ok(d.confirmed(true)),
                Some(due) => Err(Error::validation(
                    "now",
                    format!("auto-confirm is due at {due}"),
                )),
                None => Err(Error::storage_msg(
                    "a resolved ticket has no resolution time",
                )),
            }
        }
        Command::RejectSolution { reason } => Ok(vec![Event::SolutionRejected {
            reason: text("reason", reason, MAX_TEXT)?,
        }]),
        Command::Rate { score, comment } => {
            if ticket.satisfaction.is_some() {
                return Err(Error::validation(
                    "satisfaction",
                    "the ticket was already rated",
                ));
            }
            if !(1..=5).contains(score) {
                return Err(Error::validation(
                    "score",
                    format!("{score} is out of range 1..=5"),
                ));
            }
            let comment = comment
                .as_deref()
                .map(|c| text("comment", c, MAX_TEXT))
                .transpose()?;
            Ok(vec![Event::Rated {
                score: *score,
                comment,
            }])
        }
        Command::Close { note } => {
            ctx.config.security.check(ticket, SecurityStep::Close)?;
            let note = note
                .as_deref()
                .map(|n| text("note", n, MAX_TEXT))
                .transpose()?;
            Ok(vec![Event::Closed { note }])
        }
        Command::Cancel { reason, note } => {
            if actor.role == Role::Requester && *reason != CancelReason::Withdrawn {
                return Err(denied("requesters may only withdraw their tickets"));
            }
            Ok(vec![Event::Cancelled {
                reason: *reason,
                note: text("note", note, MAX_TEXT)?,
            }])
        }
        Command::Reopen { reason } => {
            let closed = ticket.milestones.closed_at.unwrap_or(ctx.now);
            if ctx.now - closed > ctx.config.reopen_window() {
                return Err(Error::validation(
                    "reopen_window",
                    format!("the ticket was closed at {closed}, outside the reopen window"),
                ));
            }
            Ok(vec![Event::Reopened {
                reason: text("reason", reason, MAX_TEXT)?,
            }])
        }
        Command::AddWatcher { user } => {
            ctx.facts.user("user", user)?;
            if ticket.involves(user) {
                return Err(Error::validation(
                    "user",
                    format!("`{user}` already follows it"),
                ));
            }
            Ok(vec![Event::WatcherAdded { user: user.clone() }])
        }
        Command::UpdateSecurity(update) => {
            if *update == SecurityRecord::default() {
                return Err(Error::validation("security", "nothing to record"));
            }
            let merged = ticket.security.clone().unwrap_or_default().merged(update);
            merged.validate(ctx.now)?;
            Ok(vec![Event::SecurityUpdated(update.clone())])
        }
        Command::SlaAlert {
            target,
            percent,
            repeat,
            actions,
        } => {
            // Recorded already (by another desk's tick, say): nothing to do twice.
            let fired = ticket
                .sla_alerts
                .iter()
                .any(|a| a.target == *target && a.percent == *percent && a.repeat >= *repeat);
            if fired {
                return Err(Error::InvalidTransition {
                    status: ticket.status,
                    command: CommandKind::SlaAlert,
                });
            }
            Ok(d.sla_alert(*target, *percent, *repeat, actions))
        }
    }
}

/// Trims `value` and checks it is present and not too long.
fn text(field: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::validation(field, "must not be empty"));
    }
    if v.chars().count() > max {
        return Err(Error::validation(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    Ok(v.to_owned())
}

fn clean_list(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for v in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        if !out.iter().any(|o| o == v) {
            out.push(v.to_owned());
        }
    }
    out
}

fn open(new: &NewTicket, actor: &User, ctx: &Context<'_>) -> Result<Vec<Event>> {
    let (config, facts) = (ctx.config, ctx.facts);
    let denied = |reason: &str| Error::PermissionDenied {
        role: actor.role,
        command: CommandKind::Open,
        reason: reason.to_owned(),
    };
    match access(actor.role, CommandKind::Open) {
        Access::Denied => return Err(denied("the role does not allow it")),
        Access::Any => {}
        _ if new.requester != actor.id => {
            return Err(denied("requesters open only for themselves"))
        }
        _ => {
            let staff_fields = [
                ("team", new.team.is_some()),
                ("assignee", new.assignee.is_some()),
                ("possible_causes", !new.possible_causes.is_empty()),
                ("assigned_resources", !new.assigned_resources.is_empty()),
            ];
            if let Some((field, _)) = staff_fields.iter().find(|(_, set)| *set) {
                return Err(denied(&format!("only staff may set `{field}`")));
            }
        }
    }
    let title = text("title", &new.title, MAX_TITLE)?;
    let description = new.description.trim().to_owned();
    if description.chars().count() > MAX_TEXT {
        return Err(Error::validation("description", "is too long"));
    }
    let requester = facts.user("requester", &new.requester)?;
    let organisation = match (&new.organisation, &requester.organisation) {
        (Some(o), own) if actor.role == Role::Requester && own.as_ref() != Some(o) => {
            return Err(denied("requesters open only for their own organisation"))
        }
        (Some(o), _) | (None, Some(o)) => Some(facts.organisation("organisation", o)?),
        (None, None) => None,
    };
    let category = new
        .category
        .as_deref()
        .map(|c| config.category("category", c))
        .transpose()?;
    let impact = new
        .impact
        .map(Impact::new)
        .transpose()?
        .unwrap_or(config.intake.default_impact);
    let urgency = new
        .urgency
        .map(Urgency::new)
        .transpose()?
        .unwrap_or(config.intake.default_urgency);
    if new.users_affected == 0 {
        return Err(Error::validation("users_affected", "must be at least 1"));
    }
    if let Some(sec) = &new.security {
        sec.validate(ctx.now)?;
    }
    let tier = crate::directory::customer_tier(Some(requester), organisation);
    let services = clean_list(&new.services);
    let opened = Opened {
        folio: String::new(),
        kind: new.kind,
        channel: new.channel,
        title,
        description,
        requester: requester.id.clone(),
        organisation: organisation.map(|o| o.id.clone()),
        services: services.clone(),
        configuration_items: clean_list(&new.configuration_items),
        category: category.clone(),
        tags: clean_list(&new.tags),
        impact,
        urgency,
        users_affected: new.users_affected,
        priority: config
            .priority
            .compute(impact, urgency, new.users_affected, tier),
        possible_causes: clean_list(&new.possible_causes),
        assigned_resources: clean_list(&new.assigned_resources),
        security: new.security.clone(),
        level: config.support.entry_level,
    };
    let mut events = vec![Event::Opened(Box::new(opened))];

    // Entitlement (seed step 3): registered, then rejected with the reason on record.
    if let Some(service) = organisation.and_then(|o| o.uncovered(&services)) {
        let org = organisation.map(|o| o.name.as_str()).unwrap_or_default();
        events.push(Event::Cancelled {
            reason: CancelReason::NotEntitled,
            note: format!("service `{service}` is not covered by the contract of {org}"),
        });
        return Ok(events);
    }

    let team = match (&new.team, &category) {
        (Some(t), _) => Some(facts.team("team", t)?),
        (None, Some(cat)) => match config.route(cat) {
            Some(t) => Some(facts.team("categories.team", t)?),
            None => None,
        },
        (None, None) => None,
    };
    let assignee = new
        .assignee
        .as_ref()
        .map(|a| staff_member(facts, "assignee", a))
        .transpose()?;
    if team.is_some() || assignee.is_some() {
        events.push(Event::Assigned {
            team: team.map(|t| t.id.clone()),
            assignee: assignee.map(|a| a.id.clone()),
            level: team.map_or(config.support.entry_level, |t| t.level),
        });
    }
    Ok(events)
}

fn staff_member<'f>(facts: &'f Facts, field: &str, id: &UserId) -> Result<&'f User> {
    let user = facts.user(field, id)?;
    if !user.role.is_staff() {
        return Err(Error::validation(field, format!("`{id}` is not an agent")));
    }
    if !user.active {
        return Err(Error::validation(field, format!("`{id}` is inactive")));
    }
    Ok(user)
}

struct Decision<'a> {
    ticket: &'a Ticket,
    actor: &'a User,
    ctx: &'a Context<'a>,
}

impl Decision<'_> {
    fn comment(&self, body: &str, visibility: Visibility) -> Result<Vec<Event>> {
        let by_staff = self.actor.role.is_staff();
        if !by_staff && visibility == Visibility::Internal {
            return Err(Error::PermissionDenied {
                role: self.actor.role,
                command: CommandKind::Comment,
                reason: "requesters cannot write internal notes".to_owned(),
            });
        }
        let number = u32::try_from(self.ticket.comments.len() + 1).unwrap_or(u32::MAX);
        let mut events = vec![Event::Commented {
            number,
            body: text("body", body, MAX_TEXT)?,
            visibility,
            by_staff,
        }];
        // The requester's reply is what a pending ticket was waiting for.
        if self.ticket.status == Status::Pending && self.actor.id == self.ticket.requester {
            events.push(Event::Resumed { on_reply: true });
        }
        Ok(events)
    }

    fn assign(&self, team: Option<&TeamId>, assignee: Option<&UserId>) -> Result<Vec<Event>> {
        let facts = self.ctx.facts;
        if team.is_none() && assignee.is_none() {
            return Err(Error::validation(
                "assignee",
                "name a team, a technician, or both",
            ));
        }
        let team = team.map(|t| facts.team("team", t)).transpose()?;
        let assignee = assignee
            .map(|a| staff_member(facts, "assignee", a))
            .transpose()?;
        if let (Some(t), Some(a)) = (team, assignee) {
            if !a.teams.contains(&t.id) {
                return Err(Error::validation(
                    "assignee",
                    format!("`{}` is not a member of team `{}`", a.id, t.id),
                ));
            }
        }
        // A technician alone keeps the ticket's team if they belong to it, else takes
        // their own first team.
        let team_id = match (team, assignee) {
            (Some(t), _) => Some(t.id.clone()),
            (None, Some(a)) => match &self.ticket.team {
                Some(current) if a.teams.contains(current) => Some(current.clone()),
                _ => a.teams.first().cloned(),
            },
            (None, None) => None,
        };
        let level = team_id
            .as_ref()
            .and_then(|t| facts.teams.get(t))
            .map_or(self.ticket.level, |t| t.level);
        let assignee_id = match assignee {
            Some(a) => Some(a.id.clone()),
            // A new team without a named technician: the team picks one.
            None if team_id != self.ticket.team => None,
            None => self.ticket.assignee.clone(),
        };
        if team_id == self.ticket.team && assignee_id == self.ticket.assignee {
            return Err(Error::validation(
                "assignee",
                "the ticket is already assigned so",
            ));
        }
        Ok(vec![Event::Assigned {
            team: team_id,
            assignee: assignee_id,
            level,
        }])
    }

    fn change_priority(&self, change: &PriorityChange) -> Result<Vec<Event>> {
        let t = self.ticket;
        let config = self.ctx.config;
        let impact = change
            .impact
            .map(Impact::new)
            .transpose()?
            .unwrap_or(t.impact);
        let urgency = change
            .urgency
            .map(Urgency::new)
            .transpose()?
            .unwrap_or(t.urgency);
        let users_affected = change.users_affected.unwrap_or(t.users_affected);
        if users_affected == 0 {
            return Err(Error::validation("users_affected", "must be at least 1"));
        }
        let manual = match (change.manual, change.clear_manual) {
            (Some(_), true) => {
                return Err(Error::validation("manual", "cannot both set and clear it"));
            }
            (Some(p), false) => {
                let reason = change.reason.as_deref().unwrap_or_default();
                Some(PriorityOverride {
                    priority: Priority::new(p).map_err(|_| {
                        Error::validation("manual", format!("{p} is out of range 1..=5"))
                    })?,
                    by: self.actor.id.clone(),
                    reason: text("reason", reason, MAX_TEXT)?,
                })
            }
            (None, true) => None,
            (None, false) => t.priority_override.clone(),
        };
        let requester = self.ctx.facts.users.get(&t.requester);
        let org = t
            .organisation
            .as_ref()
            .and_then(|o| self.ctx.facts.organisations.get(o));
        let tier = crate::directory::customer_tier(requester, org);
        let computed = config
            .priority
            .compute(impact, urgency, users_affected, tier);
        let priority = manual.as_ref().map_or(computed, |m| m.priority);
        if (impact, urgency, users_affected, &manual)
            == (t.impact, t.urgency, t.users_affected, &t.priority_override)
        {
            return Err(Error::validation("priority", "nothing to change"));
        }
        Ok(vec![Event::PriorityChanged {
            impact,
            urgency,
            users_affected,
            priority,
            manual,
        }])
    }

    fn escalate(
        &self,
        kind: EscalationKind,
        team: Option<&TeamId>,
        reason: &str,
    ) -> Result<Vec<Event>> {
        let (t, facts) = (self.ticket, self.ctx.facts);
        let reason = text("reason", reason, MAX_TEXT)?;
        let from_level = t.level;
        match kind {
            EscalationKind::Functional => {
                let to_level = from_level.next().ok_or_else(|| {
                    Error::validation("level", "the ticket is already at the highest level, n3")
                })?;
                let target = match team {
                    Some(id) => {
                        let team = facts.team("team", id)?;
                        if team.level <= from_level {
                            return Err(Error::validation(
                                "team",
                                format!("`{id}` works at {}, not above {from_level}", team.level),
                            ));
                        }
                        team
                    }
                    None => facts
                        .teams
                        .values()
                        .find(|tm| tm.level == to_level)
                        .ok_or_else(|| {
                            Error::validation("team", format!("no team works at level {to_level}"))
                        })?,
                };
                Ok(vec![Event::Escalated {
                    kind,
                    from_level,
                    to_level: target.level,
                    team: Some(target.id.clone()),
                    notify: target.supervisor.iter().cloned().collect(),
                    reason,
                }])
            }
            EscalationKind::Hierarchical => {
                let team_id = team.or(t.team.as_ref()).ok_or_else(|| {
                    Error::validation("team", "the ticket has no team whose supervisor to alert")
                })?;
                let team = facts.team("team", team_id)?;
                let supervisor = team.supervisor.clone().ok_or_else(|| {
                    Error::validation("team.supervisor", format!("team `{team_id}` has none"))
                })?;
                Ok(vec![Event::Escalated {
                    kind,
                    from_level,
                    to_level: from_level,
                    team: None,
                    notify: vec![supervisor],
                    reason,
                }])
            }
        }
    }

    /// The alert, who hears of it, and the escalations it asks for. An escalation that
    /// cannot happen (already at n3, no supervisor) is left out: the alert still stands.
    fn sla_alert(
        &self,
        target: Target,
        percent: u16,
        repeat: u32,
        actions: &[EscalationAction],
    ) -> Vec<Event> {
        let t = self.ticket;
        let supervisor = t
            .team
            .as_ref()
            .and_then(|id| self.ctx.facts.teams.get(id))
            .and_then(|team| team.supervisor.clone());
        let mut notify: Vec<UserId> = Vec::new();
        for a in actions {
            let who = match a {
                EscalationAction::NotifyAssignee => t.assignee.clone(),
                EscalationAction::NotifyTeam | EscalationAction::NotifySupervisor => {
                    supervisor.clone()
                }
                _ => None,
            };
            if let Some(u) = who.filter(|u| !notify.contains(u)) {
                notify.push(u);
            }
        }
        let mut events = vec![Event::SlaAlert {
            target,
            percent,
            repeat,
            notify,
        }];
        let reason = format!("SLA: {target} at {percent} %");
        for a in actions {
            let kind = match a {
                EscalationAction::Functional => EscalationKind::Functional,
                EscalationAction::Hierarchical => EscalationKind::Hierarchical,
                _ => continue,
            };
            if let Ok(more) = self.escalate(kind, None, &reason) {
                events.extend(more);
            }
        }
        events
    }

    fn confirmed(&self, auto: bool) -> Vec<Event> {
        let mut events = vec![Event::SolutionConfirmed { auto }];
        // A security incident whose record is not complete waits for a person to close it.
        let record_complete = (self.ctx.config.security)
            .missing(self.ticket, SecurityStep::Close)
            .is_empty();
        if !self.ctx.config.lifecycle.require_owner_review && record_complete {
            events.push(Event::Closed {
                note: Some("closed without owner review".to_owned()),
            });
        }
        events
    }
}
