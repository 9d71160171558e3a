//! Search speed (issue 16) on the embedded backends:
//!
//! - `search_100k/{engine}`: a ticket search among 100,000 tickets of the labelled corpus
//!   (`benches/corpus`, 100 of them opened one by one after the import, so that SQLite
//!   has postings pending), the corpus's 216 queries in turn, on a durable SQLite file and a
//!   redb file; beside it SQLite FTS5 answering the same queries (words OR-ed, the last
//!   as a prefix, top 10 by bm25) over the same 100,000 documents. After criterion, each
//!   query runs three more times and the 50th and 95th percentiles are printed.
//! - `open_indexing/{engine}`: a durable open of a routed incident with the example
//!   configuration, with its search document (as shipped) and without (the same desk on
//!   `testkit::Observed::without_search_index`): what indexing adds.
//!
//! `cargo bench --bench search_speed` (`FOLIODESK_BENCH_ENGINES=sqlite` narrows it).

mod common;
#[path = "corpus/mod.rs"]
mod corpus;

use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::TimeZone;
use common::{example_desk, open_concurrently, runtime, selected, tmp};
use criterion::{criterion_group, criterion_main, Criterion};
use foliodesk::core::store::Store;
use foliodesk::core::testkit::Observed;
use foliodesk::*;
use sqlx::{Executor, Row};

const TICKETS: usize = 100_000;

fn engines() -> Vec<&'static str> {
    let wanted = std::env::var("FOLIODESK_BENCH_ENGINES").unwrap_or_default();
    ["sqlite", "redb"]
        .into_iter()
        .filter(|e| wanted.is_empty() || wanted.split(',').any(|w| w == *e))
        .collect()
}

async fn store(engine: &str, name: &str) -> Arc<dyn Store> {
    let path = tmp().join(format!("{name}.{engine}"));
    let _ = std::fs::remove_file(&path);
    let url = format!("{engine}://{}", path.display());
    match engine {
        "sqlite" => Arc::new(foliodesk_sql::SqlStore::open(&url).await.unwrap()),
        _ => Arc::new(foliodesk_redb::RedbStore::open_url(&url).await.unwrap()),
    }
}

/// Tickets opened one by one after the import: on SQLite their postings are pending
/// (about half of `SqlOptions::search_merge_at`'s worth), as on a live desk.
const OPENED: usize = 100;

/// The corpus's tickets imported into `desk`, 1,000 a transaction, but the last [`OPENED`],
/// opened one by one.
async fn load(desk: &Desk, docs: &[corpus::Doc]) {
    let opened = chrono::Utc.with_ymd_and_hms(2025, 1, 2, 9, 0, 0).unwrap();
    let (imported, live) = docs.split_at(docs.len() - OPENED);
    for chunk in imported.chunks(1_000) {
        let batch = chunk
            .iter()
            .map(|d| {
                let mut new =
                    NewTicket::new(TicketKind::Incident, Channel::Email, "ana", d.title.clone());
                new.description = d.body.clone();
                ImportTicket {
                    source: "bench".into(),
                    reference: d.id.clone(),
                    opened_at: opened,
                    opened_by: "ana".into(),
                    ticket: new,
                    history: vec![],
                }
            })
            .collect();
        desk.import_tickets(SYSTEM, batch).await.unwrap();
    }
    for d in live {
        let mut new = NewTicket::new(TicketKind::Incident, Channel::Email, "ana", d.title.clone());
        new.description = d.body.clone();
        desk.open_ticket("ana", new).await.unwrap();
    }
}

/// FTS5 over the same documents, in memory, and its answer to a query.
async fn fts5(docs: &[corpus::Doc]) -> sqlx::SqlitePool {
    let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
    pool.execute("CREATE VIRTUAL TABLE d USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')")
        .await
        .unwrap();
    for chunk in docs.chunks(1_000) {
        let mut tx = pool.begin().await.unwrap();
        for d in chunk {
            sqlx::query("INSERT INTO d (title, body) VALUES (?, ?)")
                .bind(&d.title)
                .bind(&d.body)
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
    }
    pool
}

async fn fts5_search(pool: &sqlx::SqlitePool, text: &str) -> usize {
    let expr = corpus::fts5_query(text);
    let rows = sqlx::query(
        "SELECT rowid, title FROM d WHERE d MATCH ? ORDER BY bm25(d, 2.0, 1.0) LIMIT 10",
    )
    .bind(expr)
    .fetch_all(pool)
    .await
    .unwrap();
    rows.iter().map(|r| r.get::<i64, _>(0) as usize).sum()
}

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        limit: Some(10),
        ..Default::default()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).saturating_sub(1)]
}

fn search_100k(c: &mut Criterion) {
    if !selected("search_100k") {
        return;
    }
    let rt = runtime();
    let docs = corpus::tickets(TICKETS, 42);
    let queries = corpus::queries();
    let fts = rt.block_on(fts5(&docs));
    for engine in engines() {
        let started = Instant::now();
        let desk = rt.block_on(async { example_desk(store(engine, "search_100k").await).await });
        rt.block_on(load(&desk, &docs));
        println!(
            "search_100k/{engine}: {TICKETS} tickets imported and indexed in {:.1?}",
            started.elapsed()
        );
        let mut group = c.benchmark_group(format!("search_100k/{engine}"));
        let mut turn = 0usize;
        group.bench_function("foliodesk", |b| {
            b.to_async(&rt).iter(|| {
                turn += 1;
                let (desk, text) = (desk.clone(), queries[turn % queries.len()].text.clone());
                async move {
                    desk.search_tickets("bob", query(&text))
                        .await
                        .unwrap()
                        .len()
                }
            })
        });
        group.bench_function("sqlite_fts5", |b| {
            b.to_async(&rt).iter(|| {
                turn += 1;
                let (fts, text) = (fts.clone(), queries[turn % queries.len()].text.clone());
                async move { fts5_search(&fts, &text).await }
            })
        });
        group.finish();
        let mut times = Vec::new();
        let mut slowest: Vec<(Duration, &str)> = Vec::new();
        for _ in 0..3 {
            for q in &queries {
                let start = Instant::now();
                rt.block_on(desk.search_tickets("bob", query(&q.text)))
                    .unwrap();
                times.push(start.elapsed());
                slowest.push((start.elapsed(), &q.text));
            }
        }
        slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
        for (took, text) in slowest.iter().take(8) {
            println!("search_100k/{engine}: slow: {took:.2?} {text:?}");
        }
        times.sort();
        println!(
            "search_100k/{engine}: p50 {:.2?}, p95 {:.2?}, max {:.2?} over {} searches",
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            times[times.len() - 1],
            times.len()
        );
    }
}

fn open_indexing(c: &mut Criterion) {
    if !selected("open_indexing") {
        return;
    }
    let rt = runtime();
    for engine in engines() {
        let indexed =
            rt.block_on(async { example_desk(store(engine, "open_indexed").await).await });
        let plain = rt.block_on(async {
            let inner = store(engine, "open_plain").await;
            example_desk(Arc::new(Observed::new(inner).without_search_index())).await
        });
        let mut group = c.benchmark_group(format!("open_indexing/{engine}"));
        let next = Arc::new(AtomicU64::new(0));
        for (name, desk) in [("with_index", &indexed), ("without_index", &plain)] {
            group.bench_function(name, |b| {
                b.to_async(&rt).iter_custom(|iters| {
                    let (desk, next) = (desk.clone(), next.clone());
                    async move { open_concurrently(&desk, 1, iters, &next).await }
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, search_100k, open_indexing);
criterion_main!(benches);
