//! Ticket edits through the facade: a staff member flags a major incident after opening
//! (seed 001, continuity), and management hears of that change and every public one after.

mod common;

use common::{desk, incident};
use foliodesk::*;

#[tokio::test]
async fn tagging_a_major_incident_after_opening_brings_in_management() {
    let f = desk().await;
    let d = &f.desk;
    let t = d
        .open_ticket("ana", incident("Correo caído"))
        .await
        .unwrap();
    let told = |rows: &[OutboxMessage], event: &str| {
        rows.iter()
            .filter(|r| r.notification.event == event)
            .flat_map(|r| r.notification.users.iter().map(|u| u.to_string()))
            .collect::<Vec<_>>()
    };
    let rows = d.outbox(100).await.unwrap();
    assert!(!told(&rows, "opened").contains(&"ciso".to_owned()));

    let flag = TicketEdit {
        tags: Some(vec!["major-incident".into()]),
        users_affected: Some(300),
        ..Default::default()
    };
    let after = d.edit("bob", &t.id, flag).await.unwrap();
    assert_eq!(after.tags, ["major-incident"]);
    assert!(after.priority > t.priority, "300 users raise the priority");
    d.comment("bob", &t.id, "Estamos en ello", Visibility::Public)
        .await
        .unwrap();
    let rows = d.outbox(100).await.unwrap();
    assert!(
        told(&rows, "edited").contains(&"ciso".to_owned()),
        "{rows:#?}"
    );
    assert!(told(&rows, "commented").contains(&"ciso".to_owned()));

    // The history says who changed what from what.
    let history = d.history("sue", &t.id).await.unwrap();
    let Some(Event::Edited(e)) = history
        .iter()
        .map(|e| &e.event)
        .find(|e| e.type_name() == "edited")
    else {
        panic!("an edited event")
    };
    let tags = e.tags.as_ref().unwrap();
    assert_eq!((tags.before.len(), tags.after.len()), (0, 1));

    // A requester may not (the example configuration grants nothing); typed.
    let mine = TicketEdit {
        title: Some("Mi correo".into()),
        ..Default::default()
    };
    let e = d.edit("ana", &t.id, mine).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
}
