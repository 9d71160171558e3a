//! Ranking in SQL: the engine sums each document's BM25 weights (`GROUP BY`) and returns one
//! page, so only the page crosses the connection. The weight is the core's formula in the
//! core's order of operations ([`Weight::SQL`]), with each term's idf computed in Rust from
//! the counts read first; sums may differ from the reference in their last bits (the
//! engine adds in its own order), which the ranking's nine-decimal ties absorb.

use foliodesk_core::search::bm25::{self, Params, Weight};
use foliodesk_core::search::{DocAttrs, TopDocs, TopHit, TopQuery};
use foliodesk_core::Result;
use sqlx::{AssertSqlSafe, Row};

use crate::dialect::Dialect;
use crate::errors::storage;
use crate::filter::{bind_all, Arg};
use crate::search::prefixed;
use crate::SqlStore;

pub(crate) async fn top(store: &SqlStore, q: &TopQuery) -> Result<TopDocs> {
    let mut conn = (store.pool.acquire())
        .await
        .map_err(|e| storage("cannot search", e))?;
    let conn = &mut *conn;
    let read = |e| storage("cannot read the search index", e);
    let kind = q.terms.kind.code();
    let extra = prefixed(store, conn, &q.terms).await?;
    let mut terms: Vec<(String, bool)> = q.terms.terms.iter().map(|t| (t.clone(), true)).collect();
    terms.extend(
        (extra.into_iter())
            .filter(|t| !q.terms.terms.contains(t))
            .map(|t| (t, false)),
    );
    if terms.is_empty() {
        return Ok(TopDocs::default());
    }
    // The kind's size and each term's document count.
    let int = match store.dialect {
        Dialect::MySql => "SIGNED",
        _ => "BIGINT",
    };
    let marks = vec!["?"; terms.len()].join(", ");
    let sql = format!(
        "SELECT NULL, COUNT(*), CAST(COALESCE(SUM(length), 0) AS {int}) FROM fd_search_docs \
         WHERE kind = ? UNION ALL SELECT term, COUNT(*), 0 FROM fd_postings \
         WHERE kind = ? AND term IN ({marks}) GROUP BY term"
    );
    let mut args = vec![Arg::Text(kind.to_owned()), Arg::Text(kind.to_owned())];
    args.extend(terms.iter().map(|(t, _)| Arg::Text(t.clone())));
    let sql = store.engine().placeholders(&sql);
    let rows = (bind_all(sqlx::query(AssertSqlSafe(sql)), args).fetch_all(&mut *conn))
        .await
        .map_err(read)?;
    let (mut documents, mut total) = (0u64, 0u64);
    let mut df = std::collections::HashMap::new();
    for row in rows {
        let term: Option<String> = row.try_get(0).map_err(read)?;
        let count: i64 = row.try_get(1).map_err(read)?;
        match term {
            Some(t) => drop(df.insert(t, count as u64)),
            None => {
                (documents, total) = (count as u64, row.try_get::<i64, _>(2).map_err(read)? as u64)
            }
        }
    }
    terms.retain(|(t, _)| df.contains_key(t));
    if documents == 0 || terms.is_empty() {
        return Ok(TopDocs::default());
    }
    let weight = Weight::new(total as f64 / documents as f64, Params::default());
    let idf = |t: &str| bm25::idf(df[t], documents);
    // Each posting's idf as an exact term (`ei`) and as a word the prefix stands for (`pi`):
    // exact weights add up, the prefix's best counts once.
    let mut args = Vec::new();
    let mut columns = Vec::new();
    for column in ["ei", "pi"] {
        let formula = Weight::SQL.replace("idf", column);
        columns.push(format!("{formula} AS w{column}"));
        args.extend(weight.binds().map(Arg::Float));
    }
    let mut cases = Vec::new();
    for exact in [true, false] {
        let of: Vec<&(String, bool)> = terms.iter().filter(|(_, e)| *e == exact).collect();
        if of.is_empty() {
            cases.push("0e0".to_owned());
            continue;
        }
        cases.push(format!(
            "CASE term {} ELSE 0e0 END",
            vec!["WHEN ? THEN ?"; of.len()].join(" ")
        ));
        for (t, _) in of {
            args.push(Arg::Text(t.clone()));
            args.push(Arg::Float(idf(t)));
        }
    }
    args.push(Arg::Text(kind.to_owned()));
    args.extend(terms.iter().map(|(t, _)| Arg::Text(t.clone())));
    let within = match &q.within {
        Some(mark) => {
            args.push(Arg::Text(kind.to_owned()));
            args.push(Arg::Text(mark.clone()));
            " AND doc IN (SELECT doc FROM fd_postings WHERE kind = ? AND term = ?)"
        }
        None => "",
    };
    args.push(Arg::Int(i64::from(q.limit)));
    args.push(Arg::Int(i64::from(q.offset)));
    let marks = vec!["?"; terms.len()].join(", ");
    let sql = format!(
        "SELECT t.doc, t.score, d.attrs FROM (SELECT doc, score FROM (\
         SELECT doc, SUM(wei) + MAX(wpi) AS score FROM (\
         SELECT doc, {weights} FROM (\
         SELECT doc, tf, length, {ei} AS ei, {pi} AS pi FROM fd_postings \
         WHERE kind = ? AND term IN ({marks}){within}) a) b GROUP BY doc) g \
         ORDER BY ROUND(score * 1000000000) DESC, doc LIMIT ? OFFSET ?) t \
         JOIN fd_search_docs d ON d.doc = t.doc",
        weights = columns.join(", "),
        ei = cases[0],
        pi = cases[1],
    );
    let sql = store.engine().placeholders(&sql);
    let rows = (bind_all(sqlx::query(AssertSqlSafe(sql)), args).fetch_all(&mut *conn))
        .await
        .map_err(read)?;
    let mut page: Vec<((String, DocAttrs), f64)> = Vec::with_capacity(rows.len());
    for row in rows {
        let attrs: String = row.try_get(2).map_err(read)?;
        let key = (row.try_get(0).map_err(read)?, DocAttrs::decode(&attrs));
        page.push((key, row.try_get(1).map_err(read)?));
    }
    // The join may return the page in any order.
    page.sort_by(|((a, _), sa), ((b, _), sb)| bm25::order((a, *sa), (b, *sb)));
    let hits: Vec<TopHit> = (page.into_iter())
        .map(|((key, attrs), score)| TopHit { key, score, attrs })
        .collect();
    let more = hits.len() == q.limit as usize;
    Ok(TopDocs { hits, more })
}
