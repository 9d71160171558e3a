//! Holidays from an iCalendar (.ics) file, as companies and governments publish them.

use chrono::{Datelike, Duration, NaiveDate};
use icalendar::{Component, DatePerhapsTime};

use super::Holiday;
use crate::error::{Error, Result};

/// The holidays an iCalendar file lists: every all-day `VEVENT` gives its dates (`DTSTART`
/// up to the exclusive `DTEND`; one day without it), and an `RRULE:FREQ=YEARLY` event
/// gives a yearly holiday. Events with a time of day are refused: a holiday closes whole
/// days.
///
/// ```
/// let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n\
///            BEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20261208\r\nSUMMARY:Inmaculada\r\nEND:VEVENT\r\n\
///            END:VCALENDAR\r\n";
/// let days = foliodesk_core::calendar::holidays_from_ics(ics).unwrap();
/// assert_eq!(days.len(), 1);
/// ```
pub fn holidays_from_ics(text: &str) -> Result<Vec<Holiday>> {
    let bad = |why: String| Error::validation("ics", why);
    if !text.trim_start().starts_with("BEGIN:VCALENDAR") {
        return Err(bad(
            "not an iCalendar file: it must start with BEGIN:VCALENDAR".into(),
        ));
    }
    let calendar: icalendar::Calendar = text
        .parse()
        .map_err(|e: String| bad(format!("cannot parse: {}", e.trim())))?;
    let mut out = Vec::new();
    for (i, event) in calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .enumerate()
    {
        let name = event
            .get_summary()
            .map_or_else(|| format!("event {}", i + 1), |s| format!("`{s}`"));
        let start = match event.get_start() {
            Some(DatePerhapsTime::Date(d)) => d,
            Some(_) => {
                return Err(bad(format!(
                    "{name} has a time of day; holidays must be all-day events (DTSTART;VALUE=DATE)"
                )))
            }
            None => return Err(bad(format!("{name} has no DTSTART"))),
        };
        let end = match event.get_end() {
            Some(DatePerhapsTime::Date(d)) if d > start => d,
            Some(DatePerhapsTime::Date(_)) => {
                return Err(bad(format!("{name} ends before it starts")))
            }
            Some(_) => return Err(bad(format!("{name} has an end with a time of day"))),
            None => start + Duration::days(1),
        };
        let yearly = event
            .property_value("RRULE")
            .is_some_and(|r| r.to_ascii_uppercase().contains("FREQ=YEARLY"));
        if end - start > Duration::days(366) {
            return Err(bad(format!("{name} lasts more than a year")));
        }
        let mut day: NaiveDate = start;
        while day < end {
            out.push(if yearly {
                Holiday::Yearly {
                    month: day.month(),
                    day: day.day(),
                }
            } else {
                Holiday::Date(day)
            });
            day += Duration::days(1);
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}
