//! When the desk must next look at a ticket without anyone acting, and what a new
//! configuration changes for open tickets.
//!
//! The schedule is a function of (ticket, configuration, customer tier): the due instant
//! `tick` reads from the due index (auto-confirmation, the next SLA escalation threshold)
//! and the earliest due instant of the running SLA targets (the SLA-state queues). A
//! configuration change recomputes it for every open ticket ([`compare`]); nothing is kept
//! in counters that could drift.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::decide::Facts;
use crate::due::next_due;
use crate::sla::{Crossing, Sla, SlaState, Target};
use crate::ticket::Ticket;
use crate::TicketId;

/// A ticket's entries in the due index and the SLA-state queues.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Schedule {
    /// When `tick` must look at the ticket next.
    pub due_at: Option<DateTime<Utc>>,
    /// The earliest due instant of its running SLA targets.
    pub sla_due: Option<DateTime<Utc>>,
}

/// The configuration in force, compiled: what schedules and SLA views are computed from.
#[derive(Clone, Debug)]
pub struct Rules {
    /// The configuration.
    pub config: Config,
    /// Its SLA section, compiled.
    pub sla: Sla,
    /// Its notification section, shared with every append.
    pub notify: std::sync::Arc<crate::notify::NotifyConfig>,
    /// Its notification templates, compiled.
    pub templates: std::sync::Arc<crate::notify::templates::Templates>,
}

impl Rules {
    /// Compiles `config` (validating it).
    pub fn new(config: Config) -> crate::Result<Rules> {
        config.validate()?;
        let sla = Sla::new(&config.sla)?;
        let notify = std::sync::Arc::new(config.notifications.clone());
        let templates = crate::notify::templates::Templates::new(&notify.templates)?;
        Ok(Rules {
            config,
            sla,
            notify,
            templates: std::sync::Arc::new(templates),
        })
    }

    /// The schedule of `ticket` under these rules.
    pub fn schedule(&self, ticket: &Ticket, tier: Option<&str>) -> Schedule {
        let (crossing, sla_due) = self.sla.schedule(ticket, tier);
        let rules = crate::automation::next_due(&self.config.rules, ticket, &self.sla);
        let due_at = [next_due(ticket, &self.config), crossing, rules]
            .into_iter()
            .flatten()
            .min();
        Schedule { due_at, sla_due }
    }
}

/// The customer tier of a ticket: its requester's, else its organisation's.
pub fn tier<'f>(ticket: &Ticket, facts: &'f Facts) -> Option<&'f str> {
    let org = ticket
        .organisation
        .as_ref()
        .and_then(|o| facts.organisations.get(o));
    crate::directory::customer_tier(facts.users.get(&ticket.requester), org)
}

/// One SLA target whose state a new configuration changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StateChange {
    /// The target.
    pub target: Target,
    /// Its state under the configuration in force (`None`: the target did not apply).
    pub before: Option<SlaState>,
    /// Its state under the new configuration.
    pub after: Option<SlaState>,
}

/// What a new configuration changes for one open ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TicketChange {
    /// The ticket.
    pub ticket: TicketId,
    /// Its folio.
    pub folio: String,
    /// The schedule in force.
    pub before: Schedule,
    /// The schedule under the new configuration.
    pub after: Schedule,
    /// The SLA policy applied before and after (`None`: no policy).
    pub policy: (Option<String>, Option<String>),
    /// Targets whose state changes.
    pub states: Vec<StateChange>,
    /// Escalation rules that would fire at once under the new configuration.
    pub alerts_now: Vec<Crossing>,
}

/// What `after` changes for `ticket` at `now` compared with `before`, or `None` when
/// nothing a user or the sweep would see changes.
pub fn compare(
    ticket: &Ticket,
    tier: Option<&str>,
    now: DateTime<Utc>,
    before: &Rules,
    after: &Rules,
) -> Option<TicketChange> {
    let view_before = before.sla.view(ticket, tier, now);
    let view_after = after.sla.view(ticket, tier, now);
    let state = |v: &Option<crate::sla::SlaView>, t: Target| {
        v.as_ref().and_then(|v| v.target(t)).map(|x| x.state)
    };
    let mut states = Vec::new();
    for &target in Target::ALL {
        let (b, a) = (state(&view_before, target), state(&view_after, target));
        if b != a {
            states.push(StateChange {
                target,
                before: b,
                after: a,
            });
        }
    }
    let change = TicketChange {
        ticket: ticket.id.clone(),
        folio: ticket.folio.clone(),
        before: before.schedule(ticket, tier),
        after: after.schedule(ticket, tier),
        policy: (view_before.map(|v| v.policy), view_after.map(|v| v.policy)),
        states,
        alerts_now: after.sla.crossings(ticket, tier, now),
    };
    let same = change.before == change.after
        && change.states.is_empty()
        && change.policy.0 == change.policy.1
        && change.alerts_now == before.sla.crossings(ticket, tier, now);
    (!same).then_some(change)
}
