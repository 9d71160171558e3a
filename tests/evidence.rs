//! ISO 27001 evidence on every backend: a security incident handled end to end gives an
//! auditor's report whose record, timeline, hash chain and desk anchor are there in the
//! Markdown and, read back with `pdftotext`, in the PDF; the period's register lists it;
//! tampering with a stored event turns the verdict to FAILED; refusals are typed.

mod common;

use std::io::Write;

use common::{desk_at, example_config};
use foliodesk::core::{DiscovererAction, Severity};
use foliodesk::report::{Every, Window};
use foliodesk::*;

/// The text `pdftotext` reads from `pdf` (layout kept). A missing tool fails the test.
fn pdf_text(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(file.path())
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) must be installed: .ci/run installs it");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn march() -> Window {
    Window {
        from: "2026-03-01".parse().unwrap(),
        to: "2026-04-01".parse().unwrap(),
        time_zone: "Europe/Madrid".into(),
        every: Every::Month,
    }
}

/// A phishing incident handled to closure, and a plain one; returns the security one.
async fn handled(d: &Desk) -> Ticket {
    let new = common::incident("Phishing abierto por Ñoño").category("Seguridad");
    let t = d.open_ticket("ana", new).await.unwrap();
    d.open_ticket("ana", common::incident("Impresora"))
        .await
        .unwrap();
    d.assign("bob", &t.id, None, Some("bob".into()))
        .await
        .unwrap();
    let now = d.now();
    let record = SecurityRecord {
        discovered_where: Some("Pasarela de correo".into()),
        discovered_at: Some(now),
        discovered_by: Some("Ana".into()),
        discoverer_action: Some(DiscovererAction::Reported),
        reported_to: Some("SOC".into()),
        report_written_at: Some(now),
        severity: Some(Severity::High),
        responsible_learned_at: Some(now),
        responsible_action: Some("Bloqueado el dominio".into()),
        follow_up_by: Some("sue".into()),
        follow_up_at: Some(now),
    };
    d.update_security("bob", &t.id, record).await.unwrap();
    d.propose_solution("bob", &t.id, "Credenciales cambiadas")
        .await
        .unwrap();
    d.confirm_solution("ana", &t.id).await.unwrap();
    d.close("sue", &t.id, None).await.unwrap()
}

async fn scenario(url: &str) {
    let f = desk_at(url, example_config()).await;
    let d = &f.desk;
    let t = handled(d).await;
    let anchor = d.checkpoint().await.unwrap();
    let history = d.history("sue", &t.id).await.unwrap();
    let last = history.last().unwrap();

    let md = d.security_evidence("sue", &t.id).await.unwrap();
    for want in [
        format!("# Security incident {}", t.folio),
        "| Severity | high |".into(),
        "| Where was it discovered? | Pasarela de correo |".into(),
        "| Did the discoverer report or conceal it? | reported |".into(),
        format!("| {} | ", last.sequence),
        last.hash.clone(),
        format!("INTACT: all {} events verified.", history.len()),
        format!("hash {}", anchor.hash),
        "MATCHES the chain".into(),
        "Verification result: PASSED".into(),
        "| security_updated | discovered_where=Pasarela de correo".into(),
        "A.5.28".into(),
    ] {
        assert!(md.contains(&want), "no {want:?} in\n{md}");
    }
    let text = pdf_text(&d.security_evidence_pdf("sue", &t.id).await.unwrap());
    for want in [
        t.folio.as_str(),
        "Pasarela de correo",
        "Ñoño",
        "PASSED",
        &last.hash[..32],
    ] {
        assert!(text.contains(want), "the PDF has no {want:?}:\n{text}");
    }

    let register = d.security_register("sue", march()).await.unwrap();
    assert!(register.contains(&format!("| {} |", t.folio)), "{register}");
    assert!(register.contains("| high | P"), "{register}");
    assert!(
        register.contains("1 incidents, 0 still open."),
        "only the security one: {register}"
    );
    let text = pdf_text(&d.security_register_pdf("sue", march()).await.unwrap());
    assert!(text.contains(&t.folio) && text.contains("5.24"), "{text}");

    let e = d.security_evidence("bob", &t.id).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
    let plain = d
        .query("sue", TicketFilter::default(), PageRequest::default())
        .await
        .unwrap();
    let plain = plain.items.iter().find(|p| p.security.is_none()).unwrap();
    let e = d.security_evidence("sue", &plain.id).await.unwrap_err();
    assert_eq!(e.field(), Some("id"), "{e}");
    let e = d
        .security_evidence("sue", &"nope".into())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
}

on_every_backend!(scenario, "evidence");

/// An event rewritten in the database: the report says where the chain breaks and fails.
#[tokio::test]
async fn a_rewritten_event_fails_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("tamper.db").display());
    let f = desk_at(&url, example_config()).await;
    let t = handled(&f.desk).await;
    f.desk.checkpoint().await.unwrap();
    f.desk.shutdown().await;
    drop(f);
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let body: (String,) =
        sqlx::query_as("SELECT body FROM fd_events WHERE ticket_id = ? AND seq = 2")
            .bind(t.id.to_string())
            .fetch_one(&mut conn)
            .await
            .unwrap();
    let forged = body.0.replacen("\"level\":\"n3\"", "\"level\":\"n1\"", 1);
    assert_ne!(forged, body.0);
    sqlx::query("UPDATE fd_events SET body = ? WHERE ticket_id = ? AND seq = 2")
        .bind(forged)
        .bind(t.id.to_string())
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let f = desk_at(&url, example_config()).await;
    let md = f.desk.security_evidence("sue", &t.id).await.unwrap();
    assert!(md.contains("BROKEN at event 2"), "{md}");
    assert!(md.contains("Verification result: FAILED"), "{md}");
}
