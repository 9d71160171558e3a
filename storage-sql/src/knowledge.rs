//! Articles and reindexing: each one write transaction on the connection appends use (the
//! writer on SQLite), the document's rows replaced in it.

use foliodesk_core::search::SearchDoc;
use foliodesk_core::store::ArticleWrite;
use foliodesk_core::Result;
use sqlx::{AnyConnection, AssertSqlSafe, Executor, Row};

use crate::errors::storage;
use crate::filter::{bind_all, Arg};
use crate::rows::to_json;
use crate::search::{pending_rows, replace, run};
use crate::session::Session;
use crate::writes::Statement;
use crate::SqlStore;

impl SqlStore {
    /// Runs `statements` in one write transaction, after checking `article`'s stored
    /// revision under lock when given.
    pub(crate) async fn in_write(
        &self,
        doing: &str,
        article: Option<&ArticleWrite>,
        statements: Vec<Statement>,
    ) -> Result<()> {
        let mut session = match &self.group {
            Some(group) => Session::writer(&group.writer).await?,
            None => Session::pooled(&self.pool).await?,
        };
        session.opening();
        let result = self
            .transact(session.conn(), doing, article, statements)
            .await;
        if result.is_err() {
            session.rollback().await;
        } else {
            session.closed();
        }
        result
    }

    /// Runs `first` in a write transaction and, if it wrote one row, `then` too; commits
    /// what it ran. Whether `first` wrote its row.
    pub(crate) async fn in_write_if(
        &self,
        doing: &str,
        first: Statement,
        then: Vec<Statement>,
    ) -> Result<bool> {
        let mut session = match &self.group {
            Some(group) => Session::writer(&group.writer).await?,
            None => Session::pooled(&self.pool).await?,
        };
        session.opening();
        let conn = session.conn();
        let mut result = (conn.execute(self.engine().begin_write()))
            .await
            .map_err(|e| storage(doing, e))
            .map(|_| false);
        if result.is_ok() {
            result = match run(self, conn, vec![first], doing).await {
                Ok(1) => run(self, conn, then, doing).await.map(|_| true),
                Ok(_) => Ok(false),
                Err(e) => Err(e),
            };
        }
        if result.is_ok() {
            result = match conn.execute("COMMIT").await {
                Ok(_) => result,
                Err(e) => Err(storage(doing, e)),
            };
        }
        if result.is_err() {
            session.rollback().await;
        } else {
            session.closed();
        }
        result
    }

    async fn transact(
        &self,
        conn: &mut AnyConnection,
        doing: &str,
        article: Option<&ArticleWrite>,
        statements: Vec<Statement>,
    ) -> Result<()> {
        (conn.execute(self.engine().begin_write()))
            .await
            .map_err(|e| storage(doing, e))?;
        if let Some(write) = article {
            let stored = revision(self, conn, &write.article.id).await?;
            if stored != write.expected {
                return Err(write.conflict(stored));
            }
        }
        run(self, conn, statements, doing).await?;
        conn.execute("COMMIT")
            .await
            .map_err(|e| storage(doing, e))?;
        Ok(())
    }

    pub(crate) async fn write_article(&self, write: ArticleWrite) -> Result<()> {
        let body = Arg::Text(to_json(&write.article)?);
        let id = Arg::Text(write.article.id.clone());
        let revision = Arg::Int(write.article.revision as i64);
        let statement: Statement = if write.expected == 0 {
            let sql = "INSERT INTO fd_articles (id, revision, body) VALUES (?, ?, ?)";
            (sql.into(), vec![id, revision, body])
        } else {
            let sql = "UPDATE fd_articles SET revision = ?, body = ? WHERE id = ?";
            (sql.into(), vec![revision, body, id])
        };
        let mut statements = vec![statement];
        statements.extend(replace(&write.index, self.buffered()));
        self.in_write("cannot write an article", Some(&write), statements)
            .await?;
        self.merge_after(pending_rows(&write.index)).await
    }

    pub(crate) async fn write_docs(&self, docs: Vec<SearchDoc>) -> Result<()> {
        let buffered = self.buffered();
        let statements = docs.iter().flat_map(|d| replace(d, buffered)).collect();
        self.in_write("cannot write the search index", None, statements)
            .await?;
        self.merge_after(docs.iter().map(pending_rows).sum()).await
    }
}

/// The stored revision of article `id`, read under lock (0 when there is none).
async fn revision(store: &SqlStore, conn: &mut AnyConnection, id: &str) -> Result<u64> {
    let sql = format!(
        "SELECT revision FROM fd_articles WHERE id = ?{}",
        store.engine().for_update()
    );
    let sql = store.engine().placeholders(&sql);
    let args = vec![Arg::Text(id.to_owned())];
    let row = (bind_all(sqlx::query(AssertSqlSafe(sql)), args).fetch_optional(&mut *conn))
        .await
        .map_err(|e| storage("cannot read an article's revision", e))?;
    let read = |r: sqlx::any::AnyRow| r.try_get::<i64, _>(0).map(|n| n as u64);
    (row.map(read).transpose())
        .map(Option::unwrap_or_default)
        .map_err(|e| storage("cannot read an article's revision", e))
}
