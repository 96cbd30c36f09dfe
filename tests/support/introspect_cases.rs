//! Shared by the introspection suites (`tests/introspect_mysql.rs`, `tests/introspect_sqlite.rs`):
//! a schema's database read back and compared with its model, a readable difference between two
//! snapshot texts.

use schemac_compiler::schema::Schema;
use schemac_compiler::snapshot::{self, PgSnapshot};

/// `live` (read from the database `schema`'s export made), aligned with `desired` (the schema's
/// model) and compared three ways: the snapshot file's text, the whole model (it holds more than
/// the file writes: index key order and nulls, ...), and push's diff, which must be empty.
/// `None` when all agree, else a readable difference under `label`.
pub fn read_back_differences(
    label: &str,
    desired: &PgSnapshot,
    mut live: PgSnapshot,
    schema: &Schema,
) -> Option<String> {
    snapshot::live::align(&mut live, desired);
    let (want, got) = (snapshot::to_json(desired), snapshot::to_json(&live));
    if want != got {
        return Some(format!("{label}:\n{}", line_diff(&want, &got)));
    }
    let (want, got) = (
        serde_json::to_string_pretty(desired).unwrap(),
        serde_json::to_string_pretty(&live).unwrap(),
    );
    if want != got {
        return Some(format!("{label} (model):\n{}", line_diff(&want, &got)));
    }
    let statements = push_statements(&live, schema);
    (!statements.is_empty()).then(|| format!("{label} (push):\n{}", statements.join("\n")))
}

/// A line diff of two texts, `-` for `want`'s lines missing in `got` and `+` for the reverse.
pub fn line_diff(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    // Longest common subsequence, small enough for snapshot texts.
    let mut lcs = vec![vec![0usize; g.len() + 1]; w.len() + 1];
    for i in (0..w.len()).rev() {
        for j in (0..g.len()).rev() {
            lcs[i][j] = if w[i] == g[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < w.len() || j < g.len() {
        if i < w.len() && j < g.len() && w[i] == g[j] {
            i += 1;
            j += 1;
        } else if j < g.len() && (i == w.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!("+ {}\n", g[j]));
            j += 1;
        } else {
            out.push_str(&format!("- {}\n", w[i]));
            i += 1;
        }
    }
    out
}

/// The statements that would take a database read as `live` to `schema` (push's diff; a rename
/// question is answered with its likeliest candidate when that scores at least 0.5, the
/// fixtures' renames being of that kind, else "create").
pub fn push_statements(
    live: &schemac_compiler::snapshot::PgSnapshot,
    schema: &schemac_compiler::schema::Schema,
) -> Vec<String> {
    use schemac_compiler::migration::{self, rename};
    let desired = super::migrate::model(schema);
    let decided = rename::resolve(live, &desired, &mut |q| match q.candidates.first() {
        Some(c) if c.score >= 0.5 => rename::Answer::Rename(c.removed.clone()),
        _ => rename::Answer::Create,
    });
    let ops = migration::diff(live, schema, &desired, &decided).expect("a supported diff");
    let ops = migration::for_dialect(ops, live, &desired, &decided, schema);
    schemac_compiler::codegen::statements(schema.dialect, &ops)
}

/// Evolution by push: `versions[0]`'s export is applied by the caller; each later version is
/// diffed from the database `url` holds (read and aligned), applied with `execute`, and the
/// database then reads back as that version. Before each step the database must not already
/// compare equal to the next version (the step would prove nothing).
pub fn push_each_version(
    versions: &[std::sync::Arc<Schema>],
    url: &str,
    execute: &dyn Fn(&[String]) -> Result<(), String>,
) {
    for (i, next) in versions.iter().enumerate().skip(1) {
        let desired = super::migrate::model(next);
        let read = || {
            let mut live = super::introspect(url, &Default::default()).unwrap();
            snapshot::live::align(&mut live, &desired);
            live
        };
        let live = read();
        assert_ne!(
            snapshot::to_json(&desired),
            snapshot::to_json(&live),
            "step {i}: the database already compares equal to the next version's model",
        );
        let statements = push_statements(&live, next);
        execute(&statements).unwrap_or_else(|e| panic!("step {i}: {e}"));
        let (want, got) = (snapshot::to_json(&desired), snapshot::to_json(&read()));
        assert_eq!(want, got, "step {i}:\n{}", line_diff(&want, &got));
    }
}
