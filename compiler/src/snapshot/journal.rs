//! `meta/_journal.json`: the list of migrations of a drizzle-kit folder.

use serde::{Deserialize, Serialize};

/// The journal's own `version`: `"7"` for every dialect.
pub const JOURNAL_VERSION: &str = "7";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    pub version: String,
    /// `postgresql`, `mysql`, `sqlite` (turso folders say `sqlite`), `singlestore`.
    pub dialect: String,
    pub entries: Vec<JournalEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub idx: u32,
    /// The snapshot version of that migration (`"7"` for PostgreSQL).
    pub version: String,
    /// Milliseconds since the Unix epoch at generate time; the migrator's ordering key.
    pub when: u64,
    pub tag: String,
    pub breakpoints: bool,
}

impl Journal {
    /// The journal of a new folder.
    pub fn new(dialect: &str) -> Journal {
        Journal {
            version: JOURNAL_VERSION.into(),
            dialect: dialect.into(),
            entries: Vec::new(),
        }
    }

    /// The index of the next migration: the last entry's `idx + 1`, or 0.
    pub fn next_idx(&self) -> u32 {
        self.entries.last().map_or(0, |e| e.idx + 1)
    }
}
