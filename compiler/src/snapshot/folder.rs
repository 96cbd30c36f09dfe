//! Validation of a whole migrations folder: the journal, the SQL files and the snapshots agree,
//! and the snapshots form one chain. Pure: the caller reads the files (`FolderFiles`) and gets
//! every problem at once as `Diagnostic`s. See `spec/folder.md`.
//!
//! The entry point is [`check`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, codes};
use crate::span::Span;

use super::{Journal, JournalEntry, ORIGIN_UUID, PgSnapshot, dialect_of, read, read_journal};
use crate::schema::Dialect;

/// The files of a migrations folder as the caller found them.
#[derive(Debug, Clone, Default)]
pub struct FolderFiles {
    /// `<out>`: only used to name files in messages.
    pub out: PathBuf,
    /// The text of `meta/_journal.json`, when the file exists.
    pub journal: Option<String>,
    /// Every `.json` file of `meta/` but the journal, by file name, with its text.
    pub snapshots: BTreeMap<String, String>,
    /// The names of the `.sql` files directly in `<out>`.
    pub sql_files: BTreeSet<String>,
    /// Folders of `<out>` holding a `migration.sql` or `snapshot.json`: drizzle-kit v1's layout
    /// (`<timestamp>_<name>/`, no journal), which schemac does not read.
    pub v1_migrations: Vec<String>,
}

impl FolderFiles {
    pub fn journal_path(&self) -> PathBuf {
        self.out.join("meta").join("_journal.json")
    }

    pub fn snapshot_path(&self, name: &str) -> PathBuf {
        self.out.join("meta").join(name)
    }

    pub fn sql_path(&self, tag: &str) -> PathBuf {
        self.out.join(format!("{tag}.sql"))
    }
}

/// What [`check`] found.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// The journal, when it could be read (of any dialect).
    pub journal: Option<Journal>,
    /// The snapshot of each journal entry, in journal order; `None` when it is missing or cannot
    /// be read (a diagnostic says why).
    pub snapshots: Vec<Option<PgSnapshot>>,
    /// Every problem, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The snapshot file of a journal tag: `<the tag up to its first '_'>_snapshot.json`, as
/// drizzle-kit names it (`0003_brave_otter` → `0003_snapshot.json`, `_init` → `_snapshot.json`).
pub fn snapshot_file(tag: &str) -> String {
    let prefix = tag.split('_').next().unwrap_or_default();
    format!("{prefix}_snapshot.json")
}

/// The dialect the journal's last snapshot names (`snapshot_text` gives a snapshot's text by
/// file name), when it names another dialect schemac reads than the journal does. drizzle-kit
/// reads only the snapshots: an old pulled MySQL folder whose journal says `postgresql` works
/// with it, and so with schemac, which follows the snapshots (with warning W6014).
///
/// Only the snapshot's start is read, up to its top-level `dialect` (drizzle-kit writes it near
/// the start, before the tables): the rest of a snapshot megabytes long is left to the full read, which
/// reports what is wrong with it.
pub fn snapshots_dialect_over_journal<T: AsRef<str>>(
    journal: &Journal,
    snapshot_text: impl Fn(&str) -> Option<T>,
) -> Option<String> {
    let text = journal
        .entries
        .iter()
        .rev()
        .find_map(|e| snapshot_text(&snapshot_file(&e.tag)))?;
    let theirs = dialect_of(&leading_dialect(text.as_ref())?)?;
    (dialect_of(&journal.dialect) != Some(theirs)).then(|| theirs.name().to_string())
}

/// The string value of a JSON object's top-level `dialect` key, reading no further than that key.
pub(super) fn leading_dialect(text: &str) -> Option<String> {
    use serde::Deserializer as _;
    use serde::de::{IgnoredAny, MapAccess, Visitor};

    struct Until<'a>(&'a mut Option<String>);
    impl<'de> Visitor<'de> for Until<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a snapshot object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<String>()? {
                if key == "dialect" {
                    *self.0 = Some(map.next_value()?);
                    return Ok(());
                }
                map.next_value::<IgnoredAny>()?;
            }
            Ok(())
        }
    }
    let mut found = None;
    // Stopping inside the object is an error for serde_json (the object is not closed): what
    // was found before it is the answer.
    let _ = serde_json::Deserializer::from_str(text).deserialize_map(Until(&mut found));
    found
}

/// The warning for [`snapshots_dialect_over_journal`].
pub fn journal_dialect_warning(
    journal_path: &Path,
    text: &str,
    journal: &str,
    snapshots: &str,
) -> Diagnostic {
    Diagnostic::warning(
        codes::FOLDER_JOURNAL_DIALECT,
        format!(
            "{} says its folder is {journal}, but its snapshots are {snapshots}; schemac follows the snapshots, as drizzle-kit does",
            journal_path.display()
        ),
    )
    .with_label(
        &Arc::from(journal_path),
        span_of(text, "\"dialect\""),
        "this dialect",
    )
    .with_help(format!("set `\"dialect\": \"{snapshots}\"` in the journal"))
}

/// How much of each snapshot [`check_with`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Every snapshot is read whole (`schemac check`).
    Full,
    /// Only the journal's last snapshot is read whole; the others only for their version, `id`
    /// and `prevId` (`build`, which diffs against the last one: a long folder of large
    /// snapshots stays cheap to check).
    Last,
}

/// Checks a migrations folder of any dialect: the journal reads and names a dialect schemac
/// knows; every journal entry has its `<tag>.sql` and its snapshot; no file is outside the
/// journal; every snapshot is of the journal's dialect and reads as its version (PostgreSQL 7,
/// MySQL 5, SQLite 6); the `prevId`s follow the journal order; no two snapshots share an `id`
/// or (a collision of two parallel branches) a `prevId`.
pub fn check(files: &FolderFiles) -> Checked {
    check_with(files, Depth::Full)
}

/// [`check`], reading snapshots to `depth`. With [`Depth::Last`], [`Checked::snapshots`] holds
/// only the last one.
pub fn check_with(files: &FolderFiles, depth: Depth) -> Checked {
    let journal_path: Arc<Path> = Arc::from(files.journal_path().as_path());
    let Some(text) = files.journal.as_deref() else {
        let mut diags = Vec::new();
        if let Some(first) = files.v1_migrations.first() {
            diags.push(
                folder_error(format!(
                    "{} holds drizzle-kit v1 migrations ({first}/, ...): schemac reads the folders of drizzle-kit 0.x (meta/_journal.json)",
                    files.out.display()
                ))
                .with_note("building on it would write a first migration that creates everything again")
                .with_help("keep using drizzle-kit v1 for this folder, or give schemac another folder with --out"),
            );
        }
        if let Some(first) = files.snapshots.keys().next() {
            diags.push(
                folder_error(format!(
                    "{} has snapshots ({first}, ...) but no _journal.json",
                    files.out.join("meta").display()
                ))
                .with_help("restore meta/_journal.json, or start a new folder with --out"),
            );
        }
        diags.extend(files.sql_files.iter().map(|s| untracked_sql(files, s)));
        return snapshots_only(files, diags, depth);
    };
    let mut journal = match read_journal(&journal_path, text) {
        Ok(j) => j,
        Err(d) => return snapshots_only(files, vec![*d], depth),
    };
    let mut notice = None;
    if let Some(theirs) = snapshots_dialect_over_journal(&journal, |name| files.snapshots.get(name))
    {
        notice = Some(journal_dialect_warning(
            &journal_path,
            text,
            &journal.dialect,
            &theirs,
        ));
        journal.dialect = theirs;
    }
    // `pg` is the name older drizzle-kit journals use.
    let Some(dialect) = dialect_of(&journal.dialect) else {
        let d = folder_error(format!(
            "{} is the journal of a {} folder; schemac reads PostgreSQL, MySQL and SQLite folders",
            journal_path.display(),
            journal.dialect
        ))
        .with_label(&journal_path, span_of(text, "\"dialect\""), "this dialect")
        .with_help("use another --out for the migrations of this schema");
        return Checked {
            journal: Some(journal),
            snapshots: Vec::new(),
            diagnostics: vec![d],
        };
    };
    let mut checked = with_journal(files, journal, dialect, text, depth);
    checked.diagnostics.extend(notice);
    checked
}

/// Without a (readable) journal the snapshots can still be read and compared with each other.
fn snapshots_only(files: &FolderFiles, mut diagnostics: Vec<Diagnostic>, depth: Depth) -> Checked {
    let whole = |_: &str| depth == Depth::Full;
    let parsed = read_all(files, files.snapshots.keys(), &whole, &mut diagnostics);
    diagnostics.extend(shared_ids(files, &parsed, &[]));
    Checked {
        diagnostics,
        ..Checked::default()
    }
}

/// Every check of a folder whose journal reads.
fn with_journal(
    files: &FolderFiles,
    journal: Journal,
    dialect: Dialect,
    text: &str,
    depth: Depth,
) -> Checked {
    let mut diags = Vec::new();
    if journal.entries.is_empty()
        && let Some(first) = files.snapshots.keys().next()
    {
        diags.push(folder_error(format!(
            "{} has no entries, but {} has snapshots ({first}, ...)",
            files.journal_path().display(),
            files.out.join("meta").display()
        )));
    }
    diags.extend(duplicate_entries(files, &journal, text));
    diags.extend(missing_files(files, &journal, text));
    diags.extend(untracked(files, &journal));
    // Each journal snapshot file with its tag, in journal order.
    let tags: Vec<(String, &str)> = journal
        .entries
        .iter()
        .map(|e| (snapshot_file(&e.tag), e.tag.as_str()))
        .collect();
    // The journal's snapshots first, so their read errors come in journal order.
    let names = tags.iter().map(|(n, _)| n).chain(
        files
            .snapshots
            .keys()
            .filter(|n| !tags.iter().any(|(t, _)| t == *n)),
    );
    let last = tags.last().map(|(n, _)| n.as_str());
    let whole = |name: &str| depth == Depth::Full || Some(name) == last;
    let mut parsed = read_all(files, names, &whole, &mut diags);
    diags.extend(other_dialects(files, &journal, dialect, &parsed));
    let collided = shared_ids(files, &parsed, &tags);
    let in_collision: BTreeSet<&str> = collided
        .iter()
        .filter(|d| d.code == codes::FOLDER_COLLISION || d.code == codes::FOLDER_DUPLICATE_ID)
        .flat_map(|d| d.labels.iter())
        .filter_map(|l| l.location.file.file_name().and_then(|n| n.to_str()))
        .collect();
    diags.extend(chain(files, &journal, &parsed, &in_collision, depth));
    diags.extend(collided);
    let snapshots = tags
        .iter()
        .map(|(n, _)| parsed.remove(n).and_then(|r| r.whole))
        .collect();
    Checked {
        journal: Some(journal),
        snapshots,
        diagnostics: diags,
    }
}

/// Snapshots of another dialect than the journal's.
fn other_dialects(
    files: &FolderFiles,
    journal: &Journal,
    dialect: Dialect,
    parsed: &BTreeMap<String, Read>,
) -> Vec<Diagnostic> {
    parsed
        .iter()
        .filter(|(_, r)| r.dialect != dialect)
        .map(|(name, r)| {
            let path: Arc<Path> = Arc::from(files.snapshot_path(name).as_path());
            let text = files.snapshots.get(name).map_or("", String::as_str);
            Diagnostic::error(
                codes::SNAPSHOT_INVALID,
                format!(
                    "{} is a {} snapshot, but the journal is of a {} folder",
                    files.snapshot_path(name).display(),
                    r.dialect.name(),
                    journal.dialect
                ),
            )
            .with_label(&path, span_of(text, "\"dialect\""), "this dialect")
            .with_help("a folder holds the migrations of one dialect; restore the file")
        })
        .collect()
}

fn folder_error(message: String) -> Diagnostic {
    Diagnostic::error(codes::MIGRATIONS_FOLDER, message)
}

/// The span of `needle`'s first occurrence in `text` (or the start of the file).
fn span_of(text: &str, needle: &str) -> Span {
    text.find(needle)
        .map_or(Span::new(0, 0), |i| Span::new(i, i + needle.len()))
}

/// Where a journal entry is: its `tag` string.
fn entry_span(journal_text: &str, entry: &JournalEntry) -> Span {
    let quoted = serde_json::to_string(&entry.tag).unwrap_or_default();
    span_of(journal_text, &quoted)
}

/// Two entries with the same tag, or whose tags give the same snapshot file.
fn duplicate_entries(files: &FolderFiles, journal: &Journal, text: &str) -> Vec<Diagnostic> {
    let path: Arc<Path> = Arc::from(files.journal_path().as_path());
    let mut seen: HashMap<String, &JournalEntry> = HashMap::new();
    let mut out = Vec::new();
    for e in &journal.entries {
        let file = snapshot_file(&e.tag);
        if let Some(first) = seen.get(&file) {
            let what = if first.tag == e.tag {
                format!("the journal lists the migration `{}` twice", e.tag)
            } else {
                format!(
                    "the journal's migrations `{}` and `{}` would share the snapshot meta/{file}",
                    first.tag, e.tag
                )
            };
            out.push(
                folder_error(what)
                    .with_label(&path, entry_span(text, e), "this entry")
                    .with_help(
                        "each migration needs its own tag prefix; remove one entry (and its files), \
                         or give it a new prefix",
                    ),
            );
        } else {
            seen.insert(file, e);
        }
    }
    out
}

/// Journal entries whose `<tag>.sql` or snapshot is not in the folder.
fn missing_files(files: &FolderFiles, journal: &Journal, text: &str) -> Vec<Diagnostic> {
    let path: Arc<Path> = Arc::from(files.journal_path().as_path());
    let mut out = Vec::new();
    for e in &journal.entries {
        let sql = format!("{}.sql", e.tag);
        if !files.sql_files.contains(&sql) {
            let d = folder_error(format!(
                "{} is missing: the migration `{}` of the journal has no SQL file",
                files.sql_path(&e.tag).display(),
                e.tag
            ))
            .with_label(&path, entry_span(text, e), "listed here");
            out.push(match renamed_sql(files, journal, e) {
                Some(other) => d
                    .with_note(format!(
                        "{other} has its number and is not in the journal: the file or the tag was renamed"
                    ))
                    .with_help(format!(
                        "rename {other} to {sql}, or the journal's tag back to `{}`",
                        other.trim_end_matches(".sql")
                    )),
                None => d.with_help(format!(
                    "restore {sql}, or remove the migration with `schemac drop --tag {}`",
                    e.tag
                )),
            });
        }
        let snap = snapshot_file(&e.tag);
        let last = journal.entries.last().is_some_and(|l| std::ptr::eq(l, e));
        if !files.snapshots.contains_key(&snap) && last {
            out.push(
                folder_error(format!(
                    "cannot read {}, the snapshot of the journal's migration `{}`: it is missing",
                    files.snapshot_path(&snap).display(),
                    e.tag
                ))
                .with_label(&path, entry_span(text, e), "listed here")
                .with_help(format!(
                    "restore meta/{snap}, or remove the migration with `schemac drop --tag {}`",
                    e.tag
                )),
            );
        } else if !files.snapshots.contains_key(&snap) {
            // A migration written by hand into the journal: drizzle-kit builds on the last
            // snapshot only, and so does schemac.
            out.push(
                Diagnostic::warning(
                    codes::FOLDER_SNAPSHOT_GAP,
                    format!(
                        "the journal's migration `{}` has no snapshot (meta/{snap})",
                        e.tag
                    ),
                )
                .with_label(&path, entry_span(text, e), "listed here")
                .with_note("a migration written by hand into the journal has none; `build` uses the last snapshot only"),
            );
        }
    }
    // The migrator orders by `when`: an entry not later than the one before it is skipped by a
    // database that has the earlier one.
    for pair in journal.entries.windows(2) {
        let (before, after) = (&pair[0], &pair[1]);
        if after.when <= before.when {
            out.push(
                Diagnostic::warning(
                    codes::FOLDER_WHEN_ORDER,
                    format!(
                        "the journal's migration `{}` follows `{}` but its `when` ({}) is not later ({})",
                        after.tag, before.tag, after.when, before.when
                    ),
                )
                .with_label(&path, entry_span(text, after), "listed here")
                .with_note(format!(
                    "a database that already has `{}` is migrated past `{}` without running it (schemac migrate reports it as out of order)",
                    before.tag, after.tag
                ))
                .with_help("give it a `when` later than the migration before it"),
            );
        }
    }
    out
}

/// Files the journal does not list: snapshots (an error: drizzle-kit would diff against the last
/// one in name order) and SQL files (a warning: no migrator applies them).
fn untracked(files: &FolderFiles, journal: &Journal) -> Vec<Diagnostic> {
    let snapshots: BTreeSet<String> = journal
        .entries
        .iter()
        .map(|e| snapshot_file(&e.tag))
        .collect();
    let sqls: BTreeSet<String> = journal
        .entries
        .iter()
        .map(|e| format!("{}.sql", e.tag))
        .collect();
    let mut out = Vec::new();
    for name in files.snapshots.keys().filter(|n| !snapshots.contains(*n)) {
        let path: Arc<Path> = Arc::from(files.snapshot_path(name).as_path());
        out.push(
            Diagnostic::error(
                codes::FOLDER_UNTRACKED_SNAPSHOT,
                format!(
                    "{} is not the snapshot of any migration in the journal",
                    files.snapshot_path(name).display()
                ),
            )
            .with_label(&path, Span::new(0, 0), "this file")
            .with_note(
                "drizzle-kit takes the last snapshot file by name as the previous state, so a \
                 stray snapshot changes what it generates",
            )
            .with_help(
                "delete it if its migration was removed; otherwise restore its journal entry and \
                 SQL file",
            ),
        );
    }
    // A file that is a journal entry's under another name is reported with that entry (E6003).
    let renamed: Vec<&str> = journal
        .entries
        .iter()
        .filter_map(|e| renamed_sql(files, journal, e))
        .collect();
    for sql in files
        .sql_files
        .iter()
        .filter(|s| !sqls.contains(*s) && !renamed.contains(&s.as_str()))
    {
        out.push(untracked_sql(files, sql));
    }
    out
}

/// The SQL file of the journal entry `e` under another name: when `<tag>.sql` is missing and one
/// SQL file outside the journal has the tag's number (`0001_modern_rogue.sql` for
/// `0001_add_reports`), the file or the tag was renamed.
fn renamed_sql<'f>(files: &'f FolderFiles, journal: &Journal, e: &JournalEntry) -> Option<&'f str> {
    let sql = format!("{}.sql", e.tag);
    if files.sql_files.contains(&sql) {
        return None;
    }
    let number = e.tag.split('_').next()?;
    let tracked = |s: &str| {
        journal
            .entries
            .iter()
            .any(|j| format!("{}.sql", j.tag) == s)
    };
    let mut found = files
        .sql_files
        .iter()
        .filter(|s| s.split('_').next() == Some(number) && !tracked(s));
    let one = found.next()?;
    found.next().is_none().then_some(one.as_str())
}

fn untracked_sql(files: &FolderFiles, sql: &str) -> Diagnostic {
    let path: Arc<Path> = Arc::from(files.out.join(sql).as_path());
    Diagnostic::warning(
        codes::FOLDER_UNTRACKED_SQL,
        format!(
            "{} is not in the journal; no migrator applies it",
            files.out.join(sql).display()
        ),
    )
    .with_label(&path, Span::new(0, 0), "this file")
    .with_help(
        "delete it, or write it as a migration with `schemac build --custom` and paste its SQL \
         there",
    )
}

/// A snapshot as the checks need it: its ids, and the whole snapshot when it was read whole.
struct Read {
    id: String,
    prev_id: String,
    dialect: Dialect,
    whole: Option<PgSnapshot>,
}

/// Reads the named snapshots (each once), whole where `whole` says so and otherwise only their
/// version and ids; read errors become diagnostics.
fn read_all<'a>(
    files: &FolderFiles,
    names: impl Iterator<Item = &'a String>,
    whole: &dyn Fn(&str) -> bool,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Read> {
    let mut out = BTreeMap::new();
    for name in names {
        if out.contains_key(name) {
            continue;
        }
        let Some(text) = files.snapshots.get(name) else {
            continue;
        };
        let path = files.snapshot_path(name);
        let read = if whole(name) {
            read(&path, text).map(|s| Read {
                id: s.id.clone(),
                prev_id: s.prev_id.clone(),
                dialect: dialect_of(&s.dialect).unwrap_or(Dialect::Postgresql),
                whole: Some(s),
            })
        } else {
            super::read_ids(&path, text).map(|(id, prev_id, dialect)| Read {
                id,
                prev_id,
                dialect,
                whole: None,
            })
        };
        match read {
            Ok(r) => {
                out.insert(name.clone(), r);
            }
            Err(d) => diags.push(*d),
        }
    }
    out
}

/// `prevId` follows the journal: the first migration's is the zero UUID (or empty, for a
/// snapshot `pull` wrote), every next one is the `id` of the one before it. Snapshots in a
/// collision are left to that (more precise) error.
/// `build` ([`Depth::Last`]) builds on the last snapshot only, as drizzle-kit does: a break in
/// the chain is a warning there (W6011) and an error for `check`.
fn chain(
    files: &FolderFiles,
    journal: &Journal,
    parsed: &BTreeMap<String, Read>,
    in_collision: &BTreeSet<&str>,
    depth: Depth,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut previous: Option<(&JournalEntry, Option<&Read>)> = None;
    // The last migration with a snapshot: a migration after ones without (written by hand
    // into the journal) was generated on it.
    // `Some(None)`: the last snapshot file could not be read (its id is not known).
    let mut last_read: Option<Option<&Read>> = None;
    for e in &journal.entries {
        let name = snapshot_file(&e.tag);
        let this = parsed.get(&name);
        if let Some(s) = this
            && !in_collision.contains(name.as_str())
        {
            let origin = s.prev_id == ORIGIN_UUID || s.prev_id.is_empty();
            let problem = match previous {
                None if !origin => Some(format!(
                    "its prevId is {}, but as the first migration its prevId should be {ORIGIN_UUID}",
                    s.prev_id
                )),
                Some((pe, Some(p))) if s.prev_id != p.id => Some(format!(
                    "its prevId is {}, but the migration before it in the journal, `{}`, has the id {}",
                    s.prev_id, pe.tag, p.id
                )),
                // The migration before it has no snapshot, and this one was not generated on
                // the last one there is: it was generated on the missing one.
                Some((pe, None))
                    if !files.snapshots.contains_key(&snapshot_file(&pe.tag))
                        && match last_read {
                            None => !origin,
                            Some(Some(p)) => s.prev_id != p.id,
                            Some(None) => false,
                        } =>
                {
                    Some(format!(
                        "its prevId is {}, which no snapshot in the folder has: it was generated on the snapshot of `{}`, meta/{}, which is missing",
                        s.prev_id,
                        pe.tag,
                        snapshot_file(&pe.tag)
                    ))
                }
                _ => None,
            };
            if let Some(problem) = problem {
                let path: Arc<Path> = Arc::from(files.snapshot_path(&name).as_path());
                let text = files.snapshots.get(&name).map_or("", String::as_str);
                let message = format!(
                    "the snapshot of `{}` does not follow the journal: {problem}",
                    e.tag
                );
                let d = match depth {
                    Depth::Full => Diagnostic::error(codes::FOLDER_CHAIN, message),
                    Depth::Last => Diagnostic::warning(codes::FOLDER_CHAIN_BUILD, message),
                };
                out.push(
                    d
                    .with_label(&path, span_of(text, "\"prevId\""), "here")
                    .with_note(
                        "each snapshot's prevId is the id of the snapshot it was generated on top \
                         of; a different one means the folder was edited or merged by hand",
                    )
                    .with_help(
                        "drop the migrations from this one on with `schemac drop` and build them \
                         again, or restore the files from version control",
                    ),
                );
            }
        }
        previous = Some((e, this));
        if files.snapshots.contains_key(&name) {
            last_read = Some(this);
        }
    }
    out
}

/// Two snapshots with the same `id` (a copied file), and collisions: two snapshots with the same
/// `prevId`, i.e. two migrations generated in parallel on top of the same one. `tags` gives each
/// journal snapshot file its tag.
fn shared_ids(
    files: &FolderFiles,
    parsed: &BTreeMap<String, Read>,
    tags: &[(String, &str)],
) -> Vec<Diagnostic> {
    let tag_of = |name: &str| tags.iter().find(|(n, _)| n == name).map(|(_, t)| *t);
    let describe = |name: &str| match tag_of(name) {
        Some(t) => format!("meta/{name} (migration `{t}`)"),
        None => format!("meta/{name} (not in the journal)"),
    };
    let order = |name: &str| {
        tags.iter()
            .position(|(n, _)| n == name)
            .unwrap_or(usize::MAX)
    };
    let mut by_id: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    // By prevId, one snapshot per id: an exact copy is a duplicate id, not a second branch.
    let mut by_prev: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    let mut out = Vec::new();
    for (name, s) in parsed {
        by_id.entry(&s.id).or_default().push(name);
        // Its own parent (`id` = `prevId`, the zero UUID an old `pull` wrote): its children
        // would all look like a second branch beside it.
        if s.prev_id == s.id {
            let path: Arc<Path> = Arc::from(files.snapshot_path(name).as_path());
            let text = files.snapshots.get(name).map_or("", String::as_str);
            out.push(
                Diagnostic::error(
                    codes::FOLDER_COLLISION,
                    format!(
                        "{} names itself as its parent: its id and prevId are both {}",
                        describe(name),
                        s.id
                    ),
                )
                .with_label(&path, span_of(text, "\"prevId\""), "the same as its id")
                .with_note("the snapshots built on it would all look like branches made in parallel beside it")
                .with_help("set its `\"prevId\"` to `\"\"` (the first snapshot has no parent)"),
            );
            continue;
        }
        if !s.prev_id.is_empty() {
            by_prev
                .entry(&s.prev_id)
                .or_default()
                .entry(&s.id)
                .or_insert(name);
        }
    }
    let label = |name: &str, key: &str, message: &str, d: Diagnostic| {
        let path: Arc<Path> = Arc::from(files.snapshot_path(name).as_path());
        let text = files.snapshots.get(name).map_or("", String::as_str);
        d.with_label(&path, span_of(text, key), message)
    };
    for (id, mut names) in by_id.into_iter().filter(|(_, n)| n.len() > 1) {
        names.sort_by_key(|n| order(n));
        let list: Vec<String> = names.iter().map(|n| describe(n)).collect();
        let mut d = Diagnostic::error(
            codes::FOLDER_DUPLICATE_ID,
            format!("{} have the same id {id}", list.join(" and ")),
        )
        .with_note("a snapshot was copied (by hand, to write a migration without `build`)")
        .with_help(format!(
            "for a hand-written migration, save its SQL, remove it with `schemac drop --tag {}` \
             (its SQL file goes too), then `schemac build --custom` writes an empty migration \
             with its own snapshot to paste the SQL into",
            names.last().and_then(|n| tag_of(n)).unwrap_or("<tag>")
        ));
        for n in &names {
            d = label(n, "\"id\"", "this id", d);
        }
        out.push(d);
    }
    for (prev, ids) in by_prev.into_iter().filter(|(_, n)| n.len() > 1) {
        let mut names: Vec<&str> = ids.into_values().collect();
        names.sort_by_key(|n| order(n));
        let list: Vec<String> = names.iter().map(|n| describe(n)).collect();
        let parent = match parsed.iter().find(|(_, s)| s.id == prev) {
            Some((n, _)) => describe(n),
            None if prev == ORIGIN_UUID => format!("the empty database (prevId {ORIGIN_UUID})"),
            None => format!("the snapshot with id {prev}, which is not in the folder"),
        };
        let later = names.last().and_then(|n| tag_of(n)).unwrap_or("<tag>");
        let first = names.first().and_then(|n| tag_of(n)).unwrap_or("<tag>");
        let mut d = Diagnostic::error(
            codes::FOLDER_COLLISION,
            format!(
                "collision: {} were both generated on top of {parent}",
                list.join(" and ")
            ),
        )
        .with_note(
            "two branches of migrations were made in parallel from the same parent; applied one \
             after the other, the second was written for a database without the first's changes",
        )
        .with_help(format!(
            "keep one branch: `schemac drop --tag {later}`, then run `schemac build` again to \
             write its changes on top of `{first}`"
        ));
        for n in &names {
            d = label(n, "\"prevId\"", "the same prevId", d);
        }
        out.push(d);
    }
    out
}
