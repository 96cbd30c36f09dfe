//! Stage 5: Migration IR → SQL text, one module per dialect.

pub mod mysql;
pub mod postgres;
pub mod sqlite;

use crate::migration::Operation;
use crate::schema::Dialect;

/// The SQL statements of a list of operations, with exact duplicates removed (keeping the first),
/// as drizzle-kit does.
pub fn statements(dialect: Dialect, ops: &[Operation<'_>]) -> Vec<String> {
    // Statements are compared by hash first; only equal hashes compare the text.
    let mut seen: rustc_hash::FxHashMap<u64, Vec<usize>> = Default::default();
    let mut out: Vec<String> = Vec::new();
    for op in ops {
        let sql = match dialect {
            Dialect::Postgresql => postgres::operation(op),
            Dialect::Mysql => mysql::operation(op),
            Dialect::Sqlite => sqlite::operation(op),
        };
        for s in sql {
            let hash = {
                use std::hash::{BuildHasher, BuildHasherDefault};
                BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(&s)
            };
            let same = seen.entry(hash).or_default();
            if !same.iter().any(|&i| out[i] == s) {
                same.push(out.len());
                out.push(s);
            }
        }
    }
    out
}

/// ` GENERATED ALWAYS AS (expr) STORED|VIRTUAL`, as MySQL and SQLite column definitions write it.
pub(crate) fn generated_clause(g: &crate::schema::Generated) -> String {
    format!(
        " GENERATED ALWAYS AS ({}) {}",
        g.expression,
        if g.stored { "STORED" } else { "VIRTUAL" }
    )
}

/// The text `schemac export` prints: every statement, one after the other.
pub fn export_text(statements: &[String]) -> String {
    statements.join("\n")
}
