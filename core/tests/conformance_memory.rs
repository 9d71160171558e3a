//! The shared conformance suite on the reference `MemoryStore`.

use std::sync::Arc;

use foliodesk_core::store::{memory::MemoryStore, Store};
use foliodesk_core::testkit::Harness;

struct Memory;

#[async_trait::async_trait]
impl Harness for Memory {
    async fn store(&self, _name: &str) -> Arc<dyn Store> {
        Arc::new(MemoryStore::new())
    }
}

foliodesk_core::conformance_tests!(Memory);
