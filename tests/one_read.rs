//! One store read before deciding (issue 19): every command reads what it decides on in
//! one `lookup` and writes in one `append`, counted through a store that records each call
//! it passes on. Nothing is cached, so two desks on one database never decide on stale
//! directory facts: shown with a role change made through the other desk.

mod common;

use std::sync::Arc;

use common::{desk_at, example_config, incident};
use foliodesk::core::store::memory::MemoryStore;
use foliodesk::core::testkit::Observed;
use foliodesk::*;

#[tokio::test]
async fn each_command_reads_once_then_writes_once() {
    let counting = Arc::new(Observed::new(Arc::new(MemoryStore::new())));
    let options = DeskOptions {
        config: Some(example_config()),
        clock: None,
    };
    let d = Desk::with_store(counting.clone(), options).await.unwrap();
    for (id, role, team) in [
        ("ana", Role::Requester, None),
        ("bob", Role::Agent, Some("service-desk")),
        ("eva", Role::Agent, Some("networks")),
    ] {
        let mut u = User::new(id, id.to_uppercase(), role);
        u.teams = team.into_iter().map(TeamId::from).collect();
        d.put_user(SYSTEM, u).await.unwrap();
    }
    counting.take();
    let mut vpn = incident("VPN caída");
    vpn.category = Some("Red/VPN".into());
    let t = d.open_ticket("ana", vpn).await.unwrap();
    assert_eq!(counting.take(), ["lookup", "append"], "open");
    d.assign("bob", &t.id, None, Some("bob".into()))
        .await
        .unwrap();
    assert_eq!(counting.take(), ["lookup", "append"], "assign");
    d.comment("bob", &t.id, "Mirando", Visibility::Public)
        .await
        .unwrap();
    assert_eq!(counting.take(), ["lookup", "append"], "comment");
    let reason = "needs the network team";
    d.escalate("bob", &t.id, EscalationKind::Functional, None, reason)
        .await
        .unwrap();
    assert_eq!(
        counting.take(),
        ["lookup", "append"],
        "escalate (reads every team)"
    );
    d.ticket("ana", &t.id).await.unwrap();
    assert_eq!(counting.take(), ["lookup"], "a read is one read too");
}

/// Nothing is cached: what one desk changes in the directory, the other decides on at its
/// next command.
#[tokio::test]
async fn two_desks_on_one_database_decide_on_current_facts() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("shared.db").display());
    let a = desk_at(&url, example_config()).await;
    let b = Desk::open(&url).await.unwrap();
    let opened = b.open_ticket("ana", incident("Sin correo")).await.unwrap();
    b.comment("bob", &opened.id, "Visto", Visibility::Internal)
        .await
        .unwrap();
    let mut bob = a.desk.user("bob").await.unwrap();
    bob.active = false;
    a.desk.put_user(SYSTEM, bob).await.unwrap();
    let refused = b
        .comment("bob", &opened.id, "Otra", Visibility::Internal)
        .await;
    assert_eq!(refused.unwrap_err().kind(), ErrorKind::PermissionDenied);
    let mut bob = b.user("bob").await.unwrap();
    bob.active = true;
    b.put_user(SYSTEM, bob).await.unwrap();
    a.desk
        .comment("bob", &opened.id, "De vuelta", Visibility::Internal)
        .await
        .unwrap();
}
