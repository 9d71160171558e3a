//! A burst of concurrent appends larger than one SQLite group holds: every one is
//! committed, in groups, with gap-free folios.

use std::collections::BTreeSet;
use std::sync::Arc;

use foliodesk_core::store::Store;
use foliodesk_core::testkit::Kit;
use foliodesk_sql::SqlStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_beyond_one_group_is_committed_whole() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("group-burst-{}.db", std::process::id()));
    let url = format!("sqlite://{}", path.display());
    let store: Arc<dyn Store> = Arc::new(SqlStore::open(&url).await.unwrap());
    let kit = Kit::new();
    kit.seed(store.as_ref()).await;
    const BURST: usize = 700; // more than two groups' worth
    let tasks: Vec<_> = (0..BURST)
        .map(|i| {
            let (store, req) = (store.clone(), kit.incident(&format!("b{i}"), Kit::at(0)));
            tokio::spawn(async move { store.append(req).await })
        })
        .collect();
    let mut folios = BTreeSet::new();
    for task in tasks {
        folios.insert(task.await.unwrap().expect("append").ticket.folio);
    }
    let expected: BTreeSet<String> = (1..=BURST).map(|n| format!("INC-2026-{n:06}")).collect();
    assert_eq!(folios, expected);
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
