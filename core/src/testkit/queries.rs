//! Conformance checks for reads: the reference filter, keyset pagination, the due index and
//! the SLA-state queue.

use chrono::Duration;

use super::checks::seeded;
use super::{Harness, Kit};
use crate::command::{Command, NewTicket};
use crate::query::{Cursor, Page, QueryTickets, TicketFilter};
use crate::status::Status;
use crate::store::Store;
use crate::ticket::Ticket;
use crate::vocabulary::{Channel, TicketKind, Visibility};
use crate::{Category, Priority, TicketId};

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
