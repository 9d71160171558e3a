//! The ISO 27001 record carried by information-security incidents.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::vocab::string_enum;
use crate::{Error, Result};

pub mod evidence;
mod policy;

pub use policy::{SecurityField, SecurityPolicy, SecurityStep};

string_enum!(
    /// What the person who discovered a security incident did about it.
    DiscovererAction, "security.discoverer_action" {
        /// Reported it.
        Reported = "reported",
        /// Concealed it (a finding in itself).
        Concealed = "concealed",
    }
);

string_enum!(
    /// Severity of a security incident.
    Severity, "security.severity" {
        /// Low.
        Low = "low",
        /// Medium.
        Medium = "medium",
        /// High.
        High = "high",
        /// Critical.
        Critical = "critical",
    }
);

/// The facts ISO 27001 asks to be recorded for an information-security incident.
///
/// Every field is optional because the record fills in over the incident's life (the
/// follow-up control comes after closure). An update sets the fields it carries and keeps
/// the others.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityRecord {
    /// Where it was discovered.
    pub discovered_where: Option<String>,
    /// When it was discovered.
    pub discovered_at: Option<DateTime<Utc>>,
    /// Who discovered it.
    pub discovered_by: Option<String>,
    /// What the discoverer did: reported or concealed it.
    pub discoverer_action: Option<DiscovererAction>,
    /// To whom it was reported.
    pub reported_to: Option<String>,
    /// When the report was written.
    pub report_written_at: Option<DateTime<Utc>>,
    /// How severe it is.
    pub severity: Option<Severity>,
    /// When the responsible person learned of it.
    pub responsible_learned_at: Option<DateTime<Utc>>,
    /// What the responsible person did.
    pub responsible_action: Option<String>,
    /// Who carried out the follow-up control.
    pub follow_up_by: Option<String>,
    /// When the follow-up control was done.
    pub follow_up_at: Option<DateTime<Utc>>,
}

impl SecurityRecord {
    /// This record with every field that `update` sets taken from it.
    pub fn merged(&self, update: &SecurityRecord) -> SecurityRecord {
        fn pick<T: Clone>(new: &Option<T>, old: &Option<T>) -> Option<T> {
            new.clone().or_else(|| old.clone())
        }
        SecurityRecord {
            discovered_where: pick(&update.discovered_where, &self.discovered_where),
            discovered_at: pick(&update.discovered_at, &self.discovered_at),
            discovered_by: pick(&update.discovered_by, &self.discovered_by),
            discoverer_action: pick(&update.discoverer_action, &self.discoverer_action),
            reported_to: pick(&update.reported_to, &self.reported_to),
            report_written_at: pick(&update.report_written_at, &self.report_written_at),
            severity: pick(&update.severity, &self.severity),
            responsible_learned_at: pick(
                &update.responsible_learned_at,
                &self.responsible_learned_at,
            ),
            responsible_action: pick(&update.responsible_action, &self.responsible_action),
            follow_up_by: pick(&update.follow_up_by, &self.follow_up_by),
            follow_up_at: pick(&update.follow_up_at, &self.follow_up_at),
        }
    }

    /// Checks the timeline: nothing in the future, and nothing before the discovery.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<()> {
        let times = [
            ("security.discovered_at", self.discovered_at),
            ("security.report_written_at", self.report_written_at),
            (
                "security.responsible_learned_at",
                self.responsible_learned_at,
            ),
            ("security.follow_up_at", self.follow_up_at),
        ];
        for (field, t) in times {
            if let Some(t) = t {
                if t > now {
                    return Err(Error::validation(field, "is in the future"));
                }
                if let Some(d) = self.discovered_at {
                    if t < d {
                        return Err(Error::validation(field, "is before the discovery"));
                    }
                }
            }
        }
        if self.follow_up_at.is_some() != self.follow_up_by.is_some() {
            return Err(Error::validation(
                "security.follow_up_by",
                "the follow-up control needs both who and when",
            ));
        }
        Ok(())
    }
}
