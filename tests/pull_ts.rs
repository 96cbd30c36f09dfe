//! `pull`'s TypeScript generator (`schemac_compiler::tsgen`), without a database: every fixture
//! schema is compiled to its model, the model is written as `schema.ts` + `relations.ts`, and the
//! generated `schema.ts`, compiled again, must give the same model, in both casings. The
//! generated files are also checked with `tsc --noEmit` against the real drizzle-orm when the
//! oracle's packages are on this machine.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use schemac_compiler::eval::EvalOptions;
use schemac_compiler::project::Project;
use schemac_compiler::schema::{Casing as SchemaCasing, Dialect, Schema};
use schemac_compiler::snapshot::{self, PgSnapshot};
use schemac_compiler::tsgen::{self, Casing, Options};

use support::fixtures;

struct Case {
    /// A schema file, or a folder of them.
    path: PathBuf,
    dialect: Dialect,
    casing: Option<SchemaCasing>,
}

fn dialect_of_name(name: &str) -> Option<Dialect> {
    if name.starts_with("pg") {
        Some(Dialect::Postgresql)
    } else if name.starts_with("mysql") {
        Some(Dialect::Mysql)
    } else if name.starts_with("sqlite") {
        Some(Dialect::Sqlite)
    } else {
        None
    }
}

fn ts_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ts"))
        .collect();
    v.sort();
    v
}

/// The corpus (with steps), the evolution versions of the three dialects, the diff fixtures and
/// pull's own (`tests/fixtures/pull`).
fn cases() -> Vec<Case> {
    let f = fixtures();
    let mut out = Vec::new();
    let corpus = f.join("corpus");
    let mut entries: Vec<PathBuf> = ts_files(&corpus);
    entries.push(corpus.join("pg3_dir"));
    entries.extend(ts_files(&corpus.join("steps")));
    entries.extend(ts_files(&f.join("diff")));
    // Every builder and option, and hostile names, per dialect.
    entries.extend(ts_files(&f.join("pull")));
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let dialect = dialect_of_name(&name).unwrap_or_else(|| panic!("dialect of {name}"));
        let casing = (name == "sqlite2_casing.ts").then_some(SchemaCasing::SnakeCase);
        out.push(Case {
            path,
            dialect,
            casing,
        });
    }
    for (folder, dialect) in [
        ("evolve", Dialect::Postgresql),
        ("evolve_mysql", Dialect::Mysql),
        ("evolve_sqlite", Dialect::Sqlite),
    ] {
        for path in ts_files(&f.join(folder)) {
            out.push(Case {
                path,
                dialect,
                casing: None,
            });
        }
    }
    out
}

/// The Schema IR of a schema file or folder, or the error diagnostics.
fn compile(
    path: &Path,
    dialect: Dialect,
    casing: Option<SchemaCasing>,
) -> Result<Arc<Schema>, String> {
    let (root, files) = if path.is_dir() {
        (path.to_path_buf(), ts_files(path))
    } else {
        (
            path.parent().unwrap().to_path_buf(),
            vec![path.to_path_buf()],
        )
    };
    let mut project = Project::new(&root);
    let c = project.compile_schema(
        &files,
        Default::default(),
        EvalOptions {
            dialect: Some(dialect),
            casing,
        },
    );
    if c.has_errors() {
        return Err(format!("{:#?}", c.diagnostics));
    }
    Ok(c.schema)
}

/// The model's JSON with the top-level maps in key order: their order follows export names,
/// which the generated file chooses (tables are declared in the model's order; the compiler
/// visits exports sorted by name, as drizzle-kit does).
fn canonical(model: &PgSnapshot) -> String {
    let mut m = model.clone();
    m.tables.sort_keys();
    m.enums.sort_keys();
    m.schemas.sort_keys();
    m.sequences.sort_keys();
    m.roles.sort_keys();
    m.policies.sort_keys();
    m.views.sort_keys();
    snapshot::to_json(&m)
}

/// A readable diff of two texts: the differing lines with a little context.
fn line_diff(a: &str, b: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let mut out = String::new();
    let mut shown = 0;
    let n = a.len().max(b.len());
    let mut i = 0;
    while i < n && shown < 6 {
        if a.get(i) != b.get(i) {
            let from = i.saturating_sub(4);
            for j in from..(i + 4).min(n) {
                let (x, y) = (
                    a.get(j).copied().unwrap_or(""),
                    b.get(j).copied().unwrap_or(""),
                );
                if x == y {
                    out.push_str(&format!("  {x}\n"));
                } else {
                    out.push_str(&format!("- {x}\n+ {y}\n"));
                }
            }
            out.push_str("  ...\n");
            shown += 1;
            i += 4;
        } else {
            i += 1;
        }
    }
    out
}

fn temp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("schemac-pull-ts-{}-{label}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn label(case: &Case, casing: Casing) -> String {
    let rel = case
        .path
        .strip_prefix(fixtures())
        .unwrap_or(&case.path)
        .to_string_lossy()
        .replace(['/', '.'], "_");
    format!("{rel}_{casing:?}").to_lowercase()
}

/// Generates the files of `model` into `dir` and compiles them back: `Err` with what differs.
fn round_trip(
    model: &PgSnapshot,
    dialect: Dialect,
    casing: Casing,
    dir: &Path,
) -> Result<(), String> {
    let generated = tsgen::generate(model, &Options { casing });
    std::fs::create_dir_all(dir).unwrap();
    let schema_ts = dir.join("schema.ts");
    std::fs::write(&schema_ts, &generated.schema).unwrap();
    std::fs::write(dir.join("relations.ts"), &generated.relations).unwrap();
    let again = compile(&schema_ts, dialect, None).map_err(|e| {
        format!(
            "the generated schema.ts does not compile: {e}\n{}",
            generated.schema
        )
    })?;
    let back = snapshot::from_schema(&again, "", "");
    let (want, got) = (canonical(model), canonical(&back));
    if want != got {
        return Err(format!(
            "the model differs after the round trip ({}):\n{}",
            schema_ts.display(),
            line_diff(&want, &got)
        ));
    }
    Ok(())
}

#[test]
fn generated_schemas_compile_back_to_the_same_model() {
    let root = temp_dir("round-trip");
    let mut failures = Vec::new();
    let mut count = 0;
    for case in cases() {
        let schema = compile(&case.path, case.dialect, case.casing)
            .unwrap_or_else(|e| panic!("{}: {e}", case.path.display()));
        let model = snapshot::from_schema(&schema, "", "");
        for casing in [Casing::Camel, Casing::Preserve] {
            count += 1;
            let dir = root.join(label(&case, casing));
            if let Err(e) = round_trip(&model, case.dialect, casing, &dir) {
                failures.push(format!("{} ({casing:?}): {e}", case.path.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} round trips failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    tsc_check(&root);
    // SCHEMAC_KEEP_PULL_TS=1 keeps the generated files to look at.
    if std::env::var_os("SCHEMAC_KEEP_PULL_TS").is_none() {
        let _ = std::fs::remove_dir_all(&root);
    }
}

/// `tsc --noEmit --strict` over every generated file under `root`, against the oracle's
/// drizzle-orm; skipped when those packages are not installed.
fn tsc_check(root: &Path) {
    support::tsc_check(root);
    let modules = support::oracle_node_modules();
    if modules.join("typescript/bin/tsc").is_file() && modules.join("drizzle-orm").is_dir() {
        relations_check(root, &modules);
    }
}

/// Every generated `relations.ts`, loaded with its `schema.ts` by drizzle-orm, pairs each
/// relation as the relational query builder does (an ambiguous pair throws).
fn relations_check(root: &Path, modules: &Path) {
    let tsx = modules.join("tsx/dist/cli.mjs");
    if !tsx.is_file() {
        eprintln!("note: tsx is not installed; relations check skipped");
        return;
    }
    let script = root.join("check_relations.ts");
    std::fs::copy(
        support::repo().join("tests/support/check_relations.ts"),
        &script,
    )
    .unwrap();
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() && e.file_name() != "node_modules" {
                if p.join("relations.ts").is_file() {
                    dirs.push(p.clone());
                }
                stack.push(p);
            }
        }
    }
    let out = std::process::Command::new("node")
        .arg(&tsx)
        .arg(&script)
        .args(&dirs)
        .current_dir(root)
        .output()
        .expect("node runs");
    std::fs::remove_file(&script).unwrap();
    assert!(
        out.status.success(),
        "drizzle-orm rejects the generated relations:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Copies a fixture project (without `node_modules` and `drizzle`) to `to`.
fn copy_project(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().filter_map(Result::ok) {
        let name = entry.file_name();
        if name == "node_modules" || name == "drizzle" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_project(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

/// The fixture projects: `schemac build` writes each one's snapshot (config, casing, several
/// files, workspace packages), and that model goes round the generator like the schemas above.
#[test]
fn fixture_projects_round_trip() {
    let root = temp_dir("projects");
    let mut failures = Vec::new();
    let mut count = 0;
    for (project, run_in) in [
        ("monorepo", "apps/api"),
        ("saas", ""),
        ("third-arg-forms", ""),
        ("casing", ""),
        ("rls-supabase", ""),
        ("constants-and-functions", ""),
        ("custom-types", ""),
    ] {
        let copy = root.join(project).join("project");
        copy_project(&fixtures().join("projects").join(project), &copy);
        let dir = copy.join(run_in);
        let out = support::schemac(&dir, &["build"]);
        support::ok(&out);
        let meta = dir.join("drizzle/meta");
        let snapshot = std::fs::read_dir(&meta)
            .unwrap_or_else(|e| panic!("{project}: {}: {e}", meta.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().ends_with("_snapshot.json"))
            .unwrap_or_else(|| panic!("{project}: no snapshot written"));
        let mut model = snapshot::read(&snapshot, &std::fs::read_to_string(&snapshot).unwrap())
            .unwrap_or_else(|e| panic!("{project}: {e:?}"));
        // The ids are the folder's, not the schema's.
        model.id.clear();
        model.prev_id.clear();
        for casing in [Casing::Camel, Casing::Preserve] {
            count += 1;
            let generated = root
                .join(project)
                .join(format!("{casing:?}").to_lowercase());
            if let Err(e) = round_trip(&model, Dialect::Postgresql, casing, &generated) {
                failures.push(format!("{project} ({casing:?}): {e}"));
            }
        }
        // Only the generated files go to tsc.
        std::fs::remove_dir_all(root.join(project).join("project")).unwrap();
    }
    assert!(
        failures.is_empty(),
        "{} of {count} round trips failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    tsc_check(&root);
    if std::env::var_os("SCHEMAC_KEEP_PULL_TS").is_none() {
        let _ = std::fs::remove_dir_all(&root);
    }
}

/// drizzle-kit's `generate` of a schema (file or folder), its statements sorted; `None` without
/// the oracle.
fn drizzle_kit_statements(dialect: &str, schema: &Path, out: &Path) -> Option<Vec<String>> {
    let dk = support::oracle()?;
    let _ = std::fs::remove_dir_all(out);
    let o = std::process::Command::new("bash")
        .arg(dk.join("dk.sh"))
        .args(["generate", dialect])
        .arg(schema)
        .arg(out)
        .output()
        .expect("dk.sh runs");
    assert!(
        o.status.success(),
        "dk.sh generate {}: {}",
        schema.display(),
        support::stderr(&o)
    );
    let folder = out.join("project/drizzle");
    let file = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "sql"))
        .unwrap_or_else(|| panic!("drizzle-kit wrote no migration for {}", schema.display()));
    let text = std::fs::read_to_string(file).unwrap();
    let statements: Vec<String> = text
        .split("--> statement-breakpoint")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    Some(support::migrate::sorted(&statements))
}

/// The real drizzle-kit reads the generated `schema.ts` as schemac does: its `generate` of the
/// generated file gives the statements it gives for the original schema (in another order,
/// which follows export names).
#[test]
fn drizzle_kit_generates_the_same_sql_from_the_generated_schema() {
    if support::oracle().is_none() {
        return;
    }
    let root = temp_dir("drizzle-kit");
    let f = fixtures();
    let mut failures = Vec::new();
    for (schema, dialect, name) in [
        (
            f.join("corpus/pg1_features.ts"),
            Dialect::Postgresql,
            "postgresql",
        ),
        (
            f.join("corpus/pg2_more.ts"),
            Dialect::Postgresql,
            "postgresql",
        ),
        (f.join("corpus/pg3_dir"), Dialect::Postgresql, "postgresql"),
        (
            f.join("pull/pg_everything.ts"),
            Dialect::Postgresql,
            "postgresql",
        ),
        (
            f.join("pull/pg_names.ts"),
            Dialect::Postgresql,
            "postgresql",
        ),
        (f.join("evolve/v6.ts"), Dialect::Postgresql, "postgresql"),
        (f.join("corpus/mysql1_features.ts"), Dialect::Mysql, "mysql"),
        (f.join("pull/mysql_everything.ts"), Dialect::Mysql, "mysql"),
        (
            f.join("corpus/sqlite1_features.ts"),
            Dialect::Sqlite,
            "sqlite",
        ),
        (
            f.join("pull/sqlite_everything.ts"),
            Dialect::Sqlite,
            "sqlite",
        ),
    ] {
        let label = schema.file_stem().unwrap().to_string_lossy().to_string();
        let want = drizzle_kit_statements(name, &schema, &root.join(format!("{label}-original")))
            .expect("the oracle");
        let model = snapshot::from_schema(&compile(&schema, dialect, None).unwrap(), "", "");
        for casing in [Casing::Camel, Casing::Preserve] {
            let dir = root.join(format!("{label}-{casing:?}"));
            std::fs::create_dir_all(&dir).unwrap();
            let generated = tsgen::generate(&model, &Options { casing });
            let file = dir.join("schema.ts");
            std::fs::write(&file, generated.schema).unwrap();
            let got = drizzle_kit_statements(name, &file, &dir.join("dk")).expect("the oracle");
            if got != want {
                failures.push(format!(
                    "{label} ({casing:?}):\n{}",
                    line_diff(&want.join("\n"), &got.join("\n"))
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let _ = std::fs::remove_dir_all(&root);
}

/// The files written for three corpus schemas, as reviewed text (`tests/snapshots/pull`): a
/// change of layout shows here as a diff.
#[test]
fn generated_files_of_the_corpus() {
    let f = fixtures();
    for (file, dialect) in [
        ("pg1_features", Dialect::Postgresql),
        ("mysql1_features", Dialect::Mysql),
        ("sqlite1_features", Dialect::Sqlite),
    ] {
        let schema = compile(&f.join(format!("corpus/{file}.ts")), dialect, None).unwrap();
        let model = snapshot::from_schema(&schema, "", "");
        let generated = tsgen::generate(&model, &Options::default());
        insta::with_settings!({ snapshot_path => "snapshots/pull", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("{file}.schema"), generated.schema);
            insta::assert_snapshot!(format!("{file}.relations"), generated.relations);
        });
    }
}

/// A model no schema file here makes, as a database could hold it: schemas the model does not
/// list, foreign keys of two columns and policies on tables outside it, names like `__proto__`
/// and `constructor`, an unknown dialect name (read as PostgreSQL).
#[test]
fn a_model_with_what_only_databases_hold() {
    let column = |name: &str, ty: &str| serde_json::json!({ "name": name, "type": ty, "primaryKey": false, "notNull": false });
    let table = |name: &str, schema: &str, columns: Vec<serde_json::Value>| {
        let columns: serde_json::Map<String, serde_json::Value> = columns
            .into_iter()
            .map(|c| (c["name"].as_str().unwrap().to_string(), c))
            .collect();
        serde_json::json!({
            "name": name, "schema": schema, "columns": columns, "indexes": {},
            "foreignKeys": {}, "compositePrimaryKeys": {}, "uniqueConstraints": {},
            "policies": {}, "checkConstraints": {}, "isRLSEnabled": false
        })
    };
    let mut mood = column("mood", "mood");
    mood["typeSchema"] = "moods".into();
    let mut t1 = table(
        "__proto__",
        "",
        vec![
            column("__proto__", "integer"),
            column("constructor", "text"),
            mood,
        ],
    );
    t1["compositePrimaryKeys"] = serde_json::json!({
        "pk": { "name": "pk", "columns": ["__proto__"] }
    });
    let mut t2 = table(
        "t2",
        "elsewhere",
        vec![
            column("a", "integer"),
            column("b", "varchar(3)"),
            column("c", "integer"),
        ],
    );
    t2["foreignKeys"] = serde_json::json!({
        "t2_ghost_fk": {
            "name": "t2_ghost_fk", "tableFrom": "t2", "tableTo": "gone", "schemaTo": "ghost",
            "columnsFrom": ["a", "b"], "columnsTo": ["x", "y"],
            "onDelete": "cascade", "onUpdate": "no action"
        },
        "t2_proto_fk": {
            "name": "t2_proto_fk", "tableFrom": "t2", "tableTo": "__proto__",
            "columnsFrom": ["c"], "columnsTo": ["__proto__"],
            "onDelete": "no action", "onUpdate": "no action"
        }
    });
    let model = serde_json::json!({
        "id": "", "prevId": "", "version": "7", "dialect": "postgresql",
        "tables": { "public.__proto__": t1, "elsewhere.t2": t2 },
        "enums": { "moods.mood": { "name": "mood", "schema": "moods", "values": ["ok"] } },
        "schemas": {},
        "policies": {
            "p": {
                "name": "p", "as": "PERMISSIVE", "for": "ALL", "to": ["public"],
                "using": "true", "schema": "ghost", "on": "\"ghost\".\"other\""
            }
        },
        "views": {}
    });
    let mut model: PgSnapshot = serde_json::from_value(model).unwrap();
    let root = temp_dir("database-only");
    for casing in [Casing::Camel, Casing::Preserve] {
        let dir = root.join(format!("{casing:?}"));
        round_trip(&model, Dialect::Postgresql, casing, &dir).unwrap();
    }
    // Two tables outside the model in one schema: one declaration of the schema.
    let generated = tsgen::generate(&model, &Options::default());
    assert!(
        generated
            .schema
            .contains("\nconst ghost = pgSchema(\"ghost\");\n")
            && !generated.schema.contains("ghostSchema"),
        "{}",
        generated.schema
    );
    // A dialect name schemac does not know is written as PostgreSQL.
    model.dialect = "cockroach".into();
    let generated = tsgen::generate(&model, &Options::default());
    assert!(generated.schema.contains("from \"drizzle-orm/pg-core\""));
    tsc_check(&root);
    if std::env::var_os("SCHEMAC_KEEP_PULL_TS").is_none() {
        let _ = std::fs::remove_dir_all(&root);
    }
}
