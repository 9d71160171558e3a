//! Business-time arithmetic on a Madrid calendar (09:00–14:00, 15:00–18:00, Monday to
//! Friday, national and regional holidays): 4 hours, 5 and 30 business days from Monday
//! 2026-03-16 10:00. The same additions through Perl's Business::Hours (the oracle of
//! `core/tests/calendar_oracle.rs`) are timed by `benches/oracle/business_hours_bench.pl`,
//! which this bench runs and prints next to criterion's figures: both with the calendar
//! built once and reused, and built for every addition.

use std::hint::black_box;

use chrono::{Duration, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use foliodesk_core::calendar::Calendar;

mod common;
use common::madrid_spec;

fn madrid() -> Calendar {
    Calendar::new(madrid_spec()).unwrap()
}

fn calendar(c: &mut Criterion) {
    let cal = madrid();
    let start = Utc.with_ymd_and_hms(2026, 3, 16, 9, 0, 0).unwrap(); // 10:00 in Madrid
    let mut group = c.benchmark_group("add_business_time");
    for (name, d) in [
        ("4h", Duration::hours(4)),
        ("5_days", Duration::hours(5 * 8)),
        ("30_days", Duration::hours(30 * 8)),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                cal.add_business_time(black_box(start), black_box(d))
                    .unwrap()
            })
        });
    }
    // The second row: the calendar built for each addition, as a caller that keeps none.
    let spec = madrid_spec();
    group.bench_function("4h_with_construction", |b| {
        b.iter(|| {
            let cal = Calendar::new(black_box(spec.clone())).unwrap();
            cal.add_business_time(black_box(start), Duration::hours(4))
                .unwrap()
        })
    });
    group.finish();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/oracle/business_hours_bench.pl"
    );
    match std::process::Command::new("perl").arg(script).output() {
        Ok(out) if out.status.success() => {
            eprintln!(
                "Business::Hours (case, calendar reused or built per call, µs):\n{}",
                String::from_utf8_lossy(&out.stdout)
            )
        }
        _ => eprintln!("Business::Hours not available: no oracle timing"),
    }
}

criterion_group!(benches, calendar);
criterion_main!(benches);
