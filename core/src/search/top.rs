//! The best documents for a search, ranked where the postings are: a backend that can
//! aggregate (SQL's `GROUP BY`, a scan in redb) returns one page of the best documents with
//! their attributes instead of every posting. [`top_of`] is the reference every backend's
//! [`crate::store::Store::top_documents`] must agree with, and the default for backends
//! that only implement [`crate::store::Store::postings`].

use std::collections::HashMap;

use super::index::DocAttrs;
use super::query::{score, Postings, PostingsQuery, QueryPlan};

/// A page of the ranking of [`PostingsQuery`]'s documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopQuery {
    /// The terms, as for [`crate::store::Store::postings`].
    pub terms: PostingsQuery,
    /// Only documents holding this term (a mark such as
    /// [`crate::problem::KNOWN_ERROR_TERM`]), if set.
    pub within: Option<String>,
    /// Skip this many of the best.
    pub offset: u32,
    /// At most this many.
    pub limit: u32,
}

/// One document of a page.
#[derive(Clone, Debug, PartialEq)]
pub struct TopHit {
    /// Its key (`t:<id>`, `a:<id>`).
    pub key: String,
    /// Its BM25 score.
    pub score: f64,
    /// Its attributes, for the caller's filters.
    pub attrs: DocAttrs,
}

/// A page: the hits, best first ([`super::bm25::rank`]'s order), and whether more may follow.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TopDocs {
    /// Best first.
    pub hits: Vec<TopHit>,
    /// True when the page was full: the next offset may hold more.
    pub more: bool,
}

impl TopQuery {
    /// What [`top_of`] needs from [`crate::store::Store::postings`]: the terms, and the
    /// `within` mark's list.
    pub fn postings_query(&self) -> PostingsQuery {
        let mut q = self.terms.clone();
        if let Some(mark) = &self.within {
            if let Err(at) = q.terms.binary_search(mark) {
                q.terms.insert(at, mark.clone());
            }
        }
        q
    }

    /// The plan [`score`] ranks by: the exact terms and the prefix.
    pub fn plan(&self) -> QueryPlan {
        QueryPlan {
            exact: self.terms.terms.iter().cloned().collect(),
            prefix: self.terms.prefix.clone(),
        }
    }
}

/// The reference answer to `q`, from the answer to [`TopQuery::postings_query`].
pub fn top_of(q: &TopQuery, postings: &Postings) -> TopDocs {
    let within: Option<HashMap<&str, ()>> = q.within.as_ref().map(|mark| {
        (postings.lists.get(mark).into_iter().flatten())
            .map(|(doc, _)| (doc.as_str(), ()))
            .collect()
    });
    let mut plan = q.plan();
    if let Some(mark) = &q.within {
        // The mark selects; it does not score (unless the query itself asks for it).
        if !q.terms.terms.contains(mark) {
            plan.exact.remove(mark);
        }
    }
    let ranked = score(&plan, postings, |_| true);
    let kept = ranked
        .into_iter()
        .filter(|(doc, _)| within.as_ref().is_none_or(|w| w.contains_key(doc.as_str())));
    let hits: Vec<TopHit> = kept
        .skip(q.offset as usize)
        .take(q.limit as usize)
        .map(|(key, score)| {
            let attrs = postings
                .docs
                .get(&key)
                .map(|d| d.1.clone())
                .unwrap_or_default();
            TopHit { key, score, attrs }
        })
        .collect();
    let more = hits.len() == q.limit as usize;
    TopDocs { hits, more }
}
