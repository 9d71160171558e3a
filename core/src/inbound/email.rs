//! Reading an e-mail: raw RFC 5322 bytes to an [`InboundMessage`] with mail-parser
//! (charsets, encoded words, HTML to text), the quoted history cut off, and whether a
//! machine wrote it (RFC 3834 `Auto-Submitted`, `Precedence`, mailing lists, RFC 3464
//! delivery reports, an empty Return-Path, mailer-daemon, out-of-office markers).

use std::borrow::Cow;

use mail_parser::{HeaderValue, Message, MessageParser, MimeHeaders};

use super::{quote, Automatic, InboundAttachment, InboundMessage};
use crate::vocabulary::Channel;
use crate::{Error, Result};

/// Subject openings of out-of-office replies, lower-cased (Outlook, Gmail; es and en).
const OUT_OF_OFFICE: &[&str] = &[
    "automatic reply:",
    "respuesta automática:",
    "out of office:",
    "fuera de la oficina:",
    "auto-reply:",
    "autoreply:",
];

/// Subject openings of forwards, lower-cased (es and en).
const FORWARD: &[&str] = &["fw:", "fwd:", "rv:", "reenv:", "tr:"];

/// The largest message read, in bytes (larger ones are refused, not truncated).
pub const MAX_BYTES: usize = 50 * 1024 * 1024;

/// Reads `raw` as one e-mail. Errors name the part that is wrong (`email`, `email.from`).
///
/// ```
/// let raw = b"From: Ana <Ana@Example.com>\r\nTo: soporte@example.com\r\n\
///             Subject: =?utf-8?q?Sin_conexi=C3=B3n?=\r\nMessage-ID: <a1@example.com>\r\n\r\n\
///             No tengo red.\r\n\r\nEl lun, 2 mar 2026, Soporte escribi\xc3\xb3:\r\n> Hola\r\n";
/// let m = foliodesk_core::inbound::email::parse(raw).unwrap();
/// assert_eq!((m.from.as_str(), m.subject.as_str()), ("ana@example.com", "Sin conexión"));
/// assert_eq!(m.text, "No tengo red.");
/// assert!(m.automatic.is_none());
/// ```
pub fn parse(raw: &[u8]) -> Result<InboundMessage> {
    if raw.len() > MAX_BYTES {
        return Err(Error::validation(
            "email",
            format!("is larger than {} MiB", MAX_BYTES / 1024 / 1024),
        ));
    }
    let msg = MessageParser::default()
        .parse(raw)
        .filter(|m| !m.headers().is_empty())
        .ok_or_else(|| Error::validation("email", "is not an RFC 5322 message"))?;
    let sender = msg
        .from()
        .and_then(|a| a.first())
        .or_else(|| msg.sender().and_then(|a| a.first()))
        .ok_or_else(|| Error::validation("email.from", "no sender address"))?;
    let from = sender
        .address()
        .map(|a| a.trim().to_lowercase())
        .filter(|a| a.contains('@'))
        .ok_or_else(|| Error::validation("email.from", "the sender address is not valid"))?;
    let full = msg.body_text(0).map(Cow::into_owned).unwrap_or_default();
    let full = full.replace("\r\n", "\n").trim().to_owned();
    let subject = msg.subject().unwrap_or_default().trim().to_owned();
    // A forward's quoted part is the point of it: kept whole.
    let lower = subject.to_lowercase();
    let forward = FORWARD.iter().any(|p| lower.starts_with(p));
    let (text, original_text) = match quote::strip(&full).filter(|_| !forward) {
        Some(kept) => (kept, Some(full)),
        None => (full, None),
    };
    let mut thread_hints = ids(msg.in_reply_to());
    for id in ids(msg.references()).into_iter().rev() {
        if !thread_hints.contains(&id) {
            thread_hints.push(id);
        }
    }
    Ok(InboundMessage {
        channel: Channel::Email,
        automatic: automatic(&msg, &from),
        from,
        from_name: sender
            .name()
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty()),
        to: msg
            .to()
            .into_iter()
            .chain(msg.cc())
            .flat_map(|a| a.iter())
            .filter_map(|a| a.address().map(|a| a.trim().to_lowercase()))
            .collect(),
        subject,
        text,
        original_text,
        html: msg.body_html(0).map(Cow::into_owned),
        message_id: msg.message_id().map(|id| id.trim().to_owned()),
        thread_hints,
        received_at: msg
            .date()
            .and_then(|d| chrono::DateTime::from_timestamp(d.to_timestamp(), 0)),
        external_id: None,
        attachments: attachments(&msg),
        thread_key: None,
        recovery: false,
        contact: None,
    })
}

/// Message ids of a header, without angle brackets.
fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(t) => vec![t.trim().to_owned()],
        HeaderValue::TextList(list) => list.iter().map(|t| t.trim().to_owned()).collect(),
        _ => Vec::new(),
    }
}

fn automatic(msg: &Message<'_>, from: &str) -> Option<Automatic> {
    let raw = |name: &str| msg.header_raw(name).map(|v| v.trim().to_ascii_lowercase());
    let local = from.split('@').next().unwrap_or_default();
    let report = msg.root_part().content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    });
    let empty_return_path = raw("Return-Path").is_some_and(|r| r == "<>" || r.is_empty());
    if report || empty_return_path || ["mailer-daemon", "postmaster"].contains(&local) {
        return Some(Automatic::Bounce);
    }
    match raw("Auto-Submitted").as_deref() {
        Some("no") | None => {}
        Some(v) if v.starts_with("auto-replied") => return Some(Automatic::AutoReply),
        Some(_) => return Some(Automatic::Generated),
    }
    // Out-of-office replies that do not say Auto-Submitted (Exchange, older clients).
    let subject = msg.subject().unwrap_or_default().to_lowercase();
    let ooo_subject = OUT_OF_OFFICE.iter().any(|p| subject.starts_with(p));
    if raw("X-Autoreply").is_some() || raw("X-Autorespond").is_some() || ooo_subject {
        return Some(Automatic::AutoReply);
    }
    let bulk = raw("Precedence").is_some_and(|p| ["bulk", "junk", "list"].contains(&p.as_str()));
    if bulk || raw("List-Id").is_some() {
        return Some(Automatic::Bulk);
    }
    None
}

fn attachments(msg: &Message<'_>) -> Vec<InboundAttachment> {
    msg.attachments()
        .enumerate()
        .map(|(i, part)| InboundAttachment {
            name: part
                .attachment_name()
                .map(str::to_owned)
                .unwrap_or_else(|| format!("part-{}", i + 1)),
            content_type: part
                .content_type()
                .map(|ct| match ct.subtype() {
                    Some(sub) => format!("{}/{sub}", ct.ctype()),
                    None => ct.ctype().to_owned(),
                })
                .unwrap_or_else(|| "application/octet-stream".into())
                .to_ascii_lowercase(),
            size: part.len() as u64,
            inline: part.content_disposition().is_some_and(|d| d.is_inline())
                || part.content_id().is_some(),
            content: Some(part.contents().to_vec()),
        })
        .collect()
}
