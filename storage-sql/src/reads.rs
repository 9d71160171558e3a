//! Reads that are more than one row by key: a page of a query, the due index; and JSON
//! bodies by key.

use chrono::{DateTime, Utc};
use foliodesk_core::query::{Page, QueryTickets};
use foliodesk_core::store::DueTicket;
use foliodesk_core::{Result, Ticket, TicketId};
use serde::de::DeserializeOwned;
use sqlx::{AssertSqlSafe, Row, SqlStr};

use crate::errors::storage;
use crate::rows::{from_json, to_utc};
use crate::{filter, SqlStore};

impl SqlStore {
    pub(crate) async fn bodies<T: DeserializeOwned>(
        &self,
        what: &str,
        sql: SqlStr,
        key: Option<String>,
    ) -> Result<Vec<T>> {
        let mut q = sqlx::query(sql);
        if let Some(key) = key {
            q = q.bind(key);
        }
        let rows = q
            .fetch_all(&self.pool)
            .await
            .map_err(|e| storage(&format!("cannot read {what}"), e))?;
        rows.iter()
            .map(|r| {
                let text: String = r
                    .try_get(0)
                    .map_err(|e| storage(&format!("cannot read {what}"), e))?;
                from_json(what, &text)
            })
            .collect()
    }

    pub(crate) async fn body<T: DeserializeOwned>(
        &self,
        what: &str,
        sql: SqlStr,
        key: String,
    ) -> Result<Option<T>> {
        Ok(self.bodies(what, sql, Some(key)).await?.into_iter().next())
    }

    pub(crate) async fn query_rows(&self, q: QueryTickets) -> Result<Page<Ticket>> {
        q.validate()?;
        let (sql, args) = filter::select(&q);
        let query = filter::bind_all(sqlx::query(AssertSqlSafe(self.dialect.sql(&sql))), args);
        let rows = query
            .fetch_all(&self.pool)
            .await
            .map_err(|e| storage("cannot query tickets", e))?;
        let items = rows
            .iter()
            .map(|r| {
                let text: String = r
                    .try_get(0)
                    .map_err(|e| storage("cannot read a ticket", e))?;
                from_json::<Ticket>("ticket", &text)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, q.limit))
    }

    pub(crate) async fn due_rows(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<DueTicket>> {
        let rows = sqlx::query(self.sql.due.clone())
            .bind(now.timestamp_micros())
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| storage("cannot read the due index", e))?;
        rows.iter()
            .map(|r| {
                let read = |e| storage("cannot read the due index", e);
                Ok(DueTicket {
                    ticket_id: TicketId::new(r.try_get::<String, _>(0).map_err(read)?),
                    due_at: to_utc(r.try_get::<i64, _>(1).map_err(read)?)?,
                })
            })
            .collect()
    }
}
