//! Search postings and articles in redb. A document's row lists its terms, so replacing it
//! removes exactly its old postings; each kind's document count and summed length live in
//! `counters`, which appends open anyway.

use std::collections::BTreeSet;

use foliodesk_core::knowledge::Article;
use foliodesk_core::search::{DocAttrs, Postings, PostingsQuery, SearchDoc};
use foliodesk_core::store::doc::{from_json, to_json};
use foliodesk_core::store::ArticleWrite;
use foliodesk_core::Result;
use redb::{Database, ReadableDatabase, ReadableTable, WriteTransaction};

use crate::db_err;
use crate::tables::*;

/// Writes `doc` in `txn`, replacing what was stored under its key.
pub(crate) fn put_doc(txn: &WriteTransaction, doc: &SearchDoc) -> Result<()> {
    let mut docs = txn.open_table(SEARCH_DOCS).map_err(db_err)?;
    let attrs = doc.attrs.encode();
    let old = docs.get(doc.key.as_str()).map_err(db_err)?.map(|g| {
        let (length, _, terms) = g.value();
        (length, terms.to_owned())
    });
    let Some(terms) = &doc.terms else {
        // Attributes alone: a document never indexed is left to reindexing.
        if let Some((length, terms)) = old {
            (docs.insert(doc.key.as_str(), (length, attrs.as_str(), terms.as_str())))
                .map_err(db_err)?;
        }
        return Ok(());
    };
    let kind = doc.kind.code();
    let mut postings = txn.open_table(POSTINGS).map_err(db_err)?;
    let mut counters = txn.open_table(COUNTERS).map_err(db_err)?;
    let [count_key, length_key] = search_stats(kind);
    let stat = |c: &redb::Table<(&str, i32), u64>, k: &(String, i32)| -> Result<u64> {
        Ok((c.get((k.0.as_str(), k.1)).map_err(db_err)?).map_or(0, |g| g.value()))
    };
    let (mut count, mut total) = (stat(&counters, &count_key)?, stat(&counters, &length_key)?);
    if let Some((length, old_terms)) = &old {
        for term in old_terms.split('\n').filter(|t| !t.is_empty()) {
            postings
                .remove((kind, term, doc.key.as_str()))
                .map_err(db_err)?;
        }
        count -= 1;
        total -= u64::from(*length);
    }
    for (term, tf) in &terms.counts {
        let posting = (*tf, terms.length);
        (postings.insert((kind, term.as_str(), doc.key.as_str()), posting)).map_err(db_err)?;
    }
    let listed: Vec<&str> = terms.counts.iter().map(|(t, _)| t.as_str()).collect();
    let listed = listed.join("\n");
    (docs.insert(
        doc.key.as_str(),
        (terms.length, attrs.as_str(), listed.as_str()),
    ))
    .map_err(db_err)?;
    counters
        .insert((count_key.0.as_str(), 0), count + 1)
        .map_err(db_err)?;
    let total = total + u64::from(terms.length);
    counters
        .insert((length_key.0.as_str(), 0), total)
        .map_err(db_err)?;
    Ok(())
}

/// The answer to `q` from one read transaction.
pub(crate) fn answer(db: &Database, q: &PostingsQuery) -> Result<Postings> {
    let txn = db.begin_read().map_err(db_err)?;
    let postings = txn.open_table(POSTINGS).map_err(db_err)?;
    let docs = txn.open_table(SEARCH_DOCS).map_err(db_err)?;
    let counters = txn.open_table(COUNTERS).map_err(db_err)?;
    let kind = q.kind.code();
    let mut out = Postings::default();
    let [count_key, length_key] = search_stats(kind);
    let stat = |k: &(String, i32)| -> Result<u64> {
        Ok((counters.get((k.0.as_str(), k.1)).map_err(db_err)?).map_or(0, |g| g.value()))
    };
    out.documents = stat(&count_key)?;
    out.total_length = stat(&length_key)?;
    let mut wanted: BTreeSet<String> = q.terms.iter().cloned().collect();
    wanted.extend(prefixed(&postings, q)?);
    for term in wanted {
        let mut list = Vec::new();
        let range = (kind, term.as_str(), "")..(kind, term.as_str(), "\u{10FFFF}");
        for entry in postings.range(range).map_err(db_err)? {
            let (key, posting) = entry.map_err(db_err)?;
            let doc = key.value().2.to_owned();
            if !out.docs.contains_key(&doc) {
                if let Some(row) = docs.get(doc.as_str()).map_err(db_err)? {
                    let (length, attrs, _) = row.value();
                    out.docs
                        .insert(doc.clone(), (length, DocAttrs::decode(attrs)));
                }
            }
            list.push((doc, posting.value().0));
        }
        if !list.is_empty() {
            out.lists.insert(term, list);
        }
    }
    Ok(out)
}

/// The stored terms `q`'s prefix stands for: the first `prefix_limit`, in byte order.
pub(crate) fn prefixed(
    postings: &impl ReadableTable<(&'static str, &'static str, &'static str), (u32, u32)>,
    q: &PostingsQuery,
) -> Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    let (Some(prefix), kind) = (&q.prefix, q.kind.code()) else {
        return Ok(found);
    };
    // A term's postings are adjacent; jumping past them (to the term followed by the
    // highest key) visits one entry per term instead of one per posting.
    let mut from = prefix.clone();
    loop {
        let next = postings
            .range((kind, from.as_str(), "")..)
            .map_err(db_err)?
            .next();
        let Some(entry) = next else { break };
        let (key, _) = entry.map_err(db_err)?;
        let (k, term, _) = key.value();
        if k != kind || !term.starts_with(prefix.as_str()) || found.len() == q.prefix_limit as usize
        {
            break;
        }
        found.insert(term.to_owned());
        from = format!("{term}\0");
    }
    Ok(found)
}

/// Writes search documents in one transaction.
pub(crate) fn put_docs(db: &Database, docs: &[SearchDoc]) -> Result<()> {
    let txn = db.begin_write().map_err(db_err)?;
    for doc in docs {
        put_doc(&txn, doc)?;
    }
    txn.commit().map_err(db_err)
}

/// Writes an article and its document, if its stored revision is the expected one.
pub(crate) fn put_article(db: &Database, write: &ArticleWrite) -> Result<()> {
    let txn = db.begin_write().map_err(db_err)?;
    {
        let mut articles = txn.open_table(ARTICLES).map_err(db_err)?;
        let id = write.article.id.as_str();
        let stored = (articles.get(id).map_err(db_err)?).map_or(0, |g| g.value().0);
        if stored != write.expected {
            return Err(write.conflict(stored));
        }
        let body = to_json(&write.article)?;
        (articles.insert(id, (write.article.revision, body.as_str()))).map_err(db_err)?;
    }
    put_doc(&txn, &write.index)?;
    txn.commit().map_err(db_err)
}

/// An article.
pub(crate) fn article(db: &Database, id: &str) -> Result<Option<Article>> {
    let txn = db.begin_read().map_err(db_err)?;
    let articles = txn.open_table(ARTICLES).map_err(db_err)?;
    let row = articles.get(id).map_err(db_err)?;
    row.map(|g| from_json("article", g.value().1)).transpose()
}

/// Every article, by id.
pub(crate) fn articles(db: &Database) -> Result<Vec<Article>> {
    let txn = db.begin_read().map_err(db_err)?;
    let articles = txn.open_table(ARTICLES).map_err(db_err)?;
    let mut out = Vec::new();
    for entry in articles.iter().map_err(db_err)? {
        let (_, row) = entry.map_err(db_err)?;
        out.push(from_json("article", row.value().1)?);
    }
    Ok(out)
}
