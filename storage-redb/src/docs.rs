//! Directory and configuration documents: JSON bodies under string keys, one table each.

use foliodesk_core::store::doc::from_json;
use foliodesk_core::Result;
use redb::{ReadableDatabase, ReadableTable, TableDefinition};
use serde::de::DeserializeOwned;

use crate::{db_err, RedbStore};

impl RedbStore {
    pub(crate) async fn get_doc<T: DeserializeOwned + Send + 'static>(
        &self,
        table: TableDefinition<'static, &'static str, &'static str>,
        what: &'static str,
        key: String,
    ) -> Result<Option<T>> {
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(db_err)?;
            let t = match txn.open_table(table) {
                Ok(t) => t,
                Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
                Err(e) => return Err(db_err(e)),
            };
            match t.get(key.as_str()).map_err(db_err)? {
                Some(g) => Ok(Some(from_json(what, g.value())?)),
                None => Ok(None),
            }
        })
        .await
    }

    pub(crate) async fn all_docs<T: DeserializeOwned + Send + 'static>(
        &self,
        table: TableDefinition<'static, &'static str, &'static str>,
        what: &'static str,
    ) -> Result<Vec<T>> {
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(db_err)?;
            let t = match txn.open_table(table) {
                Ok(t) => t,
                Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
                Err(e) => return Err(db_err(e)),
            };
            let mut out = Vec::new();
            for entry in t.iter().map_err(db_err)? {
                let (_, v) = entry.map_err(db_err)?;
                out.push(from_json(what, v.value())?);
            }
            Ok(out)
        })
        .await
    }

    pub(crate) async fn put_doc(
        &self,
        table: TableDefinition<'static, &'static str, &'static str>,
        key: String,
        body: String,
    ) -> Result<()> {
        self.blocking(move |db| {
            let txn = db.begin_write().map_err(db_err)?;
            txn.open_table(table)
                .map_err(db_err)?
                .insert(key.as_str(), body.as_str())
                .map_err(db_err)?;
            txn.commit().map_err(db_err)
        })
        .await
    }
}
