//! SLA through the facade on every backend: views, pauses, `tick` firing escalation rules
//! once (also with two desks ticking one database), notifications, dry runs.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{desk_at, incident, office_sla};
use foliodesk::core::sla::{SlaState, Target};
use foliodesk::*;
use foliodesk_sql::testkit::{fresh_db, reachable};
use foliodesk_sql::Dialect;

const TMP: &str = env!("CARGO_TARGET_TMPDIR");

/// Office hours in UTC; P3 resolution 8 h; alerts at 75 % (assignee) and 100 %
/// (functional escalation and the supervisor, again every 2 business hours).
fn config() -> Config {
    office_sla(
        r#"targets.p3 = { first_response = "2h", resolution = "8h" }"#,
        r#"
        [[sla.escalation]]
        target = "resolution"
        at_percent = 75
        actions = ["notify_assignee"]
        [[sla.escalation]]
        target = "resolution"
        at_percent = 100
        actions = ["functional", "notify_supervisor"]
        repeat_every = "2h"
        "#,
    )
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

async fn scenario(url: &str, second_desk: bool) {
    let f = desk_at(url, config()).await;
    let d = &f.desk;
    // Opened Monday 2 March 2026 09:00 UTC, assigned at once.
    let t = d.open_ticket("ana", incident("VPN down")).await.unwrap();
    d.assign(
        "bob",
        &t.id,
        Some("service-desk".into()),
        Some("bob".into()),
    )
    .await
    .unwrap();
    // Nobody touches this one after opening: its clocks run from registration.
    let untouched = d.open_ticket("ana", incident("Scanner")).await.unwrap();
    // A second ticket waits on the requester from 10:00: its clock stops at 1 h.
    let paused = d.open_ticket("ana", incident("Printer")).await.unwrap();
    d.assign("bob", &paused.id, None, Some("bob".into()))
        .await
        .unwrap();
    f.clock.set(at("2026-03-02T10:00:00Z"));
    d.set_pending("bob", &paused.id, "Which printer?")
        .await
        .unwrap();

    let view = d
        .sla_at("bob", &t.id, at("2026-03-02T13:00:00Z"))
        .await
        .unwrap()
        .unwrap();
    let res = view.target(Target::Resolution).unwrap();
    assert_eq!(
        (res.elapsed, res.state),
        (Duration::hours(4), SlaState::Running)
    );
    assert_eq!(res.due, Some(at("2026-03-02T17:00:00Z")));
    let p = d
        .sla_at("ana", &paused.id, at("2026-03-03T13:00:00Z"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        p.target(Target::Resolution).unwrap().state,
        SlaState::Paused
    );

    assert!(d
        .tick_at(at("2026-03-02T14:59:59Z"))
        .await
        .unwrap()
        .sla_alerts
        .is_empty());
    let r = d.tick_at(at("2026-03-02T15:00:00Z")).await.unwrap();
    let fired: Vec<(&TicketId, u16, u32)> = r
        .sla_alerts
        .iter()
        .map(|(id, c)| (id, c.percent, c.repeat))
        .collect();
    assert_eq!(fired, vec![(&t.id, 75, 0), (&untouched.id, 75, 0)]);
    assert!(
        d.tick_at(at("2026-03-02T15:00:00Z"))
            .await
            .unwrap()
            .sla_alerts
            .is_empty(),
        "idempotent"
    );
    let outbox = d.outbox(100).await.unwrap();
    let alert: Vec<&str> = outbox
        .iter()
        .filter(|m| m.notification.event == "sla_alert")
        .flat_map(|m| m.notification.users.iter().map(|u| u.as_str()))
        .collect();
    assert_eq!(alert, ["bob"]);

    // Nobody ticked until Tuesday 14:00: the 100 % rule fires once, at its latest repeat,
    // escalating to the networks team at n2 — with a second desk racing the first.
    let later = at("2026-03-03T14:00:00Z");
    let (a, b) = if second_desk {
        let other = Desk::open(url).await.unwrap();
        let (a, b) = tokio::join!(d.tick_at(later), other.tick_at(later));
        (a.unwrap(), b.unwrap())
    } else {
        (d.tick_at(later).await.unwrap(), TickReport::default())
    };
    let mut all: Vec<(&TicketId, u16, u32)> = a
        .sla_alerts
        .iter()
        .chain(&b.sla_alerts)
        .map(|(id, c)| (id, c.percent, c.repeat))
        .collect();
    all.sort();
    let mut want = vec![(&t.id, 100, 2), (&untouched.id, 100, 2)];
    want.sort();
    assert_eq!(all, want);
    let ticket = d.ticket("bob", &t.id).await.unwrap();
    assert_eq!(
        (ticket.level, ticket.team.as_ref().map(|t| t.as_str())),
        (SupportLevel::N2, Some("networks"))
    );
    let history = d.history("sue", &t.id).await.unwrap();
    let alerts = history
        .iter()
        .filter(|e| e.event.type_name() == "sla_alert")
        .count();
    assert_eq!(alerts, 2);
    assert!(d.verify(&t.id).await.unwrap().is_intact());
    // The requester sees neither the alerts nor the escalation.
    let theirs = d.history("ana", &t.id).await.unwrap();
    assert!(theirs
        .iter()
        .all(|e| !matches!(e.event.type_name(), "sla_alert" | "escalated")));

    // The SLA-state queue: breached by Tuesday 14:00 (first response was due Monday
    // 11:00), none by Monday 10:59; the paused ticket's clocks do not run.
    let breached = |by: &str| {
        let filter = TicketFilter {
            sla_due_by: Some(at(by)),
            ..TicketFilter::default()
        };
        d.query("sue", filter, PageRequest::default())
    };
    let page = breached("2026-03-03T14:00:00Z").await.unwrap();
    let ids: Vec<&TicketId> = page.items.iter().map(|t| &t.id).collect();
    assert_eq!(ids, vec![&t.id, &untouched.id]);
    assert!(breached("2026-03-02T10:59:00Z")
        .await
        .unwrap()
        .items
        .is_empty());

    // Dry run: what would fire until Wednesday noon; nothing is written.
    let version = ticket.version;
    let plan = d
        .simulate_sla("sue", &t.id, at("2026-03-04T12:00:00Z"), None)
        .await
        .unwrap();
    let plan: Vec<(u16, u32, DateTime<Utc>)> =
        plan.iter().map(|c| (c.percent, c.repeat, c.at)).collect();
    assert_eq!(
        plan,
        vec![
            (100, 3, at("2026-03-03T15:00:00Z")),
            (100, 4, at("2026-03-03T17:00:00Z")),
            (100, 5, at("2026-03-04T11:00:00Z")),
        ]
    );
    assert_eq!(d.ticket("bob", &t.id).await.unwrap().version, version);
    let denied = d.simulate_sla("ana", &t.id, later, None).await.unwrap_err();
    assert_eq!(denied.kind(), ErrorKind::PermissionDenied);
}

#[tokio::test]
async fn memory() {
    scenario("memory://", false).await;
}

#[tokio::test]
async fn redb() {
    let dir = tempfile::tempdir().unwrap();
    scenario(
        &format!("redb://{}", dir.path().join("sla.redb").display()),
        false,
    )
    .await;
}

async fn sql(d: Dialect) {
    if !reachable(d).await {
        return;
    }
    let db = fresh_db(d, &format!("sla_{d:?}"), std::path::Path::new(TMP)).await;
    scenario(&db.url, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite() {
    sql(Dialect::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres() {
    sql(Dialect::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mysql() {
    sql(Dialect::MySql).await;
}
