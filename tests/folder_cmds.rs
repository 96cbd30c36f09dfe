//! `schemac check`, `drop` and `up` on real migrations folders (written by `schemac build`, or the
//! hand-written v5/v6 fixtures in tests/fixtures/folder), and `build` refusing a folder `check`
//! rejects. With the oracle: drizzle-kit's own `check` accepts schemac's folders.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

use schemac_compiler::snapshot;
use support::{drizzle_kit, fixtures, ok, oracle, schemac, stderr, stdout, tree};

static N: AtomicU32 = AtomicU32::new(0);

/// A scratch project folder with `schema.ts`; removed when dropped.
struct Project(PathBuf);

impl Project {
    fn new(schema: &Path) -> Project {
        let dir = std::env::temp_dir().join(format!(
            "schemac-folder-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(schema, dir.join("schema.ts")).unwrap();
        Project(dir)
    }

    fn corpus(name: &str) -> Project {
        Project::new(&fixtures().join("corpus").join(name))
    }

    /// Replaces `schema.ts` with a corpus schema, plus `extra` TypeScript appended.
    fn set_schema(&self, corpus: &str, extra: &str) {
        let text = std::fs::read_to_string(fixtures().join("corpus").join(corpus)).unwrap();
        std::fs::write(self.0.join("schema.ts"), format!("{text}\n{extra}")).unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        schemac(&self.0, args)
    }

    fn build(&self, extra: &[&str]) -> Output {
        let mut args = vec!["build", "--dialect", "postgresql", "--schema", "schema.ts"];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    fn check(&self) -> Output {
        self.run(&["check", "--out", "drizzle"])
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

/// A table appended to a schema, to make a change.
const EXTRA_TABLE: &str = "import { pgTable as extraTable, integer as extraInt } from 'drizzle-orm/pg-core';\n\
     export const extra = extraTable('extra', { id: extraInt('id') });\n";

fn journal(out: &Path) -> snapshot::Journal {
    let p = out.join("meta/_journal.json");
    snapshot::read_journal(&p, &std::fs::read_to_string(&p).unwrap()).unwrap()
}

fn read_snapshot(p: &Path) -> snapshot::PgSnapshot {
    snapshot::read(p, &std::fs::read_to_string(p).unwrap()).unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(o), stderr(o)))
}

/// The codes of a `--format json` document's diagnostics.
fn codes(doc: &serde_json::Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// Two migrations: pg_v1 (`0000_a`), then pg_v2_norename (`0001_b`).
fn two_migrations() -> Project {
    let p = Project::corpus("steps/pg_v1.ts");
    ok(&p.build(&["--name", "a"]));
    p.set_schema("steps/pg_v2_norename.ts", "");
    ok(&p.build(&["--name", "b"]));
    p
}

/// A collision: from the folder of `0000_a`, one branch builds `0001_b`, another (a copy of the
/// folder) builds `0001_c`; the second branch's migration is merged by hand as `0002_c`.
fn collided() -> Project {
    let p = Project::corpus("steps/pg_v1.ts");
    ok(&p.build(&["--name", "a"]));
    let branch = p.0.join("branch");
    copy_dir(&p.out(), &branch);
    p.set_schema("steps/pg_v2_norename.ts", "");
    ok(&p.build(&["--name", "b"]));
    p.set_schema("steps/pg_v1.ts", EXTRA_TABLE);
    ok(&p.build(&["--name", "c", "--out", "branch"]));
    let out = p.out();
    std::fs::copy(branch.join("0001_c.sql"), out.join("0002_c.sql")).unwrap();
    std::fs::copy(
        branch.join("meta/0001_snapshot.json"),
        out.join("meta/0002_snapshot.json"),
    )
    .unwrap();
    let mut j = journal(&out);
    let mut entry = journal(&branch).entries[1].clone();
    entry.idx = 2;
    entry.tag = "0002_c".into();
    j.entries.push(entry);
    std::fs::write(
        out.join("meta/_journal.json"),
        snapshot::journal_to_json(&j),
    )
    .unwrap();
    std::fs::remove_dir_all(&branch).unwrap();
    p
}

fn copy_dir(from: &Path, to: &Path) {
    for (rel, bytes) in tree(from) {
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}

#[test]
fn check_accepts_a_folder_build_wrote() {
    let p = two_migrations();
    let o = p.check();
    ok(&o);
    assert!(
        stdout(&o).starts_with("ok: drizzle has 2 migrations"),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let doc = json(&p.run(&["--format", "json", "check", "--out", "drizzle"]));
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["migrations"], 2);
    assert_eq!(codes(&doc), Vec::<String>::new());

    // The folder from a config that has no schema: only `out` and `dialect` are read.
    std::fs::rename(p.out(), p.0.join("migrations")).unwrap();
    std::fs::write(
        p.0.join("drizzle.config.ts"),
        "export default { dialect: 'postgresql', out: './migrations' };\n",
    )
    .unwrap();
    let o = p.run(&["check"]);
    ok(&o);
    assert!(stdout(&o).contains("2 migrations"), "{}", stdout(&o));
    // A config of another dialect is refused.
    std::fs::write(
        p.0.join("drizzle.config.ts"),
        "export default { dialect: 'mysql', out: './migrations' };\n",
    )
    .unwrap();
    let o = p.run(&["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("E0003"), "{}", stderr(&o));
}

#[test]
fn a_collision_names_both_files_and_build_refuses() {
    let p = collided();
    let o = p.check();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("E6009"), "{err}");
    for name in [
        "0001_snapshot.json",
        "0002_snapshot.json",
        "`0001_b`",
        "`0002_c`",
        "0000_snapshot.json (migration `0000_a`)",
        "schemac drop --tag 0002_c",
    ] {
        assert!(err.contains(name), "no {name} in:\n{err}");
    }
    // The collision is the one error: the chain is not reported twice.
    assert!(!err.contains("E6007"), "{err}");
    let doc = json(&p.run(&["--format", "json", "check", "--out", "drizzle"]));
    assert_eq!(doc["ok"], false);
    assert_eq!(codes(&doc), vec!["E6009"]);

    // build refuses and writes nothing.
    p.set_schema("steps/pg_v2_norename.ts", EXTRA_TABLE);
    let before = tree(&p.out());
    let o = p.build(&["--name", "d"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("E6009") && err.contains("0002_snapshot.json"),
        "{err}"
    );
    assert_eq!(tree(&p.out()), before);
    let leftovers: Vec<_> = std::fs::read_dir(&p.0)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".schemac"))
        .collect();
    assert!(leftovers.is_empty());

    // What the help says: drop the second branch's migration, build again on top of the first.
    ok(&p.run(&["drop", "--out", "drizzle", "--tag", "0002_c"]));
    ok(&p.check());
    let o = p.build(&["--name", "c"]);
    ok(&o);
    let sql = std::fs::read_to_string(p.out().join("0002_c.sql")).unwrap();
    assert!(sql.starts_with("CREATE TABLE \"extra\""), "{sql}");
    ok(&p.check());
}

#[test]
fn missing_stray_and_corrupt_files_are_all_reported() {
    let p = two_migrations();
    let out = p.out();
    std::fs::remove_file(out.join("0001_b.sql")).unwrap();
    std::fs::write(out.join("notes.sql"), "select 1;").unwrap();
    std::fs::copy(
        out.join("meta/0000_snapshot.json"),
        out.join("meta/0009_snapshot.json"),
    )
    .unwrap();
    let snap0 = out.join("meta/0000_snapshot.json");
    let good = std::fs::read_to_string(&snap0).unwrap();
    std::fs::write(&snap0, good.replacen("\"tables\": {", "\"tables\": [", 1)).unwrap();

    let before = tree(&out);
    let o = p.check();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    // One run, every problem: the missing SQL file (E6003), the stray SQL file (W6006), the
    // stray snapshot (E6005), the corrupt snapshot at line:column (E6001).
    assert!(err.contains("E6003") && err.contains("0001_b.sql"), "{err}");
    assert!(err.contains("schemac drop --tag 0001_b"), "{err}");
    assert!(err.contains("W6006") && err.contains("notes.sql"), "{err}");
    assert!(
        err.contains("E6005") && err.contains("0009_snapshot.json"),
        "{err}"
    );
    assert!(
        err.contains("E6001") && err.contains("0000_snapshot.json:"),
        "{err}"
    );
    assert_eq!(tree(&out), before);
    let o = p.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(tree(&out), before);

    // Repaired but for the stray files: the copy has the same id as its original (E6008).
    std::fs::write(&snap0, &good).unwrap();
    std::fs::write(out.join("0001_b.sql"), "select 1;").unwrap();
    let doc = json(&p.run(&["--format", "json", "check", "--out", "drizzle"]));
    let mut found = codes(&doc);
    found.sort();
    assert_eq!(found, vec!["E6005", "E6008", "W6006"], "{doc}");

    // Only the stray SQL file: a warning, check passes and build goes on.
    std::fs::remove_file(out.join("meta/0009_snapshot.json")).unwrap();
    let o = p.check();
    ok(&o);
    assert!(stderr(&o).contains("W6006"), "{}", stderr(&o));
    p.set_schema("steps/pg_v2_norename.ts", EXTRA_TABLE);
    let o = p.build(&["--name", "c"]);
    ok(&o);
    assert!(stderr(&o).contains("W6006"), "{}", stderr(&o));
    assert!(out.join("0002_c.sql").is_file());

    // A journal cut short: located; the snapshots are still read.
    let jp = out.join("meta/_journal.json");
    let text = std::fs::read_to_string(&jp).unwrap();
    std::fs::write(&jp, &text[..50]).unwrap();
    let o = p.check();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("E6001") && err.contains("_journal.json:"),
        "{err}"
    );
}

#[test]
fn a_broken_chain_is_reported() {
    let p = two_migrations();
    let path = p.out().join("meta/0001_snapshot.json");
    let s = read_snapshot(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(&s.prev_id, "11111111-2222-4333-8444-555555555555"),
    )
    .unwrap();
    let o = p.check();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("E6007") && err.contains("0001_snapshot.json:3:3"),
        "{err}"
    );
    assert!(err.contains("`0000_a`"), "{err}");
    // `build` uses only the last snapshot, as drizzle-kit does: a warning there.
    let o = p.build(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("W6011") && !err.contains("E6007"), "{err}");
}

/// A folder of drizzle-kit v1's layout (`<timestamp>_<name>/migration.sql`, no journal) is
/// refused by `check` and `build`, which would otherwise write a first migration creating
/// everything again beside it.
#[test]
fn a_drizzle_kit_v1_folder_is_refused() {
    let p = Project::corpus("pg1_features.ts");
    let m = p.out().join("20260121122351_special_diamondback");
    std::fs::create_dir_all(&m).unwrap();
    std::fs::write(
        m.join("migration.sql"),
        "CREATE TABLE \"t\" (\"id\" integer);",
    )
    .unwrap();
    std::fs::write(m.join("snapshot.json"), "{\"version\": \"8\"}").unwrap();
    for o in [p.check(), p.build(&[])] {
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("drizzle-kit v1 migrations"),
            "{}",
            stderr(&o)
        );
    }
    assert!(!p.out().join("meta").exists(), "nothing is written");
}

/// A migration written by hand into the journal has no snapshot: drizzle-kit builds on the last
/// snapshot and so does schemac (W6012, `build` works). A snapshot deleted from the folder is
/// not such a gap: the next snapshot was generated on it (E6007 for `check`). An entry whose
/// `when` is not later than the one before it is skipped by the migrator (W6013).
#[test]
fn a_snapshot_gap_and_an_unordered_journal_are_warnings() {
    let p = two_migrations();
    let first = read_snapshot(&p.out().join("meta/0000_snapshot.json"));
    std::fs::remove_file(p.out().join("meta/0000_snapshot.json")).unwrap();
    // Deleted: 0001 was generated on it.
    let o = p.check();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("E6007") && err.contains("meta/0000_snapshot.json, which is missing"),
        "{err}"
    );
    // Written by hand: 0001 was generated on no snapshot.
    let second = p.out().join("meta/0001_snapshot.json");
    let text = std::fs::read_to_string(&second).unwrap();
    std::fs::write(
        &second,
        text.replace(&first.id, "00000000-0000-0000-0000-000000000000"),
    )
    .unwrap();
    let o = p.check();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("W6012"), "{}", stderr(&o));
    let o = p.build(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("No schema changes"), "{}", stdout(&o));

    let p = two_migrations();
    let jp = p.out().join("meta/_journal.json");
    let mut j = journal(&p.out());
    j.entries[1].when = j.entries[0].when - 1000;
    std::fs::write(&jp, snapshot::journal_to_json(&j)).unwrap();
    let o = p.check();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("W6013") && err.contains("`0001_b` follows `0000_a`"),
        "{err}"
    );
}

/// A journal naming another dialect than its snapshots (old pulled folders): schemac follows
/// the snapshots, as drizzle-kit does (W6014), and `build` writes the journal's right dialect.
#[test]
fn the_snapshots_dialect_wins_over_the_journals() {
    let p = two_migrations();
    let jp = p.out().join("meta/_journal.json");
    let mut j = journal(&p.out());
    j.dialect = "mysql".into();
    std::fs::write(&jp, snapshot::journal_to_json(&j)).unwrap();
    let o = p.check();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("W6014"), "{}", stderr(&o));
    p.set_schema("steps/pg_v2_norename.ts", EXTRA_TABLE);
    ok(&p.build(&["--name", "c"]));
    assert_eq!(journal(&p.out()).dialect, "postgresql");
}

#[test]
fn drop_the_last_migration_and_build_it_again() {
    let p = two_migrations();
    let out = p.out();
    let sql = std::fs::read_to_string(out.join("0001_b.sql")).unwrap();
    let o = p.run(&["drop", "--out", "drizzle", "--last"]);
    ok(&o);
    assert!(
        stdout(&o).contains("dropped migration 0001_b"),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    assert!(!out.join("0001_b.sql").exists());
    assert!(!out.join("meta/0001_snapshot.json").exists());
    let j = journal(&out);
    assert_eq!(j.entries.len(), 1);
    assert_eq!(j.entries[0].tag, "0000_a");
    ok(&p.check());
    // No temporary files are left in meta/.
    assert_eq!(
        tree(&out).keys().cloned().collect::<Vec<_>>(),
        vec![
            PathBuf::from("0000_a.sql"),
            PathBuf::from("meta/0000_snapshot.json"),
            PathBuf::from("meta/_journal.json"),
        ]
    );

    // The same schema builds the same migration again.
    ok(&p.build(&["--name", "b"]));
    assert_eq!(
        std::fs::read_to_string(out.join("0001_b.sql")).unwrap(),
        sql
    );
    ok(&p.check());
}

#[test]
fn drop_a_middle_migration_repairs_the_chain() {
    let p = two_migrations();
    p.set_schema("steps/pg_v2_norename.ts", EXTRA_TABLE);
    ok(&p.build(&["--name", "c"]));
    let out = p.out();
    let first = read_snapshot(&out.join("meta/0000_snapshot.json"));
    let third_before = std::fs::read_to_string(out.join("meta/0002_snapshot.json")).unwrap();

    let o = p.run(&["drop", "--out", "drizzle", "0001_b"]);
    ok(&o);
    let err = stderr(&o);
    assert!(
        err.contains("W6010") && err.contains("0002_c was generated on top of it"),
        "{err}"
    );
    let third = read_snapshot(&out.join("meta/0002_snapshot.json"));
    assert_eq!(third.prev_id, first.id);
    // Only the prevId changed in that file.
    let third_after = std::fs::read_to_string(out.join("meta/0002_snapshot.json")).unwrap();
    let changed: Vec<(&str, &str)> = third_before
        .lines()
        .zip(third_after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].1.contains("\"prevId\""));
    let tags: Vec<String> = journal(&out).entries.into_iter().map(|e| e.tag).collect();
    assert_eq!(tags, vec!["0000_a", "0002_c"]);
    assert!(!out.join("0001_b.sql").exists());
    ok(&p.check());

    // build continues on top of the folder.
    let mut text = std::fs::read_to_string(p.0.join("schema.ts")).unwrap();
    text.push_str("export const more = extraTable('more', { id: extraInt('id') });\n");
    std::fs::write(p.0.join("schema.ts"), text).unwrap();
    ok(&p.build(&["--name", "d"]));
    let sql = std::fs::read_to_string(out.join("0003_d.sql")).unwrap();
    assert!(sql.starts_with("CREATE TABLE \"more\""), "{sql}");
    ok(&p.check());
}

#[test]
fn drop_needs_a_choice_without_a_terminal() {
    let p = two_migrations();
    let before = tree(&p.out());
    // The test's stdin is not a terminal.
    let o = p.run(&["drop", "--out", "drizzle"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("E0008"), "{err}");
    assert!(err.contains("0000_a, 0001_b"), "{err}");
    assert!(
        err.contains("schemac drop --tag 0001_b") && err.contains("--last"),
        "{err}"
    );
    assert_eq!(tree(&p.out()), before);

    // An unknown tag: exit 1, the closest tag suggested, nothing changed.
    let o = p.run(&["drop", "--out", "drizzle", "--tag", "0001_c"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("`0001_b`"), "{}", stderr(&o));
    assert_eq!(tree(&p.out()), before);
    // --last with a tag is a usage error (clap: exit 2).
    let o = p.run(&["drop", "--out", "drizzle", "--last", "0001_b"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(tree(&p.out()), before);
}

/// On a terminal, `drop` without a tag offers a pick list (the last migration preselected); the
/// terminal is a pseudo-terminal from util-linux's `script`, skipped where it is missing.
#[test]
fn drop_picks_on_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("note: no `script` command; the terminal pick list is not tested");
        return;
    }
    let p = two_migrations();
    let command = format!("{} drop --out drizzle", env!("CARGO_BIN_EXE_schemac"));
    let mut child = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(&p.0)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script runs");
    // Wait for the list, then: up (from the preselected last one to the first), enter.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"\x1b[A\r").unwrap();
    }
    let o = child.wait_with_output().unwrap();
    let text = stdout(&o);
    assert!(o.status.success(), "{text}{}", stderr(&o));
    assert!(text.contains("Which migration"), "{text}");
    assert!(text.contains("dropped migration 0000_a"), "{text}");
    let tags: Vec<String> = journal(&p.out())
        .entries
        .into_iter()
        .map(|e| e.tag)
        .collect();
    assert_eq!(tags, vec!["0001_b"]);
    let second = read_snapshot(&p.out().join("meta/0001_snapshot.json"));
    assert_eq!(second.prev_id, snapshot::ORIGIN_UUID);
    ok(&p.check());
}

/// `up` on the hand-written v5 and v6 folders: afterwards `check` passes, the snapshot is the
/// one `build` writes for the same schema (but its id), and `build` finds no changes, then
/// continues.
#[test]
fn up_upgrades_v5_and_v6_folders() {
    let schema = fixtures().join("folder/schema.ts");
    let fresh = Project::new(&schema);
    ok(&fresh.build(&["--name", "init"]));
    let v7 = std::fs::read_to_string(fresh.out().join("meta/0000_snapshot.json")).unwrap();
    for version in ["v5", "v6"] {
        let p = Project::new(&schema);
        copy_dir(&fixtures().join("folder").join(version), &p.out());
        let o = p.check();
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(
            err.contains("E6002") && err.contains("schemac up"),
            "{version}: {err}"
        );
        let before = tree(&p.out());
        assert_eq!(p.build(&[]).status.code(), Some(1));
        assert_eq!(tree(&p.out()), before);

        let o = p.run(&["up", "--out", "drizzle"]);
        ok(&o);
        let digit = &version[1..];
        assert!(
            stdout(&o).contains(&format!("from version {digit} to 7")),
            "{}",
            stdout(&o)
        );
        let path = p.out().join("meta/0000_snapshot.json");
        let upgraded = std::fs::read_to_string(&path).unwrap();
        let id = read_snapshot(&path).id;
        let built_id = read_snapshot(&fresh.out().join("meta/0000_snapshot.json")).id;
        assert_eq!(upgraded, v7.replace(&built_id, &id), "{version}");
        // The journal and SQL are untouched.
        let after = tree(&p.out());
        for file in ["meta/_journal.json", "0000_init.sql"] {
            assert_eq!(after[Path::new(file)], before[Path::new(file)], "{file}");
        }
        ok(&p.check());
        // up again: nothing to do, nothing written.
        let o = p.run(&["up", "--out", "drizzle"]);
        ok(&o);
        assert!(
            stdout(&o).contains("already of version 7"),
            "{}",
            stdout(&o)
        );
        assert_eq!(tree(&p.out()), after);

        let o = p.build(&[]);
        ok(&o);
        assert!(stdout(&o).contains("No schema changes"), "{}", stdout(&o));
        let mut text = std::fs::read_to_string(p.0.join("schema.ts")).unwrap();
        text.push_str(EXTRA_TABLE);
        std::fs::write(p.0.join("schema.ts"), text).unwrap();
        ok(&p.build(&["--name", "next"]));
        let next = read_snapshot(&p.out().join("meta/0001_snapshot.json"));
        assert_eq!(next.prev_id, id);
        ok(&p.check());
    }
}

/// A snapshot `up` cannot convert is a located error and nothing is written.
#[test]
fn up_refuses_what_it_cannot_convert() {
    let p = Project::new(&fixtures().join("folder/schema.ts"));
    copy_dir(&fixtures().join("folder/v6"), &p.out());
    let path = p.out().join("meta/0000_snapshot.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\"tables\": {", "\"tables\": [", 1)).unwrap();
    let before = tree(&p.out());
    let o = p.run(&["up", "--out", "drizzle"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("E6001") && err.contains("0000_snapshot.json"),
        "{err}"
    );
    assert_eq!(tree(&p.out()), before);
}

/// With the oracle: drizzle-kit's `check` says "Everything's fine" on a folder schemac built,
/// and on a v5 folder after `schemac up` (whose `generate` then finds no changes); both tools
/// report the collision of a folder merged from two branches.
#[test]
fn drizzle_kit_check_accepts_schemac_folders() {
    let Some(dk) = oracle() else { return };
    let run = std::env::temp_dir().join(format!("schemac-folder-dk-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&run);
    let o = Command::new("bash")
        .arg(dk.join("dk.sh"))
        .args(["generate", "postgresql"])
        .arg(fixtures().join("folder/schema.ts"))
        .arg(&run)
        .env("DK_BIN", env!("CARGO_BIN_EXE_schemac"))
        .output()
        .expect("dk.sh runs");
    assert!(o.status.success(), "dk.sh: {}", stderr(&o));
    let project = run.join("project");
    let fine = |what: &str| {
        let o = drizzle_kit(&project, "check");
        let text = format!("{}{}", stdout(&o), stderr(&o));
        assert!(
            o.status.success() && text.contains("Everything's fine"),
            "{what}: drizzle-kit check:\n{text}"
        );
    };
    fine("schemac's folder");
    ok(&schemac(&project, &["check"]));

    let folder = project.join("drizzle");
    std::fs::remove_dir_all(&folder).unwrap();
    copy_dir(&fixtures().join("folder/v5"), &folder);
    ok(&schemac(&project, &["up"]));
    fine("the v5 folder after schemac up");
    let o = drizzle_kit(&project, "generate");
    let text = format!("{}{}", stdout(&o), stderr(&o));
    assert!(text.contains("No schema changes"), "{text}");

    // Both tools see the same collision in a folder merged from two branches.
    let collided = collided();
    std::fs::remove_dir_all(&folder).unwrap();
    copy_dir(&collided.out(), &folder);
    let o = drizzle_kit(&project, "check");
    let text = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        !o.status.success() && text.contains("collision"),
        "drizzle-kit check on a collision:\n{text}"
    );
    let o = schemac(&project, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("E6009"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&run);
}

/// A folder whose only migration was renumbered by hand (`0000_a` → `0001_a`, a real folder has
/// such tags): the next migration's snapshot name is taken, `--name` cannot change it, and the
/// help says what does; with `--prefix timestamp` the build goes through. Nothing is overwritten.
#[test]
fn a_taken_snapshot_name_says_to_change_the_prefix() {
    let p = Project::corpus("steps/pg_v1.ts");
    ok(&p.build(&["--name", "a"]));
    let out = p.out();
    std::fs::rename(out.join("0000_a.sql"), out.join("0001_a.sql")).unwrap();
    std::fs::rename(
        out.join("meta/0000_snapshot.json"),
        out.join("meta/0001_snapshot.json"),
    )
    .unwrap();
    let j = std::fs::read_to_string(out.join("meta/_journal.json")).unwrap();
    std::fs::write(
        out.join("meta/_journal.json"),
        j.replace("0000_a", "0001_a"),
    )
    .unwrap();
    ok(&p.check());
    p.set_schema("steps/pg_v2_norename.ts", "");
    let before = tree(&out);
    let o = p.build(&["--name", "other"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("--prefix timestamp"), "{}", stderr(&o));
    assert_eq!(tree(&out), before, "nothing may be written");
    ok(&p.build(&["--name", "other", "--prefix", "timestamp"]));
    ok(&p.check());
}
