//! Business calendars given bad input: no open time, bad specs, the ends of time. Errors
//! name the field; nothing panics or loops.

use chrono::{DateTime, Duration, TimeZone, Utc};
use foliodesk_core::calendar::{Calendar, CalendarSpec};
use foliodesk_core::ErrorKind;

mod common;
use common::calendar::{iv, madrid};

#[test]
fn no_open_time_is_an_error_not_a_loop() {
    let spec = CalendarSpec {
        timezone: "UTC".into(),
        horizon_days: 400,
        ..Default::default()
    };
    let cal = Calendar::new(spec).unwrap();
    let t = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let e = cal.add_business_time(t, Duration::hours(1)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert!(e.to_string().contains("calendar.horizon_days"), "{e}");
    assert!(cal.next_open(t).is_err() && cal.next_close(t).is_err());
    assert_eq!(
        cal.business_time_between(t, t + Duration::days(3000)),
        Duration::zero()
    );
    // Open once, beyond the horizon: still an error.
    let mut spec = CalendarSpec {
        timezone: "UTC".into(),
        horizon_days: 30,
        ..Default::default()
    };
    spec.working_days
        .insert("2026-03-01".into(), vec![iv("09:00", "10:00")]);
    let cal = Calendar::new(spec).unwrap();
    assert!(cal.next_open(t).is_err());
    let after = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap();
    assert_eq!(
        cal.next_open(after).unwrap_err().kind(),
        ErrorKind::Validation
    );
    assert_eq!(
        cal.next_open(Utc.with_ymd_and_hms(2026, 2, 20, 0, 0, 0).unwrap())
            .unwrap(),
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
    );
    let neg = Calendar::new(madrid())
        .unwrap()
        .add_business_time(t, Duration::seconds(-1));
    assert!(neg.unwrap_err().to_string().contains("duration"));
}

#[test]
fn bad_specs_name_the_field() {
    type Change = Box<dyn Fn(&mut CalendarSpec)>;
    let cases: Vec<(Change, &str)> = vec![
        (Box::new(|s| s.timezone = "Mars/Olympus".into()), "timezone"),
        (
            Box::new(|s| {
                s.hours.insert(
                    "mon".into(),
                    vec![iv("09:00", "14:00"), iv("13:00", "18:00")],
                );
            }),
            "hours.mon",
        ),
        (
            Box::new(|s| {
                s.hours.insert("tue".into(), vec![iv("18:00", "09:00")]);
            }),
            "hours.tue[0]",
        ),
        (
            Box::new(|s| {
                s.hours.insert("wed".into(), vec![iv("09:00", "09:00")]);
            }),
            "hours.wed[0]",
        ),
        (
            Box::new(|s| {
                s.hours.insert("thu".into(), vec![iv("9h", "10:00")]);
            }),
            "hours.thu[0]",
        ),
        (
            Box::new(|s| {
                s.hours.insert("fri".into(), vec![iv("09:00", "24:30")]);
            }),
            "hours.fri[0]",
        ),
        (
            Box::new(|s| {
                s.hours.insert("someday".into(), vec![]);
            }),
            "hours.someday",
        ),
        (
            Box::new(|s| s.holidays.push("2026-02-30".into())),
            "holidays[0]",
        ),
        (Box::new(|s| s.holidays.push("13-01".into())), "holidays[0]"),
        (
            Box::new(|s| {
                s.working_days.insert("tomorrow".into(), vec![]);
            }),
            "working_days.tomorrow",
        ),
        (Box::new(|s| s.horizon_days = 0), "horizon_days"),
    ];
    for (change, field) in cases {
        let mut spec = madrid();
        change(&mut spec);
        let e = Calendar::new(spec).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
        assert!(
            e.to_string().starts_with(&format!("invalid {field}:"))
                || e.to_string().contains(&format!("{field}:")),
            "{field}: {e}"
        );
    }
}

#[test]
fn serde_round_trips_through_the_spec_and_validates() {
    let toml_text = r#"
        timezone = "America/New_York"
        holidays = ["07-04"]
        [hours]
        mon = [["08:00", "12:00"], ["13:00", "17:00"]]
    "#;
    let cal: Calendar = toml::from_str(toml_text).unwrap();
    assert_eq!(cal.spec().hours["mon"].len(), 2);
    let json = serde_json::to_string(&cal).unwrap();
    let back: Calendar = serde_json::from_str(&json).unwrap();
    assert_eq!(back, cal);
    let bad = toml::from_str::<Calendar>("timezone = \"Nowhere\"");
    assert!(bad.unwrap_err().to_string().contains("timezone"));
}

#[test]
fn the_ends_of_time_are_errors_not_panics() {
    let cal = Calendar::new(madrid()).unwrap();
    let end = DateTime::<Utc>::MAX_UTC - Duration::days(3);
    let e = cal.add_business_time(end, Duration::days(30)).unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::Validation, Some("start"))
    );
    assert_eq!(cal.next_close(end).unwrap_err().field(), Some("t"));
    // The last supported week still computes.
    let late = Utc.with_ymd_and_hms(9999, 12, 1, 0, 0, 0).unwrap();
    assert!(cal.add_business_time(late, Duration::hours(8)).is_ok());
    let start = DateTime::<Utc>::MIN_UTC + Duration::days(3);
    // Near the start of time: an answer or a validation error, never a panic.
    let answered = |r: foliodesk_core::Result<()>| match r {
        Ok(()) => true,
        Err(e) => e.kind() == ErrorKind::Validation,
    };
    assert!(answered(
        cal.add_business_time(start, Duration::hours(1)).map(drop)
    ));
    assert!(cal.business_time_between(start, start + Duration::days(30)) >= Duration::zero());
    assert!(!cal.is_open(DateTime::<Utc>::MAX_UTC));
    assert_eq!(
        cal.business_time_between(
            DateTime::<Utc>::MAX_UTC - Duration::days(1),
            DateTime::<Utc>::MAX_UTC
        ),
        Duration::zero()
    );
    let mut spec = madrid();
    spec.horizon_days = 4_000_000;
    assert!(Calendar::new(spec)
        .unwrap_err()
        .to_string()
        .contains("horizon_days"));
}
