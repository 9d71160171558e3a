//! Embedded, versioned schema migrations, one set per dialect.
//!
//! `fd_schema` records which application owns the `fd_` tables and the schema version. On
//! open the store applies the missing migrations in order, refuses a database written by a
//! newer Foliodesk, and refuses `fd_` tables it did not create. Processes opening one
//! database at once are serialised (an advisory lock on PostgreSQL and MySQL, the write lock
//! on SQLite).

use foliodesk_core::{Error, Result};
use sqlx::AnyConnection;
use sqlx::{AnyPool, AssertSqlSafe, Connection, Executor, Row};

use crate::dialect::Dialect;
use crate::errors::storage;

/// The schema version this build writes (each engine has this many migrations).
pub const SCHEMA_VERSION: i64 = 13;

const APP: &str = "foliodesk";

/// Brings the database to [`SCHEMA_VERSION`].
pub(crate) async fn migrate(pool: &AnyPool, d: Dialect) -> Result<()> {
    let mut conn = pool
        .acquire()
        .await
        .map_err(|e| storage("cannot connect to migrate the schema", e))?;
    let engine = d.engine();
    if let Some((lock, _)) = engine.migration_lock() {
        conn.execute(lock)
            .await
            .map_err(|e| storage("cannot take the migration lock", e))?;
    }
    let result = if engine.migrates_in_one_transaction() {
        one_transaction(&mut conn, d).await
    } else {
        run(&mut conn, d).await
    };
    if let Some((_, unlock)) = engine.migration_lock() {
        // A connection that loses its session also loses the lock; nothing to recover.
        let _ = conn.execute(unlock).await;
    }
    result
}

async fn one_transaction(conn: &mut AnyConnection, d: Dialect) -> Result<()> {
    let mut tx = conn
        .begin_with(d.engine().begin_write())
        .await
        .map_err(|e| storage("cannot lock the database to migrate", e))?;
    run(&mut tx, d).await?;
    tx.commit()
        .await
        .map_err(|e| storage("cannot commit the schema migration", e))
}

async fn run(conn: &mut AnyConnection, d: Dialect) -> Result<()> {
    let current = current_version(conn, d).await?;
    if current > SCHEMA_VERSION {
        return Err(Error::storage_msg(format!(
            "the database has Foliodesk schema version {current}, newer than this build's \
             {SCHEMA_VERSION}; upgrade Foliodesk to open it"
        )));
    }
    for (index, script) in d.engine().migrations().iter().enumerate() {
        let version = index as i64 + 1;
        if version <= current {
            continue;
        }
        for statement in statements(script) {
            conn.execute(AssertSqlSafe(statement)).await.map_err(|e| {
                let what = d.engine().migration_hint(version);
                storage(&format!("schema migration {version} failed{what}"), e)
            })?;
        }
        conn.execute(
            sqlx::query(AssertSqlSafe(
                d.sql("UPDATE fd_schema SET version = ? WHERE id = 1"),
            ))
            .bind(version),
        )
        .await
        .map_err(|e| storage("cannot record the schema version", e))?;
    }
    Ok(())
}

/// The recorded version (0 for an empty database), or an error for tables that belong to
/// something else.
async fn current_version(conn: &mut AnyConnection, d: Dialect) -> Result<i64> {
    let tables: Vec<String> = sqlx::query(d.engine().list_tables())
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| storage("cannot list the database's tables", e))?
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| storage("cannot read the table list", e))?;
    if !tables.iter().any(|t| t == "fd_schema") {
        if !tables.is_empty() {
            return Err(foreign(&tables.join(", ")));
        }
        conn.execute(
            "CREATE TABLE fd_schema (id BIGINT NOT NULL PRIMARY KEY, \
             app VARCHAR(32) NOT NULL, version BIGINT NOT NULL)",
        )
        .await
        .map_err(|e| storage("cannot create fd_schema", e))?;
        conn.execute(
            sqlx::query(AssertSqlSafe(
                d.sql("INSERT INTO fd_schema (id, app, version) VALUES (1, ?, 0)"),
            ))
            .bind(APP),
        )
        .await
        .map_err(|e| storage("cannot initialise fd_schema", e))?;
        return Ok(0);
    }
    let row = sqlx::query("SELECT app, version FROM fd_schema WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await
        .map_err(|_| foreign("fd_schema (with other columns)"))?;
    match row {
        Some(row) => {
            let app: String = row.try_get(0).map_err(|_| foreign("fd_schema"))?;
            let version: i64 = row.try_get(1).map_err(|_| foreign("fd_schema"))?;
            if app == APP {
                Ok(version)
            } else {
                Err(foreign(&format!("fd_schema (owned by `{app}`)")))
            }
        }
        None => Err(foreign("fd_schema (empty)")),
    }
}

fn foreign(what: &str) -> Error {
    Error::storage_msg(format!(
        "the database holds tables Foliodesk did not create: {what}; open an empty database \
         (or another schema) for Foliodesk"
    ))
}

/// The statements of a migration script: comments dropped, split at `;`. As in the `mysql`
/// client, a line `DELIMITER //` makes `//` the terminator until `DELIMITER ;`, so a stored
/// procedure's body keeps its own `;`.
fn statements(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut delimiter = ";".to_owned();
    let mut current = String::new();
    for line in script.lines() {
        let code = line.split_once("--").map_or(line, |(code, _)| code);
        if let Some(d) = code.trim().strip_prefix("DELIMITER ") {
            delimiter = d.trim().to_owned();
            continue;
        }
        current.push_str(code);
        current.push('\n');
        while let Some((statement, rest)) = current.split_once(delimiter.as_str()) {
            out.push(statement.trim().to_owned());
            current = rest.to_owned();
        }
    }
    out.push(current.trim().to_owned());
    out.retain(|s| !s.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dialect_has_every_version() {
        for d in [Dialect::Sqlite, Dialect::Postgres, Dialect::MySql] {
            assert_eq!(
                d.engine().migrations().len() as i64,
                SCHEMA_VERSION,
                "{d:?}"
            );
        }
    }

    #[test]
    fn scripts_split_into_statements() {
        let s = statements("-- a; b\nCREATE TABLE x (a INT); -- c;\nCREATE INDEX i ON x (a);\n");
        assert_eq!(s, vec!["CREATE TABLE x (a INT)", "CREATE INDEX i ON x (a)"]);
        let s = statements(
            "DROP TABLE y;\nDELIMITER //\nCREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND //\n\
             DELIMITER ;\nCREATE TABLE z (a INT);",
        );
        assert_eq!(
            s,
            vec![
                "DROP TABLE y",
                "CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND",
                "CREATE TABLE z (a INT)"
            ]
        );
        for d in [Dialect::Sqlite, Dialect::Postgres, Dialect::MySql] {
            let all = statements(d.engine().migrations()[0]);
            assert!(
                all.iter().all(|s| s.starts_with("CREATE")),
                "{d:?}: {all:?}"
            );
        }
    }
}
