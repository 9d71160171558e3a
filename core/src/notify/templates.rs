//! Notification texts: minijinja templates per locale and event type, Spanish and English
//! built in, each replaceable from the configuration.
//!
//! A kind's template (`es/commented`) defines two blocks, `subject` and `body`, in plain
//! text. It sees `ticket` (as the recipient may see it), `event` (the event's data),
//! `event_type`, `actor` (a display name), `recipient` (`name`, `is_requester`),
//! `team_name` and `auto_confirm`. `es/footer` closes every message; `layout.html` turns
//! the text into the HTML part, escaping it.

use std::collections::BTreeMap;

use minijinja::{AutoEscape, Environment, Value};

use super::policy::Locale;
use crate::{Error, Result};

macro_rules! builtin {
    ($($locale:literal: [$($kind:literal),+ $(,)?]),+ $(,)?) => {
        &[$($((
            concat!($locale, "/", $kind),
            include_str!(concat!("../../templates/", $locale, "/", $kind, ".j2")),
        ),)+)+]
    };
}

const KINDS: &[&str] = &[
    "opened",
    "assigned",
    "commented",
    "pending_set",
    "resumed",
    "escalated",
    "solution_proposed",
    "solution_confirmed",
    "solution_rejected",
    "rated",
    "closed",
    "cancelled",
    "reopened",
    "watcher_added",
    "sla_alert",
    "status_reported",
    "edited",
    "default",
    "footer",
];

const BUILTIN: &[(&str, &str)] = builtin!(
    "es": ["opened", "assigned", "commented", "pending_set", "resumed", "escalated",
           "solution_proposed", "solution_confirmed", "solution_rejected", "rated", "closed",
           "cancelled", "reopened", "watcher_added", "sla_alert", "status_reported", "edited",
           "default", "footer"],
    "en": ["opened", "assigned", "commented", "pending_set", "resumed", "escalated",
           "solution_proposed", "solution_confirmed", "solution_rejected", "rated", "closed",
           "cancelled", "reopened", "watcher_added", "sla_alert", "status_reported", "edited",
           "default", "footer"],
);

const LAYOUT: &str = include_str!("../../templates/layout.html.j2");

/// The compiled templates of a desk.
#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
}

/// One rendered event: its subject line and body text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// The subject, without the folio tag.
    pub subject: String,
    /// The body text.
    pub body: String,
}

impl Templates {
    /// The built-in templates with `overrides` (`locale/kind` → source) in their place.
    /// A name that is no template, or a source that does not compile, is a validation
    /// error naming the template and the line.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use foliodesk_core::notify::templates::Templates;
    /// let bad = BTreeMap::from([("es/closed".to_string(), "{% block subject %}\n{{ x }".to_string())]);
    /// let err = Templates::new(&bad).unwrap_err().to_string();
    /// assert!(err.contains("notifications.templates.es/closed") && err.contains("line 2"), "{err}");
    /// ```
    pub fn new(overrides: &BTreeMap<String, String>) -> Result<Templates> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        env.add_filter("label", label);
        for (name, source) in BUILTIN {
            if !overrides.contains_key(*name) {
                env.add_template(name, source)
                    .map_err(|e| compile_error(name, &e))?;
            }
        }
        env.add_template("layout.html", LAYOUT)
            .map_err(|e| compile_error("layout.html", &e))?;
        for (name, source) in overrides {
            let known = name.split_once('/').is_some_and(|(locale, kind)| {
                locale.parse::<Locale>().is_ok() && KINDS.contains(&kind)
            });
            if !known {
                return Err(Error::validation(
                    format!("notifications.templates.{name}"),
                    format!(
                        "not a template name: use `es/KIND` or `en/KIND`, KIND one of {}",
                        KINDS.join(", ")
                    ),
                ));
            }
            env.add_template_owned(name.clone(), source.clone())
                .map_err(|e| compile_error(name, &e))?;
        }
        Ok(Templates { env })
    }

    /// Renders the template of `kind` (or `default`) in `locale` with `ctx`.
    pub fn event(&self, locale: Locale, kind: &str, ctx: &Value) -> Result<Rendered> {
        let name = if KINDS.contains(&kind) && kind != "footer" {
            format!("{locale}/{kind}")
        } else {
            format!("{locale}/default")
        };
        let template = self
            .env
            .get_template(&name)
            .map_err(|e| render_error(&name, &e))?;
        let mut captured = template
            .render_captured(ctx)
            .map_err(|e| render_error(&name, &e))?;
        let mut block = |b: &str| {
            captured
                .with_state_mut(|state| state.render_block(b))
                .map(|s| s.trim().to_owned())
                .map_err(|e| render_error(&name, &e))
        };
        let subject = block("subject")?.replace(['\r', '\n'], " ");
        Ok(Rendered {
            subject,
            body: block("body")?,
        })
    }

    /// The footer in `locale`.
    pub fn footer(&self, locale: Locale, ctx: &Value) -> Result<String> {
        self.plain(&format!("{locale}/footer"), ctx)
    }

    /// The HTML part for `parts` (each a text body) and the footer text.
    pub fn html(
        &self,
        locale: Locale,
        subject: &str,
        parts: &[String],
        footer: &str,
    ) -> Result<String> {
        let paragraphs = |text: &str| -> Vec<Vec<String>> {
            text.split("\n\n")
                .filter(|p| !p.trim().is_empty())
                .map(|p| p.lines().map(str::to_owned).collect())
                .collect()
        };
        let ctx = minijinja::context! {
            locale => locale.as_str(),
            subject => subject,
            parts => parts.iter().map(|p| paragraphs(p)).collect::<Vec<_>>(),
            footer => footer.lines().map(str::to_owned).collect::<Vec<_>>(),
        };
        self.plain("layout.html", &ctx)
    }

    fn plain(&self, name: &str, ctx: &Value) -> Result<String> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map(|s| s.trim().to_owned())
            .map_err(|e| render_error(name, &e))
    }
}

/// The `label` filter: a status, channel, target or level in the reader's words
/// (`{{ ticket.status | label(locale) }}`); anything else as it is.
fn label(value: String, locale: String) -> String {
    let es = locale == "es";
    let word = match value.as_str() {
        "new" => pick(es, "nuevo", "new"),
        "open" => pick(es, "en curso", "in progress"),
        "pending" => pick(es, "en espera", "on hold"),
        "resolved" => pick(es, "solución propuesta", "solution proposed"),
        "confirmed" => pick(es, "solución confirmada", "solution confirmed"),
        "closed" => pick(es, "cerrado", "closed"),
        "cancelled" => pick(es, "cancelado", "cancelled"),
        "email" => pick(es, "correo electrónico", "e-mail"),
        "chat" => "chat",
        "phone" => pick(es, "teléfono", "phone"),
        "sms" => "SMS",
        "social" => pick(es, "redes sociales", "social media"),
        "portal" => pick(es, "el portal", "the portal"),
        "event" => pick(es, "un evento de monitorización", "a monitoring event"),
        "api" => "API",
        "first_response" => pick(es, "primera respuesta", "first response"),
        "resolution" => pick(es, "resolución", "resolution"),
        "update" => pick(es, "actualización", "update"),
        "n1" | "n2" | "n3" => return value.to_uppercase(),
        "title" => pick(es, "Título", "Title"),
        "description" => pick(es, "Descripción", "Description"),
        "services" => pick(es, "Servicios", "Services"),
        "configuration_items" => pick(es, "Elementos de configuración", "Configuration items"),
        "possible_causes" => pick(es, "Posibles causas", "Possible causes"),
        "assigned_resources" => pick(es, "Recursos asignados", "Assigned resources"),
        "tags" => pick(es, "Etiquetas", "Tags"),
        _ => return value,
    };
    word.to_owned()
}

fn pick(es: bool, spanish: &'static str, english: &'static str) -> &'static str {
    if es {
        spanish
    } else {
        english
    }
}

fn compile_error(name: &str, e: &minijinja::Error) -> Error {
    Error::validation(
        format!("notifications.templates.{name}"),
        format!(
            "does not compile at line {}: {}",
            e.line().unwrap_or(0),
            detail(e)
        ),
    )
}

fn render_error(name: &str, e: &minijinja::Error) -> Error {
    Error::validation(
        format!("notifications.templates.{name}"),
        format!(
            "cannot render at line {}: {}",
            e.line().unwrap_or(0),
            detail(e)
        ),
    )
}

fn detail(e: &minijinja::Error) -> String {
    match e.detail() {
        Some(d) => format!("{} ({d})", e.kind()),
        None => e.kind().to_string(),
    }
}
