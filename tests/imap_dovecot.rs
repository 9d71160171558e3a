//! The IMAP reader against a real Dovecot on loopback. Fixture mails in Spanish and
//! English — replies with `RE:`, forwards with `RV:`, Outlook auto-replies, a bounce, a list,
//! a monitoring alert, an inline image — and one message the desk cannot take in are
//! appended, imported, appended again and imported again: nothing is imported twice, the
//! bad message is quarantined with its reason, a restarted desk resumes where it stopped,
//! a recreated folder (new UIDVALIDITY) is read again without duplicates, and TLS with a
//! company CA, a wrong password and an untrusted certificate behave.

mod common;
mod dovecot;

use async_imap::Session;
use common::{desk_at, example_config, with_email};
use dovecot::{Dovecot, PASSWORD, USER};
use foliodesk::*;
use tokio::net::TcpStream;

const FIXTURES: &[&str] = &[
    "reply_es_outlook.eml",
    "reply_en_gmail.eml",
    "forward_rv.eml",
    "inline_image.eml",
    "outlook_auto_reply.eml",
    "auto_submitted_reply.eml",
    "bounce.eml",
    "list.eml",
    "monitoring.eml",
];
/// The fixtures a machine wrote: dropped, each with its reason.
const MACHINE_WRITTEN: u32 = 5;

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("core/tests/mail")
        .join(name);
    std::fs::read(path).unwrap()
}

fn mail(id: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Ana <ana@example.com>\r\nTo: soporte@example.com\r\nSubject: {subject}\r\n\
         Message-ID: <{id}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// No Message-ID: the desk cannot take it in exactly once, so it is quarantined.
const NO_ID: &[u8] = b"From: ana@example.com\r\nSubject: sin id\r\n\r\nhola\r\n";

async fn imap(server: &Dovecot) -> Session<TcpStream> {
    let tcp = TcpStream::connect(("127.0.0.1", server.port))
        .await
        .unwrap();
    let mut client = async_imap::Client::new(tcp);
    client.read_response().await.unwrap().unwrap();
    client
        .login(USER, PASSWORD)
        .await
        .map_err(|(e, _)| e)
        .unwrap()
}

async fn append(s: &mut Session<TcpStream>, folder: &str, raw: &[u8]) {
    s.append(folder, None, None, raw).await.unwrap();
}

async fn uids(s: &mut Session<TcpStream>, folder: &str, query: &str) -> usize {
    s.select(folder).await.unwrap();
    s.uid_search(query).await.unwrap().len()
}

fn settings(server: &Dovecot, folder: &str) -> ImapSettings {
    serde_json::from_value(serde_json::json!({
        "host": "127.0.0.1", "port": server.port, "security": "none",
        "username": USER, "password": PASSWORD, "folder": folder, "timeout_seconds": 10,
    }))
    .unwrap()
}

async fn round_trip(url: &str) {
    let Some(server) = Dovecot::start() else {
        return;
    };
    let mut s = imap(&server).await;
    s.create("Soporte").await.unwrap();
    for name in FIXTURES {
        append(&mut s, "Soporte", &fixture(name)).await;
    }
    append(
        &mut s,
        "Soporte",
        &mail("a1@example.com", "Sin VPN", "No conecta."),
    )
    .await;
    append(&mut s, "Soporte", NO_ID).await;

    let f = desk_at(url, example_config()).await;
    with_email(&f.desk, &["ana", "sue"]).await;
    let imap_settings = settings(&server, "Soporte");
    let first = f.desk.poll_imap(imap_settings.clone()).await.unwrap();
    assert_eq!(first.fetched as usize, FIXTURES.len() + 2, "{first:?}");
    assert_eq!(first.ignored, MACHINE_WRITTEN, "{first:?}");
    assert_eq!(first.opened as usize, FIXTURES.len() - 5 + 1, "{first:?}");
    assert_eq!(first.quarantined.len(), 1, "{first:?}");
    assert!(
        first.quarantined[0].reason.contains("message_id"),
        "{first:?}"
    );
    assert_eq!(
        uids(&mut s, "Soporte", "UNSEEN").await,
        0,
        "handled mail is flagged"
    );
    assert_eq!(uids(&mut s, "Quarantine", "ALL").await, 1);
    let vpn_id = foliodesk::core::inbound::ticket_id("a1@example.com");
    let vpn = f.desk.ticket("bob", &vpn_id).await.unwrap();
    assert_eq!(vpn.title, "Sin VPN");

    // Nothing new: nothing read.
    let idle = f.desk.poll_imap(imap_settings.clone()).await.unwrap();
    assert_eq!((idle.fetched, idle.resumed_after), (0, first.last_uid));

    // The same mail again (a client re-sending, a rule copying) and one reply.
    for name in FIXTURES {
        append(&mut s, "Soporte", &fixture(name)).await;
    }
    let subject = format!("RE: [{}] Sin VPN", vpn.folio);
    append(
        &mut s,
        "Soporte",
        &mail("a2@example.com", &subject, "Ya va."),
    )
    .await;
    // A restarted desk on the same store resumes where the first stopped.
    let f = if url.starts_with("memory:") {
        f
    } else {
        drop(f);
        let f = desk_at(url, example_config()).await;
        with_email(&f.desk, &["ana", "sue"]).await;
        f
    };
    let second = f.desk.poll_imap(imap_settings.clone()).await.unwrap();
    assert_eq!(second.resumed_after, first.last_uid, "{second:?}");
    assert_eq!(second.fetched as usize, FIXTURES.len() + 1, "{second:?}");
    assert_eq!((second.opened, second.added), (0, 1), "{second:?}");
    assert_eq!(second.duplicates as usize, FIXTURES.len() - 5, "{second:?}");
    assert_eq!(second.ignored, MACHINE_WRITTEN);
    let vpn = f.desk.ticket("bob", &vpn.id).await.unwrap();
    assert_eq!(vpn.comments.len(), 1);

    // The folder recreated: a new UIDVALIDITY, everything read again, nothing twice.
    s.delete("Soporte").await.unwrap();
    s.create("Soporte").await.unwrap();
    append(
        &mut s,
        "Soporte",
        &mail("a1@example.com", "Sin VPN", "No conecta."),
    )
    .await;
    let third = f.desk.poll_imap(imap_settings.clone()).await.unwrap();
    assert!(third.validity_changed, "{third:?}");
    assert_eq!((third.fetched, third.duplicates), (1, 1), "{third:?}");

    // Moving instead of flagging empties the folder read.
    append(
        &mut s,
        "Soporte",
        &mail("a3@example.com", "Pantalla", "Parpadea."),
    )
    .await;
    let mut moving = imap_settings;
    moving.processed_folder = Some("Procesado".into());
    let fourth = f.desk.poll_imap(moving).await.unwrap();
    assert_eq!((fourth.fetched, fourth.opened), (1, 1), "{fourth:?}");
    assert_eq!(
        uids(&mut s, "Soporte", "UID 1:*").await,
        1,
        "only the earlier one"
    );
    assert_eq!(uids(&mut s, "Procesado", "ALL").await, 1);
    s.logout().await.unwrap();
}

on_every_backend!(round_trip, "imap");

#[tokio::test]
async fn tls_with_a_company_ca_wrong_passwords_and_untrusted_certificates() {
    let Some(server) = Dovecot::start() else {
        return;
    };
    let f = desk_at("memory://", example_config()).await;
    let mut tls = settings(&server, "INBOX");
    tls.security = ImapSecurity::Tls;
    tls.port = server.tls_port;
    tls.ca_file = Some(server.ca.display().to_string());
    let mut s = imap(&server).await;
    append(
        &mut s,
        "INBOX",
        &mail("t1@example.com", "Correo", "No llega."),
    )
    .await;
    let got = f.desk.poll_imap(tls.clone()).await.unwrap();
    assert_eq!((got.fetched, got.opened), (1, 1), "{got:?}");

    let mut wrong = tls.clone();
    wrong.password = Some("nope".into());
    let e = f.desk.poll_imap(wrong).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Remote, "{e}");
    assert!(e.to_string().contains("authentication"), "{e}");

    let mut untrusted = tls;
    untrusted.ca_file = None;
    let e = f.desk.poll_imap(untrusted).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Remote, "{e}");
    assert!(e.to_string().contains("TLS"), "{e}");
    s.logout().await.unwrap();
}

#[tokio::test]
async fn settings_that_would_expose_a_password_are_refused() {
    let f = desk_at("memory://", example_config()).await;
    let clear: ImapSettings = serde_json::from_value(serde_json::json!({
        "host": "imap.example.com", "port": 143, "security": "none",
        "username": USER, "password": PASSWORD,
    }))
    .unwrap();
    let e = f.desk.poll_imap(clear).await.unwrap_err();
    assert_eq!(e.field(), Some("imap.security"), "{e}");
    let both: ImapSettings = serde_json::from_value(serde_json::json!({
        "host": "imap.example.com", "username": USER, "password": "x", "oauth_token": "y",
    }))
    .unwrap();
    let e = f.desk.poll_imap(both).await.unwrap_err();
    assert_eq!(e.field(), Some("imap.password"), "{e}");
    let mut unreachable = settings_for_port(1);
    unreachable.timeout_seconds = 2;
    let e = f.desk.poll_imap(unreachable).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Remote, "{e}");
}

fn settings_for_port(port: u16) -> ImapSettings {
    serde_json::from_value(serde_json::json!({
        "host": "127.0.0.1", "port": port, "security": "none",
        "username": USER, "password": PASSWORD,
    }))
    .unwrap()
}

/// The XOAUTH2 response Google and Microsoft expect.
#[test]
fn xoauth2_response_is_the_documented_format() {
    let auth = foliodesk::imap::xoauth2("soporte@example.com", "ya29.token");
    assert_eq!(
        auth,
        "user=soporte@example.com\x01auth=Bearer ya29.token\x01\x01"
    );
}
