//! Report windows: local dates in a chosen time zone, cut into days, weeks (Monday first)
//! or months. A day is the zone's day, so its bounds move with daylight saving time; the
//! bounds are computed once per window and each instant is placed by binary search.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, TimeZone, Utc, Weekday};
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

/// A report window: local dates `[from, to)` in `time_zone`, cut `every` day, week or month.
/// `from` and `to` must fall on the start of a day, week (Monday) or month.
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

fn step(every: Every, d: NaiveDate, n: u32) -> Option<NaiveDate> {
    match every {
        Every::Day => d.checked_add_days(Days::new(n.into())),
        Every::Week => d.checked_add_days(Days::new(7 * u64::from(n))),
        Every::Month => d.checked_add_months(Months::new(n)),
    }
}

fn back(every: Every, d: NaiveDate, n: u32) -> Option<NaiveDate> {
    match every {
        Every::Day => d.checked_sub_days(Days::new(n.into())),
        Every::Week => d.checked_sub_days(Days::new(7 * u64::from(n))),
        Every::Month => d.checked_sub_months(Months::new(n)),
    }
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

    /// Refuses a window that is empty, too long or not aligned on its cut.
    pub fn validate(&self) -> Result<()> {
        self.tz()?;
        for (field, d) in [("window.from", self.from), ("window.to", self.to)] {
            let aligned = match self.every {
                Every::Day => true,
                Every::Week => d.weekday() == Weekday::Mon,
                Every::Month => d.day() == 1,
            };
            if !aligned {
                let what = match self.every {
                    Every::Week => "a Monday",
                    _ => "the first of a month",
                };
                return Err(Error::validation(field, format!("{d} is not {what}")));
            }
        }
        if self.to <= self.from {
            return Err(Error::validation("window.to", "must be after window.from"));
        }
        self.buckets().map(|_| ())
    }

    /// How many buckets the window has.
    pub fn len(&self) -> Result<u32> {
        let mut n = 0u32;
        let mut d = self.from;
        while d < self.to {
            n += 1;
            if n as usize > MAX_BUCKETS {
                return Err(Error::validation(
                    "window.to",
                    format!("more than {MAX_BUCKETS} buckets; cut the window coarser"),
                ));
            }
            d = step(self.every, self.from, n)
                .ok_or_else(|| Error::validation("window.to", "out of range"))?;
        }
        Ok(n)
    }

    /// Whether the window is empty (never, once validated).
    pub fn is_empty(&self) -> bool {
        self.to <= self.from
    }

    /// The same number of buckets just before this window.
    pub fn previous(&self) -> Result<Window> {
        let n = self.len()?;
        let from = back(self.every, self.from, n)
            .ok_or_else(|| Error::validation("window.from", "out of range"))?;
        Ok(Window {
            from,
            to: self.from,
            ..self.clone()
        })
    }

    /// The bounds of each bucket.
    pub fn buckets(&self) -> Result<Buckets> {
        let tz = self.tz()?;
        let n = self.len()?;
        let mut starts = Vec::with_capacity(n as usize);
        let mut bounds = Vec::with_capacity(n as usize + 1);
        for i in 0..n {
            let d = step(self.every, self.from, i)
                .ok_or_else(|| Error::validation("window.to", "out of range"))?;
            starts.push(d);
            bounds.push(day_start(tz, d).timestamp_micros());
        }
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
