//! The conformance checks. Each is `pub async fn name(h: &dyn Harness)` and panics with a
//! message naming the broken sentence of the contract.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::Duration;

use super::{Harness, Kit};
use crate::classify::{Channel, TicketKind, Visibility};
use crate::command::{Command, NewTicket};
use crate::directory::{Organisation, Role, Team, User};
use crate::error::ErrorKind;
use crate::hash::verify;
use crate::query::{Cursor, Page, QueryTickets, TicketFilter};
use crate::status::{Status, SupportLevel};
use crate::store::Store;
use crate::ticket::Ticket;
use crate::{Category, Priority, TicketId, UserId};

async fn seeded(h: &dyn Harness, name: &str) -> (Arc<dyn Store>, Kit) {
    let store = h.store(name).await;
    let kit = Kit::new();
    kit.seed(store.as_ref()).await;
    (store, kit)
}

async fn all_pages(
    store: &dyn Store,
    filter: &TicketFilter,
    limit: u32,
    newest: bool,
) -> Vec<Ticket> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let q = QueryTickets {
            filter: filter.clone(),
            after,
            limit,
            newest_first: newest,
        };
        let page = store.query(q).await.expect("query");
        assert!(
            page.items.len() <= limit as usize,
            "a page holds at most `limit` tickets"
        );
        out.extend(page.items);
        match page.next {
            Some(c) => after = Some(Cursor::decode(&c).expect("the store's cursor decodes")),
            None => return out,
        }
    }
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

async fn varied_tickets(store: &dyn Store, kit: &Kit) -> Vec<Ticket> {
    let mut out = Vec::new();
    for i in 0..14i64 {
        let kind = if i % 3 == 0 {
            TicketKind::ServiceRequest
        } else {
            TicketKind::Incident
        };
        // Case 9 is the desk's own (a technician's), without an organisation.
        let (actor, requester) = match i {
            9 => ("bob", "bob"),
            _ if i % 2 == 0 => ("ana", "ana"),
            _ => ("leo", "leo"),
        };
        let mut new = NewTicket::new(kind, Channel::Portal, requester, format!("Case {i}"));
        new.category = match i % 4 {
            0 => Some("Hardware".into()),
            1 => Some("Hardware/Printers".into()),
            2 => Some("Network/VPN".into()),
            _ => None,
        };
        new.impact = Some((i % 5 + 1) as u8);
        new.urgency = Some(((i + 2) % 5 + 1) as u8);
        // Same opened_at for pairs, so the id breaks ties.
        let at = Kit::at(i / 2);
        let mut t = store
            .append(kit.open(&format!("q{i:02}"), at, actor, new))
            .await
            .unwrap()
            .ticket;
        if i % 5 == 0 {
            let cmd = Command::Assign {
                team: Some("n2".into()),
                assignee: Some("eva".into()),
            };
            t = store
                .append(kit.then(&t, at + Duration::hours(1), "eva", cmd))
                .await
                .unwrap()
                .ticket;
        }
        if i % 7 == 0 {
            let cmd = Command::AddWatcher { user: "leo".into() };
            if !t.involves(&"leo".into()) {
                t = store
                    .append(kit.then(&t, at + Duration::hours(2), "bob", cmd))
                    .await
                    .unwrap()
                    .ticket;
            }
        }
        out.push(t);
    }
    assert!(
        out.iter().any(|t| t.organisation.is_none()),
        "the fixture has a ticket without an organisation"
    );
    out
}

/// Every filter field returns exactly the tickets the reference `matches` selects, in
/// (opened_at, id) order.
pub async fn query_matches_reference_filter(h: &dyn Harness) {
    let (store, kit) = seeded(h, "query_matches_reference_filter").await;
    let mut tickets = varied_tickets(store.as_ref(), &kit).await;
    tickets.sort_by_key(Cursor::after);
    let cat = |p: &str| Some(Category::parse("category", p).unwrap());
    let filters = vec![
        TicketFilter::default(),
        TicketFilter {
            status: vec![Status::Open],
            ..Default::default()
        },
        TicketFilter {
            status: vec![Status::New, Status::Open],
            ..Default::default()
        },
        TicketFilter {
            kind: vec![TicketKind::ServiceRequest],
            ..Default::default()
        },
        TicketFilter {
            team: Some("n2".into()),
            ..Default::default()
        },
        TicketFilter {
            team: Some("n1".into()),
            ..Default::default()
        },
        TicketFilter {
            assignee: Some("eva".into()),
            ..Default::default()
        },
        TicketFilter {
            unassigned: true,
            ..Default::default()
        },
        TicketFilter {
            requester: Some("leo".into()),
            ..Default::default()
        },
        TicketFilter {
            involving: Some("leo".into()),
            ..Default::default()
        },
        TicketFilter {
            organisation: Some("acme".into()),
            ..Default::default()
        },
        TicketFilter {
            organisation_in: Some(vec![]),
            ..Default::default()
        },
        TicketFilter {
            organisation_in: Some(vec!["acme".into(), "globex".into()]),
            ..Default::default()
        },
        TicketFilter {
            organisation_in: Some(vec!["globex".into()]),
            status: vec![Status::New, Status::Open],
            ..Default::default()
        },
        TicketFilter {
            min_priority: Some(Priority::new(3).unwrap()),
            ..Default::default()
        },
        TicketFilter {
            category: cat("Hardware"),
            ..Default::default()
        },
        TicketFilter {
            category: cat("Hardware/Printers"),
            ..Default::default()
        },
        TicketFilter {
            opened_from: Some(Kit::at(2)),
            opened_to: Some(Kit::at(5)),
            ..Default::default()
        },
        TicketFilter {
            updated_from: Some(Kit::at(30)),
            ..Default::default()
        },
        TicketFilter {
            updated_to: Some(Kit::at(30)),
            ..Default::default()
        },
        TicketFilter {
            status: vec![Status::Open],
            involving: Some("ana".into()),
            category: cat("Hardware"),
            ..Default::default()
        },
    ];
    for f in &filters {
        let expected: Vec<&TicketId> = tickets
            .iter()
            .filter(|t| f.matches(t))
            .map(|t| &t.id)
            .collect();
        let got = all_pages(store.as_ref(), f, 1000, false).await;
        let got: Vec<&TicketId> = got.iter().map(|t| &t.id).collect();
        assert_eq!(got, expected, "filter {f:?}");
        // Small pages, newest first: the same tickets in reverse.
        let back = all_pages(store.as_ref(), f, 2, true).await;
        let back: Vec<&TicketId> = back.iter().rev().map(|t| &t.id).collect();
        assert_eq!(back, expected, "filter {f:?}, newest first, pages of 2");
    }
    let none = TicketFilter {
        requester: Some("nobody".into()),
        ..Default::default()
    };
    assert!(all_pages(store.as_ref(), &none, 10, false).await.is_empty());
}

/// Pages in both directions cover every ticket once, in order, even when tickets change
/// between pages; bad page sizes are refused.
pub async fn pagination_is_stable_and_complete(h: &dyn Harness) {
    let (store, kit) = seeded(h, "pagination_is_stable_and_complete").await;
    let mut tickets = varied_tickets(store.as_ref(), &kit).await;
    tickets.sort_by_key(Cursor::after);
    let ids: Vec<TicketId> = tickets.iter().map(|t| t.id.clone()).collect();
    for limit in [1, 3, 5, 14, 15] {
        let asc = all_pages(store.as_ref(), &TicketFilter::default(), limit, false).await;
        assert_eq!(
            asc.iter().map(|t| t.id.clone()).collect::<Vec<_>>(),
            ids,
            "limit {limit}"
        );
        let desc = all_pages(store.as_ref(), &TicketFilter::default(), limit, true).await;
        let mut rev = ids.clone();
        rev.reverse();
        assert_eq!(
            desc.iter().map(|t| t.id.clone()).collect::<Vec<_>>(),
            rev,
            "desc {limit}"
        );
    }
    // Change a ticket already returned; the next pages neither repeat nor skip.
    let q = |after| QueryTickets {
        filter: TicketFilter::default(),
        after,
        limit: 4,
        newest_first: false,
    };
    let first = store.query(q(None)).await.unwrap();
    let changed = &first.items[0];
    let cmd = Command::Comment {
        body: "bump".into(),
        visibility: Visibility::Public,
    };
    store
        .append(kit.then(changed, Kit::at(500), "bob", cmd))
        .await
        .unwrap();
    let mut seen: Vec<TicketId> = first.items.iter().map(|t| t.id.clone()).collect();
    let mut next = first.next;
    while let Some(c) = next {
        let page = store
            .query(q(Some(Cursor::decode(&c).unwrap())))
            .await
            .unwrap();
        seen.extend(page.items.iter().map(|t| t.id.clone()));
        next = page.next;
    }
    assert_eq!(seen, ids);
    for limit in [0, crate::query::MAX_PAGE + 1] {
        let err = store
            .query(QueryTickets { limit, ..q(None) })
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("limit"));
    }
}

/// `due` returns tickets due at or before `now`, earliest first, and forgets them once
/// they are no longer due.
pub async fn due_index_returns_only_due_tickets(h: &dyn Harness) {
    let (store, kit) = seeded(h, "due_index_returns_only_due_tickets").await;
    let delay = Duration::from_std(kit.config.lifecycle.auto_confirm_after).unwrap();
    let mut resolved = Vec::new();
    for (i, minute) in [(0, 30), (1, 10), (2, 20)] {
        let id = format!("d{i}");
        let mut t = store
            .append(kit.incident(&id, Kit::at(0)))
            .await
            .unwrap()
            .ticket;
        let assign = Command::Assign {
            team: None,
            assignee: Some("bob".into()),
        };
        t = store
            .append(kit.then(&t, Kit::at(1), "bob", assign))
            .await
            .unwrap()
            .ticket;
        let solve = Command::ProposeSolution {
            solution: "done".into(),
        };
        t = store
            .append(kit.then(&t, Kit::at(minute), "bob", solve))
            .await
            .unwrap()
            .ticket;
        resolved.push(t);
    }
    store
        .append(kit.incident("never", Kit::at(0)))
        .await
        .unwrap();
    assert!(store
        .due(Kit::at(10) + delay - Duration::seconds(1), 10)
        .await
        .unwrap()
        .is_empty());
    let due = store.due(Kit::at(20) + delay, 10).await.unwrap();
    let ids: Vec<&str> = due.iter().map(|d| d.ticket_id.as_str()).collect();
    assert_eq!(ids, ["d1", "d2"], "due at or before now, earliest first");
    assert_eq!(due[0].due_at, Kit::at(10) + delay);
    assert_eq!(
        store.due(Kit::at(60) + delay, 1).await.unwrap().len(),
        1,
        "limit applies"
    );
    // Confirming clears the due instant.
    let confirm = kit.then(&resolved[1], Kit::at(40), "ana", Command::ConfirmSolution);
    store.append(confirm).await.unwrap();
    let due = store.due(Kit::at(60) + delay, 10).await.unwrap();
    let ids: Vec<&str> = due.iter().map(|d| d.ticket_id.as_str()).collect();
    assert_eq!(ids, ["d2", "d0"]);
}

/// The SLA-state queue: `sla_due_by` lists tickets whose stored running-SLA due instant is
/// at or before the bound, in keyset order, combined with other conditions, and a ticket
/// whose clocks stop leaves it.
pub async fn sla_due_queue_follows_the_stored_deadline(h: &dyn Harness) {
    let (store, kit) = seeded(h, "sla_due_queue_follows_the_stored_deadline").await;
    let mut tickets = Vec::new();
    for (i, due) in [(0, Some(90)), (1, None), (2, Some(30)), (3, Some(200))] {
        let mut req = kit.incident(&format!("s{i}"), Kit::at(i));
        req.sla_due = due.map(Kit::at);
        let t = store.append(req).await.unwrap().ticket;
        assert_eq!(t.sla_due, due.map(Kit::at), "the projection carries it");
        tickets.push(t);
    }
    let ids = |page: Page<Ticket>| -> Vec<String> {
        page.items.iter().map(|t| t.id.to_string()).collect()
    };
    let query = |by: i64, status: Vec<Status>| QueryTickets {
        filter: TicketFilter {
            sla_due_by: Some(Kit::at(by)),
            status,
            ..Default::default()
        },
        after: None,
        limit: 10,
        newest_first: false,
    };
    assert_eq!(
        ids(store.query(query(90, vec![])).await.unwrap()),
        ["s0", "s2"]
    );
    assert_eq!(
        ids(store.query(query(29, vec![])).await.unwrap()),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(store.query(query(1000, vec![])).await.unwrap()),
        ["s0", "s2", "s3"]
    );
    assert_eq!(
        ids(store.query(query(1000, vec![Status::Open])).await.unwrap()),
        Vec::<String>::new()
    );
    // The clocks of s2 stop: its next append stores no deadline.
    let mut req = kit.then(
        &tickets[2],
        Kit::at(40),
        "bob",
        Command::Assign {
            team: None,
            assignee: Some("bob".into()),
        },
    );
    req.sla_due = None;
    store.append(req).await.unwrap();
    assert_eq!(
        ids(store.query(query(1000, vec![])).await.unwrap()),
        ["s0", "s3"]
    );
    assert_eq!(
        ids(store.query(query(1000, vec![Status::New])).await.unwrap()),
        ["s0", "s3"]
    );
}

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
    let summary: Vec<(u64, &str, &str, bool)> = msgs
        .iter()
        .map(|m| {
            let n = &m.notification;
            (n.sequence, n.recipient.as_str(), n.event.as_str(), n.public)
        })
        .collect();
    assert_eq!(
        summary,
        [
            (2, "ana", "assigned", true),
            (2, "bob", "assigned", true),
            (3, "bob", "commented", false)
        ],
        "ana hears of the assignment, never of the internal note"
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
