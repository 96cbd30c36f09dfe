//! Random truncations and byte edits of valid schema files never make schemac panic or hang:
//! every mutant compiles to a schema or to diagnostics. Runs in-process with one `Project`, so
//! it also exercises the incremental database with thousands of successive edits.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use schemac_compiler::eval::EvalOptions;
use schemac_compiler::project::Project;
use schemac_compiler::schema::Dialect;

/// A small deterministic generator (xorshift), so a failure can be reproduced.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SEEDS: &[&str] = &[
    "tests/fixtures/corpus/pg1_features.ts",
    "tests/fixtures/corpus/pg2_more.ts",
    "examples/blog/src/db/schema.ts",
    "tests/fixtures/projects/saas/src/db/schema/billing.ts",
];

const INSERTS: &[&str] = &[
    "(", ")", "{", "}", "[", "'", "\"", "`", "${", "/", "*", "=>", ",", ";", "é", "\u{0}", ".",
    "?.",
];

fn compile(project: &mut Project, file: &Path, text: &str) {
    std::fs::write(file, text).unwrap();
    let c = project.compile_schema(
        &[file.to_path_buf()],
        BTreeMap::new(),
        EvalOptions {
            dialect: Some(Dialect::Postgresql),
            casing: None,
        },
    );
    // Diagnostics must point inside the file.
    for d in &c.diagnostics {
        for l in &d.labels {
            if l.location.file.as_ref() == file {
                assert!(
                    l.location.span.end as usize <= text.len(),
                    "label past the end: {d:?}"
                );
                assert!(l.location.span.start <= l.location.span.end);
            }
        }
    }
}

fn mutants(text: &str, rng: &mut Rng, count: usize) -> Vec<String> {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let mut out = Vec::new();
    // Truncations at evenly spread points.
    for k in 0..count / 2 {
        let at = boundaries[k * boundaries.len() / (count / 2)];
        out.push(text[..at].to_string());
    }
    // Deletions, insertions and replacements at random points.
    while out.len() < count {
        let a = boundaries[rng.below(boundaries.len())];
        let mut m = text.to_string();
        match rng.below(3) {
            0 => {
                let b = boundaries.iter().copied().find(|&b| b > a).unwrap_or(a);
                m.replace_range(a..b, "");
            }
            1 => m.insert_str(a, INSERTS[rng.below(INSERTS.len())]),
            _ => {
                let b = boundaries.iter().copied().find(|&b| b > a).unwrap_or(a);
                m.replace_range(a..b, INSERTS[rng.below(INSERTS.len())]);
            }
        }
        out.push(m);
    }
    out
}

#[test]
fn mutated_schemas_never_panic() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("schemac-robust-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("schema.ts");
    let mut project = Project::new(&dir);
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    let mut total = 0;
    for seed in SEEDS {
        let text = std::fs::read_to_string(repo.join(seed)).unwrap();
        for m in mutants(&text, &mut rng, 300) {
            compile(&mut project, &file, &m);
            total += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(total >= 1000);
}
