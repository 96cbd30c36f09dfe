//! PostgreSQL connections and statement execution.

use sqlx::Connection;
use sqlx::postgres::{PgConnection, PgDatabaseError};

pub use sqlx::Error;

/// Opens one connection.
pub async fn connect(url: &str) -> Result<PgConnection, Error> {
    PgConnection::connect(url).await
}

/// A statement that failed, with the database's own message and error position.
#[derive(Debug)]
pub struct StatementError {
    /// Index of the statement in the list.
    pub index: usize,
    pub message: String,
    /// The SQLSTATE code, when the database gave one.
    pub code: Option<String>,
    /// 1-based character position in the statement, when the database gave one.
    pub position: Option<usize>,
}

impl std::fmt::Display for StatementError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "statement {}: {}", self.index + 1, self.message)?;
        if let Some(p) = self.position {
            write!(f, " (at character {p})")?;
        }
        Ok(())
    }
}

impl std::error::Error for StatementError {}

fn statement_error(index: usize, e: Error) -> StatementError {
    match &e {
        Error::Database(db) => {
            let pg = db.try_downcast_ref::<PgDatabaseError>();
            StatementError {
                index,
                message: db.message().to_string(),
                code: db.code().map(|c| c.to_string()),
                position: pg.and_then(|p| match p.position() {
                    Some(sqlx::postgres::PgErrorPosition::Original(n)) => Some(n),
                    _ => None,
                }),
            }
        }
        _ => StatementError {
            index,
            message: e.to_string(),
            code: None,
            position: None,
        },
    }
}

/// Runs statements one by one, stopping at the first failure.
pub async fn execute_all(
    conn: &mut PgConnection,
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
