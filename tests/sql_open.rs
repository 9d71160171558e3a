//! Opening a desk on a SQL engine: what a bad URL, a foreign or newer schema, or a MySQL
//! user without CREATE ROUTINE gives.
//!
//! PostgreSQL and MySQL come from `FOLIODESK_POSTGRES_URL` / `FOLIODESK_MYSQL_URL`
//! (defaults in `foliodesk_sql::testkit`); an unreachable server fails, unless
//! `FOLIODESK_SKIP` leaves it out.

mod common;

use common::{fresh, incident};
use foliodesk::*;
use foliodesk_sql::{Dialect, SqlStore};
use sqlx::{AssertSqlSafe, Executor};

const TMP: &str = env!("CARGO_TARGET_TMPDIR");

/// `fd_` tables that Foliodesk did not create, and a schema from a newer Foliodesk, are
/// refused with errors that say so.
async fn foreign_and_newer(d: Dialect) {
    let Some(guard) = fresh(d, &format!("open_{d:?}_foreign")).await else {
        return;
    };
    let url = guard.url.clone();
    let store = SqlStore::open(&url).await.unwrap();
    store
        .pool()
        .execute("UPDATE fd_schema SET version = 99 WHERE id = 1")
        .await
        .unwrap();
    store.close().await;
    let err = Desk::open(&url).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage);
    assert!(err.to_string().contains("newer than this build"), "{err}");

    let Some(guard) = fresh(d, &format!("open_{d:?}_foreign2")).await else {
        return;
    };
    let url = guard.url.clone();
    sqlx::any::install_default_drivers();
    let raw = sqlx::AnyPool::connect(&format!(
        "{url}{}",
        if d == Dialect::Sqlite {
            "?mode=rwc"
        } else {
            ""
        }
    ))
    .await
    .unwrap();
    raw.execute("CREATE TABLE fd_tickets (x INT)")
        .await
        .unwrap();
    raw.close().await;
    let err = Desk::open(&url).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage);
    assert!(
        err.to_string().contains("did not create: fd_tickets"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn foreign_and_newer_sqlite() {
    foreign_and_newer(Dialect::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn foreign_and_newer_postgres() {
    foreign_and_newer(Dialect::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn foreign_and_newer_mysql() {
    foreign_and_newer(Dialect::MySql).await;
}

#[tokio::test]
async fn bad_urls_say_what_is_wrong() {
    let err = Desk::open("postgres://nobody@127.0.0.1:1/none")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage);
    assert!(err.to_string().contains("running and reachable"), "{err}");
    let err = Desk::open("mysql://root:secret@127.0.0.1:1/x")
        .await
        .unwrap_err();
    assert!(
        !err.to_string().contains("secret"),
        "password leaked: {err}"
    );
    let err = Desk::open("sqlite://").await.unwrap_err();
    assert_eq!(err.field(), Some("url"), "{err}");
    let err = Desk::open(&format!("sqlite://{TMP}")).await.unwrap_err();
    assert!(err.to_string().contains("is a directory"), "{err}");
    let not_a_db = std::path::Path::new(TMP).join("not-a-database.db");
    std::fs::write(&not_a_db, vec![b'x'; 4096]).unwrap();
    let err = Desk::open(&format!("sqlite://{}", not_a_db.display()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage);
    assert!(err.to_string().contains("not a database"), "{err}");
    let err = Desk::open("oracle://db").await.unwrap_err();
    assert_eq!(err.field(), Some("url"));
    let err = Desk::open("no-scheme").await.unwrap_err();
    assert_eq!(err.field(), Some("url"));
}

/// A MySQL user without the CREATE ROUTINE privilege is told so when the schema migration
/// reaches the stored procedure; once granted, the next open finishes the migration.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mysql_without_create_routine_is_told_what_to_grant() {
    let Some(guard) = fresh(Dialect::MySql, "open_no_routine").await else {
        return;
    };
    let url = guard.url.clone();
    let db = url.rsplit('/').next().unwrap().to_owned();
    let admin_db = fresh(Dialect::MySql, "open_no_routine_admin")
        .await
        .unwrap();
    let admin = SqlStore::open(&admin_db.url).await.unwrap();
    for sql in [
        "DROP USER IF EXISTS 'fd_no_routine'@'%'".to_owned(),
        "CREATE USER 'fd_no_routine'@'%' IDENTIFIED BY 'pw'".to_owned(),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER ON {db}.* TO 'fd_no_routine'@'%'"),
    ] {
        admin.pool().execute(AssertSqlSafe(sql)).await.unwrap();
    }
    let host = url.split('@').nth(1).unwrap();
    let limited = format!("mysql://fd_no_routine:pw@{host}");
    let err = Desk::open(&limited).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage);
    let text = err.to_string();
    assert!(text.contains("CREATE ROUTINE"), "{text}");
    assert!(!text.contains(":pw@"), "password leaked: {text}");
    let grant =
        format!("GRANT CREATE ROUTINE, ALTER ROUTINE, EXECUTE ON {db}.* TO 'fd_no_routine'@'%'");
    admin.pool().execute(AssertSqlSafe(grant)).await.unwrap();
    let desk = Desk::open(&limited).await.expect("the migration resumes");
    desk.put_user(SYSTEM, User::new("ana", "Ana", Role::Requester))
        .await
        .unwrap();
    let t = desk.open_ticket("ana", incident("granted")).await.unwrap();
    assert_eq!(t.folio, "INC-2026-000001");
    admin
        .pool()
        .execute("DROP USER 'fd_no_routine'@'%'")
        .await
        .unwrap();
}

/// A store whose fact rows lost their pulse columns and the stored facts' version (what
/// MySQL's schema 11 migration leaves: columns added empty, the version forgotten) is
/// rewritten on open, and the dashboard counts as before.
async fn facts_without_pulse_are_rewritten_on_open(d: Dialect) {
    let Some(guard) = fresh(d, &format!("open_{d:?}_pulse")).await else {
        return;
    };
    let fx = common::desk_at(&guard.url, common::example_config()).await;
    for title in ["VPN caída", "Correo lento", "Impresora"] {
        fx.desk.open_ticket("ana", incident(title)).await.unwrap();
    }
    let before = fx.desk.dashboard("sue", None, 60, "UTC").await.unwrap();
    assert_eq!(before.in_hand, 3);
    let store = SqlStore::open(&guard.url).await.unwrap();
    for sql in [
        "UPDATE fd_facts SET team = NULL, status = NULL, level = NULL, unassigned = NULL, \
         waiting = NULL, breached = NULL, due_micros = NULL, alerted_micros = NULL",
        "DELETE FROM fd_meta WHERE id = 'report.facts'",
    ] {
        store.pool().execute(AssertSqlSafe(sql)).await.unwrap();
    }
    store.close().await;
    // Without its pulse, the stored backlog cannot be counted.
    assert!(fx.desk.dashboard("sue", None, 60, "UTC").await.is_err());
    let options = DeskOptions {
        config: Some(common::example_config()),
        clock: Some(fx.clock.clone()),
    };
    let reopened = Desk::open_with(&guard.url, options).await.unwrap();
    let after = reopened.dashboard("sue", None, 60, "UTC").await.unwrap();
    assert_eq!(after, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn facts_without_pulse_are_rewritten_on_open_sqlite() {
    facts_without_pulse_are_rewritten_on_open(Dialect::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn facts_without_pulse_are_rewritten_on_open_postgres() {
    facts_without_pulse_are_rewritten_on_open(Dialect::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn facts_without_pulse_are_rewritten_on_open_mysql() {
    facts_without_pulse_are_rewritten_on_open(Dialect::MySql).await;
}
