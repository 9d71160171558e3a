//! SQLite's pending postings: new and changed documents' postings wait in
//! `fd_postings_pending` (with a marker row each), are packed into `fd_term_blocks` once
//! `search_merge_at` rows have gathered, and a changed document's packed postings are
//! replaced at the next merge. Searches answering as the reference does through all of it
//! is the conformance suite's (`search_answers_through_churn`); the blocks' layout is
//! checked by the store's own tests (`merge`); this checks where the postings are.

use foliodesk_core::command::Command;
use foliodesk_core::store::{AppendEvents, Store};
use foliodesk_core::testkit::Kit;
use foliodesk_core::vocabulary::Visibility;
use foliodesk_sql::{SqlOptions, SqlStore};
use sqlx::{AssertSqlSafe, Row};

const MERGE_AT: u64 = 200;

async fn count(store: &SqlStore, sql: &str) -> i64 {
    let row = sqlx::query(AssertSqlSafe(sql.to_owned()))
        .fetch_one(store.pool())
        .await
        .unwrap();
    row.try_get::<i64, _>(0).unwrap()
}

/// Rows pending (postings and markers), documents packed, and packed documents with rows
/// pending.
async fn where_postings_are(store: &SqlStore) -> (i64, i64, i64) {
    let pending = count(store, "SELECT COUNT(*) FROM fd_postings_pending").await;
    let merged = count(store, "SELECT COUNT(*) FROM fd_packed_docs").await;
    let both = count(
        store,
        "SELECT COUNT(*) FROM (SELECT DISTINCT doc FROM fd_postings_pending \
         WHERE doc IN (SELECT doc FROM fd_packed_docs)) b",
    )
    .await;
    (pending, merged, both)
}

/// How many rows `req`'s search document adds to the pending table: its postings and
/// its marker.
fn postings(req: &AppendEvents) -> i64 {
    let terms = req.index.as_ref().and_then(|d| d.terms.as_ref());
    terms.expect("a document with terms").counts.len() as i64 + 1
}

async fn open(url: &str) -> SqlStore {
    let options = SqlOptions {
        search_merge_at: MERGE_AT,
        ..Default::default()
    };
    SqlStore::open_with(url, options).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postings_wait_then_merge_and_never_double() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("pending-postings-{}.db", std::process::id()));
    let url = format!("sqlite://{}", path.display());
    let store = open(&url).await;
    let kit = Kit::new();
    kit.seed(&store).await;

    let mut tickets = Vec::new();
    let first = kit.incident("p0", Kit::at(0));
    let terms = postings(&first);
    tickets.push(store.append(first).await.unwrap().ticket);
    assert_eq!(
        where_postings_are(&store).await,
        (terms, 0, 0),
        "new: pending"
    );

    // Enough tickets to cross the threshold; the merge follows the crossing append, and
    // one more append waits for the writer it holds.
    let mut n = 1;
    while n * terms < MERGE_AT as i64 + terms {
        let req = kit.incident(&format!("p{n}"), Kit::at(n));
        tickets.push(store.append(req).await.unwrap().ticket);
        n += 1;
    }
    assert_eq!(
        where_postings_are(&store).await,
        (terms, n - 1, 0),
        "packed at the crossing, but the append that waited for the merge"
    );
    let blocks = count(&store, "SELECT COUNT(DISTINCT term) FROM fd_term_blocks").await;
    assert!(blocks >= terms - 1, "{blocks} terms in blocks");

    // A packed document that changes waits with its new postings and a marker (its
    // packed ones are out of date), and is packed again at the next merge.
    let comment = Command::Comment {
        body: "el disco del servidor se llenó de registros".into(),
        visibility: Visibility::Internal,
    };
    let req = kit.then(&tickets[0], Kit::at(100), "bob", comment);
    let changed = postings(&req);
    store.append(req).await.unwrap();
    let key = format!(
        "SELECT COUNT(*) FROM fd_postings_pending WHERE doc = 't:{}'",
        tickets[0].id
    );
    assert_eq!(count(&store, &key).await, changed);
    assert_eq!(
        where_postings_are(&store).await,
        (terms + changed, n - 1, 1)
    );

    // Reopened, the store counts what is pending and merges at the same threshold.
    let (pending, ..) = where_postings_are(&store).await;
    store.close().await;
    let store = open(&url).await;
    let mut m = 0;
    while pending + (m + 1) * terms < MERGE_AT as i64 {
        let req = kit.incident(&format!("q{m}"), Kit::at(200 + m));
        store.append(req).await.unwrap();
        m += 1;
    }
    let before = where_postings_are(&store).await;
    assert_eq!(
        before.0,
        pending + m * terms,
        "still pending below the threshold"
    );
    for i in 0..2 {
        let req = kit.incident(&format!("r{i}"), Kit::at(300 + i));
        store.append(req).await.unwrap();
    }
    let after = where_postings_are(&store).await;
    let merged = (terms, n + m + 1, 0);
    assert_eq!(
        after, merged,
        "merged after reopening: {before:?} then {after:?}"
    );
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// A file of schema 12 (postings a row each in `fd_postings`) opens as schema 13 with the
/// same documents found, their postings packed at open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_index_of_schema_12_is_packed_on_upgrade() {
    use foliodesk_core::search::{DocKind, PostingsQuery, TopQuery};
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
    use sqlx::Executor;

    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("schema-12-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let options = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true);
    let old = SqlitePool::connect_with(options).await.unwrap();
    let migrations = [
        include_str!("../migrations/sqlite/0001_init.sql"),
        include_str!("../migrations/sqlite/0002_sla_due.sql"),
        include_str!("../migrations/sqlite/0003_partial_indexes.sql"),
        include_str!("../migrations/sqlite/0004_meta_checkpoints.sql"),
        include_str!("../migrations/sqlite/0005_outbox_delivery.sql"),
        include_str!("../migrations/sqlite/0006_blobs.sql"),
        include_str!("../migrations/sqlite/0007_contacts.sql"),
        include_str!("../migrations/sqlite/0008_search.sql"),
        include_str!("../migrations/sqlite/0009_report_facts.sql"),
        include_str!("../migrations/sqlite/0010_fact_blocks.sql"),
        include_str!("../migrations/sqlite/0011_fact_pulse.sql"),
        include_str!("../migrations/sqlite/0012_pending_postings.sql"),
    ];
    old.execute(
        "CREATE TABLE fd_schema (id BIGINT NOT NULL PRIMARY KEY, app VARCHAR(32) NOT NULL, \
         version BIGINT NOT NULL); INSERT INTO fd_schema VALUES (1, 'foliodesk', 12)",
    )
    .await
    .unwrap();
    for script in migrations {
        old.execute(script).await.unwrap();
    }
    let kit = Kit::new();
    let docs: Vec<_> = (0..3)
        .map(|n| kit.incident(&format!("old{n}"), Kit::at(n)).index.unwrap())
        .collect();
    for doc in &docs {
        let terms = doc.terms.as_ref().unwrap();
        sqlx::query("INSERT INTO fd_search_docs (doc, kind, length, attrs) VALUES (?, ?, ?, ?)")
            .bind(&doc.key)
            .bind(doc.kind.code())
            .bind(i64::from(terms.length))
            .bind(doc.attrs.encode())
            .execute(&old)
            .await
            .unwrap();
        for (term, tf) in &terms.counts {
            sqlx::query(
                "INSERT INTO fd_postings (kind, term, doc, tf, length) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(doc.kind.code())
            .bind(term)
            .bind(&doc.key)
            .bind(i64::from(*tf))
            .bind(i64::from(terms.length))
            .execute(&old)
            .await
            .unwrap();
        }
    }
    old.close().await;

    let options = SqlOptions {
        search_merge_at: 2,
        ..Default::default()
    };
    let url = format!("sqlite://{}", path.display());
    let store = SqlStore::open_with(&url, options).await.unwrap();
    let (pending, packed, _) = where_postings_are(&store).await;
    assert_eq!((pending, packed), (0, 3), "packed at open");
    let gone = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'fd_postings'";
    assert_eq!(count(&store, gone).await, 0);
    let wanted = &docs[1].terms.as_ref().unwrap().counts;
    let rare = wanted.iter().map(|(t, _)| t).find(|t| t.contains("old1"));
    let q = TopQuery {
        terms: PostingsQuery {
            kind: DocKind::Ticket,
            terms: vec![rare.expect("the id is a term").clone()],
            prefix: None,
            prefix_limit: 0,
        },
        within: None,
        offset: 0,
        limit: 10,
    };
    let hits = store.top_documents(&q).await.unwrap().hits;
    let keys: Vec<&str> = hits.iter().map(|h| h.key.as_str()).collect();
    assert_eq!(keys, vec![docs[1].key.as_str()]);
    assert_eq!(hits[0].attrs, docs[1].attrs);
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
