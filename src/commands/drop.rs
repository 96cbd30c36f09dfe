//! `schemac drop`: removes one migration — its `<tag>.sql`, its snapshot and its journal entry —
//! so that the folder stays consistent. The new journal is written atomically first (with the
//! next snapshot's repaired `prevId` just before it); the files are removed only after. Never
//! touches a database. See `spec/folder.md`.

use std::io::IsTerminal;
use std::path::PathBuf;

use schemac_compiler::diagnostics::{Diagnostic, codes};
use schemac_compiler::snapshot::folder::snapshot_file;
use schemac_compiler::snapshot::{self, Journal};

use super::folder::{self, Folder, Sources};
use crate::DropArgs;
use crate::output::Output;

pub fn run(out: &Output, args: DropArgs) -> u8 {
    let mut sources = Sources::new();
    let out_dir = match folder::out_dir(&args.folder, &mut sources) {
        Ok(d) => d,
        Err(d) => return folder::fail(out, &d, &sources, 1),
    };
    let found = match folder::load(&out_dir, &mut sources) {
        Ok(f) => f,
        Err(d) => return folder::fail(out, &d, &sources, 1),
    };
    let Some(journal) = found.checked.journal.clone() else {
        // The journal is missing or unreadable: say why (check's diagnostics about it).
        let mut diags: Vec<Diagnostic> = found
            .checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        if diags.is_empty() {
            diags.push(folder::folder_error(format!(
                "{} has no migrations to drop",
                out_dir.display()
            )));
        }
        return folder::fail(out, &diags, &sources, 1);
    };
    if journal.entries.is_empty() {
        let d = folder::folder_error(format!("{} has no migrations to drop", out_dir.display()));
        return folder::fail(out, &[d], &sources, 1);
    }
    let index = match choose(&args, &journal) {
        Ok(i) => i,
        Err((d, code)) => return folder::fail(out, &[*d], &sources, code),
    };
    match drop_at(&found, &journal, index) {
        Ok((removed, warnings)) => {
            let tag = &journal.entries[index].tag;
            let names: Vec<String> = removed.iter().map(|p| p.display().to_string()).collect();
            let line = format!(
                "dropped migration {tag}: removed {} and its journal entry",
                names.join(", ")
            );
            folder::succeed(
                out,
                &warnings,
                &sources,
                &line,
                serde_json::json!({ "dropped": tag, "removed": names }),
            )
        }
        Err(d) => folder::fail(out, &[d], &sources, 1),
    }
}

/// The journal index of the migration to drop: the tag given, the last with `--last`, or the
/// one picked on a terminal. Without a terminal and without a choice: exit 2, listing the tags.
fn choose(args: &DropArgs, journal: &Journal) -> Result<usize, (Box<Diagnostic>, u8)> {
    let tags: Vec<&str> = journal.entries.iter().map(|e| e.tag.as_str()).collect();
    if args.last {
        return Ok(tags.len() - 1);
    }
    if let Some(tag) = args.tag.as_deref().or(args.tag_flag.as_deref()) {
        return tags.iter().position(|t| *t == tag).ok_or_else(|| {
            let d = Diagnostic::error(
                codes::CLI_NEEDS_CHOICE,
                format!("the journal has no migration `{tag}`"),
            )
            .with_note(format!("its migrations: {}", tags.join(", ")));
            let d = match schemac_compiler::suggest::closest(tag, tags.iter().copied()) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d,
            };
            (Box::new(d), 1)
        });
    }
    if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        return dialoguer::Select::new()
            .with_prompt("Which migration do you want to drop?")
            .items(&tags)
            .default(tags.len() - 1)
            .interact_opt()
            .ok()
            .flatten()
            .ok_or_else(|| {
                let d = Diagnostic::error(codes::CLI_NEEDS_CHOICE, "no migration was chosen")
                    .with_note("nothing was changed");
                (Box::new(d), 1)
            });
    }
    let last = tags[tags.len() - 1];
    let d = Diagnostic::error(
        codes::CLI_NEEDS_CHOICE,
        "which migration should be dropped? none was named, and there is no terminal to ask",
    )
    .with_note(format!("the journal's migrations: {}", tags.join(", ")))
    .with_help(format!(
        "name one: `schemac drop --tag {last}` (or `schemac drop --last` for the last one)"
    ));
    Err((Box::new(d), 2))
}

/// Drops the migration at `index`: repairs the next snapshot's `prevId` (when it is not the
/// last), writes the journal without it, then removes its SQL file and snapshot. Returns the
/// removed files and the warnings.
fn drop_at(
    found: &Folder,
    journal: &Journal,
    index: usize,
) -> Result<(Vec<PathBuf>, Vec<Diagnostic>), Diagnostic> {
    let files = &found.files;
    let entry = &journal.entries[index];
    let snap_name = snapshot_file(&entry.tag);
    let mut warnings = Vec::new();
    // The repaired next snapshot, written before the journal.
    let mut repaired = None;
    if let Some(next) = journal.entries.get(index + 1) {
        let later: Vec<&str> = journal.entries[index + 1..]
            .iter()
            .map(|e| e.tag.as_str())
            .collect();
        let mut w = Diagnostic::warning(
            codes::DROPPED_BELOW_OTHERS,
            format!(
                "`{}` was not the last migration: {} {} generated on top of it",
                entry.tag,
                later.join(", "),
                if later.len() == 1 { "was" } else { "were" }
            ),
        )
        .with_note(
            "their SQL and snapshots still assume its changes; a database that never had them \
             may not accept the later migrations",
        )
        .with_help(
            "review the later migrations, or drop them too and run `schemac build` to write \
             them again",
        );
        match repair_prev_id(files, &snap_name, &snapshot_file(&next.tag)) {
            Ok(r) => {
                if let Some((path, _, new_prev)) = &r {
                    w = w.with_note(format!(
                        "{}'s prevId is now {new_prev}, the prevId of the dropped snapshot",
                        path.display()
                    ));
                }
                repaired = r;
            }
            Err(reason) => {
                w = w.with_note(format!("the prevId chain was not repaired: {reason}"));
            }
        }
        warnings.push(w);
    }
    let mut new_journal = journal.clone();
    new_journal.entries.remove(index);
    if let Some((path, text, _)) = &repaired {
        folder::write_atomically(path, text)?;
    }
    folder::write_atomically(
        &files.journal_path(),
        &snapshot::journal_to_json(&new_journal),
    )?;
    // The bundle of the Expo and Durable Objects drivers imports every migration: without the
    // dropped one.
    let bundle = files.out.join("migrations.js");
    if bundle.is_file() {
        folder::write_atomically(&bundle, &super::build::migrations_bundle(&new_journal))?;
    }
    let mut removed = Vec::new();
    let sql = files.sql_path(&entry.tag);
    // Another entry whose tag has the same prefix would share the snapshot file: keep it then.
    let shared = new_journal
        .entries
        .iter()
        .any(|e| snapshot_file(&e.tag) == snap_name);
    let snap = files.snapshot_path(&snap_name);
    for path in [Some(sql), (!shared).then_some(snap)].into_iter().flatten() {
        match std::fs::remove_file(&path) {
            Ok(()) => removed.push(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(folder::folder_error(format!(
                    "the journal entry was removed, but {} could not be: {e}",
                    path.display()
                ))
                .with_help("delete the file by hand"));
            }
        }
    }
    Ok((removed, warnings))
}

/// The next snapshot's text with its `prevId` set to the dropped snapshot's `prevId`: only that
/// string changes, the rest of the file stays byte for byte. `None` when nothing changes.
#[allow(clippy::type_complexity)]
fn repair_prev_id(
    files: &snapshot::folder::FolderFiles,
    dropped: &str,
    next: &str,
) -> Result<Option<(PathBuf, String, String)>, String> {
    let prev_of = |name: &str| -> Result<(String, String), String> {
        let text = files
            .snapshots
            .get(name)
            .ok_or_else(|| format!("meta/{name} is missing"))?;
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("meta/{name} is not JSON: {e}"))?;
        let prev = value
            .get("prevId")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| format!("meta/{name} has no prevId"))?;
        Ok((prev.to_string(), text.clone()))
    };
    let (new_prev, _) = prev_of(dropped)?;
    let (old_prev, text) = prev_of(next)?;
    if old_prev == new_prev {
        return Ok(None);
    }
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let old_key = format!("\"prevId\": {}", q(&old_prev));
    let new_text = if text.contains(&old_key) {
        text.replacen(&old_key, &format!("\"prevId\": {}", q(&new_prev)), 1)
    } else {
        // Not drizzle-kit's formatting: rewrite the document (keys keep their order).
        let mut value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| e.to_string())?;
        value["prevId"] = serde_json::Value::String(new_prev.clone());
        serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?
    };
    Ok(Some((files.snapshot_path(next), new_text, new_prev)))
}
