//! SQLite's group commit: concurrent appends share one durable commit.
//!
//! A durable SQLite commit is an fsync of the WAL, which costs more than everything else an
//! append does, and every statement sent is a trip to the connection's worker thread.
//! SQLite has one writer at a time anyway, so concurrent appends used to queue for the
//! writer and pay a commit and two trips each. Now each append queues its request and
//! starts a commit task; whichever task gets the writer takes every request queued by then
//! and writes them all in one transaction of two trips: the heads and folio counters the
//! group needs are read with the `BEGIN`, each request is sealed in memory against the state
//! the requests before it left, and all the writes go with the `COMMIT`. One writer still
//! pays one commit per append; eight pay about one per eight. An append is answered only
//! after its group's `COMMIT` returned, so what is acknowledged is on disk (with
//! `synchronous=full`).
//!
//! Two appends to one ticket or one folio counter in a group behave exactly as if committed
//! one after the other. A request that `seal` refuses (a stale version, a second creator of
//! one id) writes nothing and is answered alone. A failed write rolls the whole group back,
//! and its requests are then committed one by one, each getting its own answer.
//!
//! The commit runs in a spawned task, not in the caller's future: a caller that gives up
//! (a timeout, a dropped future) must not take the appends of others down with it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use foliodesk_core::store::{seal, AppendEvents, Appended, FolioKey, Sealed};
use foliodesk_core::{Error, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Connection, Row};
use tokio::sync::oneshot;

use crate::buffer::Buffer;
use crate::dialect::Dialect;
use crate::engine::{batch, Engine};
use crate::errors::append_failed;
use crate::errors::storage;
use crate::filter::{bind_all, Arg};
use crate::session::{Session, Writer};
use crate::statements::Statements;
use crate::writes::Statement;

/// The most requests in one group: the heads read binds one value per ticket, well under
/// SQLite's 32,766, and a group's latency stays bounded under a burst.
const MOST: usize = 256;

/// An append waiting for its group's commit.
struct Pending {
    req: AppendEvents,
    done: oneshot::Sender<Result<Appended>>,
}

/// The writer connection and the appends queued for it.
pub(crate) struct Group {
    pub writer: tokio::sync::Mutex<Writer>,
    engine: &'static dyn Engine,
    sql: Statements,
    queue: Mutex<Vec<Pending>>,
    /// The pending postings, if the engine buffers them.
    buffer: Option<Buffer>,
}

impl std::fmt::Debug for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Group")
            .field("queued", &self.queued().len())
            .finish_non_exhaustive()
    }
}

impl Group {
    /// The group of `dialect`'s one writer `conn`, its pending postings counted if the
    /// engine buffers them (merged from `merge_at`); `None`, `conn` closed, for the engines
    /// that write on pooled connections.
    pub async fn of(
        mut conn: AnyConnection,
        dialect: Dialect,
        merge_at: u64,
    ) -> Result<Option<Arc<Group>>> {
        let engine = dialect.engine();
        if !engine.one_writer() {
            let _ = conn.close().await;
            return Ok(None);
        }
        let buffer = match engine.buffers_postings() {
            true => Some(
                (Buffer::of(&mut conn, merge_at).await)
                    .map_err(|e| storage("cannot count the pending postings", e))?,
            ),
            false => None,
        };
        Ok(Some(Arc::new(Group {
            writer: Writer::new(conn),
            engine,
            sql: Statements::new(dialect),
            queue: Mutex::new(Vec::new()),
            buffer,
        })))
    }

    /// Queues `req` and answers once the group it lands in has committed.
    pub async fn append(self: &Arc<Self>, req: AppendEvents) -> Result<Appended> {
        let (done, answer) = oneshot::channel();
        self.queued().push(Pending { req, done });
        let group = Arc::clone(self);
        tokio::spawn(async move { group.commit_queued().await });
        answer
            .await
            .map_err(|_| Error::storage_msg("the append's commit task stopped before answering"))?
    }

    fn queued(&self) -> std::sync::MutexGuard<'_, Vec<Pending>> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the writer, then the requests queued by then, oldest first and at most
    /// [`MOST`] (none if earlier tasks took them), and commits them. Every request has a
    /// task of its own, so what is left is taken by a later one.
    async fn commit_queued(&self) {
        let session = Session::writer(&self.writer).await;
        let batch: Vec<Pending> = {
            let mut queued = self.queued();
            let n = queued.len().min(MOST);
            queued.drain(..n).collect()
        };
        let mut session = match session {
            Ok(s) => s,
            Err(e) => {
                for p in batch {
                    let _ = p.done.send(Err(Error::storage_msg(e.to_string())));
                }
                return;
            }
        };
        let postings = batch.iter().map(|p| pending_postings(&p.req)).sum();
        self.commit(&mut session, batch).await;
        self.merge_if(&mut session, postings).await;
    }

    /// Commits `batch` together if it can, else one by one, and answers every request.
    async fn commit(&self, session: &mut Session<'_>, batch: Vec<Pending>) {
        if batch.len() > 1 {
            match self.together(session, &batch).await {
                Ok(answers) => {
                    for (p, answer) in batch.into_iter().zip(answers) {
                        let _ = p.done.send(answer);
                    }
                    return;
                }
                Err(_) => session.rollback().await,
            }
        }
        for p in batch {
            let answer = self.alone(session, &p).await;
            let _ = p.done.send(answer);
        }
    }

    /// Counts `postings` more pending and, when enough are, merges them ([`crate::merge`]),
    /// after the writes that added them were answered (later ones wait for the writer, as
    /// behind any commit). A failed merge keeps what it committed, changes nothing else, and
    /// is tried again once as many more are pending. With no `postings`, merges what is
    /// due already (what another process or an upgrade left, when a store opens).
    pub(crate) async fn merge_if(&self, session: &mut Session<'_>, postings: u64) {
        let Some(buffer) = &self.buffer else {
            return;
        };
        if !buffer.added(postings) {
            return;
        }
        buffer.restart();
        session.opening();
        match crate::merge::merge(session.conn()).await {
            Ok(()) => session.closed(),
            Err(_) => session.rollback().await,
        }
    }

    /// One request in its own transaction.
    async fn alone(&self, session: &mut Session<'_>, p: &Pending) -> Result<Appended> {
        match self.together(session, std::slice::from_ref(p)).await {
            Ok(mut answers) => answers.pop().expect("one answer per request"),
            Err(e) => {
                session.rollback().await;
                Err(match e {
                    Broken::Sql(doing, e) => append_failed(&p.req, doing, e),
                    Broken::Other(e) => e,
                })
            }
        }
    }

    /// The whole batch in one transaction and two trips to the writer: what must be read
    /// (the heads of the tickets, the folio counters) with the `BEGIN`, then every
    /// request's writes with the `COMMIT`. Per request its answer, or `Err` if the
    /// transaction is broken and must be rolled back.
    async fn together(
        &self,
        session: &mut Session<'_>,
        batch: &[Pending],
    ) -> std::result::Result<Vec<Result<Appended>>, Broken> {
        session.opening();
        let conn = session.conn();
        let rows = run(self.engine.begin_write(), reads(batch))
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| Broken::Sql("cannot begin the append", e))?;
        let mut state = State::of(&rows).map_err(|e| Broken::Sql("cannot read the heads", e))?;
        let mut answers = Vec::with_capacity(batch.len());
        let mut writes = Vec::new();
        for Pending { req, .. } in batch {
            // Refused here, the request has written nothing: the others go on.
            match state.seal(req) {
                Ok(sealed) => {
                    let statements = (self.engine.writes(&self.sql, req, &sealed, None))
                        .map_err(Broken::Other)?;
                    writes.extend(statements);
                    answers.push(Ok(Appended {
                        ticket: sealed.ticket,
                        events: sealed.envelopes,
                    }));
                }
                Err(refused) => answers.push(Err(refused)),
            }
        }
        writes.extend(state.counter_writes());
        writes.push(("COMMIT".to_owned(), Vec::new()));
        // A failing statement stops the rest, COMMIT included.
        (run("", writes).execute(&mut *conn))
            .await
            .map_err(|e| Broken::Sql("cannot write the append", e))?;
        session.closed();
        Ok(answers)
    }
}

/// How many rows `req` writes to the pending table (if the engine buffers them).
fn pending_postings(req: &AppendEvents) -> u64 {
    req.index.as_ref().map_or(0, crate::search::pending_rows)
}

/// Why a group's transaction cannot go on.
enum Broken {
    Sql(&'static str, sqlx::Error),
    Other(Error),
}

/// The reads a batch needs: the head of every ticket it touches (new ones included, so a
/// second creator of one id is refused by `seal` rather than by the primary key), and its
/// folio counters. Rows are tagged `h` or `c` to tell them apart.
fn reads(batch: &[Pending]) -> Vec<Statement> {
    let ids: BTreeSet<&str> = batch.iter().map(|p| p.req.ticket_id.as_str()).collect();
    let keys: BTreeSet<&FolioKey> = batch.iter().filter_map(|p| p.req.folio.as_ref()).collect();
    let mut reads = vec![(
        format!(
            "SELECT 'h', id, version, head_hash FROM fd_tickets WHERE id IN ({})",
            vec!["?"; ids.len()].join(", ")
        ),
        ids.iter().map(|id| Arg::Text((*id).to_owned())).collect(),
    )];
    if !keys.is_empty() {
        let each = vec!["(prefix = ? AND folio_year = ?)"; keys.len()].join(" OR ");
        let args = (keys.iter())
            .flat_map(|k| [Arg::Text(k.prefix.clone()), Arg::Int(i64::from(k.year))])
            .collect();
        reads.push((
            format!("SELECT 'c', prefix, folio_year, last_number FROM fd_folios WHERE {each}"),
            args,
        ));
    }
    reads
}

/// The heads and counters as the requests sealed so far leave them.
#[derive(Default)]
struct State {
    heads: HashMap<String, (u64, String)>,
    counters: BTreeMap<FolioKey, u64>,
    drawn: BTreeSet<FolioKey>,
}

impl State {
    fn of(rows: &[AnyRow]) -> sqlx::Result<State> {
        let mut state = State::default();
        for row in rows {
            let tag: String = row.try_get(0)?;
            let name: String = row.try_get(1)?;
            let number: i64 = row.try_get(2)?;
            if tag == "h" {
                state.heads.insert(name, (number as u64, row.try_get(3)?));
            } else {
                let year = i32::try_from(number).unwrap_or_default();
                let last = row.try_get::<i64, _>(3)? as u64;
                state.counters.insert(FolioKey { prefix: name, year }, last);
            }
        }
        Ok(state)
    }

    /// Seals `req` on the current state and moves the state past it.
    fn seal(&mut self, req: &AppendEvents) -> Result<Sealed> {
        let head = self.heads.get(req.ticket_id.as_str());
        let (version, hash) = head.map_or((0, None), |(v, h)| (*v, Some(h.as_str())));
        let next = (req.folio.as_ref()).map(|k| self.counters.get(k).copied().unwrap_or(0) + 1);
        let sealed = seal(req, version, hash, next)?;
        let last = &sealed
            .envelopes
            .last()
            .expect("seal refuses no events")
            .hash;
        let head = (sealed.ticket.version, last.clone());
        self.heads.insert(req.ticket_id.to_string(), head);
        if let (Some(key), Some(n)) = (&req.folio, next) {
            self.counters.insert(key.clone(), n);
            self.drawn.insert(key.clone());
        }
        Ok(sealed)
    }

    /// The counters drawn from, set to their last number.
    fn counter_writes(&self) -> impl Iterator<Item = Statement> + '_ {
        self.drawn.iter().map(|key| {
            let sql = "INSERT INTO fd_folios (prefix, folio_year, last_number) VALUES (?, ?, ?) \
                       ON CONFLICT (prefix, folio_year) DO UPDATE SET last_number = excluded.last_number";
            let args = vec![
                Arg::Text(key.prefix.clone()),
                Arg::Int(i64::from(key.year)),
                Arg::Int(self.counters[key] as i64),
            ];
            (sql.to_owned(), args)
        })
    }
}

/// `first` and `statements` as one query: sqlx's SQLite driver runs `;`-separated
/// statements in one trip to the connection's worker, handing each its share of the binds.
fn run(
    first: &str,
    statements: Vec<Statement>,
) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    let (sql, args): (Vec<String>, Vec<Vec<Arg>>) = statements.into_iter().unzip();
    let sql = if first.is_empty() {
        sql.join("; ")
    } else {
        batch(first, sql)
    };
    bind_all(sqlx::query(AssertSqlSafe(sql)), args.concat())
}
