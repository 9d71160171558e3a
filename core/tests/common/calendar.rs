//! Calendar fixtures: a Madrid office week and local-time instants.

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use foliodesk_core::calendar::CalendarSpec;

pub fn iv(a: &str, b: &str) -> (String, String) {
    (a.into(), b.into())
}

/// Madrid, Monday to Friday 09:00–14:00 and 15:00–18:00.
pub fn madrid() -> CalendarSpec {
    let mut spec = CalendarSpec {
        timezone: "Europe/Madrid".into(),
        horizon_days: 1830,
        ..Default::default()
    };
    for d in ["mon", "tue", "wed", "thu", "fri"] {
        spec.hours
            .insert(d.into(), vec![iv("09:00", "14:00"), iv("15:00", "18:00")]);
    }
    spec
}

pub fn local(tz: Tz, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    tz.with_ymd_and_hms(y, m, d, h, min, 0)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

pub fn mad(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    local(chrono_tz::Europe::Madrid, y, m, d, h, min)
}
