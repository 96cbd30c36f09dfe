//! SQLite connections (sqlx's bundled SQLite) and statement execution.

use std::path::Path;

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

pub use sqlx::Error;

pub use crate::statements::{StatementError, execute_all};

/// Opens (creating when missing) the database file at `path`, with foreign keys enforced as
/// drizzle's SQLite drivers do.
pub async fn connect(path: &Path) -> Result<SqliteConnection, Error> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .foreign_keys(true);
    SqliteConnection::connect_with(&options).await
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
