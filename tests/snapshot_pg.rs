//! Snapshots: for each PostgreSQL schema of the corpus (and `fixtures/snapshot/`), the snapshot schemac writes from the
//! Schema IR is byte for byte the one the real drizzle-kit's `generate` writes (its
//! `meta/0000_snapshot.json`), except the random `id`, which is taken from drizzle-kit's file;
//! the journal matches except `when` (the clock) and the random part of `tag`.
//! Needs the oracle (`support::oracle`); skipped without it.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use schemac_compiler::eval::EvalOptions;
use schemac_compiler::project::{Project, schema_files};
use schemac_compiler::schema::Dialect;
use schemac_compiler::snapshot;
use support::{fixtures, oracle};

/// Schemas under `tests/fixtures`: the corpus, and one more for what the corpus does not use.
const SCHEMAS: &[&str] = &[
    "corpus/pg1_features.ts",
    "corpus/pg2_more.ts",
    "corpus/pg3_dir",
    "corpus/steps/pg_v1.ts",
    "corpus/steps/pg_v2.ts",
    "corpus/steps/pg_v2_norename.ts",
    "snapshot/pg_extra.ts",
];

fn schemac_snapshot(dir: &Path, schema: &str, id: &str) -> String {
    let files = schema_files(dir, &[schema.to_string()]).expect("schema files");
    let mut project = Project::new(dir);
    let options = EvalOptions {
        dialect: Some(Dialect::Postgresql),
        casing: None,
    };
    let c = project.compile_schema(&files, BTreeMap::new(), options);
    assert!(!c.has_errors(), "{schema}: {:?}", c.diagnostics);
    snapshot::to_json(&snapshot::from_schema(&c.schema, id, snapshot::ORIGIN_UUID))
}

#[test]
fn corpus_snapshots_equal_drizzle_kit() {
    let Some(dk) = oracle() else { return };
    let fixtures = fixtures();
    let tmp = std::env::temp_dir().join(format!("schemac-snapshot-{}", std::process::id()));
    let mut failures = Vec::new();
    for schema in SCHEMAS {
        let out_dir = tmp.join(schema.replace(['/', '.'], "_"));
        let out = Command::new("bash")
            .arg(dk.join("dk.sh"))
            .args(["generate", "postgresql"])
            .arg(fixtures.join(schema))
            .arg(&out_dir)
            .output()
            .expect("dk.sh runs");
        assert!(
            out.status.success(),
            "drizzle-kit generate failed on {schema}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let meta = out_dir.join("migrations/meta");
        let theirs = std::fs::read_to_string(meta.join("0000_snapshot.json")).unwrap();
        let parsed = snapshot::read(&meta.join("0000_snapshot.json"), &theirs)
            .unwrap_or_else(|d| panic!("{schema}: drizzle-kit's snapshot does not read: {d:?}"));
        // Reading and writing drizzle-kit's file gives it back unchanged.
        if snapshot::to_json(&parsed) != theirs {
            failures.push(format!(
                "{schema}: read + to_json changes drizzle-kit's snapshot"
            ));
        }
        let ours = schemac_snapshot(&fixtures, schema, &parsed.id);
        if ours != theirs {
            let ours_path = out_dir.join("schemac_snapshot.json");
            std::fs::write(&ours_path, &ours).unwrap();
            let diff = Command::new("diff")
                .arg("-u")
                .arg(meta.join("0000_snapshot.json"))
                .arg(&ours_path)
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                .unwrap_or_default();
            failures.push(format!("{schema} (- drizzle-kit, + schemac):\n{diff}"));
        }
        let journal_text = std::fs::read_to_string(meta.join("_journal.json")).unwrap();
        let journal = snapshot::read_journal(&meta.join("_journal.json"), &journal_text).unwrap();
        assert_eq!(
            snapshot::journal_to_json(&journal),
            journal_text,
            "{schema}"
        );
        let mut expected = snapshot::Journal::new("postgresql");
        expected.entries.push(snapshot::JournalEntry {
            idx: 0,
            version: "7".into(),
            when: journal.entries[0].when,
            tag: journal.entries[0].tag.clone(),
            breakpoints: true,
        });
        assert_eq!(journal, expected, "{schema}");
        assert!(journal.entries[0].tag.starts_with("0000_"), "{schema}");
    }
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    assert!(
        failures.is_empty(),
        "snapshots differ from drizzle-kit's:\n{}",
        failures.join("\n")
    );
}
