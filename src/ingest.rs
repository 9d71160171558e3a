//! Intake from every channel: an inbound message (or a raw e-mail) becomes a new ticket,
//! words on the ticket it belongs to, or nothing, with the reason. The decision is
//! [`foliodesk_core::inbound::plan`]; this runs it through the ordinary commands, each
//! wrapped as `received` so the message's id is stored in the same append and the same
//! message is never applied twice.

use foliodesk_core::attachment::Attachment;
use foliodesk_core::contact::Contact;
use foliodesk_core::inbound::plan::{plan, Action, Ignored};
use foliodesk_core::inbound::{self, InboundMessage};
use foliodesk_core::query::{QueryTickets, MAX_PAGE};
use foliodesk_core::{
    Channel, Command, Config, Error, Result, Ticket, TicketFilter, TicketId, User, UserId,
    Visibility,
};
use serde::{Deserialize, Serialize};

use crate::{Desk, SYSTEM};

/// What an inbound message led to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Ingested {
    /// `opened`, `added`, `ignored` or `duplicate`.
    pub outcome: IngestOutcome,
    /// The ticket opened or added to.
    pub ticket: Option<TicketId>,
    /// Its folio.
    pub folio: Option<String>,
    /// Why it was dropped, when it was.
    pub ignored: Option<Ignored>,
    /// Why, in words.
    pub why: String,
}

/// What an inbound message led to, in one word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IngestOutcome {
    /// A new ticket.
    Opened,
    /// Words on an existing ticket (a comment, a rejected solution, a reopening).
    Added,
    /// Nothing written (see `ignored`).
    Ignored,
    /// Applied before: nothing written again.
    Duplicate,
}

impl Desk {
    /// Takes in a message from any channel: opens a ticket, adds to the one it belongs to,
    /// or drops it saying why (see `docs/intake.md`). A message whose id was applied before
    /// is a `duplicate` and changes nothing.
    pub async fn ingest(&self, message: InboundMessage) -> Result<Ingested> {
        self.take_in(&message, None).await
    }

    /// [`Desk::ingest`], with the raw mail it was read from, if any: kept as an internal
    /// attachment when the quoted history was cut from the text.
    async fn take_in(&self, message: &InboundMessage, raw: Option<&[u8]>) -> Result<Ingested> {
        // A bad contact record is refused before anything is written.
        let contact = message.contact_record()?;
        // A keyed open can lose to another reader opening the same key's ticket: the
        // message then belongs on that ticket, so it is planned again (once is enough;
        // a third try guards against a storm of closings in between).
        for _ in 0..3 {
            if let Some(done) = self.ingest_once(message, raw).await? {
                if let Some(contact) = contact {
                    let ticket = done.ticket.clone();
                    self.record_contact(SYSTEM, Contact { ticket, ..contact })
                        .await?;
                }
                return Ok(done);
            }
        }
        Err(Error::Conflict {
            ticket: message.thread_key.clone().unwrap_or_default(),
            expected: 0,
            actual: 1,
        })
    }

    /// One attempt of [`Desk::ingest`]; `None` when a keyed open lost to another reader.
    async fn ingest_once(
        &self,
        message: &InboundMessage,
        raw: Option<&[u8]>,
    ) -> Result<Option<Ingested>> {
        let config = self.rules().config.clone();
        let sender = self.user_by_address(&message.from).await?;
        let key = (message.thread_key.as_deref())
            .map(str::trim)
            .filter(|k| !k.is_empty());
        let (next_generation, thread) = match key {
            Some(key) => self.keyed(message.channel, key).await?,
            None => (0, self.threaded(message, &config).await?),
        };
        let recent = match &sender {
            Some(u) => self.opened_recently(&u.id, &config).await?,
            None => 0,
        };
        let p = plan(
            message,
            sender.as_ref(),
            thread.as_ref(),
            recent,
            &config,
            self.now(),
        );
        // Files are kept only for what changes a ticket; a refused one is named in `why`.
        let (files, refused) = match &p.action {
            Action::Ignore { .. } => (Vec::new(), Vec::new()),
            _ => self.keep_files(message, raw, &config).await?,
        };
        let why = match refused.is_empty() {
            true => p.why.clone(),
            false => format!("{}; not kept: {}", p.why, refused.join("; ")),
        };
        let done = |outcome, ticket: Option<(TicketId, String)>| {
            let (ticket, folio) = ticket.map_or((None, None), |(t, f)| (Some(t), Some(f)));
            Some(Ingested {
                outcome,
                ticket,
                folio,
                ignored: None,
                why: why.clone(),
            })
        };
        // Only what changes a ticket needs the id that keeps it from changing it twice.
        let message_id = || {
            message
                .message_id
                .clone()
                .filter(|m| !m.trim().is_empty())
                .ok_or_else(|| {
                    Error::validation("message.message_id", "needed to take a message in once")
                })
        };
        let wrap = |message_id: &str, then: Command| Command::Received {
            message_id: message_id.to_owned(),
            channel: message.channel,
            thread_key: key.map(str::to_owned),
            attachments: files.clone(),
            then: Box::new(then),
        };
        match p.action.clone() {
            Action::Ignore { ignored } => {
                Ok(done(IngestOutcome::Ignored, None).map(|d| Ingested {
                    ignored: Some(ignored),
                    ..d
                }))
            }
            Action::Open { ticket } => {
                let message_id = message_id()?;
                let id = match key {
                    Some(key) => inbound::keyed_ticket_id(message.channel, key, next_generation),
                    None => inbound::ticket_id(&message_id),
                };
                if key.is_none() {
                    if let Some(t) = self.store().ticket(&id).await? {
                        return Ok(done(IngestOutcome::Duplicate, Some((t.id, t.folio))));
                    }
                }
                if let Some(u) = &p.new_requester {
                    self.put_user(SYSTEM, u.clone()).await?;
                }
                let requester = ticket.requester.clone();
                let opened = self
                    .open_as(
                        &requester,
                        id.clone(),
                        wrap(&message_id, Command::Open(ticket)),
                    )
                    .await;
                match opened {
                    Ok(t) => {
                        if let Some(key) = key {
                            let hint = next_generation.to_string();
                            self.store()
                                .put_meta(&generation_hint(message.channel, key), Some(hint))
                                .await?;
                        }
                        Ok(done(IngestOutcome::Opened, Some((t.id, t.folio))))
                    }
                    // Opened meanwhile by another reader: under a key, this message then
                    // belongs on that ticket; otherwise it was this same message.
                    Err(Error::Conflict { .. }) if key.is_some() => Ok(None),
                    Err(e @ Error::Conflict { .. }) => match self.store().ticket(&id).await? {
                        Some(t) => Ok(done(IngestOutcome::Duplicate, Some((t.id, t.folio)))),
                        None => Err(e),
                    },
                    Err(e) => Err(e),
                }
            }
            Action::Add {
                ticket,
                folio,
                command,
                by_desk,
            } => {
                let message_id = message_id()?;
                let actor = match (by_desk, sender) {
                    (true, _) => UserId::from(SYSTEM),
                    (false, Some(u)) => u.id,
                    (false, None) => message.from.as_str().into(),
                };
                let command = wrap(&message_id, *command);
                match self.execute(actor, &ticket, command).await {
                    Ok(_) => Ok(done(IngestOutcome::Added, Some((ticket, folio)))),
                    Err(Error::Validation { field, .. }) if field == "message_id" => {
                        Ok(done(IngestOutcome::Duplicate, Some((ticket, folio))))
                    }
                    Err(e) => Err(e),
                }
            }
        }
    }

    /// The ticket the message's folio tag or thread hints point to, if any.
    async fn threaded(&self, message: &InboundMessage, config: &Config) -> Result<Option<Ticket>> {
        let domain = &config.notifications.delivery.domain;
        for folio in inbound::thread::folios(&message.subject, &message.thread_hints, domain) {
            if let Some(t) = self.store().ticket_by_folio(&folio).await? {
                return Ok(Some(t));
            }
        }
        Ok(None)
    }

    /// The generation a new ticket under `key` would open at, and the latest ticket opened
    /// under it. The stored hint only saves probing from generation 0; the ids themselves
    /// are what keeps one key to one ticket at a time.
    async fn keyed(&self, channel: Channel, key: &str) -> Result<(u32, Option<Ticket>)> {
        let hint = self.store().meta(&generation_hint(channel, key)).await?;
        let mut next: u32 = hint.and_then(|h| h.parse().ok()).unwrap_or(0);
        let mut latest = None;
        while let Some(t) = self
            .store()
            .ticket(&inbound::keyed_ticket_id(channel, key, next))
            .await?
        {
            latest = Some(t);
            next += 1;
        }
        Ok((next, latest))
    }

    /// Reads a raw e-mail (RFC 5322 bytes) and takes it in as [`Desk::ingest`] does.
    pub async fn ingest_email(&self, raw: &[u8]) -> Result<Ingested> {
        self.take_in(&inbound::email::parse(raw)?, Some(raw)).await
    }

    /// Stores the message's files that `[attachments]` takes (public), and the raw mail
    /// when its quoted history was cut (internal, `original.eml`); names the refused ones
    /// with the reason.
    async fn keep_files(
        &self,
        message: &InboundMessage,
        raw: Option<&[u8]>,
        config: &Config,
    ) -> Result<(Vec<Attachment>, Vec<String>)> {
        let original = raw.filter(|_| message.original_text.is_some()).map(|r| {
            let name = "original.eml";
            (name, "message/rfc822", r, Visibility::Internal)
        });
        let files = (message.attachments.iter())
            .filter_map(|a| {
                let bytes = a.content.as_deref()?;
                Some((
                    a.name.as_str(),
                    a.content_type.as_str(),
                    bytes,
                    Visibility::Public,
                ))
            })
            .chain(original);
        let (mut kept, mut refused) = (Vec::new(), Vec::new());
        for (name, content_type, bytes, visibility) in files {
            let size = bytes.len() as u64;
            if let Err(e) = config.attachments.check(name, content_type, size) {
                refused.push(format!("{name} ({e})"));
                continue;
            }
            kept.push(Attachment {
                sha256: self.store().put_blob(bytes.to_vec()).await?,
                name: name.trim().to_owned(),
                content_type: content_type.to_owned(),
                size,
                visibility,
            });
        }
        Ok((kept, refused))
    }

    /// How many tickets `requester` opened within the rate limit's window (up to the
    /// limit: counting further changes nothing).
    async fn opened_recently(&self, requester: &UserId, config: &Config) -> Result<u32> {
        let limit = &config.intake.email.rate_limit;
        if limit.tickets == 0 {
            return Ok(0);
        }
        let per = chrono::Duration::from_std(limit.per).unwrap_or(chrono::Duration::MAX);
        let filter = TicketFilter {
            requester: Some(requester.clone()),
            opened_from: self.now().checked_sub_signed(per),
            ..Default::default()
        };
        let page = self
            .store()
            .query(QueryTickets {
                filter,
                after: None,
                limit: limit.tickets.clamp(1, MAX_PAGE),
                newest_first: true,
            })
            .await?;
        Ok(page.items.len() as u32)
    }

    /// The user whose e-mail address is `address` (case-insensitive). An inactive one is
    /// still found: the command then refuses them, rather than a stranger being made.
    async fn user_by_address(&self, address: &str) -> Result<Option<User>> {
        let users = self.store().users().await?;
        Ok(users.into_iter().find(|u| {
            u.email
                .as_deref()
                .is_some_and(|e| e.trim().eq_ignore_ascii_case(address.trim()))
        }))
    }
}

/// The bookkeeping key of the generation hint for `key` on `channel`.
fn generation_hint(channel: Channel, key: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{channel}\0{}", key.trim()).as_bytes());
    format!("intake/key/{}", hex::encode(&digest[..16]))
}
