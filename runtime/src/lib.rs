//! schemac's runtime: everything that talks to a live database, through sqlx, with one
//! connection type per dialect (sqlx's `Any` driver mistranslates types and placeholders).
//!
//! So far: PostgreSQL, MySQL/MariaDB and SQLite connections (`connect`: from drizzle-kit's
//! `dbCredentials`), running a list of statements with located errors, and the migration runner
//! (`migrate`). Introspection and push build on these.

pub mod connect;
pub mod introspect;
pub mod migrate;
pub mod mysql;
pub mod postgres;
pub mod sqlite;
pub mod statements;
