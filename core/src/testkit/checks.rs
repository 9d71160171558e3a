//! The conformance checks. Each is `pub async fn name(h: &dyn Harness)` and panics with a
//! message naming the broken sentence of the contract.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::Duration;

use super::{Harness, Kit};
use crate::command::{Command, NewTicket};
use crate::error::ErrorKind;
use crate::hash::verify;
use crate::status::Status;
use crate::store::Store;
use crate::ticket::Ticket;
use crate::vocabulary::{Channel, TicketKind, Visibility};

pub(super) async fn seeded(h: &dyn Harness, name: &str) -> (Arc<dyn Store>, Kit) {
    let store = h.store(name).await;
    let kit = Kit::new();
    kit.seed(store.as_ref()).await;
    (store, kit)
}

/// A new ticket gets its folio; reads by id and folio return the projection; its history
/// verifies.
pub async fn append_new_ticket_then_read(h: &dyn Harness) {
    let (store, kit) = seeded(h, "append_new_ticket_then_read").await;
    let done = store
        .append(kit.incident("t1", Kit::at(0)))
        .await
        .expect("append");
    assert_eq!(done.ticket.folio, "INC-2026-000001");
    assert_eq!(done.ticket.version, 1);
    assert_eq!(done.events.len(), 1);
    let read = store
        .ticket(&"t1".into())
        .await
        .unwrap()
        .expect("ticket is stored");
    assert_eq!(
        read, done.ticket,
        "the projection read back equals the appended state"
    );
    let by_folio = store
        .ticket_by_folio("INC-2026-000001")
        .await
        .unwrap()
        .expect("by folio");
    assert_eq!(by_folio.id.as_str(), "t1");
    let events = store.events(&"t1".into()).await.unwrap();
    assert_eq!(
        events, done.events,
        "stored events equal the returned envelopes"
    );
    assert!(verify(&events).is_intact());
    assert_eq!(
        Ticket::replay(&events).unwrap(),
        read,
        "fold(events) == projection"
    );
}

/// Later appends extend the chain; the projection follows.
pub async fn append_follow_up_events(h: &dyn Harness) {
    let (store, kit) = seeded(h, "append_follow_up_events").await;
    let mut t = store
        .append(kit.incident("t1", Kit::at(0)))
        .await
        .unwrap()
        .ticket;
    let steps = [
        (
            "bob",
            Command::Assign {
                team: None,
                assignee: Some("bob".into()),
            },
        ),
        (
            "bob",
            Command::Comment {
                body: "Looking".into(),
                visibility: Visibility::Internal,
            },
        ),
        (
            "bob",
            Command::SetPending {
                reason: "Which printer?".into(),
                waiting_on: crate::WaitingOn::Requester,
            },
        ),
        (
            "ana",
            Command::Comment {
                body: "3rd floor".into(),
                visibility: Visibility::Public,
            },
        ),
        (
            "bob",
            Command::ProposeSolution {
                solution: "Replaced the fuser".into(),
            },
        ),
    ];
    for (i, (actor, cmd)) in steps.into_iter().enumerate() {
        let req = kit.then(&t, Kit::at(10 * (i as i64 + 1)), actor, cmd);
        t = store.append(req).await.expect("follow-up append").ticket;
    }
    assert_eq!(t.status, Status::Resolved);
    let events = store.events(&t.id).await.unwrap();
    assert_eq!(events.len() as u64, t.version);
    assert_eq!(
        t.version, 7,
        "open + assign + note + pending + reply (+resume) + solution"
    );
    assert!(verify(&events).is_intact());
    assert_eq!(Ticket::replay(&events).unwrap(), t);
    assert_eq!(store.ticket(&t.id).await.unwrap().unwrap(), t);
}

/// Text comes back byte for byte, whatever it holds (quotes, backslashes, control
/// characters, any script, emoji), and so do ids that are not plain words.
pub async fn awkward_text_and_ids_round_trip(h: &dyn Harness) {
    let (store, kit) = seeded(h, "awkward_text_and_ids_round_trip").await;
    let awkward = "It's \"down\" \\ C:\\VPN\n\ttab; -- not SQL; $$ `x` %_ ü 漢字 🎫 \u{1}";
    let id = "ticket 1/ü'\"x";
    let mut new = NewTicket::new(TicketKind::Incident, Channel::Email, "ana", awkward);
    new.description = awkward.repeat(20);
    let t = store
        .append(kit.open(id, Kit::at(0), "ana", new))
        .await
        .expect("append with awkward text")
        .ticket;
    assert_eq!(t.title, awkward);
    let reply = Command::Comment {
        body: awkward.into(),
        visibility: Visibility::Public,
    };
    let t = store
        .append(kit.then(&t, Kit::at(1), "ana", reply))
        .await
        .expect("follow-up on an awkward id")
        .ticket;
    let read = store.ticket(&id.into()).await.unwrap().expect("stored");
    assert_eq!(read, t, "the projection reads back unchanged");
    assert_eq!(read.description, awkward.repeat(20));
    let events = store.events(&id.into()).await.unwrap();
    assert_eq!(events.len(), 2);
    assert!(
        verify(&events).is_intact(),
        "hashes over awkward text verify"
    );
    assert_eq!(Ticket::replay(&events).unwrap(), t);
    let outbox = store.outbox(100).await.unwrap();
    assert!(
        outbox
            .iter()
            .all(|m| m.notification.ticket_id.as_str() == id),
        "notifications keep the ticket id"
    );
}

/// A stale `expected_version` is a `Conflict` and changes nothing.
pub async fn stale_version_is_conflict_and_writes_nothing(h: &dyn Harness) {
    let (store, kit) = seeded(h, "stale_version_is_conflict_and_writes_nothing").await;
    let t0 = store
        .append(kit.incident("t1", Kit::at(0)))
        .await
        .unwrap()
        .ticket;
    let cmd = || Command::Comment {
        body: "hello".into(),
        visibility: Visibility::Public,
    };
    let t1 = store
        .append(kit.then(&t0, Kit::at(1), "bob", cmd()))
        .await
        .unwrap()
        .ticket;
    let before_outbox = store.outbox(1000).await.unwrap().len();
    let err = store
        .append(kit.then(&t0, Kit::at(2), "bob", cmd()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    let again = store
        .append(kit.incident("t1", Kit::at(3)))
        .await
        .unwrap_err();
    assert_eq!(
        again.kind(),
        ErrorKind::Conflict,
        "re-opening an existing id: {again}"
    );
    assert_eq!(store.ticket(&t0.id).await.unwrap().unwrap(), t1);
    assert_eq!(store.events(&t0.id).await.unwrap().len(), 2);
    assert_eq!(
        store.outbox(1000).await.unwrap().len(),
        before_outbox,
        "no outbox rows"
    );
}

/// Of 8 concurrent appends at one version, exactly one wins.
pub async fn concurrent_appends_exactly_one_wins(h: &dyn Harness) {
    let (store, kit) = seeded(h, "concurrent_appends_exactly_one_wins").await;
    let kit = Arc::new(kit);
    let t = store
        .append(kit.incident("t1", Kit::at(0)))
        .await
        .unwrap()
        .ticket;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (store, req) = (
                store.clone(),
                kit.then(
                    &t,
                    Kit::at(1),
                    "bob",
                    Command::Comment {
                        body: format!("racer {i}"),
                        visibility: Visibility::Public,
                    },
                ),
            );
            tokio::spawn(async move { store.append(req).await })
        })
        .collect();
    let mut wins = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(_) => wins += 1,
            Err(e) => assert_eq!(e.kind(), ErrorKind::Conflict, "{e}"),
        }
    }
    assert_eq!(wins, 1, "exactly one concurrent append wins");
    let events = store.events(&t.id).await.unwrap();
    assert_eq!(events.len(), 2);
    assert!(verify(&events).is_intact());
}

/// Folios count per kind and year with no gaps, even after failed appends.
pub async fn folios_are_gap_free_per_kind_and_year(h: &dyn Harness) {
    let (store, kit) = seeded(h, "folios_are_gap_free_per_kind_and_year").await;
    let request = |id: &str, kind: TicketKind, at| {
        kit.open(
            id,
            at,
            "ana",
            NewTicket::new(kind, Channel::Portal, "ana", id),
        )
    };
    let mut folios = Vec::new();
    for (id, kind) in [
        ("a", TicketKind::Incident),
        ("b", TicketKind::ServiceRequest),
    ] {
        folios.push(
            store
                .append(request(id, kind, Kit::at(0)))
                .await
                .unwrap()
                .ticket
                .folio,
        );
    }
    // A failing append (the id exists) must not consume a number.
    let err = store
        .append(request("a", TicketKind::Incident, Kit::at(1)))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    for (id, kind) in [
        ("c", TicketKind::Incident),
        ("d", TicketKind::ServiceRequest),
    ] {
        folios.push(
            store
                .append(request(id, kind, Kit::at(2)))
                .await
                .unwrap()
                .ticket
                .folio,
        );
    }
    let next_year = Kit::t0() + Duration::days(365);
    folios.push(
        store
            .append(request("e", TicketKind::Incident, next_year))
            .await
            .unwrap()
            .ticket
            .folio,
    );
    assert_eq!(
        folios,
        [
            "INC-2026-000001",
            "REQ-2026-000001",
            "INC-2026-000002",
            "REQ-2026-000002",
            "INC-2027-000001"
        ]
    );
}

/// 8 tasks × 10 opens: 80 distinct, gap-free folios.
pub async fn concurrent_opens_get_unique_folios(h: &dyn Harness) {
    let (store, kit) = seeded(h, "concurrent_opens_get_unique_folios").await;
    let kit = Arc::new(kit);
    let tasks: Vec<_> = (0..8)
        .map(|w| {
            let (store, kit) = (store.clone(), kit.clone());
            tokio::spawn(async move {
                let mut folios = Vec::new();
                for i in 0..10 {
                    let req = kit.incident(&format!("w{w}-{i}"), Kit::at(i));
                    folios.push(store.append(req).await.expect("open").ticket.folio);
                }
                folios
            })
        })
        .collect();
    let mut all = BTreeSet::new();
    for task in tasks {
        all.extend(task.await.expect("task"));
    }
    let expected: BTreeSet<String> = (1..=80).map(|n| format!("INC-2026-{n:06}")).collect();
    assert_eq!(
        all, expected,
        "folios are unique and gap-free under concurrency"
    );
}
