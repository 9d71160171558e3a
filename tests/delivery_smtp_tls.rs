//! SMTP delivery over TLS with a login, against a real server on loopback (aiosmtpd) whose
//! certificate a certificate authority made for the test signed: STARTTLS and TLS from the
//! first byte deliver; a wrong password is a dead letter with the server's reason; a
//! certificate nobody vouched for, or a server without STARTTLS, is never sent to in clear.

mod common;
mod smtp_sink;

use std::path::PathBuf;

use chrono::Duration;
use common::{desk, incident, with_email};
use foliodesk::smtp::{Smtp, SmtpSecurity, SmtpSettings};
use foliodesk::*;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use smtp_sink::Sink;

/// A CA, and a server certificate for 127.0.0.1 it signed, as PEM files.
struct Pki {
    _dir: tempfile::TempDir,
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

fn pki() -> Pki {
    let dir = tempfile::tempdir().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    let p = |name: &str| dir.path().join(name);
    std::fs::write(p("ca.pem"), ca.pem()).unwrap();
    std::fs::write(p("cert.pem"), cert.pem()).unwrap();
    std::fs::write(p("key.pem"), key.serialize_pem()).unwrap();
    Pki {
        ca: p("ca.pem"),
        cert: p("cert.pem"),
        key: p("key.pem"),
        _dir: dir,
    }
}

fn settings(port: u16, security: SmtpSecurity, ca: Option<&PathBuf>) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security,
        username: Some("desk".into()),
        password: Some("s3creto".into()),
        timeout_seconds: 10,
        ca_file: ca.map(|p| p.display().to_string()),
    }
}

/// Opens a ticket for ana and delivers its notifications through `smtp`.
async fn deliver_through(smtp: &Smtp) -> (common::Fixture, DeliveryReport) {
    let f = desk().await;
    with_email(&f.desk, &["ana"]).await;
    f.desk
        .open_ticket("ana", incident("Sin acceso al correo"))
        .await
        .unwrap();
    f.clock.advance(Duration::minutes(5));
    let report = f.desk.deliver(smtp, 10).await.unwrap();
    (f, report)
}

#[tokio::test]
async fn starttls_and_tls_from_the_first_byte_deliver_after_the_login() {
    let pki = pki();
    for (mode, security) in [
        ("starttls", SmtpSecurity::Starttls),
        ("tls", SmtpSecurity::Tls),
    ] {
        let Some(sink) = Sink::start_tls(mode, &pki.cert, &pki.key, Some("desk:s3creto")) else {
            return;
        };
        let smtp = Smtp::new(&settings(sink.port, security, Some(&pki.ca))).unwrap();
        let (_f, report) = deliver_through(&smtp).await;
        assert_eq!(report.sent, 1, "{mode}: {report:?}");
        let received = sink.received();
        assert_eq!(received.len(), 1, "{mode}");
        let text = String::from_utf8_lossy(&received[0]);
        assert!(text.contains("To: ANA <ana@example.com>"), "{text}");
        assert!(text.contains("Auto-Submitted: auto-generated"), "{text}");
    }
}

#[tokio::test]
async fn a_wrong_password_is_a_dead_letter_with_the_servers_reason() {
    let pki = pki();
    let Some(sink) = Sink::start_tls("starttls", &pki.cert, &pki.key, Some("desk:otra")) else {
        return;
    };
    let smtp = Smtp::new(&settings(sink.port, SmtpSecurity::Starttls, Some(&pki.ca))).unwrap();
    let (f, report) = deliver_through(&smtp).await;
    assert_eq!((report.sent, report.dead), (0, 1), "{report:?}");
    let dead = f.desk.dead_letters(10).await.unwrap();
    assert!(dead[0].reason.contains("535"), "{}", dead[0].reason);
    assert!(sink.received().is_empty());
}

#[tokio::test]
async fn an_unknown_certificate_or_a_server_without_starttls_gets_nothing() {
    let pki = pki();
    // The server's CA is not trusted: the handshake fails, nothing is sent, and the
    // message waits for a retry (a certificate can be fixed).
    let Some(sink) = Sink::start_tls("starttls", &pki.cert, &pki.key, Some("desk:s3creto")) else {
        return;
    };
    let smtp = Smtp::new(&settings(sink.port, SmtpSecurity::Starttls, None)).unwrap();
    let (_f, report) = deliver_through(&smtp).await;
    assert_eq!((report.sent, report.retried), (0, 1), "{report:?}");
    assert!(sink.received().is_empty());
    // A plain server offers no STARTTLS: required means no fallback to clear text.
    let Some(plain) = Sink::start() else { return };
    let smtp = Smtp::new(&settings(plain.port, SmtpSecurity::Starttls, Some(&pki.ca))).unwrap();
    let (_f, report) = deliver_through(&smtp).await;
    assert_eq!(report.sent, 0, "{report:?}");
    assert!(plain.received().is_empty());
}

#[test]
fn a_ca_file_that_is_missing_or_not_pem_is_named() {
    let missing = settings(
        25,
        SmtpSecurity::Starttls,
        Some(&"/nonexistent/ca.pem".into()),
    );
    let e = Smtp::new(&missing).unwrap_err();
    assert!(
        matches!(&e, Error::Validation { field, .. } if field == "smtp.ca_file"),
        "{e}"
    );
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("ca.pem");
    std::fs::write(&junk, "not a certificate").unwrap();
    let e = Smtp::new(&settings(25, SmtpSecurity::Tls, Some(&junk))).unwrap_err();
    assert!(e.to_string().contains("no PEM certificate"), "{e}");
}

#[tokio::test]
async fn a_server_that_accepts_and_says_nothing_times_out_and_retries() {
    // Takes a connection and never answers (for 30 s at most, so that a desk without the
    // bound would fail the test rather than hang it).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (done, wait) = std::sync::mpsc::channel::<()>();
    let held = std::thread::spawn(move || {
        let (socket, _) = listener.accept().unwrap();
        let _ = wait.recv_timeout(std::time::Duration::from_secs(30));
        drop(socket);
    });
    let mut s = settings(port, SmtpSecurity::None, None);
    (s.username, s.password, s.timeout_seconds) = (None, None, 1);
    let started = std::time::Instant::now();
    let (f, report) = deliver_through(&Smtp::new(&s).unwrap()).await;
    // A functional bound, not a speed claim: 1 s configured, far below the 30 s hold.
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!((report.sent, report.retried), (0, 1), "{report:?}");
    let pending = f.desk.outbox(10).await.unwrap();
    assert_eq!(pending[0].attempts, 1, "kept for a retry, not lost");
    done.send(()).unwrap();
    held.join().unwrap();
}
