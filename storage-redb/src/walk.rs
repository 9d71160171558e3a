//! Walking several index terms at once, merged into one keyset order.

use std::ops::Bound;

use foliodesk_core::Result;
use redb::ReadOnlyTable;

use crate::db_err;
use crate::tables::INDEX;

/// An index key without its term: (opened µs, id).
pub(crate) type Key = (i64, String);

type IndexTable = ReadOnlyTable<(&'static str, i64, &'static str), ()>;
type IndexRange = redb::Range<'static, (&'static str, i64, &'static str), ()>;

struct Source {
    range: IndexRange,
    head: Option<Key>,
}

/// The keys of every term in `terms` strictly after `after` (before it when
/// `newest_first`), in keyset order, each once.
pub(crate) struct Merged {
    sources: Vec<Source>,
    newest_first: bool,
    last: Option<Key>,
}

impl Merged {
    pub(crate) fn new(
        index: &IndexTable,
        terms: &[String],
        after: Option<(i64, &str)>,
        newest_first: bool,
    ) -> Result<Merged> {
        let mut sources = Vec::with_capacity(terms.len());
        for term in terms {
            // Every key of this term lies in [(term, MIN, ""), (term + "\0", MIN, "")).
            let past_term = format!("{term}\0");
            let first = (term.as_str(), i64::MIN, "");
            let beyond = (past_term.as_str(), i64::MIN, "");
            let cursor = after.map(|(opened, id)| (term.as_str(), opened, id));
            let (lo, hi) = match (cursor, newest_first) {
                (Some(c), false) => (Bound::Excluded(c), Bound::Excluded(beyond)),
                (Some(c), true) => (Bound::Included(first), Bound::Excluded(c)),
                (None, _) => (Bound::Included(first), Bound::Excluded(beyond)),
            };
            let range = index.range::<(&str, i64, &str)>((lo, hi)).map_err(db_err)?;
            let mut source = Source { range, head: None };
            source.advance(newest_first)?;
            sources.push(source);
        }
        Ok(Merged {
            sources,
            newest_first,
            last: None,
        })
    }

    fn pick(&self) -> Option<usize> {
        let heads = self
            .sources
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.head.as_ref().map(|k| (i, k)));
        let best = if self.newest_first {
            heads.max_by(|a, b| a.1.cmp(b.1))
        } else {
            heads.min_by(|a, b| a.1.cmp(b.1))
        };
        best.map(|(i, _)| i)
    }
}

impl Source {
    fn advance(&mut self, newest_first: bool) -> Result<()> {
        let next = if newest_first {
            self.range.next_back()
        } else {
            self.range.next()
        };
        self.head = match next {
            Some(entry) => {
                let (key, _) = entry.map_err(db_err)?;
                let (_, opened, id) = key.value();
                Some((opened, id.to_owned()))
            }
            None => None,
        };
        Ok(())
    }
}

impl Iterator for Merged {
    type Item = Result<Key>;

    fn next(&mut self) -> Option<Result<Key>> {
        loop {
            let i = self.pick()?;
            let source = &mut self.sources[i];
            let key = source.head.take()?;
            if let Err(e) = source.advance(self.newest_first) {
                return Some(Err(e));
            }
            // A ticket under two walked terms (several watchers) is yielded once.
            if self.last.as_ref() != Some(&key) {
                self.last = Some(key.clone());
                return Some(Ok(key));
            }
        }
    }
}

/// The index table, opened in `txn`.
pub(crate) fn open(txn: &redb::ReadTransaction) -> Result<IndexTable> {
    txn.open_table(INDEX).map_err(db_err)
}
