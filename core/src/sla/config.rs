//! SLA configuration: calendars and holiday sets, policies with their targets per priority
//! and per support level, the waits that pause each clock, and escalation rules.

use std::collections::BTreeMap;
use std::time::Duration as StdDuration;

use serde::{Deserialize, Serialize};

use crate::calendar::CalendarSpec;
use crate::error::{Error, Result};
use crate::status::{SupportLevel, WaitingOn};
use crate::vocabulary::{Category, TicketKind};
use crate::OrgId;

/// The `[sla]` section of the configuration.
///
/// ```
/// use foliodesk_core::Config;
/// let c = Config::from_toml_str(r#"
///     [sla.holiday_sets]
///     es = ["01-01", "01-06", "2026-04-03", "05-01", "08-15", "10-12", "11-01", "12-08", "12-25"]
///     madrid = ["05-02", "05-15"]
///
///     [sla.calendars.madrid]
///     timezone = "Europe/Madrid"
///     holiday_sets = ["es", "madrid"]
///     hours = { mon = [["09:00", "14:00"], ["15:00", "18:00"]], fri = [["08:00", "15:00"]] }
///
///     [[sla.policies]]
///     id = "standard"
///     calendar = "madrid"
///     default = true
///     targets.p5 = { first_response = "30m", resolution = "4h", update_every = "1h" }
///     targets.p3 = { first_response = "4h", resolution = "3days" }
///     levels = { n1 = "2h" }
///
///     [[sla.escalation]]
///     target = "resolution"
///     at_percent = 75
///     actions = ["notify_assignee", "notify_team"]
///     [[sla.escalation]]
///     target = "resolution"
///     at_percent = 100
///     actions = ["functional", "notify_supervisor"]
///     repeat_every = "1h"
/// "#, "<doc>").unwrap();
/// assert_eq!(c.sla.policies[0].targets.len(), 2);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
// A document in the configuration file's own words: bindings keep its keys verbatim.
#[schemars(extend("x-verbatim" = true))]
#[serde(default, deny_unknown_fields)]
pub struct SlaConfig {
    /// Named holiday lists (`YYYY-MM-DD` or yearly `MM-DD`) that calendars combine: a
    /// national set, a regional one, the company's own.
    pub holiday_sets: BTreeMap<String, Vec<String>>,
    /// Named business calendars.
    pub calendars: BTreeMap<String, CalendarSpec>,
    /// A calendar per organisation, winning over the policy's (a customer in another
    /// region, a company area with its own hours).
    pub organisation_calendars: BTreeMap<OrgId, String>,
    /// Policies, tried in order; the first whose conditions match applies, else the one
    /// marked `default`.
    pub policies: Vec<PolicyConfig>,
    /// Escalation rules, per target in increasing threshold order.
    pub escalation: Vec<EscalationRule>,
    /// A running target is "at risk" from this share of its time on (default 75 %).
    pub at_risk_percent: u16,
    /// When a policy sets `update_every` and no public update came within it, tell the
    /// requester where the ticket stands, again every interval (default on). Acts as an
    /// `inform_requester` rule on `update` at 100 % repeating every interval; an explicit
    /// rule at that threshold gets the action added instead.
    pub status_messages: bool,
}

impl Default for SlaConfig {
    fn default() -> Self {
        SlaConfig {
            holiday_sets: BTreeMap::new(),
            calendars: BTreeMap::new(),
            organisation_calendars: BTreeMap::new(),
            policies: Vec::new(),
            escalation: Vec::new(),
            at_risk_percent: 75,
            status_messages: true,
        }
    }
}

/// One SLA policy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyConfig {
    /// Stable id, shown on every SLA view.
    pub id: String,
    /// The calendar its times count in (a key of `sla.calendars`); none means round the
    /// clock in UTC.
    pub calendar: Option<String>,
    /// Applies when no other policy matches.
    pub default: bool,
    /// When it applies.
    pub when: Conditions,
    /// Targets per priority: keys `p1` … `p5` (`p5` is the highest priority).
    pub targets: BTreeMap<String, TargetSet>,
    /// Internal budgets (OLA) of resolution time per support level, so a report can say
    /// which level used the time up.
    #[serde(with = "super::level_durations")]
    #[schemars(with = "BTreeMap<SupportLevel, crate::schema::Humantime>")]
    pub levels: BTreeMap<SupportLevel, StdDuration>,
    /// Which waits pause which clock.
    pub pause: PauseConfig,
}

/// Conditions of a policy; every non-empty list must match (any of its values).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Conditions {
    /// Customer tiers (the requester's, else their organisation's).
    pub tiers: Vec<String>,
    /// Ticket kinds.
    pub kinds: Vec<TicketKind>,
    /// Categories; a ticket in a subcategory matches.
    pub categories: Vec<String>,
    /// Services (any of the ticket's).
    pub services: Vec<String>,
    /// Organisations.
    pub organisations: Vec<OrgId>,
}

/// The targets for one priority.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TargetSet {
    /// Until the first public answer by an agent.
    #[serde(with = "humantime_serde")]
    #[schemars(with = "crate::schema::Humantime")]
    pub first_response: Option<StdDuration>,
    /// Until a solution is proposed.
    #[serde(with = "humantime_serde")]
    #[schemars(with = "crate::schema::Humantime")]
    pub resolution: Option<StdDuration>,
    /// The longest an open ticket may go without a public update by an agent.
    #[serde(with = "humantime_serde")]
    #[schemars(with = "crate::schema::Humantime")]
    pub update_every: Option<StdDuration>,
}

/// Which waits pause each clock. Waiting for validation of a proposed solution always
/// stops the resolution clock (it resumes if the solution is rejected).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PauseConfig {
    /// Default: waiting on the requester.
    pub first_response: Vec<WaitingOn>,
    /// Default: waiting on the requester.
    pub resolution: Vec<WaitingOn>,
    /// Default: waiting on the requester.
    pub update: Vec<WaitingOn>,
}

impl Default for PauseConfig {
    fn default() -> Self {
        PauseConfig {
            first_response: vec![WaitingOn::Requester],
            resolution: vec![WaitingOn::Requester],
            update: vec![WaitingOn::Requester],
        }
    }
}

crate::vocab::string_enum!(
    /// An SLA target.
    Target, "target" {
        /// First public answer by an agent.
        FirstResponse = "first_response",
        /// Solution proposed.
        Resolution = "resolution",
        /// Regular public updates while open.
        Update = "update",
    }
);

crate::vocab::string_enum!(
    /// What an escalation rule does when it fires.
    EscalationAction, "action" {
        /// Tell the assignee.
        NotifyAssignee = "notify_assignee",
        /// Tell the team's supervisor (the team as a whole has no address of its own).
        NotifyTeam = "notify_team",
        /// Tell the supervisor of the ticket's team (hierarchical alert).
        NotifySupervisor = "notify_supervisor",
        /// Functional escalation: to a team at the next support level.
        Functional = "functional",
        /// Hierarchical escalation: to the team's supervisor, for decisions and resources.
        Hierarchical = "hierarchical",
        /// Tell the requester where the ticket stands (a status message, seed 002).
        InformRequester = "inform_requester",
    }
);

/// Fires when a target's elapsed business time reaches `at_percent` of it, then again
/// every `repeat_every` of business time until the target stops.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalationRule {
    /// Which target.
    pub target: Target,
    /// Threshold, percent of the target (1 … 1000).
    pub at_percent: u16,
    /// What to do.
    pub actions: Vec<EscalationAction>,
    /// Repeat while the target runs, in business time.
    #[serde(default, with = "humantime_serde")]
    #[schemars(with = "crate::schema::Humantime")]
    pub repeat_every: Option<StdDuration>,
    /// Only for these policies (empty: all).
    #[serde(default)]
    pub policies: Vec<String>,
}

/// The longest target or interval a policy may set.
const LONGEST: StdDuration = StdDuration::from_secs(100 * 366 * 86_400);

/// Parses a policy's priority key `p1` … `p5`.
pub(crate) fn priority_key(field: &str, key: &str) -> Result<u8> {
    key.strip_prefix('p')
        .and_then(|n| n.parse::<u8>().ok())
        .filter(|n| (1..=5).contains(n))
        .ok_or_else(|| Error::validation(field, format!("`{key}` is not a priority: use p1 … p5")))
}

impl SlaConfig {
    /// Checks every policy, calendar and rule; errors name the field.
    pub fn validate(&self) -> Result<()> {
        for (name, _) in self.calendars.iter() {
            self.calendar(name)?;
        }
        for (org, cal) in &self.organisation_calendars {
            if !self.calendars.contains_key(cal) {
                return Err(Error::validation(
                    format!("sla.organisation_calendars.{org}"),
                    format!("no calendar `{cal}` in sla.calendars"),
                ));
            }
        }
        let mut ids = std::collections::BTreeSet::new();
        let mut defaults = 0;
        for (i, p) in self.policies.iter().enumerate() {
            let f = |s: &str| format!("sla.policies[{i}].{s}");
            if p.id.trim().is_empty() {
                return Err(Error::validation(f("id"), "must not be empty"));
            }
            if !ids.insert(p.id.as_str()) {
                return Err(Error::validation(
                    f("id"),
                    format!("`{}` is listed twice", p.id),
                ));
            }
            defaults += usize::from(p.default);
            if let Some(c) = &p.calendar {
                if !self.calendars.contains_key(c) {
                    return Err(Error::validation(
                        f("calendar"),
                        format!("no calendar `{c}` in sla.calendars"),
                    ));
                }
            }
            for (j, c) in p.when.categories.iter().enumerate() {
                Category::parse(&f(&format!("when.categories[{j}]")), c)?;
            }
            for (key, set) in &p.targets {
                let field = f(&format!("targets.{key}"));
                priority_key(&field, key)?;
                for (name, d) in [
                    ("first_response", set.first_response),
                    ("resolution", set.resolution),
                    ("update_every", set.update_every),
                ] {
                    if d.is_some_and(|d| d.is_zero()) {
                        return Err(Error::validation(
                            format!("{field}.{name}"),
                            "must be longer than zero",
                        ));
                    }
                    if d.is_some_and(|d| d > LONGEST) {
                        return Err(Error::validation(
                            format!("{field}.{name}"),
                            "must be at most 100 years",
                        ));
                    }
                }
            }
            for (level, d) in &p.levels {
                if d.is_zero() {
                    return Err(Error::validation(
                        f(&format!("levels.{level}")),
                        "must be longer than zero",
                    ));
                }
            }
        }
        if defaults > 1 {
            return Err(Error::validation(
                "sla.policies",
                "only one policy can be the default",
            ));
        }
        if !(1..=100).contains(&self.at_risk_percent) {
            return Err(Error::validation("sla.at_risk_percent", "must be 1 … 100"));
        }
        let mut last: BTreeMap<Target, u16> = BTreeMap::new();
        for (i, r) in self.escalation.iter().enumerate() {
            let f = |s: &str| format!("sla.escalation[{i}].{s}");
            if !(1..=1000).contains(&r.at_percent) {
                return Err(Error::validation(f("at_percent"), "must be 1 … 1000"));
            }
            if let Some(prev) = last.insert(r.target, r.at_percent) {
                if r.at_percent <= prev && r.policies.is_empty() {
                    return Err(Error::validation(
                        f("at_percent"),
                        format!(
                            "thresholds of `{}` must increase: {} follows {prev}",
                            r.target, r.at_percent
                        ),
                    ));
                }
            }
            if r.actions.is_empty() {
                return Err(Error::validation(f("actions"), "name at least one action"));
            }
            if r.repeat_every
                .is_some_and(|d| d < StdDuration::from_secs(1) || d > LONGEST)
            {
                return Err(Error::validation(
                    f("repeat_every"),
                    "must be 1 second … 100 years",
                ));
            }
            for p in &r.policies {
                if !ids.contains(p.as_str()) {
                    return Err(Error::validation(f("policies"), format!("no policy `{p}`")));
                }
            }
        }
        Ok(())
    }

    /// The calendar named `name`, its holiday sets merged in.
    pub fn calendar(&self, name: &str) -> Result<crate::calendar::Calendar> {
        let field = format!("sla.calendars.{name}");
        let mut spec = self
            .calendars
            .get(name)
            .cloned()
            .ok_or_else(|| Error::validation(&field, "no such calendar"))?;
        for set in std::mem::take(&mut spec.holiday_sets) {
            let days = self.holiday_sets.get(&set).ok_or_else(|| {
                Error::validation(
                    format!("{field}.holiday_sets"),
                    format!("no holiday set `{set}` in sla.holiday_sets"),
                )
            })?;
            spec.holidays.extend(days.iter().cloned());
        }
        crate::calendar::Calendar::new(spec).map_err(|e| match e {
            Error::Validation { field: f, reason } => {
                Error::validation(format!("{field}.{f}"), reason)
            }
            other => other,
        })
    }
}
