//! Search quality (issue 16): nDCG@10 and recall@10 of Foliodesk's search over a labelled
//! Spanish and English corpus written for the test (`benches/corpus`), beside SQLite FTS5
//! and PostgreSQL's `spanish` text search on the same documents and queries.
//!
//! `cargo bench --bench search_quality` prints the table RESULTS.md quotes. Every system
//! gets the query words OR-ed, the last one also as a prefix, and the title counted
//! twice, as Foliodesk does.

#[path = "corpus/mod.rs"]
mod corpus;

use corpus::{ndcg, recall, Doc, Query};
use foliodesk::core::knowledge::{ArticleAction, ArticleDraft};
use foliodesk::*;
use sqlx::{Executor, Row};

const TICKETS: usize = 2_000;
const ARTICLES_PER_CASE: usize = 4;
const K: usize = 10;

/// For each query, the ranked document indexes.
type Rankings = Vec<Vec<usize>>;

async fn foliodesk_rankings(
    tickets: &[Doc],
    articles: &[Doc],
    queries: &[Query],
) -> (Rankings, Rankings) {
    let desk = Desk::open("memory://").await.unwrap();
    for (id, role) in [
        ("ana", Role::Requester),
        ("bob", Role::Agent),
        ("sue", Role::Supervisor),
    ] {
        desk.put_user(SYSTEM, User::new(id, id, role))
            .await
            .unwrap();
    }
    let mut by_id = std::collections::HashMap::new();
    for (i, d) in tickets.iter().enumerate() {
        let mut new = NewTicket::new(TicketKind::Incident, Channel::Email, "ana", d.title.clone());
        new.description = d.body.clone();
        by_id.insert(
            desk.open_ticket("ana", new).await.unwrap().id.to_string(),
            i,
        );
    }
    for (i, d) in articles.iter().enumerate() {
        let draft = ArticleDraft {
            title: d.title.clone(),
            body: d.body.clone(),
            lang: None,
            visibility: Visibility::Public,
            category: None,
            services: vec![],
            translation_of: None,
        };
        let a = desk.write_article("bob", draft).await.unwrap();
        desk.change_article("sue", &a.id, ArticleAction::Publish { note: None })
            .await
            .unwrap();
        by_id.insert(a.id, i);
    }
    let (mut t, mut a) = (Vec::new(), Vec::new());
    for q in queries {
        let query = SearchQuery {
            text: q.text.clone(),
            limit: Some(K as u32),
            ..Default::default()
        };
        let hits = desk.search_tickets("bob", query.clone()).await.unwrap();
        t.push(hits.iter().map(|h| by_id[h.id.as_str()]).collect());
        let hits = desk.search_articles("ana", query).await.unwrap();
        a.push(hits.iter().map(|h| by_id[&h.id]).collect());
    }
    (t, a)
}

async fn fts5_rankings(tokenizer: &str, docs: &[Doc], queries: &[Query]) -> Rankings {
    let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
    let ddl = format!("CREATE VIRTUAL TABLE d USING fts5(title, body, tokenize = '{tokenizer}')");
    pool.execute(sqlx::AssertSqlSafe(ddl)).await.unwrap();
    for d in docs {
        sqlx::query("INSERT INTO d (rowid, title, body) VALUES (?, ?, ?)")
            .bind(d.id[1..].parse::<i64>().unwrap())
            .bind(&d.title)
            .bind(&d.body)
            .execute(&pool)
            .await
            .unwrap();
    }
    let mut out = Vec::new();
    for q in queries {
        let rows =
            sqlx::query("SELECT rowid FROM d WHERE d MATCH ? ORDER BY bm25(d, 2.0, 1.0) LIMIT ?")
                .bind(corpus::fts5_query(&q.text))
                .bind(K as i64)
                .fetch_all(&pool)
                .await
                .unwrap();
        out.push(rows.iter().map(|r| r.get::<i64, _>(0) as usize).collect());
    }
    out
}

async fn postgres_rankings(table: &str, docs: &[Doc], queries: &[Query]) -> Rankings {
    let url = foliodesk_sql::testkit::server_url(foliodesk_sql::Dialect::Postgres).unwrap();
    let pool = sqlx::PgPool::connect(&url)
        .await
        .expect("PostgreSQL is reachable");
    let drop = format!("DROP TABLE IF EXISTS {table}");
    pool.execute(sqlx::AssertSqlSafe(drop.clone()))
        .await
        .unwrap();
    let ddl = format!(
        "CREATE TABLE {table} (id BIGINT PRIMARY KEY, v TSVECTOR NOT NULL); \
         CREATE INDEX ON {table} USING GIN (v)"
    );
    pool.execute(sqlx::AssertSqlSafe(ddl)).await.unwrap();
    for d in docs {
        let insert = format!(
            "INSERT INTO {table} VALUES ($1, setweight(to_tsvector('spanish', $2), 'A') || \
             to_tsvector('spanish', $3))"
        );
        sqlx::query(sqlx::AssertSqlSafe(insert))
            .bind(d.id[1..].parse::<i64>().unwrap())
            .bind(&d.title)
            .bind(&d.body)
            .execute(&pool)
            .await
            .unwrap();
    }
    let mut out = Vec::new();
    for q in queries {
        let select = format!(
            "SELECT id FROM {table}, to_tsquery('spanish', $1) q WHERE v @@ q \
             ORDER BY ts_rank(v, q) DESC, id LIMIT $2"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(select))
            .bind(corpus::tsquery(&q.text))
            .bind(K as i64)
            .fetch_all(&pool)
            .await
            .unwrap();
        out.push(rows.iter().map(|r| r.get::<i64, _>(0) as usize).collect());
    }
    pool.execute(sqlx::AssertSqlSafe(drop)).await.unwrap();
    out
}

fn score(queries: &[Query], docs: &[Doc], rankings: &Rankings) -> (f64, f64) {
    let n = queries.len() as f64;
    let nd: f64 = queries
        .iter()
        .zip(rankings)
        .map(|(q, r)| ndcg(q, docs, r, K))
        .sum();
    let re: f64 = queries
        .iter()
        .zip(rankings)
        .map(|(q, r)| recall(q, docs, r, K))
        .sum();
    (nd / n, re / n)
}

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let tickets = corpus::tickets(TICKETS, 42);
    let articles = corpus::articles(ARTICLES_PER_CASE, 7);
    let queries = corpus::queries();
    println!(
        "{} tickets, {} articles, {} queries (Spanish and English)",
        tickets.len(),
        articles.len(),
        queries.len()
    );
    let (ours_t, ours_a) = rt.block_on(foliodesk_rankings(&tickets, &articles, &queries));
    let mut rows = vec![("Foliodesk (BM25, es+en stems)", ours_t, ours_a)];
    for (name, tokenizer) in [
        (
            "SQLite FTS5 (unicode61, diacritics removed)",
            "unicode61 remove_diacritics 2",
        ),
        (
            "SQLite FTS5 (porter stemmer)",
            "porter unicode61 remove_diacritics 2",
        ),
    ] {
        let t = rt.block_on(fts5_rankings(tokenizer, &tickets, &queries));
        let a = rt.block_on(fts5_rankings(tokenizer, &articles, &queries));
        rows.push((name, t, a));
    }
    let t = rt.block_on(postgres_rankings("fd_quality_t", &tickets, &queries));
    let a = rt.block_on(postgres_rankings("fd_quality_a", &articles, &queries));
    rows.push(("PostgreSQL `spanish` (ts_rank)", t, a));
    println!(
        "| system | tickets nDCG@10 | tickets recall@10 | articles nDCG@10 | articles recall@10 |"
    );
    println!("| --- | --- | --- | --- | --- |");
    for (name, t, a) in &rows {
        let (tn, tr) = score(&queries, &tickets, t);
        let (an, ar) = score(&queries, &articles, a);
        println!("| {name} | {tn:.3} | {tr:.3} | {an:.3} | {ar:.3} |");
    }
}
