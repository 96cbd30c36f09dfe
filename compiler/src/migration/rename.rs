//! Rename inference: which entity that is gone since the previous snapshot became which new
//! one. See `spec/renames.md`.
//!
//! A drop and an add of the same kind in the same scope may be a rename; dropping would lose the
//! data, so every such pair is a [`Question`]. [`resolve`] walks the kinds in drizzle-kit's order
//! (schemas, enums, sequences, roles, tables, columns per table, table policies, standalone
//! policies, views), asks the caller for each added entity that has removed candidates, and
//! patches its copy of the previous snapshot after each answer, so later questions see the new
//! names (a column question is asked under its table's new name). [`apply`] gives the same
//! patched snapshot for a list of answers; the diff then compares it with the current snapshot.
//!
//! Candidates are scored (definition, position, name similarity) so the caller can offer the
//! likeliest answer first; the score never decides on its own.

use std::borrow::Cow;

use rustc_hash::FxHashSet;
use serde::Serialize;

use crate::snapshot::{PgSnapshot, pg};

/// The kinds of entities that can be renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Schema,
    Enum,
    Sequence,
    Role,
    Table,
    Column,
    Policy,
    View,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Schema,
        Kind::Enum,
        Kind::Sequence,
        Kind::Role,
        Kind::Table,
        Kind::Column,
        Kind::Policy,
        Kind::View,
    ];

    pub fn noun(self) -> &'static str {
        match self {
            Kind::Schema => "schema",
            Kind::Enum => "enum",
            Kind::Sequence => "sequence",
            Kind::Role => "role",
            Kind::Table => "table",
            Kind::Column => "column",
            Kind::Policy => "policy",
            Kind::View => "view",
        }
    }

    pub fn from_noun(noun: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.noun() == noun)
    }

    /// Whether entities of this kind live in a schema (their key is `schema.name`).
    pub fn in_schema(self) -> bool {
        matches!(self, Kind::Enum | Kind::Sequence | Kind::Table | Kind::View)
    }
}

/// An added entity that may be a removed one renamed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub kind: Kind,
    /// For columns and table policies: the table's key (`schema.name`) in the current schema.
    pub scope: Option<String>,
    /// The added entity's key: `schema.name` for kinds in a schema, the name otherwise.
    pub added: String,
    /// The removed entities it may have been, likeliest first.
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub removed: String,
    /// 0 to 1: how alike the two are (definition, position, name).
    pub score: f64,
}

/// Candidates scoring at least this are offered as the likely answer.
const LIKELY: f64 = 0.5;

impl Question {
    /// The likeliest removed entity, when it is likely enough to offer as the default answer.
    pub fn suggestion(&self) -> Option<&str> {
        self.candidates
            .first()
            .filter(|c| c.score >= LIKELY)
            .map(|c| c.removed.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The added entity is this removed one, renamed (or moved to another schema).
    Rename(String),
    /// The added entity is new.
    Create,
}

/// One decided rename.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rename {
    pub kind: Kind,
    /// As in [`Question::scope`].
    pub scope: Option<String>,
    pub from: String,
    pub to: String,
}

/// Where a hint comes from, for messages.
#[derive(Debug, Clone, PartialEq)]
pub enum HintSource {
    /// A `@renamed-from` annotation on the entity declared at this location.
    Annotation(crate::diagnostics::Location),
    /// A command-line flag, as written (`--rename users=customers`).
    Flag(String),
    /// An entry of a hints file: the file and the entry as written.
    File(std::path::PathBuf, String),
}

/// A given answer to a rename question: "`to` is `rename_from` renamed", or "`to` is new"
/// (`rename_from` is `None`).
///
/// Names from annotations are exact keys. Names from flags and hints files are as a user writes
/// them: `name` or `schema.name` for kinds in a schema, `table.column` or `schema.table.column`
/// (or a bare `column`) for columns and table policies, and a kind may be given or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Hint {
    pub kind: Option<Kind>,
    /// The table of a column or table policy, as an exact key (annotations only).
    pub scope: Option<String>,
    pub rename_from: Option<String>,
    pub to: String,
    pub source: HintSource,
}

impl Hint {
    /// Parses a flag or hints-file entry: `[kind:]old=new` for a rename, `[kind:]name` for a new
    /// entity (`create`).
    pub fn parse(text: &str, create: bool, source: HintSource) -> Result<Hint, String> {
        let (kind, rest) = match text.split_once(':') {
            Some((k, rest)) => (
                Some(Kind::from_noun(k.trim()).ok_or_else(|| {
                    format!(
                        "`{k}` is not a kind of entity; use one of {}",
                        Kind::ALL.map(Kind::noun).join(", ")
                    )
                })?),
                rest,
            ),
            None => (None, text),
        };
        let (from, to) = if create {
            (None, rest.trim())
        } else {
            let (from, to) = rest
                .split_once('=')
                .ok_or_else(|| format!("`{text}` is not `old=new`"))?;
            (Some(from.trim().to_string()), to.trim())
        };
        if to.is_empty() || from.as_deref().is_some_and(str::is_empty) {
            return Err(format!("`{text}` names nothing"));
        }
        Ok(Hint {
            kind,
            scope: None,
            rename_from: from,
            to: to.to_string(),
            source,
        })
    }

    /// The answer this hint gives to `q`, if it is about `q`.
    pub fn answer(&self, q: &Question) -> Option<Answer> {
        if self.kind.is_some_and(|k| k != q.kind) {
            return None;
        }
        let exact = matches!(self.source, HintSource::Annotation(_));
        if exact {
            if self.scope != q.scope || self.to != q.added {
                return None;
            }
        } else if !names(q.kind, q.scope.as_deref(), &self.to, &q.added) {
            return None;
        }
        let Some(from) = &self.rename_from else {
            return Some(Answer::Create);
        };
        q.candidates
            .iter()
            .find(|c| {
                if exact {
                    c.removed == *from
                } else {
                    names(q.kind, q.scope.as_deref(), from, &c.removed)
                }
            })
            .map(|c| Answer::Rename(c.removed.clone()))
    }
}

impl Hint {
    /// Whether this is a `create` answer naming an entity `cur` has and `prev` does not: true
    /// even when no question was asked about it (a column of a table answered "created" is only
    /// asked about while the table may be a rename).
    pub fn names_new(&self, prev: &PgSnapshot, cur: &PgSnapshot) -> bool {
        if self.rename_from.is_some() {
            return false;
        }
        let tables = || cur.tables.keys().map(|k| Some(k.as_str()));
        Kind::ALL
            .into_iter()
            .filter(|k| self.kind.is_none_or(|hk| hk == *k))
            .any(|kind| {
                let scopes: Vec<Option<&str>> = match kind {
                    Kind::Column => tables().collect(),
                    Kind::Policy => std::iter::once(None).chain(tables()).collect(),
                    _ => vec![None],
                };
                scopes.into_iter().any(|scope| {
                    let before = keys(kind, prev, scope);
                    keys(kind, cur, scope)
                        .iter()
                        .any(|key| names(kind, scope, &self.to, key) && !before.contains(key))
                })
            })
    }
}

/// Whether a name as a user writes it (`spec`) names the entity `key` of `kind` (within the
/// table `scope` for columns and table policies).
fn names(kind: Kind, scope: Option<&str>, spec: &str, key: &str) -> bool {
    let within = |table: &str| match scope {
        // `t` names `public.t` or `<schema>.t`; `s.t` names exactly that.
        Some(s) => s == table || s.strip_suffix(table).is_some_and(|p| p.ends_with('.')),
        None => false,
    };
    match kind {
        Kind::Column => match spec.rsplit_once('.') {
            Some((table, name)) => name == key && within(table),
            None => spec == key,
        },
        Kind::Policy if scope.is_some() => match spec.rsplit_once('.') {
            Some((table, name)) => name == key && within(table),
            None => spec == key,
        },
        k if k.in_schema() => {
            spec == key
                || (!spec.contains('.') && key.strip_suffix(spec).is_some_and(|p| p.ends_with('.')))
        }
        _ => spec == key,
    }
}

/// Asks `answer` about every possible rename from `old` to `cur`, in drizzle-kit's order, and
/// returns the renames decided. An answer naming an entity that is not a candidate counts as
/// [`Answer::Create`].
pub fn resolve(
    old: &PgSnapshot,
    cur: &PgSnapshot,
    answer: &mut dyn FnMut(&Question) -> Answer,
) -> Vec<Rename> {
    // Copied on the first rename only: most steps have none.
    let mut snap = Cow::Borrowed(old);
    let mut decided = Vec::new();
    for kind in Kind::ALL {
        for scope in scopes(kind, &snap, cur) {
            let (was, is) = (
                keys(kind, &snap, scope.as_deref()),
                keys(kind, cur, scope.as_deref()),
            );
            let in_was: FxHashSet<&str> = was.iter().map(String::as_str).collect();
            let in_is: FxHashSet<&str> = is.iter().map(String::as_str).collect();
            let mut removed: Vec<String> = was
                .iter()
                .filter(|k| !in_is.contains(k.as_str()))
                .cloned()
                .collect();
            let added: Vec<String> = is
                .iter()
                .filter(|k| !in_was.contains(k.as_str()))
                .cloned()
                .collect();
            for new in added {
                if removed.is_empty() {
                    break;
                }
                let mut candidates: Vec<Candidate> = removed
                    .iter()
                    .map(|r| Candidate {
                        removed: r.clone(),
                        score: score(kind, &snap, cur, scope.as_deref(), r, &new),
                    })
                    .collect();
                // Stable: equal scores keep the previous snapshot's order.
                candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
                let q = Question {
                    kind,
                    scope: scope.clone(),
                    added: new,
                    candidates,
                };
                let Answer::Rename(from) = answer(&q) else {
                    continue;
                };
                let Some(i) = removed.iter().position(|r| *r == from) else {
                    continue;
                };
                removed.remove(i);
                let r = Rename {
                    kind,
                    scope: scope.clone(),
                    from,
                    to: q.added,
                };
                patch(snap.to_mut(), cur, &r);
                decided.push(r);
            }
        }
    }
    decided
}

/// The previous snapshot with `renames` applied: renamed entities under their new keys and
/// names, and everything that refers to them (foreign keys, column types, key and index
/// columns, policy roles) following.
pub fn apply<'a>(old: &'a PgSnapshot, cur: &PgSnapshot, renames: &[Rename]) -> Cow<'a, PgSnapshot> {
    let mut snap = Cow::Borrowed(old);
    for r in renames {
        patch(snap.to_mut(), cur, r);
    }
    snap
}

/// The scopes to look for renames of `kind` in: tables present on both sides for columns and
/// table policies, the whole snapshot otherwise.
fn scopes(kind: Kind, snap: &PgSnapshot, cur: &PgSnapshot) -> Vec<Option<String>> {
    match kind {
        Kind::Column => cur
            .tables
            .keys()
            .filter(|k| snap.tables.contains_key(*k))
            .map(|k| Some(k.clone()))
            .collect(),
        Kind::Policy => std::iter::once(None)
            .chain(
                cur.tables
                    .keys()
                    .filter(|k| snap.tables.contains_key(*k))
                    .map(|k| Some(k.clone())),
            )
            .collect(),
        _ => vec![None],
    }
}

/// The keys of `kind` in `snap` (within the table `scope` for columns and table policies), in
/// the snapshot's order. Existing views (`.existing()`) are not the migration's to rename.
fn keys(kind: Kind, snap: &PgSnapshot, scope: Option<&str>) -> Vec<String> {
    let table = || scope.and_then(|s| snap.tables.get(s));
    match kind {
        Kind::Schema => snap.schemas.keys().cloned().collect(),
        Kind::Enum => snap.enums.keys().cloned().collect(),
        Kind::Sequence => snap.sequences.keys().cloned().collect(),
        Kind::Role => snap.roles.keys().cloned().collect(),
        Kind::Table => snap.tables.keys().cloned().collect(),
        Kind::Column => table().map_or(Vec::new(), |t| t.columns.keys().cloned().collect()),
        Kind::Policy => match scope {
            Some(_) => table().map_or(Vec::new(), |t| t.policies.keys().cloned().collect()),
            None => snap.policies.keys().cloned().collect(),
        },
        Kind::View => snap
            .views
            .iter()
            .filter(|(_, v)| !v.is_existing)
            .map(|(k, _)| k.clone())
            .collect(),
    }
}

/// How alike the removed entity `from` (in `snap`) and the added `to` (in `cur`) are: their
/// definitions weigh most, then their names, then their positions.
fn score(
    kind: Kind,
    snap: &PgSnapshot,
    cur: &PgSnapshot,
    scope: Option<&str>,
    from: &str,
    to: &str,
) -> f64 {
    let definition = definition_likeness(kind, snap, cur, scope, from, to);
    let name = name_likeness(short_name(from), short_name(to));
    let position = {
        let a = keys(kind, snap, scope).iter().position(|k| k == from);
        let b = keys(kind, cur, scope).iter().position(|k| k == to);
        if a.is_some() && a == b { 1.0 } else { 0.0 }
    };
    0.5 * definition + 0.3 * name + 0.2 * position
}

fn short_name(key: &str) -> &str {
    key.rsplit_once('.').map_or(key, |(_, n)| n)
}

/// Name similarity that also sees `name` in `full_name` (where edit distance alone is low).
fn name_likeness(a: &str, b: &str) -> f64 {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    let edit = strsim::normalized_damerau_levenshtein(&a, &b);
    let contained = if !a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a)) {
        0.75
    } else {
        0.0
    };
    edit.max(contained)
}

/// The share of items two lists have in common (1 when both are empty).
fn overlap<T: PartialEq>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let common = a.iter().filter(|x| b.contains(x)).count();
    common as f64 / (a.len() + b.len() - common) as f64
}

fn same(a: bool) -> f64 {
    if a { 1.0 } else { 0.0 }
}

fn definition_likeness(
    kind: Kind,
    snap: &PgSnapshot,
    cur: &PgSnapshot,
    scope: Option<&str>,
    from: &str,
    to: &str,
) -> f64 {
    match kind {
        Kind::Schema => {
            let inside = |s: &PgSnapshot, name: &str| -> Vec<String> {
                s.tables
                    .values()
                    .filter(|t| t.schema == name)
                    .map(|t| t.name.clone())
                    .collect()
            };
            overlap(&inside(snap, from), &inside(cur, to))
        }
        Kind::Enum => match (snap.enums.get(from), cur.enums.get(to)) {
            (Some(a), Some(b)) => overlap(&a.values, &b.values),
            _ => 0.0,
        },
        Kind::Sequence => match (snap.sequences.get(from), cur.sequences.get(to)) {
            (Some(a), Some(b)) => same(a.options == b.options),
            _ => 0.0,
        },
        Kind::Role => match (snap.roles.get(from), cur.roles.get(to)) {
            (Some(a), Some(b)) => same(
                a == &pg::Role {
                    name: a.name.clone(),
                    ..b.clone()
                },
            ),
            _ => 0.0,
        },
        Kind::Table => match (snap.tables.get(from), cur.tables.get(to)) {
            // Column names, and column types (a renamed table may have renamed columns too).
            (Some(a), Some(b)) => {
                let names = |t: &pg::Table| t.columns.keys().cloned().collect::<Vec<_>>();
                let types = |t: &pg::Table| {
                    t.columns
                        .values()
                        .map(|c| c.sql_type.clone())
                        .collect::<Vec<_>>()
                };
                0.5 * overlap(&names(a), &names(b)) + 0.5 * overlap(&types(a), &types(b))
            }
            _ => 0.0,
        },
        Kind::Column => {
            let col = |s: &PgSnapshot, k: &str| {
                scope
                    .and_then(|t| s.tables.get(t))
                    .and_then(|t| t.columns.get(k).cloned())
            };
            match (col(snap, from), col(cur, to)) {
                (Some(a), Some(b)) => {
                    let b = pg::Column {
                        name: a.name.clone(),
                        ..b
                    };
                    0.6 * same(a.sql_type == b.sql_type && a.type_schema == b.type_schema)
                        + 0.1 * same(a.not_null == b.not_null)
                        + 0.1 * same(a.default == b.default)
                        + 0.1 * same(a.primary_key == b.primary_key)
                        + 0.1 * same(a.identity == b.identity && a.generated == b.generated)
                }
                _ => 0.0,
            }
        }
        Kind::Policy => {
            let get = |s: &PgSnapshot, k: &str| match scope {
                Some(t) => s.tables.get(t).and_then(|t| t.policies.get(k).cloned()),
                None => s.policies.get(k).cloned(),
            };
            match (get(snap, from), get(cur, to)) {
                (Some(a), Some(b)) => same(
                    a == pg::Policy {
                        name: a.name.clone(),
                        ..b
                    },
                ),
                _ => 0.0,
            }
        }
        Kind::View => match (snap.views.get(from), cur.views.get(to)) {
            (Some(a), Some(b)) => {
                0.8 * same(a.definition == b.definition)
                    + 0.2 * same(a.materialized == b.materialized)
            }
            _ => 0.0,
        },
    }
}

/// Applies one rename to `snap`, taking the new entity's name and schema from `cur`.
fn patch(snap: &mut PgSnapshot, cur: &PgSnapshot, r: &Rename) {
    match r.kind {
        Kind::Schema => rename_schema(snap, &r.from, &r.to),
        Kind::Enum => {
            let Some(new) = cur.enums.get(&r.to) else {
                return;
            };
            let Some(e) = rekey(&mut snap.enums, &r.from, &r.to) else {
                return;
            };
            let (old_schema, old_name) = (e.schema.clone(), e.name.clone());
            e.schema = new.schema.clone();
            e.name = new.name.clone();
            let columns = snap
                .tables
                .values_mut()
                .flat_map(|t| t.columns.values_mut())
                .chain(snap.views.values_mut().flat_map(|v| v.columns.values_mut()));
            for c in columns {
                if c.type_schema.as_deref() == Some(old_schema.as_str())
                    && let Some(rest) = c.sql_type.strip_prefix(old_name.as_str())
                    && (rest.is_empty() || rest.starts_with('['))
                {
                    c.sql_type = format!("{}{rest}", new.name);
                    c.type_schema = Some(new.schema.clone());
                }
            }
        }
        Kind::Sequence => {
            if let (Some(new), Some(s)) = (
                cur.sequences.get(&r.to),
                rekey(&mut snap.sequences, &r.from, &r.to),
            ) {
                s.schema = new.schema.clone();
                s.name = new.name.clone();
            }
        }
        Kind::Role => {
            if let Some(role) = rekey(&mut snap.roles, &r.from, &r.to) {
                role.name = r.to.clone();
            }
            let policies = snap.policies.values_mut().chain(
                snap.tables
                    .values_mut()
                    .flat_map(|t| t.policies.values_mut()),
            );
            for p in policies {
                for to in p.to.iter_mut().flatten() {
                    if *to == r.from {
                        *to = r.to.clone();
                    }
                }
            }
        }
        Kind::Table => rename_table(snap, cur, &r.from, &r.to),
        Kind::Column => {
            if let Some(scope) = &r.scope {
                rename_column(snap, scope, &r.from, &r.to);
            }
        }
        Kind::Policy => {
            let map = match &r.scope {
                Some(t) => snap.tables.get_mut(t).map(|t| &mut t.policies),
                None => Some(&mut snap.policies),
            };
            if let Some(p) = map.and_then(|m| rekey(m, &r.from, &r.to)) {
                p.name = r.to.clone();
            }
        }
        Kind::View => {
            if let (Some(new), Some(v)) =
                (cur.views.get(&r.to), rekey(&mut snap.views, &r.from, &r.to))
            {
                v.schema = new.schema.clone();
                v.name = new.name.clone();
            }
        }
    }
}

/// Moves the entry `from` to the key `to`, keeping its position.
fn rekey<'m, T>(map: &'m mut pg::Map<T>, from: &str, to: &str) -> Option<&'m mut T> {
    let i = map.get_index_of(from)?;
    let (_, value) = map.shift_remove_index(i)?;
    map.shift_insert(i, to.to_string(), value);
    map.get_index_mut(i).map(|(_, v)| v)
}

/// Rebuilds a map whose keys start with `schema.`, moving them to `to.`.
fn move_keys<T>(map: &mut pg::Map<T>, from: &str, to: &str) {
    let prefix = format!("{from}.");
    *map = std::mem::take(map)
        .into_iter()
        .map(|(k, v)| match k.strip_prefix(&prefix) {
            Some(rest) => (format!("{to}.{rest}"), v),
            None => (k, v),
        })
        .collect();
}

fn rename_schema(snap: &mut PgSnapshot, from: &str, to: &str) {
    if rekey(&mut snap.schemas, from, to).is_some() {
        snap.schemas.insert(to.to_string(), to.to_string());
    }
    move_keys(&mut snap.tables, from, to);
    move_keys(&mut snap.enums, from, to);
    move_keys(&mut snap.sequences, from, to);
    move_keys(&mut snap.views, from, to);
    let own = |s: &mut String| {
        if s == from {
            *s = to.to_string();
        }
    };
    for t in snap.tables.values_mut() {
        own(&mut t.schema);
        for c in t.columns.values_mut() {
            c.type_schema.iter_mut().for_each(own);
            if let Some(i) = &mut c.identity {
                own(&mut i.schema);
            }
        }
        for fk in t.foreign_keys.values_mut() {
            fk.schema_to.iter_mut().for_each(own);
        }
    }
    snap.enums.values_mut().for_each(|e| own(&mut e.schema));
    snap.sequences.values_mut().for_each(|s| own(&mut s.schema));
    snap.views.values_mut().for_each(|v| own(&mut v.schema));
    for p in snap.policies.values_mut() {
        p.schema.iter_mut().for_each(own);
        if let Some(on) = &mut p.on {
            *on = on.replacen(&format!("\"{from}\"."), &format!("\"{to}\"."), 1);
        }
    }
}

/// The schema a foreign key or table names, with `public` for the default.
fn schema_or_public(s: Option<&str>) -> &str {
    s.filter(|s| !s.is_empty()).unwrap_or("public")
}

fn rename_table(snap: &mut PgSnapshot, cur: &PgSnapshot, from: &str, to: &str) {
    let Some(new) = cur.tables.get(to) else {
        return;
    };
    let Some(t) = rekey(&mut snap.tables, from, to) else {
        return;
    };
    let (old_schema, old_name) = (
        schema_or_public(Some(&t.schema)).to_string(),
        t.name.clone(),
    );
    t.schema = new.schema.clone();
    t.name = new.name.clone();
    for fk in t.foreign_keys.values_mut() {
        fk.table_from = new.name.clone();
    }
    let new_schema = schema_or_public(Some(&new.schema)).to_string();
    for t in snap.tables.values_mut() {
        for fk in t.foreign_keys.values_mut() {
            if fk.table_to == old_name && schema_or_public(fk.schema_to.as_deref()) == old_schema {
                fk.table_to = new.name.clone();
                // drizzle-kit writes `schemaTo` as the table's schema, `public` included.
                if fk.schema_to.is_some() {
                    fk.schema_to = Some(new_schema.clone());
                }
            }
        }
    }
    let old_on = format!("\"{old_schema}\".\"{old_name}\"");
    for p in snap.policies.values_mut() {
        if p.on.as_deref() == Some(old_on.as_str()) {
            p.on = Some(format!("\"{new_schema}\".\"{}\"", new.name));
            p.schema = Some(new_schema.clone());
        }
    }
}

fn rename_column(snap: &mut PgSnapshot, table_key: &str, from: &str, to: &str) {
    let Some(t) = snap.tables.get_mut(table_key) else {
        return;
    };
    let (schema, name) = (
        schema_or_public(Some(&t.schema)).to_string(),
        t.name.clone(),
    );
    if let Some(c) = rekey(&mut t.columns, from, to) {
        c.name = to.to_string();
    }
    let swap = |cols: &mut Vec<String>| {
        for c in cols.iter_mut().filter(|c| *c == from) {
            *c = to.to_string();
        }
    };
    // PostgreSQL keeps constraints, indexes and expressions on the column through a rename; the
    // snapshot's copies of its name follow, so that an unchanged constraint is not re-created.
    let quoted = |text: &mut String| {
        *text = text.replace(&format!("\"{from}\""), &format!("\"{to}\""));
    };
    for i in t.indexes.values_mut() {
        for c in &mut i.columns {
            if c.is_expression {
                quoted(&mut c.expression);
            } else if c.expression == from {
                c.expression = to.to_string();
            }
        }
        i.where_clause.iter_mut().for_each(quoted);
    }
    for pk in t.composite_primary_keys.values_mut() {
        swap(&mut pk.columns);
    }
    for u in t.unique_constraints.values_mut() {
        swap(&mut u.columns);
    }
    for c in t.check_constraints.values_mut() {
        quoted(&mut c.value);
    }
    for c in t.columns.values_mut() {
        if let Some(g) = &mut c.generated {
            quoted(&mut g.expression);
        }
    }
    for fk in t.foreign_keys.values_mut() {
        swap(&mut fk.columns_from);
    }
    for t in snap.tables.values_mut() {
        for fk in t.foreign_keys.values_mut() {
            if fk.table_to == name && schema_or_public(fk.schema_to.as_deref()) == schema {
                swap(&mut fk.columns_to);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::testing::{col, loc, table};
    use crate::schema::{self, Dialect, Schema};
    use crate::snapshot;

    fn snap(tables: Vec<schema::Table>) -> PgSnapshot {
        let mut s = Schema::empty(Dialect::Postgresql);
        s.tables = tables;
        snapshot::from_schema(&s, "", "")
    }

    fn ask_all(old: &PgSnapshot, cur: &PgSnapshot) -> Vec<Question> {
        let mut asked = Vec::new();
        resolve(old, cur, &mut |q| {
            asked.push(q.clone());
            q.suggestion()
                .map_or(Answer::Create, |s| Answer::Rename(s.to_string()))
        });
        asked
    }

    #[test]
    fn a_renamed_column_is_the_likeliest_candidate() {
        let old = snap(vec![table(
            "users",
            vec![
                col("id", "integer"),
                col("name", "text"),
                col("age", "integer"),
            ],
        )]);
        let cur = snap(vec![table(
            "users",
            vec![
                col("id", "integer"),
                col("full_name", "text"),
                col("age", "integer"),
            ],
        )]);
        let asked = ask_all(&old, &cur);
        assert_eq!(asked.len(), 1);
        let q = &asked[0];
        assert_eq!(
            (q.kind, q.scope.as_deref(), q.added.as_str()),
            (Kind::Column, Some("public.users"), "full_name")
        );
        assert_eq!(q.suggestion(), Some("name"));
    }

    #[test]
    fn a_new_column_of_another_type_elsewhere_is_not_suggested() {
        let old = snap(vec![table(
            "t",
            vec![col("id", "integer"), col("legacy_flag", "boolean")],
        )]);
        let cur = snap(vec![table(
            "t",
            vec![
                col("id", "integer"),
                col("x", "text"),
                col("created", "date"),
            ],
        )]);
        let asked = ask_all(&old, &cur);
        assert!(asked.iter().all(|q| q.suggestion().is_none()), "{asked:?}");
        // Both added columns were asked about: the first answer was "create".
        assert_eq!(asked.len(), 2);
    }

    #[test]
    fn table_renames_come_before_column_questions_and_carry_references() {
        let mut child = table(
            "posts",
            vec![col("id", "integer"), col("author", "integer")],
        );
        child.foreign_keys.push(schema::ForeignKey {
            name: "posts_author_fk".into(),
            columns: vec!["author".into()],
            ref_schema: None,
            ref_table: "users".into(),
            ref_columns: vec!["uid".into()],
            on_delete: schema::FkAction::NoAction,
            on_update: schema::FkAction::NoAction,
            origin: loc(),
        });
        let old = snap(vec![
            table("users", vec![col("uid", "integer"), col("name", "text")]),
            child.clone(),
        ]);
        child.foreign_keys[0].ref_table = "people".into();
        child.foreign_keys[0].ref_columns = vec!["id".into()];
        let cur = snap(vec![
            table(
                "people",
                vec![
                    col("id", "integer"),
                    col("name", "text"),
                    col("email", "text"),
                ],
            ),
            child,
        ]);
        // The table is answered "renamed"; then its columns are asked about under its new name.
        let mut asked = Vec::new();
        resolve(&old, &cur, &mut |q| {
            asked.push(q.clone());
            match q.kind {
                Kind::Table => Answer::Rename(q.candidates[0].removed.clone()),
                _ => Answer::Create,
            }
        });
        let kinds: Vec<(Kind, &str)> = asked.iter().map(|q| (q.kind, q.added.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (Kind::Table, "public.people"),
                (Kind::Column, "id"),
                (Kind::Column, "email")
            ]
        );
        let renames = vec![
            Rename {
                kind: Kind::Table,
                scope: None,
                from: "public.users".into(),
                to: "public.people".into(),
            },
            Rename {
                kind: Kind::Column,
                scope: Some("public.people".into()),
                from: "uid".into(),
                to: "id".into(),
            },
        ];
        let patched = apply(&old, &cur, &renames);
        // The foreign key from posts now points at people(id), as in the current schema.
        assert_eq!(
            patched.tables["public.posts"].foreign_keys,
            cur.tables["public.posts"].foreign_keys
        );
        assert_eq!(
            patched.tables["public.people"]
                .columns
                .keys()
                .collect::<Vec<_>>(),
            ["id", "name"]
        );
    }

    fn in_schema(schema: &str, mut t: schema::Table) -> schema::Table {
        t.schema = Some(schema.into());
        t
    }

    fn sql(old: &Schema, new: &Schema, renames: &[Rename]) -> Vec<String> {
        let prev = snapshot::from_schema(old, "", "");
        let cur = snapshot::from_schema(new, "", "");
        let ops = crate::migration::diff(&prev, new, &cur, renames).expect("supported");
        crate::codegen::statements(Dialect::Postgresql, &ops)
    }

    fn with_schemas(names: &[&str], tables: Vec<schema::Table>) -> Schema {
        let mut s = Schema::empty(Dialect::Postgresql);
        s.schemas = names
            .iter()
            .map(|n| schema::NamedSchema {
                name: n.to_string(),
                origin: loc(),
            })
            .collect();
        s.tables = tables;
        s
    }

    #[test]
    fn a_renamed_schema_takes_its_tables_along() {
        let old = with_schemas(
            &["app"],
            vec![in_schema("app", table("t", vec![col("id", "integer")]))],
        );
        let new = with_schemas(
            &["core"],
            vec![in_schema("core", table("t", vec![col("id", "integer")]))],
        );
        let (prev, cur) = (
            snapshot::from_schema(&old, "", ""),
            snapshot::from_schema(&new, "", ""),
        );
        let asked = ask_all(&prev, &cur);
        assert_eq!(asked.len(), 1, "{asked:?}");
        assert_eq!(
            (asked[0].kind, asked[0].added.as_str()),
            (Kind::Schema, "core")
        );
        // The table shares its name, so the schema is the likely answer.
        assert_eq!(asked[0].suggestion(), Some("app"));
        let renames = [Rename {
            kind: Kind::Schema,
            scope: None,
            from: "app".into(),
            to: "core".into(),
        }];
        assert_eq!(
            sql(&old, &new, &renames),
            ["ALTER SCHEMA \"app\" RENAME TO \"core\";\n"]
        );
    }

    #[test]
    fn a_table_moved_to_another_schema_and_renamed() {
        let old = with_schemas(
            &["a", "b"],
            vec![in_schema("a", table("t", vec![col("id", "integer")]))],
        );
        let new = with_schemas(
            &["a", "b"],
            vec![in_schema("b", table("u", vec![col("id", "integer")]))],
        );
        let renames = [Rename {
            kind: Kind::Table,
            scope: None,
            from: "a.t".into(),
            to: "b.u".into(),
        }];
        assert_eq!(
            sql(&old, &new, &renames),
            [
                "ALTER TABLE \"a\".\"t\" SET SCHEMA \"b\";",
                "ALTER TABLE \"b\".\"t\" RENAME TO \"u\";",
            ]
        );
    }

    #[test]
    fn a_renamed_column_keeps_its_index_and_check() {
        let mut t1 = table("t", vec![col("id", "integer"), col("a", "integer")]);
        t1.checks.push(schema::Check {
            name: "t_a_check".into(),
            expression: "\"a\" > 0".into(),
            origin: loc(),
        });
        t1.uniques.push(schema::Unique {
            name: "t_a_unique".into(),
            columns: vec!["a".into()],
            nulls_not_distinct: false,
            origin: loc(),
        });
        let mut t2 = t1.clone();
        t2.columns[1].name = "b".into();
        t2.checks[0].expression = "\"b\" > 0".into();
        t2.uniques[0].columns = vec!["b".into()];
        let mut old = Schema::empty(Dialect::Postgresql);
        old.tables = vec![t1];
        let mut new = Schema::empty(Dialect::Postgresql);
        new.tables = vec![t2];
        let renames = [Rename {
            kind: Kind::Column,
            scope: Some("public.t".into()),
            from: "a".into(),
            to: "b".into(),
        }];
        // PostgreSQL carries the check and the unique constraint over: nothing is re-created.
        assert_eq!(
            sql(&old, &new, &renames),
            ["ALTER TABLE \"t\" RENAME COLUMN \"a\" TO \"b\";"]
        );
    }

    #[test]
    fn names_postgres_derived_from_a_renamed_table_follow_it() {
        let mut id = col("id", "serial");
        id.primary_key = true;
        id.not_null = true;
        let mut old = Schema::empty(Dialect::Postgresql);
        old.tables = vec![table("users", vec![id.clone(), col("n", "serial")])];
        let mut new = Schema::empty(Dialect::Postgresql);
        new.tables = vec![table("people", vec![id, col("m", "serial")])];
        let renames = [
            Rename {
                kind: Kind::Table,
                scope: None,
                from: "public.users".into(),
                to: "public.people".into(),
            },
            Rename {
                kind: Kind::Column,
                scope: Some("public.people".into()),
                from: "n".into(),
                to: "m".into(),
            },
        ];
        assert_eq!(
            sql(&old, &new, &renames),
            [
                "ALTER TABLE \"users\" RENAME TO \"people\";",
                "ALTER TABLE \"people\" RENAME CONSTRAINT \"users_pkey\" TO \"people_pkey\";",
                "ALTER SEQUENCE \"public\".\"users_id_seq\" RENAME TO \"people_id_seq\";",
                "ALTER SEQUENCE \"public\".\"users_n_seq\" RENAME TO \"people_n_seq\";",
                "ALTER TABLE \"people\" RENAME COLUMN \"n\" TO \"m\";",
                "ALTER SEQUENCE \"public\".\"people_n_seq\" RENAME TO \"people_m_seq\";",
            ]
        );
    }

    #[test]
    fn hints_name_entities_as_users_write_them() {
        let q = Question {
            kind: Kind::Column,
            scope: Some("public.users".into()),
            added: "full_name".into(),
            candidates: vec![Candidate {
                removed: "name".into(),
                score: 0.9,
            }],
        };
        let flag = |text: &str, create: bool| {
            Hint::parse(text, create, HintSource::Flag(text.into()))
                .unwrap()
                .answer(&q)
        };
        let renamed = Some(Answer::Rename("name".into()));
        assert_eq!(flag("users.name=users.full_name", false), renamed);
        assert_eq!(flag("users.name=full_name", false), renamed);
        assert_eq!(flag("public.users.name=full_name", false), renamed);
        assert_eq!(flag("column:users.name=full_name", false), renamed);
        assert_eq!(flag("enum:users.name=full_name", false), None);
        assert_eq!(flag("posts.name=full_name", false), None);
        assert_eq!(flag("users.nam=full_name", false), None);
        assert_eq!(flag("users.full_name", true), Some(Answer::Create));
        assert!(Hint::parse("x", false, HintSource::Flag("x".into())).is_err());
        assert!(Hint::parse("thing:a=b", false, HintSource::Flag("".into())).is_err());
    }

    #[test]
    fn names_contained_in_each_other_are_alike() {
        assert!(name_likeness("name", "full_name") >= 0.75);
        assert!(name_likeness("created_at", "email") < 0.5);
    }
}
