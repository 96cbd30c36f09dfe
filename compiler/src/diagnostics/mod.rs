//! The one diagnostic model of schemac: every error or warning, from the lexer to codegen, is a
//! [`Diagnostic`] value with a code, a message and labelled spans. Rendering happens once, at the
//! edge ([`render`]): for a terminal (ariadne) or as JSON.

pub mod render;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::span::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Where a label points: a byte range of one file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: Arc<Path>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    pub location: Location,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// One sentence: what is wrong.
    pub message: String,
    /// The primary location first, then secondary ones. Empty for errors about no file in
    /// particular (e.g. a missing config file).
    pub labels: Vec<Label>,
    /// Facts that explain the error.
    pub notes: Vec<String>,
    /// How to fix it. (Boxed `str`s keep the diagnostic small: it is the error of many
    /// results.)
    pub help: Option<Box<str>>,
    /// The name the diagnostic is about, for commands that act on it (not rendered). A thin
    /// box, for the same reason.
    pub subject: Option<Box<String>>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
            subject: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn with_label(mut self, file: &Arc<Path>, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            location: Location {
                file: file.clone(),
                span,
            },
            message: message.into(),
        });
        self
    }

    pub fn with_location(mut self, location: &Location, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            location: location.clone(),
            message: message.into(),
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into().into_boxed_str());
        self
    }

    pub fn with_subject(mut self, name: impl Into<String>) -> Self {
        self.subject = Some(Box::new(name.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The primary location, if the diagnostic has one.
    pub fn primary(&self) -> Option<&Location> {
        self.labels.first().map(|l| &l.location)
    }
}

/// A stable diagnostic code, `E` + four digits. The first digit is the stage:
/// 0 config/CLI, 1 syntax, 2 modules, 3 evaluation, 4 schema builders, 5 semantic checks,
/// 6 the migrations folder, 7 renames, 8 the migration runner. Warnings start with `W`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code(pub &'static str);

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Every code schemac emits, in one place so they stay unique. `spec/diagnostics.md` lists them.
pub mod codes {
    use super::Code;

    // config and command line
    pub const CONFIG_NOT_FOUND: Code = Code("E0001");
    pub const CONFIG_INVALID: Code = Code("E0002");
    pub const CONFIG_UNKNOWN_VALUE: Code = Code("E0003");
    pub const NO_SCHEMA_FILES: Code = Code("E0004");
    pub const IO: Code = Code("E0005");
    pub const CLI_CONFLICT: Code = Code("E0006");
    pub const ENV_MISSING: Code = Code("W0007");
    pub const CLI_NEEDS_CHOICE: Code = Code("E0008");
    pub const CONFIG_DRIVER: Code = Code("W0009");
    pub const SCHEMA_ENTRY_UNMATCHED: Code = Code("W0010");
    // syntax
    pub const SYNTAX: Code = Code("E1001");
    // modules
    pub const UNRESOLVED_IMPORT: Code = Code("E2001");
    pub const MISSING_EXPORT: Code = Code("E2002");
    pub const IMPORT_CYCLE: Code = Code("E2003");
    pub const RESOLVE_CONFIG: Code = Code("W2004");
    // evaluation
    pub const UNDEFINED_NAME: Code = Code("E3001");
    pub const NOT_CALLABLE: Code = Code("E3002");
    pub const OPAQUE_VALUE: Code = Code("E3003");
    pub const UNSUPPORTED_SYNTAX: Code = Code("E3004");
    pub const BAD_OPERATION: Code = Code("E3005");
    pub const EVAL_LIMIT: Code = Code("E3006");
    pub const THROWN: Code = Code("E3007");
    pub const UNINITIALIZED: Code = Code("E3008");
    pub const EXPORT_FROM_CLASS: Code = Code("W3009");
    pub const EXPORT_UNKNOWN: Code = Code("W3010");
    pub const EXPORT_AMBIGUOUS: Code = Code("W3011");
    // builders
    pub const UNKNOWN_BUILDER: Code = Code("E4001");
    pub const BAD_ARGUMENT: Code = Code("E4002");
    pub const UNSUPPORTED_BUILDER: Code = Code("E4003");
    pub const WRONG_DIALECT: Code = Code("E4004");
    pub const UNKNOWN_METHOD: Code = Code("E4005");
    pub const OTHER_DIALECT: Code = Code("W4006");
    pub const IGNORED_ITEM: Code = Code("W4007");
    pub const SCHEMA_TABLE_SKIPPED: Code = Code("W4008");
    pub const UNKNOWN_OPTION: Code = Code("W4009");
    pub const OTHER_TABLE_COLUMN: Code = Code("W4010");
    // semantic checks
    pub const DUPLICATE_NAME: Code = Code("E5001");
    pub const UNKNOWN_REFERENCE: Code = Code("E5002");
    pub const FK_TYPE_MISMATCH: Code = Code("E5003");
    pub const ENUM_DEFAULT: Code = Code("E5004");
    pub const NAME_TOO_LONG: Code = Code("W5005");
    pub const INDEX_NEEDS_NAME: Code = Code("E5006");
    pub const VECTOR_OPCLASS: Code = Code("E5007");
    pub const EMPTY_TABLE: Code = Code("E5008");
    pub const NOT_EXPORTED: Code = Code("W5009");
    pub const POLICY_NOT_LINKED: Code = Code("W5010");
    pub const IDENT_TOO_LONG: Code = Code("E5011");
    pub const IDENT_TOO_LONG_KEPT: Code = Code("W5014");
    pub const TWO_PRIMARY_KEYS: Code = Code("W5012");
    pub const ENUM_REDECLARED: Code = Code("W5013");
    pub const COLUMN_PRIMARY_KEYS: Code = Code("E5015");
    pub const TABLE_REDECLARED: Code = Code("W5016");
    pub const DEFAULT_TYPE: Code = Code("W5017");
    pub const MYSQL_TEXT_PRIMARY_KEY: Code = Code("E5018");
    pub const MYSQL_TEXT_KEY: Code = Code("W5019");
    pub const SQLITE_DEFAULT_EXPRESSION: Code = Code("E5020");
    pub const MYSQL_AUTO_INCREMENT: Code = Code("E5021");
    // migrations folder
    pub const SNAPSHOT_INVALID: Code = Code("E6001");
    pub const SNAPSHOT_VERSION: Code = Code("E6002");
    pub const MIGRATIONS_FOLDER: Code = Code("E6003");
    pub const DIFF_UNSUPPORTED: Code = Code("E6004");
    pub const FOLDER_UNTRACKED_SNAPSHOT: Code = Code("E6005");
    pub const FOLDER_UNTRACKED_SQL: Code = Code("W6006");
    pub const FOLDER_CHAIN: Code = Code("E6007");
    pub const FOLDER_DUPLICATE_ID: Code = Code("E6008");
    pub const FOLDER_COLLISION: Code = Code("E6009");
    pub const DROPPED_BELOW_OTHERS: Code = Code("W6010");
    pub const FOLDER_CHAIN_BUILD: Code = Code("W6011");
    pub const FOLDER_SNAPSHOT_GAP: Code = Code("W6012");
    pub const FOLDER_WHEN_ORDER: Code = Code("W6013");
    pub const FOLDER_JOURNAL_DIALECT: Code = Code("W6014");
    // renames
    pub const ANNOTATION_IGNORED: Code = Code("W7001");
    pub const ANNOTATION_INVALID: Code = Code("E7002");
    pub const RENAME_UNANSWERED: Code = Code("E7003");
    pub const RENAME_HINT_UNUSED: Code = Code("E7004");
    pub const RENAME_HINT_INVALID: Code = Code("E7005");
    pub const ANNOTATION_UNUSED: Code = Code("W7006");
    // the migration runner (migrate, status)
    pub const DB_CREDENTIALS: Code = Code("E8001");
    pub const DB_CONNECT: Code = Code("E8002");
    pub const MIGRATION_FAILED: Code = Code("E8003");
    pub const MIGRATION_MODIFIED: Code = Code("E8004");
    pub const MIGRATION_OUT_OF_ORDER: Code = Code("E8005");
    pub const OUT_OF_ORDER_APPLIED: Code = Code("W8006");
    pub const MODIFIED_ACCEPTED: Code = Code("W8007");
    pub const APPLIED_UNKNOWN: Code = Code("W8008");
    pub const MIGRATIONS_TABLE: Code = Code("E8009");
    pub const LOCK_TIMEOUT: Code = Code("E8010");
    // live databases (push, pull)
    pub const INTROSPECT_FAILED: Code = Code("E8011");
    pub const PUSH_FAILED: Code = Code("E8012");
    pub const PUSH_BLOCKED: Code = Code("E8013");
    pub const DATA_LOSS: Code = Code("E8014");
}

/// A file's text with its line starts, to turn byte offsets into line:column.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line + 1, col + 1)
    }
}

/// The sources diagnostics point into, for rendering.
pub trait SourceTexts {
    fn text(&self, file: &Path) -> Option<&str>;
}

impl SourceTexts for std::collections::HashMap<PathBuf, String> {
    fn text(&self, file: &Path) -> Option<&str> {
        self.get(file).map(String::as_str)
    }
}

/// The byte offset of the first merge-conflict marker line (`<<<<<<<` or `>>>>>>>` at a line
/// start) of a text, if it has one: a file left mid-merge.
pub fn conflict_marker(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("<<<<<<<") || line.starts_with(">>>>>>>") {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// Sorts diagnostics by file and position (stable for equal keys) and removes exact duplicates.
pub fn sort_and_dedup(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        let ka = a.primary().map(|l| (l.file.clone(), l.span.start));
        let kb = b.primary().map(|l| (l.file.clone(), l.span.start));
        ka.cmp(&kb)
    });
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| seen.insert(d.clone()));
}
