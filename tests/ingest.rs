//! Intake of e-mail through the facade on every backend: a new mail opens a ticket, a
//! reply (by the folio in its subject, or by References alone) adds to it, a machine's mail
//! is dropped with the reason, a stranger becomes a requester — and the same message taken
//! in twice, as an IMAP reader after a crash would, changes nothing the second time.

mod common;

use common::{desk_at, example_config, fresh, with_email};
use foliodesk::core::inbound::plan::Ignored;
use foliodesk::core::inbound::Automatic;
use foliodesk::*;
use foliodesk_sql::Dialect;

fn mail(from: &str, id: &str, subject: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: soporte@example.com\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         {extra}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

async fn scenario(url: &str) {
    let f = desk_at(url, example_config()).await;
    let d = &f.desk;
    with_email(d, &["ana", "bob"]).await;

    // A new mail opens a ticket; the same mail again is a duplicate.
    let first = mail(
        "Ana <ANA@example.com>",
        "n1@example.com",
        "Sin VPN",
        "",
        "No conecta.",
    );
    let got = d.ingest_email(&first).await.unwrap();
    assert_eq!(got.outcome, IngestOutcome::Opened, "{got:?}");
    let (id, folio) = (got.ticket.clone().unwrap(), got.folio.clone().unwrap());
    let t = d.ticket("bob", &id).await.unwrap();
    assert_eq!((t.requester.as_str(), t.title.as_str()), ("ana", "Sin VPN"));
    assert_eq!(t.channel, Channel::Email);
    let again = d.ingest_email(&first).await.unwrap();
    assert_eq!(
        (again.outcome, again.ticket),
        (IngestOutcome::Duplicate, Some(id.clone()))
    );

    // A reply by the folio in the subject, with the quoted history cut off.
    let subject = format!("RE: [{folio}] Sin VPN");
    let quoted = "Ya reinicié.\r\n\r\nEl lun, 2 mar 2026, Soporte escribió:\r\n> ¿Ha reiniciado?";
    let reply = mail("ana@example.com", "n2@example.com", &subject, "", quoted);
    assert_eq!(
        d.ingest_email(&reply).await.unwrap().outcome,
        IngestOutcome::Added
    );
    assert_eq!(
        d.ingest_email(&reply).await.unwrap().outcome,
        IngestOutcome::Duplicate
    );
    let t = d.ticket("bob", &id).await.unwrap();
    let bodies: Vec<&str> = t.comments.iter().map(|c| c.body.as_str()).collect();
    assert_eq!(bodies, ["Ya reinicié."]);

    // A reply whose subject was rewritten finds the ticket by the desk's own Message-ID.
    let refs = format!("References: <{folio}.1-1.abcd@soporte.example.com>\r\n");
    let rewritten = mail(
        "ana@example.com",
        "n3@example.com",
        "otra cosa",
        &refs,
        "Y sigue",
    );
    let got = d.ingest_email(&rewritten).await.unwrap();
    assert_eq!(
        (got.outcome, got.folio.as_deref()),
        (IngestOutcome::Added, Some(folio.as_str()))
    );

    // Machines are dropped, saying which kind.
    let oof = mail(
        "ana@example.com",
        "n4@example.com",
        &format!("Respuesta automática: [{folio}] Sin VPN"),
        "Auto-Submitted: auto-replied\r\n",
        "Fuera de la oficina",
    );
    let got = d.ingest_email(&oof).await.unwrap();
    assert_eq!(got.ignored, Some(Ignored::Automatic(Automatic::AutoReply)));
    assert_eq!(d.ticket("bob", &id).await.unwrap().comments.len(), 2);

    // A stranger becomes a requester and gets a ticket of their own.
    let stranger = mail(
        "Pía <pia@otra.example>",
        "n5@otra.example",
        "Alta",
        "",
        "Necesito cuenta",
    );
    let got = d.ingest_email(&stranger).await.unwrap();
    assert_eq!(got.outcome, IngestOutcome::Opened);
    let pia = d.user("pia@otra.example").await.unwrap();
    assert_eq!((pia.role, pia.name.as_str()), (Role::Requester, "Pía"));

    // The history says which message did what; requesters do not see the bookkeeping.
    let history = d.history("bob", &id).await.unwrap();
    let received = history
        .iter()
        .filter(|e| e.event.type_name() == "received")
        .count();
    assert_eq!(received, 3, "the opening and two replies");
    let ana = d.history("ana", &id).await.unwrap();
    assert!(ana.iter().all(|e| e.event.type_name() != "received"));

    // Two readers of one mailbox take the same messages in at once: each applies once.
    let new = mail(
        "ana@example.com",
        "n6@example.com",
        "Impresora",
        "",
        "Atascada",
    );
    let (a, b) = tokio::join!(d.ingest_email(&new), d.ingest_email(&new));
    let mut outcomes = [a.unwrap().outcome, b.unwrap().outcome];
    outcomes.sort_by_key(|o| format!("{o:?}"));
    assert_eq!(outcomes, [IngestOutcome::Duplicate, IngestOutcome::Opened]);
    let again = mail(
        "ana@example.com",
        "n7@example.com",
        &subject,
        "",
        "Otra vez",
    );
    let (a, b) = tokio::join!(d.ingest_email(&again), d.ingest_email(&again));
    let mut outcomes = [a.unwrap().outcome, b.unwrap().outcome];
    outcomes.sort_by_key(|o| format!("{o:?}"));
    assert_eq!(outcomes, [IngestOutcome::Added, IngestOutcome::Duplicate]);
    assert_eq!(d.ticket("bob", &id).await.unwrap().comments.len(), 3);
}

#[tokio::test]
async fn memory() {
    scenario("memory://").await;
}

#[tokio::test]
async fn redb() {
    let dir = tempfile::tempdir().unwrap();
    scenario(&format!(
        "redb://{}",
        dir.path().join("ingest.redb").display()
    ))
    .await;
}

async fn sql(d: Dialect) {
    if let Some(db) = fresh(d, &format!("ingest_{d:?}")).await {
        scenario(&db.url).await;
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

#[tokio::test]
async fn not_a_mail_and_no_message_id_are_typed_errors() {
    let f = desk_at("memory://", example_config()).await;
    let e = f.desk.ingest_email(b"garbage").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
    assert!(e.field().is_some_and(|f| f.starts_with("email")), "{e}");
    with_email(&f.desk, &["ana"]).await;
    let raw = b"From: ana@example.com\r\nSubject: hola\r\n\r\ntexto\r\n";
    let e = f.desk.ingest_email(raw).await.unwrap_err();
    assert_eq!(e.field(), Some("message.message_id"), "{e}");
}

/// A looping sender opens at most `rate_limit.tickets` tickets per window.
async fn storm(url: &str) {
    let mut config = example_config();
    config.intake.email.rate_limit.tickets = 3;
    let f = desk_at(url, config).await;
    with_email(&f.desk, &["ana"]).await;
    let mut outcomes = Vec::new();
    for i in 0..5 {
        let m = mail(
            "ana@example.com",
            &format!("s{i}@example.com"),
            "Alerta",
            "",
            "x",
        );
        outcomes.push(f.desk.ingest_email(&m).await.unwrap());
    }
    let opened = outcomes
        .iter()
        .filter(|o| o.outcome == IngestOutcome::Opened)
        .count();
    assert_eq!(opened, 3);
    assert_eq!(outcomes[4].ignored, Some(Ignored::RateLimited));
    // An hour later the window has moved on.
    f.clock.advance(chrono::Duration::minutes(61));
    let m = mail("ana@example.com", "s9@example.com", "Alerta", "", "x");
    assert_eq!(
        f.desk.ingest_email(&m).await.unwrap().outcome,
        IngestOutcome::Opened
    );
}

#[tokio::test]
async fn a_storm_is_cut_at_the_rate_limit() {
    storm("memory://").await;
    if let Some(db) = fresh(Dialect::Sqlite, "ingest_storm").await {
        storm(&db.url).await;
    }
}
