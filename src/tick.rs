//! The sweep: time-driven work read from the due index.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use foliodesk_core::schedule::tier;
use foliodesk_core::sla::Crossing;
use foliodesk_core::store::Reschedule;
use foliodesk_core::{Command, Error, Result, TicketId};
use serde::{Deserialize, Serialize};

use crate::Desk;

/// How many due tickets `tick` takes from the index per round.
const TICK_BATCH: u32 = 500;

/// How many days of finished tickets' report facts `tick` packs into blocks.
const TICK_PACK_DAYS: u32 = 8;

/// What one [`Desk::tick`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TickReport {
    /// Tickets whose solution was auto-confirmed.
    pub auto_confirmed: Vec<TicketId>,
    /// SLA escalation rules that fired, with the ticket they fired on.
    pub sla_alerts: Vec<(TicketId, Crossing)>,
    /// Time rules (`[[rules]]` with `after`) that acted, with the ticket they acted on.
    pub rules_fired: Vec<(TicketId, String)>,
    /// Due entries that no longer stood for any work (the configuration changed since they
    /// were written), moved to the ticket's real next due instant or removed.
    pub rescheduled: u64,
    /// Finished tickets' report facts packed into day blocks
    /// ([`Desk::pack_report_facts`]).
    pub packed_facts: u64,
}

impl Desk {
    /// Does the time-driven work due now (auto-confirming solutions nobody answered).
    pub async fn tick(&self) -> Result<TickReport> {
        self.tick_at(self.now()).await
    }

    /// Does the time-driven work due at `now`: auto-confirms answered-for-too-long
    /// solutions and fires SLA escalation rules. Reads only due tickets from the index;
    /// ticking twice at one instant does nothing the second time. Then packs a few days
    /// of finished tickets' report facts ([`Desk::pack_report_facts`]).
    ///
    /// An entry that stands for nothing due (its escalation rule was removed, a policy
    /// changed) is rescheduled to the ticket's real next instant as it is met, so stale
    /// entries never pile up in front of due tickets: a tick costs what is due plus what it
    /// repairs once.
    pub async fn tick_at(&self, at: DateTime<Utc>) -> Result<TickReport> {
        let now = at;
        let system = foliodesk_core::UserId::from(crate::SYSTEM);
        let rules = self.rules();
        let mut report = TickReport::default();
        // Entries whose recomputed instant is still due yet fire nothing: never expected,
        // but skipped rather than read forever.
        let mut stuck: HashSet<TicketId> = HashSet::new();
        loop {
            let limit = TICK_BATCH + stuck.len() as u32;
            let due = self.store().due(now, limit).await?;
            let full = due.len() == limit as usize;
            let mut progressed = false;
            for d in due {
                if stuck.contains(&d.ticket_id) {
                    continue;
                }
                let (_, ticket, facts) = match self.read_ticket(&system, &d.ticket_id).await {
                    Ok(found) => found,
                    Err(Error::NotFound { .. }) => {
                        stuck.insert(d.ticket_id);
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                let tier = tier(&ticket, &facts);
                let confirm =
                    foliodesk_core::due::next_due(&ticket, &rules.config).is_some_and(|t| t <= now);
                let crossings = rules.sla.crossings(&ticket, tier, now);
                let timed = foliodesk_core::automation::due_now(
                    &rules.config.rules,
                    &ticket,
                    &rules.sla,
                    now,
                );
                if !confirm && crossings.is_empty() && timed.is_empty() {
                    let schedule = rules.schedule(&ticket, tier);
                    if schedule.due_at.is_some_and(|t| t <= now) {
                        stuck.insert(ticket.id);
                        continue;
                    }
                    let mut fresh = ticket;
                    fresh.sla_due = schedule.sla_due;
                    // False: an append moved the ticket meanwhile and scheduled it itself.
                    self.store()
                        .reschedule(Reschedule {
                            ticket: fresh,
                            due_at: schedule.due_at,
                            // Nothing the fact holds moved: a running target keeps its
                            // due instant, and reports judge it at their own instant.
                            fact: None,
                        })
                        .await?;
                    report.rescheduled += 1;
                    progressed = true;
                    continue;
                }
                if confirm {
                    match self
                        .run(&system, &ticket.id, &Command::AutoConfirm, now)
                        .await
                    {
                        Ok(_) => report.auto_confirmed.push(ticket.id.clone()),
                        // Someone answered in the meantime: nothing left to do.
                        Err(Error::InvalidTransition { .. }) => {}
                        Err(e) => return Err(e),
                    }
                }
                for c in crossings {
                    let command = Command::SlaAlert {
                        target: c.target,
                        percent: c.percent,
                        repeat: c.repeat,
                        actions: c.actions.clone(),
                    };
                    match self.run(&system, &ticket.id, &command, now).await {
                        Ok(_) => report.sla_alerts.push((ticket.id.clone(), c)),
                        // Another desk recorded it first, or the ticket moved on.
                        Err(Error::InvalidTransition { .. }) => {}
                        Err(e) => return Err(e),
                    }
                }
                if !timed.is_empty() {
                    let fresh = self.store().ticket(&ticket.id).await?;
                    if let Some(fresh) = fresh {
                        report
                            .rules_fired
                            .extend(self.run_due_rules(&fresh, now).await?);
                    }
                }
                progressed = true;
            }
            if !(full && progressed) {
                report.packed_facts = self.pack_report_facts(TICK_PACK_DAYS).await?;
                return Ok(report);
            }
        }
    }
}
