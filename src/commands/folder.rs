//! The migrations folder on disk, shared by `build`, `check`, `drop` and `up`: where it is
//! (`--out`, else the config's `out`), reading its files for `snapshot::folder::check`, and
//! replacing one file atomically. See `spec/folder.md`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use schemac_compiler::config;
use schemac_compiler::diagnostics::{Diagnostic, codes};
use schemac_compiler::project::Project;
use schemac_compiler::snapshot::folder::{self, Checked, Depth, FolderFiles};
use schemac_compiler::snapshot::{self, Journal, PgSnapshot};

use crate::output::Output;
use crate::{FolderArgs, Format};

/// Source texts for rendering diagnostics, by path.
pub type Sources = HashMap<PathBuf, String>;

/// A folder as read from disk, and what `check` found in it.
pub struct Folder {
    pub files: FolderFiles,
    pub checked: Checked,
    /// Whether `<out>` exists at all.
    pub exists: bool,
}

/// The migrations folder of `check`, `drop` and `up`: `--out`, else the config's `out` (the
/// config is read only for `out` and `dialect`, so no schema is needed).
pub fn out_dir(args: &FolderArgs, sources: &mut Sources) -> Result<PathBuf, Vec<Diagnostic>> {
    if let Some(d) = args.dialect.as_deref()
        && !matches!(d, "postgresql" | "mysql" | "sqlite" | "turso")
    {
        return Err(vec![
            Diagnostic::error(
                codes::CONFIG_UNKNOWN_VALUE,
                format!(
                    "schemac reads PostgreSQL, MySQL and SQLite migrations folders, not `{d}` ones"
                ),
            )
            .with_help("use --dialect postgresql, mysql or sqlite (turso)"),
        ]);
    }
    if let (Some(out), None) = (&args.out, &args.config) {
        let out = PathBuf::from(out);
        same_dialect(&out, args.dialect.as_deref(), "--dialect")?;
        return Ok(out);
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let path = config::find(&cwd, args.config.as_deref()).map_err(|d| {
        vec![d.with_help("pass the migrations folder with --out, or a config with --config")]
    })?;
    let mut project = Project::new(&cwd);
    let loaded = config::load(&mut project, &path);
    sources.extend(project.source_texts());
    let cfg = loaded?;
    let out = PathBuf::from(args.out.clone().unwrap_or(cfg.out));
    let (dialect, source) = match args.dialect.as_deref() {
        Some(d) => (d, "--dialect".to_string()),
        None => (cfg.dialect.name(), format!("the config {}", path.display())),
    };
    same_dialect(&out, Some(dialect), &source)?;
    Ok(out)
}

/// E0003 when the folder's journal is of another dialect than `dialect` (from `source`); a
/// journal that does not read is left to `check`.
fn same_dialect(out: &Path, dialect: Option<&str>, source: &str) -> Result<(), Vec<Diagnostic>> {
    // turso folders are SQLite folders.
    let Some(dialect) = dialect.map(|d| if d == "turso" { "sqlite" } else { d }) else {
        return Ok(());
    };
    let journal = out.join("meta").join("_journal.json");
    let Some(mut found) = std::fs::read_to_string(&journal)
        .ok()
        .and_then(|t| snapshot::read_journal(&journal, &t).ok())
    else {
        return Ok(());
    };
    // The snapshots' dialect wins over the journal's (W6014, reported by `check`).
    if let Some(theirs) = folder::snapshots_dialect_over_journal(&found, |name| {
        std::fs::read_to_string(out.join("meta").join(name)).ok()
    }) {
        found.dialect = theirs;
    }
    if snapshot::dialect_of(&found.dialect).map(|d| d.name()) == Some(dialect) {
        return Ok(());
    }
    Err(vec![
        Diagnostic::error(
            codes::CONFIG_UNKNOWN_VALUE,
            format!(
                "{} is the journal of a {} folder, but the dialect is {dialect}",
                journal.display(),
                found.dialect
            ),
        )
        .with_note(format!("the dialect comes from {source}")),
    ])
}

/// Reads the folder's journal, snapshots and SQL file names and checks them (every snapshot
/// whole). Only I/O failures are `Err`; what `check` finds is in `checked`.
pub fn load(out_dir: &Path, sources: &mut Sources) -> Result<Folder, Vec<Diagnostic>> {
    load_to(out_dir, sources, Depth::Full)
}

/// [`load`], reading the snapshots to `depth`. The texts go into `sources` for diagnostics; for
/// `build` ([`Depth::Last`]) only when the check reports something (they are megabytes for a
/// large schema, and `build` reports nothing else in them).
fn load_to(out_dir: &Path, sources: &mut Sources, depth: Depth) -> Result<Folder, Vec<Diagnostic>> {
    let mut files = FolderFiles {
        out: out_dir.to_path_buf(),
        ..FolderFiles::default()
    };
    let exists = out_dir.is_dir();
    let mut errors = Vec::new();
    for name in list(out_dir, &mut errors) {
        let path = out_dir.join(&name);
        if name.ends_with(".sql") && path.is_file() {
            files.sql_files.insert(name);
        } else if name != "meta" && is_v1_migration(&path) {
            files.v1_migrations.push(name);
        }
    }
    let meta = out_dir.join("meta");
    for name in list(&meta, &mut errors) {
        if !name.ends_with(".json") {
            continue;
        }
        let path = meta.join(&name);
        match read_text(&path) {
            Ok(text) => {
                if name == "_journal.json" {
                    files.journal = Some(text);
                } else {
                    files.snapshots.insert(name, text);
                }
            }
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let checked = folder::check_with(&files, depth);
    if depth == Depth::Full || !checked.diagnostics.is_empty() {
        if let Some(text) = &files.journal {
            sources.insert(files.journal_path(), text.clone());
        }
        for (name, text) in &files.snapshots {
            sources.insert(files.snapshot_path(name), text.clone());
        }
    }
    Ok(Folder {
        files,
        checked,
        exists,
    })
}

/// A folder of drizzle-kit v1's layout (`<timestamp>_<name>/migration.sql`, `snapshot.json`).
pub fn is_v1_migration(dir: &Path) -> bool {
    dir.join("migration.sql").is_file() || dir.join("snapshot.json").is_file()
}

/// The file names in `dir` (none when it does not exist), sorted.
fn list(dir: &Path, errors: &mut Vec<Diagnostic>) -> Vec<String> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            errors.push(folder_error(format!("cannot read {}: {e}", dir.display())));
            return Vec::new();
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn read_text(path: &Path) -> Result<String, Diagnostic> {
    std::fs::read_to_string(path)
        .map_err(|e| folder_error(format!("cannot read {}: {e}", path.display())))
}

/// For `build`: the folder's journal and last snapshot (`None` when it has no migrations yet),
/// with the warnings `check` found; `Err` with every problem when the folder is not consistent,
/// so that nothing is built on top of it.
#[allow(clippy::type_complexity)]
pub fn read_folder(
    out_dir: &Path,
    sources: &mut Sources,
) -> Result<(Option<(Journal, PgSnapshot)>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let folder = load_to(out_dir, sources, Depth::Last)?;
    let Checked {
        journal,
        snapshots,
        diagnostics,
    } = folder.checked;
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    let last = snapshots.into_iter().last().flatten();
    match (journal, last) {
        (Some(journal), Some(last)) if !journal.entries.is_empty() => {
            Ok((Some((journal, last)), diagnostics))
        }
        _ => Ok((None, diagnostics)),
    }
}

pub fn folder_error(message: String) -> Diagnostic {
    Diagnostic::error(codes::MIGRATIONS_FOLDER, message)
}

/// Replaces (or creates) `path` with `text` atomically: a temporary file in the same folder,
/// then one rename, so a reader sees the old file or the new one, never half of one.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let io = |e: std::io::Error| folder_error(format!("cannot write {}: {e}", path.display()));
    let mut tmp = tempfile::Builder::new()
        .prefix(".schemac-")
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(text.as_bytes()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Prints the diagnostics of a command that failed and returns `code`.
pub fn fail(out: &Output, diags: &[Diagnostic], sources: &Sources, code: u8) -> u8 {
    out.diagnostics(diags, sources);
    if out.format == Format::Json {
        out.json(diags, sources, serde_json::json!({ "ok": false }));
    }
    code
}

/// Prints the diagnostics (warnings) and the result of a command that succeeded: `line` for
/// people, `fields` (plus `ok: true`) in JSON.
pub fn succeed(
    out: &Output,
    diags: &[Diagnostic],
    sources: &Sources,
    line: &str,
    fields: serde_json::Value,
) -> u8 {
    out.diagnostics(diags, sources);
    match out.format {
        Format::Human => {
            let _ = writeln!(std::io::stdout().lock(), "{line}");
        }
        Format::Json => {
            let mut doc = serde_json::json!({ "ok": true });
            if let (Some(d), serde_json::Value::Object(more)) = (doc.as_object_mut(), fields) {
                d.extend(more);
            }
            out.json(diags, sources, doc);
        }
    }
    0
}
