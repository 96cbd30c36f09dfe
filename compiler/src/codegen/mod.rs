//! Stage 5: Migration IR → SQL text, one module per dialect.

pub mod postgres;

use crate::migration::Operation;
use crate::schema::Dialect;

/// The SQL statements of a list of operations, with exact duplicates removed (keeping the first),
/// as drizzle-kit does.
pub fn statements(dialect: Dialect, ops: &[Operation]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for op in ops {
        let sql = match dialect {
            Dialect::Postgresql => postgres::operation(op),
            // The other dialects arrive with their own codegen modules.
            Dialect::Mysql | Dialect::Sqlite => Vec::new(),
        };
        for s in sql {
            if seen.insert(s.clone()) {
                out.push(s);
            }
        }
    }
    out
}

/// The text `schemac export` prints: every statement, one after the other.
pub fn export_text(statements: &[String]) -> String {
    statements.join("\n")
}
