//! Ranking in SQL, on the servers (SQLite scores its term blocks in Rust: [`crate::packed`]):
//! the engine sums each document's BM25 weights (`GROUP BY`) and returns one page, so only
//! the page crosses the connection. The weight is the core's formula in the
//! core's order of operations ([`Weight::SQL`]), with each term's idf computed in Rust from
//! the counts read first; sums may differ from the reference in their last bits (the
//! engine adds in its own order), which the ranking's nine-decimal ties absorb.
//!
//! A broad query holds 50,000–100,000 postings, and grouping them all is what costs. So
//! the counts come with each term's bound ([`foliodesk_core::search::prune`]): the
//! documents of the rarest terms are ranked first, and the page is then ranked among the
//! documents holding an essential term only, when those are few enough that looking their
//! postings up costs less than reading every posting. The page is the same either way.

use foliodesk_core::search::bm25::{self, Params, Weight};
use foliodesk_core::search::prune::{self, Bound};
use foliodesk_core::search::{DocAttrs, TopDocs, TopHit, TopQuery};
use foliodesk_core::Result;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use crate::dialect::Dialect;
use crate::errors::storage;
use crate::filter::{bind_all, Arg};
use crate::search::{holding, prefixed};
use crate::SqlStore;

/// A query term: its text, its idf and its bound (which says whether it is exact).
struct Term {
    text: String,
    idf: f64,
    bound: Bound,
}

/// What one ranking statement needs.
struct Ranking<'q> {
    kind: &'q str,
    weight: Weight,
    terms: &'q [Term],
    within: Option<&'q str>,
}

pub(crate) async fn top(store: &SqlStore, q: &TopQuery) -> Result<TopDocs> {
    if store.buffered() {
        return crate::packed::top(store, q).await;
    }
    let mut conn = (store.pool.acquire())
        .await
        .map_err(|e| storage("cannot search", e))?;
    let conn = &mut *conn;
    let kind = q.terms.kind.code();
    let extra = prefixed(store, conn, &q.terms).await?;
    let mut wanted: Vec<(String, bool)> = q.terms.terms.iter().map(|t| (t.clone(), true)).collect();
    wanted.extend(
        (extra.into_iter())
            .filter(|t| !q.terms.terms.contains(t))
            .map(|t| (t, false)),
    );
    if wanted.is_empty() {
        return Ok(TopDocs::default());
    }
    let Some((weight, terms)) = counts(store, conn, kind, wanted).await? else {
        return Ok(TopDocs::default());
    };
    let r = Ranking {
        kind,
        weight,
        terms: &terms,
        within: q.within.as_deref(),
    };
    let bounds: Vec<Bound> = terms.iter().map(|t| t.bound).collect();
    let postings: u64 = bounds.iter().map(|b| b.df).sum();
    // Looking up the documents of `of` costs a seek per term and document; reading every
    // posting, one step each. Rank among them only when that is clearly less.
    let few = |of: &[usize]| {
        let docs: u64 = of.iter().map(|&i| bounds[i].df).sum();
        !of.is_empty() && of.len() < terms.len() && docs * terms.len() as u64 * 2 < postings
    };
    let k = (q.offset as usize).saturating_add(q.limit as usize);
    let seeds = prune::seeds(&bounds, k);
    let mut among = None;
    if postings >= store.prune_from && few(&seeds) {
        // The k best of those (in any order): the page's last hit scores at least the least.
        let seen = ranked(store, conn, &r, Some(&seeds), (k as u32, 0)).await?;
        let threshold = match seen.len() == k {
            true => seen.iter().map(|h| h.1).fold(f64::INFINITY, f64::min),
            false => 0.0,
        };
        let kept = prune::essential(&bounds, threshold);
        among = Some(kept).filter(|kept| few(kept));
    }
    let page = (q.limit, q.offset);
    let mut hits = ranked(store, conn, &r, among.as_deref(), page).await?;
    // The join may return the page in any order.
    hits.sort_by(|(a, sa, _), (b, sb, _)| bm25::order((a, *sa), (b, *sb)));
    let hits: Vec<TopHit> = (hits.into_iter())
        .map(|(key, score, attrs)| TopHit { key, score, attrs })
        .collect();
    let more = hits.len() == q.limit as usize;
    Ok(TopDocs { hits, more })
}

/// The kind's size and each term's document count, highest count and shortest document;
/// `None` if no document holds any of them.
async fn counts(
    store: &SqlStore,
    conn: &mut AnyConnection,
    kind: &str,
    wanted: Vec<(String, bool)>,
) -> Result<Option<(Weight, Vec<Term>)>> {
    let read = |e| storage("cannot read the search index", e);
    let int = match store.dialect {
        Dialect::MySql => "SIGNED",
        _ => "BIGINT",
    };
    let (filter, binds) = holding(kind, wanted.iter().map(|(t, _)| t.as_str()));
    let per_term = format!(
        "SELECT term, COUNT(*), 0, MAX(tf), MIN(length) FROM fd_postings WHERE {filter} \
         GROUP BY term"
    );
    let sql = format!(
        "SELECT NULL, COUNT(*), CAST(COALESCE(SUM(length), 0) AS {int}), 0, 0 \
         FROM fd_search_docs WHERE kind = ? UNION ALL {per_term}"
    );
    let mut args = vec![Arg::Text(kind.to_owned())];
    args.extend(binds);
    let sql = store.engine().placeholders(&sql);
    let rows = (bind_all(sqlx::query(AssertSqlSafe(sql)), args).fetch_all(&mut *conn))
        .await
        .map_err(read)?;
    let (mut documents, mut total) = (0u64, 0u64);
    let mut found = std::collections::HashMap::new();
    for row in rows {
        let term: Option<String> = row.try_get(0).map_err(read)?;
        let int = |i: usize| row.try_get::<i64, _>(i).map(|n| n.max(0) as u64);
        match term {
            Some(t) => {
                let (df, tf, shortest) = (int(1), int(3), int(4));
                let (df, tf, shortest) = (df.map_err(read)?, tf.map_err(read)?, shortest);
                found.insert(t, (df, tf, shortest.map_err(read)?));
            }
            None => (documents, total) = (int(1).map_err(read)?, int(2).map_err(read)?),
        }
    }
    if documents == 0 || found.is_empty() {
        return Ok(None);
    }
    let weight = Weight::new(total as f64 / documents as f64, Params::default());
    let terms = (wanted.into_iter())
        .filter_map(|(text, exact)| {
            let (df, tf, shortest) = *found.get(&text)?;
            let idf = bm25::idf(df, documents);
            let most = weight.of(tf as f64, shortest as f64, idf);
            let bound = Bound { exact, most, df };
            Some(Term { text, idf, bound })
        })
        .collect();
    Ok(Some((weight, terms)))
}

/// One page of `r`'s ranking, `(limit, offset)`, among the documents holding one of the
/// terms `among` (by index) if given: keys, scores and attributes.
async fn ranked(
    store: &SqlStore,
    conn: &mut AnyConnection,
    r: &Ranking<'_>,
    among: Option<&[usize]>,
    (limit, offset): (u32, u32),
) -> Result<Vec<(String, f64, DocAttrs)>> {
    let read = |e| storage("cannot read the search index", e);
    let (scores, mut args) = match (among, r.within) {
        (None, None) => scores_by_term(r),
        _ => scores_by_case(r, among),
    };
    args.push(Arg::Int(i64::from(limit)));
    args.push(Arg::Int(i64::from(offset)));
    let sql = format!(
        "SELECT t.doc, t.score, d.attrs FROM (SELECT doc, score FROM ({scores}) g \
         ORDER BY ROUND(score * 1000000000) DESC, doc LIMIT ? OFFSET ?) t \
         JOIN fd_search_docs d ON d.doc = t.doc"
    );
    let sql = store.engine().placeholders(&sql);
    let rows = (bind_all(sqlx::query(AssertSqlSafe(sql)), args).fetch_all(&mut *conn))
        .await
        .map_err(read)?;
    let mut page = Vec::with_capacity(rows.len());
    for row in rows {
        let attrs: String = row.try_get(2).map_err(read)?;
        let key: String = row.try_get(0).map_err(read)?;
        page.push((key, row.try_get(1).map_err(read)?, DocAttrs::decode(&attrs)));
    }
    Ok(page)
}

/// Every document's score (`doc`, `score`), from a `SELECT` per term, each posting
/// weighed with its term's idf: exact terms' weights add up, the prefix's best counts
/// once. Choosing each posting's idf from one `CASE` of every term cost a comparison per
/// term and posting.
fn scores_by_term(r: &Ranking<'_>) -> (String, Vec<Arg>) {
    let weight = Weight::SQL.replacen("idf", "?", 1);
    let mut arms = Vec::new();
    let mut args = Vec::new();
    for t in r.terms {
        let (w, p) = match t.bound.exact {
            true => (weight.as_str(), "0e0"),
            false => ("0e0", weight.as_str()),
        };
        arms.push(format!(
            "SELECT doc, {w} AS w, {p} AS p FROM fd_postings WHERE kind = ? AND term = ?"
        ));
        args.push(Arg::Float(t.idf));
        args.extend(r.weight.binds().map(Arg::Float));
        args.push(Arg::Text(r.kind.to_owned()));
        args.push(Arg::Text(t.text.clone()));
    }
    let sql = format!(
        "SELECT doc, SUM(w) + MAX(p) AS score FROM ({}) u GROUP BY doc",
        arms.join(" UNION ALL ")
    );
    (sql, args)
}

/// `SELECT doc, w, p` over `from` (a `FROM` item of postings, `binds` its binds): each
/// posting's weight as an exact term (`w`) and as a word the prefix stands for (`p`), its
/// idf chosen by a `CASE` of every term.
fn weighed_by_case(r: &Ranking<'_>, from: &str, binds: Vec<Arg>) -> (String, Vec<Arg>) {
    let mut args = Vec::new();
    let mut columns = Vec::new();
    for (column, name) in [("ei", "w"), ("pi", "p")] {
        let formula = Weight::SQL.replace("idf", column);
        columns.push(format!("{formula} AS {name}"));
        args.extend(r.weight.binds().map(Arg::Float));
    }
    let mut cases = Vec::new();
    for exact in [true, false] {
        let of: Vec<&Term> = r.terms.iter().filter(|t| t.bound.exact == exact).collect();
        if of.is_empty() {
            cases.push("0e0".to_owned());
            continue;
        }
        cases.push(format!(
            "CASE term {} ELSE 0e0 END",
            vec!["WHEN ? THEN ?"; of.len()].join(" ")
        ));
        for t in of {
            args.push(Arg::Text(t.text.clone()));
            args.push(Arg::Float(t.idf));
        }
    }
    args.extend(binds);
    let sql = format!(
        "SELECT doc, {weights} FROM (SELECT doc, tf, length, {ei} AS ei, {pi} AS pi \
         FROM {from} x) a",
        weights = columns.join(", "),
        ei = cases[0],
        pi = cases[1],
    );
    (sql, args)
}

/// As [`scores_by_term`], among the documents holding the mark `r.within` and, if given,
/// one of the terms `among`: one `SELECT` weighed by `CASE`, so the filters are written
/// once.
fn scores_by_case(r: &Ranking<'_>, among: Option<&[usize]>) -> (String, Vec<Arg>) {
    // The documents holding one of `terms`, for the filters below.
    let documents = |terms: Vec<&str>| {
        let (filter, binds) = holding(r.kind, terms.into_iter());
        (
            format!(" AND doc IN (SELECT doc FROM fd_postings WHERE {filter})"),
            binds,
        )
    };
    let (mut filter, mut binds) = holding(r.kind, r.terms.iter().map(|t| t.text.as_str()));
    if let Some(mark) = r.within {
        let (only, more) = documents(vec![mark]);
        filter.push_str(&only);
        binds.extend(more);
    }
    if let Some(among) = among {
        let (only, more) = documents(among.iter().map(|&i| r.terms[i].text.as_str()).collect());
        filter.push_str(&only);
        binds.extend(more);
    }
    let from = format!("(SELECT doc, term, tf, length FROM fd_postings WHERE {filter})");
    let (weighed, args) = weighed_by_case(r, &from, binds);
    let sql = format!("SELECT doc, SUM(w) + MAX(p) AS score FROM ({weighed}) b GROUP BY doc");
    (sql, args)
}
