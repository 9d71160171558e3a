//! `decide`: every rule of the process. Pure and deterministic: time, configuration and
//! directory facts come in through [`Context`].

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::command::{Command, CommandKind};
use crate::config::Config;
use crate::directory::{Organisation, Role, Team, User};
use crate::event::Event;
use crate::lifecycle;
use crate::permission::{access, Access};
use crate::ticket::Ticket;
use crate::{Error, OrgId, Result, TeamId, UserId};

/// Longest title, in characters.
pub const MAX_TITLE: usize = 250;
/// Longest free text (description, comment, solution), in characters.
pub const MAX_TEXT: usize = 100_000;

/// The directory entries a decision may need: the actor, every user the command or the
/// ticket names, their organisations, and all teams.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// Users by id.
    pub users: BTreeMap<UserId, User>,
    /// Organisations by id.
    pub organisations: BTreeMap<OrgId, Organisation>,
    /// Teams by id.
    pub teams: BTreeMap<TeamId, Team>,
}

impl Facts {
    pub(crate) fn user(&self, field: &str, id: &UserId) -> Result<&User> {
        self.users
            .get(id)
            .ok_or_else(|| Error::validation(field, format!("unknown user `{id}`")))
    }

    pub(crate) fn team(&self, field: &str, id: &TeamId) -> Result<&Team> {
        self.teams
            .get(id)
            .ok_or_else(|| Error::validation(field, format!("unknown team `{id}`")))
    }

    pub(crate) fn organisation(&self, field: &str, id: &OrgId) -> Result<&Organisation> {
        self.organisations
            .get(id)
            .ok_or_else(|| Error::validation(field, format!("unknown organisation `{id}`")))
    }
}

/// Everything outside the ticket that a decision depends on.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The current instant.
    pub now: DateTime<Utc>,
    /// The desk's configuration.
    pub config: &'a Config,
    /// Directory facts.
    pub facts: &'a Facts,
}

/// Which teams a decision reads, so a caller loads only those from the directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamsNeeded {
    /// Exactly these (possibly none).
    Named(Vec<TeamId>),
    /// The whole directory: the decision searches it (by level, or by membership).
    All,
}

impl TeamsNeeded {
    /// The teams `decide` will look up for `command`. Kept next to `decide` because the two
    /// must agree: a team missing from the facts would read as an unknown team.
    pub fn of(command: &Command, config: &Config) -> TeamsNeeded {
        match command {
            Command::Received { then, .. } => TeamsNeeded::of(then, config),
            Command::Open(new) => {
                let routed = match (&new.team, &new.category) {
                    (Some(t), _) => Some(t.clone()),
                    (None, Some(c)) => config
                        .category("category", c)
                        .ok()
                        .and_then(|cat| config.route(&cat).cloned()),
                    (None, None) => None,
                };
                TeamsNeeded::Named(routed.into_iter().collect())
            }
            Command::Assign { .. } | Command::Escalate { .. } | Command::SlaAlert { .. } => {
                TeamsNeeded::All
            }
            _ => TeamsNeeded::Named(Vec::new()),
        }
    }
}

/// The desk itself as an actor, for time-driven work.
pub fn system_actor() -> User {
    User::new("system", "Foliodesk", Role::System)
}

/// Validates `command` by `actor` against `ticket` (`None` for `open`) and returns what
/// happened. Refusals are typed errors; nothing is returned half-done.
pub fn decide(
    ticket: Option<&Ticket>,
    command: &Command,
    actor: &User,
    ctx: &Context<'_>,
) -> Result<Vec<Event>> {
    let kind = command.kind();
    let denied = |reason: &str| Error::PermissionDenied {
        role: actor.role,
        command: kind,
        reason: reason.to_owned(),
    };
    if !actor.active {
        return Err(denied("the user is inactive"));
    }
    if let Command::Received {
        message_id,
        channel,
        thread_key,
        attachments,
        then,
    } = command
    {
        let message = Message {
            id: message_id,
            channel: *channel,
            thread_key: thread_key.as_deref(),
            attachments,
        };
        return received(ticket, &message, then, actor, ctx);
    }
    let ticket = match (ticket, command) {
        (None, Command::Open(new)) => return crate::process::intake::open(new, actor, ctx),
        (Some(t), Command::Open(_)) => {
            return Err(Error::InvalidTransition {
                status: t.status,
                command: kind,
            })
        }
        (None, _) => return Err(Error::not_found("ticket", "(none given)")),
        (Some(t), _) => t,
    };
    match access(actor.role, kind) {
        Access::Denied => return Err(denied("the role does not allow it")),
        Access::AsRequester if ticket.requester != actor.id => {
            return Err(denied("only the ticket's requester may do this"))
        }
        Access::AsInvolved if !ticket.involves(&actor.id) => {
            return Err(denied("only the requester or a watcher may do this"))
        }
        _ => {}
    }
    lifecycle::check(ticket.status, kind)?;
    let d = Decision { ticket, actor, ctx };
    // Each step's rules are in `process/`, one file per seed step.
    match command {
        Command::Open(_) | Command::Received { .. } => unreachable!("handled above"),
        Command::Comment { body, visibility } => d.comment(body, *visibility),
        Command::Assign { team, assignee } => d.assign(team.as_ref(), assignee.as_ref()),
        Command::Reclassify { kind, category } => d.reclassify(*kind, category.as_ref()),
        Command::ChangePriority(change) => d.change_priority(change),
        Command::Edit(e) => d.edit(e),
        Command::Recur { summary, cleared } => d.recur(summary, *cleared),
        Command::Attach { attachment } => d.attach(attachment),
        Command::ApplyMacro { macro_id } => d.apply_macro(macro_id),
        Command::UpdateProblem(update) => d.update_problem(update),
        Command::LinkProblem { problem } => d.link_problem(problem),
        Command::UnlinkProblem => d.unlink_problem(),
        Command::RunRule { rule, key } => d.run_rule(rule, key),
        Command::SetPending { reason, waiting_on } => d.set_pending(reason, *waiting_on),
        Command::Resume => Ok(vec![Event::Resumed { on_reply: false }]),
        Command::Escalate { kind, team, reason } => d.escalate(*kind, team.as_ref(), reason),
        Command::ProposeSolution { solution } => d.propose_solution(solution),
        Command::ConfirmSolution => Ok(d.confirmed(false)),
        Command::AutoConfirm => d.auto_confirm(),
        Command::RejectSolution { reason } => d.reject_solution(reason),
        Command::Rate { score, comment } => d.rate(*score, comment.as_deref()),
        Command::Close { note } => d.close(note.as_deref()),
        Command::Cancel { reason, note } => d.cancel(*reason, note),
        Command::Reopen { reason } => d.reopen(reason),
        Command::AddWatcher { user } => d.add_watcher(user),
        Command::UpdateSecurity(update) => d.update_security(update),
        Command::SlaAlert {
            target,
            percent,
            repeat,
            actions,
        } => {
            // Recorded already (by another desk's tick, say): nothing to do twice.
            let fired = ticket
                .sla_alerts
                .iter()
                .any(|a| a.target == *target && a.percent == *percent && a.repeat >= *repeat);
            if fired {
                return Err(Error::InvalidTransition {
                    status: ticket.status,
                    command: CommandKind::SlaAlert,
                });
            }
            Ok(d.sla_alert(*target, *percent, *repeat, actions))
        }
    }
}

/// What a [`Command::Received`] says of its message.
struct Message<'a> {
    id: &'a str,
    channel: crate::vocabulary::Channel,
    thread_key: Option<&'a str>,
    attachments: &'a [crate::attachment::Attachment],
}

/// The inbound message does `then`: refused when the ticket already has it.
fn received(
    ticket: Option<&Ticket>,
    message: &Message<'_>,
    then: &Command,
    actor: &User,
    ctx: &Context<'_>,
) -> Result<Vec<Event>> {
    let message_id = text("message_id", message.id, 998)?;
    let channel = message.channel;
    if matches!(then, Command::Received { .. }) {
        return Err(Error::validation(
            "then",
            "a received message wraps one command",
        ));
    }
    if let Some(t) = ticket.filter(|t| t.received.contains(&message_id)) {
        return Err(Error::validation(
            "message_id",
            format!("`{message_id}` was already received on {}", t.folio),
        ));
    }
    let thread_key = match message.thread_key {
        Some(k) => Some(text("thread_key", k, 998)?),
        None => None,
    };
    let policy = &ctx.config.attachments;
    let attachments = (message.attachments.iter())
        .map(|a| crate::attachment::validate(a, policy))
        .collect::<Result<Vec<_>>>()?;
    let mut events = decide(ticket, then, actor, ctx)?;
    events.push(Event::Received {
        message_id,
        channel,
        thread_key,
        attachments,
    });
    Ok(events)
}

/// Trims `value` and checks it is present and not too long.
pub(crate) fn text(field: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::validation(field, "must not be empty"));
    }
    if v.chars().count() > max {
        return Err(Error::validation(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    Ok(v.to_owned())
}

pub(crate) fn clean_list(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for v in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        if !out.iter().any(|o| o == v) {
            out.push(v.to_owned());
        }
    }
    out
}

/// One command being decided on an existing ticket; each process step adds its methods.
pub(crate) struct Decision<'a> {
    pub ticket: &'a Ticket,
    pub actor: &'a User,
    pub ctx: &'a Context<'a>,
}
