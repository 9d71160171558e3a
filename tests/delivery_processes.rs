//! Several processes deliver from one database (SQLite file, PostgreSQL, MySQL): each
//! message goes out once, and nothing is left behind. The workers are child processes of
//! this test binary, each with its own desk and connection pool; redb allows one process
//! per file, so its concurrent workers are checked in the conformance suite.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use common::{desk_at, example_config, fresh, incident, with_email};
use foliodesk::*;
use foliodesk_sql::Dialect;

const TICKETS: usize = 40;
const WORKERS: usize = 4;

async fn four_processes_deliver_each_message_once(d: Dialect) {
    let Some(guard) = fresh(d, &format!("delivery_{d:?}_processes")).await else {
        return;
    };
    let url = guard.url.clone();
    let f = desk_at(&url, example_config()).await;
    with_email(&f.desk, &["ana", "bob", "eva", "sue"]).await;
    for i in 0..TICKETS {
        f.desk
            .open_ticket("ana", incident(&format!("Sin red {i}")))
            .await
            .unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..WORKERS)
        .map(|w| {
            std::process::Command::new(&exe)
                .args(["--exact", "child_delivers", "--ignored", "--quiet"])
                .env("FOLIODESK_CHILD_URL", &url)
                .env("FOLIODESK_CHILD_OUT", out.path().join(format!("w{w}")))
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a worker process failed");
    }
    let mut sent = Vec::new();
    let mut busy = 0;
    for w in 0..WORKERS {
        let lines = std::fs::read_to_string(out.path().join(format!("w{w}"))).unwrap_or_default();
        busy += usize::from(!lines.is_empty());
        sent.extend(lines.lines().map(str::to_owned));
    }
    let unique: BTreeSet<&String> = sent.iter().collect();
    assert_eq!(unique.len(), sent.len(), "a message went out twice");
    // One folio confirmation per ticket, to ana (no category: no team is alerted).
    assert_eq!(sent.len(), TICKETS, "{sent:#?}");
    assert!(sent.iter().all(|l| l.ends_with(" ana@example.com")));
    eprintln!("{busy} of {WORKERS} workers sent messages");
    assert!(
        f.desk.outbox(1000).await.unwrap().is_empty(),
        "all acknowledged"
    );
    assert!(f.desk.dead_letters(1000).await.unwrap().is_empty());
}

/// Writes `message-id address` lines to its file.
struct Record(Mutex<std::fs::File>);

#[async_trait]
impl Transport for Record {
    async fn send(&self, m: &OutgoingMessage) -> std::result::Result<(), SendError> {
        let mut file = self.0.lock().unwrap();
        writeln!(file, "{} {}", m.message_id, m.to).map_err(|e| SendError {
            reason: e.to_string(),
            permanent: false,
        })
    }
}

/// Run by the test above in child processes: delivers from the database it is given, a
/// few tickets per claim, until nothing is left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by the multi-process delivery test"]
async fn child_delivers() {
    let url = std::env::var("FOLIODESK_CHILD_URL").expect("FOLIODESK_CHILD_URL");
    let path = std::env::var("FOLIODESK_CHILD_OUT").expect("FOLIODESK_CHILD_OUT");
    // After the coalescing window of the tickets opened at 09:00.
    let clock = Arc::new(FixedClock::at("2026-03-02T09:05:00Z".parse().unwrap()));
    let options = DeskOptions {
        config: Some(example_config()),
        clock: Some(clock),
    };
    let desk = Desk::open_with(&url, options).await.unwrap();
    let file = std::fs::File::create(path).unwrap();
    let record = Record(Mutex::new(file));
    loop {
        let report = desk.deliver(&record, 3).await.unwrap();
        if report == DeliveryReport::default() {
            break;
        }
    }
}

mod sqlite {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn four_processes_deliver_each_message_once() {
        super::four_processes_deliver_each_message_once(foliodesk_sql::Dialect::Sqlite).await
    }
}

mod postgres {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn four_processes_deliver_each_message_once() {
        super::four_processes_deliver_each_message_once(foliodesk_sql::Dialect::Postgres).await
    }
}

mod mysql {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn four_processes_deliver_each_message_once() {
        super::four_processes_deliver_each_message_once(foliodesk_sql::Dialect::MySql).await
    }
}
