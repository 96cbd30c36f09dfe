//! What the MySQL and SQLite migrations need after the dialect-neutral diff (which already
//! orders its steps per dialect): MySQL's one `MODIFY COLUMN` per changed column and its
//! kind-specific drops; SQLite's table rebuilds for the changes it cannot `ALTER`, renames first.
//! PostgreSQL's operations pass through unchanged.

use rustc_hash::FxHashSet;

use super::rename::{self, Rename};
use super::{KeyKind, Operation, Rebuild, TableRef};
use crate::schema::{self, Dialect, Schema};
use crate::snapshot::{PgSnapshot, pg};

/// The operations of `diff` rewritten for the new schema's dialect, with what `diff` was given:
/// the previous snapshot (before `renames`), `new`'s snapshot `cur`, the decided renames.
pub fn for_dialect<'s>(
    ops: Vec<Operation<'s>>,
    old: &PgSnapshot,
    cur: &PgSnapshot,
    renames: &[Rename],
    new: &'s Schema,
) -> Vec<Operation<'s>> {
    let dialect = new.dialect;
    if dialect == Dialect::Postgresql {
        return ops;
    }
    // The views in the database before the step, under their names then.
    let old_views: Vec<String> = old
        .views
        .values()
        .filter(|v| !v.is_existing)
        .map(|v| v.name.clone())
        .collect();
    let old = rename::apply(old, cur, renames);
    let old = Old(&old);
    match dialect {
        Dialect::Postgresql => ops,
        Dialect::Mysql => mysql(ops, &old, new),
        Dialect::Sqlite => sqlite(ops, &old, &old_views, new),
    }
}

/// The previous snapshot with the step's renames applied: tables and columns under their new
/// names.
struct Old<'a>(&'a PgSnapshot);

impl Old<'_> {
    fn table(&self, name: &str) -> Option<&pg::Table> {
        self.0.tables.values().find(|t| t.name == name)
    }

    /// The kind of the constraint `name` of `table`; a name it does not list is the
    /// `<table>_pkey` of a column primary key.
    fn key_kind(&self, table: &str, name: &str) -> KeyKind {
        let Some(t) = self.table(table) else {
            return KeyKind::PrimaryKey;
        };
        if t.foreign_keys.contains_key(name) {
            KeyKind::ForeignKey
        } else if t.unique_constraints.contains_key(name) {
            KeyKind::Unique
        } else if t.check_constraints.contains_key(name) {
            KeyKind::Check
        } else if t.indexes.contains_key(name) {
            KeyKind::Index
        } else {
            KeyKind::PrimaryKey
        }
    }

    /// Whether the column was `AUTO_INCREMENT`.
    fn auto_increment(&self, table: &str, column: &str) -> bool {
        self.table(table)
            .and_then(|t| t.columns.get(column))
            .is_some_and(|c| c.autoincrement == Some(true))
    }
}

/// A column of the new schema.
fn column<'s>(new: &'s Schema, table: &str, name: &str) -> Option<&'s schema::Column> {
    new.tables
        .iter()
        .find(|t| t.name == table)?
        .columns
        .iter()
        .find(|c| c.name == name)
}

/// The tables the operations create.
fn created(ops: &[Operation<'_>]) -> FxHashSet<String> {
    ops.iter()
        .filter_map(|op| match op {
            Operation::CreateTable(t) => Some(t.name.clone()),
            _ => None,
        })
        .collect()
}

/// MySQL: a column's changes become one `MODIFY COLUMN` (at the first change's place), drops
/// say what they drop, unique indexes of existing tables are added as unique constraints, and
/// a view created again with the same name is replaced in place.
fn mysql<'s>(ops: Vec<Operation<'s>>, old: &Old<'_>, new: &'s Schema) -> Vec<Operation<'s>> {
    let created = created(&ops);
    let recreated_views: FxHashSet<String> = ops
        .iter()
        .filter_map(|op| match op {
            Operation::CreateView(v) => Some(v.name.clone()),
            _ => None,
        })
        .collect();
    // A new `.primaryKey()` column has `PRIMARY KEY` in its `ADD`; MySQL's snapshot also lists
    // it as a key to add.
    let added_keys: FxHashSet<(String, String)> = ops
        .iter()
        .filter_map(|op| match op {
            Operation::AddColumn { table, column } if column.primary_key => {
                Some((table.name.clone(), column.name.clone()))
            }
            _ => None,
        })
        .collect();
    let mut modified: FxHashSet<(String, String)> = FxHashSet::default();
    let mut out = Vec::with_capacity(ops.len());
    for op in ops {
        if let Operation::AddColumnPrimaryKey { table, column } = &op
            && added_keys.contains(&(table.name.clone(), column.clone()))
        {
            continue;
        }
        let changed_column = match &op {
            Operation::SetColumnType { table, column, .. }
            | Operation::SetDefault { table, column }
            | Operation::ModifyColumn { table, column } => Some((table, column.name.as_str())),
            // `serial` is a type to MySQL (`bigint unsigned AUTO_INCREMENT`, with a unique
            // key): a column becoming or ceasing to be one is modified.
            Operation::DropDefault { table, column }
            | Operation::SetNotNull { table, column, .. }
            | Operation::DropExpression { table, column }
            | Operation::CreateSerialSequence { table, column, .. }
            | Operation::DropSerialSequence { table, column, .. }
            | Operation::SetColumnTypeTo { table, column, .. } => Some((table, column.as_str())),
            _ => None,
        };
        if let Some((table, name)) = changed_column {
            if let Some(column) = column(new, &table.name, name)
                && modified.insert((table.name.clone(), name.to_string()))
            {
                out.push(Operation::ModifyColumn {
                    table: table.clone(),
                    column,
                });
            }
            continue;
        }
        match op {
            Operation::DropConstraint { table, name } => {
                let kind = old.key_kind(&table.name, &name);
                out.push(Operation::DropKey { table, name, kind });
            }
            Operation::DropIndex {
                schema,
                table,
                name,
            } => {
                // A unique index on plain columns is a unique constraint to drizzle-kit.
                let unique = old
                    .table(&table)
                    .and_then(|t| t.indexes.get(&name))
                    .is_some_and(|i| i.is_unique && i.columns.iter().all(|c| !c.is_expression));
                let kind = if unique {
                    KeyKind::Unique
                } else {
                    KeyKind::Index
                };
                out.push(Operation::DropKey {
                    table: TableRef {
                        schema,
                        name: table,
                    },
                    name,
                    kind,
                });
            }
            Operation::CreateIndex { table, index }
                if crate::codegen::mysql::is_unique_constraint(index) =>
            {
                // A created table has it inline.
                if !created.contains(&table.name) {
                    out.push(Operation::AddUniqueIndex { table, index });
                }
            }
            Operation::DropView { ref name, .. } if recreated_views.contains(name) => {}
            Operation::CreateView(v)
                if old
                    .0
                    .views
                    .values()
                    .any(|o| o.name == v.name && !o.is_existing) =>
            {
                out.push(Operation::ReplaceView(v));
            }
            op => out.push(op),
        }
    }
    keys_around_auto_increment(&mut out, old);
    foreign_keys_before_dropped_tables(&mut out, old);
    out
}

/// MySQL refuses to drop a table that a foreign key of another table references (there is no
/// `CASCADE`, as PostgreSQL's `DROP TABLE` has): the foreign keys dropped in the step that
/// reference a dropped table go before the first `DROP TABLE`.
fn foreign_keys_before_dropped_tables(ops: &mut Vec<Operation<'_>>, old: &Old<'_>) {
    let dropped: FxHashSet<String> = ops
        .iter()
        .filter_map(|op| match op {
            Operation::DropTable(t) => Some(t.name.clone()),
            _ => None,
        })
        .collect();
    let Some(first) = ops
        .iter()
        .position(|op| matches!(op, Operation::DropTable(_)))
    else {
        return;
    };
    let references_dropped = |op: &Operation<'_>| match op {
        Operation::DropKey {
            table,
            name,
            kind: KeyKind::ForeignKey,
        } => old
            .table(&table.name)
            .and_then(|t| t.foreign_keys.get(name))
            .is_some_and(|fk| dropped.contains(&fk.table_to) && !dropped.contains(&table.name)),
        _ => false,
    };
    let mut moved = Vec::new();
    let mut i = first + 1;
    while i < ops.len() {
        if references_dropped(&ops[i]) {
            moved.push(ops.remove(i));
        } else {
            i += 1;
        }
    }
    ops.splice(first..first, moved);
}

/// MySQL wants an `AUTO_INCREMENT` column to be a key: a column that gains it goes after the
/// primary key added in the same step, and a primary key dropped from a table goes after the
/// `MODIFY COLUMN` that removes `AUTO_INCREMENT`.
fn keys_around_auto_increment(ops: &mut Vec<Operation<'_>>, old: &Old<'_>) {
    let adds_key = |op: &Operation<'_>, table: &str| match op {
        Operation::AddPrimaryKey { table: t, .. }
        | Operation::AddColumnPrimaryKey { table: t, .. } => t.name == table,
        _ => false,
    };
    let mut i = 0;
    while i < ops.len() {
        if let Operation::ModifyColumn { table, column } = &ops[i]
            && column.auto_increment
            && let Some(j) = (i + 1..ops.len()).find(|&j| adds_key(&ops[j], &table.name))
        {
            let op = ops.remove(i);
            ops.insert(j, op);
            continue;
        }
        i += 1;
    }
    let mut i = 0;
    while i < ops.len() {
        if let Operation::DropKey {
            table,
            kind: KeyKind::PrimaryKey,
            ..
        } = &ops[i]
            && let Some(j) = (i + 1..ops.len()).rev().find(|&j| {
                matches!(&ops[j], Operation::ModifyColumn { table: t, column }
                    if t.name == table.name && !column.auto_increment && old.auto_increment(&t.name, &column.name))
            })
        {
            let op = ops.remove(i);
            ops.insert(j, op);
            continue;
        }
        i += 1;
    }
}

/// The table an operation changes (its name after the step's renames), when it changes one.
fn table_of(op: &Operation<'_>) -> Option<String> {
    use Operation as O;
    match op {
        O::CreateTable(t) => Some(t.name.clone()),
        O::CreateForeignKey { table, .. }
        | O::CreateIndex { table, .. }
        | O::AddColumn { table, .. }
        | O::DropColumn { table, .. }
        | O::SetColumnType { table, .. }
        | O::SetDefault { table, .. }
        | O::DropDefault { table, .. }
        | O::SetNotNull { table, .. }
        | O::DropConstraint { table, .. }
        | O::AddUnique { table, .. }
        | O::AddCheck { table, .. }
        | O::AddPrimaryKey { table, .. }
        | O::AddColumnPrimaryKey { table, .. }
        | O::ModifyColumn { table, .. }
        | O::DropExpression { table, .. }
        | O::AddColumnReferencing { table, .. }
        | O::DropKey { table, .. } => Some(table.name.clone()),
        O::DropIndex { table, .. } => Some(table.clone()),
        _ => None,
    }
}

/// Whether SQLite can make the change with `ALTER TABLE` or an index statement; otherwise the
/// table is rebuilt.
fn sqlite_alters(op: &Operation<'_>, old: &Old<'_>, created: &FxHashSet<String>) -> bool {
    use Operation as O;
    match op {
        O::CreateTable(_)
        | O::CreateIndex { .. }
        | O::DropIndex { .. }
        | O::AddUnique { .. }
        | O::AddColumnReferencing { .. } => true,
        O::CreateForeignKey { table, .. } => created.contains(&table.name),
        // SQLite adds neither a primary key column, nor a stored generated column, nor a
        // `NOT NULL` column without a default (even to an empty table), nor, to a table with
        // rows, a column whose default is not constant (`(unixepoch())`, `CURRENT_TIMESTAMP`).
        O::AddColumn { column, .. } => {
            let not_null_without_default =
                column.not_null && column.default.is_none() && column.generated.is_none();
            let stored = column.generated.as_ref().is_some_and(|g| g.stored);
            let varying = column.default.as_ref().is_some_and(|d| {
                let text = d.sql();
                let text = text.trim();
                text.starts_with('(')
                    || ["CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP"]
                        .iter()
                        .any(|k| text.eq_ignore_ascii_case(k))
            });
            !(column.primary_key || stored || not_null_without_default || varying)
        }
        O::DropConstraint { table, name } => old.key_kind(&table.name, name) == KeyKind::Unique,
        // SQLite refuses to drop a column that is (part of) a key or that a check names.
        O::DropColumn { table, column } => old.table(&table.name).is_none_or(|t| {
            !t.columns.get(column).is_some_and(|c| c.primary_key)
                && !t
                    .composite_primary_keys
                    .values()
                    .any(|k| k.columns.contains(column))
                && !t
                    .foreign_keys
                    .values()
                    .any(|f| f.columns_from.contains(column))
                && !t
                    .check_constraints
                    .values()
                    .any(|k| super::objects::mentions(&k.value, column))
        }),
        _ => false,
    }
}

/// SQLite: what it cannot `ALTER` rebuilds the table, with every table that references it
/// (directly or not, so that no foreign key is left naming the renamed-away old table); a
/// rebuilt table's other statements are dropped, as its new definition has them. A new column's
/// one-column foreign key is written inline. Renames of tables, then of columns, go first; a
/// renamed view is dropped and created.
fn sqlite<'s>(
    ops: Vec<Operation<'s>>,
    old: &Old<'_>,
    old_views: &[String],
    new: &'s Schema,
) -> Vec<Operation<'s>> {
    let created = created(&ops);
    // New columns whose one-column foreign key is written inline.
    let mut inline: Vec<(String, &'s schema::ForeignKey)> = Vec::new();
    let added: FxHashSet<(String, String)> = ops
        .iter()
        .filter_map(|op| match op {
            Operation::AddColumn { table, column } => {
                Some((table.name.clone(), column.name.clone()))
            }
            _ => None,
        })
        .collect();
    let mut ops: Vec<Operation<'s>> = ops
        .into_iter()
        .filter_map(|op| match op {
            // A created table's foreign keys are in its CREATE TABLE.
            Operation::CreateForeignKey { table, .. } if created.contains(&table.name) => None,
            Operation::CreateForeignKey { table, fk }
                if !created.contains(&table.name)
                    && fk.columns.len() == 1
                    && added.contains(&(table.name.clone(), fk.columns[0].clone())) =>
            {
                inline.push((table.name.clone(), fk));
                None
            }
            op => Some(op),
        })
        .collect();
    for op in &mut ops {
        if let Operation::AddColumn { table, column } = op
            && let Some((_, fk)) = inline
                .iter()
                .find(|(t, fk)| *t == table.name && fk.columns[0] == column.name)
        {
            *op = Operation::AddColumnReferencing {
                table: table.clone(),
                column,
                fk,
            };
        }
    }

    let mut rebuilt: Vec<String> = Vec::new();
    for op in &ops {
        if !sqlite_alters(op, old, &created)
            && let Some(t) = table_of(op)
            && !rebuilt.contains(&t)
        {
            rebuilt.push(t);
        }
    }
    // Every table that references a rebuilt one is rebuilt too.
    loop {
        let more: Vec<String> = new
            .tables
            .iter()
            .filter(|t| !rebuilt.contains(&t.name))
            .filter(|t| {
                t.foreign_keys
                    .iter()
                    .any(|f| rebuilt.contains(&f.ref_table))
            })
            .map(|t| t.name.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        rebuilt.extend(more);
    }
    let rebuild = rebuild_list(&rebuilt, old, new, &created);

    let mut renames = Vec::new();
    let mut column_renames = Vec::new();
    let mut rest = Vec::new();
    let mut rebuild = Some(rebuild).filter(|r| !r.is_empty());
    for op in ops {
        match op {
            Operation::RenameObject {
                kind: rename::Kind::Table,
                ..
            } => renames.push(op),
            Operation::RenameColumn { .. } => column_renames.push(op),
            Operation::RenameObject {
                kind: rename::Kind::View,
                from,
                to,
                ..
            } => {
                rest.push(Operation::DropView {
                    schema: from.0,
                    name: from.1,
                    materialized: false,
                });
                if let Some(v) = new.views.iter().find(|v| v.name == to.1) {
                    rest.push(Operation::CreateView(v));
                }
            }
            Operation::DropConstraint { table, name } => {
                // Only a unique constraint is left here (anything else rebuilds): SQLite has
                // it as a unique index.
                if !rebuilt.contains(&table.name) {
                    rest.push(Operation::DropIndex {
                        schema: None,
                        table: table.name,
                        name,
                    });
                } else if let Some(r) = rebuild.take() {
                    rest.push(Operation::RebuildTables(r));
                }
            }
            op => match table_of(&op) {
                // A created table in the block is created by it.
                Some(t) if rebuilt.contains(&t) => {
                    if let Some(r) = rebuild.take() {
                        rest.push(Operation::RebuildTables(r));
                    }
                }
                _ => rest.push(op),
            },
        }
    }
    // Only tables that reference a rebuilt table (and change nothing themselves): at the end.
    if let Some(r) = rebuild.take() {
        rest.push(Operation::RebuildTables(r));
    }
    views_around_rebuilds(&mut rest, old_views, new);
    renames.extend(column_renames);
    renames.extend(rest);
    renames
}

/// A rebuild renames tables away and back. SQLite rewrites the views that name a renamed table
/// to name its new name (and refuses a rename that leaves a view naming a table that is gone),
/// so every view is dropped before the first rebuild and created, as the schema defines it,
/// at the end of the step — in place of the step's own view statements.
fn views_around_rebuilds<'s>(ops: &mut Vec<Operation<'s>>, old_views: &[String], new: &'s Schema) {
    let Some(first) = ops
        .iter()
        .position(|op| matches!(op, Operation::RebuildTables(_)))
    else {
        return;
    };
    let is_view_op = |op: &Operation<'_>| {
        matches!(
            op,
            Operation::DropView { .. } | Operation::CreateView(_) | Operation::ReplaceView(_)
        )
    };
    let before = ops[..first].iter().filter(|op| is_view_op(op)).count();
    ops.retain(|op| !is_view_op(op));
    let first = first - before;
    let drops = old_views.iter().map(|name| Operation::DropView {
        schema: "public".into(),
        name: name.clone(),
        materialized: false,
    });
    ops.splice(first..first, drops);
    ops.extend(
        new.views
            .iter()
            .filter(|v| !v.existing)
            .map(Operation::CreateView),
    );
}

/// The tables to rebuild, parents before the tables that reference them (a cycle keeps the
/// schema's order), each with the columns copied: the new table's columns the old one has,
/// generated columns left out (SQLite computes them).
fn rebuild_list<'s>(
    names: &[String],
    old: &Old<'_>,
    new: &'s Schema,
    created: &FxHashSet<String>,
) -> Vec<Rebuild<'s>> {
    let mut tables: Vec<&'s schema::Table> = new
        .tables
        .iter()
        .filter(|t| names.contains(&t.name))
        .collect();
    // Repeatedly take the first table that references no table still waiting (itself aside);
    // in a cycle, the first one waiting.
    let mut ordered: Vec<&'s schema::Table> = Vec::with_capacity(tables.len());
    while !tables.is_empty() {
        let waits_for_parent = |t: &schema::Table| {
            t.foreign_keys
                .iter()
                .any(|f| f.ref_table != t.name && tables.iter().any(|w| w.name == f.ref_table))
        };
        let i = tables
            .iter()
            .position(|t| !waits_for_parent(t))
            .unwrap_or(0);
        ordered.push(tables.remove(i));
    }
    ordered
        .into_iter()
        .map(|t| {
            let before = old.table(&t.name).filter(|_| !created.contains(&t.name));
            let existed = before.is_some();
            let copy = t
                .columns
                .iter()
                .filter(|c| c.generated.is_none())
                .filter(|c| before.is_none_or(|o| o.columns.contains_key(&c.name)))
                .map(|c| c.name.clone())
                .collect();
            let new_sql = t
                .checks
                .iter()
                .map(|c| c.expression.as_str())
                .chain(t.indexes.iter().flat_map(|i| {
                    let exprs = i.columns.iter().filter(|c| c.is_expression);
                    exprs
                        .map(|c| c.expression.as_str())
                        .chain(i.where_clause.as_deref())
                }))
                .chain(
                    t.columns
                        .iter()
                        .filter_map(|c| Some(c.generated.as_ref()?.expression.as_str())),
                );
            let old_sql = before.into_iter().flat_map(|o| {
                let checks = o.check_constraints.values().map(|c| c.value.as_str());
                let indexes = o.indexes.values().flat_map(|i| {
                    let exprs = i.columns.iter().filter(|c| c.is_expression);
                    exprs
                        .map(|c| c.expression.as_str())
                        .chain(i.where_clause.as_deref())
                });
                let generated = o
                    .columns
                    .values()
                    .filter_map(|c| Some(c.generated.as_ref()?.expression.as_str()));
                checks.chain(indexes).chain(generated)
            });
            let names_itself = new_sql.chain(old_sql).any(|e| names_table(e, &t.name));
            Rebuild {
                table: t,
                copy: if existed { copy } else { Vec::new() },
                existed,
                names_itself,
            }
        })
        .collect()
}

/// Whether SQL text names `table` as a qualifier: `"t".` or `t.` (not `xt.`).
fn names_table(sql: &str, table: &str) -> bool {
    let quoted = format!("\"{table}\".");
    let bare = format!("{table}.");
    sql.contains(&quoted)
        || sql.match_indices(&bare).any(|(at, _)| {
            !sql[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '"')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_table_finds_the_table_as_a_qualifier_only() {
        assert!(names_table("\"t\".\"a\" > 0", "t"));
        assert!(names_table("t.a > 0 and x", "t"));
        assert!(names_table("(t.a)", "t"));
        assert!(!names_table("\"at\".\"a\" > 0", "t"));
        assert!(!names_table("at.a > 0", "t"));
        assert!(!names_table("\"a\" > 0", "t"));
    }
    use crate::codegen;
    use crate::schema::testing::{col, loc, table, unique_index};
    use crate::snapshot;

    fn schema(dialect: Dialect, tables: Vec<schema::Table>) -> Schema {
        let mut s = Schema::empty(dialect);
        s.tables = tables;
        s
    }

    /// The model as MySQL's snapshot has it: a `.primaryKey()` column is a key named
    /// `<table>_<column>`, a unique index on columns is a unique constraint, autoincrement set.
    fn mysql_model(s: &Schema) -> PgSnapshot {
        let mut snap = snapshot::from_schema(s, "", "");
        for (t, st) in s.tables.iter().zip(snap.tables.values_mut()) {
            for c in &t.columns {
                let sc = &mut st.columns[&c.name];
                sc.primary_key = false;
                sc.autoincrement = Some(c.auto_increment);
                sc.on_update = c.on_update_now.then_some(true);
                if c.primary_key {
                    let name = format!("{}_{}", t.name, c.name);
                    st.composite_primary_keys.insert(
                        name.clone(),
                        pg::PrimaryKey {
                            name,
                            columns: vec![c.name.clone()],
                        },
                    );
                }
            }
            for i in t.indexes.iter().filter(|i| i.unique) {
                st.indexes.shift_remove(&i.name);
                st.unique_constraints.insert(
                    i.name.clone(),
                    pg::Unique {
                        name: i.name.clone(),
                        nulls_not_distinct: false,
                        columns: i.columns.iter().map(|c| c.expression.clone()).collect(),
                    },
                );
            }
        }
        snap
    }

    /// The model as SQLite's snapshot has it: unique constraints are unique indexes, a
    /// one-column primary key is the column's flag.
    fn sqlite_model(s: &Schema) -> PgSnapshot {
        let mut snap = snapshot::from_schema(s, "", "");
        for (t, st) in s.tables.iter().zip(snap.tables.values_mut()) {
            for u in &t.uniques {
                st.unique_constraints.shift_remove(&u.name);
                let mut index = snapshot::from_schema(
                    &schema(
                        Dialect::Sqlite,
                        vec![{
                            let mut x = table("x", vec![]);
                            x.indexes = vec![unique_index(&u.name, &[u.columns[0].as_str()])];
                            x
                        }],
                    ),
                    "",
                    "",
                )
                .tables[0]
                    .indexes[0]
                    .clone();
                index.name = u.name.clone();
                st.indexes.insert(u.name.clone(), index);
            }
            if let Some(pk) = t.primary_key.as_ref().filter(|pk| pk.columns.len() == 1) {
                st.composite_primary_keys.shift_remove(&pk.name);
                st.columns[&pk.columns[0]].primary_key = true;
            }
        }
        snap
    }

    fn sql(old: &Schema, new: &Schema, model: fn(&Schema) -> PgSnapshot) -> Vec<String> {
        let prev = model(old);
        let cur = model(new);
        let ops = super::super::diff(&prev, new, &cur, &[]).expect("supported");
        let ops = for_dialect(ops, &prev, &cur, &[], new);
        codegen::statements(new.dialect, &ops)
    }

    #[test]
    fn mysql_keys_in_the_mysql_snapshot_shape() {
        let mut id = col("id", "int");
        id.primary_key = true;
        id.not_null = true;
        let mut t1 = table("t", vec![id, col("code", "int"), col("n", "int")]);
        t1.indexes = vec![unique_index("t_code_idx", &["code"])];
        let old = schema(Dialect::Mysql, vec![t1]);

        let mut id = col("id", "int");
        id.not_null = true;
        id.auto_increment = true;
        let mut code = col("code", "int");
        code.primary_key = true;
        code.not_null = true;
        let mut t2 = table("t", vec![id, code, col("n", "int")]);
        t2.indexes = vec![unique_index("t_n_idx", &["n"])];
        let new = schema(Dialect::Mysql, vec![t2]);
        assert_eq!(
            sql(&old, &new, mysql_model),
            [
                "ALTER TABLE `t` DROP INDEX `t_code_idx`;",
                "ALTER TABLE `t` DROP PRIMARY KEY;",
                "ALTER TABLE `t` MODIFY COLUMN `code` int NOT NULL;",
                "ALTER TABLE `t` ADD PRIMARY KEY (`code`);",
                "ALTER TABLE `t` MODIFY COLUMN `id` int AUTO_INCREMENT NOT NULL;",
                "ALTER TABLE `t` ADD CONSTRAINT `t_n_idx` UNIQUE(`n`);",
            ]
        );
    }

    /// `serial` is a MySQL type: a column becoming or ceasing to be one is modified, as
    /// drizzle-kit writes it (was refused: the PostgreSQL sequence operations have no MySQL SQL).
    #[test]
    fn mysql_serial_to_int_and_back_is_a_modify() {
        let serial = |t: &str| {
            let mut id = col("id", t);
            id.not_null = true;
            id.auto_increment = t == "int";
            schema(Dialect::Mysql, vec![table("company", vec![id])])
        };
        let (s, i) = (serial("serial"), serial("int"));
        assert_eq!(
            sql(&s, &i, mysql_model),
            ["ALTER TABLE `company` MODIFY COLUMN `id` int AUTO_INCREMENT NOT NULL;"]
        );
        assert_eq!(
            sql(&i, &s, mysql_model),
            ["ALTER TABLE `company` MODIFY COLUMN `id` serial NOT NULL;"]
        );
    }

    #[test]
    fn sqlite_uniques_are_indexes_and_a_new_primary_key_rebuilds() {
        let old = schema(
            Dialect::Sqlite,
            vec![table("t", vec![col("id", "integer"), col("code", "text")])],
        );
        let mut t2 = table("t", vec![col("id", "integer"), col("code", "text")]);
        t2.uniques.push(schema::Unique {
            name: "t_code_unique".into(),
            columns: vec!["code".into()],
            nulls_not_distinct: false,
            origin: loc(),
        });
        let new = schema(Dialect::Sqlite, vec![t2.clone()]);
        assert_eq!(
            sql(&old, &new, sqlite_model),
            ["CREATE UNIQUE INDEX `t_code_unique` ON `t` (`code`);"]
        );
        t2.primary_key = Some(schema::PrimaryKey {
            name: "t_id_pk".into(),
            columns: vec!["id".into()],
            origin: loc(),
        });
        let keyed = schema(Dialect::Sqlite, vec![t2]);
        let out = sql(&new, &keyed, sqlite_model);
        assert!(
            out.contains(&"ALTER TABLE `t` RENAME TO `__old_t`;".to_string()),
            "{out:#?}"
        );
        assert!(
            out.contains(
                &"INSERT INTO `t`(\"id\", \"code\") SELECT \"id\", \"code\" FROM `__old_t`;"
                    .to_string()
            ),
            "{out:#?}"
        );
    }
}
