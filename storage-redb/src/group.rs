//! Group commit: concurrent appends share one durable commit.
//!
//! A durable redb commit is two fsyncs, which cost more than everything else an append
//! does, and redb has one write transaction at a time. So each append queues its request
//! and starts a blocking commit task; whichever task gets the committer's turn takes every
//! request queued by then and writes them all in one transaction. One writer still pays one
//! commit per append; eight pay about one per eight. An append is answered only after its
//! group's commit returned, so what is acknowledged is on disk.
//!
//! Each request is sealed against the transaction as the requests before it left it, so
//! two appends to one ticket or one folio counter in a group behave exactly as if committed
//! one after the other. A request that `seal` refuses (a stale version) writes nothing and
//! is answered alone. A failure half-way through a request's writes aborts the group, and
//! its requests are then committed one by one, each getting its own answer.
//!
//! A committer waits a little for writers that are still preparing, up to half the last
//! group's commit time ([`Gather`]): under steady load the groups are then whole instead of
//! splitting into alternating parts that each pay a commit. One writer never waits.
//!
//! The commit runs in a spawned task, not in the caller's future: a caller that gives up
//! must not take the appends of others down with it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

use foliodesk_core::store::gather::Gather;
use foliodesk_core::store::{AppendEvents, Appended};
use foliodesk_core::{Error, Result};
use redb::Database;
use tokio::sync::oneshot;

use crate::append::{append, apply};
use crate::db_err;

/// An append waiting for its group's commit.
struct Pending {
    req: AppendEvents,
    done: oneshot::Sender<Result<Appended>>,
}

/// The appends queued for the next commit.
#[derive(Default)]
pub(crate) struct Group {
    queue: Gather<Pending>,
    /// Held by the task committing a group, so the next one gathers while it does.
    turn: Mutex<()>,
    /// How long the last group's commit took, in microseconds.
    last_commit: AtomicU64,
}

impl std::fmt::Debug for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Group")
            .field("queued", &self.queue.len())
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Group {
    /// Queues `req` and answers once the group it lands in has committed.
    pub async fn append(
        self: &Arc<Self>,
        db: &Arc<Database>,
        req: AppendEvents,
    ) -> Result<Appended> {
        let (done, answer) = oneshot::channel();
        self.queue.push(Pending { req, done });
        // The task holds the database only while it commits: once every caller has its
        // answer, no task keeps the file open (a desk dropped and reopened finds it free).
        let (group, db) = (Arc::clone(self), Arc::downgrade(db));
        drop(tokio::task::spawn_blocking(move || {
            group.commit_queued(&db)
        }));
        answer
            .await
            .map_err(|_| Error::storage_msg("the append's commit task stopped before answering"))?
    }

    /// Takes the turn, then every request queued by then (none if an earlier task took
    /// them), and commits them.
    fn commit_queued(&self, db: &Weak<Database>) {
        let _turn = lock(&self.turn);
        if !self.queue.is_empty() {
            // Waiting for the writers still preparing costs less than a commit of their own.
            let last = self.last_commit.load(Ordering::Relaxed);
            self.queue.wait_for_company(Duration::from_micros(last / 2));
        }
        let batch = self.queue.take();
        // Reported before the answers go out (or on unwinding): a writer answered and back
        // at once must not count twice in the load estimate, or the next commit waits for
        // a writer that does not exist.
        let answered = Answered(&self.queue, batch.len());
        if batch.is_empty() {
            return;
        }
        let Some(db) = db.upgrade() else {
            drop(answered);
            for p in batch {
                let _ = p.done.send(Err(Error::storage_msg("the store is closed")));
            }
            return;
        };
        let answers = self.commit(&db, &batch);
        drop(db);
        drop(answered);
        for (p, answer) in batch.into_iter().zip(answers) {
            let _ = p.done.send(answer);
        }
    }

    /// Per request its answer: together if they are several, one by one if they are one
    /// or the group's transaction broke.
    fn commit(&self, db: &Database, batch: &[Pending]) -> Vec<Result<Appended>> {
        if batch.len() > 1 {
            let started = Instant::now();
            let together = together(db, batch);
            let took = started.elapsed().as_micros() as u64;
            self.last_commit.store(took, Ordering::Relaxed);
            if let Ok(answers) = together {
                return answers;
            }
        }
        batch.iter().map(|p| append(db, &p.req)).collect()
    }
}

/// Reports a taken batch answered when dropped, however the commit ended.
struct Answered<'a>(&'a Gather<Pending>, usize);

impl Drop for Answered<'_> {
    fn drop(&mut self) {
        self.0.answered(self.1);
    }
}

/// The whole batch in one transaction: per request its answer, or `Err` if the
/// transaction broke (it is aborted when dropped).
fn together(db: &Database, batch: &[Pending]) -> Result<Vec<Result<Appended>>> {
    let txn = db.begin_write().map_err(db_err)?;
    let mut answers = Vec::with_capacity(batch.len());
    for p in batch {
        answers.push(apply(&txn, &p.req)?);
    }
    txn.commit().map_err(db_err)?;
    Ok(answers)
}
