//! Importing 100,000 tickets with their history (`Desk::import_all`, 1,000 per
//! transaction) on each engine, with the example configuration: routing by category,
//! SLA policies, the whole directory read once. Each ticket is opened (and routed), taken,
//! commented, solved and confirmed, and marked imported: 7 events. Beside it, the way there was before: the same number of
//! tickets opened one durable append each (`bulk_import` in sql_store / redb_store), and
//! the raw engine writing the same rows — an imported ticket's projection and events,
//! copied under new ids — in transactions and statements of the same sizes, with nothing
//! decided, hashed or encoded. Results and the command: benches/RESULTS.md.
//!
//! `FOLIODESK_BENCH_ENGINES=sqlite,redb` narrows the run; PostgreSQL and MySQL are
//! measured when reachable.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use foliodesk::*;
use foliodesk_core::store::Store;
use foliodesk_sql::testkit::{fresh_db, reachable};
use foliodesk_sql::{Dialect, SqlStore};
use redb::TableDefinition;

mod common;
use common::*;

const ENGINES: [&str; 5] = ["memory", "sqlite", "redb", "postgres", "mysql"];
const RAW_EVENTS: TableDefinition<(&str, u64), &str> = TableDefinition::new("raw_events");
const RAW_TICKETS: TableDefinition<&str, &str> = TableDefinition::new("raw_tickets");
const RAW_FOLIOS: TableDefinition<&str, &str> = TableDefinition::new("raw_folios");
const PER_SAMPLE: u64 = 10_000;
const BATCH: usize = 1_000;

fn wanted(name: &str) -> bool {
    std::env::var("FOLIODESK_BENCH_ENGINES").map_or(true, |v| v.split(',').any(|e| e == name))
}

/// The store under test; the raw baseline writes through the same one.
enum Engine {
    /// No storage cost: what deciding and sealing the histories take alone.
    Memory(Arc<foliodesk_core::store::memory::MemoryStore>),
    Sql(Arc<SqlStore>, Dialect),
    Redb(Arc<foliodesk_redb::RedbStore>),
}

impl Engine {
    fn store(&self) -> Arc<dyn Store> {
        match self {
            Engine::Memory(s) => s.clone(),
            Engine::Sql(s, _) => s.clone(),
            Engine::Redb(s) => s.clone(),
        }
    }
}

async fn engine(name: &str) -> Option<Engine> {
    let dialect = match name {
        "memory" => return Some(Engine::Memory(Default::default())),
        "redb" => {
            let path = tmp().join("import.redb");
            let _ = std::fs::remove_file(&path);
            let store = foliodesk_redb::RedbStore::open(&path).await.unwrap();
            return Some(Engine::Redb(Arc::new(store)));
        }
        "sqlite" => Dialect::Sqlite,
        "postgres" => Dialect::Postgres,
        _ => Dialect::MySql,
    };
    if !reachable(dialect).await {
        return None;
    }
    let db = fresh_db(dialect, &format!("bench_import_{name}"), &tmp()).await;
    let store = SqlStore::open(&db.url).await.unwrap();
    // Kept until the next run recreates it: criterion drives the desk after this returns.
    std::mem::forget(db);
    Some(Engine::Sql(Arc::new(store), dialect))
}

/// Old ticket `n`: a VPN incident from 2024, routed to networks, solved and confirmed.
fn old_ticket(n: u64) -> ImportTicket {
    let opened: DateTime<Utc> = "2024-01-08T08:00:00Z".parse().unwrap();
    let opened = opened + chrono::Duration::minutes(n as i64 % 400_000);
    let step = |minutes: i64, actor: &str, command: Command| ImportStep {
        at: opened + chrono::Duration::minutes(minutes),
        actor: actor.into(),
        command,
    };
    let mut ticket = incident(n);
    ticket.category = Some("Red/VPN".into());
    ImportTicket {
        source: "glpi".into(),
        reference: n.to_string(),
        opened_at: opened,
        opened_by: "ana".into(),
        ticket,
        history: vec![
            step(
                5,
                "eva",
                Command::Assign {
                    team: None,
                    assignee: Some("eva".into()),
                },
            ),
            step(
                12,
                "eva",
                Command::Comment {
                    body: "Revisando el concentrador VPN; el certificado caducó anoche.".into(),
                    visibility: Visibility::Internal,
                },
            ),
            step(
                45,
                "eva",
                Command::ProposeSolution {
                    solution: "Certificado renovado y cliente reiniciado.".into(),
                },
            ),
            step(90, "ana", Command::ConfirmSolution),
        ],
    }
}

fn import(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("import_100k");
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    group.throughput(Throughput::Elements(PER_SAMPLE));
    group.warm_up_time(Duration::from_millis(1));
    for name in ENGINES.into_iter().filter(|n| wanted(n)) {
        let Some(engine) = rt.block_on(engine(name)) else {
            continue;
        };
        let desk = rt.block_on(example_desk(engine.store()));
        let next = AtomicU64::new(0);
        group.bench_function(BenchmarkId::new("import_all", name), |b| {
            b.to_async(&rt).iter_custom(|iters| {
                let (desk, next) = (&desk, &next);
                async move {
                    let count = iters * PER_SAMPLE;
                    let from = next.fetch_add(count, Ordering::Relaxed);
                    let start = Instant::now();
                    let tickets = (from..from + count).map(old_ticket);
                    let report = desk
                        .import_all(SYSTEM, tickets, BATCH, |_| {})
                        .await
                        .unwrap();
                    assert_eq!(report.imported, count);
                    start.elapsed()
                }
            })
        });
        if matches!(engine, Engine::Memory(_)) {
            continue;
        }
        let template = rt.block_on(Template::of(&desk));
        let raw = AtomicU64::new(0);
        group.bench_function(BenchmarkId::new("raw_engine", name), |b| {
            b.to_async(&rt).iter_custom(|iters| {
                let (engine, template, raw) = (&engine, &template, &raw);
                async move {
                    let count = iters * PER_SAMPLE;
                    let from = raw.fetch_add(count, Ordering::Relaxed);
                    let start = Instant::now();
                    for batch in (from..from + count).step_by(BATCH) {
                        template.write(engine, batch..batch + BATCH as u64).await;
                    }
                    start.elapsed()
                }
            })
        });
    }
    group.finish();
}

/// An imported ticket's stored projection and events, to copy under new ids.
struct Template {
    ticket: String,
    events: Vec<String>,
}

impl Template {
    async fn of(desk: &Desk) -> Template {
        let one = vec![old_ticket(u64::MAX / 2)];
        let report = desk.import_tickets(SYSTEM, one).await.unwrap();
        let id = &report.tickets[0].id;
        let ticket = desk.ticket(SYSTEM, id).await.unwrap();
        let events = desk.history(SYSTEM, id).await.unwrap();
        Template {
            ticket: serde_json::to_string(&ticket).unwrap(),
            events: events
                .iter()
                .map(|e| serde_json::to_string(e).unwrap())
                .collect(),
        }
    }

    /// Tickets `range` as raw rows, in one transaction.
    async fn write(&self, engine: &Engine, range: std::ops::Range<u64>) {
        match engine {
            Engine::Memory(_) => unreachable!("no raw baseline in memory"),
            Engine::Sql(store, d) => self.write_sql(store, *d, range).await,
            Engine::Redb(store) => {
                let (store, ticket, events) =
                    (store.clone(), self.ticket.clone(), self.events.clone());
                tokio::task::spawn_blocking(move || {
                    let txn = store.database().begin_write().unwrap();
                    {
                        let mut tickets = txn.open_table(RAW_TICKETS).unwrap();
                        let mut folios = txn.open_table(RAW_FOLIOS).unwrap();
                        let mut rows = txn.open_table(RAW_EVENTS).unwrap();
                        for n in range {
                            let id = format!("raw-{n:012}");
                            tickets.insert(id.as_str(), ticket.as_str()).unwrap();
                            folios
                                .insert(format!("RAW-{n}").as_str(), id.as_str())
                                .unwrap();
                            for (seq, body) in events.iter().enumerate() {
                                rows.insert((id.as_str(), seq as u64), body.as_str())
                                    .unwrap();
                            }
                        }
                    }
                    txn.commit().unwrap();
                })
                .await
                .unwrap();
            }
        }
    }

    async fn write_sql(&self, store: &SqlStore, d: Dialect, range: std::ops::Range<u64>) {
        let ids: Vec<u64> = range.collect();
        let mut tx = store.pool().begin().await.unwrap();
        let head = "INSERT INTO fd_tickets (id, folio, version, head_hash, kind, status, team, \
             assignee, requester, organisation, priority, category, watchers, opened_micros, \
             updated_micros, due_micros, sla_due_micros, body) VALUES ";
        for chunk in ids.chunks(500) {
            let sql = marks(d, head, 18, chunk.len());
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for n in chunk {
                let text = ["incident", "resolved", "networks", "eva", "ana", "acme"];
                q = q.bind(format!("raw-{n:012}")).bind(format!("RAW-{n}"));
                q = q.bind(6_i64).bind("0".repeat(64));
                for t in text {
                    q = q.bind(t);
                }
                q = q
                    .bind(3_i64)
                    .bind("Red/VPN")
                    .bind("|")
                    .bind(*n as i64)
                    .bind(*n as i64);
                q = q
                    .bind(None::<i64>)
                    .bind(None::<i64>)
                    .bind(self.ticket.clone());
            }
            q.execute(&mut *tx).await.unwrap();
        }
        let events: Vec<(u64, usize)> = (ids.iter())
            .flat_map(|n| (0..self.events.len()).map(move |s| (*n, s)))
            .collect();
        let head = "INSERT INTO fd_events (ticket_id, seq, at_micros, hash, body) VALUES ";
        for chunk in events.chunks(1000) {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(marks(d, head, 5, chunk.len())));
            for (n, seq) in chunk {
                q = q
                    .bind(format!("raw-{n:012}"))
                    .bind(*seq as i64 + 1)
                    .bind(*n as i64);
                q = q.bind("0".repeat(64)).bind(self.events[*seq].clone());
            }
            q.execute(&mut *tx).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
}

/// `head` then `rows` groups of `columns` placeholders, in `d`'s style.
fn marks(d: Dialect, head: &str, columns: usize, rows: usize) -> String {
    let mut sql = String::from(head);
    let mut n = 0;
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns {
            n += 1;
            if c > 0 {
                sql.push_str(", ");
            }
            match d {
                Dialect::Postgres => sql.push_str(&format!("${n}")),
                _ => sql.push('?'),
            }
        }
        sql.push(')');
    }
    sql
}

criterion_group!(benches, import);
criterion_main!(benches);
