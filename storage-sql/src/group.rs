//! SQLite's group commit: concurrent appends share one durable commit.
//!
//! A durable SQLite commit is an fsync of the WAL, which costs more than everything else an
//! append does. SQLite has one writer at a time anyway, so concurrent appends used to queue
//! for the writer and pay a commit each. Now each append queues its request and starts a
//! commit task; whichever task gets the writer takes every request queued by then and
//! writes them all in one transaction. One writer still pays one commit per append; eight
//! pay about one per eight. An append is answered only after its group's `COMMIT`
//! returned, so what is acknowledged is on disk (with `synchronous=full`).
//!
//! Each request is sealed against the transaction as the requests before it left it, so
//! two appends to one ticket or one folio counter in a group behave exactly as if committed
//! one after the other. A request that `seal` refuses (a stale version) writes nothing and
//! is answered alone. A failure half-way through a request's writes rolls the whole group
//! back, and its requests are then committed one by one, each getting its own answer.
//!
//! The commit runs in a spawned task, not in the caller's future: a caller that gives up
//! (a timeout, a dropped future) must not take the appends of others down with it.

use std::sync::{Arc, Mutex, PoisonError};

use foliodesk_core::store::{seal, AppendEvents, Appended};
use foliodesk_core::{Error, Result};
use sqlx::{AnyConnection, AssertSqlSafe, Executor};
use tokio::sync::oneshot;

use crate::append::{reads, transact, Reads};
use crate::engine::Engine;
use crate::errors::{append_failed, storage};
use crate::filter::{bind_all, Arg};
use crate::session::{Session, Writer};
use crate::statements::Statements;
use crate::writes::Statement;

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
}

impl std::fmt::Debug for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Group")
            .field("queued", &self.queued().len())
            .finish_non_exhaustive()
    }
}

impl Group {
    pub fn new(conn: AnyConnection, engine: &'static dyn Engine, sql: Statements) -> Arc<Group> {
        Arc::new(Group {
            writer: Writer::new(conn),
            engine,
            sql,
            queue: Mutex::new(Vec::new()),
        })
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

    /// Takes the writer, then every request queued by then (none if an earlier task took
    /// them), and commits them.
    async fn commit_queued(&self) {
        let session = Session::writer(&self.writer).await;
        let batch = std::mem::take(&mut *self.queued());
        let mut session = match session {
            Ok(s) => s,
            Err(e) => {
                for p in batch {
                    let _ = p.done.send(Err(Error::storage_msg(e.to_string())));
                }
                return;
            }
        };
        if batch.len() > 1 {
            match self.together(&mut session, &batch).await {
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
            let answer = self.alone(&mut session, &p.req).await;
            let _ = p.done.send(answer);
        }
    }

    /// One request in its own transaction.
    async fn alone(&self, session: &mut Session<'_>, req: &AppendEvents) -> Result<Appended> {
        match transact(self.engine, &self.sql, session, req).await {
            Ok((done, _)) => Ok(done),
            Err(e) => {
                session.rollback().await;
                Err(e)
            }
        }
    }

    /// The whole batch in one transaction: per request its answer, or `Err` if the
    /// transaction is broken and must be rolled back.
    async fn together(
        &self,
        session: &mut Session<'_>,
        batch: &[Pending],
    ) -> Result<Vec<Result<Appended>>> {
        session.opening();
        let conn = session.conn();
        (conn.execute(self.engine.begin_write()))
            .await
            .map_err(|e| storage("cannot begin a group of appends", e))?;
        let mut answers = Vec::with_capacity(batch.len());
        for Pending { req, .. } in batch {
            let fail = |doing: &str, e| append_failed(req, doing, e);
            let rows = run(reads(self.engine, &self.sql, req))
                .fetch_all(&mut *conn)
                .await
                .map_err(|e| fail("cannot read before the append", e))?;
            let read = Reads::of(&rows).map_err(|e| storage("cannot read the ticket's head", e))?;
            // Refused here, the request has written nothing: the others go on.
            let sealed = match seal(req, read.version, read.hash.as_deref(), read.folio) {
                Ok(sealed) => sealed,
                Err(e) => {
                    answers.push(Err(e));
                    continue;
                }
            };
            let writes = self.engine.writes(&self.sql, req, &sealed, None)?;
            (run(writes).execute(&mut *conn))
                .await
                .map_err(|e| fail("cannot write the append", e))?;
            answers.push(Ok(Appended {
                ticket: sealed.ticket,
                events: sealed.envelopes,
            }));
        }
        (conn.execute("COMMIT"))
            .await
            .map_err(|e| storage("cannot commit a group of appends", e))?;
        session.closed();
        Ok(answers)
    }
}

/// `statements` as one query: sqlx's SQLite driver runs `;`-separated statements in one
/// trip to the connection's worker, handing each its share of the binds.
fn run(
    statements: Vec<Statement>,
) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    let (sql, args): (Vec<String>, Vec<Vec<Arg>>) = statements.into_iter().unzip();
    bind_all(sqlx::query(AssertSqlSafe(sql.join("; "))), args.concat())
}
