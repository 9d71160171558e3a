//! The facade on each SQL engine: concurrency, faults, several processes, two desks
//! ticking one database. Opening (bad URLs, foreign schemas) is in `sql_open.rs`.
//!
//! PostgreSQL and MySQL come from `FOLIODESK_POSTGRES_URL` / `FOLIODESK_MYSQL_URL`
//! (defaults in `foliodesk_sql::testkit`); an unreachable server fails, unless
//! `FOLIODESK_SKIP` leaves it out.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::{desk_at, example_config, fresh, incident};
use foliodesk::*;
use foliodesk_core::store::Store;
use foliodesk_sql::{Dialect, SqlStore};
use sqlx::{AssertSqlSafe, Executor, Row};

async fn count(store: &SqlStore, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    let row = sqlx::query(AssertSqlSafe(sql))
        .fetch_one(store.pool())
        .await
        .unwrap();
    row.try_get::<i64, _>(0).unwrap()
}

/// 8 tasks × 200 commands, a quarter on one shared ticket and the rest on each task's own:
/// no lost update, no duplicate or missing folio, every chain intact.
async fn concurrency(d: Dialect) {
    let Some(guard) = fresh(d, &format!("facade_{d:?}_concurrency")).await else {
        return;
    };
    let url = guard.url.clone();
    let desk = Arc::new(desk_at(&url, example_config()).await.desk);
    let shared = desk.open_ticket("ana", incident("Shared")).await.unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|w| {
            let (desk, shared) = (desk.clone(), shared.id.clone());
            tokio::spawn(async move {
                let own = desk
                    .open_ticket("ana", incident(&format!("own {w}")))
                    .await
                    .unwrap();
                for i in 0..200 {
                    let target = if i % 4 == 0 { &shared } else { &own.id };
                    let body = format!("worker {w} step {i}");
                    desk.comment("bob", target, body, Visibility::Internal)
                        .await
                        .unwrap();
                }
                own.id
            })
        })
        .collect();
    let mut ids = vec![shared.id.clone()];
    for task in tasks {
        ids.push(task.await.unwrap());
    }
    let shared = desk.ticket("bob", &shared.id).await.unwrap();
    assert_eq!(
        shared.comments.len(),
        400,
        "no lost update on the shared ticket"
    );
    let mut folios = BTreeSet::new();
    for id in &ids {
        let t = desk.ticket("bob", id).await.unwrap();
        if *id != shared.id {
            assert_eq!(t.comments.len(), 150);
        }
        folios.insert(t.folio.clone());
        let v = desk.verify(id).await.unwrap();
        assert!(v.is_intact(), "{id}: {v:?}");
        assert_eq!(v.checked as u64, t.version);
    }
    let expected: BTreeSet<String> = (1..=9).map(|n| format!("INC-2026-{n:06}")).collect();
    assert_eq!(folios, expected, "folios unique and gap-free");
}

/// Installs a trigger that makes every insert into `table` fail.
async fn inject_fault(store: &SqlStore, d: Dialect, table: &str) {
    let install = match d {
        Dialect::Sqlite => vec![format!(
            "CREATE TRIGGER fd_fail_{table} BEFORE INSERT ON {table} \
             BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
        )],
        Dialect::Postgres => vec![
            "CREATE OR REPLACE FUNCTION fd_fail() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$"
                .to_owned(),
            format!(
                "CREATE TRIGGER fd_fail_{table} BEFORE INSERT ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION fd_fail()"
            ),
        ],
        Dialect::MySql => vec![format!(
            "CREATE TRIGGER fd_fail_{table} BEFORE INSERT ON {table} FOR EACH ROW \
             SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected fault'"
        )],
    };
    for sql in install {
        store.pool().execute(AssertSqlSafe(sql)).await.unwrap();
    }
}

async fn remove_fault(store: &SqlStore, d: Dialect, table: &str) {
    let sql = match d {
        Dialect::Postgres => format!("DROP TRIGGER fd_fail_{table} ON {table}"),
        _ => format!("DROP TRIGGER fd_fail_{table}"),
    };
    store.pool().execute(AssertSqlSafe(sql)).await.unwrap();
}

async fn counts(store: &SqlStore) -> [i64; 4] {
    [
        count(store, "fd_tickets").await,
        count(store, "fd_events").await,
        count(store, "fd_outbox").await,
        count(store, "fd_folios").await,
    ]
}

/// A statement failing half-way through an append (the events insert) or on its last
/// statement (the outbox insert) leaves nothing behind: no ticket, no event, no
/// notification, no folio number used.
async fn fault(d: Dialect) {
    let Some(guard) = fresh(d, &format!("facade_{d:?}_fault")).await else {
        return;
    };
    let url = guard.url.clone();
    let f = desk_at(&url, example_config()).await;
    let raw = SqlStore::open(&url).await.unwrap();
    let kept = f.desk.open_ticket("ana", incident("kept")).await.unwrap();
    let before = counts(&raw).await;

    inject_fault(&raw, d, "fd_events").await;
    let err = f
        .desk
        .open_ticket("ana", incident("lost"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage, "{err}");
    assert!(err.to_string().contains("injected fault"), "{err}");
    assert_eq!(counts(&raw).await, before);
    remove_fault(&raw, d, "fd_events").await;

    inject_fault(&raw, d, "fd_outbox").await;
    let err = f
        .desk
        .comment("bob", &kept.id, "Could you restart it?", Visibility::Public)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage, "{err}");
    assert_eq!(counts(&raw).await, before);
    let unchanged = f.desk.ticket("bob", &kept.id).await.unwrap();
    assert_eq!(unchanged.version, kept.version);
    remove_fault(&raw, d, "fd_outbox").await;

    let reply = f
        .desk
        .comment("bob", &kept.id, "Could you restart it?", Visibility::Public)
        .await
        .unwrap();
    assert_eq!(reply.version, kept.version + 1);
    assert!(
        count(&raw, "fd_outbox").await > before[2],
        "the reply notifies ana"
    );
    let next = f.desk.open_ticket("ana", incident("next")).await.unwrap();
    assert_eq!(
        next.folio, "INC-2026-000002",
        "the failed append used no number"
    );
    assert!(f.desk.verify(&kept.id).await.unwrap().is_intact());
}

/// Appends abandoned at every stage (a caller's timeout drops the future half-way through
/// its transaction) leave nothing half-written, hold no lock, and give their folio number
/// back: afterwards every ticket has its whole history, folios run 1..=n, and the desk
/// goes on working.
async fn abandoned(d: Dialect) {
    let Some(guard) = fresh(d, &format!("facade_{d:?}_abandoned")).await else {
        return;
    };
    let url = guard.url.clone();
    let f = desk_at(&url, example_config()).await;
    let raw = SqlStore::open(&url).await.unwrap();
    let started = std::time::Instant::now();
    let kept = f.desk.open_ticket("ana", incident("kept")).await.unwrap();
    f.desk
        .comment("bob", &kept.id, "first", Visibility::Internal)
        .await
        .unwrap();
    // Timeouts sweep from nothing to 1.5 times what an append takes here.
    let typical = started.elapsed() / 2;
    let mut cut = 0;
    for k in 0..60u32 {
        let limit = typical * k / 40;
        let attempt = async {
            if k % 3 == 0 {
                f.desk
                    .comment("bob", &kept.id, format!("note {k}"), Visibility::Internal)
                    .await
                    .map(drop)
            } else {
                f.desk
                    .open_ticket("ana", incident(&format!("try {k}")))
                    .await
                    .map(drop)
            }
        };
        match tokio::time::timeout(limit, attempt).await {
            Ok(done) => done.unwrap(),
            Err(_) => cut += 1,
        }
    }
    eprintln!("{d:?}: {cut} of 60 appends abandoned");
    let last = f.desk.open_ticket("ana", incident("after")).await.unwrap();
    let rows = sqlx::query("SELECT id, folio, version FROM fd_tickets")
        .fetch_all(raw.pool())
        .await
        .unwrap();
    let mut numbers = Vec::new();
    let mut events = 0;
    for row in &rows {
        let id = TicketId::new(row.get::<String, _>(0));
        let folio: String = row.get(1);
        numbers.push(folio.rsplit('-').next().unwrap().parse::<i64>().unwrap());
        let history = raw.events(&id).await.unwrap();
        assert_eq!(history.len() as i64, row.get::<i64, _>(2), "{folio}");
        assert!(f.desk.verify(&id).await.unwrap().is_intact(), "{folio}");
        events += history.len() as i64;
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=rows.len() as i64).collect::<Vec<_>>());
    assert_eq!(last.folio, format!("INC-2026-{:06}", rows.len()));
    assert_eq!(count(&raw, "fd_events").await, events, "no orphan events");
}

/// Two desks on one database take turns opening tickets, so each one's guess of the next
/// folio (see foliodesk-sql's `guess`) is stale every time: the guess writes nothing, the
/// locked draw takes over, and folios come out in order with no gap and no duplicate.
async fn stale_guesses(d: Dialect) {
    let Some(guard) = fresh(d, &format!("facade_{d:?}_stale_guesses")).await else {
        return;
    };
    let url = guard.url.clone();
    let a = desk_at(&url, example_config()).await.desk;
    let b = desk_at(&url, example_config()).await.desk;
    let raw = SqlStore::open(&url).await.unwrap();
    for i in 1..=12 {
        let desk = if i % 2 == 1 { &a } else { &b };
        let t = desk
            .open_ticket("ana", incident(&format!("turn {i}")))
            .await
            .unwrap();
        assert_eq!(t.folio, format!("INC-2026-{:06}", 2 * i - 1));
        // The same desk again: now its guess holds.
        let t = desk
            .open_ticket("ana", incident(&format!("again {i}")))
            .await
            .unwrap();
        assert_eq!(t.folio, format!("INC-2026-{:06}", 2 * i));
    }
    assert_eq!(count(&raw, "fd_tickets").await, 24);
    assert_eq!(count(&raw, "fd_events").await, 24);
}

/// Several processes open tickets in one database at once: folios stay gap-free.
async fn processes(d: Dialect) {
    let Some(guard) = fresh(d, &format!("facade_{d:?}_processes")).await else {
        return;
    };
    let url = guard.url.clone();
    let f = desk_at(&url, example_config()).await;
    drop(f);
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..3)
        .map(|_| {
            std::process::Command::new(&exe)
                .args(["--exact", "child_opens_tickets", "--ignored", "--quiet"])
                .env("FOLIODESK_CHILD_URL", &url)
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a child process failed");
    }
    let desk = Desk::open(&url).await.unwrap();
    let page = desk
        .query(
            "bob",
            TicketFilter::default(),
            PageRequest {
                limit: 1000,
                ..PageRequest::default()
            },
        )
        .await
        .unwrap();
    let folios: BTreeSet<String> = page.items.iter().map(|t| t.folio.clone()).collect();
    let expected: BTreeSet<String> = (1..=60).map(|n| format!("INC-2026-{n:06}")).collect();
    assert_eq!(folios, expected);
}

/// Run by `processes` in child processes: opens 20 tickets in the database it is given.
#[tokio::test]
#[ignore = "run by the multi-process tests"]
async fn child_opens_tickets() {
    let url = std::env::var("FOLIODESK_CHILD_URL").expect("FOLIODESK_CHILD_URL");
    let desk = Desk::open(&url).await.unwrap();
    for i in 0..20 {
        desk.open_ticket("ana", incident(&format!("from a child {i}")))
            .await
            .unwrap();
    }
}

/// Two desks sweep one database at the same instant: each due ticket is auto-confirmed
/// exactly once.
async fn two_desks_tick(d: Dialect) {
    let Some(guard) = fresh(d, &format!("facade_{d:?}_tick")).await else {
        return;
    };
    let url = guard.url.clone();
    let f = desk_at(&url, example_config()).await;
    let mut ids = Vec::new();
    for i in 0..20 {
        let t = f
            .desk
            .open_ticket("ana", incident(&format!("t{i}")))
            .await
            .unwrap();
        f.desk
            .assign("bob", &t.id, None, Some("bob".into()))
            .await
            .unwrap();
        f.desk
            .propose_solution("bob", &t.id, "restarted")
            .await
            .unwrap();
        ids.push(t.id);
    }
    let later = f.clock.now() + chrono::Duration::days(4);
    let other = Desk::open(&url).await.unwrap();
    let (a, b) = tokio::join!(f.desk.tick_at(later), other.tick_at(later));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.auto_confirmed.len() + b.auto_confirmed.len(), 20);
    for id in &ids {
        let history = f.desk.history("bob", id).await.unwrap();
        let confirmed = history
            .iter()
            .filter(|e| e.event.type_name() == "solution_confirmed")
            .count();
        assert_eq!(confirmed, 1, "{id}");
    }
    assert!(other
        .tick_at(later)
        .await
        .unwrap()
        .auto_confirmed
        .is_empty());
}

macro_rules! on_each_engine {
    ($($test:ident),+ $(,)?) => {
        mod sqlite { $( #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $test() { super::$test(foliodesk_sql::Dialect::Sqlite).await } )+ }
        mod postgres { $( #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $test() { super::$test(foliodesk_sql::Dialect::Postgres).await } )+ }
        mod mysql { $( #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $test() { super::$test(foliodesk_sql::Dialect::MySql).await } )+ }
    };
}

on_each_engine!(
    concurrency,
    fault,
    abandoned,
    stale_guesses,
    processes,
    two_desks_tick,
);
