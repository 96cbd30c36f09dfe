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
    compile_with_casing(file, dialect, None)
}

/// [`compile`] with a `casing` for column names.
pub fn compile_with_casing(
    file: &Path,
    dialect: Dialect,
    casing: Option<schemac_compiler::schema::Casing>,
) -> Arc<Schema> {
    let mut project = Project::new(file.parent().unwrap());
    let c = project.compile_schema(
        &[file.to_path_buf()],
        Default::default(),
        EvalOptions {
            dialect: Some(dialect),
            casing,
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
    let decided = rename::resolve(&old, &cur, &mut |q| match renames
        .iter()
        .find(|(added, _)| *added == q.added)
    {
        Some((_, removed)) => rename::Answer::Rename(removed.to_string()),
        None => rename::Answer::Create,
    });
    let ops = migration::diff(&old, v2, &cur, &decided).expect("a supported diff");
    let ops = migration::for_dialect(ops, &old, &cur, &decided, v2);
    codegen::statements(v2.dialect, &ops)
}

/// drizzle-kit's second migration (`dk.sh gen` of `v1`, then `regen` of `v2`), its statements
/// trimmed; `None` without the oracle.
pub fn drizzle_kit_migration(dialect: &str, v1: &Path, v2: &Path) -> Option<Vec<String>> {
    let dk = super::oracle()?;
    let out = std::env::temp_dir().join(format!(
        "schemac-dk-{}-{}",
        std::process::id(),
        v2.file_stem().unwrap().to_string_lossy()
    ));
    let _ = std::fs::remove_dir_all(&out);
    for (mode, schema) in [("gen", v1), ("regen", v2)] {
        let o = std::process::Command::new("bash")
            .arg(dk.join("dk.sh"))
            .args([mode, dialect])
            .arg(schema)
            .arg(&out)
            .output()
            .expect("dk.sh runs");
        // drizzle-kit's own migration may fail to apply (that is what some tests show); only
        // its generate matters here.
        let _ = o;
    }
    // dk.sh applies the migrations to a database of its own: dropped here.
    if let Ok(url) = std::fs::read_to_string(out.join("db.txt"))
        && let Some((base, name)) = url.trim().rsplit_once('/')
        && url.starts_with("mysql://")
    {
        let admin = super::TempDb {
            name: name.to_string(),
            url: base.to_string(),
            roles: Vec::new(),
            mysql: true,
        };
        drop(admin);
    }
    let file = std::fs::read_dir(out.join("project/drizzle"))
        .expect("drizzle-kit's migrations folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("0001"))
        .unwrap_or_else(|| panic!("drizzle-kit wrote no second migration in {}", out.display()));
    let text = std::fs::read_to_string(file).unwrap();
    let _ = std::fs::remove_dir_all(&out);
    Some(
        text.split("--> statement-breakpoint")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

/// Statements trimmed and sorted, to compare two migrations as sets of statements.
pub fn sorted(statements: &[String]) -> Vec<String> {
    let mut v: Vec<String> = statements.iter().map(|s| s.trim().to_string()).collect();
    v.sort();
    v
}
