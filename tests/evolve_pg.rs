//! `schemac build` continuing a PostgreSQL migrations folder: the corpus steps `pg_v1` then
//! `pg_v2_norename` applied to real PostgreSQL (rows survive), possible renames asked, and with
//! the oracle: drizzle-kit finds no changes in the folder, `migrate` applies it, and the catalog
//! equals `export` of v2.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::{
    TempDb, catalog, drizzle_kit, export_statements, fixtures, migration_statements, ok, oracle,
    pg_build_args, schemac, stderr, stdout, tree,
};

fn step(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join("corpus/steps").join(name)).unwrap()
}

fn project(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("schemac-evolve-{}-{label}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn build(dir: &Path, schema: &str, name: &str) -> Output {
    build_text(dir, step(schema), name)
}

/// `schemac build --name <name>` with `text` as the project's schema.
fn build_text(dir: &Path, text: impl AsRef<[u8]>, name: &str) -> Output {
    std::fs::write(dir.join("schema.ts"), text).unwrap();
    schemac(dir, &pg_build_args(name))
}

#[test]
fn v1_then_v2_applies_and_keeps_rows() {
    let dir = project("rows");
    ok(&build(&dir, "pg_v1.ts", "v1"));
    ok(&build(&dir, "pg_v2_norename.ts", "v2"));
    let out = dir.join("drizzle");
    let sql = std::fs::read_to_string(out.join("0001_v2.sql")).unwrap();
    assert_eq!(
        sql,
        "ALTER TABLE \"people\" ALTER COLUMN \"name\" SET DATA TYPE varchar(120);--> statement-breakpoint\n\
         ALTER TABLE \"people\" ALTER COLUMN \"age\" SET DATA TYPE bigint;--> statement-breakpoint\n\
         ALTER TABLE \"people\" ADD COLUMN \"email\" varchar(255);--> statement-breakpoint\n\
         CREATE INDEX \"notes_person_idx\" ON \"notes\" USING btree (\"person_id\");--> statement-breakpoint\n\
         CREATE INDEX \"people_name_idx\" ON \"people\" USING btree (\"name\");--> statement-breakpoint\n\
         ALTER TABLE \"notes\" DROP COLUMN \"obsolete\";"
    );
    // The journal and the snapshot chain.
    let journal: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("meta/_journal.json")).unwrap())
            .unwrap();
    assert_eq!(journal["entries"][1]["idx"], 1);
    assert_eq!(journal["entries"][1]["tag"], "0001_v2");
    let snap = |n: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(out.join("meta").join(n)).unwrap()).unwrap()
    };
    assert_eq!(
        snap("0001_snapshot.json")["prevId"],
        snap("0000_snapshot.json")["id"]
    );
    // A third build: no changes.
    let o = build(&dir, "pg_v2_norename.ts", "v3");
    ok(&o);
    assert!(stdout(&o).contains("No schema changes"), "{}", stdout(&o));

    let db = TempDb::postgres("evolve");
    db.execute(&migration_statements(&out.join("0000_v1.sql")))
        .unwrap();
    db.execute(&[
        "INSERT INTO people (name, age) VALUES ('ada', 36), ('alan', 41)".to_string(),
        "INSERT INTO notes (person_id, body) SELECT id, 'hi' FROM people".to_string(),
    ])
    .unwrap();
    db.execute(&migration_statements(&out.join("0001_v2.sql")))
        .unwrap_or_else(|e| panic!("v2 does not apply: {e}"));
    db.execute(&[
        "DO $$ BEGIN IF (SELECT count(*) FROM people WHERE age IN (36, 41)) <> 2 \
         OR (SELECT count(*) FROM notes) <> 2 THEN RAISE EXCEPTION 'rows lost'; END IF; END $$"
            .to_string(),
    ])
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_possible_rename_is_asked_not_guessed() {
    let dir = project("rename");
    ok(&build(&dir, "pg_v1.ts", "v1"));
    let before = tree(&dir.join("drizzle"));
    let o = build(&dir, "pg_v2.ts", "v2");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("E7003"), "{err}");
    assert!(err.contains("column \"nickname\""), "{err}");
    assert_eq!(tree(&dir.join("drizzle")), before);
    let _ = std::fs::remove_dir_all(&dir);
}

/// With the oracle: drizzle-kit `generate` finds no changes in the v1 → v2 folder schemac wrote,
/// and `migrate` applies it, giving the catalog `export` of v2 gives.
#[test]
fn drizzle_kit_continues_and_applies_the_evolved_folder() {
    let Some(dk) = oracle() else { return };
    let run = std::env::temp_dir().join(format!("schemac-evolve-dk-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&run);
    let o = Command::new("bash")
        .arg(dk.join("dk.sh"))
        .args(["generate", "postgresql"])
        .arg(fixtures().join("corpus/steps/pg_v1.ts"))
        .arg(&run)
        .env("DK_BIN", env!("CARGO_BIN_EXE_schemac"))
        .output()
        .expect("dk.sh runs");
    assert!(o.status.success(), "{}", stderr(&o));
    let project = run.join("project");
    // The project's schema becomes v2; schemac writes the next migration from the config.
    std::fs::write(project.join("schema/pg_v1.ts"), step("pg_v2_norename.ts")).unwrap();
    ok(&schemac(&project, &["generate"]));
    let folder = project.join("drizzle");
    let ours = tree(&folder);
    assert_eq!(ours.len(), 5, "{:?}", ours.keys());
    let o = drizzle_kit(&project, "generate");
    let text = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        o.status.success() && text.contains("No schema changes"),
        "drizzle-kit generate found changes:\n{text}"
    );
    assert_eq!(tree(&folder), ours, "drizzle-kit changed the folder");
    let db = TempDb::postgres("evolvedk");
    let config = project.join("drizzle.config.ts");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("/unused'", &format!("/{}'", db.name))).unwrap();
    let o = drizzle_kit(&project, "migrate");
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let fresh = TempDb::postgres("evolveexp");
    fresh
        .execute(&export_statements(
            &fixtures().join("corpus/steps"),
            &["--dialect", "postgresql", "--schema", "pg_v2_norename.ts"],
        ))
        .unwrap();
    let (migrated, exported) = (catalog(&dk, &db.url), catalog(&dk, &fresh.url));
    assert_eq!(migrated, exported);
    let _ = std::fs::remove_dir_all(&run);
}

const KINDS_V1: &str = r#"
import { check, index, integer, pgEnum, pgTable, primaryKey, text, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

export const mood = pgEnum('mood', ['sad', 'happy']);
export const gone = pgEnum('gone', ['x']);

export const items = pgTable('items', {
  id: integer('id').notNull(),
  code: text('code'),
  qty: integer('qty').default(1),
  label: text('label').notNull(),
  feeling: mood('feeling'),
}, (t) => [
  primaryKey({ columns: [t.id] }),
  check('items_qty_check', sql`${t.qty} > 0`),
  unique('items_label_unique').on(t.label),
  index('items_code_idx').on(t.code),
]);

export const old = pgTable('old', { id: integer('id'), g: gone('g') });
"#;

const KINDS_V2: &str = r#"
import { check, index, integer, pgEnum, pgTable, primaryKey, text, unique } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

export const mood = pgEnum('mood', ['sad', 'ok', 'happy', 'ecstatic']);

export const items = pgTable('items', {
  id: integer('id').notNull(),
  code: integer('code'),
  qty: integer('qty').default(2).notNull(),
  label: text('label'),
  feeling: mood('feeling'),
}, (t) => [
  primaryKey({ columns: [t.id, t.qty] }),
  check('items_qty_check', sql`${t.qty} > 1`),
  unique('items_label_code_unique').on(t.label, t.code),
  index('items_code_idx').on(t.code.desc()),
]);
"#;

/// Every supported kind of change, applied to PostgreSQL over rows: `text` → `integer` needs
/// `USING`, enum values go before existing ones, constraints and indexes are dropped and added.
#[test]
fn every_supported_change_applies_over_rows() {
    let dir = project("kinds");
    let write = |text: &str, name: &str| build_text(&dir, text, name);
    ok(&write(KINDS_V1, "v1"));
    ok(&write(KINDS_V2, "v2"));
    let out = dir.join("drizzle");
    let sql = std::fs::read_to_string(out.join("0001_v2.sql")).unwrap();
    assert!(
        sql.contains("SET DATA TYPE integer USING \"code\"::integer;"),
        "{sql}"
    );
    assert!(sql.contains("ADD VALUE 'ok' BEFORE 'happy';"), "{sql}");
    let db = TempDb::postgres("evolvekinds");
    db.execute(&migration_statements(&out.join("0000_v1.sql")))
        .unwrap();
    db.execute(&[
        "INSERT INTO items (id, code, qty, label, feeling) VALUES (1, '10', 2, 'a', 'sad'), (2, '20', 3, 'b', 'happy')"
            .to_string(),
    ])
    .unwrap();
    db.execute(&migration_statements(&out.join("0001_v2.sql")))
        .unwrap_or_else(|e| panic!("v2 does not apply: {e}\n{sql}"));
    db.execute(&[
        "DO $$ BEGIN IF (SELECT sum(code) FROM items) <> 30 THEN RAISE EXCEPTION 'rows lost'; END IF; END $$"
            .to_string(),
        "INSERT INTO items (id, label, feeling) VALUES (3, 'c', 'ok')".to_string(),
    ])
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
