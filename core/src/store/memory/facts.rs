//! The memory store's report facts, kept by (opened, ticket) like the durable backends',
//! and its blocks of packed facts by day.

use std::collections::BTreeMap;

use super::Inner;
use crate::report::block::{Pack, StoredBlock};
use crate::report::{Fact, FactQuery};
use crate::TicketId;

/// Rows and blocks.
#[derive(Debug, Default)]
pub(super) struct Facts {
    rows: BTreeMap<(i64, TicketId), Fact>,
    blocks: BTreeMap<i64, (u64, Vec<u8>)>,
}

impl Inner {
    pub(super) fn put_fact(&mut self, fact: Fact) {
        let key = (fact.opened, fact.ticket.clone());
        self.facts.rows.insert(key, fact);
    }

    pub(super) fn facts(&self, q: &FactQuery) -> Vec<Fact> {
        let from = q.opened_from.unwrap_or(i64::MIN);
        let start = match &q.after {
            Some((at, id)) if *at >= from => (*at, id.clone()),
            _ => (from, TicketId::new("")),
        };
        (self.facts.rows.range(start..).map(|(_, f)| f))
            .take_while(|f| q.opened_to.is_none_or(|to| f.opened < to))
            .filter(|f| q.matches(f))
            .take(q.limit as usize)
            .cloned()
            .collect()
    }

    pub(super) fn fact_blocks(&self, from: i64, to: i64, limit: u32) -> Vec<StoredBlock> {
        if from >= to {
            return Vec::new();
        }
        (self.facts.blocks.range(from..to))
            .take(limit as usize)
            .map(|(day, (version, body))| StoredBlock {
                day: *day,
                version: *version,
                body: body.clone(),
            })
            .collect()
    }

    pub(super) fn first_finished_fact(&self) -> Option<i64> {
        (self.facts.rows.values())
            .find(|f| !f.live())
            .map(|f| f.opened)
    }

    pub(super) fn pack_facts(&mut self, pack: Pack) -> bool {
        let stored = self.facts.blocks.get(&pack.day).map(|(v, _)| *v);
        if stored != pack.expected {
            return false;
        }
        let version = pack.expected.unwrap_or(0) + 1;
        self.facts.blocks.insert(pack.day, (version, pack.body));
        for f in pack.packed {
            let key = (f.opened, f.ticket.clone());
            if self.facts.rows.get(&key) == Some(&f) {
                self.facts.rows.remove(&key);
            }
        }
        true
    }
}
