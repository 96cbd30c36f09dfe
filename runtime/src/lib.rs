//! schemac's runtime: everything that talks to a live database, through sqlx, with one
//! connection type per dialect (sqlx's `Any` driver mistranslates types and placeholders).
//!
//! So far: PostgreSQL, MySQL/MariaDB and SQLite connections and running a list of statements
//! with located errors. The migration runner, introspection and push build on these.

pub mod mysql;
pub mod postgres;
pub mod sqlite;
pub mod statements;
