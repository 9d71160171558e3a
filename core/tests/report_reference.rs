//! The report fold against a brute-force reference on random facts: windows in zones with
//! odd offsets and daylight saving, cut by day, week and month. The reference places each
//! ticket by converting its instant to a local date (no precomputed bounds) and computes
//! every figure from scratch.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use foliodesk_core::report::{
    Every, Fact, ReportFold, ReportRequest, TargetFact, TargetOutcome, Window,
};
use foliodesk_core::sla::Target;
use foliodesk_core::{Channel, Status, SupportLevel, TicketKind};
use proptest::prelude::*;

const ZONES: [&str; 5] = [
    "Europe/Madrid",
    "America/New_York",
    "Asia/Kolkata",
    "UTC",
    "Australia/Lord_Howe",
];
const BASE: i64 = 1_772_323_200_000_000; // 2026-03-01T00:00:00Z
const HOUR: i64 = 3_600_000_000;

fn fact(i: usize, spec: (i64, u8, u8, Option<(u32, bool)>, u8)) -> Fact {
    let (hours, status, channel, resolved, sla) = spec;
    let opened = BASE + hours * HOUR / 4;
    let status = Status::ALL[usize::from(status) % Status::ALL.len()];
    let resolved_at = resolved.map(|(s, _)| opened + i64::from(s) * 1_000_000);
    let outcome = match sla % 4 {
        0 => TargetOutcome::Met,
        1 => TargetOutcome::Breached,
        2 => TargetOutcome::Running(opened + 40 * HOUR),
        _ => TargetOutcome::Paused,
    };
    Fact {
        ticket: format!("t{i:04}").into(),
        opened,
        kind: TicketKind::Incident,
        channel: Channel::ALL[usize::from(channel) % Channel::ALL.len()],
        category: None,
        service: None,
        organisation: None,
        priority: 1 + sla % 5,
        status,
        waiting_on_requester: false,
        level: if sla % 3 == 0 {
            SupportLevel::N2
        } else {
            SupportLevel::N1
        },
        team: None,
        assignee: None,
        assigned: None,
        responded: None,
        resolved: resolved_at,
        finished: None,
        attention_business: None,
        response_business: None,
        resolution_business: resolved.map(|(s, _)| s / 2),
        reopens: u32::from(resolved.is_some_and(|(_, r)| r)),
        functional: u32::from(sla % 3 == 0),
        hierarchical: 0,
        satisfaction: None,
        surveyed: false,
        problem: None,
        occurrences: 1,
        security: false,
        policy: Some("standard".into()),
        targets: vec![TargetFact {
            target: Target::Resolution,
            outcome,
        }],
        levels: Vec::new(),
        alerted: None,
    }
}

fn local(t: i64, tz: Tz) -> NaiveDate {
    DateTime::<Utc>::from_timestamp_micros(t)
        .unwrap()
        .with_timezone(&tz)
        .date_naive()
}

/// The bucket of local date `d` in a window starting on `from`, by calendar arithmetic:
/// calendar days, weeks from Monday and months, the first cut short at `from`.
fn bucket(every: Every, from: NaiveDate, d: NaiveDate) -> i64 {
    match every {
        Every::Day => (d - from).num_days(),
        Every::Week => {
            let monday = from - chrono::Days::new(u64::from(from.weekday().num_days_from_monday()));
            (d - monday).num_days().div_euclid(7)
        }
        Every::Month => {
            i64::from(d.year() - from.year()) * 12 + i64::from(d.month()) - i64::from(from.month())
        }
    }
}

fn nearest_rank(sorted: &[u32], p: usize) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let mut rank = 1;
    while rank * 100 < p * sorted.len() {
        rank += 1;
    }
    sorted[rank - 1]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn fold_matches_brute_force(
        specs in prop::collection::vec(
            (0i64..(4 * 24 * 120), any::<u8>(), any::<u8>(), prop::option::of((0u32..500_000, any::<bool>())), any::<u8>()),
            0..150,
        ),
        zone in 0usize..ZONES.len(),
        every in 0usize..3,
        len in 1u32..4,
        shift in 0u64..9,
        trim in 0u64..5,
        now_hours in 0i64..(24 * 150),
    ) {
        let tz: Tz = ZONES[zone].parse().unwrap();
        let every = Every::ALL[every];
        // Whole units from an aligned start, or cut short at either end.
        let aligned = match every {
            Every::Day => NaiveDate::from_ymd_opt(2026, 3, 27).unwrap(),
            Every::Week => NaiveDate::from_ymd_opt(2026, 3, 23).unwrap(),
            Every::Month => NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
        };
        let whole = match every {
            Every::Day => aligned + chrono::Days::new(len.into()),
            Every::Week => aligned + chrono::Days::new(7 * u64::from(len)),
            Every::Month => aligned + chrono::Months::new(len),
        };
        let (from, to) = if every == Every::Day || shift % 3 == 0 {
            (aligned, whole)
        } else {
            (aligned + chrono::Days::new(shift % 6), whole + chrono::Days::new(trim))
        };
        let window = Window { from, to, time_zone: ZONES[zone].into(), every };
        let at = DateTime::<Utc>::from_timestamp_micros(BASE + now_hours * HOUR).unwrap();
        let now = at.timestamp_micros();
        let facts: Vec<Fact> = specs.into_iter().enumerate().map(|(i, s)| fact(i, s)).collect();

        let request = ReportRequest { window: window.clone(), team: None };
        let mut fold = ReportFold::new(request, at).unwrap();
        let (lo, hi) = fold.span();
        for f in facts.iter().filter(|f| f.opened >= lo && f.opened < hi) {
            fold.add(f);
        }
        for f in facts.iter().filter(|f| f.live()) {
            fold.add_live(f);
        }
        let report = fold.finish();

        // The reference.
        let n = bucket(every, from, to - chrono::Days::new(1)) + 1;
        let prev_from = if from.day() == 1 && to.day() == 1 {
            let months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
            from - chrono::Months::new(months as u32)
        } else {
            from - chrono::Days::new((to - from).num_days() as u64)
        };
        let inside = |f: &&Fact| { let d = local(f.opened, tz); d >= from && d < to };
        let before = |f: &&Fact| { let d = local(f.opened, tz); d >= prev_from && d < from };
        let current: Vec<&Fact> = facts.iter().filter(inside).collect();
        prop_assert_eq!(report.current.volume, current.len() as u64);
        prop_assert_eq!(report.previous.volume, facts.iter().filter(before).count() as u64);
        let mut channels = BTreeMap::new();
        for f in &current {
            *channels.entry(f.channel.as_str().to_owned()).or_insert(0u64) += 1;
        }
        prop_assert_eq!(&report.current.by_channel, &channels);
        let mut wall: Vec<u32> = current.iter().filter_map(|f| f.resolved.map(|r| ((r - f.opened) / 1_000_000) as u32)).collect();
        wall.sort();
        let r = &report.current.resolution.calendar;
        prop_assert_eq!(r.count, wall.len() as u64);
        prop_assert_eq!(r.median, nearest_rank(&wall, 50));
        prop_assert_eq!(r.p90, nearest_rank(&wall, 90));
        let sum: u64 = wall.iter().map(|x| u64::from(*x)).sum();
        let mean = if wall.is_empty() { 0.0 } else { (sum as f64 / wall.len() as f64 * 1000.0).round() / 1000.0 };
        prop_assert_eq!(r.mean, mean);
        let (mut met, mut breached) = (0u64, 0u64);
        for f in &current {
            match f.targets[0].outcome {
                TargetOutcome::Met => met += 1,
                TargetOutcome::Breached => breached += 1,
                TargetOutcome::Running(due) if due <= now => breached += 1,
                _ => {}
            }
        }
        let sla = report.current.sla_by_target.get("resolution").copied().unwrap_or_default();
        prop_assert_eq!((sla.part, sla.of), (met, met + breached));
        let resolved: Vec<&&Fact> = current.iter().filter(|f| f.resolved.is_some()).collect();
        let fcr = resolved.iter().filter(|f| f.level == SupportLevel::N1 && f.functional == 0 && f.reopens == 0).count();
        prop_assert_eq!(report.current.first_contact_resolution.part, fcr as u64);
        prop_assert_eq!(report.current.first_contact_resolution.of, resolved.len() as u64);
        let mut series = vec![0u64; n as usize];
        for f in &current {
            series[bucket(every, from, local(f.opened, tz)) as usize] += 1;
        }
        prop_assert_eq!(report.series.iter().map(|p| p.opened).collect::<Vec<_>>(), series);
        let backlog = facts.iter().filter(|f| f.status.is_active() && f.opened <= now).count();
        prop_assert_eq!(report.backlog.total, backlog as u64);
    }
}

#[test]
fn a_local_day_follows_daylight_saving() {
    // Madrid springs forward on 29 March 2026: that day has 23 hours.
    let w = Window {
        from: NaiveDate::from_ymd_opt(2026, 3, 28).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
        time_zone: "Europe/Madrid".into(),
        every: Every::Day,
    };
    let b = w.buckets().unwrap();
    let hours: Vec<i64> = b.bounds.windows(2).map(|p| (p[1] - p[0]) / HOUR).collect();
    assert_eq!(hours, [24, 23, 24]);
    assert_eq!(
        w.previous().unwrap().from,
        NaiveDate::from_ymd_opt(2026, 3, 25).unwrap()
    );
}

#[test]
fn a_month_by_week_cuts_its_first_and_last_weeks() {
    // March 2026 starts on a Sunday and ends on a Tuesday.
    let w = Window {
        from: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
        time_zone: "UTC".into(),
        every: Every::Week,
    };
    let starts: Vec<u32> = w
        .buckets()
        .unwrap()
        .starts
        .iter()
        .map(|d| d.day())
        .collect();
    assert_eq!(starts, [1, 2, 9, 16, 23, 30]);
    let before = w.previous().unwrap();
    assert_eq!(
        (before.from.to_string(), before.to.to_string()),
        ("2026-02-01".into(), "2026-03-01".into())
    );
    let bad = Window { to: w.from, ..w };
    assert!(bad
        .validate()
        .unwrap_err()
        .to_string()
        .contains("window.to"));
}
