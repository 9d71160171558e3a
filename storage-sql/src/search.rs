//! The search index in SQL: `fd_search_docs` (a row per document) and, on the servers,
//! `fd_postings` (a row per kind, term and document), written with the change they index;
//! and the one statement a search reads them with. SQLite writes the postings to its
//! pending table instead (see [`crate::buffer`]) and reads them with [`crate::packed`].

use foliodesk_core::search::{DocAttrs, Postings, PostingsQuery, SearchDoc, Terms};
use foliodesk_core::store::AppendEvents;
use foliodesk_core::Result;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use crate::buffer::PENDING;
use crate::dialect::Dialect;
use crate::errors::storage;
use crate::filter::{bind_all, Arg};
use crate::statements::values;
use crate::writes::Statement;
use crate::SqlStore;

/// Postings per statement: 5 binds each, well under every engine's limit.
const POSTINGS_PER_STATEMENT: usize = 1_000;

/// The statements that write an append's search document, for the engines that run
/// `portable_writes`. SQLite (`buffered`) runs them in order and writes the postings to
/// the pending table ([`crate::buffer`]), a statement per thousand. PostgreSQL writes in
/// place ([`in_place`]).
pub(crate) fn append_writes(req: &AppendEvents, buffered: bool) -> Result<Vec<Statement>> {
    let Some(doc) = &req.index else {
        return Ok(Vec::new());
    };
    let Some(terms) = &doc.terms else {
        return Ok(vec![attrs_update(doc)]);
    };
    if !buffered {
        return in_place(doc, terms, req.base.is_some());
    }
    let (mut out, conflict) = match req.base {
        None => (Vec::new(), ""),
        Some(_) => (vec![delete_postings(doc, PENDING)], UPSERTS.0),
    };
    out.push(doc_row(doc, terms.length, conflict));
    out.extend(pending(doc, terms));
    Ok(out)
}

/// What replaces a stored document row and stored postings.
const UPSERTS: (&str, &str) = (
    " ON CONFLICT (doc) DO UPDATE SET length = excluded.length, attrs = excluded.attrs",
    " ON CONFLICT (kind, term, doc) DO UPDATE SET tf = excluded.tf, length = excluded.length",
);

/// PostgreSQL's writes of `doc` in `fd_postings`. They run as CTEs of one statement, which
/// see one snapshot in no set order: so no row is both deleted and inserted — a new
/// document only inserts, a `changed` one deletes the terms it lost and upserts the
/// others. One statement takes at most 65,535 binds, so the terms go as one JSON array of
/// `[term, count]`, whatever the document's size (a pasted log holds tens of thousands).
fn in_place(doc: &SearchDoc, terms: &Terms, changed: bool) -> Result<Vec<Statement>> {
    let counts = Arg::Text(crate::rows::to_json(&terms.counts)?);
    let each = "json_array_elements(CAST(? AS json)) AS t";
    let key = || Arg::Text(doc.key.clone());
    let mut out = Vec::new();
    let (doc_conflict, posting_conflict) = match changed {
        true => UPSERTS,
        false => ("", ""),
    };
    if changed {
        let gone = format!(
            "DELETE FROM fd_postings WHERE doc = ? AND term NOT IN (SELECT t->>0 FROM {each})"
        );
        out.push((gone, vec![key(), counts.clone()]));
    }
    out.push(doc_row(doc, terms.length, doc_conflict));
    if !terms.counts.is_empty() {
        let sql = format!(
            "INSERT INTO fd_postings (kind, term, doc, tf, length) \
             SELECT ?, t->>0, ?, CAST(t->>1 AS BIGINT), ? FROM {each}{posting_conflict}"
        );
        let kind = Arg::Text(doc.kind.code().to_owned());
        let length = Arg::Int(i64::from(terms.length));
        out.push((sql, vec![kind, key(), length, counts]));
    }
    Ok(out)
}

fn doc_row(doc: &SearchDoc, length: u32, conflict: &str) -> Statement {
    (
        format!(
            "INSERT INTO fd_search_docs (doc, kind, length, attrs) VALUES (?, ?, ?, ?){conflict}"
        ),
        vec![
            Arg::Text(doc.key.clone()),
            Arg::Text(doc.kind.code().to_owned()),
            Arg::Int(i64::from(length)),
            Arg::Text(doc.attrs.encode()),
        ],
    )
}

/// A posting: its document, the document's length, its term and count. Postings carry
/// their document's length, so that ranking reads the postings alone.
type Posting<'a> = (&'a SearchDoc, u32, &'a (String, u32));

fn postings<'a>(doc: &'a SearchDoc, length: u32, counts: &'a [(String, u32)]) -> Vec<Posting<'a>> {
    counts.iter().map(|c| (doc, length, c)).collect()
}

/// The insert of `postings` into `table` (`fd_postings` or the pending one).
fn postings_rows(table: &str, postings: &[Posting]) -> Statement {
    let sql = format!(
        "INSERT INTO {table} (kind, term, doc, tf, length) VALUES {}",
        values(postings.len(), 5)
    );
    let mut args = Vec::with_capacity(postings.len() * 5);
    for (doc, length, (term, tf)) in postings {
        args.push(Arg::Text(doc.kind.code().to_owned()));
        args.push(Arg::Text(term.clone()));
        args.push(Arg::Text(doc.key.clone()));
        args.push(Arg::Int(i64::from(*tf)));
        args.push(Arg::Int(i64::from(*length)));
    }
    (sql, args)
}

fn attrs_update(doc: &SearchDoc) -> Statement {
    (
        "UPDATE fd_search_docs SET attrs = ? WHERE doc = ?".to_owned(),
        vec![Arg::Text(doc.attrs.encode()), Arg::Text(doc.key.clone())],
    )
}

/// The delete of `doc`'s postings from `table`.
fn delete_postings(doc: &SearchDoc, table: &str) -> Statement {
    let sql = format!("DELETE FROM {table} WHERE doc = ?");
    (sql, vec![Arg::Text(doc.key.clone())])
}

/// The pending rows of `doc` (SQLite): its marker, then its postings, a statement per
/// thousand.
fn pending(doc: &SearchDoc, terms: &Terms) -> Vec<Statement> {
    let marker = (String::new(), 0);
    let counts = std::iter::once(&marker).chain(&terms.counts);
    let rows: Vec<Posting> = counts.map(|c| (doc, terms.length, c)).collect();
    let chunks = rows.chunks(POSTINGS_PER_STATEMENT);
    chunks.map(|c| postings_rows(PENDING, c)).collect()
}

/// How many rows `doc` writes to the pending table (SQLite): its postings and its marker.
pub(crate) fn pending_rows(doc: &SearchDoc) -> u64 {
    doc.terms.as_ref().map_or(0, |t| t.counts.len() as u64 + 1)
}

/// The statements that replace `doc`, run one after another (every engine): what was
/// stored under its key goes, then its row and postings are inserted (its postings into
/// the pending table if `buffered`).
pub(crate) fn replace(doc: &SearchDoc, buffered: bool) -> Vec<Statement> {
    let Some(terms) = &doc.terms else {
        return vec![attrs_update(doc)];
    };
    let table = if buffered { PENDING } else { "fd_postings" };
    let mut out = vec![delete_postings(doc, table)];
    let key = vec![Arg::Text(doc.key.clone())];
    out.push(("DELETE FROM fd_search_docs WHERE doc = ?".to_owned(), key));
    out.push(doc_row(doc, terms.length, ""));
    if buffered {
        out.extend(pending(doc, terms));
        return out;
    }
    for chunk in terms.counts.chunks(POSTINGS_PER_STATEMENT) {
        out.push(postings_rows(
            "fd_postings",
            &postings(doc, terms.length, chunk),
        ));
    }
    out
}

/// Multi-row inserts of new documents and their postings: an import's, whose tickets are
/// new. If `buffered` (SQLite) the postings are left to the caller, which packs them.
pub(crate) fn insert_new<'a>(
    docs: impl Iterator<Item = &'a SearchDoc>,
    buffered: bool,
) -> Vec<Statement> {
    let docs: Vec<(&SearchDoc, &Terms)> =
        docs.filter_map(|d| Some((d, d.terms.as_ref()?))).collect();
    let mut out = Vec::new();
    for chunk in docs.chunks(POSTINGS_PER_STATEMENT) {
        let mut args = Vec::with_capacity(chunk.len() * 4);
        for (doc, terms) in chunk {
            args.extend(doc_row(doc, terms.length, "").1);
        }
        let sql = format!(
            "INSERT INTO fd_search_docs (doc, kind, length, attrs) VALUES {}",
            values(chunk.len(), 4)
        );
        out.push((sql, args));
    }
    if buffered {
        return out;
    }
    let postings: Vec<Posting> = docs
        .iter()
        .flat_map(|(d, t)| t.counts.iter().map(move |c| (*d, t.length, c)))
        .collect();
    let chunks = postings.chunks(POSTINGS_PER_STATEMENT);
    out.extend(chunks.map(|c| postings_rows("fd_postings", c)));
    out
}

/// Runs `statements` on `conn`, in order.
pub(crate) async fn run(
    store: &SqlStore,
    conn: &mut AnyConnection,
    statements: Vec<Statement>,
    doing: &str,
) -> Result<u64> {
    let mut rows = 0;
    for (sql, args) in statements {
        let sql = store.engine().placeholders(&sql);
        let done = (bind_all(sqlx::query(AssertSqlSafe(sql)), args).execute(&mut *conn))
            .await
            .map_err(|e| storage(doing, e))?;
        rows += done.rows_affected();
    }
    Ok(rows)
}

/// The stored terms `q`'s prefix stands for (the first `prefix_limit`, in byte order).
pub(crate) async fn prefixed(
    store: &SqlStore,
    conn: &mut AnyConnection,
    q: &PostingsQuery,
) -> Result<Vec<String>> {
    let Some(prefix) = &q.prefix else {
        return Ok(Vec::new());
    };
    let read = |e| storage("cannot read the search index", e);
    let mut range = vec![
        Arg::Text(q.kind.code().to_owned()),
        Arg::Text(prefix.clone()),
        Arg::Text(format!("{prefix}{}", char::MAX)),
    ];
    range.push(Arg::Int(i64::from(q.prefix_limit)));
    let sql = "SELECT DISTINCT term FROM fd_postings \
               WHERE kind = ? AND term >= ? AND term < ? ORDER BY term LIMIT ?";
    let sql = store.engine().placeholders(sql);
    let rows = (bind_all(sqlx::query(AssertSqlSafe(sql)), range).fetch_all(&mut *conn))
        .await
        .map_err(read)?;
    (rows.iter())
        .map(|row| row.try_get::<String, _>(0).map_err(read))
        .collect()
}

/// The condition that a posting is of `kind` and one of `terms`, and its binds.
pub(crate) fn holding<'t>(
    kind: &str,
    terms: impl ExactSizeIterator<Item = &'t str>,
) -> (String, Vec<Arg>) {
    let filter = format!(
        "kind = ? AND term IN ({})",
        vec!["?"; terms.len()].join(", ")
    );
    let mut binds = vec![Arg::Text(kind.to_owned())];
    binds.extend(terms.map(|t| Arg::Text(t.to_owned())));
    (filter, binds)
}

/// The answer to `q`: the prefix's terms, then the kind's size and the postings with
/// their documents in one statement, so they come from one snapshot.
pub(crate) async fn answer(store: &SqlStore, q: &PostingsQuery) -> Result<Postings> {
    if store.buffered() {
        return crate::packed::answer(store, q).await;
    }
    let mut conn = (store.pool.acquire())
        .await
        .map_err(|e| storage("cannot search", e))?;
    let conn = &mut *conn;
    let read = |e| storage("cannot read the search index", e);
    let kind = q.kind.code();
    let mut terms = q.terms.clone();
    terms.extend(prefixed(store, conn, q).await?);
    terms.sort();
    terms.dedup();
    let int = match store.dialect {
        Dialect::MySql => "SIGNED",
        _ => "BIGINT",
    };
    let mut sql = format!(
        "SELECT NULL, NULL, COUNT(*), CAST(COALESCE(SUM(length), 0) AS {int}), NULL \
         FROM fd_search_docs WHERE kind = ?"
    );
    let mut args = vec![Arg::Text(kind.to_owned())];
    if !terms.is_empty() {
        let (filter, binds) = holding(kind, terms.iter().map(String::as_str));
        sql.push_str(&format!(
            " UNION ALL SELECT p.term, p.doc, p.tf, d.length, d.attrs FROM fd_postings p \
             JOIN fd_search_docs d ON d.doc = p.doc WHERE p.{filter}"
        ));
        args.extend(binds);
    }
    let sql = store.engine().placeholders(&sql);
    let rows = (bind_all(sqlx::query(AssertSqlSafe(sql)), args).fetch_all(&mut *conn))
        .await
        .map_err(read)?;
    let mut out = Postings::default();
    for row in rows {
        let term: Option<String> = row.try_get(0).map_err(read)?;
        let a: i64 = row.try_get(2).map_err(read)?;
        let b: i64 = row.try_get(3).map_err(read)?;
        let Some(term) = term else {
            (out.documents, out.total_length) = (a as u64, b as u64);
            continue;
        };
        let doc: String = row.try_get(1).map_err(read)?;
        if !out.docs.contains_key(&doc) {
            let attrs: String = row.try_get(4).map_err(read)?;
            out.docs
                .insert(doc.clone(), (b as u32, DocAttrs::decode(&attrs)));
        }
        out.lists.entry(term).or_default().push((doc, a as u32));
    }
    Ok(out)
}
