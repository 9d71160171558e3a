//! Conformance checks for the records beside tickets: the directory, the configuration,
//! the outbox, and what unknown ids read as.

use super::checks::seeded;
use super::{Harness, Kit};
use crate::command::Command;
use crate::directory::{Organisation, Role, Team, User};
use crate::status::SupportLevel;
use crate::vocabulary::Visibility;
use crate::UserId;

/// Users, organisations and teams round-trip, replace, list by id, and invalid ones are
/// refused.
pub async fn directory_round_trips(h: &dyn Harness) {
    let store = h.store("directory_round_trips").await;
    let mut zoe = User::new("zoe", "Zoë Núñez", Role::Agent);
    zoe.email = Some("zoe@example.com".into());
    zoe.level = Some(SupportLevel::N3);
    zoe.teams = vec!["n3".into(), "sec".into()];
    zoe.tier = Some("vip".into());
    store.put_user(zoe.clone()).await.unwrap();
    store
        .put_user(User::new("abe", "Abe", Role::Requester))
        .await
        .unwrap();
    assert_eq!(store.user(&"zoe".into()).await.unwrap(), Some(zoe.clone()));
    zoe.active = false;
    store.put_user(zoe.clone()).await.unwrap();
    assert_eq!(store.user(&"zoe".into()).await.unwrap(), Some(zoe.clone()));
    let ids: Vec<String> = store
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.id.0)
        .collect();
    assert_eq!(ids, ["abe", "zoe"]);
    let err = store
        .put_user(User::new("x", " ", Role::Agent))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("user.name"));
    assert!(
        store.user(&"x".into()).await.unwrap().is_none(),
        "nothing half-written"
    );

    let mut org = Organisation::new("acme", "ACME S.A.");
    org.tier = Some("gold".into());
    org.services = Some(vec!["email".into(), "vpn".into()]);
    store.put_organisation(org.clone()).await.unwrap();
    store
        .put_organisation(Organisation::new("beta", "Beta"))
        .await
        .unwrap();
    assert_eq!(store.organisation(&"acme".into()).await.unwrap(), Some(org));
    assert_eq!(store.organisations().await.unwrap().len(), 2);

    let mut team = Team::new("sec", "Security", SupportLevel::N3);
    team.supervisor = Some(UserId::new("zoe"));
    store.put_team(team.clone()).await.unwrap();
    store
        .put_team(Team::new("n1", "Desk", SupportLevel::N1))
        .await
        .unwrap();
    assert_eq!(store.team(&"sec".into()).await.unwrap(), Some(team));
    let ids: Vec<String> = store
        .teams()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id.0)
        .collect();
    assert_eq!(ids, ["n1", "sec"]);
    let err = store
        .put_team(Team::new("", "Nameless", SupportLevel::N1))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("team.id"));
}

/// The configuration is stored with the desk.
pub async fn config_round_trips(h: &dyn Harness) {
    let store = h.store("config_round_trips").await;
    assert_eq!(store.load_config().await.unwrap(), None);
    let json = Kit::new().config.to_json();
    store.save_config(json.clone()).await.unwrap();
    store.save_config(json.clone()).await.unwrap();
    assert_eq!(store.load_config().await.unwrap(), Some(json));
}

/// Notifications land in the outbox with the append, in order, and leave when acknowledged.
pub async fn outbox_is_written_with_the_append(h: &dyn Harness) {
    let (store, kit) = seeded(h, "outbox_is_written_with_the_append").await;
    let t = store
        .append(kit.incident("t1", Kit::at(0)))
        .await
        .unwrap()
        .ticket;
    let assign = Command::Assign {
        team: None,
        assignee: Some("bob".into()),
    };
    let t = store
        .append(kit.then(&t, Kit::at(1), "sue", assign))
        .await
        .unwrap()
        .ticket;
    let note = Command::Comment {
        body: "internal".into(),
        visibility: Visibility::Internal,
    };
    let t = store
        .append(kit.then(&t, Kit::at(2), "sue", note))
        .await
        .unwrap()
        .ticket;
    let msgs = store.outbox(100).await.unwrap();
    let summary: Vec<(u64, Vec<&str>, &str, bool)> = msgs
        .iter()
        .map(|m| {
            let n = &m.notification;
            let users = n.users.iter().map(|u| u.as_str()).collect();
            (n.sequence, users, n.event.as_str(), n.public)
        })
        .collect();
    assert_eq!(
        summary,
        [
            (1, vec!["ana"], "opened", true),
            (2, vec!["bob"], "assigned", true),
            (3, vec!["bob"], "commented", false)
        ],
        "ana has her folio; bob hears of the assignment; ana never of the internal note"
    );
    assert!(msgs.windows(2).all(|w| w[0].id < w[1].id), "ids increase");
    assert!(msgs.iter().all(|m| m.notification.folio == t.folio));
    store.ack_outbox(&[msgs[0].id, msgs[2].id]).await.unwrap();
    let left = store.outbox(100).await.unwrap();
    assert_eq!(left, vec![msgs[1].clone()]);
    assert_eq!(store.outbox(0).await.unwrap().len(), 0);
}

/// Unknown ids read as absent, never as errors.
pub async fn unknown_ids_read_as_absent(h: &dyn Harness) {
    let store = h.store("unknown_ids_read_as_absent").await;
    assert!(store.ticket(&"nope".into()).await.unwrap().is_none());
    assert!(store
        .ticket_by_folio("INC-2026-999999")
        .await
        .unwrap()
        .is_none());
    assert!(store.events(&"nope".into()).await.unwrap().is_empty());
    assert!(store.user(&"nope".into()).await.unwrap().is_none());
    assert!(store.team(&"nope".into()).await.unwrap().is_none());
    assert!(store.organisation(&"nope".into()).await.unwrap().is_none());
    assert!(store.due(Kit::at(0), 10).await.unwrap().is_empty());
}
