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
    let modules = support::oracle_node_modules();
    let tsc = modules.join("typescript/bin/tsc");
    if !tsc.is_file() || !modules.join("drizzle-orm").is_dir() {
        eprintln!("note: typescript and drizzle-orm are not installed; tsc check skipped");
        return;
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(&modules, root.join("node_modules")).unwrap();
    std::fs::write(
        root.join("tsconfig.json"),
        r#"{
  "compilerOptions": {
    "strict": true,
    "noEmit": true,
    "skipLibCheck": true,
    "target": "es2022",
    "module": "esnext",
    "moduleResolution": "bundler",
    "types": []
  },
  "include": ["**/*.ts"],
  "exclude": ["node_modules"]
}
"#,
    )
    .unwrap();
    let out = std::process::Command::new("node")
        .arg(&tsc)
        .args(["-p", "tsconfig.json"])
        .current_dir(root)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "tsc found errors in the generated files:\n{}{}",
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
