//! drizzle-kit's migration-folder documents: the snapshots (PostgreSQL version 7, MySQL version
//! 5, SQLite version 6) and `meta/_journal.json`. See `spec/snapshots.md`.
//!
//! Every dialect's snapshot is held in one model, [`PgSnapshot`] (PostgreSQL's shape, a superset
//! of the others: `pg.rs`); `mysql.rs` and `sqlite.rs` are those dialects' files, converted to
//! and from the model (`file.rs` holds what they share). One entry point per direction:
//! - [`from_schema`]: Schema IR → [`PgSnapshot`]
//! - [`to_json`]: [`PgSnapshot`] → the text drizzle-kit writes for its dialect
//! - [`read`]: snapshot text of any dialect → [`PgSnapshot`], or a located [`Diagnostic`]
//!
//! and the same pair for the journal ([`journal_to_json`], [`read_journal`]); [`folder::check`]
//! validates a whole folder and [`upgrade`] lifts older snapshots to version 7. Pure: callers do
//! the file I/O.

pub mod file;
pub mod folder;
mod from_schema;
pub mod journal;
pub mod live;
pub mod mysql;
pub mod pg;
pub mod sqlite;
mod stringify;
mod upgrade;

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, codes};
use crate::schema::Dialect;
use crate::span::Span;

pub use from_schema::{from_schema, version};
pub use journal::{Journal, JournalEntry};
pub use pg::{ORIGIN_UUID, PgSnapshot};
pub use upgrade::{Upgrade, upgrade};

use stringify::stringify;

/// The snapshot as drizzle-kit writes `meta/<prefix>_snapshot.json`, in the file format of its
/// `dialect`.
pub fn to_json(snapshot: &PgSnapshot) -> String {
    // About 2.5 KB a table (drizzle-kit's pretty-printing is verbose); reserving that up front
    // saves growing and copying a buffer of megabytes for a large schema.
    let size = 4096 + snapshot.tables.len() * 2560;
    match dialect_of(&snapshot.dialect) {
        Some(Dialect::Mysql) => stringify(&mysql::Snapshot::from_model(snapshot), size),
        Some(Dialect::Sqlite) => stringify(&sqlite::Snapshot::from_model(snapshot), size),
        _ => stringify(snapshot, size),
    }
}

/// The dialect a snapshot's or journal's `dialect` names: `pg` is the name snapshots before
/// version 7 use, `postgres` drizzle-kit's v1 beta's; turso folders say `sqlite`.
pub fn dialect_of(name: &str) -> Option<Dialect> {
    match name {
        "postgresql" | "postgres" | "pg" => Some(Dialect::Postgresql),
        "mysql" => Some(Dialect::Mysql),
        "sqlite" => Some(Dialect::Sqlite),
        _ => None,
    }
}

/// The dialect named near the start of a snapshot: MySQL and SQLite files begin with
/// `version` and `dialect`, PostgreSQL's with `id, prevId, version, dialect`. `None` when it is
/// not there (a hand-edited file): [`read`] then finds it from the whole text.
fn sniff_dialect(text: &str) -> Option<Dialect> {
    let head = &text.as_bytes()[..text.len().min(512)];
    let key = b"\"dialect\"";
    let at = head.windows(key.len()).position(|w| w == key)? + key.len();
    let rest = &head[at..];
    let skip = |b: &[u8], what: &[u8]| {
        let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
        b[n..].strip_prefix(what).map(<[u8]>::to_vec)
    };
    let value = skip(&skip(rest, b":")?, b"\"")?;
    let end = value.iter().position(|&c| c == b'"')?;
    dialect_of(std::str::from_utf8(&value[..end]).ok()?)
}

/// The journal as drizzle-kit writes `meta/_journal.json` (2-space indentation, no trailing
/// newline).
pub fn journal_to_json(journal: &Journal) -> String {
    stringify(journal, 256 + journal.entries.len() * 128)
}

/// Reads a snapshot of any dialect into the model. `file` is only used to locate errors: corrupt
/// JSON and wrong shapes point at the line and column serde_json reports; a PostgreSQL snapshot
/// of an older version says to run `schemac up`, a newer one that schemac cannot read it.
pub fn read(file: &Path, text: &str) -> Result<PgSnapshot, Box<Diagnostic>> {
    let file: Arc<Path> = Arc::from(file);
    read_as(
        &file,
        text,
        sniff_dialect(text).unwrap_or(Dialect::Postgresql),
    )
}

fn read_as(file: &Arc<Path>, text: &str, dialect: Dialect) -> Result<PgSnapshot, Box<Diagnostic>> {
    let parsed = match dialect {
        Dialect::Postgresql => serde_json::from_str::<PgSnapshot>(text).map(|mut s| {
            pg::fill_type_schemas(&mut s);
            s
        }),
        Dialect::Mysql => serde_json::from_str::<mysql::Snapshot>(text).map(|s| s.into_model()),
        Dialect::Sqlite => serde_json::from_str::<sqlite::Snapshot>(text).map(|s| s.into_model()),
    };
    match parsed {
        Ok(snapshot) => {
            let header = Header {
                version: Some(serde_json::Value::String(snapshot.version.clone())),
                dialect: Some(serde_json::Value::String(snapshot.dialect.clone())),
            };
            match check_header(file, &header)? {
                d if d == dialect => Ok(snapshot),
                // A file of another dialect that happens to have this one's shape.
                other => read_as(file, text, other),
            }
        }
        // Only when the whole does not read, `version` and `dialect` alone (the rest skipped), so
        // that an old snapshot gets "run `schemac up`", not a shape error, and a file whose
        // dialect was not found near its start is read as its dialect's. Reading the header
        // first every time would scan a large snapshot twice.
        Err(e) => {
            let header: Header =
                serde_json::from_str(text).map_err(|e| json_error(file, text, &e, "snapshot"))?;
            match check_header(file, &header)? {
                d if d == dialect => Err(json_error(file, text, &e, "snapshot")),
                other => read_as(file, text, other),
            }
        }
    }
}

/// Reads only a snapshot's version and dialect (checked as [`read`] checks them), `id` and
/// `prevId`: the rest of the text is scanned, not built.
pub fn read_ids(file: &Path, text: &str) -> Result<(String, String, Dialect), Box<Diagnostic>> {
    #[derive(serde::Deserialize)]
    struct Ids {
        #[serde(default)]
        version: Option<serde_json::Value>,
        #[serde(default)]
        dialect: Option<serde_json::Value>,
        id: String,
        #[serde(rename = "prevId")]
        prev_id: String,
    }
    let file: Arc<Path> = Arc::from(file);
    let ids: Ids =
        serde_json::from_str(text).map_err(|e| json_error(&file, text, &e, "snapshot"))?;
    let dialect = check_header(
        &file,
        &Header {
            version: ids.version,
            dialect: ids.dialect,
        },
    )?;
    Ok((ids.id, ids.prev_id, dialect))
}

#[derive(serde::Deserialize)]
struct Header {
    #[serde(default)]
    version: Option<serde_json::Value>,
    #[serde(default)]
    dialect: Option<serde_json::Value>,
}

/// Reads `meta/_journal.json`.
pub fn read_journal(file: &Path, text: &str) -> Result<Journal, Box<Diagnostic>> {
    let file: Arc<Path> = Arc::from(file);
    serde_json::from_str(text).map_err(|e| json_error(&file, text, &e, "journal"))
}

/// Checks a snapshot's `dialect` and `version`, and returns the dialect (PostgreSQL when the
/// file names none).
fn check_header(file: &Arc<Path>, header: &Header) -> Result<Dialect, Box<Diagnostic>> {
    let whole = Span::new(0, 0);
    let name = header.dialect.as_ref().and_then(|d| d.as_str());
    // `pg` (before version 7) and `postgres` (the v1 beta) get the version check.
    let dialect = match name.map(dialect_of) {
        None => Dialect::Postgresql,
        Some(Some(d)) => d,
        Some(None) => {
            return Err(Box::new(
                Diagnostic::error(
                    codes::SNAPSHOT_INVALID,
                    format!(
                        "this is a {} snapshot; schemac reads PostgreSQL, MySQL and SQLite snapshots",
                        name.unwrap_or_default()
                    ),
                )
                .with_label(file, whole, "this file"),
            ));
        }
    };
    let expected = version(dialect);
    // drizzle-kit writes the version as a string; anything else is not a snapshot.
    let version = header.version.as_ref().map_or(String::new(), |v| {
        v.as_str().map_or(v.to_string(), str::to_string)
    });
    let is_string = matches!(header.version, Some(serde_json::Value::String(_)));
    let number = version.parse::<u32>().ok().filter(|_| is_string);
    let expected_number: u32 = expected.parse().unwrap_or_default();
    match number {
        Some(n) if n == expected_number => Ok(dialect),
        Some(n) if n < expected_number && dialect == Dialect::Postgresql => Err(Box::new(
            Diagnostic::error(
                codes::SNAPSHOT_VERSION,
                format!("this snapshot is of version {n}; schemac reads version {expected}"),
            )
            .with_label(file, whole, "this file")
            .with_help("run `schemac up` to upgrade the migrations folder"),
        )),
        Some(n) if n < expected_number => Err(Box::new(
            Diagnostic::error(
                codes::SNAPSHOT_VERSION,
                format!(
                    "this {} snapshot is of version {n}; schemac reads version {expected}",
                    dialect.name()
                ),
            )
            .with_label(file, whole, "this file")
            .with_help("upgrade the folder with drizzle-kit up (`schemac up` upgrades PostgreSQL folders only)"),
        )),
        Some(n) => Err(Box::new(
            Diagnostic::error(
                codes::SNAPSHOT_VERSION,
                format!("this snapshot is of version {n}, newer than schemac reads ({expected})"),
            )
            .with_label(file, whole, "this file")
            .with_help("it was written by a newer drizzle-kit; update schemac"),
        )),
        None => Err(Box::new(
            Diagnostic::error(
                codes::SNAPSHOT_INVALID,
                format!("a snapshot needs a `version` string, found `{version}`"),
            )
            .with_label(file, whole, "this file"),
        )),
    }
}

fn json_error(file: &Arc<Path>, text: &str, e: &serde_json::Error, what: &str) -> Box<Diagnostic> {
    let offset = offset_of(text, e.line(), e.column());
    let problem = match e.classify() {
        serde_json::error::Category::Data => "does not have drizzle-kit's shape",
        serde_json::error::Category::Eof => "is cut short",
        _ => "is not valid JSON",
    };
    // serde_json's message ends with " at line L column C"; the label carries the position.
    let message = e.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_string();
    let help = if crate::diagnostics::conflict_marker(text).is_some() {
        "it holds merge-conflict markers: resolve the conflict by hand (a journal keeps the \
         entries of both branches, in order; a snapshot is best generated again: `schemac drop` \
         the later migration and build it again), then run `schemac check`"
    } else {
        "restore it from version control, or fix it by hand and run `schemac check`"
    };
    Box::new(
        Diagnostic::error(codes::SNAPSHOT_INVALID, format!("this {what} {problem}"))
            .with_label(file, Span::new(offset, offset), message)
            .with_help(help),
    )
}

/// The byte offset of serde_json's 1-based line and (byte) column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut offset = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests;
