//! A sweep that never stalls on stale due entries, and reconfiguration as a reviewed
//! operation that refreshes the due index and the SLA-state queues.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use common::{desk_at, example_config, incident};
use foliodesk::core::sla::Target;
use foliodesk::*;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// `stale` open tickets whose due entries stand for an escalation rule the configuration
/// no longer has, in front of one resolved ticket due for auto-confirmation: one tick
/// confirms it and repairs every stale entry once.
async fn stale_entries_do_not_stall(url: &str, stale: usize) {
    let f = desk_at(url, example_config()).await;
    for i in 0..stale {
        f.desk
            .open_ticket("ana", incident(&format!("stale {i}")))
            .await
            .unwrap();
    }
    let t = f
        .desk
        .open_ticket("ana", incident("resolved"))
        .await
        .unwrap();
    f.desk
        .assign("bob", &t.id, None, Some("bob".into()))
        .await
        .unwrap();
    f.desk.propose_solution("bob", &t.id, "done").await.unwrap();
    // The rules go away behind the desk's back (an older build, a hand-edited store): the
    // stored due entries are now stale.
    let store = f.desk.store().clone();
    let mut config = example_config();
    config.sla.escalation.clear();
    store.save_config(config.to_json()).await.unwrap();
    let clock: Arc<dyn Clock> = f.clock.clone();
    let options = DeskOptions {
        config: None,
        clock: Some(clock),
    };
    drop(f.desk);
    let desk = Desk::with_store(store, options).await.unwrap();
    let before = desk.store().due(at("2026-03-10T00:00:00Z"), 100_000).await;
    assert_eq!(
        before.unwrap().len(),
        stale + 1,
        "every entry is in the index"
    );

    let report = desk.tick_at(at("2026-03-10T00:00:00Z")).await.unwrap();
    assert_eq!(report.auto_confirmed, vec![t.id.clone()]);
    assert_eq!(report.rescheduled, stale as u64);
    assert!(report.sla_alerts.is_empty());
    let again = desk.tick_at(at("2026-03-10T00:00:00Z")).await.unwrap();
    assert_eq!(again, TickReport::default(), "nothing is read twice");
    let left = desk.store().due(at("2026-03-10T00:00:00Z"), 10).await;
    assert!(left.unwrap().is_empty());
}

#[tokio::test]
async fn ten_thousand_stale_entries_do_not_stall_memory() {
    stale_entries_do_not_stall("memory://", 10_000).await;
}

#[tokio::test]
async fn stale_entries_do_not_stall_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stale.db").display().to_string();
    stale_entries_do_not_stall(&format!("sqlite://{path}"), 1_200).await;
}

#[tokio::test]
async fn stale_entries_do_not_stall_redb() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stale.redb").display().to_string();
    stale_entries_do_not_stall(&format!("redb://{path}"), 1_200).await;
}

/// The example configuration with the standard policy's p3 first response at one hour.
fn stricter() -> Config {
    let mut c = example_config();
    let standard = c.sla.policies.iter_mut().find(|p| p.id == "standard");
    let p3 = standard.unwrap().targets.get_mut("p3").unwrap();
    p3.first_response = Some(std::time::Duration::from_secs(3600));
    c
}

async fn with_admin(url: &str) -> common::Fixture {
    let f = desk_at(url, example_config()).await;
    f.desk
        .put_user(SYSTEM, User::new("adm", "Admin", Role::Admin))
        .await
        .unwrap();
    f
}

async fn reviewed_then_applied(url: &str) {
    let f = with_admin(url).await;
    let t = f
        .desk
        .open_ticket("ana", incident("VPN down"))
        .await
        .unwrap();
    let other = f
        .desk
        .open_ticket("ana", incident("Printer"))
        .await
        .unwrap();
    f.desk
        .cancel("ana", &other.id, CancelReason::Withdrawn, "never mind")
        .await
        .unwrap();
    f.clock.set(at("2026-03-02T11:00:00Z"));
    let now = f.desk.now();
    let breached = TicketFilter {
        sla_due_by: Some(now),
        ..Default::default()
    };
    let queue = |d: &Desk| {
        let (d, filter) = (d.clone(), breached.clone());
        async move {
            let page = d.query("sue", filter, PageRequest::default()).await;
            page.unwrap().items.len()
        }
    };
    assert_eq!(queue(&f.desk).await, 0);

    let denied = f
        .desk
        .reconfigure("sue", stricter(), true)
        .await
        .unwrap_err();
    assert_eq!(denied.kind(), ErrorKind::PermissionDenied, "{denied}");
    let mut bad = stricter();
    bad.sla.at_risk_percent = 0;
    let invalid = f.desk.reconfigure("adm", bad, false).await.unwrap_err();
    assert_eq!(invalid.kind(), ErrorKind::Validation, "{invalid}");
    assert!(
        invalid.field().unwrap().contains("at_risk_percent"),
        "{invalid}"
    );

    let review = f.desk.reconfigure("adm", stricter(), true).await.unwrap();
    assert!(!review.applied);
    assert_eq!(review.open_tickets, 1, "the cancelled ticket is not open");
    assert_eq!(review.changes.len(), 1);
    let change = &review.changes[0];
    assert_eq!(change.ticket, t.id);
    assert!(change.after.sla_due < change.before.sla_due);
    let state = change
        .states
        .iter()
        .find(|s| s.target == Target::FirstResponse);
    let state = state.expect("first response changes state");
    assert_eq!(state.after, Some(core::sla::SlaState::Breached));
    assert_eq!(change.alerts_now.len(), 1, "{:?}", change.alerts_now);
    assert_eq!(f.desk.config(), example_config(), "a review stores nothing");
    assert_eq!(queue(&f.desk).await, 0);

    let applied = f.desk.reconfigure("adm", stricter(), false).await.unwrap();
    assert!(applied.applied);
    assert_eq!(applied.rescheduled, 1);
    assert_eq!(f.desk.config(), stricter());
    assert_eq!(
        queue(&f.desk).await,
        1,
        "the breached queue shows it at once"
    );
    let tick = f.desk.tick().await.unwrap();
    assert_eq!(tick.sla_alerts.len(), 1, "the alert fires on the next tick");
    if !url.starts_with("memory") {
        drop(f);
        let reopened = Desk::open(url).await.unwrap();
        assert_eq!(reopened.config(), stricter(), "stored");
    }
}

#[tokio::test]
async fn reconfiguration_is_reviewed_then_applied_memory() {
    reviewed_then_applied("memory://").await;
}

#[tokio::test]
async fn reconfiguration_is_reviewed_then_applied_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reconf.db").display().to_string();
    reviewed_then_applied(&format!("sqlite://{path}")).await;
}

#[tokio::test]
async fn reconfiguration_is_reviewed_then_applied_redb() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reconf.redb").display().to_string();
    reviewed_then_applied(&format!("redb://{path}")).await;
}

/// A refresh cut short (the process died after storing the configuration) finishes when
/// the desk next opens.
#[tokio::test]
async fn an_interrupted_refresh_resumes_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("resume.db").display().to_string();
    let url = format!("sqlite://{path}");
    let f = with_admin(&url).await;
    let t = f
        .desk
        .open_ticket("ana", incident("VPN down"))
        .await
        .unwrap();
    let before = f.desk.ticket("sue", &t.id).await.unwrap().sla_due;
    let store = f.desk.store().clone();
    store
        .put_meta("reconfigure.refresh", Some(r#"{"after":null}"#.into()))
        .await
        .unwrap();
    store.save_config(stricter().to_json()).await.unwrap();
    drop(f);
    let desk = Desk::open(&url).await.unwrap();
    let after = desk.ticket("sue", &t.id).await.unwrap().sla_due;
    assert!(after < before, "{after:?} < {before:?}");
    assert_eq!(
        desk.store().meta("reconfigure.refresh").await.unwrap(),
        None
    );
}

/// Opening a desk with another configuration refreshes the schedules too.
#[tokio::test]
async fn opening_with_a_new_configuration_refreshes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reopen.redb").display().to_string();
    let url = format!("redb://{path}");
    let f = desk_at(&url, example_config()).await;
    let t = f
        .desk
        .open_ticket("ana", incident("VPN down"))
        .await
        .unwrap();
    let before = t.sla_due.unwrap();
    drop(f);
    let options = DeskOptions {
        config: Some(stricter()),
        clock: None,
    };
    let desk = Desk::open_with(&url, options).await.unwrap();
    let after = desk.ticket("sue", &t.id).await.unwrap().sla_due.unwrap();
    assert!(after < before);
    assert_eq!(
        after - before,
        Duration::hours(-3),
        "4h → 1h of business time"
    );
}

/// `simulate_sla` tries a candidate SLA section without storing it; a bad candidate names
/// its field under `candidate`.
#[tokio::test]
async fn simulate_sla_tries_a_candidate() {
    let f = with_admin("memory://").await;
    let t = f
        .desk
        .open_ticket("ana", incident("VPN down"))
        .await
        .unwrap();
    let until = at("2026-03-20T00:00:00Z");
    let live = f
        .desk
        .simulate_sla("sue", &t.id, until, None)
        .await
        .unwrap();
    let tried = f
        .desk
        .simulate_sla("sue", &t.id, until, Some(stricter().sla))
        .await
        .unwrap();
    let first = |c: &[core::sla::Crossing]| {
        c.iter()
            .find(|c| c.target == Target::FirstResponse)
            .map(|c| c.at)
    };
    assert!(first(&tried) < first(&live), "{tried:?} vs {live:?}");
    assert_eq!(f.desk.config(), example_config(), "nothing stored");
    let mut bad = stricter().sla;
    bad.at_risk_percent = 0;
    let err = f
        .desk
        .simulate_sla("sue", &t.id, until, Some(bad))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("candidate.at_risk_percent"), "{err}");
}
