//! Conformance checks for the outbox as a work queue: leases, coalescing, retries, dead
//! letters, and concurrent workers.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::{seeded, Harness, Kit};
use crate::command::Command;
use crate::notify::{Claim, Failure};
use crate::store::Store;
use crate::vocabulary::Visibility;

fn claim(token: &str, now: DateTime<Utc>, tickets: u32) -> Claim {
    Claim {
        token: token.into(),
        now,
        lease_until: now + Duration::minutes(5),
        tickets,
    }
}

/// Opens `n` tickets at minute 0 (each writes one `opened` row for ana).
async fn opened(store: &Arc<dyn Store>, kit: &Kit, n: usize) {
    for i in 0..n {
        store
            .append(kit.incident(&format!("t{i}"), Kit::at(0)))
            .await
            .unwrap();
    }
}

/// Rows wait out the coalescing window; then one claim takes every row of a ready ticket,
/// including those still inside their window, and no other claim gets them until the
/// lease ends.
pub async fn outbox_claims_lease_whole_tickets(h: &dyn Harness) {
    let (store, kit) = seeded(h, "outbox_claims_lease_whole_tickets").await;
    let window = kit.config.notifications.coalesce.as_secs() as i64;
    let t = store
        .append(kit.incident("t1", Kit::at(0)))
        .await
        .unwrap()
        .ticket;
    let comment = Command::Comment {
        body: "¿Sigue fallando?".into(),
        visibility: Visibility::Public,
    };
    // A second row for ana, by sue, half a window later.
    let later = Kit::at(0) + Duration::seconds(window / 2);
    let assign = Command::Assign {
        team: None,
        assignee: Some("bob".into()),
    };
    let t = store
        .append(kit.then(&t, later, "sue", assign))
        .await
        .unwrap()
        .ticket;
    store
        .append(kit.then(&t, later, "bob", comment))
        .await
        .unwrap();
    assert_eq!(store.outbox(100).await.unwrap().len(), 3);
    let early = Kit::at(0) + Duration::seconds(window - 1);
    assert!(
        store
            .claim_outbox(&claim("a", early, 10))
            .await
            .unwrap()
            .is_empty(),
        "nothing leaves inside the window"
    );
    let due = Kit::at(0) + Duration::seconds(window);
    let got = store.claim_outbox(&claim("a", due, 10)).await.unwrap();
    let seqs: Vec<u64> = got.iter().map(|m| m.notification.sequence).collect();
    assert_eq!(seqs, [1, 2, 3], "the ready ticket's later rows come along");
    assert!(store
        .claim_outbox(&claim("b", due, 10))
        .await
        .unwrap()
        .is_empty());
    // The lease ends: another worker may take them.
    let after = due + Duration::minutes(5);
    let again = store.claim_outbox(&claim("b", after, 10)).await.unwrap();
    assert_eq!(again.len(), 3, "an expired lease frees the rows");
    store
        .ack_outbox(&again.iter().map(|m| m.id).collect::<Vec<_>>())
        .await
        .unwrap();
    assert!(store.outbox(100).await.unwrap().is_empty());
    assert!(store
        .claim_outbox(&claim("c", after + Duration::hours(1), 10))
        .await
        .unwrap()
        .is_empty());
}

/// `tickets` bounds a claim; oldest tickets first.
pub async fn outbox_claims_oldest_tickets_first(h: &dyn Harness) {
    let (store, kit) = seeded(h, "outbox_claims_oldest_tickets_first").await;
    opened(&store, &kit, 5).await;
    let now = Kit::at(60);
    let first = store.claim_outbox(&claim("a", now, 2)).await.unwrap();
    let ids: Vec<&str> = first
        .iter()
        .map(|m| m.notification.ticket_id.as_str())
        .collect();
    assert_eq!(ids, ["t0", "t1"]);
    let rest = store.claim_outbox(&claim("b", now, 10)).await.unwrap();
    let ids: Vec<&str> = rest
        .iter()
        .map(|m| m.notification.ticket_id.as_str())
        .collect();
    assert_eq!(ids, ["t2", "t3", "t4"]);
}

/// A failure counts an attempt and holds the row until its retry time; with no retry time
/// it is a dead letter with the reason, out of the outbox until requeued.
pub async fn outbox_failures_retry_then_dead_letter(h: &dyn Harness) {
    let (store, kit) = seeded(h, "outbox_failures_retry_then_dead_letter").await;
    opened(&store, &kit, 2).await;
    let now = Kit::at(60);
    let got = store.claim_outbox(&claim("a", now, 10)).await.unwrap();
    assert_eq!(got.len(), 2);
    let (t0, t1) = (got[0].id, got[1].id);
    let retry = now + Duration::minutes(10);
    let fail = |ids: Vec<u64>, retry_at| Failure {
        ids,
        reason: "421 try later".into(),
        retry_at,
    };
    store
        .fail_outbox(&fail(vec![t0], Some(retry)))
        .await
        .unwrap();
    store.fail_outbox(&fail(vec![t1], None)).await.unwrap();
    let pending = store.outbox(100).await.unwrap();
    assert_eq!(pending.len(), 1, "the dead letter left the outbox");
    assert_eq!((pending[0].id, pending[0].attempts), (t0, 1));
    let soon = retry - Duration::seconds(1);
    assert!(store
        .claim_outbox(&claim("b", soon, 10))
        .await
        .unwrap()
        .is_empty());
    let back = store.claim_outbox(&claim("b", retry, 10)).await.unwrap();
    assert_eq!(
        back.iter().map(|m| (m.id, m.attempts)).collect::<Vec<_>>(),
        [(t0, 1)]
    );
    store.fail_outbox(&fail(vec![t1], None)).await.unwrap();
    let dead = store.dead_letters(10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(
        (dead[0].id, dead[0].attempts),
        (t1, 1),
        "failing a dead letter again changes nothing"
    );
    assert_eq!(dead[0].reason, "421 try later");
    assert_eq!(dead[0].notification.ticket_id.as_str(), "t1");
    assert_eq!(
        store.requeue_dead(&[t1, t0, 999]).await.unwrap(),
        1,
        "only dead rows"
    );
    assert!(store.dead_letters(10).await.unwrap().is_empty());
    let requeued = store.claim_outbox(&claim("c", retry, 10)).await.unwrap();
    assert_eq!(
        requeued
            .iter()
            .map(|m| (m.id, m.attempts))
            .collect::<Vec<_>>(),
        [(t1, 0)]
    );
}

/// Four workers claiming at once never share a row, and together take them all.
pub async fn concurrent_claims_share_nothing(h: &dyn Harness) {
    let (store, kit) = seeded(h, "concurrent_claims_share_nothing").await;
    opened(&store, &kit, 40).await;
    let now = Kit::at(60);
    let mut tasks = Vec::new();
    for w in 0..4 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            for round in 0.. {
                let got = store
                    .claim_outbox(&claim(&format!("w{w}.{round}"), now, 3))
                    .await
                    .unwrap();
                if got.is_empty() {
                    return mine;
                }
                mine.extend(got.into_iter().map(|m| m.id));
            }
            unreachable!("the loop ends when nothing is left")
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let n = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), n, "no row claimed twice");
    assert_eq!(n, 40, "every row claimed");
}
