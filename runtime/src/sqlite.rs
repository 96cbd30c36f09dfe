//! SQLite connections (sqlx's bundled SQLite) and statement execution.

use std::path::Path;

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

pub use sqlx::Error;

/// Opens (creating when missing) the database file at `path`, with foreign keys enforced as
/// drizzle's SQLite drivers do.
pub async fn connect(path: &Path) -> Result<SqliteConnection, Error> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .foreign_keys(true);
    SqliteConnection::connect_with(&options).await
}

/// A statement that failed, with SQLite's message.
#[derive(Debug)]
pub struct StatementError {
    /// Index of the statement in the list.
    pub index: usize,
    pub message: String,
    /// SQLite's extended result code, when it gave one.
    pub code: Option<String>,
}

impl std::fmt::Display for StatementError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "statement {}: {}", self.index + 1, self.message)
    }
}

impl std::error::Error for StatementError {}

fn statement_error(index: usize, e: Error) -> StatementError {
    match &e {
        Error::Database(db) => StatementError {
            index,
            message: db.message().to_string(),
            code: db.code().map(|c| c.to_string()),
        },
        _ => StatementError {
            index,
            message: e.to_string(),
            code: None,
        },
    }
}

/// Runs statements one by one, stopping at the first failure.
pub async fn execute_all(
    conn: &mut SqliteConnection,
    statements: &[String],
) -> Result<(), StatementError> {
    for (i, s) in statements.iter().enumerate() {
        sqlx::raw_sql(sqlx::AssertSqlSafe(s.clone()))
            .execute(&mut *conn)
            .await
            .map_err(|e| statement_error(i, e))?;
    }
    Ok(())
}

/// The objects of the database (`sqlite_master`, SQLite's own objects left out) as
/// `(type, name, table)`, sorted.
pub async fn objects(conn: &mut SqliteConnection) -> Result<Vec<(String, String, String)>, Error> {
    sqlx::query_as(
        "SELECT type, name, tbl_name FROM sqlite_master \
         WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )
    .fetch_all(&mut *conn)
    .await
}
