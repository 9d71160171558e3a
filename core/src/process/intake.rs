//! Intake: register (seed step 2), entitle (3), classify (4), prioritise (5) and route (6) a
//! new ticket; the `open` command.

use crate::command::{CommandKind, NewTicket};
use crate::directory::{Role, User};
use crate::event::{Event, Opened};
use crate::permission::{access, Access};
use crate::priority::{Impact, Urgency};
use crate::vocabulary::CancelReason;
use crate::{Error, Result, UserId};

use crate::decide::{clean_list, text, Context, Facts, MAX_TEXT, MAX_TITLE};

pub(crate) fn open(new: &NewTicket, actor: &User, ctx: &Context<'_>) -> Result<Vec<Event>> {
    let (config, facts) = (ctx.config, ctx.facts);
    let denied = |reason: &str| Error::PermissionDenied {
        role: actor.role,
        command: CommandKind::Open,
        reason: reason.to_owned(),
    };
    match access(actor.role, CommandKind::Open) {
        Access::Denied => return Err(denied("the role does not allow it")),
        Access::Any => {}
        _ if new.requester != actor.id => {
            return Err(denied("requesters open only for themselves"))
        }
        _ => {
            let staff_fields = [
                ("team", new.team.is_some()),
                ("assignee", new.assignee.is_some()),
                ("possible_causes", !new.possible_causes.is_empty()),
                ("assigned_resources", !new.assigned_resources.is_empty()),
            ];
            if let Some((field, _)) = staff_fields.iter().find(|(_, set)| *set) {
                return Err(denied(&format!("only staff may set `{field}`")));
            }
        }
    }
    let title = text("title", &new.title, MAX_TITLE)?;
    let description = new.description.trim().to_owned();
    if description.chars().count() > MAX_TEXT {
        return Err(Error::validation("description", "is too long"));
    }
    let requester = facts.user("requester", &new.requester)?;
    let organisation = match (&new.organisation, &requester.organisation) {
        (Some(o), own) if actor.role == Role::Requester && own.as_ref() != Some(o) => {
            return Err(denied("requesters open only for their own organisation"))
        }
        (Some(o), _) | (None, Some(o)) => Some(facts.organisation("organisation", o)?),
        (None, None) => None,
    };
    let category = new
        .category
        .as_deref()
        .map(|c| config.category("category", c))
        .transpose()?;
    let impact = new
        .impact
        .map(Impact::new)
        .transpose()?
        .unwrap_or(config.intake.default_impact);
    let urgency = new
        .urgency
        .map(Urgency::new)
        .transpose()?
        .unwrap_or(config.intake.default_urgency);
    if new.users_affected == 0 {
        return Err(Error::validation("users_affected", "must be at least 1"));
    }
    if let Some(sec) = &new.security {
        sec.validate(ctx.now)?;
    }
    let tier = crate::directory::customer_tier(Some(requester), organisation);
    let services = clean_list(&new.services);
    let opened = Opened {
        folio: String::new(),
        kind: new.kind,
        channel: new.channel,
        title,
        description,
        requester: requester.id.clone(),
        organisation: organisation.map(|o| o.id.clone()),
        services: services.clone(),
        configuration_items: clean_list(&new.configuration_items),
        category: category.clone(),
        tags: clean_list(&new.tags),
        impact,
        urgency,
        users_affected: new.users_affected,
        priority: config
            .priority
            .compute(impact, urgency, new.users_affected, tier),
        possible_causes: clean_list(&new.possible_causes),
        assigned_resources: clean_list(&new.assigned_resources),
        security: new.security.clone(),
        level: config.support.entry_level,
    };
    let mut events = vec![Event::Opened(Box::new(opened))];

    // Entitlement (seed step 3): registered, then rejected with the reason on record.
    if let Some(service) = organisation.and_then(|o| o.uncovered(&services)) {
        let org = organisation.map(|o| o.name.as_str()).unwrap_or_default();
        events.push(Event::Cancelled {
            reason: CancelReason::NotEntitled,
            note: format!("service `{service}` is not covered by the contract of {org}"),
        });
        return Ok(events);
    }

    let team = match (&new.team, &category) {
        (Some(t), _) => Some(facts.team("team", t)?),
        (None, Some(cat)) => match config.route(cat) {
            Some(t) => Some(facts.team("categories.team", t)?),
            None => None,
        },
        (None, None) => None,
    };
    let assignee = new
        .assignee
        .as_ref()
        .map(|a| staff_member(facts, "assignee", a))
        .transpose()?;
    if team.is_some() || assignee.is_some() {
        events.push(Event::Assigned {
            team: team.map(|t| t.id.clone()),
            assignee: assignee.map(|a| a.id.clone()),
            level: team.map_or(config.support.entry_level, |t| t.level),
            strategy: None,
        });
    }
    Ok(events)
}

pub(crate) fn staff_member<'f>(facts: &'f Facts, field: &str, id: &UserId) -> Result<&'f User> {
    let user = facts.user(field, id)?;
    if !user.role.is_staff() {
        return Err(Error::validation(field, format!("`{id}` is not an agent")));
    }
    if !user.active {
        return Err(Error::validation(field, format!("`{id}` is inactive")));
    }
    Ok(user)
}
