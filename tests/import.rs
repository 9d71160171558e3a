//! Importing another help desk's tickets through the facade on every backend: histories
//! replayed at their original instants, folios by original year, nobody notified, reruns
//! skip what is there, batches commit one by one, and bad rows are named.

mod common;

use common::{desk_at, example_config};
use foliodesk::*;
use serde_json::{json, Value};

fn ticket(reference: &str, day: u32, history: Value) -> ImportTicket {
    serde_json::from_value(json!({
        "source": "glpi", "reference": reference,
        "opened_at": format!("2025-11-{day:02}T09:00:00Z"), "opened_by": "ana",
        "ticket": {"kind": "incident", "channel": "email", "requester": "ana",
                   "title": format!("VPN caída {reference}"), "category": "Red/VPN"},
        "history": history,
    }))
    .unwrap()
}

fn solved(reference: &str, day: u32) -> ImportTicket {
    let at = |h: u32| format!("2025-11-{day:02}T{h:02}:00:00Z");
    ticket(
        reference,
        day,
        json!([
            {"at": at(10), "actor": "eva", "command": {"command": "assign", "team": "networks", "assignee": "eva"}},
            {"at": at(11), "actor": "eva", "command": {"command": "comment", "body": "Túnel reiniciado", "visibility": "internal"}},
            {"at": at(12), "actor": "eva", "command": {"command": "propose_solution", "solution": "Certificado renovado"}},
            {"at": at(13), "actor": "ana", "command": {"command": "confirm_solution"}},
        ]),
    )
}

fn field(e: Error) -> String {
    match e {
        Error::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

async fn scenario(url: &str) {
    let f = desk_at(url, example_config()).await;
    let d = &f.desk;
    let report = d
        .import_tickets(
            SYSTEM,
            vec![solved("1001", 3), ticket("1002", 4, json!([]))],
        )
        .await
        .unwrap();
    assert_eq!((report.imported, report.skipped), (2, 0));
    let folios: Vec<_> = report.tickets.iter().map(|t| t.folio.clone()).collect();
    assert_eq!(
        folios,
        [
            Some("INC-2025-000001".into()),
            Some("INC-2025-000002".into())
        ]
    );
    let id = &report.tickets[0].id;
    let t = d.ticket("sue", id).await.unwrap();
    assert_eq!(t.imported.as_ref().unwrap().reference, "1001");
    assert_eq!(t.team.as_ref().map(|t| t.as_str()), Some("networks"));
    assert_eq!(t.assignee.as_ref().map(|a| a.as_str()), Some("eva"));
    let history = d.history("sue", id).await.unwrap();
    let kinds: Vec<_> = history.iter().map(|e| e.event.type_name()).collect();
    assert_eq!(kinds[0], "opened");
    assert_eq!(kinds[kinds.len() - 2..], ["solution_confirmed", "imported"]);
    assert_eq!(history[0].at.to_rfc3339(), "2025-11-03T09:00:00+00:00");
    let (confirmed, imported) = (&history[kinds.len() - 2], history.last().unwrap());
    assert_eq!(confirmed.actor.as_str(), "ana");
    assert_eq!((imported.actor.as_str(), imported.at), (SYSTEM, d.now()));
    assert!(d.verify(id).await.unwrap().is_intact());
    assert!(
        d.outbox(100).await.unwrap().is_empty(),
        "history is not news"
    );
    // A live ticket draws this year's counter; the imported year's is untouched.
    let live = d.open_ticket("ana", common::incident("Hoy")).await.unwrap();
    assert_eq!(live.folio, "INC-2026-000001");

    // Again with a third ticket: only it is written.
    let again = vec![
        solved("1001", 3),
        ticket("1002", 4, json!([])),
        solved("1003", 5),
    ];
    let report = d.import_tickets(SYSTEM, again).await.unwrap();
    assert_eq!((report.imported, report.skipped), (1, 2));
    assert_eq!(report.tickets[2].folio.as_deref(), Some("INC-2025-000003"));

    // Batches commit one by one: a bad fourth ticket stops the import after the first
    // batch of two; mended, the rerun skips what is there and goes on.
    let mut rows: Vec<_> = (0..5)
        .map(|i| solved(&format!("2{i:03}"), 10 + i))
        .collect();
    let good = rows[3].clone();
    rows[3].history[1].actor = "nobody".into();
    let mut seen = Vec::new();
    let e = d
        .import_all(SYSTEM, rows.clone(), 2, |p| seen.push(p.done))
        .await;
    assert_eq!(field(e.unwrap_err()), "tickets[3].history[1].actor");
    assert_eq!(seen, [2]);
    rows[3] = good;
    let mut seen = Vec::new();
    let report = d
        .import_all(SYSTEM, rows, 2, |p| seen.push((p.done, p.imported)))
        .await
        .unwrap();
    assert_eq!(seen, [(2, 0), (4, 2), (5, 3)]);
    assert_eq!((report.imported, report.skipped), (3, 2));
}

on_every_backend!(scenario, "import");

#[tokio::test]
async fn refusals_name_the_ticket_and_write_nothing() {
    let f = common::desk().await;
    let d = &f.desk;
    let refused = d
        .import_tickets("ana", vec![solved("1", 3)])
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::PermissionDenied);

    let mut early = solved("2", 3);
    early.history[2].at = "2025-11-03T08:00:00Z".parse().unwrap();
    let mut future = solved("3", 3);
    future.opened_at = "2027-01-01T00:00:00Z".parse().unwrap();
    let mut skipped_step = solved("4", 3);
    skipped_step.history.remove(2);
    let mut untitled = solved("5", 3);
    untitled.ticket.title = " ".into();
    let mut blank = solved("6", 3);
    blank.reference = "  ".into();
    for (bad, want) in [
        (early, "tickets[1].history[2].at"),
        (future, "tickets[1].opened_at"),
        (skipped_step, "tickets[1].history[2].command"),
        (untitled, "tickets[1].ticket.title"),
        (blank, "tickets[1].reference"),
    ] {
        let e = d
            .import_tickets(SYSTEM, vec![solved("ok", 3), bad])
            .await
            .unwrap_err();
        assert_eq!(field(e), want);
    }
    let e = d
        .import_all(SYSTEM, vec![solved("ok", 3)], 0, |_| {})
        .await
        .unwrap_err();
    assert_eq!(field(e), "batch");
    let all = d
        .query(SYSTEM, TicketFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert!(all.items.is_empty(), "a refused batch writes nothing");
}

/// An open ticket imported long after its SLA ran out does not page anyone for its past:
/// the thresholds crossed before the import are recorded as fired, and only what comes
/// due afterwards alerts.
#[tokio::test]
async fn imported_open_tickets_do_not_page_for_their_past() {
    let config = common::office_sla(
        "targets.p3 = { first_response = \"2h\", resolution = \"8h\" }",
        r#"
        [[sla.escalation]]
        target = "resolution"
        at_percent = 100
        actions = ["notify_supervisor"]
        repeat_every = "8h"
        "#,
    );
    let f = common::desk_at("memory://", config).await;
    let d = &f.desk;
    let late = ticket(
        "9001",
        3,
        json!([
            {"at": "2025-11-03T10:00:00Z", "actor": "bob", "command": {"command": "assign", "team": "service-desk", "assignee": "bob"}},
        ]),
    );
    let report = d.import_tickets(SYSTEM, vec![late]).await.unwrap();
    let id = &report.tickets[0].id;
    let t = d.ticket("sue", id).await.unwrap();
    assert!(
        !t.sla_alerts.is_empty(),
        "the crossed thresholds are marked fired"
    );
    let swept = d.tick().await.unwrap();
    assert!(
        swept.sla_alerts.is_empty(),
        "no alert for the past: {swept:?}"
    );
    assert!(d.outbox(100).await.unwrap().is_empty());
    // Eight business hours later the next repeat is due, and it alerts once.
    f.clock.advance(chrono::Duration::days(2));
    let swept = d.tick().await.unwrap();
    assert_eq!(swept.sla_alerts.len(), 1, "{swept:?}");
}

/// A solution left unanswered past the auto-confirm delay is confirmed within the import,
/// at the instant the delay ran out, so the first sweep has nothing of the past to do and
/// no requester hears of a year-old confirmation.
#[tokio::test]
async fn unanswered_solutions_are_confirmed_within_the_import() {
    let f = common::desk().await;
    let d = &f.desk;
    let at = |h: u32| format!("2025-11-03T{h:02}:00:00Z");
    let waiting = ticket(
        "5001",
        3,
        json!([
            {"at": at(10), "actor": "eva", "command": {"command": "assign", "team": "networks", "assignee": "eva"}},
            {"at": at(12), "actor": "eva", "command": {"command": "propose_solution", "solution": "Reinstalado"}},
        ]),
    );
    let report = d.import_tickets(SYSTEM, vec![waiting]).await.unwrap();
    let history = d.history("sue", &report.tickets[0].id).await.unwrap();
    let confirmed = &history[history.len() - 2];
    assert_eq!(confirmed.event.type_name(), "solution_confirmed");
    assert_eq!(confirmed.actor.as_str(), SYSTEM);
    let delay = d.config().lifecycle.auto_confirm_after;
    let resolved: chrono::DateTime<chrono::Utc> = at(12).parse().unwrap();
    assert_eq!(
        confirmed.at,
        resolved + chrono::Duration::from_std(delay).unwrap()
    );
    let swept = d.tick().await.unwrap();
    assert!(swept.auto_confirmed.is_empty(), "{swept:?}");
    assert!(d.outbox(100).await.unwrap().is_empty());
}
