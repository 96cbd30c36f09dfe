//! Whole projects (tests/fixtures/projects): `schemac export` run in the project gives the
//! statements drizzle-kit 0.31 generated for it (`expected/drizzle-kit-generate.sql`, captured
//! from the real tool), up to schemac's documented differences, and they apply to PostgreSQL.

mod support;

use std::collections::HashSet;
use std::path::Path;

use support::{TempDb, export_statements, fixtures};

/// Project folder, the folder to run in, whether the SQL can be applied here (pgvector is not
/// installed on this machine), and cluster-wide roles the SQL creates.
const PROJECTS: &[(&str, &str, bool, &[&str])] = &[
    ("monorepo", "apps/api", true, &[]),
    ("saas", "", true, &[]),
    ("third-arg-forms", "", true, &[]),
    ("casing", "", true, &[]),
    (
        "rls-supabase",
        "",
        true,
        &["admin", "support_agent", "anon", "authenticated"],
    ),
    ("constants-and-functions", "", true, &[]),
    ("custom-types", "", false, &[]),
];

/// drizzle-kit's statements, split on its breakpoints.
fn drizzle_statements(project: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(project.join("expected/drizzle-kit-generate.sql")).unwrap();
    text.split("--> statement-breakpoint")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Undoes drizzle-kit's quoting of type names that are not enums (`"ip" "inet"`), a bug schemac
/// does not copy (spec/differences.md): `"inet"` becomes `inet` in column definitions.
fn unquote_types(statement: &str, enums: &HashSet<String>) -> String {
    statement
        .lines()
        .map(|line| {
            let Some(rest) = line.strip_prefix('\t') else {
                return line.to_string();
            };
            let Some(end) = rest[1..].find('"').map(|i| i + 2) else {
                return line.to_string();
            };
            let (col, after) = rest.split_at(end);
            let Some(ty) = after.strip_prefix(" \"") else {
                return line.to_string();
            };
            let Some(close) = ty.find('"') else {
                return line.to_string();
            };
            let name = &ty[..close];
            // Enum types stay quoted, also schema-qualified ones (`"billing"."plan"`).
            if enums.contains(name) || !rest.starts_with('"') || ty[close + 1..].starts_with('.') {
                return line.to_string();
            }
            format!("\t{col} {name}{}", &ty[close + 1..])
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn enum_names(statements: &[String]) -> HashSet<String> {
    statements
        .iter()
        .filter_map(|s| s.strip_prefix("CREATE TYPE "))
        .filter_map(|s| s.split(" AS ENUM").next())
        .map(|q| {
            q.rsplit('.')
                .next()
                .unwrap_or(q)
                .trim_matches('"')
                .to_string()
        })
        .collect()
}

#[test]
fn projects_export_what_drizzle_kit_generates() {
    let mut failures = Vec::new();
    for (name, run_in, _, _) in PROJECTS {
        let project = fixtures().join("projects").join(name);
        let ours: Vec<String> = export_statements(&project.join(run_in), &[])
            .iter()
            .map(|s| s.trim().to_string())
            .collect();
        let theirs = drizzle_statements(&project);
        let enums = enum_names(&theirs);
        let theirs: Vec<String> = theirs.iter().map(|s| unquote_types(s, &enums)).collect();
        if ours != theirs {
            let mut report = format!("{name}: statements differ from drizzle-kit's\n");
            for (i, (a, b)) in theirs.iter().zip(&ours).enumerate() {
                if a != b {
                    report.push_str(&format!("  first difference at statement {i}:\n  drizzle-kit: {a}\n  schemac:     {b}\n"));
                    break;
                }
            }
            if theirs.len() != ours.len() {
                report.push_str(&format!(
                    "  drizzle-kit has {} statements, schemac {}\n",
                    theirs.len(),
                    ours.len()
                ));
            }
            failures.push(report);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn projects_apply_to_postgres() {
    for (name, run_in, applies, roles) in PROJECTS {
        if !applies {
            continue;
        }
        let project = fixtures().join("projects").join(name);
        let statements = export_statements(&project.join(run_in), &[]);
        let mut db = TempDb::postgres(name);
        db.roles = roles.iter().map(|r| r.to_string()).collect();
        let setup = project.join("expected/setup.sql");
        if setup.is_file() {
            db.execute(&[std::fs::read_to_string(setup).unwrap()])
                .unwrap_or_else(|e| panic!("{name}: setup: {e}"));
        }
        if let Err(e) = db.execute(&statements) {
            panic!("{name}: the exported SQL does not apply: {e}");
        }
    }
}
