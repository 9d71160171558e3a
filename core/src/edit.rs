//! Ticket edits (seed 001: the technician keeps the ticket's fields current): the command's
//! payload, the fields it may touch, and the event that records each change with its value
//! before and after, so the history says who changed what from what.

use serde::{Deserialize, Serialize};

use crate::vocab::string_enum;

/// Changes to a ticket's descriptive fields; a field left out stays as it is, a list
/// replaces the whole list. `users_affected` recomputes the priority (a `priority_changed`
/// event follows the edit).
///
/// ```
/// use foliodesk_core::edit::TicketEdit;
/// let edit = TicketEdit {
///     tags: Some(vec!["major-incident".into()]),
///     users_affected: Some(120),
///     ..Default::default()
/// };
/// assert_eq!(edit.fields().len(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TicketEdit {
    /// A new title.
    pub title: Option<String>,
    /// A new description.
    pub description: Option<String>,
    /// The services affected.
    pub services: Option<Vec<String>>,
    /// The configuration items affected.
    pub configuration_items: Option<Vec<String>>,
    /// Possible causes (staff only).
    pub possible_causes: Option<Vec<String>>,
    /// Resources assigned to the work (staff only).
    pub assigned_resources: Option<Vec<String>>,
    /// Tags (`major-incident` makes a major incident).
    pub tags: Option<Vec<String>>,
    /// How many users are affected.
    pub users_affected: Option<u32>,
}

impl TicketEdit {
    /// The fields this edit sets.
    pub fn fields(&self) -> Vec<EditableField> {
        use EditableField as F;
        [
            (F::Title, self.title.is_some()),
            (F::Description, self.description.is_some()),
            (F::Services, self.services.is_some()),
            (F::ConfigurationItems, self.configuration_items.is_some()),
            (F::PossibleCauses, self.possible_causes.is_some()),
            (F::AssignedResources, self.assigned_resources.is_some()),
            (F::Tags, self.tags.is_some()),
            (F::UsersAffected, self.users_affected.is_some()),
        ]
        .into_iter()
        .filter_map(|(f, set)| set.then_some(f))
        .collect()
    }
}

string_enum!(
    /// A field the `edit` command changes.
    EditableField, "field" {
        /// The title.
        Title = "title",
        /// The description.
        Description = "description",
        /// The services affected.
        Services = "services",
        /// The configuration items affected.
        ConfigurationItems = "configuration_items",
        /// Possible causes (staff only).
        PossibleCauses = "possible_causes",
        /// Assigned resources (staff only).
        AssignedResources = "assigned_resources",
        /// Tags.
        Tags = "tags",
        /// Users affected.
        UsersAffected = "users_affected",
    }
);

impl EditableField {
    /// Whether only staff may ever see or change it.
    pub fn staff_only(self) -> bool {
        matches!(
            self,
            EditableField::PossibleCauses | EditableField::AssignedResources
        )
    }
}

/// A text field's value before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TextChange {
    /// Before.
    pub before: String,
    /// After.
    pub after: String,
}

/// A list field's value before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ListChange {
    /// Before.
    pub before: Vec<String>,
    /// After.
    pub after: Vec<String>,
}

/// The `edited` event: each changed field with its value before and after (fields that
/// did not change are absent).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Edited {
    /// The title, before and after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<TextChange>,
    /// The description, before and after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<TextChange>,
    /// The services, before and after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<ListChange>,
    /// The configuration items, before and after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_items: Option<ListChange>,
    /// The possible causes, before and after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub possible_causes: Option<ListChange>,
    /// The assigned resources, before and after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_resources: Option<ListChange>,
    /// The tags, before and after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<ListChange>,
}

impl Edited {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        *self == Edited::default()
    }

    /// True when a requester may see something of it (not only staff fields).
    pub fn has_public_part(&self) -> bool {
        let staff = Edited {
            possible_causes: self.possible_causes.clone(),
            assigned_resources: self.assigned_resources.clone(),
            ..Edited::default()
        };
        *self != staff
    }

    /// The edit without its staff-only fields.
    pub fn redacted(mut self) -> Edited {
        self.possible_causes = None;
        self.assigned_resources = None;
        self
    }
}
