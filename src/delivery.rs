//! The delivery worker: claim outbox rows, write one message per person, hand them to a
//! transport, then acknowledge, retry with backoff, or dead-letter.
//!
//! A host either calls [`Desk::deliver`] with a [`Transport`] (SMTP is built in), or drives
//! the two halves itself — [`Desk::claim_messages`], send, [`Desk::settle_messages`] — which
//! is how the Python and Node callbacks work.

use std::collections::BTreeMap;

use async_trait::async_trait;
use foliodesk_core::notify::delivery::retry_at;
use foliodesk_core::notify::recipients::{resolve, Directory};
use foliodesk_core::notify::render::{render, OutgoingMessage, RenderContext};
use foliodesk_core::notify::{Claim, DeadLetter, Failure};
use foliodesk_core::{Error, EventEnvelope, Result};
use serde::{Deserialize, Serialize};

use crate::smtp::SmtpSettings;
use crate::webhook::WebhookSettings;
use crate::Desk;

/// Messages claimed together, to be settled together.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Batch {
    /// The messages to send.
    pub messages: Vec<OutgoingMessage>,
    /// Outbox rows settled at claim time: nobody to tell (only the actor, no address), or
    /// a template that failed (dead-lettered with the reason).
    pub report: DeliveryReport,
}

/// How sending one message went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Outcome {
    /// The message's rows ([`OutgoingMessage::rows`]).
    pub rows: Vec<u64>,
    /// The message's failed attempts so far ([`OutgoingMessage::attempts`]).
    #[serde(default)]
    pub attempts: u32,
    /// `None` when sent; otherwise why not.
    #[serde(default)]
    pub error: Option<String>,
    /// The error will not go away by retrying (a rejected address): dead-letter at once.
    #[serde(default)]
    pub permanent: bool,
}

/// What a delivery pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeliveryReport {
    /// Messages the transport accepted.
    pub sent: u64,
    /// Messages that failed and will be retried.
    pub failed: u64,
    /// Outbox rows acknowledged.
    pub acknowledged: u64,
    /// Outbox rows scheduled for another attempt.
    pub retried: u64,
    /// Outbox rows that became dead letters.
    pub dead: u64,
    /// People left out because they have no address.
    pub unaddressed: u64,
}

/// Several passes into one report: `total += report`.
impl std::ops::AddAssign<&DeliveryReport> for DeliveryReport {
    fn add_assign(&mut self, other: &DeliveryReport) {
        self.sent += other.sent;
        self.failed += other.failed;
        self.acknowledged += other.acknowledged;
        self.retried += other.retried;
        self.dead += other.dead;
        self.unaddressed += other.unaddressed;
    }
}

/// Why a transport could not send a message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct SendError {
    /// What went wrong, as the server said it.
    pub reason: String,
    /// Retrying will not help.
    pub permanent: bool,
}

/// Hands messages to the world: SMTP ([`crate::smtp::Smtp`]), a webhook, a chat, a test.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Sends one message. An error says whether a retry may succeed.
    async fn send(&self, message: &OutgoingMessage) -> std::result::Result<(), SendError>;
}

async fn send_one(transport: &dyn Transport, m: &OutgoingMessage) -> Outcome {
    let result = transport.send(m).await;
    Outcome {
        rows: m.rows.clone(),
        attempts: m.attempts,
        permanent: result.as_ref().is_err_and(|e| e.permanent),
        error: result.err().map(|e| e.reason),
    }
}

impl Desk {
    /// Leases the outbox rows of up to `tickets` ready tickets to a new claim and writes
    /// their messages. Rows nobody is to hear of are acknowledged here; rows whose template
    /// fails become dead letters with the reason. Settle the rest with
    /// [`Desk::settle_messages`] before the lease (`delivery.lease`) ends.
    pub async fn claim_messages(&self, tickets: u32) -> Result<Batch> {
        let rules = self.rules();
        let now = self.now();
        let lease = chrono::Duration::from_std(rules.notify.delivery.lease)
            .map_err(|_| Error::validation("notifications.delivery.lease", "is too long"))?;
        let claim = Claim {
            token: uuid::Uuid::now_v7().to_string(),
            now,
            lease_until: now + lease,
            tickets: tickets.max(1),
        };
        let rows = self.store().claim_outbox(&claim).await?;
        let mut batch = Batch::default();
        if rows.is_empty() {
            return Ok(batch);
        }
        let store = self.store();
        let directory = Directory::new(
            store.users().await?,
            store.teams().await?,
            store.organisations().await?,
        );
        let cx = RenderContext {
            config: &rules.notify,
            templates: &rules.templates,
            directory: &directory,
            auto_confirm: rules.config.lifecycle.auto_confirm_after,
            survey_link: None,
        };
        let mut by_ticket: BTreeMap<_, Vec<_>> = BTreeMap::new();
        for row in rows {
            by_ticket
                .entry(row.notification.ticket_id.clone())
                .or_default()
                .push(row);
        }
        // Rows nobody is told of (acknowledged now, unless dead-lettered below).
        let mut untold = Vec::new();
        let mut broken: Vec<Failure> = Vec::new();
        for (ticket_id, rows) in by_ticket {
            let ids: Vec<u64> = rows.iter().map(|r| r.id).collect();
            let Some(ticket) = store.ticket(&ticket_id).await? else {
                untold.extend(ids);
                continue;
            };
            let history = store.events(&ticket_id).await?;
            let notes: Vec<_> = rows.iter().map(|r| r.notification.clone()).collect();
            let invite = ticket.satisfaction.is_none()
                && notes.iter().any(|n| n.event == "solution_confirmed");
            let link = match invite {
                true => Some(self.survey_link(&ticket.id, &rules.notify).await?),
                false => None,
            };
            let cx = RenderContext {
                survey_link: link.as_deref(),
                ..cx
            };
            let mut told = vec![false; rows.len()];
            for person in resolve(&notes, &directory, &rules.notify) {
                if person.user.email.is_none() {
                    batch.report.unaddressed += 1;
                    continue;
                }
                let events: Vec<&EventEnvelope> = person
                    .rows
                    .iter()
                    .filter_map(|&i| history.iter().find(|e| e.sequence == notes[i].sequence))
                    .collect();
                let covered: Vec<u64> = person.rows.iter().map(|&i| ids[i]).collect();
                match render(&ticket, &events, &person.user, covered.clone(), cx) {
                    Ok(mut message) => {
                        message.attempts = person
                            .rows
                            .iter()
                            .map(|&i| rows[i].attempts)
                            .max()
                            .unwrap_or(0);
                        person.rows.iter().for_each(|&i| told[i] = true);
                        batch.messages.push(message);
                    }
                    Err(e) => broken.push(Failure {
                        ids: covered,
                        reason: e.to_string(),
                        retry_at: None,
                    }),
                }
            }
            untold.extend(
                ids.iter()
                    .zip(&told)
                    .filter(|(_, t)| !**t)
                    .map(|(id, _)| *id),
            );
        }
        // A row dead-lettered for one person is not sent to the others either: the
        // dead letter is requeued whole once the template is fixed.
        let mut dead: Vec<u64> = broken.iter().flat_map(|f| f.ids.clone()).collect();
        dead.sort_unstable();
        dead.dedup();
        batch
            .messages
            .retain(|m| !m.rows.iter().any(|r| dead.contains(r)));
        let quiet: Vec<u64> = untold.into_iter().filter(|id| !dead.contains(id)).collect();
        for f in &broken {
            store.fail_outbox(f).await?;
        }
        batch.report.dead = dead.len() as u64;
        store.ack_outbox(&quiet).await?;
        batch.report.acknowledged = quiet.len() as u64;
        Ok(batch)
    }

    /// Records how the messages of a claimed batch went: a row is acknowledged when every
    /// message that covers it was sent, dead-lettered when one failed permanently or its
    /// attempts are used up, and retried after a backoff otherwise. A retried row is sent
    /// again to everyone it covers, with the same Message-ID, so receivers drop repeats.
    pub async fn settle_messages(&self, outcomes: Vec<Outcome>) -> Result<DeliveryReport> {
        let rules = self.rules();
        let now = self.now();
        let mut report = DeliveryReport::default();
        // Per row: `None` while every message went, else the first error and permanence.
        let mut rows: BTreeMap<u64, Option<(String, bool)>> = BTreeMap::new();
        let mut attempts: BTreeMap<u64, u32> = BTreeMap::new();
        for o in &outcomes {
            match &o.error {
                None => report.sent += 1,
                Some(_) => report.failed += 1,
            }
            for id in &o.rows {
                let tries = attempts.entry(*id).or_default();
                *tries = (*tries).max(o.attempts);
                let slot = rows.entry(*id).or_insert(None);
                if let (None, Some(e)) = (&slot, &o.error) {
                    *slot = Some((e.clone(), o.permanent));
                }
            }
        }
        let store = self.store();
        let mut sent = Vec::new();
        for (id, result) in rows {
            let Some((reason, permanent)) = result else {
                sent.push(id);
                continue;
            };
            let tries = attempts.get(&id).copied().unwrap_or(0) + 1;
            let retry = if permanent {
                None
            } else {
                retry_at(now, tries, id, &rules.notify.delivery)
            };
            match retry {
                Some(_) => report.retried += 1,
                None => report.dead += 1,
            }
            let failure = Failure {
                ids: vec![id],
                reason,
                retry_at: retry,
            };
            store.fail_outbox(&failure).await?;
        }
        store.ack_outbox(&sent).await?;
        report.acknowledged = sent.len() as u64;
        Ok(report)
    }

    /// One delivery pass: claims, sends the messages through `transport`
    /// (`delivery.parallel` at a time), settles. Returns what it did; call it again (or on
    /// a timer) until the report is empty.
    pub async fn deliver(&self, transport: &dyn Transport, tickets: u32) -> Result<DeliveryReport> {
        let batch = self.claim_messages(tickets).await?;
        let parallel = self.rules().notify.delivery.parallel.max(1) as usize;
        let mut outcomes = Vec::with_capacity(batch.messages.len());
        // In waves of `parallel`: a named async fn keeps the future `Send` for the bindings'
        // executors, which a stream of closures borrowing the transport does not.
        for wave in batch.messages.chunks(parallel) {
            let sends = wave.iter().map(|m| send_one(transport, m));
            outcomes.extend(futures_util::future::join_all(sends).await);
        }
        let mut report = batch.report;
        report += &self.settle_messages(outcomes).await?;
        Ok(report)
    }

    /// One delivery pass through the SMTP server `smtp` (see [`Desk::deliver`]). Without
    /// the `mail` feature, a validation error saying so.
    pub async fn deliver_smtp(&self, smtp: SmtpSettings, tickets: u32) -> Result<DeliveryReport> {
        #[cfg(feature = "mail")]
        {
            let transport = crate::smtp::Smtp::new(&smtp)?;
            self.deliver(&transport, tickets).await
        }
        #[cfg(not(feature = "mail"))]
        {
            let _ = (smtp, tickets);
            Err(Error::validation(
                "smtp",
                "this build of Foliodesk has no SMTP transport (feature `mail`)",
            ))
        }
    }

    /// One delivery pass through a webhook (see [`Desk::deliver`]). Without the `webhooks`
    /// feature, a validation error saying so.
    pub async fn deliver_webhook(
        &self,
        webhook: WebhookSettings,
        tickets: u32,
    ) -> Result<DeliveryReport> {
        #[cfg(feature = "webhooks")]
        {
            let transport = crate::webhook::Webhook::new(webhook)?;
            self.deliver(&transport, tickets).await
        }
        #[cfg(not(feature = "webhooks"))]
        {
            let _ = (webhook, tickets);
            Err(Error::validation(
                "webhook",
                "this build of Foliodesk has no webhook transport (feature `webhooks`)",
            ))
        }
    }

    /// Up to `limit` dead letters, oldest first.
    pub async fn dead_letters(&self, limit: u32) -> Result<Vec<DeadLetter>> {
        self.store().dead_letters(limit).await
    }

    /// Puts dead letters back in the outbox; returns how many were dead.
    pub async fn requeue_dead(&self, ids: &[u64]) -> Result<u64> {
        self.store().requeue_dead(ids).await
    }
}
