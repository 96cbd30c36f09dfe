//! Comparison with the real drizzle-kit: for each PostgreSQL schema of the corpus, the database
//! built from `schemac export` has the same normalized catalog as the one drizzle-kit's
//! generate + migrate builds (`dk.sh compare`, which diffs the two catalogs).

mod support;

use std::process::Command;

use support::{PG_CORPUS as CORPUS, export_statements, fixtures, oracle};

#[test]
fn corpus_catalogs_equal_drizzle_kit() {
    let Some(dk) = oracle() else { return };
    let corpus = fixtures().join("corpus");
    let tmp = std::env::temp_dir().join(format!("schemac-oracle-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut failures = Vec::new();
    for schema in CORPUS {
        let statements =
            export_statements(&corpus, &["--dialect", "postgresql", "--schema", schema]);
        let file = tmp.join(format!("{}.sql", schema.replace(['/', '.'], "_")));
        std::fs::write(&file, statements.join("\n--> statement-breakpoint\n")).unwrap();
        let out = Command::new("bash")
            .arg(dk.join("dk.sh"))
            .args(["compare", "postgresql"])
            .arg(corpus.join(schema))
            .arg(&file)
            .output()
            .expect("dk.sh runs");
        if !out.status.success() {
            failures.push(format!(
                "{schema}:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(
        failures.is_empty(),
        "catalogs differ from drizzle-kit's:\n{}",
        failures.join("\n")
    );
}
