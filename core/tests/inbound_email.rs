//! Reading e-mail: fixture mails in Spanish and English — replies through Outlook and Gmail,
//! a forward, auto-replies, a bounce, a monitoring alert, a mailing list, an inline image —
//! parsed, their quoted history cut, their threads found, machines told from people; and
//! arbitrary bytes never panic.

use foliodesk_core::inbound::email::parse;
use foliodesk_core::inbound::thread::folios;
use foliodesk_core::inbound::{quote, Automatic};
use foliodesk_core::Error;
use proptest::prelude::*;

const DOMAIN: &str = "soporte.example.com";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/mail/{name}.eml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn an_outlook_reply_in_spanish_threads_by_subject_and_references() {
    let m = parse(&fixture("reply_es_outlook")).unwrap();
    assert_eq!(m.from, "ana.garcia@acme.example");
    assert_eq!(m.from_name.as_deref(), Some("Ana García"));
    assert_eq!(
        m.text,
        "Sigue sin funcionar después de reiniciar el portátil.\n\nUn saludo,\nAna"
    );
    assert!(m
        .original_text
        .as_deref()
        .unwrap()
        .contains("Hemos registrado"));
    assert_eq!(m.message_id.as_deref(), Some("AM0PR01MB1234@acme.example"));
    assert_eq!(
        m.thread_hints[0],
        "INC-2026-000042.1-1.k2x9@soporte.example.com"
    );
    assert_eq!(
        folios(&m.subject, &m.thread_hints, DOMAIN),
        ["INC-2026-000042"]
    );
    assert!(m.automatic.is_none());
    assert_eq!(
        m.received_at.unwrap().to_rfc3339(),
        "2026-03-02T09:15:00+00:00"
    );
}

#[test]
fn a_gmail_reply_in_english_threads_by_references_alone() {
    let m = parse(&fixture("reply_en_gmail")).unwrap();
    assert_eq!(m.from, "leo@acme.example", "addresses are lower-cased");
    assert_eq!(m.text, "It is an HP 4250, second floor.");
    assert!(m.html.as_deref().unwrap().contains("<blockquote>"));
    assert_eq!(
        folios(&m.subject, &m.thread_hints, DOMAIN),
        ["INC-2026-000043"]
    );
}

#[test]
fn a_forward_keeps_what_it_forwards() {
    let m = parse(&fixture("forward_rv")).unwrap();
    assert!(
        m.text.contains("Me habéis cobrado dos veces."),
        "{}",
        m.text
    );
    assert!(folios(&m.subject, &m.thread_hints, DOMAIN).is_empty());
}

#[test]
fn machines_are_told_from_people() {
    for (name, expected) in [
        ("outlook_auto_reply", Some(Automatic::AutoReply)),
        ("auto_submitted_reply", Some(Automatic::AutoReply)),
        ("bounce", Some(Automatic::Bounce)),
        ("monitoring", Some(Automatic::Generated)),
        ("list", Some(Automatic::Bulk)),
        ("reply_es_outlook", None),
        ("inline_image", None),
    ] {
        assert_eq!(parse(&fixture(name)).unwrap().automatic, expected, "{name}");
    }
    assert!(Automatic::AutoReply.is_reaction() && Automatic::Bounce.is_reaction());
    assert!(!Automatic::Generated.is_reaction());
}

#[test]
fn html_only_mail_becomes_text_and_inline_images_are_listed() {
    let m = parse(&fixture("inline_image")).unwrap();
    assert_eq!(m.subject, "Pantalla azul 💢", "an encoded word in UTF-8");
    assert!(m.text.contains("Me sale esta pantalla:"), "{}", m.text);
    assert_eq!(m.attachments.len(), 1);
    let a = &m.attachments[0];
    assert_eq!(
        (a.name.as_str(), a.content_type.as_str()),
        ("captura.png", "image/png")
    );
    assert!(a.inline && a.size > 0);
}

#[test]
fn what_is_not_an_email_is_a_typed_error_naming_the_part() {
    let field = |raw: &[u8]| match parse(raw) {
        Err(Error::Validation { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(field(b""), "email");
    assert_eq!(field(b"Subject: no sender\r\n\r\nhello"), "email.from");
    assert_eq!(field(b"From: not an address\r\n\r\nhello"), "email.from");
}

#[test]
fn quotes_and_signatures_are_cut_in_both_languages() {
    for (text, kept) in [
        ("Gracias\n\n> antes", Some("Gracias")),
        ("Listo.\n-- \nAna García\nACME", Some("Listo.")),
        (
            "Ok\n\nEl lun, 2 mar 2026 a las 9:00, Soporte <s@x> escribió:\n> hola",
            Some("Ok"),
        ),
        ("Done\n\n-----Original Message-----\nFrom: x", Some("Done")),
        ("> only a quote", None),
        ("Nothing quoted here.\nOn my way.", None),
    ] {
        assert_eq!(quote::strip(text).as_deref(), kept, "{text:?}");
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse(&raw);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0usize..9,
        cuts in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..16),
    ) {
        let names = ["reply_es_outlook", "reply_en_gmail", "forward_rv", "outlook_auto_reply",
            "auto_submitted_reply", "bounce", "monitoring", "list", "inline_image"];
        let mut raw = fixture(names[which]);
        for (at, byte) in cuts {
            let at = at % raw.len();
            raw[at] = byte;
        }
        if let Ok(m) = parse(&raw) {
            prop_assert!(m.from.contains('@'));
        }
    }
}
