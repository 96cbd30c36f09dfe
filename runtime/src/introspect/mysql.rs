//! mysql introspection (not written yet).

use schemac_compiler::snapshot::PgSnapshot;
use sqlx::mysql::MySqlConnection;

use super::{Error, Filters};

pub async fn introspect(
    _conn: &mut MySqlConnection,
    _filters: &Filters,
) -> Result<PgSnapshot, Error> {
    Err(Error {
        reading: "the catalog",
        message: "introspection of mysql is not written yet".into(),
    })
}
