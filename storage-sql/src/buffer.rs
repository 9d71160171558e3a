//! SQLite's pending postings. A term's postings are packed in blocks (see [`crate::block`]),
//! and rewriting a block for each of the ~60 terms of an opened ticket would cost a commit
//! far more than the ticket itself. So new and changed documents' postings go to
//! `fd_postings_pending` instead, ordered by document (a commit adds a page or two), and
//! once enough have gathered [`crate::merge`] packs them, about one block per term for all
//! of them. This is what FTS5 does with its pending terms.
//!
//! Every document with postings pending also has a marker row there (term `''`): its
//! postings in the blocks, if any, are out of date, and a search skips them (see
//! [`crate::packed`]). So a search reading both sees each document's postings once. The
//! servers write in place: their commits are not per page, and their writers run
//! concurrently.

use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{AnyConnection, Executor, Row};

/// The pending postings' table.
pub(crate) const PENDING: &str = "fd_postings_pending";

/// How many postings are pending (as this process counts them), and when to merge.
#[derive(Debug)]
pub(crate) struct Buffer {
    pending: AtomicU64,
    merge_at: u64,
}

impl Buffer {
    /// The buffer of the database behind `conn`, which merges from `merge_at` postings.
    pub async fn of(conn: &mut AnyConnection, merge_at: u64) -> sqlx::Result<Buffer> {
        let row = conn
            .fetch_one("SELECT COUNT(*) FROM fd_postings_pending")
            .await?;
        let pending = row.try_get::<i64, _>(0)?.max(0) as u64;
        Ok(Buffer {
            pending: AtomicU64::new(pending),
            merge_at,
        })
    }

    /// Counts `n` more pending postings; whether it is time to merge. Another process
    /// writing the same file counts its own: the count decides when, never what, and a
    /// merge moves whatever is pending.
    pub fn added(&self, n: u64) -> bool {
        self.pending
            .fetch_add(n, Ordering::Relaxed)
            .saturating_add(n)
            >= self.merge_at
    }

    /// Starts counting again (after a merge, or a failed one: it is tried again later).
    pub fn restart(&self) {
        self.pending.store(0, Ordering::Relaxed);
    }
}
