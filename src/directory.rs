//! The directory through the facade: people, organisations and teams. Reading is open to
//! the host; changing it is for admins and the desk itself ([`crate::SYSTEM`]).

use foliodesk_core::{Error, Organisation, Result, Team, TeamId, User, UserId};

use crate::Desk;

impl Desk {
    /// Creates or replaces a user, as `actor` (an admin, or [`crate::SYSTEM`]).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use foliodesk::{Desk, Role, User, SYSTEM};
    /// let desk = Desk::open("memory://").await?;
    /// desk.put_user(SYSTEM, User::new("root", "Root", Role::Admin)).await?;
    /// desk.put_user("root", User::new("ana", "Ana", Role::Requester)).await?;
    /// let denied = desk.put_user("ana", User::new("eve", "Eve", Role::Admin)).await;
    /// assert_eq!(denied.unwrap_err().kind(), foliodesk::ErrorKind::PermissionDenied);
    /// # Ok::<(), foliodesk::Error>(()) }).unwrap();
    /// ```
    pub async fn put_user(&self, actor: impl Into<UserId>, user: User) -> Result<()> {
        self.actor(&actor.into())
            .await?
            .must_administer("put_user")?;
        user.validate()?;
        if let Some(name) = &user.calendar {
            if self.rules().sla.calendar(name).is_none() {
                return Err(Error::validation(
                    "user.calendar",
                    format!("no calendar `{name}` in sla.calendars"),
                ));
            }
        }
        if foliodesk_core::automation::is_rule(&user.id) {
            return Err(Error::validation(
                "user.id",
                "ids starting with `rule:` are the desk's rules",
            ));
        }
        if user.id.as_str() == crate::SYSTEM {
            return Err(Error::validation(
                "user.id",
                "`system` is reserved for the desk itself",
            ));
        }
        self.store().put_user(user).await
    }

    /// A user, or `NotFound`.
    pub async fn user(&self, id: impl Into<UserId>) -> Result<User> {
        let id = id.into();
        self.store()
            .user(&id)
            .await?
            .ok_or_else(|| Error::not_found("user", id))
    }

    /// All users.
    pub async fn users(&self) -> Result<Vec<User>> {
        self.store().users().await
    }

    /// Creates or replaces an organisation, as `actor` (an admin, or [`crate::SYSTEM`]).
    pub async fn put_organisation(
        &self,
        actor: impl Into<UserId>,
        organisation: Organisation,
    ) -> Result<()> {
        self.actor(&actor.into())
            .await?
            .must_administer("put_organisation")?;
        organisation.validate()?;
        self.store().put_organisation(organisation).await
    }

    /// An organisation, or `NotFound`.
    pub async fn organisation(&self, id: &str) -> Result<Organisation> {
        let found = self.store().organisation(&id.into()).await?;
        found.ok_or_else(|| Error::not_found("organisation", id))
    }

    /// All organisations.
    pub async fn organisations(&self) -> Result<Vec<Organisation>> {
        self.store().organisations().await
    }

    /// Creates or replaces a team, as `actor` (an admin, or [`crate::SYSTEM`]). A
    /// supervisor, if named, must be a known user.
    pub async fn put_team(&self, actor: impl Into<UserId>, team: Team) -> Result<()> {
        self.actor(&actor.into())
            .await?
            .must_administer("put_team")?;
        team.validate()?;
        let known = match &team.supervisor {
            Some(s) => self.store().user(s).await?.is_some(),
            None => true,
        };
        team.check_supervisor(known)?;
        self.store().put_team(team).await
    }

    /// A team, or `NotFound`.
    pub async fn team(&self, id: &str) -> Result<Team> {
        let found = self.store().team(&TeamId::new(id)).await?;
        found.ok_or_else(|| Error::not_found("team", id))
    }

    /// All teams.
    pub async fn teams(&self) -> Result<Vec<Team>> {
        self.store().teams().await
    }
}
