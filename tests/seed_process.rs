//! The seeds' whole process, end to end through the facade.

mod common;

use chrono::Duration;
use common::{desk, incident};
use foliodesk::*;

#[tokio::test]
async fn one_incident_through_the_whole_process() {
    let f = desk().await;
    let d = &f.desk;
    // Identify + register + classify + prioritise + route.
    let mut new = incident("Printer jams on every page")
        .category("Hardware/Impresoras")
        .impact_urgency(2, 3);
    new.users_affected = 60;
    new.services = vec!["correo".into()];
    let t = d.open_ticket("ana", new).await.unwrap();
    assert_eq!(t.folio, "INC-2026-000001");
    assert_eq!(t.impact.get(), 2, "impact as reported");
    assert_eq!(
        t.priority.get(),
        4,
        "60 users raise impact to 4; matrix[u3][i4] = 4"
    );
    assert_eq!(
        t.team,
        Some("service-desk".into()),
        "routed by the parent category"
    );
    assert_eq!(t.status, Status::New);
    let id = t.id.clone();

    // Assign, analyse with an internal note, ask the requester, who replies.
    f.clock.advance(Duration::minutes(5));
    let t = d
        .assign("bob", &id, None, Some("bob".into()))
        .await
        .unwrap();
    assert_eq!(
        (t.status, t.assignee.clone()),
        (Status::Open, Some("bob".into()))
    );
    d.comment("bob", &id, "Fuser worn out?", Visibility::Internal)
        .await
        .unwrap();
    let t = d.set_pending("bob", &id, "Which floor?").await.unwrap();
    assert_eq!(t.status, Status::Pending);
    f.clock.advance(Duration::minutes(30));
    let t = d
        .comment("ana", &id, "Third floor", Visibility::Public)
        .await
        .unwrap();
    assert_eq!(
        t.status,
        Status::Open,
        "the requester's reply resumes the ticket"
    );
    assert!(
        t.comments
            .iter()
            .all(|c| c.visibility == Visibility::Public),
        "ana's view"
    );

    // Functional escalation to N2, then solution, rejection, second solution.
    let t = d
        .escalate(
            "bob",
            &id,
            EscalationKind::Functional,
            None,
            "Needs the vendor",
        )
        .await
        .unwrap();
    assert_eq!(
        (t.level, t.team.clone(), t.assignee.clone()),
        (SupportLevel::N2, Some("networks".into()), None)
    );
    d.assign("eva", &id, None, Some("eva".into()))
        .await
        .unwrap();
    d.propose_solution("eva", &id, "Replaced the fuser")
        .await
        .unwrap();
    let err = d
        .comment("eva", &id, "more", Visibility::Public)
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::InvalidTransition,
        "locked for technicians"
    );
    let t = d.reject_solution("ana", &id, "Still jams").await.unwrap();
    assert_eq!((t.status, t.reopen_count), (Status::Open, 1));
    d.propose_solution("eva", &id, "Replaced the pickup roller too")
        .await
        .unwrap();
    let t = d.confirm_solution("ana", &id).await.unwrap();
    assert_eq!(t.status, Status::Confirmed);

    // Survey, owner review, closure, reopen within the window.
    let t = d.rate("ana", &id, 5, Some("Great".into())).await.unwrap();
    assert_eq!(t.satisfaction.as_ref().map(|s| s.score), Some(5));
    let err = d.rate("ana", &id, 4, None).await.unwrap_err();
    assert_eq!(err.field(), Some("satisfaction"));
    let err = d.close("eva", &id, None).await.unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::PermissionDenied,
        "the owner closes, not the technician"
    );
    let t = d.close("sue", &id, Some("Reviewed".into())).await.unwrap();
    assert_eq!(t.status, Status::Closed);
    f.clock.advance(Duration::days(31));
    let err = d.reopen("ana", &id, "Back again").await.unwrap_err();
    assert_eq!(err.field(), Some("reopen_window"));

    // The history: complete for staff, public-only for the requester, and intact.
    let staff = d.history("sue", &id).await.unwrap();
    let names: Vec<&str> = staff.iter().map(|e| e.event.type_name()).collect();
    assert_eq!(
        names,
        [
            "opened",
            "assigned",
            "assigned",
            "commented",
            "pending_set",
            "commented",
            "resumed",
            "escalated",
            "assigned",
            "solution_proposed",
            "solution_rejected",
            "solution_proposed",
            "solution_confirmed",
            "rated",
            "closed"
        ]
    );
    let public = d.history("ana", &id).await.unwrap();
    assert_eq!(
        public.len(),
        staff.len() - 2,
        "the internal note and the escalation are hidden"
    );
    assert!(d.verify(&id).await.unwrap().is_intact());
    assert_eq!(
        d.ticket_by_folio("sue", "INC-2026-000001")
            .await
            .unwrap()
            .id,
        id
    );

    // Every interested party was notified; ana never about the internal note.
    let outbox = d.outbox(1000).await.unwrap();
    let tells_ana =
        |m: &&foliodesk::OutboxMessage| m.notification.users.iter().any(|u| u.as_str() == "ana");
    assert!(outbox
        .iter()
        .filter(tells_ana)
        .any(|m| m.notification.event == "closed"));
    assert!(outbox
        .iter()
        .filter(tells_ana)
        .all(|m| m.notification.public));
}

#[tokio::test]
async fn not_entitled_requests_are_registered_then_rejected() {
    let f = desk().await;
    let mut new = incident("Need SAP access");
    new.services = vec!["sap".into()];
    let t = f.desk.open_ticket("ana", new).await.unwrap();
    assert_eq!(t.status, Status::Cancelled);
    let c = t.cancellation.unwrap();
    assert_eq!(c.reason, CancelReason::NotEntitled);
    assert!(c.note.contains("sap"), "{}", c.note);
}

#[tokio::test]
async fn security_incidents_carry_the_iso_27001_record() {
    let f = desk().await;
    let d = &f.desk;
    let mut new = incident("Phishing e-mail opened").category("Seguridad");
    new.security = Some(SecurityRecord {
        discovered_where: Some("Finance, 2nd floor".into()),
        discovered_at: Some("2026-03-02T08:30:00Z".parse().unwrap()),
        discovered_by: Some("Ana Pérez".into()),
        discoverer_action: Some(foliodesk::core::DiscovererAction::Reported),
        reported_to: Some("Service desk".into()),
        ..Default::default()
    });
    let t = d.open_ticket("bob", new).await.unwrap();
    assert_eq!(t.team, Some("security".into()));
    let update = SecurityRecord {
        severity: Some(foliodesk::core::Severity::High),
        responsible_learned_at: Some("2026-03-02T08:50:00Z".parse().unwrap()),
        responsible_action: Some("Reset credentials, blocked sender".into()),
        ..Default::default()
    };
    let t = d.update_security("bob", &t.id, update).await.unwrap();
    let rec = t.security.clone().unwrap();
    assert_eq!(
        rec.discovered_by.as_deref(),
        Some("Ana Pérez"),
        "earlier fields kept"
    );
    assert_eq!(rec.severity, Some(foliodesk::core::Severity::High));
    assert!(
        d.ticket("ana", &t.id).await.unwrap().security.is_none(),
        "hidden from requesters"
    );
    let before = SecurityRecord {
        follow_up_at: Some("2026-03-01T00:00:00Z".parse().unwrap()),
        follow_up_by: Some("CISO".into()),
        ..Default::default()
    };
    let err = d.update_security("bob", &t.id, before).await.unwrap_err();
    assert_eq!(err.field(), Some("security.follow_up_at"));
}

#[tokio::test]
async fn queries_are_filtered_by_actor_and_paginated() {
    let f = desk().await;
    let d = &f.desk;
    for i in 0..7 {
        let requester = if i % 2 == 0 { "ana" } else { "leo" };
        let mut new = NewTicket::new(
            TicketKind::ServiceRequest,
            Channel::Portal,
            requester,
            format!("Request {i}"),
        );
        new.category = Some("Software/Correo".into());
        d.open_ticket(requester, new).await.unwrap();
        f.clock.advance(Duration::seconds(1));
    }
    let mine = d
        .query("ana", TicketFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(mine.items.len(), 4);
    assert!(mine.items.iter().all(|t| t.requester.as_str() == "ana"));
    // A requester cannot widen the filter to someone else.
    let other = TicketFilter {
        requester: Some("leo".into()),
        ..Default::default()
    };
    assert!(d
        .query("ana", other, PageRequest::default())
        .await
        .unwrap()
        .items
        .is_empty());
    let mut seen = Vec::new();
    let mut page = PageRequest {
        limit: 3,
        ..Default::default()
    };
    loop {
        let p = d
            .query("bob", TicketFilter::default(), page.clone())
            .await
            .unwrap();
        seen.extend(p.items.into_iter().map(|t| t.folio));
        match p.next {
            Some(n) => page.after = Some(n),
            None => break,
        }
    }
    let expected: Vec<String> = (1..=7).map(|n| format!("REQ-2026-{n:06}")).collect();
    assert_eq!(seen, expected);
    let leo_ticket = d.ticket_by_folio("bob", "REQ-2026-000002").await.unwrap();
    assert_eq!(
        d.ticket("ana", &leo_ticket.id).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}
