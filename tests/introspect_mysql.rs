//! MySQL introspection on a real MariaDB: every MySQL schema of the fixtures, applied with
//! `export`'s statements to a fresh database and read back, is the model `from_schema` makes of
//! it (after `snapshot::live::align`); plus the tables filter and a database made by hand.

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
use support::{TempDb, fixtures, introspect};

/// Every MySQL schema of the fixtures, with the casing it is written for.
fn schemas() -> Vec<(PathBuf, Option<Casing>)> {
    let f = fixtures();
    let mut out: Vec<(PathBuf, Option<Casing>)> = [
        "corpus/mysql1_features.ts",
        "corpus/mysql2_types.ts",
        "corpus/steps/mysql_v1.ts",
        "corpus/steps/mysql_v2.ts",
        "corpus/steps/mysql_v2_norename.ts",
        "mysql/builders.ts",
        "mysql/fixes.ts",
    ]
    .iter()
    .map(|p| (f.join(p), None))
    .collect();
    out.push((f.join("mysql/casing.ts"), Some(Casing::SnakeCase)));
    for v in 1..=6 {
        out.push((f.join(format!("evolve_mysql/v{v}.ts")), None));
    }
    for v in 1..=4 {
        out.push((f.join(format!("diff/mysql_v{v}.ts")), None));
    }
    out
}

/// The Schema IR of a schema file compiled with `casing`; panics with the diagnostics when it
/// has errors.
fn compile(file: &Path, casing: Option<Casing>) -> Arc<Schema> {
    let mut project = Project::new(file.parent().unwrap());
    let c = project.compile_schema(
        &[file.to_path_buf()],
        Default::default(),
        EvalOptions {
            dialect: Some(Dialect::Mysql),
            casing,
        },
    );
    assert!(!c.has_errors(), "{}: {:#?}", file.display(), c.diagnostics);
    c.schema
}

/// The database of `file`'s export, introspected and aligned with the schema's model: `None`
/// when equal, else a readable difference.
fn round_trip(file: &Path, casing: Option<Casing>) -> Option<String> {
    let schema = compile(file, casing);
    let desired = model(&schema);
    let db = TempDb::mysql("introspect");
    db.execute(&export(&schema))
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut live = introspect(&db.url, &Filters::default())
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    snapshot::live::align(&mut live, &desired);
    let (want, got) = (snapshot::to_json(&desired), snapshot::to_json(&live));
    (want != got).then(|| format!("{}:\n{}", file.display(), line_diff(&want, &got)))
}

#[test]
fn every_mysql_schema_reads_back_as_its_model() {
    let failures: Vec<String> = schemas()
        .into_iter()
        .filter_map(|(f, casing)| round_trip(&f, casing))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
