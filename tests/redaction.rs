//! One redaction rule: random tickets and histories (every event type, every staff-only
//! field set, each holding the marker `SECRET`) never hand a requester a staff-only field or
//! internal event, through any read of the facade or the wire the bindings call.

mod common;

use chrono::Duration;
use foliodesk::core::{DiscovererAction, Severity};
use foliodesk::*;
use proptest::prelude::*;
use serde_json::json;

const MARK: &str = "SECRET";

fn secret(what: &str) -> String {
    format!("{MARK} {what}")
}

/// A security record with every text field secret.
fn record(now: chrono::DateTime<chrono::Utc>) -> SecurityRecord {
    SecurityRecord {
        discovered_where: Some(secret("where")),
        discovered_at: Some(now),
        discovered_by: Some(secret("by")),
        discoverer_action: Some(DiscovererAction::Reported),
        reported_to: Some(secret("reported to")),
        report_written_at: Some(now),
        severity: Some(Severity::High),
        responsible_learned_at: Some(now),
        responsible_action: Some(secret("action")),
        follow_up_by: Some(secret("follow-up")),
        follow_up_at: Some(now),
    }
}

/// One staff or requester step; most leave a secret behind. Refusals (a step the status
/// does not allow) are part of a random walk; anything else is a failure.
async fn step(d: &Desk, id: &TicketId, n: u8) {
    let now = d.now();
    let done: Result<()> = match n % 16 {
        0 => d
            .comment("bob", id, secret("note"), Visibility::Internal)
            .await
            .map(drop),
        1 => d
            .comment("bob", id, "PUBLIC answer", Visibility::Public)
            .await
            .map(drop),
        2 => d
            .comment("ana", id, "PUBLIC reply", Visibility::Public)
            .await
            .map(drop),
        3 => {
            let change = PriorityChange {
                manual: Some(5),
                reason: Some(secret("why p5")),
                ..Default::default()
            };
            d.change_priority("bob", id, change).await.map(drop)
        }
        4 => {
            let kind = EscalationKind::Hierarchical;
            d.escalate("bob", id, kind, None, secret("escalation"))
                .await
                .map(drop)
        }
        5 => {
            let kind = EscalationKind::Functional;
            d.escalate("bob", id, kind, None, secret("up"))
                .await
                .map(drop)
        }
        6 => d.update_security("bob", id, record(now)).await.map(drop),
        7 => d
            .reclassify("bob", id, None, Some("Hardware".into()))
            .await
            .map(drop),
        8 => d.add_watcher("bob", id, "leo").await.map(drop),
        9 => d
            .set_pending("bob", id, "PUBLIC which floor?")
            .await
            .map(drop),
        10 => d
            .assign("bob", id, None, Some("bob".into()))
            .await
            .map(drop),
        11 => d
            .propose_solution("bob", id, "PUBLIC fixed")
            .await
            .map(drop),
        12 => d
            .reject_solution("ana", id, "PUBLIC still broken")
            .await
            .map(drop),
        13 => d.confirm_solution("ana", id).await.map(drop),
        14 => d
            .close("sue", id, Some("PUBLIC closed".into()))
            .await
            .map(drop),
        // Time passes: SLA alerts fire (staff-only events).
        _ => d.tick_at(now + Duration::hours(30)).await.map(drop),
    };
    if let Err(e) = done {
        let expected = [
            ErrorKind::InvalidTransition,
            ErrorKind::PermissionDenied,
            ErrorKind::Validation,
        ];
        assert!(expected.contains(&e.kind()), "step {n}: {e}");
    }
}

fn assert_clean(what: &str, value: impl serde::Serialize) {
    let text = serde_json::to_string(&value).unwrap();
    assert!(!text.contains(MARK), "{what} leaks to a requester: {text}");
}

async fn walk(steps: Vec<u8>) {
    let f = common::desk().await;
    let d = &f.desk;
    let mut new = common::incident("PUBLIC VPN down");
    new.possible_causes = vec![secret("cause")];
    new.assigned_resources = vec![secret("resource")];
    new.security = Some(record(d.now()));
    let t = d.open_ticket("bob", new).await.unwrap();
    for n in steps {
        step(d, &t.id, n).await;
    }
    for requester in ["ana", "leo"] {
        match d.ticket(requester, &t.id).await {
            Ok(seen) => {
                // Staff-only facts that carry no text.
                assert!(
                    seen.sla_alerts.is_empty()
                        && seen.escalation_count == 0
                        && seen.milestones.alerted_at.is_none()
                );
                assert!(seen.priority_override.is_none());
                assert_clean("ticket", seen);
            }
            Err(e) => assert_eq!(e.kind(), ErrorKind::NotFound),
        }
        if let Ok(h) = d.history(requester, &t.id).await {
            assert!(h.iter().all(|e| e.event.is_public()));
            assert_clean("history", h);
        }
        if let Ok(Some(s)) = d.sla(requester, &t.id).await {
            assert!(s.targets.iter().all(|t| t.levels.is_empty()), "OLA use");
            assert_clean("sla", s);
        }
        let page = d
            .query(requester, TicketFilter::default(), PageRequest::default())
            .await
            .unwrap();
        assert_clean("query", page.items);
        assert_clean(
            "by folio",
            d.ticket_by_folio(requester, &t.folio).await.ok(),
        );
        for op in ["ticket", "history", "sla"] {
            let args = json!({"actor": requester, "id": t.id});
            assert_clean(op, wire::call(d, op, args).await.ok());
        }
        let args = json!({"actor": requester});
        assert_clean("wire query", wire::call(d, "query", args).await.unwrap());
    }
    // Staff see it all: the markers are really there to be found.
    let staff = serde_json::to_string(&d.history("sue", &t.id).await.unwrap()).unwrap();
    assert!(staff.contains(MARK));
    // Requesters are told of public events only.
    for m in d.outbox(10_000).await.unwrap() {
        if m.notification.users.iter().any(|u| u.as_str() == "ana") {
            assert!(m.notification.public, "{m:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_requester_never_receives_a_staff_only_field(steps in prop::collection::vec(0u8..16, 0..40)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(walk(steps));
    }
}
