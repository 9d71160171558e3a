//! Reports and the dashboard over 1,000,000 tickets (issue 17): a month's KPI report cut by
//! week, the year's cut by month, and the supervisor's dashboard over the live backlog,
//! each beside the raw engine reading the same stored facts (no decoding, no figures), in
//! the same run.
//!
//! The facts are those of a year of a busy desk (2025, ~2,740 tickets a day): channels,
//! categories, teams, technicians, SLA outcomes, business times and ratings drawn from a
//! fixed seed; 2 % are still live. They are written with `put_facts`, as a rebuild does,
//! then the finished ones are packed into day blocks (`pack_report_facts`, as `tick` does).
//!
//! `open_facts/{engine}` times a durable open with its report fact and without, on SQLite
//! and redb: what keeping facts adds to every append.
//!
//! `cargo bench --bench report` (`FOLIODESK_BENCH_ENGINES=sqlite,postgres,mysql,redb` narrows
//! it; MySQL/MariaDB from `FOLIODESK_MYSQL_URL`).

mod common;

use std::sync::Arc;

use std::sync::atomic::AtomicU64;

use common::{example_desk, open_concurrently, runtime, selected, tmp};
use criterion::{criterion_group, criterion_main, Criterion};
use foliodesk::core::report::{Fact, LevelFact, TargetFact, TargetOutcome};
use foliodesk::core::sla::Target;
use foliodesk::core::store::Store;
use foliodesk::core::testkit::Observed;
use foliodesk::report::{Every, Window};
use foliodesk::*;
use sqlx::Row as _;

const TICKETS: u64 = 1_000_000;
const BASE: i64 = 1_735_689_600_000_000; // 2025-01-01T00:00:00Z
const YEAR: i64 = 365 * 86_400_000_000;

fn engines() -> Vec<&'static str> {
    let wanted = std::env::var("FOLIODESK_BENCH_ENGINES").unwrap_or_default();
    ["sqlite", "postgres", "mysql", "redb"]
        .into_iter()
        .filter(|e| wanted.is_empty() || wanted.split(',').any(|w| w == *e))
        .collect()
}

/// A small deterministic generator (xorshift), so every engine gets the same facts.
struct Draw(u64);

impl Draw {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn fact(i: u64, d: &mut Draw) -> Fact {
    let opened = BASE + (i as i64) * (YEAR / TICKETS as i64);
    let live = d.next(50) == 0;
    let resolved = !live && d.next(10) < 9;
    let status = match (live, resolved) {
        (true, _) => [Status::New, Status::Open, Status::Pending][d.next(3) as usize],
        (false, true) => Status::Closed,
        (false, false) => Status::Cancelled,
    };
    let channels = [
        Channel::Email,
        Channel::Phone,
        Channel::Portal,
        Channel::Chat,
    ];
    let categories = [
        "Hardware",
        "Red/VPN",
        "Software/Correo",
        "Accesos",
        "Seguridad",
    ];
    let secs = |d: &mut Draw, max: u64| d.next(max) as u32 + 60;
    let response = secs(d, 7_200);
    let resolution = secs(d, 172_800);
    let outcome = |d: &mut Draw| match d.next(10) {
        0 => TargetOutcome::Breached,
        _ => TargetOutcome::Met,
    };
    Fact {
        ticket: format!("{i:016x}-bench").into(),
        opened,
        kind: TicketKind::Incident,
        channel: channels[d.next(4) as usize],
        category: Some(Category::parse("category", categories[d.next(5) as usize]).unwrap()),
        service: Some(format!("svc-{}", d.next(12))),
        organisation: Some(format!("org-{}", d.next(40)).into()),
        priority: 1 + d.next(5) as u8,
        status,
        waiting_on_requester: status == Status::Pending,
        level: [SupportLevel::N1, SupportLevel::N2, SupportLevel::N3][d.next(3) as usize],
        team: Some(format!("team-{}", d.next(20)).into()),
        assignee: (status != Status::New).then(|| format!("agent-{}", d.next(120)).into()),
        assigned: Some(opened + 60_000_000),
        responded: Some(opened + i64::from(response) * 1_000_000),
        resolved: resolved.then(|| opened + i64::from(resolution) * 1_000_000),
        finished: resolved.then(|| opened + i64::from(resolution) * 2_000_000),
        attention_business: Some(60),
        response_business: Some(response / 2),
        resolution_business: resolved.then_some(resolution / 3),
        reopens: u32::from(d.next(20) == 0),
        functional: u32::from(d.next(6) == 0),
        hierarchical: u32::from(d.next(40) == 0),
        satisfaction: (resolved && d.next(3) == 0).then(|| 1 + d.next(5) as u8),
        surveyed: resolved,
        problem: (d.next(100) == 0).then(|| format!("prb-{}", d.next(30)).into()),
        occurrences: 1 + u32::from(d.next(30) == 0),
        security: d.next(50) == 0,
        policy: Some("standard".into()),
        targets: vec![
            TargetFact {
                target: Target::FirstResponse,
                outcome: outcome(d),
            },
            TargetFact {
                target: Target::Resolution,
                outcome: if live {
                    TargetOutcome::Running(opened + 3 * YEAR / 365)
                } else {
                    outcome(d)
                },
            },
        ],
        levels: vec![LevelFact {
            level: SupportLevel::N1,
            used: resolution / 4,
            budget: Some(14_400),
        }],
        alerted: None,
    }
}

async fn open(engine: &str) -> (Desk, String) {
    let url = match engine {
        "postgres" | "mysql" => {
            let d = match engine {
                "postgres" => foliodesk_sql::Dialect::Postgres,
                _ => foliodesk_sql::Dialect::MySql,
            };
            let db = foliodesk_sql::testkit::fresh_db(d, "report_bench", &tmp()).await;
            let url = db.url.clone();
            std::mem::forget(db); // kept for the whole run
            url
        }
        e => {
            let path = tmp().join(format!("report_bench.{e}"));
            let _ = std::fs::remove_file(&path);
            format!("{e}://{}", path.display())
        }
    };
    let config = foliodesk::load_config(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/foliodesk.toml"
    ))
    .unwrap();
    let desk = Desk::open_with(
        &url,
        DeskOptions {
            config: Some(config),
            clock: None,
        },
    )
    .await
    .unwrap();
    let mut d = Draw(0x9e37_79b9_7f4a_7c15);
    let mut batch = Vec::with_capacity(10_000);
    for i in 0..TICKETS {
        batch.push(fact(i, &mut d));
        if batch.len() == 10_000 {
            desk.store()
                .put_facts(std::mem::take(&mut batch))
                .await
                .unwrap();
        }
    }
    let started = std::time::Instant::now();
    let packed = desk.pack_report_facts(u32::MAX).await.unwrap();
    eprintln!(
        "{engine}: {packed} facts packed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if engine == "postgres" {
        // What autovacuum does to a table that took a million rows and lost most of them
        // to packing: statistics, and the visibility map an index-only scan needs.
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&url).await.unwrap();
        sqlx::query("VACUUM ANALYZE fd_facts")
            .execute(&pool)
            .await
            .unwrap();
    }
    (desk, url)
}

fn window(from: &str, to: &str, every: Every) -> Window {
    Window {
        from: from.parse().unwrap(),
        to: to.parse().unwrap(),
        time_zone: "Europe/Madrid".into(),
        every,
    }
}

/// The engine alone: the year's blocks and rows as SQL gives them, undecoded (SQL engines).
async fn engine_scan(pool: &sqlx::AnyPool, mysql: bool, from: i64, to: i64) -> usize {
    let mut bytes = 0;
    for sql in [
        "SELECT body FROM fd_fact_blocks WHERE day_micros >= $1 AND day_micros < $2",
        "SELECT body FROM fd_facts WHERE opened_micros >= $1 AND opened_micros < $2",
    ] {
        let sql = match mysql {
            true => sql.replace("$1", "?").replace("$2", "?"),
            false => sql.to_owned(),
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await
            .unwrap();
        bytes += rows
            .iter()
            .map(|r| r.get::<Vec<u8>, _>(0).len())
            .sum::<usize>();
    }
    bytes
}

/// The year's blocks and rows read through the store, bytes undecoded, no figure: the
/// floor under a report.
async fn stored_scan(store: &dyn Store, from: i64, to: i64) -> usize {
    let mut bytes = 0;
    let mut next = from;
    loop {
        let page = store.fact_blocks(next, to, 8).await.unwrap();
        bytes += page.iter().map(|b| b.body.len()).sum::<usize>();
        match page.last() {
            Some(b) if page.len() == 8 => next = b.day + 1,
            _ => break,
        }
    }
    bytes + raw_scan(store, from, to, false).await
}

/// The fact rows of a span read and decoded through the store, in the report's pages.
async fn raw_scan(store: &dyn Store, from: i64, to: i64, live: bool) -> usize {
    let mut q = foliodesk::core::report::FactQuery {
        opened_from: Some(from),
        opened_to: Some(to),
        live_only: live,
        after: None,
        limit: 5_000,
    };
    let mut n = 0;
    loop {
        let page = store.facts(&q).await.unwrap();
        n += page.len();
        match page.last() {
            Some(f) if page.len() == 5_000 => q.after = Some((f.opened, f.ticket.clone())),
            _ => return n,
        }
    }
}

fn reports_1m(c: &mut Criterion) {
    if !selected("report_1m") {
        return;
    }
    let rt = runtime();
    for engine in engines() {
        let started = std::time::Instant::now();
        let (desk, url) = rt.block_on(open(engine));
        eprintln!(
            "{engine}: 1,000,000 facts written in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        let mut g = c.benchmark_group(format!("report_1m/{engine}"));
        g.sample_size(10);
        let month = window("2025-06-01", "2025-07-01", Every::Week);
        let year = window("2025-01-01", "2026-01-01", Every::Month);
        g.bench_function("month_report", |b| {
            b.to_async(&rt)
                .iter(|| desk.report(SYSTEM, month.clone(), None))
        });
        g.bench_function("year_report", |b| {
            b.to_async(&rt)
                .iter(|| desk.report(SYSTEM, year.clone(), None))
        });
        g.bench_function("dashboard", |b| {
            b.to_async(&rt)
                .iter(|| desk.dashboard(SYSTEM, None, 60, "Europe/Madrid"))
        });
        let store: Arc<dyn Store> = desk.store().clone();
        let (y0, y1) = (BASE, BASE + YEAR);
        g.bench_function("year_stored_read", |b| {
            b.to_async(&rt).iter(|| stored_scan(store.as_ref(), y0, y1))
        });
        g.bench_function("live_rows_read", |b| {
            b.to_async(&rt)
                .iter(|| raw_scan(store.as_ref(), i64::MIN, i64::MAX, true))
        });
        if engine != "redb" {
            sqlx::any::install_default_drivers();
            let pool = rt.block_on(sqlx::AnyPool::connect(&url)).unwrap();
            let mysql = engine == "mysql";
            g.bench_function("year_engine_read", |b| {
                b.to_async(&rt).iter(|| engine_scan(&pool, mysql, y0, y1))
            });
        }
        g.finish();
    }
}

/// A durable open of a routed incident with the example configuration, with its report
/// fact (as shipped) and without (`testkit::Observed::without_report_facts`).
fn open_facts(c: &mut Criterion) {
    if !selected("open_facts") {
        return;
    }
    let rt = runtime();
    for engine in engines().into_iter().filter(|e| *e != "postgres") {
        let store = |name: &'static str| async move {
            let path = tmp().join(format!("{name}.{engine}"));
            let _ = std::fs::remove_file(&path);
            let url = format!("{engine}://{}", path.display());
            let s: Arc<dyn Store> = match engine {
                "sqlite" => Arc::new(foliodesk_sql::SqlStore::open(&url).await.unwrap()),
                _ => Arc::new(foliodesk_redb::RedbStore::open_url(&url).await.unwrap()),
            };
            s
        };
        let with = rt.block_on(async { example_desk(store("open_with_facts").await).await });
        let without = rt.block_on(async {
            let inner = store("open_without_facts").await;
            example_desk(Arc::new(Observed::new(inner).without_report_facts())).await
        });
        let mut group = c.benchmark_group(format!("open_facts/{engine}"));
        let next = Arc::new(AtomicU64::new(0));
        for (name, desk) in [("with_facts", &with), ("without_facts", &without)] {
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

criterion_group!(benches, reports_1m, open_facts);
criterion_main!(benches);
