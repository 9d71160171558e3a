//! Packed report facts: the facts of finished tickets opened on one UTC day, stored as one
//! value instead of one row each. A report over a million tickets then reads a few hundred
//! values, and decodes them without allocating per fact: names (categories, teams,
//! technicians…) are kept once per block and the facts refer to them by number.
//!
//! The stored bytes are LZ4-compressed (a block of a busy day shrinks by about 40 %, and
//! reading bytes is what a report over a year spends most on): [`unpack`] them, then
//! [`Block::decode`] borrows the result.
//!
//! A per-ticket row always wins over the ticket's entry in a block: rows are what appends
//! write, blocks are what compaction (`Desk::compact_report_facts`) made of older rows.
//!
//! ```
//! use foliodesk_core::report::block::{day_of, Block, DAY};
//! assert_eq!(day_of(DAY + 5), DAY);
//! assert_eq!(day_of(-1), -DAY);
//! let stored = Block::encode(&[]).unwrap();
//! let bytes = foliodesk_core::report::block::unpack(&stored).unwrap();
//! assert_eq!(Block::decode(&bytes).unwrap().len(), 0);
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::fact::{Fact, LevelFact, TargetFact, FACTS_VERSION};
use crate::status::{Status, SupportLevel};
use crate::{Category, Channel, Error, Result, TicketKind};

/// A day in microseconds: blocks hold the facts opened in one UTC day.
pub const DAY: i64 = 86_400_000_000;

/// The start of the UTC day `opened` (microseconds) falls in: the key of its block.
pub fn day_of(opened: i64) -> i64 {
    opened.div_euclid(DAY) * DAY
}

/// A stored block: the day it packs, its version (raised by every rewrite) and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredBlock {
    /// The UTC day's start, microseconds ([`day_of`]).
    pub day: i64,
    /// Raised by every rewrite, so two packers cannot both win.
    pub version: u64,
    /// [`Block::encode`]'s bytes.
    pub body: Vec<u8>,
}

/// A rewrite of one day's block, made from the block read at `expected` and the day's
/// finished rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Pack {
    /// The day.
    pub day: i64,
    /// The version of the block it was made from (`None`: the day had none).
    pub expected: Option<u64>,
    /// The new block's bytes.
    pub body: Vec<u8>,
    /// The rows it took in: each is deleted if it still holds this fact.
    pub packed: Vec<Fact>,
}

/// The plain bytes of a stored block, for [`Block::decode`].
pub fn unpack(stored: &[u8]) -> Result<Vec<u8>> {
    lz4_flex::decompress_size_prepended(stored).map_err(unreadable)
}

/// Names numbered from 1 in the order first met; 0 stands for none.
#[derive(Clone, Debug, Default)]
pub struct Names {
    ids: HashMap<String, u32>,
    list: Vec<String>,
}

impl Names {
    /// The number of `name`, numbering it if new.
    pub fn id(&mut self, name: Option<&str>) -> u32 {
        let Some(name) = name else { return 0 };
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        self.list.push(name.to_owned());
        let id = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        self.ids.insert(name.to_owned(), id);
        id
    }

    /// The name numbered `id` (`None` for 0 or an unknown number).
    pub fn get(&self, id: u32) -> Option<&str> {
        let i = usize::try_from(id.checked_sub(1)?).ok()?;
        self.list.get(i).map(String::as_str)
    }
}

/// A fact without its ticket id, targets and levels, its names replaced by numbers into
/// a [`Names`]: fixed size, nothing to allocate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)] // the fields are [`Fact`]'s, documented there
pub struct Row {
    pub opened: i64,
    pub kind: TicketKind,
    pub channel: Channel,
    pub status: Status,
    pub level: SupportLevel,
    pub priority: u8,
    pub waiting_on_requester: bool,
    pub category: u32,
    pub service: u32,
    pub organisation: u32,
    pub team: u32,
    pub assignee: u32,
    pub policy: u32,
    pub problem: u32,
    pub assigned: Option<i64>,
    pub responded: Option<i64>,
    pub resolved: Option<i64>,
    pub finished: Option<i64>,
    pub attention_business: Option<u32>,
    pub response_business: Option<u32>,
    pub resolution_business: Option<u32>,
    pub reopens: u32,
    pub functional: u32,
    pub hierarchical: u32,
    pub satisfaction: Option<u8>,
    pub surveyed: bool,
    pub occurrences: u32,
    pub security: bool,
    /// How many of the block's targets are this fact's.
    pub targets: u8,
    /// How many of the block's levels are this fact's.
    pub levels: u8,
    pub alerted: Option<i64>,
}

impl Row {
    /// `fact`'s row, its names numbered in `names`.
    pub fn of(fact: &Fact, names: &mut Names) -> Row {
        Row {
            opened: fact.opened,
            kind: fact.kind,
            channel: fact.channel,
            status: fact.status,
            level: fact.level,
            priority: fact.priority,
            waiting_on_requester: fact.waiting_on_requester,
            category: names.id(fact.category.as_ref().map(Category::as_str)),
            service: names.id(fact.service.as_deref()),
            organisation: names.id(fact.organisation.as_ref().map(|o| o.as_str())),
            team: names.id(fact.team.as_ref().map(|t| t.as_str())),
            assignee: names.id(fact.assignee.as_ref().map(|u| u.as_str())),
            policy: names.id(fact.policy.as_deref()),
            problem: names.id(fact.problem.as_ref().map(|p| p.as_str())),
            assigned: fact.assigned,
            responded: fact.responded,
            resolved: fact.resolved,
            finished: fact.finished,
            attention_business: fact.attention_business,
            response_business: fact.response_business,
            resolution_business: fact.resolution_business,
            reopens: fact.reopens,
            functional: fact.functional,
            hierarchical: fact.hierarchical,
            satisfaction: fact.satisfaction,
            surveyed: fact.surveyed,
            occurrences: fact.occurrences,
            security: fact.security,
            targets: u8::try_from(fact.targets.len()).unwrap_or(u8::MAX),
            levels: u8::try_from(fact.levels.len()).unwrap_or(u8::MAX),
            alerted: fact.alerted,
        }
    }

    /// The row with its names renumbered through `map` (block number → another numbering).
    pub fn renumbered(&self, map: &[u32]) -> Row {
        let n = |id: u32| map.get(id as usize).copied().unwrap_or(0);
        Row {
            category: n(self.category),
            service: n(self.service),
            organisation: n(self.organisation),
            team: n(self.team),
            assignee: n(self.assignee),
            policy: n(self.policy),
            problem: n(self.problem),
            ..*self
        }
    }
}

/// What a block stores. Names and ticket ids borrow the stored bytes.
#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    version: u32,
    #[serde(borrow)]
    names: Vec<&'a str>,
    #[serde(borrow)]
    tickets: Vec<&'a str>,
    rows: Vec<Row>,
    targets: Vec<TargetFact>,
    levels: Vec<LevelFact>,
}

/// One fact of a decoded block.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'b> {
    /// The ticket.
    pub ticket: &'b str,
    /// Its figures, names numbered in the block's [`Block::names`].
    pub row: &'b Row,
    /// Its SLA targets.
    pub targets: &'b [TargetFact],
    /// Its OLA use.
    pub levels: &'b [LevelFact],
}

/// A decoded block, borrowing its bytes.
pub struct Block<'a> {
    stored: Stored<'a>,
}

fn unreadable(e: impl std::fmt::Display) -> Error {
    Error::storage_msg(format!("unreadable block of report facts: {e}"))
}

impl<'a> Block<'a> {
    /// The stored (compressed) bytes of a block holding `facts`.
    pub fn encode(facts: &[Fact]) -> Result<Vec<u8>> {
        let mut names = Names::default();
        let rows: Vec<Row> = facts.iter().map(|f| Row::of(f, &mut names)).collect();
        let stored = Stored {
            version: FACTS_VERSION,
            names: names.list.iter().map(String::as_str).collect(),
            tickets: facts.iter().map(|f| f.ticket.as_str()).collect(),
            rows,
            targets: facts
                .iter()
                .flat_map(|f| f.targets.iter().copied())
                .collect(),
            levels: facts
                .iter()
                .flat_map(|f| f.levels.iter().copied())
                .collect(),
        };
        let plain = postcard::to_allocvec(&stored).map_err(|e| {
            Error::storage_msg(format!("cannot encode a block of report facts: {e}"))
        })?;
        Ok(lz4_flex::compress_prepend_size(&plain))
    }

    /// A block from the [`unpack`]ed bytes of [`Block::encode`]; refuses bytes that do
    /// not add up.
    pub fn decode(bytes: &'a [u8]) -> Result<Block<'a>> {
        let stored: Stored<'a> = postcard::from_bytes(bytes).map_err(unreadable)?;
        let targets: usize = stored.rows.iter().map(|r| usize::from(r.targets)).sum();
        let levels: usize = stored.rows.iter().map(|r| usize::from(r.levels)).sum();
        if stored.tickets.len() != stored.rows.len()
            || targets != stored.targets.len()
            || levels != stored.levels.len()
        {
            return Err(unreadable("its columns differ in length"));
        }
        Ok(Block { stored })
    }

    /// The layout version it was written with ([`FACTS_VERSION`]).
    pub fn version(&self) -> u32 {
        self.stored.version
    }

    /// How many facts it holds.
    pub fn len(&self) -> usize {
        self.stored.rows.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.stored.rows.is_empty()
    }

    /// The names its rows refer to; number `n` is `names()[n - 1]`.
    pub fn names(&self) -> &[&'a str] {
        &self.stored.names
    }

    /// Its facts, in the order they were packed.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        let s = &self.stored;
        let (mut t, mut l) = (0usize, 0usize);
        s.rows.iter().zip(&s.tickets).map(move |(row, ticket)| {
            let (nt, nl) = (t + usize::from(row.targets), l + usize::from(row.levels));
            let e = Entry {
                ticket,
                row,
                targets: &s.targets[t..nt],
                levels: &s.levels[l..nl],
            };
            (t, l) = (nt, nl);
            e
        })
    }

    /// The full fact of `entry`.
    pub fn fact(&self, entry: &Entry<'_>) -> Fact {
        let name = |id: u32| {
            let i = usize::try_from(id.checked_sub(1)?).ok()?;
            self.stored.names.get(i).map(|s| (*s).to_owned())
        };
        let r = entry.row;
        Fact {
            ticket: entry.ticket.into(),
            opened: r.opened,
            kind: r.kind,
            channel: r.channel,
            category: name(r.category).map(Category::normalised),
            service: name(r.service),
            organisation: name(r.organisation).map(Into::into),
            priority: r.priority,
            status: r.status,
            waiting_on_requester: r.waiting_on_requester,
            level: r.level,
            team: name(r.team).map(Into::into),
            assignee: name(r.assignee).map(Into::into),
            assigned: r.assigned,
            responded: r.responded,
            resolved: r.resolved,
            finished: r.finished,
            attention_business: r.attention_business,
            response_business: r.response_business,
            resolution_business: r.resolution_business,
            reopens: r.reopens,
            functional: r.functional,
            hierarchical: r.hierarchical,
            satisfaction: r.satisfaction,
            surveyed: r.surveyed,
            problem: name(r.problem).map(Into::into),
            occurrences: r.occurrences,
            security: r.security,
            policy: name(r.policy),
            targets: entry.targets.to_vec(),
            levels: entry.levels.to_vec(),
            alerted: r.alerted,
        }
    }
}
