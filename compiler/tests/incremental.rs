//! The front end is incremental: compiling again after editing one file re-parses that file
//! only, and compiling again without edits executes no query at all.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use schemac_compiler::db::Database;
use schemac_compiler::eval::EvalOptions;
use schemac_compiler::project::Project;
use schemac_compiler::schema::Dialect;

fn options() -> EvalOptions {
    EvalOptions {
        dialect: Some(Dialect::Postgresql),
        casing: None,
    }
}

fn count(log: &Arc<Mutex<Vec<String>>>, query: &str) -> usize {
    log.lock()
        .unwrap()
        .iter()
        .filter(|e| e.starts_with(&format!("{query}(")))
        .count()
}

#[test]
fn an_edit_reparses_one_file_and_no_edit_executes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "schema.ts",
        "import { pgTable, integer } from 'drizzle-orm/pg-core';\nimport { name } from './names';\nimport { label } from './columns';\nexport const t = pgTable(name, { id: integer('id'), label: label() });\n",
    );
    write("names.ts", "export const name = 'things';\n");
    write(
        "columns.ts",
        "import { text } from 'drizzle-orm/pg-core';\nexport const label = () => text('label');\n",
    );
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut project = Project::with_database(dir.path(), Database::with_execution_log(log.clone()));
    let entry = vec![dir.path().join("schema.ts")];

    let first = project.compile_schema(&entry, BTreeMap::new(), options());
    assert!(!first.has_errors(), "{:?}", first.diagnostics);
    assert_eq!(count(&log, "parse"), 3);
    assert_eq!(count(&log, "schema"), 1);

    log.lock().unwrap().clear();
    let again = project.compile_schema(&entry, BTreeMap::new(), options());
    assert_eq!(again.schema, first.schema);
    assert_eq!(count(&log, "parse"), 0, "{:?}", log.lock().unwrap());
    assert_eq!(count(&log, "schema"), 0, "{:?}", log.lock().unwrap());

    log.lock().unwrap().clear();
    write("names.ts", "export const name = 'items';\n");
    let edited = project.compile_schema(&entry, BTreeMap::new(), options());
    assert_eq!(count(&log, "parse"), 1, "{:?}", log.lock().unwrap());
    assert_eq!(count(&log, "schema"), 1);
    assert_eq!(edited.schema.tables[0].name, "items");
}
