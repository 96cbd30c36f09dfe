//! One MySQL and one SQLite schema through six versions each (`tests/fixtures/evolve_mysql/`,
//! `tests/fixtures/evolve_sqlite/`), each version built with `schemac build` into one migrations
//! folder. After each step, on real MariaDB and SQLite:
//!
//! - the new migration applies to a database that has every earlier one and rows written at v1
//!   (and at v4), the way drizzle-orm's migrator runs it: MySQL statement by statement; SQLite
//!   inside one transaction with foreign keys on, where a table rebuild must keep every row of
//!   the rebuilt table and of the tables whose foreign keys cascade from it;
//! - the rows are still there, through table and column renames and rebuilds;
//! - a second build has no changes;
//! - with the oracle: all migrations replayed on an empty database, the step-by-step database
//!   and `schemac export` of the step give the same catalog.
//!
//! At the end, with the oracle: drizzle-kit `generate` finds no changes in the folder and
//! drizzle-kit `migrate` applies it to an empty database.

mod support;

use std::path::{Path, PathBuf};

use support::{
    TempDb, TempSqlite, export_statements, fixtures, migration_statements, ok, oracle, schemac,
    stderr, stdout,
};

const STEPS: usize = 6;

#[derive(Clone, Copy, PartialEq)]
enum Dialect {
    Mysql,
    Sqlite,
}

impl Dialect {
    fn name(self) -> &'static str {
        match self {
            Dialect::Mysql => "mysql",
            Dialect::Sqlite => "sqlite",
        }
    }
}

/// A database of either dialect, dropped with the value.
enum Db {
    My(TempDb),
    Lite(TempSqlite),
}

impl Db {
    fn new(dialect: Dialect, label: &str) -> Db {
        match dialect {
            Dialect::Mysql => Db::My(TempDb::mysql(label)),
            Dialect::Sqlite => Db::Lite(TempSqlite::new(label)),
        }
    }

    /// What drizzle-kit's config and the oracle's catalog take: a URL or a file path.
    fn url(&self) -> String {
        match self {
            Db::My(db) => db.url.clone(),
            Db::Lite(db) => db.path.display().to_string(),
        }
    }

    /// Statements run as drizzle-orm's migrator runs one migration: MySQL statement by
    /// statement (its DDL commits by itself), SQLite in one transaction with foreign keys on.
    fn apply(&self, statements: &[String]) -> Result<(), String> {
        match self {
            Db::My(db) => db.execute(statements),
            Db::Lite(db) => {
                let mut all = vec!["BEGIN".to_string()];
                all.extend(statements.iter().cloned());
                all.push("COMMIT".into());
                db.execute(&all)
            }
        }
    }

    /// The number a `SELECT count(*) ...` returns.
    fn count(&self, query: &str) -> i64 {
        let texts = match self {
            Db::My(db) => db.mysql_texts(&format!("SELECT CAST(({query}) AS CHAR)")),
            Db::Lite(db) => db.texts(&format!("SELECT CAST(({query}) AS TEXT)")),
        };
        texts[0].parse().unwrap()
    }
}

fn version(dialect: Dialect, n: usize) -> String {
    std::fs::read_to_string(fixtures().join(format!("evolve_{}/v{n}.ts", dialect.name()))).unwrap()
}

/// The project: `schema.ts`, a drizzle-kit config, and (with the oracle) drizzle-kit's packages.
fn project(dialect: Dialect, oracle_dir: Option<&Path>) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "schemac-evolve-{}-{}",
        dialect.name(),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("drizzle.config.ts"),
        format!(
            "import {{ defineConfig }} from 'drizzle-kit';\n\nexport default defineConfig({{\n  \
             dialect: '{}',\n  schema: './schema.ts',\n  out: './drizzle',\n  \
             dbCredentials: {{ url: process.env.DK_URL ?? 'none' }},\n}});\n",
            dialect.name()
        ),
    )
    .unwrap();
    if oracle_dir.is_some() {
        std::os::unix::fs::symlink(support::oracle_node_modules(), dir.join("node_modules"))
            .unwrap();
    }
    dir
}

/// Rows written at v1 (two users, a post each) and at v4 (a tag per post, SQLite only has
/// `post_tags` cascade from `posts`), under what each version calls them.
fn rows_hold(db: &Db, step: usize) {
    let (users, name, body) = match step {
        1 | 2 => ("users", "name", "body"),
        3..=5 => ("accounts", "name", "content"),
        _ => ("accounts", "display_name", "content"),
    };
    let people = db.count(&format!(
        "SELECT count(*) FROM {users} WHERE {name} IN ('ada', 'alan')"
    ));
    let posts = db.count(&format!(
        "SELECT count(*) FROM posts p JOIN {users} u ON u.id = p.author_id WHERE p.{body} = 'hello'"
    ));
    assert_eq!((people, posts), (2, 2), "rows lost at v{step}");
    if step >= 4 {
        assert_eq!(
            db.count("SELECT count(*) FROM post_tags"),
            2,
            "post_tags rows lost at v{step}"
        );
    }
}

fn write_rows(db: &Db, step: usize) {
    let statements: &[&str] = match step {
        1 => &[
            "INSERT INTO users (name, email, age) VALUES ('ada', 'a@x', 36), ('alan', 'b@x', 41)",
            "INSERT INTO posts (author_id, title, body) SELECT id, name, 'hello' FROM users",
        ],
        4 => &["INSERT INTO post_tags (post_id, tag_id) SELECT id, 1 FROM posts"],
        _ => &[],
    };
    if !statements.is_empty() {
        db.apply(&statements.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .unwrap_or_else(|e| panic!("rows at v{step}: {e}"));
    }
}

/// The oracle's normalized catalog of a database.
fn catalog(oracle_dir: &Path, dialect: Dialect, db: &Db) -> String {
    let o = std::process::Command::new("node")
        .arg(oracle_dir.join("lib/catalog.js"))
        .args([dialect.name(), &db.url()])
        .output()
        .expect("node runs");
    assert!(o.status.success(), "catalog.js: {}", stderr(&o));
    stdout(&o)
}

fn evolve(dialect: Dialect) {
    let oracle_dir = oracle();
    let dir = project(dialect, oracle_dir.as_deref());
    let live = Db::new(dialect, "evolvelive");
    for n in 1..=STEPS {
        std::fs::write(dir.join("schema.ts"), version(dialect, n)).unwrap();
        let name = format!("v{n}");
        ok(&schemac(&dir, &["build", "--name", &name]));
        let tags = support::journal_tags(&dir);
        assert_eq!(tags.len(), n, "v{n} wrote no migration");
        let file = dir.join(format!("drizzle/{}.sql", tags[n - 1]));
        let again = schemac(&dir, &["build", "--name", "again"]);
        ok(&again);
        assert!(
            stdout(&again).contains("No schema changes"),
            "v{n} re-diffs:\n{}\n--- the migration:\n{}",
            stdout(&again),
            std::fs::read_to_string(&file).unwrap_or_default()
        );

        live.apply(&migration_statements(&file))
            .unwrap_or_else(|e| {
                panic!(
                    "v{n} does not apply over v{}: {e}\n--- the migration:\n{}",
                    n - 1,
                    std::fs::read_to_string(&file).unwrap()
                )
            });
        write_rows(&live, n);
        rows_hold(&live, n);

        let Some(dk) = &oracle_dir else { continue };
        let replay = Db::new(dialect, "evolvereplay");
        for t in &tags {
            replay
                .apply(&migration_statements(&dir.join(format!("drizzle/{t}.sql"))))
                .unwrap_or_else(|e| panic!("replaying {t} at v{n}: {e}"));
        }
        let exported = Db::new(dialect, "evolveexport");
        exported
            .apply(&export_statements(
                &dir,
                &["--dialect", dialect.name(), "--schema", "schema.ts"],
            ))
            .unwrap();
        let want = catalog(dk, dialect, &exported);
        assert_eq!(
            catalog(dk, dialect, &replay),
            want,
            "replayed folder at v{n}"
        );
        assert_eq!(
            catalog(dk, dialect, &live),
            want,
            "step-by-step database at v{n}"
        );
    }

    if oracle_dir.is_some() {
        let o = support::drizzle_kit(&dir, "generate");
        let text = format!("{}{}", stdout(&o), stderr(&o));
        assert!(
            o.status.success() && text.contains("No schema changes"),
            "drizzle-kit generate found changes after v{STEPS}:\n{text}"
        );
        let db = Db::new(dialect, "evolvedk");
        let o = std::process::Command::new("node")
            .arg("node_modules/drizzle-kit/bin.cjs")
            .arg("migrate")
            .current_dir(&dir)
            .env("DK_URL", db.url())
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
        assert_eq!(db.count("SELECT count(*) FROM accounts"), 0);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn mysql_six_versions_migrate_step_by_step_like_export() {
    evolve(Dialect::Mysql);
}

#[test]
fn sqlite_six_versions_migrate_step_by_step_like_export() {
    evolve(Dialect::Sqlite);
}
