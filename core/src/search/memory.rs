//! A search index in memory: the memory store's, and the reference the conformance suite
//! compares the durable backends' answers with.

use std::collections::{BTreeMap, HashMap};

use super::index::{DocAttrs, DocKind, SearchDoc};
use super::query::{Postings, PostingsQuery};

/// Postings by (kind, term), documents by key.
#[derive(Debug, Default)]
pub struct MemoryIndex {
    postings: BTreeMap<(DocKind, String), BTreeMap<String, u32>>,
    docs: HashMap<String, Stored>,
}

#[derive(Debug)]
struct Stored {
    kind: DocKind,
    length: u32,
    attrs: DocAttrs,
    terms: Vec<String>,
}

impl MemoryIndex {
    /// Writes `doc`, replacing what was stored under its key (its terms too when it brings
    /// them).
    pub fn put(&mut self, doc: SearchDoc) {
        let Some(terms) = doc.terms else {
            // Attributes of a document never indexed change nothing (reindexing adds it),
            // as an `UPDATE` of no row does in SQL.
            if let Some(stored) = self.docs.get_mut(&doc.key) {
                stored.attrs = doc.attrs;
            }
            return;
        };
        if let Some(old) = self.docs.remove(&doc.key) {
            for term in old.terms {
                let key = (old.kind, term);
                if let Some(list) = self.postings.get_mut(&key) {
                    list.remove(&doc.key);
                    if list.is_empty() {
                        self.postings.remove(&key);
                    }
                }
            }
        }
        for (term, tf) in &terms.counts {
            (self.postings.entry((doc.kind, term.clone())).or_default())
                .insert(doc.key.clone(), *tf);
        }
        self.docs.insert(
            doc.key,
            Stored {
                kind: doc.kind,
                length: terms.length,
                attrs: doc.attrs,
                terms: terms.counts.into_iter().map(|(t, _)| t).collect(),
            },
        );
    }

    /// The answer to `q`.
    pub fn answer(&self, q: &PostingsQuery) -> Postings {
        let mut out = Postings::default();
        for stored in self.docs.values().filter(|d| d.kind == q.kind) {
            out.documents += 1;
            out.total_length += u64::from(stored.length);
        }
        let mut wanted: Vec<&String> = q.terms.iter().collect();
        if let Some(prefix) = &q.prefix {
            let expanded = (self.postings.range((q.kind, prefix.clone())..))
                .map(|((kind, term), _)| (kind, term))
                .take_while(|(kind, term)| **kind == q.kind && term.starts_with(prefix.as_str()))
                .take(q.prefix_limit as usize)
                .map(|(_, term)| term);
            wanted.extend(expanded);
        }
        for term in wanted {
            let Some(list) = self.postings.get(&(q.kind, term.clone())) else {
                continue;
            };
            for doc in list.keys() {
                if let Some(s) = self.docs.get(doc) {
                    out.docs.insert(doc.clone(), (s.length, s.attrs.clone()));
                }
            }
            let list = list.iter().map(|(d, tf)| (d.clone(), *tf)).collect();
            out.lists.insert(term.clone(), list);
        }
        out
    }
}
