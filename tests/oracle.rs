//! Comparison with the real drizzle-kit: for each PostgreSQL schema of the corpus, the database
//! built from `schemac export` has the same normalized catalog as the one drizzle-kit's
//! generate + migrate builds (`dk.sh compare`, which diffs the two catalogs).

mod support;

use support::{PG_CORPUS as CORPUS, dk_compare, export_statements, fixtures, oracle};

#[test]
fn corpus_catalogs_equal_drizzle_kit() {
    let Some(dk) = oracle() else { return };
    let corpus = fixtures().join("corpus");
    let tmp = std::env::temp_dir().join(format!("schemac-oracle-{}", std::process::id()));
    let mut failures = Vec::new();
    for schema in CORPUS {
        let statements =
            export_statements(&corpus, &["--dialect", "postgresql", "--schema", schema]);
        failures.extend(dk_compare(
            &dk,
            "postgresql",
            &corpus.join(schema),
            &statements,
            None,
            &tmp,
        ));
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(
        failures.is_empty(),
        "catalogs differ from drizzle-kit's:\n{}",
        failures.join("\n")
    );
}
