//! `schemac build` on SQLite schemas: the snapshot (version 6) is drizzle-kit's, a second build
//! writes nothing, a corrupt snapshot is a located error, and folders interoperate with
//! drizzle-kit's (the oracle, applied to SQLite files). The checks are shared with MySQL
//! (`support/dialect_build.rs`).

mod support;

use support::SQLITE_CORPUS;
use support::dialect_build::{self as build, Case};

/// The corpus schemas (with their casing), then schemac's own SQLite fixtures (every builder;
/// operators in views and defaults; snapshot corners).
fn cases() -> Vec<Case> {
    let mut out: Vec<Case> = SQLITE_CORPUS
        .iter()
        .map(|(s, casing)| Case::corpus(s, *casing))
        .collect();
    for fixture in ["builders.ts", "operators.ts"] {
        out.push(Case {
            schema: support::fixtures().join("sqlite").join(fixture),
            casing: None,
        });
    }
    out.push(Case {
        schema: support::fixtures().join("snapshot/sqlite_extra.ts"),
        casing: None,
    });
    out
}

#[test]
fn snapshots_equal_drizzle_kit() {
    build::snapshots_equal_drizzle_kit("sqlite", &cases());
}

#[test]
fn second_build_writes_nothing() {
    build::second_build_writes_nothing("sqlite", &cases());
}

#[test]
fn a_corrupt_snapshot_is_a_located_error() {
    build::corrupt_snapshot_is_located(
        "sqlite",
        &Case::corpus("steps/sqlite_v1.ts", None),
        "notes",
    );
}

/// A table added to `steps/sqlite_v1.ts` after drizzle-kit's first migration.
const ADDED: &str = "
import { index as addedIndex, integer as addedInt, sqliteTable as addedTable, text as addedText } from 'drizzle-orm/sqlite-core';

export const addedTags = addedTable('added_tags', {
  id: addedInt('id').primaryKey({ autoIncrement: true }),
  label: addedText('label').notNull(),
}, (t) => [addedIndex('added_tags_label_idx').on(t.label)]);
";

#[test]
fn folders_interoperate_with_drizzle_kit() {
    let cases: Vec<Case> = SQLITE_CORPUS
        .iter()
        .map(|(s, casing)| Case::corpus(s, *casing))
        .collect();
    build::interop(
        "sqlite",
        &cases,
        (&Case::corpus("steps/sqlite_v1.ts", None), ADDED),
    );
}

/// A table and one of its columns renamed: `_meta` records both as drizzle-kit does (an index is
/// added too).
#[test]
fn renames_are_recorded_like_drizzle_kit() {
    build::renames_recorded_like_drizzle_kit(
        "sqlite",
        &Case::corpus("steps/sqlite_v1.ts", None),
        &[
            ("sqliteTable('notes'", "sqliteTable('memos'"),
            ("text('body')", "text('content')"),
            ("import { integer,", "import { index, integer,"),
            (
                "legacyCode: text('legacy_code'),\n});",
                "legacyCode: text('legacy_code'),\n}, (t) => [index('people_age_idx').on(t.age)]);",
            ),
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

/// `check`, `up` and `drop` on a SQLite folder `build` wrote; a dialect other than the folder's
/// is E0003.
#[test]
fn check_up_and_drop_read_sqlite_folders() {
    use support::{ok, schemac, stderr, stdout};
    let case = Case::corpus("steps/sqlite_v1.ts", None);
    let p = build::Project::new("sqlite", &case);
    ok(&p.build(&["--name", "a"]));
    let schema = p.dir.join("schema.ts");
    let mut text = std::fs::read_to_string(&schema).unwrap();
    text.push_str("\nexport const extra = sqliteTable('extra', { id: integer('id') });\n");
    std::fs::write(&schema, text).unwrap();
    ok(&p.build(&["--name", "b"]));
    let o = schemac(&p.dir, &["check", "--out", "drizzle"]);
    ok(&o);
    assert!(stdout(&o).contains("2 migrations"), "{}", stdout(&o));
    let before = support::tree(&p.out());
    let o = schemac(&p.dir, &["up", "--out", "drizzle"]);
    ok(&o);
    assert!(
        stdout(&o).contains("PostgreSQL snapshots only"),
        "{}",
        stdout(&o)
    );
    assert_eq!(support::tree(&p.out()), before);
    let o = schemac(&p.dir, &["check", "--out", "drizzle", "--dialect", "mysql"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("E0003"), "{}", stderr(&o));
    ok(&schemac(&p.dir, &["drop", "--out", "drizzle", "--last"]));
    let o = schemac(&p.dir, &["check", "--out", "drizzle"]);
    ok(&o);
    assert!(stdout(&o).contains("1 migration;"), "{}", stdout(&o));
    // `build` writes the dropped step again.
    ok(&p.build(&["--name", "b"]));
    assert!(p.out().join("0001_b.sql").is_file());
}

/// `driver: 'expo'`: `build` writes `migrations.js`, which imports the journal and every
/// migration (the app's migrator reads only it); `drop` writes it without the dropped one.
#[test]
fn expo_folders_get_their_migrations_bundle() {
    use support::{ok, schemac};
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        support::fixtures().join("corpus/steps/sqlite_v1.ts"),
        dir.path().join("schema.ts"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("drizzle.config.ts"),
        "export default { dialect: 'sqlite', driver: 'expo', schema: './schema.ts', out: './drizzle' };\n",
    )
    .unwrap();
    ok(&schemac(dir.path(), &["build", "--name", "a"]));
    let schema = dir.path().join("schema.ts");
    let mut text = std::fs::read_to_string(&schema).unwrap();
    text.push_str("\nexport const extra = sqliteTable('extra', { id: integer('id') });\n");
    std::fs::write(&schema, text).unwrap();
    ok(&schemac(dir.path(), &["build", "--name", "b"]));
    let bundle = dir.path().join("drizzle/migrations.js");
    let text = std::fs::read_to_string(&bundle).unwrap();
    for line in [
        "import journal from './meta/_journal.json';",
        "import m0000 from './0000_a.sql';",
        "import m0001 from './0001_b.sql';",
        "    m0000,\n    m0001,\n",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    ok(&schemac(
        dir.path(),
        &["drop", "--out", "drizzle", "--last"],
    ));
    let text = std::fs::read_to_string(&bundle).unwrap();
    assert!(!text.contains("m0001"), "{text}");
    assert!(text.contains("import m0000 from './0000_a.sql';"), "{text}");
}

/// A MySQL schema built into a SQLite folder is refused (E6003), nothing written.
#[test]
fn build_refuses_a_folder_of_another_dialect() {
    use support::{ok, schemac, stderr, tree};
    let p = build::Project::new("sqlite", &Case::corpus("steps/sqlite_v1.ts", None));
    ok(&p.build(&["--name", "a"]));
    std::fs::copy(
        support::fixtures().join("corpus/steps/mysql_v1.ts"),
        p.dir.join("mysql.ts"),
    )
    .unwrap();
    let before = tree(&p.out());
    let o = schemac(
        &p.dir,
        &["build", "--dialect", "mysql", "--schema", "mysql.ts"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("E6003") && stderr(&o).contains("sqlite migrations"),
        "{}",
        stderr(&o)
    );
    assert_eq!(tree(&p.out()), before);
}

/// A table added in a later step with a foreign key: the key is in its CREATE TABLE (it was
/// refused as "not supported" before), and the migration applies to the first one's database.
#[test]
fn a_new_table_with_a_foreign_key_in_a_later_step() {
    let dir = tempfile::tempdir().unwrap();
    let v1 = "import { sqliteTable, integer } from \"drizzle-orm/sqlite-core\";\n\
              export const a = sqliteTable(\"a\", { id: integer().primaryKey() });\n";
    let v2 = format!(
        "{v1}export const b = sqliteTable(\"b\", {{ id: integer().primaryKey(), aId: integer().references(() => a.id) }});\n"
    );
    let args = [
        "build",
        "--dialect",
        "sqlite",
        "--schema",
        "schema.ts",
        "--name",
    ];
    std::fs::write(dir.path().join("schema.ts"), v1).unwrap();
    support::ok(&support::schemac(
        dir.path(),
        &[&args[..], &["one"]].concat(),
    ));
    std::fs::write(dir.path().join("schema.ts"), &v2).unwrap();
    support::ok(&support::schemac(
        dir.path(),
        &[&args[..], &["two"]].concat(),
    ));
    let db = support::TempSqlite::new("fk-later");
    for tag in ["0000_one", "0001_two"] {
        db.execute(&support::migration_statements(
            &dir.path().join(format!("drizzle/{tag}.sql")),
        ))
        .unwrap();
    }
    assert_eq!(
        db.texts("SELECT \"table\" FROM pragma_foreign_key_list('b')"),
        ["a"]
    );
}
