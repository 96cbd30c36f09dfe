//! drizzle-kit's `migrate` and schemac's on the same database, both ways: each continues the
//! other's history and no migration is applied twice. Needs the oracle (SCHEMAC_ORACLE_DIR, its
//! node_modules installed by its setup.sh); skipped without it.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{TempDb, TempSqlite, ok, schemac, stderr, stdout};

const WHEN: u64 = 1_700_000_000_000;

/// drizzle-kit's node_modules as the oracle's dk.sh finds them, when the oracle is set up.
fn oracle_modules() -> Option<PathBuf> {
    std::env::var_os("SCHEMAC_ORACLE_DIR")?;
    let nm = support::oracle_node_modules();
    nm.join("drizzle-kit/bin.cjs").is_file().then_some(nm)
}

fn drizzle_kit_migrate(dir: &Path, nm: &Path) {
    let o = Command::new("node")
        .arg(nm.join("drizzle-kit/bin.cjs"))
        .arg("migrate")
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("node runs");
    assert!(
        o.status.success(),
        "drizzle-kit migrate failed:\n{}\n{}",
        stdout(&o),
        stderr(&o)
    );
}

/// The folder with the first `n` of three migrations.
fn write_folder(dir: &Path, dialect: &str, n: usize) {
    let all = [
        (
            "0000_users",
            "CREATE TABLE users (id int);\n--> statement-breakpoint\nCREATE INDEX users_id ON users (id);",
        ),
        ("0001_posts", "CREATE TABLE posts (id int);"),
        ("0002_tags", "CREATE TABLE tags (id int);"),
    ];
    let out = dir.join("drizzle");
    std::fs::create_dir_all(out.join("meta")).unwrap();
    let entries: Vec<serde_json::Value> = all[..n]
        .iter()
        .enumerate()
        .map(|(i, (tag, _))| serde_json::json!({"idx": i, "version": "7", "when": WHEN + i as u64 * 1000, "tag": tag, "breakpoints": true}))
        .collect();
    std::fs::write(
        out.join("meta/_journal.json"),
        serde_json::to_string_pretty(
            &serde_json::json!({"version": "7", "dialect": dialect, "entries": entries}),
        )
        .unwrap(),
    )
    .unwrap();
    for (tag, sql) in &all[..n] {
        std::fs::write(out.join(format!("{tag}.sql")), sql).unwrap();
    }
}

fn project(dialect: &str, url: &str, nm: &Path) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("schemac-interop-")
        .tempdir()
        .unwrap();
    std::fs::write(
        dir.path().join("drizzle.config.ts"),
        format!("export default {{ dialect: '{dialect}', schema: './schema.ts', out: './drizzle', dbCredentials: {{ url: '{url}' }} }};"),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(nm, dir.path().join("node_modules")).unwrap();
    dir
}

fn status(dir: &Path) -> Vec<String> {
    let o = schemac(dir, &["--format", "json", "status"]);
    ok(&o);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["unknown"].as_array().unwrap().len(), 0, "{doc:#}");
    doc["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["state"].as_str().unwrap().to_string())
        .collect()
}

fn both_ways(dialect: &str, url: &str, nm: &Path) {
    // drizzle-kit first, schemac continues.
    let dir = project(dialect, url, nm);
    write_folder(dir.path(), dialect, 2);
    drizzle_kit_migrate(dir.path(), nm);
    assert_eq!(status(dir.path()), ["applied", "applied"]);
    write_folder(dir.path(), dialect, 3);
    let o = schemac(dir.path(), &["migrate"]);
    ok(&o);
    assert!(
        stdout(&o).contains("applied 1 migration "),
        "{}",
        stdout(&o)
    );
    assert_eq!(status(dir.path()), ["applied", "applied", "applied"]);
    // drizzle-kit again: nothing to do (re-creating a table would fail).
    drizzle_kit_migrate(dir.path(), nm);
}

fn reverse(dialect: &str, url: &str, nm: &Path) {
    // schemac first, drizzle-kit continues.
    let dir = project(dialect, url, nm);
    write_folder(dir.path(), dialect, 2);
    ok(&schemac(dir.path(), &["migrate"]));
    write_folder(dir.path(), dialect, 3);
    drizzle_kit_migrate(dir.path(), nm);
    assert_eq!(status(dir.path()), ["applied", "applied", "applied"]);
    let o = schemac(dir.path(), &["migrate"]);
    ok(&o);
    assert!(stdout(&o).contains("nothing to apply"), "{}", stdout(&o));
}

#[test]
fn interop_pg() {
    let Some(nm) = oracle_modules() else { return };
    let a = TempDb::postgres("interop");
    both_ways("postgresql", &a.url, &nm);
    let b = TempDb::postgres("interop");
    reverse("postgresql", &b.url, &nm);
}

#[test]
fn interop_mysql() {
    let Some(nm) = oracle_modules() else { return };
    let a = TempDb::mysql("interop");
    both_ways("mysql", &a.url, &nm);
    let b = TempDb::mysql("interop");
    reverse("mysql", &b.url, &nm);
}

#[test]
fn interop_sqlite() {
    let Some(nm) = oracle_modules() else { return };
    let a = TempSqlite::new("interop-a");
    both_ways("sqlite", &a.path.display().to_string(), &nm);
    let b = TempSqlite::new("interop-b");
    reverse("sqlite", &b.path.display().to_string(), &nm);
}

/// drizzle-kit's `generate` on an enum gaining a value that a default then uses writes
/// `ALTER TYPE … ADD VALUE 'happy'` then `SET DEFAULT 'happy'` in one file; drizzle-kit's
/// `migrate` fails on it ("unsafe use of new value"), schemac applies it as is.
#[test]
fn drizzle_kits_enum_value_migration_applies_pg() {
    let Some(nm) = oracle_modules() else { return };
    let failing = TempDb::postgres("dkenum");
    let dir = project("postgresql", &failing.url, &nm);
    let v1 = "import { pgEnum, pgTable, integer } from 'drizzle-orm/pg-core';\nexport const mood = pgEnum('mood', ['sad', 'ok']);\nexport const people = pgTable('people', { id: integer('id'), mood: mood('mood').default('ok') });\n";
    let v2 = v1
        .replace("['sad', 'ok']", "['sad', 'ok', 'happy']")
        .replace("default('ok')", "default('happy')");
    let generate = |schema: &str, name: &str| {
        std::fs::write(dir.path().join("schema.ts"), schema).unwrap();
        let o = Command::new("node")
            .arg(nm.join("drizzle-kit/bin.cjs"))
            .args(["generate", "--name", name])
            .current_dir(dir.path())
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    };
    generate(v1, "init");
    generate(&v2, "happy");
    let sql = std::fs::read_to_string(dir.path().join("drizzle/0001_happy.sql")).unwrap();
    assert!(
        sql.contains("ADD VALUE 'happy'") && sql.contains("SET DEFAULT 'happy'"),
        "{sql}"
    );
    let o = Command::new("node")
        .arg(nm.join("drizzle-kit/bin.cjs"))
        .arg("migrate")
        .current_dir(dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        !o.status.success(),
        "drizzle-kit migrate applied it after all"
    );
    let fresh = TempDb::postgres("dkenum");
    let o = schemac(dir.path(), &["migrate", "--url", &fresh.url]);
    ok(&o);
    assert!(
        stdout(&o).contains("applied 2 migrations"),
        "{}",
        stdout(&o)
    );
    fresh
        .execute(&["INSERT INTO people (id) VALUES (1)".into()])
        .unwrap();
    fresh
        .execute(&["SELECT 1 FROM people WHERE mood = 'happy'".into()])
        .unwrap();
}
