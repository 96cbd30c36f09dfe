//! `schemac check`: is the migrations folder consistent? Every problem `snapshot::folder::check`
//! finds is reported at once; exit 1 on any error. See `spec/folder.md`.

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
    let diags = &found.checked.diagnostics;
    if found.checked.has_errors() {
        return folder::fail(out, diags, &sources, 1);
    }
    let migrations = found
        .checked
        .journal
        .as_ref()
        .map_or(0, |j| j.entries.len());
    let line = if !found.exists {
        format!(
            "ok: {} does not exist yet (no migrations)",
            out_dir.display()
        )
    } else {
        format!(
            "ok: {} has {migrations} migration{}; the journal, SQL files and snapshots agree",
            out_dir.display(),
            if migrations == 1 { "" } else { "s" }
        )
    };
    folder::succeed(
        out,
        diags,
        &sources,
        &line,
        serde_json::json!({
            "out": out_dir.display().to_string(),
            "migrations": migrations,
        }),
    )
}
