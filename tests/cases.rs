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
        "config-env-library",
        "config-node-paths",
        "evaluation-features",
        "function-properties",
        "query-builder-standalone",
        "scouted-pg-2",
        "view-aggregates",
        "view-over-view",
    ] {
        let statements = export_statements(&fixtures().join("cases").join(case), &[]);
        let db = TempDb::postgres(case);
        db.execute(&statements)
            .unwrap_or_else(|e| panic!("{case}: {e}"));
    }
}

#[test]
fn mysql_case_applies_to_mariadb() {
    let case = "scouted-mysql";
    let statements = export_statements(&fixtures().join("cases").join(case), &[]);
    let db = TempDb::mysql(case);
    db.execute(&statements)
        .unwrap_or_else(|e| panic!("{case}: {e}"));
}
