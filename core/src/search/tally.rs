//! Scoring postings where they are read (redb's tree, SQLite's packed blocks): a broad query
//! scores 50,000–100,000 postings, so the documents met are kept in one string end to end
//! behind a table of their positions. A posting of a document already met costs a hash and
//! a compare, a new document no allocation of its own, and only the page's keys become
//! `String`s. Terms are added in the reference's order ([`super::top::top_of`]: ascending),
//! so the sums come out bit for bit the same.
//!
//! ```
//! use foliodesk_core::search::tally::Tally;
//! let mut tally = Tally::default();
//! let (a, b) = (tally.number("t:a"), tally.number("t:b"));
//! tally.add(a, 2.0, true);
//! tally.add(b, 1.0, true);
//! tally.add(b, 1.5, false); // a word the prefix stands for: its best counts once
//! tally.add(b, 0.5, false);
//! assert_eq!(tally.page(0, 10), vec![("t:b".to_owned(), 2.5), ("t:a".to_owned(), 2.0)]);
//! ```

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

use super::bm25;

/// The documents met, numbered in the order met, and their scores.
#[derive(Default)]
pub struct Tally {
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

impl Tally {
    /// The key of document `at`.
    pub fn key(&self, at: u32) -> &str {
        key_of(&self.keys, &self.spans, at)
    }

    /// How many documents were met.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether none was.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The number of `doc`, met now if not before.
    pub fn number(&mut self, doc: &str) -> u32 {
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

    /// Adds weight `w` of a term to document `at`: an exact term's weights add up, the
    /// prefix's words count their best once.
    pub fn add(&mut self, at: u32, w: f64, exact: bool) {
        let entry = &mut self.scores[at as usize];
        if exact {
            entry.0 += w;
        } else {
            entry.1 = entry.1.max(w);
        }
    }

    /// The documents ranked `offset..offset + limit` in [`bm25::rank`]'s order (the score
    /// quantised once per document), found without sorting them all.
    pub fn page(&self, offset: usize, limit: usize) -> Vec<(String, f64)> {
        let mut all: Vec<(i64, u32, f64)> = (self.scores.iter().enumerate())
            .map(|(at, (sum, best))| {
                let score = sum + best;
                (bm25::quantise(score), at as u32, score)
            })
            .collect();
        let order = |a: &(i64, u32, f64), b: &(i64, u32, f64)| {
            (b.0.cmp(&a.0)).then_with(|| self.key(a.1).cmp(self.key(b.1)))
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
            .map(|(_, at, s)| (self.key(at).to_owned(), s))
            .collect()
    }
}
