//! postgres introspection (not written yet).

use schemac_compiler::snapshot::PgSnapshot;
use sqlx::postgres::PgConnection;

use super::{Error, Filters};

pub async fn introspect(_conn: &mut PgConnection, _filters: &Filters) -> Result<PgSnapshot, Error> {
    Err(Error {
        reading: "the catalog",
        message: "introspection of postgres is not written yet".into(),
    })
}
