//! Shared helpers of the end-to-end tests: running the binary, throwaway databases, and finding
//! the drizzle-kit oracle.
#![allow(dead_code)]

pub mod dialect_build;
pub mod introspect_cases;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

pub const PG_BASE: &str = "postgres://postgres@127.0.0.1:5432";
/// The MariaDB server the MySQL tests use (root, empty password).
pub const MY_BASE: &str = "mysql://root@127.0.0.1:3306";

/// The MySQL schemas of the shared corpus (copied into tests/fixtures/corpus).
pub const MYSQL_CORPUS: &[&str] = &[
    "mysql1_features.ts",
    "mysql2_types.ts",
    "steps/mysql_v1.ts",
    "steps/mysql_v2_norename.ts",
];

/// The PostgreSQL schemas of the shared corpus (copied into tests/fixtures/corpus).
pub const PG_CORPUS: &[&str] = &[
    "pg1_features.ts",
    "pg2_more.ts",
    "pg3_dir",
    "steps/pg_v1.ts",
    "steps/pg_v2.ts",
    "steps/pg_v2_norename.ts",
];

/// The SQLite schemas of the shared corpus, with the casing each is compiled with.
pub const SQLITE_CORPUS: &[(&str, Option<&str>)] = &[
    ("sqlite1_features.ts", None),
    ("sqlite2_casing.ts", Some("snake_case")),
    ("steps/sqlite_v1.ts", None),
    ("steps/sqlite_v2_norename.ts", None),
    ("steps/sqlite_v2.ts", None),
    ("steps/sqlite_v2_simple.ts", None),
    ("steps/sqlite_v3_rename.ts", None),
];

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// Runs `schemac` in `dir` with `args`.
pub fn schemac(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schemac"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the schemac binary runs")
}

/// `build --dialect postgresql --schema schema.ts --name <name>`: a PostgreSQL build of the
/// project's `schema.ts`.
pub fn pg_build_args(name: &str) -> Vec<&str> {
    vec![
        "build",
        "--dialect",
        "postgresql",
        "--schema",
        "schema.ts",
        "--name",
        name,
    ]
}

/// Fails the test with schemac's output unless it exited 0.
pub fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "schemac failed:\n{}\n{}",
        stdout(o),
        stderr(o)
    );
}

/// Every file under `dir` with its bytes, by path relative to `dir`.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    files
}

/// The tags of a project's `drizzle/` migrations, in journal order.
pub fn journal_tags(project: &Path) -> Vec<String> {
    let journal: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(project.join("drizzle/meta/_journal.json")).unwrap(),
    )
    .unwrap();
    journal["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["tag"].as_str().unwrap().to_string())
        .collect()
}

/// A migration file's statements, split as drizzle's migrator splits them.
pub fn migration_statements(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file)
        .unwrap()
        .split("--> statement-breakpoint")
        .map(str::to_string)
        .collect()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The statements `schemac export --format json` prints in `dir`; panics with the diagnostics
/// when it fails.
pub fn export_statements(dir: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["--format", "json", "export"];
    args.extend_from_slice(extra);
    let out = schemac(dir, &args);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "export output is not JSON ({e}): {}\n{}",
            stdout(&out),
            stderr(&out)
        )
    });
    assert!(
        out.status.success(),
        "export failed in {}:\n{}",
        dir.display(),
        serde_json::to_string_pretty(&doc["diagnostics"]).unwrap()
    );
    doc["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| s.as_str().expect("a statement is a string").to_string())
        .collect()
}

pub mod migrate;

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A database created for one test and dropped when the value is dropped.
pub struct TempDb {
    pub name: String,
    pub url: String,
    /// Cluster-wide roles the test creates, dropped after the database.
    pub roles: Vec<String>,
    /// A MariaDB/MySQL database rather than a PostgreSQL one.
    pub mysql: bool,
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(f)
}

/// A database name unique to this test run: `schemac_t_<label>_<pid>_<nanos>_<n>`.
fn temp_db_name(label: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "schemac_t_{}_{}_{}_{n}",
        label
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(20)
            .collect::<String>()
            .to_lowercase(),
        std::process::id(),
        nanos % 100_000
    )
}

impl TempDb {
    /// A fresh database on the MariaDB server at 127.0.0.1:3306.
    pub fn mysql(label: &str) -> TempDb {
        let name = temp_db_name(label);
        block_on(async {
            let mut c = schemac_runtime::mysql::connect(MY_BASE)
                .await
                .expect("MariaDB at 127.0.0.1:3306");
            schemac_runtime::mysql::execute_all(&mut c, &[format!("CREATE DATABASE `{name}`")])
                .await
                .expect("create a test database");
        });
        TempDb {
            url: format!("{MY_BASE}/{name}"),
            name,
            roles: Vec::new(),
            mysql: true,
        }
    }

    /// The first column of each row a query returns, as text (MySQL databases).
    pub fn mysql_texts(&self, query: &str) -> Vec<String> {
        block_on(async {
            let mut c = schemac_runtime::mysql::connect(&self.url)
                .await
                .expect("connect");
            schemac_runtime::mysql::column_texts(&mut c, query)
                .await
                .unwrap_or_else(|e| panic!("{query}: {e}"))
        })
    }

    pub fn postgres(label: &str) -> TempDb {
        let name = temp_db_name(label);
        let admin = format!("{PG_BASE}/postgres");
        let create = format!("CREATE DATABASE \"{name}\"");
        block_on(async {
            let mut c = schemac_runtime::postgres::connect(&admin)
                .await
                .expect("PostgreSQL at 127.0.0.1:5432 (run .ci/run to start it)");
            schemac_runtime::postgres::execute_all(&mut c, &[create])
                .await
                .expect("create a test database");
        });
        TempDb {
            url: format!("{PG_BASE}/{name}"),
            name,
            roles: Vec::new(),
            mysql: false,
        }
    }

    /// Runs statements in order; the error names the failing statement.
    pub fn execute(&self, statements: &[String]) -> Result<(), String> {
        if self.mysql {
            return block_on(async {
                let mut c = schemac_runtime::mysql::connect(&self.url)
                    .await
                    .map_err(|e| e.to_string())?;
                schemac_runtime::mysql::execute_all(&mut c, statements)
                    .await
                    .map_err(|e| format!("{e}\n--- the statement:\n{}", statements[e.index]))
            });
        }
        block_on(async {
            let mut c = schemac_runtime::postgres::connect(&self.url)
                .await
                .map_err(|e| e.to_string())?;
            schemac_runtime::postgres::execute_all(&mut c, statements)
                .await
                .map_err(|e| format!("{e}\n--- the statement:\n{}", statements[e.index]))
        })
    }
}

/// Rows of a query on a SQLite file, each as its columns' text joined by `|`.
pub fn sqlite_rows(db: &Path, query: &str) -> Vec<String> {
    use sqlx::{Connection, Row};
    let query = query.to_string();
    block_on(async move {
        let mut c = schemac_runtime::sqlite::connect(db).await.unwrap();
        let rows = sqlx::query(sqlx::AssertSqlSafe(query))
            .fetch_all(&mut c)
            .await
            .unwrap();
        let out = rows
            .iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        r.try_get::<Option<String>, _>(i)
                            .map(|v| v.unwrap_or_else(|| "NULL".into()))
                            .or_else(|_| {
                                r.try_get::<Option<i64>, _>(i)
                                    .map(|v| v.map_or("NULL".into(), |v| v.to_string()))
                            })
                            .or_else(|_| {
                                r.try_get::<Option<f64>, _>(i)
                                    .map(|v| v.map_or("NULL".into(), |v| v.to_string()))
                            })
                            .unwrap_or_else(|_| "?".into())
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        c.close().await.unwrap();
        out
    })
}

/// A SQLite database file in its own temporary folder, removed when the value is dropped.
pub struct TempSqlite {
    pub dir: PathBuf,
    pub path: PathBuf,
}

impl TempSqlite {
    pub fn new(label: &str) -> TempSqlite {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("schemac-sqlite-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temp folder");
        TempSqlite {
            path: dir.join("db.sqlite"),
            dir,
        }
    }

    /// Runs statements in order; the error names the failing statement.
    pub fn execute(&self, statements: &[String]) -> Result<(), String> {
        block_on(async {
            let mut c = schemac_runtime::sqlite::connect(&self.path)
                .await
                .map_err(|e| e.to_string())?;
            schemac_runtime::sqlite::execute_all(&mut c, statements)
                .await
                .map_err(|e| format!("{e}\n--- the statement:\n{}", statements[e.index]))
        })
    }

    /// Rows of a query, each as its columns' text joined by `|`.
    pub fn texts(&self, query: &str) -> Vec<String> {
        sqlite_rows(&self.path, query)
    }

    /// The database's objects as `(type, name, table)`, sorted.
    pub fn objects(&self) -> Vec<(String, String, String)> {
        block_on(async {
            let mut c = schemac_runtime::sqlite::connect(&self.path)
                .await
                .expect("open the SQLite file");
            schemac_runtime::sqlite::objects(&mut c)
                .await
                .expect("read sqlite_master")
        })
    }
}

impl Drop for TempSqlite {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs statements in the cluster's `postgres` database (cluster-wide objects such as roles).
pub fn pg_admin(statements: &[String]) -> Result<(), String> {
    block_on(async {
        let mut c = schemac_runtime::postgres::connect(&format!("{PG_BASE}/postgres"))
            .await
            .map_err(|e| e.to_string())?;
        schemac_runtime::postgres::execute_all(&mut c, statements)
            .await
            .map_err(|e| e.to_string())
    })
}

impl Drop for TempDb {
    fn drop(&mut self) {
        if self.mysql {
            let drop = format!("DROP DATABASE IF EXISTS `{}`", self.name);
            let _ = std::thread::spawn(move || {
                block_on(async {
                    if let Ok(mut c) = schemac_runtime::mysql::connect(MY_BASE).await {
                        let _ = schemac_runtime::mysql::execute_all(&mut c, &[drop]).await;
                    }
                })
            })
            .join();
            return;
        }
        let admin = format!("{PG_BASE}/postgres");
        let mut drops = vec![format!(
            "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
            self.name
        )];
        drops.extend(
            self.roles
                .iter()
                .map(|r| format!("DROP ROLE IF EXISTS \"{r}\"")),
        );
        let _ = std::thread::spawn(move || {
            block_on(async {
                if let Ok(mut c) = schemac_runtime::postgres::connect(&admin).await {
                    for d in drops {
                        let _ = schemac_runtime::postgres::execute_all(&mut c, &[d]).await;
                    }
                }
            })
        })
        .join();
    }
}

/// `dk.sh compare <dialect> <schema> <our SQL>` (with `DK_CASING` when given): `None` when the
/// catalog `statements` make equals drizzle-kit's for `schema`, else the oracle's diff. The SQL
/// is written to a file in `scratch`.
pub fn dk_compare(
    dk: &Path,
    dialect: &str,
    schema: &Path,
    statements: &[String],
    casing: Option<&str>,
    scratch: &Path,
) -> Option<String> {
    std::fs::create_dir_all(scratch).unwrap();
    let name = schema.to_string_lossy().replace(['/', '.'], "_");
    let file = scratch.join(format!("{name}.sql"));
    std::fs::write(&file, statements.join("\n--> statement-breakpoint\n")).unwrap();
    let mut cmd = Command::new("bash");
    if let Some(casing) = casing {
        cmd.env("DK_CASING", casing);
    }
    let out = cmd
        .arg(dk.join("dk.sh"))
        .args(["compare", dialect])
        .arg(schema)
        .arg(&file)
        .output()
        .expect("dk.sh runs");
    (!out.status.success()).then(|| {
        format!(
            "{}:\n{}{}",
            schema.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The drizzle-kit oracle (`dk.sh`), when it is on this machine: `$SCHEMAC_ORACLE_DIR`, or
/// `../shared/oracle` beside the repository. With `SCHEMAC_REQUIRE_ORACLE=1` (set by `.ci/run`
/// when the oracle exists) a missing oracle is a failure, not a skip.
pub fn oracle() -> Option<PathBuf> {
    let dir = std::env::var_os("SCHEMAC_ORACLE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/oracle"));
    if dir.join("dk.sh").is_file() {
        return Some(dir);
    }
    if std::env::var_os("SCHEMAC_REQUIRE_ORACLE").is_some() {
        panic!(
            "SCHEMAC_REQUIRE_ORACLE is set but no oracle at {}",
            dir.display()
        );
    }
    eprintln!("note: the drizzle-kit oracle is not on this machine; comparison skipped");
    None
}

/// The oracle's npm packages (drizzle-kit, drizzle-orm, drivers), where `dk.sh` installs them:
/// `$ORACLE_NODE_MODULES`, or `~/.cache/schemac-oracle/node_modules`.
pub fn oracle_node_modules() -> PathBuf {
    std::env::var_os("ORACLE_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/schemac-oracle/node_modules")
        })
}

/// The real drizzle-kit in a `dk.sh` project (its `node_modules` links to the oracle's).
pub fn drizzle_kit(project: &Path, command: &str) -> Output {
    Command::new("node")
        .arg("node_modules/drizzle-kit/bin.cjs")
        .arg(command)
        .current_dir(project)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("node runs")
}

/// The oracle's normalized catalog of a PostgreSQL database.
pub fn catalog(oracle_dir: &Path, url: &str) -> String {
    let o = Command::new("node")
        .arg(oracle_dir.join("lib/catalog.js"))
        .args(["postgresql", url])
        .output()
        .expect("node runs");
    assert!(o.status.success(), "catalog.js: {}", stderr(&o));
    stdout(&o)
}

/// The model of a live database (`url`: a PostgreSQL or MySQL URL, or a SQLite file path), read
/// by schemac's introspection with `filters`.
pub fn introspect(
    url: &str,
    filters: &schemac_runtime::introspect::Filters,
) -> Result<schemac_compiler::snapshot::PgSnapshot, String> {
    use schemac_runtime::connect::{Kind, from_url};
    let creds = from_url(Kind::of_url(url), url, Path::new("."))?;
    block_on(async {
        let mut conn = creds.connect(std::time::Duration::from_secs(5)).await?;
        let model = schemac_runtime::introspect::introspect(&mut conn, filters)
            .await
            .map_err(|e| e.to_string());
        conn.close().await;
        model
    })
}

/// The one integer a query returns on a database (a PostgreSQL or MySQL URL, or a SQLite file
/// path); `None` when the query fails (a table that does not exist).
pub fn scalar(url: &str, sql: &str) -> Option<i64> {
    use schemac_runtime::connect::{Kind, from_url};
    let creds = from_url(Kind::of_url(url), url, Path::new(".")).ok()?;
    block_on(async {
        let mut conn = creds
            .connect(std::time::Duration::from_secs(5))
            .await
            .ok()?;
        let n = conn.scalar(sql).await.ok().flatten();
        conn.close().await;
        n
    })
}

/// `tsc --noEmit --strict` over every `.ts` file under `root`, against the oracle's
/// drizzle-orm; skipped (with a note) when TypeScript and drizzle-orm are not installed.
pub fn tsc_check(root: &Path) {
    let modules = oracle_node_modules();
    let tsc = modules.join("typescript/bin/tsc");
    if !tsc.is_file() || !modules.join("drizzle-orm").is_dir() {
        eprintln!("note: typescript and drizzle-orm are not installed; tsc check skipped");
        return;
    }
    let link = root.join("node_modules");
    if !link.exists() {
        #[cfg(unix)]
        std::os::unix::fs::symlink(&modules, &link).unwrap();
    }
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
    let out = Command::new("node")
        .arg(&tsc)
        .args(["-p", "tsconfig.json"])
        .current_dir(root)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "tsc found errors in {}:\n{}{}",
        root.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Copies a corpus entry (`tests/fixtures/corpus/<entry>`, a file or a folder) into `dir` as
/// `schema.ts` or `schema/`, and returns what `--schema` names.
pub fn copy_corpus(entry: &str, dir: &Path) -> &'static str {
    let src = fixtures().join("corpus").join(entry);
    if src.is_dir() {
        let dst = dir.join("schema");
        std::fs::create_dir_all(&dst).unwrap();
        for f in std::fs::read_dir(&src).unwrap() {
            let f = f.unwrap().path();
            std::fs::copy(&f, dst.join(f.file_name().unwrap())).unwrap();
        }
        "schema"
    } else {
        std::fs::copy(&src, dir.join("schema.ts")).unwrap();
        "schema.ts"
    }
}

/// `--schemaFilters=<name>` for every schema of a PostgreSQL database but the server's own.
pub fn pg_schema_filters(url: &str) -> Vec<String> {
    use sqlx::Connection;
    block_on(async {
        let mut c = sqlx::PgConnection::connect(url).await.expect("connect");
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT nspname::text FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' \
             AND nspname <> 'information_schema' ORDER BY nspname",
        )
        .fetch_all(&mut c)
        .await
        .expect("list the schemas");
        names
            .into_iter()
            .map(|n| format!("--schemaFilters={n}"))
            .collect()
    })
}
