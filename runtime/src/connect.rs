//! Where the database is: drizzle-kit's `dbCredentials` (or one URL given on the command line)
//! turned into sqlx connect options, and the one connection type `migrate` and `status` use.
//!
//! Passwords never reach a text shown to people: [`Credentials::display`] is the redacted
//! target, and [`Credentials::scrub`] removes the password from any message (a driver's error
//! may quote what it was given).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value as J;
use sqlx::Connection as _;

use crate::statements::{StatementError, execute_one, statement_error};
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection, MySqlSslMode};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgSslMode};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

/// The dialect a connection is for (the config's `dialect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Postgres,
    Mysql,
    Sqlite,
}

impl Kind {
    /// The dialect a URL names by its scheme; anything else is a SQLite path.
    pub fn of_url(url: &str) -> Kind {
        let scheme = url.split(':').next().unwrap_or("").to_ascii_lowercase();
        match scheme.as_str() {
            "postgres" | "postgresql" => Kind::Postgres,
            "mysql" | "mariadb" => Kind::Mysql,
            _ => Kind::Sqlite,
        }
    }
}

/// Connect options for one dialect.
#[derive(Debug, Clone)]
pub enum Target {
    Postgres(PgConnectOptions),
    Mysql(MySqlConnectOptions),
    /// A database file (created when missing).
    Sqlite(PathBuf),
}

/// Where to connect, what to show of it, and the secret to keep out of messages.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub target: Target,
    /// The target with its password replaced by `***`.
    pub display: String,
    secrets: Vec<String>,
}

impl Credentials {
    /// `text` with every occurrence of the password (as given and percent-encoded) replaced by
    /// `***`.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            if !s.is_empty() {
                out = out.replace(s.as_str(), "***");
            }
        }
        out
    }

    pub fn kind(&self) -> Kind {
        match self.target {
            Target::Postgres(_) => Kind::Postgres,
            Target::Mysql(_) => Kind::Mysql,
            Target::Sqlite(_) => Kind::Sqlite,
        }
    }

    /// Opens one connection. SQLite waits up to `busy` for a lock another process holds.
    pub async fn connect(&self, busy: Duration) -> Result<Connection, ConnectError> {
        let conn = match &self.target {
            Target::Postgres(o) => PgConnection::connect_with(o)
                .await
                .map(Connection::Postgres),
            Target::Mysql(o) => MySqlConnection::connect_with(o)
                .await
                .map(Connection::Mysql),
            Target::Sqlite(path) => {
                let o = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
                    .foreign_keys(true)
                    .busy_timeout(busy);
                SqliteConnection::connect_with(&o)
                    .await
                    .map(Connection::Sqlite)
            }
        };
        conn.map_err(|e| ConnectError {
            message: self.scrub(&connect_message(&e)),
            help: connect_help(&e),
        })
    }
}

/// Why a connection failed, and what to do about it when that is clear.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectError {
    pub message: String,
    pub help: Option<&'static str>,
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<ConnectError> for String {
    fn from(e: ConnectError) -> String {
        e.message
    }
}

/// The server's own message (with its SQLSTATE) for a refusal, without sqlx's wording and the
/// server's source position; the driver's text otherwise.
fn connect_message(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(d) => match d.code() {
            Some(code) => format!("{} (SQLSTATE {code})", d.message()),
            None => d.message().to_string(),
        },
        e => e.to_string(),
    }
}

fn connect_help(e: &sqlx::Error) -> Option<&'static str> {
    match e {
        // PostgreSQL `invalid_catalog_name`; MySQL 1049 (SQLSTATE 42000, unknown database).
        sqlx::Error::Database(d)
            if d.code().as_deref() == Some("3D000")
                || d.message().starts_with("Unknown database") =>
        {
            Some("create the database first (`CREATE DATABASE ...`), or fix its name in the URL")
        }
        // PostgreSQL `invalid_authorization_specification`, `invalid_password`; MySQL 1045.
        sqlx::Error::Database(d)
            if matches!(d.code().as_deref(), Some("28000" | "28P01"))
                || d.message().starts_with("Access denied") =>
        {
            Some("check the user and password in the URL or `dbCredentials`")
        }
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            Some("is the database server running, at that host and port?")
        }
        _ => None,
    }
}

/// One open connection of any dialect.
pub enum Connection {
    Postgres(PgConnection),
    Mysql(MySqlConnection),
    Sqlite(SqliteConnection),
}

impl Connection {
    pub fn kind(&self) -> Kind {
        match self {
            Connection::Postgres(_) => Kind::Postgres,
            Connection::Mysql(_) => Kind::Mysql,
            Connection::Sqlite(_) => Kind::Sqlite,
        }
    }

    /// Runs one statement; the error carries `index` (its place in the caller's list).
    pub async fn exec(&mut self, sql: &str, index: usize) -> Result<(), StatementError> {
        match self {
            Connection::Postgres(c) => execute_one(c, sql, index).await,
            Connection::Mysql(c) => execute_one(c, sql, index).await,
            Connection::Sqlite(c) => execute_one(c, sql, index).await,
        }
    }

    /// The one integer a query returns (`SELECT count(*) ...`); `None` for a NULL.
    pub async fn scalar(&mut self, sql: &str) -> Result<Option<i64>, StatementError> {
        let q = sqlx::AssertSqlSafe(sql.to_string());
        match self {
            Connection::Postgres(c) => sqlx::query_scalar(q).fetch_one(c).await,
            Connection::Mysql(c) => sqlx::query_scalar(q).fetch_one(c).await,
            Connection::Sqlite(c) => sqlx::query_scalar(q).fetch_one(c).await,
        }
        .map_err(|e| statement_error(0, e))
    }

    /// Closes the connection cleanly (dropping it also works; the server notices later).
    pub async fn close(self) {
        let _ = match self {
            Connection::Postgres(c) => c.close().await,
            Connection::Mysql(c) => c.close().await,
            Connection::Sqlite(c) => c.close().await,
        };
    }
}

/// Credentials from a URL (`--url`, or `dbCredentials.url`). SQLite takes a path, `file:` and
/// `sqlite:` prefixes stripped; a relative path is relative to `base`.
pub fn from_url(kind: Kind, url: &str, base: &Path) -> Result<Credentials, String> {
    match kind {
        Kind::Sqlite => {
            let path = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .or_else(|| url.strip_prefix("file://"))
                .or_else(|| url.strip_prefix("file:"))
                .unwrap_or(url);
            let path = path.split('?').next().unwrap_or(path);
            if path.is_empty() || path == ":memory:" {
                return Err(format!(
                    "`{url}` is not a database file (an in-memory database cannot be migrated)"
                ));
            }
            let path = base.join(path.strip_prefix("./").unwrap_or(path));
            Ok(Credentials {
                display: path.display().to_string(),
                target: Target::Sqlite(path),
                secrets: Vec::new(),
            })
        }
        Kind::Postgres | Kind::Mysql => {
            if Kind::of_url(url) != kind {
                return Err(format!(
                    "`{}` is not a {} URL",
                    redact_url(url),
                    if kind == Kind::Postgres {
                        "postgres://"
                    } else {
                        "mysql://"
                    }
                ));
            }
            let mut secrets = url_password(url);
            let decoded: Vec<String> = secrets.iter().map(|s| percent_decode(s)).collect();
            secrets.extend(decoded);
            let display = redact_url(url);
            let target = match kind {
                Kind::Postgres => url.parse().map(Target::Postgres),
                _ => url.parse().map(Target::Mysql),
            }
            .map_err(|e| format!("`{display}` is not a valid URL: {e}"))?;
            let c = Credentials {
                target,
                display,
                secrets,
            };
            Ok(Credentials {
                display: c.scrub(&c.display),
                ..c
            })
        }
    }
}

/// Credentials from the config's `dbCredentials`: `{ url }`, or for PostgreSQL and MySQL
/// `{ host, port?, user?, password?, database, ssl? }`.
pub fn from_json(kind: Kind, creds: &J, base: &Path) -> Result<Credentials, String> {
    let Some(obj) = creds.as_object() else {
        return Err("`dbCredentials` is not an object".into());
    };
    if let Some(url) = obj.get("url") {
        let Some(url) = url.as_str() else {
            return Err("`dbCredentials.url` is not a string".into());
        };
        return from_url(kind, url, base);
    }
    if kind == Kind::Sqlite {
        return Err("`dbCredentials` of a SQLite config needs `url` (the database file)".into());
    }
    let text = |key: &str| -> Result<Option<String>, String> {
        match obj.get(key) {
            None | Some(J::Null) => Ok(None),
            Some(J::String(s)) => Ok(Some(s.clone())),
            Some(J::Number(n)) if key == "port" => Ok(Some(n.to_string())),
            Some(_) => Err(format!("`dbCredentials.{key}` is not a string")),
        }
    };
    let host = text("host")?.ok_or("`dbCredentials` needs `url` or `host`")?;
    let database = text("database")?.ok_or("`dbCredentials` needs `database`")?;
    let port = match text("port")? {
        None => None,
        Some(p) => Some(
            p.parse::<u16>()
                .map_err(|_| format!("`dbCredentials.port` is not a port number: `{p}`"))?,
        ),
    };
    let user = text("user")?;
    let password = text("password")?;
    let ssl = match obj.get("ssl") {
        None | Some(J::Null) => None,
        Some(J::Bool(b)) => Some(if *b { "require" } else { "disable" }.to_string()),
        Some(J::String(s)) => Some(s.clone()),
        // A TLS options object: encryption is wanted.
        Some(J::Object(_)) => Some("require".into()),
        Some(_) => return Err("`dbCredentials.ssl` is not a boolean, string or object".into()),
    };
    let target = match kind {
        Kind::Postgres => {
            let mut o = PgConnectOptions::new_without_pgpass()
                .host(&host)
                .database(&database);
            if let Some(p) = port {
                o = o.port(p);
            }
            if let Some(u) = &user {
                o = o.username(u);
            }
            if let Some(p) = &password {
                o = o.password(p);
            }
            if let Some(s) = &ssl {
                o = o.ssl_mode(match s.as_str() {
                    "disable" => PgSslMode::Disable,
                    "allow" => PgSslMode::Allow,
                    "prefer" => PgSslMode::Prefer,
                    "require" => PgSslMode::Require,
                    "verify-ca" => PgSslMode::VerifyCa,
                    "verify-full" => PgSslMode::VerifyFull,
                    other => return Err(format!("`dbCredentials.ssl` `{other}` is not one of disable, allow, prefer, require, verify-ca, verify-full")),
                });
            }
            Target::Postgres(o)
        }
        _ => {
            let mut o = MySqlConnectOptions::new().host(&host).database(&database);
            if let Some(p) = port {
                o = o.port(p);
            }
            if let Some(u) = &user {
                o = o.username(u);
            }
            if let Some(p) = &password {
                o = o.password(p);
            }
            if let Some(s) = &ssl {
                // mysql2 takes a profile name or TLS options: either way, encrypted.
                o = o.ssl_mode(if s == "disable" {
                    MySqlSslMode::Disabled
                } else {
                    MySqlSslMode::Required
                });
            }
            Target::Mysql(o)
        }
    };
    let scheme = if kind == Kind::Postgres {
        "postgres"
    } else {
        "mysql"
    };
    let display = format!(
        "{scheme}://{}{}{host}{}/{database}",
        user.as_deref().unwrap_or(""),
        match (&user, &password) {
            (_, Some(_)) => ":***@",
            (Some(_), None) => "@",
            _ => "",
        },
        port.map(|p| format!(":{p}")).unwrap_or_default(),
    );
    Ok(Credentials {
        target,
        display,
        secrets: password.into_iter().collect(),
    })
}

/// Query parameters of a URL that hold a secret (`?password=...`).
const SECRET_PARAMS: &[&str] = &["password", "sslpassword"];

/// The passwords of `scheme://user:password@host/...?password=...`, as written.
fn url_password(url: &str) -> Vec<String> {
    let mut found = Vec::new();
    let Some((_, rest)) = url.split_once("://") else {
        return found;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if let Some((userinfo, _)) = authority.rsplit_once('@')
        && let Some((_, password)) = userinfo.split_once(':')
    {
        found.push(password.to_string());
    }
    if let Some((_, query)) = rest.split_once('?') {
        for pair in query.split(['&', '#']) {
            if let Some((k, v)) = pair.split_once('=')
                && SECRET_PARAMS.contains(&k)
            {
                found.push(v.to_string());
            }
        }
    }
    found
}

/// `%XX` escapes decoded (invalid ones kept as written).
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// `url` with every password (user info, `password=` parameters) replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => authority.to_string(),
        },
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((k, _)) if SECRET_PARAMS.contains(&k) => format!("{k}=***"),
                    _ => pair.to_string(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_password() {
        assert_eq!(
            redact_url("postgres://app:s3cr%2Ft@db:5432/x?sslmode=require"),
            "postgres://app:***@db:5432/x?sslmode=require"
        );
        assert_eq!(redact_url("postgres://app@db/x"), "postgres://app@db/x");
        assert_eq!(redact_url("local.db"), "local.db");
        assert_eq!(
            redact_url("postgres://h/x?user=u&password=p%40ss&sslmode=require"),
            "postgres://h/x?user=u&password=***&sslmode=require"
        );
        let c = from_url(
            Kind::Postgres,
            "postgres://h/x?password=topsecret",
            Path::new("."),
        )
        .unwrap();
        assert_eq!(c.scrub("bad topsecret"), "bad ***");
        let c = from_url(Kind::Postgres, "postgres://u:p%40ss@h/x", Path::new(".")).unwrap();
        assert_eq!(c.scrub("p@ss and p%40ss"), "*** and ***");
        let c = from_url(Kind::Postgres, "postgres://u:hunter2@h/d", Path::new(".")).unwrap();
        assert_eq!(c.display, "postgres://u:***@h/d");
        assert_eq!(c.scrub("password hunter2 refused"), "password *** refused");
    }

    #[test]
    fn host_form_and_sqlite_paths() {
        let j = serde_json::json!({"host": "h", "port": "5433", "user": "u", "password": "pw", "database": "d", "ssl": false});
        let c = from_json(Kind::Postgres, &j, Path::new(".")).unwrap();
        assert_eq!(c.display, "postgres://u:***@h:5433/d");
        let j = serde_json::json!({"url": "file:./data/app.db"});
        let c = from_json(Kind::Sqlite, &j, Path::new("/p")).unwrap();
        assert_eq!(c.display, "/p/data/app.db");
        assert!(
            from_json(
                Kind::Sqlite,
                &serde_json::json!({"url": ":memory:"}),
                Path::new(".")
            )
            .is_err()
        );
        assert!(
            from_json(
                Kind::Mysql,
                &serde_json::json!({"url": "postgres://x/y"}),
                Path::new(".")
            )
            .is_err()
        );
    }
}
