//! The shared storage conformance suite on redb.

use std::sync::Arc;

use foliodesk_core::store::Store;
use foliodesk_core::testkit::Harness;
use foliodesk_redb::RedbStore;

struct Redb;

#[async_trait::async_trait]
impl Harness for Redb {
    async fn store(&self, name: &str) -> Arc<dyn Store> {
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.redb"));
        let _ = std::fs::remove_file(&path);
        Arc::new(RedbStore::open(&path).await.expect("open a fresh file"))
    }
}

foliodesk_core::conformance_tests!(Redb);
