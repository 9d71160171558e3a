//! Python binding of Foliodesk (`foliodesk._foliodesk`): converts and delegates.
//!
//! The native layer is deliberately small: a `Desk` handle whose `call(op, json)` runs
//! `foliodesk::wire::call` with the GIL released, a `Calendar` handle, and one exception
//! class per error kind. The typed Python API (methods, datetimes, result objects) lives in
//! the `foliodesk` package on top of it.

use std::sync::OnceLock;

use chrono::Duration;
use foliodesk::core::calendar::{holidays_from_ics, Calendar};
use foliodesk::wire::{self, instant};
use foliodesk::Error;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    _foliodesk,
    FoliodeskError,
    PyException,
    "Every Foliodesk error."
);
create_exception!(
    _foliodesk,
    NotFound,
    FoliodeskError,
    "No such ticket, user, team or organisation (or not visible to the actor)."
);
create_exception!(
    _foliodesk,
    PermissionDenied,
    FoliodeskError,
    "The actor's role does not allow this."
);
create_exception!(
    _foliodesk,
    InvalidTransition,
    FoliodeskError,
    "The ticket's status does not allow this command."
);
create_exception!(
    _foliodesk,
    ValidationError,
    FoliodeskError,
    "Bad input; `.field` names it."
);
create_exception!(
    _foliodesk,
    Conflict,
    FoliodeskError,
    "A concurrent change won; retry."
);
create_exception!(
    _foliodesk,
    StorageError,
    FoliodeskError,
    "The storage backend failed."
);
create_exception!(
    _foliodesk,
    RemoteError,
    FoliodeskError,
    "A server the desk talks to (an IMAP mailbox) failed or refused."
);

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("foliodesk")
            .build()
            .expect("the tokio runtime starts")
    })
}

/// The Python exception for `e`, with `.code` and `.field` set.
fn py_err(py: Python<'_>, e: Error) -> PyErr {
    let message = e.to_string();
    let err = match e.kind().code() {
        "NOT_FOUND" => NotFound::new_err(message),
        "PERMISSION_DENIED" => PermissionDenied::new_err(message),
        "INVALID_TRANSITION" => InvalidTransition::new_err(message),
        "VALIDATION" => ValidationError::new_err(message),
        "CONFLICT" => Conflict::new_err(message),
        "REMOTE" => RemoteError::new_err(message),
        _ => StorageError::new_err(message),
    };
    let value = err.value(py);
    let _ = value.setattr("code", e.kind().code());
    let _ = value.setattr("field", e.field().map(str::to_owned));
    err
}

/// A desk: `call(op, json)` runs one operation of `foliodesk::wire`.
#[pyclass(frozen, module = "foliodesk._foliodesk")]
struct NativeDesk(wire::Opened);

#[pymethods]
impl NativeDesk {
    /// Opens the desk at `url`; `config_json` or `config_path` (TOML) replace the stored
    /// configuration; `fixed_now` (RFC 3339) stops the clock there.
    #[staticmethod]
    #[pyo3(signature = (url, config_json=None, config_path=None, fixed_now=None))]
    fn open(
        py: Python<'_>,
        url: String,
        config_json: Option<String>,
        config_path: Option<String>,
        fixed_now: Option<String>,
    ) -> PyResult<NativeDesk> {
        let opened = py.detach(|| {
            runtime().block_on(wire::open(
                &url,
                config_json.as_deref(),
                config_path.as_deref(),
                fixed_now.as_deref(),
            ))
        });
        opened.map(NativeDesk).map_err(|e| py_err(py, e))
    }

    /// Runs `op` with JSON `args`; returns the JSON result.
    fn call(&self, py: Python<'_>, op: String, args: String) -> PyResult<String> {
        let desk = self.0.desk().map_err(|e| py_err(py, e))?;
        let result = py.detach(move || -> foliodesk::Result<String> {
            let args: serde_json::Value = serde_json::from_str(&args)
                .map_err(|e| Error::validation("arguments", e.to_string()))?;
            let value = runtime().block_on(wire::call(&desk, &op, args))?;
            Ok(value.to_string())
        });
        result.map_err(|e| py_err(py, e))
    }

    /// Closes the desk: its files and connections are released; later calls are refused.
    fn close(&self, py: Python<'_>) {
        py.detach(|| runtime().block_on(self.0.close()));
    }

    /// Moves a fixed clock to `now` (RFC 3339); an error on a desk with the system clock.
    fn set_now(&self, py: Python<'_>, now: String) -> PyResult<()> {
        self.0.set_now(&now).map_err(|e| py_err(py, e))
    }
}

fn seconds(field: &str, s: f64) -> foliodesk::Result<Duration> {
    if !s.is_finite() {
        return Err(Error::validation(field, "must be a finite duration"));
    }
    Ok(Duration::microseconds((s * 1e6).round() as i64))
}

/// A business calendar, built from its spec as JSON.
#[pyclass(frozen, module = "foliodesk._foliodesk")]
struct NativeCalendar {
    calendar: Calendar,
}

#[pymethods]
impl NativeCalendar {
    #[new]
    fn new(py: Python<'_>, spec_json: String) -> PyResult<NativeCalendar> {
        let calendar = wire::calendar(&spec_json, None).map_err(|e| py_err(py, e))?;
        Ok(NativeCalendar { calendar })
    }

    /// The calendar with the holidays of an iCalendar text added.
    fn with_ics(&self, py: Python<'_>, ics: &str) -> PyResult<NativeCalendar> {
        let days = holidays_from_ics(ics).map_err(|e| py_err(py, e))?;
        Ok(NativeCalendar {
            calendar: self.calendar.clone().with_holidays(days),
        })
    }

    fn spec_json(&self) -> String {
        serde_json::to_string(self.calendar.spec()).unwrap_or_default()
    }

    fn add_business_time(&self, py: Python<'_>, start: &str, seconds_: f64) -> PyResult<String> {
        let run = || -> foliodesk::Result<String> {
            let t = self
                .calendar
                .add_business_time(instant("start", start)?, seconds("duration", seconds_)?)?;
            Ok(t.to_rfc3339())
        };
        run().map_err(|e| py_err(py, e))
    }

    fn business_time_between(&self, py: Python<'_>, a: &str, b: &str) -> PyResult<f64> {
        let run = || -> foliodesk::Result<f64> {
            let d = self
                .calendar
                .business_time_between(instant("a", a)?, instant("b", b)?);
            Ok(d.num_microseconds().unwrap_or(i64::MAX) as f64 / 1e6)
        };
        run().map_err(|e| py_err(py, e))
    }

    fn is_open(&self, py: Python<'_>, t: &str) -> PyResult<bool> {
        instant("t", t)
            .map(|t| self.calendar.is_open(t))
            .map_err(|e| py_err(py, e))
    }

    fn next_open(&self, py: Python<'_>, t: &str) -> PyResult<String> {
        instant("t", t)
            .and_then(|t| self.calendar.next_open(t))
            .map(|t| t.to_rfc3339())
            .map_err(|e| py_err(py, e))
    }

    fn next_close(&self, py: Python<'_>, t: &str) -> PyResult<String> {
        instant("t", t)
            .and_then(|t| self.calendar.next_close(t))
            .map(|t| t.to_rfc3339())
            .map_err(|e| py_err(py, e))
    }
}

/// The holidays an iCalendar text lists, as `YYYY-MM-DD` or yearly `MM-DD` strings.
#[pyfunction]
fn ics_holidays(py: Python<'_>, ics: &str) -> PyResult<Vec<String>> {
    holidays_from_ics(ics)
        .map(|days| days.iter().map(ToString::to_string).collect())
        .map_err(|e| py_err(py, e))
}

/// The facade operations this binding must offer (for the parity test).
#[pyfunction]
fn operations() -> Vec<&'static str> {
    wire::OPERATIONS.to_vec()
}

/// The native module.
#[pymodule]
fn _foliodesk(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<NativeDesk>()?;
    m.add_class::<NativeCalendar>()?;
    m.add_function(wrap_pyfunction!(ics_holidays, m)?)?;
    m.add_function(wrap_pyfunction!(operations, m)?)?;
    m.add("FoliodeskError", py.get_type::<FoliodeskError>())?;
    m.add("NotFound", py.get_type::<NotFound>())?;
    m.add("PermissionDenied", py.get_type::<PermissionDenied>())?;
    m.add("InvalidTransition", py.get_type::<InvalidTransition>())?;
    m.add("ValidationError", py.get_type::<ValidationError>())?;
    m.add("Conflict", py.get_type::<Conflict>())?;
    m.add("StorageError", py.get_type::<StorageError>())?;
    m.add("RemoteError", py.get_type::<RemoteError>())?;
    Ok(())
}
