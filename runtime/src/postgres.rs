//! PostgreSQL connections and statement execution.

use sqlx::Connection;
use sqlx::postgres::PgConnection;

pub use sqlx::Error;

pub use crate::statements::{StatementError, execute_all};

/// Opens one connection.
pub async fn connect(url: &str) -> Result<PgConnection, Error> {
    PgConnection::connect(url).await
}
