//! SQLite migrations on real SQLite files: a database at schema v1 with rows, migrated by the
//! diff's statements (inside `BEGIN`/`COMMIT` with foreign keys on, as drizzle-orm's migrator
//! runs them), has the catalog `export` of v2 gives a fresh database, and keeps its rows —
//! child rows of rebuilt parents and the data of a column renamed in the same migration
//! included.

mod support;

use std::path::Path;

use schemac_compiler::schema::Dialect;

use support::migrate::{compile, export, migrate, sorted};
use support::{TempSqlite, fixtures, sqlite_rows as rows};

/// The database's catalog, sorted: columns (type, not null, default, primary key position),
/// indexes with their columns, foreign keys with their actions, checks, views.
fn catalog(db: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let tables = rows(
        db,
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    );
    for t in tables {
        let (name, sql) = t.split_once('|').unwrap();
        for c in rows(
            db,
            &format!(
                "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo('{name}')"
            ),
        ) {
            out.push(format!("{name} column {c}"));
        }
        for i in rows(
            db,
            &format!("SELECT name, \"unique\", origin, partial FROM pragma_index_list('{name}')"),
        ) {
            let iname = i.split('|').next().unwrap().to_string();
            let cols = rows(
                db,
                &format!("SELECT name FROM pragma_index_info('{iname}') ORDER BY seqno"),
            );
            out.push(format!("{name} index {i} ({})", cols.join(",")));
        }
        for f in rows(
            db,
            &format!(
                "SELECT \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list('{name}')"
            ),
        ) {
            out.push(format!("{name} fk {f}"));
        }
        for line in sql.lines().filter(|l| l.contains(" CHECK(")) {
            out.push(format!(
                "{name} check {}",
                line.trim().trim_end_matches(',')
            ));
        }
    }
    out.extend(rows(
        db,
        "SELECT 'view ' || name || ' ' || sql FROM sqlite_master WHERE type = 'view'",
    ));
    out.sort();
    out
}

fn in_transaction(statements: &[String]) -> Vec<String> {
    let mut all = vec!["PRAGMA foreign_keys=ON;".to_string(), "BEGIN;".to_string()];
    all.extend(statements.iter().cloned());
    all.push("COMMIT;".to_string());
    all
}

/// The renames from `sqlite_v1.ts` to `sqlite_v2.ts` (new name, old name).
const V2_RENAMES: &[(&str, &str)] = &[
    ("bio_text", "bio"),
    ("public.new_name", "public.old_name"),
    ("public.widgets", "public.gadgets"),
];

fn count(db: &Path, table: &str) -> String {
    rows(db, &format!("SELECT count(*) FROM \"{table}\""))[0].clone()
}

#[test]
fn every_kind_of_change_migrates_to_the_catalog_of_a_fresh_export_keeping_rows() {
    let dir = fixtures().join("diff");
    let v1 = compile(&dir.join("sqlite_v1.ts"), Dialect::Sqlite);
    let v2 = compile(&dir.join("sqlite_v2.ts"), Dialect::Sqlite);
    let db = TempSqlite::new("diffsqlite");
    db.execute(&export(&v1)).expect("v1 applies");
    db.execute(&[
        "INSERT INTO authors (id, name, bio, legacy, rank) VALUES (1, 'a', 'bio of a', 'x', 1), (2, 'b', 'bio of b', 'y', 2)".into(),
        "INSERT INTO books (id, author_id, title, pages) VALUES (10, 1, 't1', 100), (11, 1, 't2', 200), (12, 2, 't3', 300)".into(),
        "INSERT INTO reviews (id, book_id, stars) VALUES (100, 10, 5), (101, 12, 3)".into(),
        "INSERT INTO tags (id, label) VALUES (1, 'x'), (2, 'y')".into(),
        "INSERT INTO pairs (a, b, c) VALUES (1, 1, 0), (1, 2, 0)".into(),
        "INSERT INTO old_name (id, v) VALUES (1, 'kept')".into(),
        "INSERT INTO gadgets (id, label) VALUES (1, 'g1'), (2, 'g2')".into(),
        "INSERT INTO nodes (id, parent_id, name) VALUES (1, NULL, 'root'), (2, 1, 'a'), (3, 2, 'b')".into(),
    ])
    .unwrap();
    let before: Vec<String> = [
        "authors", "books", "reviews", "tags", "pairs", "old_name", "gadgets",
    ]
    .iter()
    .map(|t| count(&db.path, t))
    .collect();

    let sql = migrate(&v1, &v2, V2_RENAMES);
    // authors is rebuilt (a default) with books and reviews, which reference it; the column
    // rename runs first; tags gains a column with its foreign key inline.
    assert!(
        sql.iter()
            .any(|s| s == "ALTER TABLE `authors` RENAME COLUMN \"bio\" TO \"bio_text\";"),
        "{sql:#?}"
    );
    assert!(
        sql.iter()
            .any(|s| s == "ALTER TABLE `old_name` RENAME TO `new_name`;"),
        "{sql:#?}"
    );
    assert!(
        sql.iter()
            .any(|s| s
                .starts_with("ALTER TABLE `tags` ADD `name_id` integer REFERENCES new_name(id)")),
        "{sql:#?}"
    );
    assert!(
        sql.iter()
            .any(|s| s == "ALTER TABLE `authors` RENAME TO `__old_authors`;"),
        "{sql:#?}"
    );
    assert!(
        sql.iter()
            .any(|s| s == "ALTER TABLE `reviews` RENAME TO `__old_reviews`;"),
        "{sql:#?}"
    );
    // A self-referencing table is rebuilt like any other.
    assert!(
        sql.iter()
            .any(|s| s == "ALTER TABLE `nodes` RENAME TO `__old_nodes`;"),
        "{sql:#?}"
    );
    db.execute(&in_transaction(&sql))
        .unwrap_or_else(|e| panic!("{e}\n{sql:#?}"));

    let fresh = TempSqlite::new("diffsqlitefresh");
    fresh.execute(&export(&v2)).expect("v2 applies");
    assert_eq!(catalog(&db.path), catalog(&fresh.path), "{sql:#?}");

    let after: Vec<String> = [
        "authors", "books", "reviews", "tags", "pairs", "new_name", "widgets",
    ]
    .iter()
    .map(|t| count(&db.path, t))
    .collect();
    assert_eq!(before, after, "every row kept");
    assert_eq!(
        rows(&db.path, "SELECT bio_text FROM authors ORDER BY id"),
        ["bio of a", "bio of b"],
        "the renamed column keeps its data through the rebuild"
    );
    assert_eq!(rows(&db.path, "SELECT v FROM new_name"), ["kept"]);
    // A table renamed and rebuilt in one migration keeps its rows.
    assert!(
        sql.iter()
            .any(|s| s == "ALTER TABLE `gadgets` RENAME TO `widgets`;"),
        "{sql:#?}"
    );
    assert!(
        sql.iter()
            .any(|s| s == "ALTER TABLE `widgets` RENAME TO `__old_widgets`;"),
        "{sql:#?}"
    );
    assert_eq!(
        rows(&db.path, "SELECT label FROM widgets ORDER BY id"),
        ["g1", "g2"]
    );
    // The rebuilt foreign keys still act.
    db.execute(&["DELETE FROM authors WHERE id = 2".into()])
        .unwrap();
    assert_eq!(count(&db.path, "books"), "2");
    assert_eq!(count(&db.path, "reviews"), "1");
}

/// The same rebuild outside a transaction, with foreign keys off (SQLite's default).
#[test]
fn a_rebuild_keeps_child_rows_outside_a_transaction_too() {
    let dir = fixtures().join("diff");
    let v1 = compile(&dir.join("sqlite_v1.ts"), Dialect::Sqlite);
    let v2 = compile(&dir.join("sqlite_v2.ts"), Dialect::Sqlite);
    let db = TempSqlite::new("diffsqlitenotx");
    db.execute(&export(&v1)).unwrap();
    db.execute(&[
        "INSERT INTO authors (id, name) VALUES (1, 'a')".into(),
        "INSERT INTO books (id, author_id, title) VALUES (10, 1, 't1'), (11, 1, 't2')".into(),
        "INSERT INTO reviews (id, book_id) VALUES (100, 10)".into(),
    ])
    .unwrap();
    let sql = migrate(&v1, &v2, V2_RENAMES);
    let mut off = vec!["PRAGMA foreign_keys=OFF;".to_string()];
    off.extend(sql);
    db.execute(&off).unwrap();
    assert_eq!(count(&db.path, "books"), "2");
    assert_eq!(count(&db.path, "reviews"), "1");
}

/// Views and triggers the schema does not know (a custom migration's) that name a rebuilt
/// table still name it after the rebuild (`legacy_alter_table` around the renames), instead
/// of following the old table to its drop.
#[test]
fn a_rebuild_leaves_hand_written_views_and_triggers_on_the_table() {
    let dir = fixtures().join("diff");
    let v1 = compile(&dir.join("sqlite_v1.ts"), Dialect::Sqlite);
    let v2 = compile(&dir.join("sqlite_v2.ts"), Dialect::Sqlite);
    let db = TempSqlite::new("diffsqlitetrigger");
    db.execute(&export(&v1)).unwrap();
    db.execute(&[
        "CREATE TABLE log (msg text)".into(),
        "CREATE TRIGGER log_author AFTER INSERT ON log BEGIN INSERT INTO authors (id, name) VALUES (7, new.msg); END".into(),
        "CREATE VIEW author_names AS SELECT name FROM authors".into(),
    ])
    .unwrap();
    let sql = migrate(&v1, &v2, V2_RENAMES);
    assert!(
        sql.iter()
            .any(|s| s == "ALTER TABLE `authors` RENAME TO `__old_authors`;"),
        "{sql:#?}"
    );
    db.execute(&in_transaction(&sql)).unwrap();
    db.execute(&["INSERT INTO log (msg) VALUES ('from the trigger')".into()])
        .expect("the trigger inserts into the new authors");
    assert_eq!(
        rows(&db.path, "SELECT name FROM author_names"),
        ["from the trigger"]
    );
}

/// Changes SQLite can `ALTER`: the same statements as drizzle-kit's (oracle), and the same
/// catalog as a fresh export.
#[test]
fn alterable_changes_are_drizzle_kits_statements() {
    let dir = fixtures().join("diff");
    let (p1, p2) = (
        dir.join("sqlite_alter_v1.ts"),
        dir.join("sqlite_alter_v2.ts"),
    );
    let v1 = compile(&p1, Dialect::Sqlite);
    let v2 = compile(&p2, Dialect::Sqlite);
    let sql = migrate(&v1, &v2, &[]);
    assert!(!sql.iter().any(|s| s.contains("__old_")), "{sql:#?}");
    let db = TempSqlite::new("diffsqlitealter");
    db.execute(&export(&v1)).unwrap();
    db.execute(&["INSERT INTO pets (id, name) VALUES (1, 'rex')".into()])
        .unwrap();
    db.execute(&in_transaction(&sql))
        .unwrap_or_else(|e| panic!("{e}\n{sql:#?}"));
    let fresh = TempSqlite::new("diffsqlitealterfresh");
    fresh.execute(&export(&v2)).unwrap();
    assert_eq!(catalog(&db.path), catalog(&fresh.path), "{sql:#?}");
    assert_eq!(count(&db.path, "pets"), "1");
    if let Some(dk) = support::migrate::drizzle_kit_migration("sqlite", &p1, &p2) {
        assert_eq!(
            sorted(&sql),
            sorted(&dk),
            "schemac (left), drizzle-kit (right)"
        );
    }
}

/// A foreign key on an existing column and an autoincrement change rebuild; a renamed view is
/// dropped and created.
#[test]
fn foreign_keys_on_existing_columns_autoincrement_and_view_renames() {
    let dir = fixtures().join("diff");
    let v2 = compile(&dir.join("sqlite_v2.ts"), Dialect::Sqlite);
    let v3 = compile(&dir.join("sqlite_v3.ts"), Dialect::Sqlite);
    let db = TempSqlite::new("diffsqlite3");
    db.execute(&export(&v2)).unwrap();
    db.execute(&[
        "INSERT INTO authors (id, name) VALUES (1, 'a')".into(),
        "INSERT INTO pairs (a, b, c) VALUES (1, 1, 0), (1, 2, 0)".into(),
        "INSERT INTO widgets (id, label) VALUES (5, 'w')".into(),
    ])
    .unwrap();
    let sql = migrate(&v2, &v3, &[("public.book_titles", "public.titles")]);
    let has = |s: &str| sql.iter().any(|x| x == s);
    assert!(has("DROP VIEW `titles`;"), "{sql:#?}");
    assert!(
        has("ALTER TABLE `pairs` RENAME TO `__old_pairs`;"),
        "{sql:#?}"
    );
    assert!(
        has("ALTER TABLE `widgets` RENAME TO `__old_widgets`;"),
        "{sql:#?}"
    );
    assert!(
        !has("ALTER TABLE `authors` RENAME TO `__old_authors`;"),
        "{sql:#?}"
    );
    db.execute(&in_transaction(&sql))
        .unwrap_or_else(|e| panic!("{e}\n{sql:#?}"));
    let fresh = TempSqlite::new("diffsqlite3fresh");
    fresh.execute(&export(&v3)).unwrap();
    assert_eq!(catalog(&db.path), catalog(&fresh.path), "{sql:#?}");
    assert_eq!(count(&db.path, "pairs"), "2");
    assert_eq!(count(&db.path, "widgets"), "1");
    // The autoincrement sequence continues after the copied rows.
    db.execute(&["INSERT INTO widgets (label) VALUES ('next')".into()])
        .unwrap();
    assert_eq!(rows(&db.path, "SELECT max(id) FROM widgets"), ["6"]);
}
