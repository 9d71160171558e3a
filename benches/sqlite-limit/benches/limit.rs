//! The engine's own limit, next to which `cargo bench --bench sql_store -- open_ticket/sqlite`
//! is read (benches/RESULTS.md): the same file settings as `foliodesk-sql` (WAL,
//! synchronous=FULL), the same schema (its migration file), and
//!
//! - `raw_insert_commit`: `BEGIN; INSERT one 1.2 kB row; COMMIT` — the raw sqlx case;
//! - `open_ticket_writes`: what one open writes — user read, `BEGIN IMMEDIATE`, folio draw,
//!   projection row, event, outbox row, `COMMIT` — with rows of the real sizes, through
//!   cached prepared statements. A new ticket has no team, assignee, organisation or SLA
//!   clock here, so the partial indexes on those take no entry, as in the desk's bench.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rusqlite::{params, Connection};

/// The schema `foliodesk-sql` creates: every SQLite migration, in order.
const SCHEMA: [&str; 3] = [
    include_str!("../../../storage-sql/migrations/sqlite/0001_init.sql"),
    include_str!("../../../storage-sql/migrations/sqlite/0002_sla_due.sql"),
    include_str!("../../../storage-sql/migrations/sqlite/0003_partial_indexes.sql"),
];

fn connection(name: &str) -> Connection {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-tmp");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
    )
    .unwrap();
    for migration in SCHEMA {
        conn.execute_batch(migration).unwrap();
    }
    conn.execute_batch(
        "CREATE TABLE raw_bench (id VARCHAR(64) NOT NULL PRIMARY KEY, body TEXT NOT NULL);
         INSERT INTO fd_users (id, body) VALUES ('ana', '{\"id\":\"ana\",\"name\":\"Ana\",\"role\":\"requester\"}');",
    )
    .unwrap();
    conn
}

fn limit(c: &mut Criterion) {
    let mut group = c.benchmark_group("sqlite_limit");
    group.throughput(Throughput::Elements(1));
    let body = "x".repeat(1200);
    let conn = connection("raw");
    let mut n = 0u64;
    group.bench_function("raw_insert_commit", |b| {
        b.iter(|| {
            n += 1;
            conn.execute_batch("BEGIN").unwrap();
            conn.prepare_cached("INSERT INTO raw_bench (id, body) VALUES (?1, ?2)")
                .unwrap()
                .execute(params![format!("raw-{n}"), body])
                .unwrap();
            conn.execute_batch("COMMIT").unwrap();
        })
    });
    let conn = connection("open");
    let ticket_body = "t".repeat(1500);
    let event_body = "e".repeat(1200);
    let outbox_body = "o".repeat(400);
    let mut n = 0u64;
    group.bench_function("open_ticket_writes", |b| {
        b.iter(|| {
            n += 1;
            let id = format!("0190a6c2-7f00-7000-8000-{n:012}");
            let user: String = conn
                .prepare_cached("SELECT body FROM fd_users WHERE id = ?1")
                .unwrap()
                .query_row(["ana"], |r| r.get(0))
                .unwrap();
            assert!(!user.is_empty());
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            let folio: i64 = conn
                .prepare_cached(
                    "INSERT INTO fd_folios (prefix, folio_year, last_number) VALUES (?1, ?2, 1) \
                     ON CONFLICT (prefix, folio_year) DO UPDATE SET last_number = last_number + 1 \
                     RETURNING last_number",
                )
                .unwrap()
                .query_row(params!["INC", 2026], |r| r.get(0))
                .unwrap();
            let at = 1_790_000_000_000_000i64 + n as i64;
            conn.prepare_cached(
                "INSERT INTO fd_tickets (id, folio, version, head_hash, kind, status, team, \
                 assignee, requester, organisation, priority, category, watchers, \
                 opened_micros, updated_micros, due_micros, body) \
                 VALUES (?1, ?2, 1, ?3, 'incident', 'new', NULL, NULL, 'ana', NULL, 3, NULL, \
                 '|ana|', ?4, ?4, NULL, ?5)",
            )
            .unwrap()
            .execute(params![id, format!("INC-2026-{folio:06}"), "h".repeat(64), at, ticket_body])
            .unwrap();
            conn.prepare_cached(
                "INSERT INTO fd_events (ticket_id, seq, at_micros, hash, body) \
                 VALUES (?1, 1, ?2, ?3, ?4)",
            )
            .unwrap()
            .execute(params![id, at, "h".repeat(64), event_body])
            .unwrap();
            conn.prepare_cached("INSERT INTO fd_outbox (ticket_id, body) VALUES (?1, ?2)")
                .unwrap()
                .execute(params![id, outbox_body])
                .unwrap();
            conn.execute_batch("COMMIT").unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, limit);
criterion_main!(benches);
