//! `schemac push` against real databases: round trips of the corpus (push, push again: nothing to
//! do), every data-loss and blocking case measured on real rows, `--force`, `--plan`, the
//! refusal without a terminal (exit 2), `--strict` and the loss prompt under a pseudo-terminal,
//! and a failure half-way (PostgreSQL rolls everything back, exit 1).

mod support;

use std::path::PathBuf;
use std::process::Output;

use support::*;

/// Roles are cluster-wide, and a project with `entities.roles` manages every role it sees: the
/// tests that create roles run one at a time.
static ROLES: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A project folder with one `schema.ts`, pushed to one database.
struct Push {
    dir: PathBuf,
    _temp: tempfile::TempDir,
    dialect: &'static str,
    url: String,
}

impl Push {
    fn new(label: &str, dialect: &'static str, url: &str) -> Push {
        let temp = tempfile::Builder::new()
            .prefix(&format!("schemac-push-{label}-"))
            .tempdir()
            .unwrap();
        Push {
            dir: temp.path().to_path_buf(),
            _temp: temp,
            dialect,
            url: url.to_string(),
        }
    }

    fn schema(&self, text: &str) -> &Push {
        std::fs::write(self.dir.join("schema.ts"), text).unwrap();
        self
    }

    fn args<'a>(&'a self, extra: &[&'a str]) -> Vec<&'a str> {
        let mut a = vec![
            "push",
            "--dialect",
            self.dialect,
            "--schema",
            "schema.ts",
            "--url",
            &self.url,
        ];
        a.extend_from_slice(extra);
        a
    }

    fn push(&self, extra: &[&str]) -> Output {
        schemac(&self.dir, &self.args(extra))
    }

    fn count(&self, sql: &str) -> Option<i64> {
        scalar(&self.url, sql)
    }
}

fn pushed(o: &Output) {
    pushed_as("push", o);
}

fn no_changes(o: &Output) {
    no_changes_as("push", o);
}

/// A push that applied changes; `label` names the case in a failure.
fn pushed_as(label: &str, o: &Output) {
    assert!(
        o.status.success() && stdout(o).contains("Changes applied"),
        "{label}: no changes applied\n{}\n{}",
        stdout(o),
        stderr(o)
    );
}

/// A push that found nothing to do (a second push of the same schema).
fn no_changes_as(label: &str, o: &Output) {
    assert!(
        o.status.success() && stdout(o).contains("No changes detected"),
        "{label}: a second push found changes\n{}\n{}",
        stdout(o),
        stderr(o)
    );
}

fn round_trip(p: &Push, entry: &str, casing: Option<&str>) {
    let schema_args = ["--schema", copy_corpus(entry, &p.dir)];
    let mut extra: Vec<&str> = Vec::new();
    if let Some(c) = casing {
        extra.extend(["--casing", c]);
    }
    let run = |more: &[&str]| {
        let mut a = vec!["push", "--dialect", p.dialect, "--url", &p.url];
        a.extend(schema_args);
        a.extend(&extra);
        a.extend_from_slice(more);
        schemac(&p.dir, &a)
    };
    pushed_as(entry, &run(&[]));
    no_changes_as(entry, &run(&["--verbose"]));
}

#[test]
fn corpus_round_trips_on_postgres() {
    for entry in PG_CORPUS {
        let db = TempDb::postgres("push_rt");
        let p = Push::new("rt", "postgresql", &db.url);
        round_trip(&p, entry, None);
    }
}

#[test]
fn corpus_round_trips_on_mysql() {
    for entry in MYSQL_CORPUS {
        let db = TempDb::mysql("push_rt");
        let p = Push::new("rt", "mysql", &db.url);
        round_trip(&p, entry, None);
    }
}

#[test]
fn corpus_round_trips_on_sqlite() {
    for (entry, casing) in SQLITE_CORPUS {
        let db = TempSqlite::new("push-rt");
        let p = Push::new("rt", "sqlite", &db.path.display().to_string());
        round_trip(&p, entry, *casing);
    }
}

const PG_V1: &str = r#"
import { pgTable, serial, text, varchar, integer } from "drizzle-orm/pg-core";
export const users = pgTable("users", {
  id: serial().primaryKey(),
  name: varchar({ length: 20 }),
  email: text(),
  age: integer(),
});
export const logs = pgTable("logs", { id: serial().primaryKey(), line: text() });
export const empty = pgTable("empty", { id: serial().primaryKey() });
"#;

/// Each data-losing change of a table with rows is refused without a terminal (exit 2, E8014,
/// with the real counts), applied with `--force`; the same change of an empty table is applied
/// without a question.
#[test]
fn data_loss_needs_force_on_postgres() {
    let db = TempDb::postgres("push_loss");
    let p = Push::new("loss", "postgresql", &db.url);
    pushed(&p.schema(PG_V1).push(&[]));
    db.execute(&[
        "INSERT INTO users (name, email) VALUES ('a very long name xx', 'a@x'), ('bo', NULL), ('cy', 'c@x')".into(),
        "INSERT INTO logs (line) VALUES ('one'), ('two')".into(),
    ])
    .unwrap();

    // Drop a table with rows, drop a column with values, narrow a varchar under a long value;
    // drop an empty table (harmless: not questioned).
    let v2 = r#"
import { pgTable, serial, varchar, integer } from "drizzle-orm/pg-core";
export const users = pgTable("users", {
  id: serial().primaryKey(),
  name: varchar({ length: 5 }),
  age: integer(),
});
"#;
    p.schema(v2);
    let o = p.push(&[]);
    assert_eq!(o.status.code(), Some(2), "{}\n{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("E8014"), "{err}");
    assert!(err.contains("drop table \"logs\": 2 rows"), "{err}");
    assert!(
        err.contains("drop column \"email\" of \"users\": 2 non-NULL values"),
        "{err}"
    );
    assert!(err.contains("1 value longer than the new length"), "{err}");
    assert!(
        !err.contains("\"empty\""),
        "an empty table is not questioned: {err}"
    );
    // Nothing applied.
    assert_eq!(p.count("SELECT count(*) FROM logs"), Some(2));
    assert_eq!(p.count("SELECT count(*) FROM empty"), Some(0));

    // --plan shows the same, applies nothing, exit 0.
    let o = p.push(&["--plan"]);
    ok(&o);
    assert!(stdout(&o).contains("DROP TABLE"), "{}", stdout(&o));
    assert_eq!(p.count("SELECT count(*) FROM logs"), Some(2));

    // JSON lists the hazards with their counts.
    let o = schemac(&p.dir, &[&["--format", "json"][..], &p.args(&[])].concat());
    assert_eq!(o.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["applied"], false);
    let hazards = doc["hazards"].as_array().unwrap();
    assert!(
        hazards
            .iter()
            .any(|h| h["change"] == "drop table \"logs\"" && h["count"] == 2),
        "{doc}"
    );

    let o = p.push(&["--force"]);
    pushed(&o);
    assert_eq!(p.count("SELECT count(*) FROM logs"), None);
    assert_eq!(p.count("SELECT count(*) FROM empty"), None);
    assert_eq!(p.count("SELECT count(*) FROM users"), Some(3));
    // The long value was cut to the new length, as the confirmation said.
    assert_eq!(
        p.count("SELECT count(*) FROM users WHERE name = 'a ver'"),
        Some(1)
    );
    no_changes(&p.push(&[]));
}

/// A change that cannot apply to the rows there is refused before anything runs (exit 1,
/// E8013, with the count and what to do), even with `--force`.
#[test]
fn blocking_changes_are_refused_on_postgres() {
    let db = TempDb::postgres("push_block");
    let p = Push::new("block", "postgresql", &db.url);
    pushed(&p.schema(PG_V1).push(&[]));
    db.execute(&[
        "INSERT INTO users (name, email, age) VALUES ('a', 'same@x', NULL), ('b', 'same@x', 3)"
            .into(),
    ])
    .unwrap();
    let base = |extra: &str, email: &str, age: &str| {
        format!(
            r#"
import {{ pgTable, serial, text, varchar, integer }} from "drizzle-orm/pg-core";
export const users = pgTable("users", {{
  id: serial().primaryKey(),
  name: varchar({{ length: 20 }}),
  email: text(){email},
  age: integer(){age},
  {extra}
}});
export const logs = pgTable("logs", {{ id: serial().primaryKey(), line: text() }});
export const empty = pgTable("empty", {{ id: serial().primaryKey() }});
"#
        )
    };
    for (schema, expect) in [
        (
            base("bio: text().notNull(),", "", ""),
            "cannot add NOT NULL column \"bio\" without a default to \"users\": the database has 2 rows",
        ),
        (
            base("", "", ".notNull()"),
            "cannot set NOT NULL on \"users\".\"age\": the database has 1 row with NULL",
        ),
        (
            base("", ".unique()", ""),
            "cannot make (\"email\") of \"users\" unique: the database has 1 duplicated value",
        ),
    ] {
        p.schema(&schema);
        let o = p.push(&["--force"]);
        assert_eq!(o.status.code(), Some(1), "{}\n{}", stdout(&o), stderr(&o));
        assert!(stderr(&o).contains("E8013"), "{}", stderr(&o));
        assert!(stderr(&o).contains(expect), "{}", stderr(&o));
    }
    // A default makes the new NOT NULL column harmless.
    p.schema(&base("bio: text().notNull().default(''),", "", ""));
    pushed(&p.push(&[]));
    assert_eq!(
        p.count("SELECT count(*) FROM users WHERE bio = ''"),
        Some(2)
    );
}

/// A statement the database refuses half-way: PostgreSQL rolls back the statements before it
/// (the new table is not there), exit 1 with the statement and the database's message.
#[test]
fn failure_midway_rolls_back_on_postgres() {
    let db = TempDb::postgres("push_fail");
    let p = Push::new("fail", "postgresql", &db.url);
    pushed(&p.schema(PG_V1).push(&[]));
    db.execute(&["INSERT INTO users (name, age) VALUES ('a', -1)".into()])
        .unwrap();
    let v2 = r#"
import { sql } from "drizzle-orm";
import { pgTable, serial, text, varchar, integer, check } from "drizzle-orm/pg-core";
export const users = pgTable("users", {
  id: serial().primaryKey(),
  name: varchar({ length: 20 }),
  email: text(),
  age: integer(),
}, (t) => [check("age_positive", sql`${t.age} > 0`)]);
export const logs = pgTable("logs", { id: serial().primaryKey(), line: text() });
export const empty = pgTable("empty", { id: serial().primaryKey() });
export const fresh = pgTable("fresh", { id: serial().primaryKey() });
"#;
    let o = p.schema(v2).push(&[]);
    assert_eq!(o.status.code(), Some(1), "{}\n{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("E8012"), "{err}");
    assert!(err.contains("age_positive"), "{err}");
    assert!(err.contains("rolled back"), "{err}");
    assert_eq!(
        p.count("SELECT count(*) FROM pg_tables WHERE tablename = 'fresh'"),
        Some(0)
    );
}

/// SQLite: dropping a column with values goes through a rebuild; refused without `--force`,
/// the other rows and columns kept with it.
#[test]
fn data_loss_needs_force_on_sqlite() {
    let db = TempSqlite::new("push-loss");
    let p = Push::new("loss", "sqlite", &db.path.display().to_string());
    let v1 = r#"
import { sqliteTable, integer, text } from "drizzle-orm/sqlite-core";
export const users = sqliteTable("users", {
  id: integer().primaryKey(),
  name: text().notNull(),
  email: text(),
});
export const logs = sqliteTable("logs", { id: integer().primaryKey(), line: text() });
"#;
    pushed(&p.schema(v1).push(&[]));
    db.execute(&[
        "INSERT INTO users (name, email) VALUES ('a', 'a@x'), ('b', NULL)".into(),
        "INSERT INTO logs (line) VALUES ('x')".into(),
    ])
    .unwrap();
    let v2 = r#"
import { sqliteTable, integer, text } from "drizzle-orm/sqlite-core";
export const users = sqliteTable("users", {
  id: integer().primaryKey(),
  name: text().notNull(),
});
"#;
    let o = p.schema(v2).push(&[]);
    assert_eq!(o.status.code(), Some(2), "{}\n{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("drop table \"logs\": 1 row"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("drop column \"email\" of \"users\": 1 non-NULL value"),
        "{}",
        stderr(&o)
    );
    pushed(&p.push(&["--force"]));
    assert_eq!(p.count("SELECT count(*) FROM users"), Some(2));
    assert_eq!(p.count("SELECT count(*) FROM logs"), None);
    no_changes(&p.push(&[]));

    // A NOT NULL column without a default on a table with rows cannot apply.
    let v3 = r#"
import { sqliteTable, integer, text } from "drizzle-orm/sqlite-core";
export const users = sqliteTable("users", {
  id: integer().primaryKey(),
  name: text().notNull(),
  bio: text().notNull(),
});
"#;
    let o = p.schema(v3).push(&["--force"]);
    assert_eq!(o.status.code(), Some(1), "{}\n{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("E8013"), "{}", stderr(&o));
    assert_eq!(p.count("SELECT count(*) FROM users"), Some(2));
}

/// MySQL: a dropped column with values is refused without `--force`; statements run one by
/// one, so a failure says which ran.
#[test]
fn data_loss_needs_force_on_mysql() {
    let db = TempDb::mysql("push_loss");
    let p = Push::new("loss", "mysql", &db.url);
    let v1 = r#"
import { mysqlTable, serial, varchar, int } from "drizzle-orm/mysql-core";
export const users = mysqlTable("users", {
  id: serial().primaryKey(),
  name: varchar({ length: 40 }),
  age: int(),
});
"#;
    pushed(&p.schema(v1).push(&[]));
    db.execute(&["INSERT INTO users (name, age) VALUES ('a long name here', 1), ('b', 2)".into()])
        .unwrap();
    let v2 = r#"
import { mysqlTable, serial, varchar } from "drizzle-orm/mysql-core";
export const users = mysqlTable("users", {
  id: serial().primaryKey(),
  name: varchar({ length: 5 }),
});
"#;
    let o = p.schema(v2).push(&[]);
    assert_eq!(o.status.code(), Some(2), "{}\n{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("drop column `age` of `users`: 2 non-NULL values"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("1 value longer than the new length"),
        "{}",
        stderr(&o)
    );
    pushed(&p.push(&["--force"]));
    assert_eq!(
        p.count("SELECT count(*) FROM users WHERE name = 'a lon'"),
        Some(1)
    );
    no_changes(&p.push(&[]));
}

/// `--strict` asks before every statement on a terminal: "no" applies nothing; without a
/// terminal it refuses (exit 2).
#[test]
fn strict_asks_before_every_statement() {
    let db = TempDb::postgres("push_strict");
    let p = Push::new("strict", "postgresql", &db.url);
    pushed(&p.schema(PG_V1).push(&[]));
    let v2 = PG_V1.replace(
        "export const empty",
        "export const extra = pgTable(\"extra\", { id: serial().primaryKey() });\nexport const empty",
    );
    p.schema(&v2);
    let o = p.push(&["--strict"]);
    assert_eq!(o.status.code(), Some(2), "{}\n{}", stdout(&o), stderr(&o));

    let answer = |key: &str| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_schemac"));
        cmd.args(p.args(&["--strict"]))
            .current_dir(&p.dir)
            .env("NO_COLOR", "1");
        let mut s = rexpect::session::spawn_command(cmd, Some(20_000)).unwrap();
        s.exp_string("CREATE TABLE \"extra\"").unwrap();
        s.exp_string("Run this statement?").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        s.send(key).unwrap();
        s.flush().unwrap();
        s.exp_eof().unwrap()
    };
    let rest = answer("n");
    assert!(rest.contains("Nothing was applied"), "{rest}");
    assert_eq!(
        p.count("SELECT count(*) FROM pg_tables WHERE tablename = 'extra'"),
        Some(0)
    );
    let rest = answer("y");
    assert!(rest.contains("Changes applied"), "{rest}");
    assert_eq!(
        p.count("SELECT count(*) FROM pg_tables WHERE tablename = 'extra'"),
        Some(1)
    );
}

/// On a terminal a data-losing change is asked about, defaulting to no.
#[test]
fn data_loss_is_confirmed_on_a_terminal() {
    let db = TempDb::postgres("push_tty");
    let p = Push::new("tty", "postgresql", &db.url);
    pushed(&p.schema(PG_V1).push(&[]));
    db.execute(&["INSERT INTO logs (line) VALUES ('one')".into()])
        .unwrap();
    p.schema(&PG_V1.replace(
        "export const logs = pgTable(\"logs\", { id: serial().primaryKey(), line: text() });",
        "",
    ));
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_schemac"));
    cmd.args(p.args(&[]))
        .current_dir(&p.dir)
        .env("NO_COLOR", "1");
    let mut s = rexpect::session::spawn_command(cmd, Some(20_000)).unwrap();
    s.exp_string("drop table \"logs\": 1 row").unwrap();
    s.exp_string("Apply them, losing this data?").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    s.send("y").unwrap();
    s.flush().unwrap();
    let rest = s.exp_eof().unwrap();
    assert!(rest.contains("Changes applied"), "{rest}");
    assert_eq!(p.count("SELECT count(*) FROM logs"), None);
}

/// `tablesFilter` leaves the other tables alone: they are neither dropped nor created.
#[test]
fn tables_filter_leaves_other_tables_alone() {
    let db = TempDb::postgres("push_filter");
    let p = Push::new("filter", "postgresql", &db.url);
    db.execute(&[
        "CREATE TABLE legacy (id int)".into(),
        "INSERT INTO legacy VALUES (1)".into(),
    ])
    .unwrap();
    let o = p.schema(PG_V1).push(&["--tablesFilter", "!legacy"]);
    pushed(&o);
    no_changes(&p.push(&["--tablesFilter", "!legacy"]));
    assert_eq!(p.count("SELECT count(*) FROM legacy"), Some(1));
    // Without the filter the table is not in the schema: a loss, refused.
    let o = p.push(&[]);
    assert_eq!(o.status.code(), Some(2), "{}\n{}", stdout(&o), stderr(&o));
}

/// Rename questions are answered as in `build`: without a terminal an open question exits 2 and
/// names the flag that answers it; `--rename` renames the column, keeping its values.
#[test]
fn renames_are_answered_as_in_build() {
    let db = TempDb::postgres("push_rename");
    let p = Push::new("rename", "postgresql", &db.url);
    let v1 = r#"
import { pgTable, serial, text } from "drizzle-orm/pg-core";
export const people = pgTable("people", { id: serial().primaryKey(), nickname: text() });
"#;
    pushed(&p.schema(v1).push(&[]));
    db.execute(&["INSERT INTO people (nickname) VALUES ('ace')".into()])
        .unwrap();
    p.schema(&v1.replace("nickname", "display_name"));
    let o = p.push(&[]);
    assert_eq!(o.status.code(), Some(2), "{}\n{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("--rename"), "{}", stderr(&o));
    assert_eq!(
        p.count("SELECT count(*) FROM people WHERE nickname = 'ace'"),
        Some(1)
    );
    pushed(&p.push(&["--rename", "people.nickname=people.display_name"]));
    assert_eq!(
        p.count("SELECT count(*) FROM people WHERE display_name = 'ace'"),
        Some(1)
    );
    no_changes(&p.push(&[]));
}

/// A Supabase project (roles of the provider left out, policies, a view, a schema filter, a
/// foreign key into `auth.users`) pushes onto a database with Supabase's own objects and then
/// finds nothing to do; the superuser and the role push connects as are never managed.
#[test]
fn supabase_project_pushes_and_settles() {
    let _roles = ROLES.lock().unwrap_or_else(|e| e.into_inner());
    let mut db = TempDb::postgres("push_supabase");
    db.roles = vec!["admin".into(), "support_agent".into()];
    let project = fixtures().join("projects/rls-supabase");
    db.execute(&[std::fs::read_to_string(project.join("expected/setup.sql")).unwrap()])
        .unwrap();
    let p = Push::new("supabase", "postgresql", &db.url);
    for entry in ["drizzle.config.ts", "package.json", "tsconfig.json", "src"] {
        let (from, to) = (project.join(entry), p.dir.join(entry));
        if from.is_dir() {
            copy_dir(&from, &to);
        } else {
            std::fs::copy(&from, &to).unwrap();
        }
    }
    let o = schemac(&p.dir, &["push", "--url", &db.url]);
    pushed(&o);
    assert!(!stdout(&o).contains("role postgres"), "{}", stdout(&o));
    let o = schemac(&p.dir, &["push", "--url", &db.url]);
    no_changes(&o);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

/// Fixture projects and cases as they are (their configs, several files, helpers), each pushed
/// onto an empty database of its dialect and then pushed again: nothing to do.
#[test]
fn fixture_projects_push_and_settle() {
    let _roles = ROLES.lock().unwrap_or_else(|e| e.into_inner());
    let f = fixtures();
    for (dir, dialect) in [
        (f.join("cases/scouted-pg"), "postgresql"),
        (f.join("cases/scouted-mysql"), "mysql"),
        (f.join("cases/js-semantics"), "postgresql"),
        (f.join("cases/compat-details"), "postgresql"),
        (f.join("cases/evaluation-features"), "postgresql"),
        (f.join("cases/push-settles"), "postgresql"),
        (f.join("projects/saas"), "postgresql"),
        (f.join("projects/third-arg-forms"), "postgresql"),
        (f.join("projects/casing"), "postgresql"),
        (f.join("projects/constants-and-functions"), "postgresql"),
    ] {
        if !dir.is_dir() {
            continue;
        }
        let mut db = match dialect {
            "mysql" => TempDb::mysql("push_fixture"),
            _ => TempDb::postgres("push_fixture"),
        };
        let p = Push::new("fixture", dialect, &db.url);
        copy_dir(&dir, &p.dir);
        let setup = p.dir.join("expected/setup.sql");
        if setup.is_file() {
            db.execute(&[std::fs::read_to_string(setup).unwrap()])
                .unwrap();
        }
        let label = dir.strip_prefix(&f).unwrap().display().to_string();
        let o = schemac(&p.dir, &["push", "--url", &db.url]);
        // Roles are cluster-wide: the ones this push creates go with the database.
        db.roles = stdout(&o)
            .lines()
            .filter_map(|l| l.strip_prefix("+ create role "))
            .map(str::to_string)
            .collect();
        pushed_as(&label, &o);
        no_changes_as(
            &label,
            &schemac(&p.dir, &["push", "--url", &db.url, "--verbose"]),
        );
    }
}

/// MySQL commits each DDL statement by itself: a statement refused half-way exits 1 and says
/// which statements before it stay applied.
#[test]
fn failure_midway_says_what_stayed_on_mysql() {
    let db = TempDb::mysql("push_fail");
    let p = Push::new("fail", "mysql", &db.url);
    let v1 = r#"
import { mysqlTable, serial, int } from "drizzle-orm/mysql-core";
export const users = mysqlTable("users", { id: serial().primaryKey(), age: int() });
"#;
    pushed(&p.schema(v1).push(&[]));
    db.execute(&["INSERT INTO users (age) VALUES (-1)".into()])
        .unwrap();
    let v2 = r#"
import { sql } from "drizzle-orm";
import { mysqlTable, serial, int, check } from "drizzle-orm/mysql-core";
export const users = mysqlTable("users", { id: serial().primaryKey(), age: int() },
  (t) => [check("age_positive", sql`${t.age} > 0`)]);
export const fresh = mysqlTable("fresh", { id: serial().primaryKey() });
"#;
    let o = p.schema(v2).push(&[]);
    assert_eq!(o.status.code(), Some(1), "{}\n{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("E8012"), "{err}");
    assert!(err.contains("age_positive"), "{err}");
    let fresh = p.count(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'fresh'",
    );
    // The new table comes first, and stays.
    assert_eq!(fresh, Some(1));
    assert!(
        err.contains("the statement before it stays applied"),
        "{err}"
    );
}

/// `desc(column)` in a SQLite index (a real project): the database keeps a descending column,
/// the schema an expression; a second push finds them the same, and an index turned ascending
/// is a change.
#[test]
fn a_descending_index_settles_on_sqlite() {
    let db = TempSqlite::new("push-desc");
    let p = Push::new("desc", "sqlite", &db.path.display().to_string());
    let v1 = r#"
import { desc } from "drizzle-orm";
import { index, integer, sqliteTable } from "drizzle-orm/sqlite-core";
export const t = sqliteTable("t", { id: integer().primaryKey(), a: integer() },
  (t) => [index("t_a_id").on(t.a, desc(t.id))]);
"#;
    pushed(&p.schema(v1).push(&[]));
    no_changes(&p.push(&["--verbose"]));
    let v2 = v1.replace("desc(t.id)", "t.id");
    let o = p.schema(&v2).push(&[]);
    pushed(&o);
    assert!(stdout(&o).contains("t_a_id"), "{}", stdout(&o));
    no_changes(&p.push(&[]));
}

/// SQLite adds no column whose default is not constant to a table with rows ("Cannot add a
/// column with non-constant default"; drizzle-kit writes the ALTER and fails): the table is
/// rebuilt, its rows kept with the new column's default.
#[test]
fn a_column_with_an_expression_default_rebuilds_on_sqlite() {
    let db = TempSqlite::new("push-nonconst");
    let p = Push::new("nonconst", "sqlite", &db.path.display().to_string());
    let v1 = r#"
import { integer, sqliteTable } from "drizzle-orm/sqlite-core";
export const users = sqliteTable("users", { id: integer("id").primaryKey() });
"#;
    pushed(&p.schema(v1).push(&[]));
    db.execute(&["INSERT INTO users (id) VALUES (1), (2)".into()])
        .unwrap();
    let v2 = r#"
import { sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
export const users = sqliteTable("users", {
  id: integer("id").primaryKey(),
  createdAt: integer("created_at").default(sql`(unixepoch())`),
  updatedAt: text("updated_at").default(sql`CURRENT_TIMESTAMP`),
});
"#;
    pushed(&p.schema(v2).push(&[]));
    assert_eq!(
        db.texts("SELECT count(*) FROM users WHERE created_at > 0 AND updated_at IS NOT NULL"),
        ["2"]
    );
    no_changes(&p.push(&[]));
}
