//! `schemac migrate`: applies the migrations of the folder that the database lacks, into
//! drizzle-orm's migrations table (see `spec/migrate.md`). The runner itself is
//! `schemac_runtime::migrate`; this module finds the config, the folder and the database, shows
//! progress and turns failures into located diagnostics.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use schemac_compiler::config;
use schemac_compiler::diagnostics::{Diagnostic, codes};
use schemac_compiler::project::Project;
use schemac_compiler::schema::Dialect;
use schemac_compiler::snapshot;
use schemac_compiler::span::Span;
use schemac_runtime::connect::{self, Connection, Credentials, Kind};
use schemac_runtime::migrate::apply::{self, Event, Failure, Options, StatementFailure};
use schemac_runtime::migrate::{LocalMigration, NO_TRANSACTION_MARKER, Table};

use super::folder::{self, Sources};
use crate::output::Output;
use crate::{DbArgs, Format, MigrateArgs};

/// How long connecting may take before the run gives up (never hang without a terminal).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// What `migrate` and `status` work on.
pub struct Target {
    pub credentials: Credentials,
    pub table: Table,
    pub out: PathBuf,
    pub local: Vec<LocalMigration>,
    /// The SQL file of each local migration.
    pub files: Vec<PathBuf>,
}

/// Reads the config (unless `--url` and `--out` make it unnecessary), the journal and the SQL
/// files, and where the database is.
pub fn target(args: &DbArgs, sources: &mut Sources) -> Result<Target, Vec<Diagnostic>> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let cfg = if args.url.is_some() && args.out.is_some() && args.config.is_none() {
        None
    } else {
        let path = config::find(&cwd, args.config.as_deref())
            .map_err(|d| vec![d.with_help("pass a config with --config, or --url and --out")])?;
        let mut project = Project::new(&cwd);
        let loaded = config::load(&mut project, &path);
        sources.extend(project.source_texts());
        Some(loaded?)
    };
    let credentials = credentials(cfg.as_ref(), args.url.as_deref(), &cwd)?;
    let kind = credentials.kind();
    let (name, schema) = match &cfg {
        Some(c) => (c.migrations_table.as_str(), c.migrations_schema.as_str()),
        None => ("__drizzle_migrations", "drizzle"),
    };
    let out = PathBuf::from(
        args.out
            .clone()
            .or_else(|| cfg.as_ref().map(|c| c.out.clone()))
            .unwrap_or_else(|| "drizzle".into()),
    );
    let (local, files) = read_migrations(&out, kind, sources)?;
    Ok(Target {
        table: Table::new(kind, name, schema),
        credentials,
        out,
        local,
        files,
    })
}

/// Where the database is: `url` (`--url`) or the config's `dbCredentials`, for the config's
/// dialect (the URL's scheme without a config).
pub fn credentials(
    cfg: Option<&config::Config>,
    url: Option<&str>,
    cwd: &Path,
) -> Result<Credentials, Vec<Diagnostic>> {
    let refused = |message: String, help: Option<&str>| {
        let mut d = Diagnostic::error(codes::DB_CREDENTIALS, message);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        let mut out = Vec::new();
        if let Some(c) = &cfg {
            let span = c
                .key_spans
                .get("dbCredentials")
                .or_else(|| c.key_spans.get(""))
                .copied()
                .unwrap_or_default();
            d = d.with_label(&Arc::from(c.path.as_path()), span, "in this config");
            // `url: process.env.DATABASE_URL!` with the variable unset: say which variable.
            let unset: Vec<String> = c
                .missing_env
                .iter()
                .map(|(n, _)| format!("`{n}`"))
                .collect();
            if !unset.is_empty() && help.is_none() {
                d = d.with_help(format!(
                    "the config reads {}, which {} not set: set {}, or give the database with --url",
                    unset.join(", "),
                    if unset.len() == 1 { "is" } else { "are" },
                    if unset.len() == 1 { "it" } else { "them" },
                ));
            }
            out.extend(c.missing_env_warnings());
        }
        out.insert(0, d);
        out
    };
    let credentials_error = |message: String| refused(message, None);
    // The URL the connection takes: --url, else the config's `dbCredentials.url`.
    let given_url = url.or_else(|| {
        cfg.and_then(|c| c.db_credentials.as_ref())
            .and_then(|j| j.get("url"))
            .and_then(|u| u.as_str())
    });
    // A local database file (`file:local.db`, `./dev.sqlite`): any SQLite-family config.
    let local_file = given_url.is_some_and(|u| {
        Kind::of_url(u) == Kind::Sqlite
            && !["libsql:", "http:", "https:", "ws:", "wss:"]
                .iter()
                .any(|s| u.to_ascii_lowercase().starts_with(s))
    });
    let kind = match (cfg, url) {
        (Some(c), _) => {
            let sqlite_file = local_file && c.dialect == Dialect::Sqlite;
            if (c.dialect_name == "turso" && !sqlite_file) || c.dialect_name == "singlestore" {
                return Err(credentials_error(format!(
                    "schemac cannot connect to a `{}` database yet",
                    c.dialect_name
                )));
            }
            // `--url` says where the database is, whatever driver the app uses (a D1 or Expo
            // project's local SQLite file).
            if let Some(driver) = c.driver.as_ref().filter(|_| url.is_none() && !sqlite_file) {
                return Err(refused(
                    format!(
                        "schemac cannot connect through the `{driver}` driver; it connects to PostgreSQL, MySQL and SQLite files itself"
                    ),
                    Some("give the database with --url (for SQLite, the database file)"),
                ));
            }
            match c.dialect {
                Dialect::Postgresql => Kind::Postgres,
                Dialect::Mysql => Kind::Mysql,
                Dialect::Sqlite => Kind::Sqlite,
            }
        }
        (None, Some(url)) => Kind::of_url(url),
        (None, None) => {
            return Err(vec![Diagnostic::error(
                codes::DB_CREDENTIALS,
                "no database: give --url or a config with `dbCredentials`",
            )]);
        }
    };
    match (url, cfg.and_then(|c| c.db_credentials.as_ref())) {
        (Some(url), _) => connect::from_url(kind, url, cwd),
        (None, Some(json)) => connect::from_json(kind, json, cwd),
        (None, None) => Err(
            "the config has no `dbCredentials`: say where the database is there, or with --url"
                .to_string(),
        ),
    }
    .map_err(credentials_error)
}

/// The journal's migrations with their SQL files, as drizzle-orm's migrator reads them: in
/// journal order, each `<tag>.sql` whole.
fn read_migrations(
    out: &Path,
    kind: Kind,
    sources: &mut Sources,
) -> Result<(Vec<LocalMigration>, Vec<PathBuf>), Vec<Diagnostic>> {
    let journal_path = out.join("meta").join("_journal.json");
    let text = match std::fs::read_to_string(&journal_path) {
        Ok(t) => t,
        Err(e) => {
            let v1 = std::fs::read_dir(out)
                .into_iter()
                .flatten()
                .flatten()
                .any(|d| folder::is_v1_migration(&d.path()));
            let help = if v1 {
                "this folder has drizzle-kit v1's layout (`<timestamp>_<name>/migration.sql`), \
                 which schemac does not read: apply it with drizzle-kit v1"
            } else {
                "run `schemac build` first, or pass the migrations folder with --out"
            };
            return Err(vec![
                folder::folder_error(format!("cannot read {}: {e}", journal_path.display()))
                    .with_help(help),
            ]);
        }
    };
    sources.insert(journal_path.clone(), text.clone());
    let mut journal = snapshot::read_journal(&journal_path, &text).map_err(|d| vec![*d])?;
    // The snapshots' dialect wins over the journal's (W6014, reported by `check`).
    if let Some(meta) = journal_path.parent()
        && let Some(theirs) = snapshot::folder::snapshots_dialect_over_journal(&journal, |name| {
            std::fs::read_to_string(meta.join(name)).ok()
        })
    {
        journal.dialect = theirs;
    }
    let expected = match kind {
        Kind::Postgres => "postgresql",
        Kind::Mysql => "mysql",
        Kind::Sqlite => "sqlite",
    };
    // `turso` folders say `sqlite`; `singlestore` ones are MySQL's; older drizzle-kit wrote `pg`.
    let dialect = match journal.dialect.as_str() {
        "turso" => "sqlite",
        "singlestore" => "mysql",
        "pg" => "postgresql",
        d => d,
    };
    if dialect != expected {
        return Err(vec![
            folder::folder_error(format!(
                "the migrations folder is for {}, the database is {expected}",
                journal.dialect
            ))
            .with_label(
                &Arc::from(journal_path.as_path()),
                Span::new(0, 0),
                "this journal",
            )
            .with_help("check `out` and `dialect` in the config, or --out and --url"),
        ]);
    }
    let mut local = Vec::new();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for e in &journal.entries {
        let path = out.join(format!("{}.sql", e.tag));
        match std::fs::read_to_string(&path) {
            Ok(sql) => {
                local.push(LocalMigration::new(&e.tag, e.when as i64, &sql));
                sources.insert(path.clone(), sql);
                files.push(path);
            }
            Err(err) => errors.push(
                folder::folder_error(format!(
                    "cannot read {} (journal entry {}): {err}",
                    path.display(),
                    e.idx
                ))
                .with_help(format!(
                    "restore {}.sql, or remove the migration with `schemac drop --tag {}`",
                    e.tag, e.tag
                )),
            ),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((local, files))
}

/// A tokio runtime for one command (the runner is async; the CLI is not).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime can be built (an OS resource failure otherwise)")
}

/// Connects, with a timeout; the error names the target without its password.
pub async fn open(
    credentials: &Credentials,
    busy: Duration,
) -> Result<Connection, Vec<Diagnostic>> {
    let error = |m: String, help: Option<&str>| {
        let mut d = Diagnostic::error(
            codes::DB_CONNECT,
            format!("cannot connect to {}", credentials.display),
        )
        .with_note(m);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        vec![d]
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, credentials.connect(busy)).await {
        Ok(Ok(c)) => Ok(c),
        Ok(Err(e)) => Err(error(e.message, e.help)),
        Err(_) => Err(error(
            format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
            Some("is the database server reachable from here?"),
        )),
    }
}

/// A diagnostic about the migrations table (reading, creating, locking).
pub fn table_error(t: &Target, e: &schemac_runtime::statements::StatementError) -> Diagnostic {
    Diagnostic::error(
        codes::MIGRATIONS_TABLE,
        format!(
            "the migrations table {} cannot be used: {}",
            t.table.display(),
            t.credentials.scrub(&e.message)
        ),
    )
    .with_note(format!("database: {}", t.credentials.display))
}

pub fn run(out: &Output, args: MigrateArgs) -> u8 {
    let mut sources = Sources::new();
    let t = match target(&args.db, &mut sources) {
        Ok(t) => t,
        Err(d) => return folder::fail(out, &d, &sources, 1),
    };
    let options = Options {
        allow_out_of_order: args.allow_out_of_order,
        accept_modified: args.accept_modified,
        lock_timeout: Duration::from_secs(args.lock_timeout),
    };
    let human = out.format == Format::Human;
    // A progress line waiting for its " done" when the run fails.
    let mut open_line = false;
    let result = runtime().block_on(async {
        let mut conn = open(&t.credentials, options.lock_timeout).await?;
        let mut progress = |e: Event| {
            if human {
                open_line = matches!(e, Event::Applying { .. });
                progress_line(&t, e);
            }
        };
        let r = apply::migrate(&mut conn, &t.table, &t.local, &options, &mut progress).await;
        conn.close().await;
        r.map_err(|f| failure(&t, f, &sources))
    });
    let outcome = match result {
        Ok(o) => o,
        Err(d) => {
            if open_line {
                let _ = writeln!(std::io::stderr(), " failed");
            }
            return folder::fail(out, &d, &sources, 1);
        }
    };
    let mut warnings = Vec::new();
    if !outcome.out_of_order.is_empty() {
        warnings.push(
            Diagnostic::warning(
                codes::OUT_OF_ORDER_APPLIED,
                format!(
                    "applied out of order (older than a migration applied before): {}",
                    tags(&t, &outcome.out_of_order)
                ),
            )
            .with_note("--allow-out-of-order was given"),
        );
    }
    for (i, old) in &outcome.modified {
        warnings.push(modified(&t, *i, old, Modified::Accepted));
    }
    if !outcome.unknown.is_empty() {
        warnings.push(unknown_rows(&t, &outcome.unknown));
    }
    let applied: Vec<&str> = outcome
        .applied
        .iter()
        .map(|&i| t.local[i].tag.as_str())
        .collect();
    let line = if applied.is_empty() {
        format!(
            "nothing to apply: {} has all {} migration{} of {}",
            t.credentials.display,
            t.local.len(),
            if t.local.len() == 1 { "" } else { "s" },
            t.out.display()
        )
    } else {
        format!(
            "applied {} migration{} to {}",
            applied.len(),
            if applied.len() == 1 { "" } else { "s" },
            t.credentials.display
        )
    };
    folder::succeed(
        out,
        &warnings,
        &sources,
        &line,
        serde_json::json!({
            "database": t.credentials.display,
            "table": t.table.display(),
            "applied": applied,
        }),
    )
}

/// One plain line per event on stderr (no spinner: the same on a terminal and in a log).
fn progress_line(t: &Target, e: Event) {
    let mut err = std::io::stderr().lock();
    let _ = match e {
        Event::Waiting => writeln!(
            err,
            "waiting for another migration run to finish (lock on {})",
            t.table.display()
        ),
        Event::Applying { migration, n, of } => {
            write!(err, "[{n}/{of}] {} ...", migration.tag)
        }
        Event::Applied { elapsed, .. } => writeln!(err, " done in {} ms", elapsed.as_millis()),
        Event::AppliedElsewhere { .. } => writeln!(err, " already applied by another run"),
    };
}

fn tags(t: &Target, indices: &[usize]) -> String {
    indices
        .iter()
        .map(|&i| t.local[i].tag.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a modified migration is reported.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Modified {
    /// `migrate` stops (error).
    Refused,
    /// `migrate --accept-modified` went on (warning).
    Accepted,
    /// `status` shows it (warning).
    Shown,
}

/// The diagnostic of a modified applied migration.
pub fn modified(t: &Target, i: usize, applied_hash: &str, why: Modified) -> Diagnostic {
    let m = &t.local[i];
    let message = format!("{} changed after it was applied", m.tag);
    let restore = "restore the file as it was applied, or pass --accept-modified to go on and record its new hash";
    let d = match why {
        Modified::Refused => {
            Diagnostic::error(codes::MIGRATION_MODIFIED, message).with_help(restore)
        }
        Modified::Accepted => Diagnostic::warning(codes::MODIFIED_ACCEPTED, message).with_note(
            "--accept-modified: its new hash is recorded; the change itself was not applied",
        ),
        Modified::Shown => Diagnostic::warning(codes::MODIFIED_ACCEPTED, message)
            .with_help(format!("`schemac migrate` stops on it: {restore}")),
    };
    d.with_label(
        &Arc::from(t.files[i].as_path()),
        Span::new(0, 0),
        "this file",
    )
    .with_note(format!("applied hash: {applied_hash}"))
    .with_note(format!("current hash: {}", m.hash))
}

/// The warning about rows that match no migration of the folder.
pub fn unknown_rows(t: &Target, rows: &[schemac_runtime::migrate::AppliedRow]) -> Diagnostic {
    let mut d = Diagnostic::warning(
        codes::APPLIED_UNKNOWN,
        format!(
            "{} row{} of {} match{} no migration of {}",
            rows.len(),
            if rows.len() == 1 { "" } else { "s" },
            t.table.display(),
            if rows.len() == 1 { "es" } else { "" },
            t.out.display()
        ),
    );
    for r in rows {
        d = d.with_note(format!("hash {}, created_at {}", r.hash, r.created_at));
    }
    d.with_help("a migration removed from the folder, or applied from another folder")
}

fn failure(t: &Target, f: Failure, sources: &Sources) -> Vec<Diagnostic> {
    match f {
        Failure::Database(e) => vec![table_error(t, &e)],
        Failure::LockTimeout(d) => vec![
            Diagnostic::error(
                codes::LOCK_TIMEOUT,
                format!(
                    "another migration run held the lock on {} for {} s",
                    t.table.display(),
                    d.as_secs()
                ),
            )
            .with_help("wait for it to finish, or raise --lock-timeout"),
        ],
        Failure::Refused {
            modified: changed,
            out_of_order,
        } => changed
            .iter()
            .map(|(i, h)| modified(t, *i, h, Modified::Refused))
            .chain(out_of_order.iter().map(|&i| {
                let m = &t.local[i];
                Diagnostic::error(
                    codes::MIGRATION_OUT_OF_ORDER,
                    format!(
                        "{} is not applied, but a newer migration is (merged from another branch?)",
                        m.tag
                    ),
                )
                .with_label(&Arc::from(t.files[i].as_path()), Span::new(0, 0), "not applied")
                .with_note("drizzle-kit's migrate would skip it silently; schemac applies nothing until you decide")
                .with_help("pass --allow-out-of-order to apply it (in folder order), or regenerate it after the newer ones")
            }))
            .collect(),
        Failure::Statement(f) => vec![statement_failure(t, f, sources)],
    }
}

/// The failing statement, located in its file at the database's error position.
fn statement_failure(t: &Target, f: StatementFailure, sources: &Sources) -> Diagnostic {
    let m = &t.local[f.migration];
    let file = &t.files[f.migration];
    let text = sources.get(file).map(String::as_str).unwrap_or("");
    let kind = t.credentials.kind();
    let db = match kind {
        Kind::Postgres => "PostgreSQL",
        Kind::Mysql => "MySQL",
        Kind::Sqlite => "SQLite",
    };
    let message = t.credentials.scrub(&f.error.message);
    let mut d = Diagnostic::error(
        codes::MIGRATION_FAILED,
        format!("{} failed: {message}", m.tag),
    );
    let path: Arc<Path> = Arc::from(file.as_path());
    match f.statement {
        Some(i) => {
            let s = &m.statements[i];
            let trimmed = s.text.trim_start();
            let start = s.offset + (s.text.len() - trimmed.len());
            let end = s.offset + s.text.trim_end().len();
            let span = match f.at {
                Some(at) if at < text.len() => {
                    let word = text[at..]
                        .find(|c: char| c.is_whitespace() || c == ';' || c == ',')
                        .unwrap_or(text.len() - at)
                        .max(1);
                    Span::new(at, (at + word).min(text.len()))
                }
                _ => Span::new(start, end.max(start)),
            };
            d = d.with_label(
                &path,
                span,
                format!(
                    "{db}: {message} (statement {} of {})",
                    i + 1,
                    m.statements.len()
                ),
            );
        }
        None => {
            d = d.with_label(&path, Span::new(0, 0), "while running this file");
        }
    }
    if let Some(code) = &f.error.code {
        d = d.with_note(match kind {
            Kind::Postgres => format!("SQLSTATE {code}"),
            _ => format!("{db} error {code}"),
        });
    }
    let n = m.statements.len();
    let range = |from: usize, to: usize| {
        if from == to {
            format!("statement {from}")
        } else {
            format!("statements {from}-{to}")
        }
    };
    let not_recorded = format!("{} is not recorded in {}", m.tag, t.table.display());
    let state = match (f.committed, f.statement) {
        (0, _) => format!("nothing of {} stays applied", m.tag),
        (k, Some(i)) => format!(
            "{} of {} ran and stay applied (committed); statement {} failed; {}; {not_recorded}",
            range(1, k),
            m.tag,
            i + 1,
            if i + 1 < n {
                format!("{} did not run", range(i + 2, n))
            } else {
                "it was the last".into()
            },
        ),
        (k, None) => format!(
            "{} of {} ran and stay applied (committed), but {not_recorded}",
            range(1, k),
            m.tag
        ),
    };
    d = d.with_note(state);
    if !f.applied.is_empty() {
        d = d.with_note(format!(
            "applied before it in this run: {}",
            tags(t, &f.applied)
        ));
    }
    if kind == Kind::Sqlite && f.error.code.as_deref() == Some("5") {
        d = d.with_help(
            "another process held the SQLite database longer than --lock-timeout; wait for it or raise the timeout",
        );
    }
    if f.error.code.as_deref() == Some("25001") {
        d = d.with_help(format!(
            "this statement cannot run inside a transaction: make `{NO_TRANSACTION_MARKER}` the file's first line"
        ));
    }
    d
}
