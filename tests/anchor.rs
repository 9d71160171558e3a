//! The desk anchor against real tampering: rows and files of SQLite, PostgreSQL, MySQL and
//! redb are edited behind the desk's back — a payload, a time, a deleted event, a deleted
//! ticket, a truncated tail, an edited projection — and `verify_desk` names every one.

mod common;

use std::path::PathBuf;

use common::{desk_at, example_config, incident};
use foliodesk::core::anchor::Finding;
use foliodesk::core::hash::Breach;
use foliodesk::*;
use foliodesk_sql::testkit::{fresh_db, reachable};
use foliodesk_sql::{Dialect, SqlStore};
use redb::{ReadableDatabase, ReadableTable, TableDefinition};
use sqlx::{AssertSqlSafe, Row};

const TMP: &str = env!("CARGO_TARGET_TMPDIR");

/// Where the desk lives, and how to edit it with the engine's own tools.
enum Backend {
    Sql(Dialect, String),
    Redb(PathBuf),
}

const EVENTS: TableDefinition<(&str, u64), &str> = TableDefinition::new("events");
const TICKETS: TableDefinition<&str, (u64, &str, Option<i64>, &str)> =
    TableDefinition::new("tickets");
const INDEX: TableDefinition<(&str, i64, &str), ()> = TableDefinition::new("index");

impl Backend {
    fn url(&self) -> String {
        match self {
            Backend::Sql(_, url) => url.clone(),
            Backend::Redb(path) => format!("redb://{}", path.display()),
        }
    }

    /// Runs `sql` (portable `?` marks) with text binds on the database, no desk open.
    async fn sql(&self, sql: &str, binds: &[&str]) -> Vec<String> {
        let Backend::Sql(d, url) = self else {
            unreachable!("SQL edit on redb")
        };
        let store = SqlStore::open(url).await.unwrap();
        let mut q = sqlx::query(AssertSqlSafe(d.sql(sql)));
        for b in binds {
            q = q.bind(b.to_string());
        }
        let rows = q.fetch_all(store.pool()).await.unwrap();
        let out = rows
            .iter()
            .filter_map(|r| r.try_get::<String, _>(0).ok())
            .collect();
        store.close().await;
        out
    }

    async fn event(&self, id: &str, seq: u64) -> String {
        match self {
            Backend::Sql(..) => {
                let sql = format!("SELECT body FROM fd_events WHERE ticket_id = ? AND seq = {seq}");
                self.sql(&sql, &[id]).await.remove(0)
            }
            Backend::Redb(path) => {
                let db = redb::Database::open(path).unwrap();
                let txn = db.begin_read().unwrap();
                let t = txn.open_table(EVENTS).unwrap();
                let body = t.get((id, seq)).unwrap().unwrap().value().to_owned();
                body
            }
        }
    }

    async fn put_event(&self, id: &str, seq: u64, body: &str) {
        match self {
            Backend::Sql(..) => {
                let sql =
                    format!("UPDATE fd_events SET body = ? WHERE ticket_id = ? AND seq = {seq}");
                self.sql(&sql, &[body, id]).await;
            }
            Backend::Redb(path) => redb_write(path, |txn| {
                let mut t = txn.open_table(EVENTS).unwrap();
                t.insert((id, seq), body).unwrap();
            }),
        }
    }

    async fn delete_events_from(&self, id: &str, from: u64, to: u64) {
        match self {
            Backend::Sql(..) => {
                let sql = format!(
                    "DELETE FROM fd_events WHERE ticket_id = ? AND seq >= {from} AND seq <= {to}"
                );
                self.sql(&sql, &[id]).await;
            }
            Backend::Redb(path) => redb_write(path, |txn| {
                let mut t = txn.open_table(EVENTS).unwrap();
                for seq in from..=to {
                    t.remove((id, seq)).unwrap();
                }
            }),
        }
    }

    async fn delete_ticket(&self, id: &str, version: u64) {
        self.delete_events_from(id, 1, version).await;
        match self {
            Backend::Sql(..) => {
                self.sql("DELETE FROM fd_tickets WHERE id = ?", &[id]).await;
            }
            // A thorough deletion: the projection and every index entry naming it.
            Backend::Redb(path) => redb_write(path, |txn| {
                let mut t = txn.open_table(TICKETS).unwrap();
                t.remove(id).unwrap();
                let mut index = txn.open_table(INDEX).unwrap();
                let keys: Vec<(String, i64, String)> = index
                    .iter()
                    .unwrap()
                    .map(|e| {
                        let (k, _) = e.unwrap();
                        let (a, b, c) = k.value();
                        (a.to_owned(), b, c.to_owned())
                    })
                    .filter(|(_, _, c)| c == id)
                    .collect();
                for (a, b, c) in &keys {
                    index.remove((a.as_str(), *b, c.as_str())).unwrap();
                }
            }),
        }
    }

    async fn projection(&self, id: &str) -> String {
        match self {
            Backend::Sql(..) => self
                .sql("SELECT body FROM fd_tickets WHERE id = ?", &[id])
                .await
                .remove(0),
            Backend::Redb(path) => {
                let db = redb::Database::open(path).unwrap();
                let txn = db.begin_read().unwrap();
                let t = txn.open_table(TICKETS).unwrap();
                let body = t.get(id).unwrap().unwrap().value().3.to_owned();
                body
            }
        }
    }

    async fn put_projection(&self, id: &str, body: &str) {
        match self {
            Backend::Sql(..) => {
                let sql = "UPDATE fd_tickets SET body = ? WHERE id = ?";
                self.sql(sql, &[body, id]).await;
            }
            Backend::Redb(path) => redb_write(path, |txn| {
                let mut t = txn.open_table(TICKETS).unwrap();
                let (v, h, d) = {
                    let row = t.get(id).unwrap().unwrap();
                    let (v, h, d, _) = row.value();
                    (v, h.to_owned(), d)
                };
                t.insert(id, (v, h.as_str(), d, body)).unwrap();
            }),
        }
    }
}

fn redb_write(path: &PathBuf, edit: impl FnOnce(&redb::WriteTransaction)) {
    let db = redb::Database::open(path).unwrap();
    let txn = db.begin_write().unwrap();
    edit(&txn);
    txn.commit().unwrap();
}

/// A ticket with five events: opened, assigned, two comments, solution proposed.
async fn worked(desk: &Desk, title: &str) -> Ticket {
    let t = desk.open_ticket("ana", incident(title)).await.unwrap();
    desk.assign("bob", &t.id, None, Some("bob".into()))
        .await
        .unwrap();
    desk.comment("bob", &t.id, "Looking", Visibility::Public)
        .await
        .unwrap();
    desk.comment("ana", &t.id, "Thanks", Visibility::Public)
        .await
        .unwrap();
    desk.propose_solution("bob", &t.id, "Fixed").await.unwrap()
}

fn json_edit(body: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(body).unwrap();
    edit(&mut v);
    v.to_string()
}

async fn every_tamper_is_named(backend: Backend) {
    let names = [
        "payload",
        "time",
        "deleted event",
        "deleted ticket",
        "tail",
        "projection",
        "untouched",
    ];
    let mut ids = Vec::new();
    {
        let f = desk_at(&backend.url(), example_config()).await;
        for n in names {
            ids.push(worked(&f.desk, n).await);
        }
        let cp = f.desk.checkpoint().await.unwrap();
        assert_eq!((cp.seq, cp.tickets), (1, 7));
        let again = f.desk.checkpoint().await.unwrap();
        assert_eq!(again, cp, "nothing changed: the newest checkpoint stands");
        let report = f.desk.verify_desk().await.unwrap();
        assert!(report.is_intact(), "{:?}", report.findings);
        assert_eq!(report.anchor.as_deref(), Some(cp.hash.as_str()));
        // A change after the checkpoint is anchored by the next one.
        f.desk.confirm_solution("ana", &ids[6].id).await.unwrap();
        let next = f.desk.checkpoint().await.unwrap();
        assert_eq!((next.seq, next.heads.len(), next.prev), (2, 1, cp.hash));
    }
    let id = |i: usize| ids[i].id.as_str().to_owned();
    let body = backend.event(&id(0), 1).await;
    let edited = json_edit(&body, |v| v["event"]["data"]["title"] = "edited".into());
    assert_ne!(edited, body, "the payload edit changes the stored text");
    backend.put_event(&id(0), 1, &edited).await;
    let body = backend.event(&id(1), 2).await;
    let edited = json_edit(&body, |v| v["at"] = "2026-03-01T08:00:00Z".into());
    backend.put_event(&id(1), 2, &edited).await;
    backend.delete_events_from(&id(2), 3, 3).await;
    backend.delete_ticket(&id(3), ids[3].version).await;
    backend.delete_events_from(&id(4), 4, 5).await;
    let body = backend.projection(&id(5)).await;
    let edited = json_edit(&body, |v| v["status"] = "closed".into());
    backend.put_projection(&id(5), &edited).await;

    let desk = Desk::open(&backend.url()).await.unwrap();
    let report = desk.verify_desk().await.unwrap();
    let about = |i: usize| -> Vec<&Finding> {
        report
            .findings
            .iter()
            .filter(|f| format!("{f:?}").contains(&id(i)))
            .collect()
    };
    let has = |i: usize, pred: &dyn Fn(&Finding) -> bool| {
        assert!(
            about(i).into_iter().any(pred),
            "{}: {:?}",
            names[i],
            report.findings
        )
    };
    has(0, &|f| {
        matches!(
            f,
            Finding::BrokenChain {
                sequence: 1,
                breach: Breach::HashMismatch,
                ..
            }
        )
    });
    has(1, &|f| {
        matches!(
            f,
            Finding::BrokenChain {
                sequence: 2,
                breach: Breach::HashMismatch,
                ..
            }
        )
    });
    has(2, &|f| {
        matches!(f, Finding::BrokenChain { sequence: 3, .. })
    });
    has(3, &|f| matches!(f, Finding::DeletedTicket { .. }));
    has(4, &|f| {
        matches!(
            f,
            Finding::TruncatedTail {
                anchored: 5,
                found: 3,
                ..
            }
        )
    });
    has(
        5,
        &|f| matches!(f, Finding::ProjectionMismatch { detail, .. } if detail.contains("status")),
    );
    assert!(about(6).is_empty(), "{:?}", about(6));
    assert!(!report.is_intact());
    // A later checkpoint launders nothing: the anchor keeps every head it vouched for.
    desk.checkpoint().await.unwrap();
    let later = desk.verify_desk().await.unwrap();
    assert_eq!(later.findings, report.findings);
}

async fn sql(d: Dialect) {
    if !reachable(d).await {
        return;
    }
    let db = fresh_db(d, &format!("anchor_{d:?}"), std::path::Path::new(TMP)).await;
    every_tamper_is_named(Backend::Sql(d, db.url.clone())).await;
}

#[tokio::test]
async fn sqlite_tampering_is_named() {
    sql(Dialect::Sqlite).await;
}

#[tokio::test]
async fn postgres_tampering_is_named() {
    sql(Dialect::Postgres).await;
}

#[tokio::test]
async fn mysql_tampering_is_named() {
    sql(Dialect::MySql).await;
}

#[tokio::test]
async fn redb_tampering_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("anchor.redb");
    every_tamper_is_named(Backend::Redb(path)).await;
}

#[tokio::test]
async fn an_edited_checkpoint_is_named() {
    let f = common::desk().await;
    worked(&f.desk, "one").await;
    let first = f.desk.checkpoint().await.unwrap();
    worked(&f.desk, "two").await;
    f.desk.checkpoint().await.unwrap();
    let report = f.desk.verify_desk().await.unwrap();
    assert!(report.is_intact());
    assert_eq!(report.checkpoints, 2);
    // Forge checkpoint 3 claiming a different root: the chain refuses it.
    let mut forged = first;
    forged.seq = 3;
    f.desk
        .store()
        .append_checkpoint(3, serde_json::to_string(&forged).unwrap())
        .await
        .unwrap();
    let report = f.desk.verify_desk().await.unwrap();
    assert!(
        matches!(
            report.findings[..],
            [Finding::BrokenCheckpoint { seq: 3, .. }]
        ),
        "{:?}",
        report.findings
    );
}

/// With `[anchor]` set, checkpoints are signed with the key in the named file and verified
/// against the configured public key; a desk expecting another key names every checkpoint
/// it cannot trust.
#[tokio::test]
async fn checkpoints_are_signed_with_the_configured_key() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("anchor.key");
    let seed = "5a".repeat(32);
    std::fs::write(&key_file, &seed).unwrap();
    let mut config = example_config();
    config.anchor.public_key = Some(foliodesk::core::anchor::public_key_of(&seed).unwrap());
    config.anchor.signing_key_file = Some(key_file.display().to_string());
    let url = format!("redb://{}", dir.path().join("signed.redb").display());
    {
        let f = desk_at(&url, config.clone()).await;
        worked(&f.desk, "signed").await;
        let cp = f.desk.checkpoint().await.unwrap();
        assert_eq!(cp.signature.as_ref().map(String::len), Some(128));
        assert!(f.desk.verify_desk().await.unwrap().is_intact());
    }
    let mut other = config.clone();
    other.anchor.public_key =
        Some(foliodesk::core::anchor::public_key_of(&"77".repeat(32)).unwrap());
    other.anchor.signing_key_file = None;
    let options = DeskOptions {
        config: Some(other),
        clock: None,
    };
    let desk = Desk::open_with(&url, options).await.unwrap();
    let report = desk.verify_desk().await.unwrap();
    assert!(
        matches!(&report.findings[..], [Finding::BrokenCheckpoint { seq: 1, reason }] if reason.contains("signature")),
        "{:?}",
        report.findings
    );
    let bad = Config::from_toml_str("[anchor]\npublic_key = \"zz\"", "desk.toml");
    assert_eq!(bad.unwrap_err().field(), Some("anchor.public_key"));
}
