//! Applying pending migrations: under a lock, one transaction per file where the database
//! allows it, a row in the migrations table per file. See `spec/migrate.md`.

use std::ops::Range;
use std::time::{Duration, Instant};

use super::{AppliedRow, LocalMigration, State, Status, Table, classify};
use crate::connect::{Connection, Kind};
use crate::statements::{StatementError, statement_error};

/// What the caller allows.
#[derive(Debug, Clone)]
pub struct Options {
    /// Apply migrations older than the newest applied one (in folder order) instead of refusing.
    pub allow_out_of_order: bool,
    /// Go on when applied files have changed, recording their new hash.
    pub accept_modified: bool,
    /// How long to wait for another runner's lock.
    pub lock_timeout: Duration,
}

/// Progress, for the caller to show.
pub enum Event<'a> {
    /// Another runner holds the lock.
    Waiting,
    /// About to apply the `n`th (1-based) of `of` migrations.
    Applying {
        migration: &'a LocalMigration,
        n: usize,
        of: usize,
    },
    Applied {
        migration: &'a LocalMigration,
        elapsed: Duration,
    },
    /// Another runner applied it meanwhile (SQLite, which has no lock for the whole run).
    AppliedElsewhere { migration: &'a LocalMigration },
}

/// What a successful run did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Indices of the migrations applied, in order.
    pub applied: Vec<usize>,
    /// Of those, the ones that were out of order.
    pub out_of_order: Vec<usize>,
    /// Modified migrations accepted: index and the hash the table had.
    pub modified: Vec<(usize, String)>,
    /// Rows that match no migration of the folder.
    pub unknown: Vec<AppliedRow>,
}

/// Why a run stopped.
#[derive(Debug)]
pub enum Failure {
    /// Reading or writing the migrations table, or taking the lock, failed.
    Database(StatementError),
    /// The lock was not free within the timeout.
    LockTimeout(Duration),
    /// Nothing was applied: applied migrations whose files changed (index and the hash the
    /// table has) and migrations older than the newest applied one (indices), each empty when
    /// allowed or none.
    Refused {
        modified: Vec<(usize, String)>,
        out_of_order: Vec<usize>,
    },
    Statement(StatementFailure),
}

/// A migration that failed.
#[derive(Debug)]
pub struct StatementFailure {
    pub migration: usize,
    /// Index in the migration's `statements`; `None` when beginning, committing or recording
    /// the migration failed.
    pub statement: Option<usize>,
    pub error: StatementError,
    /// Byte offset in the file of the database's error position, when it gave one.
    pub at: Option<usize>,
    /// The statements of the file (`0..committed`) that were committed and stay applied.
    pub committed: usize,
    /// Migrations applied by this run before the failure.
    pub applied: Vec<usize>,
}

/// The dialect's SQL for the runner, as data.
struct Sql {
    kind: Kind,
    table: String,
    /// Quoted, qualified.
    create: Vec<String>,
    exists: String,
    rows: String,
    /// `None`: no lock for the run (SQLite: each file's `BEGIN IMMEDIATE` is the lock).
    try_lock: Option<String>,
    unlock: Option<String>,
}

impl Sql {
    fn new(kind: Kind, table: &Table) -> Sql {
        let t = table.sql(kind);
        let lit = |s: &str| format!("'{}'", s.replace('\'', "''"));
        let name = lit(&table.name);
        let (create, exists, created_at) = match kind {
            Kind::Postgres => {
                let schema = table.schema.as_deref().unwrap_or("drizzle");
                (
                    vec![
                        format!(
                            "CREATE SCHEMA IF NOT EXISTS \"{}\"",
                            schema.replace('"', "\"\"")
                        ),
                        format!(
                            "CREATE TABLE IF NOT EXISTS {t} (\n\t\t\tid SERIAL PRIMARY KEY,\n\t\t\thash text NOT NULL,\n\t\t\tcreated_at bigint\n\t\t)"
                        ),
                    ],
                    format!(
                        "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = {} AND tablename = {name}",
                        lit(schema)
                    ),
                    "created_at",
                )
            }
            Kind::Mysql => (
                vec![format!(
                    "create table if not exists {t} (\n\t\t\tid serial primary key,\n\t\t\thash text not null,\n\t\t\tcreated_at bigint\n\t\t)"
                )],
                format!(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = {name}"
                ),
                "created_at",
            ),
            Kind::Sqlite => (
                vec![format!(
                    "CREATE TABLE IF NOT EXISTS {t} (\n\t\t\tid SERIAL PRIMARY KEY,\n\t\t\thash text NOT NULL,\n\t\t\tcreated_at numeric\n\t\t)"
                )],
                format!(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = {name}"
                ),
                // `numeric`: read back as an integer whatever the driver stored.
                "CAST(created_at AS INTEGER)",
            ),
        };
        let (try_lock, unlock) = match kind {
            Kind::Postgres => {
                let key = lock_key(&table.display());
                (
                    Some(format!("SELECT pg_try_advisory_lock({key})::int::bigint")),
                    Some(format!("SELECT pg_advisory_unlock({key})")),
                )
            }
            Kind::Mysql => {
                // GET_LOCK names are server-wide and at most 64 characters.
                let lock = format!("CONCAT('schemac:', SHA1(CONCAT(DATABASE(), '.', {name})))");
                (
                    Some(format!("SELECT GET_LOCK({lock}, 0)")),
                    Some(format!("SELECT RELEASE_LOCK({lock})")),
                )
            }
            Kind::Sqlite => (None, None),
        };
        Sql {
            kind,
            rows: format!("SELECT hash, {created_at} FROM {t}"),
            table: t,
            create,
            exists,
            try_lock,
            unlock,
        }
    }

    fn insert(&self, m: &LocalMigration) -> String {
        // The hash is hex and `when` a number: nothing to escape.
        format!(
            "INSERT INTO {} (hash, created_at) VALUES ('{}', {})",
            self.table, m.hash, m.when
        )
    }
}

/// The advisory lock key of a migrations table: FNV-1a of its name, so runners of different
/// tables do not wait for each other.
fn lock_key(table: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in "schemac migrate ".bytes().chain(table.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h as i64
}

impl Connection {
    async fn rows(&mut self, sql: &str) -> Result<Vec<AppliedRow>, StatementError> {
        let q = sqlx::AssertSqlSafe(sql.to_string());
        let rows: Vec<(String, Option<i64>)> = match self {
            Connection::Postgres(c) => sqlx::query_as(q).fetch_all(c).await,
            Connection::Mysql(c) => sqlx::query_as(q).fetch_all(c).await,
            Connection::Sqlite(c) => sqlx::query_as(q).fetch_all(c).await,
        }
        .map_err(|e| statement_error(0, e))?;
        Ok(rows
            .into_iter()
            .map(|(hash, created_at)| AppliedRow {
                hash,
                created_at: created_at.unwrap_or(0),
            })
            .collect())
    }
}

/// The rows of the migrations table, without creating it (none when it does not exist).
pub async fn applied_rows(
    conn: &mut Connection,
    table: &Table,
) -> Result<Vec<AppliedRow>, StatementError> {
    let sql = Sql::new(conn.kind(), table);
    if conn.scalar(&sql.exists).await?.unwrap_or(0) == 0 {
        return Ok(Vec::new());
    }
    conn.rows(&sql.rows).await
}

/// The folder against the database, read only (`schemac status`).
pub async fn status(
    conn: &mut Connection,
    table: &Table,
    local: &[LocalMigration],
) -> Result<Status, StatementError> {
    Ok(classify(local, &applied_rows(conn, table).await?))
}

/// Applies what the database lacks of `local`, in folder order, under the dialect's lock.
pub async fn migrate(
    conn: &mut Connection,
    table: &Table,
    local: &[LocalMigration],
    options: &Options,
    on_event: &mut dyn FnMut(Event),
) -> Result<Outcome, Failure> {
    let sql = Sql::new(conn.kind(), table);
    if let Some(try_lock) = &sql.try_lock {
        let start = Instant::now();
        let mut waiting = false;
        while conn.scalar(try_lock).await.map_err(Failure::Database)? != Some(1) {
            if start.elapsed() >= options.lock_timeout {
                return Err(Failure::LockTimeout(options.lock_timeout));
            }
            if !waiting {
                on_event(Event::Waiting);
                waiting = true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let result = migrate_locked(conn, &sql, local, options, on_event).await;
    if let Some(unlock) = &sql.unlock {
        // Closing the connection releases it too.
        let _ = conn.exec(unlock, 0).await;
    }
    result
}

async fn migrate_locked(
    conn: &mut Connection,
    sql: &Sql,
    local: &[LocalMigration],
    options: &Options,
    on_event: &mut dyn FnMut(Event),
) -> Result<Outcome, Failure> {
    // Created only when missing: `CREATE SCHEMA IF NOT EXISTS` needs the CREATE privilege on
    // the database even when the schema exists, which a deploy user may not have.
    if conn.scalar(&sql.exists).await.map_err(Failure::Database)? == Some(0) {
        for (i, create) in sql.create.iter().enumerate() {
            conn.exec(create, i).await.map_err(Failure::Database)?;
        }
    }
    let status = classify(
        local,
        &conn.rows(&sql.rows).await.map_err(Failure::Database)?,
    );
    let mut outcome = Outcome {
        unknown: status.unknown,
        ..Outcome::default()
    };
    let mut pending = Vec::new();
    let mut out_of_order = Vec::new();
    for (i, s) in status.states.into_iter().enumerate() {
        match s {
            State::Applied => {}
            State::Pending => pending.push(i),
            State::OutOfOrder => {
                pending.push(i);
                out_of_order.push(i);
            }
            State::Modified { applied_hash } => outcome.modified.push((i, applied_hash)),
        }
    }
    // Every reason to refuse at once, so one run shows all that needs a decision.
    let refused_modified = if options.accept_modified {
        Vec::new()
    } else {
        outcome.modified.clone()
    };
    let refused_order = if options.allow_out_of_order {
        Vec::new()
    } else {
        out_of_order.clone()
    };
    if !refused_modified.is_empty() || !refused_order.is_empty() {
        return Err(Failure::Refused {
            modified: refused_modified,
            out_of_order: refused_order,
        });
    }
    outcome.out_of_order = out_of_order;
    for (i, old) in &outcome.modified {
        let m = &local[*i];
        let update = format!(
            "UPDATE {} SET hash = '{}' WHERE hash = '{old}' AND created_at = {}",
            sql.table, m.hash, m.when
        );
        conn.exec(&update, 0).await.map_err(Failure::Database)?;
    }
    for (n, &i) in pending.iter().enumerate() {
        let m = &local[i];
        on_event(Event::Applying {
            migration: m,
            n: n + 1,
            of: pending.len(),
        });
        let start = Instant::now();
        match apply_one(conn, sql, m).await {
            Ok(true) => {
                on_event(Event::Applied {
                    migration: m,
                    elapsed: start.elapsed(),
                });
                outcome.applied.push(i);
            }
            Ok(false) => on_event(Event::AppliedElsewhere { migration: m }),
            Err(mut f) => {
                f.migration = i;
                f.applied = outcome.applied;
                return Err(Failure::Statement(f));
            }
        }
    }
    Ok(outcome)
}

/// Statements that run and commit together.
#[derive(Debug, PartialEq, Eq)]
struct Unit {
    statements: Range<usize>,
    transaction: bool,
}

/// How a file runs. MySQL commits each DDL statement by itself, and a file marked
/// no-transaction asks for the same: one statement at a time. Otherwise one transaction, on
/// PostgreSQL committed after each run of `ALTER TYPE … ADD VALUE` whose values a later
/// statement names, because PostgreSQL refuses to use a new enum value in the transaction that
/// added it. A run whose values nothing later names stays in the one transaction, so that a
/// failure later in the file leaves nothing of it applied (what ran before could not be run
/// again: `CREATE TYPE` of a new enum, drizzle-kit's first statements).
fn units(kind: Kind, m: &LocalMigration) -> Vec<Unit> {
    let n = m.statements.len();
    if kind == Kind::Mysql || m.no_transaction {
        if n == 0 {
            return vec![Unit {
                statements: 0..0,
                transaction: false,
            }];
        }
        return (0..n)
            .map(|i| Unit {
                statements: i..i + 1,
                transaction: false,
            })
            .collect();
    }
    let mut units = Vec::new();
    let mut start = 0;
    if kind == Kind::Postgres {
        let mut added: Vec<&str> = Vec::new();
        for i in 0..n {
            let Some(value) = added_enum_value(&m.statements[i].text) else {
                continue;
            };
            added.push(value);
            let next = m
                .statements
                .get(i + 1)
                .is_some_and(|s| adds_enum_value(&s.text));
            let used_later = m.statements[i + 1..]
                .iter()
                .any(|s| added.iter().any(|v| s.text.contains(v)));
            if !next && used_later {
                units.push(Unit {
                    statements: start..i + 1,
                    transaction: true,
                });
                start = i + 1;
                added.clear();
            }
        }
    }
    units.push(Unit {
        statements: start..n,
        transaction: true,
    });
    units
}

/// The value `ALTER TYPE … ADD VALUE [IF NOT EXISTS] 'v' …` adds, as its quoted literal
/// (`'v'`).
fn added_enum_value(sql: &str) -> Option<&str> {
    if !adds_enum_value(sql) {
        return None;
    }
    let upper = sql.to_ascii_uppercase();
    let from = upper.find("ADD VALUE")?;
    let open = from + sql[from..].find('\'')?;
    let mut end = open + 1;
    let bytes = sql.as_bytes();
    while end < bytes.len() {
        if bytes[end] == b'\'' {
            if bytes.get(end + 1) == Some(&b'\'') {
                end += 2;
                continue;
            }
            return Some(&sql[open..=end]);
        }
        end += 1;
    }
    None
}

/// `ALTER TYPE … ADD VALUE …` (comments and case aside).
fn adds_enum_value(sql: &str) -> bool {
    let words: Vec<String> = sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .flat_map(str::split_whitespace)
        .map(str::to_ascii_uppercase)
        .collect();
    words.len() > 2
        && words[0] == "ALTER"
        && words[1] == "TYPE"
        && words.windows(2).any(|w| w[0] == "ADD" && w[1] == "VALUE")
}

/// What is sent for a statement: an `ADD VALUE` that commits before the rest of its file gains
/// `IF NOT EXISTS`, so running the file again after a later statement failed works. Also the
/// character index where text was inserted and how many characters, to map error positions back.
fn sent_text(unit_ends_early: bool, sql: &str) -> (String, Option<(usize, usize)>) {
    const ADD: &str = "ADD VALUE";
    const IF_NOT_EXISTS: &str = " IF NOT EXISTS";
    if !unit_ends_early || !adds_enum_value(sql) {
        return (sql.to_string(), None);
    }
    let upper = sql.to_ascii_uppercase();
    let Some(at) = upper.find(ADD).map(|p| p + ADD.len()) else {
        return (sql.to_string(), None);
    };
    if upper[at..].trim_start().starts_with("IF NOT EXISTS") {
        return (sql.to_string(), None);
    }
    let mut sent = sql.to_string();
    sent.insert_str(at, IF_NOT_EXISTS);
    (sent, Some((sql[..at].chars().count(), IF_NOT_EXISTS.len())))
}

/// A failure of the migration being applied (the caller fills in which and what ran before).
fn failed(
    statement: Option<usize>,
    error: StatementError,
    at: Option<usize>,
    committed: usize,
) -> StatementFailure {
    StatementFailure {
        migration: 0,
        statement,
        error,
        at,
        committed,
        applied: Vec::new(),
    }
}

/// `PRAGMA foreign_keys=OFF` (any spacing, case, `0`/`false`): drizzle-kit brackets SQLite
/// table rebuilds with it, but inside a transaction SQLite ignores it.
fn turns_foreign_keys_off(sql: &str) -> bool {
    let code: String = sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .flat_map(str::chars)
        .filter(|c| !c.is_whitespace() && *c != ';' && *c != '\'' && *c != '"')
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        code.as_str(),
        "pragmaforeign_keys=off"
            | "pragmaforeign_keys=0"
            | "pragmaforeign_keys=false"
            | "pragmaforeign_keys=no"
    )
}

/// Applies one file. `Ok(false)`: another runner recorded it meanwhile (SQLite).
async fn apply_one(
    conn: &mut Connection,
    sql: &Sql,
    m: &LocalMigration,
) -> Result<bool, StatementFailure> {
    run_file(conn, sql.kind, Some(sql), m, &mut |_| {}).await
}

/// Runs one file's statements (recorded in `record`'s table when given).
async fn run_file(
    conn: &mut Connection,
    kind: Kind,
    record: Option<&Sql>,
    m: &LocalMigration,
    on_statement: &mut dyn FnMut(usize),
) -> Result<bool, StatementFailure> {
    let units = units(kind, m);
    // A SQLite rebuild (`PRAGMA foreign_keys=OFF` … `DROP TABLE` …): turned off before the
    // transaction, where it takes effect, so that dropping the old table does not cascade to
    // other tables' rows; the keys are checked before the commit and turned on again after.
    let foreign_keys_off =
        kind == Kind::Sqlite && m.statements.iter().any(|s| turns_foreign_keys_off(&s.text));
    if foreign_keys_off {
        conn.exec("PRAGMA foreign_keys=OFF", 0)
            .await
            .map_err(|e| failed(None, e, None, 0))?;
    }
    let result = apply_units(
        conn,
        kind,
        record,
        m,
        &units,
        foreign_keys_off,
        on_statement,
    )
    .await;
    if foreign_keys_off {
        let _ = conn.exec("PRAGMA foreign_keys=ON", 0).await;
    }
    result
}

/// Runs `statements` as `push` does: as one migration file would run (one transaction on
/// PostgreSQL, committed early only after `ALTER TYPE … ADD VALUE`; one on SQLite, with foreign
/// keys off around a table rebuild; statement by statement on MySQL), recording nothing.
/// `on_statement` hears how many statements have run, after each.
pub async fn apply_statements(
    conn: &mut Connection,
    statements: &[String],
    on_statement: &mut dyn FnMut(usize),
) -> Result<(), StatementFailure> {
    let mut offset = 0;
    let m = LocalMigration {
        tag: String::new(),
        when: 0,
        hash: String::new(),
        statements: statements
            .iter()
            .map(|text| {
                let s = super::Statement {
                    offset,
                    text: text.clone(),
                };
                offset += text.len();
                s
            })
            .collect(),
        no_transaction: false,
    };
    let kind = conn.kind();
    run_file(conn, kind, None, &m, on_statement)
        .await
        .map(|_| ())
}

/// Runs a file's units. `record`: the migrations table the file is recorded in, inside its
/// last transaction (`None` for `push`, which records nothing).
async fn apply_units(
    conn: &mut Connection,
    kind: Kind,
    record: Option<&Sql>,
    m: &LocalMigration,
    units: &[Unit],
    check_foreign_keys: bool,
    on_statement: &mut dyn FnMut(usize),
) -> Result<bool, StatementFailure> {
    let mut committed = 0;
    let last = units.len() - 1;
    let begin = if kind == Kind::Sqlite {
        "BEGIN IMMEDIATE"
    } else {
        "BEGIN"
    };
    for (u, unit) in units.iter().enumerate() {
        if unit.transaction {
            conn.exec(begin, 0)
                .await
                .map_err(|e| failed(None, e, None, committed))?;
        }
        if let Some(sql) = record
            && kind == Kind::Sqlite
            && u == 0
        {
            // No lock spans the run on SQLite: look again now that this transaction holds it.
            // By hash and `when`: two files of the same text each get their own row.
            let check = format!(
                "SELECT count(*) FROM {} WHERE hash = '{}' AND CAST(created_at AS INTEGER) = {}",
                sql.table, m.hash, m.when
            );
            let done = conn
                .scalar(&check)
                .await
                .map_err(|e| failed(None, e, None, committed))?;
            if done.unwrap_or(0) > 0 {
                if unit.transaction {
                    let _ = conn.exec("ROLLBACK", 0).await;
                }
                return Ok(false);
            }
        }
        for i in unit.statements.clone() {
            let s = &m.statements[i];
            let (text, inserted) = sent_text(u != last, &s.text);
            if let Err(e) = conn.exec(&text, i).await {
                if unit.transaction {
                    let _ = conn.exec("ROLLBACK", 0).await;
                }
                let at = e.position.map(|p| {
                    let mut ch = p.saturating_sub(1);
                    if let Some((from, len)) = inserted
                        && ch >= from
                    {
                        ch = ch.saturating_sub(len).max(from);
                    }
                    s.offset
                        + s.text
                            .char_indices()
                            .nth(ch)
                            .map_or(s.text.len(), |(b, _)| b)
                });
                return Err(failed(Some(i), e, at, committed));
            }
            if !unit.transaction {
                committed = i + 1;
            }
            on_statement(i + 1);
        }
        if u == last && check_foreign_keys {
            let broken = conn
                .scalar("SELECT count(*) FROM pragma_foreign_key_check")
                .await
                .map_err(|e| failed(None, e, None, committed))?
                .unwrap_or(0);
            if broken > 0 {
                if unit.transaction {
                    let _ = conn.exec("ROLLBACK", 0).await;
                }
                let error = StatementError {
                    index: 0,
                    message: format!(
                        "{broken} row(s) break a foreign key after this file (PRAGMA foreign_key_check)"
                    ),
                    code: None,
                    position: None,
                };
                return Err(failed(None, error, None, committed));
            }
        }
        if let Some(sql) = record
            && u == last
        {
            conn.exec(&sql.insert(m), 0)
                .await
                .map_err(|e| failed(None, e, None, committed))?;
        }
        if unit.transaction {
            conn.exec("COMMIT", 0)
                .await
                .map_err(|e| failed(None, e, None, committed))?;
            committed = unit.statements.end;
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> LocalMigration {
        LocalMigration::new("0001_x", 1, text)
    }

    #[test]
    fn enum_values_commit_before_their_use() {
        let file = m(
            "ALTER TYPE \"public\".\"mood\" ADD VALUE 'meh';--> statement-breakpoint\nALTER TYPE \"public\".\"mood\" ADD VALUE 'ok';--> statement-breakpoint\nALTER TABLE \"t\" ALTER COLUMN \"m\" SET DEFAULT 'meh';",
        );
        assert_eq!(
            units(Kind::Postgres, &file),
            vec![
                Unit {
                    statements: 0..2,
                    transaction: true
                },
                Unit {
                    statements: 2..3,
                    transaction: true
                }
            ]
        );
        assert_eq!(units(Kind::Sqlite, &file).len(), 1);
        assert_eq!(units(Kind::Mysql, &file).len(), 3);
        let (sent, inserted) = sent_text(true, "ALTER TYPE \"mood\" ADD VALUE 'meh';");
        assert_eq!(sent, "ALTER TYPE \"mood\" ADD VALUE IF NOT EXISTS 'meh';");
        assert_eq!(inserted, Some((27, 14)));
        // Only enum values at the end: one transaction.
        assert_eq!(
            units(Kind::Postgres, &m("ALTER TYPE a ADD VALUE 'x';")).len(),
            1
        );
        // A value nothing later names: one transaction, so that a later failure leaves
        // nothing applied (drizzle-kit writes a new enum's CREATE TYPE first).
        let file = m(
            "CREATE TYPE \"color\" AS ENUM('red');--> statement-breakpoint\nALTER TYPE \"mood\" ADD VALUE 'b';--> statement-breakpoint\nALTER TABLE \"t\" ADD COLUMN \"c\" \"color\";",
        );
        assert_eq!(units(Kind::Postgres, &file).len(), 1);
        assert_eq!(
            added_enum_value("ALTER TYPE m ADD VALUE 'it''s' BEFORE 'a';"),
            Some("'it''s'")
        );
    }

    #[test]
    fn no_transaction_marker_runs_statements_alone() {
        let file = m(
            "-- schemac:no-transaction\nCREATE INDEX CONCURRENTLY a ON t (x);--> statement-breakpoint\nCREATE INDEX CONCURRENTLY b ON t (y);",
        );
        assert_eq!(
            units(Kind::Postgres, &file),
            vec![
                Unit {
                    statements: 0..1,
                    transaction: false
                },
                Unit {
                    statements: 1..2,
                    transaction: false
                }
            ]
        );
    }
}
