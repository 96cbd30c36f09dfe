//! The snapshot model → Drizzle TypeScript: the `schema.ts` and `relations.ts` that `pull` writes
//! (drizzle-kit's layout; see `spec/pull.md`). Pure: one function, [`generate`], from a model of
//! any dialect (`model.dialect`) to the two files' texts.
//!
//! What the generated `schema.ts` compiles to (with schemac, no `casing`) is the model it was
//! made from, except where the model holds something no builder writes (`spec/pull.md` lists
//! those); the output is valid TypeScript whatever names the database has.

mod relations;
mod schema_file;
mod types;
mod words;

use crate::schema::Dialect;
use crate::snapshot::{self, PgSnapshot};

/// How names in the database become names in TypeScript (`introspect.casing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Casing {
    /// `first_name` → key `firstName` with the name `"first_name"` passed to the builder.
    #[default]
    Camel,
    /// Keys and variables are the database names as they are (made valid identifiers).
    Preserve,
}

impl Casing {
    /// `camel` or `preserve`, as `introspect.casing` spells them.
    pub fn parse(s: &str) -> Option<Casing> {
        match s {
            "camel" => Some(Casing::Camel),
            "preserve" => Some(Casing::Preserve),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub casing: Casing,
}

/// The two files `pull` writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub schema: String,
    pub relations: String,
}

/// `schema.ts` and `relations.ts` for `model`, in the dialect it names (PostgreSQL when it names
/// none schemac knows).
pub fn generate(model: &PgSnapshot, options: &Options) -> Generated {
    let dialect = snapshot::dialect_of(&model.dialect).unwrap_or(Dialect::Postgresql);
    let file = schema_file::SchemaFile::new(model, dialect, options.casing == Casing::Camel);
    let schema = file.write();
    let relations = relations::write(&file);
    Generated { schema, relations }
}

#[cfg(test)]
mod tests;
