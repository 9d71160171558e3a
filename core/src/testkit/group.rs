//! Concurrent appends of every sort at once, as a group commit gathers them: new tickets,
//! two creators of one ticket id, racers on one ticket's version. Each gets the answer it
//! would get alone, and what is stored is exactly what was acknowledged.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::checks::seeded;
use super::{Harness, Kit};
use crate::command::Command;
use crate::error::ErrorKind;
use crate::hash::verify;
use crate::store::{AppendEvents, Appended, Store};
use crate::vocabulary::Visibility;
use crate::Result;

const ROUNDS: usize = 6;

/// Appends of one round, all started at once; their answers in the same order.
pub(super) async fn race(store: &Arc<dyn Store>, reqs: Vec<AppendEvents>) -> Vec<Result<Appended>> {
    let tasks: Vec<_> = (reqs.into_iter())
        .map(|req| {
            let store = store.clone();
            tokio::spawn(async move { store.append(req).await })
        })
        .collect();
    let mut answers = Vec::with_capacity(tasks.len());
    for task in tasks {
        answers.push(task.await.expect("append task"));
    }
    answers
}

/// Per round: eight new tickets, three creators of one id, three racers on one ticket's
/// version. Each new ticket is stored with a folio, one creator and one racer win and the
/// others get `Conflict`, folios stay gap-free, and every history verifies.
pub async fn mixed_concurrent_appends_answer_each_alone(h: &dyn Harness) {
    let (store, kit) = seeded(h, "mixed_concurrent_appends_answer_each_alone").await;
    let shared = store
        .append(kit.incident("shared", Kit::at(0)))
        .await
        .unwrap()
        .ticket;
    let mut folios = BTreeSet::from([shared.folio.clone()]);
    let mut version = shared.version;
    for round in 0..ROUNDS {
        let at = Kit::at(1 + round as i64);
        let head = store.ticket(&shared.id).await.unwrap().unwrap();
        let mut reqs: Vec<_> = (0..8)
            .map(|i| kit.incident(&format!("r{round}-new{i}"), at))
            .collect();
        reqs.extend((0..3).map(|_| kit.incident(&format!("r{round}-twin"), at)));
        reqs.extend((0..3).map(|i| {
            let body = format!("round {round} racer {i}");
            let comment = Command::Comment {
                body,
                visibility: Visibility::Internal,
            };
            kit.then(&head, at, "bob", comment)
        }));
        let answers = race(&store, reqs).await;
        for (i, answer) in answers[..8].iter().enumerate() {
            let done = answer
                .as_ref()
                .unwrap_or_else(|e| panic!("new ticket {i}: {e}"));
            assert!(
                folios.insert(done.ticket.folio.clone()),
                "folio drawn twice"
            );
        }
        for (group, what) in [(&answers[8..11], "twin"), (&answers[11..], "racer")] {
            let won: Vec<_> = group.iter().filter_map(|a| a.as_ref().ok()).collect();
            assert_eq!(won.len(), 1, "round {round}: exactly one {what} wins");
            for lost in group.iter().filter_map(|a| a.as_ref().err()) {
                assert_eq!(lost.kind(), ErrorKind::Conflict, "{what}: {lost}");
            }
            if what == "twin" {
                assert!(folios.insert(won[0].ticket.folio.clone()));
            }
        }
        version += 1;
    }
    let expected: BTreeSet<String> = (1..=folios.len())
        .map(|n| format!("INC-2026-{n:06}"))
        .collect();
    assert_eq!(folios, expected, "gap-free: no loser kept a number");
    let shared_now = store.ticket(&shared.id).await.unwrap().unwrap();
    assert_eq!(shared_now.version, version, "one racer per round was kept");
    let events = store.events(&shared.id).await.unwrap();
    assert_eq!(events.len() as u64, version);
    assert!(verify(&events).is_intact());
    for round in 0..ROUNDS {
        let twin = kit
            .incident(&format!("r{round}-twin"), Kit::at(0))
            .ticket_id;
        let events = store.events(&twin).await.unwrap();
        assert_eq!(events.len(), 1, "one creator's events, not two");
        assert!(verify(&events).is_intact());
    }
}
