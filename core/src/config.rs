//! The desk's configuration: data, loaded from TOML, validated with precise errors.
//!
//! Every key has a default, so an empty file is a valid configuration. The documented
//! example with every key is `examples/foliodesk.toml`.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::directory::Team;
use crate::priority::{Impact, PriorityConfig, Urgency};
use crate::status::SupportLevel;
use crate::vocabulary::Category;
use crate::{Error, Result, TeamId};

/// The whole configuration of a desk.
///
/// ```
/// use foliodesk_core::Config;
/// let c = Config::from_toml_str("[lifecycle]\nauto_confirm_after = \"2days\"", "<doc>").unwrap();
/// assert_eq!(c.lifecycle.auto_confirm_after.as_secs(), 2 * 86_400);
/// let err = Config::from_toml_str("[priority]\nmatrix = [[1]]", "desk.toml").unwrap_err();
/// assert!(err.to_string().contains("priority.matrix"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
// A document in the configuration file's own words: bindings keep its keys verbatim.
#[schemars(extend("x-verbatim" = true))]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Priority matrix, users-affected thresholds, tier bonuses.
    pub priority: PriorityConfig,
    /// Defaults applied at intake.
    pub intake: IntakeConfig,
    /// The category tree, each with an optional routing team.
    pub categories: Vec<CategoryConfig>,
    /// Teams created or updated in the directory when the desk opens.
    pub teams: Vec<Team>,
    /// Support levels.
    pub support: SupportConfig,
    /// Lifecycle options.
    pub lifecycle: LifecycleConfig,
    /// SLA calendars, policies and escalation rules.
    pub sla: crate::sla::SlaConfig,
    /// Which tickets are ISO 27001 security incidents and what their record needs.
    pub security: crate::security::SecurityPolicy,
    /// How checkpoints of the desk anchor are signed.
    pub anchor: crate::anchor::AnchorConfig,
    /// Who is told of what, in which words, and how delivery retries.
    pub notifications: crate::notify::NotifyConfig,
    /// Which files the desk takes: a size limit and the allowed types.
    pub attachments: crate::attachment::AttachmentPolicy,
    /// Canned responses agents reuse (`[[responses]]`).
    pub responses: Vec<crate::responses::Response>,
    /// Macros: a response, field changes and a status in one command (`[[macros]]`).
    pub macros: Vec<crate::responses::Macro>,
    /// When similar incidents suggest a problem (`[problems]`).
    pub problems: crate::problem::ProblemsConfig,
    /// When the classifier's suggestion is applied to a new ticket (`[classifier]`).
    pub classifier: crate::classifier::ClassifierConfig,
    /// Rules that act without a person (`[[rules]]`).
    pub rules: Vec<crate::automation::Rule>,
}

/// Defaults applied at intake.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct IntakeConfig {
    /// Impact when the ticket does not say (default 3).
    pub default_impact: Impact,
    /// Urgency when the ticket does not say (default 3).
    pub default_urgency: Urgency,
    /// The fields a requester may edit on their own ticket (none by default); possible
    /// causes and assigned resources are staff work and cannot be listed.
    pub requester_may_edit: Vec<crate::edit::EditableField>,
    /// How e-mail becomes tickets (`[intake.email]`).
    pub email: crate::inbound::policy::EmailIntake,
    /// Defaults for tickets opened from each channel (`[intake.channels.phone]`); a
    /// mailbox's own defaults win for e-mail.
    pub channels: std::collections::BTreeMap<
        crate::vocabulary::Channel,
        crate::inbound::policy::MailboxDefaults,
    >,
    /// How monitoring events are taken in (`[intake.events]`).
    pub events: crate::inbound::policy::EventIntake,
}

impl Default for IntakeConfig {
    fn default() -> Self {
        IntakeConfig {
            default_impact: Impact::new(3).expect("3 is in range"),
            default_urgency: Urgency::new(3).expect("3 is in range"),
            requester_may_edit: Vec::new(),
            email: Default::default(),
            channels: Default::default(),
            events: Default::default(),
        }
    }
}

/// One node of the category tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryConfig {
    /// `Parent/Child` path. Parents need not be listed.
    pub path: String,
    /// The team new tickets of this category (or below it) are routed to.
    #[serde(default)]
    pub team: Option<TeamId>,
    /// The team a functional escalation of these tickets goes to, per level reached
    /// (`{ n2 = "networks", n3 = "security" }`); below, the nearest ancestor's rule.
    /// Without one, the first team (by id) working at that level.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub escalate: std::collections::BTreeMap<SupportLevel, TeamId>,
}

/// Support levels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SupportConfig {
    /// The level new tickets start at (default `n1`).
    pub entry_level: SupportLevel,
}

impl Default for SupportConfig {
    fn default() -> Self {
        SupportConfig {
            entry_level: SupportLevel::N1,
        }
    }
}

/// Lifecycle options.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LifecycleConfig {
    /// A proposed solution nobody answers is confirmed after this long (default 3 days).
    #[serde(with = "humantime_serde")]
    #[schemars(with = "crate::schema::Humantime")]
    pub auto_confirm_after: Duration,
    /// A closed ticket can be reopened for this long (default 30 days; 0 = never).
    #[serde(with = "humantime_serde")]
    #[schemars(with = "crate::schema::Humantime")]
    pub reopen_window: Duration,
    /// Whether a confirmed ticket waits for the owner's review (default true). When false,
    /// confirming closes it.
    pub require_owner_review: bool,
    /// Whether requesters see every ticket of their organisation (default false: only their
    /// own and those they watch).
    pub requesters_see_organisation: bool,
}

impl Default for LifecycleConfig {
    fn default() -> Self {
        LifecycleConfig {
            auto_confirm_after: Duration::from_secs(3 * 86_400),
            reopen_window: Duration::from_secs(30 * 86_400),
            require_owner_review: true,
            requesters_see_organisation: false,
        }
    }
}

impl Config {
    /// Parses and validates TOML. `origin` names the source in errors (a file name).
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Config> {
        let config_error = |key: String, reason: String| Error::Config {
            origin: origin.to_owned(),
            key,
            reason,
        };
        let de = toml::de::Deserializer::parse(text)
            .map_err(|e| config_error(String::new(), e.to_string().trim().to_owned()))?;
        let config: Config = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let key = if path == "." { String::new() } else { path };
            let message = e.into_inner().message().to_owned();
            // Our own `TryFrom` checks report a more precise field (`priority.matrix[3][4]`)
            // in their message: keep it as the key.
            match message
                .strip_prefix("invalid ")
                .and_then(|m| m.split_once(": "))
            {
                Some((field, reason)) if !key.is_empty() && field.starts_with(&key) => {
                    config_error(field.to_owned(), reason.to_owned())
                }
                _ => config_error(key, message),
            }
        })?;
        config.validate().map_err(|e| match e {
            Error::Validation { field, reason } => config_error(field, reason),
            other => other,
        })?;
        Ok(config)
    }

    /// Parses a configuration stored as JSON by a backend.
    pub fn from_json(text: &str) -> Result<Config> {
        let config: Config = serde_json::from_str(text).map_err(|e| Error::Config {
            origin: "<stored>".to_owned(),
            key: String::new(),
            reason: e.to_string(),
        })?;
        config.validate()?;
        Ok(config)
    }

    /// The JSON form a backend stores.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("configuration encodes")
    }

    /// Checks the rules serde cannot: unique paths, ordered thresholds, sane durations.
    pub fn validate(&self) -> Result<()> {
        self.priority.validate()?;
        let mut seen = std::collections::BTreeSet::new();
        for (i, c) in self.categories.iter().enumerate() {
            let field = format!("categories[{i}].path");
            let cat = Category::parse(&field, &c.path)?;
            if !seen.insert(cat.clone()) {
                return Err(Error::validation(field, format!("`{cat}` is listed twice")));
            }
            self.check_escalation_rule(i, c)?;
        }
        let mut team_ids = std::collections::BTreeSet::new();
        for (i, t) in self.teams.iter().enumerate() {
            t.validate().map_err(|e| match e {
                Error::Validation { field, reason } => {
                    Error::validation(field.replacen("team", &format!("teams[{i}]"), 1), reason)
                }
                other => other,
            })?;
            if !team_ids.insert(&t.id) {
                return Err(Error::validation(
                    format!("teams[{i}].id"),
                    format!("`{}` is listed twice", t.id),
                ));
            }
        }
        if let Some(f) = self
            .intake
            .requester_may_edit
            .iter()
            .find(|f| f.staff_only())
        {
            return Err(Error::validation(
                "intake.requester_may_edit",
                format!("`{f}` is staff work: requesters never see it"),
            ));
        }
        crate::responses::validate(&self.responses, &self.macros)?;
        self.sla.validate()?;
        self.security.validate()?;
        self.anchor.validate()?;
        self.notifications.validate()?;
        self.problems.validate()?;
        self.classifier.validate()?;
        crate::automation::validate(&self.rules, self)?;
        if self.lifecycle.auto_confirm_after.is_zero() {
            return Err(Error::validation(
                "lifecycle.auto_confirm_after",
                "must be longer than zero",
            ));
        }
        Ok(())
    }

    /// The configured category for `path`, normalised, or a validation error on `field`.
    pub fn category(&self, field: &str, path: &str) -> Result<Category> {
        let cat = Category::parse(field, path)?;
        let known = self.categories.iter().any(|c| {
            Category::parse(field, &c.path).is_ok_and(|configured| configured.is_within(&cat))
        });
        if known {
            Ok(cat)
        } else {
            Err(Error::validation(
                field,
                format!("unknown category `{cat}`"),
            ))
        }
    }

    /// The team a category routes to: its own, else its nearest ancestor's.
    pub fn route(&self, category: &Category) -> Option<&TeamId> {
        self.nearest(category, |c| c.team.as_ref())
    }

    /// The team a functional escalation to `level` of a ticket in `category` goes to, by
    /// the category's rule or its nearest ancestor's.
    pub fn escalation_route(&self, category: &Category, level: SupportLevel) -> Option<&TeamId> {
        self.nearest(category, |c| c.escalate.get(&level))
    }

    fn nearest<'a, T>(
        &'a self,
        category: &Category,
        rule: impl Fn(&'a CategoryConfig) -> Option<&'a T>,
    ) -> Option<&'a T> {
        let mut node = Some(category.clone());
        while let Some(cat) = node {
            let hit = self
                .categories
                .iter()
                .filter(|c| Category::parse("", &c.path).is_ok_and(|p| p == cat))
                .find_map(&rule);
            if hit.is_some() {
                return hit;
            }
            node = cat.parent();
        }
        None
    }

    /// A rule's levels are above n1, and a team the configuration lists works at its level.
    fn check_escalation_rule(&self, i: usize, c: &CategoryConfig) -> Result<()> {
        for (level, team) in &c.escalate {
            let field = format!("categories[{i}].escalate.{level}");
            if *level == SupportLevel::N1 {
                return Err(Error::validation(field, "escalation goes up, to n2 or n3"));
            }
            crate::ids::validate_id(&field, team.as_str())?;
            if let Some(t) = self.teams.iter().find(|t| &t.id == team) {
                if t.level != *level {
                    return Err(Error::validation(
                        field,
                        format!("team `{team}` works at {}", t.level),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The auto-confirm delay as a chrono duration.
    pub fn auto_confirm_after(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.lifecycle.auto_confirm_after)
            .unwrap_or(chrono::Duration::MAX)
    }

    /// The reopen window as a chrono duration.
    pub fn reopen_window(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.lifecycle.reopen_window).unwrap_or(chrono::Duration::MAX)
    }
}
