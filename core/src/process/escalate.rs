//! Escalate (seed step 8): functional to the next level's team, hierarchical to the
//! supervisor; by hand, or by an SLA escalation rule.

use crate::command::EscalationKind;
use crate::event::Event;
use crate::sla::{EscalationAction, Target};
use crate::{Error, Result, TeamId, UserId};

use crate::decide::{text, Decision, MAX_TEXT};

impl Decision<'_> {
    pub(crate) fn escalate(
        &self,
        kind: EscalationKind,
        team: Option<&TeamId>,
        reason: &str,
    ) -> Result<Vec<Event>> {
        let (t, facts) = (self.ticket, self.ctx.facts);
        let reason = text("reason", reason, MAX_TEXT)?;
        let from_level = t.level;
        match kind {
            EscalationKind::Functional => {
                let to_level = from_level.next().ok_or_else(|| {
                    Error::validation("level", "the ticket is already at the highest level, n3")
                })?;
                let target = match team {
                    Some(id) => {
                        let team = facts.team("team", id)?;
                        if team.level <= from_level {
                            return Err(Error::validation(
                                "team",
                                format!("`{id}` works at {}, not above {from_level}", team.level),
                            ));
                        }
                        team
                    }
                    None => match (t.category.as_ref())
                        .and_then(|c| self.ctx.config.escalation_route(c, to_level))
                    {
                        Some(id) => facts.team("categories.escalate", id)?,
                        None => facts
                            .teams
                            .values()
                            .find(|tm| tm.level == to_level)
                            .ok_or_else(|| {
                                Error::validation(
                                    "team",
                                    format!("no team works at level {to_level}"),
                                )
                            })?,
                    },
                };
                Ok(vec![Event::Escalated {
                    kind,
                    from_level,
                    to_level: target.level,
                    team: Some(target.id.clone()),
                    notify: target.supervisor.iter().cloned().collect(),
                    reason,
                }])
            }
            EscalationKind::Hierarchical => {
                let team_id = team.or(t.team.as_ref()).ok_or_else(|| {
                    Error::validation("team", "the ticket has no team whose supervisor to alert")
                })?;
                let team = facts.team("team", team_id)?;
                let supervisor = team.supervisor.clone().ok_or_else(|| {
                    Error::validation("team.supervisor", format!("team `{team_id}` has none"))
                })?;
                Ok(vec![Event::Escalated {
                    kind,
                    from_level,
                    to_level: from_level,
                    team: None,
                    notify: vec![supervisor],
                    reason,
                }])
            }
        }
    }

    /// The alert, who hears of it, and the escalations it asks for. An escalation that
    /// cannot happen (already at n3, no supervisor) is left out: the alert still stands.
    pub(crate) fn sla_alert(
        &self,
        target: Target,
        percent: u16,
        repeat: u32,
        actions: &[EscalationAction],
    ) -> Vec<Event> {
        let t = self.ticket;
        let supervisor = t
            .team
            .as_ref()
            .and_then(|id| self.ctx.facts.teams.get(id))
            .and_then(|team| team.supervisor.clone());
        let mut notify: Vec<UserId> = Vec::new();
        let mut teams = Vec::new();
        for a in actions {
            let who = match a {
                EscalationAction::NotifyAssignee => t.assignee.clone(),
                EscalationAction::NotifySupervisor => supervisor.clone(),
                EscalationAction::NotifyTeam => {
                    // Every member, resolved when the message is delivered; the team is the
                    // one the ticket is at when the alert fires, so repeats after an
                    // escalation reach the new team.
                    if let Some(team) = t.team.as_ref().filter(|id| !teams.contains(*id)) {
                        teams.push(team.clone());
                    }
                    None
                }
                _ => None,
            };
            if let Some(u) = who.filter(|u| !notify.contains(u)) {
                notify.push(u);
            }
        }
        let mut events = vec![Event::SlaAlert {
            target,
            percent,
            repeat,
            notify,
            teams,
        }];
        if actions.contains(&EscalationAction::InformRequester) {
            events.push(Event::StatusReported {
                status: t.status,
                level: t.level,
            });
        }
        let reason = format!("SLA: {target} at {percent} %");
        for a in actions {
            let kind = match a {
                EscalationAction::Functional => EscalationKind::Functional,
                EscalationAction::Hierarchical => EscalationKind::Hierarchical,
                _ => continue,
            };
            if let Ok(more) = self.escalate(kind, None, &reason) {
                events.extend(more);
            }
        }
        events
    }
}
