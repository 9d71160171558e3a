//! Notifications delivered through a real SMTP server (aiosmtpd on loopback) and parsed
//! back: who gets what, in which language, with which headers; coalescing; failures.

mod common;
mod smtp_sink;

use chrono::Duration;
use common::*;
use foliodesk::smtp::{Smtp, SmtpSecurity, SmtpSettings};
use foliodesk::*;
use mail_parser::{Message, MessageParser};
use smtp_sink::{free_port, Sink};

fn smtp(port: u16) -> Smtp {
    Smtp::new(&SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::None,
        username: None,
        password: None,
        timeout_seconds: 10,
        ca_file: None,
    })
    .unwrap()
}

/// The example desk with addresses for everyone; leo reads English.
async fn addressed(config: Config) -> Fixture {
    let f = desk_with(config).await;
    with_email(&f.desk, &["ana", "leo", "bob", "eva", "sue"]).await;
    let mut leo = f.desk.user("leo").await.unwrap();
    leo.locale = Some(foliodesk::core::notify::Locale::En);
    f.desk.put_user(SYSTEM, leo).await.unwrap();
    f
}

fn parse(raw: &[u8]) -> Message<'_> {
    MessageParser::default()
        .parse(raw)
        .expect("a parseable message")
}

fn to(m: &Message<'_>) -> String {
    m.to()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or_default()
        .to_owned()
}

async fn deliver_all(desk: &Desk, transport: &dyn Transport) -> DeliveryReport {
    let mut total = DeliveryReport::default();
    loop {
        let r = desk.deliver(transport, 50).await.unwrap();
        if r == DeliveryReport::default() {
            return total;
        }
        total += &r;
    }
}

#[tokio::test]
async fn a_new_ticket_confirms_the_folio_and_alerts_the_team() {
    let Some(sink) = Sink::start() else { return };
    let f = addressed(example_config()).await;
    let mut new = incident("La VPN no conecta");
    new.category = Some("Red/VPN".into());
    let t = f.desk.open_ticket("ana", new).await.unwrap();
    let mut en = incident("Printer jammed");
    en.requester = "leo".into();
    let t2 = f.desk.open_ticket("leo", en).await.unwrap();
    let transport = smtp(sink.port);
    assert_eq!(
        f.desk.deliver(&transport, 50).await.unwrap(),
        DeliveryReport::default(),
        "nothing leaves inside the coalescing window"
    );
    f.clock.advance(Duration::seconds(61));
    let report = deliver_all(&f.desk, &transport).await;
    assert_eq!(report.failed, 0, "{report:?}");
    let raws = sink.received();
    let mails: Vec<Message<'_>> = raws.iter().map(|r| parse(r)).collect();
    let ana: Vec<&Message<'_>> = mails
        .iter()
        .filter(|m| to(m) == "ana@example.com")
        .collect();
    assert_eq!(ana.len(), 1, "one confirmation for ana");
    let m = ana[0];
    let subject = m.subject().unwrap();
    assert!(subject.starts_with(&format!("[{}] ", t.folio)), "{subject}");
    assert!(
        subject.contains("Hemos registrado su solicitud"),
        "{subject}"
    );
    let text = m.body_text(0).unwrap();
    assert!(
        text.contains(&format!("con el folio {}", t.folio)),
        "{text}"
    );
    assert!(m.body_html(0).unwrap().contains("<p>"), "an HTML part");
    assert_eq!(
        m.header_raw("Auto-Submitted").map(str::trim),
        Some("auto-generated")
    );
    assert_eq!(
        m.header_raw("X-Auto-Response-Suppress").map(str::trim),
        Some("All")
    );
    let id = m.message_id().unwrap();
    assert!(id.starts_with(&format!("{}.1-1.", t.folio)), "{id}");
    assert_eq!(
        m.in_reply_to().as_text(),
        Some(format!("{}@soporte.example.com", t.folio).as_str()),
        "the thread root, in the configured domain"
    );
    // leo reads English; his own ticket, his confirmation.
    let leo: Vec<_> = mails
        .iter()
        .filter(|m| to(m) == "leo@example.com")
        .collect();
    assert_eq!(leo.len(), 1);
    let subject = leo[0].subject().unwrap();
    assert!(subject.starts_with(&format!("[{}] We have logged your request", t2.folio)));
    // The routed team hears of the new ticket; the requesters' other mail is none.
    let routed = f.desk.ticket("sue", &t.id).await.unwrap().team.unwrap();
    let team = f.desk.team(routed.as_str()).await.unwrap();
    for id in ["bob", "sue", "eva"] {
        let member = f.desk.user(id).await.unwrap().teams.contains(&team.id);
        let alerts = mails
            .iter()
            .filter(|m| to(m) == format!("{id}@example.com"))
            .filter(|m| m.subject().unwrap().contains(&t.folio))
            .count();
        assert_eq!(alerts, usize::from(member), "{id} in {}: {member}", team.id);
    }
    assert!(
        f.desk.outbox(100).await.unwrap().is_empty(),
        "all acknowledged"
    );
}

#[tokio::test]
async fn events_in_the_window_make_one_message_and_notes_stay_internal() {
    let Some(sink) = Sink::start() else { return };
    let f = addressed(example_config()).await;
    let t = f
        .desk
        .open_ticket("ana", incident("Sin correo"))
        .await
        .unwrap();
    let d = &f.desk;
    d.execute(
        "sue",
        &t.id,
        Command::Assign {
            team: None,
            assignee: Some("bob".into()),
        },
    )
    .await
    .unwrap();
    let transport = smtp(sink.port);
    f.clock.advance(Duration::seconds(61));
    deliver_all(d, &transport).await;
    let before = sink.received().len();
    // A storm: 300 replies and notes in one minute.
    for i in 0..300 {
        let visibility = if i % 3 == 2 {
            Visibility::Internal
        } else {
            Visibility::Public
        };
        let body = format!(
            "{} {i}",
            if i % 3 == 2 {
                "NOTA-INTERNA"
            } else {
                "Respuesta"
            }
        );
        d.execute("bob", &t.id, Command::Comment { body, visibility })
            .await
            .unwrap();
        f.clock.advance(Duration::milliseconds(200));
    }
    f.clock.advance(Duration::seconds(61));
    let report = deliver_all(d, &transport).await;
    let raws = sink.received();
    let mails: Vec<Message<'_>> = raws[before..].iter().map(|r| parse(r)).collect();
    assert_eq!(report.sent as usize, mails.len());
    assert_eq!(
        mails.len(),
        1,
        "ana alone, once: bob is the actor; {report:?}"
    );
    let text = mails[0].body_text(0).unwrap();
    assert_eq!(
        text.matches("Respuesta ").count(),
        200,
        "every public reply is in it"
    );
    assert!(
        !text.contains("NOTA-INTERNA"),
        "never an internal note to a requester"
    );
}

#[tokio::test]
async fn a_server_that_is_down_retries_then_dead_letters_and_requeue_delivers() {
    let Some(sink) = Sink::start() else { return };
    let mut config = example_config();
    config.notifications.delivery.max_attempts = 3;
    let f = addressed(config).await;
    let t = f
        .desk
        .open_ticket("ana", incident("Pantalla azul"))
        .await
        .unwrap();
    let down = smtp(free_port());
    f.clock.advance(Duration::seconds(61));
    let mut dead = 0;
    for attempt in 1..=3 {
        let r = deliver_all(&f.desk, &down).await;
        assert!(r.failed > 0, "attempt {attempt}: {r:?}");
        dead += r.dead;
        f.clock.advance(Duration::hours(2));
    }
    assert!(dead > 0);
    let letters = f.desk.dead_letters(100).await.unwrap();
    assert!(letters
        .iter()
        .all(|l| l.attempts == 3 && l.notification.ticket_id == t.id));
    assert!(!letters[0].reason.is_empty());
    assert!(
        f.desk.outbox(100).await.unwrap().is_empty(),
        "nothing pending, nothing lost"
    );
    let ids: Vec<u64> = letters.iter().map(|l| l.id).collect();
    assert_eq!(f.desk.requeue_dead(&ids).await.unwrap(), ids.len() as u64);
    let r = deliver_all(&f.desk, &smtp(sink.port)).await;
    assert!(r.sent > 0 && r.failed == 0, "{r:?}");
    assert!(sink
        .received()
        .iter()
        .any(|raw| to(&parse(raw)) == "ana@example.com"));
    assert!(f.desk.dead_letters(100).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_template_that_fails_when_rendered_is_a_dead_letter_with_the_reason() {
    let mut config = example_config();
    config.notifications.templates.insert(
        "es/opened".into(),
        "{% block subject %}{{ ticket.nope.deeper }}{% endblock %}{% block body %}x{% endblock %}"
            .into(),
    );
    let f = addressed(config).await;
    f.desk
        .open_ticket("ana", incident("Teclado"))
        .await
        .unwrap();
    f.clock.advance(Duration::seconds(61));
    let batch = f.desk.claim_messages(10).await.unwrap();
    assert!(batch.report.dead > 0, "{:?}", batch.report);
    let letters = f.desk.dead_letters(10).await.unwrap();
    assert!(
        letters[0]
            .reason
            .contains("notifications.templates.es/opened"),
        "{}",
        letters[0].reason
    );
}

#[tokio::test]
async fn a_template_that_does_not_compile_is_refused_when_the_configuration_loads() {
    let text = "[notifications.templates]\n\"en/closed\" = \"\"\"{% block subject %}\nok\n{% if %}\"\"\"\n";
    let err = Config::from_toml_str(text, "desk.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("en/closed") && err.contains("line 3"), "{err}");
}
