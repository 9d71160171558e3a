//! Writes beside the appends: rescheduling a ticket without events, the desk's bookkeeping
//! values, and the desk-anchor checkpoints.

use foliodesk_core::store::Reschedule;
use foliodesk_core::{Error, Result};
use sqlx::Row;

use crate::errors::storage;
use crate::filter::Arg;
use crate::rows::to_json;
use crate::writes::Statement;
use crate::SqlStore;

impl SqlStore {
    pub(crate) async fn config_body(&self) -> Result<Option<String>> {
        let row = sqlx::query(self.sql.load_config.clone())
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| storage("cannot read the configuration", e))?;
        row.map(|r| r.try_get::<String, _>(0))
            .transpose()
            .map_err(|e| storage("cannot read the configuration", e))
    }

    pub(crate) async fn reschedule_row(&self, req: Reschedule) -> Result<bool> {
        let t = &req.ticket;
        let update: Statement = (
            "UPDATE fd_tickets SET due_micros = ?, sla_due_micros = ?, body = ? \
             WHERE id = ? AND version = ?"
                .into(),
            vec![
                Arg::OptInt(req.due_at.map(|d| d.timestamp_micros())),
                Arg::OptInt(t.sla_due.map(|d| d.timestamp_micros())),
                Arg::Text(to_json(t)?),
                Arg::Text(t.id.to_string()),
                Arg::Int(t.version as i64),
            ],
        );
        let fact = match &req.fact {
            Some(f) => vec![(self.sql.put_fact.clone(), crate::facts::args(f)?)],
            None => Vec::new(),
        };
        self.in_write_if("cannot reschedule a ticket", update, fact)
            .await
    }

    pub(crate) async fn meta_value(&self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query(self.sql.meta.clone())
            .bind(key.to_owned())
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| storage("cannot read the desk's bookkeeping", e))?;
        row.map(|r| r.try_get::<String, _>(0))
            .transpose()
            .map_err(|e| storage("cannot read the desk's bookkeeping", e))
    }

    pub(crate) async fn put_meta_value(&self, key: &str, value: Option<String>) -> Result<()> {
        let q = match value {
            Some(v) => sqlx::query(self.sql.put_meta.clone())
                .bind(key.to_owned())
                .bind(v),
            None => sqlx::query(self.sql.delete_meta.clone()).bind(key.to_owned()),
        };
        q.execute(&self.pool)
            .await
            .map_err(|e| storage("cannot write the desk's bookkeeping", e))?;
        Ok(())
    }

    pub(crate) async fn insert_blob(&self, bytes: Vec<u8>) -> Result<String> {
        let key = foliodesk_core::attachment::sha256_hex(&bytes);
        sqlx::query(self.sql.put_blob.clone())
            .bind(key.clone())
            .bind(bytes)
            .execute(&self.pool)
            .await
            .map_err(|e| storage("cannot store an attachment", e))?;
        Ok(key)
    }

    pub(crate) async fn blob_bytes(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        let row = sqlx::query(self.sql.blob.clone())
            .bind(sha256.to_owned())
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| storage("cannot read an attachment", e))?;
        row.map(|r| r.try_get::<Vec<u8>, _>(0))
            .transpose()
            .map_err(|e| storage("cannot read an attachment", e))
    }

    pub(crate) async fn insert_checkpoint(&self, seq: u64, body: String) -> Result<()> {
        let done = sqlx::query(self.sql.insert_checkpoint.clone())
            .bind(seq as i64)
            .bind(body)
            .execute(&self.pool)
            .await;
        match done {
            Ok(_) => Ok(()),
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                Err(checkpoint_taken(seq))
            }
            Err(e) => Err(storage("cannot write a checkpoint", e)),
        }
    }

    pub(crate) async fn checkpoint_bodies(&self, after: u64) -> Result<Vec<String>> {
        let rows = sqlx::query(self.sql.checkpoints.clone())
            .bind(after as i64)
            .fetch_all(&self.pool)
            .await
            .map_err(|e| storage("cannot read the checkpoints", e))?;
        rows.iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| storage("cannot read the checkpoints", e))
    }
}

/// Another desk wrote checkpoint `seq` first.
fn checkpoint_taken(seq: u64) -> Error {
    Error::Conflict {
        ticket: "<desk anchor>".into(),
        expected: seq - 1,
        actual: seq,
    }
}
