//! Who is told of what, as data: the `[notifications]` section of the configuration.
//!
//! Each event kind names its audiences. The defaults cover the seeds: the requester gets the
//! folio, requests for information, proposed solutions and the closure; the routed team
//! hears of new tickets; the technician of assignments; SLA alerts reach whom their rule
//! names; management hears of every public change to a major incident.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::priority::Priority;
use crate::ticket::Ticket;
use crate::{Error, Result, UserId};

crate::vocab::string_enum!(
    /// A language notifications are written in.
    Locale, "locale" {
        /// Spanish.
        Es = "es",
        /// English.
        En = "en",
    }
);

crate::vocab::string_enum!(
    /// A group of people an event can be told to.
    Audience, "audience" {
        /// The ticket's requester (public events only).
        Requester = "requester",
        /// The assigned technician.
        Assignee = "assignee",
        /// Every active member of the ticket's team.
        Team = "team",
        /// The supervisor of the ticket's team.
        Supervisor = "supervisor",
        /// The ticket's watchers.
        Watchers = "watchers",
        /// The contacts of the requester's organisation (public events only).
        Organisation = "organisation",
        /// The configured management list, when the ticket is a major incident (which
        /// also adds it to every public event).
        Management = "management",
        /// Whom the event itself names: an escalation's or SLA alert's people and teams, an
        /// added watcher.
        Named = "named",
    }
);

/// The `[notifications]` section of the configuration.
///
/// ```
/// use foliodesk_core::Config;
/// let c = Config::from_toml_str(
///     "[notifications]\nlocale = \"en\"\ncoalesce = \"5m\"\n\
///      [notifications.events]\ncommented = [\"requester\", \"team\"]",
///     "<doc>",
/// ).unwrap();
/// assert_eq!(c.notifications.coalesce.as_secs(), 300);
/// let err = Config::from_toml_str("[notifications.events]\nopened = [\"boss\"]", "desk.toml");
/// assert!(err.unwrap_err().to_string().contains("notifications"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NotifyConfig {
    /// The desk's language, when neither the user nor the organisation has one.
    pub locale: Locale,
    /// Events on one ticket within this window make one message per person.
    #[serde(with = "humantime_serde")]
    #[schemars(with = "crate::schema::Humantime")]
    pub coalesce: Duration,
    /// Whether people are told of their own actions (the requester's folio confirmation
    /// is always sent).
    pub notify_actor: bool,
    /// Told of every public change to a major incident.
    pub management: Vec<UserId>,
    /// What makes a ticket a major incident.
    pub major_incident: MajorIncidentRule,
    /// Per event type (`opened`, `commented`…), who is told; replaces the default for that
    /// event. An empty list silences it.
    pub events: BTreeMap<String, Vec<Audience>>,
    /// Template overrides by `locale/kind` (`es/commented`), minijinja source defining the
    /// blocks `subject` and `body`. See [`crate::notify::templates`].
    pub templates: BTreeMap<String, String>,
    /// A directory of template files, `es/closed.j2`, `en/commented.j2`…, relative to the
    /// configuration file; read when the file is loaded (`foliodesk::load_config`), each
    /// file overriding the built-in one unless `templates` names it too.
    pub templates_dir: Option<String>,
    /// Delivery: how messages are retried and leased.
    pub delivery: DeliveryConfig,
    /// The survey page, with `{token}` where the signed token goes
    /// (`https://portal.example/rate?token={token}`); without it the message quotes the
    /// token itself.
    pub survey_url: Option<String>,
    /// How long a survey invitation can be answered.
    #[serde(with = "humantime_serde")]
    #[schemars(with = "crate::schema::Humantime")]
    pub survey_valid_for: Duration,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            locale: Locale::Es,
            coalesce: Duration::from_secs(60),
            notify_actor: false,
            management: Vec::new(),
            major_incident: MajorIncidentRule::default(),
            events: BTreeMap::new(),
            templates: BTreeMap::new(),
            templates_dir: None,
            delivery: DeliveryConfig::default(),
            survey_url: None,
            survey_valid_for: Duration::from_secs(14 * 86_400),
        }
    }
}

/// When a ticket counts as a major incident: its tags carry `tag`, or its priority is at
/// least `priority` in one of `categories` (a category matches itself and what is below it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MajorIncidentRule {
    /// The tag staff set to declare one (default `major-incident`).
    pub tag: String,
    /// The priority from which a ticket in `categories` is one.
    pub priority: Option<Priority>,
    /// Category paths the priority rule applies to; empty means every category.
    pub categories: Vec<String>,
}

impl Default for MajorIncidentRule {
    fn default() -> Self {
        MajorIncidentRule {
            tag: "major-incident".into(),
            priority: None,
            categories: Vec::new(),
        }
    }
}

impl MajorIncidentRule {
    /// Whether `ticket` is a major incident.
    pub fn applies(&self, ticket: &Ticket) -> bool {
        if ticket.tags.contains(&self.tag) {
            return true;
        }
        let Some(min) = self.priority else {
            return false;
        };
        let in_category = self.categories.is_empty()
            || ticket.category.as_ref().is_some_and(|c| {
                self.categories
                    .iter()
                    .any(|p| c.as_str() == p || c.as_str().starts_with(&format!("{p}/")))
            });
        in_category && ticket.priority >= min
    }
}

/// How the delivery worker retries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DeliveryConfig {
    /// Attempts before a message becomes a dead letter.
    pub max_attempts: u32,
    /// The first retry's delay; each later one doubles it, with jitter.
    #[serde(with = "humantime_serde")]
    #[schemars(with = "crate::schema::Humantime")]
    pub backoff: Duration,
    /// The longest delay between attempts.
    #[serde(with = "humantime_serde")]
    #[schemars(with = "crate::schema::Humantime")]
    pub max_backoff: Duration,
    /// How long a claimed message is reserved for its worker.
    #[serde(with = "humantime_serde")]
    #[schemars(with = "crate::schema::Humantime")]
    pub lease: Duration,
    /// The sender address of outgoing mail.
    pub from: String,
    /// The domain of the Message-IDs the desk writes.
    pub domain: String,
    /// Messages a delivery pass has in flight at once (SMTP connections, HTTP calls).
    pub parallel: u32,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            max_attempts: 8,
            backoff: Duration::from_secs(30),
            max_backoff: Duration::from_secs(3600),
            lease: Duration::from_secs(300),
            from: "Foliodesk <desk@foliodesk.invalid>".into(),
            domain: "foliodesk.invalid".into(),
            parallel: 8,
        }
    }
}

/// The default audiences of an event type, before configuration overrides.
pub fn default_audiences(event: &str) -> &'static [Audience] {
    use Audience::*;
    match event {
        "opened" => &[Requester, Team, Assignee],
        "assigned" => &[Assignee],
        "commented" => &[Requester, Assignee, Watchers],
        "pending_set" => &[Requester, Watchers],
        "resumed" => &[Assignee],
        "solution_confirmed" => &[Assignee, Requester],
        "escalated" => &[Named, Assignee, Team],
        "solution_proposed" => &[Requester, Watchers],
        "solution_rejected" => &[Assignee, Supervisor],
        "rated" => &[Assignee, Supervisor],
        "closed" | "cancelled" => &[Requester, Watchers, Assignee],
        "reopened" => &[Assignee, Team, Requester],
        "watcher_added" | "sla_alert" => &[Named],
        "edited" => &[Assignee, Watchers],
        "status_reported" => &[Requester, Watchers],
        _ => &[],
    }
}

impl NotifyConfig {
    /// Who hears of events of type `event`.
    pub fn audiences(&self, event: &str) -> &[Audience] {
        match self.events.get(event) {
            Some(list) => list,
            None => default_audiences(event),
        }
    }

    /// Checks event names, the delivery settings and that every template compiles.
    pub fn validate(&self) -> Result<()> {
        for event in self.events.keys() {
            if !crate::event::EVENT_TYPES.contains(&event.as_str()) {
                return Err(Error::validation(
                    format!("notifications.events.{event}"),
                    format!(
                        "`{event}` is not an event type; one of: {}",
                        crate::event::EVENT_TYPES.join(", ")
                    ),
                ));
            }
        }
        let d = &self.delivery;
        if d.parallel == 0 || d.parallel > 256 {
            return Err(Error::validation(
                "notifications.delivery.parallel",
                "must be between 1 and 256",
            ));
        }
        if d.max_attempts == 0 {
            return Err(Error::validation(
                "notifications.delivery.max_attempts",
                "must be at least 1",
            ));
        }
        if d.backoff.is_zero() || d.lease.is_zero() || d.max_backoff < d.backoff {
            return Err(Error::validation(
                "notifications.delivery",
                "backoff and lease must be positive, max_backoff at least backoff",
            ));
        }
        if d.domain.is_empty() || d.domain.contains(['<', '>', '@', ' ']) {
            return Err(Error::validation(
                "notifications.delivery.domain",
                "must be a domain name such as desk.example.com",
            ));
        }
        if let Some(url) = &self.survey_url {
            if !url.contains("{token}") {
                return Err(Error::validation(
                    "notifications.survey_url",
                    "must contain `{token}`, where the signed token goes",
                ));
            }
        }
        crate::notify::templates::Templates::new(&self.templates).map(|_| ())
    }
}
