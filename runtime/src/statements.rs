//! Running a list of statements on any dialect's connection, stopping at the first failure,
//! with the database's own message, code and (PostgreSQL) error position.

use sqlx::postgres::PgDatabaseError;

pub use sqlx::Error;

/// A statement that failed.
#[derive(Debug)]
pub struct StatementError {
    /// Index of the statement in the list.
    pub index: usize,
    pub message: String,
    /// The database's error code, when it gave one: PostgreSQL's SQLSTATE, MySQL's error number
    /// (`1064`), SQLite's extended result code.
    pub code: Option<String>,
    /// 1-based character position in the statement (PostgreSQL), when the database gave one.
    pub position: Option<usize>,
}

impl std::fmt::Display for StatementError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "statement {}: {}", self.index + 1, self.message)?;
        match (self.position, &self.code) {
            (Some(p), _) => write!(f, " (at character {p})"),
            (None, Some(c)) => write!(f, " (error {c})"),
            (None, None) => Ok(()),
        }
    }
}

impl std::error::Error for StatementError {}

pub(crate) fn statement_error(index: usize, e: Error) -> StatementError {
    match &e {
        Error::Database(db) => StatementError {
            index,
            message: db.message().to_string(),
            // MySQL's own error number says more than its SQLSTATE (`1146` vs `42S02`).
            code: match db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
                Some(my) => Some(my.number().to_string()),
                None => db.code().map(|c| c.to_string()),
            },
            position: db
                .try_downcast_ref::<PgDatabaseError>()
                .and_then(|p| match p.position() {
                    Some(sqlx::postgres::PgErrorPosition::Original(n)) => Some(n),
                    _ => None,
                }),
        },
        _ => StatementError {
            index,
            message: e.to_string(),
            code: None,
            position: None,
        },
    }
}

/// Runs statements one by one on `conn` (a PostgreSQL, MySQL or SQLite connection), stopping at
/// the first failure. MySQL commits each DDL statement by itself, so what ran before a failure
/// stays applied there.
pub async fn execute_all<C>(conn: &mut C, statements: &[String]) -> Result<(), StatementError>
where
    for<'c> &'c mut C: sqlx::Executor<'c>,
{
    for (i, s) in statements.iter().enumerate() {
        execute_one(conn, s, i).await?;
    }
    Ok(())
}

/// Runs one statement; a failure is reported as statement `index`.
pub async fn execute_one<C>(
    conn: &mut C,
    statement: &str,
    index: usize,
) -> Result<(), StatementError>
where
    for<'c> &'c mut C: sqlx::Executor<'c>,
{
    sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_string()))
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(|e| statement_error(index, e))
}
