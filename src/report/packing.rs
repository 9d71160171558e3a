//! Packing finished tickets' report facts into day blocks, and reading facts back from
//! rows and blocks together (a ticket's row wins over its entry in a block).

use std::collections::HashSet;

use foliodesk_core::report::block::{day_of, unpack, Block, Pack, StoredBlock, DAY};
use foliodesk_core::report::{Fact, FactQuery, ReportFold};
use foliodesk_core::{Error, Result};
use tokio::task::JoinHandle;

use crate::Desk;

/// How many facts are read per store call.
const PAGE: u32 = 5_000;

/// How many day blocks are read per store call (a busy day's block is a few hundred KB).
const BLOCKS: u32 = 8;

/// A block's day and its decompressed bytes.
type Plain = (i64, Vec<u8>);

impl Desk {
    /// Packs finished tickets' report fact rows into one block per UTC day of opening,
    /// earliest first, at most `days` days; returns how many facts it packed. `tick` packs a
    /// few days each time, so reports read a block per day of history instead of a row per
    /// ticket. Safe beside appends and other desks: a row that changed since it was read
    /// stays a row (and wins over its block), and a block rewritten meanwhile is left alone.
    pub async fn pack_report_facts(&self, days: u32) -> Result<u64> {
        let mut packed = 0;
        let mut last = None;
        for _ in 0..days {
            let Some(first) = self.store().first_finished_fact().await? else {
                break;
            };
            // A day met twice in a row kept a row that moved under us: a later call takes it.
            let day = day_of(first);
            if last.replace(day) == Some(day) {
                break;
            }
            packed += self.pack_day(day).await?;
        }
        Ok(packed)
    }

    async fn pack_day(&self, day: i64) -> Result<u64> {
        let q = FactQuery {
            opened_from: Some(day),
            opened_to: Some(day + DAY),
            ..FactQuery::default()
        };
        let mut rows = Vec::new();
        self.each_row(q, |f| rows.push(f.clone())).await?;
        let stored = self.store().fact_blocks(day, day + DAY, 1).await?.pop();
        let mut facts: Vec<Fact> = Vec::new();
        if let Some(s) = &stored {
            let rowed: HashSet<&str> = rows.iter().map(|f| f.ticket.as_str()).collect();
            let plain = unpack(&s.body)?;
            let block = Block::decode(&plain)?;
            (block.entries())
                .filter(|e| !rowed.contains(e.ticket))
                .for_each(|e| facts.push(block.fact(&e)));
        }
        let packed: Vec<Fact> = rows.into_iter().filter(|f| !f.live()).collect();
        facts.extend(packed.iter().cloned());
        facts.sort_by(|a, b| (a.opened, &a.ticket).cmp(&(b.opened, &b.ticket)));
        let n = packed.len() as u64;
        let pack = Pack {
            day,
            expected: stored.map(|s| s.version),
            body: Block::encode(&facts)?,
            packed,
        };
        Ok(if self.store().pack_facts(pack).await? {
            n
        } else {
            0
        })
    }

    /// Feeds every fact row `q` selects to `f`, a page at a time (not the blocks).
    pub(crate) async fn each_row(&self, mut q: FactQuery, mut f: impl FnMut(&Fact)) -> Result<()> {
        q.limit = PAGE;
        loop {
            let page = self.store().facts(&q).await?;
            page.iter().for_each(&mut f);
            match page.last() {
                Some(last) if page.len() == PAGE as usize => {
                    q.after = Some((last.opened, last.ticket.clone()));
                }
                _ => return Ok(()),
            }
        }
    }

    /// Feeds every block whose day meets `[from, to)` to `f`, a few at a time. The next
    /// few are read and decompressed on another task while `f` folds these: on a server
    /// the read is mostly waiting, and the fold is the other half of a report's time.
    async fn each_block(&self, from: i64, to: i64, mut f: impl FnMut(&Block<'_>)) -> Result<()> {
        let first = day_of(from);
        if first >= to {
            return Ok(());
        }
        let mut reading = self.read_blocks(first, to);
        loop {
            let page = (&mut reading)
                .await
                .map_err(|e| Error::storage("reading report blocks failed", e))??;
            let next = match page.last() {
                Some((day, _)) if page.len() == BLOCKS as usize && day + 1 < to => Some(day + 1),
                _ => None,
            };
            if let Some(day) = next {
                reading = self.read_blocks(day, to);
            }
            for (_, plain) in &page {
                f(&Block::decode(plain)?);
            }
            if next.is_none() {
                return Ok(());
            }
        }
    }

    /// Reads and decompresses the next few blocks from `from` on a task of their own.
    fn read_blocks(&self, from: i64, to: i64) -> JoinHandle<Result<Vec<Plain>>> {
        let store = self.store().clone();
        tokio::spawn(async move {
            let page: Vec<StoredBlock> = store.fact_blocks(from, to, BLOCKS).await?;
            (page.iter())
                .map(|s| Ok((s.day, unpack(&s.body)?)))
                .collect()
        })
    }

    /// Feeds the fact rows opened in `[from, to)` to `f`; the ids of their tickets, whose
    /// entries in blocks they override.
    async fn span_rows(
        &self,
        from: i64,
        to: i64,
        mut f: impl FnMut(&Fact),
    ) -> Result<HashSet<String>> {
        let mut rowed = HashSet::new();
        let q = FactQuery {
            opened_from: Some(from),
            opened_to: Some(to),
            ..FactQuery::default()
        };
        self.each_row(q, |fact| {
            rowed.insert(fact.ticket.as_str().to_owned());
            f(fact)
        })
        .await?;
        Ok(rowed)
    }

    /// Feeds every fact opened in `[from, to)` to `f`, rows and blocks alike (each ticket
    /// once, its row if it has one), in no particular order.
    pub(crate) async fn each_fact(
        &self,
        from: i64,
        to: i64,
        mut f: impl FnMut(&Fact),
    ) -> Result<()> {
        let rowed = self.span_rows(from, to, &mut f).await?;
        self.each_block(from, to, |block| {
            for e in block.entries() {
                let opened = e.row.opened;
                if opened >= from && opened < to && !rowed.contains(e.ticket) {
                    f(&block.fact(&e));
                }
            }
        })
        .await
    }

    /// Adds every fact opened in `[from, to)` to `fold`: rows as facts, blocks as they are;
    /// and the live tickets of any opening instant to its backlog, each row read once.
    pub(crate) async fn fold_facts(&self, from: i64, to: i64, fold: &mut ReportFold) -> Result<()> {
        let rowed = (self.span_rows(from, to, |fact| {
            fold.add(fact);
            if fact.live() {
                fold.add_live(fact);
            }
        }))
        .await?;
        self.each_block(from, to, |block| {
            fold.add_block(block, |t| rowed.contains(t))
        })
        .await?;
        // The live tickets opened outside the span (blocks hold no live ticket).
        for (opened_from, opened_to) in [(None, Some(from)), (Some(to), None)] {
            let live = FactQuery {
                opened_from,
                opened_to,
                live_only: true,
                ..FactQuery::default()
            };
            self.each_row(live, |f| fold.add_live(f)).await?;
        }
        Ok(())
    }
}
