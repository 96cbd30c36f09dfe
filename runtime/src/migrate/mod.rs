//! The migration runner: which migrations of a drizzle-kit folder a database has (by identity,
//! [`classify`]), and applying the others ([`apply::migrate`]) into drizzle-orm's own migrations
//! table, so that drizzle-orm's `migrate()` and schemac each see the other's history.
//! See `spec/migrate.md`.

pub mod apply;

use sha2::{Digest, Sha256};

use crate::connect::Kind;

/// drizzle-kit's statement separator; the migrator splits every file on it.
pub const BREAKPOINT: &str = "--> statement-breakpoint";

/// A first line of a migration file that makes each of its statements run on its own, outside
/// any transaction (`CREATE INDEX CONCURRENTLY`, `VACUUM`). A SQL comment, so drizzle-orm
/// runs the file unchanged.
pub const NO_TRANSACTION_MARKER: &str = "-- schemac:no-transaction";

/// One statement of a migration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Byte offset of `text` in the file.
    pub offset: usize,
    /// As drizzle-orm sends it (surrounding newlines kept).
    pub text: String,
}

/// One migration of the folder: a journal entry and its SQL file.
#[derive(Debug, Clone)]
pub struct LocalMigration {
    pub tag: String,
    /// The journal's `when`: the table's `created_at`.
    pub when: i64,
    /// sha256 (hex) of the file text as stored: the table's `hash`.
    pub hash: String,
    /// The statements that do something (pieces with only blanks and comments are left out:
    /// MySQL refuses an empty query).
    pub statements: Vec<Statement>,
    pub no_transaction: bool,
}

impl LocalMigration {
    pub fn new(tag: &str, when: i64, text: &str) -> LocalMigration {
        let mut statements = Vec::new();
        let mut offset = 0;
        for piece in text.split(BREAKPOINT) {
            if has_code(piece) {
                statements.push(Statement {
                    offset,
                    text: piece.to_string(),
                });
            }
            offset += piece.len() + BREAKPOINT.len();
        }
        LocalMigration {
            tag: tag.to_string(),
            when,
            hash: sha256_hex(text),
            statements,
            no_transaction: text
                .lines()
                .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with("--"))
                .any(|l| l.trim() == NO_TRANSACTION_MARKER),
        }
    }
}

/// Whether a piece of SQL has anything but blanks and `--` comments.
fn has_code(sql: &str) -> bool {
    sql.lines().any(|l| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with("--")
    })
}

/// sha256 of `text`, lowercase hex (what drizzle-orm stores).
pub fn sha256_hex(text: &str) -> String {
    use std::fmt::Write;
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for b in digest.iter() {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// The migrations table: drizzle-orm's name and place per dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// PostgreSQL only (`migrations.schema`, default `drizzle`); MySQL and SQLite use the
    /// connected database.
    pub schema: Option<String>,
    pub name: String,
}

impl Table {
    /// `migrations.table` / `migrations.schema` of the config, as drizzle-orm uses them.
    pub fn new(kind: Kind, name: &str, schema: &str) -> Table {
        Table {
            schema: (kind == Kind::Postgres).then(|| schema.to_string()),
            name: name.to_string(),
        }
    }

    /// The quoted, qualified name.
    pub fn sql(&self, kind: Kind) -> String {
        let q = |s: &str| match kind {
            Kind::Mysql => format!("`{}`", s.replace('`', "``")),
            _ => format!("\"{}\"", s.replace('"', "\"\"")),
        };
        match &self.schema {
            Some(s) => format!("{}.{}", q(s), q(&self.name)),
            None => q(&self.name),
        }
    }

    /// For messages: `drizzle.__drizzle_migrations`.
    pub fn display(&self) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// A row of the migrations table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AppliedRow {
    pub hash: String,
    #[serde(rename = "createdAt")]
    pub created_at: i64,
}

/// Where a migration of the folder stands in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Applied,
    /// Not applied, newer than every applied one.
    Pending,
    /// Not applied, but older (journal `when`) than the newest applied migration: merged from
    /// another branch. drizzle-orm skips these silently.
    OutOfOrder,
    /// Applied (a row has its `when`), but the file changed since: the row's hash.
    Modified {
        applied_hash: String,
    },
}

impl State {
    pub fn name(&self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Pending => "pending",
            State::OutOfOrder => "out-of-order",
            State::Modified { .. } => "modified",
        }
    }
}

/// The database's history against the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// One state per local migration, in folder order.
    pub states: Vec<State>,
    /// Rows that match no migration of the folder (applied from another folder, or a file
    /// that was removed).
    pub unknown: Vec<AppliedRow>,
}

/// Which local migrations the rows account for. A row is a migration's when its hash is the
/// file's hash (identity, whatever the order); a row left over whose `created_at` is the `when`
/// of a migration left over is that migration, modified since.
pub fn classify(local: &[LocalMigration], rows: &[AppliedRow]) -> Status {
    let mut used = vec![false; rows.len()];
    let mut states: Vec<Option<State>> = vec![None; local.len()];
    // Same hash and same `when` first, so that two identical files each find their own row.
    for exact in [true, false] {
        for (i, m) in local.iter().enumerate() {
            if states[i].is_some() {
                continue;
            }
            if let Some(r) = (0..rows.len()).find(|&r| {
                !used[r] && rows[r].hash == m.hash && (!exact || rows[r].created_at == m.when)
            }) {
                used[r] = true;
                states[i] = Some(State::Applied);
            }
        }
    }
    for (i, m) in local.iter().enumerate() {
        if states[i].is_some() {
            continue;
        }
        if let Some(r) = (0..rows.len()).find(|&r| !used[r] && rows[r].created_at == m.when) {
            used[r] = true;
            states[i] = Some(State::Modified {
                applied_hash: rows[r].hash.clone(),
            });
        }
    }
    let newest = rows.iter().map(|r| r.created_at).max();
    let states = states
        .into_iter()
        .zip(local)
        .map(|(s, m)| match s {
            Some(s) => s,
            None if newest.is_some_and(|n| m.when < n) => State::OutOfOrder,
            None => State::Pending,
        })
        .collect();
    let unknown = rows
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(r, _)| r.clone())
        .collect();
    Status { states, unknown }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(m: &LocalMigration) -> AppliedRow {
        AppliedRow {
            hash: m.hash.clone(),
            created_at: m.when,
        }
    }

    #[test]
    fn splits_like_drizzle_and_hashes_the_file() {
        let text = "CREATE TABLE a (x int);\n--> statement-breakpoint\n-- only a comment\n--> statement-breakpoint\nCREATE INDEX i ON a (x);";
        let m = LocalMigration::new("0000_a", 1, text);
        assert_eq!(m.statements.len(), 2);
        assert_eq!(m.statements[1].offset, text.find("\nCREATE INDEX").unwrap());
        assert_eq!(m.hash, sha256_hex(text));
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(!m.no_transaction);
        let m = LocalMigration::new(
            "x",
            1,
            "-- schemac:no-transaction\nCREATE INDEX CONCURRENTLY i ON a (x);",
        );
        assert!(m.no_transaction);
    }

    #[test]
    fn pending_by_identity() {
        let a = LocalMigration::new("0000_a", 100, "CREATE TABLE a (x int);");
        let b = LocalMigration::new("0001_b", 200, "CREATE TABLE b (x int);");
        let c = LocalMigration::new("0002_c", 300, "CREATE TABLE c (x int);");
        // b merged from an older branch: a and c applied.
        let s = classify(&[a.clone(), b.clone(), c.clone()], &[row(&a), row(&c)]);
        assert_eq!(
            s.states,
            vec![State::Applied, State::OutOfOrder, State::Applied]
        );
        // c edited after it was applied.
        let c2 = LocalMigration::new("0002_c", 300, "CREATE TABLE c (y int);");
        let s = classify(&[a.clone(), b.clone(), c2], &[row(&a), row(&b), row(&c)]);
        assert_eq!(
            s.states[2],
            State::Modified {
                applied_hash: c.hash.clone()
            }
        );
        // A row of a migration the folder no longer has.
        let s = classify(std::slice::from_ref(&a), &[row(&a), row(&b)]);
        assert_eq!(s.states, vec![State::Applied]);
        assert_eq!(s.unknown, vec![row(&b)]);
        // Nothing applied.
        let s = classify(&[a, b], &[]);
        assert_eq!(s.states, vec![State::Pending, State::Pending]);
    }
}
