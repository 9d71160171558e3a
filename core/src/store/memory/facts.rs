//! The memory store's report facts, kept by (opened, ticket) like the durable backends'.

use super::Inner;
use crate::report::{Fact, FactQuery};
use crate::TicketId;

impl Inner {
    pub(super) fn put_fact(&mut self, fact: Fact) {
        self.facts.insert((fact.opened, fact.ticket.clone()), fact);
    }

    pub(super) fn facts(&self, q: &FactQuery) -> Vec<Fact> {
        let from = q.opened_from.unwrap_or(i64::MIN);
        let start = match &q.after {
            Some((at, id)) if *at >= from => (*at, id.clone()),
            _ => (from, TicketId::new("")),
        };
        (self.facts.range(start..).map(|(_, f)| f))
            .take_while(|f| q.opened_to.is_none_or(|to| f.opened < to))
            .filter(|f| q.matches(f))
            .take(q.limit as usize)
            .cloned()
            .collect()
    }
}
