//! Every built-in template renders, in both languages, for requesters and staff: the seed
//! process is run with every event type told to everyone, and every message is checked.

mod common;

use std::sync::Mutex;

use async_trait::async_trait;
use chrono::Duration;
use common::*;
use foliodesk::core::notify::{Audience, Locale};
use foliodesk::*;

async fn everything_told(locale: Locale) -> Vec<OutgoingMessage> {
    let mut config = example_config();
    let n = &mut config.notifications;
    n.locale = locale;
    n.notify_actor = true;
    n.coalesce = std::time::Duration::ZERO;
    for event in foliodesk::core::event::EVENT_TYPES {
        n.events.insert(event.to_string(), Audience::ALL.to_vec());
    }
    let f = desk_with(config).await;
    with_email(&f.desk, &["ana", "bob", "eva", "sue"]).await;
    let (d, capture) = (&f.desk, Capture::default());
    let drain = || async {
        f.clock.advance(Duration::seconds(1));
        while d.deliver(&capture, 50).await.unwrap() != DeliveryReport::default() {}
    };
    let t = d
        .open_ticket("ana", incident("Impresora atascada"))
        .await
        .unwrap();
    let id = t.id.clone();
    // One event at a time, each delivered before the next, so that each template shows.
    macro_rules! step {
        ($call:expr) => {{
            $call.await.unwrap();
            drain().await;
        }};
    }
    drain().await;
    step!(d.assign("sue", &id, None, Some("bob".into())));
    step!(d.add_watcher("bob", &id, "sue"));
    step!(d.comment("bob", &id, "¿Qué modelo es?", Visibility::Public));
    step!(d.comment("bob", &id, "Posible fusor", Visibility::Internal));
    let edit = TicketEdit {
        title: Some("Impresora atascada en la 2ª planta".into()),
        possible_causes: Some(vec!["Posible fusor gastado".into()]),
        ..Default::default()
    };
    step!(d.edit("bob", &id, edit));
    step!(d.set_pending("bob", &id, "Necesitamos el modelo"));
    step!(d.comment("ana", &id, "HP 4250", Visibility::Public));
    let more = PriorityChange {
        impact: Some(4),
        ..Default::default()
    };
    step!(d.change_priority("bob", &id, more));
    step!(d.reclassify("bob", &id, None, Some("Hardware/Impresoras".into())));
    step!(d.escalate("bob", &id, EscalationKind::Hierarchical, None, "Recursos"));
    step!(d.escalate("bob", &id, EscalationKind::Functional, None, "Proveedor"));
    step!(d.assign("eva", &id, None, Some("eva".into())));
    step!(d.propose_solution("eva", &id, "Fusor cambiado"));
    step!(d.reject_solution("ana", &id, "Sigue atascando"));
    step!(d.propose_solution("eva", &id, "Rodillo cambiado"));
    step!(d.confirm_solution("ana", &id));
    step!(d.rate("ana", &id, 5, Some("Muy bien".into())));
    step!(d.close("sue", &id, Some("Revisado".into())));
    step!(d.reopen("ana", &id, "Ha vuelto"));
    step!(d.cancel("sue", &id, CancelReason::Duplicate, "Ver otro"));
    drain().await;
    assert!(
        d.dead_letters(10).await.unwrap().is_empty(),
        "every template rendered"
    );
    capture.0.into_inner().unwrap()
}

#[tokio::test]
async fn every_template_renders_in_spanish_and_english() {
    for locale in [Locale::Es, Locale::En] {
        let sent = everything_told(locale).await;
        let kinds: std::collections::BTreeSet<String> = sent
            .iter()
            .map(|m| m.subject.split(": ").next().unwrap().to_owned())
            .collect();
        assert!(kinds.len() >= 15, "{locale}: {kinds:?}");
        for m in &sent {
            assert_eq!(m.locale, locale);
            assert!(m.subject.starts_with("[INC-2026-000001] "), "{}", m.subject);
            for text in [&m.subject, &m.text, &m.html] {
                assert!(!text.contains("{{") && !text.contains("{%"), "{text}");
                assert!(
                    !text.contains("none") && !text.contains("undefined"),
                    "{text}"
                );
            }
            assert!(m.html.starts_with("<!DOCTYPE html>"));
            if m.to == "ana@example.com" {
                for staff_only in ["Posible fusor", "Proveedor", "Recursos", "SLA"] {
                    assert!(
                        !m.text.contains(staff_only),
                        "ana got {staff_only}: {}",
                        m.text
                    );
                }
            }
        }
        let ana_en_status = sent.iter().any(|m| {
            m.text.contains(if locale == Locale::Es {
                "Estado: cancelado"
            } else {
                "Status: cancelled"
            })
        });
        assert!(ana_en_status, "statuses in the reader's words");
    }
}

/// Fails bob's first mail about the first comment, passes everything else.
#[derive(Default)]
struct BobFailsOnce(Mutex<(bool, Vec<OutgoingMessage>)>);

#[async_trait]
impl Transport for BobFailsOnce {
    async fn send(&self, m: &OutgoingMessage) -> std::result::Result<(), SendError> {
        let mut state = self.0.lock().unwrap();
        if m.user.as_str() == "bob" && m.text.contains("Primera") && !state.0 {
            state.0 = true;
            return Err(SendError {
                reason: "421 busy".into(),
                permanent: false,
            });
        }
        state.1.push(m.clone());
        Ok(())
    }
}

#[tokio::test]
async fn a_retry_that_covers_more_events_has_a_new_message_id() {
    let f = desk_with(example_config()).await;
    with_email(&f.desk, &["ana", "bob"]).await;
    let d = &f.desk;
    let t = d.open_ticket("ana", incident("Sin VPN")).await.unwrap();
    d.assign("sue", &t.id, None, Some("bob".into()))
        .await
        .unwrap();
    f.clock.advance(Duration::minutes(2));
    let transport = BobFailsOnce::default();
    while d.deliver(&transport, 10).await.unwrap() != DeliveryReport::default() {}
    d.comment("sue", &t.id, "Primera", Visibility::Public)
        .await
        .unwrap();
    f.clock.advance(Duration::minutes(2));
    let r = d.deliver(&transport, 10).await.unwrap();
    assert_eq!(
        (r.sent, r.failed),
        (1, 1),
        "ana's went, bob's failed: {r:?}"
    );
    d.comment("sue", &t.id, "Segunda", Visibility::Public)
        .await
        .unwrap();
    f.clock.advance(Duration::hours(1));
    while d.deliver(&transport, 10).await.unwrap() != DeliveryReport::default() {}
    let sent = transport.0.into_inner().unwrap().1;
    let to_ana: Vec<&OutgoingMessage> = sent
        .iter()
        .filter(|m| m.user.as_str() == "ana" && m.text.contains("Primera"))
        .collect();
    assert_eq!(
        to_ana.len(),
        2,
        "ana is sent the retried row again, with the new one"
    );
    assert!(to_ana[1].text.contains("Segunda"));
    assert_ne!(
        to_ana[0].message_id, to_ana[1].message_id,
        "a receiver dropping repeats must not drop the second comment"
    );
    let bob: Vec<_> = sent.iter().filter(|m| m.user.as_str() == "bob").collect();
    assert!(bob
        .iter()
        .any(|m| m.text.contains("Primera") && m.text.contains("Segunda")));
}
