//! Stage 4: semantic checks over the Schema IR. Each check is a function from the schema to
//! diagnostics; [`check`] runs them all.

pub mod annotations;
mod checks;

use crate::diagnostics::Diagnostic;
use crate::schema::Schema;

/// Runs every check.
pub fn check(schema: &Schema) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    checks::duplicate_names(schema, &mut out);
    checks::foreign_keys(schema, &mut out);
    checks::enum_defaults(schema, &mut out);
    checks::default_types(schema, &mut out);
    checks::identifier_lengths(schema, &mut out);
    checks::enums_exist(schema, &mut out);
    checks::two_primary_keys(schema, &mut out);
    checks::column_primary_keys(schema, &mut out);
    checks::mysql_text_keys(schema, &mut out);
    checks::sqlite_expression_defaults(schema, &mut out);
    checks::mysql_auto_increment(schema, &mut out);
    out
}
