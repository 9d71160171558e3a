//! A store wrapper for tests and benchmarks: each call noted, optionally appends without
//! their search documents or report facts.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::contact::{Contact, ContactRange};
use crate::directory::{Organisation, Team, User};
use crate::event::EventEnvelope;
use crate::knowledge::Article;
use crate::notify::{Claim, DeadLetter, Failure, OutboxMessage};
use crate::query::{Page, QueryTickets};
use crate::search::{Postings, PostingsQuery, SearchDoc, TopDocs, TopQuery};
use crate::store::{
    AppendEvents, Appended, ArticleWrite, DueTicket, Found, Lookup, Reschedule, Store,
};
use crate::ticket::Ticket;
use crate::{OrgId, Result, TeamId, TicketId, UserId};

/// A store that notes the name of each call before passing it on; with
/// [`Observed::without_search_index`], appends and imports reach it without their search
/// documents (what they cost without indexing, for the benchmarks).
///
/// ```ignore
/// let store = Observed::new(Arc::new(MemoryStore::new()));
/// store.teams().await?;
/// assert_eq!(store.take(), ["teams"]);
/// ```
#[derive(Debug)]
pub struct Observed {
    inner: Arc<dyn Store>,
    calls: Mutex<Vec<&'static str>>,
    strip_index: bool,
    strip_facts: bool,
}

impl Observed {
    /// `inner`, observed.
    pub fn new(inner: Arc<dyn Store>) -> Observed {
        Observed {
            inner,
            calls: Mutex::new(Vec::new()),
            strip_index: false,
            strip_facts: false,
        }
    }

    /// Appends lose their search documents on the way.
    pub fn without_search_index(mut self) -> Observed {
        self.strip_index = true;
        self
    }

    /// Appends lose their report facts on the way (what they cost without facts).
    pub fn without_report_facts(mut self) -> Observed {
        self.strip_facts = true;
        self
    }

    fn note(&self, call: &'static str) {
        self.calls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(call);
    }

    /// The calls noted since the last `take`, in order.
    pub fn take(&self) -> Vec<&'static str> {
        std::mem::take(&mut *self.calls.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

#[async_trait]
impl Store for Observed {
    async fn append(&self, mut req: AppendEvents) -> Result<Appended> {
        self.note("append");
        if self.strip_index {
            req.index = None;
        }
        if self.strip_facts {
            req.fact = None;
        }
        self.inner.append(req).await
    }

    async fn ticket(&self, id: &TicketId) -> Result<Option<Ticket>> {
        self.note("ticket");
        self.inner.ticket(id).await
    }

    async fn ticket_by_folio(&self, folio: &str) -> Result<Option<Ticket>> {
        self.note("ticket_by_folio");
        self.inner.ticket_by_folio(folio).await
    }

    async fn events(&self, id: &TicketId) -> Result<Vec<EventEnvelope>> {
        self.note("events");
        self.inner.events(id).await
    }

    async fn query(&self, q: QueryTickets) -> Result<Page<Ticket>> {
        self.note("query");
        self.inner.query(q).await
    }

    async fn due(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<DueTicket>> {
        self.note("due");
        self.inner.due(now, limit).await
    }

    async fn reschedule(&self, req: Reschedule) -> Result<bool> {
        self.note("reschedule");
        self.inner.reschedule(req).await
    }

    async fn put_user(&self, user: User) -> Result<()> {
        self.note("put_user");
        self.inner.put_user(user).await
    }

    async fn user(&self, id: &UserId) -> Result<Option<User>> {
        self.note("user");
        self.inner.user(id).await
    }

    async fn users(&self) -> Result<Vec<User>> {
        self.note("users");
        self.inner.users().await
    }

    async fn put_organisation(&self, org: Organisation) -> Result<()> {
        self.note("put_organisation");
        self.inner.put_organisation(org).await
    }

    async fn organisation(&self, id: &OrgId) -> Result<Option<Organisation>> {
        self.note("organisation");
        self.inner.organisation(id).await
    }

    async fn organisations(&self) -> Result<Vec<Organisation>> {
        self.note("organisations");
        self.inner.organisations().await
    }

    async fn put_team(&self, team: Team) -> Result<()> {
        self.note("put_team");
        self.inner.put_team(team).await
    }

    async fn team(&self, id: &TeamId) -> Result<Option<Team>> {
        self.note("team");
        self.inner.team(id).await
    }

    async fn teams(&self) -> Result<Vec<Team>> {
        self.note("teams");
        self.inner.teams().await
    }

    async fn load_config(&self) -> Result<Option<String>> {
        self.note("load_config");
        self.inner.load_config().await
    }

    async fn save_config(&self, json: String) -> Result<()> {
        self.note("save_config");
        self.inner.save_config(json).await
    }

    async fn meta(&self, key: &str) -> Result<Option<String>> {
        self.note("meta");
        self.inner.meta(key).await
    }

    async fn put_meta(&self, key: &str, value: Option<String>) -> Result<()> {
        self.note("put_meta");
        self.inner.put_meta(key, value).await
    }

    async fn append_checkpoint(&self, seq: u64, body: String) -> Result<()> {
        self.note("append_checkpoint");
        self.inner.append_checkpoint(seq, body).await
    }

    async fn checkpoints(&self, after: u64) -> Result<Vec<String>> {
        self.note("checkpoints");
        self.inner.checkpoints(after).await
    }

    async fn outbox(&self, limit: u32) -> Result<Vec<OutboxMessage>> {
        self.note("outbox");
        self.inner.outbox(limit).await
    }

    async fn ack_outbox(&self, ids: &[u64]) -> Result<()> {
        self.note("ack_outbox");
        self.inner.ack_outbox(ids).await
    }

    async fn claim_outbox(&self, claim: &Claim) -> Result<Vec<OutboxMessage>> {
        self.note("claim_outbox");
        self.inner.claim_outbox(claim).await
    }

    async fn fail_outbox(&self, failure: &Failure) -> Result<()> {
        self.note("fail_outbox");
        self.inner.fail_outbox(failure).await
    }

    async fn dead_letters(&self, limit: u32) -> Result<Vec<DeadLetter>> {
        self.note("dead_letters");
        self.inner.dead_letters(limit).await
    }

    async fn requeue_dead(&self, ids: &[u64]) -> Result<u64> {
        self.note("requeue_dead");
        self.inner.requeue_dead(ids).await
    }

    async fn put_blob(&self, bytes: Vec<u8>) -> Result<String> {
        self.note("put_blob");
        self.inner.put_blob(bytes).await
    }

    async fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        self.note("blob");
        self.inner.blob(sha256).await
    }

    async fn put_contact(&self, contact: Contact) -> Result<()> {
        self.note("put_contact");
        self.inner.put_contact(contact).await
    }

    async fn contacts(&self, range: &ContactRange) -> Result<Vec<Contact>> {
        self.note("contacts");
        self.inner.contacts(range).await
    }

    async fn import(&self, mut batch: Vec<AppendEvents>) -> Result<Vec<Option<String>>> {
        self.note("import");
        if self.strip_index {
            batch.iter_mut().for_each(|r| r.index = None);
        }
        self.inner.import(batch).await
    }

    async fn put_article(&self, write: ArticleWrite) -> Result<()> {
        self.note("put_article");
        self.inner.put_article(write).await
    }

    async fn article(&self, id: &str) -> Result<Option<Article>> {
        self.note("article");
        self.inner.article(id).await
    }

    async fn articles(&self) -> Result<Vec<Article>> {
        self.note("articles");
        self.inner.articles().await
    }

    async fn postings(&self, q: &PostingsQuery) -> Result<Postings> {
        self.note("postings");
        self.inner.postings(q).await
    }

    async fn top_documents(&self, q: &TopQuery) -> Result<TopDocs> {
        self.note("top_documents");
        self.inner.top_documents(q).await
    }

    async fn put_search_docs(&self, docs: Vec<SearchDoc>) -> Result<()> {
        self.note("put_search_docs");
        self.inner.put_search_docs(docs).await
    }

    async fn facts(&self, q: &crate::report::FactQuery) -> Result<Vec<crate::report::Fact>> {
        self.note("facts");
        self.inner.facts(q).await
    }

    async fn put_facts(&self, facts: Vec<crate::report::Fact>) -> Result<()> {
        self.note("put_facts");
        self.inner.put_facts(facts).await
    }

    async fn fact_blocks(
        &self,
        from_day: i64,
        to_day: i64,
        limit: u32,
    ) -> Result<Vec<crate::report::block::StoredBlock>> {
        self.note("fact_blocks");
        self.inner.fact_blocks(from_day, to_day, limit).await
    }

    async fn first_finished_fact(&self) -> Result<Option<i64>> {
        self.note("first_finished_fact");
        self.inner.first_finished_fact().await
    }

    async fn pack_facts(&self, pack: crate::report::block::Pack) -> Result<bool> {
        self.note("pack_facts");
        self.inner.pack_facts(pack).await
    }

    async fn pulse(&self, q: &crate::report::PulseQuery) -> Result<crate::report::Pulse> {
        self.note("pulse");
        self.inner.pulse(q).await
    }

    async fn lookup(&self, lookup: &Lookup) -> Result<Found> {
        self.note("lookup");
        self.inner.lookup(lookup).await
    }
}
