//! Keeping the requester informed through the facade (seed 002): `tick` sends a status
//! message when a policy's update interval passes without a public update, delivers it to
//! the requester in their words, once, and starts afresh after an agent's public answer.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{desk_with, incident, office_sla, with_email, Capture};
use foliodesk::core::sla::Target;
use foliodesk::*;

/// Office hours in UTC; P3 updates every 2 business hours.
fn config() -> Config {
    let targets =
        r#"targets.p3 = { first_response = "8h", resolution = "3days", update_every = "2h" }"#;
    let mut c = office_sla(targets, "");
    c.notifications.coalesce = std::time::Duration::ZERO;
    c
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// Ticks at `when` and delivers; the messages sent.
async fn tick_and_deliver(f: &common::Fixture, when: &str) -> Vec<OutgoingMessage> {
    f.clock.set(at(when));
    f.desk.tick().await.unwrap();
    f.clock.advance(Duration::seconds(1));
    let capture = Capture::default();
    while f.desk.deliver(&capture, 50).await.unwrap() != DeliveryReport::default() {}
    capture.0.into_inner().unwrap()
}

#[tokio::test]
async fn the_requester_hears_where_the_ticket_stands_after_a_silent_interval() {
    let f = desk_with(config()).await;
    with_email(&f.desk, &["ana", "bob"]).await;
    let d = &f.desk;
    // Monday 09:00: opened and assigned at once.
    let t = d.open_ticket("ana", incident("Sin correo")).await.unwrap();
    d.assign("bob", &t.id, None, Some("bob".into()))
        .await
        .unwrap();
    let sent = tick_and_deliver(&f, "2026-03-02T09:00:01Z").await;
    assert!(sent.iter().all(|m| !m.text.contains("Seguimos")));

    // Nothing by 10:59; at 11:00 the interval has passed.
    assert!(tick_and_deliver(&f, "2026-03-02T10:59:00Z")
        .await
        .is_empty());
    let sent = tick_and_deliver(&f, "2026-03-02T11:00:00Z").await;
    assert_eq!(sent.len(), 1, "{sent:#?}");
    let m = &sent[0];
    assert_eq!(m.to, "ana@example.com");
    assert!(
        m.subject.contains("Seguimos con su solicitud"),
        "{}",
        m.subject
    );
    assert!(m.text.contains("Estado: en curso"), "{}", m.text);
    assert!(!m.text.contains("SLA"), "staff words stay out: {}", m.text);
    // Ticking again at the same instant sends nothing twice.
    assert!(tick_and_deliver(&f, "2026-03-02T11:00:00Z")
        .await
        .is_empty());
    // The staff's update target still shows the gap: the message is not an update.
    let view = d.sla("bob", &t.id).await.unwrap().unwrap();
    assert!(view.target(Target::Update).unwrap().elapsed >= Duration::hours(2));

    // Bob answers at 12:00: the next message is due 14:00, a first one again.
    f.clock.set(at("2026-03-02T12:00:00Z"));
    d.comment(
        "bob",
        &t.id,
        "Estamos revisando el buzón",
        Visibility::Public,
    )
    .await
    .unwrap();
    let _ = tick_and_deliver(&f, "2026-03-02T12:00:01Z").await;
    assert!(tick_and_deliver(&f, "2026-03-02T13:59:00Z")
        .await
        .is_empty());
    let sent = tick_and_deliver(&f, "2026-03-02T14:00:00Z").await;
    assert_eq!(sent.len(), 1);
    let history = d.history("bob", &t.id).await.unwrap();
    let reports = history
        .iter()
        .filter(|e| e.event.type_name() == "status_reported")
        .count();
    assert_eq!(reports, 2);
}
