//! The memory store's outbox: leases, failures and dead letters under the store's lock.

use super::Inner;
use crate::notify::delivery::{pick, RowState};
use crate::notify::{Claim, DeadLetter, Failure, OutboxMessage};

impl Inner {
    pub(super) fn outbox(&self, limit: u32) -> Vec<OutboxMessage> {
        (self.outbox.values())
            .filter(|(_, s)| s.dead.is_none())
            .take(limit as usize)
            .map(|(m, _)| m.clone())
            .collect()
    }

    pub(super) fn claim_outbox(&mut self, claim: &Claim) -> Vec<OutboxMessage> {
        let rows = (self.outbox.iter()).map(|(id, (m, s))| (*id, &m.notification.ticket_id, s));
        let ids = pick(claim, rows);
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some((m, s)) = self.outbox.get_mut(&id) {
                s.lease_until = Some(claim.lease_until);
                s.token = Some(claim.token.clone());
                out.push(m.clone());
            }
        }
        out
    }

    pub(super) fn fail_outbox(&mut self, failure: &Failure) {
        for id in &failure.ids {
            if let Some((m, s)) = self.outbox.get_mut(id).filter(|(_, s)| s.dead.is_none()) {
                s.fail(failure);
                m.attempts = s.attempts;
            }
        }
    }

    pub(super) fn dead_letters(&self, limit: u32) -> Vec<DeadLetter> {
        (self.outbox.values())
            .filter_map(|(m, s)| {
                Some(DeadLetter {
                    id: m.id,
                    attempts: s.attempts,
                    reason: s.dead.clone()?,
                    notification: m.notification.clone(),
                })
            })
            .take(limit as usize)
            .collect()
    }

    pub(super) fn requeue_dead(&mut self, ids: &[u64]) -> u64 {
        let mut n = 0;
        for id in ids {
            if let Some((m, s)) = self.outbox.get_mut(id) {
                if s.dead.is_some() {
                    *s = RowState::new(&m.notification);
                    m.attempts = 0;
                    n += 1;
                }
            }
        }
        n
    }
}
