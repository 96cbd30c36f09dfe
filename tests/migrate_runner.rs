//! `schemac migrate` and `schemac status` against real PostgreSQL, MariaDB and SQLite: the
//! migrations table drizzle-orm reads, pending by identity, transactions per file, the lock,
//! checksums and located failures. See spec/migrate.md.

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use schemac_runtime::connect::{self, Kind};
use schemac_runtime::migrate::apply::applied_rows;
use schemac_runtime::migrate::{AppliedRow, Table, sha256_hex};
use support::{TempDb, TempSqlite, ok, schemac, stderr, stdout};

const WHEN: i64 = 1_700_000_000_000;

/// A database of one dialect for one test.
enum Db {
    Pg(TempDb),
    My(TempDb),
    Lite(TempSqlite),
}

impl Db {
    fn new(kind: Kind, label: &str) -> Db {
        match kind {
            Kind::Postgres => Db::Pg(TempDb::postgres(label)),
            Kind::Mysql => Db::My(TempDb::mysql(label)),
            Kind::Sqlite => Db::Lite(TempSqlite::new(label)),
        }
    }

    fn kind(&self) -> Kind {
        match self {
            Db::Pg(_) => Kind::Postgres,
            Db::My(_) => Kind::Mysql,
            Db::Lite(_) => Kind::Sqlite,
        }
    }

    fn url(&self) -> String {
        match self {
            Db::Pg(d) | Db::My(d) => d.url.clone(),
            Db::Lite(s) => format!("file:{}", s.path.display()),
        }
    }

    fn execute(&self, sql: &str) -> Result<(), String> {
        let s = [sql.to_string()];
        match self {
            Db::Pg(d) | Db::My(d) => d.execute(&s),
            Db::Lite(l) => l.execute(&s),
        }
    }

    /// The rows of the default migrations table.
    fn rows(&self) -> Vec<AppliedRow> {
        let kind = self.kind();
        let creds = connect::from_url(kind, &self.url(), Path::new("/")).unwrap();
        let table = Table::new(kind, "__drizzle_migrations", "drizzle");
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                let mut c = creds
                    .connect(std::time::Duration::from_secs(5))
                    .await
                    .unwrap();
                applied_rows(&mut c, &table).await.unwrap()
            })
    }

    fn has_table(&self, name: &str) -> bool {
        self.execute(&format!("SELECT count(*) FROM {name}"))
            .is_ok()
    }
}

/// Writes `drizzle/` in `dir`: the journal and one SQL file per `(tag, when, sql)`.
fn folder(dir: &Path, kind: Kind, migrations: &[(&str, i64, &str)]) {
    let out = dir.join("drizzle");
    std::fs::create_dir_all(out.join("meta")).unwrap();
    let entries: Vec<serde_json::Value> = migrations
        .iter()
        .enumerate()
        .map(|(i, (tag, when, _))| {
            serde_json::json!({"idx": i, "version": "7", "when": when, "tag": tag, "breakpoints": true})
        })
        .collect();
    let dialect = match kind {
        Kind::Postgres => "postgresql",
        Kind::Mysql => "mysql",
        Kind::Sqlite => "sqlite",
    };
    let journal = serde_json::json!({"version": "7", "dialect": dialect, "entries": entries});
    std::fs::write(
        out.join("meta/_journal.json"),
        serde_json::to_string_pretty(&journal).unwrap(),
    )
    .unwrap();
    for (tag, _, sql) in migrations {
        std::fs::write(out.join(format!("{tag}.sql")), sql).unwrap();
    }
}

fn scratch(label: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("schemac-migrate-{label}-"))
        .tempdir()
        .unwrap()
}

fn migrate(dir: &Path, db: &Db, extra: &[&str]) -> Output {
    let url = db.url();
    let mut args = vec!["migrate", "--out", "drizzle", "--url", url.as_str()];
    args.extend_from_slice(extra);
    schemac(dir, &args)
}

fn status_json(dir: &Path, db: &Db) -> serde_json::Value {
    let url = db.url();
    let o = schemac(
        dir,
        &[
            "--format", "json", "status", "--out", "drizzle", "--url", &url,
        ],
    );
    ok(&o);
    serde_json::from_slice(&o.stdout).unwrap()
}

fn states(dir: &Path, db: &Db) -> Vec<String> {
    status_json(dir, db)["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{} {}",
                m["tag"].as_str().unwrap(),
                m["state"].as_str().unwrap()
            )
        })
        .collect()
}

fn two_tables() -> Vec<(&'static str, i64, &'static str)> {
    vec![
        (
            "0000_first",
            WHEN,
            "CREATE TABLE t1 (x int);\n--> statement-breakpoint\nCREATE INDEX t1_x ON t1 (x);",
        ),
        ("0001_second", WHEN + 1000, "CREATE TABLE t2 (y int);\n"),
    ]
}

// ---- apply, re-apply, the table drizzle-orm reads ----

fn applies_and_records(kind: Kind) {
    let db = Db::new(kind, "apply");
    let dir = scratch("apply");
    folder(dir.path(), kind, &two_tables());
    assert_eq!(
        states(dir.path(), &db),
        ["0000_first pending", "0001_second pending"]
    );
    let o = migrate(dir.path(), &db, &[]);
    ok(&o);
    assert!(
        stdout(&o).contains("applied 2 migrations"),
        "{}",
        stdout(&o)
    );
    assert!(db.has_table("t1") && db.has_table("t2"));
    // drizzle-orm's row: sha256 of the file as stored, created_at = the journal's `when`.
    let expected: Vec<AppliedRow> = two_tables()
        .iter()
        .map(|(_, when, sql)| AppliedRow {
            hash: sha256_hex(sql),
            created_at: *when,
        })
        .collect();
    assert_eq!(db.rows(), expected);
    let o = migrate(dir.path(), &db, &[]);
    ok(&o);
    assert!(stdout(&o).contains("nothing to apply"), "{}", stdout(&o));
    assert_eq!(db.rows().len(), 2);
    assert_eq!(
        states(dir.path(), &db),
        ["0000_first applied", "0001_second applied"]
    );
}

#[test]
fn applies_and_records_pg() {
    applies_and_records(Kind::Postgres);
}

#[test]
fn applies_and_records_mysql() {
    applies_and_records(Kind::Mysql);
}

#[test]
fn applies_and_records_sqlite() {
    applies_and_records(Kind::Sqlite);
}

/// Two files of the same text (a real D1 folder has four) are two migrations, each with its row.
fn identical_files_each_get_a_row(kind: Kind) {
    let db = Db::new(kind, "same");
    let dir = scratch("same");
    let same = "CREATE TABLE IF NOT EXISTS t2 (y int);\n";
    folder(
        dir.path(),
        kind,
        &[
            ("0000_first", WHEN, "CREATE TABLE t1 (x int);\n"),
            ("0001_again", WHEN + 1000, same),
            ("0002_again", WHEN + 2000, same),
            ("0003_last", WHEN + 3000, "CREATE TABLE t3 (z int);\n"),
        ],
    );
    let o = migrate(dir.path(), &db, &[]);
    ok(&o);
    assert!(
        stdout(&o).contains("applied 4 migrations"),
        "{}",
        stdout(&o)
    );
    assert_eq!(db.rows().len(), 4);
    let o = migrate(dir.path(), &db, &[]);
    ok(&o);
    assert!(stdout(&o).contains("nothing to apply"), "{}", stdout(&o));
}

#[test]
fn identical_files_each_get_a_row_sqlite() {
    identical_files_each_get_a_row(Kind::Sqlite);
}

#[test]
fn identical_files_each_get_a_row_pg() {
    identical_files_each_get_a_row(Kind::Postgres);
}

#[test]
fn pg_table_is_drizzles_and_honours_the_config() {
    let db = Db::new(Kind::Postgres, "table");
    let dir = scratch("table");
    folder(dir.path(), Kind::Postgres, &two_tables());
    std::fs::write(
        dir.path().join("drizzle.config.ts"),
        format!(
            "export default {{ dialect: 'postgresql', schema: './schema.ts', out: './drizzle', dbCredentials: {{ url: '{}' }}, migrations: {{ table: 'history', schema: 'ops' }} }};",
            db.url()
        ),
    )
    .unwrap();
    ok(&schemac(dir.path(), &["migrate"]));
    db.execute("SELECT id, hash, created_at FROM ops.history")
        .unwrap();
    assert!(!db.has_table("drizzle.__drizzle_migrations"));
    let o = schemac(dir.path(), &["status"]);
    ok(&o);
    assert!(stdout(&o).contains("2 applied, 0 pending") && stdout(&o).contains("ops.history"));
}

// ---- connections: credentials never printed ----

#[test]
fn passwords_never_appear() {
    let db = Db::new(Kind::Postgres, "secret");
    let dir = scratch("secret");
    folder(dir.path(), Kind::Postgres, &two_tables());
    let Db::Pg(pg) = &db else { unreachable!() };
    // The server trusts local connections, so any password works.
    std::fs::write(
        dir.path().join("drizzle.config.ts"),
        format!(
            "export default {{ dialect: 'postgresql', schema: './schema.ts', dbCredentials: {{ host: '127.0.0.1', port: 5432, user: 'postgres', password: 'hunter2-secret', database: '{}', ssl: false }} }};",
            pg.name
        ),
    )
    .unwrap();
    let o = schemac(dir.path(), &["migrate"]);
    ok(&o);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!all.contains("hunter2") && all.contains(":***@"), "{all}");
    // A refused connection: the message names the target, not the password.
    let o = schemac(
        dir.path(),
        &[
            "--format",
            "json",
            "status",
            "--url",
            "postgres://postgres:hunter2-secret@127.0.0.1:1/x",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!all.contains("hunter2") && all.contains("E8002"), "{all}");
    // A database that does not exist: the server's message, without its source position,
    // and what to do.
    let o = schemac(
        dir.path(),
        &[
            "--format",
            "json",
            "status",
            "--url",
            "postgres://postgres@127.0.0.1:5432/schemac_no_such_database",
        ],
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "E8002", "{d:#}");
    assert_eq!(
        d["notes"][0], "database \"schemac_no_such_database\" does not exist (SQLSTATE 3D000)",
        "{d:#}"
    );
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .starts_with("create the database"),
        "{d:#}"
    );
    // A config without credentials.
    std::fs::write(
        dir.path().join("drizzle.config.ts"),
        "export default { dialect: 'postgresql', schema: './schema.ts' };",
    )
    .unwrap();
    let o = schemac(dir.path(), &["migrate"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("E8001") && stderr(&o).contains("dbCredentials"),
        "{}",
        stderr(&o)
    );
}

/// The most common setup mistake: the config's URL comes from a variable that is not set.
/// The error says which variable, and --url (the database given on the command line) works
/// whatever driver the config names (an Expo or D1 project's local file).
#[test]
fn unset_url_variable_and_driver_configs_take_url() {
    let dir = scratch("sqlite-unset-env");
    folder(dir.path(), Kind::Sqlite, &two_tables());
    std::fs::write(
        dir.path().join("drizzle.config.ts"),
        "export default { dialect: 'sqlite', driver: 'expo', schema: './schema.ts', dbCredentials: { url: process.env.SCHEMAC_TEST_NEVER_SET! } };",
    )
    .unwrap();
    let o = schemac(dir.path(), &["--format", "json", "migrate"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &doc["diagnostics"];
    assert_eq!(d[0]["code"], "E8001", "{d:#}");
    assert_eq!(d[1]["code"], "W0007", "{d:#}");
    assert!(
        d[1]["message"]
            .as_str()
            .unwrap()
            .contains("SCHEMAC_TEST_NEVER_SET"),
        "{d:#}"
    );
    ok(&schemac(dir.path(), &["migrate", "--url", "./local.db"]));
    assert!(dir.path().join("local.db").is_file());
}

#[test]
fn sqlite_config_url_with_file_prefix() {
    let dir = scratch("sqlite-config");
    folder(dir.path(), Kind::Sqlite, &two_tables());
    std::fs::write(
        dir.path().join("drizzle.config.ts"),
        "export default { dialect: 'sqlite', schema: './schema.ts', dbCredentials: { url: 'file:./data.db' } };",
    )
    .unwrap();
    ok(&schemac(dir.path(), &["migrate"]));
    assert!(dir.path().join("data.db").is_file());
}

// ---- failures: transactions per file, located reports ----

const FAILING: &str = "CREATE TABLE t3 (z int);\n--> statement-breakpoint\nCREATE TABLE t4 (z int);\n--> statement-breakpoint\nINSERT INTO missing_table VALUES (1);\n--> statement-breakpoint\nCREATE TABLE t5 (z int);";

fn failing_file(kind: Kind) -> (Db, tempfile::TempDir, serde_json::Value) {
    let db = Db::new(kind, "fail");
    let dir = scratch("fail");
    let mut files = two_tables();
    files.insert(1, ("0001_broken", WHEN + 500, FAILING));
    folder(dir.path(), kind, &files);
    let url = db.url();
    let o = schemac(
        dir.path(),
        &[
            "--format", "json", "migrate", "--out", "drizzle", "--url", &url,
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "E8003", "{doc:#}");
    assert!(
        d["file"]
            .as_str()
            .unwrap()
            .ends_with("drizzle/0001_broken.sql")
    );
    assert_eq!(d["line"], 5, "the failing statement's line: {doc:#}");
    assert!(
        db.has_table("t1"),
        "the file before the failure stays applied"
    );
    assert!(!db.has_table("t5") && !db.has_table("t2"));
    assert_eq!(db.rows().len(), 1);
    (db, dir, doc)
}

fn notes(doc: &serde_json::Value) -> String {
    doc["diagnostics"][0]["notes"].to_string()
}

#[test]
fn failing_file_rolls_back_pg() {
    let (db, dir, doc) = failing_file(Kind::Postgres);
    assert!(
        !db.has_table("t3") && !db.has_table("t4"),
        "the whole file rolled back"
    );
    assert!(notes(&doc).contains("SQLSTATE 42P01"), "{doc:#}");
    assert!(notes(&doc).contains("nothing of 0001_broken stays applied"));
    // PostgreSQL's error position: the missing table's name.
    assert_eq!(doc["diagnostics"][0]["column"], 13, "{doc:#}");
    // Fixed, the next run completes.
    std::fs::write(
        dir.path().join("drizzle/0001_broken.sql"),
        "CREATE TABLE t3 (z int);",
    )
    .unwrap();
    ok(&migrate(dir.path(), &db, &[]));
    assert_eq!(db.rows().len(), 3);
}

#[test]
fn failing_file_rolls_back_sqlite() {
    let (db, _dir, doc) = failing_file(Kind::Sqlite);
    assert!(!db.has_table("t3") && !db.has_table("t4"));
    assert!(
        doc["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("missing_table")
    );
}

#[test]
fn failing_file_reports_what_ran_mysql() {
    let (db, _dir, doc) = failing_file(Kind::Mysql);
    // MySQL commits DDL statement by statement: the report says exactly what stays.
    assert!(db.has_table("t3") && db.has_table("t4"));
    let n = notes(&doc);
    assert!(n.contains("MySQL error 1146"), "{n}");
    assert!(
        n.contains("statements 1-2 of 0001_broken ran and stay applied (committed); statement 3 failed; statement 4 did not run; 0001_broken is not recorded"),
        "{n}"
    );
    assert!(
        n.contains("applied before it in this run: 0000_first"),
        "{n}"
    );
}

#[test]
fn human_report_is_located() {
    let db = Db::new(Kind::Postgres, "human");
    let dir = scratch("human");
    folder(
        dir.path(),
        Kind::Postgres,
        &[(
            "0000_x",
            WHEN,
            "CREATE TABLE t1 (x int);\n--> statement-breakpoint\nSELECT nope FROM t1;",
        )],
    );
    let o = migrate(dir.path(), &db, &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("drizzle/0000_x.sql:3:8"), "{e}");
    assert!(e.contains("column \"nope\" does not exist"), "{e}");
    assert!(e.contains("[1/1] 0000_x ... failed"), "{e}");
}

// ---- transactions: the opt-out marker, enum values ----

#[test]
fn no_transaction_marker_pg() {
    let db = Db::new(Kind::Postgres, "notx");
    let dir = scratch("notx");
    let index = "CREATE INDEX CONCURRENTLY t1_x ON t1 (x);";
    folder(
        dir.path(),
        Kind::Postgres,
        &[
            ("0000_t", WHEN, "CREATE TABLE t1 (x int);"),
            ("0001_i", WHEN + 1, index),
        ],
    );
    let o = migrate(dir.path(), &db, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        doc["diagnostics"][0]["help"]
            .as_str()
            .unwrap()
            .contains("-- schemac:no-transaction"),
        "{doc:#}"
    );
    std::fs::write(
        dir.path().join("drizzle/0001_i.sql"),
        format!("-- schemac:no-transaction\n{index}"),
    )
    .unwrap();
    ok(&migrate(dir.path(), &db, &[]));
    assert_eq!(db.rows().len(), 2);
}

#[test]
fn enum_value_used_in_the_same_file_pg() {
    let db = Db::new(Kind::Postgres, "enum");
    let dir = scratch("enum");
    folder(
        dir.path(),
        Kind::Postgres,
        &[
            (
                "0000_mood",
                WHEN,
                "CREATE TYPE \"public\".\"mood\" AS ENUM('sad', 'ok');--> statement-breakpoint\nCREATE TABLE \"people\" (\n\t\"mood\" \"mood\" DEFAULT 'ok'\n);\n",
            ),
            (
                "0001_happy",
                WHEN + 1,
                "ALTER TYPE \"public\".\"mood\" ADD VALUE 'happy';--> statement-breakpoint\nALTER TABLE \"people\" ALTER COLUMN \"mood\" SET DEFAULT 'happy';",
            ),
        ],
    );
    // drizzle-orm runs both files in one transaction and fails: "unsafe use of new value".
    ok(&migrate(dir.path(), &db, &[]));
    db.execute("INSERT INTO people DEFAULT VALUES").unwrap();
    db.execute("SELECT 1 FROM people WHERE mood = 'happy'")
        .unwrap();
    assert_eq!(db.rows().len(), 2);
}

// ---- checksums ----

fn modified_file(kind: Kind) {
    let db = Db::new(kind, "modified");
    let dir = scratch("modified");
    folder(dir.path(), kind, &two_tables());
    ok(&migrate(dir.path(), &db, &[]));
    let file = dir.path().join("drizzle/0000_first.sql");
    let before = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{before}\n-- edited")).unwrap();
    let o = migrate(dir.path(), &db, &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("E8004") && e.contains("0000_first changed after it was applied"),
        "{e}"
    );
    assert!(
        e.contains(&sha256_hex(&before))
            && e.contains(&sha256_hex(&format!("{before}\n-- edited")))
    );
    assert!(e.contains("--accept-modified"));
    assert_eq!(states(dir.path(), &db)[0], "0000_first modified");
    let o = migrate(dir.path(), &db, &["--accept-modified"]);
    ok(&o);
    assert!(stderr(&o).contains("W8007"), "{}", stderr(&o));
    assert_eq!(states(dir.path(), &db)[0], "0000_first applied");
}

#[test]
fn modified_file_stops_the_run_pg() {
    modified_file(Kind::Postgres);
}

#[test]
fn modified_file_stops_the_run_mysql() {
    modified_file(Kind::Mysql);
}

#[test]
fn modified_file_stops_the_run_sqlite() {
    modified_file(Kind::Sqlite);
}

// ---- out of order ----

fn out_of_order(kind: Kind) {
    let db = Db::new(kind, "order");
    let dir = scratch("order");
    let a = ("0000_a", WHEN, "CREATE TABLE ta (x int);");
    let b = ("0001_b", WHEN + 1000, "CREATE TABLE tb (x int);");
    let c = ("0002_c", WHEN + 2000, "CREATE TABLE tc (x int);");
    folder(dir.path(), kind, &[a, c]);
    ok(&migrate(dir.path(), &db, &[]));
    // b arrives from an older branch: drizzle-orm would skip it silently.
    folder(dir.path(), kind, &[a, b, c]);
    assert_eq!(
        states(dir.path(), &db),
        ["0000_a applied", "0001_b out-of-order", "0002_c applied"]
    );
    let o = migrate(dir.path(), &db, &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("E8005") && e.contains("0001_b") && e.contains("--allow-out-of-order"),
        "{e}"
    );
    assert!(!db.has_table("tb"));
    let o = migrate(dir.path(), &db, &["--allow-out-of-order"]);
    ok(&o);
    assert!(stderr(&o).contains("W8006"));
    assert!(db.has_table("tb"));
    assert_eq!(db.rows().len(), 3);
}

#[test]
fn out_of_order_is_refused_then_applied_pg() {
    out_of_order(Kind::Postgres);
}

#[test]
fn out_of_order_is_refused_then_applied_mysql() {
    out_of_order(Kind::Mysql);
}

#[test]
fn out_of_order_is_refused_then_applied_sqlite() {
    out_of_order(Kind::Sqlite);
}

// ---- the lock: ten runs at once ----

fn ten_at_once(kind: Kind) {
    let db = Db::new(kind, "lock");
    let dir = scratch("lock");
    let files: Vec<(String, i64, String)> = (0..20)
        .map(|i| {
            (
                format!("{i:04}_t{i}"),
                WHEN + i,
                format!("CREATE TABLE c{i} (x int);\n--> statement-breakpoint\nINSERT INTO c{i} VALUES ({i});"),
            )
        })
        .collect();
    let refs: Vec<(&str, i64, &str)> = files
        .iter()
        .map(|(t, w, s)| (t.as_str(), *w, s.as_str()))
        .collect();
    folder(dir.path(), kind, &refs);
    let url = db.url();
    let children: Vec<_> = (0..10)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_schemac"))
                .args(["migrate", "--out", "drizzle", "--url", &url])
                .current_dir(dir.path())
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        ok(&o);
    }
    let rows = db.rows();
    assert_eq!(rows.len(), 20, "each migration exactly once: {rows:?}");
    for i in 0..20 {
        // Each INSERT ran once.
        db.execute(&format!("SELECT x FROM c{i}")).unwrap();
    }
    if let Db::My(d) = &db {
        for i in 0..20 {
            assert_eq!(
                d.mysql_texts(&format!("SELECT CAST(count(*) AS CHAR) FROM c{i}")),
                ["1"]
            );
        }
    }
}

#[test]
fn ten_runs_at_once_pg() {
    ten_at_once(Kind::Postgres);
}

#[test]
fn ten_runs_at_once_mysql() {
    ten_at_once(Kind::Mysql);
}

#[test]
fn ten_runs_at_once_sqlite() {
    ten_at_once(Kind::Sqlite);
}

// ---- a run killed mid-migration ----

#[test]
fn killed_run_leaves_a_migration_boundary_pg() {
    let db = Db::new(Kind::Postgres, "kill");
    let dir = scratch("kill");
    folder(
        dir.path(),
        Kind::Postgres,
        &[
            ("0000_a", WHEN, "CREATE TABLE ka (x int);"),
            (
                "0001_slow",
                WHEN + 1,
                "CREATE TABLE kb (x int);\n--> statement-breakpoint\nSELECT pg_sleep(3);\n--> statement-breakpoint\nCREATE TABLE kc (x int);",
            ),
            ("0002_c", WHEN + 2, "CREATE TABLE kd (x int);"),
        ],
    );
    let url = db.url();
    let mut child = Command::new(env!("CARGO_BIN_EXE_schemac"))
        .args(["migrate", "--out", "drizzle", "--url", &url])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while db.rows().is_empty() {
        assert!(
            start.elapsed().as_secs() < 20,
            "the first migration never landed"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // At a migration boundary: the slow file's transaction is not committed.
    assert_eq!(db.rows().len(), 1);
    assert!(db.has_table("ka") && !db.has_table("kb"));
    // The next run waits for the dead session's lock to go, then completes.
    let o = migrate(dir.path(), &db, &[]);
    ok(&o);
    assert_eq!(db.rows().len(), 3);
    assert!(db.has_table("kb") && db.has_table("kc") && db.has_table("kd"));
}

// ---- SQLite table rebuilds ----

#[test]
fn sqlite_rebuild_does_not_cascade() {
    let db = Db::new(Kind::Sqlite, "rebuild");
    let dir = scratch("rebuild");
    let init = "CREATE TABLE `users` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`name` text\n);\n--> statement-breakpoint\nCREATE TABLE `posts` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`author` integer REFERENCES `users`(`id`) ON DELETE cascade\n);\n--> statement-breakpoint\nINSERT INTO `users` VALUES (1, 'ann');\n--> statement-breakpoint\nINSERT INTO `posts` VALUES (10, 1);";
    // drizzle-kit's rebuild of `users` (a NOT NULL added to `name`).
    let rebuild = "PRAGMA foreign_keys=OFF;--> statement-breakpoint\nCREATE TABLE `__new_users` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`name` text NOT NULL\n);\n--> statement-breakpoint\nINSERT INTO `__new_users`(\"id\", \"name\") SELECT \"id\", \"name\" FROM `users`;--> statement-breakpoint\nDROP TABLE `users`;--> statement-breakpoint\nALTER TABLE `__new_users` RENAME TO `users`;--> statement-breakpoint\nPRAGMA foreign_keys=ON;";
    folder(
        dir.path(),
        Kind::Sqlite,
        &[
            ("0000_init", WHEN, init),
            ("0001_rebuild", WHEN + 1, rebuild),
        ],
    );
    ok(&migrate(dir.path(), &db, &[]));
    // drizzle-orm runs this inside its transaction, where the pragma is ignored, and the DROP
    // TABLE deletes every post. (`json('x')` fails: the query errs unless the post is there.)
    db.execute("SELECT json(CASE WHEN (SELECT count(*) FROM posts) = 1 THEN '1' ELSE 'x' END)")
        .expect("the post survived the rebuild");
    db.execute("SELECT json(CASE WHEN (SELECT count(*) FROM users) = 1 THEN '1' ELSE 'x' END)")
        .unwrap();
}

/// A rebuild that selects a column the old table lacks (drizzle-kit wrote such files after a
/// rename it took for a drop and an add) fails, as with drizzle's better-sqlite3: the bundled
/// SQLite reads `"authors"` as a name, never as the text 'authors' that would overwrite rows.
#[test]
fn sqlite_double_quoted_names_are_never_strings() {
    let db = Db::new(Kind::Sqlite, "dqs");
    let dir = scratch("dqs");
    let init = "CREATE TABLE `books` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`author` text\n);\n--> statement-breakpoint\nINSERT INTO `books` VALUES (1, 'Tolkien');";
    let rebuild = "CREATE TABLE `__new_books` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`authors` text\n);\n--> statement-breakpoint\nINSERT INTO `__new_books`(\"id\", \"authors\") SELECT \"id\", \"authors\" FROM `books`;--> statement-breakpoint\nDROP TABLE `books`;--> statement-breakpoint\nALTER TABLE `__new_books` RENAME TO `books`;";
    folder(
        dir.path(),
        Kind::Sqlite,
        &[
            ("0000_init", WHEN, init),
            ("0001_rebuild", WHEN + 1, rebuild),
        ],
    );
    let o = migrate(dir.path(), &db, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("no such column"), "{}", stderr(&o));
    // The row keeps its author.
    db.execute(
        "SELECT json(CASE WHEN (SELECT author FROM books) = 'Tolkien' THEN '1' ELSE 'x' END)",
    )
    .expect("the row kept its value");
}

/// Journals started by older drizzle-kit versions say `pg`.
#[test]
fn a_pg_journal_is_postgresql() {
    let db = Db::new(Kind::Postgres, "pgjournal");
    let dir = scratch("pgjournal");
    folder(dir.path(), Kind::Postgres, &two_tables());
    let jp = dir.path().join("drizzle/meta/_journal.json");
    let text = std::fs::read_to_string(&jp).unwrap();
    std::fs::write(&jp, text.replace("\"postgresql\"", "\"pg\"")).unwrap();
    ok(&migrate(dir.path(), &db, &[]));
    assert_eq!(db.rows().len(), 2);
}

#[test]
fn journal_of_another_dialect_is_refused() {
    let db = Db::new(Kind::Sqlite, "dialect");
    let dir = scratch("dialect");
    folder(dir.path(), Kind::Postgres, &two_tables());
    let o = migrate(dir.path(), &db, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("E6003")
            && stderr(&o).contains("for postgresql, the database is sqlite"),
        "{}",
        stderr(&o)
    );
    assert!(db.rows().is_empty());
}

#[test]
fn rows_of_removed_migrations_are_reported() {
    let db = Db::new(Kind::Postgres, "unknown");
    let dir = scratch("unknown");
    folder(dir.path(), Kind::Postgres, &two_tables());
    ok(&migrate(dir.path(), &db, &[]));
    folder(dir.path(), Kind::Postgres, &two_tables()[..1]);
    let doc = status_json(dir.path(), &db);
    assert_eq!(
        doc["unknown"][0]["hash"],
        sha256_hex(two_tables()[1].2),
        "{doc:#}"
    );
    assert_eq!(doc["unknown"][0]["createdAt"], WHEN + 1000);
    assert_eq!(doc["diagnostics"][0]["code"], "W8008");
    let url = db.url();
    let o = schemac(dir.path(), &["status", "--out", "drizzle", "--url", &url]);
    ok(&o);
    assert!(
        stdout(&o).contains("applied       0000_first"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("unknown       hash "), "{}", stdout(&o));
    let o = migrate(dir.path(), &db, &[]);
    ok(&o);
    assert!(stderr(&o).contains("W8008") && stdout(&o).contains("nothing to apply"));
}

/// Runs one statement on the MariaDB server as root.
fn mysql_admin(sql: &str) -> Result<(), String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let mut c = schemac_runtime::mysql::connect(support::MY_BASE)
                .await
                .map_err(|e| e.to_string())?;
            schemac_runtime::mysql::execute_all(&mut c, &[sql.to_string()])
                .await
                .map_err(|e| e.to_string())
        })
}

/// A MariaDB user with a password, dropped with the value.
struct MyUser(String);

impl Drop for MyUser {
    fn drop(&mut self) {
        let _ = mysql_admin(&format!("DROP USER IF EXISTS '{}'@'%'", self.0));
    }
}

#[test]
fn mysql_host_form_with_a_password() {
    let db = TempDb::mysql("myhost");
    let user = MyUser(format!("u_{}", &db.name[db.name.len() - 12..]));
    mysql_admin(&format!(
        "CREATE USER '{}'@'%' IDENTIFIED BY 'pa55-word'",
        user.0
    ))
    .unwrap();
    mysql_admin(&format!("GRANT ALL ON `{}`.* TO '{}'@'%'", db.name, user.0)).unwrap();
    let dir = scratch("myhost");
    folder(dir.path(), Kind::Mysql, &two_tables());
    let config = |password: &str| {
        format!(
            "export default {{ dialect: 'mysql', schema: './schema.ts', dbCredentials: {{ host: '127.0.0.1', port: '3306', user: '{}', password: '{password}', database: '{}' }} }};",
            user.0, db.name
        )
    };
    std::fs::write(dir.path().join("drizzle.config.ts"), config("pa55-word")).unwrap();
    let o = schemac(dir.path(), &["migrate"]);
    ok(&o);
    assert!(!format!("{}{}", stdout(&o), stderr(&o)).contains("pa55"));
    assert!(
        stdout(&o).contains(":***@127.0.0.1:3306/"),
        "{}",
        stdout(&o)
    );
    // A wrong password: refused, and neither password is shown.
    std::fs::write(dir.path().join("drizzle.config.ts"), config("wrong-pa55")).unwrap();
    let o = schemac(dir.path(), &["status"]);
    assert_eq!(o.status.code(), Some(1));
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(all.contains("E8002") && !all.contains("pa55"), "{all}");
}

/// A deploy role that may not create schemas still migrates once the table exists.
#[test]
fn pg_role_without_create_privilege() {
    let mut db = TempDb::postgres("priv");
    let role = format!("r_{}", &db.name[db.name.len() - 14..]);
    db.roles.push(role.clone());
    support::pg_admin(&[format!("CREATE ROLE \"{role}\" LOGIN")]).unwrap();
    let dir = scratch("priv");
    folder(dir.path(), Kind::Postgres, &two_tables()[..1]);
    let admin = Db::Pg(db);
    ok(&migrate(dir.path(), &admin, &[]));
    let Db::Pg(db) = &admin else { unreachable!() };
    db.execute(&[
        format!("REVOKE CREATE ON DATABASE \"{}\" FROM PUBLIC", db.name),
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC".into(),
        format!("GRANT USAGE, CREATE ON SCHEMA public, drizzle TO \"{role}\""),
        format!("GRANT ALL ON ALL TABLES IN SCHEMA drizzle TO \"{role}\""),
        format!("GRANT ALL ON ALL SEQUENCES IN SCHEMA drizzle TO \"{role}\""),
    ])
    .unwrap();
    folder(dir.path(), Kind::Postgres, &two_tables());
    let url = format!(
        "{}/{}",
        support::PG_BASE.replace("postgres@", &format!("{role}@")),
        db.name
    );
    let o = schemac(dir.path(), &["migrate", "--out", "drizzle", "--url", &url]);
    ok(&o);
    assert_eq!(admin.rows().len(), 2);
}

/// A file whose enum values commit before its failing statement: the report says so, and the
/// next run (file fixed) adds nothing twice.
#[test]
fn enum_value_then_failure_then_rerun_pg() {
    let db = Db::new(Kind::Postgres, "enumfail");
    let dir = scratch("enumfail");
    let init = (
        "0000_mood",
        WHEN,
        "CREATE TYPE \"public\".\"mood\" AS ENUM('sad');",
    );
    folder(
        dir.path(),
        Kind::Postgres,
        &[
            init,
            (
                "0001_happy",
                WHEN + 1,
                "ALTER TYPE \"public\".\"mood\" ADD VALUE 'happy';--> statement-breakpoint\nCREATE TABLE t (m mood DEFAULT 'happy', x nope);",
            ),
        ],
    );
    let o = migrate(dir.path(), &db, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        notes(&doc).contains("statement 1 of 0001_happy ran and stay applied (committed); statement 2 failed; it was the last; 0001_happy is not recorded"),
        "{doc:#}"
    );
    folder(
        dir.path(),
        Kind::Postgres,
        &[
            init,
            (
                "0001_happy",
                WHEN + 1,
                "ALTER TYPE \"public\".\"mood\" ADD VALUE 'happy';--> statement-breakpoint\nCREATE TABLE t (m mood DEFAULT 'happy');",
            ),
        ],
    );
    ok(&migrate(dir.path(), &db, &[]));
    assert_eq!(db.rows().len(), 2);
}

/// drizzle-kit's order for a new enum and a new value of another: `CREATE TYPE` first, then
/// `ADD VALUE` that nothing later uses. A later failure leaves nothing of the file applied
/// (nothing was committed early), so the same file runs once its cause is fixed; committed
/// early, the retry failed at `type "color" already exists`.
#[test]
fn a_failure_after_an_unused_enum_value_leaves_nothing_applied_pg() {
    let db = Db::new(Kind::Postgres, "enumunused");
    let dir = scratch("enumunused");
    let files = [
        (
            "0000_init",
            WHEN,
            "CREATE TYPE \"public\".\"mood\" AS ENUM('a');--> statement-breakpoint\nCREATE TABLE t (id serial PRIMARY KEY, email text);",
        ),
        (
            "0001_second",
            WHEN + 1,
            "CREATE TYPE \"public\".\"color\" AS ENUM('red');--> statement-breakpoint\nALTER TYPE \"public\".\"mood\" ADD VALUE 'b';--> statement-breakpoint\nALTER TABLE \"t\" ADD COLUMN \"c\" \"color\";--> statement-breakpoint\nCREATE UNIQUE INDEX \"t_email_idx\" ON \"t\" (\"email\");",
        ),
    ];
    folder(dir.path(), Kind::Postgres, &files[..1]);
    ok(&migrate(dir.path(), &db, &[]));
    db.execute("INSERT INTO t (email) VALUES ('x'), ('x')")
        .unwrap();
    folder(dir.path(), Kind::Postgres, &files);
    let o = migrate(dir.path(), &db, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        notes(&doc).contains("nothing of 0001_second stays applied"),
        "{doc:#}"
    );
    db.execute("DELETE FROM t WHERE id = 2").unwrap();
    ok(&migrate(dir.path(), &db, &[]));
    assert_eq!(db.rows().len(), 2);
}

// ---- waiting for the lock ----

fn lock_timeout(kind: Kind, sleep: &str) {
    let db = Db::new(kind, "locktimeout");
    let dir = scratch("locktimeout");
    folder(dir.path(), kind, &[("0000_slow", WHEN, sleep)]);
    let url = db.url();
    let mut slow = Command::new(env!("CARGO_BIN_EXE_schemac"))
        .args(["migrate", "--out", "drizzle", "--url", &url])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The table appears once the slow run holds the lock.
    let start = std::time::Instant::now();
    while !db.has_table("__drizzle_migrations") && !db.has_table("drizzle.__drizzle_migrations") {
        assert!(start.elapsed().as_secs() < 20);
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o = migrate(dir.path(), &db, &["--lock-timeout", "1"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("waiting for another migration run")
            && e.contains("E8010")
            && e.contains("--lock-timeout"),
        "{e}"
    );
    assert!(slow.wait().unwrap().success());
    // Once it is done, a run finds nothing to do.
    let o = migrate(dir.path(), &db, &[]);
    ok(&o);
    assert!(stdout(&o).contains("nothing to apply"));
}

#[test]
fn lock_timeout_pg() {
    lock_timeout(Kind::Postgres, "SELECT pg_sleep(3);");
}

#[test]
fn lock_timeout_mysql() {
    lock_timeout(Kind::Mysql, "SELECT SLEEP(3);");
}

/// A modified and an out-of-order migration: one run reports both, and applies nothing.
#[test]
fn every_refusal_in_one_run() {
    let db = Db::new(Kind::Sqlite, "refusals");
    let dir = scratch("refusals");
    let a = ("0000_a", WHEN, "CREATE TABLE ta (x int);");
    let b = ("0001_b", WHEN + 1000, "CREATE TABLE tb (x int);");
    let c = ("0002_c", WHEN + 2000, "CREATE TABLE tc (x int);");
    folder(dir.path(), Kind::Sqlite, &[a, c]);
    ok(&migrate(dir.path(), &db, &[]));
    folder(
        dir.path(),
        Kind::Sqlite,
        &[("0000_a", WHEN, "CREATE TABLE ta (x int, y int);"), b, c],
    );
    let o = migrate(dir.path(), &db, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["E8004", "E8005"], "{doc:#}");
    assert!(!db.has_table("tb"));
    let status = status_json(dir.path(), &db);
    assert_eq!(status["diagnostics"][0]["code"], "W8007", "{status:#}");
    ok(&migrate(
        dir.path(),
        &db,
        &["--accept-modified", "--allow-out-of-order"],
    ));
    assert!(db.has_table("tb"));
    assert_eq!(
        states(dir.path(), &db),
        ["0000_a applied", "0001_b applied", "0002_c applied"]
    );
}
