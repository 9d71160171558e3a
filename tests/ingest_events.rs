//! Monitoring events through the facade on every backend (seed 004): events under one
//! correlation key go to the one ticket open for it with an occurrence count; a recovery
//! proposes the solution on an open ticket and is only recorded on one nobody works yet;
//! a repeat after the solution reopens; a finished ticket is followed by a new one; the
//! same event twice changes nothing; concurrent events for a new key open one ticket.

mod common;

use common::{desk_at, example_config, fresh};
use foliodesk::core::inbound::plan::Ignored;
use foliodesk::core::inbound::InboundMessage;
use foliodesk::*;
use foliodesk_sql::Dialect;

fn event(key: &str, n: usize, recovery: bool) -> InboundMessage {
    let state = if recovery { "OK" } else { "PROBLEM" };
    let json = serde_json::json!({
        "channel": "event",
        "from": "zabbix",
        "subject": format!("{state}: {key}"),
        "text": format!("{state}: {key} (check {n})"),
        "message_id": format!("zbx-{key}-{n}-{state}"),
        "thread_key": key,
        "recovery": recovery,
    });
    serde_json::from_value(json).unwrap()
}

async fn ingest(d: &Desk, m: InboundMessage) -> Ingested {
    d.ingest(m).await.unwrap()
}

async fn scenario(url: &str, per_key: usize) {
    let f = desk_at(url, example_config()).await;
    let d = &f.desk;
    let keys: Vec<String> = (0..10).map(|k| format!("web-{k:02}/cpu")).collect();
    let mut opened = std::collections::BTreeMap::new();
    for n in 0..per_key {
        for key in &keys {
            let got = ingest(d, event(key, n, false)).await;
            match got.outcome {
                IngestOutcome::Opened => assert!(opened.insert(key.clone(), got.ticket).is_none()),
                IngestOutcome::Added => assert_eq!(opened[key], got.ticket, "{got:?}"),
                _ => panic!("{got:?}"),
            }
        }
    }
    assert_eq!(opened.len(), keys.len(), "one ticket per key");
    for (key, id) in &opened {
        let t = d.ticket("bob", id.as_ref().unwrap()).await.unwrap();
        assert_eq!(t.occurrences as usize, per_key, "{key}");
        assert_eq!(t.thread_key.as_deref(), Some(key.as_str()));
        assert_eq!((t.channel, t.status), (Channel::Event, Status::New));
    }
    // The monitoring system became a requester with no address: nothing is mailed back.
    assert_eq!(d.user("zabbix").await.unwrap().email, None);
    // The same event again changes nothing.
    let again = ingest(d, event(&keys[0], 0, false)).await;
    assert_eq!(again.outcome, IngestOutcome::Duplicate, "{again:?}");

    // A recovery on a ticket somebody works proposes its solution; a repeat reopens it.
    let t0 = opened[&keys[0]].clone().unwrap();
    d.assign("bob", &t0, None, Some("bob".into()))
        .await
        .unwrap();
    let got = ingest(d, event(&keys[0], 9001, true)).await;
    assert_eq!(got.outcome, IngestOutcome::Added, "{got:?}");
    let t = d.ticket("bob", &t0).await.unwrap();
    assert_eq!(t.status, Status::Resolved);
    assert_eq!(t.solution.as_deref(), Some("OK: web-00/cpu (check 9001)"));
    assert_eq!(
        t.occurrences as usize, per_key,
        "a recovery is not an occurrence"
    );
    ingest(d, event(&keys[0], 9002, false)).await;
    let t = d.ticket("bob", &t0).await.unwrap();
    assert_eq!((t.status, t.reopen_count), (Status::Open, 1));
    let history = d.history("bob", &t0).await.unwrap();
    let last: Vec<&str> = history
        .iter()
        .rev()
        .take(3)
        .map(|e| e.event.type_name())
        .collect();
    assert_eq!(last, ["received", "solution_rejected", "recurred"]);
    assert_eq!(history.last().unwrap().actor.as_str(), SYSTEM);

    // On a ticket nobody took yet, a recovery is recorded and nothing else.
    let t1 = opened[&keys[1]].clone().unwrap();
    ingest(d, event(&keys[1], 9001, true)).await;
    assert_eq!(d.ticket("bob", &t1).await.unwrap().status, Status::New);

    // A finished ticket is followed by a new one for the same key.
    let t2 = opened[&keys[2]].clone().unwrap();
    let t2 = d
        .cancel("bob", &t2, CancelReason::Duplicate, "same as another")
        .await
        .unwrap();
    let next = ingest(d, event(&keys[2], 9003, false)).await;
    assert_eq!(next.outcome, IngestOutcome::Opened, "{next:?}");
    let follower = d
        .ticket("bob", next.ticket.as_ref().unwrap())
        .await
        .unwrap();
    assert_ne!(follower.id, t2.id);
    assert!(follower.tags.contains(&format!("follows:{}", t2.folio)));
    let added = ingest(d, event(&keys[2], 9004, false)).await;
    assert_eq!(added.ticket, next.ticket, "later events go to the new one");

    // A recovery for a key with nothing open is dropped, saying so.
    let none = ingest(d, event("db-01/disk", 1, true)).await;
    assert_eq!(none.ignored, Some(Ignored::Cleared), "{none:?}");

    // Concurrent first events for one key: one ticket, every event counted on it.
    let burst = (0..8).map(|n| d.ingest(event("db-02/disk", n, false)));
    let got = futures_util::future::join_all(burst).await;
    let tickets: std::collections::BTreeSet<_> = got
        .iter()
        .map(|g| g.as_ref().unwrap().ticket.clone())
        .collect();
    assert_eq!(tickets.len(), 1, "{got:?}");
    let t = d
        .ticket("bob", tickets.first().unwrap().as_ref().unwrap())
        .await
        .unwrap();
    assert_eq!(t.occurrences, 8);
}

/// 10,000 events for 10 keys make 10 tickets, each counting its 1,000 occurrences.
#[tokio::test]
async fn memory_ten_thousand_events() {
    scenario("memory://", 1000).await;
}

#[tokio::test]
async fn redb() {
    let dir = tempfile::tempdir().unwrap();
    scenario(
        &format!("redb://{}", dir.path().join("ev.redb").display()),
        3,
    )
    .await;
}

async fn sql(d: Dialect) {
    if let Some(db) = fresh(d, &format!("ingest_events_{d:?}")).await {
        scenario(&db.url, 3).await;
    }
}

#[tokio::test]
async fn sqlite() {
    sql(Dialect::Sqlite).await;
}

#[tokio::test]
async fn postgres() {
    sql(Dialect::Postgres).await;
}

#[tokio::test]
async fn mysql() {
    sql(Dialect::MySql).await;
}

/// A chat conversation: its key threads the messages into one ticket, each a public
/// comment by the person chatting, who gets no mail at a phone number.
#[tokio::test]
async fn chat_messages_thread_by_their_conversation_key() {
    let f = desk_at("memory://", example_config()).await;
    let d = &f.desk;
    let say = |n: usize, text: &str| {
        let json = serde_json::json!({
            "channel": "chat", "from": "+34600111222", "from_name": "Lola",
            "text": text, "message_id": format!("chat-7-{n}"), "thread_key": "session-7",
        });
        serde_json::from_value::<InboundMessage>(json).unwrap()
    };
    let first = d.ingest(say(1, "La impresora no imprime")).await.unwrap();
    assert_eq!(first.outcome, IngestOutcome::Opened, "{first:?}");
    let second = d.ingest(say(2, "Es la de la planta 2")).await.unwrap();
    assert_eq!(
        (second.outcome, &second.ticket),
        (IngestOutcome::Added, &first.ticket)
    );
    let t = d
        .ticket("bob", first.ticket.as_ref().unwrap())
        .await
        .unwrap();
    assert_eq!(t.title, "La impresora no imprime");
    assert_eq!(t.comments.len(), 1);
    assert_eq!(t.comments[0].author.as_str(), "+34600111222");
    assert_eq!(d.user("+34600111222").await.unwrap().email, None);
}
