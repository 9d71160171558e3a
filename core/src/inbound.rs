//! Inbound messages: what arrives from any channel (an e-mail, a chat, a call logged by an
//! agent, a form), in one shape, before the desk decides whether it opens a ticket, adds to
//! one, or is dropped. E-mail is read from raw RFC 5322 bytes ([`email::parse`]); where it
//! belongs comes from its folio and thread hints ([`thread`]); the quoted history is cut off
//! the text a person wrote ([`quote`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::vocab::string_enum;
use crate::vocabulary::Channel;

pub mod email;
mod events;
pub mod plan;
pub mod policy;
pub mod quote;
pub mod thread;

/// A message from any channel, as the desk takes it in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InboundMessage {
    /// Where it came from.
    pub channel: Channel,
    /// The sender's address (e-mail address, phone number, chat handle), lower-cased for
    /// e-mail.
    pub from: String,
    /// The sender's display name, if given.
    #[serde(default)]
    pub from_name: Option<String>,
    /// Where it was sent (the desk's mailbox, say): picks per-mailbox defaults.
    #[serde(default)]
    pub to: Vec<String>,
    /// Subject or first line.
    #[serde(default)]
    pub subject: String,
    /// The text the person wrote (quoted history already cut off for e-mail).
    #[serde(default)]
    pub text: String,
    /// The full text as received, quoted history included, when it was cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_text: Option<String>,
    /// The HTML body, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// The message's own id (an e-mail Message-ID, without angle brackets).
    #[serde(default)]
    pub message_id: Option<String>,
    /// Ids of the messages it answers (In-Reply-To, then References, nearest first).
    #[serde(default)]
    pub thread_hints: Vec<String>,
    /// Why it was written by a machine rather than a person, if it was.
    #[serde(default)]
    pub automatic: Option<Automatic>,
    /// When it was received.
    #[serde(default)]
    pub received_at: Option<DateTime<Utc>>,
    /// The channel's own id for it (an IMAP UID, a chat message id).
    #[serde(default)]
    pub external_id: Option<String>,
    /// Files that came with it.
    #[serde(default)]
    pub attachments: Vec<InboundAttachment>,
    /// The conversation it belongs to (a chat session, a call, an SMS exchange) or, for a
    /// monitoring event, its correlation key (`web-01/cpu`): messages under one key go to
    /// the one ticket open for it.
    #[serde(default)]
    pub thread_key: Option<String>,
    /// A monitoring event saying its condition cleared.
    #[serde(default)]
    pub recovery: bool,
    /// For a live contact (a call, a chat): when it started, was answered and ended, or
    /// that it was abandoned. The desk keeps a contact record of it, with the ticket it led
    /// to, whatever the message itself leads to.
    #[serde(default)]
    pub contact: Option<ContactTimes>,
}

/// When a live contact happened, as an [`InboundMessage`] reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactTimes {
    /// When it started (the call rang, the chat opened).
    pub started_at: DateTime<Utc>,
    /// When an agent answered.
    #[serde(default)]
    pub answered_at: Option<DateTime<Utc>>,
    /// When it ended.
    #[serde(default)]
    pub ended_at: Option<DateTime<Utc>>,
    /// The person gave up before anyone answered.
    #[serde(default)]
    pub abandoned: bool,
    /// Who answered.
    #[serde(default)]
    pub agent: Option<crate::UserId>,
}

impl InboundMessage {
    /// The contact record this message reports (ticket not yet known), if it reports one:
    /// its id is the channel's own (`external_id`), else the message id.
    pub fn contact_record(&self) -> crate::Result<Option<crate::contact::Contact>> {
        let Some(times) = &self.contact else {
            return Ok(None);
        };
        let id = (self.external_id.as_deref())
            .or(self.message_id.as_deref())
            .filter(|i| !i.trim().is_empty())
            .ok_or_else(|| {
                crate::Error::validation(
                    "message.external_id",
                    "a contact record needs the channel's id or a message id",
                )
            })?;
        let contact = crate::contact::Contact {
            id: id.trim().to_owned(),
            channel: self.channel,
            from: self.from.clone(),
            started_at: times.started_at,
            answered_at: times.answered_at,
            ended_at: times.ended_at,
            abandoned: times.abandoned,
            agent: times.agent.clone(),
            ticket: None,
        };
        contact.validate()?;
        Ok(Some(contact))
    }
}

/// A file that came with an inbound message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InboundAttachment {
    /// File name, as sent (or `part-N`).
    pub name: String,
    /// MIME type.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// Shown inside the text (an inline image) rather than attached.
    pub inline: bool,
    /// The bytes, when the message was read from raw mail; the desk stores them as the
    /// ticket's attachment if `[attachments]` takes them. Not part of the wire form: a
    /// binding attaches files with `attach`.
    #[serde(skip)]
    #[schemars(skip)]
    pub content: Option<Vec<u8>>,
}

string_enum!(
    /// Why a message was written by a machine. Such a message never gets an automatic
    /// answer, whatever it leads to (RFC 3834).
    Automatic, "automatic" {
        /// `Auto-Submitted: auto-replied`, or an out-of-office reply.
        AutoReply = "auto_reply",
        /// `Auto-Submitted: auto-generated` (or another value than `no`): a monitoring
        /// system, a script.
        Generated = "generated",
        /// `Precedence: bulk`, `junk` or `list`, or a mailing list's `List-Id`.
        Bulk = "bulk",
        /// A delivery status report (RFC 3464), an empty Return-Path, or from
        /// mailer-daemon or postmaster: a bounce.
        Bounce = "bounce",
    }
);

impl Automatic {
    /// A reply to something the desk sent, or a bounce of it: never a person's words on a
    /// ticket.
    pub fn is_reaction(self) -> bool {
        matches!(self, Automatic::AutoReply | Automatic::Bounce)
    }
}

/// The id of the ticket an inbound message with `message_id` opens: the same message always
/// gives the same id, so opening it twice collides in the store instead of making a second
/// ticket. UUID-shaped (version 8) from the SHA-256 of the id.
///
/// ```
/// use foliodesk_core::inbound::ticket_id;
/// assert_eq!(ticket_id("a1@example.com"), ticket_id("a1@example.com"));
/// assert_ne!(ticket_id("a1@example.com"), ticket_id("a2@example.com"));
/// assert_eq!(ticket_id("a1@example.com").as_str().len(), 36);
/// ```
pub fn ticket_id(message_id: &str) -> crate::TicketId {
    uuid_of(message_id.trim().as_bytes())
}

/// The id of generation `generation` of the ticket for conversation or correlation `key`
/// on `channel`: the first ticket for a key is generation 0, the one that follows it once
/// it is closed generation 1, and so on. Two readers opening the same generation collide in
/// the store, so one key never has two open tickets.
///
/// ```
/// use foliodesk_core::inbound::keyed_ticket_id;
/// use foliodesk_core::Channel;
/// let a = keyed_ticket_id(Channel::Event, "web-01/cpu", 0);
/// assert_eq!(a, keyed_ticket_id(Channel::Event, "web-01/cpu", 0));
/// assert_ne!(a, keyed_ticket_id(Channel::Event, "web-01/cpu", 1));
/// assert_ne!(a, keyed_ticket_id(Channel::Chat, "web-01/cpu", 0));
/// ```
pub fn keyed_ticket_id(channel: Channel, key: &str, generation: u32) -> crate::TicketId {
    // NUL cannot occur in a Message-ID, so these never meet `ticket_id`'s.
    uuid_of(format!("key\0{channel}\0{}\0{generation}", key.trim()).as_bytes())
}

pub(crate) fn uuid_of(bytes: &[u8]) -> crate::TicketId {
    use sha2::{Digest, Sha256};
    let mut b: [u8; 16] = Sha256::digest(bytes)[..16]
        .try_into()
        .expect("16 of 32 bytes");
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    crate::TicketId::new(format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    ))
}
