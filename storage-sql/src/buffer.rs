//! SQLite's pending postings. `fd_postings` is ordered by kind and term, so each of the ~60
//! postings of an opened ticket landed on a page of its own, and a commit wrote ~60 pages
//! to the WAL: indexing cost half as much again as the rest of a durable open. On SQLite
//! new and changed documents' postings go to `fd_postings_pending` instead, ordered by
//! document (a commit adds a page or two), and once enough have gathered they move into
//! `fd_postings` in term order in one transaction, where the postings of a term share
//! pages. This is what FTS5 does with its pending terms.
//!
//! A document's postings are in one of the two tables, never both: a change deletes the
//! document's postings from both before writing the new ones to the pending table. So a
//! search that reads both (see [`from_postings`]) sees every posting once. The servers
//! write in place: their commits are not per page, and their writers run concurrently.

use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{AnyConnection, Executor, Row};

use crate::filter::Arg;

/// The pending postings' table.
pub(crate) const PENDING: &str = "fd_postings_pending";

/// The move of every pending posting into `fd_postings`, in one transaction and one trip.
/// Where a document is in both (which writes never leave) the pending posting wins.
pub(crate) const MERGE: &str = "BEGIN IMMEDIATE; \
    INSERT OR REPLACE INTO fd_postings (kind, term, doc, tf, length) \
    SELECT kind, term, doc, tf, length FROM fd_postings_pending ORDER BY kind, term, doc; \
    DELETE FROM fd_postings_pending; COMMIT";

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
        self.pending.fetch_add(n, Ordering::Relaxed) + n >= self.merge_at
    }

    /// Starts counting again (after a merge, or a failed one: it is tried again later).
    pub fn restart(&self) {
        self.pending.store(0, Ordering::Relaxed);
    }
}

/// The condition that a posting is of `kind` and one of `terms`, and its binds.
pub(crate) fn holding<'t>(
    kind: &str,
    terms: impl ExactSizeIterator<Item = &'t str>,
) -> (String, Vec<Arg>) {
    let filter = format!(
        "kind = ? AND term IN ({})",
        vec!["?"; terms.len()].join(", ")
    );
    let mut binds = vec![Arg::Text(kind.to_owned())];
    binds.extend(terms.map(|t| Arg::Text(t.to_owned())));
    (filter, binds)
}

/// A `FROM` item: the postings `filter` keeps (a condition on `kind`, `term`, `doc`), with
/// `columns`, from `fd_postings` and, if `buffered`, from the pending ones too; `args` are
/// `filter`'s binds, repeated for the second table.
pub(crate) fn from_postings(
    buffered: bool,
    columns: &str,
    filter: &str,
    args: Vec<Arg>,
) -> (String, Vec<Arg>) {
    let select = format!("SELECT {columns} FROM {{postings}} WHERE {filter}");
    let (sql, args) = per_table(buffered, &select, args);
    (format!("({sql})"), args)
}

/// `select` (with `{postings}` for the table) on `fd_postings` and, if `buffered`, `UNION
/// ALL` on the pending postings, with `args` repeated. For a `GROUP BY` or `LIMIT` that
/// each table answers in its own order (by index), before the two are combined.
pub(crate) fn per_table(buffered: bool, select: &str, args: Vec<Arg>) -> (String, Vec<Arg>) {
    let on = |table: &str| select.replace("{postings}", table);
    if !buffered {
        return (on("fd_postings"), args);
    }
    let mut both = args.clone();
    both.extend(args);
    (
        format!("{} UNION ALL {}", on("fd_postings"), on(PENDING)),
        both,
    )
}
