//! Bad input: a typed error naming the field or rule, and the ticket unchanged.

mod common;

use common::{desk, incident};
use foliodesk::*;

#[tokio::test]
async fn intake_errors_name_the_field() {
    let f = desk().await;
    let d = &f.desk;
    let cases: Vec<(NewTicket, &str)> = vec![
        (incident("   "), "title"),
        (incident(&"x".repeat(251)), "title"),
        (
            NewTicket {
                requester: "ghost".into(),
                ..incident("t")
            },
            "requester",
        ),
        (
            NewTicket {
                team: Some("nope".into()),
                ..incident("t")
            },
            "team",
        ),
        (
            NewTicket {
                assignee: Some("ana".into()),
                ..incident("t")
            },
            "assignee",
        ),
        (incident("t").category("Hardware/Nope"), "category"),
        (incident("t").category("Hardware//X"), "category"),
        (incident("t").impact_urgency(0, 3), "impact"),
        (incident("t").impact_urgency(3, 6), "urgency"),
        (
            NewTicket {
                users_affected: 0,
                ..incident("t")
            },
            "users_affected",
        ),
        (
            NewTicket {
                organisation: Some("nope".into()),
                ..incident("t")
            },
            "organisation",
        ),
    ];
    for (new, field) in cases {
        let err = d.open_ticket("bob", new).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
        assert_eq!(err.field(), Some(field), "{err}");
    }
    let page = d
        .query("bob", TicketFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert!(page.items.is_empty(), "nothing half-written");
    let err = d.open_ticket("ghost", incident("t")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let err = d
        .open_ticket(
            "ana",
            NewTicket {
                requester: "leo".into(),
                ..incident("t")
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
}

#[tokio::test]
async fn command_errors_leave_the_ticket_unchanged() {
    let f = desk().await;
    let d = &f.desk;
    let t = d
        .open_ticket("ana", incident("VPN down").category("Red/VPN"))
        .await
        .unwrap();
    let id = t.id.clone();
    let before = d.ticket("sue", &id).await.unwrap();
    let prio = |impact| PriorityChange {
        impact: Some(impact),
        ..Default::default()
    };
    let manual = PriorityChange {
        manual: Some(5),
        ..Default::default()
    };
    let attempts: Vec<(Result<Ticket>, ErrorKind, Option<&str>)> = vec![
        (
            d.assign("ana", &id, None, Some("bob".into())).await,
            ErrorKind::PermissionDenied,
            None,
        ),
        (
            d.assign("bob", &id, Some("ghost".into()), None).await,
            ErrorKind::Validation,
            Some("team"),
        ),
        (
            d.assign("bob", &id, Some("networks".into()), Some("bob".into()))
                .await,
            ErrorKind::Validation,
            Some("assignee"),
        ),
        (
            d.change_priority("bob", &id, prio(9)).await,
            ErrorKind::Validation,
            Some("impact"),
        ),
        (
            d.change_priority("bob", &id, manual).await,
            ErrorKind::Validation,
            Some("reason"),
        ),
        (
            d.reclassify("bob", &id, None, Some("Nope".into())).await,
            ErrorKind::Validation,
            Some("category"),
        ),
        (
            d.comment("bob", &id, " ", Visibility::Public).await,
            ErrorKind::Validation,
            Some("body"),
        ),
        (
            d.set_pending("bob", &id, "why").await,
            ErrorKind::InvalidTransition,
            None,
        ),
        (
            d.confirm_solution("ana", &id).await,
            ErrorKind::InvalidTransition,
            None,
        ),
        (
            d.rate("ana", &id, 5, None).await,
            ErrorKind::InvalidTransition,
            None,
        ),
        (
            d.escalate("bob", &id, EscalationKind::Hierarchical, None, "help")
                .await,
            ErrorKind::Validation,
            Some("team.supervisor"),
        ),
        (
            d.add_watcher("bob", &id, "ana").await,
            ErrorKind::Validation,
            Some("user"),
        ),
        (
            d.execute("ana", &id, Command::AutoConfirm).await,
            ErrorKind::PermissionDenied,
            None,
        ),
    ];
    for (got, kind, field) in attempts {
        let err = got.unwrap_err();
        assert_eq!(err.kind(), kind, "{err}");
        assert_eq!(err.field(), field, "{err}");
    }
    assert_eq!(d.ticket("sue", &id).await.unwrap(), before, "unchanged");
    assert_eq!(
        d.history("sue", &id).await.unwrap().len() as u64,
        before.version
    );

    // A command on a closed ticket.
    d.assign("eva", &id, None, Some("eva".into()))
        .await
        .unwrap();
    d.propose_solution("eva", &id, "Fixed").await.unwrap();
    d.confirm_solution("ana", &id).await.unwrap();
    d.close("sue", &id, None).await.unwrap();
    let err = d
        .comment("eva", &id, "late", Visibility::Public)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidTransition {
                status: Status::Closed,
                command: CommandKind::Comment
            }
        ),
        "{err}"
    );
    let err = d.ticket("bob", &TicketId::new("nope")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn bad_urls_and_directory_entries_are_refused() {
    for url in ["nowhere", "ftp://x", "sqlite://"] {
        let err = Desk::open(url).await.unwrap_err();
        assert_eq!(err.field(), Some("url"), "{url}: {err}");
    }
    let f = desk().await;
    let err = f
        .desk
        .put_user(SYSTEM, User::new("", "x", Role::Agent))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("user.id"));
    let err = f
        .desk
        .put_user(SYSTEM, User::new("x", "x", Role::System))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("user.role"));
    let mut team = Team::new("t", "T", SupportLevel::N1);
    team.supervisor = Some("ghost".into());
    assert_eq!(
        f.desk.put_team(SYSTEM, team).await.unwrap_err().field(),
        Some("team.supervisor")
    );
}
