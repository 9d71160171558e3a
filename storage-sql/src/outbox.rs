//! The outbox as a work queue in SQL: the same rules as
//! [`foliodesk_core::notify::delivery::pick`], said as statements.
//!
//! A claim is two steps without a transaction: pick the ready tickets, then lease their
//! claimable rows with one guarded UPDATE that marks them with the claim's token. The
//! UPDATE's own row locks make each row go to one claim; a worker that loses a race gets
//! fewer rows, never a shared one. The claim then reads back what carries its token.

use foliodesk_core::notify::{Claim, DeadLetter, Failure, OutboxMessage};
use foliodesk_core::Result;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use crate::errors::storage;
use crate::rows::from_json;
use crate::statements::marks;
use crate::SqlStore;

const FREE: &str = "dead_reason IS NULL AND (lease_until_us IS NULL OR lease_until_us <= ?)";

impl SqlStore {
    fn query(
        &self,
        portable: &str,
    ) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
        sqlx::query(AssertSqlSafe(self.dialect.sql(portable)))
    }

    pub(crate) async fn pending(&self, limit: u32) -> Result<Vec<OutboxMessage>> {
        let rows = self
            .query(
                "SELECT id, body, attempts FROM fd_outbox WHERE dead_reason IS NULL \
                 ORDER BY id LIMIT ?",
            )
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| storage("cannot read the outbox", e))?;
        rows.iter().map(message).collect()
    }

    pub(crate) async fn ack(&self, ids: &[u64]) -> Result<()> {
        for chunk in ids.chunks(500) {
            let sql = format!("DELETE FROM fd_outbox WHERE id IN ({})", marks(chunk.len()));
            let mut q = self.query(&sql);
            for id in chunk {
                q = q.bind(*id as i64);
            }
            q.execute(&self.pool)
                .await
                .map_err(|e| storage("cannot acknowledge notifications", e))?;
        }
        Ok(())
    }

    pub(crate) async fn claim(&self, claim: &Claim) -> Result<Vec<OutboxMessage>> {
        let now = claim.now.timestamp_micros();
        let failed = |e| storage("cannot claim notifications", e);
        let ready: Vec<String> = self
            .query(&format!(
                "SELECT ticket_id FROM fd_outbox WHERE {FREE} AND available_us <= ? \
                 GROUP BY ticket_id ORDER BY MIN(id) LIMIT ?"
            ))
            .bind(now)
            .bind(now)
            .bind(i64::from(claim.tickets))
            .fetch_all(&self.pool)
            .await
            .map_err(failed)?
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<std::result::Result<_, _>>()
            .map_err(failed)?;
        if ready.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "UPDATE fd_outbox SET lease_token = ?, lease_until_us = ? \
             WHERE ticket_id IN ({}) AND {FREE} AND (available_us <= ? OR attempts = 0)",
            marks(ready.len())
        );
        let mut q = self
            .query(&sql)
            .bind(claim.token.clone())
            .bind(claim.lease_until.timestamp_micros());
        for t in ready {
            q = q.bind(t);
        }
        q.bind(now)
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(failed)?;
        let rows = self
            .query(
                "SELECT id, body, attempts FROM fd_outbox WHERE lease_token = ? \
                 AND dead_reason IS NULL ORDER BY id",
            )
            .bind(claim.token.clone())
            .fetch_all(&self.pool)
            .await
            .map_err(failed)?;
        rows.iter().map(message).collect()
    }

    pub(crate) async fn fail(&self, failure: &Failure) -> Result<()> {
        for chunk in failure.ids.chunks(500) {
            let common = "attempts = attempts + 1, lease_token = NULL, lease_until_us = NULL";
            let sql = match failure.retry_at {
                Some(_) => format!("UPDATE fd_outbox SET {common}, available_us = ? WHERE id IN"),
                None => format!("UPDATE fd_outbox SET {common}, dead_reason = ? WHERE id IN"),
            };
            let sql = format!("{sql} ({}) AND dead_reason IS NULL", marks(chunk.len()));
            let mut q = match failure.retry_at {
                Some(at) => self.query(&sql).bind(at.timestamp_micros()),
                None => self.query(&sql).bind(failure.reason.clone()),
            };
            for id in chunk {
                q = q.bind(*id as i64);
            }
            q.execute(&self.pool)
                .await
                .map_err(|e| storage("cannot record a failed delivery", e))?;
        }
        Ok(())
    }

    pub(crate) async fn dead(&self, limit: u32) -> Result<Vec<DeadLetter>> {
        let rows = self
            .query(
                "SELECT id, body, attempts, dead_reason FROM fd_outbox \
                 WHERE dead_reason IS NOT NULL ORDER BY id LIMIT ?",
            )
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| storage("cannot read the dead letters", e))?;
        rows.iter()
            .map(|r| {
                let m = message(r)?;
                let reason: String = r
                    .try_get(3)
                    .map_err(|e| storage("cannot read the dead letters", e))?;
                Ok(DeadLetter {
                    id: m.id,
                    attempts: m.attempts,
                    reason,
                    notification: m.notification,
                })
            })
            .collect()
    }

    pub(crate) async fn requeue(&self, ids: &[u64]) -> Result<u64> {
        let mut n = 0;
        for chunk in ids.chunks(500) {
            let sql = format!(
                "UPDATE fd_outbox SET attempts = 0, dead_reason = NULL, lease_token = NULL, \
                 lease_until_us = NULL, available_us = 0 \
                 WHERE id IN ({}) AND dead_reason IS NOT NULL",
                marks(chunk.len())
            );
            let mut q = self.query(&sql);
            for id in chunk {
                q = q.bind(*id as i64);
            }
            n += q
                .execute(&self.pool)
                .await
                .map_err(|e| storage("cannot requeue dead letters", e))?
                .rows_affected();
        }
        Ok(n)
    }
}

fn message(r: &AnyRow) -> Result<OutboxMessage> {
    let read = |e| storage("cannot read the outbox", e);
    let id: i64 = r.try_get(0).map_err(read)?;
    let body: String = r.try_get(1).map_err(read)?;
    let attempts: i64 = r.try_get(2).map_err(read)?;
    Ok(OutboxMessage {
        id: id as u64,
        attempts: attempts as u32,
        notification: from_json("notification", &body)?,
    })
}
