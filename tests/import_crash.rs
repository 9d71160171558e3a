//! An import killed with SIGKILL and run again: a child process imports a stream of old
//! tickets in small batches, printing how many are committed after each batch; the parent
//! kills it at random moments, checks after every kill that what was printed is stored,
//! and finally lets the same import run to the end. Every reference is then stored exactly
//! once, with the folio of its place in the stream (gap-free, no duplicate, no skip).

mod common;

use std::time::Duration;

use common::child::next;

use foliodesk::*;
use serde_json::json;

const TICKETS: u64 = 1_500;
const BATCH: usize = 25;
const KILLS: u32 = 5;

fn row(n: u64) -> ImportTicket {
    let opened = chrono::DateTime::parse_from_rfc3339("2025-01-06T08:00:00Z").unwrap();
    let opened = opened.with_timezone(&chrono::Utc) + chrono::Duration::minutes(n as i64);
    serde_json::from_value(json!({
        "source": "legacy", "reference": n.to_string(), "opened_at": opened, "opened_by": "ana",
        "ticket": {"kind": "incident", "channel": "email", "requester": "ana", "title": format!("Caso {n}")},
        "history": [{"at": opened + chrono::Duration::minutes(5), "actor": "bob",
                     "command": {"command": "comment", "body": "Visto", "visibility": "internal"}}],
    }))
    .unwrap()
}

/// The child: imports the whole stream (what is stored already is skipped), printing the
/// running count after each commit, then `finished`.
#[tokio::test]
#[ignore = "run by the an_import_killed_and_run_again_… tests"]
async fn child_importer() {
    let url = std::env::var("FOLIODESK_IMPORT_URL").expect("FOLIODESK_IMPORT_URL");
    let desk = Desk::open(&url).await.unwrap();
    let report = desk
        .import_all(SYSTEM, (0..TICKETS).map(row), BATCH, |p| {
            println!("committed {}", p.done);
        })
        .await
        .unwrap();
    println!("finished {} {}", report.imported, report.skipped);
}

fn committed(printed: &[String]) -> u64 {
    (printed.iter().rev())
        .find_map(|l| l.strip_prefix("committed "))
        .map_or(0, |n| n.parse().unwrap())
}

/// Runs the child on `url`; kills it `kill_after` the first commit, or lets it finish.
fn run_child(url: &str, kill_after: Option<Duration>) -> Vec<String> {
    common::child::run_child("child_importer", ("FOLIODESK_IMPORT_URL", url), kill_after)
}

async fn scenario(url: &str) {
    drop(common::desk_at(url, common::example_config()).await);
    let mut seed = 0x1_4b0e_u64;
    let mut kills = 0;
    for round in 0..KILLS {
        let printed = run_child(url, Some(Duration::from_millis(20 + next(&mut seed) % 400)));
        if printed.iter().any(|l| l.starts_with("finished")) {
            break; // it outran the kill: the final run below only confirms
        }
        kills += 1;
        let done = committed(&printed);
        let desk = Desk::open(url).await.unwrap();
        if done > 0 {
            let last = desk
                .ticket_by_folio(SYSTEM, &format!("INC-2025-{done:06}"))
                .await;
            let last = last.unwrap_or_else(|e| panic!("round {round}: commit {done} lost: {e}"));
            assert_eq!(last.imported.unwrap().reference, (done - 1).to_string());
        }
        desk.shutdown().await;
    }
    assert!(kills > 0, "no run was killed mid-import");
    eprintln!("{url}: {kills} kills mid-import");
    let last = run_child(url, None);
    assert!(last.iter().any(|l| l.starts_with("finished")), "{last:?}");
    let desk = Desk::open(url).await.unwrap();
    // Gap-free folios in stream order: reference n holds folio n + 1, and nothing more.
    for n in (0..TICKETS).step_by(97).chain([TICKETS - 1]) {
        let t = desk
            .ticket_by_folio(SYSTEM, &format!("INC-2025-{:06}", n + 1))
            .await
            .unwrap();
        assert_eq!(t.imported.as_ref().unwrap().reference, n.to_string());
        assert!(desk.verify(&t.id).await.unwrap().is_intact());
    }
    let beyond = desk
        .ticket_by_folio(SYSTEM, &format!("INC-2025-{:06}", TICKETS + 1))
        .await;
    assert_eq!(
        beyond.unwrap_err().kind(),
        ErrorKind::NotFound,
        "a duplicate was written"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_and_run_again_stores_each_ticket_once_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    scenario(&format!(
        "sqlite://{}",
        dir.path().join("import.db").display()
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_and_run_again_stores_each_ticket_once_redb() {
    let dir = tempfile::tempdir().unwrap();
    scenario(&format!(
        "redb://{}",
        dir.path().join("import.redb").display()
    ))
    .await;
}
