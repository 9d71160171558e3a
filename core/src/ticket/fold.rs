//! Folding: `replay` a whole history, `apply` one event, `preview` a decision's outcome.

use chrono::{DateTime, Utc};

use super::*;
use crate::command::EscalationKind;

impl Ticket {
    /// Folds a ticket's whole history. The first event must be `opened`.
    pub fn replay(events: &[EventEnvelope]) -> Result<Ticket> {
        let (first, rest) = events
            .split_first()
            .ok_or_else(|| Error::storage_msg("a ticket history cannot be empty"))?;
        let mut ticket = Ticket::from_opened(first)?;
        for env in rest {
            ticket.apply(env)?;
        }
        Ok(ticket)
    }

    /// The state right after the `opened` event.
    pub fn from_opened(env: &EventEnvelope) -> Result<Ticket> {
        let Event::Opened(o) = &env.event else {
            return Err(Error::storage_msg(format!(
                "ticket `{}` history starts with `{}`, not `opened`",
                env.ticket_id,
                env.event.type_name()
            )));
        };
        let o = o.as_ref().clone();
        Ok(Ticket {
            id: env.ticket_id.clone(),
            folio: o.folio,
            kind: o.kind,
            channel: o.channel,
            title: o.title,
            description: o.description,
            requester: o.requester,
            organisation: o.organisation,
            services: o.services,
            configuration_items: o.configuration_items,
            category: o.category,
            tags: o.tags,
            impact: o.impact,
            urgency: o.urgency,
            users_affected: o.users_affected,
            priority: o.priority,
            priority_override: None,
            possible_causes: o.possible_causes,
            assigned_resources: o.assigned_resources,
            status: Status::New,
            level: o.level,
            team: None,
            assignee: None,
            watchers: Vec::new(),
            pending_reason: None,
            solution: None,
            reopen_count: 0,
            escalation_count: 0,
            hierarchical_escalations: 0,
            satisfaction: None,
            cancellation: None,
            comments: Vec::new(),
            security: o.security,
            milestones: Milestones {
                opened_at: Some(env.at),
                updated_at: Some(env.at),
                ..Milestones::default()
            },
            sla_marks: Vec::new(),
            sla_alerts: Vec::new(),
            received: Vec::new(),
            thread_key: None,
            imported: None,
            occurrences: 1,
            attachments: Vec::new(),
            sla_due: None,
            problem: (o.kind == TicketKind::Problem).then(crate::problem::ProblemRecord::new),
            problem_id: None,
            rules_fired: Vec::new(),
            version: 1,
        })
        .map(|mut t: Ticket| {
            let _ = marks::fold(&mut t.sla_marks, &env.event, env.at, t.level);
            t
        })
    }

    /// Folds one more event. Only changes state: every rule was checked by `decide`.
    pub fn apply(&mut self, env: &EventEnvelope) -> Result<()> {
        if env.sequence != self.version + 1 {
            return Err(Error::storage_msg(format!(
                "ticket `{}`: event {} follows version {}",
                self.id, env.sequence, self.version
            )));
        }
        let at = env.at;
        let m = &mut self.milestones;
        match &env.event {
            Event::Opened(_) => {
                return Err(Error::storage_msg(format!(
                    "ticket `{}` opened twice",
                    self.id
                )))
            }
            Event::Commented {
                number,
                body,
                visibility,
                by_staff,
            } => {
                if *by_staff && *visibility == Visibility::Public {
                    m.first_response_at.get_or_insert(at);
                }
                self.comments.push(Comment {
                    number: *number,
                    author: env.actor.clone(),
                    at,
                    body: body.clone(),
                    visibility: *visibility,
                });
            }
            Event::Assigned {
                team,
                assignee,
                level,
                ..
            } => {
                self.team.clone_from(team);
                self.assignee.clone_from(assignee);
                self.level = *level;
                if assignee.is_some() {
                    m.assigned_at.get_or_insert(at);
                    if self.status == Status::New {
                        self.status = Status::Open;
                    }
                }
            }
            Event::Reclassified { kind, category, .. } => {
                self.kind = *kind;
                self.category.clone_from(category);
            }
            Event::PriorityChanged {
                impact,
                urgency,
                users_affected,
                priority,
                manual,
            } => {
                self.impact = *impact;
                self.urgency = *urgency;
                self.users_affected = *users_affected;
                self.priority = *priority;
                self.priority_override.clone_from(manual);
            }
            Event::PendingSet { reason, .. } => {
                self.status = Status::Pending;
                self.pending_reason = Some(reason.clone());
                m.pending_since = Some(at);
            }
            Event::Resumed { .. } => {
                self.status = Status::Open;
                self.pending_reason = None;
                m.pending_since = None;
            }
            Event::Escalated {
                to_level,
                team,
                kind,
                ..
            } => {
                if *kind == EscalationKind::Hierarchical {
                    self.hierarchical_escalations += 1;
                }
                self.level = *to_level;
                if team.is_some() {
                    self.team.clone_from(team);
                    // A new team picks its own technician.
                    self.assignee = None;
                }
                self.escalation_count += 1;
                m.escalated_at = Some(at);
            }
            Event::SolutionProposed { solution } => {
                self.status = Status::Resolved;
                self.solution = Some(solution.clone());
                m.resolved_at = Some(at);
            }
            Event::SolutionConfirmed { .. } => {
                self.status = Status::Confirmed;
                m.confirmed_at = Some(at);
            }
            Event::SolutionRejected { .. } => {
                self.status = Status::Open;
                self.reopen_count += 1;
                self.solution = None;
                m.reopened_at = Some(at);
            }
            Event::Rated { score, comment } => {
                self.satisfaction = Some(Satisfaction {
                    score: *score,
                    comment: comment.clone(),
                    at,
                });
                m.rated_at = Some(at);
            }
            Event::Closed { .. } => {
                self.status = Status::Closed;
                m.closed_at = Some(at);
            }
            Event::Cancelled { reason, note } => {
                self.status = Status::Cancelled;
                self.cancellation = Some(Cancellation {
                    reason: *reason,
                    note: note.clone(),
                });
                m.cancelled_at = Some(at);
            }
            Event::Reopened { .. } => {
                self.status = Status::Open;
                self.reopen_count += 1;
                self.solution = None;
                m.reopened_at = Some(at);
                m.closed_at = None;
                m.confirmed_at = None;
            }
            Event::WatcherAdded { user } => self.watchers.push(user.clone()),
            Event::SecurityUpdated(update) => {
                let base = self.security.take().unwrap_or_default();
                self.security = Some(base.merged(update));
            }
            Event::SlaAlert {
                target,
                percent,
                repeat,
                ..
            } => {
                self.sla_alerts.push(SlaAlertKey {
                    target: *target,
                    percent: *percent,
                    repeat: *repeat,
                });
                m.alerted_at = Some(at);
            }
            // The message itself is the whole effect; the alert beside it holds the key.
            Event::StatusReported { .. } => {}
            Event::Edited(e) => self.apply_edit(e),
            Event::Received {
                message_id,
                thread_key,
                attachments,
                ..
            } => {
                self.received.push(message_id.clone());
                self.attachments.extend(attachments.iter().cloned());
                if self.thread_key.is_none() {
                    self.thread_key.clone_from(thread_key);
                }
            }
            Event::Recurred { occurrences, .. } => self.occurrences = *occurrences,
            Event::Attached(a) => self.attachments.push(a.clone()),
            Event::Imported {
                source,
                reference,
                passed,
            } => {
                self.imported = Some(crate::import::ExternalRef {
                    source: source.clone(),
                    reference: reference.clone(),
                });
                for key in passed {
                    if !self.sla_alerts.contains(key) {
                        self.sla_alerts.push(*key);
                    }
                }
            }
            Event::RuleFired { rule, key } => self.rules_fired.push(super::RuleMark {
                rule: rule.clone(),
                key: key.clone(),
            }),
            Event::ProblemUpdated { .. }
            | Event::ProblemLinked { .. }
            | Event::ProblemUnlinked { .. } => {}
        }
        self.fold_problem(&env.event, at);
        if marks::fold(&mut self.sla_marks, &env.event, at, self.level) {
            // A new update interval starts: its alerts and status messages start afresh.
            self.sla_alerts
                .retain(|a| a.target != crate::sla::Target::Update);
        }
        self.milestones.updated_at = Some(at);
        self.version = env.sequence;
        Ok(())
    }

    /// The state after `events` by `actor` at `at`, without storing anything: used to
    /// compute projection-only fields (such as the due instant) before an append.
    pub fn preview(&self, events: &[Event], at: DateTime<Utc>, actor: &UserId) -> Result<Ticket> {
        let mut after = self.clone();
        for (i, event) in events.iter().enumerate() {
            let sequence = self.version + 1 + i as u64;
            after.apply(&unsealed(&self.id, sequence, at, actor, event))?;
        }
        Ok(after)
    }

    /// The state a new ticket `id` would have after `events` (the first being `opened`),
    /// without storing anything; its folio is not drawn yet.
    pub fn preview_new(
        id: &TicketId,
        events: &[Event],
        at: DateTime<Utc>,
        actor: &UserId,
    ) -> Result<Ticket> {
        let (first, rest) = events
            .split_first()
            .ok_or_else(|| Error::storage_msg("a ticket history cannot be empty"))?;
        Ticket::from_opened(&unsealed(id, 1, at, actor, first))?.preview(rest, at, actor)
    }
}

impl Ticket {
    fn apply_edit(&mut self, e: &crate::edit::Edited) {
        let text = |field: &mut String, c: &Option<crate::edit::TextChange>| {
            if let Some(c) = c {
                field.clone_from(&c.after);
            }
        };
        let list = |field: &mut Vec<String>, c: &Option<crate::edit::ListChange>| {
            if let Some(c) = c {
                field.clone_from(&c.after);
            }
        };
        text(&mut self.title, &e.title);
        text(&mut self.description, &e.description);
        list(&mut self.services, &e.services);
        list(&mut self.configuration_items, &e.configuration_items);
        list(&mut self.possible_causes, &e.possible_causes);
        list(&mut self.assigned_resources, &e.assigned_resources);
        list(&mut self.tags, &e.tags);
    }
}

/// An envelope for folding only: no hashes, as nothing is stored.
fn unsealed(
    id: &TicketId,
    sequence: u64,
    at: DateTime<Utc>,
    actor: &UserId,
    event: &Event,
) -> EventEnvelope {
    EventEnvelope {
        ticket_id: id.clone(),
        sequence,
        at,
        actor: actor.clone(),
        schema: crate::event::EVENT_SCHEMA,
        event: event.clone(),
        prev_hash: String::new(),
        hash: String::new(),
    }
}
