//! `schemac up`: upgrades the folder's PostgreSQL snapshots of versions 5 and 6 to version 7 in
//! place (MySQL and SQLite folders are left as they are: drizzle-kit 0.31 writes their only
//! versions). Every snapshot is converted first; only when all of them convert is anything written,
//! each file atomically. The journal and the SQL files are not touched. See `spec/folder.md`.

use schemac_compiler::schema::Dialect;
use schemac_compiler::snapshot::{self, Upgrade};

use super::folder::{self, Sources};
use crate::FolderArgs;
use crate::output::Output;

pub fn run(out: &Output, args: FolderArgs) -> u8 {
    let mut sources = Sources::new();
    let out_dir = match folder::out_dir(&args, &mut sources) {
        Ok(d) => d,
        Err(d) => return folder::fail(out, &d, &sources, 1),
    };
    let found = match folder::load(&out_dir, &mut sources) {
        Ok(f) => f,
        Err(d) => return folder::fail(out, &d, &sources, 1),
    };
    let files = &found.files;
    let mut errors = Vec::new();
    let mut upgraded = Vec::new();
    for (name, text) in &files.snapshots {
        let path = files.snapshot_path(name);
        match snapshot::upgrade(&path, text) {
            Ok(Upgrade::Current) => {}
            Ok(Upgrade::Upgraded { from, text }) => upgraded.push((path, from, text)),
            Err(d) => errors.push(*d),
        }
    }
    if !errors.is_empty() {
        return folder::fail(out, &errors, &sources, 1);
    }
    for (path, _, text) in &upgraded {
        if let Err(d) = folder::write_atomically(path, text) {
            return folder::fail(out, &[d], &sources, 1);
        }
    }
    let dialect = found
        .checked
        .journal
        .as_ref()
        .and_then(|j| snapshot::dialect_of(&j.dialect))
        .unwrap_or(Dialect::Postgresql);
    let line = if dialect != Dialect::Postgresql {
        format!(
            "ok: `schemac up` upgrades PostgreSQL snapshots only; the {} snapshots in {} are of \
             version {}, the one drizzle-kit 0.31 writes, and were left as they are",
            dialect.name(),
            out_dir.display(),
            snapshot::version(dialect)
        )
    } else if upgraded.is_empty() {
        format!(
            "ok: every snapshot in {} is already of version {}",
            out_dir.display(),
            snapshot::pg::VERSION
        )
    } else {
        upgraded
            .iter()
            .map(|(p, from, _)| {
                format!(
                    "upgraded {} from version {from} to {}",
                    p.display(),
                    snapshot::pg::VERSION
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let list: Vec<serde_json::Value> = upgraded
        .iter()
        .map(|(p, from, _)| serde_json::json!({ "file": p.display().to_string(), "from": from.to_string() }))
        .collect();
    folder::succeed(
        out,
        &[],
        &sources,
        &line,
        serde_json::json!({ "upgraded": list }),
    )
}
