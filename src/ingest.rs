//! Intake from every channel: an inbound message (or a raw e-mail) becomes a new ticket,
//! words on the ticket it belongs to, or nothing, with the reason. The decision is
//! [`foliodesk_core::inbound::plan`]; this runs it through the ordinary commands, each
//! wrapped as `received` so the message's id is stored in the same append and the same
//! message is never applied twice.

use foliodesk_core::inbound::plan::{plan, Action, Ignored};
use foliodesk_core::inbound::{self, InboundMessage};
use foliodesk_core::query::{QueryTickets, MAX_PAGE};
use foliodesk_core::{Command, Config, Error, Result, TicketFilter, TicketId, User, UserId};
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
        let config = self.rules().config.clone();
        let sender = self.user_by_address(&message.from).await?;
        let domain = &config.notifications.delivery.domain;
        let mut thread = None;
        for folio in inbound::thread::folios(&message.subject, &message.thread_hints, domain) {
            if let Some(t) = self.store().ticket_by_folio(&folio).await? {
                thread = Some(t);
                break;
            }
        }
        let recent = match &sender {
            Some(u) => self.opened_recently(&u.id, &config).await?,
            None => 0,
        };
        let p = plan(
            &message,
            sender.as_ref(),
            thread.as_ref(),
            recent,
            &config,
            self.now(),
        );
        let done = |outcome, ticket: Option<(TicketId, String)>| {
            let (ticket, folio) = ticket.map_or((None, None), |(t, f)| (Some(t), Some(f)));
            Ingested {
                outcome,
                ticket,
                folio,
                ignored: None,
                why: p.why.clone(),
            }
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
            then: Box::new(then),
        };
        match p.action.clone() {
            Action::Ignore { ignored } => Ok(Ingested {
                ignored: Some(ignored),
                ..done(IngestOutcome::Ignored, None)
            }),
            Action::Open { ticket } => {
                let message_id = message_id()?;
                let id = inbound::ticket_id(&message_id);
                if let Some(t) = self.store().ticket(&id).await? {
                    return Ok(done(IngestOutcome::Duplicate, Some((t.id, t.folio))));
                }
                if let Some(u) = &p.new_requester {
                    self.put_user(SYSTEM, u.clone()).await?;
                }
                let requester = ticket.requester.clone();
                match self
                    .open_as(
                        &requester,
                        id.clone(),
                        wrap(&message_id, Command::Open(ticket)),
                    )
                    .await
                {
                    Ok(t) => Ok(done(IngestOutcome::Opened, Some((t.id, t.folio)))),
                    // Opened meanwhile by another reader of the same mailbox.
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
                commands,
            } => {
                let message_id = message_id()?;
                let actor = sender
                    .map(|u| u.id)
                    .unwrap_or_else(|| message.from.as_str().into());
                for command in commands {
                    let command = wrap(&message_id, command);
                    match self.execute(actor.clone(), &ticket, command).await {
                        Ok(_) => {}
                        Err(Error::Validation { field, .. }) if field == "message_id" => {
                            return Ok(done(IngestOutcome::Duplicate, Some((ticket, folio))));
                        }
                        Err(e) => return Err(e),
                    }
                }
                Ok(done(IngestOutcome::Added, Some((ticket, folio))))
            }
        }
    }

    /// Reads a raw e-mail (RFC 5322 bytes) and takes it in as [`Desk::ingest`] does.
    pub async fn ingest_email(&self, raw: &[u8]) -> Result<Ingested> {
        self.ingest(inbound::email::parse(raw)?).await
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
