//! Attachments through the facade on every backend: a requester's public screenshot and a
//! technician's internal log on one ticket, each read back byte for byte by whoever may see
//! it and by nobody else; refused files (type, size, a stranger to the ticket) leave nothing
//! stored; mail brings its files, and the raw mail when its quotes were cut.

mod common;

use common::{desk_at, example_config, incident, with_email};
use foliodesk::core::attachment::sha256_hex;
use foliodesk::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("core/tests/mail")
        .join(name);
    std::fs::read(path).unwrap()
}

async fn scenario(url: &str) {
    let mut config = example_config();
    config.attachments.max_bytes = 64 * 1024;
    let f = desk_at(url, config).await;
    let d = &f.desk;
    let t = d
        .open_ticket("ana", incident("Pantalla azul"))
        .await
        .unwrap();
    let png: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 251) as u8).collect();
    let log = b"2026-03-02 09:00 ERROR disk full\n".repeat(20);

    let shot = d
        .attach(
            "ana",
            &t.id,
            "captura.png",
            "image/png",
            png.clone(),
            Visibility::Public,
        )
        .await
        .unwrap();
    let a = shot.attachments.last().unwrap().clone();
    assert_eq!((a.name.as_str(), a.size), ("captura.png", 4096));
    assert_eq!(a.sha256, sha256_hex(&png));
    let t2 = d
        .attach(
            "bob",
            &t.id,
            "syslog.txt",
            "text/plain",
            log.clone(),
            Visibility::Internal,
        )
        .await
        .unwrap();
    let internal = t2.attachments.last().unwrap().sha256.clone();

    // Each reads what they may see, byte for byte; the requester never the internal log.
    assert_eq!(d.attachment("ana", &t.id, &a.sha256).await.unwrap(), png);
    assert_eq!(d.attachment("bob", &t.id, &internal).await.unwrap(), log);
    let hidden = d.attachment("ana", &t.id, &internal).await.unwrap_err();
    assert_eq!(hidden.kind(), ErrorKind::NotFound, "{hidden}");
    let seen = d.ticket("ana", &t.id).await.unwrap();
    assert_eq!(
        seen.attachments.len(),
        1,
        "the requester sees the public file only"
    );
    let history = d.history("ana", &t.id).await.unwrap();
    assert_eq!(
        history
            .iter()
            .filter(|e| e.event.type_name() == "attached")
            .count(),
        1
    );
    assert_eq!(d.verify(&t.id).await.unwrap().first_broken, None);

    // Refusals name the field and store nothing.
    let exe = b"MZ\x90\x00".to_vec();
    let e = d
        .attach(
            "ana",
            &t.id,
            "setup.exe",
            "application/x-msdownload",
            exe.clone(),
            Visibility::Public,
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("attachment.content_type"), "{e}");
    let big = vec![0u8; 64 * 1024 + 1];
    let e = d
        .attach(
            "ana",
            &t.id,
            "big.png",
            "image/png",
            big.clone(),
            Visibility::Public,
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("attachment.size"), "{e}");
    let e = d
        .attach(
            "leo",
            &t.id,
            "x.png",
            "image/png",
            vec![1, 2, 3],
            Visibility::Public,
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    let e = d
        .attach(
            "ana",
            &t.id,
            "notas.txt",
            "text/plain",
            vec![4, 5],
            Visibility::Internal,
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
    let store = d.store();
    for bytes in [exe, big, vec![1, 2, 3], vec![4, 5]] {
        assert_eq!(store.blob(&sha256_hex(&bytes)).await.unwrap(), None);
    }

    // Mail brings its files: the inline screenshot is kept, public.
    let got = d.ingest_email(&fixture("inline_image.eml")).await.unwrap();
    let mailed = d.ticket("bob", got.ticket.as_ref().unwrap()).await.unwrap();
    let files: Vec<(&str, &str)> = (mailed.attachments.iter())
        .map(|a| (a.name.as_str(), a.content_type.as_str()))
        .collect();
    assert_eq!(files, [("captura.png", "image/png")], "{got:?}");
    let bytes = d
        .attachment("bob", &mailed.id, &mailed.attachments[0].sha256)
        .await
        .unwrap();
    assert!(
        bytes.starts_with(b"\x89PNG"),
        "the decoded image, not its base64"
    );

    // A reply whose quoted history was cut keeps the raw mail, for the staff only.
    with_email(d, &["ana"]).await;
    let raw = fixture("reply_es_outlook.eml");
    let got = d.ingest_email(&raw).await.unwrap();
    let id = got.ticket.unwrap();
    let staff = d.ticket("bob", &id).await.unwrap();
    let original = staff
        .attachments
        .iter()
        .find(|a| a.name == "original.eml")
        .unwrap();
    assert_eq!(original.visibility, Visibility::Internal);
    assert_eq!(
        d.attachment("bob", &id, &original.sha256).await.unwrap(),
        raw
    );
}

on_every_backend!(scenario, "attachments");

/// A mail's file the desk does not take is left out and named in `why`; the mail itself
/// still opens its ticket.
#[tokio::test]
async fn a_refused_mail_attachment_is_named_and_the_mail_still_counts() {
    let f = desk_at("memory://", example_config()).await;
    with_email(&f.desk, &["ana"]).await;
    let raw = "From: ana@example.com\r\nTo: soporte@example.com\r\nSubject: Programa\r\n\
        Message-ID: <exe-1@example.com>\r\nMIME-Version: 1.0\r\n\
        Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\
        Content-Type: text/plain\r\n\r\nOs paso el instalador.\r\n--b\r\n\
        Content-Type: application/x-msdownload; name=\"setup.exe\"\r\n\
        Content-Disposition: attachment; filename=\"setup.exe\"\r\n\
        Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA\r\n--b--\r\n";
    let got = f.desk.ingest_email(raw.as_bytes()).await.unwrap();
    assert_eq!(got.outcome, IngestOutcome::Opened, "{got:?}");
    assert!(got.why.contains("not kept: setup.exe"), "{}", got.why);
    let t = f
        .desk
        .ticket("bob", got.ticket.as_ref().unwrap())
        .await
        .unwrap();
    assert!(t.attachments.is_empty());
}
