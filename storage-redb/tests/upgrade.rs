//! A layout-1 file (before delivery state) opens as layout 2: its tickets stay, its
//! undeliverable old-format outbox rows go, and the outbox works as a queue.

use chrono::{Duration, TimeZone, Utc};
use foliodesk_core::notify::Claim;
use foliodesk_core::store::Store;
use foliodesk_core::testkit::Kit;
use foliodesk_redb::RedbStore;
use redb::{Database, TableDefinition};

const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
const OUTBOX: TableDefinition<u64, &str> = TableDefinition::new("outbox");

#[tokio::test]
async fn a_layout_1_file_is_upgraded_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.redb");
    let kit = Kit::new();
    {
        let store = RedbStore::open(&path).await.unwrap();
        store.append(kit.incident("t1", Kit::at(0))).await.unwrap();
        store.close().await;
    }
    {
        // Turn it into what layout 1 left: no delivery table, an old notification row.
        let db = Database::create(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.delete_table(TableDefinition::<u64, &str>::new("delivery"))
            .unwrap();
        {
            let mut meta = txn.open_table(META).unwrap();
            meta.insert("layout", 1).unwrap();
            let mut outbox = txn.open_table(OUTBOX).unwrap();
            let old = r#"{"recipient":"ana","ticket_id":"t1","folio":"INC-2026-000001","sequence":1,"event":"opened","public":true}"#;
            outbox.insert(99, old).unwrap();
        }
        txn.commit().unwrap();
    }
    let store = RedbStore::open(&path).await.unwrap();
    assert!(
        store.ticket(&"t1".into()).await.unwrap().is_some(),
        "tickets stay"
    );
    assert!(store.outbox(10).await.unwrap().is_empty(), "old rows go");
    store.append(kit.incident("t2", Kit::at(1))).await.unwrap();
    let now = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
    let claim = Claim {
        token: "a".into(),
        now,
        lease_until: now + Duration::minutes(5),
        tickets: 10,
    };
    let got = store.claim_outbox(&claim).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].notification.ticket_id.as_str(), "t2");
}
