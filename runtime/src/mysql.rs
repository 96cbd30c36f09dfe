//! MySQL and MariaDB connections and statement execution.

use sqlx::Connection;
use sqlx::mysql::MySqlConnection;

pub use sqlx::Error;

pub use crate::statements::{StatementError, execute_all};

/// Opens one connection (`mysql://user[:password]@host:port[/database]`).
pub async fn connect(url: &str) -> Result<MySqlConnection, Error> {
    MySqlConnection::connect(url).await
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
