//! Group commit killed with SIGKILL: a child process opens tickets from eight concurrent
//! tasks (so appends share commits), printing each acknowledged folio; the parent kills it
//! at random moments and checks after every kill that every acknowledged ticket is stored
//! with its folio and an intact history, and that folios stay gap-free.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use common::child::{next, run_child};
use foliodesk::*;

const WRITERS: usize = 8;
const KILLS: u32 = 4;

/// The child: eight tasks opening tickets until killed, printing `acked <folio> <id>`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by the acknowledged_opens_survive_sigkill_… tests"]
async fn child_opener() {
    let url = std::env::var("FOLIODESK_GROUP_URL").expect("FOLIODESK_GROUP_URL");
    let desk = Arc::new(Desk::open(&url).await.unwrap());
    let tasks: Vec<_> = (0..WRITERS)
        .map(|w| {
            let desk = desk.clone();
            tokio::spawn(async move {
                for i in 0..5_000 {
                    let t = desk
                        .open_ticket("ana", common::incident(&format!("Writer {w}, case {i}")))
                        .await
                        .unwrap();
                    println!("acked {} {}", t.folio, t.id);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
}

async fn scenario(url: &str) {
    drop(common::desk_at(url, common::example_config()).await);
    let mut seed = 0x6c0_u64;
    let mut acked = BTreeMap::new();
    for round in 0..KILLS {
        let after = Duration::from_millis(100 + next(&mut seed) % 400);
        let printed = run_child("child_opener", ("FOLIODESK_GROUP_URL", url), Some(after));
        let before = acked.len();
        for line in printed.iter().filter_map(|l| l.strip_prefix("acked ")) {
            let (folio, id) = line.split_once(' ').unwrap();
            acked.insert(folio.to_owned(), id.to_owned());
        }
        assert!(
            acked.len() > before,
            "round {round}: nothing was acknowledged"
        );
        let desk = Desk::open(url).await.unwrap();
        for (folio, id) in &acked {
            let t = desk.ticket_by_folio(SYSTEM, folio).await;
            let t = t.unwrap_or_else(|e| panic!("round {round}: acknowledged {folio} lost: {e}"));
            assert_eq!(t.id.as_str(), id, "{folio} holds another ticket");
            assert!(desk.verify(&t.id).await.unwrap().is_intact(), "{folio}");
        }
        assert_gap_free(&desk, acked.keys().last().unwrap()).await;
        desk.shutdown().await;
    }
    eprintln!(
        "{url}: {} acknowledged opens survived {KILLS} kills",
        acked.len()
    );
}

/// Every folio of the year up to the last stored one is taken (a commit that was cut off
/// before its acknowledgement may have stored more than was acknowledged, never less).
async fn assert_gap_free(desk: &Desk, last_acked: &str) {
    let (prefix, number) = last_acked.rsplit_once('-').unwrap();
    let mut n: u64 = number.parse().unwrap();
    while desk
        .ticket_by_folio(SYSTEM, &format!("{prefix}-{:06}", n + 1))
        .await
        .is_ok()
    {
        n += 1;
    }
    for k in 1..=n {
        let folio = format!("{prefix}-{k:06}");
        assert!(
            desk.ticket_by_folio(SYSTEM, &folio).await.is_ok(),
            "gap at {folio}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_opens_survive_sigkill_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    scenario(&format!(
        "sqlite://{}",
        dir.path().join("group.db").display()
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_opens_survive_sigkill_redb() {
    let dir = tempfile::tempdir().unwrap();
    scenario(&format!(
        "redb://{}",
        dir.path().join("group.redb").display()
    ))
    .await;
}
