//! SQLite introspection on real files: every SQLite schema of the fixtures, applied with
//! `export`'s statements to a fresh file and read back, is the model `from_schema` makes of it
//! (after `snapshot::live::align`); plus the tables filter, drizzle-kit's ignored names, checks
//! that hide parentheses in strings and a database made by hand.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use schemac_compiler::eval::EvalOptions;
use schemac_compiler::project::Project;
use schemac_compiler::schema::{Casing, Dialect, Schema};
use schemac_compiler::snapshot;
use schemac_runtime::introspect::Filters;
use support::introspect_cases::line_diff;
use support::migrate::{export, model};
use support::{TempSqlite, fixtures, introspect};

/// Every SQLite schema of the fixtures, with the casing it is written for.
fn schemas() -> Vec<(PathBuf, Option<Casing>)> {
    let f = fixtures();
    let mut out: Vec<(PathBuf, Option<Casing>)> = vec![
        (f.join("corpus/sqlite1_features.ts"), None),
        (f.join("corpus/sqlite2_casing.ts"), Some(Casing::SnakeCase)),
    ];
    for step in [
        "sqlite_v1",
        "sqlite_v2",
        "sqlite_v2_norename",
        "sqlite_v2_simple",
        "sqlite_v3_rename",
    ] {
        out.push((f.join(format!("corpus/steps/{step}.ts")), None));
    }
    for v in 1..=6 {
        out.push((f.join(format!("evolve_sqlite/v{v}.ts")), None));
    }
    for d in [
        "sqlite_v1",
        "sqlite_v2",
        "sqlite_v3",
        "sqlite_alter_v1",
        "sqlite_alter_v2",
    ] {
        out.push((f.join(format!("diff/{d}.ts")), None));
    }
    out
}

fn compile(file: &Path, casing: Option<Casing>) -> Arc<Schema> {
    let mut project = Project::new(file.parent().unwrap());
    let c = project.compile_schema(
        &[file.to_path_buf()],
        Default::default(),
        EvalOptions {
            dialect: Some(Dialect::Sqlite),
            casing,
        },
    );
    assert!(!c.has_errors(), "{}: {:#?}", file.display(), c.diagnostics);
    c.schema
}

fn path(db: &TempSqlite) -> String {
    db.path.to_string_lossy().into_owned()
}

/// The file made by `file`'s export, introspected and aligned with the schema's model: `None`
/// when equal, else a readable difference.
fn round_trip(file: &Path, casing: Option<Casing>) -> Option<String> {
    let schema = compile(file, casing);
    let desired = model(&schema);
    let db = TempSqlite::new("introspect");
    db.execute(&export(&schema))
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut live = introspect(&path(&db), &Filters::default())
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    snapshot::live::align(&mut live, &desired);
    let (want, got) = (snapshot::to_json(&desired), snapshot::to_json(&live));
    (want != got).then(|| format!("{}:\n{}", file.display(), line_diff(&want, &got)))
}

#[test]
fn every_sqlite_schema_reads_back_as_its_model() {
    let failures: Vec<String> = schemas()
        .into_iter()
        .filter_map(|(f, casing)| round_trip(&f, casing))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
