//! The acting person as the facade knows them: the directory record and the scope of
//! tickets it may see and act on.

use std::ops::Deref;

use foliodesk_core::store::{Found, Lookup};
use foliodesk_core::view::{self, Scope};
use foliodesk_core::{
    system_actor, Command, Config, Error, Facts, Result, Role, Ticket, TicketFilter, TicketId,
    User, UserId,
};

use crate::Desk;

/// The id a host uses to act as the desk itself: provisioning the directory from its
/// identity provider, reconfiguring from its deployment. People act as themselves.
pub const SYSTEM: &str = "system";

/// A user with their scope.
#[derive(Clone, Debug)]
pub(crate) struct Actor {
    pub user: User,
    pub scope: Scope,
}

impl Deref for Actor {
    type Target = User;

    fn deref(&self) -> &User {
        &self.user
    }
}

impl Actor {
    /// Whether the actor may see (and so act on) `ticket`.
    pub fn can_view(&self, ticket: &Ticket, config: &Config) -> bool {
        view::can_view(&self.user, &self.scope, ticket, config)
    }

    /// `filter` narrowed to what the actor may see.
    pub fn narrow(&self, filter: &mut TicketFilter, config: &Config) {
        view::narrow(&self.user, &self.scope, filter, config);
    }

    /// Refuses unless the actor is on the staff (agent, supervisor, admin).
    pub fn must_be_staff(&self, operation: &'static str, reason: &str) -> Result<()> {
        if self.role.is_staff() {
            return Ok(());
        }
        Err(Error::Forbidden {
            role: self.role,
            operation,
            reason: reason.into(),
        })
    }

    /// Refuses unless the actor is a supervisor or an admin.
    pub fn must_supervise(&self, operation: &'static str) -> Result<()> {
        if matches!(self.role, Role::Supervisor | Role::Admin) {
            return Ok(());
        }
        Err(Error::Forbidden {
            role: self.role,
            operation,
            reason: "it is for supervisors".into(),
        })
    }

    /// Refuses unless the actor oversees the desk: a supervisor, an admin, or the desk
    /// itself (a host's scheduled reports).
    pub fn must_oversee(&self, operation: &'static str) -> Result<()> {
        if self.role == Role::System {
            return Ok(());
        }
        self.must_supervise(operation)
    }

    /// Refuses unless the actor is an admin or the desk itself.
    pub fn must_administer(&self, operation: &'static str) -> Result<()> {
        if foliodesk_core::permission::may_administer(self.role) {
            return Ok(());
        }
        Err(Error::Forbidden {
            role: self.role,
            operation,
            reason: "only an admin may change the directory and the configuration".into(),
        })
    }
}

impl Desk {
    /// One store read ([`Lookup`]): the acting user with their scope (`NotFound` for an
    /// unknown id; [`SYSTEM`] is the desk itself), the ticket when `ticket` names one, and
    /// the directory facts `command` needs.
    pub(crate) async fn read(
        &self,
        actor: &UserId,
        ticket: Option<&TicketId>,
        command: &Command,
    ) -> Result<(Actor, Option<Ticket>, Facts)> {
        // The desk itself, or one of its rules acting under its own name.
        let rule = foliodesk_core::automation::is_rule(actor);
        let system = actor.as_str() == SYSTEM || rule;
        let mut lookup = Lookup::for_command(actor, ticket, command, &self.rules().config);
        if system {
            lookup.actor = None;
        }
        let found = self.store().lookup(&lookup).await?;
        let user = match system {
            true if rule => User::new(actor.clone(), actor.to_string(), Role::System),
            true => system_actor(),
            false => (found.facts.users.get(actor).cloned())
                .ok_or_else(|| Error::not_found("user", actor))?,
        };
        let teams = match user.role {
            Role::Agent | Role::Supervisor => found.teams_of(&user),
            _ => Vec::new(),
        };
        let Found { ticket, mut facts } = found;
        facts.users.insert(user.id.clone(), user.clone());
        let actor = Actor {
            scope: Scope::of(&user, &teams),
            user,
        };
        Ok((actor, ticket, facts))
    }

    /// The acting user with their scope, in one read.
    pub(crate) async fn actor(&self, id: &UserId) -> Result<Actor> {
        Ok(self.read(id, None, &Command::Resume).await?.0)
    }

    /// The ticket if `actor` may see it, with the facts about it, in one read; `NotFound`
    /// also when they may not see it. `Resume` stands for a command that names nobody.
    pub(crate) async fn read_ticket(
        &self,
        actor: &UserId,
        id: &TicketId,
    ) -> Result<(Actor, Ticket, Facts)> {
        let (actor, ticket, facts) = self.read(actor, Some(id), &Command::Resume).await?;
        let ticket = self.visible(&actor, ticket, id)?;
        Ok((actor, ticket, facts))
    }

    /// `ticket` if `actor` may see it; `NotFound` also when they may not.
    pub(crate) fn visible(
        &self,
        actor: &Actor,
        ticket: Option<Ticket>,
        id: &TicketId,
    ) -> Result<Ticket> {
        match ticket {
            Some(t) if actor.can_view(&t, &self.rules().config) => Ok(t),
            _ => Err(Error::not_found("ticket", id)),
        }
    }
}
