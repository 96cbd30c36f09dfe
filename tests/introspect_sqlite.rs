//! SQLite introspection on real files: every SQLite schema of the fixtures, applied with
//! `export`'s statements to a fresh file and read back, is the model `from_schema` makes of it
//! (after `snapshot::live::align`); plus the tables filter, drizzle-kit's ignored names, checks
//! that hide parentheses in strings and a database made by hand.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use schemac_compiler::schema::{Casing, Dialect, Schema};
use schemac_compiler::snapshot;
use schemac_compiler::snapshot::pg::Default as ColumnDefault;
use schemac_runtime::introspect::{Filters, TablesFilter};
use support::introspect_cases::{line_diff, push_each_version, read_back_differences};
use support::migrate::{export, model};
use support::{TempSqlite, fixtures, introspect};

/// Every SQLite schema of the fixtures, with the casing it is written for.
fn schemas() -> Vec<(PathBuf, Option<Casing>)> {
    let f = fixtures();
    let mut out: Vec<(PathBuf, Option<Casing>)> = vec![
        (f.join("corpus/sqlite1_features.ts"), None),
        (f.join("corpus/sqlite2_casing.ts"), Some(Casing::SnakeCase)),
    ];
    for step in [
        "sqlite_v1",
        "sqlite_v2",
        "sqlite_v2_norename",
        "sqlite_v2_simple",
        "sqlite_v3_rename",
    ] {
        out.push((f.join(format!("corpus/steps/{step}.ts")), None));
    }
    for v in 1..=6 {
        out.push((f.join(format!("evolve_sqlite/v{v}.ts")), None));
    }
    for extra in [
        "snapshot/sqlite_extra.ts",
        "sqlite/builders.ts",
        "sqlite/fk_other_type.ts",
        "sqlite/operators.ts",
    ] {
        out.push((f.join(extra), None));
    }
    for d in [
        "sqlite_v1",
        "sqlite_v2",
        "sqlite_v3",
        "sqlite_alter_v1",
        "sqlite_alter_v2",
    ] {
        out.push((f.join(format!("diff/{d}.ts")), None));
    }
    out
}

fn compile(file: &Path, casing: Option<Casing>) -> Arc<Schema> {
    support::migrate::compile_with_casing(file, Dialect::Sqlite, casing)
}

fn path(db: &TempSqlite) -> String {
    db.path.to_string_lossy().into_owned()
}

/// The file made by `file`'s export, introspected and aligned with the schema's model: `None`
/// when equal, else a readable difference.
fn round_trip(file: &Path, casing: Option<Casing>) -> Option<String> {
    let schema = compile(file, casing);
    let mut desired = model(&schema);
    // `.existing()` views are not the schema's to create: export leaves them out.
    desired.views.retain(|_, v| !v.is_existing);
    let db = TempSqlite::new("introspect");
    db.execute(&export(&schema))
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let live = introspect(&path(&db), &Filters::default())
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    read_back_differences(&file.display().to_string(), &desired, live, &schema)
}

#[test]
fn every_sqlite_schema_reads_back_as_its_model() {
    let failures: Vec<String> = schemas()
        .into_iter()
        .filter_map(|(f, casing)| round_trip(&f, casing))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A database made by hand, not by drizzle: the names and shapes SQLite allows that drizzle
/// never writes, and the tables drizzle-kit never reads.
const HAND_MADE: &[&str] = &[
    "CREATE TABLE \"Users\" (\n\
       id INTEGER PRIMARY KEY AUTOINCREMENT,\n\
       email TEXT NOT NULL UNIQUE,\n\
       name varchar(20) DEFAULT 'x' CHECK (name <> ')'), -- a comment: CHECK (\n\
       score REAL DEFAULT (1.5 * 2),\n\
       created TEXT DEFAULT CURRENT_TIMESTAMP,\n\
       CONSTRAINT \"paren_in_string\" CHECK (email NOT LIKE '%)%' AND (length(email) > 3))\n\
     )",
    "CREATE TABLE posts (pid integer, uid integer REFERENCES \"Users\" ON DELETE CASCADE, \
     a int, b text, c text CONSTRAINT c_once UNIQUE, PRIMARY KEY (pid, a), UNIQUE (a, b), \
     CONSTRAINT \"b then a\" UNIQUE (b, a))",
    "CREATE INDEX posts_expr ON posts (lower(b), a) WHERE a > 0",
    "CREATE VIEW v AS SELECT id FROM \"Users\"",
    "CREATE TABLE __drizzle_migrations (id integer)",
    "CREATE TABLE _cf_KV (k text)",
    "CREATE TABLE _litestream_seq (s integer)",
    "CREATE TABLE libsql_wasm_func_table (f text)",
];

fn hand_made() -> TempSqlite {
    let db = TempSqlite::new("introspect-hand");
    let statements: Vec<String> = HAND_MADE.iter().map(|s| s.to_string()).collect();
    db.execute(&statements).expect("the hand-made database");
    db
}

fn filters(patterns: &[&str]) -> Filters {
    Filters {
        tables: TablesFilter::new(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>())
            .unwrap(),
        ..Filters::default()
    }
}

#[test]
fn a_hand_made_database_reads_as_drizzle_kit_would_name_it() {
    let db = hand_made();
    let model = introspect(&path(&db), &Filters::default()).unwrap();
    // SQLite's own tables and drizzle-kit's ignored names are left out.
    let tables: Vec<&str> = model.tables.keys().map(String::as_str).collect();
    assert_eq!(tables, ["public.Users", "public.posts"]);

    let users = &model.tables["public.Users"];
    let id = &users.columns["id"];
    assert!(id.primary_key && id.autoincrement == Some(true));
    assert_eq!(id.sql_type, "integer");
    assert_eq!(users.columns["name"].sql_type, "text(20)");
    assert_eq!(
        model.tables["public.posts"].columns["a"].sql_type,
        "integer"
    );
    let default = |c: &str| users.columns[c].default.clone();
    assert_eq!(default("name"), Some(ColumnDefault::Sql("'x'".into())));
    assert_eq!(
        default("score"),
        Some(ColumnDefault::Sql("(1.5 * 2)".into()))
    );
    assert_eq!(
        default("created"),
        Some(ColumnDefault::Sql("(CURRENT_TIMESTAMP)".into()))
    );
    // An inline UNIQUE is a unique index under drizzle's name for it.
    let unique = &users.indexes["Users_email_unique"];
    assert!(unique.is_unique);
    assert_eq!(unique.columns[0].expression, "email");
    assert_eq!(users.indexes.len(), 1);
    // Checks: a `)` in a string or a comment does not end one; an unnamed one gets a name.
    let checks: Vec<(&str, &str)> = users
        .check_constraints
        .values()
        .map(|c| (c.name.as_str(), c.value.as_str()))
        .collect();
    assert_eq!(
        checks,
        [
            ("Users_check_1", "name <> ')'"),
            (
                "paren_in_string",
                "email NOT LIKE '%)%' AND (length(email) > 3)"
            ),
        ]
    );

    let posts = &model.tables["public.posts"];
    let pk = &posts.composite_primary_keys["posts_pid_a_pk"];
    assert_eq!(pk.columns, ["pid", "a"]);
    let fk = &posts.foreign_keys["posts_uid_Users_id_fk"];
    // No referenced column named: the target's primary key.
    assert_eq!(
        (fk.columns_from.as_slice(), fk.columns_to.as_slice()),
        (&["uid".to_string()][..], &["id".to_string()][..])
    );
    assert_eq!(fk.on_delete.as_deref(), Some("cascade"));
    assert_eq!(fk.on_update.as_deref(), Some("no action"));
    assert!(posts.indexes["posts_a_b_unique"].is_unique);
    // A named UNIQUE keeps its name.
    assert_eq!(posts.indexes["c_once"].columns[0].expression, "c");
    let b_then_a: Vec<&str> = posts.indexes["b then a"]
        .columns
        .iter()
        .map(|c| c.expression.as_str())
        .collect();
    assert_eq!(b_then_a, ["b", "a"]);
    let expr = &posts.indexes["posts_expr"];
    let keys: Vec<(&str, bool)> = expr
        .columns
        .iter()
        .map(|c| (c.expression.as_str(), c.is_expression))
        .collect();
    assert_eq!(keys, [("lower(b)", true), ("a", false)]);
    assert_eq!(expr.where_clause.as_deref(), Some("a > 0"));

    let v = &model.views["public.v"];
    assert_eq!(v.definition.as_deref(), Some("SELECT id FROM \"Users\""));
    assert!(v.columns.contains_key("id"));
}

#[test]
fn the_tables_filter_applies_to_tables_and_views() {
    let db = hand_made();
    let names = |patterns: &[&str]| -> Vec<String> {
        let m = introspect(&path(&db), &filters(patterns)).unwrap();
        m.tables
            .values()
            .map(|t| t.name.clone())
            .chain(m.views.values().map(|v| v.name.clone()))
            .collect()
    };
    assert_eq!(names(&["!posts"]), ["Users", "v"]);
    assert_eq!(names(&["U*"]), ["Users"]);
    assert_eq!(names(&["p*", "v"]), ["posts", "v"]);
    // The ignored names stay ignored even when a pattern names them.
    assert_eq!(
        names(&["_cf_*", "__drizzle_migrations"]),
        Vec::<String>::new()
    );
}

#[test]
fn each_version_is_pushed_onto_the_database_of_the_last() {
    let f = fixtures();
    let db = TempSqlite::new("introspect-push");
    let versions: Vec<Arc<Schema>> = (1..=6)
        .map(|v| compile(&f.join(format!("evolve_sqlite/v{v}.ts")), None))
        .collect();
    db.execute(&export(&versions[0])).unwrap();
    push_each_version(&versions, &path(&db), &|s| db.execute(s));
}

/// Names SQLite does not keep (a foreign key's, a primary key's) and a default it gives back
/// without parentheses are the schema's after `align`.
#[test]
fn names_sqlite_does_not_keep_come_from_the_schema() {
    let dir = std::env::temp_dir().join(format!("schemac-introspect-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("schema.ts");
    std::fs::write(
        &file,
        r#"import { sql } from 'drizzle-orm';
import { foreignKey, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const owners = sqliteTable('owners', {
  a: integer('a').notNull(),
  b: integer('b').notNull(),
  at: text('at').default(sql`(CURRENT_TIMESTAMP)`),
}, (t) => [primaryKey({ name: 'owners_key', columns: [t.a, t.b] })]);

export const pets = sqliteTable('pets', {
  id: integer('id').primaryKey(),
  ownerA: integer('owner_a'),
  ownerB: integer('owner_b'),
}, (t) => [foreignKey({ name: 'pets_owner', columns: [t.ownerA, t.ownerB], foreignColumns: [owners.a, owners.b] }).onDelete('cascade')]);
"#,
    )
    .unwrap();
    let schema = compile(&file, None);
    let mut desired = model(&schema);
    // `.existing()` views are not the schema's to create: export leaves them out.
    desired.views.retain(|_, v| !v.is_existing);
    let db = TempSqlite::new("introspect-names");
    db.execute(&export(&schema)).unwrap();
    let mut live = introspect(&path(&db), &Filters::default()).unwrap();
    // As read: drizzle-kit's names, the default's text as SQLite keeps it.
    assert!(
        live.tables["public.owners"]
            .composite_primary_keys
            .contains_key("owners_a_b_pk")
    );
    assert!(
        live.tables["public.pets"]
            .foreign_keys
            .contains_key("pets_owner_a_owner_b_owners_a_b_fk")
    );
    snapshot::live::align(&mut live, &desired);
    let _ = std::fs::remove_dir_all(&dir);
    let (want, got) = (snapshot::to_json(&desired), snapshot::to_json(&live));
    assert_eq!(want, got, "{}", line_diff(&want, &got));
}

/// What SQLite allows and drizzle never makes does not stop introspection: a view over a
/// dropped table, a virtual table (and its module's shadow tables), quoted names with quotes in
/// them, a table without rowid.
#[test]
fn odd_databases_are_read() {
    let db = TempSqlite::new("introspect-odd");
    db.execute(
        &[
            "CREATE TABLE a (x integer)",
            "CREATE VIEW stale AS SELECT x FROM a",
            "DROP TABLE a",
            "CREATE VIRTUAL TABLE docs USING fts5(body)",
            "CREATE TABLE \"we\"\"ird\" (\"c\"\"1\" int PRIMARY KEY CHECK (\"c\"\"1\" > 0)) WITHOUT ROWID",
        ]
        .map(String::from),
    )
    .unwrap();
    let model = introspect(&path(&db), &Filters::default()).unwrap();
    let tables: Vec<&str> = model.tables.keys().map(String::as_str).collect();
    assert_eq!(tables, ["public.we\"ird"]);
    let weird = &model.tables["public.we\"ird"];
    assert!(weird.columns["c\"1"].primary_key);
    assert_eq!(
        weird.check_constraints["we\"ird_check_1"].value,
        "\"c\"\"1\" > 0"
    );
    let stale = &model.views["public.stale"];
    assert_eq!(stale.definition.as_deref(), Some("SELECT x FROM a"));
    assert!(stale.columns.is_empty());
}
