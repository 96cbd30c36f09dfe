//! `schemac build` on MySQL schemas: the snapshot (version 5) is drizzle-kit's, a second build
//! writes nothing, a corrupt snapshot is a located error, and folders interoperate with
//! drizzle-kit's (the oracle, applied to MariaDB). The checks are shared with SQLite
//! (`support/dialect_build.rs`).

mod support;

use support::MYSQL_CORPUS;
use support::dialect_build::{self as build, Case};

/// Every MySQL schema of the corpus: the shared list, and `steps/mysql_v2.ts` (the renaming step,
/// whose first snapshot is checked too).
fn corpus() -> Vec<Case> {
    MYSQL_CORPUS
        .iter()
        .chain(&["steps/mysql_v2.ts"])
        .map(|s| Case::corpus(s, None))
        .collect()
}

/// The corpus schemas, then schemac's own MySQL fixtures (every builder; `snake_case` keys;
/// snapshot corners).
fn cases() -> Vec<Case> {
    let mut out = corpus();
    let mysql = support::fixtures().join("mysql");
    out.push(Case {
        schema: mysql.join("builders.ts"),
        casing: None,
    });
    out.push(Case {
        schema: mysql.join("casing.ts"),
        casing: Some("snake_case"),
    });
    out.push(Case {
        schema: support::fixtures().join("snapshot/mysql_extra.ts"),
        casing: None,
    });
    out
}

#[test]
fn snapshots_equal_drizzle_kit() {
    build::snapshots_equal_drizzle_kit("mysql", &cases());
}

#[test]
fn second_build_writes_nothing() {
    build::second_build_writes_nothing("mysql", &cases());
}

#[test]
fn a_corrupt_snapshot_is_a_located_error() {
    build::corrupt_snapshot_is_located("mysql", &Case::corpus("steps/mysql_v1.ts", None), "notes");
}

/// A table added to `steps/mysql_v1.ts` after drizzle-kit's first migration.
const ADDED: &str = "
import { index as addedIndex, int as addedInt, mysqlTable as addedTable, varchar as addedVarchar } from 'drizzle-orm/mysql-core';

export const addedTags = addedTable('added_tags', {
  id: addedInt('id').autoincrement().primaryKey(),
  label: addedVarchar('label', { length: 40 }).notNull(),
}, (t) => [addedIndex('added_tags_label_idx').on(t.label)]);
";

#[test]
fn folders_interoperate_with_drizzle_kit() {
    build::interop(
        "mysql",
        &corpus(),
        (&Case::corpus("steps/mysql_v1.ts", None), ADDED),
    );
}

/// A table and one of its columns renamed: `_meta` records both as drizzle-kit does.
#[test]
fn renames_are_recorded_like_drizzle_kit() {
    build::renames_recorded_like_drizzle_kit(
        "mysql",
        &Case::corpus("steps/mysql_v1.ts", None),
        &[
            ("mysqlTable('notes'", "mysqlTable('memos'"),
            ("text('body')", "text('content')"),
        ],
        &[
            "--rename",
            "notes=memos",
            "--rename",
            "memos.body=memos.content",
        ],
        "down+enter,down+enter",
    );
}

/// drizzle-kit compares MySQL unique indexes as unique constraints (reference §5.4): a
/// `uniqueIndex` turned into a `unique` on the same columns is no change.
#[test]
fn a_unique_index_and_a_unique_constraint_compare_equal() {
    let p = build::Project::new("mysql", &Case::corpus("mysql1_features.ts", None));
    support::ok(&p.build(&["--name", "a"]));
    let schema = p.dir.join("schema.ts");
    let text = std::fs::read_to_string(&schema).unwrap();
    let swapped = text.replace(
        "uniqueIndex('orders_code_uq').on(t.code)",
        "unique('orders_code_uq').on(t.code)",
    );
    assert_ne!(text, swapped);
    std::fs::write(&schema, swapped).unwrap();
    let before = support::tree(&p.out());
    let o = p.build(&[]);
    support::ok(&o);
    assert!(
        support::stdout(&o).contains("No schema changes"),
        "{}",
        support::stdout(&o)
    );
    assert_eq!(support::tree(&p.out()), before);
}

/// A MySQL name over 64 characters (E5011) stops `build` only when the migration writes it: a
/// folder whose snapshot has it already (drizzle-kit wrote the snapshot, the project shortened
/// the name in its SQL by hand) builds, with warning W5014.
#[test]
fn a_long_name_the_folder_has_already_does_not_stop_build() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!("fk_{}", "x".repeat(63));
    let schema = |name: &str, extra: &str| {
        format!(
            "import {{ foreignKey, int, mysqlTable, text }} from 'drizzle-orm/mysql-core';\n\
             export const a = mysqlTable('a', {{ id: int('id').primaryKey() }});\n\
             export const b = mysqlTable('b', {{ id: int('id').primaryKey(), aId: int('a_id'){extra} }},\n\
               (t) => [foreignKey({{ name: '{name}', columns: [t.aId], foreignColumns: [a.id] }})]);\n"
        )
    };
    let write = |text: String| std::fs::write(dir.path().join("schema.ts"), text).unwrap();
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "--dialect", "mysql", "--schema", "schema.ts"];
        args.extend_from_slice(extra);
        support::schemac(dir.path(), &args)
    };
    // From scratch the SQL would carry the long name: an error.
    write(schema(&long, ""));
    let o = build(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", support::stderr(&o));
    assert!(support::stderr(&o).contains("E5011"));
    // The folder as drizzle-kit left it: the snapshot has the long name.
    write(schema("fk_short", ""));
    support::ok(&build(&["--name", "a"]));
    let snap = dir.path().join("drizzle/meta/0000_snapshot.json");
    let text = std::fs::read_to_string(&snap).unwrap();
    std::fs::write(&snap, text.replace("fk_short", &long)).unwrap();
    write(schema(&long, ""));
    let o = build(&[]);
    support::ok(&o);
    assert!(
        support::stdout(&o).contains("No schema changes"),
        "{}",
        support::stdout(&o)
    );
    assert!(
        support::stderr(&o).contains("W5014"),
        "{}",
        support::stderr(&o)
    );
    // A change elsewhere is written; the long name is not in it.
    write(schema(&long, ", note: text('note')"));
    let o = build(&["--name", "b"]);
    support::ok(&o);
    assert!(
        support::stderr(&o).contains("W5014"),
        "{}",
        support::stderr(&o)
    );
    let sql = std::fs::read_to_string(dir.path().join("drizzle/0001_b.sql")).unwrap();
    assert_eq!(sql, "ALTER TABLE `b` ADD `note` text;");
}

/// Renaming a table (or its key column) keeps the primary key: MySQL's is always `PRIMARY`, only
/// drizzle's name for it changes. Dropping and adding it, as drizzle-kit writes, fails on an
/// `AUTO_INCREMENT` column (error 1075); the migration must apply, rows kept.
#[test]
fn renaming_a_table_keeps_its_auto_increment_key() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let write = |text: &str| std::fs::write(p.join("schema.ts"), text).unwrap();
    let build = |extra: &[&str]| {
        let mut args = vec![
            "build",
            "--dialect",
            "mysql",
            "--schema",
            "schema.ts",
            "--out",
            "drizzle",
        ];
        args.extend_from_slice(extra);
        support::schemac(p, &args)
    };
    write(
        "import { int, mysqlTable, varchar } from 'drizzle-orm/mysql-core';\n\
           export const empresa = mysqlTable('empresa', { id: int('id').primaryKey().autoincrement(), nome: varchar('nome', { length: 50 }) });\n",
    );
    support::ok(&build(&["--name", "v1"]));
    let db = support::TempDb::mysql("renamekey");
    let url = db.url.clone();
    support::ok(&support::schemac(
        p,
        &["migrate", "--out", "drizzle", "--url", &url],
    ));
    db.execute(&["INSERT INTO empresa (nome) VALUES ('a'), ('b')".into()])
        .unwrap();
    write(
        "import { int, mysqlTable, varchar } from 'drizzle-orm/mysql-core';\n\
           export const company = mysqlTable('company', { uid: int('uid').primaryKey().autoincrement(), nome: varchar('nome', { length: 50 }) });\n",
    );
    support::ok(&build(&[
        "--name",
        "v2",
        "--rename",
        "empresa=company",
        "--rename",
        "company.id=company.uid",
    ]));
    let tags = support::journal_tags(p);
    let sql = support::migration_statements(&p.join(format!("drizzle/{}.sql", tags[1])));
    assert!(sql.iter().all(|s| !s.contains("PRIMARY KEY")), "{sql:#?}");
    support::ok(&support::schemac(
        p,
        &["migrate", "--out", "drizzle", "--url", &url],
    ));
    assert_eq!(
        db.mysql_texts("SELECT nome FROM company ORDER BY uid"),
        ["a", "b"]
    );
    let again = build(&[]);
    support::ok(&again);
    assert!(support::stdout(&again).contains("No schema changes"));
}
