//! Keeping the search index in step with the analysis that built it: a store indexed by
//! another [`ANALYZER_VERSION`] (or by none: written before search existed) is reindexed
//! when the desk opens.

use foliodesk_core::query::{Cursor, QueryTickets, MAX_PAGE};
use foliodesk_core::search::index::ticket_doc;
use foliodesk_core::search::ANALYZER_VERSION;
use foliodesk_core::{Result, TicketFilter};

use crate::Desk;

/// The bookkeeping key under which the analyser version of the index is kept.
pub const ANALYZER_KEY: &str = "search.analyzer";

impl Desk {
    /// Reindexes every ticket and article unless the index was built by this build's
    /// analysis; returns how many documents were written. Another desk appending
    /// meanwhile writes its own documents, which are at least as new.
    pub async fn reindex_if_stale(&self) -> Result<u64> {
        let current = ANALYZER_VERSION.to_string();
        if self.store().meta(ANALYZER_KEY).await?.as_deref() == Some(current.as_str()) {
            return Ok(0);
        }
        let mut written = 0u64;
        let mut after: Option<Cursor> = None;
        loop {
            let page = (self.store())
                .query(QueryTickets {
                    filter: TicketFilter::default(),
                    after: after.take(),
                    limit: MAX_PAGE,
                    newest_first: false,
                })
                .await?;
            after = page.items.last().map(Cursor::after);
            let docs: Vec<_> = page.items.iter().map(ticket_doc).collect();
            written += docs.len() as u64;
            self.store().put_search_docs(docs).await?;
            if page.next.is_none() {
                break;
            }
        }
        let docs: Vec<_> = (self.store().articles().await?.iter())
            .map(|a| a.search_doc())
            .collect();
        written += docs.len() as u64;
        self.store().put_search_docs(docs).await?;
        self.store().put_meta(ANALYZER_KEY, Some(current)).await?;
        Ok(written)
    }
}
