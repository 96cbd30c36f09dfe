//! sqlite introspection (not written yet).

use schemac_compiler::snapshot::PgSnapshot;
use sqlx::sqlite::SqliteConnection;

use super::{Error, Filters};

pub async fn introspect(
    _conn: &mut SqliteConnection,
    _filters: &Filters,
) -> Result<PgSnapshot, Error> {
    Err(Error {
        reading: "the catalog",
        message: "introspection of sqlite is not written yet".into(),
    })
}
