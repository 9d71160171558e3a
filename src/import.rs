//! Importing tickets with their history from another help desk (see
//! [`foliodesk_core::import`]): validated against the desk's rules and directory, written
//! many tickets per transaction, resumable by running the same import again.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use foliodesk_core::decide::Facts;
use foliodesk_core::import::{in_batch, plan, ImportTicket};
use foliodesk_core::schedule::Rules;
use foliodesk_core::store::{AppendEvents, Store};
use foliodesk_core::{Error, Result, TicketId, UserId};
use serde::{Deserialize, Serialize};
use tokio::task::JoinHandle;

use crate::Desk;

/// The batch size the bindings' `import_all` use by default: 1,000 tickets a transaction is
/// where the benchmarks stop gaining (benches/RESULTS.md), and a refused batch costs little
/// to redo.
pub const DEFAULT_IMPORT_BATCH: usize = 1_000;

/// What happened to one imported ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ImportOutcome {
    /// Its number in the help desk it came from.
    pub reference: String,
    /// Its id here.
    pub id: TicketId,
    /// Its folio here; `None` when it had been imported before and was left as it was.
    pub folio: Option<String>,
}

/// What an import did, ticket by ticket in input order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ImportReport {
    /// Tickets written.
    pub imported: u64,
    /// Tickets found already imported (an earlier, perhaps interrupted, run).
    pub skipped: u64,
    /// Each ticket's outcome.
    pub tickets: Vec<ImportOutcome>,
}

impl ImportReport {
    fn extend(&mut self, other: ImportReport) {
        self.imported += other.imported;
        self.skipped += other.skipped;
        self.tickets.extend(other.tickets);
    }
}

/// Where a running [`Desk::import_all`] stands, after each committed batch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportProgress {
    /// Tickets committed so far (written or skipped).
    pub done: u64,
    /// Of which written.
    pub imported: u64,
    /// Of which found already imported.
    pub skipped: u64,
}

impl Desk {
    /// Imports `tickets` in one transaction, as an admin or `SYSTEM`: each one's history
    /// is replayed through the desk's rules at its original instants, an `imported` event
    /// by `actor` now keeps its source and reference (and marks the escalation thresholds
    /// already crossed, so nobody is paged for the past), and a folio is drawn for its kind
    /// and original year.
    /// A ticket imported before is skipped, so an interrupted import is resumed by running
    /// it again. Nobody is notified. One invalid ticket refuses the batch with a
    /// `Validation` error naming it (`tickets[3].history[1].at`); nothing is written then.
    ///
    /// ```no_run
    /// # async fn demo(desk: foliodesk::Desk) -> foliodesk::Result<()> {
    /// use foliodesk::core::import::ImportTicket;
    /// let ticket: ImportTicket = serde_json::from_value(serde_json::json!({
    ///     "source": "glpi", "reference": "48213",
    ///     "opened_at": "2025-01-13T09:30:00Z", "opened_by": "ana",
    ///     "ticket": {"kind": "incident", "channel": "email", "requester": "ana", "title": "Printer jammed"},
    ///     "history": [{"at": "2025-01-13T10:00:00Z", "actor": "bob",
    ///                  "command": {"command": "propose_solution", "solution": "Roller replaced"}}]
    /// })).unwrap();
    /// let report = desk.import_tickets("system", vec![ticket]).await?;
    /// assert_eq!(report.imported + report.skipped, 1);
    /// # Ok(()) }
    /// ```
    pub async fn import_tickets(
        &self,
        actor: impl Into<UserId>,
        tickets: Vec<ImportTicket>,
    ) -> Result<ImportReport> {
        let batch = tickets.len().max(1);
        self.import_all(actor, tickets, batch, |_| {}).await
    }

    /// Imports a stream of tickets `batch` at a time, each batch one transaction, calling
    /// `progress` after each commit. A refused ticket stops the import with the batches
    /// before it committed (its index counts from the start of `tickets`); fix it and run
    /// the whole import again to go on.
    pub async fn import_all(
        &self,
        actor: impl Into<UserId>,
        tickets: impl IntoIterator<Item = ImportTicket>,
        batch: usize,
        mut progress: impl FnMut(ImportProgress),
    ) -> Result<ImportReport> {
        if batch == 0 {
            return Err(Error::validation("batch", "must be at least 1"));
        }
        let actor = actor.into();
        self.actor(&actor).await?.must_administer("import")?;
        let planner = Planner {
            importer: actor,
            rules: self.rules(),
            facts: Arc::new(self.directory_facts().await?),
            now: self.now(),
        };
        let mut report = ImportReport::default();
        let mut progressed = ImportProgress::default();
        let mut tickets = tickets.into_iter();
        let first: Vec<ImportTicket> = tickets.by_ref().take(batch).collect();
        let mut planning = planner.spawn(first, 0);
        loop {
            let planned = (&mut planning)
                .await
                .map_err(|e| Error::storage("import planning failed", e))??;
            // The next batch is planned on a blocking thread while this one is written.
            let next: Vec<ImportTicket> = tickets.by_ref().take(batch).collect();
            let more = !next.is_empty();
            if more {
                let offset = progressed.done as usize + planned.references.len();
                planning = planner.spawn(next, offset);
            }
            let done = planned.write(self.store().as_ref()).await?;
            progressed.done += done.tickets.len() as u64;
            progressed.imported += done.imported;
            progressed.skipped += done.skipped;
            report.extend(done);
            progress(progressed);
            if !more {
                return Ok(report);
            }
        }
    }
}

/// What planning a batch needs, shared with the blocking thread that does it.
#[derive(Clone)]
struct Planner {
    importer: UserId,
    rules: Arc<Rules>,
    facts: Arc<Facts>,
    now: DateTime<Utc>,
}

/// A planned batch: the references and ids in input order, and the appends.
struct Planned {
    references: Vec<String>,
    ids: Vec<TicketId>,
    appends: Vec<AppendEvents>,
}

impl Planner {
    /// Plans `chunk` (whose first ticket is the import's `offset`-th) off the async
    /// threads: deciding a thousand histories is CPU work.
    fn spawn(&self, chunk: Vec<ImportTicket>, offset: usize) -> JoinHandle<Result<Planned>> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || me.plan(&chunk, offset))
    }

    fn plan(&self, chunk: &[ImportTicket], offset: usize) -> Result<Planned> {
        let (rules, facts) = (&*self.rules, &*self.facts);
        let appends = (chunk.iter().enumerate())
            .map(|(i, t)| {
                plan(t, &self.importer, rules, facts, self.now).map_err(|e| in_batch(offset + i, e))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Planned {
            references: chunk
                .iter()
                .map(|t| t.reference.trim().to_owned())
                .collect(),
            ids: appends.iter().map(|r| r.ticket_id.clone()).collect(),
            appends,
        })
    }
}

impl Planned {
    /// Writes the batch in one transaction.
    async fn write(self, store: &dyn Store) -> Result<ImportReport> {
        let folios = store.import(self.appends).await?;
        let mut report = ImportReport::default();
        for ((reference, id), folio) in self.references.into_iter().zip(self.ids).zip(folios) {
            match folio {
                Some(_) => report.imported += 1,
                None => report.skipped += 1,
            }
            report.tickets.push(ImportOutcome {
                reference,
                id,
                folio,
            });
        }
        Ok(report)
    }
}
