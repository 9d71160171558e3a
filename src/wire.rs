//! Every [`Desk`] operation by name, with JSON arguments and a JSON result: the one surface
//! the Python and Node bindings call, so both convert the same way and neither holds a
//! business rule.
//!
//! Arguments are an object named like the Rust parameters (`actor`, `id`, `body`…);
//! instants are RFC 3339 strings, durations whole seconds. Results are the serde form of
//! the facade's return values. A malformed argument is a `Validation` error naming it.
//! The operations and their schemas are listed once, in [`crate::api`].
//!
//! ```
//! # async fn demo() -> foliodesk::Result<()> {
//! use serde_json::json;
//! let desk = foliodesk::Desk::open("memory://").await?;
//! foliodesk::wire::call(&desk, "put_user", json!({"actor": "system", "user": {"id": "ana", "name": "Ana", "role": "requester"}})).await?;
//! let t = foliodesk::wire::call(&desk, "open_ticket", json!({
//!     "actor": "ana",
//!     "ticket": {"kind": "incident", "channel": "email", "requester": "ana", "title": "VPN down"}
//! })).await?;
//! assert_eq!(t["folio"], "INC-2026-000001".replace("2026", &chrono::Utc::now().format("%Y").to_string()));
//! # Ok(()) }
//! ```

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use std::sync::Arc;

use foliodesk_core::calendar::{holidays_from_ics, Calendar};

use crate::{Clock, Config, Desk, DeskOptions, Error, FixedClock, Result};

pub use crate::api::{call, OPERATIONS};

/// A desk opened for a binding, with its fixed clock when it was given one, until it is
/// closed.
pub struct Opened {
    desk: std::sync::Mutex<Option<Desk>>,
    /// The clock `set_now` moves; `None` on the system clock.
    pub clock: Option<Arc<FixedClock>>,
}

/// Opens the desk at `url` for a binding: `config_json` (the configuration as JSON) or
/// `config_path` (a TOML file) replaces the stored configuration; `fixed_now` (RFC 3339)
/// stops the clock there.
pub async fn open(
    url: &str,
    config_json: Option<&str>,
    config_path: Option<&str>,
    fixed_now: Option<&str>,
) -> Result<Opened> {
    let config = match (config_json, config_path) {
        (Some(j), _) => Some(Config::from_json(j)?),
        (None, Some(p)) => Some(crate::load_config(p)?),
        (None, None) => None,
    };
    let clock = fixed_now
        .map(|t| instant("now", t))
        .transpose()?
        .map(|t| Arc::new(FixedClock::at(t)));
    let options = DeskOptions {
        config,
        clock: clock.clone().map(|c| c as Arc<dyn Clock>),
    };
    let desk = Desk::open_with(url, options).await?;
    Ok(Opened {
        desk: std::sync::Mutex::new(Some(desk)),
        clock,
    })
}

impl Opened {
    /// The desk; a `Validation` error on `desk` once closed.
    pub fn desk(&self) -> Result<Desk> {
        let guard = self.desk.lock().unwrap_or_else(|p| p.into_inner());
        guard
            .clone()
            .ok_or_else(|| Error::validation("desk", "the desk is closed"))
    }

    /// Closes the desk: later calls are refused, and its files and connections are
    /// released (after calls already running finish). Closing twice is harmless.
    pub async fn close(&self) {
        let desk = self.desk.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(desk) = desk {
            desk.shutdown().await;
        }
    }

    /// Moves the fixed clock to `now` (RFC 3339); an error on the system clock.
    pub fn set_now(&self, now: &str) -> Result<()> {
        let t = instant("now", now)?;
        match &self.clock {
            Some(c) => {
                c.set(t);
                Ok(())
            }
            None => Err(Error::validation(
                "now",
                "this desk runs on the system clock; open it with a fixed `now`",
            )),
        }
    }
}

/// An RFC 3339 instant passed by a binding; the error names `field`.
pub fn instant(field: &str, text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| Error::validation(field, format!("`{text}` is not an RFC 3339 instant: {e}")))
}

/// A calendar from its spec as JSON, with the holidays of an iCalendar text added.
pub fn calendar(spec_json: &str, ics: Option<&str>) -> Result<Calendar> {
    let spec = serde_json::from_str(spec_json)
        .map_err(|e| Error::validation("calendar", e.to_string()))?;
    let calendar = Calendar::new(spec)?;
    match ics {
        Some(ics) => Ok(calendar.with_holidays(holidays_from_ics(ics)?)),
        None => Ok(calendar),
    }
}

/// A typed error as JSON for the bindings: `code` (`NOT_FOUND`, `PERMISSION_DENIED`,
/// `INVALID_TRANSITION`, `VALIDATION`, `CONFLICT`, `STORAGE`), `message`, and `field`
/// where it applies.
pub fn error_json(e: &Error) -> Value {
    json!({ "code": e.kind().code(), "message": e.to_string(), "field": e.field() })
}
