//! Searches on SQLite: a term's postings are packed in blocks ([`crate::block`]), so a
//! search reads a few rows per term and scores their postings here, term by term in the
//! reference's order ([`foliodesk_core::search::top::top_of`]), as redb does; only the page's
//! documents have their attributes read. Everything comes from one read transaction.
//!
//! Postings of new and changed documents are still pending ([`crate::buffer`]): those of
//! the query's terms are read too, and the blocks' postings of a document with a marker
//! pending (its packed number, `seq`) are out of date and skipped.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use foliodesk_core::search::bm25::{self, Params, Weight};
use foliodesk_core::search::tally::Tally;
use foliodesk_core::search::{DocAttrs, Postings, PostingsQuery, TopDocs, TopHit, TopQuery};
use foliodesk_core::{Error, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Connection, Row};

use crate::block;
use crate::errors::storage;
use crate::filter::{fetch_rows, Arg};
use crate::statements::marks;
use crate::SqlStore;

/// A term's postings as read: its blocks and its pending postings.
#[derive(Default)]
struct Lists {
    blocks: Vec<Vec<u8>>,
    pending: Vec<(String, u32, u32)>,
}

/// What a search read, from one snapshot.
struct Read {
    documents: u64,
    total: u64,
    /// The query's exact terms and the words its prefix stands for.
    wanted: BTreeSet<String>,
    lists: HashMap<String, Lists>,
    /// The numbers of the documents whose postings in the blocks are out of date.
    stale: HashSet<i64>,
}

impl Read {
    /// Calls `each(doc, tf, length)` for every current posting of `term`.
    fn each(&self, term: &str, mut each: impl FnMut(&str, u32, u32)) -> Result<()> {
        let Some(lists) = self.lists.get(term) else {
            return Ok(());
        };
        for data in &lists.blocks {
            let decoded = match self.stale.is_empty() {
                true => block::decode(data, |_, doc, tf, length| each(doc, tf, length)),
                false => block::decode(data, |seq, doc, tf, length| {
                    if !self.stale.contains(&seq) {
                        each(doc, tf, length)
                    }
                }),
            };
            decoded.map_err(damaged)?;
        }
        for (doc, tf, length) in &lists.pending {
            each(doc, *tf, *length);
        }
        Ok(())
    }
}

fn damaged(what: &str) -> Error {
    Error::storage_msg(format!("cannot read the search index: {what}"))
}

/// What a failed read was doing.
const READING: &str = "cannot read the search index";

fn failed(e: sqlx::Error) -> Error {
    storage(READING, e)
}

async fn fetch(conn: &mut AnyConnection, sql: &str, args: Vec<Arg>) -> Result<Vec<AnyRow>> {
    fetch_rows(conn, sql, args, READING).await
}

/// A stored count as a `u32` (the index writes none out of range).
pub(crate) fn clamped(n: i64) -> u32 {
    n.clamp(0, i64::from(u32::MAX)) as u32
}

/// Reads `q`'s terms (and `also`, for a filter) on `conn`, in its read transaction.
async fn read(conn: &mut AnyConnection, q: &PostingsQuery, also: Option<&str>) -> Result<Read> {
    let kind = q.kind.code();
    let stats = "SELECT documents, total FROM fd_search_stats WHERE kind = ?";
    let rows = fetch(conn, stats, vec![Arg::Text(kind.to_owned())]).await?;
    let (mut documents, mut total) = (0, 0);
    if let Some(row) = rows.first() {
        let int = |i| row.try_get::<i64, _>(i).map(|n| n.max(0) as u64);
        (documents, total) = (int(0).map_err(failed)?, int(1).map_err(failed)?);
    }
    let mut wanted: BTreeSet<String> = q.terms.iter().cloned().collect();
    wanted.extend(prefixed(conn, q).await?);
    let mut fetched: Vec<&str> = wanted.iter().map(String::as_str).collect();
    fetched.extend(also.filter(|t| !wanted.contains(*t)));
    let mut lists: HashMap<String, Lists> = HashMap::new();
    let mut stale = HashSet::new();
    if !fetched.is_empty() {
        let mut args = vec![Arg::Text(kind.to_owned())];
        args.extend(fetched.iter().map(|t| Arg::Text((*t).to_owned())));
        let sql = format!(
            "SELECT term, data FROM fd_term_blocks WHERE kind = ? AND term IN ({})",
            marks(fetched.len())
        );
        for row in fetch(conn, &sql, args.clone()).await? {
            let term: String = row.try_get(0).map_err(failed)?;
            let data: Vec<u8> = row.try_get(1).map_err(failed)?;
            lists.entry(term).or_default().blocks.push(data);
        }
        // One scan of the pending rows: the terms' postings, and the markers with the
        // packed number (if any) of their documents.
        let sql = format!(
            "SELECT p.term, p.doc, p.tf, p.length, d.seq FROM fd_postings_pending p \
             LEFT JOIN fd_packed_docs d ON p.term = '' AND d.doc = p.doc \
             WHERE p.term = '' OR (p.kind = ? AND p.term IN ({}))",
            marks(fetched.len())
        );
        for row in fetch(conn, &sql, args).await? {
            let term: String = row.try_get(0).map_err(failed)?;
            if term.is_empty() {
                let seq: Option<i64> = row.try_get(4).map_err(failed)?;
                stale.extend(seq);
                continue;
            }
            let int = |i| (row.try_get::<i64, _>(i).map_err(failed)).map(clamped);
            let posting = (row.try_get(1).map_err(failed)?, int(2)?, int(3)?);
            lists.entry(term).or_default().pending.push(posting);
        }
    }
    Ok(Read {
        documents,
        total,
        wanted,
        lists,
        stale,
    })
}

/// The stored terms `q`'s prefix stands for: the first `prefix_limit` in byte order, of
/// the blocks' (one index seek per term, however many blocks it has) and the pending ones.
async fn prefixed(conn: &mut AnyConnection, q: &PostingsQuery) -> Result<Vec<String>> {
    let Some(prefix) = &q.prefix else {
        return Ok(Vec::new());
    };
    let (kind, end) = (q.kind.code(), format!("{prefix}{}", char::MAX));
    let limit = i64::from(q.prefix_limit);
    let sql = "WITH RECURSIVE t(term) AS ( \
          SELECT MIN(term) FROM fd_term_blocks WHERE kind = ? AND term >= ? AND term < ? \
          UNION ALL SELECT (SELECT MIN(b.term) FROM fd_term_blocks b \
            WHERE b.kind = ? AND b.term > t.term AND b.term < ?) FROM t \
          WHERE t.term IS NOT NULL LIMIT ?) \
        SELECT term FROM t WHERE term IS NOT NULL \
        UNION SELECT * FROM (SELECT DISTINCT term FROM fd_postings_pending \
          WHERE kind = ? AND term >= ? AND term < ? ORDER BY term LIMIT ?)";
    let text = |s: &str| Arg::Text(s.to_owned());
    let args = vec![
        text(kind),
        text(prefix),
        text(&end),
        text(kind),
        text(&end),
        Arg::Int(limit + 1),
        text(kind),
        text(prefix),
        text(&end),
        Arg::Int(limit),
    ];
    let rows = fetch(conn, sql, args).await?;
    let mut terms = (rows.iter())
        .map(|row| row.try_get::<String, _>(0).map_err(failed))
        .collect::<Result<Vec<String>>>()?;
    terms.sort();
    terms.truncate(q.prefix_limit as usize);
    Ok(terms)
}

/// The attributes of `docs`.
async fn attributes(conn: &mut AnyConnection, docs: &[&str]) -> Result<HashMap<String, DocAttrs>> {
    let mut out = HashMap::with_capacity(docs.len());
    for part in docs.chunks(1_000) {
        let sql = format!(
            "SELECT doc, attrs FROM fd_search_docs WHERE doc IN ({})",
            marks(part.len())
        );
        let args = part.iter().map(|d| Arg::Text((*d).to_owned())).collect();
        for row in fetch(conn, &sql, args).await? {
            let attrs: String = row.try_get(1).map_err(failed)?;
            out.insert(row.try_get(0).map_err(failed)?, DocAttrs::decode(&attrs));
        }
    }
    Ok(out)
}

/// A pooled connection, for a read transaction.
async fn connection(store: &SqlStore) -> Result<sqlx::pool::PoolConnection<sqlx::Any>> {
    (store.pool.acquire())
        .await
        .map_err(|e| storage("cannot search", e))
}

pub(crate) async fn top(store: &SqlStore, q: &TopQuery) -> Result<TopDocs> {
    let mut conn = connection(store).await?;
    let mut tx = conn.begin().await.map_err(failed)?;
    let read = read(&mut tx, &q.terms, q.within.as_deref()).await?;
    if read.documents == 0 {
        return Ok(TopDocs::default());
    }
    let weight = Weight::new(read.total as f64 / read.documents as f64, Params::default());
    let within: Option<HashSet<String>> = match &q.within {
        Some(mark) => {
            let mut docs = HashSet::new();
            read.each(mark, |doc, _, _| {
                docs.insert(doc.to_owned());
            })?;
            Some(docs)
        }
        None => None,
    };
    let mut tally = Tally::default();
    let mut list: Vec<(u32, u32, u32)> = Vec::new();
    for term in &read.wanted {
        list.clear();
        let mut df = 0u64;
        read.each(term, |doc, tf, length| {
            df += 1;
            if within.as_ref().is_none_or(|w| w.contains(doc)) {
                list.push((tally.number(doc), tf, length));
            }
        })?;
        let idf = bm25::idf(df, read.documents);
        let exact = q.terms.terms.binary_search(term).is_ok();
        for &(at, tf, length) in &list {
            tally.add(at, weight.of(f64::from(tf), f64::from(length), idf), exact);
        }
    }
    let ranked = tally.page(q.offset as usize, q.limit as usize);
    let keys: Vec<&str> = ranked.iter().map(|(k, _)| k.as_str()).collect();
    let mut attrs = attributes(&mut tx, &keys).await?;
    tx.commit().await.map_err(failed)?;
    let hits: Vec<TopHit> = (ranked.into_iter())
        .map(|(key, score)| {
            let attrs = attrs.remove(&key).unwrap_or_default();
            TopHit { key, score, attrs }
        })
        .collect();
    let more = hits.len() == q.limit as usize;
    Ok(TopDocs { hits, more })
}

/// The answer to `q` ([`foliodesk_core::store::Store::postings`]).
pub(crate) async fn answer(store: &SqlStore, q: &PostingsQuery) -> Result<Postings> {
    let mut conn = connection(store).await?;
    let mut tx = conn.begin().await.map_err(failed)?;
    let read = read(&mut tx, q, None).await?;
    let mut out = Postings {
        documents: read.documents,
        total_length: read.total,
        ..Postings::default()
    };
    let mut lengths: BTreeMap<String, u32> = BTreeMap::new();
    for term in &read.wanted {
        let mut list = Vec::new();
        read.each(term, |doc, tf, length| {
            lengths.entry(doc.to_owned()).or_insert(length);
            list.push((doc.to_owned(), tf));
        })?;
        if !list.is_empty() {
            out.lists.insert(term.clone(), list);
        }
    }
    let keys: Vec<&str> = lengths.keys().map(String::as_str).collect();
    let mut attrs = attributes(&mut tx, &keys).await?;
    tx.commit().await.map_err(failed)?;
    for (doc, length) in lengths {
        let a = attrs.remove(&doc).unwrap_or_default();
        out.docs.insert(doc, (length, a));
    }
    Ok(out)
}
