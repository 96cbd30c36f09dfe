//! `schemac status`: which migrations of the folder the database has — applied, pending,
//! out of order, modified — and rows of the migrations table that match no file. Reads only:
//! no lock, the table is not created. See `spec/migrate.md`.

use std::io::Write;

use schemac_runtime::migrate::{State, apply};

use super::folder::{self, Sources};
use super::migrate::{Modified, modified, open, runtime, table_error, target, unknown_rows};
use crate::output::Output;
use crate::{DbArgs, Format};

pub fn run(out: &Output, args: DbArgs) -> u8 {
    let mut sources = Sources::new();
    let t = match target(&args, &mut sources) {
        Ok(t) => t,
        Err(d) => return folder::fail(out, &d, &sources, 1),
    };
    let result = runtime().block_on(async {
        let mut conn = open(&t.credentials, std::time::Duration::from_secs(5)).await?;
        let r = apply::status(&mut conn, &t.table, &t.local).await;
        conn.close().await;
        r.map_err(|e| vec![table_error(&t, &e)])
    });
    let status = match result {
        Ok(s) => s,
        Err(d) => return folder::fail(out, &d, &sources, 1),
    };
    let mut warnings = Vec::new();
    for (i, s) in status.states.iter().enumerate() {
        if let State::Modified { applied_hash } = s {
            warnings.push(modified(&t, i, applied_hash, Modified::Shown));
        }
    }
    if !status.unknown.is_empty() {
        warnings.push(unknown_rows(&t, &status.unknown));
    }
    let count = |name: &str| status.states.iter().filter(|s| s.name() == name).count();
    let summary = format!(
        "{} applied, {} pending, {} out of order, {} modified ({} in {})",
        count("applied"),
        count("pending"),
        count("out-of-order"),
        count("modified"),
        t.table.display(),
        t.credentials.display
    );
    if out.format == Format::Human {
        let mut o = std::io::stdout().lock();
        for (m, s) in t.local.iter().zip(&status.states) {
            let _ = writeln!(o, "{:<13} {}", s.name(), m.tag);
        }
        for r in &status.unknown {
            let _ = writeln!(
                o,
                "{:<13} hash {} created_at {}",
                "unknown", r.hash, r.created_at
            );
        }
        if status.states.contains(&State::OutOfOrder) {
            let _ = writeln!(
                o,
                "out-of-order: not applied, but older than an applied migration; `schemac migrate` refuses them unless --allow-out-of-order"
            );
        }
    }
    let migrations: Vec<serde_json::Value> = t
        .local
        .iter()
        .zip(&status.states)
        .map(|(m, s)| {
            let mut v = serde_json::json!({
                "tag": m.tag,
                "when": m.when,
                "hash": m.hash,
                "state": s.name(),
            });
            if let State::Modified { applied_hash } = s {
                v["appliedHash"] = applied_hash.clone().into();
            }
            v
        })
        .collect();
    folder::succeed(
        out,
        &warnings,
        &sources,
        &summary,
        serde_json::json!({
            "database": t.credentials.display,
            "table": t.table.display(),
            "migrations": migrations,
            "unknown": status.unknown,
        }),
    )
}
