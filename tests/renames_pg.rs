//! Renames in `schemac build` (spec/renames.md): each way of answering a rename question —
//! annotation, `--rename`/`--create` flags, a hints file, the terminal prompt — and, without a
//! terminal, exit code 2. The migrations are applied to real PostgreSQL: rows written before a
//! rename are there after it.

mod support;

use std::path::PathBuf;
use std::process::Output;

use support::{TempDb, fixtures, ok, pg_build_args, schemac, stderr, stdout};

struct Project(PathBuf);

impl Project {
    fn new(label: &str) -> Project {
        let dir =
            std::env::temp_dir().join(format!("schemac-rename-{}-{label}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Project(dir)
    }

    /// `schemac build --name <name> <extra>` with `schema` as the project's schema.
    fn build(&self, schema: &str, name: &str, extra: &[&str]) -> Output {
        std::fs::write(self.0.join("schema.ts"), schema).unwrap();
        let mut args = pg_build_args(name);
        args.extend_from_slice(extra);
        schemac(&self.0, &args)
    }

    fn sql(&self, tag: &str) -> String {
        std::fs::read_to_string(self.0.join("drizzle").join(format!("{tag}.sql"))).unwrap()
    }

    fn statements(&self, tag: &str) -> Vec<String> {
        self.sql(tag)
            .split("--> statement-breakpoint")
            .map(str::to_string)
            .collect()
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn step(name: &str) -> String {
    std::fs::read_to_string(fixtures().join("corpus/steps").join(name)).unwrap()
}

/// Fails unless `condition` (SQL) holds in `db`.
fn assert_sql(db: &TempDb, condition: &str) {
    db.execute(&[format!(
        "DO $$ BEGIN IF NOT ({condition}) THEN RAISE EXCEPTION 'does not hold: {}'; END IF; END $$",
        condition.replace('\'', "''")
    )])
    .unwrap();
}

const USERS_V1: &str = r#"import { pgTable, integer, text, pgEnum } from "drizzle-orm/pg-core";
export const mood = pgEnum("mood", ["sad", "happy"]);
export const users = pgTable("users", {
  id: integer().primaryKey(),
  name: text().notNull(),
  feeling: mood(),
});
export const posts = pgTable("posts", {
  id: integer().primaryKey(),
  authorId: integer("author_id").references(() => users.id),
});
"#;

/// A table renamed while columns are renamed and added, an enum renamed: annotations answer,
/// and the rows survive.
const USERS_V2: &str = r#"import { pgTable, integer, text, pgEnum } from "drizzle-orm/pg-core";
// @renamed-from mood
export const feeling = pgEnum("feeling", ["sad", "happy"]);
// @renamed-from users
export const customers = pgTable("customers", {
  id: integer().primaryKey(),
  /** @renamed-from name */
  fullName: text("full_name").notNull(),
  feeling: feeling(),
  email: text(),
});
export const posts = pgTable("posts", {
  id: integer().primaryKey(),
  authorId: integer("author_id").references(() => customers.id),
});
"#;

#[test]
fn annotations_rename_a_table_its_column_and_an_enum_keeping_rows() {
    let p = Project::new("annotations");
    ok(&p.build(USERS_V1, "v1", &[]));
    let o = p.build(USERS_V2, "v2", &[]);
    ok(&o);
    let sql = p.sql("0001_v2");
    assert!(!sql.contains("DROP TABLE"), "{sql}");
    assert!(!sql.contains("DROP COLUMN"), "{sql}");
    assert!(!sql.contains("DROP TYPE"), "{sql}");
    for s in [
        "ALTER TYPE \"public\".\"mood\" RENAME TO \"feeling\";",
        "ALTER TABLE \"users\" RENAME TO \"customers\";",
        "ALTER TABLE \"customers\" RENAME COLUMN \"name\" TO \"full_name\";",
        "ALTER TABLE \"customers\" ADD COLUMN \"email\" text;",
    ] {
        assert!(sql.contains(s), "missing {s} in\n{sql}");
    }

    let db = TempDb::postgres("rename_annot");
    db.execute(&p.statements("0000_v1")).unwrap();
    db.execute(&[
        "INSERT INTO users VALUES (1, 'ada', 'happy'), (2, 'alan', 'sad')".to_string(),
        "INSERT INTO posts VALUES (10, 1), (11, 2)".to_string(),
    ])
    .unwrap();
    db.execute(&p.statements("0001_v2"))
        .unwrap_or_else(|e| panic!("v2 does not apply: {e}"));
    assert_sql(
        &db,
        "(SELECT count(*) FROM customers WHERE full_name IN ('ada', 'alan')) = 2 \
         AND (SELECT feeling FROM customers WHERE id = 1) = 'happy'::feeling \
         AND (SELECT count(*) FROM posts JOIN customers ON customers.id = posts.author_id) = 2",
    );

    // The annotations stay in the source: the next build has nothing to do.
    let o = p.build(USERS_V2, "v3", &[]);
    ok(&o);
    assert!(stdout(&o).contains("No schema changes"), "{}", stdout(&o));
}

/// The corpus step pg_v1 → pg_v2 renames `nickname` to `display_name`, drops `legacy_code` and
/// adds `email`: three columns removed or added in one table.
fn v2_with(extra: &[&str], label: &str) -> Project {
    let p = Project::new(label);
    ok(&p.build(&step("pg_v1.ts"), "v1", &[]));
    let o = p.build(&step("pg_v2.ts"), "v2", extra);
    ok(&o);
    p
}

fn assert_v2_renamed(p: &Project) {
    let sql = p.sql("0001_v2");
    assert!(
        sql.contains("ALTER TABLE \"people\" RENAME COLUMN \"nickname\" TO \"display_name\";"),
        "{sql}"
    );
    assert!(
        sql.contains("ALTER TABLE \"people\" DROP COLUMN \"legacy_code\";"),
        "{sql}"
    );
    assert!(
        sql.contains("ALTER TABLE \"people\" ADD COLUMN \"email\" varchar(255);"),
        "{sql}"
    );
    let db = TempDb::postgres("rename_v2");
    db.execute(&p.statements("0000_v1")).unwrap();
    db.execute(&["INSERT INTO people (name, nickname) VALUES ('ada', 'countess')".to_string()])
        .unwrap();
    db.execute(&p.statements("0001_v2"))
        .unwrap_or_else(|e| panic!("v2 does not apply: {e}"));
    assert_sql(
        &db,
        "(SELECT display_name FROM people WHERE name = 'ada') = 'countess'",
    );
}

#[test]
fn rename_and_create_flags_answer_the_questions() {
    let p = v2_with(
        &[
            "--rename",
            "people.nickname=people.display_name",
            "--create",
            "people.email",
        ],
        "flags",
    );
    assert_v2_renamed(&p);
}

#[test]
fn a_hints_file_answers_the_questions() {
    let dir = std::env::temp_dir().join(format!("schemac-hints-{}.json", std::process::id()));
    std::fs::write(
        &dir,
        r#"{"rename": ["column:people.nickname=display_name"], "create": ["people.email"]}"#,
    )
    .unwrap();
    let p = v2_with(&["--hints", dir.to_str().unwrap()], "hints");
    let _ = std::fs::remove_file(&dir);
    assert_v2_renamed(&p);
}

/// One removed table and three added ones: without a terminal, one run lists a question for
/// each of the three (any of them may be the renamed table), and their answers build the step.
#[test]
fn every_added_table_a_removed_one_may_have_become_is_asked_at_once() {
    let p = Project::new("allatonce");
    let head = "import { integer, pgTable } from 'drizzle-orm/pg-core';\n";
    ok(&p.build(
        &format!("{head}export const old = pgTable('old', {{ id: integer('id') }});\n"),
        "v1",
        &[],
    ));
    let v2 = format!(
        "{head}export const b = pgTable('b', {{ id: integer('id') }});
export const c = pgTable('c', {{ id: integer('id') }});
export const d = pgTable('d', {{ id: integer('id') }});
"
    );
    let o = p.build(&v2, "v2", &["--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let added: Vec<&str> = doc["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["added"].as_str().unwrap())
        .collect();
    assert_eq!(added, ["public.b", "public.c", "public.d"], "{doc:#}");
    ok(&p.build(
        &v2,
        "v2",
        &["--create", "b", "--rename", "old=c", "--create", "d"],
    ));
    let sql = p.sql("0001_v2");
    assert!(
        sql.contains("ALTER TABLE \"old\" RENAME TO \"c\";"),
        "{sql}"
    );
}

/// Without a terminal, a table that may be a rename with a column that may be one too gives two
/// questions; answering the table "new" leaves no question about its column, and the column's
/// `--create` the same run suggested is accepted (it was E7004).
#[test]
fn the_create_answers_listed_for_a_table_and_its_column_build_the_step() {
    let p = Project::new("createboth");
    let head = "import { pgTable, serial, text } from 'drizzle-orm/pg-core';\n";
    ok(&p.build(
        &format!("{head}export const todos = pgTable('todos', {{ id: serial().primaryKey(), content: text() }});\n"),
        "v1",
        &[],
    ));
    let v2 = format!(
        "{head}export const notes = pgTable('notes', {{ id: serial().primaryKey(), need: text() }});\n"
    );
    let o = p.build(&v2, "v2", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("--create notes`") && err.contains("--create notes.need`"),
        "{err}"
    );
    ok(&p.build(&v2, "v2", &["--create", "notes", "--create", "notes.need"]));
    let sql = p.sql("0001_v2");
    assert!(
        sql.contains("CREATE TABLE \"notes\"") && sql.contains("DROP TABLE \"todos\""),
        "{sql}"
    );
    // A `--create` naming nothing new is still a mistake.
    let p = Project::new("createnothing");
    ok(&p.build(&v2, "v1", &[]));
    let v3 = v2.replace("need: text()", "need: text(), more: text()");
    let o = p.build(&v3, "v2", &["--create", "notes.nothing"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("E7004"), "{}", stderr(&o));
}

#[test]
fn flags_that_answer_nothing_are_errors() {
    let p = Project::new("unused");
    ok(&p.build(&step("pg_v1.ts"), "v1", &[]));
    let o = p.build(
        &step("pg_v2.ts"),
        "v2",
        &["--rename", "people.nick=people.display_name"],
    );
    // The flag answers nothing, so the questions stay open too: exit code 2.
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("E7004"), "{err}");
    assert!(
        err.contains("--rename people.nick=people.display_name"),
        "{err}"
    );
    assert!(!p.0.join("drizzle/0001_v2.sql").exists());

    // JSON lists the open questions with their candidates.
    let o = schemac(
        &p.0,
        &[&["--format", "json"][..], &pg_build_args("v2")].concat(),
    );
    assert_eq!(o.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["ok"], false);
    let q = &doc["questions"][0];
    assert_eq!(
        (&q["kind"], &q["scope"], &q["added"]),
        (
            &serde_json::json!("column"),
            &serde_json::json!("public.people"),
            &serde_json::json!("display_name")
        )
    );
    assert_eq!(q["candidates"][0]["removed"], "nickname");

    let o = p.build(&step("pg_v2.ts"), "v2", &["--rename", "nonsense"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("E7005"), "{}", stderr(&o));
}

/// Under a pseudo-terminal the question is asked with the likeliest answer pre-selected:
/// Enter renames `nickname`, then Enter creates `email` (no likely candidate left).
#[test]
fn the_terminal_prompt_preselects_the_likeliest_answer() {
    let p = Project::new("tty");
    ok(&p.build(&step("pg_v1.ts"), "v1", &[]));
    std::fs::write(p.0.join("schema.ts"), step("pg_v2.ts")).unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_schemac"));
    cmd.args(pg_build_args("v2"))
        .current_dir(&p.0)
        .env("NO_COLOR", "1");
    let mut s = rexpect::session::spawn_command(cmd, Some(20_000)).unwrap();
    s.exp_string("Is column \"display_name\" in table \"people\" created or renamed")
        .unwrap();
    // `>` marks the pre-selected item (rexpect reads bytes as Latin-1, so `›` is not matched).
    s.exp_string("> ~ nickname ").unwrap();
    s.exp_string("~ legacy_code ").unwrap();
    enter(&mut s);
    s.exp_string("Is column \"email\" in table \"people\" created or renamed")
        .unwrap();
    s.exp_string("~ legacy_code ").unwrap();
    enter(&mut s);
    s.exp_string("Your SQL migration file").unwrap();
    s.exp_eof().unwrap();
    assert_v2_renamed(&p);
}

/// Presses Enter once the prompt reads keys: the terminal switches to raw mode after drawing the
/// list and discards what was typed before, so wait a moment first.
fn enter(s: &mut rexpect::session::PtySession) {
    std::thread::sleep(std::time::Duration::from_millis(500));
    s.send("\r").unwrap();
    s.flush().unwrap();
}
