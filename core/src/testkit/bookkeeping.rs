//! Conformance checks for the writes beside appends: `reschedule`, `meta`, checkpoints.

use super::{Harness, Kit};
use crate::command::Command;
use crate::error::ErrorKind;
use crate::query::{QueryTickets, TicketFilter};
use crate::store::Reschedule;

/// `reschedule` moves the due entry and the stored SLA due instant (the projection and the
/// SLA-state queue agree), leaves events alone, and writes nothing once the ticket moved on.
pub async fn reschedule_moves_due_and_sla_queue(h: &dyn Harness) {
    let store = h.store("reschedule_moves_due_and_sla_queue").await;
    let kit = Kit::new();
    kit.seed(store.as_ref()).await;
    let mut req = kit.incident("r1", Kit::at(0));
    req.due_at = Some(Kit::at(10));
    req.sla_due = Some(Kit::at(60));
    let t = store.append(req).await.unwrap().ticket;
    let events_before = store.events(&t.id).await.unwrap();
    assert_eq!(store.due(Kit::at(10), 10).await.unwrap().len(), 1);

    let mut moved = t.clone();
    moved.sla_due = Some(Kit::at(500));
    let wrote = store
        .reschedule(Reschedule {
            ticket: moved,
            due_at: Some(Kit::at(300)),
            fact: None,
        })
        .await
        .unwrap();
    assert!(wrote, "a ticket at the given version is rescheduled");
    assert!(
        store.due(Kit::at(299), 10).await.unwrap().is_empty(),
        "the old due entry is gone"
    );
    let due = store.due(Kit::at(300), 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].due_at, Kit::at(300));
    let stored = store.ticket(&t.id).await.unwrap().unwrap();
    assert_eq!(
        stored.sla_due,
        Some(Kit::at(500)),
        "the projection carries it"
    );
    assert_eq!(stored.version, t.version);
    let queue = |by: i64| QueryTickets {
        filter: TicketFilter {
            sla_due_by: Some(Kit::at(by)),
            ..Default::default()
        },
        after: None,
        limit: 10,
        newest_first: false,
    };
    assert!(store.query(queue(100)).await.unwrap().items.is_empty());
    assert_eq!(store.query(queue(500)).await.unwrap().items.len(), 1);
    assert_eq!(store.events(&t.id).await.unwrap(), events_before);

    // Clearing both leaves the index and the queue.
    let mut cleared = stored.clone();
    cleared.sla_due = None;
    let req = Reschedule {
        ticket: cleared,
        due_at: None,
        fact: None,
    };
    assert!(store.reschedule(req).await.unwrap());
    assert!(store.due(Kit::at(100_000), 10).await.unwrap().is_empty());
    assert!(store.query(queue(100_000)).await.unwrap().items.is_empty());

    // A stale version writes nothing.
    let assign = Command::Assign {
        team: None,
        assignee: Some("bob".into()),
    };
    let after = store
        .append(kit.then(&stored, Kit::at(5), "bob", assign))
        .await
        .unwrap()
        .ticket;
    let mut stale = stored.clone();
    stale.sla_due = Some(Kit::at(1));
    let req = Reschedule {
        ticket: stale,
        due_at: Some(Kit::at(1)),
        fact: None,
    };
    assert!(!store.reschedule(req).await.unwrap(), "the ticket moved on");
    assert!(store.due(Kit::at(1), 10).await.unwrap().is_empty());
    let now = store.ticket(&t.id).await.unwrap().unwrap();
    assert_eq!(now, after, "nothing written");

    // An unknown ticket is not created.
    let mut ghost = stored;
    ghost.id = "ghost".into();
    let req = Reschedule {
        ticket: ghost,
        due_at: Some(Kit::at(1)),
        fact: None,
    };
    assert!(!store.reschedule(req).await.unwrap());
    assert!(store.ticket(&"ghost".into()).await.unwrap().is_none());
}

/// `meta` returns what `put_meta` last wrote; `None` removes it; keys are independent.
pub async fn meta_round_trips(h: &dyn Harness) {
    let store = h.store("meta_round_trips").await;
    assert_eq!(store.meta("a.b").await.unwrap(), None);
    store
        .put_meta("a.b", Some("{\"x\":1}".into()))
        .await
        .unwrap();
    store.put_meta("c", Some("ñ ✓".into())).await.unwrap();
    store
        .put_meta("a.b", Some("{\"x\":2}".into()))
        .await
        .unwrap();
    assert_eq!(
        store.meta("a.b").await.unwrap().as_deref(),
        Some("{\"x\":2}")
    );
    assert_eq!(store.meta("c").await.unwrap().as_deref(), Some("ñ ✓"));
    store.put_meta("a.b", None).await.unwrap();
    assert_eq!(store.meta("a.b").await.unwrap(), None);
    assert_eq!(store.meta("c").await.unwrap().as_deref(), Some("ñ ✓"));
    store.put_meta("never", None).await.unwrap();
}

/// Checkpoints come back in order from `after`; a number is taken once (`Conflict`).
pub async fn checkpoints_are_numbered_once(h: &dyn Harness) {
    let store = h.store("checkpoints_are_numbered_once").await;
    assert!(store.checkpoints(0).await.unwrap().is_empty());
    for seq in 1..=3 {
        store
            .append_checkpoint(seq, format!("{{\"seq\":{seq}}}"))
            .await
            .unwrap();
    }
    let err = store
        .append_checkpoint(2, "{\"other\":true}".into())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert_eq!(
        store.checkpoints(0).await.unwrap(),
        ["{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}"]
    );
    assert_eq!(store.checkpoints(2).await.unwrap(), ["{\"seq\":3}"]);
    assert!(store.checkpoints(3).await.unwrap().is_empty());
}
