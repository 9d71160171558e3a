//! Who sees and acts on what, on every backend: role × own / served / foreign organisation ×
//! every operation. A provider serving two customer companies keeps each customer's agents
//! to that customer's tickets; admins see everything and alone change the directory and the
//! configuration.

mod common;

use chrono::Duration;
use foliodesk::*;
use foliodesk_sql::testkit::{fresh_db, reachable};
use foliodesk_sql::Dialect;

const TMP: &str = env!("CARGO_TARGET_TMPDIR");

struct World {
    desk: Desk,
    acme: Ticket,
    globex: Ticket,
}

/// Two customers; the `acme-desk` team serves only ACME, `core` serves everyone.
async fn world(url: &str) -> World {
    let f = common::desk_at(url, common::example_config()).await;
    let desk = f.desk;
    desk.put_organisation(SYSTEM, Organisation::new("globex", "Globex"))
        .await
        .unwrap();
    let mut team = Team::new("acme-desk", "ACME desk", SupportLevel::N1);
    team.serves = Some(vec!["acme".into()]);
    desk.put_team(SYSTEM, team).await.unwrap();
    let mut people = vec![
        User::new("adm", "Admin", Role::Admin),
        User::new("gus", "Gus", Role::Requester),
        User::new("amy", "Amy", Role::Agent),
        User::new("sam", "Sam", Role::Supervisor),
    ];
    people[1].organisation = Some("globex".into());
    people[2].teams = vec!["acme-desk".into()];
    people[3].teams = vec!["acme-desk".into()];
    for u in people {
        desk.put_user(SYSTEM, u).await.unwrap();
    }
    let acme = desk
        .open_ticket("ana", common::incident("ACME printer"))
        .await
        .unwrap();
    let globex = desk
        .open_ticket(
            "gus",
            NewTicket::new(TicketKind::Incident, Channel::Portal, "gus", "Globex VPN"),
        )
        .await
        .unwrap();
    World { desk, acme, globex }
}

/// Runs every ticket operation as `actor` on `t`; returns the names of those that said the
/// ticket does not exist.
async fn not_found(d: &Desk, actor: &str, t: &Ticket) -> Vec<&'static str> {
    let id = &t.id;
    let until = d.now() + Duration::days(30);
    let results: Vec<(&str, Result<()>)> = vec![
        ("ticket", d.ticket(actor, id).await.map(drop)),
        (
            "ticket_by_folio",
            d.ticket_by_folio(actor, &t.folio).await.map(drop),
        ),
        ("history", d.history(actor, id).await.map(drop)),
        ("sla", d.sla(actor, id).await.map(drop)),
        (
            "simulate_sla",
            d.simulate_sla(actor, id, until, None).await.map(drop),
        ),
        (
            "comment",
            d.comment(actor, id, "hi", Visibility::Public)
                .await
                .map(drop),
        ),
        (
            "add_watcher",
            d.add_watcher(actor, id, "adm").await.map(drop),
        ),
        (
            "assign",
            d.assign(actor, id, None, Some(actor.into()))
                .await
                .map(drop),
        ),
        (
            "change_priority",
            d.change_priority(
                actor,
                id,
                PriorityChange {
                    impact: Some(4),
                    ..Default::default()
                },
            )
            .await
            .map(drop),
        ),
        (
            "set_pending",
            d.set_pending(actor, id, "which floor?").await.map(drop),
        ),
        ("resume", d.resume(actor, id).await.map(drop)),
        (
            "reclassify",
            d.reclassify(actor, id, None, Some("Hardware".into()))
                .await
                .map(drop),
        ),
        (
            "escalate",
            d.escalate(actor, id, EscalationKind::Hierarchical, None, "help")
                .await
                .map(drop),
        ),
        (
            "update_security",
            d.update_security(
                actor,
                id,
                SecurityRecord {
                    severity: Some(foliodesk::core::Severity::Low),
                    ..Default::default()
                },
            )
            .await
            .map(drop),
        ),
        (
            "propose_solution",
            d.propose_solution(actor, id, "done").await.map(drop),
        ),
        (
            "reject_solution",
            d.reject_solution(actor, id, "no").await.map(drop),
        ),
        (
            "confirm_solution",
            d.confirm_solution(actor, id).await.map(drop),
        ),
        ("rate", d.rate(actor, id, 5, None).await.map(drop)),
        ("close", d.close(actor, id, None).await.map(drop)),
        ("reopen", d.reopen(actor, id, "again").await.map(drop)),
        (
            "cancel",
            d.cancel(actor, id, CancelReason::Withdrawn, "gone")
                .await
                .map(drop),
        ),
    ];
    results
        .into_iter()
        .filter(|(_, r)| matches!(r, Err(Error::NotFound { .. })))
        .map(|(name, _)| name)
        .collect()
}

async fn queried(d: &Desk, actor: &str) -> Vec<String> {
    let page = d
        .query(actor, TicketFilter::default(), PageRequest::default())
        .await
        .unwrap();
    page.items.into_iter().map(|t| t.folio).collect()
}

async fn matrix(url: &str) {
    let w = world(url).await;
    let d = &w.desk;
    let (acme, globex) = (w.acme.folio.clone(), w.globex.folio.clone());
    // (actor, sees ACME's ticket, sees Globex's ticket)
    let cases = [
        ("ana", true, false), // requester: own / foreign
        ("gus", false, true), // requester: foreign / own
        ("amy", true, false), // agent: served / foreign
        ("sam", true, false), // supervisor: served / foreign
        ("bob", true, true),  // agent in a team serving everyone
        ("adm", true, true),  // admin
    ];
    for (actor, sees_acme, sees_globex) in cases {
        let mut expected = Vec::new();
        if sees_acme {
            expected.push(acme.clone());
        }
        if sees_globex {
            expected.push(globex.clone());
        }
        assert_eq!(queried(d, actor).await, expected, "{actor} queries");
        for (t, sees) in [(&w.acme, sees_acme), (&w.globex, sees_globex)] {
            let hidden = not_found(d, actor, t).await;
            if sees {
                assert!(hidden.is_empty(), "{actor} on {}: {hidden:?}", t.folio);
            } else {
                // Requesters are refused SLA simulation before any ticket is looked at.
                let all = if ["ana", "gus"].contains(&actor) {
                    20
                } else {
                    21
                };
                assert_eq!(hidden.len(), all, "{actor} on {}: {hidden:?}", t.folio);
            }
        }
    }
    // Opening: staff only for organisations they serve.
    let for_gus = NewTicket::new(TicketKind::Incident, Channel::Phone, "gus", "Call");
    let err = d.open_ticket("amy", for_gus.clone()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PermissionDenied, "{err}");
    d.open_ticket("adm", for_gus).await.unwrap();
    let for_ana = NewTicket::new(TicketKind::Incident, Channel::Phone, "ana", "Call");
    d.open_ticket("amy", for_ana).await.unwrap();
    // The directory and the configuration: admins (and the desk itself) only.
    for actor in ["ana", "amy", "sam", "bob"] {
        let denied = [
            d.put_user(actor, User::new("x", "X", Role::Admin)).await,
            d.put_organisation(actor, Organisation::new("x", "X")).await,
            d.put_team(actor, Team::new("x", "X", SupportLevel::N1))
                .await,
            d.reconfigure(actor, common::example_config(), true)
                .await
                .map(drop),
        ];
        for r in denied {
            assert_eq!(
                r.unwrap_err().kind(),
                ErrorKind::PermissionDenied,
                "{actor}"
            );
        }
    }
    d.put_user("adm", User::new("x", "X", Role::Agent))
        .await
        .unwrap();
    d.put_organisation("adm", Organisation::new("x", "X"))
        .await
        .unwrap();
    d.put_team("adm", Team::new("x", "X", SupportLevel::N1))
        .await
        .unwrap();
    d.reconfigure("adm", common::example_config(), true)
        .await
        .unwrap();
}

#[tokio::test]
async fn scope_matrix_memory() {
    matrix("memory://").await;
}

#[tokio::test]
async fn scope_matrix_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    matrix(&format!(
        "sqlite://{}",
        dir.path().join("scope.db").display()
    ))
    .await;
}

#[tokio::test]
async fn scope_matrix_redb() {
    let dir = tempfile::tempdir().unwrap();
    matrix(&format!(
        "redb://{}",
        dir.path().join("scope.redb").display()
    ))
    .await;
}

async fn server(d: Dialect) {
    if reachable(d).await {
        let db = fresh_db(d, &format!("scope_{d:?}"), std::path::Path::new(TMP)).await;
        matrix(&db.url).await;
    }
}

#[tokio::test]
async fn scope_matrix_postgres() {
    server(Dialect::Postgres).await;
}

#[tokio::test]
async fn scope_matrix_mysql() {
    server(Dialect::MySql).await;
}
