//! Rules at work (seeds 000, 004): a rule's actions, each decided as a command on the
//! ticket as the previous ones left it — so the transition table holds for every part —
//! in one append after the `rule_fired` event that records the trigger answered.

use crate::automation::{actor_of, RuleAction};
use crate::command::Command;
use crate::decide::{decide, Decision};
use crate::directory::{Role, User};
use crate::edit::TicketEdit;
use crate::event::Event;
use crate::responses::render;
use crate::{Error, Result};

impl Decision<'_> {
    pub(crate) fn run_rule(&self, id: &str, key: &str) -> Result<Vec<Event>> {
        let rule = (self.ctx.config.rules.iter().find(|r| r.id == id))
            .ok_or_else(|| Error::validation("rule", format!("no rule `{id}`")))?;
        let t = self.ticket;
        // Answered already, switched off, or the ticket moved on: nothing to do.
        if !rule.enabled || t.fired(id, key) || !rule.holds(t) {
            return Err(Error::InvalidTransition {
                status: t.status,
                command: crate::CommandKind::RunRule,
            });
        }
        // The rule acts with an admin's reach, under its own name.
        let actor = User::new(actor_of(id), format!("Rule {id}"), Role::Admin);
        let mut events = vec![Event::RuleFired {
            rule: id.to_owned(),
            key: key.to_owned(),
        }];
        let mut working = t.preview(&events, self.ctx.now, &actor.id)?;
        for (i, action) in rule.then.iter().enumerate() {
            let done = match self.step(action, &working, &actor)? {
                Step::Command(command) => decide(Some(&working), &command, &actor, self.ctx)
                    .map_err(|e| in_action(i, e))?,
                Step::Events(events) => events,
            };
            working = working.preview(&done, self.ctx.now, &actor.id)?;
            events.extend(done);
        }
        Ok(events)
    }

    fn step(&self, action: &RuleAction, working: &crate::Ticket, actor: &User) -> Result<Step> {
        let config = self.ctx.config;
        Ok(Step::Command(match action {
            RuleAction::Comment { response } => {
                let r = (config.responses.iter().find(|x| &x.id == response))
                    .ok_or_else(|| Error::validation("response", format!("no `{response}`")))?;
                Command::Comment {
                    body: render(r, working, actor, self.ctx.facts)?,
                    visibility: r.visibility,
                }
            }
            RuleAction::RemindRequester => {
                return Ok(Step::Events(vec![Event::StatusReported {
                    status: working.status,
                    level: working.level,
                }]))
            }
            RuleAction::AddTags { tags } => {
                let mut all = working.tags.clone();
                all.extend(tags.iter().filter(|t| !working.tags.contains(t)).cloned());
                if all == working.tags {
                    return Ok(Step::Events(Vec::new()));
                }
                Command::Edit(TicketEdit {
                    tags: Some(all),
                    ..TicketEdit::default()
                })
            }
            RuleAction::Reclassify { category } => Command::Reclassify {
                kind: None,
                category: Some(category.clone()),
            },
            RuleAction::Assign { team, assignee } => Command::Assign {
                team: team.clone(),
                assignee: assignee.clone(),
            },
            RuleAction::Escalate { kind } => Command::Escalate {
                kind: *kind,
                team: None,
                reason: format!("rule {}", actor.id),
            },
            RuleAction::SetPending { reason, waiting_on } => Command::SetPending {
                reason: reason.clone(),
                waiting_on: *waiting_on,
            },
            RuleAction::Close { note } => Command::Close { note: note.clone() },
            RuleAction::Cancel { reason, note } => Command::Cancel {
                reason: *reason,
                note: note.clone(),
            },
        }))
    }
}

enum Step {
    Command(Command),
    Events(Vec<Event>),
}

/// An action's refusal, naming the action.
fn in_action(i: usize, e: Error) -> Error {
    match e {
        Error::Validation { field, reason } => {
            Error::validation(format!("then[{i}].{field}"), reason)
        }
        other => other,
    }
}
