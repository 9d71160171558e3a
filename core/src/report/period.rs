//! Report windows: local dates in a chosen time zone, cut into days, weeks (Monday first)
//! or months. A day is the zone's day, so its bounds move with daylight saving time; the
//! bounds are computed once per window and each instant is placed by binary search.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

crate::vocab::string_enum!(
    /// How a report window is cut into a series.
    Every, "every" {
        /// Local days.
        Day = "day",
        /// Weeks from Monday.
        Week = "week",
        /// Calendar months.
        Month = "month",
    }
);

/// A report window: local dates `[from, to)` in `time_zone`, cut `every` day, week (from
/// Monday) or month; the first and last buckets are cut short where the window is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Window {
    /// First local date in the window.
    pub from: NaiveDate,
    /// First local date after it.
    pub to: NaiveDate,
    /// IANA time zone the dates are in, e.g. `Europe/Madrid`.
    pub time_zone: String,
    /// How the series is cut.
    pub every: Every,
}

/// A window compiled: the UTC bounds of each of its buckets.
#[derive(Clone, Debug)]
pub struct Buckets {
    /// The local date each bucket starts on.
    pub starts: Vec<NaiveDate>,
    /// `starts.len() + 1` instants (microseconds): bucket `i` is `[bounds[i], bounds[i+1])`.
    pub bounds: Vec<i64>,
}

/// The first instant of local date `d` in `tz` (the earliest, when midnight is skipped or
/// repeated).
pub fn day_start(tz: Tz, d: NaiveDate) -> DateTime<Utc> {
    let mut t = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    // A zone may skip midnight (DST at 00:00); the day starts at the first valid minute.
    for _ in 0..(24 * 60) {
        if let Some(x) = tz.from_local_datetime(&t).earliest() {
            return x.with_timezone(&Utc);
        }
        t += chrono::Duration::minutes(1);
    }
    Utc.from_utc_datetime(&t)
}

/// The start of the local day `now` falls in, in the IANA zone `time_zone` (`field` names
/// it in the error).
pub fn today_start(field: &str, time_zone: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let tz: Tz = time_zone
        .parse()
        .map_err(|_| Error::validation(field, format!("`{time_zone}` is not an IANA time zone")))?;
    Ok(day_start(tz, now.with_timezone(&tz).date_naive()))
}

/// The first day of the day, week (Monday) or month after the one `d` falls in.
fn next_start(every: Every, d: NaiveDate) -> Option<NaiveDate> {
    match every {
        Every::Day => d.checked_add_days(Days::new(1)),
        Every::Week => {
            let back = u64::from(d.weekday().num_days_from_monday());
            d.checked_sub_days(Days::new(back))?
                .checked_add_days(Days::new(7))
        }
        Every::Month => d.with_day(1)?.checked_add_months(Months::new(1)),
    }
}

fn first_of_month(d: NaiveDate) -> bool {
    d.day() == 1
}

/// Most buckets one report may have (ten years of days).
pub const MAX_BUCKETS: usize = 3660;

impl Window {
    /// The zone, parsed.
    pub fn tz(&self) -> Result<Tz> {
        self.time_zone.parse::<Tz>().map_err(|_| {
            Error::validation(
                "window.time_zone",
                format!("`{}` is not an IANA time zone", self.time_zone),
            )
        })
    }

    /// Refuses a window that is empty or has too many buckets.
    pub fn validate(&self) -> Result<()> {
        self.tz()?;
        if self.to <= self.from {
            return Err(Error::validation(
                "window.to",
                format!("{} is not after window.from ({})", self.to, self.from),
            ));
        }
        self.starts().map(|_| ())
    }

    /// The local date each bucket starts on: `from`, then each day, Monday or first of a
    /// month after it before `to` (the first and last buckets may be cut short).
    fn starts(&self) -> Result<Vec<NaiveDate>> {
        let mut out = Vec::new();
        let mut d = self.from;
        while d < self.to {
            if out.len() == MAX_BUCKETS {
                return Err(Error::validation(
                    "window.to",
                    format!("more than {MAX_BUCKETS} buckets; cut the window coarser"),
                ));
            }
            out.push(d);
            d = next_start(self.every, d)
                .ok_or_else(|| Error::validation("window.to", "out of range"))?;
        }
        Ok(out)
    }

    /// How many buckets the window has.
    pub fn len(&self) -> Result<u32> {
        Ok(self.starts()?.len() as u32)
    }

    /// Whether the window is empty (never, once validated).
    pub fn is_empty(&self) -> bool {
        self.to <= self.from
    }

    /// The window just before this one: as many whole months when both ends are the first
    /// of a month (March after February), else as many days.
    pub fn previous(&self) -> Result<Window> {
        let out = || Error::validation("window.from", "out of range");
        let from = if first_of_month(self.from) && first_of_month(self.to) {
            let months = (self.to.year() - self.from.year()) * 12 + self.to.month() as i32
                - self.from.month() as i32;
            self.from
                .checked_sub_months(Months::new(months.max(1) as u32))
                .ok_or_else(out)?
        } else {
            let days = (self.to - self.from).num_days().max(1) as u64;
            self.from
                .checked_sub_days(Days::new(days))
                .ok_or_else(out)?
        };
        Ok(Window {
            from,
            to: self.from,
            ..self.clone()
        })
    }

    /// The bounds of each bucket.
    pub fn buckets(&self) -> Result<Buckets> {
        let tz = self.tz()?;
        let starts = self.starts()?;
        let mut bounds: Vec<i64> = (starts.iter())
            .map(|d| day_start(tz, *d).timestamp_micros())
            .collect();
        bounds.push(day_start(tz, self.to).timestamp_micros());
        Ok(Buckets { starts, bounds })
    }
}

impl Buckets {
    /// The bucket `t` (microseconds) falls in, if any.
    pub fn index(&self, t: i64) -> Option<usize> {
        let i = self.bounds.partition_point(|b| *b <= t);
        (i >= 1 && i < self.bounds.len()).then(|| i - 1)
    }

    /// The window's first instant.
    pub fn start(&self) -> i64 {
        self.bounds[0]
    }

    /// The first instant after it.
    pub fn end(&self) -> i64 {
        self.bounds[self.bounds.len() - 1]
    }
}
