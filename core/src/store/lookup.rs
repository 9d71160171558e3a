//! What a command reads before deciding — the acting user and their teams, the ticket, the
//! people, organisations and teams the decision consults — asked of the store in one call,
//! so a backend can answer from one snapshot.

use std::collections::BTreeSet;

use crate::decide::{Facts, TeamsNeeded};
use crate::directory::{Role, Team, User};
use crate::ticket::Ticket;
use crate::{Command, Config, OrgId, Result, TicketId, UserId};

use super::Store;

/// One read before deciding. Each backend answers it with [`Store::lookup`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lookup {
    /// The acting user: they and (for staff) their teams come back.
    pub actor: Option<UserId>,
    /// The ticket acted on: it, its requester and its organisation come back.
    pub ticket: Option<TicketId>,
    /// Further people the command names.
    pub users: BTreeSet<UserId>,
    /// Further organisations (a new ticket's).
    pub organisations: BTreeSet<OrgId>,
    /// The teams the decision reads.
    pub teams: TeamsNeeded,
}

/// The answer to a [`Lookup`]: the ticket if it exists, and the directory entries found
/// (users, the organisations of every user found, teams). Unknown ids are simply absent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Found {
    /// The ticket, when one was asked for and exists.
    pub ticket: Option<Ticket>,
    /// The directory entries.
    pub facts: Facts,
}

impl Lookup {
    /// What `command` by `actor` on `ticket` (`None` when opening) reads.
    pub fn for_command(
        actor: &UserId,
        ticket: Option<&TicketId>,
        command: &Command,
        config: &Config,
    ) -> Lookup {
        let mut organisations = BTreeSet::new();
        if let Command::Open(new) = command {
            organisations.extend(new.organisation.clone());
        }
        Lookup {
            actor: Some(actor.clone()),
            ticket: ticket.cloned(),
            users: command.referenced_users().into_iter().collect(),
            organisations,
            teams: TeamsNeeded::of(command, config),
        }
    }

    /// The people to read once the ticket is known.
    pub fn people(&self, ticket: Option<&Ticket>) -> BTreeSet<UserId> {
        let mut users = self.users.clone();
        users.extend(self.actor.clone());
        users.extend(ticket.map(|t| t.requester.clone()));
        users
    }

    /// The organisations to read once the people and the ticket are known.
    pub fn organisations<'a>(
        &self,
        ticket: Option<&Ticket>,
        users: impl IntoIterator<Item = &'a User>,
    ) -> BTreeSet<OrgId> {
        let mut orgs = self.organisations.clone();
        orgs.extend(ticket.and_then(|t| t.organisation.clone()));
        orgs.extend(users.into_iter().filter_map(|u| u.organisation.clone()));
        orgs
    }

    /// The teams to read by id (`None`: all of them) once the actor is known.
    pub fn team_ids(&self, actor: Option<&User>) -> Option<BTreeSet<crate::TeamId>> {
        match &self.teams {
            TeamsNeeded::All => None,
            TeamsNeeded::Named(ids) => {
                let mut ids: BTreeSet<_> = ids.iter().cloned().collect();
                if let Some(a) = actor.filter(|a| matches!(a.role, Role::Agent | Role::Supervisor))
                {
                    ids.extend(a.teams.iter().cloned());
                }
                Some(ids)
            }
        }
    }
}

impl Found {
    /// The teams of `user` among those found.
    pub fn teams_of(&self, user: &User) -> Vec<Team> {
        user.teams
            .iter()
            .filter_map(|t| self.facts.teams.get(t).cloned())
            .collect()
    }
}

/// Answers `lookup` with the store's single-entry reads: the reference every backend's
/// [`Store::lookup`] must agree with, and the default for backends without a better one.
pub async fn in_parts<S: Store + ?Sized>(store: &S, lookup: &Lookup) -> Result<Found> {
    let ticket = match &lookup.ticket {
        Some(id) => store.ticket(id).await?,
        None => None,
    };
    let mut found = Found::default();
    for id in lookup.people(ticket.as_ref()) {
        if let Some(u) = store.user(&id).await? {
            found.facts.users.insert(id, u);
        }
    }
    for id in lookup.organisations(ticket.as_ref(), found.facts.users.values()) {
        if let Some(o) = store.organisation(&id).await? {
            found.facts.organisations.insert(id, o);
        }
    }
    let actor = lookup.actor.as_ref().and_then(|a| found.facts.users.get(a));
    match lookup.team_ids(actor) {
        None => {
            for t in store.teams().await? {
                found.facts.teams.insert(t.id.clone(), t);
            }
        }
        Some(ids) => {
            for id in ids {
                if let Some(t) = store.team(&id).await? {
                    found.facts.teams.insert(id, t);
                }
            }
        }
    }
    found.ticket = ticket;
    Ok(found)
}
