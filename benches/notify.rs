//! Delivering notifications to a real SMTP server on loopback (aiosmtpd, as in the tests):
//! the desk's whole pass — claim on a durable SQLite desk, expand recipients, render the
//! Spanish templates, send through lettre, acknowledge — against lettre alone sending the
//! same messages to the same server in the same run.
//!
//! Both send 8 messages at a time over lettre's connection pool.
//!
//! One element is one message: the folio confirmation of one ticket opened with the
//! example configuration. Needs aiosmtpd (`FOLIODESK_PYTHON`, as the tests).

use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use foliodesk::smtp::{to_email, Smtp, SmtpSecurity, SmtpSettings};
use foliodesk::*;
use futures_util::StreamExt;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

mod common;
#[path = "../tests/smtp_sink/mod.rs"]
mod smtp_sink;

use common::*;

/// Messages per measured batch.
const BATCH: u64 = 100;

fn settings(port: u16) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::None,
        username: None,
        password: None,
        timeout_seconds: 30,
        ca_file: None,
    }
}

/// A transport that takes every message and does nothing with it.
struct Discard;

#[async_trait::async_trait]
impl Transport for Discard {
    async fn send(&self, m: &OutgoingMessage) -> Result<(), SendError> {
        std::hint::black_box(m);
        Ok(())
    }
}

/// `n` tickets opened by ana (each owes her one confirmation), their window passed.
async fn owed(desk: &Desk, clock: &FixedClock, n: u64) {
    for i in 0..n {
        desk.open_ticket("ana", incident(i)).await.unwrap();
    }
    clock.advance(Duration::minutes(2));
}

/// The time the desk takes to deliver `iters` batches through `transport`, each batch
/// made owed (outside the timing) just before.
async fn timed_delivery(
    desk: &Desk,
    clock: &FixedClock,
    transport: &dyn Transport,
    iters: u64,
) -> StdDuration {
    let mut spent = StdDuration::ZERO;
    for _ in 0..iters {
        owed(desk, clock, BATCH).await;
        let started = Instant::now();
        let mut sent = 0;
        while sent < BATCH {
            sent += desk.deliver(transport, 50).await.unwrap().sent;
        }
        spent += started.elapsed();
    }
    spent
}

fn notify(c: &mut Criterion) {
    let Some(sink) = smtp_sink::Sink::start() else {
        return;
    };
    let rt = runtime();
    // lettre's pool spawns on the current runtime when built and dropped.
    let _inside = rt.enter();
    let t0: chrono::DateTime<chrono::Utc> = "2026-03-02T09:00:00Z".parse().unwrap();
    let clock = Arc::new(FixedClock::at(t0));
    let dir = tmp();
    let url = format!("sqlite://{}", dir.join("notify.db").display());
    let config = foliodesk::load_config(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/foliodesk.toml"
    ))
    .unwrap();
    let desk = rt.block_on(async {
        let options = DeskOptions {
            config: Some(config),
            clock: Some(clock.clone()),
        };
        let desk = Desk::open_with(&url, options).await.unwrap();
        let mut ana = User::new("ana", "Ana Pérez", Role::Requester);
        ana.email = Some("ana@example.com".into());
        desk.put_user(SYSTEM, ana).await.unwrap();
        desk
    });
    let smtp = Smtp::new(&settings(sink.port)).unwrap();
    // The messages lettre alone sends: rendered once by the desk, then left in the outbox
    // untouched (claimed, never settled) so the desk's own batches start empty.
    let prebuilt: Vec<lettre::Message> = rt.block_on(async {
        owed(&desk, &clock, BATCH).await;
        let batch = desk.claim_messages(BATCH as u32).await.unwrap();
        let outcomes = batch
            .messages
            .iter()
            .map(|m| Outcome {
                rows: m.rows.clone(),
                attempts: 0,
                error: None,
                permanent: false,
            })
            .collect();
        desk.settle_messages(outcomes).await.unwrap();
        batch
            .messages
            .iter()
            .map(|m| to_email(m).unwrap())
            .collect()
    });
    assert_eq!(prebuilt.len() as u64, BATCH);
    let lettre_alone = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(sink.port)
        .build();

    let mut group = c.benchmark_group("notify");
    group.throughput(Throughput::Elements(BATCH));
    group.sample_size(10);
    group.measurement_time(StdDuration::from_secs(10));
    // `Discard` measures the desk's own work per message: what it adds to whatever the
    // transport costs.
    let transports: [(&str, &dyn Transport); 2] = [
        ("desk_deliver_smtp", &smtp),
        ("desk_deliver_noop", &Discard),
    ];
    for (name, transport) in transports {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| rt.block_on(timed_delivery(&desk, &clock, transport, iters)))
        });
    }
    group.bench_function("lettre_alone", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let started = Instant::now();
                for _ in 0..iters {
                    // As many in flight as the desk's `delivery.parallel` (8).
                    let sent: Vec<_> = futures_util::stream::iter(&prebuilt)
                        .map(|m| lettre_alone.send(m.clone()))
                        .buffer_unordered(8)
                        .collect()
                        .await;
                    assert!(sent.iter().all(|r| r.is_ok()));
                }
                started.elapsed()
            })
        })
    });
    group.finish();
    eprintln!("aiosmtpd received {} messages", sink.received().len());
}

criterion_group!(benches, notify);
criterion_main!(benches);
