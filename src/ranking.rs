//! A store's ranking read page by page ([`Store::top_documents`]), for callers that filter
//! what they read (by attributes, by who may see a ticket) and stop once they have enough.

use foliodesk_core::search::{PostingsQuery, TopHit, TopQuery};
use foliodesk_core::store::Store;
use foliodesk_core::Result;

/// A ranking read page by page from the store, for callers that filter what they read: the
/// first page holds a few times what is wanted, each next one twice the last.
pub(crate) struct Ranking {
    query: TopQuery,
    page: std::collections::VecDeque<TopHit>,
    done: bool,
}

impl Ranking {
    /// The ranking of `terms`' documents (only those holding `within`, if set), for a
    /// caller that wants `want` of them.
    pub fn new(terms: PostingsQuery, within: Option<String>, want: usize) -> Ranking {
        let limit = (want as u32).saturating_mul(3).clamp(30, 1_000);
        Ranking {
            query: TopQuery {
                terms,
                within,
                offset: 0,
                limit,
            },
            page: Default::default(),
            done: false,
        }
    }

    /// The next document, best first; `None` once the ranking is exhausted.
    pub async fn next(&mut self, store: &dyn Store) -> Result<Option<TopHit>> {
        loop {
            if let Some(hit) = self.page.pop_front() {
                return Ok(Some(hit));
            }
            if self.done {
                return Ok(None);
            }
            let page = store.top_documents(&self.query).await?;
            self.done = !page.more;
            self.query.offset += page.hits.len() as u32;
            self.query.limit = self.query.limit.saturating_mul(2).min(10_000);
            self.page.extend(page.hits);
        }
    }
}
