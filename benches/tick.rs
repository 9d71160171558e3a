//! `Desk::tick` with 100,000 open tickets of which 100 are due at each tick, on the
//! in-memory store (its due index is a B-tree, like the durable backends'). Every ticket
//! alerts at 10 % of a 1,000 s resolution target and again every 100 s; tickets were opened
//! 1 ms apart, so each tick 100 ms after the previous one finds exactly 100 due.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use foliodesk::*;

mod common;
use common::*;

const TICKETS: i64 = 100_000;

fn config() -> Config {
    Config::from_toml_str(
        r#"
        [[sla.policies]]
        id = "bench"
        default = true
        targets.p3 = { resolution = "1000s" }
        [[sla.escalation]]
        target = "resolution"
        at_percent = 10
        actions = ["notify_assignee"]
        repeat_every = "100s"
        "#,
        "<bench>",
    )
    .unwrap()
}

fn tick(c: &mut Criterion) {
    let rt = runtime();
    let t0: chrono::DateTime<chrono::Utc> = "2026-03-02T09:00:00Z".parse().unwrap();
    let clock = Arc::new(FixedClock::at(t0));
    let desk = rt.block_on(async {
        let options = DeskOptions {
            config: Some(config()),
            clock: Some(clock.clone()),
        };
        let desk = Desk::open_with("memory://", options).await.unwrap();
        desk.put_user(SYSTEM, User::new("ana", "Ana", Role::Requester))
            .await
            .unwrap();
        let started = Instant::now();
        for i in 0..TICKETS {
            clock.set(t0 + Duration::milliseconds(i));
            desk.open_ticket("ana", incident(i as u64)).await.unwrap();
        }
        eprintln!("opened {TICKETS} tickets in {:?}", started.elapsed());
        desk
    });
    // The first alerts fall 100 s after each opening: start ticking there.
    let next = AtomicI64::new(100_000 + 99);
    let mut group = c.benchmark_group("tick");
    group.sampling_mode(SamplingMode::Flat).sample_size(20);
    group.measurement_time(StdDuration::from_secs(5));
    group.throughput(Throughput::Elements(100));
    group.bench_function("100k_open_100_due", |b| {
        b.to_async(&rt).iter(|| async {
            let ms = next.fetch_add(100, Ordering::Relaxed);
            let report = desk.tick_at(t0 + Duration::milliseconds(ms)).await.unwrap();
            assert_eq!(report.sla_alerts.len(), 100, "at +{ms} ms");
        })
    });
    group.finish();
}

criterion_group!(benches, tick);
criterion_main!(benches);
