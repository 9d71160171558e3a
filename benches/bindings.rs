//! What the bindings add: `open_ticket` on `memory://` (the per-call cost of crossing into
//! Rust and converting), `open_ticket` on a durable SQLite file, and a 4-hour business-time
//! addition on the Madrid calendar — in Rust here, then the same operations from Python
//! (`benches/bindings/overhead.py`, with `FOLIODESK_PYTHON` or `python3`) and Node
//! (`benches/bindings/overhead.js`), which this bench runs and prints after criterion's
//! figures. Results and the command: benches/RESULTS.md.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{Duration, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use foliodesk::*;
use foliodesk_core::calendar::Calendar;

mod common;
use common::*;

async fn desk(url: &str) -> Desk {
    let desk = Desk::open(url).await.unwrap();
    desk.put_user(SYSTEM, User::new("ana", "Ana", Role::Requester))
        .await
        .unwrap();
    desk
}

fn madrid() -> Calendar {
    Calendar::new(madrid_spec()).unwrap()
}

fn bindings(c: &mut Criterion) {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("bindings/rust");
    for (name, url) in [
        ("open_ticket_memory", "memory://".to_owned()),
        (
            "open_ticket_sqlite",
            format!("sqlite://{}/rust.db", dir.path().display()),
        ),
    ] {
        let desk = rt.block_on(desk(&url));
        let n = AtomicU64::new(0);
        group.bench_function(name, |b| {
            b.to_async(&rt).iter(|| async {
                let i = n.fetch_add(1, Ordering::Relaxed);
                desk.open_ticket("ana", incident(i)).await.unwrap()
            })
        });
    }
    let cal = madrid();
    let start = Utc.with_ymd_and_hms(2026, 3, 16, 9, 0, 0).unwrap();
    group.bench_function("calendar_4h", |b| {
        b.iter(|| {
            cal.add_business_time(black_box(start), Duration::hours(4))
                .unwrap()
        })
    });
    group.finish();
    let root = env!("CARGO_MANIFEST_DIR");
    let python = std::env::var("FOLIODESK_PYTHON").unwrap_or_else(|_| "python3".into());
    for (who, program, script) in [
        ("Python", python.as_str(), "benches/bindings/overhead.py"),
        ("Node", "node", "benches/bindings/overhead.js"),
    ] {
        let out = std::process::Command::new(program)
            .arg(format!("{root}/{script}"))
            .current_dir(root)
            .output();
        match out {
            Ok(o) if o.status.success() => {
                eprintln!(
                    "{who} (µs per call):\n{}",
                    String::from_utf8_lossy(&o.stdout)
                )
            }
            Ok(o) => eprintln!("{who} failed: {}", String::from_utf8_lossy(&o.stderr)),
            Err(e) => eprintln!("{who} not available: {e}"),
        }
    }
}

criterion_group!(benches, bindings);
criterion_main!(benches);
