//! The diff of everything beside tables, plain columns, constraints and indexes: schemas,
//! sequences, roles, policies, row level security, views, and the column changes that need more
//! than one statement or a particular order (identity, generated expressions, column primary
//! keys, enum type changes, enum values removed or reordered).
//!
//! `diff.rs` calls these functions and places their operations in drizzle-kit's order
//! (`spec/build.md`). A removed entity and an added one are a drop and a create here: possible
//! renames are decided before the diff runs.

use super::{IdentityChange, Operation, TableRef};
use crate::codegen::postgres::{column_type, ident};
use crate::schema::{self, Casing, Schema};
use crate::snapshot::{PgSnapshot, pg};

fn key(schema: Option<&str>, name: &str) -> String {
    format!("{}.{name}", schema.unwrap_or("public"))
}

/// A table of a snapshot as a [`TableRef`] (`None` for `public`).
pub(super) fn table_ref(schema: &str, name: &str) -> TableRef {
    TableRef {
        schema: (!schema.is_empty() && schema != "public").then(|| schema.to_string()),
        name: name.to_string(),
    }
}

/// Schemas, sequences and roles, by their place in the statement order.
#[derive(Default)]
pub(super) struct Globals<'s> {
    pub create_schema: Vec<Operation<'s>>,
    pub create_sequence: Vec<Operation<'s>>,
    pub alter_sequence: Vec<Operation<'s>>,
    pub create_role: Vec<Operation<'s>>,
    pub alter_role: Vec<Operation<'s>>,
    /// After the policies are dropped: a role a policy names cannot be dropped before.
    pub drop_role: Vec<Operation<'s>>,
    pub drop_sequence: Vec<Operation<'s>>,
    pub drop_schema: Vec<Operation<'s>>,
}

/// Schemas, sequences and roles created, altered (sequence options, role flags) and dropped.
pub(super) fn globals<'s>(old: &PgSnapshot, cur: &PgSnapshot, new: &'s Schema) -> Globals<'s> {
    let mut g = Globals::default();
    for s in &new.schemas {
        if !old.schemas.contains_key(&s.name) {
            g.create_schema.push(Operation::CreateSchema(&s.name));
        }
    }
    for name in old.schemas.keys().filter(|n| !cur.schemas.contains_key(*n)) {
        g.drop_schema.push(Operation::DropSchema(name.clone()));
    }
    for s in &new.sequences {
        let k = key(s.schema.as_deref(), &s.name);
        match old.sequences.get(&k) {
            None => g.create_sequence.push(Operation::CreateSequence(s)),
            Some(o) if Some(o) != cur.sequences.get(&k) => {
                g.alter_sequence.push(Operation::AlterSequence(s))
            }
            Some(_) => {}
        }
    }
    for (_, s) in old
        .sequences
        .iter()
        .filter(|(k, _)| !cur.sequences.contains_key(*k))
    {
        g.drop_sequence.push(Operation::DropSequence {
            schema: s.schema.clone(),
            name: s.name.clone(),
        });
    }
    for r in &new.roles {
        match old.roles.get(&r.name) {
            None => g.create_role.push(Operation::CreateRole(r)),
            Some(o) if Some(o) != cur.roles.get(&r.name) => {
                g.alter_role.push(Operation::AlterRole(r))
            }
            Some(_) => {}
        }
    }
    for name in old.roles.keys().filter(|n| !cur.roles.contains_key(*n)) {
        g.drop_role.push(Operation::DropRole(name.clone()));
    }
    g
}

/// Policies dropped, created and altered, in that order; and those dropped early, before the
/// columns they use change (`redone`: their tables and names, created again later).
#[derive(Default)]
pub(super) struct Policies<'s> {
    pub drop_early: Vec<Operation<'s>>,
    redone: Vec<(TableRef, String)>,
    pub drop: Vec<Operation<'s>>,
    pub create: Vec<Operation<'s>>,
    pub alter: Vec<Operation<'s>>,
}

/// Whether a policy change needs `DROP POLICY` and `CREATE POLICY`: `ALTER POLICY` cannot change
/// `AS`, `FOR` or the table, nor remove a `USING` or `WITH CHECK` clause.
fn policy_recreated(o: &pg::Policy, c: &pg::Policy) -> bool {
    o.as_ != c.as_
        || o.for_ != c.for_
        || o.on != c.on
        || (o.using.is_some() && c.using.is_none())
        || (o.with_check.is_some() && c.with_check.is_none())
}

/// Policies of table `o` (its own and standalone ones linked to it) whose expressions name one
/// of `columns`, which change type or are dropped: PostgreSQL refuses both under a policy, so
/// these policies are dropped before the column changes and created again after.
pub(super) fn policies_over_columns(
    out: &mut Policies<'_>,
    old: &PgSnapshot,
    o: &pg::Table,
    columns: &[String],
) {
    if columns.is_empty() {
        return;
    }
    let tref = table_ref(&o.schema, &o.name);
    let linked = old
        .policies
        .values()
        .filter(|p| p.on.as_deref().and_then(parse_on).as_ref() == Some(&tref));
    for p in o.policies.values().chain(linked) {
        let uses = [&p.using, &p.with_check]
            .into_iter()
            .flatten()
            .any(|e| columns.iter().any(|c| mentions(e, c)));
        if uses {
            out.drop_early.push(Operation::DropPolicy {
                table: tref.clone(),
                name: p.name.clone(),
            });
            out.redone.push((tref.clone(), p.name.clone()));
        }
    }
}

/// One policy's change: nothing, alter, or drop + create (create only when it was dropped
/// early).
fn policy_change<'s>(
    out: &mut Policies<'s>,
    old_table: TableRef,
    table: TableRef,
    o: Option<&pg::Policy>,
    c: &pg::Policy,
    p: &'s schema::Policy,
) {
    let early = out.redone.contains(&(old_table.clone(), p.name.clone()));
    match o.filter(|_| !early) {
        Some(o) if o == c => {}
        Some(o) if !policy_recreated(o, c) => {
            out.alter.push(Operation::AlterPolicy { table, policy: p })
        }
        Some(_) => {
            out.drop.push(Operation::DropPolicy {
                table: old_table,
                name: p.name.clone(),
            });
            out.create
                .push(Operation::CreatePolicy { table, policy: p });
        }
        None => out
            .create
            .push(Operation::CreatePolicy { table, policy: p }),
    }
}

/// The policies of table `t` (`o`/`c`: its old and current snapshot; `o` is `None` for a
/// created table, whose policies are all created).
pub(super) fn table_policies<'s>(
    out: &mut Policies<'s>,
    t: &'s schema::Table,
    o: Option<&pg::Table>,
    c: &pg::Table,
) {
    let tref = TableRef::of(t);
    for p in &t.policies {
        let old = o.and_then(|o| o.policies.get(&p.name));
        policy_change(
            out,
            tref.clone(),
            tref.clone(),
            old,
            &c.policies[&p.name],
            p,
        );
    }
    for name in o
        .iter()
        .flat_map(|o| o.policies.keys())
        .filter(|n| !c.policies.contains_key(*n))
        .filter(|n| !out.redone.contains(&(tref.clone(), (*n).clone())))
    {
        out.drop.push(Operation::DropPolicy {
            table: tref.clone(),
            name: name.clone(),
        });
    }
}

/// `"s"."t"` (a standalone policy's `on`) as a [`TableRef`].
fn parse_on(on: &str) -> Option<TableRef> {
    let (s, t) = on.split_once("\".\"")?;
    Some(table_ref(s.strip_prefix('"')?, t.strip_suffix('"')?))
}

/// Standalone policies (`pgPolicy(...).link(table)`), keyed by name. A policy on a dropped table
/// went with it (`DROP TABLE .. CASCADE`); `gone` says which tables are dropped.
pub(super) fn standalone_policies<'s>(
    out: &mut Policies<'s>,
    old: &PgSnapshot,
    cur: &PgSnapshot,
    new: &'s Schema,
    gone: &dyn Fn(&TableRef) -> bool,
) {
    for p in &new.policies {
        let Some((s, t)) = &p.on else { continue };
        let tref = TableRef {
            schema: s.clone().filter(|s| s != "public"),
            name: t.clone(),
        };
        let o = old.policies.get(&p.name);
        let old_table = o
            .and_then(|o| o.on.as_deref())
            .and_then(parse_on)
            .unwrap_or_else(|| tref.clone());
        let o = o.filter(|_| !gone(&old_table));
        policy_change(out, old_table, tref, o, &cur.policies[&p.name], p);
    }
    for (name, o) in old
        .policies
        .iter()
        .filter(|(n, _)| !cur.policies.contains_key(*n))
    {
        if let Some(t) =
            o.on.as_deref()
                .and_then(parse_on)
                .filter(|t| !gone(t) && !out.redone.contains(&(t.clone(), name.clone())))
        {
            out.drop.push(Operation::DropPolicy {
                table: t,
                name: name.clone(),
            });
        }
    }
}

/// `ENABLE`/`DISABLE ROW LEVEL SECURITY` when it changes: on with `.enableRLS()` or any policy
/// of the table, as `CREATE TABLE` has it.
pub(super) fn row_level_security<'s>(o: &pg::Table, t: &schema::Table) -> Option<Operation<'s>> {
    let was = o.is_rls_enabled || !o.policies.is_empty();
    let is = t.row_level_security();
    (was != is).then(|| Operation::SetRowLevelSecurity {
        table: TableRef::of(t),
        enabled: is,
    })
}

/// Views dropped (dependents first), altered in place, and created (dependencies first).
#[derive(Default)]
pub(super) struct Views<'s> {
    pub drop: Vec<Operation<'s>>,
    pub alter: Vec<Operation<'s>>,
    pub create: Vec<Operation<'s>>,
}

/// Whether SQL text `def` names `name` as a word (quoted or not).
pub(super) fn mentions(def: &str, name: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    def.match_indices(name).any(|(i, _)| {
        let before = def[..i].chars().next_back();
        let after = def[i + name.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

/// Views: `existing()` views are never touched (nor is a view that becomes one). A view whose definition (or kind) changed is
/// dropped and created again; so is a view that names a table in `touched` (a table whose
/// columns change type, are dropped or re-added: PostgreSQL refuses those under a view), and
/// any view that names a view being dropped. `with` options, tablespace and access method are
/// altered in place.
pub(super) fn views<'s>(
    old: &PgSnapshot,
    cur: &PgSnapshot,
    new: &'s Schema,
    touched: &[String],
) -> Views<'s> {
    let redo = views_to_recreate(old, cur, touched);
    let mut out = Views::default();
    let dropped: Vec<&pg::View> = redo.iter().map(|k| &old.views[k.as_str()]).collect();
    let def = |v: &pg::View| v.definition.clone().unwrap_or_default();
    for v in in_dependency_order(dropped, |v| v.name.clone(), def, true) {
        out.drop.push(Operation::DropView {
            schema: v.schema.clone(),
            name: v.name.clone(),
            materialized: v.materialized,
        });
    }
    let mut create: Vec<&'s schema::View> = Vec::new();
    for materialized in [false, true] {
        for v in new
            .views
            .iter()
            .filter(|v| !v.existing && v.materialized == materialized)
        {
            let k = key(v.schema.as_deref(), &v.name);
            match old.views.get(&k).filter(|o| !o.is_existing) {
                Some(o) if !redo.contains(&k) => alter_view(&mut out.alter, o, &cur.views[&k], v),
                _ => create.push(v),
            }
        }
    }
    let def = |v: &schema::View| v.definition.clone().unwrap_or_default();
    for v in in_dependency_order(create, |v| v.name.clone(), def, false) {
        out.create.push(Operation::CreateView(v));
    }
    out
}

/// The keys of the views (not `existing()`) to drop: gone, changed in definition or kind,
/// naming a `touched` table, or naming another view to drop.
fn views_to_recreate(old: &PgSnapshot, cur: &PgSnapshot, touched: &[String]) -> Vec<String> {
    let live: Vec<(&String, &pg::View)> =
        old.views.iter().filter(|(_, v)| !v.is_existing).collect();
    let def = |v: &pg::View| v.definition.clone().unwrap_or_default();
    let mut redo: Vec<String> = live
        .iter()
        .filter(|(k, o)| match cur.views.get(*k) {
            None => true,
            // Now managed elsewhere: left as it is.
            Some(c) if c.is_existing => false,
            Some(c) => {
                c.definition != o.definition
                    || c.materialized != o.materialized
                    || touched.iter().any(|t| mentions(&def(o), t))
            }
        })
        .map(|(k, _)| (*k).clone())
        .collect();
    loop {
        let more: Vec<String> = live
            .iter()
            .filter(|(k, o)| {
                !redo.contains(k)
                    && redo
                        .iter()
                        .any(|r| mentions(&def(o), &old.views[r.as_str()].name))
            })
            .map(|(k, _)| (*k).clone())
            .collect();
        if more.is_empty() {
            return redo;
        }
        redo.extend(more);
    }
}

/// `items` ordered by the names their definitions mention: an item comes before those it is
/// named by (`dependents_first`, for drops) or after those it names (for creates). Items in a
/// cycle keep their order.
fn in_dependency_order<T: Copy>(
    mut items: Vec<T>,
    name: impl Fn(T) -> String,
    def: impl Fn(T) -> String,
    dependents_first: bool,
) -> Vec<T> {
    let mut out = Vec::with_capacity(items.len());
    while !items.is_empty() {
        let blocked = |i: usize| {
            items.iter().enumerate().any(|(j, &w)| {
                let (user, used) = if dependents_first {
                    (w, items[i])
                } else {
                    (items[i], w)
                };
                j != i && mentions(&def(user), &name(used))
            })
        };
        let free: Vec<usize> = (0..items.len()).filter(|&i| !blocked(i)).collect();
        let take: Vec<usize> = if free.is_empty() {
            (0..items.len()).collect()
        } else {
            free
        };
        out.extend(take.iter().map(|&i| items[i]));
        let mut i = 0;
        items.retain(|_| {
            i += 1;
            !take.contains(&(i - 1))
        });
    }
    out
}

/// `with` options set and reset, tablespace and access method of a kept view.
fn alter_view<'s>(out: &mut Vec<Operation<'s>>, o: &pg::View, c: &pg::View, v: &'s schema::View) {
    if o.with != c.with {
        let was = o.with.clone().unwrap_or_default();
        let is = c.with.clone().unwrap_or_default();
        let set = v
            .with
            .iter()
            .filter(|(k, _)| {
                let camel = Casing::CamelCase.apply(k);
                was.get(&camel) != is.get(&camel)
            })
            .map(|(k, val)| (k.clone(), val.to_string()))
            .collect();
        let reset = was
            .keys()
            .filter(|k| !is.contains_key(*k))
            .map(|k| Casing::SnakeCase.apply(k))
            .collect();
        out.push(Operation::AlterViewOptions {
            view: v,
            set,
            reset,
        });
    }
    if o.tablespace != c.tablespace {
        out.push(Operation::SetViewTablespace {
            view: v,
            tablespace: c.tablespace.clone().unwrap_or_else(|| "pg_default".into()),
        });
    }
    if o.using != c.using {
        out.push(Operation::SetViewAccessMethod {
            view: v,
            method: c.using.clone().unwrap_or_else(|| "heap".into()),
        });
    }
}

/// Identity changes of one column: what must run before its not-null change (`DROP IDENTITY`:
/// PostgreSQL keeps `NOT NULL` on an identity column) and what after (`ADD GENERATED`, which
/// needs the column `NOT NULL` first; the per-field `SET`s).
pub(super) fn identity<'s>(
    table: &TableRef,
    col: &'s schema::Column,
    o: &pg::Column,
    c: &pg::Column,
) -> (Vec<Operation<'s>>, Vec<Operation<'s>>) {
    match (&o.identity, &c.identity) {
        (Some(_), None) => (
            vec![Operation::DropIdentity {
                table: table.clone(),
                column: col.name.clone(),
            }],
            vec![],
        ),
        (None, Some(_)) => (
            vec![],
            vec![Operation::AddIdentity {
                table: table.clone(),
                column: col,
            }],
        ),
        (Some(a), Some(b)) if a != b => {
            let change = |change| Operation::AlterIdentity {
                table: table.clone(),
                column: col.name.clone(),
                change,
            };
            let mut after = Vec::new();
            if a.name != b.name {
                after.push(change(IdentityChange::SequenceName {
                    schema: table.schema.clone(),
                    from: a.name.clone(),
                    to: b.name.clone(),
                }));
            }
            if a.kind != b.kind {
                after.push(change(IdentityChange::Generated(b.kind == "always")));
            }
            let (x, y) = (&a.options, &b.options);
            for (kw, was, is) in [
                ("MINVALUE", &x.min_value, &y.min_value),
                ("MAXVALUE", &x.max_value, &y.max_value),
                ("INCREMENT BY", &x.increment, &y.increment),
                ("START WITH", &x.start_with, &y.start_with),
                ("CACHE", &x.cache, &y.cache),
            ] {
                if was != is {
                    after.push(change(IdentityChange::Option(kw, is.clone())));
                }
            }
            if x.cycle != y.cycle {
                after.push(change(IdentityChange::Cycle(y.cycle)));
            }
            (vec![], after)
        }
        _ => (vec![], vec![]),
    }
}

/// Whether an index names one of `columns` (dropped and added again, which dropped the index).
pub(super) fn index_uses(ix: &schema::Index, columns: &[String]) -> bool {
    ix.columns.iter().any(|c| {
        columns.iter().any(|n| {
            if c.is_expression {
                mentions(&c.expression, n)
            } else {
                c.expression == *n
            }
        }) || ix
            .where_clause
            .as_deref()
            .is_some_and(|w| columns.iter().any(|n| mentions(w, n)))
    })
}

/// Whether a column must be dropped and added again: it becomes generated or its expression
/// changed (PostgreSQL 15 cannot add or change a column's generation expression).
pub(super) fn regenerated(o: &pg::Column, c: &pg::Column) -> bool {
    c.generated.is_some() && o.generated != c.generated
}

/// `DROP EXPRESSION` when a generated column becomes a plain one.
pub(super) fn drop_expression<'s>(
    table: &TableRef,
    o: &pg::Column,
    c: &pg::Column,
) -> Option<Operation<'s>> {
    (o.generated.is_some() && c.generated.is_none()).then(|| Operation::DropExpression {
        table: table.clone(),
        column: o.name.clone(),
    })
}

/// The name PostgreSQL gives a table's primary key declared on a column: `<table>_pkey`, the
/// table name cut so the whole fits in 63 bytes.
pub(super) fn pkey_name(table: &str) -> String {
    let mut end = table.len().min(63 - "_pkey".len());
    while !table.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}_pkey", &table[..end])
}

/// A column gaining or losing `.primaryKey()`: `(drop, add)`.
pub(super) fn column_primary_key<'s>(
    table: &TableRef,
    o: &pg::Column,
    c: &pg::Column,
) -> (Option<Operation<'s>>, Option<Operation<'s>>) {
    match (o.primary_key, c.primary_key) {
        (true, false) => (
            Some(Operation::DropConstraint {
                table: table.clone(),
                name: pkey_name(&table.name),
            }),
            None,
        ),
        (false, true) => (
            None,
            Some(Operation::AddColumnPrimaryKey {
                table: table.clone(),
                column: c.name.clone(),
            }),
        ),
        _ => (None, None),
    }
}

/// The `USING` of a type change to or from an enum: through `text`, which every type casts to
/// and enums cast from (`"c"::text::"mood"`); none when an enum becomes a string type.
pub(super) fn enum_using(col: &schema::Column) -> Option<String> {
    let c = ident(&col.name);
    if col.is_enum() {
        return Some(format!("{c}::text::{}", column_type(col)));
    }
    let base = col.sql_type.split(['(', '[']).next().unwrap_or("").trim();
    let string = matches!(
        base,
        "text" | "varchar" | "character varying" | "char" | "character"
    );
    (!string || col.sql_type.contains('[')).then(|| format!("{c}::text::{}", col.sql_type))
}

/// The integer type behind a serial type (`None` for other types).
fn serial_base(t: &str) -> Option<&'static str> {
    match t.trim() {
        "serial" => Some("integer"),
        "smallserial" => Some("smallint"),
        "bigserial" => Some("bigint"),
        _ => None,
    }
}

/// The name PostgreSQL gives a serial column's sequence: `<table>_<column>_seq`, the longer of
/// table and column names cut (one character at a time) until the whole fits in 63 bytes.
pub(super) fn serial_sequence_name(table: &str, column: &str) -> String {
    let avail = 63 - "_seq".len() - 1;
    let (mut a, mut b) = (table.len(), column.len());
    while a + b > avail {
        if a > b {
            a -= 1;
        } else {
            b -= 1;
        }
    }
    let cut = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        s[..n].to_string()
    };
    format!("{}_{}_seq", cut(table, a), cut(column, b))
}

/// A type change to, from or between serial types: a serial column is an integer column, a
/// sequence it owns and a `nextval` default, so the change is the integer type change plus the
/// sequence and default created, dropped or widened. `None` when neither type is serial; an
/// error (the reason) for serial ↔ enum.
pub(super) fn serial_change<'s>(
    table: &TableRef,
    col: &'s schema::Column,
    o: &pg::Column,
    c: &pg::Column,
) -> Option<Result<Vec<Operation<'s>>, String>> {
    let (os, cs) = (serial_base(&o.sql_type), serial_base(&c.sql_type));
    if os.is_none() && cs.is_none() {
        return None;
    }
    if o.type_schema.is_some() || c.type_schema.is_some() {
        return Some(Err(format!(
            "type change from {} to {} (between an enum and a serial type: change the column in two steps)",
            o.sql_type, c.sql_type
        )));
    }
    let sequence = serial_sequence_name(&table.name, &col.name);
    let from = os.unwrap_or(&o.sql_type);
    let to = cs.unwrap_or(&c.sql_type);
    let mut ops = Vec::new();
    match (os, o.default.is_some()) {
        // Leaving serial: the default and the sequence first.
        (Some(_), _) if cs.is_none() => ops.push(Operation::DropSerialSequence {
            table: table.clone(),
            column: col.name.clone(),
            sequence: sequence.clone(),
        }),
        // Becoming serial: the old default makes way for `nextval`.
        (None, true) => ops.push(Operation::DropDefault {
            table: table.clone(),
            column: col.name.clone(),
        }),
        _ => {}
    }
    if from != to {
        ops.push(Operation::SetColumnTypeTo {
            table: table.clone(),
            column: col.name.clone(),
            sql_type: to.to_string(),
            using: super::using_cast(&col.name, from, to),
        });
    }
    match (os, cs) {
        (Some(_), None) if col.default.is_some() => ops.push(Operation::SetDefault {
            table: table.clone(),
            column: col,
        }),
        (None, Some(int_type)) => ops.push(Operation::CreateSerialSequence {
            table: table.clone(),
            column: col.name.clone(),
            sequence,
            int_type,
        }),
        (Some(a), Some(b)) if a != b => ops.push(Operation::AlterSerialSequence {
            table: table.clone(),
            sequence,
            int_type: b,
        }),
        _ => {}
    }
    Some(Ok(ops))
}

/// Whether a column of enum `e` defaults to a value `e` gains (not in `old_values`): PostgreSQL
/// refuses a value added by `ADD VALUE` until the transaction commits, and drizzle's migrator
/// runs a migration in one transaction, so such an enum is rewritten instead.
fn new_value_in_default(new: &Schema, e: &schema::Enum, old_values: &[String]) -> bool {
    let schema = e.schema.as_deref().unwrap_or("public");
    let added: Vec<String> = e
        .values
        .iter()
        .filter(|v| !old_values.contains(v))
        .map(|v| format!("'{}'", v.replace('\'', "''")))
        .collect();
    new.tables.iter().flat_map(|t| &t.columns).any(|c| {
        c.enum_schema.as_deref() == Some(schema)
            && c.sql_type.split('[').next() == Some(e.name.as_str())
            && matches!(&c.default, Some(schema::DefaultValue::Sql(d)) if added.iter().any(|a| d.contains(a.as_str())))
    })
}

/// Enums whose values were removed or reordered (or gain a value a column default uses, see
/// [`new_value_in_default`]), rewritten through `text`: every column using
/// the enum (in tables that stay) loses its default and becomes `text`, the type is dropped and
/// created with the new values, and the columns that still use it come back to it with their
/// default. Tables created in the same migration (with the enum's old values, before the rewrite)
/// are rewritten the same way. A row holding a removed value makes the cast fail, and the
/// migration with it.
pub(super) fn enum_rewrites<'s>(
    old: &PgSnapshot,
    cur: &PgSnapshot,
    new: &'s Schema,
) -> (Vec<String>, Vec<Operation<'s>>) {
    let mut keys = Vec::new();
    let mut ops = Vec::new();
    for e in &new.enums {
        let k = key(e.schema.as_deref(), &e.name);
        let Some(o) = old.enums.get(&k) else { continue };
        let kept: Vec<&String> = e.values.iter().filter(|v| o.values.contains(v)).collect();
        let appended_only =
            kept.len() == o.values.len() && kept.iter().zip(&o.values).all(|(a, b)| *a == b);
        if appended_only && !new_value_in_default(new, e, &o.values) {
            continue;
        }
        keys.push(k.clone());
        let schema = e.schema.as_deref().unwrap_or("public");
        let mut back = Vec::new();
        for (tk, ot) in old
            .tables
            .iter()
            .filter(|(tk, _)| cur.tables.contains_key(*tk))
        {
            let tref = table_ref(&ot.schema, &ot.name);
            for oc in ot.columns.values() {
                let (base, arrays) = oc
                    .sql_type
                    .split_at(oc.sql_type.find('[').unwrap_or(oc.sql_type.len()));
                if oc.type_schema.as_deref() != Some(schema) || base != e.name {
                    continue;
                }
                if oc.default.is_some() {
                    ops.push(Operation::DropDefault {
                        table: tref.clone(),
                        column: oc.name.clone(),
                    });
                }
                ops.push(Operation::SetColumnTypeTo {
                    table: tref.clone(),
                    column: oc.name.clone(),
                    sql_type: format!("text{arrays}"),
                    using: Some(format!("{}::text{arrays}", ident(&oc.name))),
                });
                let t = new
                    .tables
                    .iter()
                    .find(|t| key(t.schema.as_deref(), &t.name) == *tk);
                let same = |c: &&schema::Column| {
                    c.enum_schema.as_deref() == Some(schema) && c.sql_type == oc.sql_type
                };
                if let Some(c) = t.and_then(|t| t.column(&oc.name)).filter(same) {
                    back.push((tref.clone(), c));
                }
            }
        }
        // Tables created in this migration (before the rewrite) that use the enum.
        for t in new
            .tables
            .iter()
            .filter(|t| !old.tables.contains_key(&key(t.schema.as_deref(), &t.name)))
        {
            let tref = TableRef::of(t);
            for c in t.columns.iter().filter(|c| {
                c.enum_schema.as_deref() == Some(schema)
                    && c.sql_type.split('[').next() == Some(e.name.as_str())
            }) {
                let arrays = &c.sql_type[e.name.len()..];
                if c.default.is_some() {
                    ops.push(Operation::DropDefault {
                        table: tref.clone(),
                        column: c.name.clone(),
                    });
                }
                ops.push(Operation::SetColumnTypeTo {
                    table: tref.clone(),
                    column: c.name.clone(),
                    sql_type: format!("text{arrays}"),
                    using: Some(format!("{}::text{arrays}", ident(&c.name))),
                });
                back.push((tref.clone(), c));
            }
        }
        ops.push(Operation::DropEnum {
            schema: schema.to_string(),
            name: e.name.clone(),
        });
        ops.push(Operation::CreateEnum(e));
        for (tref, c) in back {
            ops.push(Operation::SetColumnTypeTo {
                table: tref.clone(),
                column: c.name.clone(),
                sql_type: column_type(c),
                using: Some(format!("{}::{}", ident(&c.name), column_type(c))),
            });
            if c.default.is_some() {
                ops.push(Operation::SetDefault {
                    table: tref,
                    column: c,
                });
            }
        }
    }
    (keys, ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_whole_words_only() {
        assert!(mentions("select \"id\" from \"users\"", "users"));
        assert!(mentions("select id from users where x", "users"));
        assert!(!mentions("select id from users2", "users"));
        assert!(!mentions("select id from my_users", "users"));
    }

    #[test]
    fn serial_sequence_names_as_postgres_chooses_them() {
        assert_eq!(serial_sequence_name("t", "id"), "t_id_seq");
        let (t, c) = ("t".repeat(40), "c".repeat(30));
        let n = serial_sequence_name(&t, &c);
        assert_eq!(n, format!("{}_{}_seq", "t".repeat(29), "c".repeat(29)));
    }

    #[test]
    fn pkey_names_fit_in_63_bytes() {
        assert_eq!(pkey_name("users"), "users_pkey");
        let long = "a".repeat(70);
        assert_eq!(pkey_name(&long), format!("{}_pkey", "a".repeat(58)));
    }

    #[test]
    fn standalone_policy_tables_parse() {
        assert_eq!(
            parse_on("\"public\".\"t\""),
            Some(TableRef {
                schema: None,
                name: "t".into()
            })
        );
        assert_eq!(
            parse_on("\"auth\".\"users\"").and_then(|t| t.schema),
            Some("auth".into())
        );
    }
}
