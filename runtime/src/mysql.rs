//! MySQL and MariaDB connections and statement execution.

use sqlx::Connection;
use sqlx::mysql::MySqlConnection;

pub use sqlx::Error;

/// Opens one connection (`mysql://user[:password]@host:port[/database]`).
pub async fn connect(url: &str) -> Result<MySqlConnection, Error> {
    MySqlConnection::connect(url).await
}

/// A statement that failed, with the server's message and error code.
#[derive(Debug)]
pub struct StatementError {
    /// Index of the statement in the list.
    pub index: usize,
    pub message: String,
    /// The server's error number (e.g. `1064` for a syntax error), when it gave one.
    pub code: Option<String>,
}

impl std::fmt::Display for StatementError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "statement {}: {}", self.index + 1, self.message)?;
        if let Some(c) = &self.code {
            write!(f, " (error {c})")?;
        }
        Ok(())
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

/// Runs statements one by one, stopping at the first failure. MySQL commits each DDL statement
/// by itself, so what ran before a failure stays applied.
pub async fn execute_all(
    conn: &mut MySqlConnection,
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

/// The first column of every row a query returns, as text (for checks on the catalog).
pub async fn column_texts(conn: &mut MySqlConnection, query: &str) -> Result<Vec<String>, Error> {
    use sqlx::Row;
    let rows = sqlx::raw_sql(sqlx::AssertSqlSafe(query.to_string()))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            r.try_get::<String, _>(0).or_else(|_| {
                r.try_get::<Vec<u8>, _>(0)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
            })
        })
        .collect()
}
