//! The blocks' layout after merges through churn: every term's blocks hold each packed
//! document's current posting once, in `seq` order, at most [`MOST`] a block, and
//! `fd_packed_docs` lists exactly the terms a document has in them.

use std::collections::{BTreeMap, BTreeSet};

use foliodesk_core::command::Command;
use foliodesk_core::store::Store;
use foliodesk_core::testkit::Kit;
use foliodesk_core::vocabulary::Visibility;
use sqlx::Row;

use crate::block::{self, MOST};
use crate::{SqlOptions, SqlStore};

/// Every block, decoded: per (kind, term), its blocks' `first` and postings.
async fn blocks(store: &SqlStore) -> BTreeMap<(String, String), Vec<(i64, Vec<block::Entry>)>> {
    let sql = "SELECT kind, term, first, data FROM fd_term_blocks ORDER BY kind, term, first";
    let rows = sqlx::query(sql).fetch_all(store.pool()).await.unwrap();
    let mut out: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for row in rows {
        let key = (row.get::<String, _>(0), row.get::<String, _>(1));
        let data: Vec<u8> = row.get(3);
        let entries = block::entries(&data).unwrap();
        out.entry(key).or_default().push((row.get(2), entries));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocks_hold_each_current_posting_once_in_order() {
    let path = std::env::temp_dir().join(format!("fd-merge-{}.db", std::process::id()));
    let url = format!("sqlite://{}", path.display());
    let options = SqlOptions {
        search_merge_at: 150,
        ..Default::default()
    };
    let store = SqlStore::open_with(&url, options).await.unwrap();
    let kit = Kit::new();
    kit.seed(&store).await;
    // The title's word ("Case") is in every ticket: its postings fill several blocks.
    let mut tickets = Vec::new();
    for n in 0..300 {
        let req = kit.incident(&format!("m{n:03}"), Kit::at(n));
        tickets.push(store.append(req).await.unwrap().ticket);
    }
    // Old tickets change, some more than once: each change repacks all their postings.
    for (i, words) in ["disco lleno", "impresora atascada", "disco"]
        .iter()
        .enumerate()
    {
        for t in tickets.iter_mut().step_by(7 + i) {
            let comment = Command::Comment {
                body: (*words).into(),
                visibility: Visibility::Internal,
            };
            let req = kit.then(t, Kit::at(400 + i as i64), "bob", comment);
            *t = store.append(req).await.unwrap().ticket;
        }
    }
    store.merge_after(u64::MAX).await.unwrap();
    let pending = sqlx::query("SELECT COUNT(*) FROM fd_postings_pending")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(pending.get::<i64, _>(0), 0, "all packed");

    let mut held: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    let mut keys: BTreeMap<i64, String> = BTreeMap::new();
    for ((_, term), list) in blocks(&store).await {
        let mut last = i64::MIN;
        for (first, entries) in list {
            assert!(!entries.is_empty() && entries.len() <= MOST, "{term}");
            assert_eq!(
                first, entries[0].seq,
                "{term}: a block's first is its first seq"
            );
            for e in entries {
                assert!(e.seq > last, "{term}: seqs ascend across its blocks");
                last = e.seq;
                assert_eq!(keys.entry(e.seq).or_insert(e.key.clone()), &e.key);
                held.entry(e.seq).or_default().insert(term.clone());
            }
        }
    }
    let most = blocks(&store).await.into_values().map(|l| l.len()).max();
    assert!(
        most >= Some(3),
        "the title's word: 300 postings fill three blocks"
    );
    let rows = sqlx::query("SELECT seq, doc, terms FROM fd_packed_docs")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(rows.len(), held.len());
    for row in rows {
        let (seq, doc): (i64, String) = (row.get(0), row.get(1));
        let listed: BTreeSet<String> = row
            .get::<String, _>(2)
            .split('\n')
            .map(Into::into)
            .collect();
        assert_eq!(keys[&seq], doc);
        assert_eq!(
            held[&seq], listed,
            "{doc}: the terms listed are those in the blocks"
        );
    }
    let seq_of = |t: &foliodesk_core::Ticket| {
        let key = format!("t:{}", t.id);
        *keys.iter().find(|(_, k)| **k == key).expect("packed").0
    };
    let (changed, unchanged) = (seq_of(&tickets[0]), seq_of(&tickets[1]));
    assert!(
        held[&changed].len() > held[&unchanged].len() + 2,
        "{held:?}"
    );
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
