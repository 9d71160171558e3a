//! From outbox rows to people: groups expanded against the directory as it is at delivery,
//! the rules applied that no configuration may break.

use std::collections::BTreeMap;

use crate::directory::{Organisation, Role, Team, User};
use crate::{OrgId, TeamId, UserId};

use super::policy::{Locale, NotifyConfig};
use super::Notification;

/// The directory a delivery resolves against.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    /// Users by id.
    pub users: BTreeMap<UserId, User>,
    /// Teams by id.
    pub teams: BTreeMap<TeamId, Team>,
    /// Organisations by id.
    pub organisations: BTreeMap<OrgId, Organisation>,
}

impl Directory {
    /// A directory from the store's lists.
    pub fn new(users: Vec<User>, teams: Vec<Team>, organisations: Vec<Organisation>) -> Self {
        Directory {
            users: users.into_iter().map(|u| (u.id.clone(), u)).collect(),
            teams: teams.into_iter().map(|t| (t.id.clone(), t)).collect(),
            organisations: organisations
                .into_iter()
                .map(|o| (o.id.clone(), o))
                .collect(),
        }
    }

    /// The language `user` reads: theirs, else their organisation's, else the desk's.
    pub fn locale(&self, user: &User, desk: Locale) -> Locale {
        user.locale
            .or_else(|| {
                let org = user.organisation.as_ref()?;
                self.organisations.get(org)?.locale
            })
            .unwrap_or(desk)
    }
}

/// One person and the rows (indexes into the resolved slice) they hear of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    /// Who.
    pub user: User,
    /// Which rows, in row order.
    pub rows: Vec<usize>,
}

/// Everyone who hears of `rows`, in a fixed order (by user id), each once per row.
///
/// Whatever the configuration says: inactive and unknown users hear nothing; requesters
/// never hear of staff-only events; the actor is not told of their own act unless
/// `notify_actor`, except the requester's folio confirmation and survey invitation.
pub fn resolve(rows: &[Notification], dir: &Directory, config: &NotifyConfig) -> Vec<Recipient> {
    let mut by_user: BTreeMap<&UserId, Vec<usize>> = BTreeMap::new();
    for (i, n) in rows.iter().enumerate() {
        let members = n.teams.iter().flat_map(|team| {
            dir.users
                .values()
                .filter(move |u| u.teams.contains(team))
                .map(|u| &u.id)
        });
        let supervisors = n
            .supervisors
            .iter()
            .filter_map(|t| dir.teams.get(t)?.supervisor.as_ref());
        let contacts = n
            .organisations
            .iter()
            .filter_map(|o| dir.organisations.get(o))
            .flat_map(|o| o.contacts.iter());
        for id in n
            .users
            .iter()
            .chain(members)
            .chain(supervisors)
            .chain(contacts)
        {
            let Some(user) = dir.users.get(id) else {
                continue;
            };
            // The folio confirmation and the survey invitation reach the requester even
            // when they acted themselves.
            let confirmation =
                matches!(n.event.as_str(), "opened" | "solution_confirmed") && *id == n.requester;
            if !user.active
                || (!n.public && user.role == Role::Requester)
                || (*id == n.actor && !config.notify_actor && !confirmation)
            {
                continue;
            }
            let list = by_user.entry(id).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    by_user
        .into_iter()
        .filter_map(|(id, rows)| {
            Some(Recipient {
                user: dir.users.get(id)?.clone(),
                rows,
            })
        })
        .collect()
}
