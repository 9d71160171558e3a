//! How a ticket is classified: its nature, its channel, its category, and comment visibility.

use serde::{Deserialize, Serialize};

use crate::vocab::string_enum;

string_enum!(
    /// The nature of a ticket (seed step "clasificar por su naturaleza").
    TicketKind, "kind" {
        /// A question (pregunta).
        Question = "question",
        /// An incident: something that worked is broken (incidencia).
        Incident = "incident",
        /// A problem: the unknown cause of one or more incidents (problema).
        Problem = "problem",
        /// A complaint (queja).
        Complaint = "complaint",
        /// A work order (orden de trabajo).
        WorkOrder = "work_order",
        /// A service request (solicitud de servicio).
        ServiceRequest = "service_request",
    }
);

impl TicketKind {
    /// The folio prefix of this kind, e.g. `INC` in `INC-2026-000042`.
    pub fn folio_prefix(self) -> &'static str {
        match self {
            TicketKind::Question => "QST",
            TicketKind::Incident => "INC",
            TicketKind::Problem => "PRB",
            TicketKind::Complaint => "CMP",
            TicketKind::WorkOrder => "WO",
            TicketKind::ServiceRequest => "REQ",
        }
    }
}

string_enum!(
    /// Where a ticket came from. Every channel becomes the same ticket.
    Channel, "channel" {
        /// E-mail.
        Email = "email",
        /// Chat.
        Chat = "chat",
        /// Telephone, typed in by an agent.
        Phone = "phone",
        /// SMS.
        Sms = "sms",
        /// Social networks.
        Social = "social",
        /// The self-service web portal.
        Portal = "portal",
        /// A monitoring system's event.
        Event = "event",
        /// Another program, through the API.
        Api = "api",
    }
);

string_enum!(
    /// Who may read a comment.
    Visibility, "visibility" {
        /// Everyone who can see the ticket, the requester included.
        Public = "public",
        /// Agents, supervisors and admins only; never reaches a requester.
        Internal = "internal",
    }
);

impl Default for Visibility {
    /// Public: a comment is for the requester unless marked internal.
    fn default() -> Self {
        Visibility::Public
    }
}

string_enum!(
    /// Why a ticket was cancelled or rejected.
    CancelReason, "reason" {
        /// The requester's organisation is not covered for this service.
        NotEntitled = "not_entitled",
        /// Another ticket already covers it.
        Duplicate = "duplicate",
        /// Not a genuine request.
        Spam = "spam",
        /// The requester no longer needs it.
        Withdrawn = "withdrawn",
    }
);

/// A hierarchical category path such as `Hardware/Impresoras`.
///
/// ```
/// use foliodesk_core::Category;
/// let c = Category::parse("category", "Hardware / Impresoras").unwrap();
/// assert_eq!(c.as_str(), "Hardware/Impresoras");
/// assert!(c.is_within(&Category::parse("category", "Hardware").unwrap()));
/// ```
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct Category(String);

impl Category {
    /// Parses a `/`-separated path, trimming blanks around segments.
    pub fn parse(field: &str, path: &str) -> crate::Result<Category> {
        let segments: Vec<&str> = path.split('/').map(str::trim).collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(crate::Error::validation(
                field,
                format!("`{path}` has an empty segment; use `Parent/Child`"),
            ));
        }
        Ok(Category(segments.join("/")))
    }

    /// A path already normalised by [`Category::parse`] (read back from storage).
    pub(crate) fn normalised(path: String) -> Category {
        Category(path)
    }

    /// The normalised path.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when `self` is `ancestor` or lies below it.
    pub fn is_within(&self, ancestor: &Category) -> bool {
        self.0 == ancestor.0
            || (self.0.starts_with(&ancestor.0) && self.0[ancestor.0.len()..].starts_with('/'))
    }

    /// The parent path, if this is not a root category.
    pub fn parent(&self) -> Option<Category> {
        self.0.rsplit_once('/').map(|(p, _)| Category(p.to_owned()))
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
