//! Conformance check for [`Store::lookup`](crate::store::Store::lookup): one read answers
//! what a decision needs, exactly as the entry-by-entry reference does.

use std::collections::BTreeSet;

use super::checks::seeded;
use super::{Harness, Kit};
use crate::decide::TeamsNeeded;
use crate::store::lookup::in_parts;
use crate::store::Lookup;
use crate::{Organisation, UserId};

fn ids<K: Clone + Ord, V>(map: &std::collections::BTreeMap<K, V>) -> Vec<K> {
    map.keys().cloned().collect()
}

/// The actor and their teams, the ticket with its requester and organisation, named
/// people and organisations, named or all teams; unknown ids are absent; the answer equals
/// the reference built from single reads.
pub async fn lookup_reads_one_decision(h: &dyn Harness) {
    let (store, kit) = seeded(h, "lookup_reads_one_decision").await;
    store
        .put_organisation(Organisation::new("beta", "Beta"))
        .await
        .unwrap();
    store.append(kit.incident("t1", Kit::at(0))).await.unwrap();

    // An agent on a ticket, naming a colleague and someone unknown.
    let lookup = Lookup {
        actor: Some("bob".into()),
        ticket: Some("t1".into()),
        users: BTreeSet::from([UserId::new("eva"), UserId::new("nobody")]),
        organisations: BTreeSet::from(["beta".into(), "gone".into()]),
        teams: TeamsNeeded::Named(vec!["n2".into(), "none".into()]),
    };
    let found = store.lookup(&lookup).await.unwrap();
    assert_eq!(found.ticket.as_ref().map(|t| t.id.0.as_str()), Some("t1"));
    let users: Vec<UserId> = ids(&found.facts.users);
    assert_eq!(
        users,
        ["ana", "bob", "eva"].map(UserId::new),
        "actor, requester, named"
    );
    let orgs: Vec<String> = ids(&found.facts.organisations)
        .into_iter()
        .map(|o| o.0)
        .collect();
    assert_eq!(orgs, ["acme", "beta"], "the requester's and the named one");
    let teams: Vec<String> = ids(&found.facts.teams).into_iter().map(|t| t.0).collect();
    assert_eq!(teams, ["n1", "n2"], "the actor's team and the named one");
    assert_eq!(found, in_parts(store.as_ref(), &lookup).await.unwrap());

    // All teams; a missing ticket and actor read as absent, not as errors.
    let lookup = Lookup {
        actor: Some("ghost".into()),
        ticket: Some("t404".into()),
        users: BTreeSet::new(),
        organisations: BTreeSet::new(),
        teams: TeamsNeeded::All,
    };
    let found = store.lookup(&lookup).await.unwrap();
    assert!(found.ticket.is_none() && found.facts.users.is_empty());
    assert_eq!(found.facts.teams.len(), 2);
    assert_eq!(found, in_parts(store.as_ref(), &lookup).await.unwrap());

    // A requester opening: no ticket, their organisation comes with them.
    let lookup = Lookup {
        actor: Some("leo".into()),
        ticket: None,
        users: BTreeSet::new(),
        organisations: BTreeSet::new(),
        teams: TeamsNeeded::Named(Vec::new()),
    };
    let found = store.lookup(&lookup).await.unwrap();
    assert_eq!(ids(&found.facts.users), [UserId::new("leo")]);
    assert_eq!(found.facts.organisations.len(), 1);
    assert!(
        found.facts.teams.is_empty(),
        "requesters' teams are not read"
    );
    assert_eq!(found, in_parts(store.as_ref(), &lookup).await.unwrap());
}
