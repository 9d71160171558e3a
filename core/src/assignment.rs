//! Choosing a technician (seed 000: automatic assignment; seed 001: balance the work).
//!
//! A team's [`Strategy`] says how a ticket that reaches the team without a named technician
//! gets one: routed at intake, assigned to the team alone, or escalated to it. Only
//! *available* members are candidates — active staff of the team, not away, and inside
//! their working calendar when they have one. When nobody qualifies the ticket waits in
//! the team's queue, as with `manual`.
//!
//! The choice is pure: the desk gathers the candidates with their load and the team's
//! rotation, and [`pick`] decides.
//!
//! ```
//! use foliodesk_core::assignment::Strategy;
//! let s: Strategy = "least_loaded".parse().unwrap();
//! assert_eq!(s, Strategy::LeastLoaded);
//! let err = "fastest".parse::<Strategy>().unwrap_err();
//! assert!(err.to_string().contains("team.assignment"));
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::directory::{Team, User};
use crate::ticket::Ticket;
use crate::vocab::string_enum;
use crate::vocabulary::Category;
use crate::{Error, Result, UserId};

string_enum!(
    /// How a team hands its tickets to its members.
    #[derive(Default)]
    Strategy, "team.assignment" {
        /// Nobody is chosen: the ticket waits in the team's queue.
        #[default]
        Manual = "manual",
        /// Members in turn (by id), starting after the last one chosen.
        RoundRobin = "round_robin",
        /// The member with the least open work, weighted by priority.
        LeastLoaded = "least_loaded",
        /// The least loaded of the members skilled in the ticket's category or a service.
        Skill = "skill",
    }
);

/// A time a user is away (holiday, leave): `from` inclusive, `until` exclusive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Absence {
    /// When the absence starts.
    pub from: DateTime<Utc>,
    /// When they are back.
    pub until: DateTime<Utc>,
}

impl Absence {
    /// Whether `t` falls in the absence.
    pub fn covers(&self, t: DateTime<Utc>) -> bool {
        self.from <= t && t < self.until
    }
}

/// A member of the team with their open work (new, open and pending tickets assigned to
/// them, in any team).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The member.
    pub user: User,
    /// How many tickets they have in hand.
    pub open: u32,
    /// The sum of those tickets' priorities (1–5).
    pub weighted: u32,
}

/// What the desk gathers for a choice: the strategy, the team's members with their load,
/// and the member the rotation last reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staffing {
    /// The team's strategy.
    pub strategy: Strategy,
    /// Its members (available or not: [`pick`] checks).
    pub candidates: Vec<Candidate>,
    /// For round robin: who was chosen last.
    pub last: Option<UserId>,
}

/// The team a ticket needs a technician from after a change (`before` → `after`): the
/// ticket has a team whose strategy is not manual, no technician, is new or open, and the
/// team is new to it (or it was just opened).
pub fn wanted<'t>(
    before: Option<&Ticket>,
    after: &Ticket,
    team: impl FnOnce(&crate::TeamId) -> Option<&'t Team>,
) -> Option<&'t Team> {
    let id = after.team.as_ref()?;
    let arrived = before.is_none_or(|b| b.team.as_ref() != Some(id) || b.assignee.is_some());
    let waiting = matches!(after.status, crate::Status::New | crate::Status::Open);
    if after.assignee.is_some() || !arrived || !waiting {
        return None;
    }
    team(id).filter(|t| t.assignment != Strategy::Manual)
}

/// Whether `user` can take work at `now`: active staff, not away, and inside their
/// working hours when they keep a calendar (`calendar` looks it up by name).
pub fn available<'c>(
    user: &User,
    now: DateTime<Utc>,
    calendar: impl Fn(&str) -> Option<&'c Calendar>,
) -> bool {
    let in_hours = match user.calendar.as_deref() {
        Some(name) => calendar(name).is_some_and(|c| c.is_open(now)),
        None => true,
    };
    user.active && user.role.is_staff() && in_hours && !user.away.iter().any(|a| a.covers(now))
}

/// Whether `user` is skilled for `ticket`: a skill names the ticket's category or an
/// ancestor of it, or one of its services.
pub fn skilled(user: &User, ticket: &Ticket) -> bool {
    user.skills.iter().any(|skill| {
        ticket.services.iter().any(|s| s == skill)
            || ticket
                .category
                .as_ref()
                .is_some_and(|cat| Category::parse("", skill).is_ok_and(|s| cat.is_within(&s)))
    })
}

/// The technician `staffing` gives `ticket` at `now`, if any is available.
pub fn pick<'c>(
    staffing: &Staffing,
    ticket: &Ticket,
    now: DateTime<Utc>,
    calendar: impl Fn(&str) -> Option<&'c Calendar>,
) -> Option<UserId> {
    let mut free: Vec<&Candidate> = staffing
        .candidates
        .iter()
        .filter(|c| available(&c.user, now, &calendar))
        .collect();
    free.sort_by(|a, b| a.user.id.cmp(&b.user.id));
    let lightest = |free: Vec<&Candidate>| {
        free.into_iter()
            .min_by(|a, b| (a.weighted, a.open).cmp(&(b.weighted, b.open)))
            .map(|c| c.user.id.clone())
    };
    match staffing.strategy {
        Strategy::Manual => None,
        Strategy::RoundRobin => {
            let next = staffing
                .last
                .as_ref()
                .and_then(|last| free.iter().find(|c| &c.user.id > last));
            next.or(free.first()).map(|c| c.user.id.clone())
        }
        Strategy::LeastLoaded => lightest(free),
        Strategy::Skill => lightest(
            free.into_iter()
                .filter(|c| skilled(&c.user, ticket))
                .collect(),
        ),
    }
}

/// Checks a user's assignment fields: skills not blank, absences that end after they start.
pub fn validate_user(user: &User) -> Result<()> {
    for (i, s) in user.skills.iter().enumerate() {
        if s.trim().is_empty() {
            return Err(Error::validation(
                format!("user.skills[{i}]"),
                "must not be empty",
            ));
        }
    }
    for (i, a) in user.away.iter().enumerate() {
        if a.until <= a.from {
            return Err(Error::validation(
                format!("user.away[{i}].until"),
                "must be after `from`",
            ));
        }
    }
    if user.role == crate::Role::Requester
        && (!user.skills.is_empty() || user.calendar.is_some() || !user.away.is_empty())
    {
        return Err(Error::validation(
            "user.skills",
            "requesters take no work: no skills, calendar or absences",
        ));
    }
    Ok(())
}
