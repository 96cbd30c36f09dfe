//! `schemac export` on PostgreSQL schemas: the SQL (snapshotted) applies to a fresh database.

mod support;

use support::{PG_CORPUS as CORPUS, TempDb, export_statements, fixtures};

fn export_corpus(schema: &str) -> Vec<String> {
    export_statements(
        &fixtures().join("corpus"),
        &["--dialect", "postgresql", "--schema", schema],
    )
}

#[test]
fn corpus_exports_apply_to_a_fresh_database() {
    for schema in CORPUS {
        let statements = export_corpus(schema);
        assert!(!statements.is_empty(), "{schema}: no statements");
        let db = TempDb::postgres("corpus");
        if let Err(e) = db.execute(&statements) {
            panic!("{schema}: the exported SQL does not apply: {e}");
        }
    }
}

#[test]
fn corpus_exports_match_snapshots() {
    for schema in CORPUS {
        let sql = export_corpus(schema).join("\n");
        let name = schema.replace(['/', '.'], "_");
        insta::with_settings!({ snapshot_path => "snapshots/export", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, sql);
        });
    }
}

/// The README's main job: `schemac export` in examples/blog.
#[test]
fn the_example_project_exports_and_applies() {
    let statements = export_statements(&support::repo().join("examples/blog"), &[]);
    assert!(
        statements
            .iter()
            .any(|s| s.starts_with("CREATE TABLE \"posts\""))
    );
    let db = TempDb::postgres("example");
    db.execute(&statements)
        .unwrap_or_else(|e| panic!("examples/blog: {e}"));
}
