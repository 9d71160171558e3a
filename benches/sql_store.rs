//! Durable "open a ticket" on each SQL engine next to the raw engine doing a single-row
//! insert + commit on the same pool (same durability) — as an explicit transaction and as
//! one autocommit statement —, bulk import, and the agent queue on 1,000,000 tickets. Results and the command: benches/RESULTS.md.
//!
//! PostgreSQL and MySQL are measured when reachable (`FOLIODESK_POSTGRES_URL`,
//! `FOLIODESK_MYSQL_URL`); `FOLIODESK_BENCH_ENGINES=sqlite,postgres` narrows the run.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use foliodesk::*;
use foliodesk_core::store::Store;
use foliodesk_sql::testkit::{fresh_db, reachable};
use foliodesk_sql::{Dialect, SqlStore};
use sqlx::{AssertSqlSafe, Executor};

mod common;
use common::*;

const ENGINES: [(Dialect, &str); 3] = [
    (Dialect::Sqlite, "sqlite"),
    (Dialect::Postgres, "postgres"),
    (Dialect::MySql, "mysql"),
];

fn wanted(name: &str) -> bool {
    std::env::var("FOLIODESK_BENCH_ENGINES").map_or(true, |v| v.split(',').any(|e| e == name))
}

/// A desk with one requester, on a fresh database; and the store underneath.
async fn desk(d: Dialect, name: &str) -> Option<(Desk, Arc<SqlStore>)> {
    if !reachable(d).await {
        return None;
    }
    // Kept until the next run recreates it: criterion drives the desk after this returns.
    let db = fresh_db(d, &format!("bench_{name}"), &tmp()).await;
    let store = Arc::new(SqlStore::open(&db.url).await.unwrap());
    std::mem::forget(db);
    let desk = Desk::with_store(store.clone(), DeskOptions::default())
        .await
        .unwrap();
    desk.put_user(SYSTEM, User::new("ana", "Ana", Role::Requester))
        .await
        .unwrap();
    Some((desk, store))
}

fn open_ticket(c: &mut Criterion) {
    if !selected("open_ticket") {
        return;
    }
    let rt = runtime();
    for (d, name) in ENGINES.into_iter().filter(|(_, n)| wanted(n)) {
        let Some((desk, store)) = rt.block_on(desk(d, &format!("open_{name}"))) else {
            continue;
        };
        let raw_body = raw_body();
        rt.block_on(store.pool().execute(
            "CREATE TABLE raw_bench (id VARCHAR(64) NOT NULL PRIMARY KEY, body TEXT NOT NULL)",
        ))
        .unwrap();
        let insert = match d {
            Dialect::Postgres => "INSERT INTO raw_bench (id, body) VALUES ($1, $2)",
            _ => "INSERT INTO raw_bench (id, body) VALUES (?, ?)",
        };
        let mut group = c.benchmark_group(format!("open_ticket/{name}"));
        group.throughput(Throughput::Elements(1));
        let n = AtomicU64::new(0);
        group.bench_function("foliodesk", |b| {
            b.to_async(&rt).iter(|| async {
                let i = n.fetch_add(1, Ordering::Relaxed);
                desk.open_ticket("ana", incident(i)).await.unwrap()
            })
        });
        group.bench_function("raw_sqlx_insert_commit", |b| {
            b.to_async(&rt).iter(|| async {
                let i = n.fetch_add(1, Ordering::Relaxed);
                let mut tx = store.pool().begin().await.unwrap();
                sqlx::query(insert)
                    .bind(format!("raw-{i}"))
                    .bind(raw_body.clone())
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            })
        });
        // The least a durable single-row write can be through sqlx: one autocommit INSERT.
        group.bench_function("raw_sqlx_autocommit_insert", |b| {
            b.to_async(&rt).iter(|| async {
                let i = n.fetch_add(1, Ordering::Relaxed);
                sqlx::query(insert)
                    .bind(format!("raw-{i}"))
                    .bind(raw_body.clone())
                    .execute(store.pool())
                    .await
                    .unwrap();
            })
        });
        group.finish();
        rt.block_on(store.close());
    }
}

/// Open-ticket as deployed: the example configuration (routing, SLA policy, outbox rows),
/// one writer and eight concurrent ones (on the servers, eight writers contend for the
/// folio counter and exercise the guessed-folio path), each beside the raw transaction with
/// as many writers.
fn open_ticket_example(c: &mut Criterion) {
    if !selected("open_ticket_example") {
        return;
    }
    let rt = runtime();
    for (d, name) in ENGINES.into_iter().filter(|(_, n)| wanted(n)) {
        if !rt.block_on(reachable(d)) {
            continue;
        }
        let db = rt.block_on(fresh_db(d, &format!("bench_example_{name}"), &tmp()));
        let store = Arc::new(rt.block_on(SqlStore::open(&db.url)).unwrap());
        std::mem::forget(db);
        let desk = rt.block_on(example_desk(store.clone()));
        rt.block_on(store.pool().execute(
            "CREATE TABLE raw_bench (id VARCHAR(64) NOT NULL PRIMARY KEY, body TEXT NOT NULL)",
        ))
        .unwrap();
        let mut group = c.benchmark_group(format!("open_ticket_example/{name}"));
        group.throughput(Throughput::Elements(1));
        let next = Arc::new(AtomicU64::new(0));
        for writers in [1, 8] {
            group.bench_function(format!("foliodesk_{writers}_writers"), |b| {
                b.to_async(&rt).iter_custom(|iters| {
                    let (desk, next) = (desk.clone(), next.clone());
                    async move { open_concurrently(&desk, writers, iters, &next).await }
                })
            });
            group.bench_function(format!("raw_sqlx_insert_commit_{writers}_writers"), |b| {
                b.to_async(&rt).iter_custom(|iters| {
                    let (store, next) = (store.clone(), next.clone());
                    async move { raw_concurrently(&store, d, writers, iters, &next).await }
                })
            });
        }
        group.finish();
    }
}

/// `count` raw single-row transactions by `writers` concurrent tasks on `store`'s pool.
async fn raw_concurrently(
    store: &Arc<SqlStore>,
    d: Dialect,
    writers: u64,
    count: u64,
    next: &Arc<AtomicU64>,
) -> Duration {
    let insert = match d {
        Dialect::Postgres => "INSERT INTO raw_bench (id, body) VALUES ($1, $2)",
        _ => "INSERT INTO raw_bench (id, body) VALUES (?, ?)",
    };
    let start = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let (store, next) = (store.clone(), next.clone());
            let share = count / writers + u64::from(w < count % writers);
            tokio::spawn(async move {
                for _ in 0..share {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let mut tx = store.pool().begin().await.unwrap();
                    let q = sqlx::query(insert)
                        .bind(format!("raw-{i}"))
                        .bind(raw_body());
                    q.execute(&mut *tx).await.unwrap();
                    tx.commit().await.unwrap();
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
    let mut group = c.benchmark_group("bulk_import_100k");
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    group.throughput(Throughput::Elements(10_000));
    group.warm_up_time(Duration::from_millis(1));
    for (d, name) in ENGINES.into_iter().filter(|(_, n)| wanted(n)) {
        let Some((desk, _store)) = rt.block_on(desk(d, &format!("bulk_{name}"))) else {
            continue;
        };
        let n = AtomicU64::new(0);
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.to_async(&rt)
                .iter_custom(|iters| open_many(&desk, iters * 10_000, &n))
        });
    }
    group.finish();
}

/// The agent queue (a team's new and open tickets, 50 per page) among 1,000,000 tickets,
/// loaded with one `INSERT … SELECT` so the load does not dominate the run.
fn agent_queue_1m(c: &mut Criterion) {
    if !selected("agent_queue_1m") {
        return;
    }
    let rt = runtime();
    let mut group = c.benchmark_group("agent_queue_1m");
    for (d, name) in ENGINES.into_iter().filter(|(_, n)| wanted(n)) {
        let Some((desk, store)) = rt.block_on(desk(d, &format!("queue_{name}"))) else {
            continue;
        };
        let template = rt.block_on(desk.open_ticket("ana", incident(0))).unwrap();
        let body = serde_json::to_string(&template).unwrap();
        let load = format!(
            "INSERT INTO fd_tickets (id, folio, version, head_hash, kind, status, team, \
             assignee, requester, organisation, priority, category, watchers, opened_micros, \
             updated_micros, due_micros, body) \
             WITH d(n) AS (SELECT 0 UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 \
             UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 \
             UNION ALL SELECT 8 UNION ALL SELECT 9), \
             g(n) AS (SELECT a.n + 10 * b.n + 100 * c.n + 1000 * e.n + 10000 * f.n \
             + 100000 * h.n FROM d a, d b, d c, d e, d f, d h) \
             SELECT CONCAT('b', n), CONCAT('BULK-', n), 1, 'h', \
             'incident', CASE n % 7 WHEN 0 THEN 'new' WHEN 1 THEN 'open' WHEN 2 THEN 'pending' \
             WHEN 3 THEN 'resolved' ELSE 'closed' END, CONCAT('team', n % 20), \
             NULL, 'ana', NULL, 3, NULL, '|', (n + 1700000000000) * 1000, \
             (n + 1700000000000) * 1000, NULL, {} FROM g",
            match d {
                Dialect::Postgres => "$1",
                _ => "?",
            }
        );
        let started = Instant::now();
        rt.block_on(async {
            sqlx::query(AssertSqlSafe(load))
                .bind(body)
                .execute(store.pool())
                .await
                .unwrap();
            let analyze = match d {
                Dialect::MySql => "ANALYZE TABLE fd_tickets",
                _ => "ANALYZE",
            };
            store.pool().execute(analyze).await.unwrap();
        });
        eprintln!(
            "{name}: loaded 1,000,000 tickets in {:?}",
            started.elapsed()
        );
        let q = agent_queue();
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.to_async(&rt).iter(|| async {
                let page = store.query(q.clone()).await.unwrap();
                assert_eq!(page.items.len(), 50);
            })
        });
    }
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
