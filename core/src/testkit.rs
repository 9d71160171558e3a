//! The storage conformance suite: every sentence of the [`Store`] contract as a check that
//! runs against any backend.
//!
//! A backend's `tests/conformance.rs` implements [`Harness`] (a fresh, isolated store per
//! check) and calls [`conformance_tests!`](crate::conformance_tests), which stamps out one
//! `#[tokio::test]` per check:
//!
//! ```ignore
//! struct Memory;
//! #[async_trait::async_trait]
//! impl foliodesk_core::testkit::Harness for Memory {
//!     async fn store(&self, _name: &str) -> std::sync::Arc<dyn foliodesk_core::store::Store> {
//!         std::sync::Arc::new(foliodesk_core::store::memory::MemoryStore::new())
//!     }
//! }
//! foliodesk_core::conformance_tests!(Memory);
//! ```

use std::sync::Arc;

use async_trait::async_trait;

use crate::store::Store;

mod blobs;
mod bookkeeping;
mod checks;
mod contacts;
mod facts;
mod group;
mod import;
mod kit;
mod lookup;
mod observed;
mod outbox;
mod packing;
mod pulse;
mod queries;
mod records;
mod search;
mod search_churn;
mod search_large;
mod search_pruning;

pub use blobs::*;
pub use bookkeeping::*;
pub use contacts::*;
pub use facts::*;
pub use group::*;
pub use import::*;
pub use lookup::*;
pub use outbox::*;
pub use packing::*;
pub use pulse::*;
pub use queries::*;
pub use records::*;
pub use search::*;
pub use search_churn::*;
pub use search_large::*;
pub use search_pruning::*;

pub use checks::*;
pub use kit::Kit;
pub use observed::Observed;

/// Supplies a fresh, isolated store for one check. `name` is the check's name, for
/// backends that create a database or file per check.
#[async_trait]
pub trait Harness: Send + Sync {
    /// A new empty store.
    async fn store(&self, name: &str) -> Arc<dyn Store>;

    /// False when the run opted out of this backend (`FOLIODESK_SKIP`); the harness says so.
    /// An unreachable server is a failure, not a skip: the harness panics saying how to
    /// start it.
    async fn available(&self) -> bool {
        true
    }
}

/// Stamps out one `#[tokio::test]` per conformance check for a [`Harness`] value.
#[macro_export]
macro_rules! conformance_tests {
    ($harness:expr) => {
        $crate::conformance_tests!(@each $harness;
            append_new_ticket_then_read,
            append_follow_up_events,
            awkward_text_and_ids_round_trip,
            stale_version_is_conflict_and_writes_nothing,
            concurrent_appends_exactly_one_wins,
            folios_are_gap_free_per_kind_and_year,
            concurrent_opens_get_unique_folios,
            mixed_concurrent_appends_answer_each_alone,
            query_matches_reference_filter,
            pagination_is_stable_and_complete,
            due_index_returns_only_due_tickets,
            sla_due_queue_follows_the_stored_deadline,
            directory_round_trips,
            config_round_trips,
            outbox_is_written_with_the_append,
            outbox_claims_lease_whole_tickets,
            outbox_claims_oldest_tickets_first,
            outbox_failures_retry_then_dead_letter,
            concurrent_claims_share_nothing,
            unknown_ids_read_as_absent,
            reschedule_moves_due_and_sla_queue,
            meta_round_trips,
            checkpoints_are_numbered_once,
            lookup_reads_one_decision,
            blobs_are_content_addressed,
            contacts_are_kept_and_read_by_start,
            import_writes_batches_once,
            search_documents_follow_appends,
            articles_are_written_with_their_documents,
            search_pages_are_exact_when_pruned,
            search_answers_through_churn,
            large_documents_are_indexed_whole,
            report_facts_follow_appends,
            report_facts_pack_into_day_blocks,
            report_pulse_counts_the_live_backlog,
        );
    };
    (@each $harness:expr; $($check:ident),+ $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $check() {
                let harness = $harness;
                if $crate::testkit::Harness::available(&harness).await {
                    $crate::testkit::$check(&harness).await;
                }
            }
        )+
    };
}
