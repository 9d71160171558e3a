//! Business calendars: the documented semantics, case by case; properties over random
//! calendars. Bad input is in `calendar_input.rs`; the differential test against Perl's Business::Hours is in
//! `calendar_oracle.rs`.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use foliodesk_core::calendar::{holidays_from_ics, Calendar, CalendarSpec, Holiday};
use foliodesk_core::ErrorKind;
use proptest::prelude::*;

mod common;
use common::calendar::{iv, local, mad, madrid};

#[test]
fn adding_walks_intervals_breaks_weekends_and_holidays() {
    let cal = Calendar::new(madrid())
        .unwrap()
        .with_holidays([Holiday::Date(NaiveDate::from_ymd_opt(2026, 3, 19).unwrap())]);
    let h = Duration::hours;
    // Inside the morning interval.
    assert_eq!(
        cal.add_business_time(mad(2026, 3, 16, 10, 0), h(2))
            .unwrap(),
        mad(2026, 3, 16, 12, 0)
    );
    // Across the lunch break.
    assert_eq!(
        cal.add_business_time(mad(2026, 3, 16, 13, 0), h(2))
            .unwrap(),
        mad(2026, 3, 16, 16, 0)
    );
    // Ends exactly at closing time: that closing time.
    assert_eq!(
        cal.add_business_time(mad(2026, 3, 16, 17, 0), h(1))
            .unwrap(),
        mad(2026, 3, 16, 18, 0)
    );
    // Friday evening + 1 h → Monday 10:00.
    assert_eq!(
        cal.add_business_time(mad(2026, 3, 13, 17, 30), h(1))
            .unwrap(),
        mad(2026, 3, 16, 9, 30)
    );
    // Over the Thursday holiday.
    assert_eq!(
        cal.add_business_time(mad(2026, 3, 18, 17, 0), h(4))
            .unwrap(),
        mad(2026, 3, 20, 12, 0)
    );
    // Start while closed: counting begins at the next opening.
    assert_eq!(
        cal.add_business_time(mad(2026, 3, 14, 3, 0), h(1)).unwrap(),
        mad(2026, 3, 16, 10, 0)
    );
    // Zero: start itself when open, else the next opening.
    assert_eq!(
        cal.add_business_time(mad(2026, 3, 16, 10, 0), h(0))
            .unwrap(),
        mad(2026, 3, 16, 10, 0)
    );
    assert_eq!(
        cal.add_business_time(mad(2026, 3, 16, 14, 30), h(0))
            .unwrap(),
        mad(2026, 3, 16, 15, 0)
    );
    assert_eq!(
        cal.add_business_time(mad(2026, 3, 16, 18, 0), h(0))
            .unwrap(),
        mad(2026, 3, 17, 9, 0)
    );
    // Weeks: 8 h a day, 40 h a week; 5 business days from Monday 09:00 is next Monday 09:00
    // less nothing — it ends at Friday 18:00 (the closing time), minus the holiday: the
    // following Monday 18:00.
    assert_eq!(
        cal.add_business_time(mad(2026, 3, 16, 9, 0), h(40))
            .unwrap(),
        mad(2026, 3, 23, 18, 0)
    );
    assert_eq!(
        cal.add_business_time(mad(2026, 4, 6, 9, 0), h(40)).unwrap(),
        mad(2026, 4, 10, 18, 0)
    );
}

#[test]
fn between_counts_open_time_and_is_antisymmetric() {
    let cal = Calendar::new(madrid()).unwrap();
    let (a, b) = (mad(2026, 3, 13, 12, 0), mad(2026, 3, 16, 10, 0));
    // Friday 12–14 (2 h) + 15–18 (3 h) + Monday 9–10 (1 h).
    assert_eq!(cal.business_time_between(a, b), Duration::hours(6));
    assert_eq!(cal.business_time_between(b, a), Duration::hours(-6));
    assert_eq!(cal.business_time_between(a, a), Duration::zero());
    // Ten plain weeks: 400 h, computed a week at a time.
    let (c, d) = (mad(2026, 4, 6, 0, 0), mad(2026, 6, 15, 0, 0));
    assert_eq!(cal.business_time_between(c, d), Duration::hours(400));
}

#[test]
fn open_and_close_queries() {
    let cal = Calendar::new(madrid()).unwrap();
    assert!(cal.is_open(mad(2026, 3, 16, 9, 0)));
    assert!(
        !cal.is_open(mad(2026, 3, 16, 14, 0)),
        "the end of an interval is closed"
    );
    assert!(!cal.is_open(mad(2026, 3, 14, 10, 0)), "Saturday");
    assert_eq!(
        cal.next_open(mad(2026, 3, 16, 14, 0)).unwrap(),
        mad(2026, 3, 16, 15, 0)
    );
    assert_eq!(
        cal.next_close(mad(2026, 3, 16, 10, 0)).unwrap(),
        mad(2026, 3, 16, 14, 0)
    );
    assert_eq!(
        cal.next_close(mad(2026, 3, 16, 14, 30)).unwrap(),
        mad(2026, 3, 16, 18, 0)
    );
    // Round the clock: one period from Monday 00:00 to Saturday 00:00.
    let mut spec = CalendarSpec {
        timezone: "UTC".into(),
        horizon_days: 30,
        ..Default::default()
    };
    for d in ["mon", "tue", "wed", "thu", "fri"] {
        spec.hours.insert(d.into(), vec![iv("00:00", "24:00")]);
    }
    let cal = Calendar::new(spec).unwrap();
    let mon = Utc.with_ymd_and_hms(2026, 3, 16, 5, 0, 0).unwrap();
    assert_eq!(
        cal.next_close(mon).unwrap(),
        Utc.with_ymd_and_hms(2026, 3, 21, 0, 0, 0).unwrap()
    );
}

#[test]
fn daylight_saving_days_count_in_wall_time() {
    // Madrid springs forward on Sunday 29 March 2026 (02:00 → 03:00) and falls back on
    // Sunday 25 October (03:00 → 02:00).
    let mut spec = madrid();
    spec.hours.insert("sun".into(), vec![iv("09:00", "18:00")]);
    let cal = Calendar::new(spec).unwrap();
    for day in [29, 22] {
        let (a, b) = (mad(2026, 3, day, 0, 0), mad(2026, 3, day + 1, 0, 0));
        assert_eq!(
            cal.business_time_between(a, b),
            Duration::hours(9),
            "9 h on 2026-03-{day}"
        );
    }
    // 17:00 Saturday + 2 h lands at 11:00 Sunday local, whatever the offset.
    assert_eq!(
        cal.add_business_time(mad(2026, 3, 29, 8, 0), Duration::hours(2))
            .unwrap(),
        mad(2026, 3, 29, 11, 0)
    );
    // A round-the-clock calendar has 23 h and 25 h days.
    let mut spec = CalendarSpec {
        timezone: "Europe/Madrid".into(),
        horizon_days: 30,
        ..Default::default()
    };
    spec.hours.insert("sun".into(), vec![iv("00:00", "24:00")]);
    let cal = Calendar::new(spec).unwrap();
    let tz = chrono_tz::Europe::Madrid;
    let day = |m, d| {
        cal.business_time_between(local(tz, 2026, m, d, 0, 0), local(tz, 2026, m, d + 1, 0, 0))
    };
    assert_eq!(day(3, 29), Duration::hours(23));
    assert_eq!(day(10, 25), Duration::hours(25));
}

#[test]
fn nonexistent_and_repeated_wall_times_follow_the_documented_rules() {
    // An interval starting at 02:30 on the spring-forward day starts at 03:30 (moved later
    // by the hour that does not exist); one starting at 02:30 on the fall-back day starts
    // at the first 02:30.
    let mut spec = CalendarSpec {
        timezone: "Europe/Madrid".into(),
        horizon_days: 30,
        ..Default::default()
    };
    spec.hours.insert("sun".into(), vec![iv("02:30", "04:00")]);
    let cal = Calendar::new(spec).unwrap();
    let spring = cal
        .next_open(Utc.with_ymd_and_hms(2026, 3, 28, 12, 0, 0).unwrap())
        .unwrap();
    assert_eq!(spring, Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap()); // 03:30 CEST
    let d = cal.business_time_between(spring, spring + Duration::hours(3));
    assert_eq!(d, Duration::minutes(30), "03:30–04:00 CEST");
    let autumn = cal
        .next_open(Utc.with_ymd_and_hms(2026, 10, 24, 12, 0, 0).unwrap())
        .unwrap();
    assert_eq!(
        autumn,
        Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap()
    ); // 02:30 CEST
    let d = cal.business_time_between(autumn, autumn + Duration::hours(5));
    assert_eq!(
        d,
        Duration::minutes(150),
        "02:30 CEST – 04:00 CET is 2 h 30 min"
    );
}

#[test]
fn exceptional_working_days_and_yearly_holidays() {
    let mut spec = madrid();
    spec.holidays = vec!["12-25".into(), "2026-12-08".into()];
    spec.working_days
        .insert("2026-12-19".into(), vec![iv("10:00", "13:00")]); // a Saturday
    let cal = Calendar::new(spec).unwrap();
    assert!(cal.is_holiday(NaiveDate::from_ymd_opt(2027, 12, 25).unwrap()));
    assert!(!cal.is_open(mad(2026, 12, 8, 10, 0)));
    assert!(cal.is_open(mad(2026, 12, 19, 11, 0)));
    assert_eq!(
        cal.add_business_time(mad(2026, 12, 18, 17, 0), Duration::hours(2))
            .unwrap(),
        mad(2026, 12, 19, 11, 0)
    );
    // Thursday 24 December 17:00 + 2 h: Friday the 25th is closed → Monday 28th 10:00.
    assert_eq!(
        cal.add_business_time(mad(2026, 12, 24, 17, 0), Duration::hours(2))
            .unwrap(),
        mad(2026, 12, 28, 10, 0)
    );
}

const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Foliodesk//test//EN\r\n\
BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260101\r\nSUMMARY:Año Nuevo\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:b\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260402\r\nDTEND;VALUE=DATE:20260404\r\nSUMMARY:Semana Santa\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

#[test]
fn holidays_import_from_ics() {
    let days = holidays_from_ics(ICS).unwrap();
    let date = |m, d| Holiday::Date(NaiveDate::from_ymd_opt(2026, m, d).unwrap());
    assert_eq!(
        days,
        vec![date(4, 2), date(4, 3), Holiday::Yearly { month: 1, day: 1 }]
    );
    let cal = Calendar::new(madrid()).unwrap().with_holidays(days);
    assert!(cal.is_holiday(NaiveDate::from_ymd_opt(2031, 1, 1).unwrap()));
    assert!(!cal.is_open(mad(2026, 4, 3, 10, 0)));
    for bad in [
        "hello",
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260101T090000Z\r\nSUMMARY:meeting\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260105\r\nDTEND;VALUE=DATE:20260101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    ] {
        let e = holidays_from_ics(bad).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert!(e.to_string().contains("ics"), "{e}");
    }
}

// ---- properties --------------------------------------------------------------------------

const ZONES: [&str; 6] = [
    "Europe/Madrid",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Pacific/Auckland",
    "UTC",
];

prop_compose! {
    fn calendar()(
        zone in 0..ZONES.len(),
        days in prop::collection::vec(prop::option::of((0u32..20, 1u32..8, prop::option::of((0u32..3, 1u32..3)))), 7),
        holidays in prop::collection::vec((2026i32..2028, 1u32..13, 1u32..29), 0..6),
    ) -> Calendar {
        let mut spec = CalendarSpec { timezone: ZONES[zone].into(), horizon_days: 3650, ..Default::default() };
        let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        for (i, d) in days.into_iter().enumerate() {
            let Some((start, len, brk)) = d else { continue };
            let end = (start + len).min(24);
            let hm = |h: u32| format!("{h:02}:00");
            let mut ivs = vec![];
            match brk {
                Some((off, blen)) if start + off + blen < end && off > 0 => {
                    ivs.push((hm(start), hm(start + off)));
                    ivs.push((hm(start + off + blen), hm(end)));
                }
                _ => ivs.push((hm(start), hm(end))),
            }
            spec.hours.insert(names[i].into(), ivs);
        }
        spec.holidays = holidays.into_iter().map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")).collect();
        Calendar::new(spec).unwrap()
    }
}

fn instant(secs: i64) -> DateTime<Utc> {
    // 2026-01-01 .. 2027-12-31
    DateTime::from_timestamp(1_767_225_600 + secs, 0).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn adding_then_measuring_gives_the_duration_back(cal in calendar(), s in 0i64..60_000_000, d in 0i64..3_000_000) {
        let start = instant(s);
        let d = Duration::seconds(d);
        match cal.add_business_time(start, d) {
            Ok(end) => {
                prop_assert!(end >= start);
                prop_assert_eq!(cal.business_time_between(start, end), d);
                // Earliest: one second less of open time is not enough.
                if d > Duration::zero() {
                    prop_assert!(cal.business_time_between(start, end - Duration::seconds(1)) < d);
                }
            }
            Err(e) => prop_assert_eq!(e.kind(), ErrorKind::Validation),
        }
    }

    #[test]
    fn between_is_additive_and_antisymmetric(cal in calendar(), a in 0i64..60_000_000, b in 0i64..60_000_000, c in 0i64..60_000_000) {
        let (a, b, c) = (instant(a), instant(b), instant(c));
        prop_assert_eq!(cal.business_time_between(a, b) + cal.business_time_between(b, c), cal.business_time_between(a, c));
        prop_assert_eq!(cal.business_time_between(a, b), -cal.business_time_between(b, a));
        prop_assert!(cal.business_time_between(a, b).num_seconds().abs() <= (b - a).num_seconds().abs());
    }

    #[test]
    fn addition_composes(cal in calendar(), s in 0i64..60_000_000, d1 in 0i64..1_000_000, d2 in 1i64..1_000_000) {
        let start = instant(s);
        let (d1, d2) = (Duration::seconds(d1), Duration::seconds(d2));
        if let (Ok(mid), Ok(end)) = (cal.add_business_time(start, d1), cal.add_business_time(start, d1 + d2)) {
            prop_assert_eq!(cal.add_business_time(mid, d2).unwrap(), end);
        }
    }

    #[test]
    fn open_and_close_agree_with_between(cal in calendar(), s in 0i64..60_000_000) {
        let t = instant(s);
        if let (Ok(open), Ok(close)) = (cal.next_open(t), cal.next_close(t)) {
            prop_assert!(open >= t && close > open);
            prop_assert!(cal.is_open(open));
            prop_assert!(!cal.is_open(close));
            prop_assert_eq!(cal.business_time_between(open, close), close - open);
            prop_assert_eq!(cal.business_time_between(t, open), Duration::zero());
            prop_assert_eq!(cal.is_open(t), open == t);
        }
    }
}
