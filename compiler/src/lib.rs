//! schemac's compiler: everything from TypeScript source text to SQL, with no database and no
//! network. See `ARCHITECTURE.md` at the repository root for the map.
//!
//! The pipeline, one module per stage:
//! [`config`] → [`project`] (files, [`resolve`], [`db`]) → [`syntax`] (lex, parse) →
//! [`eval`] (evaluate, lower) → [`schema`] (Schema IR) → [`passes`] (checks) →
//! [`migration`] (Migration IR) → [`codegen`] (SQL); [`snapshot`] writes and reads drizzle-kit's
//! snapshots of the Schema IR. Errors everywhere are [`diagnostics`].

pub mod codegen;
pub mod config;
pub mod db;
pub mod diagnostics;
pub mod eval;
pub mod migration;
pub mod passes;
pub mod project;
pub mod resolve;
pub mod schema;
pub mod snapshot;
pub mod span;
pub mod suggest;
pub mod syntax;
pub mod tsgen;
