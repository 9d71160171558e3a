//! Edit (seed 001: the technician keeps title, description, services, configuration items,
//! possible causes, assigned resources, tags and users affected current): each change
//! recorded with its value before and after; users affected recomputes the priority.

use crate::command::{CommandKind, PriorityChange};
use crate::directory::Role;
use crate::edit::{Edited, ListChange, TextChange, TicketEdit};
use crate::event::Event;
use crate::{Error, Result};

use crate::decide::{clean_list, text, Decision, MAX_TEXT, MAX_TITLE};

impl Decision<'_> {
    pub(crate) fn edit(&self, edit: &TicketEdit) -> Result<Vec<Event>> {
        let t = self.ticket;
        if self.actor.role == Role::Requester {
            let allowed = &self.ctx.config.intake.requester_may_edit;
            if let Some(field) = edit.fields().into_iter().find(|f| !allowed.contains(f)) {
                return Err(Error::PermissionDenied {
                    role: self.actor.role,
                    command: CommandKind::Edit,
                    reason: format!(
                        "requesters may not edit `{field}` (intake.requester_may_edit)"
                    ),
                });
            }
        }
        let text_change = |before: &str, after: String| {
            (after != before).then(|| TextChange {
                before: before.to_owned(),
                after,
            })
        };
        let list_change = |before: &[String], after: &Option<Vec<String>>| {
            let after = clean_list(after.as_deref()?);
            (after != before).then(|| ListChange {
                before: before.to_vec(),
                after,
            })
        };
        let mut e = Edited::default();
        if let Some(title) = &edit.title {
            e.title = text_change(&t.title, text("title", title, MAX_TITLE)?);
        }
        if let Some(description) = &edit.description {
            let d = description.trim().to_owned();
            if d.chars().count() > MAX_TEXT {
                return Err(Error::validation("description", "is too long"));
            }
            e.description = text_change(&t.description, d);
        }
        e.services = list_change(&t.services, &edit.services);
        if let Some(change) = &e.services {
            // The contract still decides: an edit cannot bring in a service it excludes.
            let org = t
                .organisation
                .as_ref()
                .and_then(|o| self.ctx.facts.organisations.get(o));
            if let Some(service) = org.and_then(|o| o.uncovered(&change.after)) {
                return Err(Error::validation(
                    "services",
                    format!("service `{service}` is not covered by the contract"),
                ));
            }
        }
        e.configuration_items = list_change(&t.configuration_items, &edit.configuration_items);
        e.possible_causes = list_change(&t.possible_causes, &edit.possible_causes);
        e.assigned_resources = list_change(&t.assigned_resources, &edit.assigned_resources);
        e.tags = list_change(&t.tags, &edit.tags);
        let mut events = Vec::new();
        if !e.is_empty() {
            events.push(Event::Edited(Box::new(e)));
        }
        if let Some(users) = edit.users_affected.filter(|n| *n != t.users_affected) {
            let change = PriorityChange {
                users_affected: Some(users),
                ..Default::default()
            };
            events.extend(self.change_priority(&change)?);
        }
        if events.is_empty() {
            return Err(Error::validation("edit", "nothing to change"));
        }
        Ok(events)
    }
}
