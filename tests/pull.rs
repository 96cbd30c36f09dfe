//! `schemac pull` against real databases: every corpus schema of every dialect pushed to an
//! empty database, pulled, and the pulled schema pushed and built against the same database
//! (no changes either way); databases made by drizzle-kit's SQL and by hand (an extension, a
//! view, a policy, names drizzle would never choose) pull into TypeScript that schemac and `tsc`
//! compile and that round-trips.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use support::*;

/// A scratch folder, removed when the `TempDir` is dropped.
struct Scratch(PathBuf, #[allow(dead_code)] tempfile::TempDir);

impl Scratch {
    fn new(label: &str) -> Scratch {
        let temp = tempfile::Builder::new()
            .prefix(&format!("schemac-pull-{label}-"))
            .tempdir()
            .unwrap();
        Scratch(temp.path().to_path_buf(), temp)
    }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    schemac(dir, args)
}

/// Pulls `url` into `<dir>/pulled`, then checks the pulled schema against the same database:
/// `push` finds no changes, `build` in the pulled folder finds no changes, and `tsc` accepts the
/// files (when TypeScript and drizzle-orm are installed).
fn pull_round_trip(dir: &Path, dialect: &str, url: &str, extra: &[&str]) -> String {
    let mut args = vec!["pull", "--url", url, "--out", "pulled"];
    args.extend_from_slice(extra);
    let o = run(dir, &args);
    ok(&o);
    let pulled = dir.join("pulled");
    let schema = std::fs::read_to_string(pulled.join("schema.ts")).unwrap();
    assert!(pulled.join("relations.ts").is_file());
    let journal = std::fs::read_to_string(pulled.join("meta/_journal.json")).unwrap();
    assert_eq!(
        journal.matches("\"tag\"").count(),
        1,
        "the first migration is written"
    );

    let mut push = vec![
        "push",
        "--dialect",
        dialect,
        "--schema",
        "pulled/schema.ts",
        "--url",
        url,
    ];
    push.extend(
        extra
            .iter()
            .filter(|a| a.starts_with("--schemaFilters") || a.starts_with("--tablesFilter"))
            .copied(),
    );
    let o = run(dir, &push);
    assert!(
        o.status.success() && stdout(&o).contains("No changes detected"),
        "pushing the pulled schema changes the database:\n{}\n{}\n--- schema.ts\n{schema}",
        stdout(&o),
        stderr(&o)
    );
    let o = run(
        &pulled,
        &[
            "build",
            "--dialect",
            dialect,
            "--schema",
            "schema.ts",
            "--out",
            ".",
        ],
    );
    assert!(
        o.status.success() && stdout(&o).contains("No schema changes"),
        "build after pull finds changes:\n{}\n{}\n--- schema.ts\n{schema}",
        stdout(&o),
        stderr(&o)
    );
    tsc_check(&pulled);
    schema
}

/// Pushes a corpus schema to `url`, then pulls it back.
fn corpus_case(dialect: &str, url: &str, entry: &str, casing: Option<&str>) {
    let s = Scratch::new("corpus");
    let schema_arg = copy_corpus(entry, &s.0);
    let mut args = vec![
        "push",
        "--dialect",
        dialect,
        "--schema",
        schema_arg,
        "--url",
        url,
    ];
    if let Some(c) = casing {
        args.extend(["--casing", c]);
    }
    ok(&run(&s.0, &args));
    // Every schema the push made (pull reads `public` unless told).
    let filter_args = if dialect == "postgresql" {
        pg_schema_filters(url)
    } else {
        Vec::new()
    };
    let extra: Vec<&str> = filter_args.iter().map(String::as_str).collect();
    pull_round_trip(&s.0, dialect, url, &extra);
}

#[test]
fn corpus_pulls_back_on_postgres() {
    for entry in PG_CORPUS {
        let db = TempDb::postgres("pull_rt");
        corpus_case("postgresql", &db.url, entry, None);
    }
}

#[test]
fn corpus_pulls_back_on_mysql() {
    for entry in MYSQL_CORPUS {
        let db = TempDb::mysql("pull_rt");
        corpus_case("mysql", &db.url, entry, None);
    }
}

#[test]
fn corpus_pulls_back_on_sqlite() {
    for (entry, casing) in SQLITE_CORPUS {
        let db = TempSqlite::new("pull-rt");
        corpus_case("sqlite", &db.path.display().to_string(), entry, *casing);
    }
}

/// Both casings of `introspect.casing` pull into files that round-trip.
#[test]
fn preserve_casing_round_trips() {
    let db = TempDb::postgres("pull_case");
    let s = Scratch::new("case");
    std::fs::copy(fixtures().join("corpus/pg2_more.ts"), s.0.join("schema.ts")).unwrap();
    ok(&run(
        &s.0,
        &[
            "push",
            "--dialect",
            "postgresql",
            "--schema",
            "schema.ts",
            "--url",
            &db.url,
        ],
    ));
    let schema = pull_round_trip(&s.0, "postgresql", &db.url, &["--casing", "preserve"]);
    assert!(schema.contains("pgTable("), "{schema}");
}

/// A PostgreSQL database made by hand, with what no Drizzle schema made: an extension (its
/// type in a column, its own views left out), a view, a policy with RLS, a partial and an
/// expression index, a check, quoted names, a type drizzle has no builder for.
#[test]
fn pulls_a_hand_made_postgres_database() {
    let db = TempDb::postgres("pull_hand");
    db.execute(&[
        "CREATE EXTENSION IF NOT EXISTS citext".into(),
        "CREATE EXTENSION IF NOT EXISTS pg_stat_statements".into(),
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')".into(),
        // An enum without values (pg_enum has no row for it): still an enum.
        "CREATE TYPE pending AS ENUM ()".into(),
        r#"CREATE TABLE "Accounts" (
            id bigserial PRIMARY KEY,
            state pending,
            "E-mail" citext NOT NULL UNIQUE,
            handle varchar(40) NOT NULL,
            mood mood DEFAULT 'ok',
            score numeric(8, 2) CHECK (score >= 0),
            tags text[] DEFAULT '{}',
            location point,
            created timestamptz NOT NULL DEFAULT now()
        )"#
        .into(),
        r#"CREATE TABLE posts (
            id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            account_id bigint NOT NULL REFERENCES "Accounts" (id) ON DELETE CASCADE,
            title text NOT NULL,
            published boolean NOT NULL DEFAULT false
        )"#
        .into(),
        "CREATE INDEX posts_title_lower ON posts (lower(title))".into(),
        "CREATE INDEX posts_published ON posts (account_id) WHERE published".into(),
        r#"CREATE VIEW published_posts AS SELECT id, title FROM posts WHERE published"#.into(),
        "ALTER TABLE posts ENABLE ROW LEVEL SECURITY".into(),
        "CREATE POLICY own_posts ON posts FOR SELECT TO public USING (account_id > 0)".into(),
        "INSERT INTO \"Accounts\" (\"E-mail\", handle) VALUES ('A@x.io', 'a')".into(),
    ])
    .unwrap();
    let s = Scratch::new("hand");
    let schema = pull_round_trip(&s.0, "postgresql", &db.url, &[]);
    assert!(
        !schema.contains("pg_stat_statements"),
        "an extension's views are not pulled:\n{schema}"
    );
    assert!(schema.contains("published_posts"), "{schema}");
    assert!(schema.contains("own_posts"), "{schema}");
    assert!(
        schema.contains("pgEnum(\"pending\", [] as unknown as [string])"),
        "{schema}"
    );
    // The rows are still there: pull and the no-op push touched nothing.
    assert_eq!(
        scalar(&db.url, "SELECT count(*) FROM \"Accounts\""),
        Some(1)
    );
}

/// A SQLite database made by hand: no constraint names, an inline UNIQUE, a check hiding `)` in
/// a string, an expression index with WHERE, a view, AUTOINCREMENT.
#[test]
fn pulls_a_hand_made_sqlite_database() {
    let db = TempSqlite::new("pull-hand");
    db.execute(&[
        r#"CREATE TABLE accounts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            email TEXT NOT NULL UNIQUE,
            note TEXT DEFAULT 'a (b)',
            score REAL CHECK (score >= 0 AND note <> ')')
        )"#
        .into(),
        r#"CREATE TABLE posts (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
            title TEXT NOT NULL
        )"#
        .into(),
        "CREATE INDEX posts_title ON posts (lower(title)) WHERE title <> ''".into(),
        // A descending key (`desc(table.accountId)`), a number written as SQLite keeps it,
        // and SQLite's legacy double-quoted string default: push finds nothing to change.
        "CREATE INDEX posts_account ON posts (account_id DESC)".into(),
        r#"CREATE TABLE settings (id INTEGER PRIMARY KEY, ratio REAL DEFAULT 1e3, label TEXT DEFAULT "dq")"#.into(),
        "CREATE VIEW titles AS SELECT id, title FROM posts".into(),
    ])
    .unwrap();
    let s = Scratch::new("hand-sqlite");
    // A config drizzle-kit 0.20 wrote (`driver`, no `dialect`) in the folder: with --url it is
    // not needed, and one that does not load is left out, as drizzle-kit reads no config then.
    std::fs::write(
        s.0.join("drizzle.config.ts"),
        "export default { schema: './schema.ts', driver: 'mysql2', out: './m' };",
    )
    .unwrap();
    pull_round_trip(&s.0, "sqlite", &db.path.display().to_string(), &[]);
}

/// A MySQL database made by hand: display widths, tinyint(1), an unnamed key, a generated
/// column, a view.
#[test]
fn pulls_a_hand_made_mysql_database() {
    let db = TempDb::mysql("pull_hand");
    db.execute(&[
        r#"CREATE TABLE accounts (
            id int(11) NOT NULL AUTO_INCREMENT,
            email varchar(255) NOT NULL,
            active tinyint(1) NOT NULL DEFAULT 1,
            first varchar(40),
            last varchar(40),
            full varchar(81) GENERATED ALWAYS AS (concat(first, ' ', last)) VIRTUAL,
            PRIMARY KEY (id),
            UNIQUE KEY (email)
        )"#
        .into(),
        r#"CREATE TABLE posts (
            id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
            account_id int(11) NOT NULL,
            body text,
            CONSTRAINT posts_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
        )"#
        .into(),
        "CREATE VIEW active_accounts AS SELECT id, email FROM accounts WHERE active = 1".into(),
    ])
    .unwrap();
    let s = Scratch::new("hand-mysql");
    pull_round_trip(&s.0, "mysql", &db.url, &[]);
}

/// A database made by drizzle-kit's own SQL (its `generate`, applied as its migrator does)
/// pulls into a schema that round-trips (with the oracle).
#[test]
fn pulls_a_database_made_by_drizzle_kit() {
    let Some(_oracle) = oracle() else {
        return;
    };
    let modules = oracle_node_modules();
    if !modules.join("drizzle-kit").is_dir() {
        eprintln!("note: drizzle-kit is not installed; skipped");
        return;
    }
    for entry in ["pg1_features.ts", "pg2_more.ts"] {
        let db = TempDb::postgres("pull_dk");
        let s = Scratch::new("dk");
        std::fs::copy(fixtures().join("corpus").join(entry), s.0.join("schema.ts")).unwrap();
        std::fs::write(
            s.0.join("drizzle.config.ts"),
            "export default { dialect: 'postgresql', schema: './schema.ts', out: './drizzle' };\n",
        )
        .unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&modules, s.0.join("node_modules")).unwrap();
        let o = drizzle_kit(&s.0, "generate");
        assert!(o.status.success(), "{}", stderr(&o));
        let sql = std::fs::read_dir(s.0.join("drizzle"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "sql"))
            .unwrap();
        db.execute(&migration_statements(&sql)).unwrap();
        let schemas = pg_schema_filters(&db.url);
        let extra: Vec<&str> = schemas.iter().map(String::as_str).collect();
        pull_round_trip(&s.0, "postgresql", &db.url, &extra);
    }
}
