//! The acting person as the facade knows them: the directory record and the scope of
//! tickets it may see and act on.

use std::ops::Deref;

use foliodesk_core::view::{self, Scope};
use foliodesk_core::{
    system_actor, Config, Error, Result, Role, Ticket, TicketFilter, TicketId, User, UserId,
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
    /// The acting user with their scope; `NotFound` for an unknown id. [`SYSTEM`] is the
    /// desk itself.
    pub(crate) async fn actor(&self, id: &UserId) -> Result<Actor> {
        if id.as_str() == SYSTEM {
            let user = system_actor();
            return Ok(Actor {
                scope: Scope::of(&user, &[]),
                user,
            });
        }
        let user = self
            .store()
            .user(id)
            .await?
            .ok_or_else(|| Error::not_found("user", id))?;
        let mut teams = Vec::new();
        if matches!(user.role, Role::Agent | Role::Supervisor) {
            for t in &user.teams {
                teams.extend(self.store().team(t).await?);
            }
        }
        Ok(Actor {
            scope: Scope::of(&user, &teams),
            user,
        })
    }

    /// The ticket if `actor` may see it; `NotFound` also when they may not.
    pub(crate) async fn visible_ticket(&self, actor: &Actor, id: &TicketId) -> Result<Ticket> {
        match self.store().ticket(id).await? {
            Some(t) if actor.can_view(&t, &self.rules().config) => Ok(t),
            _ => Err(Error::not_found("ticket", id)),
        }
    }
}
