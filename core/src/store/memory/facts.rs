//! The memory store's report facts, kept by (opened, ticket) like the durable backends'.

use super::Inner;
use crate::report::{Fact, FactQuery};

impl Inner {
    pub(super) fn put_fact(&mut self, fact: Fact) {
        self.facts.insert((fact.opened, fact.ticket.clone()), fact);
    }

    pub(super) fn facts(&self, q: &FactQuery) -> Vec<Fact> {
        (self.facts.values())
            .filter(|f| q.matches(f))
            .take(q.limit as usize)
            .cloned()
            .collect()
    }
}
