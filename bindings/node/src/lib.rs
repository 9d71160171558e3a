//! Node binding of Foliodesk (npm package `foliodesk`): converts and delegates.
//!
//! The native layer is small on purpose: a `NativeDesk` whose `call(op, json)` runs
//! `foliodesk::wire::call` on napi's tokio runtime (off the event loop) and resolves with
//! `{"ok": result}` or `{"error": {code, message, field}}`, and a `NativeCalendar`. The
//! idiomatic API (camelCase methods, `Date`, milliseconds, `FoliodeskError` with `code`)
//! is `foliodesk.js` on top of it.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use foliodesk::core::calendar::{holidays_from_ics, Calendar};
use foliodesk::{Desk, DeskOptions, Error, FixedClock};
use napi_derive::napi;
use serde_json::{json, Value};

fn envelope(result: foliodesk::Result<Value>) -> String {
    match result {
        Ok(v) => json!({ "ok": v }).to_string(),
        Err(e) => json!({ "error": foliodesk::wire::error_json(&e) }).to_string(),
    }
}

fn instant(field: &str, text: &str) -> foliodesk::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| Error::validation(field, format!("`{text}` is not an ISO 8601 instant: {e}")))
}

/// A desk: `call(op, json)` runs one operation of `foliodesk::wire`.
#[napi]
pub struct NativeDesk {
    desk: Desk,
    clock: Option<Arc<FixedClock>>,
}

/// Opens a desk; resolves with the desk, or with the error envelope text.
#[napi]
pub async fn open_desk(
    url: String,
    config_json: Option<String>,
    config_path: Option<String>,
    fixed_now: Option<String>,
) -> napi::Result<Either> {
    let run = async {
        let config = match (config_json, config_path) {
            (Some(j), _) => Some(foliodesk::Config::from_json(&j)?),
            (None, Some(p)) => Some(foliodesk::load_config(p)?),
            (None, None) => None,
        };
        let clock = fixed_now
            .map(|t| instant("now", &t))
            .transpose()?
            .map(|t| Arc::new(FixedClock::at(t)));
        let options = DeskOptions {
            config,
            clock: clock.clone().map(|c| c as Arc<dyn foliodesk::Clock>),
        };
        let desk = Desk::open_with(&url, options).await?;
        Ok::<_, Error>(NativeDesk { desk, clock })
    };
    Ok(match run.await {
        Ok(d) => Either::A(d),
        Err(e) => Either::B(envelope(Err(e))),
    })
}

/// A desk, or the error envelope that stopped it opening.
pub type Either = napi::Either<NativeDesk, String>;

#[napi]
impl NativeDesk {
    /// Runs `op` with JSON `args`; resolves with the result envelope.
    #[napi]
    pub async fn call(&self, op: String, args: String) -> String {
        let desk = self.desk.clone();
        let result = match serde_json::from_str::<Value>(&args) {
            Ok(args) => foliodesk::wire::call(&desk, &op, args).await,
            Err(e) => Err(Error::validation("arguments", e.to_string())),
        };
        envelope(result)
    }

    /// Moves a fixed clock; the error envelope on a desk with the system clock.
    #[napi]
    pub fn set_now(&self, now: String) -> String {
        let result = instant("now", &now).and_then(|t| match &self.clock {
            Some(c) => {
                c.set(t);
                Ok(Value::Null)
            }
            None => Err(Error::validation(
                "now",
                "this desk runs on the system clock; open it with { now }",
            )),
        });
        envelope(result)
    }
}

/// A business calendar, built from its spec as JSON.
#[napi]
pub struct NativeCalendar {
    calendar: Calendar,
}

/// Builds a calendar; the error envelope text when the spec is refused.
#[napi]
pub fn new_calendar(
    spec_json: String,
    ics: Option<String>,
) -> napi::Either<NativeCalendar, String> {
    let run = || -> foliodesk::Result<NativeCalendar> {
        let spec = serde_json::from_str(&spec_json)
            .map_err(|e| Error::validation("calendar", e.to_string()))?;
        let mut calendar = Calendar::new(spec)?;
        if let Some(ics) = ics {
            calendar = calendar.with_holidays(holidays_from_ics(&ics)?);
        }
        Ok(NativeCalendar { calendar })
    };
    match run() {
        Ok(c) => napi::Either::A(c),
        Err(e) => napi::Either::B(envelope(Err(e))),
    }
}

#[napi]
impl NativeCalendar {
    /// The calendar as data.
    #[napi]
    pub fn spec_json(&self) -> String {
        serde_json::to_string(self.calendar.spec()).unwrap_or_default()
    }

    /// `{"ok": ISO instant}` after `ms` milliseconds of open time from `start`.
    #[napi]
    pub fn add_business_time(&self, start: String, ms: f64) -> String {
        envelope((|| {
            if !ms.is_finite() {
                return Err(Error::validation(
                    "duration",
                    "must be a finite number of milliseconds",
                ));
            }
            let d = Duration::microseconds((ms * 1000.0).round() as i64);
            let t = self
                .calendar
                .add_business_time(instant("start", &start)?, d)?;
            Ok(json!(t.to_rfc3339()))
        })())
    }

    /// `{"ok": milliseconds}` of open time in `[a, b)`.
    #[napi]
    pub fn business_time_between(&self, a: String, b: String) -> String {
        envelope((|| {
            let d = self
                .calendar
                .business_time_between(instant("a", &a)?, instant("b", &b)?);
            Ok(json!(
                d.num_microseconds().unwrap_or(i64::MAX) as f64 / 1000.0
            ))
        })())
    }

    /// `{"ok": bool}`.
    #[napi]
    pub fn is_open(&self, t: String) -> String {
        envelope(instant("t", &t).map(|t| json!(self.calendar.is_open(t))))
    }

    /// `{"ok": ISO instant}`.
    #[napi]
    pub fn next_open(&self, t: String) -> String {
        envelope(
            instant("t", &t)
                .and_then(|t| self.calendar.next_open(t))
                .map(|t| json!(t.to_rfc3339())),
        )
    }

    /// `{"ok": ISO instant}`.
    #[napi]
    pub fn next_close(&self, t: String) -> String {
        envelope(
            instant("t", &t)
                .and_then(|t| self.calendar.next_close(t))
                .map(|t| json!(t.to_rfc3339())),
        )
    }
}

/// `{"ok": [holiday strings]}` from an iCalendar text.
#[napi]
pub fn ics_holidays(ics: String) -> String {
    envelope(
        holidays_from_ics(&ics)
            .map(|days| json!(days.iter().map(ToString::to_string).collect::<Vec<_>>())),
    )
}

/// The facade operations the JS `Desk` must offer (for the parity test).
#[napi]
pub fn operations() -> Vec<String> {
    foliodesk::wire::OPERATIONS
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

/// The library's version.
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
