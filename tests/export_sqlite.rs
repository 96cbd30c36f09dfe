//! `schemac export` on SQLite schemas: the SQL applies to a fresh SQLite database file and makes
//! the objects the schema declares; with the drizzle-kit oracle present, the database has the
//! same normalized catalog as drizzle-kit's generate + migrate makes (`dk.sh compare sqlite`).
//! Broken SQLite-specific inputs give located errors.

mod support;

use std::path::Path;
use std::process::Command;

use support::{
    SQLITE_CORPUS as CORPUS, TempSqlite, dk_compare, export_statements, fixtures, oracle, schemac,
};

/// The corpus, plus schemac's own schemas of every builder and of operators in a view
/// (tests/fixtures/sqlite/), relative to tests/fixtures.
fn schemas() -> Vec<(String, Option<&'static str>)> {
    let mut all: Vec<(String, Option<&str>)> = CORPUS
        .iter()
        .map(|(s, c)| (format!("corpus/{s}"), *c))
        .collect();
    all.push(("sqlite/builders.ts".into(), None));
    all.push(("sqlite/operators.ts".into(), None));
    all
}

fn export_corpus(schema: &str, casing: Option<&str>) -> Vec<String> {
    export_fixture(&format!("corpus/{schema}"), casing)
}

/// `schemac export --dialect sqlite` of a schema under tests/fixtures.
fn export_fixture(schema: &str, casing: Option<&str>) -> Vec<String> {
    let mut args = vec!["--dialect", "sqlite", "--schema", schema];
    if let Some(c) = casing {
        args.extend(["--casing", c]);
    }
    export_statements(&fixtures(), &args)
}

/// The statements of drizzle-kit's first migration for a schema (`dk.sh generate`), trimmed.
fn drizzle_kit_statements(
    dk: &Path,
    schema: &Path,
    casing: Option<&str>,
    out: &Path,
) -> Vec<String> {
    let o = Command::new("bash")
        .arg(dk.join("dk.sh"))
        .args(["generate", "sqlite"])
        .arg(schema)
        .arg(out)
        .env("DK_CASING", casing.unwrap_or(""))
        .output()
        .expect("dk.sh runs");
    assert!(
        o.status.success(),
        "dk.sh generate: {}",
        support::stderr(&o)
    );
    let sql_file = std::fs::read_dir(out.join("migrations"))
        .expect("drizzle-kit's migrations folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "sql"))
        .expect("a migration file");
    std::fs::read_to_string(sql_file)
        .unwrap()
        .split("--> statement-breakpoint")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn corpus_exports_apply_to_a_fresh_sqlite_database() {
    for (schema, casing) in schemas() {
        let statements = export_fixture(&schema, casing);
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
    let tmp = TempSqlite::new("oracle");
    let mut failures = Vec::new();
    for (schema, casing) in schemas() {
        let statements = export_fixture(&schema, casing);
        failures.extend(dk_compare(
            &dk,
            "sqlite",
            &fixtures().join(&schema),
            &statements,
            casing,
            &tmp.dir,
        ));
    }
    assert!(
        failures.is_empty(),
        "catalogs differ from drizzle-kit's:\n{}",
        failures.join("\n")
    );
}

/// The text equals drizzle-kit's, statement for statement and in the same order (only the
/// statement breakpoints, which `export` does not print, differ).
#[test]
fn statements_equal_drizzle_kits_migration() {
    let Some(dk) = oracle() else { return };
    let tmp = TempSqlite::new("text");
    for (n, (schema, casing)) in schemas().into_iter().enumerate() {
        let ours: Vec<String> = export_fixture(&schema, casing)
            .iter()
            .map(|s| s.trim().to_string())
            .collect();
        let out = tmp.dir.join(format!("dk{n}"));
        let theirs = drizzle_kit_statements(&dk, &fixtures().join(&schema), casing, &out);
        assert_eq!(ours, theirs, "{schema}");
    }
}

/// (case in tests/fixtures/broken/sqlite, code, line, column) of the first error.
const BROKEN: &[(&str, &str, u64, u64)] = &[
    // At the pg builder itself.
    ("pg_column.ts", "E4004", 6, 9),
    ("bad_mode.ts", "E4002", 5, 29),
    ("pg_method.ts", "E4005", 4, 22),
    ("autoincrement_text.ts", "E4002", 4, 9),
    ("index_desc.ts", "E4005", 5, 48),
    ("index_concurrently.ts", "E4005", 5, 34),
    // At the column: SQLite refuses `DEFAULT datetime('now')` (a syntax error at migrate).
    ("default_expression_bare.ts", "E5020", 7, 14),
];

#[test]
fn broken_sqlite_inputs_give_located_errors() {
    let dir = fixtures().join("broken/sqlite");
    for (case, code, line, column) in BROKEN {
        let out = schemac(
            &dir,
            &[
                "--format",
                "json",
                "export",
                "--dialect",
                "sqlite",
                "--schema",
                case,
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

/// `build` writes a SQLite folder (see `build_sqlite.rs`) whose first migration is export's SQL
/// and applies to a fresh file.
#[test]
fn build_writes_a_sqlite_folder_that_applies() {
    let tmp = TempSqlite::new("build");
    std::fs::copy(
        fixtures().join("corpus/steps/sqlite_v1.ts"),
        tmp.dir.join("schema.ts"),
    )
    .unwrap();
    let out = schemac(
        &tmp.dir,
        &[
            "build",
            "--dialect",
            "sqlite",
            "--schema",
            "schema.ts",
            "--name",
            "init",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", support::stderr(&out));
    let statements = support::migration_statements(&tmp.dir.join("drizzle/0000_init.sql"));
    tmp.execute(&statements).unwrap();
    assert!(
        tmp.objects()
            .iter()
            .any(|(kind, name, _)| kind == "table" && name == "people")
    );
}

/// A project whose config says `dialect: 'turso'` and `casing: 'snake_case'`: export applies,
/// the view over a join names the cased columns (drizzle-kit writes the keys there, a view
/// SQLite rejects: spec/differences.md), and the `.existing()` view is not created.
#[test]
fn a_turso_config_project_exports_and_applies() {
    let statements = export_statements(&fixtures().join("sqlite/project"), &[]);
    let db = TempSqlite::new("turso");
    db.execute(&statements).unwrap();
    db.execute(&["SELECT member_id, display_name FROM owners".to_string()])
        .unwrap();
    let names: Vec<String> = db.objects().into_iter().map(|(_, n, _)| n).collect();
    assert_eq!(names, ["members", "teams", "owners"]);
}

/// SQLite compares values with type affinity: a foreign key from an integer column to a text
/// one is accepted (PostgreSQL's E5003 does not apply), and SQLite takes it.
#[test]
fn a_foreign_key_between_other_types_is_accepted() {
    let statements = export_fixture("sqlite/fk_other_type.ts", None);
    let db = TempSqlite::new("fk_types");
    db.execute(&statements).unwrap();
    db.execute(&[
        "INSERT INTO parents (code) VALUES ('1')".to_string(),
        "INSERT INTO children (id, parent_code) VALUES (1, 1)".to_string(),
    ])
    .unwrap();
}

/// A table of another dialect's module is skipped with warning W4006, as drizzle-kit skips it;
/// the rest of the schema exports.
#[test]
fn a_table_of_another_dialect_is_skipped_with_a_warning() {
    let dir = fixtures().join("broken/sqlite");
    let out = schemac(
        &dir,
        &[
            "--format",
            "json",
            "export",
            "--dialect",
            "sqlite",
            "--schema",
            "pg_table.ts",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", support::stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["diagnostics"][0]["code"], "W4006");
    let statements = doc["statements"].as_array().unwrap();
    assert_eq!(statements.len(), 1);
    assert!(statements[0].as_str().unwrap().contains("`users`"));
}
