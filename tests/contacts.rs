//! Contact records through the facade on every backend: a call that opens a ticket, one
//! abandoned before anyone answered (no ticket, still recorded), a chat recorded as it
//! opens and again once answered; read back by start time in pages; typed refusals.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{desk_at, example_config};
use foliodesk::core::contact::Contact;
use foliodesk::core::inbound::InboundMessage;
use foliodesk::*;

fn call(id: &str, at: DateTime<Utc>, text: &str, times: serde_json::Value) -> InboundMessage {
    serde_json::from_value(serde_json::json!({
        "channel": "phone", "from": "+34600111222", "text": text,
        "message_id": id, "external_id": id, "received_at": at, "contact": times,
    }))
    .unwrap()
}

async fn scenario(url: &str) {
    let f = desk_at(url, example_config()).await;
    let d = &f.desk;
    let t0 = d.now();
    let answered = call(
        "call-1",
        t0,
        "No arranca el portátil",
        serde_json::json!({
            "started_at": t0, "answered_at": t0 + Duration::seconds(35),
            "ended_at": t0 + Duration::minutes(6), "agent": "bob",
        }),
    );
    let got = d.ingest(answered).await.unwrap();
    assert_eq!(got.outcome, IngestOutcome::Opened, "{got:?}");
    let gave_up = call(
        "call-2",
        t0 + Duration::minutes(10),
        "",
        serde_json::json!({ "started_at": t0 + Duration::minutes(10), "abandoned": true }),
    );
    let dropped = d.ingest(gave_up).await.unwrap();
    assert_eq!(
        dropped.outcome,
        IngestOutcome::Ignored,
        "nothing said: no ticket"
    );

    // A chat recorded as it opens, then again once answered: one record, the last.
    let mut chat = Contact {
        id: "chat-9".into(),
        channel: Channel::Chat,
        from: "lola".into(),
        started_at: t0 + Duration::minutes(20),
        answered_at: None,
        ended_at: None,
        abandoned: false,
        agent: None,
        ticket: None,
    };
    d.record_contact(SYSTEM, chat.clone()).await.unwrap();
    chat.answered_at = Some(chat.started_at + Duration::seconds(12));
    chat.agent = Some("eva".into());
    d.record_contact("bob", chat.clone()).await.unwrap();

    let all = d
        .contacts("sue", t0, t0 + Duration::hours(1), None, 10)
        .await
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["call-1", "call-2", "chat-9"]);
    assert_eq!(all[0].ticket, got.ticket);
    assert_eq!(all[0].answer_seconds(), Some(35));
    assert!(all[1].abandoned && all[1].ticket.is_none());
    assert_eq!(all[2], chat);
    let page = d
        .contacts("sue", t0, t0 + Duration::hours(1), None, 2)
        .await
        .unwrap();
    let last = page.last().unwrap();
    let after = ContactCursor {
        started_at: last.started_at,
        id: last.id.clone(),
    };
    let rest = d
        .contacts("sue", t0, t0 + Duration::hours(1), Some(after), 2)
        .await
        .unwrap();
    assert_eq!(rest, [chat.clone()]);

    // Refusals: a requester, an abandoned call with an agent, an unknown ticket.
    let e = d.contacts("ana", t0, t0, None, 10).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
    let mut bad = chat.clone();
    bad.abandoned = true;
    let e = d.record_contact("bob", bad).await.unwrap_err();
    assert_eq!(e.field(), Some("contact.abandoned"), "{e}");
    let mut bad = chat;
    bad.ticket = Some("nope".into());
    let e = d.record_contact("bob", bad).await.unwrap_err();
    assert_eq!(e.field(), Some("contact.ticket"), "{e}");
    let odd = call(
        "call-3",
        t0,
        "x",
        serde_json::json!({ "started_at": t0, "answered_at": t0 - Duration::seconds(1) }),
    );
    let e = d.ingest(odd).await.unwrap_err();
    assert_eq!(e.field(), Some("contact.answered_at"), "{e}");
    let none = d
        .contacts("sue", t0, t0 + Duration::hours(1), None, 10)
        .await;
    assert_eq!(none.unwrap().len(), 3, "the refused call left nothing");
}

on_every_backend!(scenario, "contacts");
