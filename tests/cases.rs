//! Small projects for evaluation features real projects rely on (tests/fixtures/cases): each
//! folder's `schemac export` output must equal its `expected.sql`, and apply to PostgreSQL.

mod support;

use support::{TempDb, export_statements, fixtures, schemac, stderr, stdout};

#[test]
fn cases_export_their_expected_sql() {
    let root = fixtures().join("cases");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 4);
    let mut failures = Vec::new();
    for dir in dirs {
        let out = schemac(&dir, &["--color", "never", "export"]);
        let expected = std::fs::read_to_string(dir.join("expected.sql")).unwrap();
        if !out.status.success() || stdout(&out) != expected {
            failures.push(format!(
                "{}: exit {:?}\n--- expected\n{expected}\n--- got\n{}\n{}",
                dir.display(),
                out.status.code(),
                stdout(&out),
                stderr(&out)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn cases_apply_to_postgres() {
    // supabase-neon relies on Supabase's and Neon's auth schemas and roles.
    for case in [
        "async-entry-script",
        "column-builders-object",
        "commonjs-bundled-exports",
        "compiled-es5-templates",
        "compiled-umd-tslib",
        "conditional-require",
        "config-dotenv-runtime",
        "config-env-library",
        "config-fs-readdir",
        "config-node-paths",
        "evaluation-features",
        "fk-to-unique-index",
        "function-properties",
        "geometric-defaults",
        "js-classes",
        "js-builtins-collections",
        "js-builtin-arguments",
        "payload-generated",
        "query-builder-standalone",
        "scouted-pg-2",
        "shared-column-builders",
        "view-alias-distinct-on",
        "view-aggregates",
        "view-over-view",
        "view-set-operations",
        "view-with-queries",
    ] {
        let statements = export_statements(&fixtures().join("cases").join(case), &[]);
        let db = TempDb::postgres(case);
        db.execute(&statements)
            .unwrap_or_else(|e| panic!("{case}: {e}"));
    }
}

#[test]
fn mysql_case_applies_to_mariadb() {
    for case in [
        "fk-to-unique-index-mysql",
        "mysql-shared-unique-builder",
        "mysql-two-column-keys",
        "scouted-mysql",
        "view-alias-mysql",
        "view-set-operations-mysql",
    ] {
        let statements = export_statements(&fixtures().join("cases").join(case), &[]);
        let db = TempDb::mysql(case);
        db.execute(&statements)
            .unwrap_or_else(|e| panic!("{case}: {e}"));
    }
}

/// Set operations drizzle-orm refuses (its SQLite builder has no `intersectAll`; the queries
/// must select the same fields) and a `with` query never given its query are errors.
#[test]
fn view_queries_drizzle_orm_refuses_are_errors() {
    let cases = [
        (
            "sqlite",
            "qb.select({ id: a.id }).from(a).intersectAll(qb.select({ id: b.id }).from(b))",
            "SQLite has no `intersect all`",
        ),
        (
            "postgresql",
            "qb.select({ id: a.id }).from(a).union(qb.select({ key: b.id }).from(b))",
            "the queries of `union` select different fields (id and key)",
        ),
        (
            "postgresql",
            "qb.with(qb.$with('sq')).select({ id: a.id }).from(a)",
            "the `with` query `sq` has no query",
        ),
    ];
    for (dialect, query, message) in cases {
        let dir = tempfile::tempdir().unwrap();
        let (core, table, view) = match dialect {
            "sqlite" => ("sqlite-core", "sqliteTable", "sqliteView"),
            _ => ("pg-core", "pgTable", "pgView"),
        };
        std::fs::write(
            dir.path().join("drizzle.config.ts"),
            format!("export default {{ dialect: '{dialect}', schema: './schema.ts' }};"),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("schema.ts"),
            format!(
                "import {{ integer, {table}, {view} }} from 'drizzle-orm/{core}';\n\
                 export const a = {table}('a', {{ id: integer('id') }});\n\
                 export const b = {table}('b', {{ id: integer('id') }});\n\
                 export const v = {view}('v').as((qb) => {query});\n"
            ),
        )
        .unwrap();
        let out = schemac(dir.path(), &["--color", "never", "export"]);
        assert_eq!(out.status.code(), Some(1), "{query}: {}", stdout(&out));
        assert!(stderr(&out).contains(message), "{query}: {}", stderr(&out));
    }
}
