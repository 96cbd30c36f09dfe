//! Introspection: a live database read into the snapshot model ([`PgSnapshot`], the model of
//! every dialect), the same model `snapshot::from_schema` makes from a schema. `push` diffs the
//! two; `pull` prints TypeScript from it.
//!
//! One entry point, [`introspect`], over one module per dialect. Each reads the catalog with a
//! fixed number of queries per object kind, never one per table, and builds the model exactly
//! as `from_schema` would for the schema that made the database: the same keys, type strings and
//! default texts. What a database cannot give back as it was written (the text of a check, an
//! index expression, a view's query) is reconciled in `snapshot::live::align`.

pub mod mysql;
pub mod postgres;
pub mod sqlite;

use globset::{Glob, GlobMatcher};
use schemac_compiler::snapshot::PgSnapshot;
use serde_json::Value as J;

use crate::connect::Connection;

/// What to read: drizzle-kit's `tablesFilter`, `schemaFilter`, `extensionsFilters` and
/// `entities.roles`.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub tables: TablesFilter,
    /// PostgreSQL schemas to read; empty means `public` only, as drizzle-kit.
    pub schemas: Vec<String>,
    /// Extensions named in `extensionsFilters` (`postgis`, ...). Objects owned by any extension
    /// are always left out; these names also leave out the tables such an extension makes
    /// without owning them.
    pub extensions: Vec<String>,
    pub roles: RolesFilter,
}

impl Filters {
    /// The PostgreSQL schemas to read.
    pub fn schemas(&self) -> Vec<String> {
        if self.schemas.is_empty() {
            vec!["public".into()]
        } else {
            self.schemas.clone()
        }
    }
}

/// `tablesFilter`: globs matched against a table's unqualified name; `!glob` leaves out.
///
/// drizzle-kit's rule: with no patterns every table is kept. Otherwise each pattern that matches
/// votes to keep, each negated pattern that does not match votes to keep, a negated pattern that
/// matches votes to leave out; a table is kept when it has at least one vote and all say keep.
#[derive(Debug, Clone, Default)]
pub struct TablesFilter {
    patterns: Vec<(bool, GlobMatcher)>,
}

impl TablesFilter {
    /// The filter for `patterns`; an invalid glob is an error naming it.
    pub fn new(patterns: &[String]) -> Result<TablesFilter, String> {
        let mut out = Vec::new();
        for p in patterns {
            let (negated, glob) = match p.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, p.as_str()),
            };
            let m = Glob::new(glob)
                .map_err(|e| format!("tablesFilter `{p}`: {e}"))?
                .compile_matcher();
            out.push((negated, m));
        }
        Ok(TablesFilter { patterns: out })
    }

    pub fn keeps(&self, table: &str) -> bool {
        if self.patterns.is_empty() {
            return true;
        }
        let mut votes = 0;
        for (negated, m) in &self.patterns {
            let matched = m.is_match(table);
            match (negated, matched) {
                (true, true) => return false,
                (true, false) | (false, true) => votes += 1,
                (false, false) => {}
            }
        }
        votes > 0
    }
}

/// `entities.roles`: which PostgreSQL roles are part of the schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum RolesFilter {
    /// The default: roles are not read.
    #[default]
    None,
    /// `true`: every role.
    All,
    /// `{ include, exclude, provider }`: `include` (all when empty) minus `exclude` and the
    /// provider's own roles.
    Some {
        include: Vec<String>,
        exclude: Vec<String>,
    },
}

impl RolesFilter {
    /// From the config's `entities.roles` value.
    pub fn from_json(v: Option<&J>) -> RolesFilter {
        match v {
            None | Some(J::Null) | Some(J::Bool(false)) => RolesFilter::None,
            Some(J::Bool(true)) => RolesFilter::All,
            Some(J::Object(o)) => {
                let list = |k: &str| -> Vec<String> {
                    o.get(k)
                        .and_then(J::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default()
                };
                let mut exclude = list("exclude");
                match o.get("provider").and_then(J::as_str) {
                    Some("supabase") => exclude.extend(
                        [
                            "anon",
                            "authenticator",
                            "authenticated",
                            "service_role",
                            "supabase_auth_admin",
                            "supabase_storage_admin",
                            "dashboard_user",
                            "supabase_admin",
                        ]
                        .map(String::from),
                    ),
                    Some("neon") => {
                        exclude.extend(["authenticated", "anonymous"].map(String::from))
                    }
                    _ => {}
                }
                RolesFilter::Some {
                    include: list("include"),
                    exclude,
                }
            }
            Some(_) => RolesFilter::None,
        }
    }

    /// Whether `include` names `role` (an administering role is read only then).
    pub fn names(&self, role: &str) -> bool {
        matches!(self, RolesFilter::Some { include, .. } if include.iter().any(|r| r == role))
    }

    pub fn keeps(&self, role: &str) -> bool {
        match self {
            RolesFilter::None => false,
            RolesFilter::All => true,
            RolesFilter::Some { include, exclude } => {
                (include.is_empty() || include.iter().any(|r| r == role))
                    && !exclude.iter().any(|r| r == role)
            }
        }
    }
}

/// A failed catalog read: what was being read, and the database's message.
#[derive(Debug)]
pub struct Error {
    pub reading: &'static str,
    pub message: String,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "reading {}: {}", self.reading, self.message)
    }
}

impl std::error::Error for Error {}

/// Tags a sqlx error with what was being read.
pub(crate) fn reading(what: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    move |e| Error {
        reading: what,
        message: e.to_string(),
    }
}

/// The database behind `conn`, as the model, with `filters` applied. `id` and `prevId` are
/// empty.
pub async fn introspect(conn: &mut Connection, filters: &Filters) -> Result<PgSnapshot, Error> {
    match conn {
        Connection::Postgres(c) => postgres::introspect(c, filters).await,
        Connection::Mysql(c) => mysql::introspect(c, filters).await,
        Connection::Sqlite(c) => sqlite::introspect(c, filters).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(p: &[&str]) -> TablesFilter {
        TablesFilter::new(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn tables_filter_is_drizzle_kits() {
        assert!(filter(&[]).keeps("users"));
        let f = filter(&["!foo"]);
        assert!(f.keeps("users") && !f.keeps("foo"));
        let f = filter(&["a*"]);
        assert!(f.keeps("accounts") && !f.keeps("users"));
        let f = filter(&["a*", "!audit*"]);
        assert!(f.keeps("accounts") && !f.keeps("audit_log") && f.keeps("users"));
        assert!(TablesFilter::new(&["[".into()]).is_err());
    }

    #[test]
    fn roles_filter() {
        let f = RolesFilter::from_json(Some(&serde_json::json!({ "provider": "supabase" })));
        assert!(f.keeps("admin") && !f.keeps("anon"));
        let f = RolesFilter::from_json(Some(&serde_json::json!({ "include": ["a"] })));
        assert!(f.keeps("a") && !f.keeps("b"));
        assert!(RolesFilter::from_json(Some(&J::Bool(true))).keeps("x"));
        assert!(!RolesFilter::from_json(None).keeps("x"));
    }
}
