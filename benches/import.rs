//! Importing 100,000 tickets with their history (`Desk::import_all`, 1,000 per
//! transaction) on each engine, with the example configuration: routing by category,
//! SLA policies, the whole directory read once. Each ticket is opened, routed, commented,
//! solved and confirmed: 6 events. Beside it, the way there was before: the same number of
//! tickets opened one durable append each (`bulk_import` in sql_store / redb_store).
//! Results and the command: benches/RESULTS.md.
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

mod common;
use common::*;

const ENGINES: [&str; 4] = ["sqlite", "redb", "postgres", "mysql"];
const PER_SAMPLE: u64 = 10_000;
const BATCH: usize = 1_000;

fn wanted(name: &str) -> bool {
    std::env::var("FOLIODESK_BENCH_ENGINES").map_or(true, |v| v.split(',').any(|e| e == name))
}

async fn store(name: &str) -> Option<Arc<dyn Store>> {
    let dialect = match name {
        "redb" => {
            let path = tmp().join("import.redb");
            let _ = std::fs::remove_file(&path);
            return Some(Arc::new(
                foliodesk_redb::RedbStore::open(&path).await.unwrap(),
            ));
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
    Some(Arc::new(store))
}

/// A desk with the example configuration and its people.
async fn desk(store: Arc<dyn Store>) -> Desk {
    let config = load_config(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/foliodesk.toml"
    ));
    let options = DeskOptions {
        config: Some(config.unwrap()),
        clock: None,
    };
    let desk = Desk::with_store(store, options).await.unwrap();
    desk.put_organisation(SYSTEM, Organisation::new("acme", "ACME"))
        .await
        .unwrap();
    for (id, role, team) in [
        ("ana", Role::Requester, None),
        ("bob", Role::Agent, Some("service-desk")),
        ("eva", Role::Agent, Some("networks")),
    ] {
        let mut u = User::new(id, id.to_uppercase(), role);
        u.organisation = Some("acme".into());
        u.teams = team.into_iter().map(TeamId::from).collect();
        desk.put_user(SYSTEM, u).await.unwrap();
    }
    desk
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
        let Some(store) = rt.block_on(store(name)) else {
            continue;
        };
        let desk = rt.block_on(desk(store));
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
    }
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
