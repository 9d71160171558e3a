//! Canned responses and macros (seed 000: answers to frequent questions). A response is a
//! text with ticket variables (`{{ ticket.folio }}`, `{{ requester }}`, `{{ agent }}`),
//! public or internal, for every agent or some teams, listed by category. A macro applies a
//! response, field changes and a status in one command, so one append records them all.
//! Both are configuration (`[[responses]]`, `[[macros]]`).

use minijinja::value::{Serde, Value};
use serde::{Deserialize, Serialize};

use crate::decide::Facts;
use crate::directory::User;
use crate::ticket::Ticket;
use crate::vocabulary::Visibility;
use crate::{Error, Result, TeamId};

/// A canned response.
///
/// ```toml
/// [[responses]]
/// id = "password-reset"
/// title = "Contraseña restablecida"
/// category = "Cuentas"
/// body = "Hola {{ requester }}: hemos restablecido su contraseña ({{ ticket.folio }})."
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// Its id.
    pub id: String,
    /// What agents see in the list.
    pub title: String,
    /// Listed under this category path, if any.
    #[serde(default)]
    pub category: Option<String>,
    /// Only these teams' agents see it (everyone's when empty).
    #[serde(default)]
    pub teams: Vec<TeamId>,
    /// A public answer (the default) or an internal note.
    #[serde(default)]
    pub visibility: Visibility,
    /// The text, a minijinja template: `ticket` (the ticket as its reader may see it),
    /// `requester` and `agent` (names).
    pub body: String,
}

/// What a macro leaves the ticket waiting for, or proposes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MacroStatus {
    /// Waiting on the requester, the response's text as the reason.
    Pending,
    /// Solved: the response's text proposed as the solution.
    Resolved,
}

/// A response, field changes and a status, applied in one command.
///
/// ```toml
/// [[macros]]
/// id = "ask-for-logs"
/// title = "Pedir registros"
/// response = "ask-logs"
/// tags = ["waiting-logs"]
/// status = "pending"
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Macro {
    /// Its id.
    pub id: String,
    /// What agents see in the list.
    pub title: String,
    /// Only these teams' agents may apply it (everyone's when empty).
    #[serde(default)]
    pub teams: Vec<TeamId>,
    /// The response it writes, by id.
    #[serde(default)]
    pub response: Option<String>,
    /// The category it sets.
    #[serde(default)]
    pub category: Option<String>,
    /// Tags it adds.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The status it leaves the ticket in; needs a response (its text is the reason or
    /// the solution).
    #[serde(default)]
    pub status: Option<MacroStatus>,
}

/// Whether `agent` may use something limited to `teams`.
pub fn offered_to(teams: &[TeamId], agent: &User) -> bool {
    teams.is_empty() || teams.iter().any(|t| agent.teams.contains(t))
}

/// `response`'s text for `ticket`, written by `agent`. A public response sees the ticket as
/// its requester does, so no internal field leaks into an answer.
pub fn render(response: &Response, ticket: &Ticket, agent: &User, facts: &Facts) -> Result<String> {
    let requester = facts.users.get(&ticket.requester);
    let seen = match (response.visibility, requester) {
        (Visibility::Public, Some(r)) => crate::view::redact(r, ticket.clone()),
        _ => ticket.clone(),
    };
    let ctx = minijinja::context! {
        ticket => Value::from(Serde(&seen)),
        requester => requester.map_or_else(|| ticket.requester.to_string(), |u| u.name.clone()),
        agent => agent.name.clone(),
    };
    environment()
        .render_str(&response.body, ctx)
        .map(|s| s.trim().to_owned())
        .map_err(|e| {
            Error::validation(
                format!("responses.{}.body", response.id),
                format!("cannot render: {e}"),
            )
        })
}

fn environment() -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    // A misspelt variable is an error, not an empty gap in a message to a customer.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env
}

/// Checks the lists: unique ids, bodies that compile, macros naming known responses,
/// statuses with a text.
pub fn validate(responses: &[Response], macros: &[Macro]) -> Result<()> {
    let mut ids = std::collections::BTreeSet::new();
    for (i, r) in responses.iter().enumerate() {
        if r.id.trim().is_empty() || !ids.insert(r.id.as_str()) {
            return Err(Error::validation(
                format!("responses[{i}].id"),
                "must be present and unique",
            ));
        }
        let env = environment();
        env.template_from_str(&r.body).map_err(|e| {
            Error::validation(
                format!("responses[{i}].body"),
                format!("does not compile: {e}"),
            )
        })?;
    }
    let mut macro_ids = std::collections::BTreeSet::new();
    for (i, m) in macros.iter().enumerate() {
        if m.id.trim().is_empty() || !macro_ids.insert(m.id.as_str()) {
            return Err(Error::validation(
                format!("macros[{i}].id"),
                "must be present and unique",
            ));
        }
        if let Some(r) = &m.response {
            if !ids.contains(r.as_str()) {
                return Err(Error::validation(
                    format!("macros[{i}].response"),
                    format!("no response `{r}`"),
                ));
            }
        }
        if m.status.is_some() && m.response.is_none() {
            return Err(Error::validation(
                format!("macros[{i}].status"),
                "needs a response: its text is the reason or the solution",
            ));
        }
    }
    Ok(())
}
