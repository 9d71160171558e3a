//! Foliodesk storage on SQL engines through sqlx: SQLite (the embedded default), PostgreSQL,
//! and MySQL 8 / MariaDB.
//!
//! ```no_run
//! # async fn demo() -> foliodesk_core::Result<()> {
//! use foliodesk_core::store::Store;
//! let store = foliodesk_sql::SqlStore::open("sqlite://desk.db").await?;
//! assert!(store.teams().await?.is_empty());
//! # Ok(()) }
//! ```
//!
//! - **Schema**: created and migrated on open ([`SCHEMA_VERSION`]); a database written by a
//!   newer Foliodesk, or `fd_` tables Foliodesk did not create, are refused with a
//!   `STORAGE` error that says so.
//! - **Appends** on the servers are one transaction each: projection row (with optimistic version check),
//!   events with their hash chain, folio counter, outbox; at most three trips to the
//!   database (`append`), one for a new ticket on a server once the store knows its folio
//!   counter (`guess`). Folios move only with a committed ticket, either drawn under the
//!   counter row's lock or guessed and checked by compare-and-set, so they are gap-free
//!   across processes. An append abandoned half-way never leaves its transaction open on a
//!   connection that is used again (`session`).
//! - **MySQL/MariaDB** writes through the stored procedure `fd_append`, which the schema
//!   migration creates: the user needs the `CREATE ROUTINE` privilege the first time.
//! - **Queries** are single indexed statements with keyset pagination over
//!   `(opened_micros, id)`; see `docs/query-plans.md` for the plans on PostgreSQL.
//! - **SQLite** runs in WAL mode with a 10 s busy timeout; `?synchronous=full` (default:
//!   every commit is on disk when `append` returns) or `?synchronous=normal` (a power cut
//!   may lose the last commits, never corrupts). Appends go through one writer connection,
//!   concurrent ones sharing a commit (`group`); reads through a pool.
//! - **Search**: postings (with their document's length) are written in the transaction of
//!   the change they index. On the servers a search's page is ranked by the engine (`top`,
//!   a weighted `GROUP BY`), so only the page crosses the connection; on SQLite postings
//!   wait in a pending table (`buffer`), are packed per term in blocks (`block`, `merge`),
//!   and a search scores a term's few blocks in Rust (`packed`).
//! - **Concurrency**: the due index is read without locks; two desks ticking one database
//!   both try the same command and the version check lets exactly one through.

mod append;
mod block;
mod bookkeeping;
mod buffer;
mod connect;
mod contacts;
mod dialect;
mod engine;
mod errors;
mod facts;
mod filter;
mod group;
mod guess;
mod import;
mod knowledge;
mod lookup;
mod merge;
mod migrate;
mod options;
mod outbox;
mod packed;
mod pulse;
mod reads;
mod rows;
mod search;
mod session;
mod statements;
#[cfg(feature = "testkit")]
pub mod testkit;
mod top;
mod writes;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use foliodesk_core::directory::{Organisation, Team, User};
use foliodesk_core::knowledge::Article;
use foliodesk_core::notify::{Claim, DeadLetter, Failure, OutboxMessage};
use foliodesk_core::query::{Page, QueryTickets};
use foliodesk_core::report::{block::Pack, block::StoredBlock, Fact, Pulse, PulseQuery};
use foliodesk_core::search::{Postings, PostingsQuery, SearchDoc, TopDocs, TopQuery};
use foliodesk_core::store::{
    AppendEvents, Appended, ArticleWrite, DueTicket, Found, Lookup, Reschedule, Store,
};
use foliodesk_core::{EventEnvelope, OrgId, Result, TeamId, Ticket, TicketId, UserId};
use sqlx::{AnyPool, SqlStr};

pub use connect::Synchronous;
pub use dialect::Dialect;
pub use migrate::SCHEMA_VERSION;
pub use options::SqlOptions;

use errors::storage;
use rows::to_json;
use statements::Statements;

/// A [`Store`] on SQLite, PostgreSQL or MySQL/MariaDB.
#[derive(Debug)]
pub struct SqlStore {
    pool: AnyPool,
    dialect: Dialect,
    sql: Statements,
    /// SQLite's writer connection and group commit (the servers write on pooled ones).
    group: Option<std::sync::Arc<group::Group>>,
    /// The next folio numbers to guess (servers only).
    guesses: guess::Guesses,
    /// [`SqlOptions::search_prune_from`].
    prune_from: u64,
}

impl SqlStore {
    /// Opens (creating and migrating if needed) the database at `url`:
    /// `sqlite://path.db`, `sqlite::memory:`, `postgres://…`, `mysql://…` or `mariadb://…`.
    pub async fn open(url: &str) -> Result<SqlStore> {
        SqlStore::open_with(url, SqlOptions::default()).await
    }

    /// [`SqlStore::open`] with explicit options.
    pub async fn open_with(url: &str, options: SqlOptions) -> Result<SqlStore> {
        let target = connect::Target::parse(url)?;
        let engine = target.dialect.engine();
        let max = engine.pool_size(options.max_connections);
        let first = target.connect().await?;
        let pool = target.pool(max).await?;
        migrate::migrate(&pool, target.dialect).await?;
        let group = group::Group::of(first, target.dialect, options.search_merge_at).await?;
        let store = SqlStore {
            sql: Statements::new(target.dialect),
            dialect: target.dialect,
            group,
            guesses: guess::Guesses::default(),
            prune_from: options.search_prune_from,
            pool,
        };
        // What is pending already is packed before searches read it row by row.
        store.merge_after(0).await?;
        Ok(store)
    }

    /// The engine behind this store.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The connection pool, for callers that keep their own tables beside Foliodesk's.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Whether postings wait in the pending table ([`buffer`]).
    pub(crate) fn buffered(&self) -> bool {
        self.engine().buffers_postings()
    }

    /// What differs in this store's engine.
    pub(crate) fn engine(&self) -> &'static dyn engine::Engine {
        self.dialect.engine()
    }

    /// Closes every connection (waits for those in use).
    pub async fn close(&self) {
        if let Some(group) = &self.group {
            group.writer.lock().await.close().await;
        }
        self.pool.close().await;
    }

    async fn put(&self, what: &str, sql: SqlStr, key: String, body: String) -> Result<()> {
        sqlx::query(sql)
            .bind(key)
            .bind(body)
            .execute(&self.pool)
            .await
            .map_err(|e| storage(&format!("cannot write {what}"), e))?;
        Ok(())
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn append(&self, req: AppendEvents) -> Result<Appended> {
        append::append(self, req).await
    }

    async fn import(&self, batch: Vec<AppendEvents>) -> Result<Vec<Option<String>>> {
        import::import(self, batch).await
    }

    async fn lookup(&self, lookup: &Lookup) -> Result<Found> {
        self.lookup_rows(lookup).await
    }

    async fn ticket(&self, id: &TicketId) -> Result<Option<Ticket>> {
        self.body("ticket", self.sql.ticket.clone(), id.to_string())
            .await
    }

    async fn ticket_by_folio(&self, folio: &str) -> Result<Option<Ticket>> {
        self.body("ticket", self.sql.ticket_by_folio.clone(), folio.to_owned())
            .await
    }

    async fn events(&self, id: &TicketId) -> Result<Vec<EventEnvelope>> {
        self.bodies("events", self.sql.events.clone(), Some(id.to_string()))
            .await
    }

    async fn query(&self, q: QueryTickets) -> Result<Page<Ticket>> {
        self.query_rows(q).await
    }

    async fn due(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<DueTicket>> {
        self.due_rows(now, limit).await
    }

    async fn reschedule(&self, req: Reschedule) -> Result<bool> {
        self.reschedule_row(req).await
    }

    async fn put_user(&self, user: User) -> Result<()> {
        user.validate()?;
        let body = to_json(&user)?;
        self.put("user", self.sql.put_user.clone(), user.id.to_string(), body)
            .await
    }

    async fn user(&self, id: &UserId) -> Result<Option<User>> {
        self.body("user", self.sql.user.clone(), id.to_string())
            .await
    }

    async fn users(&self) -> Result<Vec<User>> {
        self.bodies("users", self.sql.users.clone(), None).await
    }

    async fn put_organisation(&self, org: Organisation) -> Result<()> {
        org.validate()?;
        let body = to_json(&org)?;
        let sql = self.sql.put_organisation.clone();
        self.put("organisation", sql, org.id.to_string(), body)
            .await
    }

    async fn organisation(&self, id: &OrgId) -> Result<Option<Organisation>> {
        self.body(
            "organisation",
            self.sql.organisation.clone(),
            id.to_string(),
        )
        .await
    }

    async fn organisations(&self) -> Result<Vec<Organisation>> {
        self.bodies("organisations", self.sql.organisations.clone(), None)
            .await
    }

    async fn put_team(&self, team: Team) -> Result<()> {
        team.validate()?;
        let body = to_json(&team)?;
        self.put("team", self.sql.put_team.clone(), team.id.to_string(), body)
            .await
    }

    async fn team(&self, id: &TeamId) -> Result<Option<Team>> {
        self.body("team", self.sql.team.clone(), id.to_string())
            .await
    }

    async fn teams(&self) -> Result<Vec<Team>> {
        self.bodies("teams", self.sql.teams.clone(), None).await
    }

    async fn load_config(&self) -> Result<Option<String>> {
        self.config_body().await
    }

    async fn save_config(&self, json: String) -> Result<()> {
        sqlx::query(self.sql.save_config.clone())
            .bind(1_i64)
            .bind(json)
            .execute(&self.pool)
            .await
            .map_err(|e| storage("cannot write the configuration", e))?;
        Ok(())
    }

    async fn meta(&self, key: &str) -> Result<Option<String>> {
        self.meta_value(key).await
    }

    async fn put_contact(&self, contact: foliodesk_core::contact::Contact) -> Result<()> {
        self.upsert_contact(contact).await
    }

    async fn contacts(
        &self,
        range: &foliodesk_core::contact::ContactRange,
    ) -> Result<Vec<foliodesk_core::contact::Contact>> {
        self.contacts_in(range).await
    }

    async fn put_blob(&self, bytes: Vec<u8>) -> Result<String> {
        self.insert_blob(bytes).await
    }

    async fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        self.blob_bytes(sha256).await
    }

    async fn put_meta(&self, key: &str, value: Option<String>) -> Result<()> {
        self.put_meta_value(key, value).await
    }

    async fn append_checkpoint(&self, seq: u64, body: String) -> Result<()> {
        self.insert_checkpoint(seq, body).await
    }

    async fn checkpoints(&self, after: u64) -> Result<Vec<String>> {
        self.checkpoint_bodies(after).await
    }

    async fn close(&self) {
        SqlStore::close(self).await;
    }

    async fn put_article(&self, write: ArticleWrite) -> Result<()> {
        self.write_article(write).await
    }

    async fn article(&self, id: &str) -> Result<Option<Article>> {
        self.body("article", self.sql.article.clone(), id.to_owned())
            .await
    }

    async fn articles(&self) -> Result<Vec<Article>> {
        self.bodies("articles", self.sql.articles.clone(), None)
            .await
    }

    async fn postings(&self, q: &PostingsQuery) -> Result<Postings> {
        search::answer(self, q).await
    }

    async fn top_documents(&self, q: &TopQuery) -> Result<TopDocs> {
        top::top(self, q).await
    }

    async fn put_search_docs(&self, docs: Vec<SearchDoc>) -> Result<()> {
        self.write_docs(docs).await
    }

    async fn facts(&self, q: &foliodesk_core::report::FactQuery) -> Result<Vec<Fact>> {
        self.read_facts(q).await
    }

    async fn put_facts(&self, facts: Vec<Fact>) -> Result<()> {
        self.write_facts(facts).await
    }

    async fn fact_blocks(&self, from: i64, to: i64, limit: u32) -> Result<Vec<StoredBlock>> {
        self.read_fact_blocks(from, to, limit).await
    }

    async fn first_finished_fact(&self) -> Result<Option<i64>> {
        self.first_finished().await
    }

    async fn pack_facts(&self, pack: Pack) -> Result<bool> {
        self.pack(pack).await
    }

    async fn pulse(&self, q: &PulseQuery) -> Result<Pulse> {
        self.count_pulse(q).await
    }

    async fn outbox(&self, limit: u32) -> Result<Vec<OutboxMessage>> {
        self.pending(limit).await
    }

    async fn ack_outbox(&self, ids: &[u64]) -> Result<()> {
        self.ack(ids).await
    }

    async fn claim_outbox(&self, claim: &Claim) -> Result<Vec<OutboxMessage>> {
        self.claim(claim).await
    }

    async fn fail_outbox(&self, failure: &Failure) -> Result<()> {
        self.fail(failure).await
    }

    async fn dead_letters(&self, limit: u32) -> Result<Vec<DeadLetter>> {
        self.dead(limit).await
    }

    async fn requeue_dead(&self, ids: &[u64]) -> Result<u64> {
        self.requeue(ids).await
    }
}
