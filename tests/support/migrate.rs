//! Migrations through the compiler library, for the MySQL and SQLite diff tests: compile two
//! schema versions, diff them (with the renames a test decides), and print the statements.

use std::path::Path;
use std::sync::Arc;

use schemac_compiler::codegen;
use schemac_compiler::eval::EvalOptions;
use schemac_compiler::migration::{self, rename};
use schemac_compiler::project::Project;
use schemac_compiler::schema::{Dialect, Schema};
use schemac_compiler::snapshot::{self, PgSnapshot};

/// The Schema IR of one schema file; panics with the diagnostics when it has errors.
pub fn compile(file: &Path, dialect: Dialect) -> Arc<Schema> {
    let mut project = Project::new(file.parent().unwrap());
    let c = project.compile_schema(
        &[file.to_path_buf()],
        Default::default(),
        EvalOptions {
            dialect: Some(dialect),
            casing: None,
        },
    );
    assert!(!c.has_errors(), "{}: {:#?}", file.display(), c.diagnostics);
    c.schema
}

/// The model of a schema, with the fields MySQL's and SQLite's snapshots hold beside
/// PostgreSQL's (autoincrement, on update).
pub fn model(schema: &Schema) -> PgSnapshot {
    let mut s = snapshot::from_schema(schema, "", "");
    for t in &schema.tables {
        let Some(st) = s.tables.values_mut().find(|x| x.name == t.name) else {
            continue;
        };
        for c in &t.columns {
            if let Some(sc) = st.columns.get_mut(&c.name) {
                sc.autoincrement.get_or_insert(c.auto_increment);
                if schema.dialect == Dialect::Mysql && c.on_update_now {
                    sc.on_update.get_or_insert(true);
                }
            }
        }
    }
    s
}

/// The statements `export` writes for a schema.
pub fn export(schema: &Schema) -> Vec<String> {
    codegen::statements(schema.dialect, &migration::plan_create(schema))
}

/// The statements of the migration from `v1` to `v2`; `renames` answers the rename questions:
/// `(added, removed)` keys as the questions name them (`public.t` for tables, the column name
/// for columns).
pub fn migrate(v1: &Schema, v2: &Schema, renames: &[(&str, &str)]) -> Vec<String> {
    let old = model(v1);
    let cur = model(v2);
    let decided = rename::resolve(&old, &cur, &mut |q| {
        match renames.iter().find(|(added, _)| *added == q.added) {
            Some((_, removed)) => rename::Answer::Rename(removed.to_string()),
            None => rename::Answer::Create,
        }
    });
    let ops = migration::diff(&old, v2, &cur, &decided).expect("a supported diff");
    let ops = migration::for_dialect(v2.dialect, ops, &old, &decided, v2);
    codegen::statements(v2.dialect, &ops)
}
