//! Business calendars: opening hours in local wall time, holidays, exceptional working days
//! and an IANA time zone; business-time addition and difference over them.
//!
//! ```
//! use chrono::{TimeZone, Utc, Duration};
//! use foliodesk_core::calendar::{Calendar, CalendarSpec};
//!
//! let mut spec = CalendarSpec { timezone: "Europe/Madrid".into(), ..Default::default() };
//! for day in ["mon", "tue", "wed", "thu", "fri"] {
//!     spec.hours.insert(day.into(), vec![("09:00".into(), "14:00".into()), ("15:00".into(), "18:00".into())]);
//! }
//! spec.holidays.push("2026-03-19".into());
//! let cal = Calendar::new(spec).unwrap();
//! // Wednesday 18 March 2026, 17:00 in Madrid (16:00 UTC), plus 4 business hours:
//! // one hour that day, the 19th is a holiday, three more on Friday morning.
//! let due = cal.add_business_time(Utc.with_ymd_and_hms(2026, 3, 18, 16, 0, 0).unwrap(), Duration::hours(4)).unwrap();
//! assert_eq!(due, Utc.with_ymd_and_hms(2026, 3, 20, 11, 0, 0).unwrap()); // 12:00 in Madrid
//! ```
//!
//! # Semantics
//!
//! - An interval `[start, end)` of a local date is open from the instant its start names
//!   to the instant its end names; `end` is closed. Its business time is the real time
//!   between them, so a 09:00–18:00 day is 9 hours on a daylight-saving change day (the
//!   change happens at night), and a 00:00–24:00 day is 23 or 25 hours.
//! - Wall times that do not exist (the hour skipped in spring) are moved later by the
//!   length of the gap: 02:30 on a day that jumps from 02:00 to 03:00 means 03:30. Wall
//!   times that happen twice (the repeated hour in autumn) mean the earlier instant. These
//!   are `java.time`'s rules.
//! - [`Calendar::add_business_time`] returns the earliest instant at which `duration` of open
//!   time has elapsed counting from `start`. A closed `start` counts from the next opening;
//!   a result that falls exactly on a closing time is that closing time; a zero duration
//!   gives `start` if open, else the next opening.
//! - [`Calendar::business_time_between`] counts open time in `[a, b)`; with `b` before `a`
//!   it is the negative of the count in `[b, a)`, so `between(a, b) == -between(b, a)`.
//! - Searches stop after `horizon_days` (default five years) with a `Validation` error on
//!   `calendar.horizon_days` instead of looping: a calendar with no open time left fails
//!   fast.
//! - Work is per interval and per day, and whole weeks without holidays, exceptional days
//!   or offset changes are skipped with the precomputed weekly total.

mod ics;
mod spec;
mod walk;

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
pub use ics::holidays_from_ics;
use spec::{day_spans, weekday, DAY};
pub use spec::{CalendarSpec, Holiday};

/// A validated business calendar, ready for arithmetic. Build one with [`Calendar::new`]
/// from a [`CalendarSpec`]; it serialises back to that spec.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "CalendarSpec", into = "CalendarSpec")]
pub struct Calendar {
    spec: CalendarSpec,
    tz: Tz,
    /// Monday = 0; spans in seconds after local midnight, sorted, disjoint, not touching.
    week: [Vec<(u32, u32)>; 7],
    /// Wall-time seconds open in a plain week.
    week_total: i64,
    dated: BTreeSet<NaiveDate>,
    /// Bit `d` of `yearly[m]` is set when `m`-`d` is a yearly holiday.
    yearly: [u32; 13],
    working: BTreeMap<NaiveDate, Vec<(u32, u32)>>,
    horizon_days: u32,
}

impl Calendar {
    /// Validates `spec`: the time zone, every interval (format, order, overlap), every
    /// holiday and working day. Errors name the field, e.g. `hours.mon[1]`.
    pub fn new(spec: CalendarSpec) -> Result<Calendar> {
        let tz = Tz::from_str(spec.timezone.trim()).map_err(|_| {
            Error::validation(
                "timezone",
                format!(
                    "`{}` is not an IANA time zone name (like Europe/Madrid or UTC)",
                    spec.timezone
                ),
            )
        })?;
        if !spec.holiday_sets.is_empty() {
            return Err(Error::validation(
                "holiday_sets",
                "named holiday sets are resolved by the desk configuration (sla.holiday_sets); \
                 list the dates in `holidays` for a calendar of its own",
            ));
        }
        let mut week: [Vec<(u32, u32)>; 7] = Default::default();
        let mut seen = [false; 7];
        for (name, intervals) in &spec.hours {
            let field = format!("hours.{name}");
            let d = weekday(&field, name)?;
            if seen[d] {
                return Err(Error::validation(field, "this weekday is given twice"));
            }
            seen[d] = true;
            week[d] = day_spans(&field, intervals)?;
        }
        let mut dated = BTreeSet::new();
        let mut yearly = [0u32; 13];
        for (i, text) in spec.holidays.iter().enumerate() {
            match Holiday::parse(&format!("holidays[{i}]"), text)? {
                Holiday::Date(d) => {
                    dated.insert(d);
                }
                Holiday::Yearly { month, day } => yearly[month as usize] |= 1 << day,
            }
        }
        let mut working = BTreeMap::new();
        for (date, intervals) in &spec.working_days {
            let field = format!("working_days.{date}");
            let d = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
                Error::validation(&field, format!("`{date}` is not a date: use YYYY-MM-DD"))
            })?;
            working.insert(d, day_spans(&field, intervals)?);
        }
        if !(1..=36_600).contains(&spec.horizon_days) {
            return Err(Error::validation(
                "horizon_days",
                "must be 1 … 36,600 (a century)",
            ));
        }
        let week_total = week.iter().flatten().map(|(s, e)| i64::from(e - s)).sum();
        Ok(Calendar {
            tz,
            week,
            week_total,
            dated,
            yearly,
            working,
            horizon_days: spec.horizon_days,
            spec,
        })
    }

    /// Adds holidays (for instance from [`holidays_from_ics`], or a regional set on top of a
    /// national one). Holiday sets combine by union.
    pub fn with_holidays(mut self, holidays: impl IntoIterator<Item = Holiday>) -> Calendar {
        for h in holidays {
            match h {
                Holiday::Date(d) => {
                    self.dated.insert(d);
                }
                Holiday::Yearly { month, day } => self.yearly[month as usize] |= 1 << day,
            }
            let text = h.to_string();
            if !self.spec.holidays.contains(&text) {
                self.spec.holidays.push(text);
            }
        }
        self
    }

    /// The spec this calendar was built from (with any holidays added since).
    pub fn spec(&self) -> &CalendarSpec {
        &self.spec
    }

    /// The time zone.
    pub fn timezone(&self) -> Tz {
        self.tz
    }

    /// Whether `date` is a holiday (and not an exceptional working day).
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        !self.working.contains_key(&date) && self.holiday(date)
    }

    fn holiday(&self, date: NaiveDate) -> bool {
        self.dated.contains(&date) || self.yearly[date.month() as usize] & (1 << date.day()) != 0
    }

    /// The open intervals of a local date, in seconds after its midnight.
    fn spans(&self, date: NaiveDate) -> &[(u32, u32)] {
        if let Some(w) = self.working.get(&date) {
            return w;
        }
        if self.holiday(date) {
            return &[];
        }
        &self.week[date.weekday().num_days_from_monday() as usize]
    }

    /// Whether the 7 days from `date` are a plain week: no holiday, no exceptional day.
    fn plain_week(&self, date: NaiveDate) -> bool {
        let Some(end) = date.checked_add_signed(Duration::days(7)) else {
            return false;
        };
        self.dated.range(date..end).next().is_none()
            && self.working.range(date..end).next().is_none()
            && date
                .iter_days()
                .take(7)
                .all(|d| self.yearly[d.month() as usize] & (1 << d.day()) == 0)
    }

    /// Whether the calendar is open at `t` (never outside the supported years).
    pub fn is_open(&self, t: DateTime<Utc>) -> bool {
        if supported("t", t).is_err() {
            return false;
        }
        let date = self.local_date(t);
        [date.pred_opt(), Some(date)]
            .into_iter()
            .flatten()
            .any(|d| {
                let day = self.day(d);
                self.spans(d)
                    .iter()
                    .any(|&(s, e)| day.at(s) <= t && t < day.at(e))
            })
    }

    /// The earliest instant at or after `t` at which the calendar is open.
    pub fn next_open(&self, t: DateTime<Utc>) -> Result<DateTime<Utc>> {
        supported("t", t)?;
        self.add_business_time(t, Duration::zero())
    }

    /// The end of the open period that contains `t`, or of the next one when closed at
    /// `t`. Periods that meet (an interval ending at 24:00 and the next day's starting at
    /// 00:00) are one period.
    pub fn next_close(&self, t: DateTime<Utc>) -> Result<DateTime<Utc>> {
        supported("t", t)?;
        let mut at = self.next_open(t)?;
        loop {
            let end = walk::period_end(self, at)?;
            match self.next_open(end)? {
                next if next == end => at = end,
                _ => return Ok(end),
            }
        }
    }

    /// The earliest instant at which `duration` of open time has elapsed, counting from
    /// `start` (see the module documentation for the edge cases). A negative duration is a
    /// `Validation` error on `duration`.
    pub fn add_business_time(
        &self,
        start: DateTime<Utc>,
        duration: Duration,
    ) -> Result<DateTime<Utc>> {
        if duration < Duration::zero() {
            return Err(Error::validation("duration", "must not be negative"));
        }
        walk::add(self, supported("start", start)?, duration)
    }

    /// Open time in `[a, b)`; negative when `b` is before `a`. Instants outside the
    /// supported years count as the nearest supported one.
    pub fn business_time_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Duration {
        let (first, last) = range();
        let (a, b) = (a.clamp(first, last), b.clamp(first, last));
        if b < a {
            -walk::between(self, b, a)
        } else {
            walk::between(self, a, b)
        }
    }

    fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.tz).date_naive()
    }

    fn day(&self, date: NaiveDate) -> walk::Day {
        walk::Day::new(self.tz, date)
    }

    fn horizon_error(&self, from: DateTime<Utc>) -> Error {
        Error::validation(
            "calendar.horizon_days",
            format!(
                "no open time within {} days after {from}: the calendar has no hours then",
                self.horizon_days
            ),
        )
    }
}

/// The instants calendars work on: the years 1 to 9999, less a margin for time zones and
/// week steps, so no date arithmetic leaves chrono's range.
fn range() -> (DateTime<Utc>, DateTime<Utc>) {
    let at = |y, m, d| {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|n| n.and_utc())
            .unwrap_or_default()
    };
    (at(1, 1, 8), at(9999, 12, 24))
}

fn supported(field: &str, t: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let (first, last) = range();
    if t < first || t > last {
        return Err(Error::validation(
            field,
            format!("{t} is outside the supported years 1 … 9999"),
        ));
    }
    Ok(t)
}

impl TryFrom<CalendarSpec> for Calendar {
    type Error = Error;
    fn try_from(spec: CalendarSpec) -> Result<Calendar> {
        Calendar::new(spec)
    }
}

impl From<Calendar> for CalendarSpec {
    fn from(c: Calendar) -> CalendarSpec {
        c.spec
    }
}

impl CalendarSpec {
    /// Validates into a [`Calendar`].
    pub fn build(self) -> Result<Calendar> {
        Calendar::new(self)
    }
}

/// Seconds in a day, as a `Duration`-friendly constant for the walkers.
const DAY_SECS: i64 = DAY as i64;
