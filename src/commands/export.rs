//! `schemac export`: the SQL that creates the whole schema from an empty database.

use std::io::Write;

use schemac_compiler::schema::Dialect;
use schemac_compiler::{codegen, migration};

use super::load;
use crate::ExportArgs;
use crate::Format;
use crate::output::Output;

pub fn run(out: &Output, args: ExportArgs) -> u8 {
    let loaded = load::compile_for(
        &args.source,
        &[Dialect::Postgresql, Dialect::Mysql, Dialect::Sqlite],
    );
    let diags = loaded.all_diagnostics();
    // Source texts are only needed to render diagnostics.
    let sources = if diags.is_empty() {
        Default::default()
    } else {
        loaded.sources()
    };
    let Some(compilation) = loaded.compilation.as_ref().filter(|_| !loaded.has_errors()) else {
        out.diagnostics(&diags, &sources);
        if out.format == Format::Json {
            out.json(&diags, &sources, serde_json::json!({ "ok": false }));
        }
        return 1;
    };
    let schema = &compilation.schema;
    let ops = migration::plan_create(schema);
    let statements = codegen::statements(schema.dialect, &ops);
    out.diagnostics(&diags, &sources);
    match out.format {
        Format::Human => {
            // A closed pipe (`schemac export | head`) is not an error worth a panic.
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "{}", codegen::export_text(&statements));
        }
        Format::Json => out.json(
            &diags,
            &sources,
            serde_json::json!({ "ok": true, "statements": statements }),
        ),
    }
    // The process exits next: freeing the syntax trees and values one by one would only cost time.
    std::mem::forget(loaded);
    0
}
