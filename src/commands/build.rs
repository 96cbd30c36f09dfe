//! `schemac build` (alias `generate`): writes the next migration of a drizzle-kit migrations
//! folder. See `spec/build.md`.
//!
//! The first migration of a folder (the SQL `export` prints), `--custom` migrations, "no changes"
//! when the schema equals the last snapshot, and the next migration from the diff of the last
//! snapshot and the schema (`migration::diff`, then `migration::for_dialect` for MySQL's and
//! SQLite's statement order and rebuilds). Every dialect: the snapshot model is the same, its
//! file is the dialect's (`snapshot::to_json`). What the diff does not support yet, and possible
//! renames, are refused (E6004) rather than written wrong.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use schemac_compiler::diagnostics::{Diagnostic, Severity, codes};
use schemac_compiler::migration::describe;
use schemac_compiler::migration::rename::{Kind, Question, Rename};
use schemac_compiler::passes::annotations;
use schemac_compiler::schema::{Dialect, Schema};
use schemac_compiler::snapshot::{self, Journal, JournalEntry, PgSnapshot};
use schemac_compiler::{codegen, migration};

use super::folder::{self, folder_error};
use super::{load, renames, words};
use crate::output::Output;
use crate::{BuildArgs, Format, Prefix};

/// The body of a `--custom` migration, as drizzle-kit writes it.
pub const CUSTOM_SQL: &str = "-- Custom SQL migration file, put your code below! --";
const BREAKPOINT: &str = "--> statement-breakpoint\n";

pub fn run(out: &Output, args: BuildArgs) -> u8 {
    // Every dialect compiles, so that a MySQL or SQLite schema gets the precise answer below.
    // The migrations folder is read meanwhile, on another thread.
    let (loaded, folder) = load::compile_alongside(
        &args.source,
        &[Dialect::Postgresql, Dialect::Mysql, Dialect::Sqlite],
        |cfg| {
            let out_dir = PathBuf::from(
                args.out
                    .clone()
                    .or_else(|| cfg.map(|c| c.out.clone()))
                    .unwrap_or_else(|| "drizzle".into()),
            );
            let mut texts = HashMap::new();
            let read = folder::read_folder(&out_dir, &mut texts);
            (out_dir, read, texts)
        },
    );
    let mut diags = loaded.all_diagnostics();
    let mut sources = if diags.is_empty() {
        HashMap::new()
    } else {
        loaded.sources()
    };
    // A MySQL name over 64 characters (E5011) only matters when this migration writes it: a
    // folder whose last snapshot has it already (its SQL shortened by hand) still builds.
    let (long_names, rest): (Vec<_>, Vec<_>) = diags
        .into_iter()
        .partition(|d| d.code == codes::IDENT_TOO_LONG && d.is_error());
    diags = rest;
    let (Some(compilation), Some((out_dir, read, texts))) = (
        loaded
            .compilation
            .as_ref()
            .filter(|_| !diags.iter().any(Diagnostic::is_error)),
        folder,
    ) else {
        diags.extend(long_names);
        return fail(out, &diags, &sources);
    };
    // Whether `sql` writes one of the long names: then they are errors, else warnings.
    let settle = |diags: &mut Vec<Diagnostic>, sql: Option<&str>| -> bool {
        let mut failed = false;
        for d in &long_names {
            let name = d.subject.as_deref().map_or("", String::as_str);
            let written = sql.is_some_and(|sql| sql.contains(&format!("`{name}`")));
            if written {
                failed = true;
                diags.push(d.clone());
            } else {
                let mut w = d.clone();
                w.severity = Severity::Warning;
                w.code = codes::IDENT_TOO_LONG_KEPT;
                w.notes
                    .push("this migration does not write it: the folder has it already".into());
                diags.push(w);
            }
        }
        !failed
    };
    sources.extend(texts);
    let cfg = loaded.config.as_ref();
    let breakpoints = args
        .breakpoints
        .or(cfg.map(|c| c.breakpoints))
        .unwrap_or(true);
    let prefix = args.prefix.unwrap_or_else(|| {
        cfg.and_then(|c| Prefix::from_name(&c.migrations_prefix))
            .unwrap_or(Prefix::Index)
    });

    let previous = match read {
        Ok((p, warnings)) => {
            diags.extend(warnings);
            p
        }
        Err(d) => {
            let mut all = diags.clone();
            all.extend(long_names.iter().cloned());
            all.extend(d);
            return fail(out, &all, &sources);
        }
    };
    let schema = &compilation.schema;
    if let Some((journal, _)) = &previous
        && snapshot::dialect_of(&journal.dialect) != Some(schema.dialect)
    {
        let mut all = diags.clone();
        all.extend(long_names.iter().cloned());
        all.push(
            folder_error(format!(
                "{} holds {} migrations, but the schema is {}",
                out_dir.display(),
                journal.dialect,
                schema.dialect.name()
            ))
            .with_help("use another --out for this schema's migrations"),
        );
        return fail(out, &all, &sources);
    }
    let (journal, prev_snapshot, sql, snapshot_value) = match previous {
        None => {
            let prev = snapshot::from_schema(&Schema::empty(schema.dialect), "", "");
            let (sql, snap) = if args.custom {
                (CUSTOM_SQL.to_string(), prev)
            } else {
                let ops = migration::plan_create(schema);
                let statements = codegen::statements(schema.dialect, &ops);
                if statements.is_empty() {
                    settle(&mut diags, None);
                    return no_changes(out, &diags, &sources);
                }
                if args.plan {
                    if !settle(&mut diags, Some(&statements.join("\n"))) {
                        return fail(out, &diags, &sources);
                    }
                    return plan(out, &diags, &sources, schema.dialect, &ops);
                }
                (
                    join(&statements, breakpoints),
                    snapshot::from_schema(schema, "", ""),
                )
            };
            (Journal::new(schema.dialect.name()), None, sql, snap)
        }
        Some((journal, prev)) => {
            if args.custom {
                (journal, Some(prev.id.clone()), CUSTOM_SQL.to_string(), prev)
            } else {
                let mut new = snapshot::from_schema(schema, "", "");
                if same_schema(&prev, &new) {
                    settle(&mut diags, None);
                    return no_changes(out, &diags, &sources);
                }
                let renames = match decide_renames(&loaded, &args.renames, &prev, &new, out) {
                    Ok((renames, warnings)) => {
                        diags.extend(warnings);
                        renames
                    }
                    Err(mut refused) => {
                        let mut all = diags.clone();
                        all.extend(long_names.iter().cloned());
                        all.append(&mut refused.diagnostics);
                        let sources = loaded.sources();
                        return refuse(out, &all, &sources, &refused.open);
                    }
                };
                let ops = match migration::diff(&prev, schema, &new, &renames) {
                    Ok(ops) => migration::for_dialect(ops, &prev, &new, &renames, schema),
                    Err(un) => {
                        let mut all = diags.clone();
                        all.extend(long_names.iter().cloned());
                        all.push(unsupported(&out_dir, &un));
                        return fail(out, &all, &sources);
                    }
                };
                if let Some(un) = unwritten(schema.dialect, &ops) {
                    let mut all = diags.clone();
                    all.extend(long_names.iter().cloned());
                    all.push(unsupported(&out_dir, &un));
                    return fail(out, &all, &sources);
                }
                let statements = codegen::statements(schema.dialect, &ops);
                if statements.is_empty() {
                    settle(&mut diags, None);
                    return no_changes(out, &diags, &sources);
                }
                if args.plan {
                    if !settle(&mut diags, Some(&statements.join("\n"))) {
                        return fail(out, &diags, &sources);
                    }
                    return plan(out, &diags, &sources, schema.dialect, &ops);
                }
                if schema.dialect != Dialect::Postgresql {
                    // drizzle-kit records MySQL and SQLite renames in `_meta` (never PostgreSQL's).
                    new.meta = rename_meta(&renames);
                }
                let prev_id = prev.id.clone();
                // The process ends soon: freeing the previous snapshot's many small
                // allocations one by one would be wasted work (as for `loaded` below).
                drop(ops);
                std::mem::forget(prev);
                (journal, Some(prev_id), join(&statements, breakpoints), new)
            }
        }
    };

    if !settle(&mut diags, Some(&sql)) {
        return fail(out, &diags, &sources);
    }
    let idx = journal.next_idx();
    let (prefix_text, when) = prefix_of(prefix, idx);
    let name = args.name.clone().unwrap_or_else(random_name);
    let tag = format!("{prefix_text}_{name}");
    let mut snap = snapshot_value;
    snap.id = uuid::Uuid::new_v4().to_string();
    snap.prev_id = prev_snapshot.unwrap_or_else(|| snapshot::ORIGIN_UUID.to_string());
    let mut files = migration_files(
        journal,
        JournalEntry {
            idx,
            version: snapshot::version(schema.dialect).into(),
            when,
            tag: tag.clone(),
            breakpoints,
        },
        &prefix_text,
        sql,
        &snap,
    );
    // Expo's and Durable Objects' migrators read the migrations bundled by `migrations.js`.
    let driver = loaded.config.as_ref().and_then(|c| c.driver.as_deref());
    if matches!(driver, Some("expo" | "durable-sqlite"))
        && let Some((_, journal_text)) = files.last()
        && let Ok(written) = snapshot::read_journal(Path::new("_journal.json"), journal_text)
    {
        let bundle = migrations_bundle(&written);
        let at = files.len() - 1;
        files.insert(at, (PathBuf::from("migrations.js"), bundle));
    }
    if let Err(d) = write_atomically(&out_dir, &files) {
        let mut all = diags.clone();
        all.push(*d);
        return fail(out, &all, &sources);
    }
    let sql_path = out_dir.join(&files[0].0);
    out.diagnostics(&diags, &sources);
    match out.format {
        Format::Human => {
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "Your SQL migration file ➜ {}", sql_path.display());
        }
        Format::Json => out.json(
            &diags,
            &sources,
            serde_json::json!({
                "ok": true,
                "changes": true,
                "tag": tag,
                "files": files.iter().map(|(p, _)| out_dir.join(p).display().to_string()).collect::<Vec<_>>(),
            }),
        ),
    }
    std::mem::forget((loaded, snap));
    0
}

/// The files of one new migration, relative to the folder: `<tag>.sql`, its snapshot, and the
/// journal with `entry` added (written last by [`write_atomically`]).
pub fn migration_files(
    mut journal: Journal,
    entry: JournalEntry,
    prefix_text: &str,
    sql: String,
    snap: &PgSnapshot,
) -> Vec<(PathBuf, String)> {
    let sql_file = PathBuf::from(format!("{}.sql", entry.tag));
    journal.entries.push(entry);
    vec![
        (sql_file, sql),
        (
            PathBuf::from("meta").join(format!("{prefix_text}_snapshot.json")),
            snapshot::to_json(snap),
        ),
        (
            PathBuf::from("meta/_journal.json"),
            snapshot::journal_to_json(&journal),
        ),
    ]
}

/// `migrations.js` for the bundling drivers (`expo`, `durable-sqlite`): the app's migrator
/// imports it, and it imports the journal and every migration's SQL (`mNNNN` by journal index),
/// as drizzle-kit writes it.
pub fn migrations_bundle(journal: &Journal) -> String {
    let mut text = String::from(
        "// Written by schemac build for drizzle-orm's bundled migrators (Expo, Durable Objects):\n\
         // the journal and the SQL of every migration. Rewritten with each migration.\n\n\
         import journal from './meta/_journal.json';\n",
    );
    let names: Vec<String> = journal
        .entries
        .iter()
        .map(|e| format!("m{:04}", e.idx))
        .collect();
    for (e, name) in journal.entries.iter().zip(&names) {
        text.push_str(&format!("import {name} from './{}.sql';\n", e.tag));
    }
    text.push_str("\nexport default {\n  journal,\n  migrations: {\n");
    for name in &names {
        text.push_str(&format!("    {name},\n"));
    }
    text.push_str("  },\n};\n");
    text
}

/// MySQL and SQLite: the operations the dialect's codegen writes no SQL for (alterations it
/// does not print yet). A step with any of them is refused rather than written without them, or
/// reported as "no changes".
pub fn unwritten(
    dialect: Dialect,
    ops: &[migration::Operation<'_>],
) -> Option<migration::Unsupported> {
    if dialect == Dialect::Postgresql {
        return None;
    }
    let mut changes: Vec<String> = ops
        .iter()
        .filter(|op| codegen::statements(dialect, std::slice::from_ref(*op)).is_empty())
        .map(|op| {
            let s = describe::describe(op);
            format!(
                "{} {} {} ({} SQL)",
                s.action,
                s.kind,
                s.name,
                dialect.name()
            )
        })
        .collect();
    // One change may be several operations (a type and a default): said once.
    let mut seen = std::collections::HashSet::new();
    changes.retain(|c| seen.insert(c.clone()));
    (!changes.is_empty()).then_some(migration::Unsupported { changes })
}

/// E6004: the change cannot be migrated yet; nothing is written.
fn unsupported(out_dir: &Path, un: &migration::Unsupported) -> Diagnostic {
    let mut d = Diagnostic::error(
        codes::DIFF_UNSUPPORTED,
        format!(
            "schemac cannot write a migration for these changes since the last migration in {} yet",
            out_dir.display()
        ),
    );
    for c in &un.changes {
        d = d.with_note(format!("not supported yet: {c}"));
    }
    d.with_help(
        "nothing was written; use drizzle-kit generate for this step, or `schemac build --custom` \
         to write the SQL yourself",
    )
}

/// Why the renames could not be decided: errors, and the questions left open (exit code 2).
pub struct Refused {
    pub diagnostics: Vec<Diagnostic>,
    pub open: Vec<Question>,
}

impl Refused {
    fn errors(diagnostics: Vec<Diagnostic>) -> Refused {
        Refused {
            diagnostics,
            open: Vec::new(),
        }
    }
}

/// Ends a build whose rename questions are not all answered: exit code 2 when questions are
/// open (with `--format json`, `"questions"` lists them), 1 for other errors.
pub fn refuse(
    out: &Output,
    diags: &[Diagnostic],
    sources: &HashMap<PathBuf, String>,
    open: &[Question],
) -> u8 {
    if open.is_empty() {
        return fail(out, diags, sources);
    }
    out.diagnostics(diags, sources);
    if out.format == Format::Json {
        out.json(
            diags,
            sources,
            serde_json::json!({ "ok": false, "questions": open }),
        );
    }
    2
}

/// The renames of this step: annotations, flags and the hints file answer first, then a prompt
/// on a terminal.
pub fn decide_renames(
    loaded: &load::Loaded,
    args: &renames::RenameArgs,
    prev: &PgSnapshot,
    cur: &PgSnapshot,
    out: &Output,
) -> Result<(Vec<Rename>, Vec<Diagnostic>), Refused> {
    let schema = &loaded
        .compilation
        .as_ref()
        .expect("decide_renames runs after a successful compilation")
        .schema;
    let texts = loaded.sources();
    let (mut hints, mut notes) = if texts.values().any(|t| annotations::may_annotate(t)) {
        annotations::renamed_from(schema, &|path| {
            let text = texts.get(path)?;
            let parsed = loaded.project.parsed(path)?;
            Some((text.as_str(), parsed.module.comments.as_slice()))
        })
    } else {
        Default::default()
    };
    if notes.iter().any(Diagnostic::is_error) {
        return Err(Refused::errors(notes));
    }
    hints.extend(renames::hints(args).map_err(Refused::errors)?);
    let interactive = out.format == Format::Human && renames::can_prompt();
    match renames::decide(prev, cur, &hints, interactive, schema) {
        renames::Decided::Renames(renames, warnings) => {
            notes.extend(warnings);
            Ok((renames, notes))
        }
        renames::Decided::Failed { diagnostics, open } => {
            notes.extend(diagnostics);
            Err(Refused {
                diagnostics: notes,
                open,
            })
        }
    }
}

/// `--plan`: the operations of the next migration, nothing written. Human: one line per
/// operation (`-` drops, `+` creates, `~` alterations and renames, `!` where data is lost),
/// then the SQL. JSON: `{"ok", "changes", "plan": [{action, kind, name, detail?, destructive,
/// sql}]}`.
fn plan(
    out: &Output,
    diags: &[Diagnostic],
    sources: &HashMap<PathBuf, String>,
    dialect: Dialect,
    ops: &[migration::Operation<'_>],
) -> u8 {
    out.diagnostics(diags, sources);
    let steps = steps(dialect, ops);
    match out.format {
        Format::Human => {
            let mut stdout = std::io::stdout().lock();
            let color = out.color() && std::io::stdout().is_terminal();
            let _ = write_steps(&mut stdout, &steps, color);
            let lost = steps.iter().filter(|(s, _)| s.destructive).count();
            if lost > 0 {
                let _ = writeln!(
                    stdout,
                    "\n{lost} operation{} marked ! may lose data already in the database",
                    if lost == 1 { "" } else { "s" }
                );
            }
            let _ = writeln!(stdout, "\n-- SQL (not written: --plan)");
            let sql = codegen::statements(dialect, ops);
            let _ = writeln!(stdout, "{}", join(&sql, false));
        }
        Format::Json => out.json(
            diags,
            sources,
            serde_json::json!({
                "ok": true,
                "changes": true,
                "plan": steps_json(&steps),
            }),
        ),
    }
    0
}

/// Each operation's plan line with its statements.
pub fn steps(
    dialect: Dialect,
    ops: &[migration::Operation<'_>],
) -> Vec<(describe::Step, Vec<String>)> {
    ops.iter()
        .map(|op| {
            (
                describe::describe(op),
                codegen::statements(dialect, std::slice::from_ref(op)),
            )
        })
        .collect()
}

/// One line per operation: `-` drops, `+` creates, `~` alterations and renames, `!` where data
/// is lost.
/// `color`: marks and drops in colour (red for data lost and drops, green for creates, yellow for
/// alterations).
pub fn write_steps(
    w: &mut dyn Write,
    steps: &[(describe::Step, Vec<String>)],
    color: bool,
) -> std::io::Result<()> {
    for (s, _) in steps {
        let (mark, paint) = match (s.destructive, s.action) {
            (true, _) => ('!', "\x1b[1;31m"),
            (_, "create") => ('+', "\x1b[32m"),
            (_, "drop") => ('-', "\x1b[31m"),
            _ => ('~', "\x1b[33m"),
        };
        let detail = if s.detail.is_empty() {
            String::new()
        } else {
            format!(": {}", s.detail)
        };
        let line = format!("{mark} {} {} {}{detail}", s.action, s.kind, s.name);
        if color {
            writeln!(w, "{paint}{line}\x1b[0m")?;
        } else {
            writeln!(w, "{line}")?;
        }
    }
    Ok(())
}

/// The plan as JSON: `[{action, kind, name, detail?, destructive, sql}]`.
pub fn steps_json(steps: &[(describe::Step, Vec<String>)]) -> Vec<serde_json::Value> {
    steps
        .iter()
        .map(|(s, sql)| {
            let mut v = serde_json::to_value(s).unwrap_or_default();
            v["sql"] = serde_json::json!(sql);
            v
        })
        .collect()
}

pub fn fail(out: &Output, diags: &[Diagnostic], sources: &HashMap<PathBuf, String>) -> u8 {
    out.diagnostics(diags, sources);
    if out.format == Format::Json {
        out.json(diags, sources, serde_json::json!({ "ok": false }));
    }
    1
}

fn no_changes(out: &Output, diags: &[Diagnostic], sources: &HashMap<PathBuf, String>) -> u8 {
    out.diagnostics(diags, sources);
    match out.format {
        Format::Human => {
            let _ = writeln!(
                std::io::stdout().lock(),
                "No schema changes, nothing to migrate"
            );
        }
        Format::Json => out.json(
            diags,
            sources,
            serde_json::json!({ "ok": true, "changes": false }),
        ),
    }
    0
}

/// drizzle-kit's migration file: statements joined by the breakpoint marker (no newline before
/// it, none at the end of the file), or by newlines.
pub fn join(statements: &[String], breakpoints: bool) -> String {
    statements.join(if breakpoints { BREAKPOINT } else { "\n" })
}

/// The `_meta` drizzle-kit writes for this step's renames of tables and columns:
/// `"\"old\""` → `"\"new\""` for tables, `"\"table\".\"old\""` → `"\"table\".\"new\""` for
/// columns (the table under its new name). MySQL and SQLite tables have no schema; the model
/// keys them `public.<name>`.
fn rename_meta(renames: &[Rename]) -> snapshot::pg::Meta {
    let bare = |key: &str| key.strip_prefix("public.").unwrap_or(key).to_string();
    let quoted = |parts: &[&str]| {
        parts
            .iter()
            .map(|p| format!("\"{p}\""))
            .collect::<Vec<_>>()
            .join(".")
    };
    let mut meta = snapshot::pg::Meta::default();
    for r in renames {
        match r.kind {
            Kind::Table => {
                meta.tables
                    .insert(quoted(&[&bare(&r.from)]), quoted(&[&bare(&r.to)]));
            }
            Kind::Column => {
                let table = bare(r.scope.as_deref().unwrap_or_default());
                meta.columns
                    .insert(quoted(&[&table, &r.from]), quoted(&[&table, &r.to]));
            }
            _ => {}
        }
    }
    meta
}

/// Equal schemas: everything but `id`, `prevId` and what is not schema (`_meta`, `internal`),
/// compared as drizzle-kit compares them (MySQL: unique indexes as unique constraints).
pub fn same_schema(prev: &PgSnapshot, new: &PgSnapshot) -> bool {
    let (prev, new) = (
        snapshot::mysql::comparable(prev),
        snapshot::mysql::comparable(new),
    );
    let (prev, new) = (prev.as_ref(), new.as_ref());
    // Field by field, so that neither snapshot is copied. A new field of `PgSnapshot` must be
    // added here: the destructuring does not compile without it.
    let PgSnapshot {
        id: _,
        prev_id: _,
        meta: _,
        internal: _,
        version,
        dialect,
        tables,
        enums,
        schemas,
        sequences,
        roles,
        policies,
        views,
    } = prev;
    *version == new.version
        && *dialect == new.dialect
        && *tables == new.tables
        && *enums == new.enums
        && *schemas == new.schemas
        && *sequences == new.sequences
        && *roles == new.roles
        && *policies == new.policies
        && *views == new.views
}

/// The tag's prefix for `idx`, and the journal's `when` (milliseconds since the epoch).
pub fn prefix_of(prefix: Prefix, idx: u32) -> (String, u64) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let when = now.as_millis() as u64;
    let text = match prefix {
        Prefix::Index => format!("{idx:04}"),
        Prefix::Timestamp | Prefix::Supabase => utc_compact(now.as_secs()),
        Prefix::Unix => now.as_secs().to_string(),
        Prefix::None => String::new(),
    };
    (text, when)
}

/// `YYYYMMDDHHMMSS` in UTC for seconds since the epoch.
fn utc_compact(secs: u64) -> String {
    let time = UNIX_EPOCH + std::time::Duration::from_secs(secs);
    // RFC 3339 (`2026-11-27T17:47:21Z`) without its separators.
    humantime::format_rfc3339_seconds(time)
        .to_string()
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// `<adjective>_<noun>` from schemac's word lists.
pub fn random_name() -> String {
    let bytes = *uuid::Uuid::new_v4().as_bytes();
    let a = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    let n = u32::from_le_bytes([bytes[10], bytes[11], bytes[12], bytes[13]]) as usize;
    format!(
        "{}_{}",
        words::ADJECTIVES[a % words::ADJECTIVES.len()],
        words::NOUNS[n % words::NOUNS.len()]
    )
}

/// Writes `files` (paths relative to `out_dir`) so that the folder is never half-written: all
/// files go to a temporary folder beside `out_dir` first, then are renamed into place, the
/// journal last. A new `out_dir` is one rename. Existing migration files are never overwritten.
pub fn write_atomically(
    out_dir: &Path,
    files: &[(PathBuf, String)],
) -> Result<(), Box<Diagnostic>> {
    let io = |what: &str, path: &Path, e: std::io::Error| {
        Box::new(
            folder_error(format!("cannot {what} {}: {e}", path.display()))
                .with_note("nothing was written"),
        )
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let out_abs = cwd.join(out_dir);
    let parent = out_abs
        .parent()
        .map_or_else(|| cwd.clone(), Path::to_path_buf);
    std::fs::create_dir_all(&parent).map_err(|e| io("create", &parent, e))?;
    for (rel, _) in files {
        let target = out_abs.join(rel);
        // The journal and the bundle (`migrations.js`) are rewritten; migrations never.
        let rewritten = rel
            .file_name()
            .is_some_and(|n| n == "_journal.json" || n == "migrations.js");
        if !rewritten && target.exists() {
            // A snapshot is named by the migration's number alone (the count of journal
            // entries): a folder whose tags were renumbered by hand can have it already, and
            // `--name` does not change it (drizzle-kit overwrites that snapshot silently).
            let snapshot = rel
                .file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with("_snapshot.json"));
            let help = if snapshot {
                "the snapshot's number is the count of journal entries, and an entry numbered by hand has it: write this migration with `--prefix timestamp` (or `unix`), or renumber the journal's tags"
            } else {
                "choose another --name, or remove the file if it is not in the journal"
            };
            return Err(Box::new(
                folder_error(format!(
                    "{} already exists; schemac does not overwrite migrations",
                    target.display()
                ))
                .with_help(help),
            ));
        }
    }
    let tmp = tempfile::Builder::new()
        .prefix(".schemac-build-")
        .tempdir_in(&parent)
        .map_err(|e| io("create a temporary folder in", &parent, e))?;
    std::fs::create_dir_all(tmp.path().join("meta")).map_err(|e| io("create", tmp.path(), e))?;
    for (rel, text) in files {
        let path = tmp.path().join(rel);
        std::fs::write(&path, text).map_err(|e| io("write", &path, e))?;
    }
    if !out_abs.exists() {
        // A new folder is one rename; `tmp` then no longer exists and its drop does nothing.
        return std::fs::rename(tmp.path(), &out_abs).map_err(|e| io("create", &out_abs, e));
    }
    let meta = out_abs.join("meta");
    let made_meta = !meta.exists();
    if made_meta {
        std::fs::create_dir(&meta).map_err(|e| io("create", &meta, e))?;
    }
    let mut moved: Vec<PathBuf> = Vec::new();
    for (rel, _) in files {
        let target = out_abs.join(rel);
        if let Err(e) = std::fs::rename(tmp.path().join(rel), &target) {
            // Undo: the new files go, the old journal is still in place (it is renamed last).
            for m in &moved {
                let _ = std::fs::remove_file(m);
            }
            if made_meta {
                let _ = std::fs::remove_dir(&meta);
            }
            return Err(io("write", &target, e));
        }
        if rel
            .file_name()
            .is_some_and(|n| n != "_journal.json" && n != "migrations.js")
        {
            moved.push(target);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(utc_compact(0), "19700101000000");
        // 2026-11-27T17:47:21Z
        assert_eq!(utc_compact(1_795_801_641), "20261127174721");
        assert_eq!(utc_compact(951_782_400), "20000229000000");
    }

    #[test]
    fn renames_are_recorded_as_drizzle_kit_records_them() {
        let rename = |kind, scope: Option<&str>, from: &str, to: &str| Rename {
            kind,
            scope: scope.map(str::to_string),
            from: from.into(),
            to: to.into(),
        };
        let meta = rename_meta(&[
            rename(Kind::Table, None, "public.notes", "public.memos"),
            rename(Kind::Column, Some("public.memos"), "body", "content"),
        ]);
        // As drizzle-kit 0.31 wrote them for the same answers (checked with the oracle).
        assert_eq!(
            serde_json::to_string(&meta.tables).unwrap(),
            r#"{"\"notes\"":"\"memos\""}"#
        );
        assert_eq!(
            serde_json::to_string(&meta.columns).unwrap(),
            r#"{"\"memos\".\"body\"":"\"memos\".\"content\""}"#
        );
        assert!(meta.schemas.is_empty());
    }

    #[test]
    fn joins_like_drizzle_kit() {
        let s = vec!["A;".to_string(), "B (\n);\n".to_string(), "C;".to_string()];
        assert_eq!(
            join(&s, true),
            "A;--> statement-breakpoint\nB (\n);\n--> statement-breakpoint\nC;"
        );
        assert_eq!(join(&s, false), "A;\nB (\n);\n\nC;");
    }
}
