//! Durable "open a ticket" on redb next to a raw redb single-key insert per write
//! transaction in the same file (same `Durability::Immediate`), bulk import, and the agent
//! queue on 1,000,000 tickets. Results and the command: benches/RESULTS.md.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use foliodesk::*;
use foliodesk_core::store::Store;
use foliodesk_redb::RedbStore;
use redb::TableDefinition;

mod common;
use common::*;

const RAW: TableDefinition<&str, &str> = TableDefinition::new("raw_bench");

/// A desk with one requester on a fresh redb file; and the store underneath.
async fn desk(name: &str) -> (Desk, Arc<RedbStore>) {
    let path = tmp().join(format!("{name}.redb"));
    let _ = std::fs::remove_file(&path);
    let store = Arc::new(RedbStore::open(&path).await.unwrap());
    let desk = Desk::with_store(store.clone(), DeskOptions::default())
        .await
        .unwrap();
    desk.put_user(SYSTEM, User::new("ana", "Ana", Role::Requester))
        .await
        .unwrap();
    (desk, store)
}

fn open_ticket(c: &mut Criterion) {
    if !selected("open_ticket") {
        return;
    }
    let rt = runtime();
    let (desk, store) = rt.block_on(desk("open"));
    let body = raw_body();
    let mut group = c.benchmark_group("open_ticket/redb");
    group.throughput(Throughput::Elements(1));
    let n = AtomicU64::new(0);
    group.bench_function("foliodesk", |b| {
        b.to_async(&rt).iter(|| async {
            let i = n.fetch_add(1, Ordering::Relaxed);
            desk.open_ticket("ana", incident(i)).await.unwrap()
        })
    });
    // The raw case also runs on the blocking pool, as every store call does.
    group.bench_function("raw_redb_insert_commit", |b| {
        b.to_async(&rt).iter(|| async {
            let i = n.fetch_add(1, Ordering::Relaxed);
            let (store, body) = (store.clone(), body.clone());
            tokio::task::spawn_blocking(move || {
                let txn = store.database().begin_write().unwrap();
                txn.open_table(RAW)
                    .unwrap()
                    .insert(format!("raw-{i}").as_str(), body.as_str())
                    .unwrap();
                txn.commit().unwrap();
            })
            .await
            .unwrap()
        })
    });
    group.finish();
}

/// Open-ticket as deployed: the example configuration (routing, SLA policy, outbox rows),
/// one writer and eight concurrent ones, each beside raw redb write transactions with as
/// many writers.
fn open_ticket_example(c: &mut Criterion) {
    if !selected("open_ticket_example") {
        return;
    }
    let rt = runtime();
    let path = tmp().join("example.redb");
    let _ = std::fs::remove_file(&path);
    let store = Arc::new(rt.block_on(RedbStore::open(&path)).unwrap());
    let desk = rt.block_on(example_desk(store.clone()));
    let mut group = c.benchmark_group("open_ticket_example/redb");
    group.throughput(Throughput::Elements(1));
    let next = Arc::new(AtomicU64::new(0));
    for writers in [1, 8] {
        group.bench_function(format!("foliodesk_{writers}_writers"), |b| {
            b.to_async(&rt).iter_custom(|iters| {
                let (desk, next) = (desk.clone(), next.clone());
                async move { open_concurrently(&desk, writers, iters, &next).await }
            })
        });
        group.bench_function(format!("raw_redb_insert_commit_{writers}_writers"), |b| {
            b.to_async(&rt).iter_custom(|iters| {
                let (store, next) = (store.clone(), next.clone());
                async move { raw_concurrently(&store, writers, iters, &next).await }
            })
        });
    }
    group.finish();
}

/// `count` raw single-key write transactions by `writers` concurrent tasks, each on
/// tokio's blocking pool as the store's own calls are.
async fn raw_concurrently(
    store: &Arc<RedbStore>,
    writers: u64,
    count: u64,
    next: &Arc<AtomicU64>,
) -> Duration {
    let start = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let (store, next) = (store.clone(), next.clone());
            let share = count / writers + u64::from(w < count % writers);
            tokio::spawn(async move {
                for _ in 0..share {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let store = store.clone();
                    tokio::task::spawn_blocking(move || {
                        let txn = store.database().begin_write().unwrap();
                        let body = raw_body();
                        (txn.open_table(RAW).unwrap())
                            .insert(format!("raw-{i}").as_str(), body.as_str())
                            .unwrap();
                        txn.commit().unwrap();
                    })
                    .await
                    .unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    start.elapsed()
}

/// 100,000 tickets opened back to back through the desk: 10 samples of 10,000.
fn bulk_import(c: &mut Criterion) {
    if !selected("bulk_import_100k") {
        return;
    }
    let rt = runtime();
    let (desk, _store) = rt.block_on(desk("bulk"));
    let mut group = c.benchmark_group("bulk_import_100k");
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    group.throughput(Throughput::Elements(10_000));
    group.warm_up_time(Duration::from_millis(1));
    let n = AtomicU64::new(0);
    group.bench_function("redb", |b| {
        b.to_async(&rt)
            .iter_custom(|iters| open_many(&desk, iters * 10_000, &n))
    });
    group.finish();
}

/// The agent queue among 1,000,000 tickets, loaded as projections in batches of 100,000.
fn agent_queue_1m(c: &mut Criterion) {
    if !selected("agent_queue_1m") {
        return;
    }
    let rt = runtime();
    let (desk, store) = rt.block_on(desk("queue"));
    let template = rt.block_on(desk.open_ticket("ana", incident(0))).unwrap();
    let started = Instant::now();
    let base = template.milestones.opened_at.unwrap();
    for batch in 0..10u64 {
        store
            .load_projections((batch * 100_000..(batch + 1) * 100_000).map(|n| {
                let mut t = template.clone();
                t.id = format!("b{n}").into();
                t.folio = format!("BULK-{n}");
                t.status = status_of(n);
                t.team = Some(format!("team{}", n % TEAMS).into());
                t.milestones.opened_at = Some(base + chrono::Duration::seconds(n as i64 + 1));
                t
            }))
            .unwrap();
    }
    eprintln!("redb: loaded 1,000,000 tickets in {:?}", started.elapsed());
    let q = agent_queue();
    let mut group = c.benchmark_group("agent_queue_1m");
    group.bench_function("redb", |b| {
        b.to_async(&rt).iter(|| async {
            let page = store.query(q.clone()).await.unwrap();
            assert_eq!(page.items.len(), 50);
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    open_ticket,
    open_ticket_example,
    bulk_import,
    agent_queue_1m
);
criterion_main!(benches);
