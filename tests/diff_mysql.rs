//! MySQL migrations on a real MariaDB: a database at schema v1 with rows, migrated by the diff's
//! statements, has the catalog `export` of v2 gives a fresh database, and keeps its rows.

mod support;

use schemac_compiler::schema::Dialect;
use support::migrate::{compile, export, migrate, sorted};
use support::{TempDb, fixtures};

/// The database's catalog, sorted: columns, indexes, constraints (with foreign key actions and
/// check clauses), views.
fn catalog(db: &TempDb) -> Vec<String> {
    let schema = &db.name;
    let mut out = Vec::new();
    for q in [
        format!(
            "SELECT CONCAT_WS('|', 'column', TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, \
             IFNULL(COLUMN_DEFAULT, 'none'), EXTRA) FROM information_schema.COLUMNS \
             WHERE TABLE_SCHEMA = '{schema}'"
        ),
        format!(
            "SELECT CONCAT_WS('|', 'index', TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, \
             COLUMN_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '{schema}'"
        ),
        format!(
            "SELECT CONCAT_WS('|', 'constraint', TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE) \
             FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = '{schema}'"
        ),
        format!(
            "SELECT CONCAT_WS('|', 'fk', TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, \
             UPDATE_RULE, DELETE_RULE) FROM information_schema.REFERENTIAL_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA = '{schema}'"
        ),
        format!(
            "SELECT CONCAT_WS('|', 'check', TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE) \
             FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '{schema}'"
        ),
        format!(
            "SELECT CONCAT_WS('|', 'view', TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, \
             SECURITY_TYPE, ALGORITHM) FROM information_schema.VIEWS \
             WHERE TABLE_SCHEMA = '{schema}'"
        ),
    ] {
        out.extend(db.mysql_texts(&q));
    }
    out.sort();
    // MariaDB keeps a view's text as written: `CREATE .. AS (q)` and `ALTER .. AS q` (both
    // drizzle-kit's) differ by the parentheses only.
    out.into_iter()
        .map(|l| {
            l.replace(schema.as_str(), "<db>")
                .replace("|(select ", "|select ")
                .replace(")|NONE|", "|NONE|")
        })
        .collect()
}

fn count(db: &TempDb, table: &str) -> String {
    db.mysql_texts(&format!("SELECT CAST(count(*) AS CHAR) FROM `{table}`"))[0].clone()
}

#[test]
fn every_kind_of_change_migrates_to_the_catalog_of_a_fresh_export_keeping_rows() {
    let dir = fixtures().join("diff");
    let v1 = compile(&dir.join("mysql_v1.ts"), Dialect::Mysql);
    let v2 = compile(&dir.join("mysql_v2.ts"), Dialect::Mysql);
    let db = TempDb::mysql("diffmysql");
    db.execute(&export(&v1)).expect("v1 applies");
    db.execute(&[
        "INSERT INTO authors (id, name, bio, legacy, score, code) VALUES (1, 'a', 'bio of a', 'x', 1, 7), (2, 'b', 'bio of b', 'y', NULL, 8)".into(),
        "INSERT INTO books (id, author_id, title, pages) VALUES (10, 1, 't1', 100), (11, 2, 't2', 5)".into(),
        "INSERT INTO tags (id, label) VALUES (1, 'x'), (2, 'y')".into(),
        "INSERT INTO old_name (id, v) VALUES (1, 'kept')".into(),
        // NOT NULL on a column with NULLs: the rows are filled first, as a migration would.
        "UPDATE authors SET score = 0 WHERE score IS NULL".into(),
    ])
    .unwrap();
    let before: Vec<String> = ["authors", "books", "tags", "old_name"]
        .iter()
        .map(|t| count(&db, t))
        .collect();

    let sql = migrate(
        &v1,
        &v2,
        &[("bio_text", "bio"), ("public.new_name", "public.old_name")],
    );
    let has = |s: &str| sql.iter().any(|x| x == s);
    assert!(has("RENAME TABLE `old_name` TO `new_name`;"), "{sql:#?}");
    assert!(
        has("ALTER TABLE `authors` RENAME COLUMN `bio` TO `bio_text`;"),
        "{sql:#?}"
    );
    assert!(
        has("ALTER TABLE `authors` MODIFY COLUMN `name` varchar(80) NOT NULL DEFAULT 'anon';"),
        "{sql:#?}"
    );
    assert!(
        has("ALTER TABLE `authors` MODIFY COLUMN `score` int NOT NULL DEFAULT 0;"),
        "{sql:#?}"
    );
    assert_eq!(
        sql.iter()
            .filter(|s| s.contains("MODIFY COLUMN `score`"))
            .count(),
        1,
        "one MODIFY per column: {sql:#?}"
    );
    assert!(
        has("ALTER TABLE `books` DROP FOREIGN KEY `books_author_id_authors_id_fk`;\n"),
        "{sql:#?}"
    );
    assert!(
        has("ALTER TABLE `authors` DROP INDEX `authors_code_unique`;"),
        "{sql:#?}"
    );
    assert!(
        has("DROP INDEX `authors_name_idx` ON `authors`;"),
        "{sql:#?}"
    );
    assert!(
        has("ALTER TABLE `books` DROP CONSTRAINT `pages_positive`;"),
        "{sql:#?}"
    );
    assert!(
        has("ALTER TABLE `authors` ADD CONSTRAINT `authors_email_unique` UNIQUE(`email`);"),
        "{sql:#?}"
    );
    assert!(
        sql.iter()
            .any(|s| s.starts_with("CREATE OR REPLACE ALGORITHM = undefined")),
        "{sql:#?}"
    );
    db.execute(&sql).unwrap_or_else(|e| panic!("{e}\n{sql:#?}"));

    let fresh = TempDb::mysql("diffmysqlfresh");
    fresh.execute(&export(&v2)).expect("v2 applies");
    assert_eq!(catalog(&db), catalog(&fresh), "{sql:#?}");

    let after: Vec<String> = ["authors", "books", "tags", "new_name"]
        .iter()
        .map(|t| count(&db, t))
        .collect();
    assert_eq!(before, after, "every row kept");
    assert_eq!(
        db.mysql_texts("SELECT bio_text FROM authors ORDER BY id"),
        ["bio of a", "bio of b"]
    );
}

#[test]
fn keys_auto_increment_and_view_options_migrate_to_the_catalog_of_a_fresh_export() {
    let dir = fixtures().join("diff");
    let v2 = compile(&dir.join("mysql_v2.ts"), Dialect::Mysql);
    let v3 = compile(&dir.join("mysql_v3.ts"), Dialect::Mysql);
    let db = TempDb::mysql("diffmysql3");
    db.execute(&export(&v2)).expect("v2 applies");
    db.execute(&[
        "INSERT INTO authors (id, name, score, code, email) VALUES (1, 'a', 1, 7, 'a@x'), (2, 'b', 2, 8, 'b@x')".into(),
        "INSERT INTO books (id, author_id, title, pages) VALUES (10, 1, 't1', 100), (11, 2, 't2', 5)".into(),
        "INSERT INTO tags (label) VALUES ('x'), ('y')".into(),
    ])
    .unwrap();
    let sql = migrate(&v2, &v3, &[]);
    let has = |s: &str| sql.iter().any(|x| x == s);
    let at = |s: &str| sql.iter().position(|x| x == s);
    assert!(
        has("ALTER TABLE `tags` MODIFY COLUMN `id` int NOT NULL;"),
        "{sql:#?}"
    );
    // The key goes after AUTO_INCREMENT does.
    assert!(
        at("ALTER TABLE `tags` MODIFY COLUMN `id` int NOT NULL;")
            < at("ALTER TABLE `tags` DROP PRIMARY KEY;"),
        "{sql:#?}"
    );
    assert!(
        has("ALTER TABLE `books` ADD PRIMARY KEY(`id`,`title`);"),
        "{sql:#?}"
    );
    assert!(
        sql.iter()
            .any(|s| s
                .starts_with("ALTER ALGORITHM = merge\nSQL SECURITY invoker\nVIEW `titles` AS")),
        "{sql:#?}"
    );
    db.execute(&sql).unwrap_or_else(|e| panic!("{e}\n{sql:#?}"));
    let fresh = TempDb::mysql("diffmysql3fresh");
    fresh.execute(&export(&v3)).expect("v3 applies");
    assert_eq!(catalog(&db), catalog(&fresh), "{sql:#?}");
    assert_eq!(count(&db, "authors"), "2");
    assert_eq!(count(&db, "books"), "2");
    assert_eq!(count(&db, "tags"), "2");
}

/// Without renames, the statements are drizzle-kit's (oracle), as a set: schemac moves the
/// `DROP PRIMARY KEY` of a column losing `AUTO_INCREMENT` after its `MODIFY COLUMN`.
#[test]
fn the_statements_are_drizzle_kits() {
    let dir = fixtures().join("diff");
    let (p2, p3) = (dir.join("mysql_v2.ts"), dir.join("mysql_v3.ts"));
    let sql = migrate(
        &compile(&p2, Dialect::Mysql),
        &compile(&p3, Dialect::Mysql),
        &[],
    );
    if let Some(dk) = support::migrate::drizzle_kit_migration("mysql", &p2, &p3) {
        assert_eq!(
            sorted(&sql),
            sorted(&dk),
            "schemac (left), drizzle-kit (right)"
        );
    }
}

/// A generated column, a new auto-increment primary key column, a renamed view.
#[test]
fn generated_columns_new_key_columns_and_view_renames() {
    let dir = fixtures().join("diff");
    let v3 = compile(&dir.join("mysql_v3.ts"), Dialect::Mysql);
    let v4 = compile(&dir.join("mysql_v4.ts"), Dialect::Mysql);
    let db = TempDb::mysql("diffmysql4");
    db.execute(&export(&v3)).expect("v3 applies");
    db.execute(&[
        "INSERT INTO authors (id, name, score, code) VALUES (1, 'abc', 1, 7)".into(),
        "INSERT INTO tags (id, label) VALUES (1, 'x'), (2, 'y')".into(),
    ])
    .unwrap();
    let sql = migrate(&v3, &v4, &[("public.book_titles", "public.titles")]);
    let has = |s: &str| sql.iter().any(|x| x == s);
    assert!(has("RENAME TABLE `titles` TO `book_titles`;"), "{sql:#?}");
    assert!(
        has("ALTER TABLE `tags` ADD `code` int PRIMARY KEY AUTO_INCREMENT NOT NULL;"),
        "{sql:#?}"
    );
    db.execute(&sql).unwrap_or_else(|e| panic!("{e}\n{sql:#?}"));
    let fresh = TempDb::mysql("diffmysql4fresh");
    fresh.execute(&export(&v4)).expect("v4 applies");
    assert_eq!(catalog(&db), catalog(&fresh), "{sql:#?}");
    assert_eq!(
        db.mysql_texts("SELECT CAST(name_length AS CHAR) FROM authors"),
        ["3"]
    );
    assert_eq!(count(&db, "tags"), "2");
}
