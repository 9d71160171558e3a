//! SQLite's merge of pending postings into the term blocks ([`crate::block`]).
//!
//! New and changed documents' postings wait in `fd_postings_pending` (see
//! [`crate::buffer`]); the merge moves them into `fd_term_blocks`, a transaction per chunk
//! of whole documents. A document is numbered (`fd_packed_docs.seq`) when first packed, and
//! a term's blocks hold its postings in that order, so new documents land in each term's
//! last block: a merge rewrites about one block per term it touches. A changed document
//! keeps its number; its postings leave the blocks of the terms it had (listed in
//! `fd_packed_docs.terms`) and join those of the terms it has.

use std::collections::{BTreeMap, HashMap, HashSet};

use foliodesk_core::{Error, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Executor, Row};

use crate::block::{self, Entry, MOST};
use crate::errors::storage;
use crate::filter::{bind_all, fetch_rows, Arg};
use crate::statements::{marks, values};

/// Pending postings a transaction packs at most (whole documents; a larger one alone).
const CHUNK: usize = 50_000;

/// Rows per statement: well under SQLite's 32,766 binds.
const ROWS: usize = 2_000;

/// A term of a kind.
type TermKey = (String, String);

/// A term's rewritten blocks: each by its stored `first` (`None` if the term had no block)
/// with its postings.
type Rewritten = (TermKey, Vec<(Option<i64>, Vec<Entry>)>);

/// Packs every pending posting, a transaction per chunk. The caller holds the writer; a
/// failure leaves the open transaction to its rollback.
pub(crate) async fn merge(conn: &mut AnyConnection) -> Result<()> {
    loop {
        let begin = conn.execute("BEGIN IMMEDIATE").await;
        begin.map_err(|e| storage("cannot begin the merge of pending postings", e))?;
        let more = step(conn).await?;
        let commit = conn.execute("COMMIT").await;
        commit.map_err(|e| storage("cannot commit the merge of pending postings", e))?;
        if !more {
            return Ok(());
        }
    }
}

/// A document's postings to pack: term, count and the document's length.
pub(crate) struct Doc {
    pub key: String,
    pub kind: String,
    pub terms: Vec<(String, u32, u32)>,
}

impl Doc {
    /// `doc`'s postings, if it has terms.
    pub fn of(doc: &foliodesk_core::search::SearchDoc) -> Option<Doc> {
        let terms = doc.terms.as_ref()?;
        Some(Doc {
            key: doc.key.clone(),
            kind: doc.kind.code().to_owned(),
            terms: (terms.counts.iter())
                .map(|(t, tf)| (t.clone(), *tf, terms.length))
                .collect(),
        })
    }
}

/// What a merge does to one term's blocks.
#[derive(Default)]
struct Change {
    gone: HashSet<i64>,
    added: Vec<Entry>,
}

async fn fetch(conn: &mut AnyConnection, sql: &str, args: Vec<Arg>) -> Result<Vec<AnyRow>> {
    fetch_rows(conn, sql, args, "cannot merge the pending postings").await
}

async fn run(conn: &mut AnyConnection, sql: String, args: Vec<Arg>) -> Result<()> {
    let q = bind_all(sqlx::query(AssertSqlSafe(sql)), args);
    (q.execute(&mut *conn).await).map_err(|e| storage("cannot merge the pending postings", e))?;
    Ok(())
}

fn read<T>(r: std::result::Result<T, sqlx::Error>) -> Result<T> {
    r.map_err(|e| storage("cannot read the pending postings", e))
}

/// Packs the first chunk of pending documents; whether more are pending.
async fn step(conn: &mut AnyConnection) -> Result<bool> {
    let (docs, more) = chunk(conn).await?;
    let Some(last) = docs.last().map(|d| d.key.clone()) else {
        return Ok(false);
    };
    pack(conn, &docs).await?;
    let sql = "DELETE FROM fd_postings_pending WHERE doc <= ?".to_owned();
    run(conn, sql, vec![Arg::Text(last)]).await?;
    Ok(more)
}

/// Packs `docs` (their postings replacing whatever the blocks hold of them), in the
/// caller's transaction: the pending ones, or an import's new documents directly.
pub(crate) async fn pack(conn: &mut AnyConnection, docs: &[Doc]) -> Result<()> {
    let (numbers, first_new) = numbers(conn, docs).await?;
    let mut changes: BTreeMap<TermKey, Change> = BTreeMap::new();
    for doc in docs {
        let (seq, old) = &numbers[&doc.key];
        for term in old.split('\n').filter(|t| !t.is_empty()) {
            let key = (doc.kind.clone(), term.to_owned());
            changes.entry(key).or_default().gone.insert(*seq);
        }
        for (term, tf, length) in &doc.terms {
            let key = (doc.kind.clone(), term.clone());
            let entry = Entry {
                seq: *seq,
                key: doc.key.clone(),
                tf: *tf,
                length: *length,
            };
            changes.entry(key).or_default().added.push(entry);
        }
    }
    let blocks = rewrite(conn, changes, first_new).await?;
    write_blocks(conn, blocks).await?;
    let packed: Vec<&Doc> = docs.iter().filter(|d| !d.terms.is_empty()).collect();
    for part in packed.chunks(ROWS) {
        let mut args = Vec::with_capacity(part.len() * 3);
        for d in part {
            let terms: Vec<&str> = d.terms.iter().map(|t| t.0.as_str()).collect();
            args.push(Arg::Int(numbers[&d.key].0));
            args.push(Arg::Text(d.key.clone()));
            args.push(Arg::Text(terms.join("\n")));
        }
        let sql = format!(
            "INSERT OR REPLACE INTO fd_packed_docs (seq, doc, terms) VALUES {}",
            values(part.len(), 3)
        );
        run(conn, sql, args).await?;
    }
    let emptied: Vec<&Doc> = docs.iter().filter(|d| d.terms.is_empty()).collect();
    for part in emptied.chunks(ROWS) {
        let sql = format!(
            "DELETE FROM fd_packed_docs WHERE doc IN ({})",
            marks(part.len())
        );
        run(
            conn,
            sql,
            part.iter().map(|d| Arg::Text(d.key.clone())).collect(),
        )
        .await?;
    }
    Ok(())
}

/// The first pending documents, whole, up to [`CHUNK`] postings (one larger document
/// alone); whether more are pending.
async fn chunk(conn: &mut AnyConnection) -> Result<(Vec<Doc>, bool)> {
    let select = "SELECT doc, term, kind, tf, length FROM fd_postings_pending";
    let sql = format!("{select} ORDER BY doc, term LIMIT ?");
    let mut rows = fetch(conn, &sql, vec![Arg::Int(CHUNK as i64 + 1)]).await?;
    let more = rows.len() > CHUNK;
    if more {
        let key = |r: &AnyRow| read(r.try_get::<String, _>(0));
        let last = key(rows.last().expect("more than a chunk"))?;
        let first = key(&rows[0])?;
        if first == last {
            let sql = format!("{select} WHERE doc = ? ORDER BY term");
            rows = fetch(conn, &sql, vec![Arg::Text(last)]).await?;
        } else {
            while key(rows.last().expect("rows of two documents"))? == last {
                rows.pop();
            }
        }
    }
    let mut docs: Vec<Doc> = Vec::new();
    for row in rows {
        let key: String = read(row.try_get(0))?;
        let term: String = read(row.try_get(1))?;
        if docs.last().is_none_or(|d| d.key != key) {
            let kind = read(row.try_get(2))?;
            let terms = Vec::new();
            docs.push(Doc { key, kind, terms });
        }
        if term.is_empty() {
            continue; // the marker
        }
        let int = |i| read(row.try_get::<i64, _>(i)).map(crate::packed::clamped);
        let posting = (term, int(3)?, int(4)?);
        docs.last_mut().expect("pushed above").terms.push(posting);
    }
    Ok((docs, more))
}

/// Each document's number and the terms it has in the blocks: those of its earlier packing,
/// or the next free number and none; and the first number given now, past every posting's
/// in the blocks (each is a packed document's).
async fn numbers(
    conn: &mut AnyConnection,
    docs: &[Doc],
) -> Result<(HashMap<String, (i64, String)>, i64)> {
    let mut out = HashMap::with_capacity(docs.len());
    for part in docs.chunks(ROWS) {
        let sql = format!(
            "SELECT seq, doc, terms FROM fd_packed_docs WHERE doc IN ({})",
            marks(part.len())
        );
        let args = part.iter().map(|d| Arg::Text(d.key.clone())).collect();
        for row in fetch(conn, &sql, args).await? {
            let value = (read(row.try_get(0))?, read(row.try_get(2))?);
            out.insert(read(row.try_get(1))?, value);
        }
    }
    let sql = "SELECT COALESCE(MAX(seq), 0) FROM fd_packed_docs";
    let row = fetch(conn, sql, Vec::new()).await?;
    let mut next: i64 = read(row[0].try_get(0))?;
    let first_new = next + 1;
    for doc in docs {
        out.entry(doc.key.clone()).or_insert_with(|| {
            next += 1;
            (next, String::new())
        });
    }
    Ok((out, first_new))
}

/// The blocks `changes` touch, read and changed; numbers from `first_new` on are new.
async fn rewrite(
    conn: &mut AnyConnection,
    changes: BTreeMap<TermKey, Change>,
    first_new: i64,
) -> Result<Vec<Rewritten>> {
    // Each seq's block: the last whose first is at or below it, else the term's first. New
    // documents' numbers are past every block's, so one probe finds their (last) block.
    let mut probes: Vec<(&TermKey, i64)> = Vec::new();
    for (key, change) in &changes {
        let mut seqs: HashSet<i64> = change.gone.clone();
        let added = change.added.iter().map(|e| e.seq);
        seqs.extend(added.map(|s| if s >= first_new { i64::MAX } else { s }));
        probes.extend(seqs.into_iter().map(|s| (key, s)));
    }
    let mut stored: HashMap<TermKey, BTreeMap<i64, Vec<Entry>>> = HashMap::new();
    for part in probes.chunks(ROWS) {
        let sql = format!(
            "WITH w(kind, term, seq) AS (VALUES {}) \
             SELECT kind, term, first, data FROM fd_term_blocks WHERE (kind, term, first) IN \
             (SELECT w.kind, w.term, COALESCE( \
               (SELECT MAX(x.first) FROM fd_term_blocks x \
                WHERE x.kind = w.kind AND x.term = w.term AND x.first <= w.seq), \
               (SELECT MIN(x.first) FROM fd_term_blocks x \
                WHERE x.kind = w.kind AND x.term = w.term)) FROM w)",
            values(part.len(), 3)
        );
        let mut args = Vec::with_capacity(part.len() * 3);
        for ((kind, term), seq) in part {
            args.extend([
                Arg::Text(kind.clone()),
                Arg::Text(term.clone()),
                Arg::Int(*seq),
            ]);
        }
        for row in fetch(conn, &sql, args).await? {
            let key = (read(row.try_get(0))?, read(row.try_get(1))?);
            let first: i64 = read(row.try_get(2))?;
            let data: Vec<u8> = read(row.try_get(3))?;
            let entries = block::entries(&data).map_err(Error::storage_msg)?;
            stored.entry(key).or_default().insert(first, entries);
        }
    }
    let mut out = Vec::with_capacity(changes.len());
    for (key, change) in changes {
        let mut blocks: BTreeMap<i64, Vec<Entry>> = stored.remove(&key).unwrap_or_default();
        let had = !blocks.is_empty();
        for entries in blocks.values_mut() {
            entries.retain(|e| !change.gone.contains(&e.seq));
        }
        for entry in change.added {
            let at = (blocks.range(..=entry.seq).next_back().map(|(f, _)| *f))
                .or_else(|| blocks.keys().next().copied())
                .unwrap_or(entry.seq);
            blocks.entry(at).or_default().push(entry);
        }
        let blocks = (blocks.into_iter())
            .map(|(first, entries)| (had.then_some(first), entries))
            .collect();
        out.push((key, blocks));
    }
    Ok(out)
}

/// Replaces each rewritten block by its postings in blocks of at most [`MOST`].
async fn write_blocks(conn: &mut AnyConnection, terms: Vec<Rewritten>) -> Result<()> {
    let mut gone: Vec<Arg> = Vec::new();
    let mut new: Vec<Arg> = Vec::new();
    for ((kind, term), blocks) in terms {
        for (first, mut entries) in blocks {
            if let Some(first) = first {
                gone.extend([
                    Arg::Text(kind.clone()),
                    Arg::Text(term.clone()),
                    Arg::Int(first),
                ]);
            }
            entries.sort_by_key(|e| e.seq);
            for part in entries.chunks(MOST) {
                new.extend([Arg::Text(kind.clone()), Arg::Text(term.clone())]);
                new.extend([
                    Arg::Int(part[0].seq),
                    Arg::OptBytes(Some(block::encode(part))),
                ]);
            }
        }
    }
    for part in gone.chunks(ROWS * 3) {
        let sql = format!(
            "DELETE FROM fd_term_blocks WHERE (kind, term, first) IN (VALUES {})",
            values(part.len() / 3, 3)
        );
        run(conn, sql, part.to_vec()).await?;
    }
    for part in new.chunks(ROWS * 4) {
        let sql = format!(
            "INSERT INTO fd_term_blocks (kind, term, first, data) VALUES {}",
            values(part.len() / 4, 4)
        );
        run(conn, sql, part.to_vec()).await?;
    }
    Ok(())
}

impl crate::SqlStore {
    /// After a write that added `rows` pending rows outside an append (an import, an
    /// article, a reindex): merges them once enough are pending, as appends do.
    pub(crate) async fn merge_after(&self, rows: u64) -> Result<()> {
        let Some(group) = &self.group else {
            return Ok(());
        };
        let mut session = crate::session::Session::writer(&group.writer).await?;
        group.merge_if(&mut session, rows).await;
        Ok(())
    }
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
