//! What each actor may see: the one redaction rule every path that hands data to an actor
//! goes through (tickets, queries, histories, SLA views; notifications use
//! [`Event::is_public`] from here too).
//!
//! Staff-only, for requesters:
//! - events: internal notes, escalations, priority work, reclassification, watchers, the
//!   security record, SLA alerts ([`Event::is_public`]);
//! - fields of a ticket and of its `opened` event: possible causes, assigned resources, the
//!   ISO 27001 record, who overrode the priority and why, SLA alerts and escalation count;
//! - in SLA views: the internal budgets (OLA) per support level.
//!
//! Visibility: a requester sees tickets they are involved in (or, if configured, their
//! organisation's); staff see tickets of the organisations their teams serve ([`Scope`]);
//! admins see everything.

use std::collections::BTreeSet;

use crate::config::Config;
use crate::directory::{Role, Team, User};
use crate::event::{Event, EventEnvelope, Opened};
use crate::query::TicketFilter;
use crate::sla::SlaView;
use crate::ticket::Ticket;
use crate::vocabulary::Visibility;
use crate::OrgId;

/// Which organisations' tickets a staff member may see and act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every organisation (admins; staff in a team that serves all).
    All,
    /// Tickets of these organisations, and tickets without one.
    Organisations(BTreeSet<OrgId>),
}

impl Scope {
    /// The scope of `actor`, given the teams they work in (`teams`: the directory's records
    /// of `actor.teams`; unknown teams count as serving nobody).
    ///
    /// ```
    /// use foliodesk_core::view::Scope;
    /// use foliodesk_core::{Role, SupportLevel, Team, User};
    /// let mut bob = User::new("bob", "Bob", Role::Agent);
    /// bob.teams = vec!["acme-desk".into()];
    /// let mut team = Team::new("acme-desk", "ACME desk", SupportLevel::N1);
    /// team.serves = Some(vec!["acme".into()]);
    /// let scope = Scope::of(&bob, &[team]);
    /// assert!(scope.covers(Some(&"acme".into())));
    /// assert!(!scope.covers(Some(&"globex".into())));
    /// ```
    pub fn of(actor: &User, teams: &[Team]) -> Scope {
        match actor.role {
            Role::Admin | Role::System => Scope::All,
            Role::Requester => Scope::Organisations(BTreeSet::new()),
            Role::Agent | Role::Supervisor => {
                let mut orgs = BTreeSet::new();
                for team in teams.iter().filter(|t| actor.teams.contains(&t.id)) {
                    match &team.serves {
                        None => return Scope::All,
                        Some(list) => orgs.extend(list.iter().cloned()),
                    }
                }
                Scope::Organisations(orgs)
            }
        }
    }

    /// Whether a ticket of `organisation` is within the scope.
    pub fn covers(&self, organisation: Option<&OrgId>) -> bool {
        match (self, organisation) {
            (Scope::All, _) | (_, None) => true,
            (Scope::Organisations(set), Some(o)) => set.contains(o),
        }
    }

    /// The organisations, or `None` for all: what a query filters on.
    pub fn organisations(&self) -> Option<Vec<OrgId>> {
        match self {
            Scope::All => None,
            Scope::Organisations(set) => Some(set.iter().cloned().collect()),
        }
    }
}

/// Whether `actor`, with `scope`, may see `ticket` at all.
pub fn can_view(actor: &User, scope: &Scope, ticket: &Ticket, config: &Config) -> bool {
    match actor.role {
        Role::Requester => {
            ticket.involves(&actor.id)
                || (config.lifecycle.requesters_see_organisation
                    && actor.organisation.is_some()
                    && actor.organisation == ticket.organisation)
        }
        _ => scope.covers(ticket.organisation.as_ref()),
    }
}

/// `filter` narrowed to the tickets `actor` (with `scope`) may see: requesters to their own
/// (or, if configured, their organisation's), staff to their scope.
pub fn narrow(actor: &User, scope: &Scope, filter: &mut TicketFilter, config: &Config) {
    if actor.role == Role::Requester {
        if config.lifecycle.requesters_see_organisation && actor.organisation.is_some() {
            filter.organisation.clone_from(&actor.organisation);
        } else {
            filter.involving = Some(actor.id.clone());
        }
    } else if let Some(scope) = scope.organisations() {
        filter.organisation_in = Some(match filter.organisation_in.take() {
            Some(asked) => asked.into_iter().filter(|o| scope.contains(o)).collect(),
            None => scope,
        });
    }
}

/// Whether `actor` may dry-run SLA escalations: staff only (the thresholds and actions
/// are internal).
pub fn may_simulate_sla(actor: &User) -> bool {
    actor.role.is_staff()
}

fn sees_staff_fields(actor: &User) -> bool {
    actor.role != Role::Requester
}

/// The ticket as `actor` may see it.
pub fn redact(actor: &User, mut ticket: Ticket) -> Ticket {
    if !sees_staff_fields(actor) {
        ticket
            .comments
            .retain(|c| c.visibility == Visibility::Public);
        ticket
            .attachments
            .retain(|a| a.visibility == Visibility::Public);
        ticket.possible_causes.clear();
        ticket.assigned_resources.clear();
        ticket.security = None;
        ticket.priority_override = None;
        ticket.sla_alerts.clear();
        ticket.escalation_count = 0;
        ticket.hierarchical_escalations = 0;
        ticket.milestones.alerted_at = None;
        ticket.problem = None;
        ticket.problem_id = None;
    }
    ticket
}

fn redact_opened(opened: &mut Opened) {
    opened.possible_causes.clear();
    opened.assigned_resources.clear();
    opened.security = None;
}

/// One event as `actor` may see it: `None` when it is staff-only. A redacted event keeps
/// its stored hashes, so it no longer verifies: verification is for staff and auditors.
pub fn event(actor: &User, mut env: EventEnvelope) -> Option<EventEnvelope> {
    if sees_staff_fields(actor) {
        return Some(env);
    }
    if !env.event.is_public() {
        return None;
    }
    match &mut env.event {
        Event::Opened(o) => redact_opened(o),
        Event::Edited(e) => **e = std::mem::take(&mut **e).redacted(),
        _ => {}
    }
    Some(env)
}

/// The history as `actor` may see it.
pub fn history(actor: &User, events: Vec<EventEnvelope>) -> Vec<EventEnvelope> {
    events.into_iter().filter_map(|e| event(actor, e)).collect()
}

/// An SLA view as `actor` may see it.
pub fn sla(actor: &User, mut view: SlaView) -> SlaView {
    if !sees_staff_fields(actor) {
        for t in &mut view.targets {
            t.levels.clear();
        }
    }
    view
}
