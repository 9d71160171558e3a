//! Foliodesk storage on [redb](https://docs.rs/redb): one file, pure Rust, no SQL and no C —
//! for appliances and single-binary deployments.
//!
//! ```no_run
//! # async fn demo() -> foliodesk_core::Result<()> {
//! use foliodesk_core::store::Store;
//! let store = foliodesk_redb::RedbStore::open("desk.redb").await?;
//! assert!(store.teams().await?.is_empty());
//! # Ok(()) }
//! ```
//!
//! - Each append is one redb write transaction, committed with `Durability::Immediate`
//!   (on disk when `append` returns): events with their hash chain, projection, secondary
//!   indexes, due index, folio counter and outbox. A crash leaves the last committed state.
//! - Queries walk one secondary index (`(term, opened, id)` keys, already in keyset order)
//!   and check every condition with the core's reference filter.
//! - redb calls block, so every operation runs on tokio's blocking pool; readers work on
//!   snapshots and proceed while a write is in progress.
//! - The file carries a layout version; a file from a newer Foliodesk is refused.

mod append;
mod bookkeeping;
mod contacts;
mod docs;
mod facts;
mod file;
mod group;
mod import;
mod index;
mod lookup;
mod outbox;
mod query;
mod search;
mod tables;
#[cfg(feature = "testkit")]
mod testkit;
mod top;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use foliodesk_core::directory::{Organisation, Team, User};
use foliodesk_core::knowledge::Article;
use foliodesk_core::notify::{Claim, DeadLetter, Failure, OutboxMessage};
use foliodesk_core::query::{Page, QueryTickets};
use foliodesk_core::report::block::{Pack, StoredBlock};
use foliodesk_core::report::{Fact, Pulse, PulseQuery};
use foliodesk_core::search::{Postings, PostingsQuery, SearchDoc, TopDocs, TopQuery};
use foliodesk_core::store::doc::to_json;
use foliodesk_core::store::{
    AppendEvents, Appended, ArticleWrite, DueTicket, Found, Lookup, Reschedule, Store,
};
use foliodesk_core::{Error, EventEnvelope, OrgId, Result, TeamId, Ticket, TicketId, UserId};
use redb::{Database, ReadableDatabase};

use file::open_file;
use query::{query_blocking, ticket_row};
pub use tables::LAYOUT_VERSION;
use tables::*;

/// A [`Store`] in one redb file.
#[derive(Debug, Clone)]
pub struct RedbStore {
    db: Arc<Database>,
    path: PathBuf,
    /// Concurrent appends, committed together.
    group: Arc<group::Group>,
}

impl RedbStore {
    /// Opens `redb://path` (see [`RedbStore::open`]).
    pub async fn open_url(url: &str) -> Result<RedbStore> {
        let path = url
            .strip_prefix("redb://")
            .ok_or_else(|| Error::validation("url", format!("`{url}` is not a redb:// URL")))?;
        if path.is_empty() {
            return Err(Error::validation(
                "url",
                "a redb URL needs a file path, e.g. `redb://desk.redb`",
            ));
        }
        RedbStore::open(path).await
    }

    /// Creates or opens the file at `path`.
    pub async fn open(path: impl AsRef<Path>) -> Result<RedbStore> {
        let path = path.as_ref().to_path_buf();
        if path.is_dir() {
            return Err(Error::validation(
                "url",
                format!(
                    "`{}` is a directory; give the path of a file inside it",
                    path.display()
                ),
            ));
        }
        let shown = path.display().to_string();
        let opened = path.clone();
        let db = tokio::task::spawn_blocking(move || open_file(&opened, &shown))
            .await
            .map_err(|e| Error::storage("the opening task failed", e))??;
        Ok(RedbStore {
            db: Arc::new(db),
            path,
            group: Arc::default(),
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on the blocking pool.
    async fn blocking<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Database) -> Result<T> + Send + 'static,
    {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || f(&db))
            .await
            .map_err(|e| Error::storage("a storage task failed", e))?
    }
}

pub(crate) fn db_err(e: impl Into<redb::Error>) -> Error {
    let e: redb::Error = e.into();
    Error::storage(format!("redb: {e}"), e)
}

#[async_trait]
impl Store for RedbStore {
    async fn append(&self, req: AppendEvents) -> Result<Appended> {
        self.group.append(&self.db, req).await
    }

    async fn import(&self, batch: Vec<AppendEvents>) -> Result<Vec<Option<String>>> {
        self.blocking(move |db| import::import(db, &batch)).await
    }

    async fn lookup(&self, lookup: &Lookup) -> Result<Found> {
        let lookup = lookup.clone();
        self.blocking(move |db| lookup::lookup(db, &lookup)).await
    }

    async fn ticket(&self, id: &TicketId) -> Result<Option<Ticket>> {
        let id = id.to_string();
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(db_err)?;
            ticket_row(&txn.open_table(TICKETS).map_err(db_err)?, &id)
        })
        .await
    }

    async fn ticket_by_folio(&self, folio: &str) -> Result<Option<Ticket>> {
        let term = index::folio(folio);
        self.blocking(move |db| query::by_folio_blocking(db, &term))
            .await
    }

    async fn events(&self, id: &TicketId) -> Result<Vec<EventEnvelope>> {
        let id = id.to_string();
        self.blocking(move |db| query::events_blocking(db, &id))
            .await
    }

    async fn query(&self, q: QueryTickets) -> Result<Page<Ticket>> {
        q.validate()?;
        self.blocking(move |db| query_blocking(db, &q)).await
    }

    async fn due(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<DueTicket>> {
        self.blocking(move |db| query::due_blocking(db, now, limit))
            .await
    }

    async fn reschedule(&self, req: Reschedule) -> Result<bool> {
        self.blocking(move |db| bookkeeping::reschedule(db, &req))
            .await
    }

    async fn put_user(&self, user: User) -> Result<()> {
        user.validate()?;
        self.put_doc(USERS, user.id.to_string(), to_json(&user)?)
            .await
    }

    async fn user(&self, id: &UserId) -> Result<Option<User>> {
        self.get_doc(USERS, "user", id.to_string()).await
    }

    async fn users(&self) -> Result<Vec<User>> {
        self.all_docs(USERS, "user").await
    }

    async fn put_organisation(&self, org: Organisation) -> Result<()> {
        org.validate()?;
        self.put_doc(ORGANISATIONS, org.id.to_string(), to_json(&org)?)
            .await
    }

    async fn organisation(&self, id: &OrgId) -> Result<Option<Organisation>> {
        self.get_doc(ORGANISATIONS, "organisation", id.to_string())
            .await
    }

    async fn organisations(&self) -> Result<Vec<Organisation>> {
        self.all_docs(ORGANISATIONS, "organisation").await
    }

    async fn put_team(&self, team: Team) -> Result<()> {
        team.validate()?;
        self.put_doc(TEAMS, team.id.to_string(), to_json(&team)?)
            .await
    }

    async fn team(&self, id: &TeamId) -> Result<Option<Team>> {
        self.get_doc(TEAMS, "team", id.to_string()).await
    }

    async fn teams(&self) -> Result<Vec<Team>> {
        self.all_docs(TEAMS, "team").await
    }

    async fn load_config(&self) -> Result<Option<String>> {
        self.blocking(|db| {
            let txn = db.begin_read().map_err(db_err)?;
            let config = txn.open_table(CONFIG).map_err(db_err)?;
            let found = config.get("config").map_err(db_err)?;
            Ok(found.map(|g| g.value().to_owned()))
        })
        .await
    }

    async fn save_config(&self, json: String) -> Result<()> {
        self.put_doc(CONFIG, "config".to_owned(), json).await
    }

    async fn put_contact(&self, contact: foliodesk_core::contact::Contact) -> Result<()> {
        self.blocking(move |db| contacts::put(db, &contact)).await
    }

    async fn contacts(
        &self,
        range: &foliodesk_core::contact::ContactRange,
    ) -> Result<Vec<foliodesk_core::contact::Contact>> {
        let range = range.clone();
        self.blocking(move |db| contacts::read(db, &range)).await
    }

    async fn put_blob(&self, bytes: Vec<u8>) -> Result<String> {
        self.blocking(move |db| bookkeeping::put_blob(db, &bytes))
            .await
    }

    async fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        let key = sha256.to_owned();
        self.blocking(move |db| bookkeeping::blob(db, &key)).await
    }

    async fn meta(&self, key: &str) -> Result<Option<String>> {
        let key = key.to_owned();
        self.blocking(move |db| bookkeeping::meta(db, &key)).await
    }

    async fn put_meta(&self, key: &str, value: Option<String>) -> Result<()> {
        let key = key.to_owned();
        self.blocking(move |db| bookkeeping::put_meta(db, &key, value.as_deref()))
            .await
    }

    async fn append_checkpoint(&self, seq: u64, body: String) -> Result<()> {
        self.blocking(move |db| bookkeeping::append_checkpoint(db, seq, &body))
            .await
    }

    async fn checkpoints(&self, after: u64) -> Result<Vec<String>> {
        self.blocking(move |db| bookkeeping::checkpoints(db, after))
            .await
    }

    async fn put_article(&self, write: ArticleWrite) -> Result<()> {
        self.blocking(move |db| search::put_article(db, &write))
            .await
    }

    async fn article(&self, id: &str) -> Result<Option<Article>> {
        let id = id.to_owned();
        self.blocking(move |db| search::article(db, &id)).await
    }

    async fn articles(&self) -> Result<Vec<Article>> {
        self.blocking(search::articles).await
    }

    async fn postings(&self, q: &PostingsQuery) -> Result<Postings> {
        let q = q.clone();
        self.blocking(move |db| search::answer(db, &q)).await
    }

    async fn top_documents(&self, q: &TopQuery) -> Result<TopDocs> {
        let q = q.clone();
        self.blocking(move |db| top::top(db, &q)).await
    }

    async fn put_search_docs(&self, docs: Vec<SearchDoc>) -> Result<()> {
        self.blocking(move |db| search::put_docs(db, &docs)).await
    }

    async fn facts(&self, q: &foliodesk_core::report::FactQuery) -> Result<Vec<Fact>> {
        let q = q.clone();
        self.blocking(move |db| facts::read(db, &q)).await
    }

    async fn put_facts(&self, facts: Vec<Fact>) -> Result<()> {
        self.blocking(move |db| facts::put_all(db, &facts)).await
    }

    async fn fact_blocks(&self, from: i64, to: i64, limit: u32) -> Result<Vec<StoredBlock>> {
        self.blocking(move |db| facts::blocks(db, from, to, limit))
            .await
    }

    async fn first_finished_fact(&self) -> Result<Option<i64>> {
        self.blocking(facts::first_finished).await
    }

    async fn pack_facts(&self, pack: Pack) -> Result<bool> {
        self.blocking(move |db| facts::pack(db, &pack)).await
    }

    async fn pulse(&self, q: &PulseQuery) -> Result<Pulse> {
        let q = q.clone();
        self.blocking(move |db| facts::pulse(db, &q)).await
    }

    async fn outbox(&self, limit: u32) -> Result<Vec<OutboxMessage>> {
        self.blocking(move |db| outbox::pending(db, limit)).await
    }

    async fn ack_outbox(&self, ids: &[u64]) -> Result<()> {
        let ids = ids.to_vec();
        self.blocking(move |db| outbox::ack(db, &ids)).await
    }

    async fn claim_outbox(&self, claim: &Claim) -> Result<Vec<OutboxMessage>> {
        let claim = claim.clone();
        self.blocking(move |db| outbox::claim(db, &claim)).await
    }

    async fn fail_outbox(&self, failure: &Failure) -> Result<()> {
        let failure = failure.clone();
        self.blocking(move |db| outbox::fail(db, &failure)).await
    }

    async fn dead_letters(&self, limit: u32) -> Result<Vec<DeadLetter>> {
        self.blocking(move |db| outbox::dead(db, limit)).await
    }

    async fn requeue_dead(&self, ids: &[u64]) -> Result<u64> {
        let ids = ids.to_vec();
        self.blocking(move |db| outbox::requeue(db, &ids)).await
    }
}
