//! `schemac export` on SQLite schemas: the SQL applies to a fresh SQLite database file and makes
//! the objects the schema declares; with the drizzle-kit oracle present, the database has the
//! same normalized catalog as drizzle-kit's generate + migrate makes (`dk.sh compare sqlite`).
//! Broken SQLite-specific inputs give located errors.

mod support;

use std::process::Command;

use support::{SQLITE_CORPUS as CORPUS, TempSqlite, export_statements, fixtures, oracle, schemac};

fn export_corpus(schema: &str, casing: Option<&str>) -> Vec<String> {
    let mut args = vec!["--dialect", "sqlite", "--schema", schema];
    if let Some(c) = casing {
        args.extend(["--casing", c]);
    }
    export_statements(&fixtures().join("corpus"), &args)
}

#[test]
fn corpus_exports_apply_to_a_fresh_sqlite_database() {
    for (schema, casing) in CORPUS {
        let statements = export_corpus(schema, *casing);
        assert!(!statements.is_empty(), "{schema}: no statements");
        let db = TempSqlite::new("corpus");
        if let Err(e) = db.execute(&statements) {
            panic!("{schema}: the exported SQL does not apply: {e}");
        }
    }
}

/// What sqlite1_features.ts declares is what the database holds: every table, the unique
/// constraints and indexes as indexes, the view.
#[test]
fn the_features_schema_makes_its_objects() {
    let db = TempSqlite::new("features");
    db.execute(&export_corpus("sqlite1_features.ts", None))
        .unwrap();
    let objects: Vec<(String, String)> = db
        .objects()
        .into_iter()
        .map(|(kind, name, _)| (kind, name))
        .collect();
    let expected = [
        ("index", "articles_author_slug_uq"),
        ("index", "articles_published_idx"),
        ("index", "authors_email_unique"),
        ("index", "authors_name_idx"),
        ("index", "labels_name_uq"),
        ("table", "article_labels"),
        ("table", "articles"),
        ("table", "authors"),
        ("table", "labels"),
        ("view", "active_authors"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, n)| (k.to_string(), n.to_string()))
        .collect();
    assert_eq!(objects, expected);
}

/// The text of the features schema where drizzle-kit's SQLite templates matter: inline keys,
/// AUTOINCREMENT, boolean and `sql` defaults, a virtual generated column, the check, a partial
/// index, and a view whose boolean parameter is bound as `1`.
#[test]
fn the_features_schema_is_written_as_drizzle_kit_writes_it() {
    let sql = export_corpus("sqlite1_features.ts", None).join("\n");
    for expected in [
        "\t`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,",
        "\t`is_active` integer DEFAULT true NOT NULL,",
        "\t`created_at` integer DEFAULT (unixepoch()) NOT NULL,",
        "\t`name_lower` text GENERATED ALWAYS AS (lower(name)) VIRTUAL,",
        "\tCONSTRAINT \"karma_range\" CHECK(\"authors\".\"karma\" between 0 and 1)\n);",
        "\tPRIMARY KEY(`article_id`, `label_id`),",
        "\tFOREIGN KEY (`label_id`) REFERENCES `labels`(`id`) ON UPDATE no action ON DELETE set null\n);",
        "CREATE INDEX `articles_published_idx` ON `articles` (`published_at`) WHERE \"articles\".\"published\" = 1;",
        "CREATE UNIQUE INDEX `authors_email_unique` ON `authors` (`email`);",
        "CREATE VIEW `active_authors` AS select \"id\", \"name\" from \"authors\" where \"authors\".\"is_active\" = 1;",
    ] {
        assert!(sql.contains(expected), "missing {expected:?} in:\n{sql}");
    }
}

#[test]
fn corpus_catalogs_equal_drizzle_kit() {
    let Some(dk) = oracle() else { return };
    let corpus = fixtures().join("corpus");
    let tmp = TempSqlite::new("oracle");
    let mut failures = Vec::new();
    for (schema, casing) in CORPUS {
        let statements = export_corpus(schema, *casing);
        let file = tmp
            .dir
            .join(format!("{}.sql", schema.replace(['/', '.'], "_")));
        std::fs::write(&file, statements.join("\n--> statement-breakpoint\n")).unwrap();
        let out = Command::new("bash")
            .arg(dk.join("dk.sh"))
            .args(["compare", "sqlite"])
            .arg(corpus.join(schema))
            .arg(&file)
            .env("DK_CASING", casing.unwrap_or(""))
            .output()
            .expect("dk.sh runs");
        if !out.status.success() {
            failures.push(format!(
                "{schema}:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "catalogs differ from drizzle-kit's:\n{}",
        failures.join("\n")
    );
}

/// (case in tests/fixtures/broken/sqlite, code, line, column) of the first error.
const BROKEN: &[(&str, &str, u64, u64)] = &[
    ("pg_column.ts", "E4004", 4, 43),
    ("pg_table.ts", "E4004", 5, 30),
    ("bad_mode.ts", "E4002", 5, 29),
    ("pg_method.ts", "E4005", 4, 22),
];

#[test]
fn broken_sqlite_inputs_give_located_errors() {
    let dir = fixtures().join("broken/sqlite");
    for (case, code, line, column) in BROKEN {
        let out = schemac(
            &dir,
            &[
                "--format", "json", "export", "--dialect", "sqlite", "--schema", case,
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{case}");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(doc.get("statements").is_none(), "{case}: SQL printed");
        let first = doc["diagnostics"]
            .as_array()
            .and_then(|d| d.iter().find(|d| d["severity"] == "error"))
            .unwrap_or_else(|| panic!("{case}: no error"));
        assert_eq!(
            (
                first["code"].as_str().unwrap(),
                first["file"].as_str().unwrap(),
                first["line"].as_u64().unwrap(),
                first["column"].as_u64().unwrap()
            ),
            (*code, *case, *line, *column),
            "{case}: {}",
            first["message"]
        );
    }
}

/// `build` has no SQLite snapshots yet: it refuses, writing nothing.
#[test]
fn build_refuses_sqlite_and_writes_nothing() {
    let tmp = TempSqlite::new("build");
    std::fs::copy(
        fixtures().join("corpus/steps/sqlite_v1.ts"),
        tmp.dir.join("schema.ts"),
    )
    .unwrap();
    let out = schemac(
        &tmp.dir,
        &["build", "--dialect", "sqlite", "--schema", "schema.ts"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(support::stderr(&out).contains("does not write sqlite migrations"));
    assert!(!tmp.dir.join("drizzle").exists());
}
