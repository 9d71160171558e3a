//! Ranking in redb: the query terms' postings (each with its document's length) are read in
//! one read transaction and scored here, term by term in the reference's order
//! ([`foliodesk_core::search::top::top_of`]), so the sums come out bit for bit the same; only
//! the page's documents have their attributes read.
//!
//! A broad query scores 50,000–100,000 postings, so the documents met are kept in one
//! string end to end behind a table of their positions: a posting of a document already
//! met costs a hash and a compare, a new document no allocation of its own, and only the
//! page's keys become `String`s.

use std::collections::{BTreeSet, HashSet};
use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

use foliodesk_core::search::bm25::{self, Params, Weight};
use foliodesk_core::search::{DocAttrs, TopDocs, TopHit, TopQuery};
use foliodesk_core::Result;
use redb::{Database, ReadableDatabase, ReadableTable};

use crate::db_err;
use crate::search::prefixed;
use crate::tables::*;

/// The documents met, numbered in the order met.
#[derive(Default)]
struct Docs {
    /// Their keys, end to end.
    keys: String,
    /// Where each key is in `keys`.
    spans: Vec<(usize, usize)>,
    /// Their numbers, by the hash of their key.
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
    /// Per document: the exact terms' summed weight, the prefix's best.
    scores: Vec<(f64, f64)>,
}

/// The key of document `at`.
fn key_of<'k>(keys: &'k str, spans: &[(usize, usize)], at: u32) -> &'k str {
    let (from, to) = spans[at as usize];
    &keys[from..to]
}

impl Docs {
    fn key(&self, at: u32) -> &str {
        key_of(&self.keys, &self.spans, at)
    }

    /// The number of `doc`, met now if not before.
    fn number(&mut self, doc: &str) -> u32 {
        let hash = self.hasher.hash_one(doc);
        let (keys, spans) = (&self.keys, &self.spans);
        if let Some(at) = self.table.find(hash, |at| key_of(keys, spans, *at) == doc) {
            return *at;
        }
        let at = self.spans.len() as u32;
        self.spans
            .push((self.keys.len(), self.keys.len() + doc.len()));
        self.keys.push_str(doc);
        self.scores.push((0.0, 0.0));
        let (keys, spans, hasher) = (&self.keys, &self.spans, &self.hasher);
        (self.table).insert_unique(hash, at, |at| hasher.hash_one(key_of(keys, spans, *at)));
        at
    }
}

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
    let mut docs = Docs::default();
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
            let w = weight.of(f64::from(tf), f64::from(length), idf);
            let entry = &mut docs.scores[at as usize];
            if is_exact {
                entry.0 += w;
            } else {
                entry.1 = entry.1.max(w);
            }
        }
    }
    let ranked = page(&docs, q.offset as usize, q.limit as usize);
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

/// The documents ranked `offset..offset + limit` in [`bm25::rank`]'s order (the score
/// quantised once per document), found without sorting them all.
fn page(docs: &Docs, offset: usize, limit: usize) -> Vec<(String, f64)> {
    let mut all: Vec<(i64, u32, f64)> = (docs.scores.iter().enumerate())
        .map(|(at, (sum, best))| {
            let score = sum + best;
            (bm25::quantise(score), at as u32, score)
        })
        .collect();
    let order = |a: &(i64, u32, f64), b: &(i64, u32, f64)| {
        (b.0.cmp(&a.0)).then_with(|| docs.key(a.1).cmp(docs.key(b.1)))
    };
    let wanted = offset.saturating_add(limit).min(all.len());
    if wanted == 0 {
        return Vec::new();
    }
    if wanted < all.len() {
        all.select_nth_unstable_by(wanted - 1, order);
        all.truncate(wanted);
    }
    all.sort_by(order);
    all.into_iter()
        .skip(offset)
        .map(|(_, at, s)| (docs.key(at).to_owned(), s))
        .collect()
}
