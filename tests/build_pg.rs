//! `schemac build` (alias `generate`) on PostgreSQL schemas: the migrations folder it writes
//! (real files), what it refuses, and the SQL applied to real PostgreSQL. With the oracle:
//! drizzle-kit `generate` finds no changes in schemac's folder and `migrate` applies it.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

use schemac_compiler::snapshot;
use support::{
    PG_CORPUS as CORPUS, TempDb, catalog, drizzle_kit, export_statements, fixtures, ok, oracle,
    schemac, stderr, stdout, tree,
};

static N: AtomicU32 = AtomicU32::new(0);

/// A fresh project folder holding a copy of a corpus schema as `schema.ts` (or `schema/`).
struct Project(PathBuf);

impl Project {
    fn new(corpus_schema: &str) -> Project {
        let dir = std::env::temp_dir().join(format!(
            "schemac-build-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let src = fixtures().join("corpus").join(corpus_schema);
        if src.is_dir() {
            std::fs::create_dir_all(dir.join("schema")).unwrap();
            for e in std::fs::read_dir(&src).unwrap() {
                let e = e.unwrap();
                std::fs::copy(e.path(), dir.join("schema").join(e.file_name())).unwrap();
            }
        } else {
            std::fs::copy(&src, dir.join("schema.ts")).unwrap();
        }
        Project(dir)
    }

    fn schema_arg(&self) -> &'static str {
        if self.0.join("schema").is_dir() {
            "schema"
        } else {
            "schema.ts"
        }
    }

    /// `schemac build --dialect postgresql --schema ... <extra>`.
    fn build(&self, extra: &[&str]) -> Output {
        let mut args = vec![
            "build",
            "--dialect",
            "postgresql",
            "--schema",
            self.schema_arg(),
        ];
        args.extend_from_slice(extra);
        schemac(&self.0, &args)
    }

    fn export(&self) -> Vec<String> {
        export_statements(
            &self.0,
            &["--dialect", "postgresql", "--schema", self.schema_arg()],
        )
    }

    fn out(&self) -> PathBuf {
        self.0.join("drizzle")
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn names(dir: &Path) -> Vec<String> {
    tree(dir)
        .keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect()
}

fn journal(out: &Path) -> snapshot::Journal {
    let p = out.join("meta/_journal.json");
    snapshot::read_journal(&p, &std::fs::read_to_string(&p).unwrap()).unwrap()
}

fn read_snapshot(p: &Path) -> snapshot::PgSnapshot {
    snapshot::read(p, &std::fs::read_to_string(p).unwrap()).unwrap()
}

fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
        && b[14] == b'4'
        && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

#[test]
fn first_build_writes_the_folder() {
    let p = Project::new("steps/pg_v1.ts");
    let o = p.build(&["--name", "init"]);
    ok(&o);
    assert!(stdout(&o).contains("0000_init.sql"), "{}", stdout(&o));
    let out = p.out();
    assert_eq!(
        names(&out),
        [
            "0000_init.sql",
            "meta/0000_snapshot.json",
            "meta/_journal.json"
        ]
    );
    let sql = std::fs::read_to_string(out.join("0000_init.sql")).unwrap();
    assert_eq!(sql, p.export().join("--> statement-breakpoint\n"));
    assert!(!sql.ends_with('\n'));
    let j = journal(&out);
    assert_eq!(
        (j.version.as_str(), j.dialect.as_str()),
        ("7", "postgresql")
    );
    assert_eq!(j.entries.len(), 1);
    let e = &j.entries[0];
    assert_eq!(
        (e.idx, e.version.as_str(), e.tag.as_str()),
        (0, "7", "0000_init")
    );
    assert!(e.breakpoints);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    assert!(e.when <= now && now - e.when < 600_000, "when = {}", e.when);
    let snap = read_snapshot(&out.join("meta/0000_snapshot.json"));
    assert!(is_uuid_v4(&snap.id), "{}", snap.id);
    assert_eq!(snap.prev_id, snapshot::ORIGIN_UUID);
    assert!(snap.tables.contains_key("public.people"));
    // No temporary folder is left beside the output.
    let leftovers: Vec<_> = std::fs::read_dir(&p.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".schemac"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn generate_is_an_alias_and_names_are_random() {
    let p = Project::new("steps/pg_v1.ts");
    ok(&schemac(
        &p.0,
        &[
            "generate",
            "--dialect",
            "postgresql",
            "--schema",
            "schema.ts",
        ],
    ));
    let tag = journal(&p.out()).entries[0].tag.clone();
    let rest = tag.strip_prefix("0000_").expect(&tag);
    let parts: Vec<&str> = rest.split('_').collect();
    assert_eq!(parts.len(), 2, "{tag}");
    assert!(
        parts
            .iter()
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase())),
        "{tag}"
    );
    assert!(p.out().join(format!("{tag}.sql")).is_file());
}

#[test]
fn prefixes() {
    for (prefix, digits) in [
        ("index", Some(4)),
        ("timestamp", Some(14)),
        ("supabase", Some(14)),
        ("unix", Some(10)),
        ("none", None),
    ] {
        let p = Project::new("steps/pg_v1.ts");
        ok(&p.build(&["--prefix", prefix, "--name", "first"]));
        let tag = journal(&p.out()).entries[0].tag.clone();
        let (pre, name) = tag.split_once('_').unwrap();
        assert_eq!(name, "first", "{prefix}");
        match digits {
            Some(n) => assert!(
                pre.len() == n && pre.chars().all(|c| c.is_ascii_digit()),
                "{prefix}: {tag}"
            ),
            None => assert_eq!(pre, "", "{prefix}"),
        }
        assert!(p.out().join(format!("{tag}.sql")).is_file(), "{prefix}");
        assert!(
            p.out().join(format!("meta/{pre}_snapshot.json")).is_file(),
            "{prefix}"
        );
        if prefix == "timestamp" {
            assert!(pre.starts_with("20"), "{tag}");
        }
    }
}

#[test]
fn breakpoints_off() {
    let p = Project::new("pg1_features.ts");
    ok(&p.build(&["--breakpoints", "false", "--name", "x"]));
    let sql = std::fs::read_to_string(p.out().join("0000_x.sql")).unwrap();
    assert_eq!(sql, p.export().join("\n"));
    assert!(!sql.contains("statement-breakpoint"));
    assert!(!journal(&p.out()).entries[0].breakpoints);
    // A bare `--breakpoints` is true.
    let p = Project::new("steps/pg_v1.ts");
    ok(&p.build(&["--breakpoints", "--name", "x"]));
    assert!(journal(&p.out()).entries[0].breakpoints);
}

#[test]
fn config_out_breakpoints_and_prefix() {
    let p = Project::new("steps/pg_v1.ts");
    std::fs::write(
        p.0.join("drizzle.config.ts"),
        "import { defineConfig } from 'drizzle-kit';\n\
         export default defineConfig({\n  dialect: 'postgresql',\n  schema: './schema.ts',\n  \
         out: './db/migrations',\n  breakpoints: false,\n  migrations: { prefix: 'unix' },\n});\n",
    )
    .unwrap();
    ok(&schemac(&p.0, &["build", "--name", "cfg"]));
    let out = p.0.join("db/migrations");
    let j = journal(&out);
    assert!(!j.entries[0].breakpoints);
    let tag = &j.entries[0].tag;
    assert!(tag.ends_with("_cfg") && tag.len() == 14, "{tag}");
    // Flags win over the config.
    let q = Project::new("steps/pg_v1.ts");
    std::fs::copy(p.0.join("drizzle.config.ts"), q.0.join("drizzle.config.ts")).unwrap();
    ok(&schemac(
        &q.0,
        &[
            "build",
            "--out",
            "other",
            "--prefix",
            "index",
            "--breakpoints",
            "true",
        ],
    ));
    let j = journal(&q.0.join("other"));
    assert!(j.entries[0].breakpoints && j.entries[0].tag.starts_with("0000_"));
}

#[test]
fn custom_migrations() {
    let p = Project::new("steps/pg_v1.ts");
    ok(&p.build(&["--custom", "--name", "hand"]));
    let out = p.out();
    assert_eq!(
        std::fs::read_to_string(out.join("0000_hand.sql")).unwrap(),
        "-- Custom SQL migration file, put your code below! --"
    );
    let first = read_snapshot(&out.join("meta/0000_snapshot.json"));
    assert!(first.tables.is_empty() && first.enums.is_empty());
    assert_eq!(first.prev_id, snapshot::ORIGIN_UUID);
    // The next build diffs against the (empty) snapshot of the custom migration: it creates
    // everything, as `export` does.
    ok(&p.build(&["--name", "all"]));
    let sql = std::fs::read_to_string(out.join("0001_all.sql")).unwrap();
    let parts: Vec<&str> = sql
        .split("--> statement-breakpoint")
        .map(str::trim)
        .collect();
    let exported = p.export();
    assert_eq!(parts, exported.iter().map(|s| s.trim()).collect::<Vec<_>>());
    // A custom migration after a real one carries the previous snapshot on.
    let q = Project::new("steps/pg_v1.ts");
    ok(&q.build(&["--name", "a"]));
    ok(&q.build(&["--custom", "--name", "b"]));
    let out = q.out();
    let j = journal(&out);
    assert_eq!(
        j.entries.iter().map(|e| e.tag.as_str()).collect::<Vec<_>>(),
        ["0000_a", "0001_b"]
    );
    assert_eq!(j.entries[1].idx, 1);
    let a = read_snapshot(&out.join("meta/0000_snapshot.json"));
    let b = read_snapshot(&out.join("meta/0001_snapshot.json"));
    assert_eq!(b.prev_id, a.id);
    assert_ne!(b.id, a.id);
    assert_eq!(b.tables, a.tables);
    // And after it, the same schema has no changes.
    let o = q.build(&[]);
    ok(&o);
    assert!(stdout(&o).contains("No schema changes"));
}

#[test]
fn second_build_writes_nothing() {
    for schema in CORPUS {
        let p = Project::new(schema);
        ok(&p.build(&[]));
        let before = tree(&p.out());
        let o = p.build(&[]);
        ok(&o);
        assert_eq!(
            stdout(&o).trim(),
            "No schema changes, nothing to migrate",
            "{schema}"
        );
        assert_eq!(tree(&p.out()), before, "{schema}");
        // --format json says so too.
        let o = schemac(
            &p.0,
            &[
                "--format",
                "json",
                "build",
                "--dialect",
                "postgresql",
                "--schema",
                p.schema_arg(),
            ],
        );
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(doc["changes"], false, "{schema}");
    }
}

/// `--plan` prints the operations and SQL of the next migration, in both formats, and writes
/// nothing: for a first migration and for a step with a rename, a lossy type change and a drop.
#[test]
fn plan_prints_the_next_migration_and_writes_nothing() {
    let p = Project::new("steps/pg_v1.ts");
    let o = p.build(&["--plan"]);
    ok(&o);
    let text = stdout(&o);
    assert!(text.contains("+ create table people: 5 columns"), "{text}");
    assert!(text.contains("CREATE TABLE \"people\""), "{text}");
    assert!(!p.out().exists());

    ok(&p.build(&[]));
    let before = tree(&p.out());
    let v2 = std::fs::read(fixtures().join("corpus/steps/pg_v2.ts")).unwrap();
    std::fs::write(p.0.join("schema.ts"), v2).unwrap();
    let answers = [
        "--rename",
        "people.nickname=display_name",
        "--create",
        "people.email",
    ];
    let o = p.build(&[&["--plan"][..], &answers].concat());
    ok(&o);
    let text = stdout(&o);
    for line in [
        "~ rename column people.display_name: from nickname",
        "! drop column people.legacy_code",
        "+ create column people.email: varchar(255)",
        "~ alter column people.age: type → bigint",
        "ALTER TABLE \"people\" RENAME COLUMN \"nickname\" TO \"display_name\";",
    ] {
        assert!(text.contains(line), "missing `{line}` in\n{text}");
    }
    let o = p.build(&[&["--format", "json", "--dry-run"][..], &answers].concat());
    ok(&o);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let plan = doc["plan"].as_array().unwrap();
    let drop = plan
        .iter()
        .find(|s| s["action"] == "drop" && s["name"] == "people.legacy_code")
        .unwrap();
    assert_eq!(drop["kind"], "column");
    assert_eq!(drop["destructive"], true);
    assert_eq!(
        drop["sql"][0],
        "ALTER TABLE \"people\" DROP COLUMN \"legacy_code\";"
    );
    assert_eq!(tree(&p.out()), before);
}

/// Without a terminal, an open rename question is exit code 2 with the flags that answer it,
/// and nothing is written.
#[test]
fn an_open_rename_question_without_a_terminal_is_exit_2() {
    let p = Project::new("steps/pg_v1.ts");
    ok(&p.build(&[]));
    let before = tree(&p.out());
    let v2 = std::fs::read(fixtures().join("corpus/steps/pg_v2.ts")).unwrap();
    std::fs::write(p.0.join("schema.ts"), v2).unwrap();
    let o = p.build(&[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("E7003"), "{err}");
    assert!(
        err.contains("`--rename people.nickname=people.display_name`"),
        "{err}"
    );
    assert!(err.contains("`// @renamed-from nickname`"), "{err}");
    assert!(err.contains("`--create people.display_name`"), "{err}");
    assert_eq!(tree(&p.out()), before);
}

#[test]
fn a_corrupt_folder_is_a_located_error() {
    let p = Project::new("steps/pg_v1.ts");
    ok(&p.build(&["--name", "a"]));
    let out = p.out();
    let journal_path = out.join("meta/_journal.json");
    let snapshot_path = out.join("meta/0000_snapshot.json");
    let good_journal = std::fs::read_to_string(&journal_path).unwrap();
    let good_snapshot = std::fs::read_to_string(&snapshot_path).unwrap();

    // A journal cut short.
    std::fs::write(&journal_path, &good_journal[..40]).unwrap();
    let before = tree(&out);
    let o = p.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("E6001") && err.contains("_journal.json:"),
        "{err}"
    );
    assert_eq!(tree(&out), before);
    std::fs::write(&journal_path, &good_journal).unwrap();

    // A snapshot with a wrong shape: located at line:column.
    std::fs::write(
        &snapshot_path,
        good_snapshot.replacen("\"tables\": {", "\"tables\": [", 1),
    )
    .unwrap();
    let before = tree(&out);
    let o = p.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("E6001") && err.contains("0000_snapshot.json:"),
        "{err}"
    );
    assert_eq!(tree(&out), before);

    // The last entry's snapshot is missing.
    std::fs::remove_file(&snapshot_path).unwrap();
    let before = tree(&out);
    let o = p.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("E6003") && err.contains("0000_snapshot.json"),
        "{err}"
    );
    assert_eq!(tree(&out), before);

    // Snapshots without a journal.
    std::fs::write(&snapshot_path, &good_snapshot).unwrap();
    std::fs::remove_file(&journal_path).unwrap();
    let before = tree(&out);
    let o = p.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("E6003"), "{}", stderr(&o));
    assert_eq!(tree(&out), before);
}

/// The migration file, split as drizzle's migrator splits it, is export's statements, and applies
/// to a fresh database.
#[test]
fn corpus_migrations_apply_to_a_fresh_database() {
    for schema in CORPUS {
        let p = Project::new(schema);
        ok(&p.build(&["--name", "init"]));
        let sql = std::fs::read_to_string(p.out().join("0000_init.sql")).unwrap();
        let parts: Vec<String> = sql
            .split("--> statement-breakpoint")
            .map(str::to_string)
            .collect();
        let exported = p.export();
        assert_eq!(parts.len(), exported.len(), "{schema}");
        for (part, statement) in parts.iter().zip(&exported) {
            assert_eq!(part.trim(), statement.trim(), "{schema}");
        }
        let db = TempDb::postgres("build");
        db.execute(&parts)
            .unwrap_or_else(|e| panic!("{schema}: the migration does not apply: {e}"));
    }
}

/// With the oracle: drizzle-kit `generate` on schemac's folder finds no changes and writes
/// nothing; drizzle-kit `migrate` applies the folder, giving the catalog `export` gives.
#[test]
fn drizzle_kit_continues_and_applies_schemac_folders() {
    let Some(dk) = oracle() else { return };
    let schemac_bin = env!("CARGO_BIN_EXE_schemac");
    let tmp = std::env::temp_dir().join(format!("schemac-build-dk-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let mut failures = Vec::new();
    for schema in CORPUS {
        let src = fixtures().join("corpus").join(schema);
        let run = tmp.join(schema.replace(['/', '.'], "_"));
        // schemac writes the folder of a dk.sh project (its drizzle.config.ts, `out: './drizzle'`).
        let o = Command::new("bash")
            .arg(dk.join("dk.sh"))
            .args(["generate", "postgresql"])
            .arg(&src)
            .arg(&run)
            .env("DK_BIN", schemac_bin)
            .output()
            .expect("dk.sh runs");
        assert!(
            o.status.success(),
            "{schema}: schemac generate under dk.sh: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let project = run.join("project");
        let folder = project.join("drizzle");
        let ours = tree(&folder);
        assert_eq!(ours.len(), 3, "{schema}: {:?}", ours.keys());
        // drizzle-kit continues it: no changes, nothing written.
        let o = drizzle_kit(&project, "generate");
        let text = format!("{}{}", stdout(&o), stderr(&o));
        if !o.status.success() || !text.contains("No schema changes") {
            failures.push(format!(
                "{schema}: drizzle-kit generate found changes in schemac's folder:\n{text}"
            ));
        }
        if tree(&folder) != ours {
            failures.push(format!("{schema}: drizzle-kit changed schemac's folder"));
        }
        // drizzle-kit migrate applies it to a fresh database, giving export's catalog.
        let db = TempDb::postgres("builddk");
        let config = project.join("drizzle.config.ts");
        let text = std::fs::read_to_string(&config).unwrap();
        assert!(text.contains("/unused'"), "{text}");
        std::fs::write(&config, text.replace("/unused'", &format!("/{}'", db.name))).unwrap();
        let o = drizzle_kit(&project, "migrate");
        if !o.status.success() {
            failures.push(format!(
                "{schema}: drizzle-kit migrate failed on schemac's folder:\n{}{}",
                stdout(&o),
                stderr(&o)
            ));
            continue;
        }
        let fresh = TempDb::postgres("buildexp");
        let statements = export_statements(
            &fixtures().join("corpus"),
            &["--dialect", "postgresql", "--schema", schema],
        );
        fresh.execute(&statements).unwrap();
        let (migrated, exported) = (catalog(&dk, &db.url), catalog(&dk, &fresh.url));
        if migrated != exported {
            failures.push(format!(
                "{schema}: drizzle-kit migrate of schemac's folder gives another catalog than \
                 export:\n--- migrate\n{migrated}\n--- export\n{exported}"
            ));
        }
    }
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `point`/`line` defaults given as values: drizzle-kit keeps the value in its snapshot (`[3, 4]`,
/// `{"x": 1, "y": 2.5}`), so schemac's snapshot holds it too (its SQL stays the literal drizzle-orm
/// sends). Each tool then finds no changes in the other's folder.
#[test]
fn value_defaults_settle_in_both_tools_folders() {
    let Some(_) = oracle() else { return };
    let case = fixtures().join("cases").join("geometric-defaults");
    let new_project = |name: &str| {
        let dir = std::env::temp_dir().join(format!(
            "schemac-build-values-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(case.join("schema.ts"), dir.join("schema.ts")).unwrap();
        std::fs::write(
            dir.join("drizzle.config.ts"),
            "export default { dialect: 'postgresql', schema: './schema.ts', out: './drizzle' };\n",
        )
        .unwrap();
        std::os::unix::fs::symlink(support::oracle_node_modules(), dir.join("node_modules"))
            .unwrap();
        dir
    };
    let unchanged = |o: &Output| {
        let text = format!("{}{}", stdout(o), stderr(o));
        o.status.success() && text.contains("No schema changes")
    };

    let ours = new_project("ours");
    ok(&schemac(&ours, &["build", "--name", "init"]));
    let snapshot = std::fs::read_to_string(ours.join("drizzle/meta/0000_snapshot.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&snapshot).unwrap();
    let columns = &value["tables"]["public.t"]["columns"];
    assert_eq!(
        columns["q"]["default"],
        serde_json::json!([3, 4]),
        "{snapshot}"
    );
    assert_eq!(
        columns["p"]["default"],
        serde_json::json!({"x": 1, "y": 2.5}),
        "{snapshot}"
    );
    let sql = std::fs::read_to_string(ours.join("drizzle/0000_init.sql")).unwrap();
    assert!(sql.contains("\"q\" point DEFAULT '(3,4)'"), "{sql}");
    let o = drizzle_kit(&ours, "generate");
    assert!(
        unchanged(&o),
        "drizzle-kit on schemac's folder: {}{}",
        stdout(&o),
        stderr(&o)
    );

    let theirs = new_project("theirs");
    let o = drizzle_kit(&theirs, "generate");
    assert!(o.status.success(), "{}", stderr(&o));
    ok(&schemac(&theirs, &["check"]));
    let o = schemac(&theirs, &["build"]);
    assert!(
        unchanged(&o),
        "schemac on drizzle-kit's folder: {}{}",
        stdout(&o),
        stderr(&o)
    );

    let _ = std::fs::remove_dir_all(&ours);
    let _ = std::fs::remove_dir_all(&theirs);
}
