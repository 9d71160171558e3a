//! Node binding of Foliodesk (npm package `foliodesk`): converts and delegates.
//!
//! The native layer is small on purpose: a `NativeDesk` whose `call(op, json)` runs
//! `foliodesk::wire::call` on napi's tokio runtime (off the event loop) and resolves with
//! `{"ok": result}` or `{"error": {code, message, field}}`, and a `NativeCalendar`. The
//! idiomatic API (camelCase methods, `Date`, milliseconds, `FoliodeskError` with `code`)
//! is `foliodesk.js` on top of it.

use chrono::Duration;
use foliodesk::core::calendar::{holidays_from_ics, Calendar};
use foliodesk::wire::{self, instant};
use foliodesk::Error;
use napi_derive::napi;
use serde_json::{json, Value};

fn envelope(result: foliodesk::Result<Value>) -> String {
    match result {
        Ok(v) => json!({ "ok": v }).to_string(),
        Err(e) => json!({ "error": wire::error_json(&e) }).to_string(),
    }
}

/// A desk: `call(op, json)` runs one operation of `foliodesk::wire`.
#[napi]
pub struct NativeDesk(wire::Opened);

/// Opens a desk; resolves with the desk, or with the error envelope text.
#[napi]
pub async fn open_desk(
    url: String,
    config_json: Option<String>,
    config_path: Option<String>,
    fixed_now: Option<String>,
) -> napi::Result<Either> {
    let opened = wire::open(
        &url,
        config_json.as_deref(),
        config_path.as_deref(),
        fixed_now.as_deref(),
    )
    .await;
    Ok(match opened {
        Ok(o) => Either::A(NativeDesk(o)),
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
        let result = match serde_json::from_str::<Value>(&args) {
            Ok(args) => match self.0.desk() {
                Ok(desk) => wire::call(&desk, &op, args).await,
                Err(e) => Err(e),
            },
            Err(e) => Err(Error::validation("arguments", e.to_string())),
        };
        envelope(result)
    }

    /// Closes the desk: its files and connections are released; later calls are refused.
    #[napi]
    pub async fn close(&self) {
        self.0.close().await;
    }

    /// Moves a fixed clock; the error envelope on a desk with the system clock.
    #[napi]
    pub fn set_now(&self, now: String) -> String {
        envelope(self.0.set_now(&now).map(|()| Value::Null))
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
    match wire::calendar(&spec_json, ics.as_deref()) {
        Ok(calendar) => napi::Either::A(NativeCalendar { calendar }),
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
    wire::OPERATIONS.iter().map(|s| (*s).to_owned()).collect()
}

/// The library's version.
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
