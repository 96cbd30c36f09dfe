//! PostgreSQL introspection: a schema's export applied to a fresh database reads back as the
//! schema's own model (`snapshot::from_schema`), after `snapshot::live::align` (the texts the
//! database rewrites). Plus the filters, extensions' objects, a hand-made database and many
//! tables at once.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use schemac_compiler::codegen;
use schemac_compiler::config;
use schemac_compiler::eval::EvalOptions;
use schemac_compiler::migration;
use schemac_compiler::project::{self, Project};
use schemac_compiler::schema::{Casing, Dialect, Schema};
use schemac_compiler::snapshot::{self, PgSnapshot};
use schemac_runtime::introspect::{Filters, RolesFilter, TablesFilter};
use serde_json::Value as J;
use support::{TempDb, fixtures, introspect, pg_admin};

/// The Schema IR of schema files compiled together.
fn compile(dir: &Path, files: &[PathBuf], casing: Option<Casing>) -> Arc<Schema> {
    let mut project = Project::new(dir);
    let c = project.compile_schema(
        files,
        Default::default(),
        EvalOptions {
            dialect: Some(Dialect::Postgresql),
            casing,
        },
    );
    assert!(!c.has_errors(), "{}: {:#?}", dir.display(), c.diagnostics);
    c.schema
}

/// The Schema IR of the project whose config is in `dir`.
fn compile_project(dir: &Path) -> Arc<Schema> {
    let mut project = Project::new(dir);
    let path = config::find(dir, None).unwrap_or_else(|d| panic!("{}: {d:?}", dir.display()));
    let cfg = config::load(&mut project, &path)
        .unwrap_or_else(|d| panic!("{}: {d:?}", dir.display()));
    let files = project::schema_files(dir, &cfg.schema)
        .unwrap_or_else(|d| panic!("{}: {d:?}", dir.display()));
    let c = project.compile_schema(
        &files,
        cfg.env.clone(),
        EvalOptions {
            dialect: Some(cfg.dialect),
            casing: cfg.casing,
        },
    );
    assert!(!c.has_errors(), "{}: {:#?}", dir.display(), c.diagnostics);
    c.schema
}

/// The filters that cover a schema: its PostgreSQL schemas and its roles.
fn filters_for(schema: &Schema) -> Filters {
    let mut schemas = vec!["public".to_string()];
    schemas.extend(schema.schemas.iter().map(|s| s.name.clone()));
    let roles = if schema.roles.is_empty() {
        RolesFilter::None
    } else {
        RolesFilter::Some {
            include: schema.roles.iter().map(|r| r.name.clone()).collect(),
            exclude: Vec::new(),
        }
    };
    Filters {
        schemas,
        roles,
        ..Filters::default()
    }
}

/// JSON with every object's keys sorted, for a comparison that ignores map order.
fn sorted(v: J) -> J {
    match v {
        J::Object(o) => {
            let mut entries: Vec<(String, J)> = o.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            J::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        J::Array(a) => J::Array(a.into_iter().map(sorted).collect()),
        v => v,
    }
}

/// Every place where two JSON documents differ, one line each.
fn differences(path: &str, live: &J, want: &J, out: &mut Vec<String>) {
    match (live, want) {
        (J::Object(a), J::Object(b)) => {
            for (k, v) in b {
                match a.get(k) {
                    Some(x) => differences(&format!("{path}.{k}"), x, v, out),
                    None => out.push(format!("{path}.{k}: missing in the database, schema has {v}")),
                }
            }
            for (k, v) in a {
                if !b.contains_key(k) {
                    out.push(format!("{path}.{k}: only in the database: {v}"));
                }
            }
        }
        _ if live != want => out.push(format!("{path}:\n    database {live}\n    schema   {want}")),
        _ => {}
    }
}

/// `None` when the models are equal, else their differences.
fn compare(live: &PgSnapshot, desired: &PgSnapshot) -> Option<String> {
    if live == desired {
        return None;
    }
    let a = sorted(serde_json::to_value(live).unwrap());
    let b = sorted(serde_json::to_value(desired).unwrap());
    let mut out = Vec::new();
    differences("", &a, &b, &mut out);
    if out.is_empty() {
        out.push("the models differ in a way their JSON does not show".into());
    }
    Some(out.join("\n"))
}

/// Applies the schema's export to a fresh database (after `setup`), reads it back and compares
/// with the schema's model; `Err` describes what differs.
fn round_trip(label: &str, schema: &Schema, setup: Option<String>) -> Result<(), String> {
    let statements = codegen::statements(Dialect::Postgresql, &migration::plan_create(schema));
    let mut db = TempDb::postgres(label);
    db.roles = schema.roles.iter().map(|r| r.name.clone()).collect();
    if let Some(setup) = setup {
        db.execute(&[setup])
            .map_err(|e| format!("{label}: setup: {e}"))?;
    }
    db.execute(&statements)
        .map_err(|e| format!("{label}: the export does not apply: {e}"))?;
    let mut live = introspect(&db.url, &filters_for(schema))?;
    let desired = snapshot::from_schema(schema, "", "");
    snapshot::live::align(&mut live, &desired);
    match compare(&live, &desired) {
        None => Ok(()),
        Some(d) => Err(format!("{label}: the database reads back differently:\n{d}")),
    }
}

fn corpus_file(name: &str) -> (PathBuf, Vec<PathBuf>) {
    let path = fixtures().join("corpus").join(name);
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        (path, files)
    } else {
        (path.parent().unwrap().to_path_buf(), vec![path])
    }
}

#[test]
fn corpus_reads_back_as_its_model() {
    let mut failures = Vec::new();
    for name in support::PG_CORPUS {
        let (dir, files) = corpus_file(name);
        let schema = compile(&dir, &files, None);
        if let Err(e) = round_trip(name, &schema, None) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn evolve_versions_read_back_as_their_models() {
    // The policies of v4 and v5 name a role; roles are cluster-wide, so one for this run.
    let role = format!("schemac_introspect_reader_{}", std::process::id());
    pg_admin(&[format!(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') \
         THEN CREATE ROLE \"{role}\"; END IF; END $$"
    )])
    .unwrap();
    let dir = std::env::temp_dir().join(format!("schemac-introspect-evolve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    for v in 1..=6 {
        let text = std::fs::read_to_string(fixtures().join(format!("evolve/v{v}.ts")))
            .unwrap()
            .replace("__ROLE__", &role);
        let file = dir.join(format!("v{v}.ts"));
        std::fs::write(&file, text).unwrap();
        let schema = compile(&dir, &[file.clone()], None);
        if let Err(e) = round_trip(&format!("evolve_v{v}"), &schema, None) {
            failures.push(e);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = pg_admin(&[format!("DROP ROLE IF EXISTS \"{role}\"")]);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The PostgreSQL projects (tests/fixtures/projects) and cases that apply to a plain
/// PostgreSQL: folder to run in and whether it has `expected/setup.sql`.
#[test]
fn projects_and_cases_read_back_as_their_models() {
    let projects = fixtures().join("projects");
    let cases = fixtures().join("cases");
    let dirs: Vec<PathBuf> = vec![
        projects.join("monorepo/apps/api"),
        projects.join("saas"),
        projects.join("third-arg-forms"),
        projects.join("casing"),
        projects.join("rls-supabase"),
        projects.join("constants-and-functions"),
        cases.join("config-env-library"),
        cases.join("config-node-paths"),
        cases.join("evaluation-features"),
        cases.join("array-wraps-builder"),
        cases.join("bigint-literal-default"),
        cases.join("compat-details"),
        cases.join("config-commonjs"),
        cases.join("config-runtime-guards"),
        cases.join("js-semantics"),
        cases.join("scouted-pg"),
    ];
    let mut failures = Vec::new();
    for dir in dirs {
        let label = dir.strip_prefix(fixtures()).unwrap().display().to_string();
        let schema = compile_project(&dir);
        let setup = [dir.join("expected/setup.sql"), dir.join("../../expected/setup.sql")]
            .into_iter()
            .find(|p| p.is_file())
            .map(|p| std::fs::read_to_string(p).unwrap());
        if let Err(e) = round_trip(&label, &schema, setup) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
