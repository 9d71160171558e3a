//! Users, organisations and teams: the directory the desk decides against.

use serde::{Deserialize, Serialize};

use crate::ids::validate_id;
use crate::status::SupportLevel;
use crate::vocab::string_enum;
use crate::{Error, OrgId, Result, TeamId, UserId};

string_enum!(
    /// What a user may do (see [`crate::permission`]).
    Role, "role" {
        /// An end user: opens, follows, validates and rates their own tickets.
        Requester = "requester",
        /// A technician at a support level.
        Agent = "agent",
        /// An agent who also reviews and closes (the owner).
        Supervisor = "supervisor",
        /// Everything.
        Admin = "admin",
        /// The desk itself, for time-driven work; never given to a user.
        System = "system",
    }
);

impl Role {
    /// Agents, supervisors and admins: the people who work tickets.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Agent | Role::Supervisor | Role::Admin)
    }
}

/// A person who uses the desk. In its serde form only `id`, `name` and `role` are
/// required; `teams` defaults to none and `active` to true.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// Stable id chosen by the host application.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// Contact address for notifications.
    pub email: Option<String>,
    /// What the user may do.
    pub role: Role,
    /// Support level, for staff.
    pub level: Option<SupportLevel>,
    /// Teams the user works in, for staff.
    #[serde(default)]
    pub teams: Vec<TeamId>,
    /// The customer organisation, for requesters.
    pub organisation: Option<OrgId>,
    /// Customer tier (`vip`…); overrides the organisation's.
    pub tier: Option<String>,
    /// Inactive users cannot act.
    #[serde(default = "active")]
    pub active: bool,
    /// The language of their notifications; else the organisation's, else the desk's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<crate::notify::Locale>,
    /// For staff: the categories (a category covers those below it) and services they
    /// know, for teams that assign by skill.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
    /// For staff: the business calendar (a key of `sla.calendars`) of their working
    /// hours; outside them they are not given new tickets. None: always available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// For staff: times they are away and not given new tickets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub away: Vec<crate::assignment::Absence>,
}

fn active() -> bool {
    true
}

impl User {
    /// A new active user with only the required fields set.
    ///
    /// ```
    /// use foliodesk_core::{Role, User};
    /// let ana = User::new("ana", "Ana Pérez", Role::Requester);
    /// assert!(ana.active);
    /// ```
    pub fn new(id: impl Into<UserId>, name: impl Into<String>, role: Role) -> User {
        User {
            id: id.into(),
            name: name.into(),
            email: None,
            role,
            level: None,
            teams: Vec::new(),
            organisation: None,
            tier: None,
            active: true,
            locale: None,
            skills: Vec::new(),
            calendar: None,
            away: Vec::new(),
        }
    }

    /// Checks the fields a store must never hold wrong.
    pub fn validate(&self) -> Result<()> {
        validate_id("user.id", self.id.as_str())?;
        if self.name.trim().is_empty() {
            return Err(Error::validation("user.name", "must not be empty"));
        }
        if self.role == Role::System {
            return Err(Error::validation(
                "user.role",
                "`system` is reserved for the desk",
            ));
        }
        if self.role == Role::Requester && (self.level.is_some() || !self.teams.is_empty()) {
            return Err(Error::validation(
                "user.level",
                "requesters have no level or teams",
            ));
        }
        crate::assignment::validate_user(self)
    }
}

/// The customer tier a ticket is served at: its requester's, else their organisation's.
/// The one tier rule, for the priority bonus and SLA policy selection.
pub fn customer_tier<'a>(
    requester: Option<&'a User>,
    organisation: Option<&'a Organisation>,
) -> Option<&'a str> {
    requester
        .and_then(|u| u.tier.as_deref())
        .or_else(|| organisation.and_then(|o| o.tier.as_deref()))
}

/// A customer organisation and what its contract covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Stable id.
    pub id: OrgId,
    /// Display name.
    pub name: String,
    /// Customer tier (`vip`, `gold`…), which may raise priority.
    pub tier: Option<String>,
    /// Services covered by the contract; `None` means every service.
    pub services: Option<Vec<String>>,
    /// People told of the organisation's tickets (the `organisation` audience).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<UserId>,
    /// The language of its people's notifications, unless a user has their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<crate::notify::Locale>,
}

impl Organisation {
    /// A new organisation covered for every service.
    pub fn new(id: impl Into<OrgId>, name: impl Into<String>) -> Organisation {
        Organisation {
            id: id.into(),
            name: name.into(),
            tier: None,
            services: None,
            contacts: Vec::new(),
            locale: None,
        }
    }

    /// Checks the fields a store must never hold wrong.
    pub fn validate(&self) -> Result<()> {
        validate_id("organisation.id", self.id.as_str())?;
        if self.name.trim().is_empty() {
            return Err(Error::validation("organisation.name", "must not be empty"));
        }
        Ok(())
    }

    /// The first of `services` the contract does not cover, if any.
    pub fn uncovered<'a>(&self, services: &'a [String]) -> Option<&'a String> {
        let covered = self.services.as_ref()?;
        services.iter().find(|s| !covered.contains(s))
    }
}

/// A support team at one level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// Stable id.
    pub id: TeamId,
    /// Display name.
    pub name: String,
    /// The support level the team works at.
    pub level: SupportLevel,
    /// Who is notified on hierarchical escalation.
    #[serde(default)]
    pub supervisor: Option<UserId>,
    /// The organisations whose tickets the team's members see and work; `None` (the
    /// default) serves every organisation. A provider serving several customer companies
    /// keeps each customer's agents to that customer's tickets.
    #[serde(default)]
    pub serves: Option<Vec<OrgId>>,
    /// How tickets that reach the team get a technician (default `manual`).
    #[serde(default, skip_serializing_if = "is_manual")]
    pub assignment: crate::assignment::Strategy,
}

fn is_manual(s: &crate::assignment::Strategy) -> bool {
    *s == crate::assignment::Strategy::Manual
}

impl Team {
    /// A new team without a supervisor.
    pub fn new(id: impl Into<TeamId>, name: impl Into<String>, level: SupportLevel) -> Team {
        Team {
            id: id.into(),
            name: name.into(),
            level,
            supervisor: None,
            serves: None,
            assignment: crate::assignment::Strategy::Manual,
        }
    }

    /// The team as the configuration lists it, merged with the directory's record: the
    /// configuration wins on name, level and served organisations; a supervisor set
    /// through the directory is kept unless the configuration names one.
    pub fn merged_with(&self, stored: Option<&Team>) -> Team {
        let mut team = self.clone();
        if team.supervisor.is_none() {
            team.supervisor = stored.and_then(|t| t.supervisor.clone());
        }
        team
    }

    /// Refuses a supervisor the directory does not know (`known`: whether it does).
    pub fn check_supervisor(&self, known: bool) -> Result<()> {
        match &self.supervisor {
            Some(s) if !known => Err(Error::validation(
                "team.supervisor",
                format!("unknown user `{s}`"),
            )),
            _ => Ok(()),
        }
    }

    /// Checks the fields a store must never hold wrong.
    pub fn validate(&self) -> Result<()> {
        validate_id("team.id", self.id.as_str())?;
        if self.name.trim().is_empty() {
            return Err(Error::validation("team.name", "must not be empty"));
        }
        for (i, org) in self.serves.iter().flatten().enumerate() {
            validate_id(&format!("team.serves[{i}]"), org.as_str())?;
        }
        Ok(())
    }
}
