//! The data form of a business calendar, as written in configuration files and passed by
//! the bindings, and its parsing into whole seconds of local wall time.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Seconds in a day of wall time; an interval may end at `24:00`.
pub(crate) const DAY: u32 = 86_400;

/// A business calendar as data.
///
/// ```
/// use foliodesk_core::calendar::CalendarSpec;
/// let spec: CalendarSpec = toml::from_str(r#"
///     timezone = "Europe/Madrid"
///     holidays = ["2026-03-19", "12-25"]          # a date, and every 25 December
///     [hours]
///     mon = [["09:00", "14:00"], ["15:00", "18:00"]]
///     fri = [["08:00", "15:00"]]
///     [working_days]                              # exceptional openings
///     "2026-12-19" = [["10:00", "13:00"]]
/// "#).unwrap();
/// let cal = spec.build().unwrap();
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// IANA time zone name, e.g. `Europe/Madrid`. The opening hours are wall time there.
    pub timezone: String,
    /// Opening intervals per weekday (`mon` … `sun`), `[["HH:MM", "HH:MM"], …]` in local
    /// wall time; the end is exclusive and may be `24:00`. A missing day is closed.
    #[serde(default)]
    pub hours: BTreeMap<String, Vec<(String, String)>>,
    /// Closed days: `YYYY-MM-DD` for one date, `MM-DD` for the same date every year.
    #[serde(default)]
    pub holidays: Vec<String>,
    /// Named holiday sets of the desk configuration (`sla.holiday_sets`) to add; the
    /// configuration resolves them, a bare `Calendar::new` refuses them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holiday_sets: Vec<String>,
    /// Exceptional working days with their own intervals; they win over holidays and the
    /// weekly hours.
    #[serde(default)]
    pub working_days: BTreeMap<String, Vec<(String, String)>>,
    /// How far ahead (in days) a search for open time goes before it gives up with an
    /// error; default 1,830 (five years).
    #[serde(default = "default_horizon")]
    pub horizon_days: u32,
}

fn default_horizon() -> u32 {
    1_830
}

impl Default for CalendarSpec {
    /// No time zone yet (set one), no hours, the default horizon.
    fn default() -> Self {
        CalendarSpec {
            timezone: String::new(),
            hours: BTreeMap::new(),
            holidays: Vec::new(),
            holiday_sets: Vec::new(),
            working_days: BTreeMap::new(),
            horizon_days: default_horizon(),
        }
    }
}

/// A closed day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Holiday {
    /// One date.
    Date(NaiveDate),
    /// The same month and day every year (29 February only in leap years).
    Yearly {
        /// 1–12.
        month: u32,
        /// 1–31.
        day: u32,
    },
}

impl Holiday {
    /// Parses `YYYY-MM-DD` or `MM-DD`; `field` names the input in the error.
    pub fn parse(field: &str, text: &str) -> Result<Holiday> {
        let t = text.trim();
        if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            return Ok(Holiday::Date(d));
        }
        let bad = || {
            Error::validation(
                field,
                format!("`{text}` is not a date: use YYYY-MM-DD, or MM-DD for every year"),
            )
        };
        let (m, d) = t.split_once('-').ok_or_else(bad)?;
        let (month, day): (u32, u32) =
            (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
        // 2024 is a leap year, so 02-29 is accepted.
        NaiveDate::from_ymd_opt(2024, month, day).ok_or_else(bad)?;
        Ok(Holiday::Yearly { month, day })
    }

    /// Whether `date` is this holiday.
    pub fn falls_on(&self, date: NaiveDate) -> bool {
        match *self {
            Holiday::Date(d) => d == date,
            Holiday::Yearly { month, day } => date.month() == month && date.day() == day,
        }
    }
}

impl std::fmt::Display for Holiday {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Holiday::Date(d) => write!(f, "{d}"),
            Holiday::Yearly { month, day } => write!(f, "{month:02}-{day:02}"),
        }
    }
}

/// Parses `HH:MM` or `HH:MM:SS` (up to `24:00`) into seconds after local midnight.
pub(crate) fn clock_time(field: &str, text: &str) -> Result<u32> {
    let bad = |why: &str| Error::validation(field, format!("`{text}` {why}"));
    let parts: Vec<&str> = text.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.is_empty() || p.len() > 2) {
        return Err(bad("is not a time of day: use HH:MM"));
    }
    let mut n = [0u32; 3];
    for (slot, p) in n.iter_mut().zip(&parts) {
        *slot = p
            .parse()
            .map_err(|_| bad("is not a time of day: use HH:MM"))?;
    }
    let [h, m, s] = n;
    if m > 59 || s > 59 {
        return Err(bad("has minutes or seconds above 59"));
    }
    let secs = h * 3600 + m * 60 + s;
    if secs > DAY {
        return Err(bad("is past 24:00"));
    }
    Ok(secs)
}

/// Parses a day's intervals: each `[start, end)` non-empty, sorted by start after parsing,
/// none overlapping (touching is fine and merges).
pub(crate) fn day_spans(field: &str, intervals: &[(String, String)]) -> Result<Vec<(u32, u32)>> {
    let mut spans = Vec::with_capacity(intervals.len());
    for (i, (a, b)) in intervals.iter().enumerate() {
        let f = format!("{field}[{i}]");
        let (start, end) = (clock_time(&f, a)?, clock_time(&f, b)?);
        if start >= DAY {
            return Err(Error::validation(f, "an interval cannot start at 24:00"));
        }
        if end <= start {
            return Err(Error::validation(
                f,
                format!("`{a}`–`{b}` is empty or inverted: the end must come after the start"),
            ));
        }
        spans.push((start, end));
    }
    spans.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s < last.1 => {
                return Err(Error::validation(
                    field,
                    format!(
                        "intervals overlap: {} starts before {} ends",
                        hhmm(s),
                        hhmm(last.1)
                    ),
                ))
            }
            Some(last) if s == last.1 => last.1 = e,
            _ => merged.push((s, e)),
        }
    }
    Ok(merged)
}

pub(crate) fn hhmm(secs: u32) -> String {
    if secs.is_multiple_of(60) {
        format!("{:02}:{:02}", secs / 3600, secs / 60 % 60)
    } else {
        format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    }
}

/// `mon` … `sun` (also full English names, any case) → 0 (Monday) … 6.
pub(crate) fn weekday(field: &str, name: &str) -> Result<usize> {
    const NAMES: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let n = name.trim().to_ascii_lowercase();
    NAMES
        .iter()
        .position(|full| n.len() >= 3 && full.starts_with(&n))
        .ok_or_else(|| {
            Error::validation(
                field,
                format!("`{name}` is not a weekday: use mon, tue, wed, thu, fri, sat, sun"),
            )
        })
}
