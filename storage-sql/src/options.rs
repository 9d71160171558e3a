//! Settings of a [`crate::SqlStore`] beyond its URL.

/// Connection and search settings beyond the URL.
///
/// ```
/// let options = foliodesk_sql::SqlOptions { max_connections: 16, ..Default::default() };
/// assert_eq!(options.search_prune_from, 5_000);
/// ```
#[derive(Clone, Debug)]
pub struct SqlOptions {
    /// Pool size for PostgreSQL and MySQL (SQLite: at most 4; in-memory: 1).
    pub max_connections: u32,
    /// PostgreSQL and MySQL: from how many postings of its terms a search ranks the
    /// documents of its rarest terms first and then only those that can reach the page, instead of grouping every
    /// posting (`foliodesk_core::search::prune`). Below it one statement costs less than
    /// two. The page is the same either way; 0 prunes whenever it would read less.
    pub search_prune_from: u64,
    /// SQLite: how many rows of new and changed documents (their postings and a marker
    /// each) wait in the pending table before they are packed into the term blocks. More
    /// makes opens cheaper and searches read more pending rows (a scan).
    pub search_merge_at: u64,
}

impl Default for SqlOptions {
    fn default() -> Self {
        SqlOptions {
            max_connections: 8,
            search_prune_from: 5_000,
            search_merge_at: 8_192,
        }
    }
}
