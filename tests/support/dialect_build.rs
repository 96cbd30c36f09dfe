//! `schemac build` checks shared by the MySQL and SQLite suites (`tests/build_mysql.rs`,
//! `tests/build_sqlite.rs`): the snapshot drizzle-kit writes, a second build, a corrupt folder,
//! and interop with drizzle-kit's own folders (migrated with drizzle-kit `migrate`, compared
//! with `export` through the oracle's catalog).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

use super::{
    TempDb, TempSqlite, drizzle_kit, export_statements, fixtures, ok, oracle, schemac, stderr,
    stdout, tree,
};

static N: AtomicU32 = AtomicU32::new(0);

/// A schema of a dialect's suite: its file and the casing it is compiled with.
#[derive(Clone, Debug)]
pub struct Case {
    pub schema: PathBuf,
    pub casing: Option<&'static str>,
}

impl Case {
    pub fn corpus(schema: &str, casing: Option<&'static str>) -> Case {
        Case {
            schema: fixtures().join("corpus").join(schema),
            casing,
        }
    }

    pub fn label(&self) -> String {
        self.schema
            .strip_prefix(fixtures())
            .unwrap_or(&self.schema)
            .display()
            .to_string()
    }
}

/// A fresh project folder holding a copy of a schema as `schema.ts`.
pub struct Project {
    pub dir: PathBuf,
    pub dialect: &'static str,
    pub casing: Option<&'static str>,
}

impl Project {
    pub fn new(dialect: &'static str, case: &Case) -> Project {
        let dir = std::env::temp_dir().join(format!(
            "schemac-build-{dialect}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(&case.schema, dir.join("schema.ts")).unwrap();
        Project {
            dir,
            dialect,
            casing: case.casing,
        }
    }

    fn args<'a>(&'a self, command: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec![command, "--dialect", self.dialect, "--schema", "schema.ts"];
        if let Some(c) = self.casing {
            args.extend(["--casing", c]);
        }
        args.extend_from_slice(extra);
        args
    }

    pub fn build(&self, extra: &[&str]) -> Output {
        schemac(&self.dir, &self.args("build", extra))
    }

    pub fn export(&self) -> Vec<String> {
        export_statements(&self.dir, &self.args("export", &[])[1..])
    }

    pub fn out(&self) -> PathBuf {
        self.dir.join("drizzle")
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `dk.sh generate <dialect> <schema> <run>` (with `DK_CASING`, and `DK_BIN` to run another
/// binary as drizzle-kit); panics when it fails.
fn dk_generate(dk: &Path, dialect: &str, case: &Case, run: &Path, bin: Option<&str>) {
    let mut cmd = Command::new("bash");
    if let Some(c) = case.casing {
        cmd.env("DK_CASING", c);
    }
    if let Some(b) = bin {
        cmd.env("DK_BIN", b);
    }
    let o = cmd
        .arg(dk.join("dk.sh"))
        .args(["generate", dialect])
        .arg(&case.schema)
        .arg(run)
        .output()
        .expect("dk.sh runs");
    assert!(
        o.status.success(),
        "{}: dk.sh generate: {}{}",
        case.label(),
        stdout(&o),
        stderr(&o)
    );
}

/// The one snapshot of a dk.sh run's folder.
fn first_snapshot(run: &Path) -> String {
    std::fs::read_to_string(run.join("project/drizzle/meta/0000_snapshot.json")).unwrap()
}

fn tmp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("schemac-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Acceptance: schemac's first snapshot is drizzle-kit's `generate` snapshot byte for byte, but
/// for `id` (and the `prevId` of a first snapshot, the zero UUID in both); drizzle-kit's file
/// reads into the model and is written back unchanged; the journal says the same dialect and
/// entry version.
pub fn snapshots_equal_drizzle_kit(dialect: &'static str, cases: &[Case]) {
    let Some(dk) = oracle() else { return };
    let tmp = tmp_dir(&format!("snap-{dialect}"));
    let mut failures = Vec::new();
    for case in cases {
        let run = tmp.join(case.label().replace(['/', '.'], "_"));
        dk_generate(&dk, dialect, case, &run, None);
        let theirs = first_snapshot(&run);
        let p = Project::new(dialect, case);
        ok(&p.build(&["--name", "init"]));
        let ours = std::fs::read_to_string(p.out().join("meta/0000_snapshot.json")).unwrap();
        let id = |text: &str| -> String {
            let v: serde_json::Value = serde_json::from_str(text).unwrap();
            v["id"].as_str().unwrap().to_string()
        };
        let theirs = theirs.replace(&id(&theirs), &id(&ours));
        // Read into the model and written again, drizzle-kit's file is unchanged.
        let path = Path::new("0000_snapshot.json");
        match schemac_compiler::snapshot::read(path, &theirs) {
            Ok(model) => {
                let again = schemac_compiler::snapshot::to_json(&model);
                if again != theirs {
                    failures.push(format!(
                        "{}: drizzle-kit's snapshot read and written again differs:\n{}",
                        case.label(),
                        first_difference(&theirs, &again)
                    ));
                }
            }
            Err(d) => failures.push(format!(
                "{}: drizzle-kit's snapshot does not read: {d:?}",
                case.label()
            )),
        }
        if ours != theirs {
            failures.push(format!(
                "{}: the snapshot differs from drizzle-kit's:\n{}",
                case.label(),
                first_difference(&theirs, &ours)
            ));
        }
        let journal = |dir: &Path| -> serde_json::Value {
            serde_json::from_str(&std::fs::read_to_string(dir.join("meta/_journal.json")).unwrap())
                .unwrap()
        };
        let (j_ours, j_theirs) = (journal(&p.out()), journal(&run.join("project/drizzle")));
        for key in ["version", "dialect"] {
            assert_eq!(
                j_ours[key],
                j_theirs[key],
                "{}: journal {key}",
                case.label()
            );
        }
        assert_eq!(
            j_ours["entries"][0]["version"],
            j_theirs["entries"][0]["version"],
            "{}: journal entry version",
            case.label()
        );
    }
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The first differing line of two texts, with a little context.
fn first_difference(theirs: &str, ours: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (theirs.lines().collect(), ours.lines().collect());
    let i = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let from = i.saturating_sub(3);
    format!(
        "line {}:\n--- drizzle-kit\n{}\n--- schemac\n{}",
        i + 1,
        a[from..(i + 3).min(a.len())].join("\n"),
        b[from..(i + 3).min(b.len())].join("\n")
    )
}

/// Acceptance: `build` twice; the second says there are no changes and writes nothing. The first
/// migration is `export`'s statements.
pub fn second_build_writes_nothing(dialect: &'static str, cases: &[Case]) {
    for case in cases {
        let p = Project::new(dialect, case);
        ok(&p.build(&["--name", "init"]));
        let sql = std::fs::read_to_string(p.out().join("0000_init.sql")).unwrap();
        assert_eq!(
            sql,
            p.export().join("--> statement-breakpoint\n"),
            "{}",
            case.label()
        );
        let before = tree(&p.out());
        let o = p.build(&[]);
        ok(&o);
        assert!(
            stdout(&o).contains("No schema changes"),
            "{}: {}",
            case.label(),
            stdout(&o)
        );
        assert_eq!(tree(&p.out()), before, "{}", case.label());
    }
}

/// Acceptance: a corrupt snapshot is an error located in that file, and nothing is written.
pub fn corrupt_snapshot_is_located(dialect: &'static str, case: &Case, first_table: &str) {
    let p = Project::new(dialect, case);
    ok(&p.build(&["--name", "a"]));
    let snapshot = p.out().join("meta/0000_snapshot.json");
    let good = std::fs::read_to_string(&snapshot).unwrap();
    let corruptions = [
        // Not JSON any more.
        good.replacen("\"tables\": {", "\"tables\": {,", 1),
        // A wrong shape: a table's columns as a list.
        good.replacen(
            &format!("\"name\": \"{first_table}\",\n      \"columns\": {{"),
            &format!("\"name\": \"{first_table}\",\n      \"columns\": ["),
            1,
        ),
        // Cut short.
        good[..good.len() / 2].to_string(),
        // Another dialect's version.
        good.replacen("\"version\": \"", "\"version\": \"9", 1),
    ];
    for (i, bad) in corruptions.iter().enumerate() {
        assert_ne!(bad, &good, "corruption {i} changed nothing");
        std::fs::write(&snapshot, bad).unwrap();
        let before = tree(&p.out());
        let o = p.build(&[]);
        assert_eq!(o.status.code(), Some(1), "corruption {i}: {}", stdout(&o));
        let err = stderr(&o);
        assert!(
            err.contains("0000_snapshot.json") && (err.contains("E6001") || err.contains("E6002")),
            "corruption {i}: {err}"
        );
        if i < 3 {
            // Located at line:column.
            assert!(err.contains("0000_snapshot.json:"), "corruption {i}: {err}");
        }
        assert_eq!(tree(&p.out()), before, "corruption {i}");
    }
}

/// A scratch database of the dialect, and the `dbCredentials.url` for a dk.sh project.
enum Db {
    Mysql(TempDb),
    Sqlite(TempSqlite),
}

impl Db {
    fn new(dialect: &str, label: &str) -> Db {
        match dialect {
            "mysql" => Db::Mysql(TempDb::mysql(label)),
            _ => Db::Sqlite(TempSqlite::new(label)),
        }
    }

    fn target(&self) -> String {
        match self {
            Db::Mysql(db) => db.url.clone(),
            Db::Sqlite(db) => db.path.display().to_string(),
        }
    }

    fn execute(&self, statements: &[String]) -> Result<(), String> {
        match self {
            Db::Mysql(db) => db.execute(statements),
            Db::Sqlite(db) => db.execute(statements),
        }
    }

    /// Points a dk.sh project's config at this database.
    fn configure(&self, project: &Path) {
        let config = project.join("drizzle.config.ts");
        let text = std::fs::read_to_string(&config).unwrap();
        let text = match self {
            Db::Mysql(db) => text.replace("/unused'", &format!("/{}'", db.name)),
            Db::Sqlite(db) => {
                text.replace("url: 'unused'", &format!("url: '{}'", db.path.display()))
            }
        };
        std::fs::write(&config, text).unwrap();
    }
}

/// The oracle's normalized catalog of a MySQL database or SQLite file.
fn catalog(dk: &Path, dialect: &str, target: &str) -> String {
    let o = Command::new("node")
        .arg(dk.join("lib/catalog.js"))
        .args([dialect, target])
        .output()
        .expect("node runs");
    assert!(o.status.success(), "catalog.js: {}", stderr(&o));
    stdout(&o)
}

fn no_changes(o: &Output) -> bool {
    let text = format!("{}{}", stdout(o), stderr(o));
    o.status.success() && text.contains("No schema changes")
}

/// Acceptance (interop), for every case: drizzle-kit `generate` on schemac's folder finds no
/// changes; schemac `build` on drizzle-kit's folder finds none. Then, for `evolve` (the case and
/// a table to add, as TypeScript appended to its schema): schemac continues drizzle-kit's
/// folder, drizzle-kit `migrate` applies both migrations in order, and the catalog equals
/// `export` of the new schema applied to a fresh database; drizzle-kit then finds no changes.
pub fn interop(dialect: &'static str, cases: &[Case], evolve: (&Case, &str)) {
    let Some(dk) = oracle() else { return };
    let schemac_bin = env!("CARGO_BIN_EXE_schemac");
    let tmp = tmp_dir(&format!("interop-{dialect}"));
    let mut failures = Vec::new();
    for case in cases {
        let label = case.label().replace(['/', '.'], "_");
        // schemac writes the folder of a dk.sh project; drizzle-kit continues it.
        let run = tmp.join(format!("{label}-schemac"));
        dk_generate(&dk, dialect, case, &run, Some(schemac_bin));
        let project = run.join("project");
        let ours = tree(&project.join("drizzle"));
        assert_eq!(ours.len(), 3, "{label}: {:?}", ours.keys());
        let o = drizzle_kit(&project, "generate");
        if !no_changes(&o) {
            failures.push(format!(
                "{label}: drizzle-kit generate found changes in schemac's folder:\n{}{}",
                stdout(&o),
                stderr(&o)
            ));
        }
        if tree(&project.join("drizzle")) != ours {
            failures.push(format!("{label}: drizzle-kit changed schemac's folder"));
        }
        // drizzle-kit writes the folder; schemac continues it.
        let run = tmp.join(format!("{label}-dk"));
        dk_generate(&dk, dialect, case, &run, None);
        let project = run.join("project");
        let theirs = tree(&project.join("drizzle"));
        let o = schemac(&project, &["build"]);
        if !no_changes(&o) {
            failures.push(format!(
                "{label}: schemac build found changes in drizzle-kit's folder:\n{}{}",
                stdout(&o),
                stderr(&o)
            ));
        }
        if tree(&project.join("drizzle")) != theirs {
            failures.push(format!("{label}: schemac changed drizzle-kit's folder"));
        }
    }

    let (case, added) = evolve;
    let run = tmp.join("evolve");
    dk_generate(&dk, dialect, case, &run, None);
    let project = run.join("project");
    let schema_file = std::fs::read_dir(project.join("schema"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut text = std::fs::read_to_string(&schema_file).unwrap();
    text.push_str(added);
    std::fs::write(&schema_file, &text).unwrap();
    let o = schemac(&project, &["build", "--name", "added"]);
    ok(&o);
    let folder = project.join("drizzle");
    let sql = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("0001_added"));
    assert!(
        sql.is_some(),
        "no 0001_added.sql: {:?}",
        tree(&folder).keys()
    );
    let db = Db::new(dialect, "interop");
    db.configure(&project);
    let o = drizzle_kit(&project, "migrate");
    if !o.status.success() {
        failures.push(format!(
            "drizzle-kit migrate failed on drizzle-kit's folder continued by schemac:\n{}{}",
            stdout(&o),
            stderr(&o)
        ));
    } else {
        let fresh = Db::new(dialect, "interopexp");
        let mut args = vec!["--dialect", dialect, "--schema"];
        let schema_arg = schema_file
            .strip_prefix(&project)
            .unwrap()
            .display()
            .to_string();
        args.push(&schema_arg);
        if let Some(c) = case.casing {
            args.extend(["--casing", c]);
        }
        fresh.execute(&export_statements(&project, &args)).unwrap();
        let (migrated, exported) = (
            catalog(&dk, dialect, &db.target()),
            catalog(&dk, dialect, &fresh.target()),
        );
        if migrated != exported {
            failures.push(format!(
                "the migrated catalog differs from export's:\n--- migrate\n{migrated}\n--- export\n{exported}"
            ));
        }
    }
    let o = drizzle_kit(&project, "generate");
    if !no_changes(&o) {
        failures.push(format!(
            "drizzle-kit generate found changes after schemac's migration:\n{}{}",
            stdout(&o),
            stderr(&o)
        ));
    }
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Acceptance (renames in `_meta`): `v1`, then `v1` with `edits` (text replacements) built with
/// the rename answers `flags`; drizzle-kit answers the same questions on a pseudo-terminal
/// (`answers`, dk.sh's `DK_PTY_ANSWERS`). The second snapshots are equal but for `id` and
/// `prevId`: the same tables, and the renames recorded in `_meta` the same way.
pub fn renames_recorded_like_drizzle_kit(
    dialect: &'static str,
    v1: &Case,
    edits: &[(&str, &str)],
    flags: &[&str],
    answers: &str,
) {
    let Some(dk) = oracle() else { return };
    let tmp = tmp_dir(&format!("renames-{dialect}"));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut text = std::fs::read_to_string(&v1.schema).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{from} is not in {}", v1.label());
        text = text.replace(from, to);
    }
    let v2 = Case {
        schema: tmp.join("v2.ts"),
        casing: v1.casing,
    };
    std::fs::write(&v2.schema, &text).unwrap();
    let run = tmp.join("dk");
    dk_generate(&dk, dialect, v1, &run, None);
    let o = Command::new("bash")
        .env("DK_PTY_ANSWERS", answers)
        .arg(dk.join("dk.sh"))
        .args(["regen", dialect])
        .arg(&v2.schema)
        .arg(&run)
        .output()
        .expect("dk.sh runs");
    let meta = run.join("project/drizzle/meta");
    let theirs = std::fs::read_dir(&meta)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("0001"))
        .unwrap_or_else(|| panic!("drizzle-kit wrote no second snapshot: {}", stdout(&o)));
    let theirs = std::fs::read_to_string(theirs).unwrap();

    let p = Project::new(dialect, v1);
    ok(&p.build(&["--name", "a"]));
    std::fs::copy(&v2.schema, p.dir.join("schema.ts")).unwrap();
    let mut args = vec!["--name", "b"];
    args.extend_from_slice(flags);
    ok(&p.build(&args));
    let ours = std::fs::read_to_string(p.out().join("meta/0001_snapshot.json")).unwrap();
    let ids = |text: &str| -> (String, String) {
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        (
            v["id"].as_str().unwrap().to_string(),
            v["prevId"].as_str().unwrap().to_string(),
        )
    };
    let ((id, prev), (their_id, their_prev)) = (ids(&ours), ids(&theirs));
    let theirs = theirs.replace(&their_id, &id).replace(&their_prev, &prev);
    assert!(
        ours.contains("\"_meta\": {\n    \"schemas\": {},\n    \"tables\": {\n"),
        "{ours}"
    );
    assert!(
        ours == theirs,
        "the snapshot after renames differs from drizzle-kit's:\n{}",
        first_difference(&theirs, &ours)
    );
    let _ = std::fs::remove_dir_all(&tmp);
}
