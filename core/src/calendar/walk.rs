//! The walkers: from local dates and wall-clock seconds to instants, a day (or a plain week)
//! at a time.

use chrono::offset::LocalResult;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use super::{Calendar, DAY_SECS};
use crate::error::Result;

/// One local date, ready to turn wall-clock seconds into instants.
pub(super) struct Day {
    tz: Tz,
    midnight: NaiveDateTime,
    /// The UTC offset in seconds when it is the same all day (no transition): the fast
    /// path, plain arithmetic.
    fixed: Option<i64>,
}

impl Day {
    pub(super) fn new(tz: Tz, date: NaiveDate) -> Day {
        let midnight = date.and_time(NaiveTime::MIN);
        let offset = |n: NaiveDateTime| match tz.offset_from_local_datetime(&n) {
            LocalResult::Single(o) => Some(i64::from(o.fix().local_minus_utc())),
            _ => None,
        };
        let fixed = match (
            offset(midnight),
            midnight
                .checked_add_signed(Duration::seconds(DAY_SECS))
                .and_then(offset),
        ) {
            (Some(a), Some(b)) if a == b => Some(a),
            _ => None,
        };
        Day {
            tz,
            midnight,
            fixed,
        }
    }

    /// The instant that `secs` after local midnight names (0 ..= 86,400).
    pub(super) fn at(&self, secs: u32) -> DateTime<Utc> {
        // Past the last representable date, instants saturate: the walkers stop there.
        let Some(naive) = self
            .midnight
            .checked_add_signed(Duration::seconds(i64::from(secs)))
        else {
            return DateTime::<Utc>::MAX_UTC;
        };
        match self.fixed {
            Some(off) => utc(naive, off),
            None => resolve(self.tz, naive),
        }
    }
}

/// The instant of wall time `naive` at UTC offset `off` seconds, saturating at the ends of
/// the representable range.
fn utc(naive: NaiveDateTime, off: i64) -> DateTime<Utc> {
    match naive.checked_sub_signed(Duration::seconds(off)) {
        Some(n) => Utc.from_utc_datetime(&n),
        None if off > 0 => DateTime::<Utc>::MIN_UTC,
        None => DateTime::<Utc>::MAX_UTC,
    }
}

/// Wall time → instant: a time in a gap moves later by the gap's length (it is read with
/// the offset in force before the gap); a repeated time is the earlier instant.
fn resolve(tz: Tz, naive: NaiveDateTime) -> DateTime<Utc> {
    let with = |off: i64| utc(naive, off);
    match tz.offset_from_local_datetime(&naive) {
        LocalResult::Single(o) => with(i64::from(o.fix().local_minus_utc())),
        LocalResult::Ambiguous(a, b) => with(i64::from(a.fix().local_minus_utc()))
            .min(with(i64::from(b.fix().local_minus_utc()))),
        LocalResult::None => {
            let day_before = naive.checked_sub_signed(Duration::days(1)).unwrap_or(naive);
            let before = tz.offset_from_utc_datetime(&day_before);
            with(i64::from(before.fix().local_minus_utc()))
        }
    }
}

/// Whether a week from `date` can be skipped whole: a plain week whose UTC offset is the
/// same at both ends (no transition inside, so wall time is real time).
fn skippable_week(cal: &Calendar, date: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    if !cal.plain_week(date) {
        return None;
    }
    let next = date.checked_add_signed(Duration::days(7))?;
    let (first, next) = (Day::new(cal.tz, date), Day::new(cal.tz, next));
    match (first.fixed, next.fixed) {
        (Some(a), Some(b)) if a == b => Some((first.at(0), next.at(0))),
        _ => None,
    }
}

pub(super) fn add(
    cal: &Calendar,
    start: DateTime<Utc>,
    duration: Duration,
) -> Result<DateTime<Utc>> {
    let week = Duration::seconds(cal.week_total);
    let mut remaining = duration;
    let first = cal.local_date(start);
    let last = first
        .checked_add_signed(Duration::days(i64::from(cal.horizon_days)))
        .unwrap_or(NaiveDate::MAX);
    // The previous date too: its last interval may end after `start`'s local midnight when
    // that midnight falls in a gap.
    let mut date = first.pred_opt().unwrap_or(first);
    while date <= last {
        if cal.week_total > 0 && remaining > week {
            if let Some((from, _)) = skippable_week(cal, date).filter(|(f, _)| *f >= start) {
                debug_assert!(from >= start);
                remaining -= week;
                date += Duration::days(7);
                continue;
            }
        }
        let spans = cal.spans(date);
        if !spans.is_empty() {
            let day = Day::new(cal.tz, date);
            for &(s, e) in spans {
                let end = day.at(e);
                if end <= start {
                    continue;
                }
                let from = day.at(s).max(start);
                let open = end - from;
                if remaining <= open {
                    return from
                        .checked_add_signed(remaining)
                        .filter(|t| *t < DateTime::<Utc>::MAX_UTC)
                        .ok_or_else(|| cal.horizon_error(start));
                }
                remaining -= open;
            }
        }
        date = date.succ_opt().ok_or_else(|| cal.horizon_error(start))?;
    }
    Err(cal.horizon_error(start))
}

/// Open time in `[a, b)`, `a <= b`.
pub(super) fn between(cal: &Calendar, a: DateTime<Utc>, b: DateTime<Utc>) -> Duration {
    let week = Duration::seconds(cal.week_total);
    let mut total = Duration::zero();
    let first = cal.local_date(a);
    let mut date = first.pred_opt().unwrap_or(first);
    let last = cal.local_date(b);
    while date <= last {
        if b - a > Duration::days(7) {
            let inside = skippable_week(cal, date).is_some_and(|(f, n)| f >= a && n <= b);
            if inside {
                total += week;
                date += Duration::days(7);
                continue;
            }
        }
        let spans = cal.spans(date);
        if !spans.is_empty() {
            let day = Day::new(cal.tz, date);
            for &(s, e) in spans {
                let (from, to) = (day.at(s).max(a), day.at(e).min(b));
                if to > from {
                    total += to - from;
                }
            }
        }
        match date.succ_opt() {
            Some(next) => date = next,
            None => break,
        }
    }
    total
}

/// The end of the interval that contains `at` (which is open).
pub(super) fn period_end(cal: &Calendar, at: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let date = cal.local_date(at);
    for d in [date.pred_opt(), Some(date)].into_iter().flatten() {
        let day = Day::new(cal.tz, d);
        for &(s, e) in cal.spans(d) {
            let end = day.at(e);
            if day.at(s) <= at && at < end {
                return Ok(end);
            }
        }
    }
    Err(cal.horizon_error(at))
}
