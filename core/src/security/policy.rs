//! Which tickets are security incidents, and which fields of their ISO 27001 record must be
//! filled before they may be resolved and before they may be closed.

use serde::{Deserialize, Serialize};

use super::SecurityRecord;
use crate::ticket::Ticket;
use crate::vocab::string_enum;
use crate::vocabulary::Category;
use crate::{Error, Result};

string_enum!(
    /// A field of the ISO 27001 record, as named in configuration and errors.
    SecurityField, "security field" {
        /// [`SecurityRecord::discovered_where`].
        DiscoveredWhere = "discovered_where",
        /// [`SecurityRecord::discovered_at`].
        DiscoveredAt = "discovered_at",
        /// [`SecurityRecord::discovered_by`].
        DiscoveredBy = "discovered_by",
        /// [`SecurityRecord::discoverer_action`].
        DiscovererAction = "discoverer_action",
        /// [`SecurityRecord::reported_to`].
        ReportedTo = "reported_to",
        /// [`SecurityRecord::report_written_at`].
        ReportWrittenAt = "report_written_at",
        /// [`SecurityRecord::severity`].
        Severity = "severity",
        /// [`SecurityRecord::responsible_learned_at`].
        ResponsibleLearnedAt = "responsible_learned_at",
        /// [`SecurityRecord::responsible_action`].
        ResponsibleAction = "responsible_action",
        /// [`SecurityRecord::follow_up_by`].
        FollowUpBy = "follow_up_by",
        /// [`SecurityRecord::follow_up_at`].
        FollowUpAt = "follow_up_at",
    }
);

impl SecurityField {
    fn is_set(self, r: &SecurityRecord) -> bool {
        use SecurityField as F;
        match self {
            F::DiscoveredWhere => r.discovered_where.is_some(),
            F::DiscoveredAt => r.discovered_at.is_some(),
            F::DiscoveredBy => r.discovered_by.is_some(),
            F::DiscovererAction => r.discoverer_action.is_some(),
            F::ReportedTo => r.reported_to.is_some(),
            F::ReportWrittenAt => r.report_written_at.is_some(),
            F::Severity => r.severity.is_some(),
            F::ResponsibleLearnedAt => r.responsible_learned_at.is_some(),
            F::ResponsibleAction => r.responsible_action.is_some(),
            F::FollowUpBy => r.follow_up_by.is_some(),
            F::FollowUpAt => r.follow_up_at.is_some(),
        }
    }
}

/// The `[security]` section: strict by default.
///
/// ```
/// use foliodesk_core::Config;
/// let toml = "[security]\ncategories = [\"Seguridad\"]\nrequire_to_close = []";
/// let c = Config::from_toml_str(toml, "<doc>").unwrap();
/// assert!(c.security.require_to_close.is_empty());
/// assert_eq!(c.security.require_to_resolve.len(), 7);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityPolicy {
    /// Tickets in these categories (or below) are security incidents, as is any ticket
    /// that carries a security record.
    pub categories: Vec<String>,
    /// Filled before a solution may be proposed: the discovery (where, when, by whom, what
    /// the discoverer did, to whom and when it was reported) and the severity.
    pub require_to_resolve: Vec<SecurityField>,
    /// Filled before the ticket may be closed: what the responsible person did and the
    /// follow-up control (who, when).
    pub require_to_close: Vec<SecurityField>,
}

impl Default for SecurityPolicy {
    fn default() -> Self {
        use SecurityField as F;
        SecurityPolicy {
            categories: Vec::new(),
            require_to_resolve: vec![
                F::DiscoveredWhere,
                F::DiscoveredAt,
                F::DiscoveredBy,
                F::DiscovererAction,
                F::ReportedTo,
                F::ReportWrittenAt,
                F::Severity,
            ],
            require_to_close: vec![F::ResponsibleAction, F::FollowUpBy, F::FollowUpAt],
        }
    }
}

/// The step a security incident is about to take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecurityStep {
    /// A solution is proposed.
    Resolve,
    /// The ticket is closed.
    Close,
}

impl SecurityPolicy {
    /// Checks the category paths.
    pub fn validate(&self) -> Result<()> {
        for (i, c) in self.categories.iter().enumerate() {
            Category::parse(&format!("security.categories[{i}]"), c)?;
        }
        Ok(())
    }

    /// Whether `ticket` is a security incident.
    pub fn applies_to(&self, ticket: &Ticket) -> bool {
        ticket.security.is_some()
            || ticket.category.as_ref().is_some_and(|tc| {
                self.categories
                    .iter()
                    .filter_map(|c| Category::parse("security.categories", c).ok())
                    .any(|c| tc.is_within(&c))
            })
    }

    /// The fields `step` requires that `ticket` lacks (`security.discovered_at`…), in the
    /// configured order; empty when it may proceed or is no security incident.
    pub fn missing(&self, ticket: &Ticket, step: SecurityStep) -> Vec<String> {
        if !self.applies_to(ticket) {
            return Vec::new();
        }
        let required = match step {
            SecurityStep::Resolve => &self.require_to_resolve,
            SecurityStep::Close => &self.require_to_close,
        };
        let empty = SecurityRecord::default();
        let record = ticket.security.as_ref().unwrap_or(&empty);
        required
            .iter()
            .filter(|f| !f.is_set(record))
            .map(|f| format!("security.{f}"))
            .collect()
    }

    /// Refuses `step` while required fields are missing: the error's field is the first,
    /// its reason names each.
    pub fn check(&self, ticket: &Ticket, step: SecurityStep) -> Result<()> {
        let missing = self.missing(ticket, step);
        if missing.is_empty() {
            return Ok(());
        }
        let doing = match step {
            SecurityStep::Resolve => "resolved",
            SecurityStep::Close => "closed",
        };
        Err(Error::validation(
            missing[0].clone(),
            format!(
                "a security incident cannot be {doing} until its ISO 27001 record has {}",
                missing.join(", ")
            ),
        ))
    }
}
