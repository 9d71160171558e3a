//! `[intake.email]`: the desk's own addresses, what to do with strangers, organisations by
//! mail domain, and defaults per mailbox.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::vocab::string_enum;
use crate::vocabulary::TicketKind;
use crate::OrgId;

/// How e-mail becomes tickets.
///
/// ```toml
/// [intake.email]
/// addresses = ["soporte@example.com"]
/// unknown_senders = "create"
/// domains = { "acme.example" = "acme" }
/// [intake.email.mailboxes."seguridad@example.com"]
/// kind = "incident"
/// category = "Seguridad"
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EmailIntake {
    /// The desk's own addresses: mail from them is a loop and is dropped.
    pub addresses: Vec<String>,
    /// Mail from an address no user has: create a requester for it (`create`, the
    /// default) or drop it (`refuse`).
    pub unknown_senders: UnknownSenders,
    /// The organisation of a requester created from mail, by the address's domain.
    pub domains: BTreeMap<String, OrgId>,
    /// Defaults for tickets opened from mail sent to each address.
    pub mailboxes: BTreeMap<String, MailboxDefaults>,
    /// At most this many new tickets per sender in a window: a storm (a looping script, a
    /// misconfigured printer mailing every minute) is dropped past it, saying so.
    pub rate_limit: RateLimit,
}

/// New tickets per sender per window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimit {
    /// How many (20 by default; 0 for no limit).
    pub tickets: u32,
    /// In what window (1 hour by default).
    #[serde(with = "humantime_serde")]
    #[schemars(with = "crate::schema::Humantime")]
    pub per: std::time::Duration,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            tickets: 20,
            per: std::time::Duration::from_secs(3600),
        }
    }
}

string_enum!(
    /// What to do with mail from an address no user has.
    #[derive(Default)]
    UnknownSenders, "unknown_senders" {
        /// Create a requester (its id is the address).
        #[default]
        Create = "create",
        /// Drop the message, saying why.
        Refuse = "refuse",
    }
);

/// How monitoring events become tickets.
///
/// ```toml
/// [intake.events]
/// resolve_on_recovery = true
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EventIntake {
    /// A recovery event proposes the solution on an open ticket for its key (true by
    /// default); the requester or the auto-confirmation still validates it. Otherwise it is
    /// only recorded.
    pub resolve_on_recovery: bool,
}

impl Default for EventIntake {
    fn default() -> Self {
        EventIntake {
            resolve_on_recovery: true,
        }
    }
}

/// Defaults for tickets opened from one mailbox or channel.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MailboxDefaults {
    /// Ticket kind (incident by default).
    pub kind: Option<TicketKind>,
    /// Category path; its routing picks the team (a requester cannot choose one).
    pub category: Option<String>,
}

impl EmailIntake {
    /// Whether `address` is one of the desk's own.
    pub fn is_own(&self, address: &str) -> bool {
        self.addresses
            .iter()
            .any(|a| a.trim().eq_ignore_ascii_case(address.trim()))
    }

    /// The defaults of the first of `to` that is a configured mailbox.
    pub fn mailbox(&self, to: &[String]) -> Option<&MailboxDefaults> {
        to.iter().find_map(|t| {
            self.mailboxes
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(t))
                .map(|(_, v)| v)
        })
    }
}
