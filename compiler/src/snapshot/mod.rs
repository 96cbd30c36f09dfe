//! drizzle-kit's migration-folder documents: the PostgreSQL snapshot (version 7) and
//! `meta/_journal.json`. See `spec/snapshots.md`.
//!
//! One entry point per direction:
//! - [`from_schema`]: Schema IR → [`PgSnapshot`]
//! - [`to_json`]: [`PgSnapshot`] → the text drizzle-kit writes
//! - [`read`]: snapshot text → [`PgSnapshot`], or a located [`Diagnostic`]
//!
//! and the same pair for the journal ([`journal_to_json`], [`read_journal`]); [`folder::check`]
//! validates a whole folder and [`upgrade`] lifts older snapshots to version 7. Pure: callers do
//! the file I/O.

pub mod folder;
mod from_schema;
pub mod journal;
pub mod pg;
mod stringify;
mod upgrade;

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, LineIndex, codes};
use crate::span::Span;

pub use from_schema::from_schema;
pub use journal::{Journal, JournalEntry};
pub use pg::{ORIGIN_UUID, PgSnapshot};
pub use upgrade::{Upgrade, upgrade};

use stringify::stringify;

/// The snapshot as drizzle-kit writes `meta/<prefix>_snapshot.json`.
pub fn to_json(snapshot: &PgSnapshot) -> String {
    // About 2.5 KB a table (drizzle-kit's pretty-printing is verbose); reserving that up front
    // saves growing and copying a buffer of megabytes for a large schema.
    stringify(snapshot, 4096 + snapshot.tables.len() * 2560)
}

/// The journal as drizzle-kit writes `meta/_journal.json` (2-space indentation, no trailing
/// newline).
pub fn journal_to_json(journal: &Journal) -> String {
    stringify(journal, 256 + journal.entries.len() * 128)
}

/// Reads a PostgreSQL snapshot. `file` is only used to locate errors: corrupt JSON and wrong
/// shapes point at the line and column serde_json reports; a snapshot of an older version says to
/// run `schemac up`, a newer one that schemac cannot read it.
pub fn read(file: &Path, text: &str) -> Result<PgSnapshot, Box<Diagnostic>> {
    let file: Arc<Path> = Arc::from(file);
    match serde_json::from_str::<PgSnapshot>(text) {
        Ok(snapshot) => {
            let header = Header {
                version: Some(serde_json::Value::String(snapshot.version.clone())),
                dialect: Some(serde_json::Value::String(snapshot.dialect.clone())),
            };
            check_header(&file, &header)?;
            Ok(snapshot)
        }
        // Only when the whole does not read, `version` and `dialect` alone (the rest skipped), so
        // that an old snapshot gets "run `schemac up`", not a shape error. Reading the header
        // first every time would scan a large snapshot twice.
        Err(e) => {
            let header: Header =
                serde_json::from_str(text).map_err(|e| json_error(&file, text, &e, "snapshot"))?;
            check_header(&file, &header)?;
            Err(json_error(&file, text, &e, "snapshot"))
        }
    }
}

/// Reads only a snapshot's version (checked as [`read`] checks it), `id` and `prevId`: the rest
/// of the text is scanned, not built.
pub fn read_ids(file: &Path, text: &str) -> Result<(String, String), Box<Diagnostic>> {
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
    check_header(
        &file,
        &Header {
            version: ids.version,
            dialect: ids.dialect,
        },
    )?;
    Ok((ids.id, ids.prev_id))
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

fn check_header(file: &Arc<Path>, header: &Header) -> Result<(), Box<Diagnostic>> {
    let whole = Span::new(0, 0);
    let dialect = header.dialect.as_ref().and_then(|d| d.as_str());
    // `pg` is the name snapshots before version 7 use; `postgres` drizzle-kit's v1 beta's. Both
    // get the version check instead.
    if dialect.is_some_and(|d| !matches!(d, "postgresql" | "postgres" | "pg")) {
        return Err(Box::new(
            Diagnostic::error(
                codes::SNAPSHOT_INVALID,
                format!(
                    "this is a {} snapshot; only PostgreSQL snapshots can be read so far",
                    dialect.unwrap_or_default()
                ),
            )
            .with_label(file, whole, "this file"),
        ));
    }
    // drizzle-kit writes the version as a string; anything else is not a snapshot.
    let version = header.version.as_ref().map_or(String::new(), |v| {
        v.as_str().map_or(v.to_string(), str::to_string)
    });
    let is_string = matches!(header.version, Some(serde_json::Value::String(_)));
    let number = version.parse::<u32>().ok().filter(|_| is_string);
    match number {
        Some(7) => Ok(()),
        Some(n) if n < 7 => Err(Box::new(
            Diagnostic::error(
                codes::SNAPSHOT_VERSION,
                format!(
                    "this snapshot is of version {n}; schemac reads version {}",
                    pg::VERSION
                ),
            )
            .with_label(file, whole, "this file")
            .with_help("run `schemac up` to upgrade the migrations folder"),
        )),
        Some(n) => Err(Box::new(
            Diagnostic::error(
                codes::SNAPSHOT_VERSION,
                format!(
                    "this snapshot is of version {n}, newer than schemac reads ({})",
                    pg::VERSION
                ),
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
    let (line, col) = LineIndex::new(text).line_col(offset);
    Box::new(
        Diagnostic::error(codes::SNAPSHOT_INVALID, format!("this {what} {problem}"))
            .with_label(file, Span::new(offset, offset), message)
            .with_note(format!("at {}:{line}:{col}", file.display())),
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
