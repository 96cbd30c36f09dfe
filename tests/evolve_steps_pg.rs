//! One schema through six versions (`tests/fixtures/evolve/`), each built with `schemac build`
//! into one migrations folder. After each step, on real PostgreSQL:
//!
//! - the new migration applies to a database that has every earlier one and rows written at v1,
//!   and the rows are still there (through table, column and enum renames);
//! - a second build has no changes;
//! - with the oracle: all migrations applied to an empty database, the step-by-step database and
//!   `schemac export` of the step give the same catalog.
//!
//! At the end, with the oracle: drizzle-kit `generate` finds no changes in the folder and
//! drizzle-kit `migrate` applies it.

mod support;

use std::path::{Path, PathBuf};

use support::{
    TempDb, catalog, drizzle_kit, export_statements, fixtures, migration_statements, ok, oracle,
    pg_admin, schemac, stderr, stdout,
};

const STEPS: usize = 6;

/// A role the policies of v4 and v5 name, made for this run (roles are cluster-wide) and dropped
/// at the end.
struct Role(String);

impl Role {
    fn new() -> Role {
        let name = format!("schemac_evolve_reader_{}", std::process::id());
        admin(&format!(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{name}') \
             THEN CREATE ROLE \"{name}\"; END IF; END $$"
        ));
        Role(name)
    }
}

impl Drop for Role {
    fn drop(&mut self) {
        admin(&format!("DROP ROLE IF EXISTS \"{}\"", self.0));
    }
}

fn admin(statement: &str) {
    pg_admin(&[statement.to_string()]).unwrap();
}

fn version(n: usize, role: &Role) -> String {
    std::fs::read_to_string(fixtures().join(format!("evolve/v{n}.ts")))
        .unwrap()
        .replace("__ROLE__", &role.0)
}

/// The project: `schema.ts`, a drizzle-kit config, and (with the oracle) drizzle-kit's packages.
fn project(oracle_dir: Option<&Path>) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("schemac-evolve6-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("drizzle.config.ts"),
        "import { defineConfig } from 'drizzle-kit';\n\nexport default defineConfig({\n  \
         dialect: 'postgresql',\n  schema: './schema.ts',\n  out: './drizzle',\n  \
         dbCredentials: { url: process.env.DK_URL ?? 'postgres://localhost/none' },\n});\n",
    )
    .unwrap();
    if oracle_dir.is_some() {
        std::os::unix::fs::symlink(support::oracle_node_modules(), dir.join("node_modules"))
            .unwrap();
    }
    dir
}

/// Rows written at v1 and what each later version calls them.
fn rows_hold(db: &TempDb, step: usize) {
    let (users, name, body) = match step {
        1 | 2 => ("users", "name", "body"),
        3..=5 => ("accounts", "name", "content"),
        _ => ("accounts", "display_name", "content"),
    };
    db.execute(&[format!(
        "DO $$ BEGIN IF (SELECT count(*) FROM {users} WHERE {name} IN ('ada', 'alan')) <> 2 \
         OR (SELECT count(*) FROM posts p JOIN {users} u ON u.id = p.author_id \
             WHERE p.{body} = 'hello') <> 2 \
         THEN RAISE EXCEPTION 'rows lost at v{step}'; END IF; END $$"
    )])
    .unwrap_or_else(|e| panic!("after v{step}: {e}"));
}

#[test]
fn six_versions_migrate_step_by_step_like_export() {
    let oracle_dir = oracle();
    let role = Role::new();
    let dir = project(oracle_dir.as_deref());
    let live = TempDb::postgres("evolve6live");
    for n in 1..=STEPS {
        let text = version(n, &role);
        std::fs::write(dir.join("schema.ts"), &text).unwrap();
        let name = format!("v{n}");
        ok(&schemac(&dir, &["build", "--name", &name]));
        let again = schemac(&dir, &["build", "--name", "again"]);
        ok(&again);
        assert!(
            stdout(&again).contains("No schema changes"),
            "v{n} re-diffs:\n{}\n--- the migration:\n{}",
            stdout(&again),
            std::fs::read_to_string(dir.join(format!("drizzle/{:04}_{name}.sql", n - 1)))
                .unwrap_or_default()
        );

        let tags = support::journal_tags(&dir);
        assert_eq!(tags.len(), n);
        let file = dir.join(format!("drizzle/{}.sql", tags[n - 1]));
        live.execute(&migration_statements(&file))
            .unwrap_or_else(|e| {
                panic!(
                    "v{n} does not apply over v{}: {e}\n--- the migration:\n{}",
                    n - 1,
                    std::fs::read_to_string(&file).unwrap()
                )
            });
        if n == 1 {
            live.execute(&[
                "INSERT INTO users (name, email) VALUES ('ada', 'a@x'), ('alan', 'b@x')".into(),
                "INSERT INTO posts (author_id, title, body) SELECT id, name, 'hello' FROM users"
                    .into(),
            ])
            .unwrap();
        }
        rows_hold(&live, n);

        let Some(dk) = &oracle_dir else { continue };
        let replay = TempDb::postgres("evolve6replay");
        for t in &tags {
            replay
                .execute(&migration_statements(&dir.join(format!("drizzle/{t}.sql"))))
                .unwrap_or_else(|e| panic!("replaying {t} at v{n}: {e}"));
        }
        let exported = TempDb::postgres("evolve6export");
        exported
            .execute(&export_statements(
                &dir,
                &["--dialect", "postgresql", "--schema", "schema.ts"],
            ))
            .unwrap();
        let want = catalog(dk, &exported.url);
        assert_eq!(catalog(dk, &replay.url), want, "replayed folder at v{n}");
        assert_eq!(
            catalog(dk, &live.url),
            want,
            "step-by-step database at v{n}"
        );
    }

    if oracle_dir.is_some() {
        let o = drizzle_kit(&dir, "generate");
        let text = format!("{}{}", stdout(&o), stderr(&o));
        assert!(
            o.status.success() && text.contains("No schema changes"),
            "drizzle-kit generate found changes after v{STEPS}:\n{text}"
        );
        let db = TempDb::postgres("evolve6dk");
        let o = std::process::Command::new("node")
            .arg("node_modules/drizzle-kit/bin.cjs")
            .arg("migrate")
            .current_dir(&dir)
            .env("DK_URL", &db.url)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
        rows_hold_schema_only(&db);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// drizzle-kit's migrate ran every migration: the last version's tables are there.
fn rows_hold_schema_only(db: &TempDb) {
    db.execute(&[
        "INSERT INTO accounts (display_name) VALUES ('x')".into(),
        "INSERT INTO posts (author_id, title) SELECT id, 't' FROM accounts".into(),
    ])
    .unwrap();
}
