//! Ranking in redb: the query terms' postings (each with its document's length) are read in
//! one read transaction and scored here, term by term in the reference's order
//! ([`foliodesk_core::search::top::top_of`]), so the sums come out bit for bit the same; only
//! the page's documents have their attributes read ([`Tally`] keeps the documents met).

use std::collections::{BTreeSet, HashSet};

use foliodesk_core::search::bm25::{self, Params, Weight};
use foliodesk_core::search::tally::Tally;
use foliodesk_core::search::{DocAttrs, TopDocs, TopHit, TopQuery};
use foliodesk_core::Result;
use redb::{Database, ReadableDatabase, ReadableTable};

use crate::db_err;
use crate::search::prefixed;
use crate::tables::*;

pub(crate) fn top(db: &Database, q: &TopQuery) -> Result<TopDocs> {
    let txn = db.begin_read().map_err(db_err)?;
    let postings = txn.open_table(POSTINGS).map_err(db_err)?;
    let counters = txn.open_table(COUNTERS).map_err(db_err)?;
    let kind = q.terms.kind.code();
    let [count_key, length_key] = search_stats(kind);
    let stat = |k: &(String, i32)| -> Result<u64> {
        Ok((counters.get((k.0.as_str(), k.1)).map_err(db_err)?).map_or(0, |g| g.value()))
    };
    let (documents, total) = (stat(&count_key)?, stat(&length_key)?);
    if documents == 0 {
        return Ok(TopDocs::default());
    }
    let weight = Weight::new(total as f64 / documents as f64, Params::default());
    let within: Option<HashSet<String>> = match &q.within {
        Some(mark) => Some(
            list(&postings, kind, mark)?
                .into_iter()
                .map(|p| p.0)
                .collect(),
        ),
        None => None,
    };
    let exact: BTreeSet<&String> = q.terms.terms.iter().collect();
    let mut terms: BTreeSet<String> = q.terms.terms.iter().cloned().collect();
    terms.extend(prefixed(&postings, &q.terms)?);
    let mut docs = Tally::default();
    let mut list: Vec<(u32, u32, u32)> = Vec::new();
    for term in &terms {
        // One pass reads the postings (a document's key is copied only the first time it is
        // met); the weights need the term's document count, known at its end.
        list.clear();
        let range = (kind, term.as_str(), "")..(kind, term.as_str(), "\u{10FFFF}");
        let mut df = 0u64;
        for entry in postings.range(range).map_err(db_err)? {
            let (key, posting) = entry.map_err(db_err)?;
            df += 1;
            let doc = key.value().2;
            if within.as_ref().is_some_and(|w| !w.contains(doc)) {
                continue;
            }
            let at = docs.number(doc);
            let (tf, length) = posting.value();
            list.push((at, tf, length));
        }
        let idf = bm25::idf(df, documents);
        let is_exact = exact.contains(term);
        for &(at, tf, length) in &list {
            docs.add(
                at,
                weight.of(f64::from(tf), f64::from(length), idf),
                is_exact,
            );
        }
    }
    let ranked = docs.page(q.offset as usize, q.limit as usize);
    let stored = txn.open_table(SEARCH_DOCS).map_err(db_err)?;
    let mut hits = Vec::with_capacity(ranked.len());
    for (key, score) in ranked {
        let attrs = match stored.get(key.as_str()).map_err(db_err)? {
            Some(row) => DocAttrs::decode(row.value().1),
            None => DocAttrs::default(),
        };
        hits.push(TopHit { key, score, attrs });
    }
    let more = hits.len() == q.limit as usize;
    Ok(TopDocs { hits, more })
}

/// Every posting of `term`: document, count, document length.
fn list(
    postings: &impl ReadableTable<(&'static str, &'static str, &'static str), (u32, u32)>,
    kind: &str,
    term: &str,
) -> Result<Vec<(String, u32, u32)>> {
    let range = (kind, term, "")..(kind, term, "\u{10FFFF}");
    let mut out = Vec::new();
    for entry in postings.range(range).map_err(db_err)? {
        let (key, posting) = entry.map_err(db_err)?;
        let (tf, length) = posting.value();
        out.push((key.value().2.to_owned(), tf, length));
    }
    Ok(out)
}
