//! Contact records: one row per contact id, with its start time indexed for the range
//! reads of the reports.

use foliodesk_core::contact::{Contact, ContactRange};
use foliodesk_core::Result;
use sqlx::Row;

use crate::errors::storage;
use crate::rows::{from_json, to_json};
use crate::SqlStore;

impl SqlStore {
    pub(crate) async fn upsert_contact(&self, contact: Contact) -> Result<()> {
        sqlx::query(self.sql.put_contact.clone())
            .bind(contact.id.clone())
            .bind(contact.started_at.timestamp_micros())
            .bind(to_json(&contact)?)
            .execute(&self.pool)
            .await
            .map_err(|e| storage("cannot record a contact", e))?;
        Ok(())
    }

    pub(crate) async fn contacts_in(&self, range: &ContactRange) -> Result<Vec<Contact>> {
        // Without a page before it, start just before `from` with the smallest id.
        let (at, id) = match &range.after {
            Some((at, id)) => (at.timestamp_micros(), id.clone()),
            None => (range.from.timestamp_micros() - 1, String::new()),
        };
        let rows = sqlx::query(self.sql.contacts.clone())
            .bind(range.from.timestamp_micros())
            .bind(range.to.timestamp_micros())
            .bind(at)
            .bind(at)
            .bind(id)
            .bind(i64::from(range.limit))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| storage("cannot read contacts", e))?;
        rows.iter()
            .map(|r| {
                let body: String = r
                    .try_get(0)
                    .map_err(|e| storage("cannot read contacts", e))?;
                from_json("contact", &body)
            })
            .collect()
    }
}
